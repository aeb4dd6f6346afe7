package service

import (
	"context"
	"slices"
	"strconv"
	"time"

	"klientela/internal/authz"
	"klientela/internal/crm"
	"klientela/internal/store"
)

// Limits of the calendar.
const (
	// MaxCalendarRange is the longest range one request may ask for: a year,
	// with room for a leap day and a DST change.
	MaxCalendarRange = 367 * 24 * time.Hour
	// ContactLength is how long a planned contact lasts on the calendar.
	ContactLength = 30 * time.Minute
	// maxCalendarItems bounds the items one source gives for one range.
	maxCalendarItems = 20000
	// cappedOccurrences bounds the task occurrences a capped range (a month
	// view that shows a few items a day) may expand: the whole firm's six
	// weeks hold more than MaxOccurrences, but only a few a day go out.
	cappedOccurrences = 50000
	// MaxPerDay bounds what a capped range may ask for per day.
	MaxPerDay = 100
	// birthdayColor colours birthdays of clients no employee looks after.
	birthdayColor = "#c2410c"
)

// CalendarQuery asks for the calendar items of a range [From, To).
type CalendarQuery struct {
	From, To   time.Time
	EmployeeID int64              // only this employee's items; 0 for everyone's
	GroupID    int64              // only the tasks of this task group (other kinds stay); 0 for all
	Kinds      []crm.CalendarKind // only these kinds; nil for every kind the user may see
}

// calendarRange is what a source is asked for.
type calendarRange struct {
	from, to   time.Time
	loc        *time.Location // the account's time zone
	employeeID int64
	groupID    int64
	// series asks for repeating items once, with their rule (feeds),
	// instead of their occurrences in the range.
	series bool
	// perDay > 0: only the first perDay items of each day go out (a month
	// view). A source may then give fewer (at least its first perDay of
	// each day) and add how many it left out to more, by day; the task
	// source may expand more occurrences than a full list may hold.
	perDay int
	more   dayCounts
	// version is the account's data version read first (capped ranges
	// only): the tag of the parts of the range kept (calendar_kept.go).
	version string
}

// calendarSource gives the calendar items of one kind. The calendar asks
// only the sources of sections the user may view; each source applies the
// section's "only mine" scope itself.
type calendarSource struct {
	kind    crm.CalendarKind
	section authz.Section
	items   func(s *Service, ctx context.Context, p *crm.Principal, t *store.Tenant, r calendarRange) ([]crm.CalendarItem, error)
}

// calendarSources are the kinds of things the calendar shows, in the order
// of its filter. To add one, write its items function and add a line here;
// the page, the API and the feeds pick it up.
var calendarSources = []calendarSource{
	{crm.CalendarContact, authz.Contacts, (*Service).contactItems},
	{crm.CalendarTask, authz.Tasks, (*Service).taskItems},
	{crm.CalendarBirthday, authz.Clients, (*Service).birthdayItems},
	{crm.CalendarDate, authz.Clients, (*Service).dateItems},
}

// CalendarKinds lists the kinds of items the acting user may see on the
// calendar, in filter order.
func (s *Service) CalendarKinds(ctx context.Context) ([]crm.CalendarKind, error) {
	p, _, err := s.actor(ctx, authz.Calendar, authz.View)
	if err != nil {
		return nil, err
	}
	var out []crm.CalendarKind
	for _, src := range calendarSources {
		if authz.Can(p, src.section, authz.View) {
			out = append(out, src.kind)
		}
	}
	return out, nil
}

