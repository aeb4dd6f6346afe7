package app_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"klientela/internal/app/apptest"
)

// contactOut is a planned contact as the API answers.
type contactOut struct {
	ID         int64
	ClientID   int64  `json:"client_id"`
	EmployeeID int64  `json:"employee_id"`
	At         string `json:"at"`
	Status     string
	Outcome    string
	Subject    string
	Channel    string
}

func createContact(t *testing.T, s *apptest.Server, tok string, in map[string]any) contactOut {
	t.Helper()
	res, body := s.JSON("POST", "/api/v1/planned-contacts", tok, in)
	if res.StatusCode != 201 {
		t.Fatalf("create contact %v: %d %s", in, res.StatusCode, body)
	}
	var c contactOut
	_ = json.Unmarshal([]byte(body), &c)
	return c
}

func contactEmployee(t *testing.T, s *apptest.Server, tok, first, last string) int64 {
	t.Helper()
	res, body := s.JSON("POST", "/api/v1/employees", tok, map[string]any{"first_name": first, "last_name": last})
	if res.StatusCode != 201 {
		t.Fatalf("employee: %d %s", res.StatusCode, body)
	}
	var e struct{ ID int64 }
	_ = json.Unmarshal([]byte(body), &e)
	return e.ID
}

// contactUser adds a user linked to employee emp with the given rights.
func contactUser(t *testing.T, s *apptest.Server, tok, email string, emp int64, perms map[string]string, own []string) {
	t.Helper()
	in := map[string]any{"email": email, "name": email, "password": pw, "permissions": perms}
	if emp != 0 {
		in["employee_id"] = emp
	}
	if own != nil {
		in["own_only"] = own
	}
	if res, body := s.JSON("POST", "/api/v1/users", tok, in); res.StatusCode != 201 {
		t.Fatalf("user %s: %d %s", email, res.StatusCode, body)
	}
}

func rfc(t time.Time) string { return t.Format(time.RFC3339) }

