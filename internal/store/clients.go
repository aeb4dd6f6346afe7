package store

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"klientela/internal/crm"
	"klientela/internal/plid"
	"klientela/internal/search"
)

const clientColumns = `c.id, c.account_id, c.kind, c.name, c.first_name, c.last_name, c.short_name, c.nip, c.regon, c.pesel,
	c.emails, c.phones, c.website, c.street, c.postal_code, c.city, c.country, c.birthday, c.status, c.employee_id,
	c.business_id, c.notes, c.deleted_at, c.created_at, c.updated_at`

func scanClient(sc interface{ Scan(...any) error }, c *crm.Client) error {
	var emails, phones string
	err := sc.Scan(&c.ID, &c.AccountID, &c.Kind, &c.Name, &c.FirstName, &c.LastName, &c.ShortName, &c.NIP, &c.REGON,
		&c.PESEL, &emails, &phones, &c.Website, &c.Street, &c.PostalCode, &c.City, &c.Country, &c.Birthday, &c.Status,
		&c.EmployeeID, &c.BusinessID, &c.Notes, &c.DeletedAt, &c.CreatedAt, &c.UpdatedAt)
	if err != nil {
		return err
	}
	_ = json.Unmarshal([]byte(emails), &c.Emails)
	_ = json.Unmarshal([]byte(phones), &c.Phones)
	return nil
}

func jsonList(s []string) string {
	if len(s) == 0 {
		return "[]"
	}
	b, _ := json.Marshal(s)
	return string(b)
}

// clientSearchKey is built from the client's names, identifiers, contacts
// and city, and from its contact persons: "lodz" finds "Łódź", a NIP is
// found with and without dashes, a person's phone finds their client.
func clientSearchKey(c crm.Client, persons []crm.ClientPerson) string {
	parts := []string{c.Name, c.ShortName, plid.FormatNIP(c.NIP), c.REGON, c.City}
	parts = append(parts, c.Emails...)
	parts = append(parts, c.Phones...)
	for _, p := range persons {
		parts = append(parts, p.FirstName, p.LastName, p.Email, p.Phone)
	}
	return search.Key(parts...)
}

