package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"klientela/internal/crm"
	"klientela/internal/httpx"
	"klientela/internal/i18n"
)

// handlerFunc is a page handler with its view already prepared.
type handlerFunc func(w http.ResponseWriter, r *http.Request, v *View)

const (
	langCookie  = "klientela_lang"
	flashCookie = "klientela_flash"
)

func (h *Web) sessionCookieName() string {
	if h.secure {
		return "__Host-klientela_session" // bound to this host, https only
	}
	return "klientela_session"
}

// principal resolves the session cookie, if any, into who is logged in.
func (h *Web) principal(r *http.Request) (*crm.Principal, error) {
	c, err := r.Cookie(h.sessionCookieName())
	if err != nil || c.Value == "" {
		return nil, nil
	}
	p, err := h.svc.SessionPrincipal(r.Context(), c.Value)
	if crm.ErrorCode(err) == crm.CodeUnauthorized {
		return nil, nil
	}
	return p, err
}

// view prepares the frame of a page for the request: language, zone, flash.
func (h *Web) view(w http.ResponseWriter, r *http.Request, p *crm.Principal) *View {
	// A logged-in user's saved choice wins; then the language cookie; then
	// what the browser asks for.
	lang := i18n.Negotiate(r.Header.Get("Accept-Language"))
	if c, err := r.Cookie(langCookie); err == nil {
		if l, ok := i18n.ParseLang(c.Value); ok {
			lang = l
		}
	}
	if p != nil {
		if l, ok := i18n.ParseLang(p.User.Locale); ok {
			lang = l
		}
	}
	v := &View{L: h.cat.For(lang), Lang: lang, Langs: i18n.Supported, P: p, Here: here(r)}
	if p != nil {
		v.Zone, _ = i18n.LoadZone(p.Account.TimeZone)
	}
	if c, err := r.Cookie(flashCookie); err == nil && c.Value != "" {
		if key, err := url.QueryUnescape(c.Value); err == nil {
			if k, isErr := strings.CutPrefix(key, "!"); isErr {
				key, v.FlashError = k, true
			}
			v.Flash = v.T(key) // html/template escapes whatever a forged cookie holds
			if k, num, ok := strings.Cut(key, "#"); ok {
				if n, err := strconv.ParseInt(num, 10, 64); err == nil {
					v.Flash = v.N(k, n) // a plural message with its count
				}
			}
		}
		http.SetCookie(w, &http.Cookie{Name: flashCookie, Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: h.secure})
	}
	return v
}

// here is the page a menu action on this response should come back to: the
// URL itself for a page, or the page the form was posted from (a re-shown
// form's POST URL is no page to return to).
func here(r *http.Request) string {
	if r.Method == http.MethodGet {
		return r.URL.RequestURI()
	}
	if ref, err := url.Parse(r.Referer()); err == nil && ref.Host == r.Host && ref.Path != "" {
		return safeNext(ref.RequestURI())
	}
	return "/"
}

// public wraps a handler that anyone may reach; the view knows the user if
// there is one.
func (h *Web) public(fn handlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p, err := h.principal(r)
		if err != nil {
			h.internalError(w, r, h.view(w, r, nil), err)
			return
		}
		if p != nil {
			httpx.SetActor(r.Context(), p)
			r = r.WithContext(crm.WithPrincipal(r.Context(), p))
		}
		fn(w, r, h.view(w, r, p))
	}
}

// page wraps a handler that needs a logged-in user; others go to the login
// page and come back afterwards. A user who must change their password is
// sent to the profile page first.
func (h *Web) page(fn handlerFunc) http.HandlerFunc {
	return h.public(func(w http.ResponseWriter, r *http.Request, v *View) {
		if v.P == nil {
			next := r.URL.RequestURI()
			target := "/login"
			if r.Method == http.MethodGet && next != "/" {
				target += "?next=" + url.QueryEscape(next)
			}
			http.Redirect(w, r, target, http.StatusSeeOther)
			return
		}
		if v.P.User.MustChangePassword && r.URL.Path != "/profile" && r.URL.Path != "/profile/password" {
			http.Redirect(w, r, "/profile", http.StatusSeeOther)
			return
		}
		fn(w, r, v)
	})
}

// render shows a page; a failure to render is logged and becomes the
// error page.
func (h *Web) render(w http.ResponseWriter, r *http.Request, status int, page string, v *View) {
	if v.P != nil && v.Nav == nil {
		v.Nav = h.navFor(v.P, v.Section, v.L)
	}
	h.businessSwitch(r, v)
	h.bell(r, v)
	if err := h.pages.render(w, status, page, v); err != nil {
		h.internalError(w, r, v, err)
	}
}

// renderFragment shows one template of a page without the layout: the
// part an htmx request swaps in.
func (h *Web) renderFragment(w http.ResponseWriter, r *http.Request, page, name string, v *View) {
	if err := h.pages.fragment(w, page, name, v); err != nil {
		h.internalError(w, r, v, err)
	}
}

