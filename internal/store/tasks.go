package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"klientela/internal/crm"
	"klientela/internal/search"
)

const taskColumns = `t.id, t.account_id, t.title, t.description, t.start_at, t.end_at, t.all_day, t.status, t.priority,
	t.client_id, t.remind_at, t.recurrence, t.span_start, t.span_end, t.done_at, t.created_at, t.updated_at`

func scanTask(sc interface{ Scan(...any) error }, k *crm.Task, extra ...any) error {
	return sc.Scan(append([]any{&k.ID, &k.AccountID, &k.Title, &k.Description, &k.Start, &k.End, &k.AllDay, &k.Status,
		&k.Priority, &k.ClientID, &k.RemindAt, &k.Recurrence, &k.SpanStart, &k.SpanEnd, &k.DoneAt, &k.CreatedAt,
		&k.UpdatedAt}, extra...)...)
}

// taskSearchKey makes "faktura lodz" find "Faktura dla Łodzi".
func taskSearchKey(k crm.Task) string { return search.Key(k.Title, k.Description) }

// CreateTask adds a task with its employees and groups and returns its id.
func (t *Tenant) CreateTask(ctx context.Context, k crm.Task) (int64, error) {
	var id int64
	err := t.InTx(ctx, func(t *Tenant) error {
		err := t.writeRow(ctx, `INSERT INTO tasks (account_id, title, description, start_at, end_at, all_day, status, priority,
			client_id, remind_at, recurrence, span_start, span_end, span_class, search_key, done_at, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			t.account, k.Title, k.Description, k.Start, k.End, k.AllDay, k.Status, k.Priority, k.ClientID, k.RemindAt,
			k.Recurrence, k.SpanStart, k.SpanEnd, spanClass(k), taskSearchKey(k), k.DoneAt, k.CreatedAt, k.UpdatedAt).Scan(&id)
		if err != nil {
			return mapError(err)
		}
		k.ID = id
		return t.setTaskLinks(ctx, k, true)
	})
	return id, err
}

// UpdateTask saves every field of a task, its employees and its groups.
func (t *Tenant) UpdateTask(ctx context.Context, k crm.Task) error {
	return t.InTx(ctx, func(t *Tenant) error {
		res, err := t.exec(ctx, `UPDATE tasks SET title = ?, description = ?, start_at = ?, end_at = ?, all_day = ?, status = ?,
			priority = ?, client_id = ?, remind_at = ?, recurrence = ?, span_start = ?, span_end = ?, span_class = ?, search_key = ?,
			done_at = ?, updated_at = ? WHERE account_id = ? AND id = ?`,
			k.Title, k.Description, k.Start, k.End, k.AllDay, k.Status, k.Priority, k.ClientID, k.RemindAt, k.Recurrence,
			k.SpanStart, k.SpanEnd, spanClass(k), taskSearchKey(k), k.DoneAt, k.UpdatedAt, t.account, k.ID)
		if err := affectedOne(res, err); err != nil {
			return err
		}
		return t.setTaskLinks(ctx, k, false)
	})
}

// setTaskLinks replaces the employees and groups of task k. Each employee
// link carries a copy of the task's status and start (migration 00015),
// span (00020) and whether it recurs (00024), so it is written again with
// every change of the task. A new task has no links to remove.
func (t *Tenant) setTaskLinks(ctx context.Context, k crm.Task, isNew bool) error {
	id := k.ID
	if !isNew {
		if _, err := t.exec(ctx, `DELETE FROM task_employees WHERE account_id = ? AND task_id = ?`, t.account, id); err != nil {
			return err
		}
		if _, err := t.exec(ctx, `DELETE FROM task_group_members WHERE account_id = ? AND task_id = ?`, t.account, id); err != nil {
			return err
		}
	}
	for _, e := range k.EmployeeIDs {
		if _, err := t.exec(ctx, `INSERT INTO task_employees (account_id, task_id, employee_id, status, start_at, span_start,
			span_end, recurring) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`, t.account, id, e, k.Status, k.Start,
			k.SpanStart, k.SpanEnd, k.Recurrence != ""); err != nil {
			return err
		}
	}
	for _, g := range k.GroupIDs {
		if _, err := t.exec(ctx, `INSERT INTO task_group_members (account_id, task_id, group_id) VALUES (?, ?, ?)
			ON CONFLICT DO NOTHING`, t.account, id, g); err != nil {
			return err
		}
	}
	return nil
}

// DeleteTask removes a task with its links and exceptions.
func (t *Tenant) DeleteTask(ctx context.Context, id int64) error {
	res, err := t.exec(ctx, `DELETE FROM tasks WHERE account_id = ? AND id = ?`, t.account, id)
	return affectedOne(res, err)
}

// Task returns one task of the account with its client's name, employees
// and groups.
func (t *Tenant) Task(ctx context.Context, id int64) (crm.Task, error) {
	var k crm.Task
	err := scanTask(t.queryRow(ctx, `SELECT `+taskColumns+`, COALESCE(c.name, '') FROM tasks t
		LEFT JOIN clients c ON c.account_id = t.account_id AND c.id = t.client_id
		WHERE t.account_id = ? AND t.id = ?`, t.account, id), &k, &k.ClientName)
	if err != nil {
		return crm.Task{}, mapError(err)
	}
	ks := []crm.Task{k}
	if err := t.fillTasks(ctx, ks); err != nil {
		return crm.Task{}, err
	}
	return ks[0], nil
}

// fillTasks loads the employees and groups of tasks.
func (t *Tenant) fillTasks(ctx context.Context, ks []crm.Task) error {
	if len(ks) == 0 {
		return nil
	}
	idx := map[int64]int{}
	args := []any{t.account}
	for i, k := range ks {
		idx[k.ID] = i
		ks[i].EmployeeIDs, ks[i].GroupIDs, ks[i].Employees, ks[i].Groups = nil, nil, nil, nil
		args = append(args, k.ID)
	}
	in := `(?` + strings.Repeat(`, ?`, len(ks)-1) + `)`
	args = append(args, t.account)
	// The links of these tasks are found first, on their own (MATERIALIZED),
	// by the primary key, as GroupsOfClients does. Joined in one query, the
	// generic plan PostgreSQL takes for a statement after its fifth run
	// (pgx prepares them) drove the join from the account's 50 employees and
	// read each one's index range of task_employees for the page's ids:
	// 0.3 ms → 780–960 ms a page at 300 000 tasks (EXPLAIN ANALYZE EXECUTE).
	rows, err := t.query(ctx, `WITH te AS MATERIALIZED (SELECT task_id, employee_id FROM task_employees
		WHERE account_id = ? AND task_id IN `+in+`)
		SELECT te.task_id, e.id, e.first_name, e.last_name, e.color, e.active FROM te
		JOIN employees e ON e.account_id = ? AND e.id = te.employee_id ORDER BY e.last_name, e.first_name, e.id`, args...)
	if err != nil {
		return err
	}
	for rows.Next() {
		var tid int64
		var e crm.Employee
		if err := rows.Scan(&tid, &e.ID, &e.FirstName, &e.LastName, &e.Color, &e.Active); err != nil {
			rows.Close()
			return err
		}
		e.AccountID = t.account
		k := &ks[idx[tid]]
		k.EmployeeIDs, k.Employees = append(k.EmployeeIDs, e.ID), append(k.Employees, e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = t.query(ctx, `WITH m AS MATERIALIZED (SELECT task_id, group_id FROM task_group_members
		WHERE account_id = ? AND task_id IN `+in+`)
		SELECT m.task_id, g.id, g.name, g.color FROM m
		JOIN task_groups g ON g.account_id = ? AND g.id = m.group_id ORDER BY g.name_key, g.id`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var tid int64
		var g crm.TaskGroup
		if err := rows.Scan(&tid, &g.ID, &g.Name, &g.Color); err != nil {
			return err
		}
		g.AccountID = t.account
		k := &ks[idx[tid]]
		k.GroupIDs, k.Groups = append(k.GroupIDs, g.ID), append(k.Groups, g)
	}
	return rows.Err()
}

// TaskFilter selects and orders tasks.
type TaskFilter struct {
	Q           string // search: title and description
	Status      string // one status, "open" (to do or in progress), or "" for any
	EmployeeID  int64
	GroupID     int64
	ClientID    int64
	From, To    *time.Time // some occurrence overlaps [From, To)
	Overdue     bool       // single tasks still open whose end passed at Now
	Now         time.Time
	Recurring   bool // only recurring tasks (for expanding occurrences)
	Single      bool // only single (not recurring) tasks
	OwnOnly     bool // only the tasks of OwnEmployee (none when it is 0)
	OwnEmployee int64
	Sort        string
	Offset      int
	Limit       int
	NoCount     bool // skip counting (total is -1)
	// CountMax stops counting after CountMax+1 matches (0: count all):
	// the total is then CountMax+1, "more than CountMax". A capped count
	// reads at most that many index entries instead of every match.
	CountMax int
}

// TaskSorts are the orders Tasks understands.
var TaskSorts = []string{"start", "-start", "end", "-end", "title", "-title", "priority", "-priority"}

// taskSearchProbe is how many candidates of the SQLite search index a
// search looks at before choosing its plan (see taskWhere).
const taskSearchProbe = 2000

func (t *Tenant) taskWhere(ctx context.Context, f TaskFilter) (string, []any, error) {
	where := ` WHERE t.account_id = ?`
	args := []any{t.account}
	terms := search.Terms(f.Q)
	for _, term := range terms {
		where += ` AND t.search_key LIKE ? ESCAPE '\'`
		args = append(args, search.Like(term))
	}
	if m := search.Trigrams(terms); m != "" && t.dialect == SQLite {
		// As the client search: the FTS5 trigram index finds the candidates
		// of every term of 3+ characters and the LIKEs above stay the exact
		// filter. But a term that matches a large part of the tasks ("lodz"
		// in a firm from Łódź) is cheaper without the index: the list then
		// walks its order's index and finds a page of matches in a few
		// hundred rows, while the index would hand over every match to be
		// sorted. So the index is asked first for at most taskSearchProbe
		// candidates (of any account: an upper bound), and used when there
		// are fewer. PostgreSQL makes this choice itself from its trigram
		// statistics and serves the LIKEs from its GIN index.
		var n int
		if err := t.queryRow(ctx, `SELECT COUNT(*) FROM (SELECT rowid FROM tasks_search WHERE tasks_search MATCH ? LIMIT ?) x`,
			m, taskSearchProbe).Scan(&n); err != nil {
			return "", nil, mapError(err)
		}
		if n < taskSearchProbe {
			where += ` AND t.id IN (SELECT rowid FROM tasks_search WHERE tasks_search MATCH ?)`
			args = append(args, m)
		}
	}
	switch f.Status {
	case "":
	case "open":
		where += ` AND t.status IN ('todo', 'in_progress')`
	default:
		where += ` AND t.status = ?`
		args = append(args, f.Status)
	}
	employee := func(id int64) {
		// Driven from the employee's index, not a probe per task. The links
		// carry each task's status, start (00015) and span (00020), so what
		// they can answer of the filters below narrows the range before any
		// task is read (the conditions on the task itself stay the filter):
		// the status; an overdue task is open and started before now (its
		// end is not before its start); a range wants the span to overlap it
		// (task_employees_by_span).
		sub := ` AND t.id IN (SELECT te.task_id FROM task_employees te WHERE te.account_id = ? AND te.employee_id = ?`
		args = append(args, t.account, id)
		switch {
		case f.Overdue:
			// An open single task whose end (its span's end) passed: the
			// links of task_employees_overdue (00024).
			sub += overdueLinks
			args = append(args, f.Now.UTC())
		case f.Status == "open":
			sub += ` AND te.status IN ('todo', 'in_progress')`
		case f.Status != "":
			sub += ` AND te.status = ?`
			args = append(args, f.Status)
		}
		if f.To != nil {
			sub += ` AND te.span_start < ?`
			args = append(args, f.To.UTC())
		}
		if f.From != nil {
			sub += ` AND (te.span_end IS NULL OR te.span_end > ?)`
			args = append(args, f.From.UTC())
		}
		where += sub + `)`
	}
	if f.EmployeeID > 0 {
		employee(f.EmployeeID)
	}
	if f.OwnOnly && (f.OwnEmployee == 0 || f.OwnEmployee != f.EmployeeID) {
		employee(f.OwnEmployee)
	}
	if f.GroupID > 0 {
		where += ` AND t.id IN (SELECT m.task_id FROM task_group_members m WHERE m.account_id = ? AND m.group_id = ?)`
		args = append(args, t.account, f.GroupID)
	}
	if f.ClientID > 0 {
		where += ` AND t.client_id = ?`
		args = append(args, f.ClientID)
	}
	if w, a := spanOverlaps(f.From, f.To, f.Single, f.Recurring); w != "" {
		where += w
		args = append(args, a...)
	}
	if f.Overdue {
		where += ` AND t.status IN ('todo', 'in_progress') AND t.recurrence = '' AND t.end_at < ?`
		args = append(args, f.Now.UTC())
	}
	if f.Recurring {
		where += ` AND t.recurrence <> ''`
	}
	if f.Single {
		where += ` AND t.recurrence = ''`
	}
	return where, args, nil
}

// employeeRange tells whether f is one employee's list (with a status or
// not) in start order and nothing else: such a list is read from
// task_employees_by_status alone, which carries each task's status and
// start (see taskEmployeeIDs). It returns the employee and the statuses.
func (f TaskFilter) employeeRange() (int64, []crm.TaskStatus, bool) {
	emp, none, two := employeeScope(f.EmployeeID, f.OwnOnly, f.OwnEmployee)
	if none || two {
		return 0, nil, false // sees no task, or the tasks of both: the general query says so
	}
	if emp <= 0 || f.Q != "" || f.GroupID > 0 || f.ClientID > 0 || f.From != nil || f.To != nil || f.Overdue || f.Recurring || f.Single ||
		(f.Sort != "" && f.Sort != "start" && f.Sort != "-start") {
		return 0, nil, false
	}
	switch f.Status {
	case "":
		return emp, crm.TaskStatuses, true
	case "open":
		return emp, []crm.TaskStatus{crm.TaskTodo, crm.TaskInProgress}, true
	}
	return emp, []crm.TaskStatus{crm.TaskStatus(f.Status)}, true
}

// overdueLinks narrows an employee's links (te) to those of open single
// tasks whose end passed (one argument: now), in the words of the partial
// index task_employees_overdue (migration 00024), so that both engines
// read them from it: a single task's span ends where the task ends.
const overdueLinks = ` AND te.status IN ('todo', 'in_progress') AND NOT te.recurring AND te.span_end < ?`

// overdueRange tells whether f is one employee's overdue tasks by end
// (the dashboard's) and nothing else: such a list and its count are read
// from task_employees_overdue alone. It returns the employee.
func (f TaskFilter) overdueRange() (int64, bool) {
	if !f.Overdue || (f.Status != "" && f.Status != "open") || f.Recurring || (f.Sort != "end" && f.Sort != "-end") {
		return 0, false
	}
	g := f
	g.Overdue, g.Status, g.Single, g.Sort = false, "", false, ""
	emp, _, ok := g.employeeRange()
	return emp, ok
}

// taskEmployeeIDs is the page of one employee's tasks with statuses, by
// start (desc: latest first), from the index (account_id, employee_id,
// status, start_at, task_id): one ordered range per status, each cut at
// the page's end, merged. An employee with 15 000 tasks, 10 000 of them
// open, costs Offset+Limit index entries per status instead of a probe of
// every open task (or a sort of the employee's tasks).
func (t *Tenant) taskEmployeeIDs(emp int64, statuses []crm.TaskStatus, desc bool, limit, offset int) (string, []any) {
	dir := ``
	if desc {
		dir = ` DESC`
	}
	inner := limit
	if limit > 0 {
		inner = offset + limit
	}
	var parts []string
	var args []any
	for i, st := range statuses {
		parts = append(parts, fmt.Sprintf(`SELECT * FROM (SELECT te.task_id AS id, te.start_at FROM task_employees te
			WHERE te.account_id = ? AND te.employee_id = ? AND te.status = ?
			ORDER BY te.start_at%[1]s, te.task_id%[1]s LIMIT ?) s%[2]d`, dir, i))
		args = append(args, t.account, emp, string(st), inner)
	}
	return `SELECT u.id FROM (` + strings.Join(parts, ` UNION ALL `) + `) u ORDER BY u.start_at` + dir + `, u.id` + dir +
		` LIMIT ? OFFSET ?`, append(args, limit, offset)
}

// Tasks lists the account's tasks and counts all that match (at most
// CountMax+1 of them when CountMax is set).
func (t *Tenant) Tasks(ctx context.Context, f TaskFilter) ([]crm.Task, int, error) {
	where, args, err := t.taskWhere(ctx, f)
	if err != nil {
		return nil, 0, err
	}
	emp, statuses, byEmployee := f.employeeRange()
	overdueEmp, overdue := f.overdueRange()
	countFrom, countArgs := `tasks t`+where, args
	overdueFrom, overdueArgs := `task_employees te WHERE te.account_id = ? AND te.employee_id = ?`+overdueLinks,
		[]any{t.account, overdueEmp, f.Now.UTC()}
	if overdue {
		// The count reads the same index range as the page.
		countFrom, countArgs = overdueFrom, overdueArgs
	}
	total := -1
	switch {
	case f.NoCount:
	case byEmployee:
		// The employee's kept counts by status (task_employee_counts,
		// migration 00024), capped as a count that stops would be.
		q, qa := `SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) FROM task_employee_counts WHERE account_id = ? AND employee_id = ?`, []any{t.account, emp}
		if len(statuses) < len(crm.TaskStatuses) {
			q += ` AND status IN (?` + strings.Repeat(`, ?`, len(statuses)-1) + `)`
			for _, st := range statuses {
				qa = append(qa, string(st))
			}
		}
		if err = t.queryRow(ctx, q, qa...).Scan(&total); err == nil && f.CountMax > 0 {
			total = min(total, f.CountMax+1)
		}
	case f.CountMax > 0:
		err = t.queryRow(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM `+countFrom+` LIMIT ?) n`,
			append(countArgs, f.CountMax+1)...).Scan(&total)
	default:
		err = t.queryRow(ctx, `SELECT COUNT(*) FROM `+countFrom, countArgs...).Scan(&total)
	}
	if err != nil {
		return nil, 0, mapError(err)
	}
	prio := `CASE t.priority WHEN 'urgent' THEN 3 WHEN 'high' THEN 2 WHEN 'normal' THEN 1 ELSE 0 END`
	order := map[string]string{
		"start":     `t.start_at, t.id`,
		"-start":    `t.start_at DESC, t.id DESC`,
		"end":       `t.end_at, t.id`,
		"-end":      `t.end_at DESC, t.id DESC`,
		"title":     `t.title, t.id`,
		"-title":    `t.title DESC, t.id DESC`,
		"priority":  prio + `, t.start_at, t.id`,
		"-priority": prio + ` DESC, t.start_at, t.id`,
	}[f.Sort]
	if order == "" {
		order = `t.start_at, t.id`
	}
	limit := f.Limit
	if limit <= 0 {
		limit = -1
		if t.dialect == Postgres {
			limit = 1 << 30
		}
	}
	// A deferred join: the page's ids come from the order's index alone
	// (skipping Offset entries of it, not Offset rows with their client),
	// and only the page's rows are read whole. CROSS JOIN keeps the page
	// the outer loop on SQLite, which otherwise walks the whole order index
	// of tasks for the outer ORDER BY and probes the page (40 ms).
	ids, idArgs := `SELECT t.id FROM tasks t`+where+` ORDER BY `+order+` LIMIT ? OFFSET ?`, append(args, limit, f.Offset)
	switch {
	case overdue:
		dir := ``
		if f.Sort == "-end" {
			dir = ` DESC`
		}
		ids, idArgs = `SELECT te.task_id AS id FROM `+overdueFrom+` ORDER BY te.span_end`+dir+`, te.task_id`+dir+` LIMIT ? OFFSET ?`,
			append(overdueArgs, limit, f.Offset)
	case byEmployee:
		ids, idArgs = t.taskEmployeeIDs(emp, statuses, f.Sort == "-start", limit, f.Offset)
	}
	rows, err := t.query(ctx, `SELECT `+taskColumns+`, COALESCE(c.name, '') FROM (`+ids+`) p CROSS JOIN tasks t
		LEFT JOIN clients c ON c.account_id = t.account_id AND c.id = t.client_id
		WHERE t.account_id = ? AND t.id = p.id ORDER BY `+order,
		append(idArgs, t.account)...)
	if err != nil {
		return nil, 0, err
	}
	var out []crm.Task
	for rows.Next() {
		var k crm.Task
		if err := scanTask(rows, &k, &k.ClientName); err != nil {
			rows.Close()
			return nil, 0, err
		}
		out = append(out, k)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	return out, total, t.fillTasks(ctx, out)
}

// TaskExceptions returns the exceptions of tasks, by task, in time order.
func (t *Tenant) TaskExceptions(ctx context.Context, taskIDs []int64) (map[int64][]crm.TaskException, error) {
	out := map[int64][]crm.TaskException{}
	if len(taskIDs) == 0 {
		return out, nil
	}
	args := []any{t.account}
	for _, id := range taskIDs {
		args = append(args, id)
	}
	rows, err := t.query(ctx, `SELECT task_id, original_start, start_at, end_at, status, cancelled FROM task_exceptions
		WHERE account_id = ? AND task_id IN (?`+strings.Repeat(`, ?`, len(taskIDs)-1)+`) ORDER BY task_id, original_start`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var x crm.TaskException
		if err := rows.Scan(&x.TaskID, &x.Original, &x.Start, &x.End, &x.Status, &x.Cancelled); err != nil {
			return nil, err
		}
		out[x.TaskID] = append(out[x.TaskID], x)
	}
	return out, rows.Err()
}

// SaveTaskException adds or replaces the exception of one occurrence.
func (t *Tenant) SaveTaskException(ctx context.Context, x crm.TaskException) error {
	_, err := t.exec(ctx, `INSERT INTO task_exceptions (account_id, task_id, original_start, start_at, end_at, status, cancelled)
		VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (account_id, task_id, original_start) DO UPDATE
		SET start_at = excluded.start_at, end_at = excluded.end_at, status = excluded.status, cancelled = excluded.cancelled`,
		t.account, x.TaskID, x.Original, x.Start, x.End, x.Status, x.Cancelled)
	return mapError(err)
}

// DeleteTaskExceptions removes every exception of a task.
func (t *Tenant) DeleteTaskExceptions(ctx context.Context, taskID int64) error {
	_, err := t.exec(ctx, `DELETE FROM task_exceptions WHERE account_id = ? AND task_id = ?`, t.account, taskID)
	return mapError(err)
}

const taskGroupColumns = `g.id, g.account_id, g.name, g.color, g.created_at, g.updated_at`

func scanTaskGroup(sc interface{ Scan(...any) error }, g *crm.TaskGroup, extra ...any) error {
	return sc.Scan(append([]any{&g.ID, &g.AccountID, &g.Name, &g.Color, &g.CreatedAt, &g.UpdatedAt}, extra...)...)
}

func taskGroupConflict(err error) error {
	if errors.Is(err, errUnique) {
		return crm.Conflict("name", "err.task_group_name_taken")
	}
	return err
}

// CreateTaskGroup adds a task group and returns its id.
func (t *Tenant) CreateTaskGroup(ctx context.Context, g crm.TaskGroup) (int64, error) {
	var id int64
	err := t.writeRow(ctx, `INSERT INTO task_groups (account_id, name, name_key, color, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, t.account, g.Name, groupNameKey(g.Name), g.Color, g.CreatedAt, g.UpdatedAt).Scan(&id)
	return id, taskGroupConflict(mapError(err))
}

// UpdateTaskGroup saves a task group's name and colour.
func (t *Tenant) UpdateTaskGroup(ctx context.Context, g crm.TaskGroup) error {
	res, err := t.exec(ctx, `UPDATE task_groups SET name = ?, name_key = ?, color = ?, updated_at = ? WHERE account_id = ? AND id = ?`,
		g.Name, groupNameKey(g.Name), g.Color, g.UpdatedAt, t.account, g.ID)
	return taskGroupConflict(affectedOne(res, err))
}

// DeleteTaskGroup removes a task group; its tasks stay.
func (t *Tenant) DeleteTaskGroup(ctx context.Context, id int64) error {
	res, err := t.exec(ctx, `DELETE FROM task_groups WHERE account_id = ? AND id = ?`, t.account, id)
	return affectedOne(res, err)
}

// TaskGroup returns one task group of the account.
func (t *Tenant) TaskGroup(ctx context.Context, id int64) (crm.TaskGroup, error) {
	var g crm.TaskGroup
	err := scanTaskGroup(t.queryRow(ctx, `SELECT `+taskGroupColumns+` FROM task_groups g WHERE g.account_id = ? AND g.id = ?`,
		t.account, id), &g)
	return g, mapError(err)
}

// TaskGroups lists the account's task groups by name, each with the number
// of its tasks (only those of ownEmployee when ownOnly).
func (t *Tenant) TaskGroups(ctx context.Context, ownOnly bool, ownEmployee int64) ([]crm.TaskGroup, error) {
	own, args := ``, []any{}
	if ownOnly {
		own = ` AND EXISTS (SELECT 1 FROM task_employees te WHERE te.account_id = m.account_id AND te.task_id = m.task_id
			AND te.employee_id = ?)`
		args = append(args, ownEmployee)
	}
	return t.taskGroups(ctx, `(SELECT COUNT(*) FROM task_group_members m WHERE m.account_id = g.account_id AND m.group_id = g.id`+
		own+`)`, args...)
}

// TaskGroupNames lists the account's task groups by name without counting
// their tasks (Tasks is 0): what a filter or a form offers to choose from.
// Counting reads every membership (300 000 tasks: 75 % of the task list's
// time).
func (t *Tenant) TaskGroupNames(ctx context.Context) ([]crm.TaskGroup, error) {
	return t.taskGroups(ctx, `0`)
}

// taskGroups lists the account's task groups by name with count (an SQL
// expression over g, with args) as their number of tasks.
func (t *Tenant) taskGroups(ctx context.Context, count string, args ...any) ([]crm.TaskGroup, error) {
	rows, err := t.query(ctx, `SELECT `+taskGroupColumns+`, `+count+`
		FROM task_groups g WHERE g.account_id = ? ORDER BY g.name_key, g.id`, append(args, t.account)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []crm.TaskGroup
	for rows.Next() {
		var g crm.TaskGroup
		if err := scanTaskGroup(rows, &g, &g.Tasks); err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

// BulkCreateTasks inserts many tasks with their employees and groups in
// few statements (seeding benchmarks), then refreshes the statistics and
// merges the search index. Exceptions and the history are left out.
func (t *Tenant) BulkCreateTasks(ctx context.Context, ks []crm.Task) error {
	return t.InTx(ctx, func(t *Tenant) error {
		if err := t.InsertTasks(ctx, ks); err != nil {
			return err
		}
		if t.dialect == Postgres {
			// Fresh statistics, so that the planner knows the tables grew.
			_, err := t.w.ExecContext(ctx, `ANALYZE tasks, task_employees, task_group_members`)
			return mapError(err)
		}
		// Merge the search index's segments (each batch added some, and a
		// query seeks in each).
		_, err := t.w.ExecContext(ctx, `INSERT INTO tasks_search (tasks_search) VALUES ('optimize')`)
		return mapError(err)
	})
}

// InsertTasks adds tasks with their employees and groups as CreateTask
// would (the same columns, the same search key), in few statements (see
// rowsInsert), in the caller's transaction (imports, demo data); the caller
// checked them. Exceptions and the history are left out.
func (t *Tenant) InsertTasks(ctx context.Context, ks []crm.Task) error {
	if t.tx == nil {
		return errNeedTx
	}
	if len(ks) == 0 {
		return nil
	}
	const columns = `account_id, title, description, start_at, end_at, all_day, status, priority, client_id, remind_at,
		recurrence, span_start, span_end, span_class, search_key, done_at, created_at, updated_at`
	var ids []int64
	// SQLite: ids of their own after the highest one (the transaction holds
	// the write lock), through a staged copy (see insertStaged).
	var last int64
	if t.dialect == SQLite {
		if err := t.writeRow(ctx, `SELECT COALESCE(MAX(id), 0) FROM tasks`).Scan(&last); err != nil {
			return mapError(err)
		}
	}
	vals := make([]any, 0, len(ks)*19)
	for _, k := range ks {
		if t.dialect == SQLite {
			last++
			ids = append(ids, last)
			vals = append(vals, last)
		}
		vals = append(vals, t.account, k.Title, k.Description, k.Start, k.End, k.AllDay, k.Status, k.Priority,
			k.ClientID, k.RemindAt, k.Recurrence, k.SpanStart, k.SpanEnd, spanClass(k), taskSearchKey(k), k.DoneAt,
			k.CreatedAt, k.UpdatedAt)
	}
	if t.dialect == SQLite {
		if err := t.insertStaged(ctx, "tasks", `id, `+columns, 19, vals); err != nil {
			return err
		}
	} else {
		ins := t.newRowsInsert(`INSERT INTO tasks (`+columns+`) VALUES`, 18, ` RETURNING id`)
		defer ins.close()
		var err error
		if ids, err = ins.ids(ctx, vals); err != nil {
			return err
		}
	}
	// task_employees carries the task's status, start, span and whether it
	// recurs for the employee's list, range and overdue tasks (as
	// CreateTask writes it). An open task with a reminder gets its row in
	// the schedule, due at the reminder time as the migration that made
	// the schedule does; the runner works out a series' next occurrence
	// when it comes due.
	var emps, groups, reminders []any
	for i, k := range ks {
		for _, e := range k.EmployeeIDs {
			emps = append(emps, t.account, ids[i], e, k.Status, k.Start, k.SpanStart, k.SpanEnd, k.Recurrence != "")
		}
		for _, g := range k.GroupIDs {
			groups = append(groups, t.account, ids[i], g)
		}
		if k.RemindAt != nil && k.Status.Open() {
			reminders = append(reminders, t.account, ids[i], *k.RemindAt, k.Start)
		}
	}
	for _, r := range []struct {
		head string
		cols int
		vals []any
	}{
		{`INSERT INTO task_employees (account_id, task_id, employee_id, status, start_at, span_start, span_end, recurring) VALUES`,
			8, emps},
		{`INSERT INTO task_group_members (account_id, task_id, group_id) VALUES`, 3, groups},
		{`INSERT INTO reminders (account_id, task_id, due_at, occurrence) VALUES`, 4, reminders},
	} {
		ri := t.newRowsInsert(r.head, r.cols, ``)
		err := ri.exec(ctx, r.vals)
		ri.close()
		if err != nil {
			return err
		}
	}
	return nil
}
