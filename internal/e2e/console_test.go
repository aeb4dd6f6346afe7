package e2e

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"klientela/internal/app/apptest"
)

// errorsOf returns the error-level entries.
func errorsOf(entries []consoleEntry) []consoleEntry {
	var out []consoleEntry
	for _, e := range entries {
		if e.isError() {
			out = append(out, e)
		}
	}
	return out
}

func TestNoConsoleErrorsOrCSPViolations(t *testing.T) {
	c := startChromium(t)
	// First prove that the listener sees what the test is about: a page
	// that breaks its own CSP, logs an error and throws.
	t.Run("detector", func(t *testing.T) {
		hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Security-Policy", "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self'")
			fmt.Fprint(w, `<!doctype html><html lang="pl"><title>x</title><p id="x" style="color:red">x</p>`+
				`<script>console.error("boom-console"); setTimeout(() => { throw new Error("boom-throw") })</script>`)
		}))
		t.Cleanup(hs.Close)
		b := c.newBrowser(t, hs.URL)
		b.open("/", "#x")
		// A round trip after the timer: its exception is reported before.
		evalAwait[bool](b, `new Promise(r => setTimeout(() => r(true), 50))`)
		got := errorsOf(b.consoleEntries())
		var csp, console, exception bool
		for _, e := range got {
			csp = csp || (strings.HasPrefix(e.Kind, "log/") && strings.Contains(e.Text, "Content Security Policy"))
			console = console || (e.Kind == "console" && strings.Contains(e.Text, "boom-console"))
			exception = exception || (e.Kind == "exception" && strings.Contains(e.Text, "boom-throw"))
		}
		if !csp || !console || !exception {
			t.Fatalf("the listener missed something (CSP violation %v, console.error %v, exception %v); it saw %v", csp, console, exception, got)
		}
	})

	eachEngineIn(t, c, func(t *testing.T, c *chromium, srv *apptest.Server) {
		b := c.newBrowser(t, srv.URL)
		b.open("/login", "#f-email")
		b.open("/signup", "#f-company_name")
		b.signUp(zaneta) // the dashboard
		b.openUserMenu() // app.js at work
		b.open("/profile", "#f-current_password")
		b.open("/settings", "#f-name")
		b.open("/calendar", "#calendar .fc-view") // FullCalendar: CSSOM styles, its icon font
		b.open("/", greeting)
		// Let late reports arrive (they come before the answer to this).
		evalAwait[bool](b, `new Promise(r => setTimeout(() => r(true), 100))`)

		entries := b.consoleEntries()
		for _, e := range entries {
			if !e.isError() {
				t.Logf("console (not an error): %s", e)
			}
		}
		for _, e := range errorsOf(entries) {
			t.Errorf("console error: %s", e)
		}
	})
}
