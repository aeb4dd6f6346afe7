package web

import (
	"net/http"
	"time"

	"klientela/internal/crm"
	"klientela/internal/i18n"
	"klientela/internal/service"
)

// AuthData is the model of the login and sign-up pages.
type AuthData struct {
	Next          string
	SignupEnabled bool
}

func (h *Web) signupForm(w http.ResponseWriter, r *http.Request, v *View) {
	if v.P != nil {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	if !h.svc.SignupEnabled() {
		h.notFound(w, r, v)
		return
	}
	v.Title = v.T("auth.signup.title")
	v.Data = AuthData{SignupEnabled: true}
	h.render(w, r, http.StatusOK, "signup", v)
}

func (h *Web) signup(w http.ResponseWriter, r *http.Request, v *View) {
	if !h.parseForm(w, r, v) {
		return
	}
	v.Title = v.T("auth.signup.title")
	v.Data = AuthData{SignupEnabled: h.svc.SignupEnabled()}
	_, u, err := h.svc.SignUp(r.Context(), service.SignUpInput{
		CompanyName: r.PostForm.Get("company_name"), Name: r.PostForm.Get("name"),
		Email: r.PostForm.Get("email"), Password: r.PostForm.Get("password"),
		Locale: string(v.Lang), IP: h.clientIP(r),
	})
	if err != nil {
		h.fail(w, r, v, err, "signup")
		return
	}
	h.startSession(w, r, v, u, "/")
}

func (h *Web) loginForm(w http.ResponseWriter, r *http.Request, v *View) {
	next := safeNext(r.URL.Query().Get("next"))
	if v.P != nil {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return
	}
	v.Title = v.T("auth.login.title")
	v.Data = AuthData{Next: next, SignupEnabled: h.svc.SignupEnabled()}
	h.render(w, r, http.StatusOK, "login", v)
}

func (h *Web) login(w http.ResponseWriter, r *http.Request, v *View) {
	if !h.parseForm(w, r, v) {
		return
	}
	next := safeNext(r.PostForm.Get("next"))
	v.Title = v.T("auth.login.title")
	v.Data = AuthData{Next: next, SignupEnabled: h.svc.SignupEnabled()}
	u, err := h.svc.Login(r.Context(), service.LoginInput{
		Email: r.PostForm.Get("email"), Password: r.PostForm.Get("password"), IP: h.clientIP(r)})
	if err != nil {
		h.fail(w, r, v, err, "login")
		return
	}
	h.startSession(w, r, v, u, next)
}

// startSession ends the browser's old session, if any, and opens a fresh
// one with a new token (so a planted session id is worth nothing).
func (h *Web) startSession(w http.ResponseWriter, r *http.Request, v *View, u crm.User, next string) {
	if c, err := r.Cookie(h.sessionCookieName()); err == nil {
		_ = h.svc.Logout(r.Context(), c.Value)
	}
	tok, err := h.svc.StartSession(r.Context(), u, service.SessionInfo{UserAgent: r.UserAgent(), IP: h.clientIP(r)})
	if err != nil {
		h.internalError(w, r, v, err)
		return
	}
	// A session cookie of the browser's session (no Max-Age) would log people
	// out when the browser closes; the server-side expiry governs instead.
	h.setCookie(w, h.sessionCookieName(), tok, 30*24*time.Hour)
	h.setCookie(w, langCookie, u.Locale, 365*24*time.Hour)
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func (h *Web) logout(w http.ResponseWriter, r *http.Request, v *View) {
	if c, err := r.Cookie(h.sessionCookieName()); err == nil {
		if err := h.svc.Logout(r.Context(), c.Value); err != nil {
			h.internalError(w, r, v, err)
			return
		}
	}
	http.SetCookie(w, &http.Cookie{Name: h.sessionCookieName(), Path: "/", MaxAge: -1, HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: h.secure})
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

// setLanguage switches the interface language: saved on the user when
// logged in, and in a cookie for the login page either way.
func (h *Web) setLanguage(w http.ResponseWriter, r *http.Request, v *View) {
	if !h.parseForm(w, r, v) {
		return
	}
	lang, ok := i18n.ParseLang(r.PostForm.Get("lang"))
	if !ok {
		h.errorPage(w, r, v, http.StatusBadRequest, "errors.bad_request")
		return
	}
	if v.P != nil {
		if err := h.svc.SetLanguage(r.Context(), string(lang)); err != nil {
			h.fail(w, r, v, err, "")
			return
		}
	}
	h.setCookie(w, langCookie, string(lang), 365*24*time.Hour)
	http.Redirect(w, r, safeNext(r.PostForm.Get("next")), http.StatusSeeOther)
}
