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

// Important dates and tags through the API and the form, with bad input.
func TestClientDatesAndTags(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		b := s.SignUp("Firma", "Jan Kowalski", "jan@example.pl", pw)
		tok := s.Token("jan@example.pl", pw)

		// API: POST with dates and tags; the tags are cleaned and unique regardless of case.
		res, body := s.JSON("POST", "/api/v1/clients", tok, map[string]any{"kind": "company", "name": "Daty sp. z o.o.",
			"important_dates": []map[string]any{{"name": "Rocznica współpracy", "date": "2020-05-01", "yearly": true},
				{"name": "Koniec umowy", "date": "2030-01-31", "yearly": false}},
			"tags": []string{" VIP ", "hurt", "vip", ""}})
		if res.StatusCode != 201 {
			t.Fatalf("create: %d %s", res.StatusCode, body)
		}
		mustContain(t, body, `"important_dates":[{"name":"Rocznica współpracy","date":"2020-05-01","yearly":true},{"name":"Koniec umowy","date":"2030-01-31","yearly":false}]`,
			`"tags":["hurt","VIP"]`)
		var c struct{ ID int64 }
		_ = json.Unmarshal([]byte(body), &c)
		api := "/api/v1/clients/" + itoa(c.ID)

		// PATCH without the fields keeps them; with them replaces them.
		res, body = s.JSON("PATCH", api, tok, map[string]any{"short_name": "Daty"})
		if res.StatusCode != 200 || !strings.Contains(body, `"tags":["hurt","VIP"]`) || !strings.Contains(body, "Koniec umowy") {
			t.Fatalf("patch keeps: %d %s", res.StatusCode, body)
		}
		res, body = s.JSON("PATCH", api, tok, map[string]any{"important_dates": []map[string]any{}, "tags": []string{"Stały klient"}})
		if res.StatusCode != 200 || !strings.Contains(body, `"important_dates":[]`) || !strings.Contains(body, `"tags":["Stały klient"]`) {
			t.Fatalf("patch replaces: %d %s", res.StatusCode, body)
		}

		// Bad input: an invalid date, a date without a name, a tag too long — 422 at the fields, nothing saved.
		for _, tc := range []struct {
			in    map[string]any
			field string
		}{
			{map[string]any{"important_dates": []map[string]any{{"name": "Rocznica", "date": "2020-02-30", "yearly": true}}}, "important_dates.0.date"},
			{map[string]any{"important_dates": []map[string]any{{"name": "", "date": "2020-02-01"}}}, "important_dates.0.name"},
			{map[string]any{"important_dates": []map[string]any{{"name": "A", "date": "2020-02-01"}, {"name": "B", "date": "1.2.2020"}}}, "important_dates.1.date"},
			{map[string]any{"tags": []string{strings.Repeat("ż", 41)}}, "tags"},
			{map[string]any{"tags": []string{"a,b"}}, "tags"},
		} {
			res, body := s.JSON("PATCH", api, tok, tc.in)
			if res.StatusCode != 422 || !strings.Contains(body, `"`+tc.field+`"`) {
				t.Errorf("bad %v: %d %s", tc.in, res.StatusCode, body)
			}
		}
		if _, body := s.JSON("GET", api, tok, nil); !strings.Contains(body, `"tags":["Stały klient"]`) || !strings.Contains(body, `"important_dates":[]`) {
			t.Fatalf("after refused changes: %s", body)
		}
		// A tag of exactly 40 characters is fine.
		if res, body := s.JSON("PATCH", api, tok, map[string]any{"tags": []string{strings.Repeat("ż", 40), "Stały klient"}}); res.StatusCode != 200 {
			t.Fatalf("40 characters: %d %s", res.StatusCode, body)
		}

		// The form: one empty row for a new date without JavaScript; an invalid date comes back at its field.
		_, page := b.Get("/clients/" + itoa(c.ID) + "/edit")
		mustContain(t, page, `name="important_dates.0.name"`, `data-add-row="date-rows"`, `<datalist id="tag-list">`, `<option value="Stały klient">`)
		mustNotContain(t, page, `name="important_dates.1.name"`)
		form := url.Values{"kind": {"company"}, "name": {"Daty sp. z o.o."}, "status": {"active"}, "country": {"PL"},
			"tags": {"Stały klient, Łódź"}, "important_dates.0.name": {"Koniec umowy"}, "important_dates.0.date": {"2031-13-01"}}
		res, page = b.Post("/clients/"+itoa(c.ID), form)
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("bad date in the form = %d", res.StatusCode)
		}
		if got := fieldError(page, "important_dates.0.date"); got != "Podaj datę w formacie RRRR-MM-DD." {
			t.Fatalf("date error = %q", got)
		}
		mustContain(t, page, `value="Koniec umowy"`, `name="important_dates.1.name"`)
		form.Set("important_dates.0.date", "2031-12-01")
		form.Set("important_dates.1.name", "Rocznica współpracy")
		form.Set("important_dates.1.date", "2019-06-15")
		form.Set("important_dates.1.yearly", "1")
		if res, _ := b.Post("/clients/"+itoa(c.ID), form); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("save = %d", res.StatusCode)
		}
		_, page = b.Get("/clients/" + itoa(c.ID))
		mustContain(t, page, "Koniec umowy: 01.12.2031", "Rocznica współpracy: 15.06.2019", "co roku", `href="/clients?tag=%c5%81%c3%b3d%c5%ba"`, "#Stały klient")
		_, page = b.Get("/clients/" + itoa(c.ID) + "?tab=history")
		mustContain(t, page, "Ważne daty", "Rocznica współpracy: 2019-06-15 ↻", "Tagi")

		// The tag filter on the list, the API and the export, in any case.
		createClient(t, s, tok, map[string]any{"name": "Bez tagów"})
		_, page = b.Get("/clients?tag=" + url.QueryEscape("łódź"))
		mustContain(t, page, "Daty sp. z o.o.", `value="łódź"`)
		mustNotContain(t, page, "Bez tagów")
		if _, body := s.JSON("GET", "/api/v1/clients?tag=STA%C5%81Y+KLIENT", tok, nil); !strings.Contains(body, "Daty sp. z o.o.") || strings.Contains(body, "Bez tagów") {
			t.Fatalf("API tag filter: %s", body)
		}
		_, csv := b.Get("/clients/export.csv?tag=vip")
		mustNotContain(t, csv, "Daty sp. z o.o.", "Bez tagów")
		_, csv = b.Get("/clients/export.csv?tag=" + url.QueryEscape("Łódź"))
		mustContain(t, csv, "Daty sp. z o.o.")
		mustNotContain(t, csv, "Bez tagów")
	})
}

