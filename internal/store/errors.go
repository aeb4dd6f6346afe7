package store

import (
	"database/sql"
	"errors"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"klientela/internal/crm"
)

// errUnique marks a broken unique constraint; methods turn it into a
// crm.Conflict on the field that the constraint guards.
var errUnique = errors.New("store: unique constraint")

// mapError turns driver errors into errors the layers above understand:
// sql.ErrNoRows → crm not_found; unique violations → errUnique.
func mapError(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return crm.NotFound()
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return errors.Join(errUnique, err)
		}
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "23505" {
		return errors.Join(errUnique, err)
	}
	return err
}

func isNotFound(err error) bool { return crm.ErrorCode(err) == crm.CodeNotFound }
