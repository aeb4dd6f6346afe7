package app_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	goical "github.com/arran4/golang-ical"
	"github.com/teambition/rrule-go"

	"klientela/internal/app"
	"klientela/internal/app/apptest"
	"klientela/internal/config"
)

// calendarNow is the clock of the calendar scenarios: the feed window
// (3 months back, a year ahead) is counted from it.
var calendarNow = time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)

func calendarClock(_ *config.Config, o *app.Options) { o.Now = func() time.Time { return calendarNow } }

type calItem struct {
	Kind     string
	ID       string
	RecordID int64 `json:"record_id"`
	Title    string
	Start    string
	End      string
	AllDay   bool `json:"all_day"`
	Color    string
	URL      string
	Editable bool
}

func calendarItems(t *testing.T, s *apptest.Server, tok, query string) []calItem {
	t.Helper()
	return calendarItemsAs[calItem](t, s, tok, query)
}

// calendarItemsAs asks GET /api/v1/calendar?query and decodes its items
// as T (calItem, or calTaskItem with the task fields).
func calendarItemsAs[T any](t *testing.T, s *apptest.Server, tok, query string) []T {
	t.Helper()
	res, body := s.JSON("GET", "/api/v1/calendar?"+query, tok, nil)
	if res.StatusCode != 200 {
		t.Fatalf("calendar %s: %d %s", query, res.StatusCode, body)
	}
	var out struct{ Items []T }
	if err := json.Unmarshal([]byte(body), &out); err != nil {
		t.Fatal(err)
	}
	return out.Items
}

func findItem(items []calItem, id string) *calItem {
	for i := range items {
		if items[i].ID == id {
			return &items[i]
		}
	}
	return nil
}

// calendarFixture is one account with an employee (with a colour), a
// client with a birthday assigned to them, a contact person born on 29
// February, and two planned contacts around the spring DST change of 2027.
type calendarFixture struct {
	tok                      string
	emp, client, person      int64
	before, after            int64 // contacts on 27 and 29 March 2027, 10:00 Warsaw time
	otherClient, otherPerson int64
}

func newCalendarFixture(t *testing.T, s *apptest.Server, email string) calendarFixture {
	t.Helper()
	s.SignUp("Firma "+email, "Jan Kowalski", email, pw)
	f := calendarFixture{tok: s.Token(email, pw)}
	res, body := s.JSON("POST", "/api/v1/employees", f.tok, map[string]any{"first_name": "Ala", "last_name": "Kot", "color": "#17bebb"})
	if res.StatusCode != 201 {
		t.Fatalf("employee: %d %s", res.StatusCode, body)
	}
	var e struct{ ID int64 }
	_ = json.Unmarshal([]byte(body), &e)
	f.emp = e.ID
	f.client = createClient(t, s, f.tok, map[string]any{"kind": "person", "first_name": "Marta", "last_name": "Urodzinowa",
		"birthday": "1990-03-15", "employee_id": f.emp})
	res, body = s.JSON("POST", "/api/v1/clients/"+itoa(f.client)+"/persons", f.tok,
		map[string]any{"first_name": "Leon", "last_name": "Przestępny", "birthday": "1988-02-29"})
	if res.StatusCode != 201 {
		t.Fatalf("person: %d %s", res.StatusCode, body)
	}
	var p struct{ ID int64 }
	_ = json.Unmarshal([]byte(body), &p)
	f.person = p.ID
	f.otherClient = createClient(t, s, f.tok, map[string]any{"kind": "company", "name": "Bez Opiekuna SA"})
	warsaw, _ := time.LoadLocation("Europe/Warsaw")
	f.before = createContact(t, s, f.tok, map[string]any{"client_id": f.client, "employee_id": f.emp,
		"at": rfc(time.Date(2027, 3, 27, 10, 0, 0, 0, warsaw)), "subject": "Przed zmianą czasu"}).ID
	f.after = createContact(t, s, f.tok, map[string]any{"client_id": f.client, "employee_id": f.emp,
		"at": rfc(time.Date(2027, 3, 29, 10, 0, 0, 0, warsaw)), "subject": "Po zmianie czasu"}).ID
	return f
}

