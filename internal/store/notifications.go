package store

import (
	"context"
	"time"

	"klientela/internal/crm"
)

// Reminder is the schedule of one task's or planned contact's reminder:
// when it is next due and what was delivered last.
type Reminder struct {
	ID              int64
	AccountID       int64
	TaskID          *int64
	ContactID       *int64
	DueAt           *time.Time // nil: nothing pending
	Occurrence      *time.Time // the occurrence DueAt is for
	FiredDue        *time.Time // the reminder time last delivered
	FiredOccurrence *time.Time // the occurrence last delivered
}

const reminderColumns = `id, account_id, task_id, contact_id, due_at, occurrence, fired_due, fired_occurrence`

func scanReminder(sc interface{ Scan(...any) error }, r *Reminder) error {
	return sc.Scan(&r.ID, &r.AccountID, &r.TaskID, &r.ContactID, &r.DueAt, &r.Occurrence, &r.FiredDue, &r.FiredOccurrence)
}

// subjectColumn names the reminders column of a task or a contact.
func subjectColumn(task bool) string {
	if task {
		return "task_id"
	}
	return "contact_id"
}

// ReminderOf returns the schedule of a task's (task true) or a contact's
// reminder; ok is false when it has none yet.
func (t *Tenant) ReminderOf(ctx context.Context, task bool, id int64) (r Reminder, ok bool, err error) {
	err = scanReminder(t.writeRow(ctx, `SELECT `+reminderColumns+` FROM reminders WHERE account_id = ? AND `+
		subjectColumn(task)+` = ?`, t.account, id), &r)
	if isNotFound(mapError(err)) {
		return Reminder{}, false, nil
	}
	return r, err == nil, mapError(err)
}

// ScheduleReminder sets when a task's (task true) or contact's reminder is
// next due (nil: nothing pending) and for which occurrence, keeping what
// was delivered before.
func (t *Tenant) ScheduleReminder(ctx context.Context, task bool, id int64, due, occurrence *time.Time) error {
	col := subjectColumn(task)
	_, err := t.exec(ctx, `INSERT INTO reminders (account_id, `+col+`, due_at, occurrence) VALUES (?, ?, ?, ?)
		ON CONFLICT (account_id, `+col+`) DO UPDATE SET due_at = excluded.due_at, occurrence = excluded.occurrence`,
		t.account, id, due, occurrence)
	return mapError(err)
}

// ReminderFired records that the reminder r was delivered for occurrence
// at due, and when it is due next (nil: nothing pending).
func (t *Tenant) ReminderFired(ctx context.Context, id int64, firedDue, firedOccurrence time.Time, next, nextOccurrence *time.Time) error {
	res, err := t.exec(ctx, `UPDATE reminders SET fired_due = ?, fired_occurrence = ?, due_at = ?, occurrence = ?
		WHERE account_id = ? AND id = ?`, firedDue, firedOccurrence, next, nextOccurrence, t.account, id)
	return affectedOne(res, err)
}

