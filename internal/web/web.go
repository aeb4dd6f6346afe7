// Package web serves Klientela's HTML pages: server-rendered html/template
// pages over the same service layer as the JSON API. Each page has a typed
// view model; translation goes through the view ({{.T "key"}}) so that one
// parsed template set serves every language without cloning.
package web

import (
	"log/slog"
	"net/http"

	"klientela/internal/i18n"
	"klientela/internal/service"
)

// Deps is what the web layer needs from the application.
type Deps struct {
	Service    *service.Service
	Catalog    *i18n.Catalog
	Logger     *slog.Logger
	Secure     bool // the site is served over https: cookies get Secure
	TrustProxy bool // client IPs come from X-Forwarded-For
}

// Web is the HTML side of Klientela.
type Web struct {
	svc        *service.Service
	cat        *i18n.Catalog
	log        *slog.Logger
	secure     bool
	trustProxy bool
	pages      *pages
	assets     *assets
	nav        []navEntry
}

// New parses the templates and indexes the static files.
func New(d Deps) (*Web, error) {
	a, err := newAssets()
	if err != nil {
		return nil, err
	}
	p, err := parsePages(a)
	if err != nil {
		return nil, err
	}
	return &Web{svc: d.Service, cat: d.Catalog, log: d.Logger, secure: d.Secure, trustProxy: d.TrustProxy,
		pages: p, assets: a, nav: navigation()}, nil
}

// Register adds the web routes to mux.
func (h *Web) Register(mux *http.ServeMux) {
	mux.Handle("GET /static/", h.assets)
	mux.HandleFunc("GET /favicon.ico", h.favicon)

	mux.HandleFunc("GET /signup", h.public(h.signupForm))
	mux.HandleFunc("POST /signup", h.public(h.signup))
	mux.HandleFunc("GET /login", h.public(h.loginForm))
	mux.HandleFunc("POST /login", h.public(h.login))
	mux.HandleFunc("POST /logout", h.public(h.logout))
	mux.HandleFunc("POST /language", h.public(h.setLanguage))

	mux.HandleFunc("GET /{$}", h.page(h.dashboard))
	mux.HandleFunc("GET /profile", h.page(h.profile))
	mux.HandleFunc("POST /profile/password", h.page(h.changePassword))
	mux.HandleFunc("POST /profile/tokens", h.page(h.createToken))
	mux.HandleFunc("POST /profile/tokens/{id}/delete", h.page(h.deleteToken))
	mux.HandleFunc("GET /settings", h.page(h.settings))
	mux.HandleFunc("POST /settings/account", h.page(h.saveAccount))

	// Everything else is a friendly 404 page.
	mux.HandleFunc("/", h.public(func(w http.ResponseWriter, r *http.Request, v *View) {
		h.notFound(w, r, v)
	}))
}
