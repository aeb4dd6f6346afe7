package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"klientela/internal/app/apptest"
	"klientela/internal/crm"
	"klientela/internal/store"
)

// apiList is the envelope of a list answer; Total is nil when absent.
type apiList struct {
	Items []struct {
		ID     int64
		Status string
	}
	Total      *int
	NextCursor string `json:"next_cursor"`
}

func getList(t *testing.T, s *apptest.Server, tok, path string) apiList {
	t.Helper()
	res, body := s.JSON("GET", path, tok, nil)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %s", path, res.StatusCode, body)
	}
	var l apiList
	if err := json.Unmarshal([]byte(body), &l); err != nil {
		t.Fatalf("GET %s: %v\n%s", path, err, body)
	}
	return l
}

// Long lists count only so far (service.ListCountMax, SearchCountMax for
// a search): the pager says "ponad 10 000" / "more than 200" in both
// languages, later pages still follow, and the API leaves total out while
// next_cursor goes on; below the cap the count is exact.
func TestCappedCounts(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		ctx := context.Background()
		b := s.SignUp("Firma A", "Jan Kowalski", "jan@example.pl", pw)
		tok := s.Token("jan@example.pl", pw)
		emp := contactEmployee(t, s, tok, "Ala", "Kot")
		owner, err := s.Store.UserByEmail(ctx, "jan@example.pl")
		if err != nil {
			t.Fatal(err)
		}
		ten := s.Store.Tenant(owner.User.AccountID)

		// 10 005 tasks, every second a "Przegląd" (5 003), one in three done.
		now := time.Now().UTC().Truncate(time.Second)
		var ks []crm.Task
		for i := range 10005 {
			st := now.Add(time.Duration(i) * time.Hour)
			en := st.Add(time.Hour)
			title := fmt.Sprintf("Telefon %d", i)
			if i%2 == 0 {
				title = fmt.Sprintf("Przegląd kotła %d", i)
			}
			k := crm.Task{Title: title, Start: st, End: en, Status: crm.TaskTodo, Priority: crm.PriorityLow, SpanStart: st,
				SpanEnd: &en, EmployeeIDs: []int64{emp}, CreatedAt: now, UpdatedAt: now}
			if i%3 == 0 {
				k.Status = crm.TaskDone
			}
			ks = append(ks, k)
		}
		if err := ten.BulkCreateTasks(ctx, ks); err != nil {
			t.Fatal(err)
		}
		// 1 003 documents: below the list's cap, above a search's.
		err = ten.InTx(ctx, func(ten *store.Tenant) error {
			for i := range 1003 {
				at := now.Add(time.Duration(i) * time.Minute)
				title := fmt.Sprintf("Umowa najmu %d", i)
				if _, err := ten.CreateDocument(ctx, crm.Document{Title: title, BodyHTML: "<p>Łódź</p>", CreatedAt: at,
					UpdatedAt: at}, title+" Łódź"); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}

		// 2 100 clients in Łódź: a common word for the search, whose count
		// stops at 200; the list's own count is kept, and exact.
		var recs []store.ClientRecord
		for i := range 2100 {
			recs = append(recs, store.ClientRecord{Client: crm.Client{Kind: crm.KindCompany, Name: fmt.Sprintf("Piekarnia %04d", i),
				City: "Łódź", Status: crm.ClientActive, Country: "PL", CreatedAt: now, UpdatedAt: now}})
		}
		if err := ten.InTx(ctx, func(ten *store.Tenant) error { _, err := ten.InsertClients(ctx, recs); return err }); err != nil {
			t.Fatal(err)
		}

		page := func(path string, want ...string) {
			t.Helper()
			res, body := b.Get(path)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("GET %s: %d", path, res.StatusCode)
			}
			for _, w := range want {
				if !strings.Contains(body, w) {
					i := strings.Index(body, `class="pager`)
					t.Fatalf("GET %s: no %q in the pager: %.300s", path, w, body[max(0, i):])
				}
			}
		}
		const nbsp = "\u00a0"
		page("/tasks?view=all", "1–50 z ponad 10"+nbsp+"000")
		page("/tasks?view=all&q=przeglad", "1–50 z ponad 200")
		page("/tasks?view=all&q=przeglad&page=30", "1451–1500 z ponad 1500") // the count reaches past the page
		page("/tasks?view=all&status=open&employee_id="+itoa(emp), "1–50 z 6670")
		page("/documents?q=lodz", "1–50 z ponad 200")
		page("/documents", "1–50 z 1003")
		page("/clients?q=%C5%82%C3%B3d%C5%BA", "1–50 z ponad 200", "Piekarnia 0000")
		page("/clients?q=lodz&page=30", "1451–1500 z ponad 1500", "Piekarnia 1450")
		page("/clients", "1–50 z 2100")
		b.Post("/language", url.Values{"lang": {"en"}, "next": {"/tasks"}})
		page("/tasks?view=all", "1–50 of more than 10,000")
		page("/tasks?view=all&q=przeglad", "1–50 of more than 200")
		page("/documents?q=umowa", "1–50 of more than 200")
		page("/documents", "1–50 of 1,003")
		page("/clients?q=lodz", "1–50 of more than 200")
		page("/clients?q=lodz&sort=-name", "1–50 of more than 200", "Piekarnia 2099")
		page("/clients", "1–50 of 2,100")

		telefon999 := 0 // odd numbers with "999" in them: 999, 1999, …, 9991, …
		for i := 1; i < 10005; i += 2 {
			if strings.Contains(strconv.Itoa(i), "999") {
				telefon999++
			}
		}
		for path, want := range map[string]int{
			"/api/v1/tasks?limit=50":                            -1,
			"/api/v1/tasks?limit=50&q=przeglad":                 -1,
			"/api/v1/tasks?limit=50&q=telefon+999":              telefon999,
			"/api/v1/documents?limit=50&q=umowa":                -1,
			"/api/v1/documents?limit=50":                        1003,
			"/api/v1/clients?limit=50&q=lodz":                   -1,
			"/api/v1/clients?limit=50&q=piekarnia+0999":         1,
			"/api/v1/clients?limit=50":                          2100,
			"/api/v1/tasks?limit=50&status=open&employee_id=%d": 6670,
		} {
			if strings.Contains(path, "%d") {
				path = fmt.Sprintf(path, emp)
			}
			l := getList(t, s, tok, path)
			switch {
			case want < 0 && (l.Total != nil || l.NextCursor == "" || len(l.Items) != 50):
				t.Errorf("%s: total %v, next %q, %d items; want no total and a next page", path, l.Total, l.NextCursor, len(l.Items))
			case want >= 0 && l.Total == nil:
				t.Errorf("%s: no total, want %d", path, want)
			case want >= 0 && *l.Total != want:
				t.Errorf("%s: total %d, want %d", path, *l.Total, want)
			}
		}
	})
}