func TestCalendarAPI(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		f := newCalendarFixture(t, s, "jan@example.pl")
		items := calendarItems(t, s, f.tok, "from=2027-03-01&to=2027-04-01")
		if len(items) != 3 {
			t.Fatalf("March 2027: %d items, want 2 contacts and a birthday: %+v", len(items), items)
		}
		before, after := findItem(items, "contact-"+itoa(f.before)), findItem(items, "contact-"+itoa(f.after))
		bday := findItem(items, "birthday-client-"+itoa(f.client)+"-2027")
		if before == nil || after == nil || bday == nil {
			t.Fatalf("items: %+v", items)
		}
		// The same local hour on both sides of the DST change, with the offset of the day.
		if before.Start != "2027-03-27T10:00:00+01:00" || before.End != "2027-03-27T10:30:00+01:00" ||
			after.Start != "2027-03-29T10:00:00+02:00" || !after.Editable || after.Color != "#17bebb" ||
			after.URL != "/contacts/"+itoa(f.after) || after.Kind != "contact" || after.Title != "Urodzinowa Marta — Po zmianie czasu" {
			t.Errorf("contacts: %+v %+v", *before, *after)
		}
		if !bday.AllDay || bday.Start != "2027-03-15" || bday.End != "2027-03-16" || bday.Title != "Urodziny: Urodzinowa Marta" ||
			bday.Color != "#17bebb" || bday.URL != "/clients/"+itoa(f.client) || bday.Editable || bday.RecordID != f.client {
			t.Errorf("birthday: %+v", *bday)
		}
		// Items come by start.
		if !slices.IsSortedFunc(items, func(a, b calItem) int { return strings.Compare(a.Start[:10], b.Start[:10]) }) {
			t.Errorf("not by start: %+v", items)
		}
		// 29 February: on the 28th in 2027, on the 29th in 2028.
		feb27 := calendarItems(t, s, f.tok, "from=2027-02-01&to=2027-03-01")
		if it := findItem(feb27, "birthday-person-"+itoa(f.person)+"-2027"); it == nil || it.Start != "2027-02-28" ||
			it.Title != "Urodziny: Leon Przestępny" || it.URL != "/clients/"+itoa(f.client) {
			t.Errorf("29 February in 2027: %+v", feb27)
		}
		feb28 := calendarItems(t, s, f.tok, "from=2028-02-01T00:00:00%2B01:00&to=2028-03-01T00:00:00%2B01:00")
		if it := findItem(feb28, "birthday-person-"+itoa(f.person)+"-2028"); it == nil || it.Start != "2028-02-29" || len(feb28) != 1 {
			t.Errorf("29 February in 2028: %+v", feb28)
		}
		// Filters: kinds and employee.
		if got := calendarItems(t, s, f.tok, "from=2027-03-01&to=2027-04-01&kinds=birthday"); len(got) != 1 || got[0].Kind != "birthday" {
			t.Errorf("kinds=birthday: %+v", got)
		}
		if got := calendarItems(t, s, f.tok, "from=2027-03-01&to=2027-04-01&kinds=contact"); len(got) != 2 {
			t.Errorf("kinds=contact: %+v", got)
		}
		other := contactEmployee(t, s, f.tok, "Inny", "Pracownik")
		if got := calendarItems(t, s, f.tok, "from=2027-03-01&to=2027-04-01&employee_id="+itoa(other)); len(got) != 0 {
			t.Errorf("another employee's calendar: %+v", got)
		}
		if got := calendarItems(t, s, f.tok, "from=2027-03-01&to=2027-04-01&employee_id="+itoa(f.emp)); len(got) != 3 {
			t.Errorf("the employee's calendar: %+v", got)
		}
		// A whole year is allowed.
		calendarItems(t, s, f.tok, "from=2027-01-01&to=2028-01-01")

		// Bad input: 400 with the reason, in the user's language.
		for q, want := range map[string]string{
			"from=2020-01-01&to=2030-01-01":                       "367 dni",
			"from=2027-04-01&to=2027-03-01":                       "po jego początku",
			"from=2027-03-01&to=2027-03-01":                       "po jego początku",
			"from=wczoraj&to=2027-03-01":                          "RFC 3339",
			"from=2027-03-01T25:00:00Z&to=2027-04-01":             "RFC 3339",
			"to=2027-04-01":                                       "wymagane",
			"from=2027-03-01&to=2027-04-01&kinds=contact,invoice": "invoice",
			"from=2027-03-01&to=2027-04-01&employee_id=abc":       "",
		} {
			res, body := s.JSON("GET", "/api/v1/calendar?"+q, f.tok, nil)
			if res.StatusCode != 400 || !strings.Contains(body, `"code":"bad_request"`) || !strings.Contains(body, want) {
				t.Errorf("%s: %d %s, want 400 saying %q", q, res.StatusCode, body, want)
			}
		}
		if res, _ := s.JSON("GET", "/api/v1/calendar?from=2027-03-01&to=2027-04-01", "", nil); res.StatusCode != 401 {
			t.Errorf("without a token: %d", res.StatusCode)
		}
	}, calendarClock)
}

