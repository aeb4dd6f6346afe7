package app_test

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"klientela/internal/app"
	"klientela/internal/app/apptest"
	"klientela/internal/config"
)

// The dashboard's "this week" keeps the employee's tasks of the week per
// instance by the account's data version (service.dashboardWeek): a task
// created, moved out of the week, brought back and deleted on one instance
// shows on the other's next dashboard at once, and the kept week of one
// employee never shows on another employee's dashboard. The week's
// birthdays likewise (service.dashboardDates), for each user's scope.
func TestDashboardWeekKept(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		now := func() time.Time { return calendarNow }
		s2 := apptest.Start(t, dbEngine(s), func(c *config.Config, o *app.Options) {
			c.DB = s.Config.DB
			o.Now = now
		})
		s.SignUp("Firma Tydzień", "Jan Kowalski", "tydzien@example.pl", pw)
		tok := s.Token("tydzien@example.pl", pw)
		e1 := contactEmployee(t, s, tok, "Ala", "Pierwsza")
		e2 := contactEmployee(t, s, tok, "Ola", "Druga")
		for _, u := range []struct {
			email string
			emp   int64
			own   []string
		}{{"ala@example.pl", e1, nil}, {"ola@example.pl", e2, []string{"clients"}}} {
			if res, body := s.JSON("POST", "/api/v1/users", tok, map[string]any{"email": u.email, "name": u.email,
				"password": pw, "employee_id": u.emp, "own_only": u.own,
				"permissions": map[string]string{"tasks": "edit", "clients": "view"}}); res.StatusCode != 201 {
				t.Fatalf("user %s: %d %s", u.email, res.StatusCode, body)
			}
		}
		login := func(email string) *apptest.Browser {
			b := s2.Browser()
			if res, body := b.Post("/login", url.Values{"email": {email}, "password": {pw}}); res.StatusCode >= 400 {
				t.Fatalf("login %s: %d %s", email, res.StatusCode, body)
			}
			return b
		}
		ala, ola := login("ala@example.pl"), login("ola@example.pl")
		dashboard := func(b *apptest.Browser) string {
			t.Helper()
			res, body := b.Get("/")
			if res.StatusCode != 200 {
				t.Fatalf("dashboard: %d", res.StatusCode)
			}
			return body
		}
		check := func(step string, want bool) {
			t.Helper()
			if got := strings.Contains(dashboard(ala), "Telefon do Huty"); got != want {
				t.Errorf("%s: Ala's dashboard shows the task: %v, want %v", step, got, want)
			}
			if strings.Contains(dashboard(ola), "Telefon do Huty") {
				t.Errorf("%s: Ola's dashboard shows Ala's task", step)
			}
		}
		check("before", false) // both weeks kept empty on s2
		today := calendarNow.Add(2 * time.Hour)
		k := createTask(t, s, tok, map[string]any{"title": "Telefon do Huty", "start": today.Format(time.RFC3339),
			"end": today.Add(30 * time.Minute).Format(time.RFC3339), "employee_ids": []int64{e1}})
		check("created on the other instance", true)
		path := "/api/v1/tasks/" + itoa(k.ID)
		later := today.AddDate(0, 0, 14)
		if res, body := s.JSON("PATCH", path, tok, map[string]any{"start": later.Format(time.RFC3339),
			"end": later.Add(30 * time.Minute).Format(time.RFC3339)}); res.StatusCode != 200 {
			t.Fatalf("move: %d %s", res.StatusCode, body)
		}
		check("moved out of the week", false)
		if res, body := s.JSON("PATCH", path, tok, map[string]any{"start": today.Format(time.RFC3339),
			"end": today.Add(30 * time.Minute).Format(time.RFC3339)}); res.StatusCode != 200 {
			t.Fatalf("move back: %d %s", res.StatusCode, body)
		}
		check("moved back", true)
		if res, body := s.JSON("DELETE", path, tok, nil); res.StatusCode != 204 {
			t.Fatalf("delete: %d %s", res.StatusCode, body)
		}
		check("deleted", false)

		// The birthdays of the week, kept the same way for each scope: Ola
		// sees only her own clients'.
		checkDates := func(step string, want bool) {
			t.Helper()
			if got := strings.Contains(dashboard(ala), "Urodzinowy"); got != want {
				t.Errorf("%s: Ala's dashboard shows the birthday: %v, want %v", step, got, want)
			}
			if strings.Contains(dashboard(ola), "Urodzinowy") {
				t.Errorf("%s: Ola's dashboard shows another employee's client's birthday", step)
			}
		}
		checkDates("before", false)
		c := createClient(t, s, tok, map[string]any{"kind": "person", "first_name": "Adam", "last_name": "Urodzinowy",
			"birthday": "1980-11-29", "employee_id": e1})
		checkDates("added on the other instance", true)
		if res, body := s.JSON("DELETE", "/api/v1/clients/"+itoa(c), tok, nil); res.StatusCode != 204 {
			t.Fatalf("delete client: %d %s", res.StatusCode, body)
		}
		checkDates("in the trash", false)
	})
}
