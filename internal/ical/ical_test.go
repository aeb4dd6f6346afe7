package ical

import (
	"strings"
	"testing"
	"time"

	"klientela/internal/crm"
)

func TestTimezoneRules(t *testing.T) {
	for _, tc := range []struct {
		zone string
		want []string
	}{
		{"Europe/Warsaw", []string{"BEGIN:DAYLIGHT", "DTSTART:20250330T020000", "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
			"TZOFFSETFROM:+0100", "TZOFFSETTO:+0200", "TZNAME:CEST", "BEGIN:STANDARD", "DTSTART:20251026T030000",
			"RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU", "TZNAME:CET"}},
		{"America/New_York", []string{"DTSTART:20250309T020000", "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU",
			"DTSTART:20251102T020000", "RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU", "TZOFFSETFROM:-0400", "TZOFFSETTO:-0500"}},
		{"Asia/Tokyo", []string{"BEGIN:STANDARD", "DTSTART:19700101T000000", "TZOFFSETFROM:+0900", "TZOFFSETTO:+0900"}},
	} {
		loc, err := time.LoadLocation(tc.zone)
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
		err = Write(&b, Calendar{Zone: loc, Now: now, Domain: "example.pl", Items: []crm.CalendarItem{
			{Kind: crm.CalendarContact, UID: "contact-1", Title: "Spotkanie; z, przecinkiem", Start: now, End: now.Add(30 * time.Minute)}}})
		if err != nil {
			t.Fatal(err)
		}
		out := strings.ReplaceAll(b.String(), "\r\n", "\n")
		for _, w := range append(tc.want, "TZID:"+tc.zone, "UID:contact-1@example.pl", `SUMMARY:Spotkanie\; z\, przecinkiem`,
			"DTSTAMP:20261128T120000Z", "DTSTART;TZID="+tc.zone+":") {
			if !strings.Contains(out, w+"\n") && !strings.Contains(out, w) {
				t.Errorf("%s: no %q in\n%s", tc.zone, w, out)
			}
		}
		if strings.Contains(out, "VALUE=TEXT") {
			t.Errorf("%s: VALUE=TEXT on a property of another type:\n%s", tc.zone, out)
		}
	}
}
