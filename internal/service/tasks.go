package service

import (
	"context"
	"slices"
	"strings"
	"time"

	"klientela/internal/authz"
	"klientela/internal/crm"
	"klientela/internal/store"
)

// TaskInput is what a form or the API sends for a task. For an all-day
// task the local dates of Start and End count: End's date is the last day,
// except that an End at local midnight after Start's day is the exclusive
// end (as DTEND in iCalendar), so both "until Friday" and "until Saturday
// 00:00" mean the same.
type TaskInput struct {
	Title       string
	Description string
	Start, End  *time.Time
	AllDay      bool
	Status      string  // "" for todo
	Priority    string  // "" for normal
	EmployeeIDs []int64 // nil or empty: the user's own employee
	GroupIDs    []int64
	ClientID    *int64
	RemindAt    *time.Time
	Recurrence  string // an RRULE; "" for a single task
}

// TaskQuery is a page of the task list.
type TaskQuery struct {
	Q          string
	Status     string // a status, "open", or "" for any
	Mine       bool   // only the tasks of the user's employee
	EmployeeID int64
	GroupID    int64
	ClientID   int64
	From, To   *time.Time
	Overdue    bool
	Sort       string
	Offset     int
	Limit      int
}

// TaskRange asks for the occurrences of tasks in [From, To) — what a
// calendar shows.
type TaskRange struct {
	From, To   time.Time
	EmployeeID int64
	GroupID    int64
	ClientID   int64
	Mine       bool   // only the tasks of the user's employee
	Status     string // a status, "open", or "" for any
	// limit raises MaxOccurrences for a caller that does not send every
	// occurrence on (a month view that shows a few per day); 0 keeps it.
	limit int
	// calendar reads the tasks as store.CalendarTasks does: no client,
	// groups without names (what the calendar needs, a fraction of the cost).
	calendar bool
}

// OccurrenceInput changes one occurrence of a recurring task (or, for a
// single task, the task): its times and status, or cancels it.
type OccurrenceInput struct {
	Start, End *time.Time // nil keeps them
	Status     string     // "" keeps it
}

// Move scopes.
const (
	ScopeOne    = "one"
	ScopeSeries = "series"
)

// Limits of tasks.
const (
	maxTaskTitle       = 200
	maxTaskDescription = 10000
	maxTaskLinks       = 50 // employees or groups of one task
)

// taskScope is how the acting user sees tasks (own: only those assigned to
// their employee) and clients (for choosing one).
type taskScope struct {
	own      bool
	employee int64
	edit     bool // may change tasks
	clients  clientScope
}

func (sc taskScope) sees(k crm.Task) bool {
	return !sc.own || (sc.employee != 0 && slices.Contains(k.EmployeeIDs, sc.employee))
}

func (s *Service) taskActor(ctx context.Context, level authz.Level) (*crm.Principal, *store.Tenant, taskScope, *time.Location, error) {
	p, t, err := s.actor(ctx, authz.Tasks, level)
	if err != nil {
		return nil, nil, taskScope{}, nil, err
	}
	return p, t, taskScopeOf(p), accountZone(p), nil
}

// taskScopeOf is how p sees tasks.
func taskScopeOf(p *crm.Principal) taskScope {
	sc := taskScope{own: authz.OwnOnly(p, authz.Tasks), edit: authz.Can(p, authz.Tasks, authz.Edit)}
	if p.User.EmployeeID != nil {
		sc.employee = *p.User.EmployeeID
	}
	sc.clients = clientScope{own: authz.OwnOnly(p, authz.Clients), employee: sc.employee}
	return sc
}

// loadTask reads a task the user may see.
func loadTask(ctx context.Context, t *store.Tenant, sc taskScope, id int64) (crm.Task, error) {
	k, err := t.Task(ctx, id)
	if err != nil {
		return crm.Task{}, err
	}
	if !sc.sees(k) {
		return crm.Task{}, crm.NotFound()
	}
	return k, nil
}

// taskTimes reads the start and end of a task: for all-day tasks, whole
// local days.
func taskTimes(v *crm.Validation, in TaskInput, loc *time.Location, k *crm.Task) {
	k.AllDay = in.AllDay
	if in.Start == nil || in.Start.IsZero() {
		v.Add("start", "err.required")
	}
	if in.End == nil || in.End.IsZero() {
		v.Add("end", "err.required")
	}
	if v.Has("start") || v.Has("end") {
		return
	}
	start, end := in.Start.In(loc), in.End.In(loc)
	if in.AllDay {
		first := time.Date(start.Year(), start.Month(), start.Day(), 0, 0, 0, 0, loc)
		last := time.Date(end.Year(), end.Month(), end.Day(), 0, 0, 0, 0, loc)
		if !(end.Equal(last) && last.After(first)) {
			last = last.AddDate(0, 0, 1) // the end of the last day
		}
		if !last.After(first) {
			v.Add("end", "err.task_end_before_start")
			return
		}
		k.Start, k.End = first, last
		return
	}
	start, end = start.Truncate(time.Second), end.Truncate(time.Second)
	if end.Before(start) {
		v.Add("end", "err.task_end_before_start")
		return
	}
	k.Start, k.End = start, end
}

