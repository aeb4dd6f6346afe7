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
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"

	"klientela/internal/app/apptest"
)

// emulateZone makes the browser believe it is in zone.
func (b *browser) emulateZone(zone string) {
	b.t.Helper()
	b.step("emulate the time zone "+zone, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetTimezoneOverride, emulation.SetTimezoneOverrideParams{TimezoneID: zone})
		return err
	}))
	if got := eval[string](b, "Intl.DateTimeFormat().resolvedOptions().timeZone"); got != zone {
		b.t.Fatalf("browser zone %s, want %s", got, zone)
	}
}

// drag presses the mouse at (x1, y1), moves it in steps to (x2, y2) and
// lets go, as a person dragging would.
func (b *browser) drag(x1, y1, x2, y2 float64) {
	b.t.Helper()
	mouse := func(typ input.DispatchMouseEventType, x, y float64, buttons int64) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			_, err := cdp.Call(ctx, t, input.DispatchMouseEvent, input.DispatchMouseEventParams{Type: typ, X: x, Y: y,
				Button: input.MouseButtonLeft, Buttons: buttons, ClickCount: 1})
			return err
		})
	}
	steps := []chromedp.Action[chromedp.Void]{mouse(input.DispatchMouseEventTypeMouseMoved, x1, y1, 0), mouse(input.DispatchMouseEventTypeMousePressed, x1, y1, 1)}
	for i := 1; i <= 10; i++ {
		f := float64(i) / 10
		steps = append(steps, mouse(input.DispatchMouseEventTypeMouseMoved, x1+(x2-x1)*f, y1+(y2-y1)*f, 1), chromedp.Sleep(30*time.Millisecond))
	}
	steps = append(steps, mouse(input.DispatchMouseEventTypeMouseReleased, x2, y2, 1))
	b.step("drag", steps...)
}

