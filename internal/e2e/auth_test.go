package e2e

import (
	"testing"

	"klientela/internal/app/apptest"
)

// Selectors of the page markup (internal/web/templates).
const (
	signupSubmit = `form[action="/signup"] button[type="submit"]`
	loginSubmit  = `form[action="/login"] button[type="submit"]`
	greeting     = `main#main .page-head h1`
	menuSummary  = `header.topbar details.usermenu > summary`
	menuLogout   = `details.usermenu form[action="/logout"] button[type="submit"]`
	mainNav      = `nav.sidenav`                 // the navigation on wide screens
	phoneNav     = `details.mobilenav > summary` // its menu button on phones
	phoneNavLink = `details.mobilenav .navlist a`
)

// menuLang is the language button of the user menu.
func menuLang(lang string) string {
	return `details.usermenu form[action="/language"] button[name="lang"][value="` + lang + `"]`
}

// publicLang is the language button on the login and sign-up pages.
func publicLang(lang string) string {
	return `form.lang-switch button[name="lang"][value="` + lang + `"]`
}

// eachEngine runs fn as a subtest on every database engine, each with a
// fresh server; the subtests share one Chromium (each opens its own
// browser context with c.newBrowser).
func eachEngine(t *testing.T, fn func(t *testing.T, c *chromium, srv *apptest.Server)) {
	t.Helper()
	eachEngineIn(t, startChromium(t), fn) // skips (or fails under CI) without a browser
}

// eachEngineIn is eachEngine with a Chromium that runs already.
func eachEngineIn(t *testing.T, c *chromium, fn func(t *testing.T, c *chromium, srv *apptest.Server)) {
	t.Helper()
	for _, engine := range apptest.Engines {
		t.Run(engine, func(t *testing.T) {
			fn(t, c, apptest.Start(t, engine))
		})
	}
}

// account is someone who signs up; the Polish letters check that UTF-8
// survives typing, storage and rendering.
type account struct {
	company, name, first, email, password string
}

var zaneta = account{
	company:  "Pracownia Łódź sp. z o.o.",
	name:     "Żaneta Kowalska-Wiśniewska",
	first:    "Żaneta",
	email:    "zaneta@pracownia-lodz.example",
	password: "zażółć-gęślą-jaźń-7",
}

// signUp fills in and sends the sign-up form, and waits for the dashboard.
func (b *browser) signUp(a account) {
	b.t.Helper()
	b.open("/signup", "#f-company_name")
	b.typeInto("#f-company_name", a.company)
	b.typeInto("#f-name", a.name)
	b.typeInto("#f-email", a.email)
	b.typeInto("#f-password", a.password)
	b.clickAndLoad(signupSubmit, greeting)
}

// logIn fills in and sends the login form on the current page.
func (b *browser) logIn(email, password, waitSel string) {
	b.t.Helper()
	b.typeInto("#f-email", email)
	b.typeInto("#f-password", password)
	b.clickAndLoad(loginSubmit, waitSel)
}

// openUserMenu opens the <details data-menu> of the top bar.
func (b *browser) openUserMenu() {
	b.t.Helper()
	if eval[bool](b, `document.querySelector("details.usermenu").open`) {
		return
	}
	b.step("open the user menu", clickCSS(menuSummary), waitVisibleCSS(menuLogout))
}

// wantPath fails unless the page is at path.
func (b *browser) wantPath(path string) {
	b.t.Helper()
	if got := b.path(); got != path {
		b.t.Fatalf("page is at %s, want %s", got, path)
	}
}

// wantLang fails unless <html lang> is lang.
func (b *browser) wantLang(lang string) {
	b.t.Helper()
	if got := b.lang(); got != lang {
		b.t.Fatalf(`<html lang="%s">, want %q`, got, lang)
	}
}

// wantText fails unless the text of sel is want.
func (b *browser) wantText(sel, want string) {
	b.t.Helper()
	if got := b.text(sel); got != want {
		b.t.Fatalf("text of %s = %q, want %q", sel, got, want)
	}
}

