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

// maxBulkValues bounds the values one multi-row INSERT binds: SQLite's
// limit is 32 766 (PostgreSQL's 65 535).
const maxBulkValues = 32000

// rowsInsert writes rows of one table with multi-row INSERTs of up to
// per rows each, in the caller's transaction. The statement of per rows
// is prepared once and reused (built afresh, a statement of 500 tasks was
// parsed at each call with its triggers: 3 s of the demo's 300 000 tasks),
// the last, shorter one apart. Few, long statements matter on SQLite:
// every statement that writes through a trigger opens a savepoint, at
// which FTS5 writes the search index's pending rows out as a new segment
// for the index to merge later.
type rowsInsert struct {
	t    *Tenant
	head string // INSERT INTO table (columns) VALUES
	row  string // one row's placeholders: (?, ?, …)
	tail string // after the rows, e.g. " RETURNING id"
	cols int
	per  int
	full *sql.Stmt
}

// newRowsInsert starts the INSERTs of head (up to and with VALUES) with
// cols values a row and tail after the rows.
func (t *Tenant) newRowsInsert(head string, cols int, tail string) *rowsInsert {
	return &rowsInsert{t: t, head: head, tail: tail, cols: cols, per: maxBulkValues / cols,
		row: `(?` + strings.Repeat(`, ?`, cols-1) + `)`}
}

// rows calls fn with each statement to run and its values: vals, cols to a
// row, split into statements of at most per rows.
func (ri *rowsInsert) rows(ctx context.Context, vals []any, fn func(st *sql.Stmt, vals []any) error) error {
	if len(vals)%ri.cols != 0 {
		return errors.New("store: bulk insert: values are not whole rows")
	}
	for len(vals) > 0 {
		n := min(len(vals)/ri.cols, ri.per)
		st := ri.full
		if st == nil || n < ri.per {
			var err error
			if st, err = ri.t.prepare(ctx, ri.head+` `+strings.TrimSuffix(strings.Repeat(ri.row+`, `, n), `, `)+ri.tail); err != nil {
				return err
			}
			if n == ri.per {
				ri.full = st
			} else {
				defer st.Close()
			}
		}
		if err := fn(st, ri.t.args(vals[:n*ri.cols])); err != nil {
			return mapError(err)
		}
		vals = vals[n*ri.cols:]
	}
	return nil
}

// exec inserts the rows of vals.
func (ri *rowsInsert) exec(ctx context.Context, vals []any) error {
	return ri.rows(ctx, vals, func(st *sql.Stmt, vals []any) error {
		_, err := st.ExecContext(ctx, vals...)
		return err
	})
}

// ids inserts the rows of vals and returns what each row's RETURNING id
// gave, in the rows' order.
func (ri *rowsInsert) ids(ctx context.Context, vals []any) ([]int64, error) {
	ids := make([]int64, 0, len(vals)/ri.cols)
	err := ri.rows(ctx, vals, func(st *sql.Stmt, vals []any) error {
		rows, err := st.QueryContext(ctx, vals...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return err
			}
			ids = append(ids, id)
		}
		return rows.Err()
	})
	if err == nil && len(ids) != len(vals)/ri.cols {
		err = errors.New("store: bulk insert: fewer ids than rows")
	}
	return ids, err
}

// insertStaged inserts rows into table (SQLite) through a temporary copy
// of it: the rows go in there first, with rowsInsert, then into the table
// in one INSERT … SELECT. The search index's trigger then writes in one
// statement, so FTS5 makes one segment of the whole transaction's rows
// instead of one a statement, which it would merge again and again (and
// once more in Optimize), and the statement journal of the triggers is
// written once: the demo's 100 000 clients, 300 000 planned contacts and
// 300 000 tasks in 4 s less. The copy is the connection's own and lives in
// memory (temp_store); it is emptied before the transaction ends, and
// rolled back with it.
func (t *Tenant) insertStaged(ctx context.Context, table, columns string, cols int, vals []any) error {
	tmp := `temp.bulk_` + table
	if _, err := t.w.ExecContext(ctx, `CREATE TEMP TABLE IF NOT EXISTS bulk_`+table+` AS SELECT `+columns+
		` FROM main.`+table+` WHERE 0`); err != nil {
		return mapError(err)
	}
	ri := t.newRowsInsert(`INSERT INTO `+tmp+` (`+columns+`) VALUES`, cols, ``)
	defer ri.close()
	if err := ri.exec(ctx, vals); err != nil {
		return err
	}
	for _, q := range []string{
		`INSERT INTO main.` + table + ` (` + columns + `) SELECT ` + columns + ` FROM ` + tmp + ` ORDER BY rowid`,
		`DELETE FROM ` + tmp,
	} {
		if _, err := t.w.ExecContext(ctx, q); err != nil {
			return mapError(err)
		}
	}
	return nil
}