func TestCalendarScopes(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		f := newCalendarFixture(t, s, "jan@example.pl")
		emp2 := contactEmployee(t, s, f.tok, "Ola", "Lis")
		mine := createContact(t, s, f.tok, map[string]any{"client_id": f.otherClient, "employee_id": emp2,
			"at": "2027-03-10T09:00:00+01:00", "subject": "Moje"}).ID
		own := createClient(t, s, f.tok, map[string]any{"kind": "company", "name": "Klient Oli", "employee_id": emp2})
		s.JSON("POST", "/api/v1/clients/"+itoa(own)+"/persons", f.tok, map[string]any{"first_name": "Ewa", "last_name": "Mała", "birthday": "1970-03-20"})
		q := "from=2027-03-01&to=2027-04-01"

		// Only my contacts and only my clients: Ola sees her contact and her client's person's birthday.
		contactUser(t, s, f.tok, "ola@example.pl", emp2, map[string]string{"calendar": "view", "contacts": "view", "clients": "view"},
			[]string{"contacts", "clients"})
		ola := s.Token("ola@example.pl", pw)
		got := calendarItems(t, s, ola, q)
		if len(got) != 2 || findItem(got, "contact-"+itoa(mine)) == nil || got[1].Kind != "birthday" || got[1].Start != "2027-03-20" {
			t.Fatalf("own-only calendar: %+v", got)
		}
		if got[0].Editable {
			t.Errorf("a contact is editable for a user with contacts: view: %+v", got[0])
		}
		// Calendar without contacts or clients: an empty calendar, not an error.
		contactUser(t, s, f.tok, "cal@example.pl", 0, map[string]string{"calendar": "view"}, nil)
		if got := calendarItems(t, s, s.Token("cal@example.pl", pw), q); len(got) != 0 {
			t.Errorf("calendar only: %+v", got)
		}
		// Contacts without the calendar: 403 on the calendar.
		contactUser(t, s, f.tok, "kon@example.pl", 0, map[string]string{"contacts": "full"}, nil)
		if res, _ := s.JSON("GET", "/api/v1/calendar?"+q, s.Token("kon@example.pl", pw), nil); res.StatusCode != 403 {
			t.Errorf("no calendar section: %d", res.StatusCode)
		}
		// Another account sees none of it.
		s.SignUp("Firma B", "Ola Obca", "obca@example.pl", pw)
		if got := calendarItems(t, s, s.Token("obca@example.pl", pw), q); len(got) != 0 {
			t.Errorf("account B sees: %+v", got)
		}
	}, calendarClock)
}

