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

// employeeID creates an employee through the form and returns its id.
func createEmployee(t *testing.T, b *apptest.Browser, form url.Values) int64 {
	t.Helper()
	res, body := b.Post("/employees", form)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create employee: %d\n%s", res.StatusCode, body)
	}
	id, err := strconv.ParseInt(strings.TrimPrefix(res.Header.Get("Location"), "/employees/"), 10, 64)
	if err != nil {
		t.Fatalf("location %q", res.Header.Get("Location"))
	}
	return id
}

func TestEmployeesPages(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		b := s.SignUp("Firma", "Jan Kowalski", "jan@example.pl", pw)
		res, body := b.Get("/employees")
		if res.StatusCode != 200 {
			t.Fatalf("list = %d", res.StatusCode)
		}
		mustContain(t, body, "Nie ma jeszcze pracowników", `href="/employees/new"`, `aria-current="page"`)

		// Bad input: errors next to the fields, input kept, nothing written.
		res, body = b.Post("/employees", url.Values{"first_name": {""}, "last_name": {"Nowak"}, "email": {"zly"},
			"commission_rate": {"150"}, "color": {"red"}, "phone": {"abc"}})
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("bad employee = %d", res.StatusCode)
		}
		for f, msg := range map[string]string{"first_name": "To pole jest wymagane.", "email": "Podaj poprawny adres e-mail.",
			"commission_rate": "Podaj wartość od 0 do 100 %.", "color": "Wybierz kolor w formacie #RRGGBB.",
			"phone": "Podaj numer telefonu (cyfry, spacje, +, -, nawiasy)."} {
			if got := fieldError(body, f); got != msg {
				t.Errorf("error at %s = %q, want %q", f, got, msg)
			}
		}
		mustContain(t, body, `value="Nowak"`)
		if _, body = b.Get("/employees"); !strings.Contains(body, "Nie ma jeszcze pracowników") {
			t.Fatal("a refused employee was saved")
		}

		id := createEmployee(t, b, url.Values{"first_name": {"Łucja"}, "last_name": {"Żak"}, "position": {"Handlowiec"},
			"email": {"Lucja@Firma.pl"}, "phone": {"+48 600 100 200"}, "commission_rate": {"12,5"}, "color": {"#FF8800"}, "active": {"1"}})
		createEmployee(t, b, url.Values{"first_name": {"Adam"}, "last_name": {"Nowak"}, "position": {"Magazynier"}, "active": {"1"}})
		_, body = b.Get("/employees/" + strconv.FormatInt(id, 10))
		mustContain(t, body, "Łucja Żak", "Dodano pracownika.", "12,5\u00a0%", `href="tel:&#43;48600100200"`, `href="mailto:lucja@firma.pl"`, `data-color="#ff8800"`)

		_, body = b.Get("/")
		mustContain(t, body, "2 aktywni pracownicy")

		// Search ignores diacritics and case; the filter keeps its state in the URL.
		_, body = b.Get("/employees?q=lucja+zak")
		mustContain(t, body, "Żak Łucja")
		mustNotContain(t, body, "Nowak Adam")
		_, body = b.Get("/employees?q=600100200")
		mustContain(t, body, "Żak Łucja")
		_, body = b.Get("/employees?active=0")
		mustContain(t, body, "Nic nie pasuje")

		// Edit, deactivate, and see it all in the history.
		res, _ = b.Post("/employees/"+strconv.FormatInt(id, 10), url.Values{"first_name": {"Łucja"}, "last_name": {"Żak-Nowak"},
			"position": {"Kierownik"}, "email": {"lucja@firma.pl"}, "commission_rate": {"10"}, "color": {"#ff8800"}, "active": {"1"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("update = %d", res.StatusCode)
		}
		b.Post("/employees/"+strconv.FormatInt(id, 10)+"/active", url.Values{"active": {"0"}})
		_, body = b.Get("/employees?active=0")
		mustContain(t, body, "Żak-Nowak Łucja")
		_, body = b.Get("/employees/" + strconv.FormatInt(id, 10) + "?tab=history")
		mustContain(t, body, "Utworzenie", "Zmiana", "Jan Kowalski", "Handlowiec", "Kierownik", "Nazwisko", "Żak-Nowak")
		if n := strings.Count(body, `class="history-entry"`); n != 3 {
			t.Fatalf("history has %d entries, want 3 (create, edit, deactivate)", n)
		}

		// Sorting by position, descending.
		_, body = b.Get("/employees?sort=-position")
		if strings.Index(body, "Magazynier") > strings.Index(body, "Kierownik") {
			t.Fatal("sort=-position is not descending")
		}
		// Delete.
		if res, _ := b.Post("/employees/"+strconv.FormatInt(id, 10)+"/delete", nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("delete = %d", res.StatusCode)
		}
		if res, _ := b.Get("/employees/" + strconv.FormatInt(id, 10)); res.StatusCode != http.StatusNotFound {
			t.Fatalf("deleted employee = %d", res.StatusCode)
		}
		for _, p := range []string{"/employees/abc", "/employees/0", "/employees/999999"} {
			if res, _ := b.Get(p); res.StatusCode != http.StatusNotFound {
				t.Errorf("GET %s = %d, want 404", p, res.StatusCode)
			}
		}
	})
}

