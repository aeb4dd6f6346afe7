// Package api serves Klientela's JSON API under /api/v1: the same use cases
// as the HTML pages, through the same service layer. Requests authenticate
// with "Authorization: Bearer <token>" (POST /api/v1/tokens issues one).
// Errors are {"error":{"code","message","fields"}} with a 4xx status.
package api

import (
	"encoding/json"
	"errors"
	"io"
	"klientela/internal/authz"
	"log/slog"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"klientela/internal/crm"
	"klientela/internal/httpx"
	"klientela/internal/i18n"
	"klientela/internal/service"
)

// Prefix is where the API lives.
const Prefix = "/api/v1"

// Deps is what the API needs from the application.
type Deps struct {
	Service    *service.Service
	Catalog    *i18n.Catalog
	Logger     *slog.Logger
	TrustProxy bool
	BaseURL    string // the public URL, for links that leave the site (feeds); "" to take it from requests
}

// API is the JSON side of Klientela.
type API struct {
	svc        *service.Service
	cat        *i18n.Catalog
	log        *slog.Logger
	trustProxy bool
	baseURL    string
	routes     []Route
	openAPIDoc []byte
}

// Route is one registered endpoint and the access it needs; the OpenAPI
// and permission matrix tests walk these.
type Route struct {
	Method  string
	Path    string        // with {placeholders}, as in the ServeMux pattern
	Section authz.Section // "" for public endpoints (no token)
	Level   authz.Level
}

// New returns the API.
func New(d Deps) (*API, error) {
	doc, err := openAPIDocument()
	if err != nil {
		return nil, err
	}
	return &API{svc: d.Service, cat: d.Catalog, log: d.Logger, trustProxy: d.TrustProxy, baseURL: d.BaseURL, openAPIDoc: doc}, nil
}

// Routes lists what Register registered.
func (a *API) Routes() []Route { return a.routes }

// handler is an API endpoint: it returns a status and a value to encode,
// or an error that becomes the error document.
type handler func(w http.ResponseWriter, r *http.Request) (int, any, error)

// Register adds the API routes to mux.
func (a *API) Register(mux httpx.Mux) {
	a.public(mux, "POST", "/tokens", a.createToken)
	a.public(mux, "GET", "/openapi.json", a.openAPI)
	a.handle(mux, "GET", "/tokens", authz.Dashboard, authz.View, a.listTokens)
	a.handle(mux, "DELETE", "/tokens/current", authz.Dashboard, authz.View, a.revokeToken)
	a.handle(mux, "DELETE", "/tokens/{id}", authz.Dashboard, authz.View, a.deleteToken)
	a.handle(mux, "GET", "/me", authz.Dashboard, authz.View, a.me)
	a.registerClients(mux)
	a.registerClientGroups(mux)
	a.registerContacts(mux)
	a.registerTasks(mux)
	a.registerCalendar(mux)
	a.registerExport(mux)
	a.registerImports(mux)
	a.registerEmployees(mux)
	a.registerFiles(mux)
	a.registerDocuments(mux)
	a.registerBusinesses(mux)
	a.registerUsers(mux)
	a.registerAudit(mux)
	a.registerSearch(mux)
	a.registerNotifications(mux)
	// Any other /api/ path answers in JSON too: 405 for a known path with
	// another method, 404 otherwise.
	mux.HandleFunc(Prefix+"/", a.fallback)
	mux.HandleFunc("/api/", a.fallback)
}

// public registers an endpoint that needs no token.
func (a *API) public(mux httpx.Mux, method, path string, h handler) {
	a.routes = append(a.routes, Route{Method: method, Path: Prefix + path})
	mux.HandleFunc(method+" "+Prefix+path, a.serve(h))
}

// handle registers an endpoint for token holders who may act at level in
// section; others get 401 or 403. The service checks again.
func (a *API) handle(mux httpx.Mux, method, path string, section authz.Section, level authz.Level, h handler) {
	a.handleRaw(mux, method, path, section, level, a.serve(h))
}