// TestCalendarPage: the page, its events in the account's wall-clock time,
// a move by drag (allowed and refused) and the bad ranges.
func TestCalendarPage(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		f := newCalendarFixture(t, s, "jan@example.pl")
		b := s.Browser()
		b.Post("/login", url.Values{"email": {"jan@example.pl"}, "password": {pw}})
		res, body := b.Get("/calendar")
		if res.StatusCode != 200 {
			t.Fatalf("/calendar: %d", res.StatusCode)
		}
		mustContain(t, body, `id="calendar"`, `data-events-url="/calendar/events"`, `data-locale="pl"`, "vendor/fullcalendar/index.global.min.js",
			"vendor/fullcalendar-locales/pl.global.min.js", "js/calendar.js", `value="contact" checked`, `value="birthday" checked`,
			`class="nav-calendar"`, "Ala Kot", `data-color="#17bebb"`, `data-new-contact-url="/contacts/new"`)
		mustNotContain(t, body, "<script>", "style=")

		res, body = b.Get("/calendar/events?from=2027-03-23T00:00:00Z&to=2027-03-30T00:00:00Z")
		if res.StatusCode != 200 || !strings.Contains(res.Header.Get("Content-Type"), "json") {
			t.Fatalf("events: %d %s", res.StatusCode, body)
		}
		mustContain(t, body, `"start":"2027-03-27T10:00:00"`, `"start":"2027-03-29T10:00:00"`, `"allDay":false`)
		res, body = b.Get("/calendar/events?from=2017-01-01&to=2027-01-01")
		if res.StatusCode != 400 || !strings.Contains(body, "367") {
			t.Errorf("ten years: %d %s", res.StatusCode, body)
		}
		if res, _ := b.Get("/calendar/events?from=x&to=y"); res.StatusCode != 400 {
			t.Errorf("malformed: %d", res.StatusCode)
		}

		// Drag: the contact moves to 30 March 9:00 Warsaw time.
		res, body = b.Post("/calendar/move", url.Values{"kind": {"contact"}, "id": {itoa(f.after)}, "start": {"2027-03-30T09:00:00"}})
		if res.StatusCode != 200 || !strings.Contains(body, "Przeniesiono") {
			t.Fatalf("move: %d %s", res.StatusCode, body)
		}
		_, body = s.JSON("GET", "/api/v1/planned-contacts/"+itoa(f.after), f.tok, nil)
		mustContain(t, body, `"at":"2027-03-30T09:00:00+02:00"`)
		// A birthday does not move; neither does anything for a read-only user.
		if res, body := b.Post("/calendar/move", url.Values{"kind": {"birthday"}, "id": {itoa(f.client)}, "start": {"2027-03-30T09:00:00"}}); res.StatusCode != 422 || !strings.Contains(body, "nie można przenieść") {
			t.Errorf("move a birthday: %d %s", res.StatusCode, body)
		}
		ro := s.AddUser("jan@example.pl", "ro@example.pl", pw, apptest.Scope("calendar", "view", "contacts", "view"))
		if res, body := ro.Post("/calendar/move", url.Values{"kind": {"contact"}, "id": {itoa(f.before)}, "start": {"2027-03-30T09:00:00"}}); res.StatusCode != 403 || !strings.Contains(body, `"error"`) {
			t.Errorf("read-only move: %d %s", res.StatusCode, body)
		}
		_, body = s.JSON("GET", "/api/v1/planned-contacts/"+itoa(f.before), f.tok, nil)
		mustContain(t, body, `"at":"2027-03-27T10:00:00+01:00"`)
		// Another account's contact is not found.
		other := s.SignUp("Firma B", "Ola Obca", "obca@example.pl", pw)
		if res, _ := other.Post("/calendar/move", url.Values{"kind": {"contact"}, "id": {itoa(f.before)}, "start": {"2027-03-30T09:00:00"}}); res.StatusCode != 404 {
			t.Errorf("move in another account: %d", res.StatusCode)
		}
		// A click on an empty slot opens the contact form at that time.
		_, body = b.Get("/contacts/new?at_date=2027-03-31&at_time=14:30")
		mustContain(t, body, `value="2027-03-31"`, `value="14:30"`)
	}, calendarClock)
}

// fetchFeed gets a feed URL's path (the host is the test server's).
func fetchFeed(t *testing.T, s *apptest.Server, feedURL string) (int, string, http.Header) {
	t.Helper()
	u, err := url.Parse(feedURL)
	if err != nil || !strings.HasPrefix(u.Path, "/feeds/") || !strings.HasSuffix(u.Path, ".ics") {
		t.Fatalf("feed URL %q", feedURL)
	}
	res, body := s.Browser().Get(u.Path)
	return res.StatusCode, body, res.Header
}

func newFeed(t *testing.T, s *apptest.Server, tok string) string {
	t.Helper()
	res, body := s.JSON("POST", "/api/v1/me/calendar-feed", tok, nil)
	var out struct{ URL string }
	if res.StatusCode != 201 || json.Unmarshal([]byte(body), &out) != nil || !strings.HasPrefix(out.URL, s.URL+"/feeds/") {
		t.Fatalf("create feed: %d %s", res.StatusCode, body)
	}
	return out.URL
}

func parseICS(t *testing.T, body string) (*goical.Calendar, map[string]*goical.VEvent) {
	t.Helper()
	cal, err := goical.ParseCalendar(strings.NewReader(body))
	if err != nil {
		t.Fatalf("parse iCalendar: %v\n%s", err, body)
	}
	byUID := map[string]*goical.VEvent{}
	for _, e := range cal.Events() {
		uid := e.GetProperty(goical.ComponentPropertyUniqueId).Value
		if _, dup := byUID[uid]; dup {
			t.Errorf("UID %s twice", uid)
		}
		byUID[strings.Split(uid, "@")[0]] = e
	}
	return cal, byUID
}

