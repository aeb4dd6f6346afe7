package store

import (
	"context"
	"time"
)

// CountClientsSince counts the clients (not in the trash) created at or
// after since; with own, only those of ownEmployee.
func (t *Tenant) CountClientsSince(ctx context.Context, since time.Time, own bool, ownEmployee int64) (int, error) {
	q := `SELECT COUNT(*) FROM clients c WHERE c.account_id = ? AND c.deleted_at IS NULL AND c.created_at >= ?`
	args := []any{t.account, since}
	if own {
		q += ` AND c.employee_id = ?`
		args = append(args, ownEmployee)
	}
	var n int
	err := t.queryRow(ctx, q, args...).Scan(&n)
	return n, mapError(err)
}