// handleRaw is handle for an endpoint that writes its own response (an
// image, a file).
func (a *API) handleRaw(mux httpx.Mux, method, path string, section authz.Section, level authz.Level, h http.HandlerFunc) {
	a.routes = append(a.routes, Route{Method: method, Path: Prefix + path, Section: section, Level: level})
	mux.HandleFunc(method+" "+Prefix+path, func(w http.ResponseWriter, r *http.Request) {
		p, err := a.authenticate(r)
		if err != nil {
			a.writeError(w, r, err)
			return
		}
		httpx.SetActor(r.Context(), p)
		r = r.WithContext(crm.WithPrincipal(r.Context(), p))
		if err := authz.Require(p, section, level); err != nil {
			a.writeError(w, r, err)
			return
		}
		h(w, r)
	})
}

func (a *API) serve(h handler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		status, v, err := h(w, r)
		if err != nil {
			a.writeError(w, r, err)
			return
		}
		if status == http.StatusNoContent {
			w.WriteHeader(status)
			return
		}
		writeJSON(w, status, v)
	}
}

// authenticate resolves the bearer token into who is calling.
func (a *API) authenticate(r *http.Request) (*crm.Principal, error) {
	h := r.Header.Get("Authorization")
	tok, ok := strings.CutPrefix(h, "Bearer ")
	if !ok || strings.TrimSpace(tok) == "" {
		return nil, crm.Unauthorized()
	}
	return a.svc.TokenPrincipal(r.Context(), strings.TrimSpace(tok))
}

func (a *API) fallback(w http.ResponseWriter, r *http.Request) {
	var allow []string
	for _, rt := range a.routes {
		if rt.Path == r.URL.Path {
			allow = append(allow, rt.Method)
		}
	}
	if len(allow) > 0 {
		w.Header().Set("Allow", strings.Join(allow, ", "))
		a.writeErrorStatus(w, r, http.StatusMethodNotAllowed, "method_not_allowed", "err.method_not_allowed", nil)
		return
	}
	a.writeError(w, r, crm.NotFound())
}

// ErrorBody is the error document of the API.
type ErrorBody struct {
	Error ErrorDetail `json:"error"`
}

// ErrorDetail says what went wrong, in the caller's language.
type ErrorDetail struct {
	Code      string            `json:"code"`
	Message   string            `json:"message"`
	Fields    map[string]string `json:"fields,omitempty"`
	RequestID string            `json:"request_id,omitempty"`
}

// localizer speaks the caller's language: the user's saved choice, else
// Accept-Language.
func (a *API) localizer(r *http.Request) *i18n.Localizer {
	if p := crm.PrincipalFrom(r.Context()); p != nil {
		if l, ok := i18n.ParseLang(p.User.Locale); ok {
			return a.cat.For(l)
		}
	}
	return a.cat.For(i18n.Negotiate(r.Header.Get("Accept-Language")))
}

func (a *API) writeError(w http.ResponseWriter, r *http.Request, err error) {
	var se *statusError
	if errors.As(err, &se) {
		a.writeErrorStatus(w, r, se.status, se.code, se.key, se.detail, se.args...)
		return
	}
	e, ok := crm.AsError(err)
	if !ok || e.Code == crm.CodeInternal {
		a.log.Error("api request failed", "id", httpx.RequestID(r.Context()), "path", r.URL.Path, "err", err)
		a.writeErrorStatus(w, r, http.StatusInternalServerError, string(crm.CodeInternal), "err.internal", nil)
		return
	}
	if e.Code == crm.CodeUnauthorized && len(e.Fields) == 0 {
		w.Header().Set("WWW-Authenticate", `Bearer realm="klientela"`)
	}
	a.writeErrorStatus(w, r, httpx.Status(e.Code), string(e.Code), e.Key, e, e.Args...)
}

