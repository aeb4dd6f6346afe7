package web

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"klientela/internal/crm"
	"klientela/internal/i18n"
	"klientela/internal/service"
)

// The dashboard's counts stop at service.ListCountMax: above it the
// widgets say "ponad 10 000" / "more than 10,000"; below it they give the
// exact number, in both languages.
func TestDashboardCappedCounts(t *testing.T) {
	a, err := newAssets()
	if err != nil {
		t.Fatal(err)
	}
	p, err := parsePages(a)
	if err != nil {
		t.Fatal(err)
	}
	cat := i18n.MustLoad()
	zone, _ := i18n.LoadZone("Europe/Warsaw")
	emp := int64(7)
	pr := &crm.Principal{User: crm.User{ID: 1, Name: "Jan Kowalski", Email: "jan@example.pl", Role: crm.RoleOwner, Active: true,
		EmployeeID: &emp}, Account: crm.Account{ID: 1, Name: "Hurtownia Żuraw", TimeZone: "Europe/Warsaw"}}
	now := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
	overdue := make([]crm.Task, 10)
	for i := range overdue {
		overdue[i] = crm.Task{ID: int64(i + 1), Title: "Telefon", Start: now.AddDate(0, 0, -3), End: now.AddDate(0, 0, -2)}
	}
	const nbsp = "\u00a0"
	max := service.ListCountMax
	for _, c := range []struct {
		lang               i18n.Lang
		added, overdueMore int
		contacts           int // overdue contacts in the firm
		overdueCapped      bool
		want               []string
	}{
		{i18n.PL, max + 1, max + 1 - 10, max + 1, true, []string{"Ponad 10" + nbsp + "000 nowych klientów w tym miesiącu",
			"Ponad 10" + nbsp + "000 zaległych zadań", "Ponad 10" + nbsp + "000 zaległych kontaktów w firmie"}},
		{i18n.EN, max + 1, max + 1 - 10, max + 1, true, []string{"More than 10,000 new clients this month",
			"More than 10,000 overdue tasks", "More than 10,000 overdue contacts in the firm"}},
		{i18n.PL, max, max - 10, max, false, []string{"10" + nbsp + "000 nowych klientów w tym miesiącu",
			"i jeszcze 9990 zadań", "10" + nbsp + "000 zaległych kontaktów w firmie"}},
		{i18n.EN, 266, 687, 288, false, []string{"266 new clients this month", "and 687 more", "288 overdue contacts in the firm"}},
	} {
		h := &Web{nav: navigation()}
		v := &View{L: cat.For(c.lang), Lang: c.lang, Langs: i18n.Supported, P: pr, Zone: zone, Here: "/", Section: "dashboard"}
		v.Nav = h.navFor(pr, "dashboard", v.L)
		v.Data = service.Dashboard{Account: pr.Account,
			Clients:  &service.ClientsSummary{AddedThisMonth: c.added, AddedMax: max},
			Contacts: &service.ContactsSummary{HasEmployee: true, OverdueAll: c.contacts, OverdueMax: max},
			Tasks: &service.TasksSummary{HasEmployee: true, Overdue: overdue, OverdueMore: c.overdueMore, OverdueMax: max,
				OverdueCapped: c.overdueCapped}}
		w := httptest.NewRecorder()
		if err := p.render(w, 200, "dashboard", v); err != nil {
			t.Fatal(err)
		}
		body := w.Body.String()
		for _, s := range c.want {
			if !strings.Contains(body, s) {
				t.Errorf("%s, %d new clients, %d more overdue: no %q", c.lang, c.added, c.overdueMore, s)
			}
		}
		if c.overdueCapped && (strings.Contains(body, "i jeszcze") || strings.Contains(body, "more tasks") ||
			strings.Contains(body, "10001") || strings.Contains(body, "10,001")) {
			t.Errorf("%s: a capped count shown as exact", c.lang)
		}
	}
}