func TestSignupLoginLanguageFlow(t *testing.T) {
	eachEngine(t, func(t *testing.T, c *chromium, srv *apptest.Server) {
		a := zaneta
		b := c.newBrowser(t, srv.URL)

		// Sign-up page, in Polish.
		b.open("/signup", "#auth-title")
		b.wantLang("pl")
		b.wantText("#auth-title", msg(t, "pl", "auth.signup.title"))

		// Sign up: straight to the dashboard, logged in.
		b.signUp(a)
		b.wantPath("/")
		b.wantLang("pl")
		b.wantText(greeting, msg(t, "pl", "dashboard.greeting", "name", a.first))
		b.wantText("header.topbar .topbar-account", a.company)

		// Switch to English in the user menu: the page comes back in English.
		b.openUserMenu()
		if v, _ := b.attr(menuLang("pl"), "aria-pressed"); v != "true" {
			t.Errorf(`Polish button: aria-pressed=%q, want "true"`, v)
		}
		b.clickAndLoad(menuLang("en"), greeting)
		b.wantPath("/")
		b.wantLang("en")
		b.wantText(greeting, msg(t, "en", "dashboard.greeting", "name", a.first))
		b.openUserMenu()
		if v, _ := b.attr(menuLang("en"), "aria-pressed"); v != "true" {
			t.Errorf(`English button after the switch: aria-pressed=%q, want "true"`, v)
		}

		// Log out: the login page, still in English (the language cookie).
		b.clickAndLoad(menuLogout, "#f-email")
		b.wantPath("/login")
		b.wantLang("en")
		b.wantText("#auth-title", msg(t, "en", "auth.login.title"))

		// Log in again: the dashboard, in English (the saved choice).
		b.logIn(a.email, a.password, greeting)
		b.wantPath("/")
		b.wantLang("en")
		b.wantText(greeting, msg(t, "en", "dashboard.greeting", "name", a.first))
		b.wantText("header.topbar .topbar-account", a.company)
	})
}

func TestWrongPasswordShowsFieldError(t *testing.T) {
	eachEngine(t, func(t *testing.T, c *chromium, srv *apptest.Server) {
		a := zaneta
		srv.SignUp(a.company, a.name, a.email, a.password)

		b := c.newBrowser(t, srv.URL) // a fresh browser context: no session
		b.open("/login", "#f-email")
		b.logIn(a.email, a.password+"x", "#f-password-error")

		b.wantPath("/login")
		b.wantLang("pl")
		b.wantText("#f-password-error", msg(t, "pl", "err.login_failed"))
		if v, ok := b.attr("#f-password", "aria-invalid"); !ok || v != "true" {
			t.Errorf(`password input: aria-invalid=%q (present: %v), want "true"`, v, ok)
		}
		if v, _ := b.attr("#f-password", "aria-describedby"); v != "f-password-error" {
			t.Errorf(`password input: aria-describedby=%q, want "f-password-error"`, v)
		}
		if v := get(b, "value of #f-email", valueCSS("#f-email")); v != a.email {
			t.Errorf("e-mail field holds %q after the failed login, want %q", v, a.email)
		}
		if v := get(b, "value of #f-password", valueCSS("#f-password")); v != "" {
			t.Errorf("password field holds %q after the failed login, want it empty", v)
		}
		// One message, next to the field: no form-wide alert repeats it.
		if n := eval[int](b, `document.querySelectorAll(".alert").length`); n != 0 {
			t.Errorf("%d form-wide alerts next to the field error, want 0", n)
		}
	})
}

func TestAcceptLanguageEnglish(t *testing.T) {
	eachEngine(t, func(t *testing.T, c *chromium, srv *apptest.Server) {
		b := c.newBrowser(t, srv.URL, acceptLanguage("en-GB,en;q=0.9,pl;q=0.5"))
		b.open("/login", "#auth-title")
		b.wantLang("en")
		b.wantText("#auth-title", msg(t, "en", "auth.login.title"))
		b.wantText(loginSubmit, msg(t, "en", "auth.login.submit"))
		if v, _ := b.attr(publicLang("en"), "aria-pressed"); v != "true" {
			t.Errorf(`English switch: aria-pressed=%q, want "true"`, v)
		}
	})
}