// CheckCalendarQuery refuses a range that is missing, backwards or longer
// than MaxCalendarRange, and kinds the calendar does not know.
func CheckCalendarQuery(q CalendarQuery) error {
	var v crm.Validation
	if q.From.IsZero() {
		v.Add("from", "err.required")
	}
	if q.To.IsZero() {
		v.Add("to", "err.required")
	}
	if !q.From.IsZero() && !q.To.IsZero() {
		switch {
		case !q.To.After(q.From):
			v.Add("to", "err.calendar_range_order")
		case q.To.Sub(q.From) > MaxCalendarRange:
			v.Add("to", "err.calendar_range_too_long", "days", int(MaxCalendarRange/(24*time.Hour)))
		}
	}
	for _, k := range q.Kinds {
		if !slices.ContainsFunc(calendarSources, func(src calendarSource) bool { return src.kind == k }) {
			v.Add("kinds", "err.calendar_kind_unknown", "kind", string(k))
		}
	}
	if q.EmployeeID < 0 {
		v.Add("employee_id", "err.invalid")
	}
	if q.GroupID < 0 {
		v.Add("group_id", "err.invalid")
	}
	return v.Err()
}

// Calendar lists the items of the range the acting user may see, by start.
func (s *Service) Calendar(ctx context.Context, q CalendarQuery) ([]crm.CalendarItem, error) {
	items, _, err := s.CalendarCapped(ctx, q, 0)
	return items, err
}

// DayMore counts the items of a day that a capped calendar left out.
type DayMore struct {
	Day   time.Time // midnight in the account's zone
	Count int
}

// CalendarCapped is Calendar with at most perDay items a day (by start,
// all-day ones first; a day is the local day an item starts on), and the
// number left out of each day that had more: what a month view shows as
// "+N". perDay 0 keeps every item.
func (s *Service) CalendarCapped(ctx context.Context, q CalendarQuery, perDay int) ([]crm.CalendarItem, []DayMore, error) {
	p, t, err := s.actor(ctx, authz.Calendar, authz.View)
	if err != nil {
		return nil, nil, err
	}
	if err := CheckCalendarQuery(q); err != nil {
		return nil, nil, err
	}
	if perDay < 0 || perDay > MaxPerDay {
		var v crm.Validation
		v.Add("per_day", "err.invalid")
		return nil, nil, v.Err()
	}
	loc := accountZone(p)
	r := calendarRange{from: q.From, to: q.To, loc: loc, employeeID: q.EmployeeID, groupID: q.GroupID, perDay: perDay}
	if perDay > 0 {
		r.more = dayCounts{}
		if r.version, err = monthVersion(ctx, t); err != nil {
			return nil, nil, err
		}
	}
	items, err := s.calendarItems(ctx, p, t, r, q.Kinds)
	if err != nil || perDay == 0 {
		return items, nil, err
	}
	// Items come by start, so each day's are together; a source that left
	// some of a day out gave at least perDay of that day.
	kept := capDays(items, func(it crm.CalendarItem) time.Time { return it.Start }, loc, perDay, r.more.add)
	days := make([]int64, 0, len(r.more))
	for day, n := range r.more {
		if n > 0 {
			days = append(days, day)
		}
	}
	slices.Sort(days)
	more := make([]DayMore, 0, len(days))
	for _, day := range days {
		more = append(more, DayMore{Day: time.Unix(day, 0).In(loc), Count: r.more[day]})
	}
	return kept, more, nil
}

func (s *Service) calendarItems(ctx context.Context, p *crm.Principal, t *store.Tenant, r calendarRange, kinds []crm.CalendarKind) ([]crm.CalendarItem, error) {
	var out []crm.CalendarItem
	for _, src := range calendarSources {
		if kinds != nil && !slices.Contains(kinds, src.kind) || !authz.Can(p, src.section, authz.View) {
			continue
		}
		items, err := src.items(s, ctx, p, t, r)
		if err != nil {
			return nil, err
		}
		out = append(out, items...)
	}
	// By start, stably, through their indexes: an item is 300 bytes, and
	// moving the items themselves in the merges of a stable sort was a
	// seventh of a kept month's CPU.
	order := make([]int32, len(out))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortStableFunc(order, func(a, b int32) int { return out[a].Start.Compare(out[b].Start) })
	sorted := make([]crm.CalendarItem, len(out))
	for i, j := range order {
		sorted[i] = out[j]
	}
	return sorted, nil
}

