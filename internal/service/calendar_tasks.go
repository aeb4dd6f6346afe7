package service

import (
	"context"
	"errors"
	"hash/fnv"
	"strconv"
	"strings"
	"time"

	"github.com/teambition/rrule-go"

	"klientela/internal/authz"
	"klientela/internal/crm"
	"klientela/internal/store"
)

// Colours of tasks on the calendar when nothing else gives one.
const (
	taskColor    = "#4f46e5" // a task of no employee with a colour
	noGroupColor = "#64748b" // a task in no group, coloured by group
	dateColor    = "#0f766e" // an important date of a client no employee looks after
)

// taskItems are the tasks of the range: on the calendar each occurrence
// (TaskOccurrences' expansion, with its "only mine" scope), in feeds each
// task once with its rule and exceptions.
func (s *Service) taskItems(ctx context.Context, p *crm.Principal, t *store.Tenant, r calendarRange) ([]crm.CalendarItem, error) {
	sc := taskScopeOf(p)
	colors, err := t.EmployeeColors(ctx)
	if err != nil {
		return nil, err
	}
	color := func(emps []int64) string {
		for _, e := range emps {
			if c, ok := colors[e]; ok && c != "" {
				return c
			}
		}
		return taskColor
	}
	if r.series {
		return s.taskSeries(ctx, t, sc, r, color)
	}
	var os []crm.TaskOccurrence
	if r.perDay > 0 {
		os, err = s.taskOccurrencesCapped(ctx, t, sc, r)
	}
	if r.perDay == 0 || errors.Is(err, store.ErrDaysUnsupported) {
		q := TaskRange{From: r.from, To: r.to, EmployeeID: r.employeeID, GroupID: r.groupID, calendar: true}
		if r.perDay > 0 {
			q.limit = cappedOccurrences
		}
		os, err = s.occurrences(ctx, t, sc, r.loc, q)
	}
	if err != nil {
		return nil, err
	}
	out := make([]crm.CalendarItem, 0, len(os))
	for _, o := range os {
		id := strconv.FormatInt(o.TaskID, 10)
		uid := "task-" + id
		if o.Recurring {
			uid += "-" + o.Original.UTC().Format("20060102T150405Z")
		}
		it := crm.CalendarItem{Kind: crm.CalendarTask, ID: o.TaskID, UID: uid, Title: o.Title, Start: o.Start, End: o.End,
			AllDay: o.AllDay, Color: color(o.EmployeeIDs), GroupColor: noGroupColor, URL: "/tasks/" + id,
			Editable: o.Editable, Muted: !o.Status.Open(), Occurrence: o.Original, Recurring: o.Recurring}
		if len(o.EmployeeIDs) > 0 {
			it.EmployeeID = o.EmployeeIDs[0]
		}
		if len(o.Groups) > 0 && o.Groups[0].Color != "" {
			it.GroupColor = o.Groups[0].Color
		}
		out = append(out, it)
	}
	return out, nil
}

