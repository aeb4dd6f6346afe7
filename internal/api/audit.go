package api

import (
	"klientela/internal/httpx"
	"net/http"
	"strconv"
	"time"

	"klientela/internal/authz"
	"klientela/internal/crm"
	"klientela/internal/service"
)

func (a *API) registerAudit(mux httpx.Mux) {
	// The account-wide history is the owner's; the history of one record is
	// also at /<records>/{id}/history for whoever may view the record.
	a.handle(mux, "GET", "/audit", authz.Audit, authz.View, a.listAudit)
	a.handle(mux, "GET", "/employees/{id}/history", authz.Employees, authz.View, a.historyOf("employee"))
	a.handle(mux, "GET", "/businesses/{id}/history", authz.Settings, authz.View, a.historyOf("business"))
	a.handle(mux, "GET", "/users/{id}/history", authz.Users, authz.View, a.historyOf("user"))
}

// historyOf serves the history of one record of entity.
func (a *API) historyOf(entity string) handler {
	return func(w http.ResponseWriter, r *http.Request) (int, any, error) {
		id, err := pathID(r)
		if err != nil {
			return 0, nil, err
		}
		pg, err := page(r)
		if err != nil {
			return 0, nil, err
		}
		es, next, err := a.svc.RecordHistory(r.Context(), entity, id, pg)
		if err != nil {
			return 0, nil, err
		}
		return http.StatusOK, newList(auditOut(r, es), next), nil
	}
}

func auditOut(r *http.Request, es []crm.AuditEntry) []AuditEntry {
	out := make([]AuditEntry, len(es))
	for i, e := range es {
		out[i] = AuditEntry{ID: e.ID, At: timestamp(r, e.At), UserID: e.UserID, Actor: e.Actor, Entity: e.Entity,
			EntityID: e.EntityID, Action: e.Action, Label: e.Label, Changes: e.Changes}
		if out[i].Changes == nil {
			out[i].Changes = []crm.Change{}
		}
	}
	return out
}

// AuditEntry is a history entry as the API shows it.
type AuditEntry struct {
	ID       int64        `json:"id"`
	At       string       `json:"at"`
	UserID   *int64       `json:"user_id"`
	Actor    string       `json:"actor"`
	Entity   string       `json:"entity"`
	EntityID int64        `json:"entity_id"`
	Action   crm.Action   `json:"action"`
	Label    string       `json:"label"`
	Changes  []crm.Change `json:"changes"`
}

func (a *API) listAudit(w http.ResponseWriter, r *http.Request) (int, any, error) {
	pg, err := page(r)
	if err != nil {
		return 0, nil, err
	}
	q := r.URL.Query()
	var (
		es   []crm.AuditEntry
		next int64
	)
	if q.Get("id") != "" {
		id, err := strconv.ParseInt(q.Get("id"), 10, 64)
		if err != nil || q.Get("entity") == "" {
			return 0, nil, invalidField("id", "err.entity_unknown")
		}
		es, next, err = a.svc.RecordHistory(r.Context(), q.Get("entity"), id, pg)
		if err != nil {
			return 0, nil, err
		}
	} else {
		query := service.AuditQuery{Entity: q.Get("entity"), Page: pg}
		if s := q.Get("user_id"); s != "" {
			if query.UserID, err = strconv.ParseInt(s, 10, 64); err != nil {
				return 0, nil, invalidField("user_id", "err.invalid")
			}
		}
		for name, dst := range map[string]*time.Time{"from": &query.From, "to": &query.To} {
			if s := q.Get(name); s != "" {
				t, err := time.Parse(time.RFC3339, s)
				if err != nil {
					return 0, nil, invalidField(name, "err.datetime_invalid")
				}
				*dst = t
			}
		}
		if es, next, err = a.svc.AuditLog(r.Context(), query); err != nil {
			return 0, nil, err
		}
	}
	return http.StatusOK, newList(auditOut(r, es), next), nil
}