func prop(e *goical.VEvent, p goical.ComponentProperty) string {
	if v := e.GetProperty(p); v != nil {
		return v.Value
	}
	return ""
}

func TestCalendarFeed(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		f := newCalendarFixture(t, s, "jan@example.pl")
		// Account B has its own client, birthday and contact.
		s.SignUp("Firma B", "Ola Obca", "obca@example.pl", pw)
		tokB := s.Token("obca@example.pl", pw)
		empB := contactEmployee(t, s, tokB, "Bea", "Obca")
		cB := createClient(t, s, tokB, map[string]any{"kind": "company", "name": "Tajny Klient B"})
		s.JSON("POST", "/api/v1/clients/"+itoa(cB)+"/persons", tokB, map[string]any{"first_name": "Sekret", "last_name": "B", "birthday": "1980-05-05"})
		createContact(t, s, tokB, map[string]any{"client_id": cB, "employee_id": empB, "at": "2027-01-10T10:00:00+01:00", "subject": "Tajne"})
		feedB := newFeed(t, s, tokB)

		feed := newFeed(t, s, f.tok)
		status, body, hd := fetchFeed(t, s, feed)
		if status != 200 || hd.Get("Content-Type") != "text/calendar; charset=utf-8" {
			t.Fatalf("feed: %d %s\n%s", status, hd.Get("Content-Type"), body)
		}
		if !strings.Contains(body, "\r\n") || strings.Contains(body, "Tajn") || strings.Contains(body, "Sekret") {
			t.Errorf("CRLF lines and nothing of account B expected:\n%s", body)
		}
		cal, ev := parseICS(t, body)
		var tzids []string
		for _, c := range cal.Components {
			if tz, ok := c.(*goical.VTimezone); ok {
				tzids = append(tzids, tz.GetProperty(goical.ComponentPropertyTzid).Value)
				if sub := tz.SubComponents(); len(sub) != 2 {
					t.Errorf("VTIMEZONE with %d observances, want STANDARD and DAYLIGHT", len(sub))
				}
			}
		}
		if !slices.Equal(tzids, []string{"Europe/Warsaw"}) || !strings.Contains(body, "TZOFFSETTO:+0200") ||
			!strings.Contains(body, "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU") || !strings.Contains(body, "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU") {
			t.Errorf("VTIMEZONE %v:\n%s", tzids, body)
		}
		if len(ev) != 4 {
			t.Fatalf("%d events, want 2 contacts and 2 birthdays: %v", len(ev), slices.Collect(mapKeys(ev)))
		}
		// Contacts: local times with TZID across the DST change.
		warsaw, _ := time.LoadLocation("Europe/Warsaw")
		for id, want := range map[int64]time.Time{f.before: time.Date(2027, 3, 27, 10, 0, 0, 0, warsaw), f.after: time.Date(2027, 3, 29, 10, 0, 0, 0, warsaw)} {
			e := ev["contact-"+itoa(id)]
			if e == nil {
				t.Fatalf("no contact %d", id)
			}
			start, err := e.GetStartAt()
			end, err2 := e.GetEndAt()
			dt := e.GetProperty(goical.ComponentPropertyDtStart)
			if err != nil || err2 != nil || !start.Equal(want) || !end.Equal(want.Add(30*time.Minute)) ||
				dt.ICalParameters["TZID"][0] != "Europe/Warsaw" || !strings.HasSuffix(dt.Value, "T100000") {
				t.Errorf("contact %d: start %v end %v (%v %v) DTSTART %v %q", id, start, end, err, err2, dt.ICalParameters, dt.Value)
			}
			if prop(e, goical.ComponentPropertyDtstamp) == "" || !strings.HasPrefix(prop(e, goical.ComponentPropertySummary), "Urodzinowa Marta — ") ||
				prop(e, goical.ComponentPropertyUrl) != s.URL+"/contacts/"+itoa(id) {
				t.Errorf("contact %d: DTSTAMP %q SUMMARY %q URL %q", id, prop(e, goical.ComponentPropertyDtstamp),
					prop(e, goical.ComponentPropertySummary), prop(e, goical.ComponentPropertyUrl))
			}
		}
		// Birthdays: yearly all-day events; 29 February on the 28th in other years.
		for uid, want := range map[string][]string{
			"birthday-client-" + itoa(f.client): {"19900315", "FREQ=YEARLY", "2027-03-15", "2028-03-15"},
			"birthday-person-" + itoa(f.person): {"19880229", "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=-1", "2027-02-28", "2028-02-29"},
		} {
			e := ev[uid]
			if e == nil {
				t.Fatalf("no %s", uid)
			}
			dt := e.GetProperty(goical.ComponentPropertyDtStart)
			if dt.Value != want[0] || dt.ICalParameters["VALUE"][0] != "DATE" || prop(e, goical.ComponentPropertyRrule) != want[1] ||
				!strings.HasPrefix(prop(e, goical.ComponentPropertySummary), "Urodziny: ") {
				t.Errorf("%s: DTSTART %v %q RRULE %q SUMMARY %q", uid, dt.ICalParameters, dt.Value, prop(e, goical.ComponentPropertyRrule), prop(e, goical.ComponentPropertySummary))
				continue
			}
			start, _ := time.Parse("20060102", dt.Value)
			opt, err := rrule.StrToROption(want[1])
			if err != nil {
				t.Fatal(err)
			}
			opt.Dtstart = start
			r, err := rrule.NewRRule(*opt)
			if err != nil {
				t.Fatal(err)
			}
			var days []string
			for _, d := range r.Between(time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2028, 12, 31, 0, 0, 0, 0, time.UTC), true) {
				days = append(days, d.Format(time.DateOnly))
			}
			if !slices.Equal(days, want[2:]) {
				t.Errorf("%s falls on %v, want %v", uid, days, want[2:])
			}
		}
		// UIDs are stable from one fetch to the next.
		_, body2, _ := fetchFeed(t, s, feed)
		_, ev2 := parseICS(t, body2)
		if !slices.Equal(slices.Sorted(mapKeys(ev)), slices.Sorted(mapKeys(ev2))) {
			t.Errorf("UIDs changed between fetches")
		}
		// The profile page tells the feed is on.
		b := s.Browser()
		b.Post("/login", url.Values{"email": {"jan@example.pl"}, "password": {pw}})
		_, page := b.Get("/profile")
		mustContain(t, page, "Subskrypcja działa od", "Wygeneruj nowy adres")

		// Rotate: the old URL is gone. Revoke: the new one too. Account B's still works.
		rotated := newFeed(t, s, f.tok)
		if st, _, _ := fetchFeed(t, s, feed); st != 404 {
			t.Errorf("rotated-away feed: %d", st)
		}
		if st, _, _ := fetchFeed(t, s, rotated); st != 200 {
			t.Errorf("rotated feed: %d", st)
		}
		if res, _ := s.JSON("DELETE", "/api/v1/me/calendar-feed", f.tok, nil); res.StatusCode != 204 {
			t.Errorf("revoke: %d", res.StatusCode)
		}
		if res, _ := s.JSON("DELETE", "/api/v1/me/calendar-feed", f.tok, nil); res.StatusCode != 404 {
			t.Errorf("revoke twice: %d", res.StatusCode)
		}
		if st, _, _ := fetchFeed(t, s, rotated); st != 404 {
			t.Errorf("revoked feed: %d", st)
		}
		if st, bodyB, _ := fetchFeed(t, s, feedB); st != 200 || !strings.Contains(bodyB, "Tajny Klient B") || strings.Contains(bodyB, "Urodzinowa") {
			t.Errorf("account B's feed: %d\n%s", st, bodyB)
		}
		for _, p := range []string{"/feeds/nieznany.ics", "/feeds/.ics", "/feeds/x", "/feeds/" + strings.Repeat("a", 43) + ".ics"} {
			if res, _ := s.Browser().Get(p); res.StatusCode != 404 {
				t.Errorf("%s: %d", p, res.StatusCode)
			}
		}

		// The web profile: create shows the URL once, revoke turns it off.
		res, page := b.Post("/profile/calendar-feed", url.Values{})
		if res.StatusCode != 201 || !strings.Contains(page, `id="feed-url"`) || !strings.Contains(page, s.URL+"/feeds/") {
			t.Fatalf("create on the profile: %d", res.StatusCode)
		}
		if res, _ := b.Post("/profile/calendar-feed/delete", url.Values{}); res.StatusCode != 303 {
			t.Errorf("revoke on the profile: %d", res.StatusCode)
		}
	}, calendarClock)
}