func TestEmployeesPagination(t *testing.T) {
	s := apptest.Start(t, "sqlite")
	b := s.SignUp("Firma", "Jan Kowalski", "jan@example.pl", pw)
	tok := s.Token("jan@example.pl", pw)
	for i := range 55 {
		if res, body := s.JSON("POST", "/api/v1/employees", tok, map[string]any{"first_name": "Jan", "last_name": "Nr" + strconv.Itoa(100+i)}); res.StatusCode != 201 {
			t.Fatalf("create %d: %d %s", i, res.StatusCode, body)
		}
	}
	_, body := b.Get("/employees?q=jan")
	mustContain(t, body, "1–50 z 55", `href="/employees?page=2&amp;q=jan"`)
	_, body = b.Get("/employees?q=jan&page=2")
	mustContain(t, body, "51–55 z 55", "Nr154")
	mustNotContain(t, body, "Nr100")

	// The API pages with a cursor and reports the total.
	seen := 0
	cursor := ""
	for range 5 {
		_, body := s.JSON("GET", "/api/v1/employees?limit=20&cursor="+cursor, tok, nil)
		var l struct {
			Items      []map[string]any
			NextCursor string `json:"next_cursor"`
			Total      int
		}
		if err := json.Unmarshal([]byte(body), &l); err != nil {
			t.Fatal(err)
		}
		seen += len(l.Items)
		if l.Total != 55 {
			t.Fatalf("total = %d", l.Total)
		}
		if cursor = l.NextCursor; cursor == "" {
			break
		}
	}
	if seen != 55 {
		t.Fatalf("paged through %d employees, want 55", seen)
	}
}