// The "has an overdue contact" filter on the list, the API and the export.
func TestClientsOverdueFilter(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		b := s.SignUp("Firma", "Jan Kowalski", "jan@example.pl", pw)
		tok := s.Token("jan@example.pl", pw)
		emp := contactEmployee(t, s, tok, "Ola", "Lis")
		late := createClient(t, s, tok, map[string]any{"name": "Spóźniony"})
		future := createClient(t, s, tok, map[string]any{"name": "Przyszły"})
		done := createClient(t, s, tok, map[string]any{"name": "Załatwiony"})
		now := time.Now()
		createContact(t, s, tok, map[string]any{"client_id": late, "employee_id": emp, "at": rfc(now.Add(-time.Hour))})
		createContact(t, s, tok, map[string]any{"client_id": future, "employee_id": emp, "at": rfc(now.Add(48 * time.Hour))})
		d := createContact(t, s, tok, map[string]any{"client_id": done, "employee_id": emp, "at": rfc(now.Add(-time.Hour))})
		if res, body := s.JSON("POST", "/api/v1/planned-contacts/"+itoa(d.ID)+"/complete", tok, map[string]any{"outcome": "success"}); res.StatusCode != 200 {
			t.Fatalf("complete: %d %s", res.StatusCode, body)
		}
		_, page := b.Get("/clients?overdue=1")
		mustContain(t, page, "Spóźniony", `name="overdue" value="1" checked`)
		mustNotContain(t, page, "Przyszły", "Załatwiony")
		_, body := s.JSON("GET", "/api/v1/clients?overdue=true", tok, nil)
		if !strings.Contains(body, "Spóźniony") || strings.Contains(body, "Przyszły") || !strings.Contains(body, `"total":1`) {
			t.Fatalf("API overdue: %s", body)
		}
		if res, body := s.JSON("GET", "/api/v1/clients?overdue=maybe", tok, nil); res.StatusCode != 422 || !strings.Contains(body, `"overdue"`) {
			t.Fatalf("overdue=maybe: %d %s", res.StatusCode, body)
		}
		_, body = s.JSON("GET", "/api/v1/clients/export?format=csv&overdue=true", tok, nil)
		mustContain(t, body, "Spóźniony")
		mustNotContain(t, body, "Przyszły", "Załatwiony")
		_, csv := b.Get("/clients/export.csv?overdue=1")
		mustContain(t, csv, "Spóźniony")
		mustNotContain(t, csv, "Przyszły")
	})
}

