package web

import (
	"klientela/internal/httpx"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"klientela/internal/authz"
	"klientela/internal/crm"
	"klientela/internal/service"
)

func (h *Web) registerAudit(mux httpx.Mux) {
	h.route(mux, "GET /audit", authz.Audit, authz.View, h.audit)
}

// AuditData is the model of the account-wide history.
type AuditData struct {
	Entries  []crm.AuditEntry
	Entities []Option
	Users    []Option
	From, To string // yyyy-mm-dd as typed
	More     string
}

// entityLink is where an entry's record lives, if it still exists there.
func (v *View) EntityLink(e crm.AuditEntry) string {
	if e.Action == crm.ActionDelete {
		return ""
	}
	switch e.Entity {
	case "employee":
		return "/employees/" + strconv.FormatInt(e.EntityID, 10)
	case "user":
		return "/users/" + strconv.FormatInt(e.EntityID, 10)
	case "business":
		return "/settings/businesses/" + strconv.FormatInt(e.EntityID, 10)
	case "contact":
		return "/contacts/" + strconv.FormatInt(e.EntityID, 10)
	case "client_group":
		return "/clients?group=" + strconv.FormatInt(e.EntityID, 10)
	}
	return ""
}

func (h *Web) audit(w http.ResponseWriter, r *http.Request, v *View) {
	q := r.URL.Query()
	query := service.AuditQuery{Entity: q.Get("entity")}
	query.UserID, _ = strconv.ParseInt(q.Get("user_id"), 10, 64)
	query.Page.Cursor, _ = strconv.ParseInt(q.Get("before"), 10, 64)
	query.Page.Limit = 100
	// Dates are days in the account's time zone; "to" includes its day.
	if t, err := time.ParseInLocation("2006-01-02", q.Get("from"), v.zone()); err == nil {
		query.From = t
	}
	if t, err := time.ParseInLocation("2006-01-02", q.Get("to"), v.zone()); err == nil {
		query.To = t.AddDate(0, 0, 1)
	}
	es, next, err := h.svc.AuditLog(r.Context(), query)
	if err != nil {
		h.fail(w, r, v, err, "")
		return
	}
	d := AuditData{Entries: es, From: q.Get("from"), To: q.Get("to")}
	d.Entities = append(d.Entities, Option{Value: "", Label: v.T("audit.all_entities")})
	for _, e := range service.AuditEntities() {
		d.Entities = append(d.Entities, Option{Value: e, Label: v.T("audit.entity." + e), Selected: e == query.Entity})
	}
	us, err := h.svc.Users(r.Context(), "")
	if err != nil {
		h.fail(w, r, v, err, "")
		return
	}
	d.Users = append(d.Users, Option{Value: "", Label: v.T("audit.all_users")})
	for _, u := range us {
		d.Users = append(d.Users, Option{Value: strconv.FormatInt(u.ID, 10), Label: u.Name, Selected: u.ID == query.UserID})
	}
	if next > 0 {
		c := url.Values{}
		for k, vals := range q {
			c[k] = vals
		}
		c.Set("before", strconv.FormatInt(next, 10))
		d.More = "/audit?" + c.Encode()
	}
	v.Title, v.Section, v.Data = v.T("audit.title"), "settings", d
	h.render(w, r, http.StatusOK, "audit", v)
}
