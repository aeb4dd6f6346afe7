package app_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"klientela/internal/app/apptest"
)

type taskOut struct {
	ID          int64
	Title       string
	Start, End  string
	AllDay      bool `json:"all_day"`
	Status      string
	EmployeeIDs []int64 `json:"employee_ids"`
	GroupIDs    []int64 `json:"group_ids"`
	ClientID    *int64  `json:"client_id"`
	Recurrence  string
	Next        *struct {
		Original string `json:"original_start"`
		Start    string
		Status   string
	} `json:"next_occurrence"`
}

func createTask(t *testing.T, s *apptest.Server, tok string, in map[string]any) taskOut {
	t.Helper()
	res, body := s.JSON("POST", "/api/v1/tasks", tok, in)
	if res.StatusCode != 201 {
		t.Fatalf("create task %v: %d %s", in, res.StatusCode, body)
	}
	var k taskOut
	_ = json.Unmarshal([]byte(body), &k)
	return k
}

func taskTotal(t *testing.T, s *apptest.Server, tok string) int {
	t.Helper()
	_, body := s.JSON("GET", "/api/v1/tasks?limit=1", tok, nil)
	var l struct{ Total int }
	_ = json.Unmarshal([]byte(body), &l)
	return l.Total
}

func TestTasksAPIAndBadInput(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		s.SignUp("Firma A", "Jan Kowalski", "jan@example.pl", pw)
		tok := s.Token("jan@example.pl", pw)
		emp := contactEmployee(t, s, tok, "Ala", "Kot")
		client := createClient(t, s, tok, map[string]any{"name": "Klient Zadaniowy"})
		res, body := s.JSON("POST", "/api/v1/task-groups", tok, map[string]any{"name": "Serwis", "color": "#ff8800"})
		if res.StatusCode != 201 {
			t.Fatalf("group: %d %s", res.StatusCode, body)
		}
		var g struct{ ID int64 }
		_ = json.Unmarshal([]byte(body), &g)

		k := createTask(t, s, tok, map[string]any{"title": "Przegląd kotła", "start": "2030-03-04T09:00:00+01:00",
			"end": "2030-03-04T10:30:00+01:00", "employee_ids": []int64{emp}, "group_ids": []int64{g.ID}, "client_id": client,
			"priority": "high", "remind_at": "2030-03-04T08:00:00+01:00"})
		if k.Status != "todo" || k.End != "2030-03-04T10:30:00+01:00" || len(k.GroupIDs) != 1 || k.ClientID == nil || *k.ClientID != client {
			t.Fatalf("created %+v", k)
		}
		// Filters of the list.
		for q, want := range map[string]bool{
			"q=kotla": true, "q=okno": false, "group_id=" + itoa(g.ID): true, "employee_id=" + itoa(emp): true,
			"client_id=" + itoa(client): true, "status=todo": true, "status=done": false,
			"from=2030-03-04T10:00:00%2B01:00&to=2030-03-05T00:00:00%2B01:00": true, "from=2030-03-05": false,
		} {
			_, body := s.JSON("GET", "/api/v1/tasks?"+q, tok, nil)
			if got := strings.Contains(body, "Przegląd kotła"); got != want {
				t.Errorf("list ?%s: found %v, want %v: %s", q, got, want, body)
			}
		}
		// PATCH keeps what is absent; complete marks done.
		res, body = s.JSON("PATCH", "/api/v1/tasks/"+itoa(k.ID), tok, map[string]any{"title": "Przegląd kotła gazowego"})
		if res.StatusCode != 200 || !strings.Contains(body, `"priority":"high"`) || !strings.Contains(body, "gazowego") {
			t.Fatalf("patch: %d %s", res.StatusCode, body)
		}
		res, body = s.JSON("POST", "/api/v1/tasks/"+itoa(k.ID)+"/complete", tok, map[string]any{})
		if res.StatusCode != 200 || !strings.Contains(body, `"status":"done"`) {
			t.Fatalf("complete: %d %s", res.StatusCode, body)
		}

		// Bad input: refused at the field, nothing written.
		s.SignUp("Firma B", "Ola Lis", "ola@example.pl", pw)
		tokB := s.Token("ola@example.pl", pw)
		empB := contactEmployee(t, s, tokB, "Ewa", "B")
		before := taskTotal(t, s, tok)
		base := func(extra map[string]any) map[string]any {
			m := map[string]any{"title": "Zła", "start": "2030-03-04T09:00:00+01:00", "end": "2030-03-04T10:00:00+01:00",
				"employee_ids": []int64{emp}}
			for k, v := range extra {
				m[k] = v
			}
			return m
		}
		for name, c := range map[string]struct {
			in    map[string]any
			field string
		}{
			"end before start": {base(map[string]any{"end": "2030-03-04T08:00:00+01:00"}), "end"},
			"count 10000":      {base(map[string]any{"recurrence": "FREQ=DAILY;COUNT=10000"}), "recurrence"},
			"too many":         {base(map[string]any{"recurrence": "FREQ=DAILY;UNTIL=20800101T000000Z"}), "recurrence"},
			"bad rule":         {base(map[string]any{"recurrence": "FREQ=SOMETIMES"}), "recurrence"},
			"endless rule":     {base(map[string]any{"recurrence": "FREQ=WEEKLY;BYDAY=MO"}), "recurrence"},
			"foreign group":    {base(map[string]any{"group_ids": []int64{g.ID}}), "group_ids"},
			"foreign employee": {base(map[string]any{"employee_ids": []int64{emp}}), "employee_ids"},
			"foreign client":   {base(map[string]any{"client_id": client}), "client_id"},
			"no title":         {base(map[string]any{"title": ""}), "title"},
			"bad start":        {base(map[string]any{"start": "jutro"}), "start"},
		} {
			tk := tok
			if strings.HasPrefix(name, "foreign") {
				tk = tokB
				if name != "foreign employee" {
					c.in["employee_ids"] = []int64{empB}
				}
			}
			res, body := s.JSON("POST", "/api/v1/tasks", tk, c.in)
			if res.StatusCode != 422 || !strings.Contains(body, `"`+c.field+`"`) {
				t.Errorf("%s: %d %s", name, res.StatusCode, body)
			}
		}
		if after := taskTotal(t, s, tok); after != before {
			t.Fatalf("tasks after refusals: %d, want %d", after, before)
		}
		if n := taskTotal(t, s, tokB); n != 0 {
			t.Fatalf("account B has %d tasks after refusals", n)
		}
		// PATCH with bad input changes nothing.
		res, _ = s.JSON("PATCH", "/api/v1/tasks/"+itoa(k.ID), tok, map[string]any{"title": "Nowy", "end": "2020-01-01T00:00:00Z"})
		_, body = s.JSON("GET", "/api/v1/tasks/"+itoa(k.ID), tok, nil)
		if res.StatusCode != 422 || strings.Contains(body, `"title":"Nowy"`) {
			t.Fatalf("bad patch: %d %s", res.StatusCode, body)
		}
		// Another account: 404 everywhere.
		for _, m := range []string{"GET", "PATCH", "DELETE"} {
			if res, _ := s.JSON(m, "/api/v1/tasks/"+itoa(k.ID), tokB, map[string]any{}); res.StatusCode != 404 {
				t.Errorf("B %s task = %d", m, res.StatusCode)
			}
			if res, _ := s.JSON(m, "/api/v1/task-groups/"+itoa(g.ID), tokB, map[string]any{}); res.StatusCode != 404 {
				t.Errorf("B %s group = %d", m, res.StatusCode)
			}
		}
		// An all-day task given as dates: the end is the midnight after the last day.
		a := createTask(t, s, tok, map[string]any{"title": "Inwentaryzacja", "all_day": true, "start": "2030-01-30",
			"end": "2030-02-02", "employee_ids": []int64{emp}})
		if a.Start != "2030-01-30T00:00:00+01:00" || a.End != "2030-02-03T00:00:00+01:00" || !a.AllDay {
			t.Fatalf("all-day: %+v", a)
		}
		_, body = s.JSON("GET", "/api/v1/tasks?from=2030-02-01&to=2030-03-01", tok, nil)
		mustContain(t, body, "Inwentaryzacja")
		// Group delete keeps the task.
		if res, _ := s.JSON("DELETE", "/api/v1/task-groups/"+itoa(g.ID), tok, nil); res.StatusCode != 204 {
			t.Fatalf("delete group: %d", res.StatusCode)
		}
		if res, _ := s.JSON("GET", "/api/v1/tasks/"+itoa(k.ID), tok, nil); res.StatusCode != 200 {
			t.Fatalf("task after its group was deleted: %d", res.StatusCode)
		}
		if res, _ := s.JSON("DELETE", "/api/v1/tasks/"+itoa(k.ID), tok, nil); res.StatusCode != 204 {
			t.Fatalf("delete task: %d", res.StatusCode)
		}
	})
}