func TestContactsCompleteAndFollowUp(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		b := s.SignUp("Firma", "Jan Kowalski", "jan@example.pl", pw)
		tok := s.Token("jan@example.pl", pw)
		emp := contactEmployee(t, s, tok, "Ala", "Kot")
		client := createClient(t, s, tok, map[string]any{"name": "Klient Kontaktowy"})
		at := time.Now().Add(2 * time.Hour).Truncate(time.Second)
		c := createContact(t, s, tok, map[string]any{"client_id": client, "employee_id": emp, "at": rfc(at),
			"channel": "meeting", "subject": "Oferta"})
		if c.Status != "planned" || c.Channel != "meeting" || !strings.HasSuffix(c.At, "+01:00") && !strings.HasSuffix(c.At, "+02:00") {
			t.Fatalf("created: %+v", c)
		}
		// Completing needs an outcome; a next contact only for no_answer/postponed.
		res, body := s.JSON("POST", "/api/v1/planned-contacts/"+itoa(c.ID)+"/complete", tok, map[string]any{})
		if res.StatusCode != 422 || !strings.Contains(body, "outcome") {
			t.Fatalf("complete without outcome: %d %s", res.StatusCode, body)
		}
		next := at.Add(72 * time.Hour)
		res, body = s.JSON("POST", "/api/v1/planned-contacts/"+itoa(c.ID)+"/complete", tok,
			map[string]any{"outcome": "success", "next_at": rfc(next)})
		if res.StatusCode != 422 || !strings.Contains(body, "next_at") {
			t.Fatalf("next with success: %d %s", res.StatusCode, body)
		}
		res, body = s.JSON("POST", "/api/v1/planned-contacts/"+itoa(c.ID)+"/complete", tok,
			map[string]any{"outcome": "no_answer", "note": "Nie odbiera", "next_at": rfc(next)})
		if res.StatusCode != 200 {
			t.Fatalf("complete: %d %s", res.StatusCode, body)
		}
		var out struct {
			Contact contactOut
			Next    *contactOut
		}
		_ = json.Unmarshal([]byte(body), &out)
		if out.Contact.Status != "done" || out.Contact.Outcome != "no_answer" || out.Next == nil ||
			out.Next.Status != "planned" || out.Next.Subject != "Oferta" || out.Next.EmployeeID != emp || out.Next.ClientID != client {
			t.Fatalf("complete answer: %s", body)
		}
		if got, _ := time.Parse(time.RFC3339, out.Next.At); !got.Equal(next) {
			t.Fatalf("next at %s, want %s", out.Next.At, rfc(next))
		}
		// Completing twice is refused.
		res, _ = s.JSON("POST", "/api/v1/planned-contacts/"+itoa(c.ID)+"/complete", tok, map[string]any{"outcome": "success"})
		if res.StatusCode != 422 {
			t.Fatalf("complete twice: %d", res.StatusCode)
		}
		// Lists: planned shows the follow-up, done shows the first one.
		_, body = s.JSON("GET", "/api/v1/planned-contacts?status=planned&client_id="+itoa(client), tok, nil)
		if !strings.Contains(body, `"id":`+itoa(out.Next.ID)) || strings.Contains(body, `"id":`+itoa(c.ID)+`,`) {
			t.Fatalf("planned list: %s", body)
		}
		// History of both, through the API and the card.
		_, body = b.Get("/contacts/" + itoa(c.ID))
		mustContain(t, body, "Klient Kontaktowy", "Brak odpowiedzi", "Nie odbiera")
		_, body = b.Get("/clients/" + itoa(client))
		mustContain(t, body, "Zaplanuj kontakt", "/contacts/new?client_id="+itoa(client), "/contacts/"+itoa(out.Next.ID))

		// The form, new and edit, and the list.
		res, body = b.Get("/contacts/new?client_id=" + itoa(client))
		if res.StatusCode != 200 {
			t.Fatalf("new form = %d", res.StatusCode)
		}
		mustContain(t, body, "Klient Kontaktowy", `name="at_date"`, `name="at_time"`, "Spotkanie")
		res, body = b.Get("/contacts/" + itoa(out.Next.ID) + "?edit=1")
		if res.StatusCode != 200 {
			t.Fatalf("edit form = %d", res.StatusCode)
		}
		mustContain(t, body, `value="Oferta"`, `action="/contacts/`+itoa(out.Next.ID)+`"`)
		if res, _ := b.Get("/contacts?status=done&employee_id=" + itoa(emp) + "&from=2020-01-01&to=2040-01-01"); res.StatusCode != 200 {
			t.Fatalf("list = %d", res.StatusCode)
		}

		// Web: plan with a local date and time, then complete with postponed and a next date.
		res, body = b.Post("/contacts", url.Values{"client_id": {itoa(client)}, "employee_id": {itoa(emp)},
			"at_date": {"2030-03-04"}, "at_time": {"09:30"}, "channel": {"phone"}, "subject": {"Telefon webowy"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("web create: %d %s", res.StatusCode, body)
		}
		loc := res.Header.Get("Location")
		_, body = s.JSON("GET", "/api/v1"+strings.Replace(loc, "/contacts/", "/planned-contacts/", 1), tok, nil)
		if !strings.Contains(body, `"at":"2030-03-04T09:30:00+01:00"`) {
			t.Fatalf("web time not in the account's zone: %s", body)
		}
		res, _ = b.Post(loc+"/complete", url.Values{"outcome": {"postponed"}, "next_date": {"2030-03-05"}, "next_time": {"10:00"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("web complete: %d", res.StatusCode)
		}
		_, body = s.JSON("GET", "/api/v1/planned-contacts?status=planned&from=2030-03-05T00:00:00%2B01:00", tok, nil)
		if !strings.Contains(body, `"at":"2030-03-05T10:00:00+01:00"`) || !strings.Contains(body, "Telefon webowy") {
			t.Fatalf("web follow-up: %s", body)
		}
	})
}

func TestContactsMineQueue(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		s.SignUp("Firma", "Jan Kowalski", "jan@example.pl", pw)
		tok := s.Token("jan@example.pl", pw)
		emp := contactEmployee(t, s, tok, "Ola", "Lis")
		other := contactEmployee(t, s, tok, "Piotr", "Zając")
		contactUser(t, s, tok, "ola@example.pl", emp, map[string]string{"contacts": "edit", "clients": "view"}, nil)
		client := createClient(t, s, tok, map[string]any{"name": "Klient Kolejki"})
		now := time.Now()
		plan := func(at time.Time, subject string, e int64) contactOut {
			return createContact(t, s, tok, map[string]any{"client_id": client, "employee_id": e, "at": rfc(at), "subject": subject})
		}
		plan(now.Add(-26*time.Hour), "Zaległy-wczoraj", emp)
		plan(now.Add(-time.Minute), "Zaległy-przed-chwilą", emp)
		plan(now.Add(72*time.Hour), "Za-trzy-dni", emp)
		plan(now.Add(-time.Hour), "Cudzy-zaległy", other)
		done := plan(now.Add(-3*time.Hour), "Wykonany", emp)
		s.JSON("POST", "/api/v1/planned-contacts/"+itoa(done.ID)+"/complete", tok, map[string]any{"outcome": "success"})

		b := s.Browser()
		b.Post("/login", url.Values{"email": {"ola@example.pl"}, "password": {pw}})
		res, body := b.Get("/contacts/mine")
		if res.StatusCode != 200 {
			t.Fatalf("mine = %d", res.StatusCode)
		}
		mustContain(t, body, "Moje kontakty", "Zaległy-wczoraj", "Zaległy-przed-chwilą", "Zaległy", `href="/contacts/mine"`)
		mustNotContain(t, body, "Za-trzy-dni", "Cudzy-zaległy", "Wykonany")
		if strings.Index(body, "Zaległy-wczoraj") > strings.Index(body, "Zaległy-przed-chwilą") {
			t.Fatalf("queue not in time order")
		}
		// The full list highlights overdue contacts.
		_, body = b.Get("/contacts?status=planned")
		mustContain(t, body, "contact-overdue", "Za-trzy-dni", "Cudzy-zaległy")

		// A long queue shows 50 contacts and a link to the next 50.
		for i := range 55 {
			plan(now.Add(-2*time.Hour-time.Duration(i)*time.Minute), fmt.Sprintf("Kolejka-%d", i), emp)
		}
		shown := func(path string) (int, string) {
			t.Helper()
			res, body := b.Get(path)
			if res.StatusCode != 200 {
				t.Fatalf("%s = %d", path, res.StatusCode)
			}
			return strings.Count(body, `<li class="card contact-overdue" id="contact-`), body
		}
		n, body := shown("/contacts/mine")
		if n != 50 {
			t.Fatalf("first view shows %d contacts", n)
		}
		mustContain(t, body, `href="/contacts/mine?n=100"`, "Pokaż kolejne", "Kolejka-54") // the oldest first
		n, body = shown("/contacts/mine?n=100")
		if n != 57 {
			t.Fatalf("n=100 shows %d contacts", n)
		}
		mustContain(t, body, "Zaległy-przed-chwilą")
		mustNotContain(t, body, "Pokaż kolejne")
		if n, _ := shown("/contacts/mine?n=nonsense"); n != 50 {
			t.Fatalf("bad n shows %d contacts", n)
		}
	})
}

