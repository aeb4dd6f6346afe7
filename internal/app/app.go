// Package app assembles Klientela from its parts — configuration, store,
// service, HTML pages, JSON API, middleware — into one http.Handler, and
// runs it. The command and the tests build the application the same way.
package app

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"strings"
	"time"

	"klientela/internal/api"
	"klientela/internal/blob"
	"klientela/internal/config"
	"klientela/internal/httpx"
	"klientela/internal/i18n"
	"klientela/internal/password"
	"klientela/internal/service"
	"klientela/internal/store"
	"klientela/internal/web"
)

// MaxBody is the largest request body accepted (forms and JSON).
const MaxBody = 1 << 20

// MaxImportBody is the largest body of an import upload: the file
// (service.MaxImportSize) and the form around it.
const MaxImportBody = service.MaxImportSize + MaxBody

// Options are knobs for tests and tools; the zero value is production.
type Options struct {
	Password password.Params // argon2id cost (tests use password.Fast)
	Now      func() time.Time
	Limits   service.Limits
}

// App is one running instance of Klientela.
type App struct {
	Config  config.Config
	Store   *store.Store
	Blob    blob.Store
	Service *service.Service
	Handler http.Handler
	API     *api.API
	Web     *web.Web
	// Patterns lists every pattern registered on the router, so a test can
	// prove that each has a permission rule.
	Patterns []string
	Log      *slog.Logger
}

// recordingMux is a ServeMux that remembers what was registered.
type recordingMux struct {
	*http.ServeMux
	patterns []string
}

func (m *recordingMux) Handle(pattern string, h http.Handler) {
	m.patterns = append(m.patterns, pattern)
	m.ServeMux.Handle(pattern, h)
}

func (m *recordingMux) HandleFunc(pattern string, h func(http.ResponseWriter, *http.Request)) {
	m.patterns = append(m.patterns, pattern)
	m.ServeMux.HandleFunc(pattern, h)
}

// New opens the database, migrates it and builds the handler.
func New(ctx context.Context, cfg config.Config, log *slog.Logger, opt Options) (*App, error) {
	dsn := cfg.DB
	if dsn == "" {
		dsn = store.SQLitePath(cfg.DataDir)
	}
	st, err := store.Open(ctx, dsn)
	if err != nil {
		return nil, err
	}
	if err := st.Migrate(ctx); err != nil {
		st.Close()
		return nil, err
	}
	bl, err := blob.Open(ctx, cfg.FilesURL())
	if err != nil {
		st.Close()
		return nil, err
	}
	a, err := build(cfg, st, bl, log, opt)
	if err != nil {
		bl.Close()
		st.Close()
		return nil, err
	}
	return a, nil
}

// uploadPaths take file uploads: their bodies may be as large as
// MaxFilesPerUpload files of the largest size; every other body stays
// under MaxBody.
var uploadPaths = map[string]bool{"POST /files/upload": true, "POST /api/v1/files": true}