func (s *Service) taskFrom(ctx context.Context, t *store.Tenant, sc taskScope, loc *time.Location, in TaskInput, k *crm.Task) error {
	var v crm.Validation
	k.Title = cleanText(in.Title)
	checkRequiredText(&v, "title", k.Title, maxTaskTitle)
	k.Description = cleanMultiline(in.Description)
	checkLen(&v, "description", k.Description, maxTaskDescription)
	taskTimes(&v, in, loc, k)

	status := crm.TaskStatus(strings.TrimSpace(in.Status))
	if status == "" {
		status = crm.TaskTodo
	}
	if !slices.Contains(crm.TaskStatuses, status) {
		v.Add("status", "err.task_status_invalid")
	} else {
		if status == crm.TaskDone && k.Status != crm.TaskDone {
			now := s.now().UTC()
			k.DoneAt = &now
		} else if status != crm.TaskDone {
			k.DoneAt = nil
		}
		k.Status = status
	}
	prio := crm.TaskPriority(strings.TrimSpace(in.Priority))
	if prio == "" {
		prio = crm.PriorityNormal
	}
	if !slices.Contains(crm.TaskPriorities, prio) {
		v.Add("priority", "err.task_priority_invalid")
	} else {
		k.Priority = prio
	}

	// Employees: active ones of the account (one already assigned may stay
	// after being deactivated); a user who sees only their own tasks is
	// always among them, or the task would vanish for them on save.
	emps := slices.Clone(in.EmployeeIDs)
	if (len(emps) == 0 || sc.own) && sc.employee != 0 && !slices.Contains(emps, sc.employee) {
		emps = append(emps, sc.employee)
	}
	if len(emps) == 0 {
		if sc.own {
			v.Add("employee_ids", "err.own_without_employee")
		} else {
			v.Add("employee_ids", "err.task_employees_required")
		}
	}
	if len(emps) > maxTaskLinks {
		v.Add("employee_ids", "err.task_too_many", "max", maxTaskLinks)
		emps = nil
	}
	var ids []int64
	for _, id := range emps {
		if slices.Contains(ids, id) {
			continue
		}
		ids = append(ids, id)
		if slices.Contains(k.EmployeeIDs, id) && k.ID != 0 {
			continue
		}
		exists, active, err := t.HasActiveEmployee(ctx, id)
		if err != nil {
			return err
		}
		switch {
		case !exists:
			v.Add("employee_ids", "err.employee_unknown")
		case !active:
			v.Add("employee_ids", "err.contact_employee_inactive")
		}
	}
	k.EmployeeIDs = ids

	if len(in.GroupIDs) > maxTaskLinks {
		v.Add("group_ids", "err.task_too_many", "max", maxTaskLinks)
	} else {
		var gids []int64
		var groups []crm.TaskGroup
		for _, id := range in.GroupIDs {
			if slices.Contains(gids, id) {
				continue
			}
			g, err := t.TaskGroup(ctx, id)
			if crm.ErrorCode(err) == crm.CodeNotFound {
				v.Add("group_ids", "err.task_group_unknown")
				continue
			} else if err != nil {
				return err
			}
			gids, groups = append(gids, id), append(groups, g)
		}
		k.GroupIDs, k.Groups = gids, groups
	}

	if in.ClientID != nil && *in.ClientID != 0 {
		if k.ClientID == nil || *k.ClientID != *in.ClientID || k.ID == 0 {
			cl, err := t.Client(ctx, *in.ClientID)
			switch {
			case crm.ErrorCode(err) == crm.CodeNotFound || (err == nil && !sc.clients.sees(cl)):
				v.Add("client_id", "err.contact_client_unknown")
			case err != nil:
				return err
			case cl.DeletedAt != nil:
				v.Add("client_id", "err.contact_client_trashed")
			}
		}
		id := *in.ClientID
		k.ClientID = &id
	} else {
		k.ClientID = nil
	}
	if in.RemindAt != nil && !in.RemindAt.IsZero() {
		r := in.RemindAt.UTC().Truncate(time.Second)
		k.RemindAt = &r
	} else {
		k.RemindAt = nil
	}
	if v.Has("start") || v.Has("end") {
		k.Recurrence = ""
		return v.Err()
	}
	rule, r := parseRecurrence(&v, in.Recurrence, k.Start.In(loc))
	k.Recurrence = rule
	if v.Err() != nil {
		return v.Err()
	}
	if r == nil {
		k.SpanStart, k.SpanEnd = k.Start, &k.End
		return nil
	}
	k.SpanStart, k.SpanEnd = seriesSpan(&v, *k, r, nil, loc)
	return v.Err()
}

