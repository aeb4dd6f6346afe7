package e2e

import (
	"fmt"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"klientela/internal/app/apptest"
)

// Viewports: a laptop and a phone (iPhone X/11 Pro logical size).
const (
	desktopW, desktopH = 1280, 800
	phoneW, phoneH     = 375, 812
)

// resize emulates a viewport of w×h CSS pixels.
func (b *browser) resize(w, h int64) {
	b.t.Helper()
	b.step(fmt.Sprintf("emulate a %d×%d viewport", w, h), chromedp.EmulateViewport(w, h))
	if got := eval[int64](b, "window.innerWidth"); got != w {
		b.t.Fatalf("window.innerWidth = %d after emulating %d px", got, w)
	}
}

// noHorizontalOverflow fails when the page is wider than the viewport.
func (b *browser) noHorizontalOverflow(where string) {
	b.t.Helper()
	sw := eval[int64](b, "document.documentElement.scrollWidth")
	iw := eval[int64](b, "window.innerWidth")
	if sw > iw {
		wide := eval[string](b, `Array.from(document.querySelectorAll("body *"))
			.filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5)
			.slice(0, 5).map(e => e.tagName.toLowerCase() + (e.className ? "." + String(e.className).trim().split(/\s+/).join(".") : "") +
				" (right edge " + Math.round(e.getBoundingClientRect().right) + ")").join(", ")`)
		b.t.Errorf("%s: horizontal overflow: scrollWidth %d > innerWidth %d; widest: %s", where, sw, iw, wide)
	}
}

// inViewport reports "ok" when sel is rendered and lies inside the viewport
// horizontally (and starts below its top), or what is wrong.
func (b *browser) inViewport(sel string) string {
	b.t.Helper()
	return eval[string](b, `(sel => {
		const el = document.querySelector(sel);
		if (!el) return "missing";
		const cs = getComputedStyle(el), r = el.getBoundingClientRect();
		if (cs.display === "none" || cs.visibility === "hidden" || r.width === 0 || r.height === 0) return "not rendered";
		if (r.left < -0.5 || r.right > window.innerWidth + 0.5 || r.top < -0.5 || r.top > window.innerHeight)
			return "outside the viewport: left " + r.left + ", right " + r.right + ", top " + r.top + " (viewport " + window.innerWidth + "×" + window.innerHeight + ")";
		return "ok";
	})(`+strconv.Quote(sel)+`)`)
}

func (b *browser) wantInViewport(what, sel string) {
	b.t.Helper()
	if s := b.inViewport(sel); s != "ok" {
		b.t.Errorf("%s (%s): %s", what, sel, s)
	}
}

// checkPhoneDashboard asserts what a phone user needs on the dashboard.
func (b *browser) checkPhoneDashboard(lang string) {
	b.t.Helper()
	where := "dashboard at 375 px (" + lang + ")"
	b.noHorizontalOverflow(where)
	b.wantInViewport(where+": navigation menu button", phoneNav)
	b.wantInViewport(where+": user menu button", menuSummary)
	b.wantInViewport(where+": greeting", greeting)
	// On phones the navigation opens from a menu button; every entry must
	// then be on the screen.
	b.step("open the navigation menu", clickCSS(phoneNav), waitVisibleCSS(phoneNavLink))
	if hidden := eval[string](b, `Array.from(document.querySelectorAll(`+strconv.Quote(phoneNavLink)+`))
		.filter(a => { const r = a.getBoundingClientRect(); return r.width === 0 || r.left < 0 || r.right > window.innerWidth + 0.5 || r.bottom > window.innerHeight; })
		.map(a => a.textContent.trim()).join(", ")`); hidden != "" {
		b.t.Errorf("%s: navigation entries off the screen: %s", where, hidden)
	}
	b.noHorizontalOverflow(where + " with the navigation open")
	b.step("close the navigation menu", clickCSS(phoneNav))
}

