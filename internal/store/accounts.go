package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"klientela/internal/crm"
)

// NewAccount is what sign-up (and `klientela account create`) hands to the
// store: the company and its owner.
type NewAccount struct {
	Name         string
	TimeZone     string
	OwnerName    string
	OwnerEmail   string // already normalised (lower case, trimmed)
	PasswordHash string
	Locale       string
	Now          time.Time
}

// CreateAccount creates an account, its owner and its first business in one
// transaction. An e-mail already in use is a conflict on "email".
func (s *Store) CreateAccount(ctx context.Context, in NewAccount) (crm.Account, crm.User, error) {
	var (
		acc  crm.Account
		user crm.User
	)
	err := s.InTx(ctx, func(tx *Store) error {
		acc = crm.Account{Name: in.Name, TimeZone: in.TimeZone, CreatedAt: in.Now.UTC().Truncate(time.Microsecond)}
		if err := tx.writeRow(ctx, `INSERT INTO accounts (name, time_zone, created_at, updated_at) VALUES (?, ?, ?, ?) RETURNING id`,
			in.Name, in.TimeZone, in.Now, in.Now).Scan(&acc.ID); err != nil {
			return mapError(err)
		}
		t := tx.Tenant(acc.ID)
		var err error
		user, err = t.CreateUser(ctx, NewUser{Email: in.OwnerEmail, Name: in.OwnerName, PasswordHash: in.PasswordHash,
			Role: crm.RoleOwner, Locale: in.Locale, Now: in.Now})
		if err != nil {
			return err
		}
		_, err = t.exec(ctx, `INSERT INTO businesses (account_id, name, is_default, created_at, updated_at) VALUES (?, ?, ?, ?, ?)`,
			acc.ID, in.Name, true, in.Now, in.Now)
		return err
	})
	if err != nil {
		return crm.Account{}, crm.User{}, err
	}
	return acc, user, nil
}

// NewUser describes a user to create inside an account.
type NewUser struct {
	Email              string
	Name               string
	PasswordHash       string
	Role               crm.Role
	Locale             string
	MustChangePassword bool
	Scope              crm.Scope
	EmployeeID         *int64
	Now                time.Time
}

const userColumns = `u.id, u.account_id, u.email, u.name, u.role, u.locale, u.active, u.must_change_password, u.scope, u.employee_id, u.created_at, u.updated_at`

func scanUser(sc interface{ Scan(...any) error }, u *crm.User, extra ...any) error {
	var scope string
	err := sc.Scan(append([]any{&u.ID, &u.AccountID, &u.Email, &u.Name, &u.Role, &u.Locale, &u.Active,
		&u.MustChangePassword, &scope, &u.EmployeeID, &u.CreatedAt, &u.UpdatedAt}, extra...)...)
	if err != nil {
		return err
	}
	u.Scope, err = decodeScope(scope)
	return err
}

// Scopes are stored as JSON text in both databases: they are read with the
// user in one row, never queried into.
func decodeScope(s string) (crm.Scope, error) {
	var sc crm.Scope
	if s != "" {
		if err := json.Unmarshal([]byte(s), &sc); err != nil {
			return sc, fmt.Errorf("store: user scope: %w", err)
		}
	}
	return sc, nil
}

func encodeScope(s crm.Scope) string {
	if s.Permissions == nil {
		s.Permissions = map[string]string{}
	}
	if s.OwnOnly == nil {
		s.OwnOnly = []string{}
	}
	b, _ := json.Marshal(s)
	return string(b)
}

