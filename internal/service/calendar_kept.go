package service

import (
	"context"
	"math"
	"slices"
	"strconv"
	"time"
	"unsafe"

	"klientela/internal/crm"
	"klientela/internal/kept"
	"klientela/internal/store"
)

// A month view (a capped range, CalendarCapped with perDay > 0) reads the
// same things for everyone of an account who looks at the same month: a
// profile of the firm's month (SQLite, 300 000 tasks) put about 20 of its
// 33 ms of CPU in reading the 1 104 series of the range and the single
// tasks begun before it, with their employees and groups, and expanding
// the series' rules, which every request did to count each day's
// occurrences whatever it showed; the per-day reads of contacts,
// birthdays and single tasks were most of the rest.
//
// So an instance keeps them (Service.months), each part by what it was
// read for (monthKey) and valid for the account's data version it was read
// at: the version of migration 00023, bumped by triggers in the same
// transaction as every write of a task, its employees, exceptions or
// groups (00028), a group, a planned contact, a client, person or date,
// an employee, a user's scope or the account's zone. CalendarCapped reads
// the version (one statement) before anything else of the range, and a
// part kept at another version is read again: a write on any instance is
// seen by the next request on every other, as the feeds' kept copies are
// (web/feed.go, the same kept.Cache).
//
// What is kept is the store's answer to a filter, never a user's view:
// the series (monthSeries) for the whole account, the user's "only mine"
// scope and employee filter applied on top of them per request
// (taskOccurrencesKept); the per-day reads by the exact filter they were
// asked with (the scope is part of the key); what the user may see of
// each kind (calendarItems), may edit (Editable) and the employees'
// colours are decided per request.

// monthCacheBytes bounds the parts an instance keeps, least recently
// used out first: the loadbench firm's month (six weeks, 1 104 series)
// weighs about 0.83 MB, 0.72 MB of it the series.
const monthCacheBytes = 8 << 20

// monthKey is what a kept part of a capped range was read for: the
// account, the range and its zone, and for the per-day reads (part other
// than "series") the number a day shows and the store's filter by
// employee, exactly as given (so one user's scope never serves another's).
type monthKey struct {
	account  int64
	from, to int64 // Unix nanoseconds
	zone     string
	part     string // "series", "tasks", "contacts", "birthdays", "birthdays-all", "dates"; "week-tasks", "dashboard-dates" (the dashboard)
	perDay   int
	emp      int64
	own      bool
	ownEmp   int64
}

// keptPart is a kept part and what it weighs.
type keptPart struct {
	v     any
	bytes int
}

// monthSeries is the part of a capped range that is the same for
// everyone of the account: every series that touches the range and every
// single task begun before it, with their employees and groups, expanded
// into their occurrences in the range.
type monthSeries struct {
	// tasks: the single tasks begun before the range, then the series, each
	// as store.CalendarTasks reads it.
	tasks   []crm.Task
	nBefore int
	// occs are the occurrences of tasks in the range, by start and task
	// (the order of expandTasks).
	occs []keptOccurrence
	// overflow: the firm's range holds more than a capped range may
	// expand; each request then takes the uncached path, which gives the
	// same answer (or error) it always did for its own scope.
	overflow bool
	bytes    int
}

// keptOccurrence is an occurrence of monthSeries.tasks[task]: what
// occurrenceOf takes that is not the task's.
type keptOccurrence struct {
	task                 int32
	day                  int64     // the local midnight of start (Unix seconds)
	original, start, end time.Time // in the account's zone
	status               crm.TaskStatus
}

// newMonthCache is the kept months of an instance, up to monthCacheBytes.
func newMonthCache() *kept.Cache[monthKey, keptPart] {
	return kept.New[monthKey](monthCacheBytes, func(p keptPart) int { return p.bytes })
}

// monthVersion is the account's data version as the tag of its kept
// months. CalendarCapped reads it once, before anything else of the
// range: whatever is read after it is at least as new, so a part kept
// under it is never older than it says.
func monthVersion(ctx context.Context, t *store.Tenant) (string, error) {
	ver, err := t.FeedVersion(ctx)
	if err != nil {
		return "", err
	}
	return strconv.FormatInt(ver.Version, 10), nil
}

