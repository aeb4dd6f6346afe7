// Package ical writes calendar items as iCalendar (RFC 5545) documents: the
// private feeds that Google Calendar, Outlook and Apple Calendar subscribe
// to, and single events to download. It uses github.com/emersion/go-ical
// for the calendar's head and its VTIMEZONE (which that library leaves to
// its users to describe) and a lean writer of its own for the events.
package ical

import (
	"bufio"
	"bytes"
	"errors"
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
	// The head and the zone go through go-ical (written once); the events,
	// thousands in a feed, through the lean writer of event.go: go-ical's
	// maps of properties cost ~13 µs and dozens of allocations an event.
	var head bytes.Buffer
	if err := goical.NewEncoder(&head).Encode(cal); err != nil {
		return err
	}
	const end = "END:VCALENDAR\r\n"
	if !bytes.HasSuffix(head.Bytes(), []byte(end)) {
		return errors.New("ical: unexpected end of the calendar head")
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	_, _ = bw.Write(head.Bytes()[:head.Len()-len(end)])
	ew := eventWriter{w: bw, zone: c.Zone, domain: c.Domain, baseURL: c.BaseURL, stamp: c.Now.UTC().Format(utcLayout)}
	for _, it := range c.Items {
		ew.event(it)
	}
	_, _ = bw.WriteString(end)
	return bw.Flush()
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