// fail answers a failed use case: invalid input goes back to the form
// (formPage), the other codes to their error pages.
func (h *Web) fail(w http.ResponseWriter, r *http.Request, v *View, err error, formPage string) {
	e, _ := crm.AsError(err)
	switch crm.ErrorCode(err) {
	case crm.CodeInvalid, crm.CodeConflict, crm.CodeRateLimited, crm.CodeUnauthorized:
		if formPage != "" && e != nil {
			v.Form = formFrom(r, v, e)
			h.render(w, r, httpx.Status(e.Code), formPage, v)
			return
		}
		if crm.ErrorCode(err) == crm.CodeUnauthorized {
			http.Redirect(w, r, "/login", http.StatusSeeOther)
			return
		}
		if e != nil && r.Method == http.MethodPost {
			// A refused action without a form of its own (a delete button):
			// back to the page it was on, with the reason.
			key := e.Key
			for _, m := range e.Fields { // a field's message says more than "correct the fields"
				if key == "err.form" {
					key = m.Key
				}
			}
			h.flashError(w, key)
			http.Redirect(w, r, here(r), http.StatusSeeOther)
			return
		}
	case crm.CodeForbidden:
		h.errorPage(w, r, v, http.StatusForbidden, "errors.forbidden")
		return
	case crm.CodeNotFound:
		h.notFound(w, r, v)
		return
	}
	h.internalError(w, r, v, err)
}

// secretFields are never sent back to the browser when a form is shown
// again.
var secretFields = map[string]bool{"password": true, "current_password": true, "new_password": true, "new_password_confirm": true}

// formFrom keeps what was typed (never passwords) and translates the
// error's messages.
func formFrom(r *http.Request, v *View, e *crm.Error) *Form {
	f := &Form{Values: map[string]string{}, Errors: map[string]string{}}
	for k, vals := range r.PostForm {
		if len(vals) > 0 && !secretFields[k] {
			f.Values[k] = vals[0]
		}
	}
	for field, m := range e.Fields {
		f.Errors[field] = v.T(m.Key, m.Args...)
	}
	f.Error = v.T(e.Key, e.Args...)
	return f
}

// parseForm reads a posted form; a body over the limit gets its own page.
func (h *Web) parseForm(w http.ResponseWriter, r *http.Request, v *View) bool {
	if err := r.ParseForm(); err != nil {
		if httpx.IsTooLarge(err) {
			h.errorPage(w, r, v, http.StatusRequestEntityTooLarge, "errors.too_large")
			return false
		}
		h.errorPage(w, r, v, http.StatusBadRequest, "errors.bad_request")
		return false
	}
	return true
}

// flashError sets a one-time error message (an i18n key) for the next page.
func (h *Web) flashError(w http.ResponseWriter, key string) { h.flash(w, "!"+key) }

// flash sets a one-time message (an i18n key) for the next page.
func (h *Web) flash(w http.ResponseWriter, key string) {
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: url.QueryEscape(key), Path: "/", MaxAge: 60,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: h.secure})
}

func (h *Web) notFound(w http.ResponseWriter, r *http.Request, v *View) {
	h.errorPage(w, r, v, http.StatusNotFound, "errors.not_found")
}

// internalError logs err with the request id and shows a page that names
// the id, never the error itself.
func (h *Web) internalError(w http.ResponseWriter, r *http.Request, v *View, err error) {
	if !errors.Is(err, http.ErrAbortHandler) {
		h.log.Error("request failed", "id", httpx.RequestID(r.Context()), "path", r.URL.Path, "err", err)
	}
	h.errorPage(w, r, v, http.StatusInternalServerError, "errors.internal")
}

// ErrorData is the model of the error page.
type ErrorData struct {
	Status    int
	Key       string // i18n prefix: <key>.title, <key>.text
	RequestID string
}

func (h *Web) errorPage(w http.ResponseWriter, r *http.Request, v *View, status int, key string) {
	v.Title = v.T(key + ".title")
	v.Data = ErrorData{Status: status, Key: key, RequestID: httpx.RequestID(r.Context())}
	v.Form = nil
	if v.P != nil && v.Nav == nil {
		v.Nav = h.navFor(v.P, "", v.L)
	}
	if err := h.pages.render(w, status, "error", v); err != nil {
		h.log.Error("render error page", "err", err)
		http.Error(w, http.StatusText(status), status)
	}
}

// Panic is the page shown when a handler panics (see httpx.Recover).
func (h *Web) Panic(w http.ResponseWriter, r *http.Request) {
	h.errorPage(w, r, h.view(w, r, nil), http.StatusInternalServerError, "errors.internal")
}

// TooLarge is the page for a request body over the limit.
func (h *Web) TooLarge(w http.ResponseWriter, r *http.Request) {
	h.errorPage(w, r, h.view(w, r, nil), http.StatusRequestEntityTooLarge, "errors.too_large")
}

// CrossOriginDenied is the page for a refused cross-site form post.
func (h *Web) CrossOriginDenied(w http.ResponseWriter, r *http.Request) {
	h.errorPage(w, r, h.view(w, r, nil), http.StatusForbidden, "errors.cross_origin")
}

func (h *Web) setCookie(w http.ResponseWriter, name, value string, maxAge time.Duration) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: int(maxAge.Seconds()),
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: h.secure})
}

func (h *Web) clientIP(r *http.Request) string { return httpx.ClientIP(r, h.trustProxy) }

// safeNext returns next when it is a path on this site, "/" otherwise (no
// open redirects).
func safeNext(next string) string {
	if next == "" || next[0] != '/' || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	u, err := url.Parse(next)
	if err != nil || u.Host != "" || u.Scheme != "" {
		return "/"
	}
	return next
}
