package httpx

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"klientela/internal/crm"
)

func TestStatus(t *testing.T) {
	for code, want := range map[crm.Code]int{crm.CodeInvalid: 422, crm.CodeNotFound: 404, crm.CodeConflict: 409,
		crm.CodeForbidden: 403, crm.CodeUnauthorized: 401, crm.CodeRateLimited: 429, crm.CodeInternal: 500, "": 200} {
		if got := Status(code); got != want {
			t.Errorf("Status(%q) = %d, want %d", code, got, want)
		}
	}
}

func TestRecoverAndRequestID(t *testing.T) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	var seenID string
	h := Chain(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seenID = RequestID(r.Context())
		panic("boom")
	}), Log(log), Recover(log, func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "friendly", http.StatusInternalServerError)
	}))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/x", nil))
	if rec.Code != 500 || strings.Contains(rec.Body.String(), "boom") || !strings.Contains(rec.Body.String(), "friendly") {
		t.Fatalf("panic answer: %d %q", rec.Code, rec.Body.String())
	}
	if seenID == "" || rec.Header().Get("X-Request-Id") != seenID {
		t.Fatalf("request id %q, header %q", seenID, rec.Header().Get("X-Request-Id"))
	}
}

func TestMaxBody(t *testing.T) {
	tooLarge := func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(413) }
	var readErr error
	h := MaxBody(10, tooLarge)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, readErr = io.ReadAll(r.Body)
	}))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("POST", "/", strings.NewReader(strings.Repeat("a", 11))))
	if rec.Code != 413 {
		t.Fatalf("announced large body = %d", rec.Code)
	}
	req := httptest.NewRequest("POST", "/", strings.NewReader(strings.Repeat("a", 11)))
	req.ContentLength = -1
	h.ServeHTTP(httptest.NewRecorder(), req)
	if !IsTooLarge(readErr) {
		t.Fatalf("reading past the limit: %v", readErr)
	}
}

func TestClientIP(t *testing.T) {
	r := httptest.NewRequest("GET", "/", nil)
	r.RemoteAddr = "10.1.2.3:5555"
	r.Header.Set("X-Forwarded-For", "6.6.6.6, 192.0.2.7")
	if got := ClientIP(r, false); got != "10.1.2.3" {
		t.Errorf("without a proxy = %q", got)
	}
	if got := ClientIP(r, true); got != "192.0.2.7" {
		t.Errorf("behind a proxy = %q (the proxy's own entry, not the client's claim)", got)
	}
	// A proxy that adds a header line of its own: its line counts, not the
	// client's forged one.
	r.Header.Del("X-Forwarded-For")
	r.Header.Add("X-Forwarded-For", "6.6.6.6")
	r.Header.Add("X-Forwarded-For", "192.0.2.9")
	if got := ClientIP(r, true); got != "192.0.2.9" {
		t.Errorf("two header lines = %q", got)
	}
	r.Header.Set("X-Forwarded-For", "garbage")
	if got := ClientIP(r, true); got != "10.1.2.3" {
		t.Errorf("garbage header = %q", got)
	}
}

func TestSecurityHeaders(t *testing.T) {
	rec := httptest.NewRecorder()
	SecurityHeaders(true)(http.NotFoundHandler()).ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	h := rec.Header()
	if !strings.Contains(h.Get("Content-Security-Policy"), "frame-ancestors 'none'") || h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Strict-Transport-Security") == "" {
		t.Fatalf("headers: %v", h)
	}
}
