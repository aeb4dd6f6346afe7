package store

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"
	"time"

	"klientela/internal/crm"
)

// Bulk inserts: many records of one account in the caller's transaction,
// each row exactly as the one-record methods leave it (the same columns,
// the same search key), with statements prepared once per call. For
// imports and demo data; the pages and the API use the one-record methods.

// ClientRecord is a new client with its contact persons and groups.
type ClientRecord struct {
	Client   crm.Client
	Persons  []crm.ClientPerson
	GroupIDs []int64
}

var errNeedTx = errors.New("store: bulk inserts run inside InTx")

// prepare prepares q on the transaction.
func (d db) prepare(ctx context.Context, q string) (*sql.Stmt, error) {
	if d.tx == nil {
		return nil, errNeedTx
	}
	st, err := d.tx.PrepareContext(ctx, d.bind(q))
	return st, mapError(err)
}

// clientColumnsIn are the columns a bulk insert of clients writes, and
// clientRowValues one client's values for them.
const clientColumnsIn = `account_id, kind, name, first_name, last_name, short_name, nip, regon, pesel, emails, phones,
	website, street, postal_code, city, country, birthday, status, employee_id, business_id, notes, search_key,
	created_at, updated_at`

func (t *Tenant) clientRowValues(r ClientRecord) []any {
	c := r.Client
	return []any{t.account, c.Kind, c.Name, c.FirstName, c.LastName, c.ShortName, c.NIP, c.REGON, c.PESEL,
		jsonList(c.Emails), jsonList(c.Phones), c.Website, c.Street, c.PostalCode, c.City, c.Country, c.Birthday,
		c.Status, c.EmployeeID, c.BusinessID, c.Notes, clientSearchKey(c, r.Persons), c.CreatedAt, c.UpdatedAt}
}

// clientRows is how many clients one INSERT carries on SQLite (25 values
// each).
const clientRows = 250

