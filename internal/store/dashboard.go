package store

import (
	"context"
	"time"
)

// Birthday is a client's or a contact person's birthday.
type Birthday struct {
	ClientID   int64
	PersonID   int64 // 0 for the client's own birthday
	ClientName string
	PersonName string // "" for the client's own birthday
	Date       string // "YYYY-MM-DD" as entered
	EmployeeID int64  // the client's employee; 0 for none
}

// UpcomingBirthdays lists the birthdays of clients (not in the trash) and
// of their contact persons whose month and day ("MM-DD") is one of days.
// With own, only the clients of ownEmployee count.
func (t *Tenant) UpcomingBirthdays(ctx context.Context, days []string, own bool, ownEmployee int64) ([]Birthday, error) {
	if len(days) == 0 {
		return nil, nil
	}
	return t.Birthdays(ctx, BirthdayFilter{Days: days, OwnOnly: own, OwnEmployee: ownEmployee})
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