// CreateClient adds a client and returns its id.
func (t *Tenant) CreateClient(ctx context.Context, c crm.Client) (int64, error) {
	var id int64
	err := t.InTx(ctx, func(t *Tenant) error {
		err := t.writeRow(ctx, `INSERT INTO clients (account_id, kind, name, first_name, last_name, short_name, nip, regon, pesel,
		emails, phones, website, street, postal_code, city, country, birthday, status, employee_id, business_id, notes,
		search_key, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			t.account, c.Kind, c.Name, c.FirstName, c.LastName, c.ShortName, c.NIP, c.REGON, c.PESEL, jsonList(c.Emails),
			jsonList(c.Phones), c.Website, c.Street, c.PostalCode, c.City, c.Country, c.Birthday, c.Status, c.EmployeeID,
			c.BusinessID, c.Notes, clientSearchKey(c, nil), c.CreatedAt, c.UpdatedAt).Scan(&id)
		if err != nil {
			return mapError(err)
		}
		return t.countClients(ctx, 1, 0) // a new client is never in the trash
	})
	return id, err
}

// liveOrTrashed returns n as a change of the live or of the trashed count.
func liveOrTrashed(deletedAt *time.Time, n int) (live, trashed int) {
	if deletedAt == nil {
		return n, 0
	}
	return 0, n
}

// countClients changes the account's client counts (client_counts), in
// the transaction of the change that causes it, last before it commits
// (atCommit).
func (t *Tenant) countClients(ctx context.Context, live, trashed int) error {
	if live == 0 && trashed == 0 {
		return nil
	}
	q := `INSERT INTO client_counts (account_id, live, trashed) VALUES (?, ?, ?)
		ON CONFLICT (account_id) DO UPDATE SET live = client_counts.live + excluded.live,
		trashed = client_counts.trashed + excluded.trashed`
	if t.dialect == Postgres { // the backend's shard (migration 00027)
		q = `INSERT INTO client_counts (account_id, shard, live, trashed) VALUES (?, pg_backend_pid() % 16, ?, ?)
			ON CONFLICT (account_id, shard) DO UPDATE SET live = client_counts.live + excluded.live,
			trashed = client_counts.trashed + excluded.trashed`
	}
	return t.atCommit(ctx, func(ctx context.Context) error {
		_, err := t.exec(ctx, q, t.account, live, trashed)
		return err
	})
}

// UpdateClient saves every field of a client of the account (in the trash
// or not).
func (t *Tenant) UpdateClient(ctx context.Context, c crm.Client) error {
	persons, err := t.ClientPersons(ctx, c.ID)
	if err != nil {
		return err
	}
	res, err := t.exec(ctx, `UPDATE clients SET kind = ?, name = ?, first_name = ?, last_name = ?, short_name = ?, nip = ?,
		regon = ?, pesel = ?, emails = ?, phones = ?, website = ?, street = ?, postal_code = ?, city = ?, country = ?,
		birthday = ?, status = ?, employee_id = ?, business_id = ?, notes = ?, search_key = ?, updated_at = ?
		WHERE account_id = ? AND id = ?`,
		c.Kind, c.Name, c.FirstName, c.LastName, c.ShortName, c.NIP, c.REGON, c.PESEL, jsonList(c.Emails),
		jsonList(c.Phones), c.Website, c.Street, c.PostalCode, c.City, c.Country, c.Birthday, c.Status, c.EmployeeID,
		c.BusinessID, c.Notes, clientSearchKey(c, persons), c.UpdatedAt, t.account, c.ID)
	return affectedOne(res, err)
}

// refreshClientKey recomputes a client's search key after its contact
// persons changed.
func (t *Tenant) refreshClientKey(ctx context.Context, id int64) error {
	c, err := t.Client(ctx, id)
	if err != nil {
		return err
	}
	persons, err := t.ClientPersons(ctx, id)
	if err != nil {
		return err
	}
	_, err = t.exec(ctx, `UPDATE clients SET search_key = ? WHERE account_id = ? AND id = ?`,
		clientSearchKey(c, persons), t.account, id)
	return mapError(err)
}

// Client returns one client of the account, also from the trash.
func (t *Tenant) Client(ctx context.Context, id int64) (crm.Client, error) {
	var c crm.Client
	err := scanClient(t.queryRow(ctx, `SELECT `+clientColumns+` FROM clients c WHERE c.account_id = ? AND c.id = ?`, t.account, id), &c)
	return c, mapError(err)
}

// SetClientDeleted moves a client to the trash (at non-nil) or back.
func (t *Tenant) SetClientDeleted(ctx context.Context, id int64, at *time.Time, now time.Time) error {
	return t.InTx(ctx, func(t *Tenant) error {
		// First as a client out of the trash: whether that row changed says
		// how the counts move, and the row lock makes a concurrent call
		// see the new state.
		res, err := t.exec(ctx, `UPDATE clients SET deleted_at = ?, updated_at = ? WHERE account_id = ? AND id = ?
			AND deleted_at IS NULL`, at, now, t.account, id)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 1 {
			if at == nil {
				return nil
			}
			return t.countClients(ctx, -1, 1)
		}
		res, err = t.exec(ctx, `UPDATE clients SET deleted_at = ?, updated_at = ? WHERE account_id = ? AND id = ?`,
			at, now, t.account, id)
		if err := affectedOne(res, err); err != nil {
			return err
		}
		if at == nil {
			return t.countClients(ctx, 1, -1)
		}
		return nil
	})
}

// PurgeClient removes a client and its contact persons for good.
func (t *Tenant) PurgeClient(ctx context.Context, id int64) error {
	return t.InTx(ctx, func(t *Tenant) error {
		var was *time.Time
		err := t.writeRow(ctx, `DELETE FROM clients WHERE account_id = ? AND id = ? RETURNING deleted_at`, t.account, id).Scan(&was)
		if err != nil {
			return mapError(err)
		}
		live, trashed := liveOrTrashed(was, -1)
		return t.countClients(ctx, live, trashed)
	})
}

// ClientFilter selects and orders clients.
type ClientFilter struct {
	Q           string // search: names, NIP, e-mails, phones, city, contact persons
	Status      string
	EmployeeID  int64
	BusinessID  int64
	GroupID     int64     // only the members of this group
	Tag         string    // only the clients with this tag (any case)
	Overdue     bool      // only the clients with a planned contact due before Now
	Now         time.Time // for Overdue
	OwnOnly     bool      // only the clients of OwnEmployee (none when it is 0)
	OwnEmployee int64
	Trash       bool // the trash instead of the list
	Sort        string
	Offset      int
	Limit       int
	// After continues a walk through the list (keyset paging): only the
	// clients that come after this one in the order of Sort. Each batch of
	// a long walk (an export) then costs the same, however far it is.
	After *crm.Client
	// NoCount skips counting all matches (Clients returns 0 for the total).
	NoCount bool
	// CountMax stops a search's count after CountMax+1 matches (0: count
	// all), as TaskFilter.CountMax; lists without a search count exactly.
	CountMax int
}

// sortKey is one column of a list order: its SQL, its direction, and its
// value in a client (for keyset paging).
type sortKey struct {
	col  string
	desc bool
	val  func(c *crm.Client) any
}

var (
	byName    = func(c *crm.Client) any { return c.Name }
	byCity    = func(c *crm.Client) any { return c.City }
	byID      = func(c *crm.Client) any { return c.ID }
	byDeleted = func(c *crm.Client) any { return c.DeletedAt }
)

// clientOrders are the list's orders; every one ends with the id, so that
// it is total and a walk can continue after any client.
var clientOrders = map[string][]sortKey{
	"name":     {{"c.name", false, byName}, {"c.id", false, byID}},
	"-name":    {{"c.name", true, byName}, {"c.id", true, byID}},
	"city":     {{"c.city", false, byCity}, {"c.name", false, byName}, {"c.id", false, byID}},
	"-city":    {{"c.city", true, byCity}, {"c.name", false, byName}, {"c.id", false, byID}},
	"created":  {{"c.id", false, byID}},
	"-created": {{"c.id", true, byID}},
}

// trashOrder is the trash's order unless another is chosen: last deleted first.
var trashOrder = []sortKey{{"c.deleted_at", true, byDeleted}, {"c.id", true, byID}}

// clientOrder returns the ORDER BY of keys.
func clientOrder(keys []sortKey) string {
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(k.col)
		if k.desc {
			b.WriteString(" DESC")
		}
	}
	return b.String()
}

// clientAfter returns the condition "comes after c in the order of keys"
// and its arguments: a row comparison (a, b) > (x, y) when all keys go the
// same way, which both engines answer from an index on those columns;
// otherwise a > x OR a = x AND (b > y OR …).
func clientAfter(keys []sortKey, c *crm.Client) (string, []any) {
	var (
		b    strings.Builder
		args []any
	)
	same := true
	for _, k := range keys {
		same = same && k.desc == keys[0].desc
	}
	if same {
		cols := make([]string, len(keys))
		for i, k := range keys {
			cols[i] = k.col
			args = append(args, k.val(c))
		}
		op := " > ("
		if keys[0].desc {
			op = " < ("
		}
		return "(" + strings.Join(cols, ", ") + ")" + op + strings.TrimSuffix(strings.Repeat("?, ", len(keys)), ", ") + ")", args
	}
	for i, k := range keys {
		op := " > ?"
		if k.desc {
			op = " < ?"
		}
		if i > 0 {
			b.WriteString(" OR ")
		}
		b.WriteByte('(')
		for _, eq := range keys[:i] {
			b.WriteString(eq.col + " = ? AND ")
			args = append(args, eq.val(c))
		}
		b.WriteString(k.col + op + ")")
		args = append(args, k.val(c))
	}
	return "(" + b.String() + ")", args
}

// ClientSorts are the orders Clients understands.
var ClientSorts = []string{"name", "-name", "city", "-city", "created", "-created"}

// Clients lists the account's clients and counts all that match.
func (t *Tenant) Clients(ctx context.Context, f ClientFilter) ([]crm.Client, int, error) {
	where := ` WHERE c.account_id = ?`
	args := []any{t.account}
	if f.Trash {
		where += ` AND c.deleted_at IS NOT NULL`
	} else {
		where += ` AND c.deleted_at IS NULL`
	}
	terms := search.Terms(f.Q)
	var (
		likes    string // the words, as conditions on c.search_key
		likeArgs []any
	)
	for _, term := range terms {
		likes += ` AND c.search_key LIKE ? ESCAPE '\'`
		likeArgs = append(likeArgs, search.Like(term))
	}
	where += likes
	args = append(args, likeArgs...)
	if len(terms) > 0 {
		// A search is planned for its words at every call (see planEach),
		// but for the walk's page, whose plan does not depend on them.
		args = append([]any{planEach}, args...)
	}
	// The FTS5 trigram index finds the candidates of every term of 3+
	// characters; the LIKEs above stay the exact filter (and cover the
	// shorter terms). PostgreSQL serves the LIKEs from its trigram index.
	fts := search.Trigrams(terms)
	if t.dialect != SQLite {
		fts = ""
	}
	if f.Status != "" {
		where += ` AND c.status = ?`
		args = append(args, f.Status)
	}
	if f.EmployeeID > 0 {
		where += ` AND c.employee_id = ?`
		args = append(args, f.EmployeeID)
	}
	if f.BusinessID > 0 {
		where += ` AND c.business_id = ?`
		args = append(args, f.BusinessID)
	}
	if f.GroupID > 0 {
		where += ` AND EXISTS (SELECT 1 FROM client_group_members m WHERE m.account_id = c.account_id
			AND m.client_id = c.id AND m.group_id = ?)`
		args = append(args, f.GroupID)
	}
	if f.Tag != "" {
		where += ` AND EXISTS (SELECT 1 FROM client_tags tg WHERE tg.account_id = c.account_id AND tg.client_id = c.id
			AND tg.tag_key = ?)`
		args = append(args, TagKey(f.Tag))
	}
	if f.Overdue {
		// One seek per client on planned_contacts_overdue.
		where += ` AND EXISTS (SELECT 1 FROM planned_contacts pc WHERE pc.account_id = c.account_id AND pc.client_id = c.id
			AND pc.status = 'planned' AND pc.at < ?)`
		args = append(args, f.Now)
	}
	if f.OwnOnly {
		where += ` AND c.employee_id = ?`
		args = append(args, f.OwnEmployee)
	}
	keys, ok := clientOrders[f.Sort]
	switch {
	case f.Trash && f.Sort == "":
		keys = trashOrder
	case !ok:
		keys = clientOrders["name"]
	}
	order := clientOrder(keys)
	if f.After != nil {
		cond, after := clientAfter(keys, f.After)
		where += ` AND ` + cond
		args = append(args, after...)
		f.Offset = 0
	}
	if fts != "" && f.CountMax > 0 && !f.Trash && f.After == nil && (f.Sort == "" || f.Sort == "name" || f.Sort == "-name") {
		// A common word ("łódź": 3 000 of 100 000 clients) is cheaper
		// without the index for the page: clients_by_name carries the
		// search key (migration 00015), so walking it in the list's order
		// finds 50 matches in ~1 700 index entries without reading a row
		// (0.2–0.9 ms in the C sqlite3), while the index would hand over
		// all 3 000 matches to be read and sorted (8 ms). The count then
		// stops at CountMax+1 matches of the index. A rare word keeps the
		// index for both (the walk would read the whole account to find
		// its few matches). The index is asked first for at most
		// clientSearchProbe candidates (of any account: an upper bound).
		var n int
		if err := t.queryRow(ctx, `SELECT COUNT(*) FROM (SELECT rowid FROM clients_search WHERE clients_search MATCH ? LIMIT ?) x`,
			fts, clientSearchProbe).Scan(&n); err != nil {
			return nil, 0, mapError(err)
		}
		if n >= clientSearchProbe {
			return t.commonSearch(ctx, f, where, args, fts, order)
		}
	}
	from := `clients c`
	if fts != "" {
		// Driven from the index: CROSS JOIN keeps it the outer loop.
		// Written as c.id IN (…), SQLite walked clients_by_name (which
		// covers the LIKEs since 00015) through the whole account and
		// checked each id against the list instead.
		from = ftsFrom
		where += ftsWhere
		args = append(args, fts)
	}
	if t.dialect == Postgres && len(terms) > 0 && unfilteredBut(f) && !f.Trash && f.After == nil && f.CountMax > 0 &&
		(f.Sort == "" || f.Sort == "name" || f.Sort == "-name") {
		out, ok, err := t.walkSearch(ctx, likes, likeArgs, order, f)
		if err != nil {
			return nil, 0, err
		}
		if ok {
			if f.NoCount {
				return out, 0, nil
			}
			// Any plan will do for the capped count of a common word: it
			// stops at the CountMax+1st match (a sequential scan: 4–5 ms
			// for „łódź”).
			var total int
			err := t.queryRow(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM clients c`+where+` LIMIT ?) n`,
				append(slices.Clip(args), f.CountMax+1)...).Scan(&total)
			return out, total, mapError(err)
		}
	}
	// A search counts its matches in the same pass that finds the page
	// (the matches come from the search index, a few thousand at most rows
	// to read once instead of twice); the page's rows are read last, by id.
	// The plain list counts apart: its count reads only an index, and its
	// page stops after Limit rows of the name index.
	counted := len(terms) > 0 && !f.NoCount
	var (
		total int
		q     string
	)
	unfiltered := len(terms) == 0 && unfilteredBut(f)
	if unfiltered && !f.NoCount {
		col := `live`
		if f.Trash {
			col = `trashed`
		}
		// The sum of the account's shards (one row on SQLite, migration 00027).
		err := t.queryRow(ctx, `SELECT CAST(COALESCE(SUM(`+col+`), 0) AS BIGINT) FROM client_counts WHERE account_id = ?`,
			t.account).Scan(&total)
		if err != nil {
			return nil, 0, mapError(err)
		}
		f.NoCount = true
	}
	if counted {
		// The matches are found first, on their own (MATERIALIZED): asked
		// for them in the page's order, PostgreSQL walked the name index
		// through the whole account instead of using the trigram index.
		q = `WITH m AS MATERIALIZED (SELECT c.id, c.name, c.city, c.deleted_at FROM ` + from + where + `)
			SELECT ` + clientColumns + `, p.total FROM (SELECT c.id, COUNT(*) OVER () AS total FROM m c
			ORDER BY ` + order + ` LIMIT ? OFFSET ?) p JOIN clients c ON c.account_id = ? AND c.id = p.id ORDER BY ` + order
		args = append(args, f.Limit, f.Offset, t.account)
	} else {
		if !f.NoCount {
			if err := t.queryRow(ctx, `SELECT COUNT(*) FROM `+from+where, args...).Scan(&total); err != nil {
				return nil, 0, mapError(err)
			}
		}
		q = `SELECT ` + clientColumns + ` FROM ` + from + where + ` ORDER BY ` + order + ` LIMIT ? OFFSET ?`
		args = append(args, f.Limit, f.Offset)
	}
	rows, err := t.query(ctx, q, args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []crm.Client
	for rows.Next() {
		var c crm.Client
		sc := scanner(rows)
		if counted {
			sc = scanWith{rows, &total}
		}
		if err := scanClient(sc, &c); err != nil {
			return nil, 0, err
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	if counted && len(out) == 0 && f.Offset > 0 {
		// A page past the end has no row to carry the count.
		n := len(args) - 3
		if err := t.queryRow(ctx, `SELECT COUNT(*) FROM `+from+where, args[:n]...).Scan(&total); err != nil {
			return nil, 0, mapError(err)
		}
	}
	if counted && f.CountMax > 0 {
		total = min(total, f.CountMax+1)
	}
	return out, total, nil
}

// ftsFrom and ftsWhere take a search's candidates from the SQLite search
// index (one argument: the MATCH expression).
const (
	ftsFrom  = `clients_search CROSS JOIN clients c`
	ftsWhere = ` AND clients_search MATCH ? AND c.id = clients_search.rowid`
)

// clientSearchProbe is how many candidates of the SQLite search index a
// search looks at before choosing its plan (see Clients).
const clientSearchProbe = 2000

// commonSearch is Clients for a search whose words match many clients, on
// SQLite: the page walks the name index (which carries the search key),
// the capped count is driven by the search index.
func (t *Tenant) commonSearch(ctx context.Context, f ClientFilter, where string, args []any, fts, order string) ([]crm.Client, int, error) {
	total := 0
	if !f.NoCount {
		err := t.queryRow(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM `+ftsFrom+where+ftsWhere+` LIMIT ?) n`,
			append(slices.Clip(args), fts, f.CountMax+1)...).Scan(&total)
		if err != nil {
			return nil, 0, mapError(err)
		}
	}
	// The page's ids from the index alone, then its rows by id.
	rows, err := t.query(ctx, `SELECT `+clientColumns+` FROM (SELECT c.id FROM clients c`+where+` ORDER BY `+order+
		` LIMIT ? OFFSET ?) p CROSS JOIN clients c WHERE c.account_id = ? AND c.id = p.id ORDER BY `+order,
		append(slices.Clip(args), f.Limit, f.Offset, t.account)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []crm.Client
	for rows.Next() {
		var c crm.Client
		if err := scanClient(rows, &c); err != nil {
			return nil, 0, err
		}
		out = append(out, c)
	}
	return out, total, rows.Err()
}

// clientSearchWalk is how many entries of the list's order a search walks
// on PostgreSQL before it takes the trigram index instead (see walkSearch);
// a variable for the tests, which walk less than their clients.
var clientSearchWalk = 3000

// unfilteredBut reports whether f has no filter but its words (and the
// trash).
func unfilteredBut(f ClientFilter) bool {
	return f.Status == "" && f.EmployeeID == 0 && f.BusinessID == 0 && f.GroupID == 0 && f.Tag == "" && !f.Overdue && !f.OwnOnly
}

// walkSearch is the page of a search on PostgreSQL when its words are
// common: it walks the first clientSearchWalk clients of the list's order
// in clients_live_search_by_name (migration 00030), which carries the
// search key, so no row is read but the page's. ok is false when the walk
// did not find the whole page (a rare word: the trigram index finds its
// few matches faster than any walk). likes are the words' conditions and
// their arguments.
func (t *Tenant) walkSearch(ctx context.Context, likes string, likeArgs []any, order string, f ClientFilter) (out []crm.Client, ok bool, err error) {
	args := append([]any{t.account, clientSearchWalk}, likeArgs...)
	rows, err := t.query(ctx, `SELECT `+clientColumns+` FROM (SELECT c.id FROM (SELECT c.id, c.name, c.search_key FROM clients c
		WHERE c.account_id = ? AND c.deleted_at IS NULL ORDER BY `+order+` LIMIT ?) c WHERE TRUE`+likes+`
		ORDER BY `+order+` LIMIT ? OFFSET ?) p JOIN clients c ON c.account_id = ? AND c.id = p.id ORDER BY `+order,
		append(args, f.Limit, f.Offset, t.account)...)
	if err != nil {
		return nil, false, err
	}
	defer rows.Close()
	for rows.Next() {
		var c crm.Client
		if err := scanClient(rows, &c); err != nil {
			return nil, false, err
		}
		out = append(out, c)
	}
	return out, f.Limit > 0 && len(out) == f.Limit, rows.Err()
}

type scanner interface{ Scan(...any) error }

// scanWith scans a row's columns into dest and then extra.
type scanWith struct {
	sc    scanner
	extra any
}

func (s scanWith) Scan(dest ...any) error { return s.sc.Scan(append(dest, s.extra)...) }

// ClientsTrashedBefore lists, across accounts, the clients put in the
// trash before t (for the cleanup that empties old trash).
func (s *Store) ClientsTrashedBefore(ctx context.Context, before time.Time, limit int) ([]crm.Client, error) {
	rows, err := s.query(ctx, `SELECT `+clientColumns+` FROM clients c WHERE c.deleted_at IS NOT NULL AND c.deleted_at < ?
		ORDER BY c.id LIMIT ?`, before, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []crm.Client
	for rows.Next() {
		var c crm.Client
		if err := scanClient(rows, &c); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// HasActiveEmployee reports whether the account has the employee and it
// is active.
func (t *Tenant) HasActiveEmployee(ctx context.Context, id int64) (exists, active bool, err error) {
	var n, act int
	err = t.queryRow(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN active THEN 1 ELSE 0 END), 0) FROM employees
		WHERE account_id = ? AND id = ?`, t.account, id).Scan(&n, &act)
	return n > 0, act > 0, mapError(err)
}

const personColumns = `id, account_id, client_id, first_name, last_name, role, phone, email, birthday, notes, created_at, updated_at`

func scanPerson(sc interface{ Scan(...any) error }, p *crm.ClientPerson) error {
	return sc.Scan(&p.ID, &p.AccountID, &p.ClientID, &p.FirstName, &p.LastName, &p.Role, &p.Phone, &p.Email,
		&p.Birthday, &p.Notes, &p.CreatedAt, &p.UpdatedAt)
}

// ClientPersons lists a client's contact persons in the order they were added.
func (t *Tenant) ClientPersons(ctx context.Context, clientID int64) ([]crm.ClientPerson, error) {
	rows, err := t.query(ctx, `SELECT `+personColumns+` FROM client_persons WHERE account_id = ? AND client_id = ? ORDER BY id`,
		t.account, clientID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []crm.ClientPerson
	for rows.Next() {
		var p crm.ClientPerson
		if err := scanPerson(rows, &p); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// ClientPerson returns one contact person of a client.
func (t *Tenant) ClientPerson(ctx context.Context, clientID, id int64) (crm.ClientPerson, error) {
	var p crm.ClientPerson
	err := scanPerson(t.queryRow(ctx, `SELECT `+personColumns+` FROM client_persons WHERE account_id = ? AND client_id = ? AND id = ?`,
		t.account, clientID, id), &p)
	return p, mapError(err)
}

// CreateClientPerson adds a contact person and refreshes the client's
// search key.
func (t *Tenant) CreateClientPerson(ctx context.Context, p crm.ClientPerson) (int64, error) {
	var id int64
	err := t.writeRow(ctx, `INSERT INTO client_persons (account_id, client_id, first_name, last_name, role, phone, email,
		birthday, notes, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		t.account, p.ClientID, p.FirstName, p.LastName, p.Role, p.Phone, p.Email, p.Birthday, p.Notes, p.CreatedAt,
		p.UpdatedAt).Scan(&id)
	if err != nil {
		return 0, mapError(err)
	}
	return id, t.refreshClientKey(ctx, p.ClientID)
}

// UpdateClientPerson saves a contact person and refreshes the client's
// search key.
func (t *Tenant) UpdateClientPerson(ctx context.Context, p crm.ClientPerson) error {
	res, err := t.exec(ctx, `UPDATE client_persons SET first_name = ?, last_name = ?, role = ?, phone = ?, email = ?,
		birthday = ?, notes = ?, updated_at = ? WHERE account_id = ? AND client_id = ? AND id = ?`,
		p.FirstName, p.LastName, p.Role, p.Phone, p.Email, p.Birthday, p.Notes, p.UpdatedAt, t.account, p.ClientID, p.ID)
	if err := affectedOne(res, err); err != nil {
		return err
	}
	return t.refreshClientKey(ctx, p.ClientID)
}

// DeleteClientPerson removes a contact person and refreshes the client's
// search key.
func (t *Tenant) DeleteClientPerson(ctx context.Context, clientID, id int64) error {
	res, err := t.exec(ctx, `DELETE FROM client_persons WHERE account_id = ? AND client_id = ? AND id = ?`, t.account, clientID, id)
	if err := affectedOne(res, err); err != nil {
		return err
	}
	return t.refreshClientKey(ctx, clientID)
}

// CreateClients adds many clients with a few multi-row statements (an
// import's batch) and returns their ids in the order of cs. Ids are handed
// out in the order of the VALUES rows in both engines (an identity column,
// SQLite's rowid), so the ascending ids RETURNING yields belong to the rows
// in order, even if other transactions insert meanwhile.
func (t *Tenant) CreateClients(ctx context.Context, cs []crm.Client) ([]int64, error) {
	const per = 200 // 24 parameters a row: well under both engines' limits
	ids := make([]int64, 0, len(cs))
	for len(cs) > 0 {
		n := min(per, len(cs))
		q := `INSERT INTO clients (account_id, kind, name, first_name, last_name, short_name, nip, regon, pesel,
		emails, phones, website, street, postal_code, city, country, birthday, status, employee_id, business_id, notes,
		search_key, created_at, updated_at) VALUES ` +
			strings.TrimSuffix(strings.Repeat(`(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?), `, n), ", ") +
			` RETURNING id`
		args := make([]any, 0, n*24)
		for _, c := range cs[:n] {
			args = append(args, t.account, c.Kind, c.Name, c.FirstName, c.LastName, c.ShortName, c.NIP, c.REGON, c.PESEL,
				jsonList(c.Emails), jsonList(c.Phones), c.Website, c.Street, c.PostalCode, c.City, c.Country, c.Birthday,
				c.Status, c.EmployeeID, c.BusinessID, c.Notes, clientSearchKey(c, nil), c.CreatedAt, c.UpdatedAt)
		}
		rows, err := t.writeRows(ctx, q, args...)
		if err != nil {
			return nil, err
		}
		start := len(ids)
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return nil, mapError(err)
			}
			ids = append(ids, id)
		}
		if err := rows.Close(); err != nil {
			return nil, mapError(err)
		}
		if err := rows.Err(); err != nil {
			return nil, mapError(err)
		}
		if len(ids)-start != n {
			return nil, fmt.Errorf("store: %d clients inserted, %d ids returned", n, len(ids)-start)
		}
		slices.Sort(ids[start:])
		cs = cs[n:]
	}
	return ids, nil
}
