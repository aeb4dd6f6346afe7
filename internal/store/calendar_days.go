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
// (COUNT over an index reads neither the rows nor their times). The joins
// are CROSS JOINs: SQLite then keeps the written order (the window's
// index first), where it would otherwise start from the clients out of
// the trash (all of them) for a LIMIT 3 (0.9 s a window); PostgreSQL
// plans them as any join.

// ErrDaysUnsupported says that a filter has no per-window form; the
// caller reads the whole range instead.
var ErrDaysUnsupported = errors.New("store: no per-day form of this filter")

// windowsUnion writes one SELECT per window, each made by arm (which gets
// the window's number and writes its SQL and arguments), as a UNION ALL of
// derived tables (each arm may have its own ORDER BY and LIMIT).
func windowsUnion(n int, arm func(w int, b *strings.Builder, args []any) []any) (string, []any) {
	var b strings.Builder
	var args []any
	for w := range n {
		if w > 0 {
			b.WriteString(" UNION ALL ")
		}
		b.WriteString("SELECT * FROM (")
		args = arm(w, &b, args)
		b.WriteString(") w" + strconv.Itoa(w))
	}
	return b.String(), args
}

// windowCounts runs one statement of one row that has a COUNT subquery per
// window, each made by arm.
func (t *Tenant) windowCounts(ctx context.Context, n int, arm func(w int, b *strings.Builder, args []any) []any) ([]int, error) {
	var b strings.Builder
	var args []any
	b.WriteString("SELECT ")
	for w := range n {
		if w > 0 {
			b.WriteString(", ")
		}
		b.WriteString("(")
		args = arm(w, &b, args)
		b.WriteString(")")
	}
	counts := make([]int, n)
	dst := make([]any, n)
	for i := range counts {
		dst[i] = &counts[i]
	}
	if err := t.queryRow(ctx, b.String(), args...).Scan(dst...); err != nil {
		return nil, mapError(err)
	}
	return counts, nil
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
	emp := f.EmployeeID
	switch {
	case f.OwnOnly && f.OwnEmployee == 0:
		return nil, make([]int, n), nil
	case f.OwnOnly && emp == 0:
		emp = f.OwnEmployee
	case f.OwnOnly && emp != f.OwnEmployee:
		return nil, make([]int, n), nil // one employee's and another's only: none
	}
	at := func(w int) string {
		if w == 0 {
			return ` AND pc.at > ? AND pc.at < ?`
		}
		return ` AND pc.at >= ? AND pc.at < ?`
	}
	employee := func(args []any) (string, []any) {
		if emp > 0 {
			return ` AND pc.employee_id = ?`, append(args, emp)
		}
		return ``, args
	}
	q, args := windowsUnion(n, func(w int, b *strings.Builder, args []any) []any {
		b.WriteString(`SELECT ` + strconv.Itoa(w) + ` AS w, pc.id, pc.client_id, pc.employee_id, pc.at, pc.channel, pc.subject,
			pc.status, c.name, e.color FROM planned_contacts pc CROSS JOIN clients c CROSS JOIN employees e
			WHERE c.account_id = pc.account_id AND c.id = pc.client_id AND e.account_id = pc.account_id AND e.id = pc.employee_id
			AND pc.account_id = ?` + at(w) + ` AND pc.status <> ? AND c.deleted_at IS NULL`)
		args = append(args, t.account, bounds[w].UTC(), bounds[w+1].UTC(), crm.ContactCancelled)
		cond, args := employee(args)
		b.WriteString(cond + ` ORDER BY pc.at, pc.id LIMIT ?`)
		return append(args, perDay)
	})
	rows, err := t.query(ctx, q+` ORDER BY 1, 5, 2`, args...)
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
	counts, err := t.windowCounts(ctx, n, func(w int, b *strings.Builder, args []any) []any {
		b.WriteString(`SELECT COUNT(*) FROM planned_contacts pc WHERE pc.account_id = ? AND pc.status IN (?, ?)` + at(w))
		args = append(append(append(args, t.account), contactStatusesShown...), bounds[w].UTC(), bounds[w+1].UTC())
		cond, args := employee(args)
		b.WriteString(cond)
		return args
	})
	if err != nil {
		return nil, nil, err
	}
	// ... less the contacts of clients in the trash (few, found from the
	// trashed clients).
	cond, cargs := employee(nil)
	rows, err = t.query(ctx, `SELECT pc.at FROM clients c CROSS JOIN planned_contacts pc
		WHERE pc.account_id = c.account_id AND pc.client_id = c.id AND c.account_id = ? AND c.deleted_at IS NOT NULL AND pc.at > ? AND pc.at < ? AND pc.status <> ?`+cond,
		append([]any{t.account, bounds[0].UTC(), bounds[n].UTC(), crm.ContactCancelled}, cargs...)...)
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
	emp := f.EmployeeID
	switch {
	case f.OwnOnly && f.OwnEmployee == 0:
		return nil, make([]int, n), nil
	case f.OwnOnly && emp == 0:
		emp = f.OwnEmployee
	case f.OwnOnly && emp != f.OwnEmployee:
		return nil, nil, ErrDaysUnsupported
	}
	// One employee's tasks of a window: a range of the employee's index,
	// which carries each task's status and start (migration 00015).
	statuses := make([]any, len(crm.TaskStatuses))
	for i, s := range crm.TaskStatuses {
		statuses[i] = s
	}
	links := func(w int, args []any) (string, []any) {
		return `SELECT te.task_id FROM task_employees te WHERE te.account_id = ? AND te.employee_id = ?
			AND te.status IN (?` + strings.Repeat(`, ?`, len(statuses)-1) + `) AND te.start_at >= ? AND te.start_at < ?`,
			append(append(append(args, t.account, emp), statuses...), bounds[w].UTC(), bounds[w+1].UTC())
	}
	q, args := windowsUnion(n, func(w int, b *strings.Builder, args []any) []any {
		b.WriteString(`SELECT ` + strconv.Itoa(w) + ` AS w, t.id, t.title, t.start_at, t.end_at, t.all_day, t.status,
			t.priority, t.recurrence FROM tasks t
			WHERE t.account_id = ? AND t.recurrence = '' AND t.start_at >= ? AND t.start_at < ?`)
		args = append(args, t.account, bounds[w].UTC(), bounds[w+1].UTC())
		if emp > 0 {
			var sub string
			sub, args = links(w, args)
			b.WriteString(` AND t.id IN (` + sub + `)`)
		}
		b.WriteString(` ORDER BY t.start_at, t.id LIMIT ?`)
		return append(args, perDay)
	})
	rows, err := t.query(ctx, q+` ORDER BY 1, 4, 2`, args...)
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
	counts, err := t.windowCounts(ctx, n, func(w int, b *strings.Builder, args []any) []any {
		if emp > 0 {
			sub, args := links(w, args)
			b.WriteString(`SELECT COUNT(*) FROM (` + sub + `) x`)
			return args
		}
		b.WriteString(`SELECT COUNT(*) FROM tasks t WHERE t.account_id = ? AND t.start_at >= ? AND t.start_at < ?`)
		return append(args, t.account, bounds[w].UTC(), bounds[w+1].UTC())
	})
	return out, counts, err
}

