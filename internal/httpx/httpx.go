// Package httpx holds what every HTTP handler of Klientela shares: the
// middleware chain (request ids, logging, panics, security headers, body
// limits, cross-origin protection), the mapping from domain error codes to
// HTTP statuses, and client IP discovery.
package httpx

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net"
	"net/http"
	"runtime/debug"
	"strings"
	"sync/atomic"
	"time"

	"klientela/internal/crm"
)

// Status maps a domain error code to its HTTP status.
func Status(code crm.Code) int {
	switch code {
	case crm.CodeInvalid:
		return http.StatusUnprocessableEntity
	case crm.CodeNotFound:
		return http.StatusNotFound
	case crm.CodeConflict:
		return http.StatusConflict
	case crm.CodeForbidden:
		return http.StatusForbidden
	case crm.CodeUnauthorized:
		return http.StatusUnauthorized
	case crm.CodeRateLimited:
		return http.StatusTooManyRequests
	case "":
		return http.StatusOK
	}
	return http.StatusInternalServerError
}

// Middleware wraps a handler.
type Middleware func(http.Handler) http.Handler

// Chain applies middleware so that the first listed runs first.
func Chain(h http.Handler, m ...Middleware) http.Handler {
	for i := len(m) - 1; i >= 0; i-- {
		h = m[i](h)
	}
	return h
}

type reqInfoKey struct{}

// reqInfo travels in the context of each request; inner layers fill in who
// is acting so that the access log can name them.
type reqInfo struct {
	id        string
	accountID atomic.Int64
	userID    atomic.Int64
}

// RequestID returns the id of the request ctx belongs to.
func RequestID(ctx context.Context) string {
	if ri, _ := ctx.Value(reqInfoKey{}).(*reqInfo); ri != nil {
		return ri.id
	}
	return ""
}

// SetActor records who is acting, for the access log.
func SetActor(ctx context.Context, p *crm.Principal) {
	if ri, _ := ctx.Value(reqInfoKey{}).(*reqInfo); ri != nil && p != nil {
		ri.accountID.Store(p.Account.ID)
		ri.userID.Store(p.User.ID)
	}
}

func newID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// statusWriter remembers the status and size of a response.
type statusWriter struct {
	http.ResponseWriter
	status int
	size   int64
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.size += int64(n)
	return n, err
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Log gives each request an id (X-Request-Id) and writes one access-log
// line when it ends.
func Log(log *slog.Logger) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			start := time.Now()
			ri := &reqInfo{id: newID()}
			w.Header().Set("X-Request-Id", ri.id)
			sw := &statusWriter{ResponseWriter: w}
			next.ServeHTTP(sw, r.WithContext(context.WithValue(r.Context(), reqInfoKey{}, ri)))
			if r.URL.Path == "/healthz" || r.URL.Path == "/readyz" || strings.HasPrefix(r.URL.Path, "/static/") {
				return
			}
			level := slog.LevelInfo
			if sw.status >= 500 {
				level = slog.LevelError
			}
			log.LogAttrs(r.Context(), level, "request",
				slog.String("id", ri.id), slog.String("method", r.Method), slog.String("path", r.URL.Path),
				slog.Int("status", sw.status), slog.Int64("bytes", sw.size),
				slog.Duration("took", time.Since(start)),
				slog.Int64("account", ri.accountID.Load()), slog.Int64("user", ri.userID.Load()))
		})
	}
}

// Recover turns a panic into a logged error and lets onPanic answer; the
// user never sees a stack trace.
func Recover(log *slog.Logger, onPanic func(http.ResponseWriter, *http.Request)) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			defer func() {
				p := recover()
				if p == nil {
					return
				}
				if p == http.ErrAbortHandler {
					panic(p)
				}
				log.Error("panic", "id", RequestID(r.Context()), "panic", p, "stack", string(debug.Stack()))
				onPanic(w, r)
			}()
			next.ServeHTTP(w, r)
		})
	}
}

// csp is the Content-Security-Policy of every response; %s takes extra
// style sources.
const csp = "default-src 'self'; script-src 'self'; style-src 'self'%s; img-src 'self' data: blob:; " +
	"font-src 'self'%s; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// emptyStyleHash is the CSP hash of an empty <style> element: it lets a
