package ical

import (
	"io"
	"strconv"
	"testing"
	"time"

	"klientela/internal/crm"
)

// BenchmarkWrite writes a feed of 2 000 timed events and 200 yearly ones.
func BenchmarkWrite(b *testing.B) {
	loc, _ := time.LoadLocation("Europe/Warsaw")
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	var items []crm.CalendarItem
	for i := range 2000 {
		at := now.Add(time.Duration(i) * 5 * time.Hour)
		items = append(items, crm.CalendarItem{Kind: crm.CalendarContact, UID: "contact-" + strconv.Itoa(i), Title: "Klient 0001 sp. z o.o. — Rozmowa handlowa",
			Description: "Anna Nowak", Start: at, End: at.Add(30 * time.Minute), URL: "/contacts/" + strconv.Itoa(i), Updated: now})
	}
	for i := range 200 {
		d := time.Date(1970, 1, 1, 0, 0, 0, 0, loc).AddDate(0, 0, i*50)
		items = append(items, crm.CalendarItem{Kind: crm.CalendarBirthday, UID: "birthday-client-" + strconv.Itoa(i), Title: "Urodziny: X",
			Start: d, End: d.AddDate(0, 0, 1), AllDay: true, Yearly: true})
	}
	b.ResetTimer()
	for range b.N {
		if err := Write(io.Discard, Calendar{Zone: loc, Now: now, Domain: "example.pl", BaseURL: "https://example.pl", Items: items}); err != nil {
			b.Fatal(err)
		}
	}
}
