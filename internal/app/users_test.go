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

func createUserForm(t *testing.T, b *apptest.Browser, form url.Values) int64 {
	t.Helper()
	res, body := b.Post("/users", form)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create user: %d\n%s", res.StatusCode, body)
	}
	id, err := strconv.ParseInt(strings.TrimPrefix(res.Header.Get("Location"), "/users/"), 10, 64)
	if err != nil {
		t.Fatalf("location %q", res.Header.Get("Location"))
	}
	return id
}

func TestUsersFlow(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		owner := s.SignUp("Firma", "Jan Kowalski", "jan@example.pl", pw)
		empID := createEmployee(t, owner, url.Values{"first_name": {"Ewa"}, "last_name": {"Nowak"}, "active": {"1"}})

		// A preset fills the permission table without saving anything.
		res, body := owner.Post("/users", url.Values{"action": {"preset"}, "preset": {"sales"}, "name": {"Ewa Nowak"}, "email": {"ewa@example.pl"}})
		if res.StatusCode != 200 {
			t.Fatalf("apply preset = %d", res.StatusCode)
		}
		mustContain(t, body, `name="level_clients" value="edit" aria-label="Klienci: Edycja" checked`, `name="own_clients" value="1" aria-label="Klienci: Tylko moje" checked`, `value="Ewa Nowak"`)

		// Bad input.
		res, body = owner.Post("/users", url.Values{"name": {""}, "email": {"jan@example.pl"}, "password": {"krótkie"}, "role": {"user"}})
		if res.StatusCode != http.StatusUnprocessableEntity || fieldError(body, "name") == "" || fieldError(body, "password") == "" {
			t.Fatalf("bad user: %d %q %q", res.StatusCode, fieldError(body, "name"), fieldError(body, "password"))
		}
		res, body = owner.Post("/users", url.Values{"name": {"Ktoś"}, "email": {"JAN@example.pl"}, "password": {pw}, "role": {"user"}})
		if res.StatusCode != http.StatusConflict || fieldError(body, "email") != "Ten adres e-mail jest już zarejestrowany." {
			t.Fatalf("duplicate e-mail: %d %q", res.StatusCode, fieldError(body, "email"))
		}

		id := createUserForm(t, owner, url.Values{"name": {"Ewa Nowak"}, "email": {"ewa@example.pl"}, "password": {pw},
			"role": {"user"}, "active": {"1"}, "must_change_password": {"1"}, "employee_id": {strconv.FormatInt(empID, 10)},
			"level_employees": {"view"}, "level_clients": {"edit"}, "own_clients": {"1"}})
		_, body = owner.Get("/users/" + strconv.FormatInt(id, 10))
		mustContain(t, body, "Ewa Nowak", "ewa@example.pl", `href="/employees/`+strconv.FormatInt(empID, 10)+`"`)
		_, body = owner.Get("/employees/" + strconv.FormatInt(empID, 10))
		mustContain(t, body, "Loguje się jako", `href="/users/`+strconv.FormatInt(id, 10)+`"`)

		// Linking the same employee to a second user is refused.
		res, body = owner.Post("/users", url.Values{"name": {"Druga"}, "email": {"druga@example.pl"}, "password": {pw}, "role": {"user"},
			"employee_id": {strconv.FormatInt(empID, 10)}})
		if res.StatusCode != http.StatusUnprocessableEntity || fieldError(body, "employee_id") != "Ten pracownik jest już powiązany z innym użytkownikiem." {
			t.Fatalf("second link: %d %q", res.StatusCode, fieldError(body, "employee_id"))
		}

		// The new user must change the password first, then sees only what was granted.
		ewa := s.Browser()
		ewa.Post("/login", url.Values{"email": {"ewa@example.pl"}, "password": {pw}})
		if res, _ := ewa.Get("/employees"); res.Header.Get("Location") != "/profile" {
			t.Fatalf("must change password: %d → %q", res.StatusCode, res.Header.Get("Location"))
		}
		ewa.Post("/profile/password", url.Values{"current_password": {pw}, "new_password": {"nowe-haslo-789"}, "new_password_confirm": {"nowe-haslo-789"}})
		_, body = ewa.Get("/")
		mustContain(t, body, `href="/employees"`)
		mustNotContain(t, body, `href="/settings"`, `href="/users"`)
		_, body = ewa.Get("/profile")
		mustContain(t, body, "Moje uprawnienia", `name="level_clients" value="edit" aria-label="Klienci: Edycja" checked disabled`)
		_, body = ewa.Get("/employees")
		mustNotContain(t, body, `href="/users"`, `href="/employees/new"`)
		for _, p := range []string{"/users", "/users/" + strconv.FormatInt(id, 10), "/users/new"} {
			if res, _ := ewa.Get(p); res.StatusCode != http.StatusForbidden {
				t.Errorf("user GET %s = %d, want 403", p, res.StatusCode)
			}
		}
		if res, _ := ewa.Post("/users/"+strconv.FormatInt(id, 10), url.Values{"level_settings": {"full"}}); res.StatusCode != http.StatusForbidden {
			t.Errorf("user edits own permissions: %d, want 403", res.StatusCode)
		}
		tokEwa := s.Token("ewa@example.pl", "nowe-haslo-789")
		if res, _ := s.JSON("PATCH", "/api/v1/users/"+strconv.FormatInt(id, 10), tokEwa, map[string]any{"permissions": map[string]string{"settings": "full"}}); res.StatusCode != 403 {
			t.Errorf("API: user edits own permissions: %d, want 403", res.StatusCode)
		}

		// The owner cannot change their own role or permissions, nor delete themselves.
		me, _ := s.Store.UserByEmail(t.Context(), "jan@example.pl")
		self := "/users/" + strconv.FormatInt(me.User.ID, 10)
		tokJan := s.Token("jan@example.pl", pw)
		res, body = s.JSON("PATCH", "/api/v1"+self, tokJan, map[string]any{"role": "user"})
		if res.StatusCode != 422 || !strings.Contains(body, "własnych uprawnień") {
			t.Fatalf("owner demotes self: %d %s", res.StatusCode, body)
		}
		if res, body := s.JSON("DELETE", "/api/v1"+self, tokJan, nil); res.StatusCode != 409 || !strings.Contains(body, "własnego konta") {
			t.Fatalf("owner deletes self: %d %s", res.StatusCode, body)
		}
		// But may rename themselves on the same form (the disabled fields are not sent).
		if res, body := owner.Post(self, url.Values{"name": {"Jan K. Kowalski"}, "email": {"jan@example.pl"}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("owner renames self: %d\n%s", res.StatusCode, body)
		}

		// Deactivation ends the user's sessions and tokens at once.
		res, body = s.JSON("PATCH", "/api/v1/users/"+strconv.FormatInt(id, 10), tokJan, map[string]any{"active": false})
		if res.StatusCode != 200 || !strings.Contains(body, `"active":false`) {
			t.Fatalf("deactivate: %d %s", res.StatusCode, body)
		}
		if res, _ := ewa.Get("/"); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("a deactivated user's session still works: %d", res.StatusCode)
		}
		if res, _ := s.JSON("GET", "/api/v1/me", tokEwa, nil); res.StatusCode != 401 {
			t.Fatalf("a deactivated user's token still works: %d", res.StatusCode)
		}
		if res, _ := s.Browser().Post("/login", url.Values{"email": {"ewa@example.pl"}, "password": {"nowe-haslo-789"}}); res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("a deactivated user logs in: %d", res.StatusCode)
		}

		// History of the user.
		_, body = owner.Get("/users/" + strconv.FormatInt(id, 10) + "?tab=history")
		mustContain(t, body, "Utworzenie", "Zmiana", "Uprawnienia", "clients: edit")

		// Unlink from the employee's side, then delete the user.
		owner.Post("/employees/"+strconv.FormatInt(empID, 10)+"/user", url.Values{"user_id": {""}})
		_, body = owner.Get("/users/" + strconv.FormatInt(id, 10))
		mustNotContain(t, body, `href="/employees/`+strconv.FormatInt(empID, 10)+`"`)
		if res, _ := owner.Post("/users/"+strconv.FormatInt(id, 10)+"/delete", nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("delete = %d", res.StatusCode)
		}
		if res, _ := owner.Get("/users/" + strconv.FormatInt(id, 10)); res.StatusCode != 404 {
			t.Fatalf("deleted user = %d", res.StatusCode)
		}
	})
}

