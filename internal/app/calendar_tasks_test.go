package app_test

import (
	"encoding/json"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	goical "github.com/arran4/golang-ical"
	"github.com/teambition/rrule-go"

	"klientela/internal/app/apptest"
)

// taskCalendarFixture adds to calendarFixture a task group, a weekly task
// on Mondays 10:00–11:00 Warsaw time from 19 October 2026 (across the last
// Sunday of October and of March), an all-day task from 30 January to 1
// February 2027, and important dates on the client: a yearly one on 31
// January, a one-time one on 1 February 2027 and a yearly one on 29
// February.
type taskCalendarFixture struct {
	calendarFixture
	group          int64
	weekly, allDay taskOut
}

func newTaskCalendarFixture(t *testing.T, s *apptest.Server, email string) taskCalendarFixture {
	t.Helper()
	f := taskCalendarFixture{calendarFixture: newCalendarFixture(t, s, email)}
	res, body := s.JSON("POST", "/api/v1/task-groups", f.tok, map[string]any{"name": "Serwis", "color": "#aa3366"})
	if res.StatusCode != 201 {
		t.Fatalf("task group: %d %s", res.StatusCode, body)
	}
	var g struct{ ID int64 }
	_ = json.Unmarshal([]byte(body), &g)
	f.group = g.ID
	f.weekly = createTask(t, s, f.tok, map[string]any{"title": "Przegląd tygodnia", "start": "2026-10-19T10:00:00+02:00",
		"end": "2026-10-19T11:00:00+02:00", "recurrence": "FREQ=WEEKLY;BYDAY=MO;COUNT=40", "employee_ids": []int64{f.emp},
		"group_ids": []int64{f.group}})
	f.allDay = createTask(t, s, f.tok, map[string]any{"title": "Inwentaryzacja", "all_day": true,
		"start": "2027-01-30T00:00:00+01:00", "end": "2027-02-02T00:00:00+01:00", "employee_ids": []int64{f.emp}})
	if res, body := s.JSON("PATCH", "/api/v1/clients/"+itoa(f.client), f.tok, map[string]any{"important_dates": []map[string]any{
		{"name": "Rocznica współpracy", "date": "2015-01-31", "yearly": true},
		{"name": "Koniec umowy", "date": "2027-02-01", "yearly": false},
		{"name": "Założenie firmy", "date": "2016-02-29", "yearly": true},
	}}); res.StatusCode != 200 {
		t.Fatalf("important dates: %d %s", res.StatusCode, body)
	}
	return f
}

type calTaskItem struct {
	calItem
	GroupColor string `json:"group_color"`
	Muted      bool
	Occurrence string
	Recurring  bool
}

func calendarTaskItems(t *testing.T, s *apptest.Server, tok, query string) []calTaskItem {
	t.Helper()
	return calendarItemsAs[calTaskItem](t, s, tok, query)
}

func starts(items []calTaskItem, kind string) []string {
	var out []string
	for _, it := range items {
		if it.Kind == kind {
			out = append(out, it.Start+"/"+it.End)
		}
	}
	return out
}