// TestCalendarFeedFollowsRights: the feed holds what its user may see at
// the time of each fetch; a deactivated user's feed is gone.
func TestCalendarFeedFollowsRights(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		f := newCalendarFixture(t, s, "jan@example.pl")
		contactUser(t, s, f.tok, "ala@example.pl", f.emp, map[string]string{"calendar": "view", "contacts": "view"}, nil)
		ala := s.Token("ala@example.pl", pw)
		feed := newFeed(t, s, ala)
		_, body, _ := fetchFeed(t, s, feed)
		if _, ev := parseICS(t, body); len(ev) != 2 || ev["contact-"+itoa(f.before)] == nil {
			t.Fatalf("contacts only: %v", slices.Collect(mapKeys(ev)))
		}
		_, body = s.JSON("GET", "/api/v1/users", f.tok, nil)
		var users struct {
			Items []struct {
				ID    int64
				Email string
			}
		}
		_ = json.Unmarshal([]byte(body), &users)
		var id int64
		for _, u := range users.Items {
			if u.Email == "ala@example.pl" {
				id = u.ID
			}
		}
		// Clients instead of contacts: the birthdays come, the contacts go.
		if res, body := s.JSON("PATCH", "/api/v1/users/"+itoa(id), f.tok, map[string]any{"permissions": map[string]string{"calendar": "view", "clients": "view"}}); res.StatusCode != 200 {
			t.Fatalf("permissions: %d %s", res.StatusCode, body)
		}
		_, body, _ = fetchFeed(t, s, feed)
		if _, ev := parseICS(t, body); len(ev) != 2 || ev["birthday-person-"+itoa(f.person)] == nil {
			t.Errorf("clients only: %v", slices.Collect(mapKeys(ev)))
		}
		// Without the calendar: 404.
		s.JSON("PATCH", "/api/v1/users/"+itoa(id), f.tok, map[string]any{"permissions": map[string]string{"clients": "view"}})
		if st, _, _ := fetchFeed(t, s, feed); st != 404 {
			t.Errorf("no calendar section: %d", st)
		}
		s.JSON("PATCH", "/api/v1/users/"+itoa(id), f.tok, map[string]any{"permissions": map[string]string{"calendar": "view"}})
		if st, _, _ := fetchFeed(t, s, feed); st != 200 {
			t.Errorf("calendar back: %d", st)
		}
		// Deactivated: 404.
		if res, body := s.JSON("PATCH", "/api/v1/users/"+itoa(id), f.tok, map[string]any{"active": false}); res.StatusCode != 200 {
			t.Fatalf("deactivate: %d %s", res.StatusCode, body)
		}
		if st, _, _ := fetchFeed(t, s, feed); st != 404 {
			t.Errorf("deactivated user's feed: %d", st)
		}
	}, calendarClock)
}

