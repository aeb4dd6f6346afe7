// Package web serves Klientela's HTML pages: server-rendered html/template
// pages over the same service layer as the JSON API. Each page has a typed
// view model; translation goes through the view ({{.T "key"}}) so that one
// parsed template set serves every language without cloning.
package web

import (
	"klientela/internal/httpx"
	"log/slog"
	"net/http"
	"strings"

	"klientela/internal/authz"

	"klientela/internal/i18n"
	"klientela/internal/kept"
	"klientela/internal/service"
)

// Deps is what the web layer needs from the application.
type Deps struct {
	Service    *service.Service
	Catalog    *i18n.Catalog
	Logger     *slog.Logger
	Secure     bool   // the site is served over https: cookies get Secure
	TrustProxy bool   // client IPs come from X-Forwarded-For
	BaseURL    string // the public URL, for links that leave the site (feeds); "" to take it from requests
}

// Web is the HTML side of Klientela.
type Web struct {
	svc        *service.Service
	cat        *i18n.Catalog
	log        *slog.Logger
	secure     bool
	trustProxy bool
	baseURL    string
	pages      *pages
	assets     *assets
	nav        []navEntry
	routes     []Route
	feeds      *kept.Cache[int64, []byte] // the feeds' documents, see feed
}

// Route is one registered page or form action and the access it needs.
// The permission matrix test walks these.
type Route struct {
	Method  string
	Path    string
	Section authz.Section // "" for public routes
	Level   authz.Level
}

// Routes lists what Register registered.
func (h *Web) Routes() []Route { return h.routes }

// public registers a route anyone may reach.
func (h *Web) publicRoute(mux httpx.Mux, pattern string, fn handlerFunc) {
	h.addRoute(pattern, "", authz.None)
	mux.HandleFunc(pattern, h.public(fn))
}

// route registers a page for logged-in users who may act at level in
// section; others get the login page or 403. The service checks again.
func (h *Web) route(mux httpx.Mux, pattern string, section authz.Section, level authz.Level, fn handlerFunc) {
	h.addRoute(pattern, section, level)
	mux.HandleFunc(pattern, h.page(func(w http.ResponseWriter, r *http.Request, v *View) {
		if !authz.Can(v.P, section, level) {
			h.errorPage(w, r, v, http.StatusForbidden, "errors.forbidden")
			return
		}
		fn(w, r, v)
	}))
}

func (h *Web) addRoute(pattern string, section authz.Section, level authz.Level) {
	method, path, _ := strings.Cut(pattern, " ")
	h.routes = append(h.routes, Route{Method: method, Path: path, Section: section, Level: level})
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
	return &Web{svc: d.Service, cat: d.Catalog, log: d.Logger, secure: d.Secure, trustProxy: d.TrustProxy, baseURL: d.BaseURL,
		pages: p, assets: a, nav: navigation(), feeds: newFeedCache()}, nil
}

// Register adds the web routes to mux.
func (h *Web) Register(mux httpx.Mux) {
	mux.Handle("GET /static/", h.assets)
	mux.HandleFunc("GET /favicon.ico", h.favicon)

	h.publicRoute(mux, "GET /signup", h.signupForm)
	h.publicRoute(mux, "POST /signup", h.signup)
	h.publicRoute(mux, "GET /login", h.loginForm)
	h.publicRoute(mux, "POST /login", h.login)
	h.publicRoute(mux, "POST /logout", h.logout)
	h.publicRoute(mux, "POST /language", h.setLanguage)

	h.route(mux, "GET /{$}", authz.Dashboard, authz.View, h.dashboard)
	h.route(mux, "GET /profile", authz.Dashboard, authz.View, h.profile)
	h.route(mux, "POST /profile/password", authz.Dashboard, authz.View, h.changePassword)
	h.route(mux, "POST /profile/tokens", authz.Dashboard, authz.View, h.createToken)
	h.route(mux, "POST /profile/tokens/{id}/delete", authz.Dashboard, authz.View, h.deleteToken)
	h.registerClients(mux)
	h.registerClientGroups(mux)
	h.registerContacts(mux)
	h.registerTasks(mux)
	h.registerCalendar(mux)
	h.registerExport(mux)
	h.registerImports(mux)
	h.registerEmployees(mux)
	h.registerFiles(mux)
	h.registerDocuments(mux)
	h.registerBusinesses(mux)
	h.registerUsers(mux)
	h.registerAudit(mux)
	h.registerSearch(mux)
	h.registerNotifications(mux)
	h.route(mux, "GET /settings", authz.Settings, authz.View, h.settings)
	h.route(mux, "POST /settings/account", authz.Settings, authz.Edit, h.saveAccount)

	// Everything else is a friendly 404 page.
	mux.HandleFunc("/", h.public(func(w http.ResponseWriter, r *http.Request, v *View) {
		h.notFound(w, r, v)
	}))
}
