package app_test

import (
	"context"
	"encoding/json"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"klientela/internal/app"
	"klientela/internal/app/apptest"
	"klientela/internal/config"
	"klientela/internal/crm"
	"klientela/internal/password"
	"klientela/internal/service"
	"klientela/internal/store"
)

const pw = "tajne-haslo-123"

func mustContain(t *testing.T, body string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(body, w) {
			t.Errorf("body lacks %q", w)
		}
	}
	if t.Failed() {
		t.Logf("body:\n%s", body)
	}
}

func mustNotContain(t *testing.T, body string, bad ...string) {
	t.Helper()
	for _, b := range bad {
		if strings.Contains(body, b) {
			t.Errorf("body contains %q", b)
		}
	}
}

// fieldError returns the message shown next to a form field.
func fieldError(body, field string) string {
	m := regexp.MustCompile(`id="f-` + regexp.QuoteMeta(field) + `-error">([^<]*)<`).FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return html.UnescapeString(m[1])
}

func sessionCookie(t *testing.T, b *apptest.Browser, s *apptest.Server) *http.Cookie {
	t.Helper()
	u, _ := url.Parse(s.URL)
	for _, c := range b.Jar.Cookies(u) {
		if strings.HasSuffix(c.Name, "klientela_session") {
			return c
		}
	}
	t.Fatal("no session cookie")
	return nil
}

func TestHealthAndReady(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		b := s.Browser()
		if res, body := b.Get("/healthz"); res.StatusCode != 200 || body != "ok\n" {
			t.Fatalf("/healthz = %d %q", res.StatusCode, body)
		}
		if res, _ := b.Get("/readyz"); res.StatusCode != 200 {
			t.Fatalf("/readyz = %d", res.StatusCode)
		}
		s.Store.Close() // the database goes away
		if res, _ := b.Get("/readyz"); res.StatusCode != http.StatusServiceUnavailable {
			t.Fatalf("/readyz without a database = %d, want 503", res.StatusCode)
		}
		if res, _ := b.Get("/healthz"); res.StatusCode != 200 {
			t.Fatalf("/healthz without a database = %d, want 200", res.StatusCode)
		}
	})
}

func TestSignupLoginLogout(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		anon := s.Browser()
		res, _ := anon.Get("/")
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/login" {
			t.Fatalf("anonymous GET / = %d → %q", res.StatusCode, res.Header.Get("Location"))
		}
		res, body := anon.Get("/signup")
		if res.StatusCode != 200 {
			t.Fatalf("GET /signup = %d", res.StatusCode)
		}
		mustContain(t, body, `<html lang="pl">`, "Załóż konto firmy", `name="company_name"`)

		b := s.Browser()
		res, _ = b.Post("/signup", url.Values{"company_name": {"Piekarnia Łódź"}, "name": {"Zofia Żółkiewska"},
			"email": {"Zofia@Example.PL"}, "password": {pw}})
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/" {
			t.Fatalf("sign-up = %d → %q", res.StatusCode, res.Header.Get("Location"))
		}
		for _, c := range res.Cookies() {
			if c.Name == "klientela_session" && (!c.HttpOnly || c.Secure || c.SameSite != http.SameSiteLaxMode) {
				t.Errorf("session cookie %+v", c)
			}
		}
		c := sessionCookie(t, b, s)
		res, body = b.Get("/")
		if res.StatusCode != 200 {
			t.Fatalf("dashboard = %d", res.StatusCode)
		}
		mustContain(t, body, "Dzień dobry, Zofia!", "Piekarnia Łódź", `href="/settings"`, `href="/clients"`, `href="/tasks"`,
			`href="/calendar"`, `href="/documents"`, `action="/logout"`)
		mustNotContain(t, body, `href="/orders"`, `href="/invoices"`) // sections not built yet do not appear

		// The e-mail was normalised; the cookie's token is revoked at logout.
		res, _ = b.Post("/logout", nil)
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/login" {
			t.Fatalf("logout = %d → %q", res.StatusCode, res.Header.Get("Location"))
		}
		replay := s.Browser()
		u, _ := url.Parse(s.URL)
		replay.Jar.SetCookies(u, []*http.Cookie{{Name: c.Name, Value: c.Value}})
		if res, _ := replay.Get("/"); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("a logged-out session still works: %d", res.StatusCode)
		}

		// Log in again, coming back to where the user was going; an
		// off-site "next" is ignored.
		b2 := s.Browser()
		res, _ = b2.Get("/settings")
		if loc := res.Header.Get("Location"); loc != "/login?next=%2Fsettings" {
			t.Fatalf("redirect to login = %q", loc)
		}
		res, _ = b2.Post("/login", url.Values{"email": {" zofia@example.pl "}, "password": {pw}, "next": {"/settings"}})
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/settings" {
			t.Fatalf("login = %d → %q", res.StatusCode, res.Header.Get("Location"))
		}
		if sessionCookie(t, b2, s).Value == c.Value {
			t.Fatal("session token reused across logins")
		}
		for _, next := range []string{"//evil.example", "https://evil.example/", "/\\evil.example"} {
			res, _ = s.Browser().Post("/login", url.Values{"email": {"zofia@example.pl"}, "password": {pw}, "next": {next}})
			if loc := res.Header.Get("Location"); loc != "/" {
				t.Errorf("next=%q redirected to %q", next, loc)
			}
		}
	})
}