// close releases the prepared statement.
func (ri *rowsInsert) close() {
	if ri.full != nil {
		ri.full.Close()
	}
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
	var persons, members []any
	for i, r := range recs {
		for _, p := range r.Persons {
			persons = append(persons, t.account, ids[i], p.FirstName, p.LastName, p.Role, p.Phone, p.Email, p.Birthday,
				p.Notes, p.CreatedAt, p.UpdatedAt)
		}
		for _, g := range r.GroupIDs {
			members = append(members, t.account, g, ids[i])
		}
	}
	person := t.newRowsInsert(`INSERT INTO client_persons (account_id, client_id, first_name, last_name, role, phone,
		email, birthday, notes, created_at, updated_at) VALUES`, 11, ``)
	defer person.close()
	if err := person.exec(ctx, persons); err != nil {
		return nil, err
	}
	member := t.newRowsInsert(`INSERT INTO client_group_members (account_id, group_id, client_id) VALUES`, 3, ``)
	defer member.close()
	if err := member.exec(ctx, members); err != nil {
		return nil, err
	}
	return ids, t.countClients(ctx, len(recs), 0) // new clients are never in the trash
}

// insertClientRows inserts the clients, each returning its id
// (PostgreSQL).
func (t *Tenant) insertClientRows(ctx context.Context, recs []ClientRecord) ([]int64, error) {
	ins := t.newRowsInsert(`INSERT INTO clients (`+clientColumnsIn+`) VALUES`, 24, ` RETURNING id`)
	defer ins.close()
	vals := make([]any, 0, len(recs)*24)
	for _, r := range recs {
		vals = append(vals, t.clientRowValues(r)...)
	}
	return ins.ids(ctx, vals)
}

// insertClientRowsSQLite inserts the clients with ids of their own, after
// the highest one (what SQLite would choose: the table has no
// AUTOINCREMENT, and the transaction holds the write lock). One row a
// statement cost 30 times more: every statement of a transaction that
// writes the search index (its triggers) opens a savepoint, and FTS5
// writes its pending rows out as a new segment at each, so each client
// became a segment for the index to merge again and again — two thirds of
// the demo's seeding of 20 000 clients.
func (t *Tenant) insertClientRowsSQLite(ctx context.Context, recs []ClientRecord) ([]int64, error) {
	var last int64
	if err := t.writeRow(ctx, `SELECT COALESCE(MAX(id), 0) FROM clients`).Scan(&last); err != nil {
		return nil, mapError(err)
	}
	ids := make([]int64, 0, len(recs))
	vals := make([]any, 0, len(recs)*25)
	for _, r := range recs {
		last++
		ids = append(ids, last)
		vals = append(append(vals, last), t.clientRowValues(r)...)
	}
	return ids, t.insertStaged(ctx, "clients", `id, `+clientColumnsIn, 25, vals)
}

// InsertContacts adds planned contacts as CreateContact would, their
// reminders included: a planned contact after now is reminded
// crm.ContactReminderLead before its time (one before now, history or an
// overdue contact, is not). Call it inside InTx: nothing is written unless
// all are.
func (t *Tenant) InsertContacts(ctx context.Context, cs []crm.PlannedContact, now time.Time) error {
	if len(cs) == 0 {
		return nil
	}
	const columns = `account_id, client_id, person_id, employee_id, at, channel, subject, notes, status, outcome,
		outcome_note, done_at, created_at, updated_at`
	vals := make([]any, 0, len(cs)*14)
	for _, c := range cs {
		vals = append(vals, t.account, c.ClientID, c.PersonID, c.EmployeeID, c.At, c.Channel, c.Subject, c.Notes,
			c.Status, c.Outcome, c.OutcomeNote, c.DoneAt, c.CreatedAt, c.UpdatedAt)
	}
	if t.dialect == SQLite {
		// One statement for the whole transaction's rows (insertStaged): its
		// triggers' statement journal once instead of at each statement.
		if err := t.insertStaged(ctx, "planned_contacts", columns, 14, vals); err != nil {
			return err
		}
	} else {
		ins := t.newRowsInsert(`INSERT INTO planned_contacts (`+columns+`) VALUES`, 14, ``)
		defer ins.close()
		if err := ins.exec(ctx, vals); err != nil {
			return err
		}
	}
	// The reminder's time is worked out here, in SQL, not left to the
	// runner: 100 000 rows "due at once" for it to reschedule kept a core
	// busy for minutes after the demo was seeded.
	_, err := t.exec(ctx, `INSERT INTO reminders (account_id, contact_id, due_at, occurrence)
		SELECT p.account_id, p.id, `+t.timeBefore("p.at", crm.ContactReminderLead)+`, p.at FROM planned_contacts p
		WHERE p.account_id = ? AND p.status = ? AND p.at > ?
		AND NOT EXISTS (SELECT 1 FROM reminders r WHERE r.account_id = p.account_id AND r.contact_id = p.id)`,
		t.account, crm.ContactPlanned, now)
	return mapError(err)
}

