package service

import (
	"context"
	"slices"
	"strings"
	"time"

	"klientela/internal/authz"
	"klientela/internal/crm"
	"klientela/internal/i18n"
	"klientela/internal/store"
)

// maxDateRangeDays bounds the range ImportantDates answers for (a year
// view of a calendar and a little more).
const maxDateRangeDays = 400

// ImportantDates lists the birthdays of the clients and of their contact
// persons and the clients' important dates that fall on the days from
// from's day up to (not including) to, in the account's time zone; yearly
// ones each year (not before the date itself), one-time ones only on their
// date, and 29 February on the 28th in other years. Sorted by day, then by
// client. Needs clients view; "only my clients" limits it to the user's.
func (s *Service) ImportantDates(ctx context.Context, from, to time.Time) ([]crm.ImportantDate, error) {
	p, t, sc, err := s.clientActor(ctx, authz.View)
	if err != nil {
		return nil, err
	}
	loc := accountZone(p)
	from, to = from.In(loc), to.In(loc)
	first := time.Date(from.Year(), from.Month(), from.Day(), 0, 0, 0, 0, loc)
	if !first.Before(to) {
		return nil, nil
	}
	if to.Sub(first) > maxDateRangeDays*24*time.Hour+time.Hour {
		var v crm.Validation
		v.Add("to", "err.date_range_too_long", "max", maxDateRangeDays)
		return nil, v.Err()
	}
	return importantDates(ctx, t, first, to, sc.own, sc.employee)
}

// accountZone is the account's time zone (UTC when it cannot be loaded).
func accountZone(p *crm.Principal) *time.Location {
	if p != nil {
		if l, err := i18n.LoadZone(p.Account.TimeZone); err == nil {
			return l
		}
	}
	return time.UTC
}

// importantDates finds the occurrences on the days from first (a midnight)
// until to.
func importantDates(ctx context.Context, t *store.Tenant, first, to time.Time, own bool, emp int64) ([]crm.ImportantDate, error) {
	byDay := map[string][]time.Time{} // "MM-DD" → the days of the range it falls on
	var days []string
	add := func(md string, d time.Time) {
		if _, ok := byDay[md]; !ok {
			days = append(days, md)
		}
		byDay[md] = append(byDay[md], d)
	}
	var last time.Time
	for d := first; d.Before(to); d = nextDay(d) {
		add(d.Format("01-02"), d)
		if d.Format("01-02") == "02-28" && !isLeap(d.Year()) {
			add("02-29", d)
		}
		last = d
	}
	rows, err := t.ImportantDates(ctx, days, first.Format(time.DateOnly), last.Format(time.DateOnly), own, emp)
	if err != nil {
		return nil, err
	}
	var out []crm.ImportantDate
	for _, r := range rows {
		orig, err := time.ParseInLocation(time.DateOnly, r.Date, first.Location())
		if err != nil {
			continue // an old row typed before dates were checked
		}
		it := crm.ImportantDate{Kind: r.Kind, ClientID: r.ClientID, PersonID: r.PersonID, Name: r.ClientName,
			Label: r.Label, Yearly: r.Yearly, Original: r.Date}
		if !r.Yearly {
			it.Date = orig
			out = append(out, it)
			continue
		}
		for _, d := range byDay[r.Date[5:]] {
			// 29 February falls on the 28th only in years without a 29th.
			if r.Date[5:] == "02-29" && d.Format("01-02") == "02-28" && isLeap(d.Year()) {
				continue
			}
			if !d.Before(orig) {
				it.Date = d
				out = append(out, it)
			}
		}
	}
	slices.SortStableFunc(out, func(a, b crm.ImportantDate) int {
		if c := a.Date.Compare(b.Date); c != 0 {
			return c
		}
		if c := strings.Compare(a.Name, b.Name); c != 0 {
			return c
		}
		return strings.Compare(a.Label, b.Label)
	})
	return out, nil
}