func TestCalendarTasksAndDates(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		f := newTaskCalendarFixture(t, s, "jan@example.pl")
		w := itoa(f.weekly.ID)

		// The weekly task keeps 10:00 Warsaw time across both DST changes.
		oct := calendarTaskItems(t, s, f.tok, "from=2026-10-19&to=2026-11-03&kinds=task")
		if got, want := starts(oct, "task"), []string{"2026-10-19T10:00:00+02:00/2026-10-19T11:00:00+02:00",
			"2026-10-26T10:00:00+01:00/2026-10-26T11:00:00+01:00", "2026-11-02T10:00:00+01:00/2026-11-02T11:00:00+01:00"}; !slices.Equal(got, want) {
			t.Errorf("October: %v, want %v", got, want)
		}
		mar := calendarTaskItems(t, s, f.tok, "from=2027-03-22&to=2027-04-01&kinds=task")
		if got, want := starts(mar, "task"), []string{"2027-03-22T10:00:00+01:00/2027-03-22T11:00:00+01:00",
			"2027-03-29T10:00:00+02:00/2027-03-29T11:00:00+02:00"}; !slices.Equal(got, want) {
			t.Errorf("March: %v, want %v", got, want)
		}
		it := mar[1]
		if it.ID != "task-"+w+"-20270329T080000Z" || it.RecordID != f.weekly.ID || it.Title != "Przegląd tygodnia" ||
			it.Color != "#17bebb" || it.GroupColor != "#aa3366" || !it.Editable || it.Muted || !it.Recurring ||
			it.Occurrence != "2027-03-29T10:00:00+02:00" || it.URL != "/tasks/"+w || it.AllDay {
			t.Errorf("occurrence: %+v", it)
		}

		// The all-day task spans the month boundary: in January and in
		// February, with an exclusive end as FullCalendar expects.
		for _, q := range []string{"from=2027-01-01&to=2027-02-01", "from=2027-02-01&to=2027-03-01"} {
			got := calendarTaskItems(t, s, f.tok, q+"&kinds=task")
			var found bool
			for _, it := range got {
				if it.RecordID == f.allDay.ID {
					found = true
					if !it.AllDay || it.Start != "2027-01-30" || it.End != "2027-02-02" || it.ID != "task-"+itoa(f.allDay.ID) ||
						it.Recurring || it.GroupColor != "#64748b" {
						t.Errorf("%s: all-day task %+v", q, it)
					}
				}
			}
			if !found {
				t.Errorf("%s: no all-day task in %+v", q, got)
			}
		}

		// Important dates: yearly from the date on, once on its day, 29
		// February on the 28th in other years; beside the birthdays.
		jan := calendarTaskItems(t, s, f.tok, "from=2027-01-01&to=2027-02-01&kinds=date,birthday")
		if len(jan) != 1 || jan[0].Kind != "date" || jan[0].Start != "2027-01-31" || jan[0].End != "2027-02-01" || !jan[0].AllDay ||
			jan[0].Title != "Rocznica współpracy: Urodzinowa Marta" || jan[0].URL != "/clients/"+itoa(f.client) || jan[0].Editable ||
			jan[0].Color != "#17bebb" {
			t.Errorf("January dates: %+v", jan)
		}
		feb := calendarTaskItems(t, s, f.tok, "from=2027-02-01&to=2027-03-01&kinds=date")
		if got, want := starts(feb, "date"), []string{"2027-02-01/2027-02-02", "2027-02-28/2027-03-01"}; !slices.Equal(got, want) {
			t.Errorf("February 2027 dates: %v, want %v", got, want)
		}
		feb28 := calendarTaskItems(t, s, f.tok, "from=2028-02-01&to=2028-03-01&kinds=date")
		if got, want := starts(feb28, "date"), []string{"2028-02-29/2028-03-01"}; !slices.Equal(got, want) {
			t.Errorf("February 2028 dates (the one-time date not again): %v, want %v", got, want)
		}
		if got := calendarTaskItems(t, s, f.tok, "from=2014-01-01&to=2014-12-31&kinds=date"); len(got) != 0 {
			t.Errorf("before the dates were: %+v", got)
		}

		// All kinds together, by start; filters by group and employee.
		all := calendarTaskItems(t, s, f.tok, "from=2027-03-01&to=2027-04-01")
		kinds := map[string]int{}
		for _, it := range all {
			kinds[it.Kind]++
		}
		if kinds["task"] != 5 || kinds["contact"] != 2 || kinds["birthday"] != 1 {
			t.Errorf("March 2027: %v", kinds)
		}
		if got := calendarTaskItems(t, s, f.tok, "from=2027-01-25&to=2027-02-08&kinds=task&group_id="+itoa(f.group)); len(got) != 2 ||
			got[0].RecordID != f.weekly.ID || got[1].RecordID != f.weekly.ID {
			t.Errorf("group filter: %+v", got)
		}
		other := contactEmployee(t, s, f.tok, "Inny", "Pracownik")
		if got := calendarTaskItems(t, s, f.tok, "from=2027-01-01&to=2027-03-01&kinds=task,date&employee_id="+itoa(other)); len(got) != 0 {
			t.Errorf("another employee's tasks and dates: %+v", got)
		}
		if res, body := s.JSON("GET", "/api/v1/calendar?from=2027-01-01&to=2027-02-01&group_id=x", f.tok, nil); res.StatusCode != 400 ||
			!strings.Contains(body, "group_id") {
			t.Errorf("bad group_id: %d %s", res.StatusCode, body)
		}

		// One occurrence done: muted, the others not.
		if res, body := s.JSON("POST", "/api/v1/tasks/"+w+"/complete", f.tok, map[string]any{"occurrence": "2027-03-22T10:00:00+01:00"}); res.StatusCode != 200 {
			t.Fatalf("complete one: %d %s", res.StatusCode, body)
		}
		mar = calendarTaskItems(t, s, f.tok, "from=2027-03-22&to=2027-04-01&kinds=task")
		if len(mar) != 2 || !mar[0].Muted || mar[1].Muted {
			t.Errorf("done occurrence muted: %+v", mar)
		}
	}, calendarClock)
}