// taskSeries lists the tasks of the feed window once each.
func (s *Service) taskSeries(ctx context.Context, t *store.Tenant, sc taskScope, r calendarRange, color func([]int64) string) ([]crm.CalendarItem, error) {
	from, to := r.from, r.to
	ks, err := t.CalendarTasks(ctx, store.TaskFilter{EmployeeID: r.employeeID, GroupID: r.groupID, From: &from, To: &to,
		OwnOnly: sc.own, OwnEmployee: sc.employee, Limit: maxCalendarItems}, true)
	if err != nil {
		return nil, err
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
	var out []crm.CalendarItem
	for _, k := range ks {
		out = append(out, taskSeriesItems(k, xs[k.ID], r.loc, color(k.EmployeeIDs))...)
	}
	return out, nil
}

// taskSeriesItems is a task as a feed or its .ics file has it: a single
// task as one item; a recurring one as one item with its rule, the
// original starts of its cancelled occurrences as ExDates, and one more
// item (same UID, RecurrenceID) for each changed occurrence.
func taskSeriesItems(k crm.Task, xs []crm.TaskException, loc *time.Location, color string) []crm.CalendarItem {
	id := strconv.FormatInt(k.ID, 10)
	base := crm.CalendarItem{Kind: crm.CalendarTask, ID: k.ID, UID: "task-" + id, Title: k.Title, Description: k.Description,
		Start: k.Start, End: k.End, AllDay: k.AllDay, Color: color, URL: "/tasks/" + id, Muted: !k.Status.Open(),
		Cancelled: k.Status == crm.TaskCancelled, Occurrence: k.Start, Recurring: k.Recurring(), Updated: k.UpdatedAt}
	if len(k.EmployeeIDs) > 0 {
		base.EmployeeID = k.EmployeeIDs[0]
	}
	if !k.Recurring() {
		return []crm.CalendarItem{base}
	}
	rule, ok := feedRule(k, loc)
	if !ok {
		return nil // a rule that no longer parses shows nothing rather than failing the feed
	}
	base.Rule = rule
	out := []crm.CalendarItem{base}
	for _, x := range xs {
		if x.Cancelled {
			out[0].ExDates = append(out[0].ExDates, x.Original)
			continue
		}
		o := base
		o.Rule, o.ExDates = "", nil
		o.RecurrenceID, o.Occurrence, o.Start, o.End = x.Original, x.Original, x.Start, x.End
		if x.Status != "" {
			o.Muted, o.Cancelled = !x.Status.Open(), x.Status == crm.TaskCancelled
		}
		out = append(out, o)
	}
	return out
}

// feedRule is k's RRULE as a feed writes it: the stored rule, except that
// the UNTIL of an all-day task is a date (RFC 5545 wants UNTIL of the same
// type as DTSTART): the local day of the stored instant.
func feedRule(k crm.Task, loc *time.Location) (string, bool) {
	opt, err := rrule.StrToROptionInLocation(k.Recurrence, loc)
	if err != nil {
		return "", false
	}
	if !k.AllDay || opt.Until.IsZero() {
		return k.Recurrence, true
	}
	parts := strings.Split(k.Recurrence, ";")
	for i, part := range parts {
		if strings.HasPrefix(part, "UNTIL=") {
			parts[i] = "UNTIL=" + opt.Until.In(loc).Format("20060102")
		}
	}
	return strings.Join(parts, ";"), true
}

// moveTaskItem moves or resizes a task on the calendar: one occurrence of
// a recurring task (ScopeOne), or a single task.
func (s *Service) moveTaskItem(ctx context.Context, m CalendarMove) error {
	if m.End.IsZero() {
		var v crm.Validation
		v.Add("end", "err.required")
		return v.Err()
	}
	_, err := s.MoveTask(ctx, m.ID, m.Occurrence, m.Start, m.End, ScopeOne)
	return err
}

// TaskCalendarItems is one task as calendar items, for its .ics file: a
// recurring task with its rule and changed occurrences (see
// taskSeriesItems).
func (s *Service) TaskCalendarItems(ctx context.Context, id int64) ([]crm.CalendarItem, *time.Location, error) {
	_, t, sc, loc, err := s.taskActor(ctx, authz.View)
	if err != nil {
		return nil, nil, err
	}
	k, err := loadTask(ctx, t, sc, id)
	if err != nil {
		return nil, nil, err
	}
	var xs []crm.TaskException
	if k.Recurring() {
		m, err := t.TaskExceptions(ctx, []int64{k.ID})
		if err != nil {
			return nil, nil, err
		}
		xs = m[k.ID]
	}
	return taskSeriesItems(k, xs, loc, ""), loc, nil
}

// dateItems are the clients' other important dates: yearly ones on each
// of their days from the date itself on (29 February on the 28th in years
// without a 29th), one-time ones on their day; in feeds, yearly ones once
// as a yearly series.
func (s *Service) dateItems(ctx context.Context, p *crm.Principal, t *store.Tenant, r calendarRange) ([]crm.CalendarItem, error) {
	f := store.CalendarDateFilter{EmployeeID: r.employeeID, OwnOnly: authz.OwnOnly(p, authz.Clients)}
	if p.User.EmployeeID != nil {
		f.OwnEmployee = *p.User.EmployeeID
	}
	colors, err := t.EmployeeColors(ctx)
	if err != nil {
		return nil, err
	}
	item := func(d store.CalendarDate, on time.Time) crm.CalendarItem {
		cid := strconv.FormatInt(d.ClientID, 10)
		h := fnv.New32a()
		_, _ = h.Write([]byte(d.Name))
		it := crm.CalendarItem{Kind: crm.CalendarDate, ID: d.ClientID,
			UID:   "date-" + cid + "-" + strings.ReplaceAll(d.Date, "-", "") + "-" + strconv.FormatUint(uint64(h.Sum32()), 36),
			Title: d.Name, Description: d.ClientName, Start: on, End: on.AddDate(0, 0, 1), AllDay: true,
			EmployeeID: d.EmployeeID, Color: dateColor, URL: "/clients/" + cid}
		if c, ok := colors[d.EmployeeID]; ok && c != "" {
			it.Color = c
		}
		return it
	}
	from, to := r.from.In(r.loc), r.to.In(r.loc)
	first := time.Date(from.Year(), from.Month(), from.Day(), 0, 0, 0, 0, r.loc)
	end := time.Date(to.Year(), to.Month(), to.Day(), 0, 0, 0, 0, r.loc)
	if end.Before(to) {
		end = end.AddDate(0, 0, 1)
	}
	f.First, f.Last = first.Format(time.DateOnly), end.AddDate(0, 0, -1).Format(time.DateOnly)
	if r.series {
		ds, err := t.CalendarDates(ctx, f)
		if err != nil {
			return nil, err
		}
		out := make([]crm.CalendarItem, 0, len(ds))
		for _, d := range ds {
			day, err := time.ParseInLocation(time.DateOnly, d.Date, r.loc)
			if err != nil {
				continue // an old row typed before dates were checked
			}
			it := item(d, day)
			it.Yearly, it.LastOfFebruary = d.Yearly, d.Yearly && day.Month() == time.February && day.Day() == 29
			out = append(out, it)
		}
		return out, nil
	}
	var byDay map[string][]time.Time
	f.Days, byDay = yearlyDays(first, end)
	ds, err := s.keptCalendarDates(ctx, t, r, f)
	if err != nil {
		return nil, err
	}
	var out []crm.CalendarItem
	for _, d := range ds {
		orig, err := time.ParseInLocation(time.DateOnly, d.Date, r.loc)
		if err != nil {
			continue
		}
		if !d.Yearly {
			out = append(out, item(d, orig))
			continue
		}
		for _, on := range byDay[d.Date[5:]] {
			if on.Before(orig) {
				continue // a yearly date starts on the date itself
			}
			it := item(d, on)
			it.UID += "-" + strconv.Itoa(on.Year())
			out = append(out, it)
		}
	}
	return out, nil
}
