package store

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"klientela/internal/crm"
)

// The capped month view shows a few items a day and "+N" for the rest. The
// functions here give, for a list of windows (consecutive [bounds[i],
// bounds[i+1]) ranges, each inside one local day), the first few items of
// each window and how many there are in each, without reading the rest:
// the first ones from a LIMIT per window, the counts from index ranges
// (COUNT over an index reads neither the rows nor their times).
//
// The windows are a table of the statement (the CTE d, see windowsTable),
// and each day's part a subquery that names its row: one short statement
// whatever the number of days, the same text for every range of as many
// days. (One SELECT per day in a UNION ALL, 43 of them, was planned anew on
// every call: PostgreSQL spent longer planning it than running it, and
// SQLite re-prepares a statement whenever a value bound to it could change
// its plan (sqlite_stat4): the parse and plan of those statements were a
// third of the month's CPU.) SQLite has no LATERAL: there a day's first
// rows are found by a correlated IN (run once per row of d), on PostgreSQL
// by a LATERAL join (see firstOfWindows).

// ErrDaysUnsupported says that a filter has no per-window form; the
// caller reads the whole range instead.
var ErrDaysUnsupported = errors.New("store: no per-day form of this filter")

// windowsTable is the CTE d(w, lo, hi) of the windows of bounds: w the
// window's number, lo its first and hi its first excluded time. With
// openStart the first window excludes its start: lo is one microsecond
// after it (times are kept to the microsecond, see db.args).
func (t *Tenant) windowsTable(bounds []time.Time, openStart bool) (string, []any) {
	ts := `?`
	if t.dialect == Postgres {
		ts = `CAST(? AS TIMESTAMPTZ)`
	}
	var b strings.Builder
	args := make([]any, 0, 2*(len(bounds)-1))
	b.WriteString(`WITH d(w, lo, hi) AS (VALUES `)
	for w := 0; w < len(bounds)-1; w++ {
		if w > 0 {
			b.WriteString(`, `)
		}
		b.WriteString(`(` + strconv.Itoa(w) + `, ` + ts + `, ` + ts + `)`)
		lo := bounds[w].UTC()
		if w == 0 && openStart {
			lo = lo.Truncate(time.Microsecond).Add(time.Microsecond)
		}
		args = append(args, lo, bounds[w+1].UTC())
	}
	b.WriteString(`) `)
	return b.String(), args
}

// monthDaysTable is the CTE d(w, md) of month-days ("MM-DD").
func monthDaysTable(days []string) (string, []any) {
	var b strings.Builder
	args := make([]any, 0, len(days))
	b.WriteString(`WITH d(w, md) AS (VALUES `)
	for w, day := range days {
		if w > 0 {
			b.WriteString(`, `)
		}
		b.WriteString(`(` + strconv.Itoa(w) + `, ?)`)
		args = append(args, day)
	}
	b.WriteString(`) `)
	return b.String(), args
}

// firstOfWindows is the FROM and WHERE of a statement that joins each row
// of d to the rows of table (as alias) whose ids ids gives: a SELECT of
// one column id that names d's columns, with its own ORDER BY and LIMIT.
// The caller adds its other tables and conditions after them (without
// arguments: those of ids come first).
func (t *Tenant) firstOfWindows(table, alias, ids string) (from, where string) {
	if t.dialect == Postgres {
		return ` FROM d CROSS JOIN LATERAL (` + ids + `) k CROSS JOIN ` + table + ` ` + alias, ` WHERE ` + alias + `.id = k.id`
	}
	return ` FROM d CROSS JOIN ` + table + ` ` + alias, ` WHERE ` + alias + `.id IN (` + ids + `)`
}