func (s *Service) contactItems(ctx context.Context, p *crm.Principal, t *store.Tenant, r calendarRange) ([]crm.CalendarItem, error) {
	own, emp := authz.OwnOnly(p, authz.Contacts), int64(0)
	if p.User.EmployeeID != nil {
		emp = *p.User.EmployeeID
	}
	f := store.CalendarContactFilter{From: r.from.Add(-ContactLength), To: r.to,
		EmployeeID: r.employeeID, OwnOnly: own, OwnEmployee: emp, Limit: maxCalendarItems, Detail: r.series}
	var cs []store.CalendarContact
	if r.perDay > 0 {
		// A month view: the first few of each day and the count of the rest.
		bounds := dayWindows(f.From, f.To, r.loc)
		var counts []int
		var err error
		if cs, counts, err = s.keptContactDays(ctx, t, r, f, bounds); err != nil {
			return nil, err
		}
		shown := make([]int, len(counts))
		for _, c := range cs {
			shown[windowIndex(bounds, c.At)]++
		}
		for w, n := range counts {
			r.more.add(localDay(bounds[w], r.loc), n-shown[w])
		}
	} else {
		var err error
		if cs, err = t.CalendarContacts(ctx, f); err != nil {
			return nil, err
		}
	}
	canEdit := authz.Can(p, authz.Contacts, authz.Edit)
	out := make([]crm.CalendarItem, 0, len(cs))
	for _, c := range cs {
		if !c.At.Add(ContactLength).After(r.from) {
			continue
		}
		title := c.ClientName
		if c.Subject != "" {
			title += " — " + c.Subject
		}
		desc := c.EmployeeName
		if c.PersonName != "" {
			desc = c.PersonName + " · " + desc
		}
		var updated time.Time
		if r.series {
			updated = c.UpdatedAt
		}
		id := strconv.FormatInt(c.ID, 10)
		out = append(out, crm.CalendarItem{Kind: crm.CalendarContact, ID: c.ID, UID: "contact-" + id,
			Title: title, Description: desc, Start: c.At, End: c.At.Add(ContactLength), EmployeeID: c.EmployeeID,
			Color: c.EmployeeColor, URL: "/contacts/" + id, Editable: canEdit && c.Status == crm.ContactPlanned,
			Updated: updated})
	}
	return out, nil
}

// birthdayOn is the day a birthday ("YYYY-MM-DD") falls on in year: 29
// February on the 28th in years without a 29th; ok is false for a date
// that cannot be read.
func birthdayOn(date string, year int, loc *time.Location) (time.Time, bool) {
	d, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return time.Time{}, false
	}
	day := d.Day()
	if d.Month() == time.February && day == 29 && !isLeap(year) {
		day = 28
	}
	return time.Date(year, d.Month(), day, 0, 0, 0, 0, loc), true
}

// BirthdayItem is a birthday on a given day of a range.
type BirthdayItem struct {
	store.Birthday
	On time.Time // the day it falls on this time
}

// yearlyDays lists the month-days ("MM-DD") of the days from first up to
// (not including) end, both midnights in the account's zone, and the days
// each stands for; "02-29" stands for 28 February in years without a 29th,
// where yearly dates of 29 February are kept.
func yearlyDays(first, end time.Time) ([]string, map[string][]time.Time) {
	days := []string{}
	byDay := map[string][]time.Time{}
	for d := first; d.Before(end); d = d.AddDate(0, 0, 1) {
		md := d.Format("01-02")
		if len(byDay[md]) == 0 {
			days = append(days, md)
		}
		byDay[md] = append(byDay[md], d)
		if md == "02-28" && !isLeap(d.Year()) {
			if len(byDay["02-29"]) == 0 {
				days = append(days, "02-29")
			}
			byDay["02-29"] = append(byDay["02-29"], d)
		}
	}
	return days, byDay
}

