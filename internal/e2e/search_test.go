package e2e

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"klientela/internal/app/apptest"
)

// The global search as a daily user meets it: Ctrl+K from the dashboard
// puts the cursor in the top bar's box, typing without Polish letters
// shows the client, the task and the document with them while typing,
// the arrow key and Enter open the client; on a phone the box is a link to
// the search page, which finds the same. No console errors on the way.
func TestGlobalSearchFlow(t *testing.T) {
	eachEngine(t, func(t *testing.T, c *chromium, srv *apptest.Server) {
		a := zaneta
		srv.SignUp(a.company, a.name, a.email, a.password)
		tok := srv.Token(a.email, a.password)
		post := func(path string, in map[string]any) int64 { return srv.Create(tok, path, in) }
		emp := post("/api/v1/employees", map[string]any{"first_name": "Łucja", "last_name": "Żółkiewska"})
		post("/api/v1/clients", map[string]any{"kind": "company", "name": "Żółw Łódź sp. z o.o.", "address": map[string]any{"city": "Łódź"}})
		post("/api/v1/tasks", map[string]any{"title": "Oferta dla Żółwia", "employee_ids": []int64{emp},
			"start": "2026-12-10T09:00:00+01:00", "end": "2026-12-10T10:00:00+01:00"})
		post("/api/v1/documents", map[string]any{"title": "Umowa serwisowa — Żółw"})

		b := c.newBrowser(t, srv.URL)
		b.resize(desktopW, desktopH)
		b.open("/login", "#f-email")
		b.logIn(a.email, a.password, greeting)

		b.step("Ctrl+K", chromedp.KeyEvent("k", chromedp.KeyModifiers(kb.ModifierCtrl)))
		if id := eval[string](b, `document.activeElement && document.activeElement.id`); id != "topsearch-q" {
			t.Fatalf("Ctrl+K focused %q, not the search box", id)
		}
		b.step("type", chromedp.SendKeys(chromedp.CSS("#topsearch-q"), "zolw"))
		b.step("results while typing", waitVisibleCSS("#topsearch-results .search-client a"))
		got := b.text("#topsearch-results")
		for _, want := range []string{"Żółw Łódź sp. z o.o.", "Oferta dla Żółwia", "Umowa serwisowa — Żółw", "Klienci", "Zadania", "Dokumenty"} {
			if !strings.Contains(strings.ToLower(got), strings.ToLower(want)) {
				t.Errorf("results lack %q: %q", want, got)
			}
		}
		b.screenshot(filepath.Join(repoRoot(t), "screenshots", "search-1280-pl.png"))
		b.step("arrow down", chromedp.KeyEvent(kb.ArrowDown))
		if txt := eval[string](b, `document.activeElement.textContent`); !strings.Contains(txt, "Żółw Łódź") {
			t.Fatalf("arrow down focused %q", txt)
		}
		get(b, "Enter opens the client", chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.KeyEvent(kb.Enter)))
		if p := b.path(); !clientPath.MatchString(p) {
			t.Fatalf("Enter went to %s", p)
		}

		// A phone: the box gives way to a link; the page searches the same.
		b.resize(phoneW, phoneH)
		b.open("/", greeting)
		b.noHorizontalOverflow("dashboard with the search link at 375 px")
		b.clickAndLoad(".topsearch-link", "#search-q")
		b.typeInto("#search-q", "lodz")
		b.clickAndLoad(`main#main form[action="/search"] button[type="submit"]`, "#search-results")
		if got := b.text("#search-results"); !strings.Contains(got, "Żółw Łódź sp. z o.o.") {
			t.Fatalf("search page: %q", got)
		}
		b.noHorizontalOverflow("search page at 375 px")
		b.screenshot(filepath.Join(repoRoot(t), "screenshots", "search-375-pl.png"))
		if errs := errorsOf(b.consoleEntries()); len(errs) > 0 {
			t.Errorf("console errors: %v", errs)
		}
	})
}