// windowCounts runs with (the CTE d of n rows, with its arguments) and
// count, an SQL COUNT that names d's columns, for each row of d.
func (t *Tenant) windowCounts(ctx context.Context, with string, withArgs []any, n int, count string, args []any) ([]int, error) {
	rows, err := t.query(ctx, with+`SELECT d.w, (`+count+`) FROM d ORDER BY d.w`, append(append([]any{}, withArgs...), args...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	counts := make([]int, n)
	for rows.Next() {
		var w, c int
		if err := rows.Scan(&w, &c); err != nil {
			return nil, err
		}
		if w >= 0 && w < n {
			counts[w] = c
		}
	}
	return counts, rows.Err()
}

// employeeScope resolves a filter by employee (emp, 0 for everyone's) and
// an "only own" limit (ownOnly, to own) into the one employee whose
// records to read (0: everyone's). none: no record can match (only own,
// and the user has no employee). two: only own and another employee named
// — a record of one employee (a contact, a client) then matches nothing,
// a task of several employees may be both's.
func employeeScope(emp int64, ownOnly bool, own int64) (id int64, none, two bool) {
	switch {
	case !ownOnly:
		return emp, false, false
	case own == 0:
		return 0, true, false
	case emp == 0 || emp == own:
		return own, false, false
	}
	return emp, false, true
}

// contactStatusesShown are the statuses a calendar shows (every one but
// cancelled), as a list an index range can use.
var contactStatusesShown = []any{crm.ContactPlanned, crm.ContactDone}

// CalendarContactDays gives, for each window of bounds, the first perDay
// contacts of f (its From, To and Limit are not used) whose time falls in
// it (the first window excludes its start: a contact that ends when the
// range begins is not in it), by time, and how many contacts of f each
// window holds.
func (t *Tenant) CalendarContactDays(ctx context.Context, f CalendarContactFilter, bounds []time.Time, perDay int) ([]CalendarContact, []int, error) {
	n := len(bounds) - 1
	if n < 1 {
		return nil, nil, nil
	}
	emp, none, two := employeeScope(f.EmployeeID, f.OwnOnly, f.OwnEmployee)
	if none || two {
		return nil, make([]int, n), nil // a contact is one employee's
	}
	employee, empArgs := ``, []any(nil)
	if emp > 0 {
		employee, empArgs = ` AND x.employee_id = ?`, []any{emp}
	}
	with, withArgs := t.windowsTable(bounds, true)
	// The first contacts of a day: a range of the index of time (or the
	// employee's), each checked against its client's trash.
	ids := `SELECT x.id FROM planned_contacts x CROSS JOIN clients xc
		WHERE xc.account_id = x.account_id AND xc.id = x.client_id AND x.account_id = ? AND x.at >= d.lo AND x.at < d.hi
		AND x.status <> ? AND xc.deleted_at IS NULL` + employee + ` ORDER BY x.at, x.id LIMIT ?`
	from, where := t.firstOfWindows(`planned_contacts`, `pc`, ids)
	args := append(append(append(withArgs, t.account, crm.ContactCancelled), empArgs...), perDay)
	rows, err := t.query(ctx, with+`SELECT d.w, pc.id, pc.client_id, pc.employee_id, pc.at, pc.channel, pc.subject, pc.status, c.name, e.color`+
		from+` CROSS JOIN clients c CROSS JOIN employees e`+where+`
		AND c.account_id = pc.account_id AND c.id = pc.client_id AND e.account_id = pc.account_id AND e.id = pc.employee_id
		ORDER BY d.w, pc.at, pc.id`, args...)
	if err != nil {
		return nil, nil, err
	}
	var out []CalendarContact
	for rows.Next() {
		var (
			c CalendarContact
			w int
		)
		if err := rows.Scan(&w, &c.ID, &c.ClientID, &c.EmployeeID, &c.At, &c.Channel, &c.Subject, &c.Status, &c.ClientName,
			&c.EmployeeColor); err != nil {
			rows.Close()
			return nil, nil, err
		}
		out = append(out, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	// The counts from the index of status and time (or the employee's),
	// which holds neither the client nor whether it is in the trash ...
	counts, err := t.windowCounts(ctx, with, withArgs, n, `SELECT COUNT(*) FROM planned_contacts x
		WHERE x.account_id = ? AND x.status IN (?, ?) AND x.at >= d.lo AND x.at < d.hi`+employee,
		append(append([]any{t.account}, contactStatusesShown...), empArgs...))
	if err != nil {
		return nil, nil, err
	}
	// ... less the contacts of clients in the trash (few, found from the
	// trashed clients).
	rows, err = t.query(ctx, `SELECT x.at FROM clients c CROSS JOIN planned_contacts x
		WHERE x.account_id = c.account_id AND x.client_id = c.id AND c.account_id = ? AND c.deleted_at IS NOT NULL AND x.at > ? AND x.at < ? AND x.status <> ?`+employee,
		append([]any{t.account, bounds[0].UTC(), bounds[n].UTC(), crm.ContactCancelled}, empArgs...)...)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var at time.Time
		if err := rows.Scan(&at); err != nil {
			return nil, nil, err
		}
		if w := windowOf(bounds, at); w >= 0 {
			counts[w]--
		}
	}
	return out, counts, rows.Err()
}

// windowOf is the window of bounds that at falls in (the first excludes
// its start), -1 for none.
func windowOf(bounds []time.Time, at time.Time) int {
	if !at.After(bounds[0]) {
		return -1
	}
	for w := 1; w < len(bounds); w++ {
		if at.Before(bounds[w]) {
			return w - 1
		}
	}
	return -1
}

// CalendarTaskDays gives, for each window of bounds, the first perDay
// single (not recurring) tasks of f that start in it, by start and id,
// with what CalendarTasks reads of them, and how many tasks of f, series
// included, start in each window. f's From, To, Limit, Single and
// Recurring are not used; a filter by group, client, status or search has
// no per-window form (ErrDaysUnsupported), nor has one employee's and
// another's own.
func (t *Tenant) CalendarTaskDays(ctx context.Context, f TaskFilter, bounds []time.Time, perDay int) ([]crm.Task, []int, error) {
	n := len(bounds) - 1
	if n < 1 {
		return nil, nil, nil
	}
	if f.GroupID > 0 || f.ClientID > 0 || f.Status != "" || f.Q != "" || f.Overdue {
		return nil, nil, ErrDaysUnsupported
	}
	emp, none, two := employeeScope(f.EmployeeID, f.OwnOnly, f.OwnEmployee)
	switch {
	case none:
		return nil, make([]int, n), nil
	case two:
		return nil, nil, ErrDaysUnsupported
	}
	// One employee's tasks of a window: a range of the employee's index,
	// which carries each task's status and start (migration 00015).
	links, linkArgs := ``, []any(nil)
	if emp > 0 {
		links = `SELECT te.task_id FROM task_employees te WHERE te.account_id = ? AND te.employee_id = ?
			AND te.status IN (?` + strings.Repeat(`, ?`, len(crm.TaskStatuses)-1) + `) AND te.start_at >= d.lo AND te.start_at < d.hi`
		linkArgs = []any{t.account, emp}
		for _, s := range crm.TaskStatuses {
			linkArgs = append(linkArgs, s)
		}
	}
	with, withArgs := t.windowsTable(bounds, false)
	ids := `SELECT x.id FROM tasks x WHERE x.account_id = ? AND x.recurrence = '' AND x.start_at >= d.lo AND x.start_at < d.hi`
	args := append(withArgs, t.account)
	if emp > 0 {
		// From the employee's links of the day to their tasks: the other way
		// (the day's tasks of the firm, each looked up in the links), SQLite
		// ran the correlated subquery of links once per task (50 ms a month).
		ids = `SELECT x.id FROM (` + links + `) l CROSS JOIN tasks x WHERE x.account_id = ? AND x.id = l.task_id AND x.recurrence = ''`
		args = append(append(withArgs, linkArgs...), t.account)
	}
	from, where := t.firstOfWindows(`tasks`, `t`, ids+` ORDER BY x.start_at, x.id LIMIT ?`)
	rows, err := t.query(ctx, with+`SELECT d.w, t.id, t.title, t.start_at, t.end_at, t.all_day, t.status, t.priority, t.recurrence`+
		from+where+` ORDER BY d.w, t.start_at, t.id`, append(args, perDay)...)
	if err != nil {
		return nil, nil, err
	}
	var out []crm.Task
	idx := map[int64]int{}
	for rows.Next() {
		var w int
		k := crm.Task{AccountID: t.account}
		if err := rows.Scan(&w, &k.ID, &k.Title, &k.Start, &k.End, &k.AllDay, &k.Status, &k.Priority, &k.Recurrence); err != nil {
			rows.Close()
			return nil, nil, err
		}
		idx[k.ID] = len(out)
		out = append(out, k)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	if len(out) > 0 {
		if err := t.calendarTaskLinks(ctx, out, idx, out); err != nil {
			return nil, nil, err
		}
	}
	count, countArgs := `SELECT COUNT(*) FROM tasks x WHERE x.account_id = ? AND x.start_at >= d.lo AND x.start_at < d.hi`, []any{t.account}
	if emp > 0 {
		count, countArgs = `SELECT COUNT(*) FROM (`+links+`) x`, linkArgs
	}
	counts, err := t.windowCounts(ctx, with, withArgs, n, count, countArgs)
	return out, counts, err
}

// BirthdayDays gives, for each month-day of f.Days ("MM-DD"), the first
// perDay birthdays of f on it in the order of Birthdays (by client, a
// client's own first, then its persons), and how many there are on each
// (by month-day).
func (t *Tenant) BirthdayDays(ctx context.Context, f BirthdayFilter, perDay int) ([]Birthday, map[string]int, error) {
	byDay := make(map[string]int, len(f.Days))
	if len(f.Days) == 0 {
		return nil, byDay, nil
	}
	emp, none, two := employeeScope(f.EmployeeID, f.OwnOnly, f.OwnEmployee)
	if none || two {
		return nil, byDay, nil // a client is one employee's
	}
	cond, condArgs := ``, []any(nil)
	if emp > 0 {
		cond, condArgs = ` AND xc.employee_id = ?`, []any{emp}
	}
	with, withArgs := monthDaysTable(f.Days)
	// The clients' first ids from the index (of day, trash and employee),
	// then only their rows. "xc.id + 0": ordered by the bare id, PostgreSQL
	// walks the primary key in order through every client for the three of
	// a day (35 ms a day at 100 000 clients, instead of sorting the day's
	// hundred).
	clients := `SELECT xc.id FROM clients xc WHERE xc.account_id = ? AND ` + monthDay("xc.birthday") + ` = d.md AND xc.deleted_at IS NULL` + cond
	from, where := t.firstOfWindows(`clients`, `c`, clients+` ORDER BY xc.id + 0 LIMIT ?`)
	args := append(append(append(append([]any{}, withArgs...), t.account), condArgs...), perDay)
	q := with + `SELECT d.w, c.id, 0 AS person_id, c.name, '' AS person_name, c.birthday, COALESCE(c.employee_id, 0) AS employee_id` + from + where
	// The persons in the index's order (day, client, person), until perDay
	// of clients out of the trash (and of the employee), each checked
	// against its client by a lookup of its key that cannot become a join:
	// joined, PostgreSQL's generic plan read all the employee's clients for
	// each day (2 000 × 42 rows, 0.25–0.9 s).
	persons := `FROM client_persons x WHERE x.account_id = ? AND ` + monthDay("x.birthday") + ` = d.md
		AND (SELECT COUNT(*) FROM clients xc WHERE xc.account_id = x.account_id AND xc.id = x.client_id AND xc.deleted_at IS NULL` + cond + `) = 1`
	from, where = t.firstOfWindows(`client_persons`, `p`, `SELECT x.id `+persons+` ORDER BY x.client_id, x.id LIMIT ?`)
	q += ` UNION ALL SELECT d.w, c.id, p.id, c.name, p.first_name || ' ' || p.last_name, p.birthday, COALESCE(c.employee_id, 0)` +
		from + ` CROSS JOIN clients c` + where + ` AND c.account_id = p.account_id AND c.id = p.client_id`
	args = append(append(append(args, t.account), condArgs...), perDay)
	rows, err := t.query(ctx, q+` ORDER BY 1, 2, 3`, args...)
	if err != nil {
		return nil, nil, err
	}
	var out []Birthday
	for rows.Next() {
		var (
			b Birthday
			w int
		)
		if err := rows.Scan(&w, &b.ClientID, &b.PersonID, &b.ClientName, &b.PersonName, &b.Date, &b.EmployeeID); err != nil {
			rows.Close()
			return nil, nil, err
		}
		out = append(out, b)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	// The counts: the clients' from their index alone; the persons', when
	// no employee narrows them, from theirs alone less the persons of
	// clients in the trash (few, read below), else through their clients.
	count := `(SELECT COUNT(*) FROM clients xc WHERE xc.account_id = ? AND ` + monthDay("xc.birthday") + ` = d.md AND xc.deleted_at IS NULL` + cond + `) + `
	countArgs := append([]any{t.account}, condArgs...)
	if emp > 0 {
		count += `(SELECT COUNT(*) ` + persons + `)`
		countArgs = append(append(countArgs, t.account), condArgs...)
	} else {
		count += `(SELECT COUNT(*) FROM client_persons x WHERE x.account_id = ? AND ` + monthDay("x.birthday") + ` = d.md)`
		countArgs = append(countArgs, t.account)
	}
	counts, err := t.windowCounts(ctx, with, withArgs, len(f.Days), `SELECT `+count, countArgs)
	if err != nil {
		return nil, nil, err
	}
	for i, d := range f.Days {
		byDay[d] = counts[i]
	}
	if emp == 0 {
		rows, err := t.query(ctx, with+`SELECT `+monthDay("p.birthday")+` FROM clients c CROSS JOIN client_persons p
			WHERE p.account_id = c.account_id AND p.client_id = c.id AND c.account_id = ? AND c.deleted_at IS NOT NULL
			AND `+monthDay("p.birthday")+` IN (SELECT d.md FROM d)`, append(append([]any{}, withArgs...), t.account)...)
		if err != nil {
			return nil, nil, err
		}
		defer rows.Close()
		for rows.Next() {
			var d string
			if err := rows.Scan(&d); err != nil {
				return nil, nil, err
			}
			byDay[d]--
		}
		if err := rows.Err(); err != nil {
			return nil, nil, err
		}
	}
	return out, byDay, nil
}