func TestSignupBadInput(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		cases := []struct {
			name  string
			form  url.Values
			field string
			msg   string
		}{
			{"empty", url.Values{}, "company_name", "To pole jest wymagane."},
			{"bad e-mail", url.Values{"company_name": {"X"}, "name": {"Y"}, "email": {"nie-email"}, "password": {pw}}, "email", "Podaj poprawny adres e-mail."},
			{"e-mail without domain dot", url.Values{"company_name": {"X"}, "name": {"Y"}, "email": {"a@localhost"}, "password": {pw}}, "email", "Podaj poprawny adres e-mail."},
			{"short password", url.Values{"company_name": {"X"}, "name": {"Y"}, "email": {"a@example.pl"}, "password": {"krótkie"}}, "password", "Hasło musi mieć co najmniej 10 znaków."},
			{"long name", url.Values{"company_name": {strings.Repeat("ż", 201)}, "name": {"Y"}, "email": {"a@example.pl"}, "password": {pw}}, "company_name", "Najwyżej 200 znaków."},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				res, body := s.Browser().Post("/signup", c.form)
				if res.StatusCode != http.StatusUnprocessableEntity {
					t.Fatalf("status %d, want 422", res.StatusCode)
				}
				if got := fieldError(body, c.field); got != c.msg {
					t.Fatalf("error at %s = %q, want %q\n%s", c.field, got, c.msg, body)
				}
				// What was typed stays, except the password.
				if v := c.form.Get("email"); v != "" {
					mustContain(t, body, `value="`+v+`"`)
				}
				if v := c.form.Get("password"); v != "" {
					mustNotContain(t, body, `value="`+v+`"`)
				}
			})
		}
		// Nothing was written by the failed attempts.
		if _, err := s.Store.UserByEmail(context.Background(), "a@example.pl"); crm.ErrorCode(err) != crm.CodeNotFound {
			t.Fatalf("a failed sign-up left a user behind: %v", err)
		}

		s.SignUp("Pierwsza", "Anna Nowak", "anna@example.pl", pw)
		res, body := s.Browser().Post("/signup", url.Values{"company_name": {"Druga"}, "name": {"Anna"}, "email": {"ANNA@example.pl"}, "password": {"inne-haslo-456"}})
		if res.StatusCode != http.StatusConflict || fieldError(body, "email") != "Ten adres e-mail jest już zarejestrowany." {
			t.Fatalf("duplicate e-mail: %d %q", res.StatusCode, fieldError(body, "email"))
		}
		// The first account is intact: its password still works, the second does not.
		if res, _ := s.Browser().Post("/login", url.Values{"email": {"anna@example.pl"}, "password": {"inne-haslo-456"}}); res.StatusCode == http.StatusSeeOther {
			t.Fatal("the refused sign-up changed the password")
		}
	})
}

func TestSignupDisabled(t *testing.T) {
	s := apptest.Start(t, "sqlite", func(c *config.Config, _ *app.Options) { c.Signup = false })
	b := s.Browser()
	if res, _ := b.Get("/signup"); res.StatusCode != http.StatusNotFound {
		t.Fatalf("GET /signup with sign-up off = %d", res.StatusCode)
	}
	if res, _ := b.Post("/signup", url.Values{"company_name": {"X"}, "name": {"Y"}, "email": {"x@example.pl"}, "password": {pw}}); res.StatusCode != http.StatusNotFound {
		t.Fatalf("POST /signup with sign-up off = %d", res.StatusCode)
	}
	_, body := b.Get("/login")
	mustNotContain(t, body, `href="/signup"`)
	if _, err := s.Store.UserByEmail(context.Background(), "x@example.pl"); crm.ErrorCode(err) != crm.CodeNotFound {
		t.Fatal("sign-up while disabled created a user")
	}
}

func TestLoginErrors(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		s.SignUp("Firma", "Jan Kowalski", "jan@example.pl", pw)
		res, body := s.Browser().Post("/login", url.Values{"email": {"jan@example.pl"}, "password": {"zle-haslo-000"}})
		if res.StatusCode != http.StatusUnauthorized || fieldError(body, "password") != "Nieprawidłowy e-mail lub hasło." {
			t.Fatalf("wrong password: %d %q", res.StatusCode, fieldError(body, "password"))
		}
		mustContain(t, body, `value="jan@example.pl"`, `aria-invalid="true"`)
		// An unknown e-mail gets the very same answer.
		res, body = s.Browser().Post("/login", url.Values{"email": {"nikt@example.pl"}, "password": {"zle-haslo-000"}})
		if res.StatusCode != http.StatusUnauthorized || fieldError(body, "password") != "Nieprawidłowy e-mail lub hasło." {
			t.Fatalf("unknown e-mail: %d %q", res.StatusCode, fieldError(body, "password"))
		}
		res, body = s.Browser().Post("/login", url.Values{})
		if res.StatusCode != http.StatusUnprocessableEntity || fieldError(body, "email") != "To pole jest wymagane." || fieldError(body, "password") != "To pole jest wymagane." {
			t.Fatalf("empty login: %d", res.StatusCode)
		}
	})
}

