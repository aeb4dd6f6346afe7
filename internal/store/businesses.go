package store

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"klientela/internal/crm"
)

// businessColumns leave out the logo itself: it is read only to be served.
const businessColumns = `id, account_id, name, nip, street, postal_code, city, country, bank_account, email, phone,
	logo_type, COALESCE(length(logo), 0), is_default, created_at, updated_at`

func scanBusiness(sc interface{ Scan(...any) error }, b *crm.Business) error {
	return sc.Scan(&b.ID, &b.AccountID, &b.Name, &b.NIP, &b.Street, &b.PostalCode, &b.City, &b.Country, &b.BankAccount,
		&b.Email, &b.Phone, &b.LogoType, &b.LogoSize, &b.IsDefault, &b.CreatedAt, &b.UpdatedAt)
}

// Business returns one business of the account.
func (t *Tenant) Business(ctx context.Context, id int64) (crm.Business, error) {
	var b crm.Business
	err := scanBusiness(t.queryRow(ctx, `SELECT `+businessColumns+` FROM businesses WHERE account_id = ? AND id = ?`, t.account, id), &b)
	return b, mapError(err)
}

// CreateBusiness adds a business, never as the default (SetDefaultBusiness
// makes it one), and returns its id.
func (t *Tenant) CreateBusiness(ctx context.Context, b crm.Business) (int64, error) {
	var id int64
	err := t.writeRow(ctx, `INSERT INTO businesses (account_id, name, nip, street, postal_code, city, country, bank_account,
		email, phone, is_default, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		t.account, b.Name, b.NIP, b.Street, b.PostalCode, b.City, b.Country, b.BankAccount, b.Email, b.Phone, false,
		b.CreatedAt, b.UpdatedAt).Scan(&id)
	return id, mapError(err)
}

// UpdateBusiness saves the details of a business of the account; the
// default flag and the logo have their own methods.
func (t *Tenant) UpdateBusiness(ctx context.Context, b crm.Business) error {
	res, err := t.exec(ctx, `UPDATE businesses SET name = ?, nip = ?, street = ?, postal_code = ?, city = ?, country = ?,
		bank_account = ?, email = ?, phone = ?, updated_at = ? WHERE account_id = ? AND id = ?`,
		b.Name, b.NIP, b.Street, b.PostalCode, b.City, b.Country, b.BankAccount, b.Email, b.Phone, b.UpdatedAt,
		t.account, b.ID)
	return affectedOne(res, err)
}

// SetDefaultBusiness makes a business the account's default and the one
// that was the default an ordinary one, in one transaction: the partial
// unique index businesses_one_default allows one default per account.
func (t *Tenant) SetDefaultBusiness(ctx context.Context, id int64, now time.Time) error {
	return t.InTx(ctx, func(t *Tenant) error {
		if _, err := t.exec(ctx, `UPDATE businesses SET is_default = ?, updated_at = ? WHERE account_id = ? AND is_default AND id <> ?`,
			false, now, t.account, id); err != nil {
			return err
		}
		res, err := t.exec(ctx, `UPDATE businesses SET is_default = ?, updated_at = ? WHERE account_id = ? AND id = ?`,
			true, now, t.account, id)
		if errors.Is(err, errUnique) {
			return crm.Conflict("default", "err.business_default_race")
		}
		return affectedOne(res, err)
	})
}

// SetBusinessLogo stores a logo of the given media type; nil data removes
// the logo.
func (t *Tenant) SetBusinessLogo(ctx context.Context, id int64, data []byte, mediaType string, now time.Time) error {
	var logo any
	if data != nil {
		logo = data
	} else {
		mediaType = ""
	}
	res, err := t.exec(ctx, `UPDATE businesses SET logo = ?, logo_type = ?, updated_at = ? WHERE account_id = ? AND id = ?`,
		logo, mediaType, now, t.account, id)
	return affectedOne(res, err)
}

// BusinessLogo returns a business's logo and its media type; a business
// without a logo is not found.
func (t *Tenant) BusinessLogo(ctx context.Context, id int64) ([]byte, string, error) {
	var (
		data  []byte
		mtype string
	)
	err := t.queryRow(ctx, `SELECT logo, logo_type FROM businesses WHERE account_id = ? AND id = ?`, t.account, id).Scan(&data, &mtype)
	if err != nil {
		return nil, "", mapError(err)
	}
	if len(data) == 0 || mtype == "" {
		return nil, "", crm.NotFound()
	}
	return data, mtype, nil
}

// CountBusinesses counts the account's businesses.
func (t *Tenant) CountBusinesses(ctx context.Context) (int, error) {
	var n int
	err := t.queryRow(ctx, `SELECT COUNT(*) FROM businesses WHERE account_id = ?`, t.account).Scan(&n)
	return n, mapError(err)
}

// BusinessInUse counts the records that point to a business (today the
// employees and clients tagged with it).
func (t *Tenant) BusinessInUse(ctx context.Context, id int64) (int, error) {
	var n int
	err := t.queryRow(ctx, `SELECT (SELECT COUNT(*) FROM employees WHERE account_id = ? AND business_id = ?)
		+ (SELECT COUNT(*) FROM clients WHERE account_id = ? AND business_id = ?)
		+ (SELECT COUNT(*) FROM documents WHERE account_id = ? AND business_id = ?)`,
		t.account, id, t.account, id, t.account, id).Scan(&n)
	return n, mapError(err)
}

// DeleteBusiness removes a business. Sessions working in it fall back to
// the default; a record that still points to it makes this a conflict.
func (t *Tenant) DeleteBusiness(ctx context.Context, id int64) error {
	return t.InTx(ctx, func(t *Tenant) error {
		if _, err := t.exec(ctx, `UPDATE sessions SET business_id = NULL WHERE account_id = ? AND business_id = ?`, t.account, id); err != nil {
			return err
		}
		res, err := t.exec(ctx, `DELETE FROM businesses WHERE account_id = ? AND id = ?`, t.account, id)
		if isForeignKey(err) {
			return &crm.Error{Code: crm.CodeConflict, Key: "err.business_in_use", Err: err}
		}
		return affectedOne(res, err)
	})
}

// SessionBusiness returns the business a browser session works in, nil
// when it has not chosen one.
func (t *Tenant) SessionBusiness(ctx context.Context, sessionID int64) (*int64, error) {
	var id *int64
	err := t.queryRow(ctx, `SELECT business_id FROM sessions WHERE account_id = ? AND id = ?`, t.account, sessionID).Scan(&id)
	return id, mapError(err)
}

// SetSessionBusiness remembers the business a browser session works in.
func (t *Tenant) SetSessionBusiness(ctx context.Context, sessionID, businessID int64) error {
	res, err := t.exec(ctx, `UPDATE sessions SET business_id = ? WHERE account_id = ? AND id = ?`, businessID, t.account, sessionID)
	return affectedOne(res, err)
}

// isForeignKey reports whether err is a broken foreign key.
func isForeignKey(err error) bool {
	if err == nil {
		return false
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY ||
			(se.Code()&0xff == sqlite3.SQLITE_CONSTRAINT && strings.Contains(se.Error(), "FOREIGN KEY"))
	}
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23503"
}