// InsertClients adds clients as CreateClient, CreateClientPerson and
// SetClientGroups would, and returns their ids in order. Call it inside
// InTx: nothing is written unless all are.
func (t *Tenant) InsertClients(ctx context.Context, recs []ClientRecord) ([]int64, error) {
	var ids []int64
	var err error
	if t.dialect == SQLite {
		ids, err = t.insertClientRowsSQLite(ctx, recs)
	} else {
		ids, err = t.insertClientRows(ctx, recs)
	}
	if err != nil {
		return nil, err
	}
	person, err := t.prepare(ctx, `INSERT INTO client_persons (account_id, client_id, first_name, last_name, role, phone,
		email, birthday, notes, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return nil, err
	}
	defer person.Close()
	member, err := t.prepare(ctx, `INSERT INTO client_group_members (account_id, group_id, client_id) VALUES (?, ?, ?)`)
	if err != nil {
		return nil, err
	}
	defer member.Close()
	for i, r := range recs {
		for _, p := range r.Persons {
			if _, err := person.ExecContext(ctx, t.args([]any{t.account, ids[i], p.FirstName, p.LastName, p.Role,
				p.Phone, p.Email, p.Birthday, p.Notes, p.CreatedAt, p.UpdatedAt})...); err != nil {
				return nil, mapError(err)
			}
		}
		for _, g := range r.GroupIDs {
			if _, err := member.ExecContext(ctx, t.account, g, ids[i]); err != nil {
				return nil, mapError(err)
			}
		}
	}
	return ids, t.countClients(ctx, len(recs), 0) // new clients are never in the trash
}

// insertClientRows inserts the clients one row a statement, each
// returning its id (PostgreSQL).
func (t *Tenant) insertClientRows(ctx context.Context, recs []ClientRecord) ([]int64, error) {
	st, err := t.prepare(ctx, `INSERT INTO clients (`+clientColumnsIn+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	ids := make([]int64, len(recs))
	for i, r := range recs {
		if err := st.QueryRowContext(ctx, t.args(t.clientRowValues(r))...).Scan(&ids[i]); err != nil {
			return nil, mapError(err)
		}
	}
	return ids, nil
}

// insertClientRowsSQLite inserts the clients clientRows a statement with
// ids of their own, after the highest one (what SQLite would choose: the
// table has no AUTOINCREMENT, and the transaction holds the write lock).
// One row a statement cost 30 times more: every statement of a
// transaction that writes the search index (its triggers) opens a
// savepoint, and FTS5 writes its pending rows out as a new segment at
// each, so each client became a segment for the index to merge again and
// again — two thirds of the demo's seeding of 20 000 clients.
func (t *Tenant) insertClientRowsSQLite(ctx context.Context, recs []ClientRecord) ([]int64, error) {
	var last int64
	if err := t.writeRow(ctx, `SELECT COALESCE(MAX(id), 0) FROM clients`).Scan(&last); err != nil {
		return nil, mapError(err)
	}
	ids := make([]int64, 0, len(recs))
	row := `(?, ` + strings.TrimSuffix(strings.Repeat(`?, `, 24), `, `) + `)`
	var full *sql.Stmt
	defer func() {
		if full != nil {
			full.Close()
		}
	}()
	for len(recs) > 0 {
		n := min(len(recs), clientRows)
		args := make([]any, 0, n*25)
		for _, r := range recs[:n] {
			last++
			ids = append(ids, last)
			args = append(args, last)
			args = append(args, t.clientRowValues(r)...)
		}
		st := full
		if st == nil || n < clientRows {
			var err error
			if st, err = t.prepare(ctx, `INSERT INTO clients (id, `+clientColumnsIn+`) VALUES `+
				strings.TrimSuffix(strings.Repeat(row+`, `, n), `, `)); err != nil {
				return nil, err
			}
			if n == clientRows {
				full = st
			} else {
				defer st.Close()
			}
		}
		if _, err := st.ExecContext(ctx, t.args(args)...); err != nil {
			return nil, mapError(err)
		}
		recs = recs[n:]
	}
	return ids, nil
}

// contactRows is how many planned contacts one INSERT carries (14 values
// each, well under both engines' limits on parameters).
const contactRows = 500

// InsertContacts adds planned contacts as CreateContact would, their
// reminders included: a planned contact after now is reminded
// crm.ContactReminderLead before its time (one before now, history or an
// overdue contact, is not). Call it inside InTx: nothing is written unless
// all are.
func (t *Tenant) InsertContacts(ctx context.Context, cs []crm.PlannedContact, now time.Time) (err error) {
	if len(cs) == 0 {
		return nil
	}
	defer func() {
		// The reminder's time is worked out here, in SQL, not left to the
		// runner: 100 000 rows "due at once" for it to reschedule kept a
		// core busy for minutes after the demo was seeded.
		if err == nil {
			_, err = t.exec(ctx, `INSERT INTO reminders (account_id, contact_id, due_at, occurrence)
				SELECT p.account_id, p.id, `+t.timeBefore("p.at", crm.ContactReminderLead)+`, p.at FROM planned_contacts p
				WHERE p.account_id = ? AND p.status = ? AND p.at > ?
				AND NOT EXISTS (SELECT 1 FROM reminders r WHERE r.account_id = p.account_id AND r.contact_id = p.id)`,
				t.account, crm.ContactPlanned, now)
			err = mapError(err)
		}
	}()
	var full *sql.Stmt
	defer func() {
		if full != nil {
			full.Close()
		}
	}()
	for len(cs) > 0 {
		n := min(len(cs), contactRows)
		q := `INSERT INTO planned_contacts (account_id, client_id, person_id, employee_id, at, channel, subject, notes,
			status, outcome, outcome_note, done_at, created_at, updated_at) VALUES ` +
			strings.TrimSuffix(strings.Repeat(`(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?),`, n), ",")
		args := make([]any, 0, n*14)
		for _, c := range cs[:n] {
			args = append(args, t.account, c.ClientID, c.PersonID, c.EmployeeID, c.At, c.Channel, c.Subject, c.Notes,
				c.Status, c.Outcome, c.OutcomeNote, c.DoneAt, c.CreatedAt, c.UpdatedAt)
		}
		st := full
		if n < contactRows || full == nil {
			var err error
			if st, err = t.prepare(ctx, q); err != nil {
				return err
			}
			if n == contactRows {
				full = st
			} else {
				defer st.Close()
			}
		}
		if _, err := st.ExecContext(ctx, t.args(args)...); err != nil {
			return mapError(err)
		}
		cs = cs[n:]
	}
	return nil
}

// bulkCacheKiB is the writer's page cache during a bulk load: big inserts
// touch every index of their tables, and a cache that holds the indexes
// saves reading and writing their pages again and again (100 000 clients
// with 300 000 tasks and contacts: most of the demo's time on SQLite).
const bulkCacheKiB = 256 << 10

// searchIndexes are SQLite's FTS5 search indexes.
var searchIndexes = []string{"clients_search", "tasks_search", "documents_search"}

// ftsAutomerge is FTS5's default 'automerge' setting.
const ftsAutomerge = 4

// BulkLoad runs fn, which writes many rows (imports, demo data), with a
// bigger page cache for the writer on SQLite and the search indexes'
// incremental merging off (every transaction of a load adds a segment,
// and merging them as they come rewrote the index again and again; the
// merge into one segment is done once, by Optimize). Both come back
// afterwards. Call Optimize after the load.
func (s *Store) BulkLoad(ctx context.Context, fn func() error) error {
	if s.dialect != SQLite {
		return fn()
	}
	set := func(ctx context.Context, cacheKiB, automerge int) error {
		qs := []string{`PRAGMA cache_size = ` + strconv.Itoa(-cacheKiB)}
		for _, ix := range searchIndexes {
			qs = append(qs, `INSERT INTO `+ix+` (`+ix+`, rank) VALUES ('automerge', `+strconv.Itoa(automerge)+`)`)
		}
		for _, q := range qs {
			if _, err := s.writeDB.ExecContext(ctx, q); err != nil {
				return mapError(err)
			}
		}
		return nil
	}
	if err := set(ctx, bulkCacheKiB, 0); err != nil {
		return errors.Join(err, set(context.WithoutCancel(ctx), sqliteCacheKiB, ftsAutomerge))
	}
	err := fn()
	return errors.Join(err, set(context.WithoutCancel(ctx), sqliteCacheKiB, ftsAutomerge))
}

// Optimize refreshes the statistics the query planners choose indexes by,
// after a bulk load, and tidies the search index: on SQLite it merges the
// FTS5 index's segments into one (every transaction of a bulk load adds
// segments, and a query seeks in each: 10 ms instead of 1 at 7 000
// clients); on PostgreSQL VACUUM also sets the visibility map that lets a
// count be answered from an index alone.
func (s *Store) Optimize(ctx context.Context) error {
	var qs []string
	for _, ix := range searchIndexes {
		qs = append(qs, `INSERT INTO `+ix+` (`+ix+`) VALUES ('optimize')`)
	}
	qs = append(qs, `ANALYZE`)
	if s.dialect == Postgres {
		// The tables of this schema only: a bare VACUUM visits every table
		// of the database, and fails when another schema's table is dropped
		// meanwhile (a shared test server).
		rows, err := s.writeDB.QueryContext(ctx, `SELECT quote_ident(tablename) FROM pg_tables
			WHERE schemaname = current_schema() ORDER BY tablename`)
		if err != nil {
			return mapError(err)
		}
		var tables []string
		for rows.Next() {
			var t string
			if err := rows.Scan(&t); err != nil {
				rows.Close()
				return err
			}
			tables = append(tables, t)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if len(tables) == 0 {
			return nil
		}
		qs = []string{`VACUUM ANALYZE ` + strings.Join(tables, ", ")}
	}
	for _, q := range qs {
		if _, err := s.writeDB.ExecContext(ctx, q); err != nil {
			return mapError(err)
		}
	}
	return nil
}
