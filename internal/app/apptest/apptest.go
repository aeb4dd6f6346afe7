// Package apptest starts real Klientela servers for tests: the whole
// application (router, middleware, service, store) on a real database,
// listening on a loopback port, so HTTP scenario tests, browser tests and
// benchmarks exercise exactly what users get.
package apptest

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"klientela/internal/app"
	"klientela/internal/config"
	"klientela/internal/crm"
	"klientela/internal/password"
	"klientela/internal/store"
	"klientela/internal/store/storetest"
)

// Server is a running application.
type Server struct {
	*app.App
	URL string
	t   testing.TB
}

// Engines are the databases every scenario runs on.
var Engines = []string{"sqlite", "postgres"}

// Each runs fn as a subtest against a fresh server on each engine, started
// with opts.
func Each(t *testing.T, fn func(t *testing.T, s *Server), opts ...Option) {
	t.Helper()
	for _, e := range Engines {
		t.Run(e, func(t *testing.T) { fn(t, Start(t, e, opts...)) })
	}
}

// Option changes the configuration or options of a server before it starts.
type Option func(*config.Config, *app.Options)

// Start runs a server on engine ("sqlite" or "postgres") with a fresh
// database, fast password hashing, and sign-up open. It stops when the test
// ends.
func Start(t testing.TB, engine string, opts ...Option) *Server {
	t.Helper()
	cfg := config.Config{DataDir: t.TempDir(), Signup: true, LogFormat: "text", LogLevel: "error", ShutdownTimeout: 5 * time.Second}
	switch engine {
	case "sqlite":
		cfg.DB = storetest.SQLiteDSN(t)
	case "postgres":
		cfg.DB = storetest.PostgresDSN(t)
	default:
		t.Fatalf("apptest: unknown engine %q", engine)
	}
	o := app.Options{Password: password.Fast}
	for _, opt := range opts {
		opt(&cfg, &o)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if testing.Verbose() {
		log = slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	a, err := app.New(context.Background(), cfg, log, o)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(a.Handler)
	// The job runner, as Serve starts it: imports run in the background.
	jobs, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		a.RunJobs(jobs)
	}()
	t.Cleanup(func() {
		stop()
		<-done
		hs.Close()
		a.Close()
	})
	return &Server{App: a, URL: hs.URL, t: t}
}

type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// Browser is an HTTP client with its own cookie jar that does not follow
// redirects, so tests can see them. It sends the headers a browser sends on
// same-origin form posts.
type Browser struct {
	*http.Client
	s *Server
}

// Browser returns a new client with an empty cookie jar.
func (s *Server) Browser() *Browser {
	jar, _ := cookiejar.New(nil)
	return &Browser{Client: &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}, s: s}
}

// Get fetches a path and returns the response with its body read.
func (b *Browser) Get(path string) (*http.Response, string) {
	b.s.t.Helper()
	req, _ := http.NewRequest("GET", b.s.URL+path, nil)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return b.do(req)
}

// Post submits a form as a same-origin browser would.
func (b *Browser) Post(path string, form url.Values) (*http.Response, string) {
	b.s.t.Helper()
	req, _ := http.NewRequest("POST", b.s.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.Header.Set("Origin", b.s.URL)
	return b.do(req)
}

func (b *Browser) do(req *http.Request) (*http.Response, string) {
	b.s.t.Helper()
	res, err := b.Do(req)
	if err != nil {
		b.s.t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		b.s.t.Fatal(err)
	}
	return res, string(body)
}

// SignUp creates an account through the sign-up form and returns a browser
// logged in as its owner.
func (s *Server) SignUp(company, name, email, password string) *Browser {
	s.t.Helper()
	b := s.Browser()
	res, body := b.Post("/signup", url.Values{"company_name": {company}, "name": {name}, "email": {email}, "password": {password}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/" {
		s.t.Fatalf("sign-up of %s: status %d, location %q\n%s", email, res.StatusCode, res.Header.Get("Location"), body)
	}
	return b
}

// Token logs in through the API and returns a bearer token.
func (s *Server) Token(email, password string) string {
	s.t.Helper()
	res, body := s.JSON("POST", "/api/v1/tokens", "", map[string]string{"email": email, "password": password})
	if res.StatusCode != http.StatusCreated {
		s.t.Fatalf("token for %s: status %d: %s", email, res.StatusCode, body)
	}
	var out struct{ Token string }
	if err := json.Unmarshal([]byte(body), &out); err != nil || out.Token == "" {
		s.t.Fatalf("token answer %q: %v", body, err)
	}
	return out.Token
}

// JSON calls the API with an optional bearer token and a value to encode
// (nil for no body) and returns the response with its body read.
func (s *Server) JSON(method, path, token string, v any) (*http.Response, string) {
	s.t.Helper()
	var body io.Reader
	if v != nil {
		data, err := json.Marshal(v)
		if err != nil {
			s.t.Fatal(err)
		}
		body = strings.NewReader(string(data))
	}
	req, _ := http.NewRequest(method, s.URL+path, body)
	if v != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		s.t.Fatal(err)
	}
	return res, string(data)
}

// Create POSTs v to the API path as the holder of token, fails the test
// unless the answer is 201 Created, and returns the new record's id.
func (s *Server) Create(token, path string, v any) int64 {
	s.t.Helper()
	res, body := s.JSON("POST", path, token, v)
	if res.StatusCode != http.StatusCreated {
		s.t.Fatalf("POST %s: %d %s", path, res.StatusCode, body)
	}
	var out struct{ ID int64 }
	if err := json.Unmarshal([]byte(body), &out); err != nil || out.ID == 0 {
		s.t.Fatalf("POST %s: no id in %s", path, body)
	}
	return out.ID
}

// AddUser creates a user (not an owner) with scope in the account of the
// owner ownerEmail, straight in the store, and returns a browser logged in
// as them. Tests of permissions use it to get users of every kind.
func (s *Server) AddUser(ownerEmail, email, pw string, scope crm.Scope) *Browser {
	s.t.Helper()
	ctx := context.Background()
	owner, err := s.Store.UserByEmail(ctx, ownerEmail)
	if err != nil {
		s.t.Fatalf("owner %s: %v", ownerEmail, err)
	}
	hash, err := password.Fast.Hash(pw)
	if err != nil {
		s.t.Fatal(err)
	}
	if _, err := s.Store.Tenant(owner.User.AccountID).CreateUser(ctx, store.NewUser{Email: email, Name: "Użytkownik " + email,
		PasswordHash: hash, Role: crm.RoleUser, Locale: "pl", Scope: scope, Now: time.Now()}); err != nil {
		s.t.Fatal(err)
	}
	b := s.Browser()
	if res, body := b.Post("/login", url.Values{"email": {email}, "password": {pw}}); res.StatusCode != http.StatusSeeOther {
		s.t.Fatalf("login of %s: %d\n%s", email, res.StatusCode, body)
	}
	return b
}

// Scope builds a scope from section/level pairs: Scope("clients", "edit").
func Scope(pairs ...string) crm.Scope {
	sc := crm.Scope{Permissions: map[string]string{}}
	for i := 0; i+1 < len(pairs); i += 2 {
		sc.Permissions[pairs[i]] = pairs[i+1]
	}
	return sc
}