// birthdaysBetween finds the birthdays that fall on the days from first
// up to (not including) end, both midnights in the account's zone. A
// birthday on 29 February falls on the 28th in years without a 29th.
func birthdaysBetween(ctx context.Context, t *store.Tenant, first, end time.Time, f store.BirthdayFilter) ([]BirthdayItem, error) {
	var byDay map[string][]time.Time
	f.Days, byDay = yearlyDays(first, end)
	bs, err := t.Birthdays(ctx, f)
	if err != nil {
		return nil, err
	}
	out := make([]BirthdayItem, 0, len(bs))
	for _, b := range bs {
		if len(b.Date) != 10 {
			continue
		}
		for _, on := range byDay[b.Date[5:]] {
			out = append(out, BirthdayItem{Birthday: b, On: on})
		}
	}
	slices.SortStableFunc(out, func(a, b BirthdayItem) int { return a.On.Compare(b.On) })
	return out, nil
}

func (s *Service) birthdayItems(ctx context.Context, p *crm.Principal, t *store.Tenant, r calendarRange) ([]crm.CalendarItem, error) {
	f := store.BirthdayFilter{EmployeeID: r.employeeID, OwnOnly: authz.OwnOnly(p, authz.Clients)}
	if p.User.EmployeeID != nil {
		f.OwnEmployee = *p.User.EmployeeID
	}
	colors, err := t.EmployeeColors(ctx)
	if err != nil {
		return nil, err
	}
	item := func(b store.Birthday, on time.Time) crm.CalendarItem {
		it := crm.CalendarItem{Kind: crm.CalendarBirthday, ID: b.ClientID, UID: "birthday-client-" + strconv.FormatInt(b.ClientID, 10),
			Title: b.ClientName, Start: on, End: on.AddDate(0, 0, 1), AllDay: true, EmployeeID: b.EmployeeID,
			Color: birthdayColor, URL: "/clients/" + strconv.FormatInt(b.ClientID, 10)}
		if b.PersonID != 0 {
			it.ID, it.UID = b.PersonID, "birthday-person-"+strconv.FormatInt(b.PersonID, 10)
			it.Title, it.Description = b.PersonName, b.ClientName
		}
		if c, ok := colors[b.EmployeeID]; ok {
			it.Color = c
		}
		return it
	}
	if r.series {
		f.Days = nil
		bs, err := t.Birthdays(ctx, f)
		if err != nil {
			return nil, err
		}
		var out []crm.CalendarItem
		for _, b := range bs {
			d, err := time.Parse(time.DateOnly, b.Date)
			if err != nil {
				continue
			}
			it := item(b, time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, r.loc))
			it.Yearly, it.LastOfFebruary = true, d.Month() == time.February && d.Day() == 29
			out = append(out, it)
		}
		return out, nil
	}
	from, to := r.from.In(r.loc), r.to.In(r.loc)
	first := time.Date(from.Year(), from.Month(), from.Day(), 0, 0, 0, 0, r.loc)
	end := time.Date(to.Year(), to.Month(), to.Day(), 0, 0, 0, 0, r.loc)
	if end.Before(to) {
		end = end.AddDate(0, 0, 1)
	}
	var bs []BirthdayItem
	if r.perDay > 0 && f.EmployeeID == 0 && !f.OwnOnly {
		// One employee's are a few a day (a fiftieth of the firm's): read
		// whole, the calendar caps them, while each day's first few and
		// count would look up every person of the day's client twice.
		bs, err = s.birthdaysCapped(ctx, t, first, end, f, r)
	} else {
		bs, err = s.keptBirthdaysBetween(ctx, t, first, end, f, r)
	}
	if err != nil {
		return nil, err
	}
	out := make([]crm.CalendarItem, 0, len(bs))
	for _, b := range bs {
		it := item(b.Birthday, b.On)
		it.UID += "-" + strconv.Itoa(b.On.Year())
		out = append(out, it)
	}
	return out, nil
}

// CalendarMove is a drag on the calendar: the item (by kind and record),
// for a task the occurrence (its start as the rule makes it, or the
// task's start), and where it goes. End is the new end of a task (a drag
// of its edge changes only End); zero keeps the length.
type CalendarMove struct {
	Kind       crm.CalendarKind
	ID         int64
	Occurrence time.Time
	Start, End time.Time
}

