package e2e

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"klientela/internal/app/apptest"
)

// emulateMedia switches the page to print ("print") or screen ("") media.
func emulateMedia(media string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: media})
		return err
	})
}

// editorEnd puts the caret at the end of the Quill editor, focused.
func editorEnd() chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := chromedp.Evaluate[bool](`(q => { q.focus(); q.setSelection(q.getLength() - 1, 0, "user"); return true })(Quill.find(document.querySelector(".ql-container")))`)(ctx, t)
		return err
	})
}

// waitFor polls a JavaScript condition until it is true or time runs out.
func waitFor(b *browser, what, cond string, d time.Duration) bool {
	b.t.Helper()
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		if eval[bool](b, cond) {
			return true
		}
		time.Sleep(200 * time.Millisecond)
	}
	b.t.Errorf("timed out waiting for %s", what)
	return false
}

// Write a document with bold text and a list (autosave creates it and says
// so), make a template with a merge field, fill it for a client, open the
// print view and look at it. No CSP violation and no console error on the
// way: Quill works under our CSP.
func TestDocumentsFlow(t *testing.T) {
	eachEngine(t, func(t *testing.T, c *chromium, srv *apptest.Server) {
		b := c.newBrowser(t, srv.URL, acceptLanguage(polish))
		b.signUp(zaneta)
		tok := srv.Token(zaneta.email, zaneta.password)
		res, body := srv.JSON("POST", "/api/v1/clients", tok, map[string]any{"kind": "company", "name": "Hurtownia Świętokrzyska",
			"nip": "123-456-32-18", "address": map[string]any{"street": "Sienkiewicza 5", "postal_code": "25-001", "city": "Kielce"}})
		if res.StatusCode != 201 {
			t.Fatalf("client: %d %s", res.StatusCode, body)
		}
		var client struct{ ID int64 }
		_ = json.Unmarshal([]byte(body), &client)

		// 1. A document: bold text and a list, saved by autosave.
		b.open("/documents/new", ".ql-editor")
		b.typeInto("#f-title", "Notatka ze spotkania")
		b.step("write bold text and a list", editorEnd(),
			// Text goes in at the caret (SendKeys would move the caret to
			// the start when it focuses the element under load).
			chromedp.Click(chromedp.CSS(".ql-toolbar .ql-bold")), insertText("Najważniejsze"),
			chromedp.Click(chromedp.CSS(".ql-toolbar .ql-bold")), insertText(" ustalenia"), chromedp.KeyEvent("\r"),
			chromedp.Click(chromedp.CSS(`.ql-toolbar .ql-list[value="bullet"]`)),
			insertText("termin do piątku"), chromedp.KeyEvent("\r"), insertText("cena bez zmian"))
		waitFor(b, "the autosave status", `(document.querySelector("[data-doc-status]").textContent || "").startsWith("Zapisano ")`, 15*time.Second)
		if p := b.path(); !strings.HasPrefix(p, "/documents/") || !strings.HasSuffix(p, "/edit") {
			t.Errorf("after the first autosave the page is %s", p)
		}
		t.Logf("status: %s", b.text("[data-doc-status]"))
		shots := filepath.Join(repoRoot(t), "screenshots")
		engine := srv.Store.Dialect().String()
		b.resize(desktopW, desktopH)
		b.screenshot(filepath.Join(shots, "document-editor-1280-pl-"+engine+".png"))
		b.clickAndLoad(".doc-form button[type=submit]", ".doc-body")
		if got := b.text(".doc-body strong"); got != "Najważniejsze" {
			t.Errorf("bold text = %q", got)
		}
		if got := eval[string](b, `Array.from(document.querySelectorAll(".doc-body ul li")).map(li => li.textContent).filter(s => s).join("|")`); !strings.Contains(got, "termin do piątku|cena bez zmian") {
			t.Errorf("list items = %q", got)
		}

		// 2. A template with a merge field picked from the list.
		b.open("/documents/new?template=1", ".ql-editor")
		b.typeInto("#f-title", "Oferta")
		b.step("write the template", editorEnd(),
			insertText("Oferta dla "),
			chromedp.SetValue(chromedp.CSS("#f-merge"), "klient.nazwa"), chromedp.Click(chromedp.CSS("[data-merge-insert]")),
			editorEnd(), insertText(", NIP "),
			chromedp.SetValue(chromedp.CSS("#f-merge"), "klient.nip"), chromedp.Click(chromedp.CSS("[data-merge-insert]")))
		b.clickAndLoad(".doc-form button[type=submit]", ".doc-body")
		if got := b.text(".doc-body"); !strings.Contains(got, "{{klient.nazwa}}") {
			t.Fatalf("template body = %q", got)
		}
		// 3. A document from it for the client: the client's name is in it.
		b.step("choose the client", chromedp.SetValue(chromedp.CSS("#f-client_id"), strconv.FormatInt(client.ID, 10)))
		b.clickAndLoad(`form[action="/documents/from-template"] button[type=submit]`, ".ql-editor")
		if got := b.text(".ql-editor"); !strings.Contains(got, "Oferta dla Hurtownia Świętokrzyska, NIP 123-456-32-18") {
			t.Errorf("filled document = %q", got)
		}
		b.clickAndLoad(".doc-form button[type=submit]", ".doc-body")
		docPath := b.path()

		// 4. The print view, on screen and as printed.
		b.open(docPath+"/print", ".print-sheet")
		if got := b.text(".print-head"); !strings.Contains(got, zaneta.company) {
			t.Errorf("print header = %q", got)
		}
		b.screenshot(filepath.Join(shots, "document-print-screen-pl-"+engine+".png"))
		b.step("emulate print media", emulateMedia("print"))
		if eval[bool](b, `[".sidenav", ".topbar", "[data-print]", ".crumbs"].some(s => document.querySelector(s).checkVisibility())`) {
			t.Errorf("print media still shows the menus or buttons")
		}
		b.screenshot(filepath.Join(shots, "document-print-pl-"+engine+".png"))
		b.step("back to screen media", emulateMedia(""))

		// 5. The list, on a laptop and on a phone.
		b.open("/documents", ".documents-table")
		b.screenshot(filepath.Join(shots, "documents-1280-pl-"+engine+".png"))
		b.resize(phoneW, phoneH)
		b.noHorizontalOverflow("documents at 375 px")
		b.screenshot(filepath.Join(shots, "documents-375-pl-"+engine+".png"))
		b.open(docPath+"/edit", ".ql-editor")
		b.noHorizontalOverflow("editor at 375 px")
		b.screenshot(filepath.Join(shots, "document-editor-375-pl-"+engine+".png"))
		evalAwait[bool](b, `new Promise(r => setTimeout(() => r(true), 50))`)
		for _, e := range errorsOf(b.consoleEntries()) {
			t.Errorf("console: %s", e)
		}
	})
}