func TestLoginRateLimit(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		s.SignUp("Firma", "Jan Kowalski", "jan@example.pl", pw)
		// The default limits: 10 failures per e-mail in 15 minutes.
		for i := range 10 {
			if res, _ := s.Browser().Post("/login", url.Values{"email": {"jan@example.pl"}, "password": {"zle-haslo-000"}}); res.StatusCode != http.StatusUnauthorized {
				t.Fatalf("attempt %d: %d", i+1, res.StatusCode)
			}
		}
		res, body := s.Browser().Post("/login", url.Values{"email": {"jan@example.pl"}, "password": {pw}})
		if res.StatusCode != http.StatusTooManyRequests {
			t.Fatalf("11th attempt = %d, want 429", res.StatusCode)
		}
		if msg := fieldError(body, "email"); !strings.HasPrefix(msg, "Zbyt wiele prób logowania. Spróbuj ponownie za ") {
			t.Fatalf("rate-limit message = %q", msg)
		}
		// The API shares the limit.
		res, body = s.JSON("POST", "/api/v1/tokens", "", map[string]string{"email": "jan@example.pl", "password": pw})
		if res.StatusCode != http.StatusTooManyRequests || !strings.Contains(body, `"code":"rate_limited"`) {
			t.Fatalf("API while limited: %d %s", res.StatusCode, body)
		}
		// Another e-mail from the same IP is not locked out.
		s.SignUp("Inna", "Ewa Nowak", "ewa@example.pl", pw)
		if res, _ := s.Browser().Post("/login", url.Values{"email": {"ewa@example.pl"}, "password": {pw}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("other e-mail: %d", res.StatusCode)
		}
	})
}

func TestLoginRateLimitPerIP(t *testing.T) {
	s := apptest.Start(t, "sqlite", func(_ *config.Config, o *app.Options) { o.Limits = service.Limits{LoginPerIP: 3} })
	for i := range 3 {
		if res, _ := s.Browser().Post("/login", url.Values{"email": {"x" + string(rune('a'+i)) + "@example.pl"}, "password": {"zle-haslo-000"}}); res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("attempt %d: %d", i+1, res.StatusCode)
		}
	}
	if res, _ := s.Browser().Post("/login", url.Values{"email": {"new@example.pl"}, "password": {"zle-haslo-000"}}); res.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("4th attempt from one IP = %d, want 429", res.StatusCode)
	}
}

func TestLanguage(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		// Polish by default; the language switch on the login page remembers
		// the choice in a cookie.
		_, body := s.Browser().Get("/login")
		mustContain(t, body, `<html lang="pl">`, "Logowanie")
		en := s.Browser()
		res, _ := en.Post("/language", url.Values{"lang": {"en"}, "next": {"/login"}})
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/login" {
			t.Fatalf("POST /language = %d → %q", res.StatusCode, res.Header.Get("Location"))
		}
		_, body = en.Get("/login")
		mustContain(t, body, `<html lang="en">`, "Sign in")

		// Logged in: the choice is saved on the user and follows them.
		b := s.SignUp("Firma", "Jan Kowalski", "jan@example.pl", pw)
		b.Post("/language", url.Values{"lang": {"en"}, "next": {"/"}})
		_, body = b.Get("/")
		mustContain(t, body, `<html lang="en">`, "Hello, Jan!")
		fresh := s.Browser()
		fresh.Post("/login", url.Values{"email": {"jan@example.pl"}, "password": {pw}})
		_, body = fresh.Get("/")
		mustContain(t, body, `<html lang="en">`)
		if res, _ := b.Post("/language", url.Values{"lang": {"de"}}); res.StatusCode != http.StatusBadRequest {
			t.Fatalf("unsupported language = %d, want 400", res.StatusCode)
		}
	})
}

func TestAcceptLanguage(t *testing.T) {
	s := apptest.Start(t, "sqlite")
	req, _ := http.NewRequest("GET", s.URL+"/login", nil)
	req.Header.Set("Accept-Language", "en-US,en;q=0.9")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	mustContain(t, string(data), `<html lang="en">`, "Sign in")
}

