package store

import (
	"context"
	"math"
	"sort"
	"strings"
	"time"

	"klientela/internal/crm"
)

// CalendarContact is a planned contact as the calendar needs it: fewer
// columns than a card, and the employee's colour.
type CalendarContact struct {
	ID            int64
	ClientID      int64
	EmployeeID    int64
	At            time.Time
	Channel       crm.ContactChannel
	Subject       string
	Status        crm.ContactStatus
	ClientName    string
	PersonName    string
	EmployeeName  string
	EmployeeColor string
	UpdatedAt     time.Time
}

// CalendarContactFilter selects planned contacts for a calendar range.
type CalendarContactFilter struct {
	From, To    time.Time // at >= From, at < To
	EmployeeID  int64     // 0 for everyone's
	OwnOnly     bool      // only the contacts of OwnEmployee (none when it is 0)
	OwnEmployee int64
	Limit       int  // at most this many, by time
	Detail      bool // also the person, the employee's name and the last change (feeds)
}

// CalendarContacts lists the planned and done contacts (not cancelled) of
// clients out of the trash whose time falls in the range, by time.
func (t *Tenant) CalendarContacts(ctx context.Context, f CalendarContactFilter) ([]CalendarContact, error) {
	// The calendar page needs less than a feed: no person, employee name
	// or time of the last change.
	detail := `COALESCE(TRIM(p.first_name || ' ' || p.last_name), '') AS person_name, TRIM(e.first_name || ' ' || e.last_name) AS employee_name, pc.updated_at`
	persons := ` LEFT JOIN client_persons p ON p.account_id = pc.account_id AND p.id = pc.person_id`
	if !f.Detail {
		detail, persons = `'' AS person_name, '' AS employee_name, pc.updated_at`, ``
	}
	// The client's name by a lookup of its key per contact (NULL for one in
	// the trash), not a join: joined, PostgreSQL hashed all 100 000 clients
	// out of the trash for the 1 500 contacts of a week (0.4 s).
	q := `SELECT * FROM (SELECT pc.id, pc.client_id, pc.employee_id, pc.at, pc.channel, pc.subject, pc.status,
		(SELECT c.name FROM clients c WHERE c.account_id = pc.account_id AND c.id = pc.client_id AND c.deleted_at IS NULL) AS client_name,
		e.color, ` + detail + `
		FROM planned_contacts pc
		JOIN employees e ON e.account_id = pc.account_id AND e.id = pc.employee_id` + persons + `
		WHERE pc.account_id = ? AND pc.at >= ? AND pc.at < ? AND pc.status <> ?`
	args := []any{t.account, f.From.UTC(), f.To.UTC(), crm.ContactCancelled}
	emp, none, two := employeeScope(f.EmployeeID, f.OwnOnly, f.OwnEmployee)
	if none || two {
		return nil, nil // a contact is one employee's
	}
	if emp > 0 {
		q += ` AND pc.employee_id = ?`
		args = append(args, emp)
	}
	// The inner LIMIT (of no effect) keeps both engines from merging the
	// two queries, which would look the client up twice per contact.
	q += ` ORDER BY pc.at, pc.id LIMIT ?) x WHERE x.client_name IS NOT NULL ORDER BY x.at, x.id LIMIT ?`
	args = append(args, int64(math.MaxInt64), f.Limit)
	rows, err := t.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []CalendarContact
	for rows.Next() {
		var c CalendarContact
		if err := rows.Scan(&c.ID, &c.ClientID, &c.EmployeeID, &c.At, &c.Channel, &c.Subject, &c.Status, &c.ClientName,
			&c.EmployeeColor, &c.PersonName, &c.EmployeeName, &c.UpdatedAt); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// Birthday is a client's or a contact person's birthday.
type Birthday struct {
	ClientID   int64
	PersonID   int64 // 0 for the client's own birthday
	ClientName string
	PersonName string // "" for the client's own birthday
	Date       string // "YYYY-MM-DD" as entered
	EmployeeID int64  // the client's employee; 0 for none
}

// BirthdayFilter selects birthdays of clients (not in the trash) and of
// their contact persons.
type BirthdayFilter struct {
	Days        []string // month and day ("MM-DD"); nil for every day
	EmployeeID  int64    // only clients assigned to this employee; 0 for all
	OwnOnly     bool     // only the clients of OwnEmployee
	OwnEmployee int64
}

// Birthdays lists the birthdays that match f by client and person (a
// client's own first).
func (t *Tenant) Birthdays(ctx context.Context, f BirthdayFilter) ([]Birthday, error) {
	if f.Days != nil && len(f.Days) == 0 {
		return nil, nil
	}
	var (
		cond     string
		condArgs []any
	)
	if f.Days != nil {
		cond += ` AND ` + monthDay("%s.birthday") + ` IN (` + strings.TrimSuffix(strings.Repeat("?,", len(f.Days)), ",") + `)`
		for _, d := range f.Days {
			condArgs = append(condArgs, d)
		}
	} else {
		cond += ` AND %s.birthday <> ''`
	}
	emp, none, two := employeeScope(f.EmployeeID, f.OwnOnly, f.OwnEmployee)
	if none || two {
		return nil, nil // a client is one employee's
	}
	if emp > 0 {
		cond += ` AND c.employee_id = ?`
		condArgs = append(condArgs, emp)
	}
	args := append([]any{t.account}, condArgs...)
	args = append(append(args, t.account), condArgs...)
	// A few days' persons come from their month-day index; every birthday
	// (a feed) from the clients (one employee's by their index) and their
	// persons: written the other way, SQLite walks the month-day index of
	// all persons for one employee's (0.19 s instead of 9 ms).
	persons := `FROM client_persons p JOIN clients c ON c.account_id = p.account_id AND c.id = p.client_id WHERE`
	if f.Days == nil {
		persons = `FROM clients c CROSS JOIN client_persons p WHERE c.account_id = p.account_id AND c.id = p.client_id AND`
	}
	rows, err := t.query(ctx, `SELECT c.id, 0, c.name, '', c.birthday, COALESCE(c.employee_id, 0) FROM clients c
		WHERE c.account_id = ? AND c.deleted_at IS NULL`+strings.ReplaceAll(cond, "%s", "c")+`
		UNION ALL
		SELECT c.id, p.id, c.name, p.first_name || ' ' || p.last_name, p.birthday, COALESCE(c.employee_id, 0) `+persons+`
		p.account_id = ? AND c.deleted_at IS NULL`+strings.ReplaceAll(cond, "%s", "p")+` ORDER BY 1, 2`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Birthday
	for rows.Next() {
		var b Birthday
		if err := rows.Scan(&b.ClientID, &b.PersonID, &b.ClientName, &b.PersonName, &b.Date, &b.EmployeeID); err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

// CalendarDate is another important date of a client (not a birthday), as
// the calendar needs it.
type CalendarDate struct {
	ClientID   int64
	ClientName string
	Name       string // what the date is ("Rocznica współpracy")
	Date       string // "YYYY-MM-DD" as entered
	Yearly     bool
	EmployeeID int64 // the client's employee; 0 for none
}

// CalendarDateFilter selects the important dates of clients out of the
// trash.
type CalendarDateFilter struct {
	// Days ("MM-DD") selects the yearly dates on those days; nil selects
	// every yearly date.
	Days []string
	// First and Last ("YYYY-MM-DD", inclusive) select the one-time dates
	// in between.
	First, Last string
	EmployeeID  int64 // only clients assigned to this employee; 0 for all
	OwnOnly     bool  // only the clients of OwnEmployee
	OwnEmployee int64
}

// CalendarDates lists the important dates that match f, by client and
// position.
func (t *Tenant) CalendarDates(ctx context.Context, f CalendarDateFilter) ([]CalendarDate, error) {
	q := `SELECT c.id, c.name, d.name, d.date, d.yearly, COALESCE(c.employee_id, 0)
		FROM client_dates d JOIN clients c ON c.account_id = d.account_id AND c.id = d.client_id
		WHERE d.account_id = ? AND c.deleted_at IS NULL`
	args := []any{t.account}
	yearly := `d.yearly = ?`
	yearlyArgs := []any{true}
	if f.Days != nil {
		if len(f.Days) == 0 {
			yearly = `FALSE`
			yearlyArgs = nil
		} else {
			yearly += ` AND substr(d.date, 6, 5) IN (` + strings.TrimSuffix(strings.Repeat("?,", len(f.Days)), ",") + `)`
			for _, d := range f.Days {
				yearlyArgs = append(yearlyArgs, d)
			}
		}
	}
	q += ` AND ((` + yearly + `) OR (d.yearly = ? AND d.date >= ? AND d.date <= ?))`
	args = append(append(args, yearlyArgs...), false, f.First, f.Last)
	emp, none, two := employeeScope(f.EmployeeID, f.OwnOnly, f.OwnEmployee)
	if none || two {
		return nil, nil // a client is one employee's
	}
	if emp > 0 {
		q += ` AND c.employee_id = ?`
		args = append(args, emp)
	}
	rows, err := t.query(ctx, q+` ORDER BY c.id, d.position`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []CalendarDate
	for rows.Next() {
		var d CalendarDate
		if err := rows.Scan(&d.ClientID, &d.ClientName, &d.Name, &d.Date, &d.Yearly, &d.EmployeeID); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// EmployeeColors maps the account's employees to their calendar colours.
func (t *Tenant) EmployeeColors(ctx context.Context) (map[int64]string, error) {
	rows, err := t.query(ctx, `SELECT id, color FROM employees WHERE account_id = ?`, t.account)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]string{}
	for rows.Next() {
		var (
			id    int64
			color string
		)
		if err := rows.Scan(&id, &color); err != nil {
			return nil, err
		}
		out[id] = color
	}
	return out, rows.Err()
}

// SaveCalendarFeed gives the user a feed with this token hash, replacing
// the one they had (rotation).
func (t *Tenant) SaveCalendarFeed(ctx context.Context, userID int64, tokenHash []byte, now time.Time) error {
	return t.InTx(ctx, func(t *Tenant) error {
		if _, err := t.exec(ctx, `DELETE FROM calendar_feeds WHERE account_id = ? AND user_id = ?`, t.account, userID); err != nil {
			return err
		}
		_, err := t.exec(ctx, `INSERT INTO calendar_feeds (account_id, user_id, token_hash, created_at) VALUES (?, ?, ?, ?)`,
			t.account, userID, tokenHash, now)
		return err
	})
}

// DeleteCalendarFeed revokes the user's feed; not found when they had none.
func (t *Tenant) DeleteCalendarFeed(ctx context.Context, userID int64) error {
	res, err := t.exec(ctx, `DELETE FROM calendar_feeds WHERE account_id = ? AND user_id = ?`, t.account, userID)
	return affectedOne(res, err)
}

// CalendarFeed returns the user's feed, not found when they have none.
func (t *Tenant) CalendarFeed(ctx context.Context, userID int64) (crm.CalendarFeed, error) {
	var f crm.CalendarFeed
	err := t.queryRow(ctx, `SELECT id, account_id, user_id, created_at, last_used_at FROM calendar_feeds
		WHERE account_id = ? AND user_id = ?`, t.account, userID).Scan(&f.ID, &f.AccountID, &f.UserID, &f.CreatedAt, &f.LastUsedAt)
	return f, mapError(err)
}

// FeedPrincipal resolves a feed token hash into the user it belongs to and
// the feed; not found for unknown tokens and inactive users.
func (s *Store) FeedPrincipal(ctx context.Context, tokenHash []byte) (crm.Principal, crm.CalendarFeed, error) {
	p, f, _, err := s.FeedSubscriber(ctx, tokenHash)
	return p, f, err
}

// TouchCalendarFeed records when a feed was last fetched.
func (s *Store) TouchCalendarFeed(ctx context.Context, id int64, now time.Time) error {
	_, err := s.exec(ctx, `UPDATE calendar_feeds SET last_used_at = ? WHERE id = ?`, now, id)
	return err
}

// CalendarTasks lists the tasks that match f (its Q, Sort, Offset and
// counts are not used) with only what a calendar needs: id, title, times,
// all day, status, priority and rule, the ids of the employees (by id) and
// the groups' id and colour (by name). A whole firm's month is ten
// thousand tasks or more: it reads neither descriptions nor the other six
// timestamps of a task, and it fetches the employees and groups by ids in
// chunks that a statement may bind. At most f.Limit tasks, by start. With detail (a
// feed) also the description and the time of the last change, and neither
// employees nor groups (a feed writes neither: a third of its reading).
func (t *Tenant) CalendarTasks(ctx context.Context, f TaskFilter, detail bool) ([]crm.Task, error) {
	f.Q = ""
	where, args, err := t.taskWhere(ctx, f)
	if err != nil {
		return nil, err
	}
	extra := `'' AS description, NULL AS updated_at`
	if detail {
		extra = `t.description, t.updated_at`
	}
	// The matching tasks first, then their order: PostgreSQL's generic plan
	// of the plain ORDER BY … LIMIT walked tasks_by_start through all the
	// account's tasks for the few of a range (300 000 rows, 0.5–0.7 s) once
	// the statement had run a few times.
	rows, err := t.query(ctx, `WITH m AS MATERIALIZED (SELECT t.id, t.title, t.start_at, t.end_at, t.all_day, t.status, t.priority,
		t.recurrence, `+extra+` FROM tasks t`+where+`) SELECT * FROM m ORDER BY m.start_at, m.id LIMIT ?`, append(args, f.Limit)...)
	if err != nil {
		return nil, err
	}
	var out []crm.Task
	idx := map[int64]int{}
	for rows.Next() {
		k := crm.Task{AccountID: t.account}
		var updated *time.Time
		if err := rows.Scan(&k.ID, &k.Title, &k.Start, &k.End, &k.AllDay, &k.Status, &k.Priority, &k.Recurrence,
			&k.Description, &updated); err != nil {
			rows.Close()
			return nil, err
		}
		if updated != nil {
			k.UpdatedAt = *updated
		}
		idx[k.ID] = len(out)
		out = append(out, k)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, err
	}
	if detail {
		// A feed writes neither employees nor groups.
		return out, nil
	}
	// The links, for the ids in chunks that a statement may bind.
	const chunk = 5000
	for from := 0; from < len(out); from += chunk {
		if err := t.calendarTaskLinks(ctx, out[from:min(from+chunk, len(out))], idx, out); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// calendarTaskLinks adds the employees and groups of the tasks part (of
// out, indexed by idx).
func (t *Tenant) calendarTaskLinks(ctx context.Context, part []crm.Task, idx map[int64]int, out []crm.Task) error {
	args := []any{t.account}
	for _, k := range part {
		args = append(args, k.ID)
	}
	in := `(?` + strings.Repeat(`, ?`, len(part)-1) + `)`
	rows, err := t.query(ctx, `SELECT task_id, employee_id FROM task_employees
		WHERE account_id = ? AND task_id IN `+in+` ORDER BY task_id, employee_id`, args...)
	if err != nil {
		return err
	}
	for rows.Next() {
		var tid, eid int64
		if err := rows.Scan(&tid, &eid); err != nil {
			rows.Close()
			return err
		}
		out[idx[tid]].EmployeeIDs = append(out[idx[tid]].EmployeeIDs, eid)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	// The groups by the tasks' key alone, their colours and order from the
	// account's few groups: joined in SQL, PostgreSQL walked each group's
	// members (all of the account's tasks) for the listed ones (70 ms for
	// 1 100 series, 0.7 s under load).
	groups := map[int64]taskGroupRank{}
	rows, err = t.query(ctx, `SELECT id, color FROM task_groups WHERE account_id = ? ORDER BY name_key, id`, t.account)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id int64
		g := taskGroupRank{rank: len(groups)}
		if err := rows.Scan(&id, &g.color); err != nil {
			rows.Close()
			return err
		}
		groups[id] = g
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(groups) == 0 {
		return err
	}
	rows, err = t.query(ctx, `SELECT task_id, group_id FROM task_group_members
		WHERE account_id = ? AND task_id IN `+in, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	touched := map[int64]bool{}
	for rows.Next() {
		var tid, gid int64
		if err := rows.Scan(&tid, &gid); err != nil {
			return err
		}
		g, ok := groups[gid]
		if !ok {
			continue
		}
		k := &out[idx[tid]]
		k.GroupIDs, k.Groups = append(k.GroupIDs, gid), append(k.Groups, crm.TaskGroup{ID: gid, AccountID: t.account, Color: g.color})
		touched[tid] = true
	}
	if err := rows.Err(); err != nil {
		return err
	}
	// By name (its key), then id, as the task's page lists them.
	for tid := range touched {
		sort.Sort(byGroupRank{&out[idx[tid]], groups})
	}
	return nil
}

// taskGroupRank is a task group's colour and place in the order of names.
type taskGroupRank struct {
	color string
	rank  int
}

// byGroupRank orders a task's groups (and their ids) by name, then id.
type byGroupRank struct {
	k      *crm.Task
	groups map[int64]taskGroupRank
}

func (b byGroupRank) Len() int { return len(b.k.GroupIDs) }
func (b byGroupRank) Less(i, j int) bool {
	return b.groups[b.k.GroupIDs[i]].rank < b.groups[b.k.GroupIDs[j]].rank
}
func (b byGroupRank) Swap(i, j int) {
	b.k.GroupIDs[i], b.k.GroupIDs[j] = b.k.GroupIDs[j], b.k.GroupIDs[i]
	b.k.Groups[i], b.k.Groups[j] = b.k.Groups[j], b.k.Groups[i]
}