// A document full of attacks is stored and shown inert in the real
// browser: nothing runs (window.pwned stays undefined), and nothing even
// reaches the CSP — the sanitiser removed it first.
func TestDocumentXSS(t *testing.T) {
	eachEngine(t, func(t *testing.T, c *chromium, srv *apptest.Server) {
		b := c.newBrowser(t, srv.URL, acceptLanguage(polish))
		b.signUp(zaneta)
		tok := srv.Token(zaneta.email, zaneta.password)
		payload := `<p>Bezpieczny tekst</p>` +
			`<script>window.pwned = "script"</script>` +
			`<img src="x" onerror="window.pwned = 'onerror'">` +
			`<p><a id="js" href="javascript:window.pwned='link'">kliknij</a></p>` +
			`<svg><script>window.pwned = "svg"</script><circle onload="window.pwned='svg-onload'"/></svg>` +
			`<p style="background: expression(window.pwned='css'); width: expression(1)">css</p>` +
			`<iframe src="javascript:parent.pwned='iframe'"></iframe>` +
			`<style>body { background: url("javascript:window.pwned='style'") }</style>` +
			`<details open ontoggle="window.pwned='toggle'"><summary>x</summary></details>` +
			`<math><mtext><table><mglyph><style><img src=x onerror="window.pwned='mxss'"></style></mglyph></table></mtext></math>` +
			`<a href="  jAvAsCrIpT:window.pwned='case'">b</a><form action="javascript:window.pwned='form'"><button id="fb">x</button></form>`
		{
			res, body := srv.JSON("POST", "/api/v1/documents", tok, map[string]any{"title": "Atak <script>window.pwned='title'</script>",
				"body_html": payload})
			if res.StatusCode != 201 {
				t.Fatalf("create: %d %s", res.StatusCode, body)
			}
			var d struct{ ID int64 }
			_ = json.Unmarshal([]byte(body), &d)
			id := strconv.FormatInt(d.ID, 10)
			for _, p := range []string{"/documents/" + id, "/documents/" + id + "/print", "/documents/" + id + "/edit"} {
				sel := ".doc-body"
				if strings.HasSuffix(p, "/edit") {
					sel = ".ql-editor"
				}
				b.open(p, sel)
				// Give any payload its chance: clicks on the links and a moment.
				eval[bool](b, `(() => { document.querySelectorAll(".doc-body a, .ql-editor a").forEach(a => { try { a.click() } catch (e) {} }); return true })()`)
				evalAwait[bool](b, `new Promise(r => setTimeout(() => r(true), 300))`)
				if got := eval[string](b, `String(window.pwned)`); got != "undefined" {
					t.Errorf("%s: window.pwned = %q", p, got)
				}
				if n := eval[int](b, `document.querySelectorAll(".doc-body script, .doc-body iframe, .doc-body svg, .doc-body style, .doc-body [onerror], .doc-body [style], .doc-body form").length`); n != 0 {
					t.Errorf("%s: %d dangerous elements in the body", p, n)
				}
				if !strings.Contains(b.text(sel), "Bezpieczny tekst") {
					t.Errorf("%s: the harmless text is gone", p)
				}
			}
		}
		for _, e := range b.consoleEntries() {
			if strings.Contains(e.Text, "Content Security Policy") || e.isError() {
				t.Errorf("console: %s", e)
			}
		}
	})
}
