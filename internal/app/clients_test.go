package app_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"klientela/internal/app/apptest"
)

func createClient(t *testing.T, s *apptest.Server, tok string, in map[string]any) int64 {
	t.Helper()
	res, body := s.JSON("POST", "/api/v1/clients", tok, in)
	if res.StatusCode != 201 {
		t.Fatalf("create client %v: %d %s", in, res.StatusCode, body)
	}
	var c struct{ ID int64 }
	_ = json.Unmarshal([]byte(body), &c)
	return c.ID
}

func TestClientsPages(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		b := s.SignUp("Firma", "Jan Kowalski", "jan@example.pl", pw)
		tok := s.Token("jan@example.pl", pw)
		_, body := b.Get("/clients")
		mustContain(t, body, "Nie ma jeszcze klientów", `href="/clients/new"`)

		// An invalid NIP: 422 with the message at the field, input kept.
		form := url.Values{"kind": {"company"}, "name": {"Żółw sp. z o.o."}, "nip": {"123-456-32-19"}, "city": {"Łódź"},
			"postal_code": {"90-001"}, "phones": {"+48 600 100 200"}, "emails": {"biuro@zolw.pl"}, "status": {"active"}}
		res, body := b.Post("/clients", form)
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("bad NIP = %d", res.StatusCode)
		}
		if got := fieldError(body, "nip"); got != "Ten NIP jest nieprawidłowy — sprawdź, czy nie ma w nim literówki." {
			t.Fatalf("nip error = %q", got)
		}
		mustContain(t, body, `value="Żółw sp. z o.o."`)
		form.Set("nip", "PL 1234563218")
		res, _ = b.Post("/clients", form)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("create = %d", res.StatusCode)
		}
		card := res.Header.Get("Location")
		_, body = b.Get(card)
		mustContain(t, body, "Żółw sp. z o.o.", "123-456-32-18", `href="tel:&#43;48600100200"`, `href="mailto:biuro@zolw.pl"`)
		id, _ := strconv.ParseInt(strings.TrimPrefix(card, "/clients/"), 10, 64)
		api := "/api/v1/clients/" + strconv.FormatInt(id, 10)
		if _, body := s.JSON("GET", api, tok, nil); !strings.Contains(body, `"nip":"1234563218"`) {
			t.Fatalf("stored NIP: %s", body)
		}

		// A person: the PESEL fills the birthday; a future birthday is refused.
		res, body = s.JSON("POST", "/api/v1/clients", tok, map[string]any{"kind": "person", "first_name": "Anna", "last_name": "Wąs", "pesel": "44051401359"})
		if res.StatusCode != 201 || !strings.Contains(body, `"birthday":"1944-05-14"`) || !strings.Contains(body, `"name":"Wąs Anna"`) {
			t.Fatalf("person: %d %s", res.StatusCode, body)
		}
		res, body = s.JSON("POST", "/api/v1/clients", tok, map[string]any{"kind": "person", "first_name": "A", "last_name": "B", "birthday": "2999-01-01"})
		if res.StatusCode != 422 || !strings.Contains(body, `"birthday"`) {
			t.Fatalf("future birthday: %d %s", res.StatusCode, body)
		}

		// A contact person's phone finds the client.
		res, body = s.JSON("POST", api+"/persons", tok, map[string]any{"first_name": "Ewa", "last_name": "Zając", "phone": "501 222 333"})
		if res.StatusCode != 201 {
			t.Fatalf("person: %d %s", res.StatusCode, body)
		}
		for _, q := range []string{"lodz", "zolw", "1234563218", "123-456-32-18", "501222333", "zajac", ""} {
			_, body = b.Get("/clients?q=" + url.QueryEscape(q))
			mustContain(t, body, "Żółw sp. z o.o.")
		}
		_, body = b.Get("/clients?q=" + strings.Repeat("ą", 500))
		mustContain(t, body, "Nic nie pasuje")
		_, body = b.Get("/clients?status=potential")
		mustContain(t, body, "Wąs Anna")
		mustNotContain(t, body, "Żółw sp. z o.o.")

		// Trash: out of the list, in the trash, restore, purge.
		if res, _ := b.Post(card+"/delete", nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("delete = %d", res.StatusCode)
		}
		_, body = b.Get("/clients")
		mustNotContain(t, body, "Żółw sp. z o.o.")
		if res, _ := b.Get(card); res.StatusCode != 404 {
			t.Fatalf("trashed card = %d", res.StatusCode)
		}
		_, body = b.Get("/clients/trash")
		mustContain(t, body, "Żółw sp. z o.o.", "Przywróć", "Usuń na zawsze")
		if res, _ := b.Post(card+"/restore", nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("restore = %d", res.StatusCode)
		}
		_, body = b.Get(card + "?tab=history")
		mustContain(t, body, "Utworzenie", "Osoba kontaktowa", "W koszu")
		if n := strings.Count(body, `class="history-entry"`); n != 4 {
			t.Fatalf("history has %d entries, want 4", n)
		}
		b.Post(card+"/delete", nil)
		if res, _ := b.Post(card+"/purge", nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("purge = %d", res.StatusCode)
		}
		_, body = b.Get("/clients/trash")
		mustNotContain(t, body, "Żółw sp. z o.o.")
	})
}

