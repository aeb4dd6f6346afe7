package e2e

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"klientela/internal/app/apptest"
)

// TestCalendarTaskFlow: a task is created by clicking an empty slot of the
// week view (choosing "Zadanie" in the dialog, the form pre-filled with the
// slot's day and hour), is saved and shows on the calendar, is dragged to
// the next day, and the task list then shows the new date; a client's
// important date shows in the month view; the views switch; no console
// errors; screenshots at 1280 and 375 px.
func TestCalendarTaskFlow(t *testing.T) {
	eachEngine(t, func(t *testing.T, c *chromium, srv *apptest.Server) {
		a := zaneta
		srv.SignUp(a.company, a.name, a.email, a.password)
		tok := srv.Token(a.email, a.password)
		warsaw, _ := time.LoadLocation("Europe/Warsaw")
		now := time.Now().In(warsaw)
		emp := srv.Create(tok, "/api/v1/employees", map[string]any{"first_name": "Łucja", "last_name": "Żółkiewska", "color": "#e4572e"})
		res, body := srv.JSON("POST", "/api/v1/users", tok, map[string]any{"email": "lucja@example.pl", "name": "Łucja Żółkiewska",
			"password": a.password, "employee_id": emp, "permissions": map[string]string{"calendar": "view", "tasks": "full",
				"contacts": "edit", "clients": "view"}})
		if res.StatusCode != 201 {
			t.Fatalf("user: %d %s", res.StatusCode, body)
		}
		if res, body := srv.JSON("POST", "/api/v1/task-groups", tok, map[string]any{"name": "Dostawy", "color": "#76b041"}); res.StatusCode != 201 {
			t.Fatalf("task group: %d %s", res.StatusCode, body)
		}
		// A client with an important date on the 12th of this month (yearly, from 2015).
		res, body = srv.JSON("POST", "/api/v1/clients", tok, map[string]any{"kind": "company", "name": "Hurtownia Żuraw",
			"employee_id": emp, "important_dates": []map[string]any{{"name": "Rocznica współpracy",
				"date": time.Date(2015, now.Month(), 12, 0, 0, 0, 0, time.UTC).Format(time.DateOnly), "yearly": true}}})
		if res.StatusCode != 201 {
			t.Fatalf("client: %d %s", res.StatusCode, body)
		}
		monday := time.Date(now.Year(), now.Month(), now.Day()-(int(now.Weekday())+6)%7, 0, 0, 0, 0, warsaw)
		thursday := monday.AddDate(0, 0, 3)

		dir := filepath.Join(repoRoot(t), "screenshots")
		if engine := filepath.Base(t.Name()); engine != apptest.Engines[0] {
			dir = filepath.Join(dir, engine)
		}
		b := c.newBrowser(t, srv.URL)
		b.emulateZone("America/New_York")
		b.resize(desktopW, desktopH)
		b.open("/login", "#f-email")
		b.logIn("lucja@example.pl", a.password, greeting)
		b.open("/calendar", "#calendar .fc-daygrid-event.is-date")
		if got := b.text(".fc-daygrid-event.is-date"); !strings.Contains(got, "Rocznica współpracy: Hurtownia Żuraw") {
			t.Errorf("important date in the month view: %q", got)
		}

		// Week view: click Thursday 14:00 (Warsaw), choose "Zadanie".
		b.step("week view", clickCSS(".fc-timeGridWeek-button"), waitVisibleCSS(".fc-timegrid-slots"))
		pos := eval[[]float64](b, `(() => {
			const lane = document.querySelector('.fc-timegrid-slot-lane[data-time="14:00:00"]');
			lane.scrollIntoView({block: "center"});
			const col = document.querySelector('.fc-timegrid-col[data-date="`+thursday.Format(time.DateOnly)+`"]').getBoundingClientRect();
			const row = lane.getBoundingClientRect();
			return [col.left + col.width / 2, row.top + row.height / 2];
		})()`)
		b.drag(pos[0], pos[1], pos[0], pos[1])
		b.step("the choice", waitVisibleCSS("#calendar-create[open] #calendar-create-actions a"))
		if got := b.text("#calendar-create-actions"); !strings.Contains(got, "Zadanie") || !strings.Contains(got, "Kontakt") {
			t.Errorf("the dialog offers %q, want Zadanie and Kontakt", got)
		}
		b.clickAndLoad(`#calendar-create-actions a[href^="/tasks/new"]`, "#f-title")
		start := get(b, "start date", valueCSS(`input[name="start_date"]`))
		startTime := get(b, "start time", valueCSS(`input[name="start_time"]`))
		endTime := get(b, "end time", valueCSS(`input[name="end_time"]`))
		if start != thursday.Format(time.DateOnly) || startTime != "14:00" || endTime != "15:00" {
			t.Errorf("the form runs %s %s–%s, want %s 14:00–15:00", start, startTime, endTime, thursday.Format(time.DateOnly))
		}
		b.typeInto("#f-title", "Dostawa do Żurawia")
		b.clickAndLoad(`form.stack button.btn-primary`, `main#main .page-head h1`)
		if got := b.text(`main#main .page-head h1`); got != "Dostawa do Żurawia" {
			t.Fatalf("task page %q", got)
		}

		// On the calendar at 14:00; drag it to Friday.
		b.open("/calendar", "#calendar .fc-daygrid-event")
		b.step("week view again", clickCSS(".fc-timeGridWeek-button"), waitVisibleCSS(".fc-timegrid-event.is-task"))
		if got := b.text(".fc-timegrid-event.is-task"); !strings.Contains(got, "14:00") || !strings.Contains(got, "Dostawa do Żurawia") {
			t.Errorf("task in the week view: %q", got)
		}
		b.screenshot(filepath.Join(dir, "calendar-week-task-1280-pl.png"))
		pos = eval[[]float64](b, `(() => {
			const el = document.querySelector(".fc-timegrid-event.is-task");
			el.scrollIntoView({block: "center"});
			const ev = el.getBoundingClientRect();
			const col = el.closest(".fc-timegrid-col").nextElementSibling.getBoundingClientRect();
			return [ev.left + 10, ev.top + 5, col.left + 10, ev.top + 5];
		})()`)
		b.drag(pos[0], pos[1], pos[2], pos[3])
		get(b, "wait for the move", chromedp.Poll[bool](`document.getElementById("calendar-status").textContent === "Przeniesiono."`,
			chromedp.WithPollingTimeout(5*time.Second)))
		_, body = srv.JSON("GET", "/api/v1/tasks?q=zurawia", tok, nil)
		var list struct{ Items []struct{ Start, End string } }
		_ = json.Unmarshal([]byte(body), &list)
		friday := thursday.AddDate(0, 0, 1).Add(14 * time.Hour)
		if len(list.Items) != 1 {
			t.Fatalf("tasks: %s", body)
		}
		if got, _ := time.Parse(time.RFC3339, list.Items[0].Start); !got.Equal(friday) {
			t.Errorf("after the drag the task starts %s, want %s", list.Items[0].Start, friday.Format(time.RFC3339))
		}
		// The task list shows the new day.
		b.open("/tasks?view=all", "table.table")
		if got := b.text("table.table tbody"); !strings.Contains(got, friday.Format("02.01.2006")) || !strings.Contains(got, "Dostawa do Żurawia") {
			t.Errorf("task list lacks %s:\n%s", friday.Format("02.01.2006"), got)
		}

		// Views; colour by group; a phone.
		b.open("/calendar", "#calendar .fc-daygrid-event.is-task")
		b.step("day view", clickCSS(".fc-timeGridDay-button"), waitVisibleCSS(".fc-timeGridDay-view"))
		b.step("agenda view", clickCSS(".fc-listWeek-button"), waitVisibleCSS(".fc-list"))
		b.step("month view", clickCSS(".fc-dayGridMonth-button"), waitVisibleCSS(".fc-daygrid-event.is-date"))
		// Colour by group: the task has none, so it turns the neutral grey; the group legend shows.
		eval[bool](b, `(() => { const s = document.getElementById("f-cal-color"); s.value = "group";
			s.dispatchEvent(new Event("change", {bubbles: true})); return true; })()`)
		get(b, "recoloured", chromedp.Poll[bool](`window.klientelaCalendar.getEvents().some(e =>
			e.extendedProps.kind === "task" && e.backgroundColor === "#64748b") && !document.getElementById("calendar-group-legend").hidden`,
			chromedp.WithPollingTimeout(5*time.Second)))
		b.screenshot(filepath.Join(dir, "calendar-month-tasks-1280-pl.png"))
		b.resize(phoneW, phoneH)
		b.open("/calendar", "#calendar .fc-list")
		b.noHorizontalOverflow("calendar with tasks at 375 px")
		b.step("month view on a phone", clickCSS(".fc-dayGridMonth-button"), waitVisibleCSS(".fc-daygrid-event.is-date"))
		b.noHorizontalOverflow("calendar month with tasks at 375 px")
		b.screenshot(filepath.Join(dir, "calendar-month-tasks-375-pl.png"))

		evalAwait[bool](b, `new Promise(r => setTimeout(() => r(true), 100))`)
		for _, e := range errorsOf(b.consoleEntries()) {
			t.Errorf("console error: %s", e)
		}
	})
}
