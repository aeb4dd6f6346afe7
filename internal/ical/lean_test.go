package ical

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	goical "github.com/emersion/go-ical"

	"klientela/internal/crm"
)

// referenceEvent is how events were written with go-ical before the lean
// writer: the lean one must write the same properties.
func referenceEvent(c Calendar, it crm.CalendarItem) *goical.Component {
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

// leanSample holds one of each kind of event the writer knows.
func leanSample(loc *time.Location) []crm.CalendarItem {
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	s := time.Date(2027, 3, 29, 10, 0, 0, 0, loc)
	long := "Zadanie; z, przecinkiem\\ i ukośnikiem\r\nnowa linia — ąęłśżźćń ĄĘŁŚŻŹĆŃ, tytuł dłuższy niż jedna linia iCalendaru, " +
		"żeby się zawinął między znakami, a nie w ich środku 🙂 " + strings.Repeat("żółć ", 20)
	return []crm.CalendarItem{
		{Kind: crm.CalendarTask, UID: "task-1", Title: long, Description: long, Start: s, End: s.Add(time.Hour),
			URL: "/tasks/1", Updated: now, Rule: "FREQ=WEEKLY;COUNT=5", ExDates: []time.Time{s.AddDate(0, 0, 7), s.AddDate(0, 0, 21)}},
		{Kind: crm.CalendarTask, UID: "task-1", Title: "Zadanie", Start: s.AddDate(0, 0, 15), End: s.AddDate(0, 0, 15).Add(time.Hour),
			RecurrenceID: s.AddDate(0, 0, 14), Cancelled: true, URL: "/tasks/1"},
		{Kind: crm.CalendarTask, UID: "task-2", Title: "Dyżur", Start: time.Date(2027, 1, 4, 0, 0, 0, 0, loc), End: time.Date(2027, 1, 5, 0, 0, 0, 0, loc),
			AllDay: true, Rule: "FREQ=WEEKLY;UNTIL=20270131", ExDates: []time.Time{time.Date(2027, 1, 11, 0, 0, 0, 0, loc)}},
		{Kind: crm.CalendarTask, UID: "task-2", Title: "Dyżur", Start: time.Date(2027, 1, 19, 0, 0, 0, 0, loc), End: time.Date(2027, 1, 21, 0, 0, 0, 0, loc),
			AllDay: true, RecurrenceID: time.Date(2027, 1, 18, 0, 0, 0, 0, loc)},
		{Kind: crm.CalendarBirthday, UID: "birthday-person-1", Title: "Urodziny: Leon", Description: "Firma", Start: time.Date(1988, 2, 29, 0, 0, 0, 0, loc),
			End: time.Date(1988, 3, 1, 0, 0, 0, 0, loc), AllDay: true, Yearly: true, LastOfFebruary: true, URL: "/clients/1"},
		{Kind: crm.CalendarDate, UID: "date-1-20270201-x", Title: "Koniec umowy: Firma", Start: time.Date(2027, 2, 1, 0, 0, 0, 0, loc),
			End: time.Date(2027, 2, 2, 0, 0, 0, 0, loc), AllDay: true},
		{Kind: crm.CalendarContact, UID: "contact-3", Title: "Klient — Rozmowa", Start: now, End: now.Add(30 * time.Minute), Updated: now},
	}
}

// props lists an event's properties as "NAME;PARAMS:VALUE", sorted.
func props(c *goical.Component) []string {
	var out []string
	for name, ps := range c.Props {
		for _, p := range ps {
			var params []string
			for k, vs := range p.Params {
				params = append(params, k+"="+strings.Join(vs, ","))
			}
			slices.Sort(params)
			out = append(out, fmt.Sprintf("%s;%s:%s", name, strings.Join(params, ";"), p.Value))
		}
	}
	slices.Sort(out)
	return out
}

// TestLeanWriterMatchesGoical: what the lean writer writes, read back by
// go-ical's decoder, has the same properties, parameters and values as the
// events go-ical itself wrote; every line is at most 75 octets and ends in
// CRLF; long text survives folding between characters.
func TestLeanWriterMatchesGoical(t *testing.T) {
	for _, zone := range []string{"Europe/Warsaw", "America/Argentina/Buenos_Aires", "UTC"} {
		loc, err := time.LoadLocation(zone)
		if err != nil {
			t.Fatal(err)
		}
		c := Calendar{Name: "Klientela — Firma", Zone: loc, Now: time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC), Domain: "example.pl",
			BaseURL: "https://example.pl", Items: leanSample(loc)}
		var buf bytes.Buffer
		if err := Write(&buf, c); err != nil {
			t.Fatal(err)
		}
		out := buf.String()
		for i, line := range strings.Split(strings.TrimSuffix(out, "\r\n"), "\r\n") {
			if len(line) > maxLine {
				t.Errorf("%s: line %d has %d octets: %q", zone, i, len(line), line)
			}
			if strings.ContainsAny(line, "\r\n") {
				t.Errorf("%s: line %d has a bare CR or LF: %q", zone, i, line)
			}
		}
		got, err := goical.NewDecoder(strings.NewReader(out)).Decode()
		if err != nil {
			t.Fatalf("%s: decode: %v\n%s", zone, err, out)
		}
		evs := got.Events()
		if len(evs) != len(c.Items) {
			t.Fatalf("%s: %d events, want %d", zone, len(evs), len(c.Items))
		}
		for i, it := range c.Items {
			// go-ical writes a CR of the text as it is (a bare CR inside a
			// content line); the lean writer leaves it out.
			ref := it
			ref.Title, ref.Description = strings.ReplaceAll(it.Title, "\r", ""), strings.ReplaceAll(it.Description, "\r", "")
			want := props(referenceEvent(c, ref))
			if g := props(evs[i].Component); !slices.Equal(g, want) {
				t.Errorf("%s: event %d:\n got %q\nwant %q", zone, i, g, want)
			}
			if s, err := evs[i].Props.Text(goical.PropSummary); err != nil || s != strings.ReplaceAll(it.Title, "\r", "") {
				t.Errorf("%s: event %d summary %q (%v), want %q", zone, i, s, err, it.Title)
			}
		}
	}
}

// TestEmptyCalendar: a feed with nothing in it is still a calendar.
func TestEmptyCalendar(t *testing.T) {
	var buf bytes.Buffer
	if err := Write(&buf, Calendar{Zone: time.UTC, Now: time.Now(), Domain: "example.pl"}); err != nil {
		t.Fatal(err)
	}
	if _, err := goical.NewDecoder(&buf).Decode(); err != nil {
		t.Fatal(err)
	}
}