func TestUsersAPIAndTenancy(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		s.SignUp("Firma A", "Jan Kowalski", "jan@example.pl", pw)
		s.SignUp("Firma B", "Ola Lis", "ola@example.pl", pw)
		tokA, tokB := s.Token("jan@example.pl", pw), s.Token("ola@example.pl", pw)

		res, body := s.JSON("POST", "/api/v1/users", tokA, map[string]any{"email": "ewa@example.pl", "name": "Ewa", "password": pw,
			"permissions": map[string]string{"clients": "view", "tasks": "edit"}, "own_only": []string{"tasks"}})
		if res.StatusCode != 201 || !strings.Contains(body, `"permissions":{"clients":"view","tasks":"edit"}`) || !strings.Contains(body, `"own_only":["tasks"]`) {
			t.Fatalf("create: %d %s", res.StatusCode, body)
		}
		var u struct{ ID int64 }
		_ = json.Unmarshal([]byte(body), &u)
		path := "/api/v1/users/" + strconv.FormatInt(u.ID, 10)

		for name, in := range map[string]any{
			"unknown section":      map[string]any{"permissions": map[string]string{"rockets": "view"}},
			"unknown level":        map[string]any{"permissions": map[string]string{"clients": "admin"}},
			"own-only not allowed": map[string]any{"own_only": []string{"reports"}},
			"owner-only section":   map[string]any{"permissions": map[string]string{"users": "full"}},
			"bad role":             map[string]any{"role": "king"},
			"short password":       map[string]any{"password": "abc"},
			"foreign employee":     map[string]any{"employee_id": 999999},
		} {
			res, body := s.JSON("PATCH", path, tokA, in)
			if res.StatusCode != 422 {
				t.Errorf("%s: %d %s", name, res.StatusCode, body)
			}
		}
		_, body = s.JSON("GET", path, tokA, nil)
		if !strings.Contains(body, `"clients":"view"`) {
			t.Fatalf("a refused PATCH changed the user: %s", body)
		}
		// "permissions" replaces the whole map; own_only alone amends the flags.
		res, body = s.JSON("PATCH", path, tokA, map[string]any{"own_only": []string{"clients", "tasks"}})
		if res.StatusCode != 200 || !strings.Contains(body, `"own_only":["clients","tasks"]`) || !strings.Contains(body, `"tasks":"edit"`) {
			t.Fatalf("patch own_only: %d %s", res.StatusCode, body)
		}
		res, body = s.JSON("PATCH", path, tokA, map[string]any{"permissions": map[string]string{"clients": "full"}})
		if res.StatusCode != 200 || !strings.Contains(body, `"permissions":{"clients":"full"}`) || !strings.Contains(body, `"own_only":["clients"]`) {
			t.Fatalf("patch permissions: %d %s", res.StatusCode, body)
		}

		// Account B sees none of A's users.
		for _, m := range []string{"GET", "PATCH", "DELETE"} {
			var in any
			if m == "PATCH" {
				in = map[string]any{"name": "Przejęty"}
			}
			if res, _ := s.JSON(m, path, tokB, in); res.StatusCode != 404 {
				t.Errorf("B %s A's user = %d, want 404", m, res.StatusCode)
			}
		}
		_, body = s.JSON("GET", "/api/v1/users", tokB, nil)
		if strings.Contains(body, "ewa@example.pl") {
			t.Fatal("B lists A's users")
		}
		bOwner := s.Browser()
		bOwner.Post("/login", url.Values{"email": {"ola@example.pl"}, "password": {pw}})
		for _, p := range []string{"/users/" + strconv.FormatInt(u.ID, 10), "/users/" + strconv.FormatInt(u.ID, 10) + "/edit"} {
			if res, _ := bOwner.Get(p); res.StatusCode != 404 {
				t.Errorf("B GET %s = %d, want 404", p, res.StatusCode)
			}
		}
		if res, _ := bOwner.Post("/users/"+strconv.FormatInt(u.ID, 10)+"/delete", nil); res.StatusCode != 404 {
			t.Errorf("B deletes A's user: %d", res.StatusCode)
		}
		// A second owner may be made, and then remove the first.
		res, body = s.JSON("PATCH", path, tokA, map[string]any{"role": "owner"})
		if res.StatusCode != 200 || !strings.Contains(body, `"role":"owner"`) {
			t.Fatalf("promote: %d %s", res.StatusCode, body)
		}
		tokEwa := s.Token("ewa@example.pl", pw)
		jan, _ := s.Store.UserByEmail(t.Context(), "jan@example.pl")
		if res, body := s.JSON("DELETE", "/api/v1/users/"+strconv.FormatInt(jan.User.ID, 10), tokEwa, nil); res.StatusCode != 204 {
			t.Fatalf("second owner removes the first: %d %s", res.StatusCode, body)
		}
		if res, _ := s.JSON("GET", "/api/v1/me", tokA, nil); res.StatusCode != 401 {
			t.Fatal("a removed owner's token still works")
		}
	})
}