// CreateUser adds a user to the account.
func (t *Tenant) CreateUser(ctx context.Context, in NewUser) (crm.User, error) {
	now := in.Now.UTC().Truncate(time.Microsecond)
	u := crm.User{AccountID: t.account, Email: in.Email, Name: in.Name, Role: in.Role, Locale: in.Locale,
		Active: true, MustChangePassword: in.MustChangePassword, Scope: in.Scope, EmployeeID: in.EmployeeID,
		CreatedAt: now, UpdatedAt: now}
	err := t.writeRow(ctx, `INSERT INTO users (account_id, email, name, password_hash, role, locale, active, must_change_password, scope, employee_id, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		t.account, in.Email, in.Name, in.PasswordHash, in.Role, in.Locale, true, in.MustChangePassword,
		encodeScope(in.Scope), in.EmployeeID, now, now).Scan(&u.ID)
	if err = mapError(err); errors.Is(err, errUnique) {
		return crm.User{}, userConflict(err)
	}
	return u, err
}

// User returns one user of the account.
func (t *Tenant) User(ctx context.Context, id int64) (crm.User, error) {
	var u crm.User
	err := scanUser(t.queryRow(ctx, `SELECT `+userColumns+` FROM users u WHERE u.account_id = ? AND u.id = ?`, t.account, id), &u)
	return u, mapError(err)
}

// PasswordHash returns a user's stored password hash.
func (t *Tenant) PasswordHash(ctx context.Context, userID int64) (string, error) {
	var h string
	err := t.queryRow(ctx, `SELECT password_hash FROM users WHERE account_id = ? AND id = ?`, t.account, userID).Scan(&h)
	return h, mapError(err)
}

// SetPasswordHash replaces a user's password hash. With revoke, it also ends
// every session of the user except keepSession (0 keeps none) and deletes
// the user's API tokens, in the same transaction.
func (t *Tenant) SetPasswordHash(ctx context.Context, userID int64, hash string, revoke bool, keepSession int64, now time.Time) error {
	return t.InTx(ctx, func(t *Tenant) error {
		res, err := t.exec(ctx, `UPDATE users SET password_hash = ?, must_change_password = ?, updated_at = ? WHERE account_id = ? AND id = ?`,
			hash, false, now, t.account, userID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return crm.NotFound()
		}
		if !revoke {
			return nil
		}
		if _, err := t.exec(ctx, `DELETE FROM sessions WHERE account_id = ? AND user_id = ? AND id <> ?`, t.account, userID, keepSession); err != nil {
			return err
		}
		_, err = t.exec(ctx, `DELETE FROM api_tokens WHERE account_id = ? AND user_id = ?`, t.account, userID)
		return err
	})
}

// SetLocale remembers the user's interface language.
func (t *Tenant) SetLocale(ctx context.Context, userID int64, locale string, now time.Time) error {
	res, err := t.exec(ctx, `UPDATE users SET locale = ?, updated_at = ? WHERE account_id = ? AND id = ?`, locale, now, t.account, userID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return crm.NotFound()
	}
	return nil
}

// CountUsers counts the account's active users.
func (t *Tenant) CountUsers(ctx context.Context) (int64, error) {
	var n int64
	err := t.queryRow(ctx, `SELECT COUNT(*) FROM users WHERE account_id = ? AND active = ?`, t.account, true).Scan(&n)
	return n, mapError(err)
}

// Businesses lists the account's businesses, the default first.
func (t *Tenant) Businesses(ctx context.Context) ([]crm.Business, error) {
	rows, err := t.query(ctx, `SELECT `+businessColumns+` FROM businesses
		WHERE account_id = ? ORDER BY is_default DESC, name, id`, t.account)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []crm.Business
	for rows.Next() {
		var b crm.Business
		if err := scanBusiness(rows, &b); err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

// UserLogin is what login needs to know about an e-mail address.
type UserLogin struct {
	User         crm.User
	PasswordHash string
}

// UserByEmail finds a user for login, across accounts (an e-mail is unique).
func (s *Store) UserByEmail(ctx context.Context, email string) (UserLogin, error) {
	var ul UserLogin
	err := scanUser(s.queryRow(ctx, `SELECT `+userColumns+`, u.password_hash FROM users u WHERE u.email = ?`, email), &ul.User, &ul.PasswordHash)
	return ul, mapError(err)
}

// userConflict tells which unique rule of users an insert or update broke.
func userConflict(err error) error {
	if strings.Contains(err.Error(), "employee") {
		return crm.Conflict("employee_id", "err.employee_linked")
	}
	return crm.Conflict("email", "err.email_taken")
}
