package store

import (
	"context"
	"time"

	"klientela/internal/crm"
)

// Tenant is the store seen from inside one account. Every method adds the
// account to its statement, so a query that forgets the tenant cannot be
// written through this handle. A row of another account is simply not found.
type Tenant struct {
	db
	account int64
}

// AccountID is the account this handle is bound to.
func (t *Tenant) AccountID() int64 { return t.account }

// InTx runs fn in one transaction bound to the same account.
func (t *Tenant) InTx(ctx context.Context, fn func(*Tenant) error) error {
	return t.db.inTx(ctx, func(d db) error { return fn(&Tenant{db: d, account: t.account}) })
}

// Account returns the tenant's account.
func (t *Tenant) Account(ctx context.Context) (crm.Account, error) {
	var a crm.Account
	err := t.queryRow(ctx, `SELECT id, name, time_zone, created_at FROM accounts WHERE id = ?`, t.account).
		Scan(&a.ID, &a.Name, &a.TimeZone, &a.CreatedAt)
	return a, mapError(err)
}

// UpdateAccount changes the account's name and time zone.
func (t *Tenant) UpdateAccount(ctx context.Context, name, timeZone string, now time.Time) error {
	_, err := t.exec(ctx, `UPDATE accounts SET name = ?, time_zone = ?, updated_at = ? WHERE id = ?`,
		name, timeZone, now, t.account)
	return err
}

// recordTables maps a history entity to its table.
var recordTables = map[string]string{"employee": "employees", "user": "users", "business": "businesses", "client": "clients",
	"client_group": "client_groups", "contact": "planned_contacts", "file": "files", "file_folder": "file_folders",
	"task": "tasks", "task_group": "task_groups", "document": "documents"}

// RecordExists reports whether the account has the record of entity.
func (t *Tenant) RecordExists(ctx context.Context, entity string, id int64) (bool, error) {
	table, ok := recordTables[entity]
	if !ok {
		return false, nil
	}
	var n int
	err := t.queryRow(ctx, `SELECT COUNT(*) FROM `+table+` WHERE account_id = ? AND id = ?`, t.account, id).Scan(&n)
	return n > 0, mapError(err)
}

// LockAccount makes the rest of the transaction wait for, and hold off,
// other transactions that lock the same account. PostgreSQL locks the
// account's row; SQLite transactions already hold the database's write lock
// from BEGIN (_txlock=immediate).
func (t *Tenant) LockAccount(ctx context.Context) error {
	if t.dialect != Postgres {
		return nil
	}
	var id int64
	return mapError(t.writeRow(ctx, `SELECT id FROM accounts WHERE id = ? FOR UPDATE`, t.account).Scan(&id))
}