// TestCalendarTaskMoves: drags of tasks on the calendar page — a single
// all-day task, one occurrence of a series (moved and resized, the series
// left as it was) — and the drags that are refused with nothing changed.
func TestCalendarTaskMoves(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		f := newTaskCalendarFixture(t, s, "jan@example.pl")
		w, a := itoa(f.weekly.ID), itoa(f.allDay.ID)
		b := s.Browser()
		b.Post("/login", url.Values{"email": {"jan@example.pl"}, "password": {pw}})

		// The page offers tasks: group filter, colour switch, the task form from a slot.
		_, page := b.Get("/calendar")
		mustContain(t, page, `value="task" checked`, `value="date" checked`, `name="group_id"`, `name="color_by"`,
			`data-new-task-url="/tasks/new"`, "Serwis")
		_, body := b.Get("/calendar/events?from=2027-03-29T00:00:00&to=2027-04-05T00:00:00&kinds=task")
		mustContain(t, body, `"id":"task-`+w+`-20270329T080000Z"`, `"start":"2027-03-29T10:00:00"`, `"occurrence":"2027-03-29T10:00:00+02:00"`,
			`"recurring":true`, `"groupColor":"#aa3366"`, `"editable":true`)
		// The month view's cap: per_day items a day, "+N więcej" for the rest.
		_, body = b.Get("/calendar/events?from=2027-03-29T00:00:00&to=2027-03-31T00:00:00&per_day=1")
		var evs []struct {
			ID, Kind, Title, Start string
			AllDay                 bool
		}
		if err := json.Unmarshal([]byte(body), &evs); err != nil {
			t.Fatalf("events: %v %s", err, body)
		}
		if len(evs) != 2 || evs[1].Kind != "more" || evs[1].Title != "+1 więcej" || evs[1].Start != "2027-03-29" || !evs[1].AllDay ||
			evs[0].Start != "2027-03-29T10:00:00" {
			t.Errorf("per_day=1: %+v", evs)
		}
		for _, q := range []string{"per_day=0", "per_day=101", "per_day=abc"} {
			if res, body := b.Get("/calendar/events?from=2027-03-29T00:00:00&to=2027-03-31T00:00:00&" + q); res.StatusCode != 400 {
				t.Errorf("%s: %d %s", q, res.StatusCode, body)
			}
		}
		_, form := b.Get("/tasks/new?start=2027-03-31T14:30&end=2027-03-31T16:00")
		mustContain(t, form, `value="2027-03-31"`, `value="14:30"`, `value="16:00"`)
		_, form = b.Get("/tasks/new?all_day=1&start=2027-04-05&end=2027-04-08")
		mustContain(t, form, `value="2027-04-05"`, `value="2027-04-07"`)

		// A single all-day task moves by three days and keeps its length.
		res, body := b.Post("/calendar/move", url.Values{"kind": {"task"}, "id": {a}, "occurrence": {"2027-01-30T00:00:00+01:00"},
			"start": {"2027-02-02"}, "end": {"2027-02-05"}})
		if res.StatusCode != 200 || !strings.Contains(body, "Przeniesiono") {
			t.Fatalf("move the all-day task: %d %s", res.StatusCode, body)
		}
		_, body = s.JSON("GET", "/api/v1/tasks/"+a, f.tok, nil)
		mustContain(t, body, `"start":"2027-02-02T00:00:00+01:00"`, `"end":"2027-02-05T00:00:00+01:00"`, `"all_day":true`)

		// One occurrence moved to Tuesday 12:00 and made 90 minutes long: the
		// rest of the series stays where it was.
		res, body = b.Post("/calendar/move", url.Values{"kind": {"task"}, "id": {w}, "occurrence": {"2027-03-29T10:00:00+02:00"},
			"start": {"2027-03-30T12:00:00"}, "end": {"2027-03-30T13:30:00"}})
		if res.StatusCode != 200 {
			t.Fatalf("move an occurrence: %d %s", res.StatusCode, body)
		}
		got := calendarTaskItems(t, s, f.tok, "from=2027-03-22&to=2027-04-06&kinds=task")
		if got, want := starts(got, "task"), []string{"2027-03-22T10:00:00+01:00/2027-03-22T11:00:00+01:00",
			"2027-03-30T12:00:00+02:00/2027-03-30T13:30:00+02:00", "2027-04-05T10:00:00+02:00/2027-04-05T11:00:00+02:00"}; !slices.Equal(got, want) {
			t.Errorf("after moving one occurrence: %v, want %v", got, want)
		}
		if got[1].Occurrence != "2027-03-29T10:00:00+02:00" {
			t.Errorf("the moved occurrence keeps its key: %+v", got[1])
		}
		_, body = s.JSON("GET", "/api/v1/tasks/"+w, f.tok, nil)
		var series taskOut
		_ = json.Unmarshal([]byte(body), &series)
		if series.Start != "2026-10-19T10:00:00+02:00" || series.End != "2026-10-19T11:00:00+02:00" || series.Recurrence != "FREQ=WEEKLY;COUNT=40;BYDAY=MO" {
			t.Errorf("the series changed: %+v", series)
		}
		// The moved occurrence moves again by its new start.
		if res, body := b.Post("/calendar/move", url.Values{"kind": {"task"}, "id": {w}, "occurrence": {"2027-03-29T10:00:00+02:00"},
			"start": {"2027-03-31T12:00:00"}, "end": {"2027-03-31T13:30:00"}}); res.StatusCode != 200 {
			t.Errorf("move the occurrence again: %d %s", res.StatusCode, body)
		}

		before := calendarTaskItems(t, s, f.tok, "from=2026-10-01&to=2027-10-01&kinds=task")
		refused := func(name string, br *apptest.Browser, form url.Values, status int, says string) {
			t.Helper()
			res, body := br.Post("/calendar/move", form)
			if res.StatusCode != status || !strings.Contains(body, says) {
				t.Errorf("%s: %d %s, want %d saying %q", name, res.StatusCode, body, status, says)
			}
		}
		// Without the right to edit tasks: 403, nothing moved.
		ro := s.AddUser("jan@example.pl", "ro@example.pl", pw, apptest.Scope("calendar", "view", "tasks", "view"))
		_, body = ro.Get("/calendar/events?from=2027-03-22T00:00:00&to=2027-03-29T00:00:00&kinds=task")
		mustContain(t, body, `"editable":false`)
		mustNotContain(t, body, `"editable":true`)
		refused("read-only user", ro, url.Values{"kind": {"task"}, "id": {a}, "occurrence": {"2027-02-02T00:00:00+01:00"},
			"start": {"2027-03-01"}, "end": {"2027-03-04"}}, 403, `"error"`)
		// Birthdays and important dates do not move.
		refused("birthday", b, url.Values{"kind": {"birthday"}, "id": {itoa(f.client)}, "start": {"2027-03-30"}}, 422, "nie można przenieść")
		refused("important date", b, url.Values{"kind": {"date"}, "id": {itoa(f.client)}, "start": {"2027-03-30"}}, 422, "nie można przenieść")
		// An occurrence the series does not have, a missing end, a bad occurrence.
		refused("unknown occurrence", b, url.Values{"kind": {"task"}, "id": {w}, "occurrence": {"2027-03-30T10:00:00+02:00"},
			"start": {"2027-04-01T10:00:00"}, "end": {"2027-04-01T11:00:00"}}, 422, `"error"`)
		refused("no end", b, url.Values{"kind": {"task"}, "id": {a}, "occurrence": {"2027-02-02T00:00:00+01:00"},
			"start": {"2027-03-01"}}, 422, `"error"`)
		refused("malformed occurrence", b, url.Values{"kind": {"task"}, "id": {a}, "occurrence": {"wczoraj"},
			"start": {"2027-03-01"}, "end": {"2027-03-02"}}, 422, `"error"`)
		refused("end before start", b, url.Values{"kind": {"task"}, "id": {a}, "occurrence": {"2027-02-02T00:00:00+01:00"},
			"start": {"2027-03-05"}, "end": {"2027-03-01"}}, 422, `"error"`)
		// Another account's task is not found.
		other := s.SignUp("Firma B", "Ola Obca", "obca@example.pl", pw)
		refused("another account", other, url.Values{"kind": {"task"}, "id": {a}, "occurrence": {"2027-02-02T00:00:00+01:00"},
			"start": {"2027-03-01"}, "end": {"2027-03-04"}}, 404, `"error"`)
		after := calendarTaskItems(t, s, f.tok, "from=2026-10-01&to=2027-10-01&kinds=task")
		if !slices.EqualFunc(before, after, func(x, y calTaskItem) bool { return x.ID == y.ID && x.Start == y.Start && x.End == y.End }) {
			t.Errorf("refused moves changed the calendar")
		}
	}, calendarClock)
}

