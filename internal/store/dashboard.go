package store

import (
	"context"
	"strings"
	"time"
)

// Birthday is a client's or a contact person's birthday coming up.
type Birthday struct {
	ClientID   int64
	ClientName string
	PersonName string // "" for the client's own birthday
	Date       string // "YYYY-MM-DD" as entered
}

// UpcomingBirthdays lists the birthdays of clients (not in the trash) and
// of their contact persons whose month and day ("MM-DD") is one of days.
// With own, only the clients of ownEmployee count.
func (t *Tenant) UpcomingBirthdays(ctx context.Context, days []string, own bool, ownEmployee int64) ([]Birthday, error) {
	if len(days) == 0 {
		return nil, nil
	}
	in := strings.TrimSuffix(strings.Repeat("?,", len(days)), ",")
	scope := ``
	var scopeArgs []any
	if own {
		scope = ` AND c.employee_id = ?`
		scopeArgs = []any{ownEmployee}
	}
	var args []any
	args = append(args, t.account)
	for _, d := range days {
		args = append(args, d)
	}
	args = append(args, scopeArgs...)
	args = append(args, t.account)
	for _, d := range days {
		args = append(args, d)
	}
	args = append(args, scopeArgs...)
	rows, err := t.query(ctx, `SELECT c.id, c.name, '', c.birthday FROM clients c
		WHERE c.account_id = ? AND c.deleted_at IS NULL AND substr(c.birthday, 6, 5) IN (`+in+`)`+scope+`
		UNION ALL
		SELECT c.id, c.name, p.first_name || ' ' || p.last_name, p.birthday FROM client_persons p
		JOIN clients c ON c.account_id = p.account_id AND c.id = p.client_id
		WHERE p.account_id = ? AND c.deleted_at IS NULL AND substr(p.birthday, 6, 5) IN (`+in+`)`+scope, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Birthday
	for rows.Next() {
		var b Birthday
		if err := rows.Scan(&b.ClientID, &b.ClientName, &b.PersonName, &b.Date); err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

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