func TestTasksRecurringWeb(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		b := s.SignUp("Firma", "Jan Kowalski", "jan@example.pl", pw)
		tok := s.Token("jan@example.pl", pw)
		emp := contactEmployee(t, s, tok, "Ala", "Kot")
		// The form builds the RRULE: weekly on Monday and Wednesday, 6 times.
		res, body := b.Post("/tasks", url.Values{"title": {"Odprawa"}, "start_date": {"2030-10-21"}, "start_time": {"09:00"},
			"end_date": {"2030-10-21"}, "end_time": {"09:30"}, "status": {"todo"}, "priority": {"normal"},
			"employee_ids": {itoa(emp)}, "repeat_freq": {"weekly"}, "repeat_interval": {"1"}, "repeat_weekdays": {"MO", "WE"},
			"repeat_count": {"6"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("web create: %d %s", res.StatusCode, body)
		}
		loc := res.Header.Get("Location")
		_, body = s.JSON("GET", "/api/v1"+loc, tok, nil)
		var k taskOut
		_ = json.Unmarshal([]byte(body), &k)
		if k.Recurrence != "FREQ=WEEKLY;COUNT=6;BYDAY=MO,WE" {
			t.Fatalf("rule %q: %s", k.Recurrence, body)
		}
		// The third occurrence (Mon 28 Oct, after the change to winter time) at 09:00 local.
		occ := "2030-10-28T09:00:00+01:00"
		_, page := b.Get(loc)
		mustContain(t, page, "Co tydzień: pn, śr; 6 razy", "Najbliższe wystąpienia")
		// This occurrence only: moved to 11:00 and in progress; the series stays.
		res, body = b.Post(loc, url.Values{"title": {"Odprawa"}, "start_date": {"2030-10-28"}, "start_time": {"11:00"},
			"end_date": {"2030-10-28"}, "end_time": {"11:30"}, "status": {"in_progress"}, "priority": {"normal"},
			"employee_ids": {itoa(emp)}, "repeat_freq": {"weekly"}, "repeat_weekdays": {"MO", "WE"}, "repeat_count": {"6"},
			"occurrence": {occ}, "scope": {"one"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("edit one: %d %s", res.StatusCode, body)
		}
		_, page = b.Get(loc + "?edit=1&occurrence=" + url.QueryEscape(occ))
		mustContain(t, page, `value="11:00"`, "Tylko to wystąpienie")
		// Mark another occurrence done with the one-click form.
		res, _ = b.Post(loc+"/complete", url.Values{"occurrence": {"2030-10-23T09:00:00+02:00"}, "next": {"/tasks"}})
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/tasks" {
			t.Fatalf("complete one: %d %s", res.StatusCode, res.Header.Get("Location"))
		}
		// Cancel one occurrence.
		res, _ = b.Post(loc+"/cancel", url.Values{"occurrence": {"2030-10-30T09:00:00+01:00"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("cancel one: %d", res.StatusCode)
		}
		_, page = b.Get(loc)
		mustContain(t, page, "Wystąpienie", "2030-10-28 09:00: 2030-10-28 09:00 – 2030-10-28 09:30 · todo")
		// A rule with more than 1000 repetitions is refused on the form.
		res, body = b.Post("/tasks", url.Values{"title": {"Za dużo"}, "start_date": {"2030-10-21"}, "start_time": {"09:00"},
			"end_date": {"2030-10-21"}, "end_time": {"08:00"}, "employee_ids": {itoa(emp)}, "repeat_freq": {"daily"}, "repeat_count": {"10000"}})
		if res.StatusCode != 422 || !strings.Contains(body, "najwyżej 1000") {
			t.Fatalf("count 10000 on the form: %d", res.StatusCode)
		}
	})
}

func TestTasksListOwnOnlyAndCards(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		owner := s.SignUp("Firma", "Jan Kowalski", "jan@example.pl", pw)
		tok := s.Token("jan@example.pl", pw)
		mine := contactEmployee(t, s, tok, "Ola", "Lis")
		other := contactEmployee(t, s, tok, "Piotr", "Zając")
		client := createClient(t, s, tok, map[string]any{"name": "Klient Kartowy"})
		warsaw, _ := time.LoadLocation("Europe/Warsaw")
		now := time.Now().In(warsaw)
		day := func(d int, h int) string {
			t := now.AddDate(0, 0, d)
			return time.Date(t.Year(), t.Month(), t.Day(), h, 0, 0, 0, warsaw).Format(time.RFC3339)
		}
		createTask(t, s, tok, map[string]any{"title": "Dzisiejsze", "start": day(0, 23), "end": day(0, 23), "employee_ids": []int64{mine}, "client_id": client})
		late := createTask(t, s, tok, map[string]any{"title": "Zaległe-stare", "start": day(-3, 9), "end": day(-3, 10), "employee_ids": []int64{mine}})
		createTask(t, s, tok, map[string]any{"title": "Cudze", "start": day(0, 12), "end": day(0, 13), "employee_ids": []int64{other}})
		createTask(t, s, tok, map[string]any{"title": "Codzienne", "start": day(-10, 7), "end": day(-10, 8), "employee_ids": []int64{mine},
			"recurrence": "FREQ=DAILY;COUNT=30"})
		contactUser(t, s, tok, "ola@example.pl", mine, map[string]string{"tasks": "edit", "clients": "view"}, []string{"tasks"})
		tokOwn := s.Token("ola@example.pl", pw)
		_, body := s.JSON("GET", "/api/v1/tasks", tokOwn, nil)
		mustContain(t, body, "Dzisiejsze", "Zaległe-stare", "Codzienne")
		mustNotContain(t, body, "Cudze")
		// An own-only user's task always includes them.
		k := createTask(t, s, tokOwn, map[string]any{"title": "Moje", "start": day(1, 9), "end": day(1, 10), "employee_ids": []int64{other}})
		if len(k.EmployeeIDs) != 2 {
			t.Fatalf("own-only task employees %v", k.EmployeeIDs)
		}
		// The list page: overdue highlighted, recurring shown with its next occurrence, mark done.
		b := s.Browser()
		b.Post("/login", url.Values{"email": {"ola@example.pl"}, "password": {pw}})
		res, page := b.Get("/tasks")
		if res.StatusCode != 200 {
			t.Fatalf("list = %d", res.StatusCode)
		}
		mustContain(t, page, "Zaległe-stare", "contact-overdue", "Codzienne", "↻", `action="/tasks/`+itoa(late.ID)+`/complete"`, `href="/tasks"`)
		mustNotContain(t, page, "Cudze")
		res, _ = b.Post("/tasks/"+itoa(late.ID)+"/complete", url.Values{"next": {"/tasks?view=mine"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("mark done: %d", res.StatusCode)
		}
		_, page = b.Get("/tasks?overdue=1")
		mustNotContain(t, page, "Zaległe-stare")
		// Dashboard: today's task and the daily one, a week at a glance.
		_, page = b.Get("/")
		mustContain(t, page, "Moje zadania na dziś", "Dzisiejsze", "Codzienne", "Ten tydzień", "week-glance")
		// Client card lists its tasks; employee card the employee's open ones.
		_, page = owner.Get("/clients/" + itoa(client))
		mustContain(t, page, "Zadania", "Dzisiejsze", "/tasks/new?client_id="+itoa(client))
		_, page = owner.Get("/employees/" + itoa(mine))
		mustContain(t, page, "Przydzielone", "Dzisiejsze", "Codzienne")
		mustNotContain(t, page, "Cudze")
		// Groups page.
		res, _ = owner.Post("/task-groups", url.Values{"name": {"Biuro"}, "color": {"#00aa00"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("create group: %d", res.StatusCode)
		}
		_, page = owner.Get("/task-groups")
		mustContain(t, page, "Biuro", "#00aa00")
		// An employee with tasks is not deleted.
		if res, body := s.JSON("DELETE", "/api/v1/employees/"+itoa(other), tok, nil); res.StatusCode != 409 || !strings.Contains(body, "zadania") {
			t.Fatalf("delete employee with tasks: %d %s", res.StatusCode, body)
		}
	})
}