// keptRead returns part key of r's range: the kept one when it was read
// at r.version, else what read gives (kept for the next request).
func keptRead[V any](s *Service, t *store.Tenant, r calendarRange, key monthKey, read func() (V, int, error)) (V, error) {
	key.account, key.from, key.to, key.zone = t.AccountID(), r.from.UnixNano(), r.to.UnixNano(), r.loc.String()
	p, err := s.months.Get(key, r.version, func() (keptPart, error) {
		v, n, err := read()
		return keptPart{v: v, bytes: n}, err
	})
	if err != nil {
		var zero V
		return zero, err
	}
	return p.v.(V), nil
}

// keptMonthSeries returns the account's monthSeries of r.
func (s *Service) keptMonthSeries(ctx context.Context, t *store.Tenant, r calendarRange) (*monthSeries, error) {
	return keptRead(s, t, r, monthKey{part: "series"}, func() (*monthSeries, int, error) {
		m, err := readMonthSeries(ctx, t, r)
		if err != nil {
			return nil, 0, err
		}
		return m, m.bytes, nil
	})
}

// taskDays is store.CalendarTaskDays of r as kept: the first single tasks
// of each day of the filter and the days' counts (which the caller must
// not change: it gets a copy).
type taskDays struct {
	tops   []crm.Task
	counts []int
}

func (s *Service) keptTaskDays(ctx context.Context, t *store.Tenant, r calendarRange, f store.TaskFilter, bounds []time.Time) ([]crm.Task, []int, error) {
	key := monthKey{part: "tasks", perDay: r.perDay, emp: f.EmployeeID, own: f.OwnOnly, ownEmp: f.OwnEmployee}
	if f.GroupID > 0 || f.ClientID > 0 || f.Status != "" || f.Q != "" || f.Overdue {
		return t.CalendarTaskDays(ctx, f, bounds, r.perDay) // not a filter of the month view
	}
	d, err := keptRead(s, t, r, key, func() (taskDays, int, error) {
		tops, counts, err := t.CalendarTaskDays(ctx, f, bounds, r.perDay)
		return taskDays{tops, counts}, tasksWeight(tops) + 8*len(counts), err
	})
	return d.tops, slices.Clone(d.counts), err
}

// contactDays is store.CalendarContactDays of r as kept.
type contactDays struct {
	cs     []store.CalendarContact
	counts []int
}

func (s *Service) keptContactDays(ctx context.Context, t *store.Tenant, r calendarRange, f store.CalendarContactFilter,
	bounds []time.Time) ([]store.CalendarContact, []int, error) {
	if f.Detail {
		return t.CalendarContactDays(ctx, f, bounds, r.perDay) // not a filter of the month view
	}
	key := monthKey{part: "contacts", perDay: r.perDay, emp: f.EmployeeID, own: f.OwnOnly, ownEmp: f.OwnEmployee}
	d, err := keptRead(s, t, r, key, func() (contactDays, int, error) {
		cs, counts, err := t.CalendarContactDays(ctx, f, bounds, r.perDay)
		n := len(cs)*int(unsafe.Sizeof(store.CalendarContact{})) + 8*len(counts)
		for _, c := range cs {
			n += len(c.Subject) + len(c.ClientName) + len(c.PersonName) + len(c.EmployeeName) + len(c.EmployeeColor) +
				len(c.Channel) + len(c.Status)
		}
		return contactDays{cs, counts}, n, err
	})
	return d.cs, slices.Clone(d.counts), err
}

// birthdayDays is store.BirthdayDays of r as kept.
type birthdayDays struct {
	bs     []store.Birthday
	counts map[string]int
}

func (s *Service) keptBirthdayDays(ctx context.Context, t *store.Tenant, r calendarRange, f store.BirthdayFilter) ([]store.Birthday, map[string]int, error) {
	key := monthKey{part: "birthdays", perDay: r.perDay, emp: f.EmployeeID, own: f.OwnOnly, ownEmp: f.OwnEmployee}
	d, err := keptRead(s, t, r, key, func() (birthdayDays, int, error) {
		bs, counts, err := t.BirthdayDays(ctx, f, r.perDay)
		n := len(bs)*int(unsafe.Sizeof(store.Birthday{})) + 32*len(counts)
		for _, b := range bs {
			n += len(b.ClientName) + len(b.PersonName) + len(b.Date)
		}
		return birthdayDays{bs, counts}, n, err
	})
	return d.bs, d.counts, err
}

