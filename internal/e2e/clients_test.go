package e2e

import (
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"klientela/internal/app/apptest"
)

var clientPath = regexp.MustCompile(`^/clients/(\d+)$`)

// The daily journey of the Klienci module in a real browser: a company with
// an invalid NIP (the error at the field), fixed and saved with an important
// date added by the form's "add" button; a contact person added from the
// card; a contact planned, completed with "brak odpowiedzi" and the next
// one planned in the same step; the list searched with and without Polish
// letters.
func TestClientJourney(t *testing.T) {
	eachEngine(t, func(t *testing.T, c *chromium, srv *apptest.Server) {
		a := zaneta
		srv.SignUp(a.company, a.name, a.email, a.password)
		tok := srv.Token(a.email, a.password)
		res, body := srv.JSON("POST", "/api/v1/employees", tok, map[string]any{"first_name": "Łucja", "last_name": "Żółkiewska"})
		if res.StatusCode != 201 {
			t.Fatalf("employee: %d %s", res.StatusCode, body)
		}
		var emp struct{ ID int64 }
		_ = json.Unmarshal([]byte(body), &emp)

		b := c.newBrowser(t, srv.URL)
		b.resize(desktopW, desktopH)
		b.open("/login", "#f-email")
		b.logIn(a.email, a.password, greeting)

		// 1. A company with an invalid NIP: the message stands at the NIP field.
		b.open("/clients/new", "#f-name")
		b.typeInto("#f-name", "Żółw sp. z o.o.")
		b.typeInto("#f-nip", "123-456-32-19")
		b.typeInto("#f-city", "Łódź")
		b.typeInto("#f-postal_code", "90-001")
		// The important dates: one empty row; the button adds a second.
		b.typeInto(`[name="important_dates.0.name"]`, "Rocznica współpracy")
		b.step("set the date", chromedp.SetValue(chromedp.CSS(`[name="important_dates.0.date"]`), "2020-05-01"),
			clickCSS(`[name="important_dates.0.yearly"]`))
		b.step("add a date row", clickCSS(`[data-add-row="date-rows"]`), waitVisibleCSS(`[name="important_dates.1.name"]`))
		if v := get(b, "new row", valueCSS(`[name="important_dates.1.name"]`)); v != "" {
			t.Fatalf("the added row is not empty: %q", v)
		}
		b.typeInto(`[name="important_dates.1.name"]`, "Koniec umowy")
		b.step("set the second date", chromedp.SetValue(chromedp.CSS(`[name="important_dates.1.date"]`), "2031-01-31"))
		b.typeInto("#f-tags", "VIP, hurt")
		save := `main#main form[action="/clients"] button[type="submit"]`
		b.clickAndLoad(save, "#f-nip-error")
		b.wantText("#f-nip-error", msg(t, "pl", "err.business_nip_checksum"))
		if inv, _ := b.attr("#f-nip", "aria-invalid"); inv != "true" {
			t.Errorf("the NIP field is not marked invalid")
		}
		if v := get(b, "kept date", valueCSS(`[name="important_dates.1.name"]`)); v != "Koniec umowy" {
			t.Errorf("the second date's name after the error: %q", v)
		}
		// 2. Fixed: saved, on the card.
		b.typeInto("#f-nip", "123-456-32-18")
		b.clickAndLoad(save, toast)
		b.wantText(toast, msg(t, "pl", "clients.created"))
		b.wantText(greeting, "Żółw sp. z o.o.")
		id := b.idFrom(clientPath)
		facts := b.text("dl.facts")
		for _, want := range []string{"123-456-32-18", "Rocznica współpracy: 01.05.2020", "Koniec umowy: 31.01.2031", "#VIP", "#hurt"} {
			if !strings.Contains(facts, want) {
				t.Errorf("card facts %q lack %q", facts, want)
			}
		}

		// 3. A contact person from the card.
		b.clickAndLoad(`main#main nav.tabs a[href="/clients/`+id+`?tab=persons"]`, "#f-first_name")
		b.typeInto("#f-first_name", "Ewa")
		b.typeInto("#f-last_name", "Zając")
		b.typeInto("#f-phone", "501 222 333")
		b.clickAndLoad(`main#main form[action="/clients/`+id+`/persons"] button[type="submit"]`, toast)
		b.wantText(toast, msg(t, "pl", "clients.person_added"))
		if got := b.text("main#main table.table tbody"); !strings.Contains(got, "Ewa Zając") {
			t.Fatalf("persons table %q lacks the new person", got)
		}

		// 4. Plan a contact (an hour ago: it is due), from the card.
		plan := `main#main .page-head a[href="/contacts/new?client_id=` + id + `"]`
		b.wantText(plan, msg(t, "pl", "contacts.plan"))
		b.clickAndLoad(plan, "#f-subject")
		warsaw, _ := time.LoadLocation("Europe/Warsaw")
		due := time.Now().In(warsaw).Add(-time.Hour)
		b.step("fill the contact", chromedp.SetValue(chromedp.CSS("#f-at_date"), due.Format("2006-01-02")),
			chromedp.SetValue(chromedp.CSS("#f-at_time"), due.Format("15:04")),
			chromedp.SetValue(chromedp.CSS("#f-employee_id"), strconv.FormatInt(emp.ID, 10)))
		b.typeInto("#f-subject", "Oferta na wiosnę")
		b.clickAndLoad(`main#main form[action="/contacts"] button[type="submit"]`, toast)
		b.wantText(toast, msg(t, "pl", "contacts.created"))

		// 5. Done with "brak odpowiedzi", the next one planned in the same step.
		next := time.Now().In(warsaw).AddDate(0, 0, 2)
		b.step("choose the outcome", chromedp.SetValue(chromedp.CSS("#f-outcome"), "no_answer"),
			chromedp.SetValue(chromedp.CSS("#f-next_date"), next.Format("2006-01-02")),
			chromedp.SetValue(chromedp.CSS("#f-next_time"), "10:30"))
		b.typeInto("#f-note", "Nikt nie odebrał")
		b.clickAndLoad(`main#main form[action$="/complete"] button[type="submit"]`, toast)
		b.wantText(toast, msg(t, "pl", "contacts.completed_next"))
		b.open("/clients/"+id, greeting)
		upcoming := b.text(`section[aria-labelledby="con-title"]`)
		if !strings.Contains(upcoming, "Oferta na wiosnę") || !strings.Contains(upcoming, "10:30") {
			t.Errorf("the next contact is not on the card: %q", upcoming)
		}
		b.open("/clients/"+id+"?tab=timeline", ".timeline")
		if tl := b.text(".timeline"); !strings.Contains(tl, msg(t, "pl", "contacts.outcome.no_answer")) || !strings.Contains(tl, "Nikt nie odebrał") ||
			!strings.Contains(tl, msg(t, "pl", "clients.timeline.person_added")) {
			t.Errorf("timeline %q lacks the contact or the person", tl)
		}

		// 6. Search with and without Polish letters.
		srv.JSON("POST", "/api/v1/clients", tok, map[string]any{"kind": "company", "name": "Kwiaciarnia Gdańsk", "address": map[string]string{"city": "Gdańsk"}})
		for _, q := range []string{"Łódź", "lodz", "ZOLW"} {
			b.open("/clients", "#f-q")
			b.typeInto("#f-q", q)
			b.clickAndLoad(`main#main form.filters button[type="submit"]`, "#f-q")
			got := b.text("main#main")
			if !strings.Contains(got, "Żółw sp. z o.o.") || strings.Contains(got, "Kwiaciarnia Gdańsk") {
				t.Errorf("search %q: the list shows %q", q, got)
			}
		}
	})
}
