package app_test

import (
	"encoding/json"
	"fmt"
	"net/url"
	"reflect"
	"strconv"
	"testing"
	"time"

	"klientela/internal/app/apptest"
)

type cappedEvent struct {
	ID       string
	Kind     string
	RecordID int64 `json:"record_id"`
	Title    string
	Start    string
	End      string
	AllDay   bool
	Color    string
	Editable bool
}

// TestCalendarCappedMatchesTheWholeList: the month view's capped answer
// (per_day: the first items of each day read per day from the indexes,
// the rest counted) is exactly what capping the whole list gives — the
// same first items of each day in the same order and the same "+N" — for
// every kind of item and the cases the per-day reads handle apart: a
// contact that began before the range, a cancelled one and one of a
// client in the trash; single tasks of one day by start and id, one begun
// before the range and still running, one longer than a week, an all-day
// one; a weekly series begun long before (walked from shortly before the
// range) with an occurrence moved into the range from before it, a series
// with COUNT; birthdays of clients and persons, of a client in the trash;
// over the end of DST (31 October 2027, a day of 25 hours). For the whole
// firm, one employee and a user who sees only their own.
func TestCalendarCappedMatchesTheWholeList(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		s.SignUp("Firma Limit", "Jan Kowalski", "limit@example.pl", pw)
		tok := s.Token("limit@example.pl", pw)
		e1 := contactEmployee(t, s, tok, "Ala", "Pierwsza")
		e2 := contactEmployee(t, s, tok, "Ola", "Druga")
		warsaw, _ := time.LoadLocation("Europe/Warsaw")
		at := func(m time.Month, d, h, min int) string { return rfc(time.Date(2027, m, d, h, min, 0, 0, warsaw)) }

		c1 := createClient(t, s, tok, map[string]any{"kind": "person", "first_name": "Adam", "last_name": "Pierwszy",
			"birthday": "1980-10-27", "employee_id": e1})
		c2 := createClient(t, s, tok, map[string]any{"kind": "person", "first_name": "Beata", "last_name": "Druga",
			"birthday": "1975-10-27", "employee_id": e2})
		trashed := createClient(t, s, tok, map[string]any{"kind": "person", "first_name": "Cezary", "last_name": "Usunięty",
			"birthday": "1990-10-27", "employee_id": e1})
		for i, c := range []int64{c1, c1, trashed, c2} {
			if res, body := s.JSON("POST", "/api/v1/clients/"+itoa(c)+"/persons", tok, map[string]any{"first_name": "Osoba",
				"last_name": strconv.Itoa(i), "birthday": "1985-10-27"}); res.StatusCode != 201 {
				t.Fatalf("person: %d %s", res.StatusCode, body)
			}
		}

		contact := func(client, emp int64, when string) int64 {
			return createContact(t, s, tok, map[string]any{"client_id": client, "employee_id": emp, "at": when, "subject": "Rozmowa"}).ID
		}
		contact(c1, e1, at(10, 24, 23, 40)) // before the range, still on at its start
		for _, h := range []int{9, 9, 11, 13, 15} {
			contact(c1, e1, at(10, 27, h, 0))
			contact(c2, e2, at(10, 27, h, 30))
		}
		cancelled := contact(c1, e1, at(10, 27, 8, 0))
		if res, body := s.JSON("POST", "/api/v1/planned-contacts/"+itoa(cancelled)+"/cancel", tok, map[string]any{"reason": "Klient odwołał"}); res.StatusCode != 200 {
			t.Fatalf("cancel: %d %s", res.StatusCode, body)
		}
		contact(trashed, e1, at(10, 27, 7, 0))
		for _, h := range []int{0, 1, 2, 4, 23} { // the day of 25 hours
			contact(c2, e2, at(10, 31, h, 30))
		}
		contact(c1, e1, at(11, 7, 23, 45)) // the last moments of the range

		task := func(in map[string]any) taskOut { return createTask(t, s, tok, in) }
		for i, h := range []int{8, 8, 10, 12} {
			emp := []int64{e1, e2}[i%2]
			task(map[string]any{"title": "Zadanie " + strconv.Itoa(i), "start": at(10, 27, h, 0), "end": at(10, 27, h+1, 0),
				"employee_ids": []int64{emp}})
		}
		task(map[string]any{"title": "Całodniowe", "all_day": true, "start": at(10, 27, 0, 0), "end": at(10, 29, 0, 0),
			"employee_ids": []int64{e1}})
		task(map[string]any{"title": "Nocna zmiana", "start": at(10, 24, 22, 0), "end": at(10, 25, 3, 0), "employee_ids": []int64{e1}})
		task(map[string]any{"title": "Długi projekt", "start": at(10, 15, 9, 0), "end": at(10, 28, 17, 0), "employee_ids": []int64{e2}})
		for _, h := range []int{1, 2, 23} {
			task(map[string]any{"title": "W noc zmiany czasu", "start": at(10, 31, h, 15), "end": at(10, 31, h, 45),
				"employee_ids": []int64{e2}})
		}
		weekly := task(map[string]any{"title": "Przegląd", "start": "2026-01-05T10:00:00+01:00", "end": "2026-01-05T11:00:00+01:00",
			"recurrence": "FREQ=WEEKLY;BYDAY=MO,WE;UNTIL=20281231T000000Z", "employee_ids": []int64{e1}})
		task(map[string]any{"title": "Seria dzienna", "start": at(10, 26, 7, 0), "end": at(10, 26, 7, 30),
			"recurrence": "FREQ=DAILY;COUNT=5", "employee_ids": []int64{e2}})

		b := s.Browser()
		b.Post("/login", url.Values{"email": {"limit@example.pl"}, "password": {pw}})
		// One occurrence of June moves into the range (27 October, 9:30).
		if res, body := b.Post("/calendar/move", url.Values{"kind": {"task"}, "id": {itoa(weekly.ID)},
			"occurrence": {"2027-06-07T10:00:00+02:00"}, "start": {"2027-10-27T09:30:00"}, "end": {"2027-10-27T10:30:00"}}); res.StatusCode != 200 {
			t.Fatalf("move an occurrence: %d %s", res.StatusCode, body)
		}
		if res, _ := s.JSON("DELETE", "/api/v1/clients/"+itoa(trashed), tok, nil); res.StatusCode != 204 {
			t.Fatalf("trash: %d", res.StatusCode)
		}

		// A user who sees only their own (employee e1's).
		if res, body := s.JSON("POST", "/api/v1/users", tok, map[string]any{"email": "wlasne@example.pl", "name": "Własne",
			"password": pw, "employee_id": e1, "own_only": []string{"contacts", "clients", "tasks"},
			"permissions": map[string]string{"calendar": "view", "contacts": "edit", "clients": "view", "tasks": "edit"}}); res.StatusCode != 201 {
			t.Fatalf("user: %d %s", res.StatusCode, body)
		}
		own := s.Browser()
		own.Post("/login", url.Values{"email": {"wlasne@example.pl"}, "password": {pw}})

		events := func(b *apptest.Browser, query string) []cappedEvent {
			t.Helper()
			return calendarEvents[cappedEvent](t, b, query)
		}
		const month = "from=2027-10-25T00:00:00&to=2027-11-08T00:00:00"
		for _, c := range []struct {
			name   string
			b      *apptest.Browser
			filter string
		}{
			{"firm", b, ""},
			{"employee", b, "&employee_id=" + itoa(e1)},
			{"other employee", b, "&employee_id=" + itoa(e2)},
			{"own only", own, ""},
			{"tasks and contacts", b, "&kinds=task,contact"},
		} {
			all := events(c.b, month+c.filter)
			for _, perDay := range []int{1, 2, 3, 5} {
				// Capping the whole list by hand: the items come by start.
				var want []cappedEvent
				more := map[string]int{}
				n := map[string]int{}
				for _, e := range all {
					day := e.Start[:10]
					if n[day]++; n[day] <= perDay {
						want = append(want, e)
					} else {
						more[day]++
					}
				}
				got := events(c.b, month+c.filter+"&per_day="+strconv.Itoa(perDay))
				gotMore := map[string]int{}
				var items []cappedEvent
				for _, e := range got {
					if e.Kind == "more" {
						gotMore[e.Start] = int(e.RecordID)
						if e.Title != fmt.Sprintf("+%d więcej", e.RecordID) {
							t.Errorf("%s: more title %q", c.name, e.Title)
						}
						continue
					}
					items = append(items, e)
				}
				if !reflect.DeepEqual(items, want) {
					t.Errorf("%s, per_day=%d: items\n got %+v\nwant %+v", c.name, perDay, items, want)
				}
				if !reflect.DeepEqual(gotMore, more) {
					t.Errorf("%s, per_day=%d: more %v, want %v", c.name, perDay, gotMore, more)
				}
			}
			if c.name == "firm" {
				kinds := map[string]int{}
				moved := false
				for _, e := range all {
					kinds[e.Kind]++
					moved = moved || e.Kind == "task" && e.Start == "2027-10-27T09:30:00"
				}
				// 17 contacts (not the cancelled one, nor the trashed client's), single
				// tasks and occurrences, 5 birthdays (2 clients, 3 persons).
				if kinds["contact"] != 17 || kinds["task"] < 18 || kinds["birthday"] != 5 || !moved {
					t.Errorf("firm: the fixture did not make what it should: %v, moved occurrence %v", kinds, moved)
				}
			}
		}
	}, calendarClock)
}

// calendarEvents is the calendar's items of query (/calendar/events) as b
// gets them, decoded as T.
func calendarEvents[T any](t *testing.T, b *apptest.Browser, query string) []T {
	t.Helper()
	res, body := b.Get("/calendar/events?" + query)
	if res.StatusCode != 200 {
		t.Fatalf("%s: %d %s", query, res.StatusCode, body)
	}
	var out []T
	if err := json.Unmarshal([]byte(body), &out); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return out
}
