package e2e

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"klientela/internal/app/apptest"
)

// The import journey of a user moving from Excel: upload a CSV with a bad
// row, map a column, see the row's error in the preview, import, watch the
// progress bar reach the summary, and undo.
func TestImportClientsFlow(t *testing.T) {
	eachEngine(t, func(t *testing.T, c *chromium, srv *apptest.Server) {
		b := c.newBrowser(t, srv.URL)
		b.signUp(zaneta)

		b.open("/clients", `a[href="/clients/import"]`)
		b.clickAndLoad(`a[href="/clients/import"]`, "#f-file")
		file := filepath.Join(repoRoot(t), "internal", "csvfile", "testdata", "bad-rows.csv")
		b.step("choose the file", chromedp.SetUploadFiles(chromedp.CSS("#f-file"), []string{file}))
		b.clickAndLoad(`form[action="/clients/import"] button[type="submit"]`, "#mapping-form")

		// The guessed mapping is shown; skip the e-mail column, save, and
		// the preview follows the new mapping.
		if got := get(b, "guessed field of NIP", chromedp.Value(chromedp.CSS("#f-col1"))); got != "nip" {
			t.Fatalf("NIP column mapped to %q", got)
		}
		eval[bool](b, `(document.querySelector("#f-col4").value = "", true)`)
		b.clickAndLoad(`#mapping-form button[type="submit"]`, "#preview-table")
		if got := get(b, "field of the e-mail column", chromedp.Value(chromedp.CSS("#f-col4"))); got != "" {
			t.Fatalf("e-mail column after saving = %q, want skipped", got)
		}
		errs := b.text("#preview-table tr.import-row-error")
		if !strings.Contains(errs, "NIP") {
			t.Fatalf("the preview shows no NIP error: %q", errs)
		}
		if n := eval[int](b, `document.querySelectorAll("#preview-table tr.import-row-error").length`); n != 3 {
			t.Fatalf("%d rows with errors in the preview, want 3 (NIP, postal code, no name)", n)
		}

		// Import: the progress page polls until the summary shows.
		b.clickAndLoad("#start-import", "main#main")
		b.step("wait for the summary", chromedp.WaitVisible(chromedp.CSS("#import-summary")))
		importPage := b.path()
		b.wantText("#import-created", "3")
		b.wantText("#import-skipped", "4")
		if rows := b.text("#import-problems tbody"); !strings.Contains(rows, "3") || !strings.Contains(rows, "NIP") {
			t.Fatalf("skipped rows: %q", rows)
		}
		b.open("/clients", "table.table")
		if list := b.text("table.table tbody"); !strings.Contains(list, "Dobra Firma") || !strings.Contains(list, "Zły e-mail") {
			t.Fatalf("imported clients missing from the list: %q", list)
		}

		// Undo removes the batch.
		b.open(importPage, "#undo-import")
		eval[bool](b, `(window.confirm = () => true, true)`)
		b.clickAndLoad("#undo-import", "#import-summary")
		if h := b.text("#summary-title"); h != "Import cofnięty" {
			t.Fatalf("summary after undo: %q", h)
		}
		b.open("/clients", "main#main")
		if strings.Contains(b.text("main#main"), "Dobra Firma") {
			t.Fatal("undone clients are still listed")
		}
	})
}
