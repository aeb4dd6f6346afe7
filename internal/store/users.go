package store

import (
	"context"
	"errors"
	"time"

	"klientela/internal/crm"
)

// Users lists every user of the account, by name. Accounts have few users
// (a firm's staff), so the list is not paged.
func (t *Tenant) Users(ctx context.Context) ([]crm.User, error) {
	rows, err := t.query(ctx, `SELECT `+userColumns+` FROM users u WHERE u.account_id = ? ORDER BY u.name, u.id`, t.account)
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

// UpdateUser saves a user's e-mail, name, role, scope, employee link and
// flags. Deactivating a user ends their sessions and API tokens in the same
// statement group; the caller runs it in a transaction.
func (t *Tenant) UpdateUser(ctx context.Context, u crm.User, now time.Time) error {
	res, err := t.exec(ctx, `UPDATE users SET email = ?, name = ?, role = ?, active = ?, must_change_password = ?,
		scope = ?, employee_id = ?, updated_at = ? WHERE account_id = ? AND id = ?`,
		u.Email, u.Name, u.Role, u.Active, u.MustChangePassword, encodeScope(u.Scope), u.EmployeeID, now, t.account, u.ID)
	if err = mapError(err); errors.Is(err, errUnique) {
		return userConflict(err)
	}
	if err := affectedOne(res, err); err != nil {
		return err
	}
	if !u.Active {
		return t.RevokeUserAccess(ctx, u.ID)
	}
	return nil
}

// RevokeUserAccess ends every session and API token of a user at once.
func (t *Tenant) RevokeUserAccess(ctx context.Context, userID int64) error {
	if _, err := t.exec(ctx, `DELETE FROM sessions WHERE account_id = ? AND user_id = ?`, t.account, userID); err != nil {
		return err
	}
	_, err := t.exec(ctx, `DELETE FROM api_tokens WHERE account_id = ? AND user_id = ?`, t.account, userID)
	return err
}

// DeleteUser removes a user; their sessions and tokens go with them.
func (t *Tenant) DeleteUser(ctx context.Context, id int64) error {
	res, err := t.exec(ctx, `DELETE FROM users WHERE account_id = ? AND id = ?`, t.account, id)
	return affectedOne(res, err)
}

// CountOwners counts the account's active owners.
func (t *Tenant) CountOwners(ctx context.Context) (int, error) {
	var n int
	err := t.queryRow(ctx, `SELECT COUNT(*) FROM users WHERE account_id = ? AND role = ? AND active = ?`, t.account, crm.RoleOwner, true).Scan(&n)
	return n, mapError(err)
}

// UserOfEmployee returns the user linked to an employee, if any.
func (t *Tenant) UserOfEmployee(ctx context.Context, employeeID int64) (crm.User, error) {
	var u crm.User
	err := scanUser(t.queryRow(ctx, `SELECT `+userColumns+` FROM users u WHERE u.account_id = ? AND u.employee_id = ?`, t.account, employeeID), &u)
	return u, mapError(err)
}