func TestChangePassword(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		b := s.SignUp("Firma", "Jan Kowalski", "jan@example.pl", pw)
		other := s.Browser()
		other.Post("/login", url.Values{"email": {"jan@example.pl"}, "password": {pw}})
		token := s.Token("jan@example.pl", pw)

		res, body := b.Post("/profile/password", url.Values{"current_password": {"zle-haslo-000"}, "new_password": {"nowe-haslo-789"}, "new_password_confirm": {"nowe-haslo-789"}})
		if res.StatusCode != http.StatusUnprocessableEntity || fieldError(body, "current_password") != "Obecne hasło jest nieprawidłowe." {
			t.Fatalf("wrong current password: %d %q", res.StatusCode, fieldError(body, "current_password"))
		}
		res, body = b.Post("/profile/password", url.Values{"current_password": {pw}, "new_password": {"nowe-haslo-789"}, "new_password_confirm": {"inne-haslo-789"}})
		if res.StatusCode != http.StatusUnprocessableEntity || fieldError(body, "new_password_confirm") != "Hasła nie są takie same." {
			t.Fatalf("mismatch: %d %q", res.StatusCode, fieldError(body, "new_password_confirm"))
		}
		res, _ = b.Post("/profile/password", url.Values{"current_password": {pw}, "new_password": {"nowe-haslo-789"}, "new_password_confirm": {"nowe-haslo-789"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("change = %d", res.StatusCode)
		}
		_, body = b.Get("/profile")
		mustContain(t, body, "Hasło zostało zmienione.")
		if res, _ := other.Get("/"); res.StatusCode != http.StatusSeeOther {
			t.Fatal("another session survived the password change")
		}
		if res, _ := s.JSON("GET", "/api/v1/me", token, nil); res.StatusCode != http.StatusUnauthorized {
			t.Fatal("an API token survived the password change")
		}
		if res, _ := b.Get("/"); res.StatusCode != 200 {
			t.Fatal("the session that changed the password was logged out")
		}
		if res, _ := s.Browser().Post("/login", url.Values{"email": {"jan@example.pl"}, "password": {pw}}); res.StatusCode != http.StatusUnauthorized {
			t.Fatal("the old password still works")
		}
		if res, _ := s.Browser().Post("/login", url.Values{"email": {"jan@example.pl"}, "password": {"nowe-haslo-789"}}); res.StatusCode != http.StatusSeeOther {
			t.Fatal("the new password does not work")
		}
	})
}

func TestCrossSitePostRefused(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		b := s.SignUp("Firma", "Jan Kowalski", "jan@example.pl", pw)
		post := func(path string, form url.Values, site, origin string) (*http.Response, string) {
			req, _ := http.NewRequest("POST", s.URL+path, strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if site != "" {
				req.Header.Set("Sec-Fetch-Site", site)
			}
			if origin != "" {
				req.Header.Set("Origin", origin)
			}
			res, err := b.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			data, _ := io.ReadAll(res.Body)
			return res, string(data)
		}
		res, body := post("/settings/account", url.Values{"name": {"Przejęta"}, "time_zone": {"UTC"}}, "cross-site", "https://evil.example")
		if res.StatusCode != http.StatusForbidden {
			t.Fatalf("cross-site POST = %d, want 403", res.StatusCode)
		}
		mustContain(t, body, "Żądanie odrzucone")
		res, _ = post("/settings/account", url.Values{"name": {"Przejęta"}, "time_zone": {"UTC"}}, "", "https://evil.example")
		if res.StatusCode != http.StatusForbidden {
			t.Fatalf("POST with a foreign Origin = %d, want 403", res.StatusCode)
		}
		res, _ = post("/signup", url.Values{"company_name": {"X"}, "name": {"Y"}, "email": {"csrf@example.pl"}, "password": {pw}}, "cross-site", "")
		if res.StatusCode != http.StatusForbidden {
			t.Fatalf("cross-site sign-up = %d", res.StatusCode)
		}
		_, body = b.Get("/")
		mustNotContain(t, body, "Przejęta")
		if _, err := s.Store.UserByEmail(context.Background(), "csrf@example.pl"); crm.ErrorCode(err) != crm.CodeNotFound {
			t.Fatal("cross-site sign-up created a user")
		}
	})
}

func TestBodyTooLarge(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		big := strings.Repeat("a", 10<<20)
		res, body := s.Browser().Post("/signup", url.Values{"company_name": {big}, "name": {"Y"}, "email": {"big@example.pl"}, "password": {pw}})
		if res.StatusCode != http.StatusRequestEntityTooLarge {
			t.Fatalf("10 MB form = %d, want 413", res.StatusCode)
		}
		mustContain(t, body, "Za dużo danych")
		res, body = s.JSON("POST", "/api/v1/tokens", "", map[string]string{"email": "big@example.pl", "password": big})
		if res.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(body, `"code":"too_large"`) {
			t.Fatalf("10 MB JSON = %d %s", res.StatusCode, body)
		}
		// A body without a declared length is cut at the limit too.
		req, _ := http.NewRequest("POST", s.URL+"/api/v1/tokens", strings.NewReader(`{"email":"`+big+`"}`))
		req.Header.Set("Content-Type", "application/json")
		req.ContentLength = -1
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusRequestEntityTooLarge {
			t.Fatalf("chunked 10 MB JSON = %d", res.StatusCode)
		}
		if _, err := s.Store.UserByEmail(context.Background(), "big@example.pl"); crm.ErrorCode(err) != crm.CodeNotFound {
			t.Fatal("an oversized sign-up created a user")
		}
	})
}