func TestContactsRules(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		b := s.SignUp("Firma", "Jan Kowalski", "jan@example.pl", pw)
		tok := s.Token("jan@example.pl", pw)
		emp := contactEmployee(t, s, tok, "Ala", "Kot")
		client := createClient(t, s, tok, map[string]any{"name": "Klient Reguł"})
		at := rfc(time.Now().Add(time.Hour))

		// A deactivated employee is refused at the field.
		if res, body := s.JSON("PATCH", "/api/v1/employees/"+itoa(emp), tok, map[string]any{"active": false}); res.StatusCode != 200 {
			t.Fatalf("deactivate: %d %s", res.StatusCode, body)
		}
		res, body := s.JSON("POST", "/api/v1/planned-contacts", tok, map[string]any{"client_id": client, "employee_id": emp, "at": at})
		if res.StatusCode != 422 || !strings.Contains(body, "employee_id") || !strings.Contains(body, "nieaktywny") {
			t.Fatalf("inactive employee: %d %s", res.StatusCode, body)
		}
		res, body = b.Post("/contacts", url.Values{"client_id": {itoa(client)}, "employee_id": {itoa(emp)},
			"at_date": {"2030-01-01"}, "at_time": {"10:00"}})
		if res.StatusCode != 422 || !strings.Contains(body, "Ten pracownik jest nieaktywny") {
			t.Fatalf("web inactive employee: %d", res.StatusCode)
		}
		active := contactEmployee(t, s, tok, "Ewa", "Nowak")
		// at is required; a person must belong to the client.
		res, body = s.JSON("POST", "/api/v1/planned-contacts", tok, map[string]any{"client_id": client, "employee_id": active})
		if res.StatusCode != 422 || !strings.Contains(body, `"at"`) {
			t.Fatalf("no at: %d %s", res.StatusCode, body)
		}
		res, body = s.JSON("POST", "/api/v1/planned-contacts", tok, map[string]any{"client_id": client, "employee_id": active,
			"at": at, "person_id": 999999})
		if res.StatusCode != 422 || !strings.Contains(body, "person_id") {
			t.Fatalf("foreign person: %d %s", res.StatusCode, body)
		}
		// A client in the trash is refused.
		if res, _ := s.JSON("DELETE", "/api/v1/clients/"+itoa(client), tok, nil); res.StatusCode != 204 {
			t.Fatalf("trash client: %d", res.StatusCode)
		}
		res, body = s.JSON("POST", "/api/v1/planned-contacts", tok, map[string]any{"client_id": client, "employee_id": active, "at": at})
		if res.StatusCode != 422 || !strings.Contains(body, "client_id") || !strings.Contains(body, "w koszu") {
			t.Fatalf("trashed client: %d %s", res.StatusCode, body)
		}
	})
}