func TestContactICS(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		f := newCalendarFixture(t, s, "jan@example.pl")
		for _, get := range []func() (*http.Response, string){
			func() (*http.Response, string) {
				return s.JSON("GET", "/api/v1/planned-contacts/"+itoa(f.after)+"/ics", f.tok, nil)
			},
			func() (*http.Response, string) {
				b := s.Browser()
				b.Post("/login", url.Values{"email": {"jan@example.pl"}, "password": {pw}})
				return b.Get("/contacts/" + itoa(f.after) + "/ics")
			},
		} {
			res, body := get()
			if res.StatusCode != 200 || res.Header.Get("Content-Type") != "text/calendar; charset=utf-8" ||
				!strings.Contains(res.Header.Get("Content-Disposition"), "kontakt-"+itoa(f.after)+".ics") {
				t.Fatalf("ics: %d %v\n%s", res.StatusCode, res.Header, body)
			}
			_, ev := parseICS(t, body)
			e := ev["contact-"+itoa(f.after)]
			if len(ev) != 1 || e == nil {
				t.Fatalf("events: %v", slices.Collect(mapKeys(ev)))
			}
			start, err := e.GetStartAt()
			if err != nil || !start.Equal(time.Date(2027, 3, 29, 8, 0, 0, 0, time.UTC)) || prop(e, goical.ComponentPropertySummary) != "Urodzinowa Marta — Po zmianie czasu" {
				t.Errorf("event: %v %v %q", start, err, prop(e, goical.ComponentPropertySummary))
			}
		}
		_, page := s.Browser().Get("/contacts/" + itoa(f.after))
		_ = page
	}, calendarClock)
}

func mapKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}