func TestErrorPages(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		b := s.SignUp("Firma", "Jan Kowalski", "jan@example.pl", pw)
		res, body := b.Get("/nie-ma-takiej-strony")
		if res.StatusCode != http.StatusNotFound {
			t.Fatalf("missing page = %d", res.StatusCode)
		}
		mustContain(t, body, "Nie ma takiej strony", `href="/"`, "Firma")
		res, body = s.Browser().Get("/nie-ma")
		if res.StatusCode != http.StatusNotFound {
			t.Fatalf("anonymous missing page = %d", res.StatusCode)
		}
		mustContain(t, body, "Nie ma takiej strony")

		// An internal failure shows a friendly page with the request id, and
		// nothing of the error itself.
		s.Store.Close()
		res, body = b.Get("/")
		if res.StatusCode != http.StatusInternalServerError {
			t.Fatalf("page without a database = %d, want 500", res.StatusCode)
		}
		id := res.Header.Get("X-Request-Id")
		mustContain(t, body, "Coś poszło nie tak", id)
		mustNotContain(t, body, "sql:", "database is closed", "goroutine", ".go:")
	})
}

func TestSecurityHeadersAndAssets(t *testing.T) {
	s := apptest.Start(t, "sqlite")
	res, body := s.Browser().Get("/login")
	h := res.Header
	for k, want := range map[string]string{
		"X-Content-Type-Options": "nosniff",
		"Referrer-Policy":        "strict-origin-when-cross-origin",
		"X-Frame-Options":        "DENY",
	} {
		if h.Get(k) != want {
			t.Errorf("%s = %q, want %q", k, h.Get(k), want)
		}
	}
	csp := h.Get("Content-Security-Policy")
	for _, want := range []string{"script-src 'self'", "frame-ancestors 'none'", "object-src 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe-inline") {
		t.Errorf("CSP allows inline code: %q", csp)
	}
	if regexp.MustCompile(`<script>|<script [^>]*>[^<]+</script>|\son[a-z]+="`).MatchString(body) {
		t.Error("the page has inline script")
	}
	m := regexp.MustCompile(`href="(/static/[0-9a-f]+/css/app\.css)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no hashed stylesheet URL")
	}
	res, css := s.Browser().Get(m[1])
	if res.StatusCode != 200 || !strings.Contains(res.Header.Get("Cache-Control"), "immutable") || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/css") || !strings.Contains(css, "--accent") {
		t.Fatalf("stylesheet: %d %q %q", res.StatusCode, res.Header.Get("Cache-Control"), res.Header.Get("Content-Type"))
	}
	res, _ = s.Browser().Get("/static/0000000000/css/app.css")
	if res.StatusCode != 200 || strings.Contains(res.Header.Get("Cache-Control"), "immutable") {
		t.Fatalf("stale asset URL: %d %q", res.StatusCode, res.Header.Get("Cache-Control"))
	}
	for _, p := range []string{"/static/x/../../go.mod", "/static/x/%2e%2e/%2e%2e/go.mod", "/static/x/nope.css"} {
		if res, body := s.Browser().Get(p); res.StatusCode == http.StatusOK || strings.Contains(body, "module klientela") {
			t.Errorf("GET %s = %d", p, res.StatusCode)
		}
	}
}

func TestSecureCookiesBehindHTTPS(t *testing.T) {
	s := apptest.Start(t, "sqlite", func(c *config.Config, _ *app.Options) { c.BaseURL = "https://crm.example.pl" })
	res, _ := s.Browser().Post("/signup", url.Values{"company_name": {"Firma"}, "name": {"Jan"}, "email": {"jan@example.pl"}, "password": {pw}})
	var found bool
	for _, c := range res.Cookies() {
		if c.Name == "__Host-klientela_session" {
			found = true
			if !c.Secure || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" {
				t.Errorf("session cookie %+v", c)
			}
		}
	}
	if !found {
		t.Fatalf("no __Host- session cookie in %v", res.Cookies())
	}
	if res.Header.Get("Strict-Transport-Security") == "" {
		t.Error("no HSTS behind https")
	}
}

// A user who is not the owner sees no settings, and its URLs answer 403.
func TestNonOwnerCannotReachSettings(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		s.SignUp("Firma", "Jan Kowalski", "jan@example.pl", pw)
		ctx := context.Background()
		owner, err := s.Store.UserByEmail(ctx, "jan@example.pl")
		if err != nil {
			t.Fatal(err)
		}
		hash, _ := password.Fast.Hash(pw)
		if _, err := s.Store.Tenant(owner.User.AccountID).CreateUser(ctx, store.NewUser{Email: "ewa@example.pl", Name: "Ewa Nowak",
			PasswordHash: hash, Role: crm.RoleUser, Locale: "pl", Now: time.Now()}); err != nil {
			t.Fatal(err)
		}
		b := s.Browser()
		b.Post("/login", url.Values{"email": {"ewa@example.pl"}, "password": {pw}})
		res, body := b.Get("/")
		if res.StatusCode != 200 {
			t.Fatalf("dashboard = %d", res.StatusCode)
		}
		mustNotContain(t, body, `href="/settings"`)
		if res, _ := b.Get("/settings"); res.StatusCode != http.StatusForbidden {
			t.Fatalf("GET /settings = %d, want 403", res.StatusCode)
		}
		if res, _ := b.Post("/settings/account", url.Values{"name": {"Przejęta"}, "time_zone": {"UTC"}}); res.StatusCode != http.StatusForbidden {
			t.Fatalf("POST /settings/account = %d, want 403", res.StatusCode)
		}
		acc, _ := s.Store.Tenant(owner.User.AccountID).Account(ctx)
		if acc.Name != "Firma" {
			t.Fatalf("account renamed to %q by a user without the right", acc.Name)
		}
	})
}

func TestMustChangePassword(t *testing.T) {
	s := apptest.Start(t, "sqlite")
	s.SignUp("Firma", "Jan Kowalski", "jan@example.pl", pw)
	ctx := context.Background()
	owner, _ := s.Store.UserByEmail(ctx, "jan@example.pl")
	hash, _ := password.Fast.Hash(pw)
	if _, err := s.Store.Tenant(owner.User.AccountID).CreateUser(ctx, store.NewUser{Email: "nowy@example.pl", Name: "Nowy",
		PasswordHash: hash, Role: crm.RoleUser, Locale: "pl", MustChangePassword: true, Now: time.Now()}); err != nil {
		t.Fatal(err)
	}
	b := s.Browser()
	b.Post("/login", url.Values{"email": {"nowy@example.pl"}, "password": {pw}})
	if res, _ := b.Get("/"); res.Header.Get("Location") != "/profile" {
		t.Fatalf("GET / = %d → %q, want the profile page", res.StatusCode, res.Header.Get("Location"))
	}
	_, body := b.Get("/profile")
	mustContain(t, body, "Ustaw własne hasło")
	b.Post("/profile/password", url.Values{"current_password": {pw}, "new_password": {"nowe-haslo-789"}, "new_password_confirm": {"nowe-haslo-789"}})
	if res, _ := b.Get("/"); res.StatusCode != 200 {
		t.Fatalf("after the change GET / = %d", res.StatusCode)
	}
}

func TestAccountSettings(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		a := s.SignUp("Firma A", "Jan Kowalski", "jan@example.pl", pw)
		bb := s.SignUp("Firma B", "Ewa Nowak", "ewa@example.pl", pw)
		res, body := a.Post("/settings/account", url.Values{"name": {""}, "time_zone": {"Mars/Olympus"}})
		if res.StatusCode != http.StatusUnprocessableEntity || fieldError(body, "name") != "To pole jest wymagane." || fieldError(body, "time_zone") != "Nieznana strefa czasowa." {
			t.Fatalf("bad settings: %d %q %q", res.StatusCode, fieldError(body, "name"), fieldError(body, "time_zone"))
		}
		if res, _ := a.Post("/settings/account", url.Values{"name": {"Firma A sp. z o.o."}, "time_zone": {"Europe/London"}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("save = %d", res.StatusCode)
		}
		_, body = a.Get("/settings")
		mustContain(t, body, "Zapisano ustawienia.", `value="Firma A sp. z o.o."`, `<option value="Europe/London" selected>`)
		// The other account is untouched.
		_, body = bb.Get("/")
		mustContain(t, body, "Firma B")
		mustNotContain(t, body, "Firma A")
	})
}

func TestAPI(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		s.SignUp("Firma A", "Jan Kowalski", "jan@example.pl", pw)
		s.SignUp("Firma B", "Ewa Nowak", "ewa@example.pl", pw)

		errorOf := func(body string) (code, msg string, fields map[string]string) {
			var e struct {
				Error struct {
					Code    string
					Message string
					Fields  map[string]string
				}
			}
			if err := json.Unmarshal([]byte(body), &e); err != nil {
				t.Fatalf("not an error document: %q", body)
			}
			return e.Error.Code, e.Error.Message, e.Error.Fields
		}

		res, body := s.JSON("POST", "/api/v1/tokens", "", map[string]string{"email": "jan@example.pl", "password": "zle-haslo-000"})
		if code, msg, _ := errorOf(body); res.StatusCode != 401 || code != "unauthorized" || msg != "Nieprawidłowy e-mail lub hasło." {
			t.Fatalf("wrong password: %d %s", res.StatusCode, body)
		}
		res, body = s.JSON("POST", "/api/v1/tokens", "", map[string]string{})
		if code, _, fields := errorOf(body); res.StatusCode != 422 || code != "invalid" || fields["email"] == "" || fields["password"] == "" {
			t.Fatalf("empty: %d %s", res.StatusCode, body)
		}
		for name, raw := range map[string]string{"malformed": `{"email":`, "unknown field": `{"email":"a@b.pl","password":"x","admin":true}`, "two values": `{} {}`} {
			req, _ := http.NewRequest("POST", s.URL+"/api/v1/tokens", strings.NewReader(raw))
			req.Header.Set("Content-Type", "application/json")
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != 400 {
				t.Errorf("%s JSON = %d, want 400", name, res.StatusCode)
			}
		}
		req, _ := http.NewRequest("POST", s.URL+"/api/v1/tokens", strings.NewReader(`email=jan@example.pl&password=x`))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Accept-Language", "en")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if code, msg, _ := errorOf(string(data)); res.StatusCode != 415 || code != "unsupported_media_type" || !strings.Contains(msg, "JSON") {
			t.Fatalf("form body to the API = %d %s", res.StatusCode, data)
		}

		tokA := s.Token("jan@example.pl", pw)
		tokB := s.Token("ewa@example.pl", pw)
		res, body = s.JSON("GET", "/api/v1/me", tokA, nil)
		var me struct {
			User struct {
				ID          int64
				Email, Role string
				CreatedAt   string `json:"created_at"`
			}
			Account struct {
				ID       int64
				Name     string
				TimeZone string `json:"time_zone"`
			}
		}
		if res.StatusCode != 200 || json.Unmarshal([]byte(body), &me) != nil {
			t.Fatalf("/me = %d %s", res.StatusCode, body)
		}
		if me.User.Email != "jan@example.pl" || me.User.Role != "owner" || me.Account.Name != "Firma A" || me.Account.TimeZone != "Europe/Warsaw" {
			t.Fatalf("/me = %+v", me)
		}
		ts, err := time.Parse(time.RFC3339, me.User.CreatedAt)
		if err != nil || !regexp.MustCompile(`[+-]0[12]:00$`).MatchString(me.User.CreatedAt) || time.Since(ts) > time.Minute {
			t.Fatalf("created_at %q is not RFC 3339 in Warsaw time: %v", me.User.CreatedAt, err)
		}
		_, body = s.JSON("GET", "/api/v1/me", tokB, nil)
		if !strings.Contains(body, `"Firma B"`) || strings.Contains(body, "Firma A") {
			t.Fatalf("B's /me: %s", body)
		}

		res, body = s.JSON("GET", "/api/v1/me", "", nil)
		if code, _, _ := errorOf(body); res.StatusCode != 401 || code != "unauthorized" || res.Header.Get("WWW-Authenticate") == "" {
			t.Fatalf("no token: %d %s", res.StatusCode, body)
		}
		if res, _ := s.JSON("GET", "/api/v1/me", "forged-token", nil); res.StatusCode != 401 {
			t.Fatalf("forged token: %d", res.StatusCode)
		}
		res, body = s.JSON("GET", "/api/v1/nothing-here", tokA, nil)
		if code, _, _ := errorOf(body); res.StatusCode != 404 || code != "not_found" {
			t.Fatalf("unknown route: %d %s", res.StatusCode, body)
		}
		res, body = s.JSON("PUT", "/api/v1/me", tokA, map[string]string{})
		if code, _, _ := errorOf(body); res.StatusCode != 405 || code != "method_not_allowed" || res.Header.Get("Allow") != "GET" {
			t.Fatalf("wrong method: %d %s %q", res.StatusCode, body, res.Header.Get("Allow"))
		}

		if res, _ := s.JSON("DELETE", "/api/v1/tokens/current", tokA, nil); res.StatusCode != 204 {
			t.Fatalf("revoke = %d", res.StatusCode)
		}
		if res, _ := s.JSON("GET", "/api/v1/me", tokA, nil); res.StatusCode != 401 {
			t.Fatalf("revoked token still works: %d", res.StatusCode)
		}
		if res, _ := s.JSON("GET", "/api/v1/me", tokB, nil); res.StatusCode != 200 {
			t.Fatalf("revoking A's token broke B's: %d", res.StatusCode)
		}
		// A browser session is not an API credential.
		b := s.Browser()
		b.Post("/login", url.Values{"email": {"jan@example.pl"}, "password": {pw}})
		if res, _ := b.Get("/api/v1/me"); res.StatusCode != 401 {
			t.Fatalf("/me with a session cookie = %d, want 401", res.StatusCode)
		}
	})
}

func TestOpenAPICoversRoutes(t *testing.T) {
	s := apptest.Start(t, "sqlite")
	res, body := s.JSON("GET", "/api/v1/openapi.json", "", nil)
	if res.StatusCode != 200 {
		t.Fatalf("openapi.json = %d", res.StatusCode)
	}
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
		Servers []struct{ URL string }                `json:"servers"`
	}
	if err := json.Unmarshal([]byte(body), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.OpenAPI != "3.1.0" || len(doc.Servers) != 1 || doc.Servers[0].URL != "/api/v1" {
		t.Fatalf("openapi %q servers %v", doc.OpenAPI, doc.Servers)
	}
	routes := s.API.Routes()
	if len(routes) < 4 {
		t.Fatalf("only %d routes registered", len(routes))
	}
	for _, r := range routes {
		p := strings.TrimPrefix(r.Path, "/api/v1")
		if _, ok := doc.Paths[p][strings.ToLower(r.Method)]; !ok {
			t.Errorf("%s %s is registered but missing from openapi.json", r.Method, r.Path)
		}
	}
	// And nothing documented is missing from the router.
	registered := map[string]bool{}
	for _, r := range routes {
		registered[strings.ToLower(r.Method)+" "+strings.TrimPrefix(r.Path, "/api/v1")] = true
	}
	for p, ops := range doc.Paths {
		for m := range ops {
			if !registered[m+" "+p] {
				t.Errorf("openapi.json documents %s %s, which is not registered", m, p)
			}
		}
	}
}

func TestAPITokens(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		s.SignUp("Firma A", "Jan Kowalski", "jan@example.pl", pw)
		s.SignUp("Firma B", "Ewa Nowak", "ewa@example.pl", pw)
		var toks []string
		for range 5 {
			toks = append(toks, s.Token("jan@example.pl", pw))
		}
		tokB := s.Token("ewa@example.pl", pw)

		type page struct {
			Items []struct {
				ID         int64
				Name       string
				CreatedAt  string  `json:"created_at"`
				LastUsedAt *string `json:"last_used_at"`
				Current    bool
			}
			NextCursor *string `json:"next_cursor"`
		}
		var all []int64
		cursor := ""
		for range 10 {
			res, body := s.JSON("GET", "/api/v1/tokens?limit=2&cursor="+cursor, toks[0], nil)
			var p page
			if res.StatusCode != 200 || json.Unmarshal([]byte(body), &p) != nil || p.NextCursor == nil {
				t.Fatalf("list: %d %s", res.StatusCode, body)
			}
			for _, it := range p.Items {
				all = append(all, it.ID)
				if it.Current != (len(all) == 5) { // toks[0] is the oldest
					t.Errorf("token %d current=%v", it.ID, it.Current)
				}
			}
			if cursor = *p.NextCursor; cursor == "" {
				break
			}
		}
		if len(all) != 5 || all[0] < all[4] {
			t.Fatalf("listed %v, want 5 ids newest first", all)
		}
		for _, bad := range []string{"limit=0", "limit=201", "limit=abc", "cursor=!!", "cursor=MA"} {
			res, body := s.JSON("GET", "/api/v1/tokens?"+bad, toks[0], nil)
			if res.StatusCode != 422 || !strings.Contains(body, `"fields"`) {
				t.Errorf("?%s = %d %s", bad, res.StatusCode, body)
			}
		}
		// B cannot see or revoke A's tokens: they are not found.
		_, body := s.JSON("GET", "/api/v1/tokens", tokB, nil)
		var pb page
		_ = json.Unmarshal([]byte(body), &pb)
		if len(pb.Items) != 1 {
			t.Fatalf("B lists %d tokens, want only its own", len(pb.Items))
		}
		if res, _ := s.JSON("DELETE", "/api/v1/tokens/"+strconv.FormatInt(all[0], 10), tokB, nil); res.StatusCode != 404 {
			t.Fatalf("B revokes A's token: %d, want 404", res.StatusCode)
		}
		for _, id := range []string{"0", "-1", "x", "99999999"} {
			if res, _ := s.JSON("DELETE", "/api/v1/tokens/"+id, toks[0], nil); res.StatusCode != 404 {
				t.Errorf("DELETE /tokens/%s = %d", id, res.StatusCode)
			}
		}
		if res, _ := s.JSON("DELETE", "/api/v1/tokens/"+strconv.FormatInt(all[0], 10), toks[0], nil); res.StatusCode != 204 {
			t.Fatalf("revoke own = %d", res.StatusCode)
		}
		if res, _ := s.JSON("GET", "/api/v1/me", toks[4], nil); res.StatusCode != 401 {
			t.Fatalf("the revoked (newest) token still works: %d", res.StatusCode)
		}
		if res, _ := s.JSON("GET", "/api/v1/tokens", toks[0], nil); res.StatusCode != 200 {
			t.Fatal("revoking another token broke this one")
		}
	})
}

func TestProfileTokens(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		b := s.SignUp("Firma", "Jan Kowalski", "jan@example.pl", pw)
		res, body := b.Post("/profile/tokens", url.Values{"name": {""}})
		if res.StatusCode != 422 || fieldError(body, "name") != "To pole jest wymagane." {
			t.Fatalf("empty token name: %d %q", res.StatusCode, fieldError(body, "name"))
		}
		res, body = b.Post("/profile/tokens", url.Values{"name": {"Integracja <sklep>"}})
		if res.StatusCode != http.StatusCreated {
			t.Fatalf("create = %d", res.StatusCode)
		}
		m := regexp.MustCompile(`id="new-token" type="text" readonly value="([A-Za-z0-9_-]{43})"`).FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("token not shown:\n%s", body)
		}
		mustContain(t, body, "Integracja &lt;sklep&gt;")
		if res, _ := s.JSON("GET", "/api/v1/me", m[1], nil); res.StatusCode != 200 {
			t.Fatalf("the new token does not work: %d", res.StatusCode)
		}
		_, body = b.Get("/profile")
		mustNotContain(t, body, m[1]) // shown only once
		id := regexp.MustCompile(`action="/profile/tokens/(\d+)/delete"`).FindStringSubmatch(body)
		if id == nil {
			t.Fatal("no revoke button")
		}
		other := s.SignUp("Inna", "Ewa Nowak", "ewa@example.pl", pw)
		if res, _ := other.Post("/profile/tokens/"+id[1]+"/delete", nil); res.StatusCode != 404 {
			t.Fatalf("another account revokes the token: %d, want 404", res.StatusCode)
		}
		if res, _ := b.Post("/profile/tokens/"+id[1]+"/delete", nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("revoke = %d", res.StatusCode)
		}
		if res, _ := s.JSON("GET", "/api/v1/me", m[1], nil); res.StatusCode != 401 {
			t.Fatal("a revoked token still works")
		}
	})
}