func build(cfg config.Config, st *store.Store, bl blob.Store, log *slog.Logger, opt Options) (*App, error) {
	cat, err := i18n.Load()
	if err != nil {
		return nil, err
	}
	svc, err := service.New(st, service.Options{Now: opt.Now, Password: opt.Password,
		SignupDisabled: !cfg.Signup, Limits: opt.Limits, Logger: log, Blob: bl, MaxFileSize: cfg.MaxFileSize,
		FilesQuota: cfg.FilesQuota})
	if err != nil {
		return nil, err
	}
	w, err := web.New(web.Deps{Service: svc, Catalog: cat, Logger: log, Secure: cfg.Secure(), TrustProxy: cfg.TrustProxy, BaseURL: cfg.BaseURL})
	if err != nil {
		return nil, err
	}
	a, err := api.New(api.Deps{Service: svc, Catalog: cat, Logger: log, TrustProxy: cfg.TrustProxy, BaseURL: cfg.BaseURL})
	if err != nil {
		return nil, err
	}

	mux := &recordingMux{ServeMux: http.NewServeMux()}
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		if err := svc.Ready(ctx); err != nil {
			log.Warn("not ready", "err", err)
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte("database unavailable\n"))
			return
		}
		_, _ = w.Write([]byte("ok\n"))
	})
	w.Register(mux)
	a.Register(mux)

	// Failures outside a handler answer in the language of the path: JSON
	// under /api/, a page elsewhere.
	either := func(apiFn, webFn http.HandlerFunc) func(http.ResponseWriter, *http.Request) {
		return func(rw http.ResponseWriter, r *http.Request) {
			if strings.HasPrefix(r.URL.Path, "/api/") {
				apiFn(rw, r)
				return
			}
			webFn(rw, r)
		}
	}
	var origins []string
	if cfg.BaseURL != "" {
		origins = append(origins, cfg.BaseURL)
	}
	csrf, err := httpx.CrossOrigin(origins, either(a.CrossOriginDenied, w.CrossOriginDenied))
	if err != nil {
		return nil, fmt.Errorf("app: trusted origin: %w", err)
	}
	h := httpx.Chain(mux.ServeMux,
		httpx.Log(log),
		httpx.Recover(log, either(a.Panic, w.Panic)),
		httpx.SecurityHeaders(cfg.Secure()),
		httpx.BodyLimit(func(r *http.Request) int64 {
			switch {
			case uploadPaths[r.Method+" "+r.URL.Path]:
				return svc.MaxFileSize()*service.MaxFilesPerUpload + MaxBody
			case web.DocumentImagePath(r):
				return service.MaxDocumentImage + MaxBody
			case r.Method == http.MethodPost && (r.URL.Path == web.ImportPath || r.URL.Path == api.ImportPath):
				// Larger than the largest import by MaxBody, so that a file
				// just over it reaches the handler, which says so at the field.
				return MaxImportBody
			}
			return MaxBody
		}, either(a.TooLarge, w.TooLarge)),
		csrf,
	)
	return &App{Config: cfg, Store: st, Blob: bl, Service: svc, Handler: h, API: a, Web: w, Patterns: mux.patterns, Log: log}, nil
}

// Close releases the database and the blob store.
func (a *App) Close() error { return errors.Join(a.Blob.Close(), a.Store.Close()) }

// Serve answers HTTP on ln until ctx ends, then shuts down gracefully:
// in-flight requests get Config.ShutdownTimeout to finish.
func (a *App) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           a.Handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(a.Log.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	go a.janitor(ctx)
	if a.Config.PprofAddr != "" {
		stop, err := a.servePprof(ctx)
		if err != nil {
			return err
		}
		defer stop()
	}
	go a.RunJobs(ctx)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	a.Log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), a.Config.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// RunJobs runs background jobs (imports, …) until ctx ends. Every instance
// runs it; the database hands each job to one of them.
func (a *App) RunJobs(ctx context.Context) {
	host, _ := os.Hostname()
	var b [4]byte
	_, _ = rand.Read(b[:])
	a.Service.RunJobs(ctx, fmt.Sprintf("%s-%d-%s", host, os.Getpid(), hex.EncodeToString(b[:])))
}

// janitor removes expired sessions and counters now and then.
func (a *App) janitor(ctx context.Context) {
	t := time.NewTicker(10 * time.Minute)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := a.Service.Cleanup(ctx); err != nil && ctx.Err() == nil {
				a.Log.Warn("cleanup", "err", err)
			}
		}
	}
}

// servePprof serves the Go profiler on Config.PprofAddr, a loopback address
// (config refuses others), with its own mux so none of it is reachable on the
// public listener. It returns a function that stops it.
func (a *App) servePprof(ctx context.Context) (func(), error) {
	ln, err := net.Listen("tcp", a.Config.PprofAddr)
	if err != nil {
		return nil, fmt.Errorf("pprof: %w", err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second,
		BaseContext: func(net.Listener) context.Context { return context.WithoutCancel(ctx) }}
	a.Log.Info("pprof listening", "addr", ln.Addr().String())
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			a.Log.Warn("pprof", "err", err)
		}
	}()
	return func() { _ = srv.Close() }, nil
}
