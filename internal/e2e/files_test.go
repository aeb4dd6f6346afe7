package e2e

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"klientela/internal/app/apptest"
)

// Upload two files by the picker: the progress bar shows, both land in the
// list, and one downloads with the same bytes. Then the page is looked at
// on a laptop and on a phone.
func TestFilesUploadFlow(t *testing.T) {
	eachEngine(t, func(t *testing.T, c *chromium, srv *apptest.Server) {
		b := c.newBrowser(t, srv.URL, acceptLanguage(polish))
		b.signUp(zaneta)
		dir := t.TempDir()
		big := bytes.Repeat([]byte("Zażółć gęślą jaźń — skan umowy.\n"), 150000) // ~5 MB: progress events happen
		bigPath := filepath.Join(dir, "Umowa najmu łódź.txt")
		smallPath := filepath.Join(dir, "notatka.txt")
		if err := os.WriteFile(bigPath, big, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(smallPath, []byte("krótka notatka"), 0o644); err != nil {
			t.Fatal(err)
		}
		b.open("/files", "[data-dropzone]")
		// Remember, across the reload that follows, whether the progress
		// bar appeared and how far it went.
		eval[bool](b, `(() => {
			const box = document.querySelector("[data-progress]");
			new MutationObserver(() => {
				if (!box.hidden) sessionStorage.setItem("progress", box.querySelector("progress").value);
			}).observe(box, {attributes: true, subtree: true});
			return true;
		})()`)
		get(b, "pick two files and wait for the list", chromedp.WaitEvent(page.LoadEventFired, nil,
			chromedp.SetUploadFiles(chromedp.CSS(`.dropzone-input`), []string{bigPath, smallPath})))
		b.step("wait for the uploaded files", chromedp.WaitVisible(chromedp.CSS(".files-table")))
		if got := b.text(".toast"); got != "Wysłano 2 pliki." {
			t.Errorf("toast = %q", got)
		}
		if p := eval[string](b, `sessionStorage.getItem("progress") || ""`); p == "" {
			t.Errorf("the progress bar never showed")
		} else {
			t.Logf("progress bar seen up to %s%%", p)
		}
		names := b.text(".files-table tbody")
		if !strings.Contains(names, "Umowa najmu łódź.txt") || !strings.Contains(names, "notatka.txt") {
			t.Fatalf("list: %q", names)
		}
		href := eval[string](b, `Array.from(document.querySelectorAll(".files-table tbody tr"))
			.find(r => r.textContent.includes("Umowa")).querySelector("a[download]").getAttribute("href")`)
		got := evalAwait[string](b, `fetch(`+strconv.Quote(href)+`).then(r => r.text())`)
		if got != string(big) {
			t.Fatalf("downloaded %d bytes, want the %d uploaded", len(got), len(big))
		}
		shots := filepath.Join(repoRoot(t), "screenshots")
		b.resize(desktopW, desktopH)
		b.screenshot(filepath.Join(shots, "files-1280-pl-"+srv.Store.Dialect().String()+".png"))
		b.resize(phoneW, phoneH)
		b.noHorizontalOverflow("files at 375 px")
		b.screenshot(filepath.Join(shots, "files-375-pl-"+srv.Store.Dialect().String()+".png"))
		if errs := b.consoleEntries(); len(errs) > 0 {
			for _, e := range errs {
				if e.isError() {
					t.Errorf("console: %s", e)
				}
			}
		}
	})
}
