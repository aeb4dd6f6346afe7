package store

import (
	"context"
	"time"

	"klientela/internal/crm"
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
// own, only those of ownEmployee. It is the count of the contact list
// filtered so (countContacts): the contacts come from the index by status
// and time alone (planned_contacts_by_status_client, migration 00024), and
// those of trashed clients are subtracted. As a join, PostgreSQL took the
// overdue contacts for a fifth of all planned ones (it cannot know that the
// planned are mostly in the future) and hashed every client of the account
// for them (100 ms at 100 000 clients).
func (t *Tenant) CountOverdueContacts(ctx context.Context, now time.Time, own bool, ownEmployee int64, most int) (int, error) {
	where, args := ContactFilter{Status: string(crm.ContactPlanned), To: &now, OwnOnly: own, OwnEmployee: ownEmployee}.where(t.account)
	return t.countContacts(ctx, where, args, most)
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
