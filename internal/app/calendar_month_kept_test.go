package app_test

import (
	"encoding/json"
	"net/url"
	"reflect"
	"slices"
	"testing"
	"time"

	"klientela/internal/app"
	"klientela/internal/app/apptest"
	"klientela/internal/config"
)

// monthEvent is an item of the month view as these tests compare it.
type monthEvent struct {
	ID         string
	Kind       string
	RecordID   int64 `json:"record_id"`
	Title      string
	Start      string
	End        string
	Color      string
	GroupColor string `json:"groupColor"`
	Editable   bool
}

// TestCalendarMonthKept: the month view (per_day) keeps the account's
// series of a range, and the per-day reads, per instance by the account's
// data version. After every kind of write it shows — a single task
// created, moved and deleted, a series created, an occurrence moved and one
// cancelled, a series' employees, a group's colour, a series deleted, a
// contact planned, moved and deleted, a client's birthday and date —
// the next month read shows it, on this instance and on a second one on
// the same database, and equals the whole list capped by hand. A user who
// sees only their own tasks and contacts, one who may not edit, and
// another account each see only what they may, whoever's month was kept
// first.
func TestCalendarMonthKept(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		s2 := apptest.Start(t, dbEngine(s), func(c *config.Config, o *app.Options) {
			c.DB = s.Config.DB
			o.Now = func() time.Time { return calendarNow }
		})
		s.SignUp("Firma Miesiąc", "Jan Kowalski", "miesiac@example.pl", pw)
		tok := s.Token("miesiac@example.pl", pw)
		e1 := contactEmployee(t, s, tok, "Ala", "Pierwsza")
		e2 := contactEmployee(t, s, tok, "Ola", "Druga")
		e3 := contactEmployee(t, s, tok, "Ela", "Trzecia")
		client := createClient(t, s, tok, map[string]any{"kind": "person", "first_name": "Adam", "last_name": "Klient",
			"birthday": "1980-12-09", "employee_id": e2})
		createContact(t, s, tok, map[string]any{"client_id": client, "employee_id": e2, "at": "2026-12-09T10:00:00+01:00",
			"subject": "Kontakt Oli"})
		for _, u := range []struct {
			email string
			emp   int64
			own   []string
			perms map[string]string
		}{
			{"wlasne@example.pl", e1, []string{"tasks", "contacts", "clients"},
				map[string]string{"calendar": "view", "contacts": "edit", "clients": "view", "tasks": "edit"}},
			{"podglad@example.pl", e3, nil, map[string]string{"calendar": "view", "contacts": "view", "clients": "view", "tasks": "view"}},
		} {
			if res, body := s.JSON("POST", "/api/v1/users", tok, map[string]any{"email": u.email, "name": u.email,
				"password": pw, "employee_id": u.emp, "own_only": u.own, "permissions": u.perms}); res.StatusCode != 201 {
				t.Fatalf("user %s: %d %s", u.email, res.StatusCode, body)
			}
		}
		login := func(s *apptest.Server, email string) *apptest.Browser {
			b := s.Browser()
			if res, body := b.Post("/login", url.Values{"email": {email}, "password": {pw}}); res.StatusCode >= 400 {
				t.Fatalf("login %s: %d %s", email, res.StatusCode, body)
			}
			return b
		}
		owner, owner2 := login(s, "miesiac@example.pl"), login(s2, "miesiac@example.pl")
		own, own2 := login(s, "wlasne@example.pl"), login(s2, "wlasne@example.pl")
		view := login(s, "podglad@example.pl")
		s.SignUp("Firma Obca", "Olga Obca", "obca@example.pl", pw)
		tokB := s.Token("obca@example.pl", pw)
		empB := contactEmployee(t, s, tokB, "Bea", "Obca")
		other := login(s2, "obca@example.pl")

		const month = "from=2026-11-29T23:00:00Z&to=2027-01-10T23:00:00Z"
		events := func(b *apptest.Browser, query string) []monthEvent {
			t.Helper()
			return calendarEvents[monthEvent](t, b, query)
		}
		// monthOf is b's month with 2 a day, checked against b's whole list
		// (never kept) capped by hand.
		monthOf := func(name string, b *apptest.Browser) []monthEvent {
			t.Helper()
			got := events(b, month+"&per_day=2")
			var want []monthEvent
			n, more := map[string]int{}, map[string]int{}
			for _, e := range events(b, month) {
				if day := e.Start[:10]; n[day] < 2 {
					n[day]++
					want = append(want, e)
				} else {
					more[day]++
				}
			}
			var items []monthEvent
			gotMore := map[string]int{}
			for _, e := range got {
				if e.Kind == "more" {
					gotMore[e.Start] = int(e.RecordID)
				} else {
					items = append(items, e)
				}
			}
			if !reflect.DeepEqual(items, want) || !reflect.DeepEqual(gotMore, more) {
				t.Errorf("%s: the month is not the whole list capped:\n got %+v %v\nwant %+v %v", name, items, gotMore, want, more)
			}
			return items
		}
		find := func(es []monthEvent, pred func(monthEvent) bool) *monthEvent {
			for i := range es {
				if pred(es[i]) {
					return &es[i]
				}
			}
			return nil
		}
		titled := func(title string) func(monthEvent) bool {
			return func(e monthEvent) bool { return e.Kind == "task" && e.Title == title }
		}
		olaOnly := map[int64]bool{}     // tasks of Ola's alone
		alaContacts := map[int64]bool{} // contacts of Ala's
		// check reads the month of everyone after a write, on both
		// instances, and hands the owner's (first instance) to see.
		check := func(name string, see func(firm []monthEvent)) {
			t.Helper()
			firm := monthOf(name+", owner", owner)
			if again := monthOf(name+", owner, instance 2", owner2); !reflect.DeepEqual(again, firm) {
				t.Errorf("%s: instance 2 differs:\n%+v\n%+v", name, again, firm)
			}
			see(firm)
			for _, b := range []*apptest.Browser{own, own2} {
				for _, e := range monthOf(name+", own only", b) {
					if e.Kind == "task" && olaOnly[e.RecordID] || e.Kind == "contact" && !alaContacts[e.RecordID] || e.Kind == "birthday" ||
						e.Kind == "date" {
						t.Errorf("%s: a user who sees only Ala's sees %+v", name, e)
					}
				}
			}
			for _, e := range monthOf(name+", view only", view) {
				if e.Editable {
					t.Errorf("%s: a user who may not edit may move %+v", name, e)
				}
			}
			for _, e := range monthOf(name+", other account", other) {
				if e.Title != "Seria obca" {
					t.Errorf("%s: another account sees %+v", name, e)
				}
			}
		}

		check("at first", func(firm []monthEvent) {
			if find(firm, func(e monthEvent) bool { return e.Kind == "contact" }) == nil {
				t.Errorf("at first: no contact in %+v", firm)
			}
		})
		single := createTask(t, s, tok, map[string]any{"title": "Pojedyncze Oli", "start": "2026-12-10T09:00:00+01:00",
			"end": "2026-12-10T10:00:00+01:00", "employee_ids": []int64{e2}})
		olaOnly[single.ID] = true
		check("single task created", func(firm []monthEvent) {
			if e := find(firm, titled("Pojedyncze Oli")); e == nil || e.Start != "2026-12-10T09:00:00" || !e.Editable {
				t.Errorf("single task created: %+v", e)
			}
		})
		if res, body := s2.JSON("PATCH", "/api/v1/tasks/"+itoa(single.ID), tok, map[string]any{"start": "2026-12-11T12:00:00+01:00",
			"end": "2026-12-11T13:00:00+01:00"}); res.StatusCode != 200 {
			t.Fatalf("move the task on instance 2: %d %s", res.StatusCode, body)
		}
		check("single task moved on instance 2", func(firm []monthEvent) {
			if e := find(firm, titled("Pojedyncze Oli")); e == nil || e.Start != "2026-12-11T12:00:00" {
				t.Errorf("single task moved: %+v", e)
			}
		})

		// A weekly series of Ola's, begun long before the range.
		series := createTask(t, s, tok, map[string]any{"title": "Seria Oli", "start": "2026-01-05T08:00:00+01:00",
			"end": "2026-01-05T08:30:00+01:00", "recurrence": "FREQ=WEEKLY;UNTIL=20271231T000000Z", "employee_ids": []int64{e2}})
		olaOnly[series.ID] = true
		occurrences := func(firm []monthEvent) []string {
			var out []string
			for _, e := range firm {
				if e.Kind == "task" && e.RecordID == series.ID {
					out = append(out, e.Start)
				}
			}
			return out
		}
		check("series created", func(firm []monthEvent) {
			if got := occurrences(firm); len(got) != 6 || got[0] != "2026-11-30T08:00:00" {
				t.Errorf("series created: occurrences %v", got)
			}
		})
		if res, body := owner2.Post("/calendar/move", url.Values{"kind": {"task"}, "id": {itoa(series.ID)},
			"occurrence": {"2026-12-14T08:00:00+01:00"}, "start": {"2026-12-15T14:00:00"}, "end": {"2026-12-15T14:30:00"}}); res.StatusCode != 200 {
			t.Fatalf("move an occurrence on instance 2: %d %s", res.StatusCode, body)
		}
		check("occurrence moved", func(firm []monthEvent) {
			got := occurrences(firm)
			if !slices.Contains(got, "2026-12-15T14:00:00") || slices.Contains(got, "2026-12-14T08:00:00") {
				t.Errorf("occurrence moved: %v", got)
			}
		})
		if res, body := owner.Post("/tasks/"+itoa(series.ID)+"/cancel", url.Values{"occurrence": {"2026-12-21T08:00:00+01:00"}}); res.StatusCode >= 400 {
			t.Fatalf("cancel an occurrence: %d %s", res.StatusCode, body)
		}
		check("occurrence cancelled", func(firm []monthEvent) {
			if got := occurrences(firm); slices.Contains(got, "2026-12-21T08:00:00") || len(got) != 5 {
				t.Errorf("occurrence cancelled: %v", got)
			}
		})
		// Ala joins the series: the user who sees only Ala's sees it now.
		if res, body := s.JSON("PATCH", "/api/v1/tasks/"+itoa(series.ID), tok, map[string]any{"employee_ids": []int64{e1, e2}}); res.StatusCode != 200 {
			t.Fatalf("employees of the series: %d %s", res.StatusCode, body)
		}
		olaOnly[series.ID] = false
		check("series given to Ala too", func([]monthEvent) {
			for _, b := range []*apptest.Browser{own, own2} {
				if find(monthOf("series given to Ala, own only", b), titled("Seria Oli")) == nil {
					t.Errorf("series given to Ala: the user who sees Ala's does not see it")
				}
			}
		})
		// A group's colour colours its tasks.
		var g struct{ ID int64 }
		res, body := s.JSON("POST", "/api/v1/task-groups", tok, map[string]any{"name": "Serwis", "color": "#112233"})
		if res.StatusCode != 201 {
			t.Fatalf("group: %d %s", res.StatusCode, body)
		}
		_ = json.Unmarshal([]byte(body), &g)
		if res, body := s.JSON("PATCH", "/api/v1/tasks/"+itoa(series.ID), tok, map[string]any{"group_ids": []int64{g.ID}}); res.StatusCode != 200 {
			t.Fatalf("group of the series: %d %s", res.StatusCode, body)
		}
		check("series put in a group", func(firm []monthEvent) {
			if e := find(firm, titled("Seria Oli")); e == nil || e.GroupColor != "#112233" {
				t.Errorf("series put in a group: %+v", e)
			}
		})
		if res, body := s2.JSON("PATCH", "/api/v1/task-groups/"+itoa(g.ID), tok, map[string]any{"color": "#445566"}); res.StatusCode != 200 {
			t.Fatalf("group's colour: %d %s", res.StatusCode, body)
		}
		check("group's colour changed", func(firm []monthEvent) {
			if e := find(firm, titled("Seria Oli")); e == nil || e.GroupColor != "#445566" {
				t.Errorf("group's colour changed: %+v", e)
			}
		})

		// The other account's writes show in its month only.
		createTask(t, s, tokB, map[string]any{"title": "Seria obca", "start": "2026-01-05T08:00:00+01:00",
			"end": "2026-01-05T08:30:00+01:00", "recurrence": "FREQ=WEEKLY;UNTIL=20271231T000000Z", "employee_ids": []int64{empB}})
		if find(events(other, month+"&per_day=2"), titled("Seria obca")) == nil {
			t.Errorf("the other account does not see its series")
		}
		check("the other account's series", func(firm []monthEvent) {
			if find(firm, titled("Seria obca")) != nil {
				t.Errorf("another account's series in this one's month")
			}
		})

		if res, _ := s2.JSON("DELETE", "/api/v1/tasks/"+itoa(series.ID), tok, nil); res.StatusCode != 204 {
			t.Fatalf("delete the series: %d", res.StatusCode)
		}
		if res, _ := s.JSON("DELETE", "/api/v1/tasks/"+itoa(single.ID), tok, nil); res.StatusCode != 204 {
			t.Fatalf("delete the task: %d", res.StatusCode)
		}
		check("series and task deleted", func(firm []monthEvent) {
			if find(firm, titled("Seria Oli")) != nil || find(firm, titled("Pojedyncze Oli")) != nil {
				t.Errorf("deleted tasks still in the month: %+v", firm)
			}
		})

		// Contacts, birthdays and dates: the per-day reads kept.
		contact := createContact(t, s, tok, map[string]any{"client_id": client, "employee_id": e2, "at": "2026-12-16T10:00:00+01:00",
			"subject": "Nowy kontakt"}).ID
		alas := createContact(t, s, tok, map[string]any{"client_id": client, "employee_id": e1, "at": "2026-12-17T10:00:00+01:00",
			"subject": "Kontakt Ali"}).ID
		alaContacts[alas] = true
		contactAt := func(firm []monthEvent, id int64) string {
			if e := find(firm, func(e monthEvent) bool { return e.Kind == "contact" && e.RecordID == id }); e != nil {
				return e.Start
			}
			return ""
		}
		check("contacts planned", func(firm []monthEvent) {
			if contactAt(firm, contact) != "2026-12-16T10:00:00" || contactAt(firm, alas) != "2026-12-17T10:00:00" {
				t.Errorf("contacts planned: %+v", firm)
			}
			for _, b := range []*apptest.Browser{own, own2} {
				if contactAt(monthOf("contacts planned, own only", b), alas) == "" {
					t.Errorf("contacts planned: the user who sees Ala's does not see hers")
				}
			}
		})
		if res, body := s2.JSON("PATCH", "/api/v1/planned-contacts/"+itoa(contact), tok, map[string]any{"at": "2026-12-18T11:00:00+01:00"}); res.StatusCode != 200 {
			t.Fatalf("move the contact: %d %s", res.StatusCode, body)
		}
		check("contact moved", func(firm []monthEvent) {
			if contactAt(firm, contact) != "2026-12-18T11:00:00" {
				t.Errorf("contact moved: %q", contactAt(firm, contact))
			}
		})
		if res, body := s.JSON("PATCH", "/api/v1/clients/"+itoa(client), tok, map[string]any{"birthday": "1980-12-20",
			"important_dates": []map[string]any{{"name": "Rocznica współpracy", "date": "2020-12-22", "yearly": true}}}); res.StatusCode != 200 {
			t.Fatalf("client's birthday and date: %d %s", res.StatusCode, body)
		}
		check("birthday and date changed", func(firm []monthEvent) {
			b := find(firm, func(e monthEvent) bool { return e.Kind == "birthday" })
			d := find(firm, func(e monthEvent) bool { return e.Kind == "date" })
			if b == nil || b.Start != "2026-12-20" || d == nil || d.Start != "2026-12-22" {
				t.Errorf("birthday and date changed: %+v, %+v", b, d)
			}
		})
		if res, _ := s2.JSON("DELETE", "/api/v1/planned-contacts/"+itoa(contact), tok, nil); res.StatusCode != 204 {
			t.Fatalf("delete the contact: %d", res.StatusCode)
		}
		check("contact deleted", func(firm []monthEvent) {
			if contactAt(firm, contact) != "" {
				t.Errorf("a deleted contact is still in the month")
			}
		})
	}, calendarClock)
}