func TestClientsPagination(t *testing.T) {
	s := apptest.Start(t, "sqlite")
	b := s.SignUp("Firma", "Jan Kowalski", "jan@example.pl", pw)
	tok := s.Token("jan@example.pl", pw)
	for i := range 55 {
		createClient(t, s, tok, map[string]any{"name": "Klient " + strconv.Itoa(100+i)})
	}
	_, body := b.Get("/clients?q=klient")
	mustContain(t, body, "1–50 z 55", `href="/clients?page=2&amp;q=klient"`)
	_, body = b.Get("/clients?q=klient&page=2&sort=name")
	mustContain(t, body, "51–55 z 55", "Klient 154")
	_, body = s.JSON("GET", "/api/v1/clients?limit=20&cursor=", tok, nil)
	if !strings.Contains(body, `"total":55`) || !strings.Contains(body, `"next_cursor":"`) {
		t.Fatalf("API page: %s", body[:200])
	}
}

func TestClientsPermissions(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		s.SignUp("Firma", "Jan Kowalski", "jan@example.pl", pw)
		tok := s.Token("jan@example.pl", pw)
		id := createClient(t, s, tok, map[string]any{"name": "Cudzy klient"})
		card := "/clients/" + strconv.FormatInt(id, 10)

		viewer := s.AddUser("jan@example.pl", "view@example.pl", pw, apptest.Scope("clients", "view"))
		_, body := viewer.Get(card)
		mustContain(t, body, "Cudzy klient")
		mustNotContain(t, body, `/edit"`, `/delete"`)
		if res, _ := viewer.Post(card, url.Values{"name": {"X"}}); res.StatusCode != 403 {
			t.Errorf("viewer edits: %d", res.StatusCode)
		}
		editor := s.AddUser("jan@example.pl", "edit@example.pl", pw, apptest.Scope("clients", "edit"))
		if res, _ := editor.Post(card+"/delete", nil); res.StatusCode != 403 {
			t.Errorf("editor deletes: %d", res.StatusCode)
		}

		// own_only: a user linked to an employee sees only that employee's clients.
		res, body := s.JSON("POST", "/api/v1/employees", tok, map[string]any{"first_name": "Ola", "last_name": "Lis"})
		var e struct{ ID int64 }
		_ = json.Unmarshal([]byte(body), &e)
		res, body = s.JSON("POST", "/api/v1/users", tok, map[string]any{"email": "own@example.pl", "name": "Ola Lis", "password": pw,
			"employee_id": e.ID, "permissions": map[string]string{"clients": "edit"}, "own_only": []string{"clients"}})
		if res.StatusCode != 201 {
			t.Fatalf("own user: %d %s", res.StatusCode, body)
		}
		tokOwn := s.Token("own@example.pl", pw)
		mine := createClient(t, s, tokOwn, map[string]any{"name": "Mój klient"})
		if _, body := s.JSON("GET", "/api/v1/clients/"+strconv.FormatInt(mine, 10), tokOwn, nil); !strings.Contains(body, `"employee_id":`+strconv.FormatInt(e.ID, 10)) {
			t.Fatalf("own client not assigned: %s", body)
		}
		_, body = s.JSON("GET", "/api/v1/clients", tokOwn, nil)
		if !strings.Contains(body, "Mój klient") || strings.Contains(body, "Cudzy klient") {
			t.Fatalf("own list: %s", body)
		}
		for _, p := range []string{"/api/v1/clients/" + strconv.FormatInt(id, 10), "/api/v1/clients/" + strconv.FormatInt(id, 10) + "/history",
			"/api/v1/clients/" + strconv.FormatInt(id, 10) + "/persons"} {
			if res, _ := s.JSON("GET", p, tokOwn, nil); res.StatusCode != 404 {
				t.Errorf("own_only GET %s = %d, want 404", p, res.StatusCode)
			}
		}
		// An own-only user without an employee is told why they cannot add clients.
		s.JSON("POST", "/api/v1/users", tok, map[string]any{"email": "lonely@example.pl", "name": "Sam", "password": pw,
			"permissions": map[string]string{"clients": "edit"}, "own_only": []string{"clients"}})
		res, body = s.JSON("POST", "/api/v1/clients", s.Token("lonely@example.pl", pw), map[string]any{"kind": "company", "name": "Zgubiony"})
		if res.StatusCode != 422 || !strings.Contains(body, "nie jest powiązane z pracownikiem") {
			t.Errorf("own-only without an employee: %d %s", res.StatusCode, body)
		}
		// Another account: 404.
		s.SignUp("Firma B", "Ewa Nowak", "ewa@example.pl", pw)
		tokB := s.Token("ewa@example.pl", pw)
		for _, m := range []string{"GET", "PATCH", "DELETE"} {
			if res, _ := s.JSON(m, "/api/v1/clients/"+strconv.FormatInt(id, 10), tokB, map[string]any{}); res.StatusCode != 404 {
				t.Errorf("B %s = %d", m, res.StatusCode)
			}
		}
	})
}
