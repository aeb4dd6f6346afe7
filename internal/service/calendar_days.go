package service

import (
	"cmp"
	"context"
	"slices"
	"sort"
	"time"

	"klientela/internal/crm"
	"klientela/internal/store"
)

// dayCounts counts items by local day (the Unix time of its midnight).
type dayCounts map[int64]int

func (m dayCounts) add(day time.Time, n int) {
	if n > 0 {
		m[day.Unix()] += n
	}
}

// localDay is the midnight in loc of the day t falls on.
func localDay(t time.Time, loc *time.Location) time.Time {
	l := t.In(loc)
	return time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, loc)
}

// dayWindows splits [from, to) at the midnights of loc between them: the
// bounds of windows that each lie inside one local day (the first and the
// last may be parts of a day). Midnights are found by date, so a day of a
// DST change is 23 or 25 hours long.
func dayWindows(from, to time.Time, loc *time.Location) []time.Time {
	bounds := []time.Time{from}
	for d := localDay(from, loc).AddDate(0, 0, 1); d.Before(to); d = d.AddDate(0, 0, 1) {
		bounds = append(bounds, d)
	}
	return append(bounds, to)
}

// windowIndex is the window of bounds whose day t falls in, by its local
// midnight: t need not lie inside the windows' span (a contact counted
// from its start, the first window's start excluded).
func windowIndex(bounds []time.Time, t time.Time) int {
	// The first window starting after t, less one; 0 at least.
	i := sort.Search(len(bounds)-1, func(i int) bool { return bounds[i].After(t) })
	return max(0, i-1)
}

// taskOccurrencesCapped is the task source of a capped range: of the
// single tasks that start in it, the first perDay of each day (and the
// number of the others in r.more), read per day from the start index; the
// single tasks begun before it that still run in it; and every occurrence
// of the series that touch it (expanded from shortly before the range).
// store.ErrDaysUnsupported when the filter has no per-day form.
func (s *Service) taskOccurrencesCapped(ctx context.Context, t *store.Tenant, sc taskScope, r calendarRange) ([]crm.TaskOccurrence, error) {
	f := store.TaskFilter{EmployeeID: r.employeeID, GroupID: r.groupID, OwnOnly: sc.own, OwnEmployee: sc.employee, NoCount: true}
	bounds := dayWindows(r.from, r.to, r.loc)
	tops, counts, err := s.keptTaskDays(ctx, t, r, f, bounds)
	if err != nil {
		return nil, err
	}
	// The series and the tasks begun before the range from the account's
	// kept copy (see monthSeries), the user's scope applied here.
	m, err := s.keptMonthSeries(ctx, t, r)
	if err != nil {
		return nil, err
	}
	if !m.overflow {
		if os, ok := s.taskOccurrencesKept(m, sc, r, bounds, tops, counts); ok {
			return os, nil
		}
	}
	series, before, err := seriesAndBefore(ctx, t, f, r.from, r.to)
	if err != nil {
		return nil, err
	}
	// The counts hold every task that starts in a window; the series that
	// do are all among those read (a series starting in the range touches
	// it), and count by their occurrences instead.
	for _, k := range series {
		if !k.Start.Before(bounds[0]) && k.Start.Before(bounds[len(bounds)-1]) {
			counts[windowIndex(bounds, k.Start)]--
		}
	}
	for _, k := range tops {
		counts[windowIndex(bounds, k.Start)]--
	}
	for w, n := range counts {
		r.more.add(localDay(bounds[w], r.loc), n)
	}
	ks := append(append(before, tops...), series...)
	os, err := s.expandTasks(ctx, t, sc, r.loc, ks, r.from, r.to, cappedOccurrences)
	if err != nil {
		return nil, err
	}
	// Only the first perDay of a day can be among the first perDay items
	// of that day (the calendar keeps the order of a source's items of the
	// same start): the rest are counted, not made into items.
	return capDays(os, func(o crm.TaskOccurrence) time.Time { return o.Start }, r.loc, r.perDay, r.more.add), nil
}

// capDays keeps the first perDay of each local day of xs (ordered by
// start, which start gives), in order, and tells left how many of each
// day it left out (when any).
func capDays[T any](xs []T, start func(T) time.Time, loc *time.Location, perDay int, left func(day time.Time, n int)) []T {
	kept := xs[:0]
	for i := 0; i < len(xs); {
		day := localDay(start(xs[i]), loc)
		j := i + 1
		for j < len(xs) && localDay(start(xs[j]), loc).Equal(day) {
			j++
		}
		shown := min(j-i, perDay)
		kept = append(kept, xs[i:i+shown]...)
		if j-i > shown {
			left(day, j-i-shown)
		}
		i = j
	}
	return kept
}

// birthdaysCapped is birthdaysBetween for a capped range: the first
// r.perDay birthdays of each day (in the order of store.Birthdays), the
// number of the others added to r.more.
func (s *Service) birthdaysCapped(ctx context.Context, t *store.Tenant, first, end time.Time, f store.BirthdayFilter, r calendarRange) ([]BirthdayItem, error) {
	var byDay map[string][]time.Time
	f.Days, byDay = yearlyDays(first, end)
	bs, counts, err := s.keptBirthdayDays(ctx, t, r, f)
	if err != nil {
		return nil, err
	}
	// A day may stand for two month-days (28 February for "02-29" in years
	// without it): its candidates are both lists, in the store's order.
	type day struct {
		on    time.Time
		total int
		items []store.Birthday
	}
	days := map[int64]*day{}
	var order []*day
	at := func(on time.Time) *day {
		d, ok := days[on.Unix()]
		if !ok {
			d = &day{on: on}
			days[on.Unix()] = d
			order = append(order, d)
		}
		return d
	}
	for _, md := range f.Days {
		for _, on := range byDay[md] {
			at(on).total += counts[md]
		}
	}
	for _, b := range bs {
		if len(b.Date) != 10 {
			continue
		}
		for _, on := range byDay[b.Date[5:]] {
			d := at(on)
			d.items = append(d.items, b)
		}
	}
	var out []BirthdayItem
	for _, d := range order {
		slices.SortStableFunc(d.items, func(a, b store.Birthday) int {
			if c := cmp.Compare(a.ClientID, b.ClientID); c != 0 {
				return c
			}
			return cmp.Compare(a.PersonID, b.PersonID)
		})
		kept := d.items[:min(len(d.items), r.perDay)]
		for _, b := range kept {
			out = append(out, BirthdayItem{Birthday: b, On: d.on})
		}
		r.more.add(d.on, d.total-len(kept))
	}
	slices.SortStableFunc(out, func(a, b BirthdayItem) int { return a.On.Compare(b.On) })
	return out, nil
}

// seriesAndBefore reads, in f's scope, the series of [from, to) and the
// single tasks begun before from and still running at it, at most
// cappedOccurrences+1 of each: the tasks of a range that its per-day reads
// of single tasks do not find.
func seriesAndBefore(ctx context.Context, t *store.Tenant, f store.TaskFilter, from, to time.Time) (series, before []crm.Task, err error) {
	f.From, f.To, f.Limit, f.NoCount = &from, &to, cappedOccurrences+1, true
	f.Recurring, f.Single = true, false
	if series, err = t.CalendarTasks(ctx, f, false); err != nil {
		return nil, nil, err
	}
	f.Recurring, f.Single, f.To = false, true, &from
	before, err = t.CalendarTasks(ctx, f, false)
	return series, before, err
}