// MoveCalendarItem moves an item (a drag on the calendar). Only what the
// user may edit moves; the rest is refused and stays. A task's occurrence
// of a recurring series moves alone (the series stays as it is).
func (s *Service) MoveCalendarItem(ctx context.Context, m CalendarMove) error {
	if _, _, err := s.actor(ctx, authz.Calendar, authz.View); err != nil {
		return err
	}
	var v crm.Validation
	if m.Start.IsZero() {
		v.Add("start", "err.required")
		return v.Err()
	}
	switch m.Kind {
	case crm.CalendarContact:
		c, err := s.Contact(ctx, m.ID)
		if err != nil {
			return err
		}
		if c.Status != crm.ContactPlanned {
			v.Add("start", "err.calendar_not_movable")
			return v.Err()
		}
		in := ContactInputOf(c)
		in.At = &m.Start
		_, err = s.UpdateContact(ctx, m.ID, in)
		return err
	case crm.CalendarTask:
		return s.moveTaskItem(ctx, m)
	default:
		v.Add("kind", "err.calendar_not_movable")
		return v.Err()
	}
}

// CalendarFeedInfo returns the acting user's feed, nil when they have none.
func (s *Service) CalendarFeedInfo(ctx context.Context) (*crm.CalendarFeed, error) {
	p, t, err := s.actor(ctx, authz.Calendar, authz.View)
	if err != nil {
		return nil, err
	}
	f, err := t.CalendarFeed(ctx, p.User.ID)
	if crm.ErrorCode(err) == crm.CodeNotFound {
		return nil, nil
	}
	return &f, err
}

// CreateCalendarFeed gives the acting user a new private feed token,
// replacing the one they had (rotate). Only its hash is kept, so the token
// (and the URL made of it) is shown this once.
func (s *Service) CreateCalendarFeed(ctx context.Context) (string, error) {
	p, t, err := s.actor(ctx, authz.Calendar, authz.View)
	if err != nil {
		return "", err
	}
	tok, hash := newToken()
	return tok, t.SaveCalendarFeed(ctx, p.User.ID, hash, s.now())
}

// RevokeCalendarFeed ends the acting user's feed; not found when there is
// none.
func (s *Service) RevokeCalendarFeed(ctx context.Context) error {
	p, t, err := s.actor(ctx, authz.Calendar, authz.View)
	if err != nil {
		return err
	}
	return t.DeleteCalendarFeed(ctx, p.User.ID)
}

// ContactCalendarItem is one planned contact as a calendar item (for its
// .ics file).
func (s *Service) ContactCalendarItem(ctx context.Context, id int64) (crm.CalendarItem, *time.Location, error) {
	c, err := s.Contact(ctx, id)
	if err != nil {
		return crm.CalendarItem{}, nil, err
	}
	p := crm.PrincipalFrom(ctx)
	title := c.ClientName
	if c.Subject != "" {
		title += " — " + c.Subject
	}
	desc := c.EmployeeName
	if c.PersonName != "" {
		desc = c.PersonName + " · " + desc
	}
	if c.Notes != "" {
		desc += "\n\n" + c.Notes
	}
	sid := strconv.FormatInt(c.ID, 10)
	return crm.CalendarItem{Kind: crm.CalendarContact, ID: c.ID, UID: "contact-" + sid, Title: title, Description: desc,
		Start: c.At, End: c.At.Add(ContactLength), EmployeeID: c.EmployeeID, URL: "/contacts/" + sid,
		Updated: c.UpdatedAt}, accountZone(p), nil
}

// CalendarEmployees lists the account's active employees with their
// colours, for the calendar's filter and legend.
func (s *Service) CalendarEmployees(ctx context.Context) ([]crm.Employee, error) {
	_, t, err := s.actor(ctx, authz.Calendar, authz.View)
	if err != nil {
		return nil, err
	}
	return t.ActiveEmployees(ctx)
}