// checkSkipLink asserts that the first Tab on a freshly loaded page focuses
// the skip link, which then becomes visible, and that it leads to <main>.
func (b *browser) checkSkipLink(where string) {
	b.t.Helper()
	b.step("press Tab", chromedp.KeyEvent(kb.Tab))
	focused := eval[string](b, `(e => e ? e.tagName.toLowerCase() + "." + e.className + " " + (e.textContent || "").trim() : "nothing")(document.activeElement)`)
	if !eval[bool](b, `document.activeElement !== null && document.activeElement.classList.contains("skip-link")`) {
		b.t.Errorf("%s: the first Tab focuses %q, want the skip link (.skip-link)", where, focused)
		return
	}
	b.wantInViewport(where+": focused skip link", ".skip-link")
	if href, _ := b.attr(".skip-link", "href"); href != "#main" {
		b.t.Errorf(`%s: skip link href=%q, want "#main"`, where, href)
	}
	b.step("follow the skip link", chromedp.KeyEvent(kb.Enter))
	if id := eval[string](b, `document.activeElement ? document.activeElement.id : ""`); id != "main" {
		b.t.Errorf("%s: Enter on the skip link focuses #%s, want #main", where, id)
	}
}

func TestDashboardScreenshots(t *testing.T) {
	eachEngine(t, func(t *testing.T, c *chromium, srv *apptest.Server) {
		a := zaneta
		srv.SignUp(a.company, a.name, a.email, a.password)

		// The UI does not depend on the engine; keep the second engine's
		// pictures apart so the runs do not overwrite each other.
		dir := filepath.Join(repoRoot(t), "screenshots")
		if engine := filepath.Base(t.Name()); engine != apptest.Engines[0] {
			dir = filepath.Join(dir, engine)
		}
		shot := func(b *browser, name string) { b.screenshot(filepath.Join(dir, name+".png")) }

		b := c.newBrowser(t, srv.URL)
		b.resize(desktopW, desktopH)
		b.open("/login", "#f-email")
		b.logIn(a.email, a.password, greeting)
		b.wantLang("pl")

		for _, lang := range []string{"pl", "en"} {
			if lang == "en" {
				b.resize(desktopW, desktopH)
				b.openUserMenu()
				b.clickAndLoad(menuLang("en"), greeting)
				b.wantLang("en")
			}
			b.wantText(greeting, msg(t, lang, "dashboard.greeting", "name", a.first))

			// Keyboard: from a fresh load, Tab reaches the skip link first.
			b.open("/", greeting)
			b.checkSkipLink("dashboard (" + lang + ")")

			b.open("/", greeting)
			b.noHorizontalOverflow("dashboard at 1280 px (" + lang + ")")
			b.wantInViewport("dashboard at 1280 px ("+lang+"): main navigation", mainNav+" li:first-child a")
			shot(b, "dashboard-1280-"+lang)

			b.resize(phoneW, phoneH)
			b.open("/", greeting)
			b.checkPhoneDashboard(lang)
			shot(b, "dashboard-375-"+lang)

			// The open user menu must fit on a phone screen too.
			b.openUserMenu()
			b.wantInViewport("user menu at 375 px ("+lang+")", "details.usermenu .menu")
			b.noHorizontalOverflow("dashboard at 375 px with the user menu open (" + lang + ")")
			shot(b, "dashboard-375-menu-"+lang)
		}

		// Log out (English now), then the login page at 375 px in English
		// and, after the public language switch, in Polish.
		b.resize(phoneW, phoneH)
		b.openUserMenu()
		b.clickAndLoad(menuLogout, "#f-email")
		for _, lang := range []string{"en", "pl"} {
			if lang == "pl" {
				b.open("/login", "#f-email")
				b.clickAndLoad(publicLang("pl"), "#f-email")
			}
			b.wantPath("/login")
			b.wantLang(lang)
			b.wantText("#auth-title", msg(t, lang, "auth.login.title"))
			b.noHorizontalOverflow("login at 375 px (" + lang + ")")
			b.wantInViewport("login at 375 px ("+lang+"): submit button", loginSubmit)
			shot(b, "login-375-"+lang)

			b.open("/signup", "#f-company_name")
			b.noHorizontalOverflow("sign-up at 375 px (" + lang + ")")
			shot(b, "signup-375-"+lang)
		}
	})
}