// Cancelling a planned contact: web and API, with a reason; a done contact
// cannot be cancelled (409), nor a cancelled one again; lists and history.
func TestCancelContact(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		b := s.SignUp("Firma", "Jan Kowalski", "jan@example.pl", pw)
		tok := s.Token("jan@example.pl", pw)
		emp := contactEmployee(t, s, tok, "Ola", "Lis")
		cl := createClient(t, s, tok, map[string]any{"name": "Odwołany sp. j."})
		at := rfc(time.Now().Add(24 * time.Hour))
		c1 := createContact(t, s, tok, map[string]any{"client_id": cl, "employee_id": emp, "at": at, "subject": "Prezentacja"})
		c2 := createContact(t, s, tok, map[string]any{"client_id": cl, "employee_id": emp, "at": at, "subject": "Rozmowa"})
		c3 := createContact(t, s, tok, map[string]any{"client_id": cl, "employee_id": emp, "at": at, "subject": "Wizyta"})

		res, body := s.JSON("POST", "/api/v1/planned-contacts/"+itoa(c1.ID)+"/cancel", tok, map[string]any{"reason": "Klient przełożył na wiosnę"})
		if res.StatusCode != 200 || !strings.Contains(body, `"status":"cancelled"`) || !strings.Contains(body, `"cancel_reason":"Klient przełożył na wiosnę"`) || strings.Contains(body, `"cancelled_at":null`) {
			t.Fatalf("cancel: %d %s", res.StatusCode, body)
		}
		if res, body := s.JSON("POST", "/api/v1/planned-contacts/"+itoa(c1.ID)+"/cancel", tok, map[string]any{}); res.StatusCode != 409 || !strings.Contains(body, "już odwołany") {
			t.Fatalf("cancel again: %d %s", res.StatusCode, body)
		}
		s.JSON("POST", "/api/v1/planned-contacts/"+itoa(c2.ID)+"/complete", tok, map[string]any{"outcome": "success", "note": "Zamówili"})
		res, body = s.JSON("POST", "/api/v1/planned-contacts/"+itoa(c2.ID)+"/cancel", tok, map[string]any{"reason": "x"})
		if res.StatusCode != 409 || !strings.Contains(body, `"code":"conflict"`) || !strings.Contains(body, `"reason":"Ten kontakt został już wykonany`) {
			t.Fatalf("cancel a done contact: %d %s", res.StatusCode, body)
		}
		if _, body := s.JSON("GET", "/api/v1/planned-contacts/"+itoa(c2.ID), tok, nil); !strings.Contains(body, `"status":"done"`) {
			t.Fatalf("done contact changed: %s", body)
		}
		if res, _ := s.JSON("POST", "/api/v1/planned-contacts/"+itoa(c3.ID)+"/cancel", tok, map[string]any{"reason": strings.Repeat("x", 501)}); res.StatusCode != 422 {
			t.Fatalf("long reason: %d", res.StatusCode)
		}
		// A cancelled contact cannot be completed either.
		if res, _ := s.JSON("POST", "/api/v1/planned-contacts/"+itoa(c1.ID)+"/complete", tok, map[string]any{"outcome": "success"}); res.StatusCode != 422 {
			t.Fatalf("complete a cancelled contact: %d", res.StatusCode)
		}

		// Web: the card offers cancelling while planned; a done one refused at the field.
		_, page := b.Get("/contacts/" + itoa(c3.ID))
		mustContain(t, page, `action="/contacts/`+itoa(c3.ID)+`/cancel"`, "Odwołaj kontakt")
		res, page = b.Post("/contacts/"+itoa(c2.ID)+"/cancel", url.Values{"reason": {"za późno"}})
		if res.StatusCode != 409 || fieldError(page, "reason") != "Ten kontakt został już wykonany — nie można go odwołać." {
			t.Fatalf("web cancel done: %d %q", res.StatusCode, fieldError(page, "reason"))
		}
		if res, _ := b.Post("/contacts/"+itoa(c3.ID)+"/cancel", url.Values{"reason": {"Nie ma już takiej potrzeby"}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("web cancel = %d", res.StatusCode)
		}
		_, page = b.Get("/contacts/" + itoa(c3.ID))
		mustContain(t, page, "Odwołany", "Nie ma już takiej potrzeby", "Powód odwołania")
		mustNotContain(t, page, `/cancel"`)
		// Lists: filter by status.
		_, page = b.Get("/contacts?status=cancelled")
		mustContain(t, page, "Prezentacja", "Wizyta", `<option value="cancelled" selected>`)
		mustNotContain(t, page, "Rozmowa")
		if _, body := s.JSON("GET", "/api/v1/planned-contacts?status=cancelled", tok, nil); !strings.Contains(body, `"total":2`) {
			t.Fatalf("API cancelled filter: %s", body)
		}
		// The client card's timeline shows the done and the cancelled contacts.
		_, page = b.Get("/clients/" + itoa(cl) + "?tab=timeline")
		mustContain(t, page, "Kontakt wykonany", "Zamówili", "Kontakt odwołany", "Klient przełożył na wiosnę", "Nie ma już takiej potrzeby")
		// History of the contact.
		_, page = b.Get("/contacts/" + itoa(c1.ID))
		mustContain(t, page, "Powód odwołania", "Klient przełożył na wiosnę")
	})
}