// script create one and fill it through the CSSOM (insertRule, which CSP
// does not govern), while any <style> with content stays blocked.
const emptyStyleHash = "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"

// The two policies, formatted once.
var (
	cspDefault        = fmt.Sprintf(csp, "", "")
	cspInjectedStyles = fmt.Sprintf(csp, " "+emptyStyleHash, " data:")
)

// AllowInjectedStyles relaxes the page's policy for a library that adds an
// empty <style> element, inserts its rules through the CSSOM and embeds
// its icon font as a data: URL (FullCalendar on the calendar page): empty
// <style> elements and data: fonts, nothing else. Call it before writing
// the page.
func AllowInjectedStyles(w http.ResponseWriter) {
	w.Header().Set("Content-Security-Policy", cspInjectedStyles)
}

// SecurityHeaders sets the headers every response carries. The CSP allows
// scripts and styles only from our own origin: no inline script anywhere.
func SecurityHeaders(secure bool) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			h := w.Header()
			h.Set("Content-Security-Policy", cspDefault)
			h.Set("X-Content-Type-Options", "nosniff")
			h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
			h.Set("X-Frame-Options", "DENY")
			h.Set("Cross-Origin-Opener-Policy", "same-origin")
			h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
			if secure {
				h.Set("Strict-Transport-Security", "max-age=31536000")
			}
			next.ServeHTTP(w, r)
		})
	}
}

// MaxBody caps request bodies; a handler reading past it gets an error that
// IsTooLarge recognises. Requests that announce a larger body are refused
// at once with tooLarge.
func MaxBody(limit int64, tooLarge func(http.ResponseWriter, *http.Request)) Middleware {
	return BodyLimit(func(*http.Request) int64 { return limit }, tooLarge)
}

// BodyLimit is MaxBody with a limit per request: uploads get a larger one
// than forms and JSON.
func BodyLimit(limitFor func(*http.Request) int64, tooLarge func(http.ResponseWriter, *http.Request)) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			limit := limitFor(r)
			if r.ContentLength > limit {
				tooLarge(w, r)
				return
			}
			if r.Body != nil {
				r.Body = http.MaxBytesReader(w, r.Body, limit)
			}
			next.ServeHTTP(w, r)
		})
	}
}

// IsTooLarge reports whether err comes from reading past MaxBody's limit.
func IsTooLarge(err error) bool {
	var mbe *http.MaxBytesError
	return errors.As(err, &mbe)
}

// CrossOrigin refuses state-changing cross-site requests (CSRF) with Go's
// http.CrossOriginProtection, which checks Sec-Fetch-Site and Origin. API
// clients send neither header and pass; browsers always send them.
func CrossOrigin(trusted []string, deny func(http.ResponseWriter, *http.Request)) (Middleware, error) {
	cop := http.NewCrossOriginProtection()
	for _, o := range trusted {
		if err := cop.AddTrustedOrigin(o); err != nil {
			return nil, err
		}
	}
	cop.SetDenyHandler(http.HandlerFunc(deny))
	return cop.Handler, nil
}

