package web

import (
	"net/http"

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

func (h *Web) profile(w http.ResponseWriter, r *http.Request, v *View) {
	v.Title, v.Section = v.T("profile.title"), "profile"
	h.render(w, r, http.StatusOK, "profile", v)
}

func (h *Web) changePassword(w http.ResponseWriter, r *http.Request, v *View) {
	if !h.parseForm(w, r, v) {
		return
	}
	v.Title, v.Section = v.T("profile.title"), "profile"
	err := h.svc.ChangePassword(r.Context(), service.ChangePasswordInput{
		Current: r.PostForm.Get("current_password"), New: r.PostForm.Get("new_password"),
		Confirm: r.PostForm.Get("new_password_confirm")})
	if err != nil {
		h.fail(w, r, v, err, "profile")
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
	if !v.Can("settings", "view") {
		h.errorPage(w, r, v, http.StatusForbidden, "errors.forbidden")
		return
	}
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
