package web

import (
	"net/http"
	"strconv"

	"klientela/internal/crm"
	"klientela/internal/service"
)

func (h *Web) favicon(w http.ResponseWriter, r *http.Request) {
	u, err := h.assets.URL("img/favicon.svg")
	if err != nil {
		http.NotFound(w, r)
		return
	}
	http.Redirect(w, r, u, http.StatusMovedPermanently)
}

func (h *Web) dashboard(w http.ResponseWriter, r *http.Request, v *View) {
	d, err := h.svc.Dashboard(r.Context())
	if err != nil {
		h.fail(w, r, v, err, "")
		return
	}
	v.Title, v.Section, v.Data = v.T("dashboard.title"), "dashboard", d
	h.render(w, r, http.StatusOK, "dashboard", v)
}

// ProfileData is the model of the profile page.
type ProfileData struct {
	Tokens       []crm.APIToken
	NewToken     string // shown once, right after it is created
	NewTokenName string
	FormName     string // which form the errors belong to
	Scope        []ScopeRow
	Feed         *crm.CalendarFeed // the user's calendar feed, nil for none
	NewFeedURL   string            // shown once, right after it is created
	CanFeed      bool              // the user may view the calendar (and so have a feed)
}

// showProfile renders the profile page, with the user's API tokens.
func (h *Web) showProfile(w http.ResponseWriter, r *http.Request, v *View, status int, d ProfileData) {
	toks, _, err := h.svc.APITokens(r.Context(), service.Page{Limit: service.MaxPageSize})
	if err != nil {
		h.fail(w, r, v, err, "")
		return
	}
	d.Tokens = toks
	if d.CanFeed = v.Can("calendar", "view"); d.CanFeed {
		if d.Feed, err = h.svc.CalendarFeedInfo(r.Context()); err != nil {
			h.fail(w, r, v, err, "")
			return
		}
	}
	d.Scope = scopeRows(v.P.User.Scope, true)
	v.Title, v.Section, v.Data = v.T("profile.title"), "profile", d
	h.render(w, r, status, "profile", v)
}

func (h *Web) profile(w http.ResponseWriter, r *http.Request, v *View) {
	h.showProfile(w, r, v, http.StatusOK, ProfileData{})
}

// failProfile shows the profile page again with a form's errors.
func (h *Web) failProfile(w http.ResponseWriter, r *http.Request, v *View, err error, form string) {
	h.failForm(w, r, v, err, func(status int) { h.showProfile(w, r, v, status, ProfileData{FormName: form}) })
}

func (h *Web) createToken(w http.ResponseWriter, r *http.Request, v *View) {
	if !h.parseForm(w, r, v) {
		return
	}
	tok, t, err := h.svc.NewAPIToken(r.Context(), r.PostForm.Get("name"))
	if err != nil {
		h.failProfile(w, r, v, err, "token")
		return
	}
	h.showProfile(w, r, v, http.StatusCreated, ProfileData{NewToken: tok, NewTokenName: t.Name})
}

func (h *Web) deleteToken(w http.ResponseWriter, r *http.Request, v *View) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		h.notFound(w, r, v)
		return
	}
	if err := h.svc.RevokeAPIToken(r.Context(), id); err != nil {
		h.fail(w, r, v, err, "")
		return
	}
	h.flash(w, "profile.tokens.revoked")
	http.Redirect(w, r, "/profile", http.StatusSeeOther)
}

func (h *Web) changePassword(w http.ResponseWriter, r *http.Request, v *View) {
	if !h.parseForm(w, r, v) {
		return
	}
	err := h.svc.ChangePassword(r.Context(), service.ChangePasswordInput{
		Current: r.PostForm.Get("current_password"), New: r.PostForm.Get("new_password"),
		Confirm: r.PostForm.Get("new_password_confirm")})
	if err != nil {
		h.failProfile(w, r, v, err, "password")
		return
	}
	h.flash(w, "profile.password.changed")
	http.Redirect(w, r, "/profile", http.StatusSeeOther)
}

// SettingsData is the model of the settings page.
type SettingsData struct {
	Zones []string
}

// commonZones are offered in the time zone list; any IANA zone is accepted.
var commonZones = []string{"Europe/Warsaw", "Europe/London", "Europe/Berlin", "Europe/Prague", "Europe/Vilnius",
	"Europe/Kyiv", "Europe/Dublin", "America/New_York", "UTC"}

func (h *Web) settings(w http.ResponseWriter, r *http.Request, v *View) {
	v.Title, v.Section = v.T("settings.title"), "settings"
	v.Data = SettingsData{Zones: commonZones}
	v.Form = &Form{Values: map[string]string{"name": v.P.Account.Name, "time_zone": v.P.Account.TimeZone}}
	h.render(w, r, http.StatusOK, "settings", v)
}

func (h *Web) saveAccount(w http.ResponseWriter, r *http.Request, v *View) {
	if !h.parseForm(w, r, v) {
		return
	}
	v.Title, v.Section = v.T("settings.title"), "settings"
	v.Data = SettingsData{Zones: commonZones}
	_, err := h.svc.UpdateAccount(r.Context(), service.AccountSettings{
		Name: r.PostForm.Get("name"), TimeZone: r.PostForm.Get("time_zone")})
	if err != nil {
		h.fail(w, r, v, err, "settings")
		return
	}
	h.flash(w, "settings.account.saved")
	http.Redirect(w, r, "/settings", http.StatusSeeOther)
}