func TestEmployeesAPI(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		s.SignUp("Firma A", "Jan Kowalski", "jan@example.pl", pw)
		s.SignUp("Firma B", "Ewa Nowak", "ewa@example.pl", pw)
		tokA, tokB := s.Token("jan@example.pl", pw), s.Token("ewa@example.pl", pw)

		res, body := s.JSON("POST", "/api/v1/employees", tokA, map[string]any{"first_name": "Zofia", "last_name": "Kruk",
			"commission_rate": 7.25, "email": "zofia@firma.pl"})
		if res.StatusCode != 201 || !strings.Contains(body, `"commission_rate":7.25`) || !strings.Contains(body, `"active":true`) {
			t.Fatalf("create: %d %s", res.StatusCode, body)
		}
		var e struct{ ID int64 }
		_ = json.Unmarshal([]byte(body), &e)
		path := "/api/v1/employees/" + strconv.FormatInt(e.ID, 10)
		if res.Header.Get("Location") != path {
			t.Errorf("Location = %q", res.Header.Get("Location"))
		}

		for name, in := range map[string]any{
			"commission 150 %":        map[string]any{"first_name": "A", "last_name": "B", "commission_rate": 150},
			"commission 3 decimals":   map[string]any{"first_name": "A", "last_name": "B", "commission_rate": 1.255},
			"commission not a number": map[string]any{"first_name": "A", "last_name": "B", "commission_rate": "dużo"},
			"no last name":            map[string]any{"first_name": "A"},
			"foreign business":        map[string]any{"first_name": "A", "last_name": "B", "business_id": 999999},
			"wrong type":              map[string]any{"first_name": 5, "last_name": "B"},
		} {
			res, body := s.JSON("POST", "/api/v1/employees", tokA, in)
			if res.StatusCode != 422 || !strings.Contains(body, `"fields"`) {
				t.Errorf("%s: %d %s", name, res.StatusCode, body)
			}
		}

		res, body = s.JSON("PATCH", path, tokA, map[string]any{"position": "Szef sprzedaży", "active": false})
		if res.StatusCode != 200 || !strings.Contains(body, `"position":"Szef sprzedaży"`) || !strings.Contains(body, `"first_name":"Zofia"`) || !strings.Contains(body, `"active":false`) {
			t.Fatalf("patch: %d %s", res.StatusCode, body)
		}
		_, body = s.JSON("GET", "/api/v1/employees?active=false&q=KRUK", tokA, nil)
		if !strings.Contains(body, `"last_name":"Kruk"`) {
			t.Fatalf("filtered list: %s", body)
		}

		// The other account: not found, everywhere.
		for _, m := range []string{"GET", "PATCH", "DELETE"} {
			var in any
			if m == "PATCH" {
				in = map[string]any{"first_name": "Przejęta"}
			}
			if res, _ := s.JSON(m, path, tokB, in); res.StatusCode != 404 {
				t.Errorf("B %s A's employee = %d, want 404", m, res.StatusCode)
			}
		}
		_, body = s.JSON("GET", "/api/v1/employees", tokB, nil)
		if strings.Contains(body, "Kruk") {
			t.Fatal("B lists A's employee")
		}
		_, body = s.JSON("GET", path, tokA, nil)
		if !strings.Contains(body, "Zofia") {
			t.Fatal("A's employee changed by B")
		}
		if res, _ := s.JSON("DELETE", path, tokA, nil); res.StatusCode != 204 {
			t.Fatalf("delete = %d", res.StatusCode)
		}
		if res, _ := s.JSON("GET", path, tokA, nil); res.StatusCode != 404 {
			t.Fatalf("deleted = %d", res.StatusCode)
		}
	})
}