func TestContactsIsolationPermissionsOwnOnly(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		s.SignUp("Firma A", "Jan Kowalski", "jan@example.pl", pw)
		tok := s.Token("jan@example.pl", pw)
		mine := contactEmployee(t, s, tok, "Ola", "Lis")
		other := contactEmployee(t, s, tok, "Piotr", "Zając")
		client := createClient(t, s, tok, map[string]any{"name": "Klient A"})
		at := rfc(time.Now().Add(time.Hour))
		cMine := createContact(t, s, tok, map[string]any{"client_id": client, "employee_id": mine, "at": at, "subject": "Mój"})
		cOther := createContact(t, s, tok, map[string]any{"client_id": client, "employee_id": other, "at": at, "subject": "Cudzy"})

		// Own-only: sees and plans only for their employee.
		contactUser(t, s, tok, "own@example.pl", mine, map[string]string{"contacts": "full", "clients": "view"}, []string{"contacts"})
		tokOwn := s.Token("own@example.pl", pw)
		_, body := s.JSON("GET", "/api/v1/planned-contacts", tokOwn, nil)
		if !strings.Contains(body, `"subject":"Mój"`) || strings.Contains(body, `"subject":"Cudzy"`) {
			t.Fatalf("own list: %s", body)
		}
		for _, m := range []string{"GET", "PATCH", "DELETE"} {
			if res, _ := s.JSON(m, "/api/v1/planned-contacts/"+itoa(cOther.ID), tokOwn, map[string]any{}); res.StatusCode != 404 {
				t.Errorf("own-only %s other's contact = %d", m, res.StatusCode)
			}
		}
		c := createContact(t, s, tokOwn, map[string]any{"client_id": client, "employee_id": other, "at": at})
		if c.EmployeeID != mine {
			t.Fatalf("own-only planned for %d, want %d", c.EmployeeID, mine)
		}
		if res, _ := s.JSON("GET", "/api/v1/planned-contacts/"+itoa(cMine.ID), tokOwn, nil); res.StatusCode != 200 {
			t.Fatalf("own-only own contact: %d", res.StatusCode)
		}

		// Permissions: view may not change, edit may not delete.
		contactUser(t, s, tok, "view@example.pl", 0, map[string]string{"contacts": "view"}, nil)
		tokView := s.Token("view@example.pl", pw)
		if res, _ := s.JSON("POST", "/api/v1/planned-contacts/"+itoa(cMine.ID)+"/complete", tokView, map[string]any{"outcome": "success"}); res.StatusCode != 403 {
			t.Errorf("viewer completes: %d", res.StatusCode)
		}
		contactUser(t, s, tok, "edit@example.pl", 0, map[string]string{"contacts": "edit"}, nil)
		if res, _ := s.JSON("DELETE", "/api/v1/planned-contacts/"+itoa(cMine.ID), s.Token("edit@example.pl", pw), nil); res.StatusCode != 403 {
			t.Errorf("editor deletes: %d", res.StatusCode)
		}
		contactUser(t, s, tok, "none@example.pl", 0, map[string]string{"clients": "view"}, nil)
		if res, _ := s.JSON("GET", "/api/v1/planned-contacts", s.Token("none@example.pl", pw), nil); res.StatusCode != 403 {
			t.Errorf("no contacts right: %d", res.StatusCode)
		}

		// Another account: 404 on A's contact, and A's client cannot be used.
		bb := s.SignUp("Firma B", "Ewa Nowak", "ewa@example.pl", pw)
		tokB := s.Token("ewa@example.pl", pw)
		for _, m := range []string{"GET", "PATCH", "DELETE"} {
			if res, _ := s.JSON(m, "/api/v1/planned-contacts/"+itoa(cMine.ID), tokB, map[string]any{}); res.StatusCode != 404 {
				t.Errorf("account B %s = %d", m, res.StatusCode)
			}
		}
		if res, _ := bb.Get("/contacts/" + itoa(cMine.ID)); res.StatusCode != 404 {
			t.Errorf("account B card = %d", res.StatusCode)
		}
		empB := contactEmployee(t, s, tokB, "Kasia", "B")
		res, body := s.JSON("POST", "/api/v1/planned-contacts", tokB, map[string]any{"client_id": client, "employee_id": empB, "at": at})
		if res.StatusCode != 422 || !strings.Contains(body, "client_id") {
			t.Errorf("account B uses A's client: %d %s", res.StatusCode, body)
		}
		_, body = s.JSON("GET", "/api/v1/planned-contacts", tokB, nil)
		if strings.Contains(body, "Klient A") {
			t.Errorf("account B sees A's contacts: %s", body)
		}
	})
}