// respan recomputes a task's span after its exceptions changed.
func respan(ctx context.Context, t *store.Tenant, k *crm.Task, loc *time.Location) error {
	xs, err := t.TaskExceptions(ctx, []int64{k.ID})
	if err != nil {
		return err
	}
	if !k.Recurring() {
		k.SpanStart, k.SpanEnd = k.Start, &k.End
		return nil
	}
	rule, err := taskRule(*k, loc)
	if err != nil {
		return err
	}
	var v crm.Validation
	k.SpanStart, k.SpanEnd = seriesSpan(&v, *k, rule, xs[k.ID], loc)
	return v.Err()
}

// taskTime is how a task's time shows in its history.
func taskTime(loc *time.Location, t time.Time, allDay bool) string {
	if t.IsZero() {
		return ""
	}
	if allDay {
		return t.In(loc).Format(time.DateOnly)
	}
	return t.In(loc).Format("2006-01-02 15:04")
}

func taskFields(loc *time.Location, k crm.Task) []field {
	end := k.End
	if k.AllDay {
		end = end.AddDate(0, 0, -1) // the last day, as people read it
	}
	remind := ""
	if k.RemindAt != nil {
		remind = taskTime(loc, *k.RemindAt, false)
	}
	emps := make([]string, len(k.Employees))
	for i, e := range k.Employees {
		emps[i] = e.FullName()
	}
	groups := make([]string, len(k.Groups))
	for i, g := range k.Groups {
		groups[i] = g.Name
	}
	allDay := "false"
	if k.AllDay {
		allDay = "true"
	}
	return []field{
		{"title", k.Title}, {"description", k.Description}, {"start", taskTime(loc, k.Start, k.AllDay)},
		{"end", taskTime(loc, end, k.AllDay)}, {"all_day", allDay}, {"status", string(k.Status)},
		{"priority", string(k.Priority)}, {"employees", strings.Join(emps, ", ")}, {"groups", strings.Join(groups, ", ")},
		{"client_id", idText(k.ClientID)}, {"remind_at", remind}, {"recurrence", k.Recurrence},
	}
}

// TaskInputOf turns a task back into the input that would save it
// unchanged (a PATCH starts from it).
func TaskInputOf(k crm.Task) TaskInput {
	start, end := k.Start, k.End
	in := TaskInput{Title: k.Title, Description: k.Description, Start: &start, End: &end, AllDay: k.AllDay,
		Status: string(k.Status), Priority: string(k.Priority), EmployeeIDs: slices.Clone(k.EmployeeIDs),
		GroupIDs: slices.Clone(k.GroupIDs), Recurrence: k.Recurrence}
	if k.ClientID != nil {
		id := *k.ClientID
		in.ClientID = &id
	}
	if k.RemindAt != nil {
		r := *k.RemindAt
		in.RemindAt = &r
	}
	return in
}

// CreateTask adds a task. A user who sees only their own tasks is always
// among its employees.
func (s *Service) CreateTask(ctx context.Context, in TaskInput) (crm.Task, error) {
	p, t, sc, loc, err := s.taskActor(ctx, authz.Edit)
	if err != nil {
		return crm.Task{}, err
	}
	now := s.now().UTC()
	k := crm.Task{AccountID: t.AccountID(), CreatedAt: now, UpdatedAt: now}
	// The task is read once, in the transaction, for its reminder, its
	// history and the answer (three reads before: a third of the time of
	// POST /api/v1/tasks at 300 000 tasks).
	var saved crm.Task
	err = t.InTx(ctx, func(t *store.Tenant) error {
		if err := s.taskFrom(ctx, t, sc, loc, in, &k); err != nil {
			return err
		}
		if k.ID, err = t.CreateTask(ctx, k); err != nil {
			return err
		}
		if saved, err = t.Task(ctx, k.ID); err != nil {
			return err
		}
		if err := s.scheduleSavedTask(ctx, t, loc, saved); err != nil {
			return err
		}
		return record(ctx, t, p, now, "task", k.ID, crm.ActionCreate, saved.Title, created(taskFields(loc, saved)))
	})
	if err != nil {
		return crm.Task{}, err
	}
	ks := []crm.Task{saved}
	if err := s.fillNext(ctx, t, loc, ks); err != nil {
		return crm.Task{}, err
	}
	return ks[0], nil
}