func (a *API) writeErrorStatus(w http.ResponseWriter, r *http.Request, status int, code, key string, e *crm.Error, args ...any) {
	l := a.localizer(r)
	body := ErrorBody{Error: ErrorDetail{Code: code, Message: l.T(key, args...), RequestID: httpx.RequestID(r.Context())}}
	if e != nil && len(e.Fields) > 0 {
		body.Error.Fields = map[string]string{}
		for f, m := range e.Fields {
			body.Error.Fields[f] = l.T(m.Key, m.Args...)
		}
	}
	writeJSON(w, status, body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

// statusError is a protocol-level failure (media type, size, syntax) that
// has its own status and code, not a domain one.
type statusError struct {
	status int
	code   string
	key    string
	args   []any
	detail *crm.Error // field messages, if any
}

// badRequest turns invalid query parameters (a domain validation error)
// into a 400 that keeps the field messages.
func badRequest(err error) error {
	e, ok := crm.AsError(err)
	if !ok || e.Code != crm.CodeInvalid {
		return err
	}
	key, args := e.Key, e.Args
	for _, m := range e.Fields { // one field's message says more than "correct the fields"
		key, args = m.Key, m.Args
		break
	}
	return &statusError{status: http.StatusBadRequest, code: "bad_request", key: key, args: args, detail: e}
}

func (e *statusError) Error() string { return e.code }

// decode reads a JSON request body into v. It insists on a JSON content
// type (415), a body within the size limit (413), well-formed JSON with no
// unknown fields (400).
func (a *API) decode(r *http.Request, v any) error {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
		return &statusError{status: http.StatusUnsupportedMediaType, code: "unsupported_media_type", key: "err.unsupported_media"}
	}
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var fe *fieldError
		if errors.As(err, &fe) {
			return invalidField(fe.field, fe.key)
		}
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			return invalidField(te.Field, "err.type_invalid")
		}
		if httpx.IsTooLarge(err) {
			return &statusError{status: http.StatusRequestEntityTooLarge, code: "too_large", key: "err.body_too_large"}
		}
		return &statusError{status: http.StatusBadRequest, code: "bad_request", key: "err.bad_json"}
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return &statusError{status: http.StatusBadRequest, code: "bad_request", key: "err.bad_json"}
	}
	return nil
}

// pathID reads the {id} of a route; anything but a positive integer is a
// record that does not exist.
func pathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		return 0, crm.NotFound()
	}
	return id, nil
}

// fieldError is returned by a JSON value that cannot hold what was sent.
type fieldError struct{ field, key string }

func (e *fieldError) Error() string { return e.field + ": " + e.key }

// invalidField is a 422 about one field.
func invalidField(field, key string) error {
	var v crm.Validation
	v.Add(field, key)
	return v.Err()
}

// TooLarge answers a request whose announced body exceeds the limit.
func (a *API) TooLarge(w http.ResponseWriter, r *http.Request) {
	a.writeErrorStatus(w, r, http.StatusRequestEntityTooLarge, "too_large", "err.body_too_large", nil)
}

// Panic answers a request whose handler panicked.
func (a *API) Panic(w http.ResponseWriter, r *http.Request) {
	a.writeErrorStatus(w, r, http.StatusInternalServerError, string(crm.CodeInternal), "err.internal", nil)
}

// CrossOriginDenied answers a refused cross-site request.
func (a *API) CrossOriginDenied(w http.ResponseWriter, r *http.Request) {
	a.writeErrorStatus(w, r, http.StatusForbidden, string(crm.CodeForbidden), "err.cross_origin", nil)
}

// timestamp formats t as RFC 3339 with the offset of the caller's account
// time zone (UTC for anonymous calls).
func timestamp(r *http.Request, t time.Time) string {
	if p := crm.PrincipalFrom(r.Context()); p != nil {
		if loc, err := i18n.LoadZone(p.Account.TimeZone); err == nil {
			t = t.In(loc)
		}
	}
	return t.Format(time.RFC3339)
}