// TestCalendarFlow: the calendar in Polish, in a browser whose own zone is
// New York: a client's birthday in the month view, a planned contact at
// its Warsaw hour in the week view, the day and agenda views, a drag to
// the next day that the contacts list then shows — and no console errors
// or CSP violations on the way.
func TestCalendarFlow(t *testing.T) {
	eachEngine(t, func(t *testing.T, c *chromium, srv *apptest.Server) {
		a := zaneta
		srv.SignUp(a.company, a.name, a.email, a.password)
		tok := srv.Token(a.email, a.password)
		warsaw, _ := time.LoadLocation("Europe/Warsaw")
		now := time.Now().In(warsaw)
		emp := srv.Create(tok, "/api/v1/employees", map[string]any{"first_name": "Łucja", "last_name": "Żółkiewska", "color": "#e4572e"})
		bday := time.Date(1985, now.Month(), 15, 0, 0, 0, 0, time.UTC)
		res, body := srv.JSON("POST", "/api/v1/clients", tok, map[string]any{"kind": "person", "first_name": "Grażyna", "last_name": "Solenizantka",
			"birthday": bday.Format(time.DateOnly), "employee_id": emp})
		if res.StatusCode != 201 {
			t.Fatalf("client: %d %s", res.StatusCode, body)
		}
		var client struct{ ID int64 }
		_ = json.Unmarshal([]byte(body), &client)
		// Wednesday of this week, 10:00 in Warsaw.
		monday := time.Date(now.Year(), now.Month(), now.Day()-(int(now.Weekday())+6)%7, 0, 0, 0, 0, warsaw)
		at := monday.AddDate(0, 0, 2).Add(10 * time.Hour)
		res, body = srv.JSON("POST", "/api/v1/planned-contacts", tok, map[string]any{"client_id": client.ID, "employee_id": emp,
			"at": at.Format(time.RFC3339), "subject": "Życzenia"})
		if res.StatusCode != 201 {
			t.Fatalf("contact: %d %s", res.StatusCode, body)
		}
		var contact struct{ ID int64 }
		_ = json.Unmarshal([]byte(body), &contact)

		dir := filepath.Join(repoRoot(t), "screenshots")
		if engine := filepath.Base(t.Name()); engine != apptest.Engines[0] {
			dir = filepath.Join(dir, engine)
		}
		b := c.newBrowser(t, srv.URL)
		b.emulateZone("America/New_York")
		b.resize(desktopW, desktopH)
		b.open("/login", "#f-email")
		b.logIn(a.email, a.password, greeting)
		b.open("/calendar", "#calendar .fc-daygrid-event.is-birthday")

		// Month view, Polish, weeks from Monday.
		if got := b.text(".fc-toolbar-title"); !strings.Contains(got, polishMonths[now.Month()-1]) {
			t.Errorf("month title %q, want the Polish name of %s", got, now.Month())
		}
		if first := b.text(".fc-col-header-cell:first-child"); !strings.HasPrefix(strings.ToLower(first), "pon") {
			t.Errorf("first column %q, want Monday (pon.)", first)
		}
		if got := b.text(".fc-daygrid-event.is-birthday"); !strings.Contains(got, "Solenizantka Grażyna") {
			t.Errorf("birthday event %q", got)
		}
		b.noHorizontalOverflow("calendar month at 1280 px")
		b.screenshot(filepath.Join(dir, "calendar-month-1280-pl.png"))

		// Week view: the contact at 10:00 (Warsaw), though the browser is in New York.
		b.step("week view", clickCSS(".fc-timeGridWeek-button"), waitVisibleCSS(".fc-timegrid-event.is-contact"))
		if got := b.text(".fc-timegrid-event.is-contact .fc-event-time"); !strings.HasPrefix(got, "10:00") {
			t.Errorf("contact at %q in the week view, want 10:00", got)
		}
		b.screenshot(filepath.Join(dir, "calendar-week-1280-pl.png"))

		// Drag it to the next day.
		var pos []float64
		pos = eval[[]float64](b, `(() => {
			const el = document.querySelector(".fc-timegrid-event.is-contact");
			const ev = el.getBoundingClientRect();
			const col = el.closest(".fc-timegrid-col").nextElementSibling.getBoundingClientRect();
			return [ev.left + 10, ev.top + 5, col.left + 10, ev.top + 5];
		})()`)
		b.drag(pos[0], pos[1], pos[2], pos[3])
		get(b, "wait for the move", chromedp.Poll[bool](`document.getElementById("calendar-status").textContent === "Przeniesiono."`, chromedp.WithPollingTimeout(5*time.Second)))
		res, body = srv.JSON("GET", "/api/v1/planned-contacts/"+itoaE(contact.ID), tok, nil)
		var moved struct{ At string }
		_ = json.Unmarshal([]byte(body), &moved)
		if got, _ := time.Parse(time.RFC3339, moved.At); !got.Equal(at.AddDate(0, 0, 1)) {
			t.Errorf("after the drag the contact is at %s, want %s", moved.At, at.AddDate(0, 0, 1).Format(time.RFC3339))
		}
		// The contacts list shows the new day.
		b.open("/contacts", "main#main h1")
		if list := b.text("main#main"); !strings.Contains(list, at.AddDate(0, 0, 1).Format("02.01.2006")) {
			t.Errorf("contacts list lacks %s:\n%s", at.AddDate(0, 0, 1).Format("02.01.2006"), list)
		}

		// Day and agenda views.
		b.open("/calendar", "#calendar .fc-daygrid-event")
		b.step("day view", clickCSS(".fc-timeGridDay-button"), waitVisibleCSS(".fc-timeGridDay-view"))
		b.step("agenda view", clickCSS(".fc-listWeek-button"), waitVisibleCSS(".fc-list"))
		b.step("month view", clickCSS(".fc-dayGridMonth-button"), waitVisibleCSS(".fc-daygrid-event.is-birthday"))

		// A phone: the agenda first, the month and week on request.
		b.resize(phoneW, phoneH)
		b.open("/calendar", "#calendar .fc-list")
		b.noHorizontalOverflow("calendar at 375 px")
		b.step("month view on a phone", clickCSS(".fc-dayGridMonth-button"), waitVisibleCSS(".fc-daygrid-event.is-birthday"))
		b.noHorizontalOverflow("calendar month at 375 px")
		b.screenshot(filepath.Join(dir, "calendar-month-375-pl.png"))
		b.step("week view on a phone", clickCSS(".fc-timeGridWeek-button"), waitVisibleCSS(".fc-timegrid-event.is-contact"))
		b.noHorizontalOverflow("calendar week at 375 px")
		b.screenshot(filepath.Join(dir, "calendar-week-375-pl.png"))

		evalAwait[bool](b, `new Promise(r => setTimeout(() => r(true), 100))`)
		for _, e := range errorsOf(b.consoleEntries()) {
			t.Errorf("console error: %s", e)
		}
	})
}

var polishMonths = []string{"styczeń", "luty", "marzec", "kwiecień", "maj", "czerwiec", "lipiec", "sierpień", "wrzesień",
	"październik", "listopad", "grudzień"}

func itoaE(id int64) string { return strconv.FormatInt(id, 10) }
