package store

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"klientela/internal/crm"
)

// CreateImportFile stores the bytes of an uploaded file and returns its id.
func (t *Tenant) CreateImportFile(ctx context.Context, data []byte, now time.Time) (int64, error) {
	var id int64
	err := t.writeRow(ctx, `INSERT INTO import_files (account_id, data, created_at) VALUES (?, ?, ?) RETURNING id`,
		t.account, data, now).Scan(&id)
	return id, mapError(err)
}

// ImportFile returns the bytes of a stored upload.
func (t *Tenant) ImportFile(ctx context.Context, id int64) ([]byte, error) {
	var data []byte
	err := t.queryRow(ctx, `SELECT data FROM import_files WHERE account_id = ? AND id = ?`, t.account, id).Scan(&data)
	return data, mapError(err)
}

// DeleteImportFile removes a stored upload and forgets it in its imports.
func (t *Tenant) DeleteImportFile(ctx context.Context, id int64) error {
	if _, err := t.exec(ctx, `UPDATE client_imports SET file_id = NULL WHERE account_id = ? AND file_id = ?`, t.account, id); err != nil {
		return err
	}
	_, err := t.exec(ctx, `DELETE FROM import_files WHERE account_id = ? AND id = ?`, t.account, id)
	return err
}

// DeleteOldImportFiles removes, across accounts, uploads stored before
// cutoff (imports never finished or never started) and returns how many.
func (s *Store) DeleteOldImportFiles(ctx context.Context, cutoff time.Time) (int64, error) {
	var n int64
	err := s.InTx(ctx, func(tx *Store) error {
		if _, err := tx.exec(ctx, `UPDATE client_imports SET file_id = NULL WHERE file_id IN
			(SELECT id FROM import_files WHERE created_at < ?)`, cutoff); err != nil {
			return err
		}
		res, err := tx.exec(ctx, `DELETE FROM import_files WHERE created_at < ?`, cutoff)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return n, err
}

const importColumns = `id, account_id, user_id, file_id, job_id, file_name, file_size, encoding, delimiter, header, row_count,
	mapping, duplicates, on_error, rows_done, result, undone_at, created_at, updated_at`

func scanImport(sc interface{ Scan(...any) error }, im *crm.ClientImport) error {
	var header, mapping, result string
	err := sc.Scan(&im.ID, &im.AccountID, &im.UserID, &im.FileID, &im.JobID, &im.FileName, &im.FileSize, &im.Encoding,
		&im.Delimiter, &header, &im.RowCount, &mapping, &im.Duplicates, &im.OnError, &im.RowsDone, &result, &im.UndoneAt,
		&im.CreatedAt, &im.UpdatedAt)
	if err != nil {
		return err
	}
	_ = json.Unmarshal([]byte(header), &im.Header)
	_ = json.Unmarshal([]byte(mapping), &im.Mapping)
	_ = json.Unmarshal([]byte(result), &im.Result)
	return nil
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return "null"
	}
	return string(b)
}

// CreateClientImport records an uploaded file about to be imported and
// returns its id.
func (t *Tenant) CreateClientImport(ctx context.Context, im crm.ClientImport) (int64, error) {
	var id int64
	err := t.writeRow(ctx, `INSERT INTO client_imports (account_id, user_id, file_id, file_name, file_size, encoding, delimiter,
		header, row_count, mapping, duplicates, on_error, result, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		t.account, im.UserID, im.FileID, im.FileName, im.FileSize, im.Encoding, im.Delimiter, jsonList(im.Header),
		im.RowCount, mustJSON(im.Mapping), im.Duplicates, im.OnError, mustJSON(im.Result), im.CreatedAt, im.UpdatedAt).Scan(&id)
	return id, mapError(err)
}

// ClientImport returns one import of the account.
func (t *Tenant) ClientImport(ctx context.Context, id int64) (crm.ClientImport, error) {
	var im crm.ClientImport
	err := scanImport(t.queryRow(ctx, `SELECT `+importColumns+` FROM client_imports WHERE account_id = ? AND id = ?`,
		t.account, id), &im)
	return im, mapError(err)
}

// ClientImportOfJob returns the import a job runs.
func (t *Tenant) ClientImportOfJob(ctx context.Context, jobID int64) (crm.ClientImport, error) {
	var im crm.ClientImport
	err := scanImport(t.queryRow(ctx, `SELECT `+importColumns+` FROM client_imports WHERE account_id = ? AND job_id = ?`,
		t.account, jobID), &im)
	return im, mapError(err)
}

// UpdateClientImport saves an import's mapping, choices, job, progress,
// result and undo time.
func (t *Tenant) UpdateClientImport(ctx context.Context, im crm.ClientImport) error {
	res, err := t.exec(ctx, `UPDATE client_imports SET mapping = ?, duplicates = ?, on_error = ?, job_id = ?, rows_done = ?,
		result = ?, undone_at = ?, updated_at = ? WHERE account_id = ? AND id = ?`,
		mustJSON(im.Mapping), im.Duplicates, im.OnError, im.JobID, im.RowsDone, mustJSON(im.Result), im.UndoneAt,
		im.UpdatedAt, t.account, im.ID)
	return affectedOne(res, err)
}

// AddImportChanges records what an import did to clients; a client already
// recorded keeps its first record (the state before the import).
func (t *Tenant) AddImportChanges(ctx context.Context, importID int64, cs []crm.ImportChange) error {
	const per = 200 // rows per statement: 5 parameters each, well under both engines' limits
	for len(cs) > 0 {
		n := min(per, len(cs))
		q := `INSERT INTO client_import_changes (account_id, import_id, client_id, action, before) VALUES ` +
			strings.TrimSuffix(strings.Repeat(`(?, ?, ?, ?, ?), `, n), ", ") +
			` ON CONFLICT (account_id, import_id, client_id) DO NOTHING`
		args := make([]any, 0, n*5)
		for _, c := range cs[:n] {
			args = append(args, t.account, importID, c.ClientID, c.Action, string(c.Before))
		}
		if _, err := t.exec(ctx, q, args...); err != nil {
			return err
		}
		cs = cs[n:]
	}
	return nil
}

// ImportChanges lists what an import did, newest first (undo walks it).
func (t *Tenant) ImportChanges(ctx context.Context, importID int64) ([]crm.ImportChange, error) {
	rows, err := t.query(ctx, `SELECT client_id, action, before FROM client_import_changes
		WHERE account_id = ? AND import_id = ? ORDER BY client_id DESC`, t.account, importID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []crm.ImportChange
	for rows.Next() {
		var (
			c      crm.ImportChange
			before string
		)
		if err := rows.Scan(&c.ClientID, &c.Action, &before); err != nil {
			return nil, err
		}
		c.Before = []byte(before)
		out = append(out, c)
	}
	return out, rows.Err()
}

// ImportMapping returns the mapping the account last chose for a header
// set; nil when there is none.
func (t *Tenant) ImportMapping(ctx context.Context, headerKey string) ([]string, error) {
	var s string
	err := t.queryRow(ctx, `SELECT mapping FROM import_mappings WHERE account_id = ? AND header_key = ?`, t.account, headerKey).Scan(&s)
	if isNotFound(mapError(err)) {
		return nil, nil
	}
	if err != nil {
		return nil, mapError(err)
	}
	var m []string
	_ = json.Unmarshal([]byte(s), &m)
	return m, nil
}

// SaveImportMapping remembers a mapping for a header set.
func (t *Tenant) SaveImportMapping(ctx context.Context, headerKey string, mapping []string, now time.Time) error {
	_, err := t.exec(ctx, `INSERT INTO import_mappings (account_id, header_key, mapping, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (account_id, header_key) DO UPDATE SET mapping = excluded.mapping, updated_at = excluded.updated_at`,
		t.account, headerKey, mustJSON(mapping), now)
	return err
}

// ClientKey is what duplicates of a client are found by.
type ClientKey struct {
	ID     int64
	NIP    string
	Emails []string
	Phones []string
}

// ClientKeys lists the NIP, e-mails and phones of the account's clients
// outside the trash (of one employee's clients with ownOnly), for finding
// duplicates.
func (t *Tenant) ClientKeys(ctx context.Context, ownOnly bool, ownEmployee int64) ([]ClientKey, error) {
	q := `SELECT id, nip, emails, phones FROM clients WHERE account_id = ? AND deleted_at IS NULL`
	args := []any{t.account}
	if ownOnly {
		q += ` AND employee_id = ?`
		args = append(args, ownEmployee)
	}
	rows, err := t.query(ctx, q+` ORDER BY id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ClientKey
	for rows.Next() {
		var (
			k              ClientKey
			emails, phones string
		)
		if err := rows.Scan(&k.ID, &k.NIP, &emails, &phones); err != nil {
			return nil, err
		}
		_ = json.Unmarshal([]byte(emails), &k.Emails)
		_ = json.Unmarshal([]byte(phones), &k.Phones)
		out = append(out, k)
	}
	return out, rows.Err()
}
