package e2e

import (
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"klientela/internal/app/apptest"
)

// TestTaskCreateListDone: a task is created in the form, shows in the
// list, and is marked done there with one click; then the task pages are
// checked at 1280 and 375 px (no sideways overflow) and saved as
// screenshots to look at.
func TestTaskCreateListDone(t *testing.T) {
	c := startChromium(t)
	srv := apptest.Start(t, "sqlite")
	a := zaneta
	srv.SignUp(a.company, a.name, a.email, a.password)
	tok := srv.Token(a.email, a.password)
	post := func(path string, in map[string]any) int64 { return srv.Create(tok, path, in) }
	emp := post("/api/v1/employees", map[string]any{"first_name": "Łucja", "last_name": "Żółkiewska", "color": "#e4572e"})
	emp2 := post("/api/v1/employees", map[string]any{"first_name": "Grzegorz", "last_name": "Brzęczyszczykiewicz", "color": "#17bebb"})
	client := post("/api/v1/clients", map[string]any{"kind": "company", "name": "Przedsiębiorstwo Handlowo-Usługowe „Wiśniewski i Synowie”"})
	g1 := post("/api/v1/task-groups", map[string]any{"name": "Serwis urządzeń", "color": "#e4572e"})
	g2 := post("/api/v1/task-groups", map[string]any{"name": "Biuro", "color": "#76b041"})
	now := time.Now()
	post("/api/v1/tasks", map[string]any{"title": "Przegląd instalacji gazowej w hali magazynowej", "start": now.Add(-50 * time.Hour).Format(time.RFC3339),
		"end": now.Add(-48 * time.Hour).Format(time.RFC3339), "employee_ids": []int64{emp, emp2}, "group_ids": []int64{g1}, "client_id": client, "priority": "urgent"})
	post("/api/v1/tasks", map[string]any{"title": "Cotygodniowa odprawa zespołu", "start": now.Add(-30 * 24 * time.Hour).Format(time.RFC3339),
		"end": now.Add(-30*24*time.Hour + time.Hour).Format(time.RFC3339), "employee_ids": []int64{emp}, "group_ids": []int64{g2},
		"recurrence": "FREQ=WEEKLY;BYDAY=MO,TH;COUNT=20"})
	post("/api/v1/tasks", map[string]any{"title": "Inwentaryzacja na przełomie miesięcy", "all_day": true,
		"start": now.Format(time.DateOnly), "end": now.AddDate(0, 0, 3).Format(time.DateOnly), "employee_ids": []int64{emp2}})

	b := c.newBrowser(t, srv.URL)
	b.resize(desktopW, desktopH)
	b.open("/login", "#f-email")
	b.logIn(a.email, a.password, greeting)

	// Create in the form.
	b.open("/tasks/new", "#f-title")
	b.typeInto("#f-title", "Zadzwonić do hurtowni Żuraw")
	b.step("tick the employee", clickCSS(`input[name="employee_ids"][value="`+strconv.FormatInt(emp, 10)+`"]`))
	b.clickAndLoad(`form.stack button.btn-primary`, `main#main .page-head h1`)
	if got := b.text(`main#main .page-head h1`); got != "Zadzwonić do hurtowni Żuraw" {
		t.Fatalf("task page title %q", got)
	}
	if !strings.HasPrefix(b.path(), "/tasks/") {
		t.Fatalf("after create at %s", b.path())
	}
	// See it in the list, mark it done there.
	b.open("/tasks?view=all&q=zuraw", "table.table")
	if got := b.text("table.table tbody"); !strings.Contains(got, "Zadzwonić do hurtowni Żuraw") || !strings.Contains(got, "Do zrobienia") {
		t.Fatalf("list: %q", got)
	}
	b.clickAndLoad(`table.table tbody form[action$="/complete"] button`, "table.table")
	if got := b.text("table.table tbody"); !strings.Contains(got, "Zrobione") {
		t.Fatalf("after marking done: %q", got)
	}
	if b.path() != "/tasks" {
		t.Fatalf("after marking done at %s", b.path())
	}

	dir := filepath.Join(repoRoot(t), "screenshots")
	pages := []struct{ name, path, sel string }{
		{"tasks", "/tasks?view=all", "table.table"},
		{"task", "/tasks/1", "main#main h1"},
		{"task-recurring", "/tasks/2", "#occ-title"},
		{"task-form", "/tasks/new", "form"},
		{"task-groups", "/task-groups", "table.table"},
		{"dashboard-tasks", "/", "main#main h1"},
	}
	for _, w := range []struct {
		name string
		w, h int64
	}{{"1280", desktopW, desktopH}, {"375", phoneW, phoneH}} {
		b.resize(w.w, w.h)
		for _, p := range pages {
			b.open(p.path, p.sel)
			b.noHorizontalOverflow(p.name + " at " + w.name + " px")
			b.screenshot(filepath.Join(dir, p.name+"-"+w.name+"-pl.png"))
		}
	}
}