// bulkCacheKiB is the writer's page cache during a bulk load: big inserts
// touch every index of their tables, and a cache that holds the indexes
// saves reading and writing their pages again and again (100 000 clients
// with 300 000 tasks and contacts: most of the demo's time on SQLite).
const bulkCacheKiB = 1 << 20

// searchIndexes are SQLite's FTS5 search indexes.
var searchIndexes = []string{"clients_search", "tasks_search", "documents_search"}

// ftsAutomerge is FTS5's default 'automerge' setting.
const ftsAutomerge = 4

// BulkLoad runs fn, which writes many rows (imports, demo data), with a
// bigger page cache for the writer on SQLite and the search indexes'
// incremental merging off (every transaction of a load adds a segment,
// and merging them as they come rewrote the index again and again; the
// merge into one segment is done once, by Optimize). Both come back
// afterwards. Call Optimize at the end of fn, while the cache is big.
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

// searchMergePages is how many pages of the search index one step of
// TidySearchIndexes merges (about 5–20 ms of the writer's time; writers
// queue behind a step, not behind the whole tidy), and searchMergeSteps
// bounds the steps of one call.
const (
	searchMergePages = 200
	searchMergeSteps = 100
)

// TidySearchIndexes merges the segments of SQLite's search indexes (a
// no-op on PostgreSQL, whose trigram indexes autovacuum keeps). Each write
// adds a small segment to an FTS5 index, its automerge lags behind them,
// and a query seeks in every one: after the load benchmark's 12 000 single
// POSTs the clients' index had 19 segments instead of 1, and the search
// for „łódź” answered 230 instead of 332 times a second. With 'usermerge'
// 2 a 'merge' joins two segments of a level, so the big segment a bulk
// load left is rewritten only when another as big has grown beside it;
// the merging goes in steps, each its own transaction. It returns how
// many steps merged something.
func (s *Store) TidySearchIndexes(ctx context.Context) (int, error) {
	if s.dialect != SQLite {
		return 0, nil
	}
	merged := 0
	for _, ix := range searchIndexes {
		if _, err := s.writeDB.ExecContext(ctx, `INSERT INTO `+ix+` (`+ix+`, rank) VALUES ('usermerge', 2)`); err != nil {
			return merged, mapError(err)
		}
		for range searchMergeSteps {
			worked, err := s.mergeStep(ctx, ix)
			if err != nil {
				return merged, err
			}
			if !worked {
				break
			}
			merged++
		}
	}
	return merged, nil
}

// mergeStep runs one 'merge' of ix and reports whether it wrote anything
// (FTS5's own test: the connection's total changes grew by more than 2).
func (s *Store) mergeStep(ctx context.Context, ix string) (bool, error) {
	conn, err := s.writeDB.Conn(ctx)
	if err != nil {
		return false, mapError(err)
	}
	defer conn.Close()
	var before, after int64
	if err := conn.QueryRowContext(ctx, `SELECT total_changes()`).Scan(&before); err != nil {
		return false, mapError(err)
	}
	if _, err := conn.ExecContext(ctx, `INSERT INTO `+ix+` (`+ix+`, rank) VALUES ('merge', `+
		strconv.Itoa(searchMergePages)+`)`); err != nil {
		return false, mapError(err)
	}
	if err := conn.QueryRowContext(ctx, `SELECT total_changes()`).Scan(&after); err != nil {
		return false, mapError(err)
	}
	return after-before > 2, nil
}