// TestCalendarTaskScopes: a user who sees only their own tasks sees only
// those on the calendar and in the feed; another account's tasks never.
func TestCalendarTaskScopes(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		f := newTaskCalendarFixture(t, s, "jan@example.pl")
		emp2 := contactEmployee(t, s, f.tok, "Ola", "Lis")
		hers := createTask(t, s, f.tok, map[string]any{"title": "Zadanie Oli", "start": "2027-03-10T09:00:00+01:00",
			"end": "2027-03-10T10:00:00+01:00", "employee_ids": []int64{emp2}})
		both := createTask(t, s, f.tok, map[string]any{"title": "Wspólne", "start": "2027-03-11T09:00:00+01:00",
			"end": "2027-03-11T10:00:00+01:00", "employee_ids": []int64{f.emp, emp2}})
		s.SignUp("Firma B", "Ola Obca", "obca@example.pl", pw)
		tokB := s.Token("obca@example.pl", pw)
		empB := contactEmployee(t, s, tokB, "Bea", "Obca")
		createTask(t, s, tokB, map[string]any{"title": "Tajne zadanie B", "start": "2027-03-10T09:00:00+01:00", "end": "2027-03-10T10:00:00+01:00", "employee_ids": []int64{empB}})

		contactUser(t, s, f.tok, "ola@example.pl", emp2, map[string]string{"calendar": "view", "tasks": "edit"}, []string{"tasks"})
		ola := s.Token("ola@example.pl", pw)
		q := "from=2027-03-01&to=2027-04-01"
		got := calendarTaskItems(t, s, ola, q)
		var ids []int64
		for _, it := range got {
			if it.Kind != "task" {
				t.Errorf("Ola without contacts and clients sees %+v", it)
			}
			ids = append(ids, it.RecordID)
		}
		if !slices.Equal(ids, []int64{hers.ID, both.ID}) {
			t.Errorf("own-only calendar: %+v", got)
		}
		// Jan sees everything of his account, nothing of B.
		for _, it := range calendarTaskItems(t, s, f.tok, q) {
			if strings.Contains(it.Title, "Tajne") {
				t.Errorf("account B's task on A's calendar: %+v", it)
			}
		}
		for _, it := range calendarTaskItems(t, s, tokB, q) {
			if it.RecordID != 0 && it.Title != "Tajne zadanie B" {
				t.Errorf("A's item on B's calendar: %+v", it)
			}
		}
		// Ola may not move Jan's all-day task: she cannot see it (404).
		b := s.Browser()
		b.Post("/login", url.Values{"email": {"ola@example.pl"}, "password": {pw}})
		if res, _ := b.Post("/calendar/move", url.Values{"kind": {"task"}, "id": {itoa(f.allDay.ID)}, "occurrence": {"2027-01-30T00:00:00+01:00"},
			"start": {"2027-03-01"}, "end": {"2027-03-04"}}); res.StatusCode != 404 {
			t.Errorf("move a task she does not see: %d", res.StatusCode)
		}
		// The feed: her tasks only.
		_, body, _ := fetchFeed(t, s, newFeed(t, s, ola))
		ev := feedEvents(t, body)
		if keys := slices.Sorted(mapKeys(ev)); !slices.Equal(keys, slices.Sorted(slices.Values([]string{"task-" + itoa(both.ID), "task-" + itoa(hers.ID)}))) {
			t.Errorf("own-only feed: %v", keys)
		}
		_, body, _ = fetchFeed(t, s, newFeed(t, s, f.tok))
		if strings.Contains(body, "Tajne") {
			t.Errorf("account B's task in A's feed")
		}
		if ev := feedEvents(t, body); ev["task-"+itoa(hers.ID)] == nil || ev["task-"+itoa(f.weekly.ID)] == nil {
			t.Errorf("Jan's feed lacks tasks: %v", slices.Collect(mapKeys(ev)))
		}
		// Account B's task's .ics is not found for A, and A's for B.
		if res, _ := s.JSON("GET", "/api/v1/tasks/"+itoa(f.weekly.ID)+"/ics", tokB, nil); res.StatusCode != 404 {
			t.Errorf("B gets A's task .ics: %d", res.StatusCode)
		}
		if res, _ := s.JSON("GET", "/api/v1/tasks/"+itoa(f.weekly.ID)+"/ics", ola, nil); res.StatusCode != 404 {
			t.Errorf("Ola gets a task not hers as .ics: %d", res.StatusCode)
		}
	}, calendarClock)
}