// BirthdayDays gives, for each month-day of f.Days ("MM-DD"), the first
// perDay birthdays of f on it in the order of Birthdays (by client, a
// client's own first, then its persons), and how many there are on each
// (by month-day).
func (t *Tenant) BirthdayDays(ctx context.Context, f BirthdayFilter, perDay int) ([]Birthday, map[string]int, error) {
	if len(f.Days) == 0 {
		return nil, map[string]int{}, nil
	}
	var cond string
	var condArgs []any
	if f.EmployeeID > 0 {
		cond += ` AND c.employee_id = ?`
		condArgs = append(condArgs, f.EmployeeID)
	}
	if f.OwnOnly {
		cond += ` AND c.employee_id = ?`
		condArgs = append(condArgs, f.OwnEmployee)
	}
	clients := func(sel string) string {
		return `SELECT ` + sel + ` FROM clients c WHERE c.account_id = ? AND ` + monthDay("c.birthday") + ` = ? AND c.deleted_at IS NULL` + cond
	}
	persons := func(sel string) string {
		return `SELECT ` + sel + ` FROM client_persons p CROSS JOIN clients c
			WHERE c.account_id = p.account_id AND c.id = p.client_id AND p.account_id = ? AND ` + monthDay("p.birthday") + ` = ? AND c.deleted_at IS NULL` + cond
	}
	q, args := windowsUnion(2*len(f.Days), func(w int, b *strings.Builder, args []any) []any {
		day := f.Days[w/2]
		if w%2 == 0 {
			// The first ids from the index (of day, trash and employee), then
			// only their rows. "c.id + 0": ordered by the bare id, PostgreSQL
			// walks the primary key in order through every client for the
			// three of a day (35 ms a day at 100 000 clients, instead of
			// sorting the day's hundred).
			b.WriteString(`SELECT c.id, 0 AS person_id, c.name, '' AS person_name, c.birthday, COALESCE(c.employee_id, 0) AS employee_id
				FROM clients c WHERE c.account_id = ? AND c.id IN (` + clients(`c.id`) + ` ORDER BY c.id + 0 LIMIT ?)`)
			args = append(args, t.account)
		} else {
			// In the index's order (day, client, person), until perDay of
			// clients out of the trash.
			b.WriteString(persons(`c.id, p.id AS person_id, c.name, p.first_name || ' ' || p.last_name AS person_name, p.birthday,
				COALESCE(c.employee_id, 0) AS employee_id`) + ` ORDER BY p.client_id, p.id LIMIT ?`)
		}
		return append(append(append(args, t.account, day), condArgs...), perDay)
	})
	rows, err := t.query(ctx, q+` ORDER BY 1, 2`, args...)
	if err != nil {
		return nil, nil, err
	}
	var out []Birthday
	for rows.Next() {
		var b Birthday
		if err := rows.Scan(&b.ClientID, &b.PersonID, &b.ClientName, &b.PersonName, &b.Date, &b.EmployeeID); err != nil {
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
	narrowed := cond != ``
	counts, err := t.windowCounts(ctx, len(f.Days), func(w int, b *strings.Builder, args []any) []any {
		b.WriteString(`(` + clients(`COUNT(*)`) + `) + `)
		args = append(append(args, t.account, f.Days[w]), condArgs...)
		if narrowed {
			b.WriteString(`(` + persons(`COUNT(*)`) + `)`)
			return append(append(args, t.account, f.Days[w]), condArgs...)
		}
		b.WriteString(`(SELECT COUNT(*) FROM client_persons p WHERE p.account_id = ? AND ` + monthDay("p.birthday") + ` = ?)`)
		return append(args, t.account, f.Days[w])
	})
	if err != nil {
		return nil, nil, err
	}
	byDay := make(map[string]int, len(f.Days))
	for i, d := range f.Days {
		byDay[d] = counts[i]
	}
	if !narrowed {
		args := []any{t.account}
		for _, d := range f.Days {
			args = append(args, d)
		}
		rows, err := t.query(ctx, `SELECT `+monthDay("p.birthday")+` FROM clients c CROSS JOIN client_persons p
			WHERE p.account_id = c.account_id AND p.client_id = c.id AND c.account_id = ? AND c.deleted_at IS NOT NULL AND `+monthDay("p.birthday")+` IN (?`+strings.Repeat(`, ?`, len(f.Days)-1)+`)`,
			args...)
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
