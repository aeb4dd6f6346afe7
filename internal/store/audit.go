package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"klientela/internal/crm"
)

// Audit appends an entry to the account's history. Call it inside the
// transaction that makes the change, so the two land together or not at all.
func (t *Tenant) Audit(ctx context.Context, e crm.AuditEntry) error {
	if e.Changes == nil {
		e.Changes = []crm.Change{}
	}
	changes, err := json.Marshal(e.Changes)
	if err != nil {
		return err
	}
	_, err = t.exec(ctx, `INSERT INTO audit_log (account_id, at, user_id, actor, entity, entity_id, action, label, changes)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		t.account, e.At, e.UserID, e.Actor, e.Entity, e.EntityID, e.Action, e.Label, string(changes))
	return err
}

// AuditMany appends many entries with a few multi-row statements (an
// import's batch); like Audit, inside the transaction of the changes.
func (t *Tenant) AuditMany(ctx context.Context, es []crm.AuditEntry) error {
	const per = 500 // 9 parameters an entry
	for len(es) > 0 {
		n := min(per, len(es))
		args := make([]any, 0, n*9)
		for _, e := range es[:n] {
			if e.Changes == nil {
				e.Changes = []crm.Change{}
			}
			changes, err := json.Marshal(e.Changes)
			if err != nil {
				return err
			}
			args = append(args, t.account, e.At, e.UserID, e.Actor, e.Entity, e.EntityID, e.Action, e.Label, string(changes))
		}
		_, err := t.exec(ctx, `INSERT INTO audit_log (account_id, at, user_id, actor, entity, entity_id, action, label, changes)
		VALUES `+strings.TrimSuffix(strings.Repeat(`(?, ?, ?, ?, ?, ?, ?, ?, ?), `, n), ", "), args...)
		if err != nil {
			return err
		}
		es = es[n:]
	}
	return nil
}

// AuditFilter narrows the history. Zero fields do not filter.
type AuditFilter struct {
	Entity   string
	EntityID int64
	UserID   int64
	From, To time.Time // [From, To)
	Before   int64     // entries with a smaller id (the cursor)
	Limit    int
}

// AuditLog lists history entries, newest first.
func (t *Tenant) AuditLog(ctx context.Context, f AuditFilter) ([]crm.AuditEntry, error) {
	q := `SELECT id, at, user_id, actor, entity, entity_id, action, label, changes FROM audit_log WHERE account_id = ?`
	args := []any{t.account}
	if f.Entity != "" {
		q += ` AND entity = ?`
		args = append(args, f.Entity)
	}
	if f.EntityID > 0 {
		q += ` AND entity_id = ?`
		args = append(args, f.EntityID)
	}
	if f.UserID > 0 {
		q += ` AND user_id = ?`
		args = append(args, f.UserID)
	}
	if !f.From.IsZero() {
		q += ` AND at >= ?`
		args = append(args, f.From)
	}
	if !f.To.IsZero() {
		q += ` AND at < ?`
		args = append(args, f.To)
	}
	if f.Before > 0 {
		q += ` AND id < ?`
		args = append(args, f.Before)
	}
	q += ` ORDER BY id DESC LIMIT ?`
	args = append(args, f.Limit)
	rows, err := t.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []crm.AuditEntry
	for rows.Next() {
		var (
			e       crm.AuditEntry
			changes string
		)
		if err := rows.Scan(&e.ID, &e.At, &e.UserID, &e.Actor, &e.Entity, &e.EntityID, &e.Action, &e.Label, &changes); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(changes), &e.Changes); err != nil {
			return nil, fmt.Errorf("store: audit entry %d: %w", e.ID, err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