// feedEvents parses an iCalendar document with golang-ical and keys its
// events by UID (without the domain), a changed occurrence by
// "UID/RECURRENCE-ID".
func feedEvents(t *testing.T, body string) map[string]*goical.VEvent {
	t.Helper()
	cal, err := goical.ParseCalendar(strings.NewReader(body))
	if err != nil {
		t.Fatalf("parse iCalendar: %v\n%s", err, body)
	}
	out := map[string]*goical.VEvent{}
	for _, e := range cal.Events() {
		key := strings.Split(e.GetProperty(goical.ComponentPropertyUniqueId).Value, "@")[0]
		if rid := e.GetProperty(goical.ComponentPropertyRecurrenceId); rid != nil {
			key += "/" + rid.Value
		}
		if _, dup := out[key]; dup {
			t.Errorf("event %s twice", key)
		}
		out[key] = e
	}
	return out
}

func param(p *goical.IANAProperty, name string) string {
	if p == nil || len(p.ICalParameters[name]) == 0 {
		return ""
	}
	return p.ICalParameters[name][0]
}

// TestCalendarTaskFeed: the feed and a task's .ics, parsed and checked item
// by item: a repeating task as one VEVENT with its RRULE (DTSTART with
// TZID), its cancelled occurrence as EXDATE, its moved one as a
// RECURRENCE-ID override; an all-day task with VALUE=DATE; important dates
// yearly (29 February as the last day of February) or once.
func TestCalendarTaskFeed(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		f := newTaskCalendarFixture(t, s, "jan@example.pl")
		w, a := itoa(f.weekly.ID), itoa(f.allDay.ID)
		b := s.Browser()
		b.Post("/login", url.Values{"email": {"jan@example.pl"}, "password": {pw}})
		if res, body := b.Post("/tasks/"+w+"/cancel", url.Values{"occurrence": {"2026-11-02T10:00:00+01:00"}}); res.StatusCode >= 400 {
			t.Fatalf("cancel one: %d %s", res.StatusCode, body)
		}
		if res, body := b.Post("/calendar/move", url.Values{"kind": {"task"}, "id": {w}, "occurrence": {"2027-03-29T10:00:00+02:00"},
			"start": {"2027-03-30T12:00:00"}, "end": {"2027-03-30T13:30:00"}}); res.StatusCode != 200 {
			t.Fatalf("move one: %d %s", res.StatusCode, body)
		}
		warsaw, _ := time.LoadLocation("Europe/Warsaw")
		check := func(name string, ev map[string]*goical.VEvent) {
			t.Helper()
			e := ev["task-"+w]
			if e == nil {
				t.Fatalf("%s: no series in %v", name, slices.Collect(mapKeys(ev)))
			}
			dt := e.GetProperty(goical.ComponentPropertyDtStart)
			if param(dt, "TZID") != "Europe/Warsaw" || dt.Value != "20261019T100000" ||
				prop(e, goical.ComponentPropertyDtEnd) != "20261019T110000" || prop(e, goical.ComponentPropertyRrule) != "FREQ=WEEKLY;COUNT=40;BYDAY=MO" ||
				prop(e, goical.ComponentPropertySummary) != "Przegląd tygodnia" {
				t.Errorf("%s: series DTSTART %v %q RRULE %q", name, dt.ICalParameters, dt.Value, prop(e, goical.ComponentPropertyRrule))
			}
			ex := e.GetProperties(goical.ComponentPropertyExdate)
			if len(ex) != 1 || ex[0].Value != "20261102T100000" || param(ex[0], "TZID") != "Europe/Warsaw" {
				t.Errorf("%s: EXDATE %+v", name, ex)
			}
			o := ev["task-"+w+"/20270329T100000"]
			if o == nil {
				t.Fatalf("%s: no override in %v", name, slices.Collect(mapKeys(ev)))
			}
			rid := o.GetProperty(goical.ComponentPropertyRecurrenceId)
			start, err := o.GetStartAt()
			end, err2 := o.GetEndAt()
			if param(rid, "TZID") != "Europe/Warsaw" || err != nil || err2 != nil || !start.Equal(time.Date(2027, 3, 30, 12, 0, 0, 0, warsaw)) ||
				!end.Equal(time.Date(2027, 3, 30, 13, 30, 0, 0, warsaw)) || prop(o, goical.ComponentPropertyRrule) != "" {
				t.Errorf("%s: override RECURRENCE-ID %v, %v–%v (%v %v)", name, rid.ICalParameters, start, end, err, err2)
			}
			// The rule, read back as a calendar program would, keeps 10:00
			// local time across both DST changes and skips the EXDATE.
			opt, err := rrule.StrToROptionInLocation(prop(e, goical.ComponentPropertyRrule), warsaw)
			if err != nil {
				t.Fatal(err)
			}
			opt.Dtstart = time.Date(2026, 10, 19, 10, 0, 0, 0, warsaw)
			r, _ := rrule.NewRRule(*opt)
			set := rrule.Set{}
			set.RRule(r)
			set.ExDate(time.Date(2026, 11, 2, 10, 0, 0, 0, warsaw))
			var got []string
			for _, d := range set.Between(time.Date(2026, 10, 20, 0, 0, 0, 0, warsaw), time.Date(2026, 11, 10, 0, 0, 0, 0, warsaw), true) {
				got = append(got, d.In(warsaw).Format("2006-01-02 15:04"))
			}
			if want := []string{"2026-10-26 10:00", "2026-11-09 10:00"}; !slices.Equal(got, want) {
				t.Errorf("%s: the series falls on %v, want %v", name, got, want)
			}
		}

		// The feed.
		_, body, _ := fetchFeed(t, s, newFeed(t, s, f.tok))
		ev := feedEvents(t, body)
		check("feed", ev)
		e := ev["task-"+a]
		if e == nil {
			t.Fatalf("no all-day task in the feed: %v", slices.Collect(mapKeys(ev)))
		}
		if dt, de := e.GetProperty(goical.ComponentPropertyDtStart), e.GetProperty(goical.ComponentPropertyDtEnd); dt.Value != "20270130" ||
			param(dt, "VALUE") != "DATE" || de.Value != "20270202" || param(de, "VALUE") != "DATE" || prop(e, goical.ComponentPropertyRrule) != "" {
			t.Errorf("all-day task: DTSTART %v %q DTEND %v %q", dt.ICalParameters, dt.Value, de.ICalParameters, de.Value)
		}
		// An all-day repeating task: dates throughout, UNTIL a date too (RFC 5545
		// wants it of DTSTART's type), its cancelled day as a DATE EXDATE.
		wd := createTask(t, s, f.tok, map[string]any{"title": "Dyżur", "all_day": true, "start": "2027-01-04T00:00:00+01:00",
			"end": "2027-01-05T00:00:00+01:00", "recurrence": "FREQ=WEEKLY;UNTIL=20270131T225959Z", "employee_ids": []int64{f.emp}})
		if res, body := b.Post("/tasks/"+itoa(wd.ID)+"/cancel", url.Values{"occurrence": {"2027-01-11T00:00:00+01:00"}}); res.StatusCode >= 400 {
			t.Fatalf("cancel one day: %d %s", res.StatusCode, body)
		}
		_, body, _ = fetchFeed(t, s, newFeed(t, s, f.tok))
		ev = feedEvents(t, body)
		if e := ev["task-"+itoa(wd.ID)]; e == nil {
			t.Errorf("no all-day series in %v", slices.Collect(mapKeys(ev)))
		} else {
			dt, ex := e.GetProperty(goical.ComponentPropertyDtStart), e.GetProperties(goical.ComponentPropertyExdate)
			if dt.Value != "20270104" || param(dt, "VALUE") != "DATE" || prop(e, goical.ComponentPropertyRrule) != "FREQ=WEEKLY;UNTIL=20270131" ||
				len(ex) != 1 || ex[0].Value != "20270111" || param(ex[0], "VALUE") != "DATE" || prop(e, goical.ComponentPropertyDtEnd) != "20270105" {
				t.Errorf("all-day series: DTSTART %v %q RRULE %q EXDATE %+v", dt.ICalParameters, dt.Value, prop(e, goical.ComponentPropertyRrule), ex)
			}
		}

		dates := map[string][]string{} // summary → DTSTART, RRULE
		for key, e := range ev {
			if strings.HasPrefix(key, "date-") {
				dt := e.GetProperty(goical.ComponentPropertyDtStart)
				if param(dt, "VALUE") != "DATE" {
					t.Errorf("%s: DTSTART %v", key, dt.ICalParameters)
				}
				dates[prop(e, goical.ComponentPropertySummary)] = []string{dt.Value, prop(e, goical.ComponentPropertyRrule)}
			}
		}
		if want := map[string][]string{
			"Rocznica współpracy: Urodzinowa Marta": {"20150131", "FREQ=YEARLY"},
			"Koniec umowy: Urodzinowa Marta":        {"20270201", ""},
			"Założenie firmy: Urodzinowa Marta":     {"20160229", "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=-1"},
		}; len(dates) != len(want) || !func() bool {
			for k, v := range want {
				if !slices.Equal(dates[k], v) {
					return false
				}
			}
			return true
		}() {
			t.Errorf("important dates in the feed: %v", dates)
		}

		// A task's .ics, on the web and through the API: the same series.
		for name, get := range map[string]func(string) (int, string, string){
			"web": func(id string) (int, string, string) {
				res, body := b.Get("/tasks/" + id + "/ics")
				return res.StatusCode, res.Header.Get("Content-Disposition"), body
			},
			"api": func(id string) (int, string, string) {
				res, body := s.JSON("GET", "/api/v1/tasks/"+id+"/ics", f.tok, nil)
				return res.StatusCode, res.Header.Get("Content-Disposition"), body
			},
		} {
			st, cd, body := get(w)
			if st != 200 || !strings.Contains(cd, "zadanie-"+w+".ics") {
				t.Fatalf("%s .ics: %d %q", name, st, cd)
			}
			ev := feedEvents(t, body)
			if len(ev) != 2 {
				t.Errorf("%s .ics: %v, want the series and its override", name, slices.Collect(mapKeys(ev)))
			}
			check(name+" .ics", ev)
			st, _, body = get(a)
			if ev := feedEvents(t, body); st != 200 || len(ev) != 1 || prop(ev["task-"+a], goical.ComponentPropertyDtStart) != "20270130" {
				t.Errorf("%s .ics of the all-day task: %d %s", name, st, body)
			}
		}
		_, page := b.Get("/tasks/" + w)
		mustContain(t, page, `href="/tasks/`+w+`/ics"`)
	}, calendarClock)
}
