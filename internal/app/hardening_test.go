package app_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"klientela/internal/app"
	"klientela/internal/app/apptest"
	"klientela/internal/config"
	"klientela/internal/service"
)

// Findings of a review, each pinned by a test.
func TestHardening(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		s.SignUp("Firma", "Jan Kowalski", "jan@example.pl", pw)
		tok := s.Token("jan@example.pl", pw)

		// A user created inactive stays inactive and cannot log in.
		res, body := s.JSON("POST", "/api/v1/users", tok, map[string]any{"email": "off@example.pl", "name": "Off", "password": pw, "active": false})
		if res.StatusCode != 201 || !strings.Contains(body, `"active":false`) {
			t.Fatalf("inactive user: %d %s", res.StatusCode, body)
		}
		if res, _ := s.JSON("POST", "/api/v1/tokens", "", map[string]string{"email": "off@example.pl", "password": pw}); res.StatusCode != 401 {
			t.Fatalf("an inactive user got a token: %d", res.StatusCode)
		}

		// A user with a temporary password gets no API token and no API access.
		s.JSON("POST", "/api/v1/users", tok, map[string]any{"email": "tmp@example.pl", "name": "Tmp", "password": pw,
			"must_change_password": true, "permissions": map[string]string{"employees": "full"}})
		res, body = s.JSON("POST", "/api/v1/tokens", "", map[string]string{"email": "tmp@example.pl", "password": pw})
		if res.StatusCode != 403 || !strings.Contains(body, "hasło") {
			t.Fatalf("token for a temporary password: %d %s", res.StatusCode, body)
		}

		// The owner's own e-mail and password change only on the profile.
		me, _ := s.Store.UserByEmail(t.Context(), "jan@example.pl")
		self := "/api/v1/users/" + strconv.FormatInt(me.User.ID, 10)
		for _, in := range []map[string]any{{"email": "attacker@evil.example"}, {"password": "przejete-haslo-1"}} {
			if res, body := s.JSON("PATCH", self, tok, in); res.StatusCode != 422 {
				t.Errorf("owner changes own credentials with %v: %d %s", in, res.StatusCode, body)
			}
		}
		if res, _ := s.JSON("POST", "/api/v1/tokens", "", map[string]string{"email": "jan@example.pl", "password": pw}); res.StatusCode != 201 {
			t.Fatal("the owner's credentials changed")
		}

		// Input that is not an id, NUL bytes and broken UTF-8: 4xx or cleaned, never 500.
		for _, in := range []any{"x", "5", 1.5, true} {
			if res, body := s.JSON("POST", "/api/v1/employees", tok, map[string]any{"first_name": "A", "last_name": "B", "business_id": in}); res.StatusCode != 422 {
				t.Errorf("business_id %v: %d %s", in, res.StatusCode, body)
			}
		}
		res, body = s.JSON("POST", "/api/v1/employees", tok, map[string]any{"first_name": "A\u0000la", "last_name": "B", "notes": "a\u0000b\nc"})
		if res.StatusCode != 201 || !strings.Contains(body, `"notes":"ab\nc"`) || !strings.Contains(body, `"first_name":"Ala"`) {
			t.Fatalf("NUL bytes: %d %s", res.StatusCode, body)
		}
		if res, _ := s.JSON("POST", "/api/v1/tokens", "", map[string]string{"email": "jan@example.pl\u0000", "password": "zle-haslo-000"}); res.StatusCode != 401 {
			t.Errorf("NUL in a login e-mail: %d", res.StatusCode)
		}
		if res, _ := s.JSON("GET", "/api/v1/audit?entity=%00", tok, nil); res.StatusCode != 422 {
			t.Errorf("audit entity NUL: %d", res.StatusCode)
		}
		b := s.Browser()
		req, _ := http.NewRequest("POST", s.URL+"/login", strings.NewReader(url.Values{"email": {"jan@example.pl"}, "password": {pw}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("User-Agent", strings.Repeat("a", 299)+"ż")
		if res, err := b.Do(req); err != nil || res.StatusCode != http.StatusSeeOther {
			t.Fatalf("login with a long Polish User-Agent: %v %v", res.StatusCode, err)
		}
	})
}

// Parallel wrong guesses cannot exceed the per-e-mail limit.
func TestLoginLimitUnderParallelGuesses(t *testing.T) {
	s := apptest.Start(t, "sqlite", func(_ *config.Config, o *app.Options) {
		o.Limits = service.Limits{LoginPerUser: 5, LoginPerIP: 1000}
	})
	s.SignUp("Firma", "Jan Kowalski", "jan@example.pl", pw)
	var wrong atomic.Int32
	var wg sync.WaitGroup
	for range 30 {
		wg.Go(func() {
			res, _ := s.JSON("POST", "/api/v1/tokens", "", map[string]string{"email": "jan@example.pl", "password": "zle-haslo-000"})
			if res.StatusCode == 401 {
				wrong.Add(1) // a guess that was actually checked
			}
		})
	}
	wg.Wait()
	if n := wrong.Load(); n > 5 {
		t.Fatalf("%d guesses were checked, the limit is 5", n)
	}
}
