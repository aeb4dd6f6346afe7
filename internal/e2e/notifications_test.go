package e2e

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"klientela/internal/app/apptest"
)

// TestReminderBell: a task whose reminder was a moment ago is delivered by
// the runner; the bell shows 1 on the dashboard; the list opens from the
// bell, a click goes to the task and marks it read, and the bell is back to
// no count. No console errors; the list is looked at 1280 and 375 px wide.
func TestReminderBell(t *testing.T) {
	c := startChromium(t)
	srv := apptest.Start(t, "sqlite")
	a := zaneta
	srv.SignUp(a.company, a.name, a.email, a.password)
	tok := srv.Token(a.email, a.password)
	call := func(method, path string, in map[string]any, want int) int64 {
		res, body := srv.JSON(method, path, tok, in)
		if res.StatusCode != want {
			t.Fatalf("%s %s: %d %s", method, path, res.StatusCode, body)
		}
		var out struct{ ID int64 }
		_ = json.Unmarshal([]byte(body), &out)
		return out.ID
	}
	emp := call("POST", "/api/v1/employees", map[string]any{"first_name": "Żaneta", "last_name": "Wójcik"}, 201)
	_, meBody := srv.JSON("GET", "/api/v1/me", tok, nil)
	var meOut struct{ User struct{ ID int64 } }
	if err := json.Unmarshal([]byte(meBody), &meOut); err != nil || meOut.User.ID == 0 {
		t.Fatalf("me: %s", meBody)
	}
	me := meOut.User.ID
	call("PATCH", "/api/v1/users/"+strconv.FormatInt(me, 10), map[string]any{"employee_id": emp}, 200)
	now := time.Now()
	task := call("POST", "/api/v1/tasks", map[string]any{"title": "Oddzwonić do pani Józefiny w sprawie wyceny",
		"start": now.Add(time.Hour).Format(time.RFC3339), "end": now.Add(2 * time.Hour).Format(time.RFC3339),
		"employee_ids": []int64{emp}, "remind_at": now.Add(-time.Minute).Format(time.RFC3339)}, 201)
	// The runner's turn (the server's own runner may have come first).
	if _, err := srv.Service.DeliverReminders(context.Background()); err != nil {
		t.Fatal(err)
	}

	b := c.newBrowser(t, srv.URL)
	b.resize(desktopW, desktopH)
	b.open("/login", "#f-email")
	b.logIn(a.email, a.password, greeting)
	if got := b.text("#bell .bell-count"); got != "1" {
		t.Fatalf("bell count %q, want 1", got)
	}
	b.clickAndLoad("#bell", "ul.notice-list")
	if b.path() != "/notifications" {
		t.Fatalf("the bell led to %s", b.path())
	}
	if got := b.text("ul.notice-list li.notice-unread .notice-title"); got != "Oddzwonić do pani Józefiny w sprawie wyceny" {
		t.Fatalf("list item %q", got)
	}
	dir := filepath.Join(repoRoot(t), "screenshots")
	for _, w := range []struct {
		name string
		w, h int64
	}{{"1280", desktopW, desktopH}, {"375", phoneW, phoneH}} {
		b.resize(w.w, w.h)
		b.open("/notifications", "ul.notice-list")
		b.noHorizontalOverflow("notifications at " + w.name + " px")
		b.wantInViewport("the bell at "+w.name+" px", "#bell")
		b.screenshot(filepath.Join(dir, "notifications-"+w.name+"-pl.png"))
	}
	b.resize(desktopW, desktopH)
	b.open("/notifications", "ul.notice-list")
	b.clickAndLoad("ul.notice-list .notice-title", "main#main .page-head h1")
	if want := "/tasks/" + strconv.FormatInt(task, 10); b.path() != want {
		t.Fatalf("clicked through to %s, want %s", b.path(), want)
	}
	if n := eval[int](b, `document.querySelectorAll("#bell .bell-count").length`); n != 0 {
		t.Fatalf("the bell still counts after reading (%d badges)", n)
	}
	b.open("/notifications", "ul.notice-list")
	if n := eval[int](b, `document.querySelectorAll("li.notice-unread").length`); n != 0 {
		t.Fatalf("%d unread after opening", n)
	}
	evalAwait[bool](b, `new Promise(r => setTimeout(() => r(true), 100))`)
	for _, e := range errorsOf(b.consoleEntries()) {
		t.Errorf("console error: %s", e)
	}
}
