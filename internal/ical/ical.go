// Package ical writes calendar items as iCalendar (RFC 5545) documents: the
// private feeds that Google Calendar, Outlook and Apple Calendar subscribe
// to, and single events to download. It uses github.com/emersion/go-ical
// for the format (folding, escaping, the rules of each component) and adds
// what that library leaves to its users: a VTIMEZONE for the zone of the
// times.
package ical

import (
	"io"
	"net/url"
	"time"

	goical "github.com/emersion/go-ical"

	"klientela/internal/crm"
)

// Calendar is a document to write.
type Calendar struct {
	Name    string         // X-WR-CALNAME, what subscribers see as its name
	Zone    *time.Location // times are written in this zone, with its VTIMEZONE
	Now     time.Time      // DTSTAMP of every event
	Domain  string         // UIDs are "<item uid>@<domain>"
	BaseURL string         // makes the items' URLs absolute; "" leaves URL out
	Items   []crm.CalendarItem
}

// Domain is the host name of a base URL ("https://crm.firma.pl:8443" →
// "crm.firma.pl"), for the right-hand side of UIDs.
func Domain(baseURL string) string {
	if u, err := url.Parse(baseURL); err == nil && u.Hostname() != "" {
		return u.Hostname()
	}
	return "klientela"
}

// ContentType is the media type of what Write writes.
const ContentType = "text/calendar; charset=utf-8"

// Write writes c to w.
func Write(w io.Writer, c Calendar) error {
	cal := goical.NewCalendar()
	cal.Props.SetText(goical.PropVersion, "2.0")
	cal.Props.SetText(goical.PropProductID, "-//Klientela//Kalendarz//PL")
	cal.Props.SetText(goical.PropCalendarScale, "GREGORIAN")
	cal.Props.SetText(goical.PropMethod, "PUBLISH")
	if c.Name != "" {
		setRaw(cal.Props, "X-WR-CALNAME", c.Name, "")
	}
	setRaw(cal.Props, "X-WR-TIMEZONE", c.Zone.String(), "")
	// Subscribers fetch again after an hour (RFC 7986 and the older
	// Microsoft property that Outlook reads).
	setRaw(cal.Props, goical.PropRefreshInterval, "PT1H", "DURATION")
	setRaw(cal.Props, "X-PUBLISHED-TTL", "PT1H", "")

	// The zone's rules are written from the year before the first timed
	// item (yearly all-day items need no zone).
	first := c.Now
	for _, it := range c.Items {
		if !it.AllDay && it.Start.Before(first) {
			first = it.Start
		}
	}
	cal.Children = append(cal.Children, timezone(c.Zone, first.In(c.Zone).Year()-1))
	for _, it := range c.Items {
		cal.Children = append(cal.Children, event(c, it))
	}
	return goical.NewEncoder(w).Encode(cal)
}

func event(c Calendar, it crm.CalendarItem) *goical.Component {
	e := goical.NewEvent()
	e.Props.SetText(goical.PropUID, it.UID+"@"+c.Domain)
	e.Props.SetDateTime(goical.PropDateTimeStamp, c.Now.UTC())
	if !it.Updated.IsZero() {
		e.Props.SetDateTime(goical.PropLastModified, it.Updated.UTC())
	}
	e.Props.SetText(goical.PropSummary, it.Title)
	if it.Description != "" {
		e.Props.SetText(goical.PropDescription, it.Description)
	}
	if c.BaseURL != "" && it.URL != "" {
		u := goical.NewProp(goical.PropURL)
		u.SetValueType(goical.ValueURI)
		u.Value = c.BaseURL + it.URL
		e.Props.Set(u)
	}
	if it.AllDay {
		start := it.Start.In(c.Zone)
		e.Props.SetDate(goical.PropDateTimeStart, start)
		end := it.End.In(c.Zone)
		if it.Yearly || !end.After(start) {
			end = start.AddDate(0, 0, 1)
		}
		e.Props.SetDate(goical.PropDateTimeEnd, end)
		e.Props.SetText(goical.PropTransparency, "TRANSPARENT")
	} else {
		e.Props.SetDateTime(goical.PropDateTimeStart, it.Start.In(c.Zone))
		e.Props.SetDateTime(goical.PropDateTimeEnd, it.End.In(c.Zone))
	}
	// A recurring task: its rule, its cancelled occurrences; or one changed
	// occurrence of it (RECURRENCE-ID, in the same form as DTSTART).
	when := func(name string, t time.Time) *goical.Prop {
		p := goical.NewProp(name)
		if it.AllDay {
			p.SetDate(t.In(c.Zone))
		} else {
			p.SetDateTime(t.In(c.Zone))
		}
		return p
	}
	if it.Rule != "" {
		rr := goical.NewProp(goical.PropRecurrenceRule)
		rr.SetValueType(goical.ValueRecurrence)
		rr.Value = it.Rule
		e.Props.Set(rr)
		for _, x := range it.ExDates {
			e.Props.Add(when(goical.PropExceptionDates, x))
		}
	}
	if !it.RecurrenceID.IsZero() {
		e.Props.Set(when(goical.PropRecurrenceID, it.RecurrenceID))
	}
	if it.Cancelled {
		setRaw(e.Props, goical.PropStatus, "CANCELLED", "")
	}
	if it.Yearly {
		rule := "FREQ=YEARLY"
		if it.LastOfFebruary {
			// Born on 29 February: the last day of February, so the 28th in
			// years without a 29th.
			rule = "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=-1"
		}
		rr := goical.NewProp(goical.PropRecurrenceRule)
		rr.SetValueType(goical.ValueRecurrence)
		rr.Value = rule
		e.Props.Set(rr)
	}
	e.Props.SetText(goical.PropCategories, string(it.Kind))
	return e.Component
}

// setRaw sets a property whose value is already in its iCalendar form
// (text escaping and VALUE=TEXT are not wanted for it); valueType is its
// VALUE parameter, "" for none.
func setRaw(props goical.Props, name, value, valueType string) {
	p := goical.NewProp(name)
	p.Value = value
	if valueType != "" {
		p.Params.Set(goical.ParamValue, valueType)
	}
	props.Set(p)
}