// An employee with planned contacts cannot be deleted: the refusal comes
// back to the card as a message, and the API answers 409.
func TestEmployeeWithContactsIsNotDeleted(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		b := s.SignUp("Firma", "Jan Kowalski", "jan@example.pl", pw)
		tok := s.Token("jan@example.pl", pw)
		emp := contactEmployee(t, s, tok, "Ola", "Lis")
		res, body := s.JSON("POST", "/api/v1/clients", tok, map[string]any{"kind": "company", "name": "Klient", "status": "active"})
		if res.StatusCode != 201 {
			t.Fatalf("client: %d %s", res.StatusCode, body)
		}
		var c struct{ ID int64 }
		_ = json.Unmarshal([]byte(body), &c)
		createContact(t, s, tok, map[string]any{"client_id": c.ID, "employee_id": emp, "at": rfc(time.Now().Add(time.Hour)), "channel": "phone"})
		card := "/employees/" + strconv.FormatInt(emp, 10)
		req, _ := http.NewRequest("POST", s.URL+card+"/delete", nil)
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		req.Header.Set("Referer", s.URL+card)
		res, err := b.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != card {
			t.Fatalf("delete: %d → %q, want back to the card", res.StatusCode, res.Header.Get("Location"))
		}
		_, page := b.Get(card)
		if !strings.Contains(page, `toast toast-error`) || !strings.Contains(page, "ma zaplanowane kontakty") {
			t.Fatalf("no refusal message on the card:\n%s", page)
		}
		if res, body := s.JSON("DELETE", "/api/v1"+card, tok, nil); res.StatusCode != 409 || !strings.Contains(body, "zaplanowane kontakty") {
			t.Fatalf("API delete: %d %s", res.StatusCode, body)
		}
	})
}