// firstImportantDates gives the first n occurrences of importantDates on
// the days from first (a midnight) until to, and how many more there are.
// The days are read in order only until n are found (a firm of 100 000
// clients has about 150 a day); the rest are counted from the indexes
// (CountImportantDates) instead of read, named and sorted.
func firstImportantDates(ctx context.Context, t *store.Tenant, first, to time.Time, own bool, emp int64, n int) ([]crm.ImportantDate, int, error) {
	var out []crm.ImportantDate
	d := first
	for ; d.Before(to) && len(out) < n; d = nextDay(d) {
		day, err := importantDates(ctx, t, d, nextDay(d), own, emp)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, day...)
	}
	more := 0
	if len(out) > n {
		out, more = out[:n], len(out)-n
	}
	if !d.Before(to) {
		return out, more, nil
	}
	days, last := monthDays(d, to)
	rest, err := t.CountImportantDates(ctx, days, d.Format(time.DateOnly), last.Format(time.DateOnly), own, emp)
	return out, more + rest, err
}

// nextDay is the midnight after the midnight d.
func nextDay(d time.Time) time.Time {
	return time.Date(d.Year(), d.Month(), d.Day()+1, 0, 0, 0, 0, d.Location())
}

// monthDays are the month-days ("MM-DD") of the days from first (a
// midnight) until to that yearly dates fall on (29 February on the 28th in
// other years), and the last of the days.
func monthDays(first, to time.Time) ([]string, time.Time) {
	var days []string
	var last time.Time
	for d := first; d.Before(to); d = nextDay(d) {
		days = append(days, d.Format("01-02"))
		if d.Format("01-02") == "02-28" && !isLeap(d.Year()) {
			days = append(days, "02-29")
		}
		last = d
	}
	return days, last
}

func isLeap(year int) bool {
	return time.Date(year, 2, 29, 0, 0, 0, 0, time.UTC).Month() == time.February
}

// ClientTags lists the account's tags the user may see, the most used
// first, for suggestions.
func (s *Service) ClientTags(ctx context.Context) ([]string, error) {
	_, t, sc, err := s.clientActor(ctx, authz.View)
	if err != nil {
		return nil, err
	}
	return t.ClientTags(ctx, sc.own, sc.employee, 200)
}

// TimelineItem is one thing that happened to a client: a history entry of
// the client (its changes, contact persons added, changed or removed), or a
// planned contact that was done or cancelled.
type TimelineItem struct {
	At      time.Time
	Entry   *crm.AuditEntry
	Contact *crm.PlannedContact
}

// ClientTimeline returns a page of a client's timeline, newest first: n
// items after skipping offset, and whether there are more. Planned contacts
// appear to those who may view them (their own only with "only mine").
func (s *Service) ClientTimeline(ctx context.Context, clientID int64, offset, n int) ([]TimelineItem, bool, error) {
	p, t, sc, err := s.clientActor(ctx, authz.View)
	if err != nil {
		return nil, false, err
	}
	if _, err := loadClient(ctx, t, sc, clientID, false); err != nil {
		return nil, false, err
	}
	offset, n = max(0, offset), Page{Limit: n}.limit()
	want := offset + n + 1
	es, err := t.AuditLog(ctx, store.AuditFilter{Entity: "client", EntityID: clientID, Limit: want})
	if err != nil {
		return nil, false, err
	}
	var items []TimelineItem
	for i := range es {
		items = append(items, TimelineItem{At: es[i].At, Entry: &es[i]})
	}
	if authz.Can(p, authz.Contacts, authz.View) {
		cs, err := t.ClosedContacts(ctx, clientID, authz.OwnOnly(p, authz.Contacts), sc.employee, 0, want)
		if err != nil {
			return nil, false, err
		}
		for i := range cs {
			at := cs[i].UpdatedAt
			switch {
			case cs[i].DoneAt != nil:
				at = *cs[i].DoneAt
			case cs[i].CancelledAt != nil:
				at = *cs[i].CancelledAt
			}
			items = append(items, TimelineItem{At: at, Contact: &cs[i]})
		}
	}
	// Newest first; a contact closed in the same instant as a history entry
	// comes first (its change is what the entry recorded).
	slices.SortStableFunc(items, func(a, b TimelineItem) int {
		if c := b.At.Compare(a.At); c != 0 {
			return c
		}
		if (a.Contact != nil) != (b.Contact != nil) {
			if a.Contact != nil {
				return -1
			}
			return 1
		}
		return 0
	})
	if offset >= len(items) {
		return nil, false, nil
	}
	items = items[offset:]
	more := len(items) > n
	if more {
		items = items[:n]
	}
	return items, more, nil
}