// ClientIP returns the address the request came from. Behind a reverse
// proxy (trustProxy) it takes the last address the proxy appended to
// X-Forwarded-For; otherwise the connection's address.
func ClientIP(r *http.Request, trustProxy bool) string {
	if trustProxy {
		// The proxy appends the address it saw as the last entry, possibly
		// on a header line of its own: read the last line's last entry.
		if vals := r.Header.Values("X-Forwarded-For"); len(vals) > 0 {
			parts := strings.Split(vals[len(vals)-1], ",")
			if ip := net.ParseIP(strings.TrimSpace(parts[len(parts)-1])); ip != nil {
				return ip.String()
			}
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// Mux is where routes are registered: an *http.ServeMux, or one that also
// records what was registered.
type Mux interface {
	Handle(pattern string, h http.Handler)
	HandleFunc(pattern string, h func(http.ResponseWriter, *http.Request))
}

// Attachment is a Content-Disposition value that makes browsers download
// a file under name; Polish letters survive (RFC 2231/6266 encoding).
func Attachment(name string) string {
	if v := mime.FormatMediaType("attachment", map[string]string{"filename": name}); v != "" {
		return v
	}
	return "attachment"
}

// Inline is a Content-Disposition value that lets browsers show a file
// themselves, keeping its name for "save as".
func Inline(name string) string {
	if v := mime.FormatMediaType("inline", map[string]string{"filename": name}); v != "" {
		return v
	}
	return "inline"
}

// ServeFile sends a stored file with Range support (http.ServeContent). It
// is shown in the browser (inline) only when it was sniffed at upload as a
// type the browser may show (preview); everything else, whatever its name
// says, is a download of opaque bytes. Either way the browser must not
// guess another type, and the response runs no script: a sandbox CSP for
// everything but PDFs, whose viewer a sandbox blocks (and which still get
// no script of the page's origin).
func ServeFile(w http.ResponseWriter, r *http.Request, content io.ReadSeeker, name, mediaType, etag string,
	modTime time.Time, preview bool) {
	hd := w.Header()
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Cache-Control", "private, no-cache")
	if etag != "" {
		hd.Set("ETag", `"`+etag+`"`)
	}
	if preview {
		hd.Set("Content-Type", mediaType)
		hd.Set("Content-Disposition", Inline(name))
		if mediaType == "application/pdf" {
			hd.Set("Content-Security-Policy", "default-src 'none'; object-src 'self'; frame-ancestors 'none'")
		} else {
			hd.Set("Content-Security-Policy", "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox")
		}
	} else {
		hd.Set("Content-Type", "application/octet-stream")
		hd.Set("Content-Disposition", Attachment(name))
		hd.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	}
	http.ServeContent(w, r, "", modTime, content)
}

// ServeImage sends a stored image as the type it was sniffed as when it was
// uploaded; the browser must not guess another, nor run it as a page.
func ServeImage(w http.ResponseWriter, r *http.Request, data []byte, mediaType string) {
	sum := sha256.Sum256(data)
	hd := w.Header()
	hd.Set("Content-Type", mediaType)
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Content-Disposition", "inline")
	hd.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	hd.Set("Cache-Control", "private, no-cache")
	hd.Set("ETag", `"`+hex.EncodeToString(sum[:10])+`"`)
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(data))
}

// ErrBadMultipart marks a request that is not a well-formed
// multipart/form-data body.
var ErrBadMultipart = errors.New("httpx: malformed multipart body")

// maxFieldValue bounds a non-file field of a multipart body.
const maxFieldValue = 4 << 10

// EachPart streams a multipart/form-data body part by part, without
// buffering files in memory or on disk (no ParseMultipartForm): fn gets
// each file part's field, file name and body to read, and each other
// part's field and value (filename "" and value read up to a few KB).
// Malformed input is ErrBadMultipart; a body over the request's limit is
// an error IsTooLarge recognises.
func EachPart(r *http.Request, fn func(field, filename, value string, body io.Reader) error) error {
	mr, err := r.MultipartReader()
	if err != nil {
		return ErrBadMultipart
	}
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			if IsTooLarge(err) {
				return err
			}
			return errors.Join(ErrBadMultipart, err)
		}
		if p.FileName() == "" {
			v, err := io.ReadAll(io.LimitReader(p, maxFieldValue))
			if err != nil {
				p.Close()
				return err
			}
			err = fn(p.FormName(), "", string(v), nil)
			p.Close()
			if err != nil {
				return err
			}
			continue
		}
		err = fn(p.FormName(), p.FileName(), "", p)
		p.Close()
		if err != nil {
			return err
		}
	}
}

// LongRequest lifts the server's read and write deadlines for a request
// that streams a large body (an upload or a download).
func LongRequest(w http.ResponseWriter, d time.Duration) {
	rc := http.NewResponseController(w)
	_ = rc.SetReadDeadline(time.Now().Add(d))
	_ = rc.SetWriteDeadline(time.Now().Add(d))
}

// BaseURL is the public address of the site for links that leave it (a
// calendar feed's URL): the configured one when set, else the scheme and
// host the request came to (X-Forwarded-Proto only from a trusted proxy).
func BaseURL(r *http.Request, configured string, trustProxy bool) string {
	if configured != "" {
		return strings.TrimSuffix(configured, "/")
	}
	scheme := "http"
	if r.TLS != nil || trustProxy && r.Header.Get("X-Forwarded-Proto") == "https" {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}