// readMonthSeries reads and expands the account's series of r and the
// single tasks begun before it, for everyone (no scope).
func readMonthSeries(ctx context.Context, t *store.Tenant, r calendarRange) (*monthSeries, error) {
	series, before, err := seriesAndBefore(ctx, t, store.TaskFilter{}, r.from, r.to)
	if err != nil {
		return nil, err
	}
	m := &monthSeries{tasks: append(before, series...), nBefore: len(before)}
	if len(before) > cappedOccurrences || len(series) > cappedOccurrences {
		m.overflow = true
		return m.weigh(), nil
	}
	var ids []int64
	for _, k := range series {
		ids = append(ids, k.ID)
	}
	xs, err := t.TaskExceptions(ctx, ids)
	if err != nil {
		return nil, err
	}
	ex := &expander{loc: r.loc, from: r.from, to: r.to, max: cappedOccurrences}
	for i, k := range m.tasks {
		n := len(ex.out)
		if err := ex.add(k, xs[k.ID]); err != nil {
			// Too many occurrences or rule steps (the only errors of add):
			// a scope may still hold few enough, or fail as it did.
			m.overflow, m.occs = true, nil
			return m.weigh(), nil
		}
		for _, o := range ex.out[n:] {
			m.occs = append(m.occs, keptOccurrence{task: int32(i), day: localDay(o.Start, r.loc).Unix(),
				original: o.Original, start: o.Start, end: o.End, status: o.Status})
		}
	}
	slices.SortStableFunc(m.occs, func(a, b keptOccurrence) int {
		if c := a.start.Compare(b.start); c != 0 {
			return c
		}
		return int(m.tasks[a.task].ID - m.tasks[b.task].ID)
	})
	return m.weigh(), nil
}

// keptBirthdaysBetween is birthdaysBetween, kept for a capped range (one
// employee's birthdays of a month, read whole: 12 of the 14 ms of a kept
// employee's month), read for any other.
func (s *Service) keptBirthdaysBetween(ctx context.Context, t *store.Tenant, first, end time.Time, f store.BirthdayFilter,
	r calendarRange) ([]BirthdayItem, error) {
	if r.version == "" {
		return birthdaysBetween(ctx, t, first, end, f)
	}
	key := monthKey{part: "birthdays-all", emp: f.EmployeeID, own: f.OwnOnly, ownEmp: f.OwnEmployee}
	return keptRead(s, t, r, key, func() ([]BirthdayItem, int, error) {
		bs, err := birthdaysBetween(ctx, t, first, end, f)
		n := len(bs) * int(unsafe.Sizeof(BirthdayItem{}))
		for _, b := range bs {
			n += len(b.ClientName) + len(b.PersonName) + len(b.Date)
		}
		return bs, n, err
	})
}

// keptCalendarDates is store.CalendarDates, kept for a capped range (f's
// days and dates are the range's), read for any other.
func (s *Service) keptCalendarDates(ctx context.Context, t *store.Tenant, r calendarRange, f store.CalendarDateFilter) ([]store.CalendarDate, error) {
	if r.version == "" {
		return t.CalendarDates(ctx, f)
	}
	key := monthKey{part: "dates", emp: f.EmployeeID, own: f.OwnOnly, ownEmp: f.OwnEmployee}
	return keptRead(s, t, r, key, func() ([]store.CalendarDate, int, error) {
		ds, err := t.CalendarDates(ctx, f)
		n := len(ds) * int(unsafe.Sizeof(store.CalendarDate{}))
		for _, d := range ds {
			n += len(d.ClientName) + len(d.Name) + len(d.Date)
		}
		return ds, n, err
	})
}

// weigh sets what m holds in bytes, roughly (the structs, their strings
// and links).
func (m *monthSeries) weigh() *monthSeries {
	m.bytes = int(unsafe.Sizeof(*m)) + tasksWeight(m.tasks) + cap(m.occs)*int(unsafe.Sizeof(keptOccurrence{}))
	return m
}

// tasksWeight is roughly what ks hold in bytes (the tasks, their strings
// and links).
func tasksWeight(ks []crm.Task) int {
	n := cap(ks) * int(unsafe.Sizeof(crm.Task{}))
	for _, k := range ks {
		n += len(k.Title) + len(k.Recurrence) + len(k.Status) + len(k.Priority) + 8*cap(k.EmployeeIDs) + 8*cap(k.GroupIDs) +
			cap(k.Groups)*int(unsafe.Sizeof(crm.TaskGroup{}))
		for _, g := range k.Groups {
			n += len(g.Color) + len(g.Name)
		}
	}
	return n
}

