package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"klientela/internal/app/apptest"
)

// TestTaskFileUpload: a file picked on a task's page is uploaded, listed on
// the page, and downloads with the same bytes; the page is looked at 1280
// and 375 px wide.
func TestTaskFileUpload(t *testing.T) {
	c := startChromium(t)
	srv := apptest.Start(t, "sqlite")
	a := zaneta
	srv.SignUp(a.company, a.name, a.email, a.password)
	tok := srv.Token(a.email, a.password)
	res, body := srv.JSON("POST", "/api/v1/employees", tok, map[string]any{"first_name": "Żaneta", "last_name": "Wójcik"})
	var emp struct{ ID int64 }
	if err := json.Unmarshal([]byte(body), &emp); err != nil || res.StatusCode != 201 {
		t.Fatalf("employee: %d %s", res.StatusCode, body)
	}
	res, body = srv.JSON("POST", "/api/v1/tasks", tok, map[string]any{"title": "Pomiar okien u klienta", "employee_ids": []int64{emp.ID},
		"start": time.Now().Add(time.Hour).Format(time.RFC3339), "end": time.Now().Add(2 * time.Hour).Format(time.RFC3339)})
	if res.StatusCode != 201 {
		t.Fatalf("task: %d %s", res.StatusCode, body)
	}
	var k struct{ ID int64 }
	_ = json.Unmarshal([]byte(body), &k)
	taskPath := "/tasks/" + strconv.FormatInt(k.ID, 10)

	dir := t.TempDir()
	content := strings.Repeat("Wymiary: 120 × 150 cm, łazienka i kuchnia.\n", 200)
	p := filepath.Join(dir, "Wymiary okien — Łódź.txt")
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	b := c.newBrowser(t, srv.URL)
	b.resize(desktopW, desktopH)
	b.open("/login", "#f-email")
	b.logIn(a.email, a.password, greeting)
	b.open(taskPath, "[data-dropzone]")
	get(b, "pick a file and wait for the page", chromedp.WaitEvent(page.LoadEventFired, nil,
		chromedp.SetUploadFiles(chromedp.CSS(`.dropzone-input`), []string{p})))
	b.step("wait for the list", chromedp.WaitVisible(chromedp.CSS(".file-list")))
	if b.path() != taskPath {
		t.Fatalf("after the upload at %s, want %s", b.path(), taskPath)
	}
	if got := b.text(".file-list"); !strings.Contains(got, "Wymiary okien — Łódź.txt") {
		t.Fatalf("task's files: %q", got)
	}
	href := eval[string](b, `document.querySelector(".file-list a[download]").getAttribute("href")`)
	if got := evalAwait[string](b, `fetch(`+strconv.Quote(href)+`).then(r => r.text())`); got != content {
		t.Fatalf("downloaded %d bytes, want %d", len(got), len(content))
	}
	shots := filepath.Join(repoRoot(t), "screenshots")
	b.screenshot(filepath.Join(shots, "task-files-1280-pl.png"))
	b.resize(phoneW, phoneH)
	b.open(taskPath, ".file-list")
	b.noHorizontalOverflow("task with files at 375 px")
	b.screenshot(filepath.Join(shots, "task-files-375-pl.png"))
	for _, e := range errorsOf(b.consoleEntries()) {
		t.Errorf("console error: %s", e)
	}
}