// DueReminders returns, across accounts, up to limit reminders due at now,
// earliest first. Call it in a transaction (Store.InTx): on PostgreSQL the
// rows stay locked until it ends and another instance's call skips them
// (FOR UPDATE SKIP LOCKED), so each reminder is delivered by one runner;
// SQLite's transaction holds the write lock from BEGIN.
func (s *Store) DueReminders(ctx context.Context, now time.Time, limit int) ([]Reminder, error) {
	q := `SELECT ` + reminderColumns + ` FROM reminders WHERE due_at IS NOT NULL AND due_at <= ? ORDER BY due_at, id LIMIT ?`
	if s.dialect == Postgres {
		q += ` FOR UPDATE SKIP LOCKED`
	}
	rows, err := s.writeRows(ctx, q, now, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Reminder
	for rows.Next() {
		var r Reminder
		if err := scanReminder(rows, &r); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// NextReminderDue is the earliest pending reminder time across accounts;
// ok is false when none is pending.
func (s *Store) NextReminderDue(ctx context.Context) (due time.Time, ok bool, err error) {
	// The first entry of the due index, not MIN(due_at): an aggregate
	// loses the column's type, and SQLite's driver then hands back text.
	err = s.queryRow(ctx, `SELECT due_at FROM reminders WHERE due_at IS NOT NULL ORDER BY due_at LIMIT 1`).Scan(&due)
	if isNotFound(mapError(err)) {
		return time.Time{}, false, nil
	}
	return due, err == nil, mapError(err)
}

// --- notifications -----------------------------------------------------------

const notificationColumns = `id, account_id, user_id, kind, subject_id, task_id, contact_id, occurrence, title, at, read_at`

func scanNotification(sc interface{ Scan(...any) error }, n *crm.Notification) error {
	return sc.Scan(&n.ID, &n.AccountID, &n.UserID, &n.Kind, &n.SubjectID, &n.TaskID, &n.ContactID, &n.Occurrence,
		&n.Title, &n.At, &n.ReadAt)
}

// AddNotification delivers n to its user, unless that user was already told
// about the same occurrence of the same record (added is false then).
func (t *Tenant) AddNotification(ctx context.Context, n crm.Notification) (added bool, err error) {
	res, err := t.exec(ctx, `INSERT INTO notifications (account_id, user_id, kind, subject_id, task_id, contact_id, occurrence,
		title, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (account_id, user_id, kind, subject_id, occurrence) DO NOTHING`,
		t.account, n.UserID, n.Kind, n.SubjectID, n.TaskID, n.ContactID, n.Occurrence, n.Title, n.At)
	if err != nil {
		return false, mapError(err)
	}
	k, err := res.RowsAffected()
	return k > 0, err
}

// NotificationFilter selects a page of one user's notifications, newest
// first: those with an id below Before (0: from the newest), at most Limit.
type NotificationFilter struct {
	UserID     int64
	UnreadOnly bool
	Before     int64
	Limit      int
}

// Notifications lists one user's notifications, newest first.
func (t *Tenant) Notifications(ctx context.Context, f NotificationFilter) ([]crm.Notification, error) {
	q := `SELECT ` + notificationColumns + ` FROM notifications WHERE account_id = ? AND user_id = ?`
	args := []any{t.account, f.UserID}
	if f.UnreadOnly {
		q += ` AND read_at IS NULL`
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
	var out []crm.Notification
	for rows.Next() {
		var n crm.Notification
		if err := scanNotification(rows, &n); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// Notification returns one notification of a user; another user's is not
// found.
func (t *Tenant) Notification(ctx context.Context, userID, id int64) (crm.Notification, error) {
	var n crm.Notification
	err := scanNotification(t.queryRow(ctx, `SELECT `+notificationColumns+` FROM notifications
		WHERE account_id = ? AND user_id = ? AND id = ?`, t.account, userID, id), &n)
	return n, mapError(err)
}

// UnreadNotifications counts a user's unread notifications up to limit
// (the bell shows "99+" beyond), from the partial index alone.
func (t *Tenant) UnreadNotifications(ctx context.Context, userID int64, limit int) (int, error) {
	var n int
	err := t.queryRow(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM notifications
		WHERE account_id = ? AND user_id = ? AND read_at IS NULL LIMIT ?) AS u`, t.account, userID, limit).Scan(&n)
	return n, mapError(err)
}

// MarkNotificationRead marks one of a user's notifications read (again is
// harmless); another user's is not found.
func (t *Tenant) MarkNotificationRead(ctx context.Context, userID, id int64, now time.Time) error {
	res, err := t.exec(ctx, `UPDATE notifications SET read_at = COALESCE(read_at, ?)
		WHERE account_id = ? AND user_id = ? AND id = ?`, now, t.account, userID, id)
	return affectedOne(res, err)
}

// MarkAllNotificationsRead marks every unread notification of a user read
// and returns how many there were.
func (t *Tenant) MarkAllNotificationsRead(ctx context.Context, userID int64, now time.Time) (int64, error) {
	res, err := t.exec(ctx, `UPDATE notifications SET read_at = ? WHERE account_id = ? AND user_id = ? AND read_at IS NULL`,
		now, t.account, userID)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// DeleteReadNotifications removes, across accounts, notifications read
// before cutoff (the janitor).
func (s *Store) DeleteReadNotifications(ctx context.Context, cutoff time.Time) (int64, error) {
	res, err := s.exec(ctx, `DELETE FROM notifications WHERE read_at IS NOT NULL AND read_at < ?`, cutoff)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// ActiveUsersOfEmployees returns the active users linked to any of the
// employees, each once.
func (t *Tenant) ActiveUsersOfEmployees(ctx context.Context, employees []int64) ([]crm.User, error) {
	if len(employees) == 0 {
		return nil, nil
	}
	q := `SELECT ` + userColumns + ` FROM users u WHERE u.account_id = ? AND u.active AND u.employee_id IN (?` +
		repeatPlaceholders(len(employees)-1) + `) ORDER BY u.id`
	args := []any{t.account}
	for _, e := range employees {
		args = append(args, e)
	}
	rows, err := t.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []crm.User
	for rows.Next() {
		var u crm.User
		if err := scanUser(rows, &u); err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

func repeatPlaceholders(n int) string {
	b := make([]byte, 0, 3*n)
	for range n {
		b = append(b, ", ?"...)
	}
	return string(b)
}
