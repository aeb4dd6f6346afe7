package store

import (
	"context"
	"time"

	"klientela/internal/crm"
)

const contactColumns = `pc.id, pc.account_id, pc.client_id, pc.person_id, pc.employee_id, pc.at, pc.channel, pc.subject,
	pc.notes, pc.status, pc.outcome, pc.outcome_note, pc.done_at, pc.cancel_reason, pc.cancelled_at, pc.created_at,
	pc.updated_at, c.name, COALESCE(TRIM(p.first_name || ' ' || p.last_name), ''), TRIM(e.first_name || ' ' || e.last_name)`

const contactFrom = ` FROM planned_contacts pc
	JOIN clients c ON c.account_id = pc.account_id AND c.id = pc.client_id
	JOIN employees e ON e.account_id = pc.account_id AND e.id = pc.employee_id
	LEFT JOIN client_persons p ON p.account_id = pc.account_id AND p.id = pc.person_id`

func scanContact(sc interface{ Scan(...any) error }, c *crm.PlannedContact) error {
	return sc.Scan(&c.ID, &c.AccountID, &c.ClientID, &c.PersonID, &c.EmployeeID, &c.At, &c.Channel, &c.Subject,
		&c.Notes, &c.Status, &c.Outcome, &c.OutcomeNote, &c.DoneAt, &c.CancelReason, &c.CancelledAt, &c.CreatedAt,
		&c.UpdatedAt, &c.ClientName, &c.PersonName, &c.EmployeeName)
}

// CreateContact adds a planned contact and returns its id.
func (t *Tenant) CreateContact(ctx context.Context, c crm.PlannedContact) (int64, error) {
	var id int64
	err := t.writeRow(ctx, `INSERT INTO planned_contacts (account_id, client_id, person_id, employee_id, at, channel,
		subject, notes, status, outcome, outcome_note, done_at, cancel_reason, cancelled_at, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		t.account, c.ClientID, c.PersonID, c.EmployeeID, c.At, c.Channel, c.Subject, c.Notes, c.Status, c.Outcome,
		c.OutcomeNote, c.DoneAt, c.CancelReason, c.CancelledAt, c.CreatedAt, c.UpdatedAt).Scan(&id)
	return id, mapError(err)
}

// UpdateContact saves every field of a planned contact.
func (t *Tenant) UpdateContact(ctx context.Context, c crm.PlannedContact) error {
	res, err := t.exec(ctx, `UPDATE planned_contacts SET client_id = ?, person_id = ?, employee_id = ?, at = ?, channel = ?,
		subject = ?, notes = ?, status = ?, outcome = ?, outcome_note = ?, done_at = ?, cancel_reason = ?,
		cancelled_at = ?, updated_at = ? WHERE account_id = ? AND id = ?`,
		c.ClientID, c.PersonID, c.EmployeeID, c.At, c.Channel, c.Subject, c.Notes, c.Status, c.Outcome, c.OutcomeNote,
		c.DoneAt, c.CancelReason, c.CancelledAt, c.UpdatedAt, t.account, c.ID)
	return affectedOne(res, err)
}

// DeleteContact removes a planned contact.
func (t *Tenant) DeleteContact(ctx context.Context, id int64) error {
	res, err := t.exec(ctx, `DELETE FROM planned_contacts WHERE account_id = ? AND id = ?`, t.account, id)
	return affectedOne(res, err)
}

// Contact returns one planned contact of the account.
func (t *Tenant) Contact(ctx context.Context, id int64) (crm.PlannedContact, error) {
	var c crm.PlannedContact
	err := scanContact(t.queryRow(ctx, `SELECT `+contactColumns+contactFrom+` WHERE pc.account_id = ? AND pc.id = ?`,
		t.account, id), &c)
	return c, mapError(err)
}

// ContactFilter selects planned contacts.
type ContactFilter struct {
	Status      string // "" for any
	EmployeeID  int64
	ClientID    int64
	From, To    *time.Time // at >= From, at < To
	OwnOnly     bool       // only the contacts of OwnEmployee (none when it is 0)
	OwnEmployee int64
	Desc        bool // newest first
	Offset      int
	Limit       int
	NoCount     bool // skip counting (the total is -1): a queue asks for one more row instead
}

// Contacts lists the account's planned contacts of clients out of the
// trash, by time, and counts all that match.
func (t *Tenant) Contacts(ctx context.Context, f ContactFilter) ([]crm.PlannedContact, int, error) {
	where := ` WHERE pc.account_id = ? AND c.deleted_at IS NULL`
	args := []any{t.account}
	if f.Status != "" {
		where += ` AND pc.status = ?`
		args = append(args, f.Status)
	}
	if f.EmployeeID > 0 {
		where += ` AND pc.employee_id = ?`
		args = append(args, f.EmployeeID)
	}
	if f.ClientID > 0 {
		where += ` AND pc.client_id = ?`
		args = append(args, f.ClientID)
	}
	if f.From != nil {
		where += ` AND pc.at >= ?`
		args = append(args, f.From.UTC())
	}
	if f.To != nil {
		where += ` AND pc.at < ?`
		args = append(args, f.To.UTC())
	}
	if f.OwnOnly {
		where += ` AND pc.employee_id = ?`
		args = append(args, f.OwnEmployee)
	}
	total := -1
	if !f.NoCount {
		if err := t.queryRow(ctx, `SELECT COUNT(*)`+contactFrom+where, args...).Scan(&total); err != nil {
			return nil, 0, mapError(err)
		}
	}
	order := `pc.at, pc.id`
	if f.Desc {
		order = `pc.at DESC, pc.id DESC`
	}
	rows, err := t.query(ctx, `SELECT `+contactColumns+contactFrom+where+` ORDER BY `+order+` LIMIT ? OFFSET ?`,
		append(args, f.Limit, f.Offset)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []crm.PlannedContact
	for rows.Next() {
		var c crm.PlannedContact
		if err := scanContact(rows, &c); err != nil {
			return nil, 0, err
		}
		out = append(out, c)
	}
	return out, total, rows.Err()
}

// ClosedContacts lists a client's done and cancelled contacts, the most
// recently closed first, skipping offset and returning at most limit (for
// the client's timeline). With ownOnly, only those of ownEmployee.
func (t *Tenant) ClosedContacts(ctx context.Context, clientID int64, ownOnly bool, ownEmployee int64, offset, limit int) ([]crm.PlannedContact, error) {
	where := ` WHERE pc.account_id = ? AND pc.client_id = ? AND pc.status IN ('done', 'cancelled')`
	args := []any{t.account, clientID}
	if ownOnly {
		where += ` AND pc.employee_id = ?`
		args = append(args, ownEmployee)
	}
	rows, err := t.query(ctx, `SELECT `+contactColumns+contactFrom+where+`
		ORDER BY COALESCE(pc.done_at, pc.cancelled_at, pc.updated_at) DESC, pc.id DESC LIMIT ? OFFSET ?`,
		append(args, limit, offset)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []crm.PlannedContact
	for rows.Next() {
		var c crm.PlannedContact
		if err := scanContact(rows, &c); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