// taskWithNext reads a task with its next occurrence (recurring tasks).
func (s *Service) taskWithNext(ctx context.Context, t *store.Tenant, loc *time.Location, id int64) (crm.Task, error) {
	k, err := t.Task(ctx, id)
	if err != nil {
		return crm.Task{}, err
	}
	ks := []crm.Task{k}
	if err := s.fillNext(ctx, t, loc, ks); err != nil {
		return crm.Task{}, err
	}
	return ks[0], nil
}

// fillNext finds the next occurrence (ending at or after now, not
// cancelled) of the recurring tasks among ks — only those of the shown
// page, each in one pass of its rule that stops at the first hit.
func (s *Service) fillNext(ctx context.Context, t *store.Tenant, loc *time.Location, ks []crm.Task) error {
	var ids []int64
	for _, k := range ks {
		if k.Recurring() {
			ids = append(ids, k.ID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	xs, err := t.TaskExceptions(ctx, ids)
	if err != nil {
		return err
	}
	now := s.now()
	for i := range ks {
		if ks[i].Recurring() {
			ks[i].Next = nextOccurrence(ks[i], xs[ks[i].ID], now, loc)
		}
	}
	return nil
}

// Task returns one task, with its next occurrence when it repeats.
func (s *Service) Task(ctx context.Context, id int64) (crm.Task, error) {
	_, t, sc, loc, err := s.taskActor(ctx, authz.View)
	if err != nil {
		return crm.Task{}, err
	}
	if _, err := loadTask(ctx, t, sc, id); err != nil {
		return crm.Task{}, err
	}
	return s.taskWithNext(ctx, t, loc, id)
}

// UpdateTask changes a task (for a recurring one: the whole series). When
// its start moves, the changed occurrences move with it; those that are no
// longer occurrences of the rule are dropped.
func (s *Service) UpdateTask(ctx context.Context, id int64, in TaskInput) (crm.Task, error) {
	p, t, sc, loc, err := s.taskActor(ctx, authz.Edit)
	if err != nil {
		return crm.Task{}, err
	}
	now := s.now().UTC()
	err = t.InTx(ctx, func(t *store.Tenant) error {
		old, err := loadTask(ctx, t, sc, id)
		if err != nil {
			return err
		}
		k := old
		if err := s.taskFrom(ctx, t, sc, loc, in, &k); err != nil {
			return err
		}
		k.UpdatedAt = now
		if err := s.saveSeries(ctx, t, loc, old, &k); err != nil {
			return err
		}
		saved, err := t.Task(ctx, id)
		if err != nil {
			return err
		}
		return record(ctx, t, p, now, "task", id, crm.ActionUpdate, saved.Title, diff(taskFields(loc, old), taskFields(loc, saved)))
	})
	if err != nil {
		return crm.Task{}, err
	}
	return s.taskWithNext(ctx, t, loc, id)
}

// saveSeries saves k (whose old version is old) and carries its exceptions
// over: moved by the change of the start, kept when still an occurrence.
func (s *Service) saveSeries(ctx context.Context, t *store.Tenant, loc *time.Location, old crm.Task, k *crm.Task) error {
	xs, err := t.TaskExceptions(ctx, []int64{k.ID})
	if err != nil {
		return err
	}
	var keep []crm.TaskException
	if old.Recurring() && k.Recurring() {
		for _, x := range xs[k.ID] {
			n := x
			n.Original = shiftLocal(x.Original, old.Start, k.Start, loc)
			if x.Start.Equal(x.Original) && x.End.Equal(occurrenceEnd(old, x.Original, loc)) {
				n.Start, n.End = n.Original, occurrenceEnd(*k, n.Original, loc)
			}
			if isOccurrence(*k, n.Original, loc) {
				keep = append(keep, n)
			}
		}
	}
	if k.Recurring() {
		rule, err := taskRule(*k, loc)
		if err != nil {
			return err
		}
		var v crm.Validation
		k.SpanStart, k.SpanEnd = seriesSpan(&v, *k, rule, keep, loc)
		if err := v.Err(); err != nil {
			return err
		}
	}
	if err := t.UpdateTask(ctx, *k); err != nil {
		return err
	}
	if len(xs[k.ID]) > 0 {
		if err := t.DeleteTaskExceptions(ctx, k.ID); err != nil {
			return err
		}
		for _, x := range keep {
			if err := t.SaveTaskException(ctx, x); err != nil {
				return err
			}
		}
	}
	return s.scheduleTask(ctx, t, loc, k.ID)
}

// DeleteTask removes a task, a whole series included (full access).
func (s *Service) DeleteTask(ctx context.Context, id int64) error {
	p, t, sc, loc, err := s.taskActor(ctx, authz.Full)
	if err != nil {
		return err
	}
	now := s.now().UTC()
	return t.InTx(ctx, func(t *store.Tenant) error {
		k, err := loadTask(ctx, t, sc, id)
		if err != nil {
			return err
		}
		// Its files stay in the account, attached to nothing.
		if _, err := t.DetachTaskFiles(ctx, id, now); err != nil {
			return err
		}
		if err := t.DeleteTask(ctx, id); err != nil {
			return err
		}
		return record(ctx, t, p, now, "task", id, crm.ActionDelete, k.Title, deleted(taskFields(loc, k)))
	})
}

// findOccurrence resolves the occurrence of k that starts (or, once
// changed, started by its rule) at at: its original start and its
// exception, if any. For a single task only its start matches.
func findOccurrence(k crm.Task, xs []crm.TaskException, at time.Time, loc *time.Location) (time.Time, *crm.TaskException, bool) {
	for i := range xs {
		if xs[i].Original.Unix() == at.Unix() || (!xs[i].Cancelled && xs[i].Start.Unix() == at.Unix()) {
			return xs[i].Original, &xs[i], !xs[i].Cancelled
		}
	}
	if isOccurrence(k, at, loc) {
		return at, nil, true
	}
	return time.Time{}, nil, false
}

func occurrenceNotFound() error {
	var v crm.Validation
	v.Add("occurrence", "err.task_occurrence_unknown")
	return v.Err()
}

// ChangeOccurrence changes one occurrence of a recurring task ("this
// occurrence only"): its times and its status. For a single task it changes
// the task itself.
func (s *Service) ChangeOccurrence(ctx context.Context, id int64, occurrence time.Time, in OccurrenceInput) (crm.Task, error) {
	p, t, sc, loc, err := s.taskActor(ctx, authz.Edit)
	if err != nil {
		return crm.Task{}, err
	}
	now := s.now().UTC()
	err = t.InTx(ctx, func(t *store.Tenant) error {
		k, err := loadTask(ctx, t, sc, id)
		if err != nil {
			return err
		}
		if !k.Recurring() {
			ti := TaskInputOf(k)
			if in.Start != nil {
				ti.Start = in.Start
			}
			if in.End != nil {
				ti.End = in.End
			}
			if in.Status != "" {
				ti.Status = in.Status
			}
			n := k
			if err := s.taskFrom(ctx, t, sc, loc, ti, &n); err != nil {
				return err
			}
			n.UpdatedAt = now
			if err := t.UpdateTask(ctx, n); err != nil {
				return err
			}
			if err := s.scheduleTask(ctx, t, loc, id); err != nil {
				return err
			}
			saved, err := t.Task(ctx, id)
			if err != nil {
				return err
			}
			return record(ctx, t, p, now, "task", id, crm.ActionUpdate, k.Title, diff(taskFields(loc, k), taskFields(loc, saved)))
		}
		return s.changeOne(ctx, t, p, loc, k, occurrence, in, false, now)
	})
	if err != nil {
		return crm.Task{}, err
	}
	return s.taskWithNext(ctx, t, loc, id)
}

// changeOne writes the exception of one occurrence of the recurring task k.
func (s *Service) changeOne(ctx context.Context, t *store.Tenant, p *crm.Principal, loc *time.Location, k crm.Task,
	occurrence time.Time, in OccurrenceInput, cancel bool, now time.Time) error {
	xs, err := t.TaskExceptions(ctx, []int64{k.ID})
	if err != nil {
		return err
	}
	orig, cur, ok := findOccurrence(k, xs[k.ID], occurrence, loc)
	if !ok {
		return occurrenceNotFound()
	}
	x := crm.TaskException{TaskID: k.ID, Original: orig, Start: orig, End: occurrenceEnd(k, orig, loc)}
	if cur != nil {
		x = *cur
	}
	before := x
	var v crm.Validation
	if in.Start != nil || in.End != nil {
		ti := TaskInput{Start: &x.Start, End: &x.End, AllDay: k.AllDay}
		if in.Start != nil {
			ti.Start = in.Start
		}
		if in.End != nil {
			ti.End = in.End
		}
		var n crm.Task
		taskTimes(&v, ti, loc, &n)
		x.Start, x.End = n.Start, n.End
	}
	if in.Status != "" {
		st := crm.TaskStatus(in.Status)
		if !slices.Contains(crm.TaskStatuses, st) {
			v.Add("status", "err.task_status_invalid")
		}
		x.Status = st
	}
	x.Cancelled = cancel
	if err := v.Err(); err != nil {
		return err
	}
	if err := t.SaveTaskException(ctx, x); err != nil {
		return err
	}
	n := k
	if err := respan(ctx, t, &n, loc); err != nil {
		return err
	}
	if !n.SpanStart.Equal(k.SpanStart) || !timePtrEqual(n.SpanEnd, k.SpanEnd) {
		n.UpdatedAt = now
		if err := t.UpdateTask(ctx, n); err != nil {
			return err
		}
	}
	if err := s.scheduleTask(ctx, t, loc, k.ID); err != nil {
		return err
	}
	label := taskTime(loc, orig, k.AllDay)
	describe := func(x crm.TaskException, isNew bool) string {
		if isNew {
			return ""
		}
		if x.Cancelled {
			return "cancelled"
		}
		st := x.Status
		if st == "" {
			st = k.Status
		}
		return taskTime(loc, x.Start, k.AllDay) + " – " + taskTime(loc, x.End, k.AllDay) + " · " + string(st)
	}
	old := describe(before, false)
	if cur == nil {
		old = describe(crm.TaskException{Start: orig, End: occurrenceEnd(k, orig, loc), Status: k.Status}, false)
	}
	return record(ctx, t, p, now, "task", k.ID, crm.ActionUpdate, k.Title,
		[]crm.Change{{Field: "occurrence", Old: label + ": " + old, New: label + ": " + describe(x, false)}})
}

func timePtrEqual(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Equal(*b)
}

// CancelOccurrence removes one occurrence of a recurring task (edit
// access); a single task is deleted instead (full access).
func (s *Service) CancelOccurrence(ctx context.Context, id int64, occurrence time.Time) error {
	p, t, sc, loc, err := s.taskActor(ctx, authz.Edit)
	if err != nil {
		return err
	}
	k, err := loadTask(ctx, t, sc, id)
	if err != nil {
		return err
	}
	if !k.Recurring() {
		return s.DeleteTask(ctx, id)
	}
	now := s.now().UTC()
	return t.InTx(ctx, func(t *store.Tenant) error {
		return s.changeOne(ctx, t, p, loc, k, occurrence, OccurrenceInput{}, true, now)
	})
}

// CompleteTask marks a task as done; for a recurring task only the
// occurrence at occurrence (its start) is marked.
func (s *Service) CompleteTask(ctx context.Context, id int64, occurrence *time.Time) (crm.Task, error) {
	_, t, sc, _, err := s.taskActor(ctx, authz.Edit)
	if err != nil {
		return crm.Task{}, err
	}
	k, err := loadTask(ctx, t, sc, id)
	if err != nil {
		return crm.Task{}, err
	}
	at := k.Start
	if k.Recurring() {
		if occurrence == nil {
			return crm.Task{}, occurrenceNotFound()
		}
		at = *occurrence
	}
	return s.ChangeOccurrence(ctx, id, at, OccurrenceInput{Status: string(crm.TaskDone)})
}

// MoveTask moves or resizes one occurrence (scope "one") or the whole
// series (scope "series") — what a calendar's drag and drop does. The
// occurrence is named by its start (original or current); newStart and
// newEnd are its new times. Moving a series moves every occurrence by the
// same change of day and time of day (a weekly series keeps its weekday
// pattern, shifted), and its changed occurrences with it. A single task
// moves whatever the scope.
func (s *Service) MoveTask(ctx context.Context, id int64, occurrence, newStart, newEnd time.Time, scope string) (crm.Task, error) {
	p, t, sc, loc, err := s.taskActor(ctx, authz.Edit)
	if err != nil {
		return crm.Task{}, err
	}
	if scope != ScopeOne && scope != ScopeSeries {
		var v crm.Validation
		v.Add("scope", "err.task_scope_invalid")
		return crm.Task{}, v.Err()
	}
	k, err := loadTask(ctx, t, sc, id)
	if err != nil {
		return crm.Task{}, err
	}
	if !k.Recurring() || scope == ScopeOne {
		if !k.Recurring() && occurrence.Unix() != k.Start.Unix() {
			return crm.Task{}, occurrenceNotFound()
		}
		return s.ChangeOccurrence(ctx, id, occurrence, OccurrenceInput{Start: &newStart, End: &newEnd})
	}
	now := s.now().UTC()
	err = t.InTx(ctx, func(t *store.Tenant) error {
		xs, err := t.TaskExceptions(ctx, []int64{k.ID})
		if err != nil {
			return err
		}
		orig, cur, ok := findOccurrence(k, xs[k.ID], occurrence, loc)
		if !ok {
			return occurrenceNotFound()
		}
		from := orig
		if cur != nil {
			from = cur.Start
		}
		in := TaskInputOf(k)
		start := shiftLocal(k.Start, from, newStart, loc)
		in.Start = &start
		var n crm.Task
		var v crm.Validation
		taskTimes(&v, TaskInput{Start: &newStart, End: &newEnd, AllDay: k.AllDay}, loc, &n)
		if err := v.Err(); err != nil {
			return err
		}
		end := start.Add(n.End.Sub(n.Start))
		if k.AllDay {
			ls := start.In(loc)
			end = time.Date(ls.Year(), ls.Month(), ls.Day()+daysBetween(n.Start.In(loc), n.End.In(loc)), 0, 0, 0, 0, loc)
		}
		in.End = &end
		in.Recurrence = shiftWeekdays(k.Recurrence, daysBetween(from.In(loc), newStart.In(loc)))
		nk := k
		if err := s.taskFrom(ctx, t, sc, loc, in, &nk); err != nil {
			return err
		}
		nk.UpdatedAt = now
		if err := s.saveSeries(ctx, t, loc, k, &nk); err != nil {
			return err
		}
		saved, err := t.Task(ctx, id)
		if err != nil {
			return err
		}
		return record(ctx, t, p, now, "task", id, crm.ActionUpdate, saved.Title, diff(taskFields(loc, k), taskFields(loc, saved)))
	})
	if err != nil {
		return crm.Task{}, err
	}
	return s.taskWithNext(ctx, t, loc, id)
}

// TaskCountBound is where Tasks stops counting for q (see countBound):
// ListCountMax, SearchCountMax for a search.
func TaskCountBound(q TaskQuery) int {
	return countBound(searchOr(q.Q, ListCountMax), q.Offset, q.Limit)
}

// Tasks lists the tasks the user may see and counts those that match, up
// to TaskCountBound(q)+1; each recurring task comes with its next
// occurrence.
func (s *Service) Tasks(ctx context.Context, q TaskQuery) ([]crm.Task, int, error) {
	_, t, sc, loc, err := s.taskActor(ctx, authz.View)
	if err != nil {
		return nil, 0, err
	}
	var v crm.Validation
	if q.Status != "" && q.Status != "open" && !slices.Contains(crm.TaskStatuses, crm.TaskStatus(q.Status)) {
		v.Add("status", "err.task_status_invalid")
	}
	if q.Sort != "" && !slices.Contains(store.TaskSorts, q.Sort) {
		v.Add("sort", "err.task_sort_invalid")
	}
	if q.From != nil && q.To != nil && q.To.Before(*q.From) {
		v.Add("to", "err.task_end_before_start")
	}
	if err := v.Err(); err != nil {
		return nil, 0, err
	}
	f := store.TaskFilter{Q: q.Q, Status: q.Status, EmployeeID: q.EmployeeID, GroupID: q.GroupID, ClientID: q.ClientID,
		From: q.From, To: q.To, Overdue: q.Overdue, Now: s.now(), OwnOnly: sc.own || q.Mine, OwnEmployee: sc.employee,
		Sort: q.Sort, Offset: max(0, q.Offset), Limit: Page{Limit: q.Limit}.limit(), CountMax: TaskCountBound(q)}
	ks, total, err := t.Tasks(ctx, f)
	if err != nil {
		return nil, 0, err
	}
	return ks, total, s.fillNext(ctx, t, loc, ks)
}

// TaskOccurrences expands the tasks the user may see into their
// occurrences in [q.From, q.To), by start, in the account's time zone. A
// range that holds more than MaxOccurrences is refused.
func (s *Service) TaskOccurrences(ctx context.Context, q TaskRange) ([]crm.TaskOccurrence, error) {
	_, t, sc, loc, err := s.taskActor(ctx, authz.View)
	if err != nil {
		return nil, err
	}
	return s.occurrences(ctx, t, sc, loc, q)
}

func (s *Service) occurrences(ctx context.Context, t *store.Tenant, sc taskScope, loc *time.Location, q TaskRange) ([]crm.TaskOccurrence, error) {
	var v crm.Validation
	if q.From.IsZero() {
		v.Add("from", "err.required")
	}
	if q.To.IsZero() {
		v.Add("to", "err.required")
	} else if !q.To.After(q.From) {
		v.Add("to", "err.task_end_before_start")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	from, to := q.From, q.To
	limit := MaxOccurrences
	if q.limit > 0 {
		limit = q.limit
	}
	f := store.TaskFilter{Status: q.Status, EmployeeID: q.EmployeeID, GroupID: q.GroupID,
		ClientID: q.ClientID, From: &from, To: &to, OwnOnly: sc.own || q.Mine, OwnEmployee: sc.employee,
		Limit: limit + 1, NoCount: true}
	var (
		ks  []crm.Task
		err error
	)
	if q.calendar {
		ks, err = t.CalendarTasks(ctx, f, false)
	} else {
		ks, _, err = t.Tasks(ctx, f)
	}
	if err != nil {
		return nil, err
	}
	return s.expandTasks(ctx, t, sc, loc, ks, from, to, limit)
}

// expandTasks turns tasks into their occurrences in [from, to), by start
// (at most limit), each editable as sc says.
func (s *Service) expandTasks(ctx context.Context, t *store.Tenant, sc taskScope, loc *time.Location, ks []crm.Task,
	from, to time.Time, limit int) ([]crm.TaskOccurrence, error) {
	if len(ks) > limit {
		return nil, tooMany(limit)
	}
	var ids []int64
	for _, k := range ks {
		if k.Recurring() {
			ids = append(ids, k.ID)
		}
	}
	xs, err := t.TaskExceptions(ctx, ids)
	if err != nil {
		return nil, err
	}
	ex := &expander{loc: loc, from: from, to: to, max: limit}
	for _, k := range ks {
		n := len(ex.out)
		if err := ex.add(k, xs[k.ID]); err != nil {
			return nil, err
		}
		for i := n; i < len(ex.out); i++ {
			ex.out[i].Editable = sc.edit && sc.sees(k)
		}
	}
	slices.SortStableFunc(ex.out, func(a, b crm.TaskOccurrence) int {
		if c := a.Start.Compare(b.Start); c != 0 {
			return c
		}
		return int(a.TaskID - b.TaskID)
	})
	return ex.out, nil
}

// TaskEmployees lists the account's active employees, for choosing whom a
// task is for (tasks access is enough).
func (s *Service) TaskEmployees(ctx context.Context) ([]crm.Employee, error) {
	_, t, _, _, err := s.taskActor(ctx, authz.View)
	if err != nil {
		return nil, err
	}
	return t.ActiveEmployees(ctx)
}

// taskHistoryVisible refuses the history of a task the user may not see (a
// deleted task's history stays to whoever sees all tasks).
func (s *Service) taskHistoryVisible(ctx context.Context, id int64) error {
	_, t, sc, _, err := s.taskActor(ctx, authz.View)
	if err != nil {
		return err
	}
	k, err := t.Task(ctx, id)
	return historyVisible(k, err, sc.own, sc.sees)
}

// TasksSummary is the tasks' part of the dashboard, for the user's own
// employee: today's occurrences, overdue tasks, and how many occurrences
// fall on each day of this week (Monday first).
type TasksSummary struct {
	HasEmployee bool
	Today       []crm.TaskOccurrence
	Overdue     []crm.Task
	OverdueMore int // overdue tasks beyond those listed
	// The count stops after OverdueMax+1 tasks: OverdueCapped means "more
	// than OverdueMax overdue tasks" (OverdueMore is then a lower bound).
	OverdueMax    int
	OverdueCapped bool
	Week          []DayCount
}

// DayCount is the number of the user's task occurrences on a day.
type DayCount struct {
	Day   time.Time
	Count int
	Today bool
}

// dashboardTasks gathers the tasks widgets of the acting user; ver is the
// account's data version, read before (see dashboardWeek).
func (s *Service) dashboardTasks(ctx context.Context, ver string) (*TasksSummary, error) {
	p, t, sc, loc, err := s.taskActor(ctx, authz.View)
	if err != nil {
		return nil, err
	}
	ts := &TasksSummary{HasEmployee: p.User.EmployeeID != nil}
	if !ts.HasEmployee {
		return ts, nil
	}
	now := s.now().In(loc)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, loc)
	monday := today.AddDate(0, 0, -((int(today.Weekday()) + 6) % 7))
	week, err := s.dashboardWeek(ctx, t, ver, sc, loc, monday)
	if err != nil {
		return nil, err
	}
	for i := range 7 {
		d := monday.AddDate(0, 0, i)
		dc := DayCount{Day: d, Today: d.Equal(today)}
		next := d.AddDate(0, 0, 1)
		for _, o := range week {
			if o.Status != crm.TaskCancelled && o.Start.Before(next) && (o.End.After(d) || o.Start.Equal(d)) {
				dc.Count++
				if dc.Today && o.Status != crm.TaskDone {
					ts.Today = append(ts.Today, o)
				}
			}
		}
		ts.Week = append(ts.Week, dc)
	}
	ts.OverdueMax = ListCountMax
	over, total, err := t.Tasks(ctx, store.TaskFilter{Overdue: true, Now: now, OwnOnly: true, OwnEmployee: sc.employee,
		Sort: "end", Limit: 10, CountMax: ts.OverdueMax})
	if err != nil {
		return nil, err
	}
	ts.Overdue, ts.OverdueMore, ts.OverdueCapped = over, total-len(over), total > ts.OverdueMax
	return ts, nil
}
