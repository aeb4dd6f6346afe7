package service

import (
	"context"
	"slices"
	"time"

	"klientela/internal/authz"
	"klientela/internal/crm"
	"klientela/internal/store"
)

// field is one named value of a record as the history shows it.
type field struct{ name, value string }

// diff lists the fields whose values differ between two snapshots of the
// same record (same fields, same order).
func diff(old, cur []field) []crm.Change {
	var out []crm.Change
	for i := range cur {
		if i < len(old) && old[i].value != cur[i].value {
			out = append(out, crm.Change{Field: cur[i].name, Old: old[i].value, New: cur[i].value})
		}
	}
	return out
}

// created lists a new record's non-empty fields as changes from nothing.
func created(cur []field) []crm.Change {
	var out []crm.Change
	for _, f := range cur {
		if f.value != "" {
			out = append(out, crm.Change{Field: f.name, New: f.value})
		}
	}
	return out
}

// deleted lists a removed record's non-empty fields as changes to nothing.
func deleted(old []field) []crm.Change {
	var out []crm.Change
	for _, f := range old {
		if f.value != "" {
			out = append(out, crm.Change{Field: f.name, Old: f.value})
		}
	}
	return out
}

// record writes a history entry inside the transaction t of the change.
// An update that changed nothing is not recorded.
func record(ctx context.Context, t *store.Tenant, p *crm.Principal, now time.Time, entity string, id int64,
	action crm.Action, label string, changes []crm.Change) error {
	if action == crm.ActionUpdate && len(changes) == 0 {
		return nil
	}
	return t.Audit(ctx, auditEntry(p, now, entity, id, action, label, changes))
}

// auditEntry is a history entry by p (nil for the system).
func auditEntry(p *crm.Principal, now time.Time, entity string, id int64, action crm.Action, label string, changes []crm.Change) crm.AuditEntry {
	e := crm.AuditEntry{At: now, Entity: entity, EntityID: id, Action: action, Label: label, Changes: changes}
	if p != nil {
		uid := p.User.ID
		e.UserID, e.Actor = &uid, p.User.Name
	}
	return e
}

// AuditQuery narrows the history.
type AuditQuery struct {
	Entity   string
	EntityID int64
	UserID   int64
	From, To time.Time
	Page     Page
}

// history returns the history of one record when the acting user may view
// section.
func (s *Service) history(ctx context.Context, section authz.Section, entity string, id int64, page Page) ([]crm.AuditEntry, int64, error) {
	_, t, err := s.actor(ctx, section, authz.View)
	if err != nil {
		return nil, 0, err
	}
	es, next, err := auditPage(ctx, t, store.AuditFilter{Entity: entity, EntityID: id, Before: page.Cursor}, page.limit())
	if err == nil && len(es) == 0 && page.Cursor == 0 {
		// No history here: a record of another account, or none at all. A
		// deleted record of this account still has its entries.
		if ok, err := t.RecordExists(ctx, entity, id); err != nil {
			return nil, 0, err
		} else if !ok {
			return nil, 0, crm.NotFound()
		}
	}
	return es, next, err
}

// AuditLog returns the account-wide history, newest first (owner only).
func (s *Service) AuditLog(ctx context.Context, q AuditQuery) ([]crm.AuditEntry, int64, error) {
	_, t, err := s.actor(ctx, authz.Audit, authz.View)
	if err != nil {
		return nil, 0, err
	}
	if _, ok := entitySections[q.Entity]; q.Entity != "" && !ok {
		var v crm.Validation
		v.Add("entity", "err.entity_unknown")
		return nil, 0, v.Err()
	}
	return auditPage(ctx, t, store.AuditFilter{Entity: q.Entity, EntityID: q.EntityID, UserID: q.UserID,
		From: q.From, To: q.To, Before: q.Page.Cursor}, q.Page.limit())
}

func auditPage(ctx context.Context, t *store.Tenant, f store.AuditFilter, n int) ([]crm.AuditEntry, int64, error) {
	f.Limit = n + 1
	es, err := t.AuditLog(ctx, f)
	if err != nil || len(es) <= n {
		return es, 0, err
	}
	return es[:n], es[n-1].ID, nil
}

// entitySections maps a history entity to the section whose view right
// shows its history.
var entitySections = map[string]authz.Section{
	"employee":     authz.Employees,
	"user":         authz.Users,
	"business":     authz.Settings,
	"client":       authz.Clients,
	"client_group": authz.Clients,
	"contact":      authz.Contacts,
	"file":         authz.Files,
	"file_folder":  authz.Files,
	"task":         authz.Tasks,
	"task_group":   authz.Tasks,
	"document":     authz.Documents,
}

// AuditEntities lists the entities that have a history, for filters.
func AuditEntities() []string {
	out := make([]string, 0, len(entitySections))
	for e := range entitySections {
		out = append(out, e)
	}
	slices.Sort(out)
	return out
}

// RecordHistory returns the history of one record when the acting user may
// view the record's section.
func (s *Service) RecordHistory(ctx context.Context, entity string, id int64, page Page) ([]crm.AuditEntry, int64, error) {
	sec, ok := entitySections[entity]
	if !ok {
		var v crm.Validation
		v.Add("entity", "err.entity_unknown")
		return nil, 0, v.Err()
	}
	if entity == "client" {
		if err := s.clientHistoryVisible(ctx, id); err != nil {
			return nil, 0, err
		}
	}
	if entity == "contact" {
		if err := s.contactHistoryVisible(ctx, id); err != nil {
			return nil, 0, err
		}
	}
	if entity == "task" {
		if err := s.taskHistoryVisible(ctx, id); err != nil {
			return nil, 0, err
		}
	}
	return s.history(ctx, sec, entity, id, page)
}

// historyVisible decides whether the history of a record loaded as (rec,
// err) may be shown: a record the user's scope hides is not found; a record
// that is gone keeps its history for users who see every record (own is
// false), and is not found for the others.
func historyVisible[T any](rec T, err error, own bool, sees func(T) bool) error {
	switch {
	case crm.ErrorCode(err) == crm.CodeNotFound:
		if own {
			return err
		}
		return nil
	case err != nil:
		return err
	case !sees(rec):
		return crm.NotFound()
	}
	return nil
}
