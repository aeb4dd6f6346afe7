package app_test

import (
	"encoding/json"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"klientela/internal/app"
	"klientela/internal/app/apptest"
	"klientela/internal/config"
)

// The dashboard shows the user's contacts for today and the overdue ones,
// birthdays of the coming week and the clients added this month — each
// only to those who may see the section.
func TestDashboardWidgets(t *testing.T) {
	// The server's clock stands at noon of today in Warsaw: the contact of
	// today at 23:30 is then still ahead whatever the hour the test runs at
	// (on the real clock it was overdue after 23:30, and the firm counted 2).
	warsaw, _ := time.LoadLocation("Europe/Warsaw")
	d := time.Now().In(warsaw)
	now := time.Date(d.Year(), d.Month(), d.Day(), 12, 0, 0, 0, warsaw)
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		owner := s.SignUp("Firma", "Jan Kowalski", "jan@example.pl", pw)
		tok := s.Token("jan@example.pl", pw)
		in3 := now.AddDate(0, 0, 3)
		res, body := s.JSON("POST", "/api/v1/clients", tok, map[string]any{"kind": "person", "first_name": "Łucja", "last_name": "Wiśniewska",
			"status": "active", "birthday": in3.AddDate(-30, 0, 0).Format("2006-01-02")})
		if res.StatusCode != 201 {
			t.Fatalf("client: %d %s", res.StatusCode, body)
		}
		var c struct{ ID int64 }
		_ = json.Unmarshal([]byte(body), &c)
		s.JSON("POST", "/api/v1/clients", tok, map[string]any{"kind": "company", "name": "Bez urodzin", "status": "active"})
		// Important dates: a yearly one in two days, a one-time one in five, one next month (not shown).
		res, body = s.JSON("POST", "/api/v1/clients", tok, map[string]any{"kind": "company", "name": "Daty sp. z o.o.", "status": "active",
			"important_dates": []map[string]any{
				{"name": "Rocznica współpracy", "date": now.AddDate(-3, 0, 2).Format("2006-01-02"), "yearly": true},
				{"name": "Koniec umowy", "date": now.AddDate(0, 0, 5).Format("2006-01-02"), "yearly": false},
				{"name": "Przegląd", "date": now.AddDate(0, 1, 5).Format("2006-01-02"), "yearly": false}}})
		if res.StatusCode != 201 {
			t.Fatalf("client with dates: %d %s", res.StatusCode, body)
		}
		emp := contactEmployee(t, s, tok, "Ola", "Lis")
		contactUser(t, s, tok, "ola@example.pl", emp, map[string]string{"contacts": "edit", "clients": "view"}, nil)
		late := createContact(t, s, tok, map[string]any{"client_id": c.ID, "employee_id": emp, "at": rfc(now.Add(-48 * time.Hour)), "channel": "phone", "subject": "Zaległy telefon"})
		todayAt := time.Date(now.Year(), now.Month(), now.Day(), 23, 30, 0, 0, warsaw)
		createContact(t, s, tok, map[string]any{"client_id": c.ID, "employee_id": emp, "at": rfc(todayAt), "channel": "meeting", "subject": "Spotkanie dziś"})
		createContact(t, s, tok, map[string]any{"client_id": c.ID, "employee_id": emp, "at": rfc(now.Add(72 * time.Hour)), "channel": "email", "subject": "Za trzy dni"})

		ola := s.Browser()
		ola.Post("/login", url.Values{"email": {"ola@example.pl"}, "password": {pw}})
		_, page := ola.Get("/")
		mustContain(t, page, "Moje kontakty na dziś", "Zaległy telefon", "Spotkanie dziś", `href="/contacts/`+strconv.FormatInt(late.ID, 10)+`"`,
			"Urodziny i ważne daty w najbliższym tygodniu", "Wiśniewska Łucja",
			"Rocznica współpracy", "Koniec umowy", "3 nowi klienci w tym miesiącu", "1 zaległy kontakt w firmie")
		mustNotContain(t, page, "Za trzy dni", "Przegląd")
		if strings.Index(page, "Zaległy telefon") > strings.Index(page, "Spotkanie dziś") {
			t.Error("the overdue contact is not first")
		}
		// The owner has no employee: no queue of their own, but the firm's count.
		_, page = owner.Get("/")
		mustContain(t, page, "nie jest powiązane z pracownikiem", "1 zaległy kontakt w firmie")
		// Without the sections, no widgets.
		none := s.AddUser("jan@example.pl", "none@example.pl", pw, apptest.Scope("employees", "view"))
		_, page = none.Get("/")
		mustNotContain(t, page, "Moje kontakty na dziś", "Urodziny i ważne daty", "Wiśniewska")
	}, func(_ *config.Config, o *app.Options) { o.Now = func() time.Time { return now } })
}

// A firm with many birthdays in the coming week sees the first
// service.DashboardDates of them, in day order, and how many more there
// are, with a link to the calendar for those who may see it.
func TestDashboardDatesCapped(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		owner := s.SignUp("Firma", "Jan Kowalski", "jan@example.pl", pw)
		tok := s.Token("jan@example.pl", pw)
		warsaw, _ := time.LoadLocation("Europe/Warsaw")
		now := time.Now().In(warsaw)
		// 23 birthdays: 20 today, 3 in two days (those beyond the cap).
		for i := range 23 {
			day := now
			if i >= 20 {
				day = now.AddDate(0, 0, 2)
			}
			res, body := s.JSON("POST", "/api/v1/clients", tok, map[string]any{"kind": "person", "first_name": "Anna",
				"last_name": "Nowak " + strconv.Itoa(100+i), "status": "active", "birthday": day.AddDate(-40, 0, 0).Format("2006-01-02")})
			if res.StatusCode != 201 {
				t.Fatalf("client: %d %s", res.StatusCode, body)
			}
		}
		_, page := owner.Get("/")
		mustContain(t, page, "Nowak 100 Anna", "Nowak 119 Anna", "i jeszcze 3 daty w ciągu 7 dni", `<a href="/calendar">i jeszcze 3`)
		mustNotContain(t, page, "Nowak 120", "Nowak 122")
		// Without the calendar: the number, no link.
		clerk := s.AddUser("jan@example.pl", "biuro@example.pl", pw, apptest.Scope("clients", "view"))
		_, page = clerk.Get("/")
		mustContain(t, page, "i jeszcze 3 daty w ciągu 7 dni")
		mustNotContain(t, page, `href="/calendar">i jeszcze`, "Nowak 121")
	})
}