// The employee's list (read from the copies of status and start in
// task_employees) follows every way a task changes through the service:
// done in one click, moved, handed to another employee, an occurrence of a
// series done or moved (the series stays open), the whole series done.
func TestEmployeeTaskListFollowsChanges(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		b := s.SignUp("Firma A", "Jan Kowalski", "jan@example.pl", pw)
		tok := s.Token("jan@example.pl", pw)
		ala, ola := contactEmployee(t, s, tok, "Ala", "Kot"), contactEmployee(t, s, tok, "Ola", "Lis")
		mk := func(title, start, end string, extra map[string]any) int64 {
			in := map[string]any{"title": title, "start": start, "end": end, "employee_ids": []int64{ala}}
			for k, v := range extra {
				in[k] = v
			}
			return createTask(t, s, tok, in).ID
		}
		a := mk("Pierwsze", "2030-03-04T09:00:00+01:00", "2030-03-04T10:00:00+01:00", nil)
		c := mk("Drugie", "2030-03-05T09:00:00+01:00", "2030-03-05T10:00:00+01:00", nil)
		d := mk("Trzecie", "2030-03-06T09:00:00+01:00", "2030-03-06T10:00:00+01:00", nil)
		series := mk("Odprawa", "2030-03-02T08:00:00+01:00", "2030-03-02T08:30:00+01:00", map[string]any{"recurrence": "FREQ=DAILY;COUNT=5"})
		list := func(emp int64, status string) []int64 {
			t.Helper()
			l := getList(t, s, tok, fmt.Sprintf("/api/v1/tasks?employee_id=%d&status=%s", emp, status))
			var ids []int64
			for _, k := range l.Items {
				ids = append(ids, k.ID)
			}
			if l.Total == nil || *l.Total != len(ids) {
				t.Fatalf("employee %d, %s: total %v for %d items", emp, status, l.Total, len(ids))
			}
			return ids
		}
		check := func(step string, emp int64, status string, want ...int64) {
			t.Helper()
			if got := list(emp, status); !slices.Equal(got, want) {
				t.Fatalf("%s: employee %d, status %q = %v, want %v", step, emp, status, got, want)
			}
		}
		check("created", ala, "open", series, a, c, d)

		// Done in one click (web form), and through the API.
		if res, _ := b.Post(fmt.Sprintf("/tasks/%d/complete", a), url.Values{"next": {"/tasks"}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("complete: %d", res.StatusCode)
		}
		check("done in one click", ala, "open", series, c, d)
		check("done in one click", ala, "done", a)
		// Moved before the others: first in start order.
		if res, body := s.JSON("PATCH", fmt.Sprintf("/api/v1/tasks/%d", d), tok, map[string]any{
			"start": "2030-03-01T09:00:00+01:00", "end": "2030-03-01T10:00:00+01:00"}); res.StatusCode != http.StatusOK {
			t.Fatalf("move: %d %s", res.StatusCode, body)
		}
		check("moved", ala, "open", d, series, c)
		check("moved", ala, "todo", d, series, c)
		// Handed to Ola and in progress.
		if res, body := s.JSON("PATCH", fmt.Sprintf("/api/v1/tasks/%d", c), tok, map[string]any{
			"employee_ids": []int64{ola}, "status": "in_progress"}); res.StatusCode != http.StatusOK {
			t.Fatalf("hand over: %d %s", res.StatusCode, body)
		}
		check("handed over", ala, "open", d, series)
		check("handed over", ola, "in_progress", c)
		check("handed over", ola, "todo")
		// One occurrence of the series done, another moved: the series stays open.
		if res, body := s.JSON("POST", fmt.Sprintf("/api/v1/tasks/%d/complete", series), tok, map[string]any{
			"occurrence": "2030-03-03T08:00:00+01:00"}); res.StatusCode != http.StatusOK {
			t.Fatalf("complete an occurrence: %d %s", res.StatusCode, body)
		}
		if res, body := b.Post(fmt.Sprintf("/tasks/%d", series), url.Values{"title": {"Odprawa"}, "start_date": {"2030-03-02"},
			"start_time": {"06:00"}, "end_date": {"2030-03-02"}, "end_time": {"06:30"}, "status": {"todo"}, "priority": {"normal"},
			"employee_ids": {itoa(ala)}, "repeat_freq": {"daily"}, "repeat_count": {"5"},
			"occurrence": {"2030-03-02T08:00:00+01:00"}, "scope": {"one"}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("move an occurrence: %d %.300s", res.StatusCode, body)
		}
		check("occurrences changed", ala, "open", d, series)
		check("occurrences changed", ala, "done", a)
		// The whole series done.
		if res, body := s.JSON("PATCH", fmt.Sprintf("/api/v1/tasks/%d", series), tok, map[string]any{"status": "done"}); res.StatusCode != http.StatusOK {
			t.Fatalf("series done: %d %s", res.StatusCode, body)
		}
		check("series done", ala, "open", d)
		check("series done", ala, "done", series, a)
		check("series done", ala, "", d, series, a)
	})
}