// taskSees is the store's filter of tasks by employee and "only own"
// (TaskFilter's EmployeeID, OwnOnly and OwnEmployee, see store.taskWhere):
// a task of emp (when not 0) and, with own, of ownEmployee (none when it is
// 0).
func taskSees(k *crm.Task, emp int64, own bool, ownEmployee int64) bool {
	if emp > 0 && !slices.Contains(k.EmployeeIDs, emp) {
		return false
	}
	if own && (ownEmployee == 0 || ownEmployee != emp) && !slices.Contains(k.EmployeeIDs, ownEmployee) {
		return false
	}
	return true
}

// occurrenceRef is an occurrence of a capped range before it is made:
// kept >= 0 indexes monthSeries.occs, else -1-kept the range's single
// tasks' occurrences.
type occurrenceRef struct {
	start time.Time
	day   int64 // the local midnight of start (Unix seconds)
	task  int64
	kept  int
}

// taskOccurrencesKept is the rest of taskOccurrencesCapped from the kept
// monthSeries m: the user's series and tasks begun before the range
// (their scope and employee filter), merged with tops (the single tasks of
// each day, read for the user) and capped per day. ok is false when the
// user's range holds more than a capped range may expand: the caller then
// reads it as before (and fails as it did).
func (s *Service) taskOccurrencesKept(m *monthSeries, sc taskScope, r calendarRange, bounds []time.Time,
	tops []crm.Task, counts []int) (os []crm.TaskOccurrence, ok bool) {
	sel := make([]bool, len(m.tasks))
	n := len(tops)
	for i := range m.tasks {
		if sel[i] = taskSees(&m.tasks[i], r.employeeID, sc.own, sc.employee); sel[i] {
			n++
		}
	}
	if n > cappedOccurrences {
		return nil, false
	}
	// The single tasks of the days: their occurrence is the task (each
	// starts in the range), as the expander makes it.
	ex := &expander{loc: r.loc, from: r.from, to: r.to, max: cappedOccurrences}
	var topOf []int
	for i, k := range tops {
		n := len(ex.out)
		if err := ex.add(k, nil); err != nil {
			return nil, false
		}
		for range ex.out[n:] {
			topOf = append(topOf, i)
		}
	}
	selected := 0
	for _, o := range m.occs {
		if sel[o.task] {
			selected++
		}
	}
	if selected+len(ex.out) > cappedOccurrences {
		return nil, false
	}
	// The counts hold every task that starts in a window; the series that
	// do count by their occurrences instead, the tops are shown.
	for i := m.nBefore; i < len(m.tasks); i++ {
		if k := &m.tasks[i]; sel[i] && !k.Start.Before(bounds[0]) && k.Start.Before(bounds[len(bounds)-1]) {
			counts[windowIndex(bounds, k.Start)]--
		}
	}
	for _, k := range tops {
		counts[windowIndex(bounds, k.Start)]--
	}
	for w, c := range counts {
		r.more.add(localDay(bounds[w], r.loc), c)
	}
	tops2 := make([]occurrenceRef, len(ex.out))
	for i, o := range ex.out {
		tops2[i] = occurrenceRef{start: o.Start, day: localDay(o.Start, r.loc).Unix(), task: o.TaskID, kept: -1 - i}
	}
	slices.SortStableFunc(tops2, func(a, b occurrenceRef) int {
		if c := a.start.Compare(b.start); c != 0 {
			return c
		}
		return int(a.task - b.task)
	})
	// Both lists are by start and task; merged, they are in the order
	// expandTasks gives (an occurrence's place among equal starts and
	// tasks is its task's own order, kept by either list). The merge is
	// capped as it goes (capDays, by the days found when kept): the whole
	// firm's month is some ten thousand occurrences, a few a day are shown,
	// and listing them all (and finding each one's local day again) was
	// most of this function.
	var (
		shown       []occurrenceRef
		day         = int64(math.MinInt64)
		inDay, left int
		i, j        int
		endOfDay    = func() {
			if left > 0 {
				r.more.add(time.Unix(day, 0).In(r.loc), left)
			}
		}
	)
	skip := func() {
		for i < len(m.occs) && !sel[m.occs[i].task] {
			i++
		}
	}
	skip()
	for i < len(m.occs) || j < len(tops2) {
		var ref occurrenceRef
		if i < len(m.occs) {
			o := &m.occs[i]
			ref = occurrenceRef{start: o.start, day: o.day, task: m.tasks[o.task].ID, kept: i}
		}
		if i < len(m.occs) && (j == len(tops2) || ref.start.Before(tops2[j].start) ||
			ref.start.Equal(tops2[j].start) && ref.task <= tops2[j].task) {
			i++
			skip()
		} else {
			ref = tops2[j]
			j++
		}
		if ref.day != day {
			endOfDay()
			day, inDay, left = ref.day, 0, 0
		}
		if inDay < r.perDay {
			inDay++
			shown = append(shown, ref)
		} else {
			left++
		}
	}
	endOfDay()
	os = make([]crm.TaskOccurrence, 0, len(shown))
	for _, ref := range shown {
		var (
			o crm.TaskOccurrence
			k *crm.Task
		)
		if ref.kept >= 0 {
			ko := m.occs[ref.kept]
			k = &m.tasks[ko.task]
			o = occurrenceOf(*k, ko.original, ko.start, ko.end, ko.status, r.loc)
		} else {
			o = ex.out[-1-ref.kept]
			k = &tops[topOf[-1-ref.kept]]
		}
		o.Editable = sc.edit && sc.sees(*k)
		os = append(os, o)
	}
	return os, true
}