// Contact persons: edit from the card with field errors; the timeline and
// history record it; the timeline pages.
func TestClientPersonEditAndTimeline(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		b := s.SignUp("Firma", "Jan Kowalski", "jan@example.pl", pw)
		tok := s.Token("jan@example.pl", pw)
		cl := createClient(t, s, tok, map[string]any{"name": "Osoby sp. z o.o."})
		card := "/clients/" + itoa(cl)
		if res, _ := b.Post(card+"/persons", url.Values{"first_name": {"Ewa"}, "last_name": {"Zając"}, "phone": {"501 222 333"}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("add person = %d", res.StatusCode)
		}
		_, body := s.JSON("GET", "/api/v1"+card+"/persons", tok, nil)
		var ps struct{ Items []struct{ ID int64 } }
		_ = json.Unmarshal([]byte(body), &ps)
		if len(ps.Items) != 1 {
			t.Fatalf("persons: %s", body)
		}
		person := card + "/persons/" + itoa(ps.Items[0].ID)
		_, page := b.Get(card + "?tab=persons")
		mustContain(t, page, `href="`+person+`"`)
		_, page = b.Get(person)
		mustContain(t, page, "Edycja osoby kontaktowej", `value="Zając"`, `action="`+person+`"`)

		res, page := b.Post(person, url.Values{"first_name": {"Ewa"}, "last_name": {"Zając"}, "email": {"ewa@"}, "role": {"Prezes"}})
		if res.StatusCode != 422 || fieldError(page, "email") == "" {
			t.Fatalf("bad e-mail: %d %q", res.StatusCode, fieldError(page, "email"))
		}
		mustContain(t, page, "Edycja osoby kontaktowej", `value="Prezes"`)
		res, page = b.Post(person, url.Values{"first_name": {"Ewa"}, "last_name": {"Zając-Nowak"}, "email": {"ewa@osoby.pl"}, "role": {"Prezes"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("edit person = %d %s", res.StatusCode, page)
		}
		_, page = b.Get(card + "?tab=persons")
		mustContain(t, page, "Ewa Zając-Nowak", "ewa@osoby.pl")
		// Another client's person under this client's URL: 404.
		other := createClient(t, s, tok, map[string]any{"name": "Inny"})
		if res, _ := b.Get("/clients/" + itoa(other) + "/persons/" + itoa(ps.Items[0].ID)); res.StatusCode != 404 {
			t.Fatalf("person under another client = %d", res.StatusCode)
		}

		_, page = b.Get(card + "?tab=timeline")
		mustContain(t, page, "Dodano osobę kontaktową", "Zmieniono osobę kontaktową", "Ewa Zając-Nowak (Prezes)", "Utworzenie")
		// Paging: 25 more changes, the first page shows 20 and a link to more.
		for i := range 25 {
			s.JSON("PATCH", "/api/v1"+card, tok, map[string]any{"notes": "Notatka " + itoa(int64(i))})
		}
		_, page = b.Get(card + "?tab=timeline")
		if n := strings.Count(page, `class="history-entry`); n != 20 {
			t.Fatalf("first page has %d entries", n)
		}
		mustContain(t, page, `href="`+card+`?tab=timeline&amp;offset=20"`, "Notatka 24")
		_, page = b.Get(card + "?tab=timeline&offset=20")
		if n := strings.Count(page, `class="history-entry`); n != 8 {
			t.Fatalf("second page has %d entries", n)
		}
		mustContain(t, page, "Dodano osobę kontaktową", "Utworzenie")
		mustNotContain(t, page, "offset=40")
	})
}