func TestEmployeesPermissions(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		owner := s.SignUp("Firma", "Jan Kowalski", "jan@example.pl", pw)
		id := createEmployee(t, owner, url.Values{"first_name": {"Ola"}, "last_name": {"Lis"}})
		card := "/employees/" + strconv.FormatInt(id, 10)

		none := s.AddUser("jan@example.pl", "none@example.pl", pw, apptest.Scope("clients", "view"))
		_, body := none.Get("/")
		mustNotContain(t, body, `href="/employees"`)
		for _, p := range []string{"/employees", card, "/employees/new"} {
			if res, _ := none.Get(p); res.StatusCode != http.StatusForbidden {
				t.Errorf("no access: GET %s = %d, want 403", p, res.StatusCode)
			}
		}

		viewer := s.AddUser("jan@example.pl", "view@example.pl", pw, apptest.Scope("employees", "view"))
		_, body = viewer.Get(card)
		mustContain(t, body, "Ola Lis")
		mustNotContain(t, body, `/edit"`, `/delete"`, `/active"`)
		if res, _ := viewer.Post(card, url.Values{"first_name": {"X"}, "last_name": {"Y"}}); res.StatusCode != http.StatusForbidden {
			t.Errorf("viewer edits: %d", res.StatusCode)
		}
		if res, _ := viewer.Post("/employees", url.Values{"first_name": {"X"}, "last_name": {"Y"}}); res.StatusCode != http.StatusForbidden {
			t.Errorf("viewer creates: %d", res.StatusCode)
		}

		editor := s.AddUser("jan@example.pl", "edit@example.pl", pw, apptest.Scope("employees", "edit"))
		if res, _ := editor.Post(card, url.Values{"first_name": {"Ola"}, "last_name": {"Lis-Kot"}, "active": {"1"}}); res.StatusCode != http.StatusSeeOther {
			t.Errorf("editor edits: %d", res.StatusCode)
		}
		if res, _ := editor.Post(card+"/delete", nil); res.StatusCode != http.StatusForbidden {
			t.Errorf("editor deletes: %d, want 403", res.StatusCode)
		}
		_, body = editor.Get(card)
		mustNotContain(t, body, `/delete"`)
		mustContain(t, body, "Lis-Kot")

		// The same rules through the API.
		tv := s.Token("view@example.pl", pw)
		if res, _ := s.JSON("POST", "/api/v1/employees", tv, map[string]any{"first_name": "X", "last_name": "Y"}); res.StatusCode != 403 {
			t.Errorf("API viewer creates: %d", res.StatusCode)
		}
		if res, _ := s.JSON("GET", "/api/v1/employees", s.Token("none@example.pl", pw), nil); res.StatusCode != 403 {
			t.Errorf("API no access lists: %d", res.StatusCode)
		}
		if res, _ := s.JSON("DELETE", "/api/v1/employees/"+strconv.FormatInt(id, 10), s.Token("edit@example.pl", pw), nil); res.StatusCode != 403 {
			t.Errorf("API editor deletes: %d", res.StatusCode)
		}
		full := s.AddUser("jan@example.pl", "full@example.pl", pw, apptest.Scope("employees", "full"))
		if res, _ := full.Post(card+"/delete", nil); res.StatusCode != http.StatusSeeOther {
			t.Errorf("full deletes: %d", res.StatusCode)
		}
	})
}

func TestEmployeesByBusiness(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		b := s.SignUp("Firma", "Jan Kowalski", "jan@example.pl", pw)
		tok := s.Token("jan@example.pl", pw)
		res, body := s.JSON("POST", "/api/v1/businesses", tok, map[string]any{"name": "Sklep internetowy"})
		if res.StatusCode != 201 {
			t.Fatalf("business: %d %s", res.StatusCode, body)
		}
		var biz struct{ ID int64 }
		_ = json.Unmarshal([]byte(body), &biz)
		bid := strconv.FormatInt(biz.ID, 10)
		// With two businesses the form offers them; a new employee starts in
		// the business chosen in the top bar.
		b.Post("/business/switch", url.Values{"business_id": {bid}, "next": {"/"}})
		_, body = b.Get("/employees/new")
		mustContain(t, body, `<option value="`+bid+`" selected>Sklep internetowy</option>`)
		createEmployee(t, b, url.Values{"first_name": {"Ada"}, "last_name": {"Sklepowa"}, "business_id": {bid}, "active": {"1"}})
		createEmployee(t, b, url.Values{"first_name": {"Bob"}, "last_name": {"Biurowy"}, "active": {"1"}})
		_, body = b.Get("/employees?business_id=" + bid)
		mustContain(t, body, "Sklepowa Ada")
		mustNotContain(t, body, "Biurowy Bob")
		_, body = s.JSON("GET", "/api/v1/employees?business_id="+bid, tok, nil)
		if !strings.Contains(body, "Sklepowa") || strings.Contains(body, "Biurowy") {
			t.Fatalf("API filter by business: %s", body)
		}
	})
}
