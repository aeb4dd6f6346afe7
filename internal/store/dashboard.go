package store

import (
	"context"
	"time"
)

// CountClientsSince counts the clients (not in the trash) created at or
// after since, at most most+1 of them (0: all); with own, only those of
// ownEmployee. The index clients_by_created (migration 00020) leads to
// them: the count reads the matches, not every client of the account.
func (t *Tenant) CountClientsSince(ctx context.Context, since time.Time, own bool, ownEmployee int64, most int) (int, error) {
	q := `SELECT 1 FROM clients c WHERE c.account_id = ? AND c.deleted_at IS NULL AND c.created_at >= ?`
	args := []any{t.account, since}
	if own {
		q += ` AND c.employee_id = ?`
		args = append(args, ownEmployee)
	}
	return t.countRows(ctx, q, args, most)
}

// CountOverdueContacts counts the planned contacts whose time passed at
// now, of clients not in the trash, at most most+1 of them (0: all); with
// own, only those of ownEmployee. The contacts come from the index by
// status and time (planned_contacts_by_status_client, migration 00024, which
// also holds the client) and each one's client is looked up by its key: as
// a join, PostgreSQL took the overdue contacts for a fifth of all planned
// ones (it cannot know that the planned are mostly in the future) and
// hashed every client of the account for them (100 ms at 100 000 clients).
func (t *Tenant) CountOverdueContacts(ctx context.Context, now time.Time, own bool, ownEmployee int64, most int) (int, error) {
	q := `SELECT 1 FROM planned_contacts pc WHERE pc.account_id = ? AND pc.status = 'planned' AND pc.at < ?`
	args := []any{t.account, now.UTC()}
	if own {
		q += ` AND pc.employee_id = ?`
		args = append(args, ownEmployee)
	}
	q += ` AND (SELECT c.deleted_at IS NULL FROM clients c WHERE c.account_id = pc.account_id AND c.id = pc.client_id)`
	return t.countRows(ctx, q, args, most)
}

// countRows counts the rows q gives, at most most+1 of them (0: all).
func (t *Tenant) countRows(ctx context.Context, q string, args []any, most int) (int, error) {
	if most > 0 {
		q += ` LIMIT ?`
		args = append(args, most+1)
	}
	var n int
	err := t.queryRow(ctx, `SELECT COUNT(*) FROM (`+q+`) n`, args...).Scan(&n)
	return n, mapError(err)
}