// dashboardWeek is the occurrences of the tasks of the user's own employee
// in the week from monday, for the dashboard's "this week" and "today";
// ver is the account's data version, read before (Dashboard reads it once
// for both kept widgets).
// The store's answer (what a calendar reads of a task: title, times,
// status, rule, the groups' colours) is kept as a month's parts are, by
// the account's version and for that employee; the exceptions, the
// expansion and what the user may edit are per request. Reading the
// employee's tasks of the week was 45 % of the dashboard's CPU (SQLite,
// 300 000 tasks: about 8 of its 18 ms, pprof).
func (s *Service) dashboardWeek(ctx context.Context, t *store.Tenant, ver string, sc taskScope, loc *time.Location,
	monday time.Time) ([]crm.TaskOccurrence, error) {
	from, to := monday, monday.AddDate(0, 0, 7)
	r := calendarRange{from: from, to: to, loc: loc, version: ver}
	ks, err := keptRead(s, t, r, monthKey{part: "week-tasks", own: true, ownEmp: sc.employee}, func() ([]crm.Task, int, error) {
		ks, err := t.CalendarTasks(ctx, store.TaskFilter{From: &from, To: &to, OwnOnly: true, OwnEmployee: sc.employee,
			Limit: MaxOccurrences + 1, NoCount: true}, false)
		return ks, tasksWeight(ks), err
	})
	if err != nil {
		return nil, err
	}
	return s.expandTasks(ctx, t, sc, loc, ks, from, to, MaxOccurrences)
}

// dashboardDates is the dashboard's birthdays and important dates of the
// week from today (firstImportantDates: the first DashboardDates and how
// many more), kept as dashboardWeek's tasks are, for the user's scope
// (own, emp): a quarter of the dashboard's CPU was reading them (SQLite,
// 100 000 clients: each day's few hundred birthdays of clients and contact
// persons, and a count of the rest).
func (s *Service) dashboardDates(ctx context.Context, t *store.Tenant, ver string, loc *time.Location, today time.Time,
	own bool, emp int64) ([]crm.ImportantDate, int, error) {
	type dates struct {
		first []crm.ImportantDate
		more  int
	}
	to := today.AddDate(0, 0, 7)
	r := calendarRange{from: today, to: to, loc: loc, version: ver}
	d, err := keptRead(s, t, r, monthKey{part: "dashboard-dates", perDay: DashboardDates, own: own, ownEmp: emp},
		func() (dates, int, error) {
			first, more, err := firstImportantDates(ctx, t, today, to, own, emp, DashboardDates)
			n := int(unsafe.Sizeof(dates{})) + cap(first)*int(unsafe.Sizeof(crm.ImportantDate{}))
			for _, x := range first {
				n += len(x.Name) + len(x.Label) + len(x.Original)
			}
			return dates{first, more}, n, err
		})
	return d.first, d.more, err
}
