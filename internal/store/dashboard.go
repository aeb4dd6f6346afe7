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
	if most > 0 {
		q += ` LIMIT ?`
		args = append(args, most+1)
	}
	var n int
	err := t.queryRow(ctx, `SELECT COUNT(*) FROM (`+q+`) n`, args...).Scan(&n)
	return n, mapError(err)
}
