package app_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"klientela/internal/app"
	"klientela/internal/app/apptest"
	"klientela/internal/config"
	"klientela/internal/store"
)

// dbEngine is the engine s runs on, as apptest.Start names it.
func dbEngine(s *apptest.Server) string {
	if s.Store.Dialect() == store.Postgres {
		return "postgres"
	}
	return "sqlite"
}

// userID finds a user of the account by e-mail.
func userID(t *testing.T, s *apptest.Server, tok, email string) int64 {
	t.Helper()
	_, body := s.JSON("GET", "/api/v1/users", tok, nil)
	var users struct {
		Items []struct {
			ID    int64
			Email string
		}
	}
	_ = json.Unmarshal([]byte(body), &users)
	for _, u := range users.Items {
		if u.Email == email {
			return u.ID
		}
	}
	t.Fatalf("no user %s in %s", email, body)
	return 0
}

// feedPoll is one poll of a feed as a calendar program makes it: with the
// ETag it kept (or none), sent to server s under host (the public host of
// every instance).
type feedPoll struct {
	status int
	etag   string
	body   string
	header http.Header
}

func pollFeed(t *testing.T, s *apptest.Server, host, feedURL, etag string) feedPoll {
	t.Helper()
	u, err := url.Parse(feedURL)
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodGet, s.URL+u.Path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Host = host
	if etag != "" {
		req.Header.Set("If-None-Match", etag)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return feedPoll{status: res.StatusCode, etag: res.Header.Get("ETag"), body: string(b), header: res.Header}
}

// TestCalendarFeedKeptCopy: a feed answers 304 to the ETag of its current
// content and the same document from its kept copy while nothing it shows
// changes; every kind of change it shows (tasks, their exceptions, planned
// contacts, clients' birthdays and dates, persons, employees' names, the
// user's rights, the account's name) gives a new ETag and the new content
// at the next poll, on this instance and on a second one on the same
// database; a change in another account does not; a revoked or rotated
// token is 404 whatever ETag it brings.
func TestCalendarFeedKeptCopy(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		f := newCalendarFixture(t, s, "jan@example.pl")
		// A second instance on the same database, behind the same public host.
		s2 := apptest.Start(t, dbEngine(s), func(c *config.Config, o *app.Options) {
			c.DB = s.Config.DB
			o.Now = func() time.Time { return calendarNow }
		})
		host := strings.TrimPrefix(s.URL, "http://")
		s.SignUp("Firma B", "Ola Obca", "obca@example.pl", pw)
		tokB := s.Token("obca@example.pl", pw)
		empB := contactEmployee(t, s, tokB, "Bea", "Obca")
		cB := createClient(t, s, tokB, map[string]any{"kind": "company", "name": "Tajny Klient B"})
		feedB := newFeed(t, s, tokB)
		contactUser(t, s, f.tok, "ala@example.pl", f.emp, map[string]string{"calendar": "view", "contacts": "view"}, nil)
		ala := newFeed(t, s, s.Token("ala@example.pl", pw))
		feed := newFeed(t, s, f.tok)

		first := pollFeed(t, s, host, feed, "")
		if first.status != 200 || !strings.HasPrefix(first.etag, `W/"`) || first.header.Get("Last-Modified") == "" ||
			!strings.Contains(first.body, "END:VCALENDAR") {
			t.Fatalf("first poll: %d ETag %q Last-Modified %q\n%s", first.status, first.etag, first.header.Get("Last-Modified"), first.body)
		}
		if _, err := http.ParseTime(first.header.Get("Last-Modified")); err != nil {
			t.Errorf("Last-Modified %q: %v", first.header.Get("Last-Modified"), err)
		}
		// Unchanged: 304 with the same ETag and no body, on both instances;
		// without If-None-Match the same document; a list of tags and *
		// match too, another tag does not.
		for i, srv := range []*apptest.Server{s, s2} {
			for _, inm := range []string{first.etag, strings.TrimPrefix(first.etag, "W/"), `"x", ` + first.etag, "*"} {
				if p := pollFeed(t, srv, host, feed, inm); p.status != 304 || p.etag != first.etag || p.body != "" {
					t.Errorf("instance %d, If-None-Match %s: %d ETag %q body %d bytes", i+1, inm, p.status, p.etag, len(p.body))
				}
			}
			if p := pollFeed(t, srv, host, feed, `W/"x"`); p.status != 200 || p.etag != first.etag || p.body == "" {
				t.Errorf("instance %d, another ETag: %d %q", i+1, p.status, p.etag)
			}
		}
		if p := pollFeed(t, s, host, feed, ""); p.body != first.body {
			t.Errorf("unchanged feed differs between polls")
		}
		// Another public host writes other URLs: another ETag.
		if p := pollFeed(t, s, "crm.example.pl", feed, first.etag); p.status != 200 || p.etag == first.etag || !strings.Contains(p.body, "crm.example.pl") {
			t.Errorf("other host: %d %q", p.status, p.etag)
		}

		etag := first.etag
		// changed polls both instances with the last ETag after a change:
		// each answers the new content with a new ETag (the same on both),
		// which is 304 at the poll after.
		changed := func(name string, want func(body string) bool) {
			t.Helper()
			p := pollFeed(t, s, host, feed, etag)
			p2 := pollFeed(t, s2, host, feed, etag)
			if p.status != 200 || p.etag == etag || !want(p.body) {
				t.Errorf("%s: %d ETag %q (was %q), content as expected: %v", name, p.status, p.etag, etag, p.status == 200 && want(p.body))
			}
			if p2.status != 200 || p2.etag != p.etag || !want(p2.body) {
				t.Errorf("%s on the second instance: %d ETag %q, want %q", name, p2.status, p2.etag, p.etag)
			}
			etag = p.etag
			if p := pollFeed(t, s, host, feed, etag); p.status != 304 {
				t.Errorf("%s, polled again: %d", name, p.status)
			}
		}
		has := func(s string) func(string) bool { return func(b string) bool { return strings.Contains(b, s) } }
		hasNot := func(s string) func(string) bool { return func(b string) bool { return !strings.Contains(b, s) } }
		unchanged := func(name string) {
			t.Helper()
			if p := pollFeed(t, s, host, feed, etag); p.status != 304 {
				t.Errorf("%s: %d, want 304", name, p.status)
			}
		}
		api := func(method, path string, v any) {
			t.Helper()
			if res, body := s.JSON(method, path, f.tok, v); res.StatusCode >= 300 {
				t.Fatalf("%s %s: %d %s", method, path, res.StatusCode, body)
			}
		}

		task := s.Create(f.tok, "/api/v1/tasks", map[string]any{"title": "Zadanie z kanału", "start": "2027-01-12T10:00:00+01:00",
			"end": "2027-01-12T11:00:00+01:00", "employee_ids": []int64{f.emp}})
		changed("task created", has("Zadanie z kanału"))
		api("PATCH", "/api/v1/tasks/"+itoa(task), map[string]any{"title": "Zadanie po zmianie"})
		changed("task edited", has("Zadanie po zmianie"))
		weekly := s.Create(f.tok, "/api/v1/tasks", map[string]any{"title": "Co tydzień", "start": "2027-01-04T09:00:00+01:00",
			"end": "2027-01-04T10:00:00+01:00", "recurrence": "FREQ=WEEKLY;COUNT=5", "employee_ids": []int64{f.emp}})
		changed("series created", has("Co tydzień"))
		b := s.Browser()
		b.Post("/login", url.Values{"email": {"jan@example.pl"}, "password": {pw}})
		if res, body := b.Post("/tasks/"+itoa(weekly)+"/cancel", url.Values{"occurrence": {"2027-01-11T09:00:00+01:00"}}); res.StatusCode >= 400 {
			t.Fatalf("cancel an occurrence: %d %s", res.StatusCode, body)
		}
		changed("occurrence cancelled", has("EXDATE;TZID=Europe/Warsaw:20270111T090000"))
		api("DELETE", "/api/v1/tasks/"+itoa(task), nil)
		changed("task deleted", hasNot("Zadanie po zmianie"))

		c := createContact(t, s, f.tok, map[string]any{"client_id": f.client, "employee_id": f.emp, "at": "2027-02-01T10:00:00+01:00",
			"subject": "Kontakt z kanału"})
		changed("contact planned", has("Kontakt z kanału"))
		api("PATCH", "/api/v1/planned-contacts/"+itoa(c.ID), map[string]any{"subject": "Kontakt przesunięty", "at": "2027-02-02T10:00:00+01:00"})
		changed("contact edited", has("Kontakt przesunięty"))
		api("DELETE", "/api/v1/planned-contacts/"+itoa(c.ID), nil)
		changed("contact deleted", hasNot("Kontakt przesunięty"))

		api("PATCH", "/api/v1/clients/"+itoa(f.client), map[string]any{"birthday": "1990-03-16"})
		changed("client's birthday", has("DTSTART;VALUE=DATE:19900316"))
		api("PATCH", "/api/v1/clients/"+itoa(f.client), map[string]any{"important_dates": []map[string]any{
			{"name": "Rocznica współpracy", "date": "2027-04-01", "yearly": true}}})
		changed("client's important date", has("Rocznica współpracy"))
		person := s.Create(f.tok, "/api/v1/clients/"+itoa(f.client)+"/persons", map[string]any{"first_name": "Nowa", "last_name": "Osoba",
			"birthday": "1975-06-01"})
		changed("person added", has("Nowa"))
		api("PATCH", "/api/v1/clients/"+itoa(f.client)+"/persons/"+itoa(person), map[string]any{"first_name": "Przemianowana"})
		changed("person renamed", has("Przemianowana"))
		api("DELETE", "/api/v1/clients/"+itoa(f.client)+"/persons/"+itoa(person), nil)
		changed("person deleted", hasNot("Przemianowana"))
		api("PATCH", "/api/v1/employees/"+itoa(f.emp), map[string]any{"last_name": "Kocia"})
		changed("employee renamed", has("Ala Kocia"))

		// Another account's changes leave this feed as it was, and change theirs.
		pB := pollFeed(t, s, host, feedB, "")
		createContact(t, s, tokB, map[string]any{"client_id": cB, "employee_id": empB, "at": "2027-01-10T10:00:00+01:00", "subject": "Tajne"})
		s.Create(tokB, "/api/v1/tasks", map[string]any{"title": "Zadanie B", "start": "2027-01-12T10:00:00+01:00", "end": "2027-01-12T11:00:00+01:00", "employee_ids": []int64{empB}})
		s.JSON("PATCH", "/api/v1/employees/"+itoa(empB), tokB, map[string]any{"last_name": "Inna"})
		unchanged("changes in account B")
		if p := pollFeed(t, s, host, feedB, pB.etag); p.status != 200 || !strings.Contains(p.body, "Tajne") {
			t.Errorf("account B's feed after its changes: %d", p.status)
		}

		// The user's rights: Ala sees contacts; with clients instead, birthdays.
		pa := pollFeed(t, s, host, ala, "")
		if pa.status != 200 || !strings.Contains(pa.body, "Przed zmianą czasu") || strings.Contains(pa.body, "Urodziny") {
			t.Fatalf("Ala's feed: %d\n%s", pa.status, pa.body)
		}
		id := userID(t, s, f.tok, "ala@example.pl")
		if res, body := s.JSON("PATCH", "/api/v1/users/"+itoa(id), f.tok, map[string]any{"permissions": map[string]string{"calendar": "view", "clients": "view"}}); res.StatusCode != 200 {
			t.Fatalf("permissions: %d %s", res.StatusCode, body)
		}
		if p := pollFeed(t, s2, host, ala, pa.etag); p.status != 200 || p.etag == pa.etag || strings.Contains(p.body, "Przed zmianą czasu") ||
			!strings.Contains(p.body, "Urodziny") {
			t.Errorf("Ala's feed after her rights changed: %d %q\n%s", p.status, p.etag, p.body)
		}
		// The account's name is the calendar's name.
		if res, body := b.Post("/settings/account", url.Values{"name": {"Firma Przemianowana"}, "time_zone": {"Europe/Warsaw"}}); res.StatusCode >= 400 {
			t.Fatalf("rename the account: %d %s", res.StatusCode, body)
		}
		changed("account renamed", has("Firma Przemianowana"))

		// Revoked or rotated: 404, also with the ETag of the last poll.
		rotated := newFeed(t, s, f.tok)
		for _, srv := range []*apptest.Server{s, s2} {
			if p := pollFeed(t, srv, host, feed, etag); p.status != 404 {
				t.Errorf("rotated-away feed with its ETag: %d", p.status)
			}
		}
		pr := pollFeed(t, s, host, rotated, "")
		if res, _ := s.JSON("DELETE", "/api/v1/me/calendar-feed", f.tok, nil); res.StatusCode != 204 {
			t.Fatalf("revoke: %d", res.StatusCode)
		}
		for _, srv := range []*apptest.Server{s, s2} {
			if p := pollFeed(t, srv, host, rotated, pr.etag); p.status != 404 {
				t.Errorf("revoked feed with its ETag: %d", p.status)
			}
		}
	}, calendarClock)
}

