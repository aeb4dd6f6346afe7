package store

import (
	"context"

	"klientela/internal/crm"
	"klientela/internal/search"
)

const employeeColumns = `e.id, e.account_id, e.first_name, e.last_name, e.position, e.email, e.phone, e.commission_bp,
	e.color, e.notes, e.active, e.business_id, u.id, e.created_at, e.updated_at`

// employeeFrom joins the linked user, so a list shows who can log in.
const employeeFrom = ` FROM employees e LEFT JOIN users u ON u.account_id = e.account_id AND u.employee_id = e.id`

func scanEmployee(sc interface{ Scan(...any) error }, e *crm.Employee) error {
	return sc.Scan(&e.ID, &e.AccountID, &e.FirstName, &e.LastName, &e.Position, &e.Email, &e.Phone, &e.CommissionBP,
		&e.Color, &e.Notes, &e.Active, &e.BusinessID, &e.UserID, &e.CreatedAt, &e.UpdatedAt)
}

func employeeSearchKey(e crm.Employee) string {
	return search.Key(e.FirstName, e.LastName, e.Position, e.Email, e.Phone)
}

// CreateEmployee adds an employee and returns its id.
func (t *Tenant) CreateEmployee(ctx context.Context, e crm.Employee) (int64, error) {
	var id int64
	err := t.writeRow(ctx, `INSERT INTO employees (account_id, first_name, last_name, position, email, phone, commission_bp,
		color, notes, active, business_id, search_key, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		t.account, e.FirstName, e.LastName, e.Position, e.Email, e.Phone, e.CommissionBP, e.Color, e.Notes, e.Active,
		e.BusinessID, employeeSearchKey(e), e.CreatedAt, e.UpdatedAt).Scan(&id)
	return id, mapError(err)
}

// UpdateEmployee saves every field of an employee of the account.
func (t *Tenant) UpdateEmployee(ctx context.Context, e crm.Employee) error {
	res, err := t.exec(ctx, `UPDATE employees SET first_name = ?, last_name = ?, position = ?, email = ?, phone = ?,
		commission_bp = ?, color = ?, notes = ?, active = ?, business_id = ?, search_key = ?, updated_at = ?
		WHERE account_id = ? AND id = ?`,
		e.FirstName, e.LastName, e.Position, e.Email, e.Phone, e.CommissionBP, e.Color, e.Notes, e.Active, e.BusinessID,
		employeeSearchKey(e), e.UpdatedAt, t.account, e.ID)
	return affectedOne(res, err)
}

// Employee returns one employee of the account.
func (t *Tenant) Employee(ctx context.Context, id int64) (crm.Employee, error) {
	var e crm.Employee
	err := scanEmployee(t.queryRow(ctx, `SELECT `+employeeColumns+employeeFrom+` WHERE e.account_id = ? AND e.id = ?`, t.account, id), &e)
	return e, mapError(err)
}

// DeleteEmployee removes an employee, first unlinking the user it was.
func (t *Tenant) DeleteEmployee(ctx context.Context, id int64) error {
	return t.InTx(ctx, func(t *Tenant) error {
		if _, err := t.exec(ctx, `UPDATE users SET employee_id = NULL WHERE account_id = ? AND employee_id = ?`, t.account, id); err != nil {
			return err
		}
		if _, err := t.exec(ctx, `UPDATE clients SET employee_id = NULL WHERE account_id = ? AND employee_id = ?`, t.account, id); err != nil {
			return err
		}
		// Planned contacts are work orders with a history: an employee who
		// has any cannot be deleted (deactivate them instead).
		var n int
		if err := t.queryRow(ctx, `SELECT COUNT(*) FROM planned_contacts WHERE account_id = ? AND employee_id = ?`, t.account, id).Scan(&n); err != nil {
			return mapError(err)
		}
		if n > 0 {
			return &crm.Error{Code: crm.CodeConflict, Key: "err.employee_has_contacts"}
		}
		// So are tasks: an employee assigned to any stays.
		if err := t.queryRow(ctx, `SELECT COUNT(*) FROM task_employees WHERE account_id = ? AND employee_id = ?`, t.account, id).Scan(&n); err != nil {
			return mapError(err)
		}
		if n > 0 {
			return &crm.Error{Code: crm.CodeConflict, Key: "err.employee_has_tasks"}
		}
		res, err := t.exec(ctx, `DELETE FROM employees WHERE account_id = ? AND id = ?`, t.account, id)
		return affectedOne(res, err)
	})
}

// EmployeeFilter selects and orders employees.
type EmployeeFilter struct {
	Q          string // search: name, position, e-mail, phone
	Active     *bool
	BusinessID int64
	Sort       string // "name" (default), "-name", "position", "created"
	Offset     int
	Limit      int
}

// Employees lists the account's employees and counts all that match.
func (t *Tenant) Employees(ctx context.Context, f EmployeeFilter) ([]crm.Employee, int, error) {
	where := ` WHERE e.account_id = ?`
	args := []any{t.account}
	for _, term := range search.Terms(f.Q) {
		where += ` AND e.search_key LIKE ? ESCAPE '\'`
		args = append(args, search.Like(term))
	}
	if f.Active != nil {
		where += ` AND e.active = ?`
		args = append(args, *f.Active)
	}
	if f.BusinessID > 0 {
		where += ` AND e.business_id = ?`
		args = append(args, f.BusinessID)
	}
	var total int
	if err := t.queryRow(ctx, `SELECT COUNT(*) FROM employees e`+where, args...).Scan(&total); err != nil {
		return nil, 0, mapError(err)
	}
	order := map[string]string{
		"name":      `e.last_name, e.first_name, e.id`,
		"-name":     `e.last_name DESC, e.first_name DESC, e.id DESC`,
		"position":  `e.position, e.last_name, e.first_name, e.id`,
		"-position": `e.position DESC, e.last_name, e.first_name, e.id`,
		"created":   `e.id`,
		"-created":  `e.id DESC`,
	}[f.Sort]
	if order == "" {
		order = `e.last_name, e.first_name, e.id`
	}
	rows, err := t.query(ctx, `SELECT `+employeeColumns+employeeFrom+where+` ORDER BY `+order+` LIMIT ? OFFSET ?`,
		append(args, f.Limit, f.Offset)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []crm.Employee
	for rows.Next() {
		var e crm.Employee
		if err := scanEmployee(rows, &e); err != nil {
			return nil, 0, err
		}
		out = append(out, e)
	}
	return out, total, rows.Err()
}

// ActiveEmployees lists the account's active employees by name, with what
// choosing one (a filter, a form's select, the calendar's legend) needs:
// no linked user, notes, commission or timestamps, and no count. Forms and
// filters of clients, contacts, tasks and the calendar ask for it on
// every page, where the whole list with its count was a sixth of a client
// card's CPU.
func (t *Tenant) ActiveEmployees(ctx context.Context) ([]crm.Employee, error) {
	rows, err := t.query(ctx, `SELECT e.id, e.first_name, e.last_name, e.position, e.email, e.phone, e.color, e.business_id
		FROM employees e WHERE e.account_id = ? AND e.active = ? ORDER BY e.last_name, e.first_name, e.id`, t.account, true)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []crm.Employee
	for rows.Next() {
		e := crm.Employee{AccountID: t.account, Active: true}
		if err := rows.Scan(&e.ID, &e.FirstName, &e.LastName, &e.Position, &e.Email, &e.Phone, &e.Color, &e.BusinessID); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// EmployeeSorts are the orders Employees understands.
var EmployeeSorts = []string{"name", "-name", "position", "-position", "created", "-created"}

// affectedOne turns "no row changed" into not found.
func affectedOne(res interface{ RowsAffected() (int64, error) }, err error) error {
	if err != nil {
		return mapError(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return crm.NotFound()
	}
	return nil
}

// HasBusiness reports whether the account has the business.
func (t *Tenant) HasBusiness(ctx context.Context, id int64) (bool, error) {
	var n int
	err := t.queryRow(ctx, `SELECT COUNT(*) FROM businesses WHERE account_id = ? AND id = ?`, t.account, id).Scan(&n)
	return n > 0, mapError(err)
}

// CountEmployees counts the account's active and inactive employees in one
// query (the dashboard's team card).
func (t *Tenant) CountEmployees(ctx context.Context) (active, inactive int, err error) {
	var all int
	err = t.queryRow(ctx, `SELECT COALESCE(SUM(CASE WHEN active THEN 1 ELSE 0 END), 0), COUNT(*) FROM employees WHERE account_id = ?`,
		t.account).Scan(&active, &all)
	return active, all - active, mapError(err)
}