// TestCalendarFeedWindowDay: the feed's window moves at the account's
// midnight: polls within a day get 304, the first poll of the next day
// the moved window.
func TestCalendarFeedWindowDay(t *testing.T) {
	var now atomic.Pointer[time.Time]
	start := time.Date(2026, 11, 28, 8, 0, 0, 0, time.UTC) // 9:00 in Warsaw
	now.Store(&start)
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		now.Store(&start)
		f := newCalendarFixture(t, s, "jan@example.pl")
		feed := newFeed(t, s, f.tok)
		host := strings.TrimPrefix(s.URL, "http://")
		p := pollFeed(t, s, host, feed, "")
		later := start.Add(14 * time.Hour) // 23:00 in Warsaw
		now.Store(&later)
		if q := pollFeed(t, s, host, feed, p.etag); q.status != 304 {
			t.Errorf("later the same day: %d", q.status)
		}
		next := start.Add(15*time.Hour + time.Minute) // 00:01 the next day
		now.Store(&next)
		q := pollFeed(t, s, host, feed, p.etag)
		if q.status != 200 || q.etag == p.etag {
			t.Errorf("the next day: %d %q", q.status, q.etag)
		}
		lm, err := http.ParseTime(q.header.Get("Last-Modified"))
		if err != nil || lm.Before(time.Date(2026, 11, 28, 23, 0, 0, 0, time.UTC)) {
			t.Errorf("the next day's Last-Modified %v (%v), want its midnight or later", lm, err)
		}
	}, func(_ *config.Config, o *app.Options) { o.Now = func() time.Time { return *now.Load() } })
}
