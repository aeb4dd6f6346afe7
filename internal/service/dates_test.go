package service_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"klientela/internal/crm"
	"klientela/internal/service"
	"klientela/internal/store"
	"klientela/internal/store/storetest"
)

// ImportantDates: birthdays of clients and contact persons and the clients'
// important dates in a range of days; yearly ones every year (29 February on
// the 28th in other years, never before the date itself), one-time ones only
// on their date; "only my clients" and no clients access respected.
func TestImportantDates(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		now := time.Date(2027, 2, 20, 10, 0, 0, 0, time.UTC)
		svc := newService(t, st, service.Options{Now: func() time.Time { return now }})
		ctx := context.Background()
		acc, owner, err := svc.CreateAccount(ctx, service.SignUpInput{CompanyName: "Firma", Name: "Jan", Email: "jan@example.pl", Password: "tajne-haslo-123"})
		if err != nil {
			t.Fatal(err)
		}
		pctx := crm.WithPrincipal(ctx, &crm.Principal{User: owner, Account: acc})
		emp, err := svc.CreateEmployee(pctx, service.EmployeeInput{FirstName: "Ola", LastName: "Lis", Active: true})
		if err != nil {
			t.Fatal(err)
		}
		leap, err := svc.CreateClient(pctx, service.ClientInput{Kind: "person", FirstName: "Luty", LastName: "Przestępny", Birthday: "2000-02-29"})
		if err != nil {
			t.Fatal(err)
		}
		firm, err := svc.CreateClient(pctx, service.ClientInput{Kind: "company", Name: "Żuraw", EmployeeID: &emp.ID,
			Dates: []service.ClientDateInput{{Name: "Rocznica współpracy", Date: "2020-02-25", Yearly: true},
				{Name: "Koniec umowy", Date: "2027-03-02"}, {Name: "Stara umowa", Date: "2026-02-25"},
				{Name: "Jubileusz", Date: "2030-02-26", Yearly: true}}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.CreateClientPerson(pctx, firm.ID, service.ClientPersonInput{FirstName: "Ewa", LastName: "Zając", Birthday: "1990-03-01"}); err != nil {
			t.Fatal(err)
		}
		warsaw, _ := time.LoadLocation("Europe/Warsaw")
		day := func(s string) time.Time { d, _ := time.ParseInLocation(time.DateOnly, s, warsaw); return d }
		list := func(ctx context.Context, from, to string) []string {
			t.Helper()
			ds, err := svc.ImportantDates(ctx, day(from), day(to))
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, d := range ds {
				if d.Date.Location().String() != "Europe/Warsaw" || d.Date.Hour() != 0 {
					t.Errorf("%+v: not a midnight in the account's zone", d)
				}
				out = append(out, fmt.Sprintf("%s %s %s/%s", d.Date.Format(time.DateOnly), d.Kind, d.Name, d.Label))
			}
			return out
		}
		got := list(pctx, "2027-02-20", "2027-03-05")
		want := []string{"2027-02-25 date Żuraw/Rocznica współpracy", "2027-02-28 birthday Przestępny Luty/",
			"2027-03-01 person_birthday Żuraw/Ewa Zając", "2027-03-02 date Żuraw/Koniec umowy"}
		if !slices.Equal(got, want) {
			t.Fatalf("2027:\n%q\nwant\n%q", got, want)
		}
		// In a leap year the 29th is the day; the end is exclusive.
		if got := list(pctx, "2028-02-28", "2028-03-01"); !slices.Equal(got, []string{"2028-02-29 birthday Przestępny Luty/"}) {
			t.Fatalf("2028: %q", got)
		}
		// A range over a year: each yearly date once a year.
		n := 0
		for _, s := range list(pctx, "2027-02-01", "2028-03-01") {
			if s[11:] == "date Żuraw/Rocznica współpracy" {
				n++
			}
		}
		if n != 2 {
			t.Fatalf("the anniversary %d times in two years", n)
		}
		if _, err := svc.ImportantDates(pctx, day("2027-01-01"), day("2028-03-01")); crm.ErrorCode(err) != crm.CodeInvalid {
			t.Fatalf("a range of 425 days: %v", err)
		}
		if ds, err := svc.ImportantDates(pctx, day("2027-03-01"), day("2027-03-01")); err != nil || len(ds) != 0 {
			t.Fatalf("an empty range: %v, %v", ds, err)
		}

		// "Only my clients": the dates of the user's employee's clients only.
		own := crm.User{ID: 999, AccountID: acc.ID, Role: crm.RoleUser, Active: true, EmployeeID: &emp.ID,
			Scope: crm.Scope{Permissions: map[string]string{"clients": "view"}, OwnOnly: []string{"clients"}}}
		octx := crm.WithPrincipal(ctx, &crm.Principal{User: own, Account: acc})
		for _, s := range list(octx, "2027-02-20", "2027-03-05") {
			if s[11:] == "birthday Przestępny Luty/" {
				t.Fatalf("own-only sees another's client: %q", s)
			}
		}
		if got := list(octx, "2027-02-20", "2027-03-05"); len(got) != 3 {
			t.Fatalf("own-only: %q", got)
		}
		none := own
		none.Scope = crm.Scope{Permissions: map[string]string{"employees": "view"}}
		if _, err := svc.ImportantDates(crm.WithPrincipal(ctx, &crm.Principal{User: none, Account: acc}), day("2027-02-20"), day("2027-03-05")); crm.ErrorCode(err) != crm.CodeForbidden {
			t.Fatalf("without clients access: %v", err)
		}
		_ = leap
	})
}

// The dashboard's dates of the coming week are the first
// service.DashboardDates of ImportantDates for those 7 days, and how many
// more it finds (counted, not read): over 29 February in a year without it,
// over the new year, with clients in the trash, a yearly date that begins
// later, and for "only my clients".
func TestDashboardDatesFirstAndMore(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
		svc := newService(t, st, service.Options{Now: func() time.Time { return now }})
		ctx := context.Background()
		acc, owner, err := svc.CreateAccount(ctx, service.SignUpInput{CompanyName: "Firma", Name: "Jan", Email: "jan@example.pl", Password: "tajne-haslo-123"})
		if err != nil {
			t.Fatal(err)
		}
		pctx := crm.WithPrincipal(ctx, &crm.Principal{User: owner, Account: acc})
		emp, err := svc.CreateEmployee(pctx, service.EmployeeInput{FirstName: "Ola", LastName: "Lis", Active: true})
		if err != nil {
			t.Fatal(err)
		}
		// Three clients born on each day around the end of February and of
		// the year (every third the employee's), each with a contact person
		// and a yearly date; one client a day goes to the trash.
		var days []string
		for _, d := range []time.Time{time.Date(2000, 2, 22, 0, 0, 0, 0, time.UTC), time.Date(1999, 12, 26, 0, 0, 0, 0, time.UTC)} {
			for i := range 12 {
				days = append(days, d.AddDate(0, 0, i).Format(time.DateOnly))
			}
		}
		for i, day := range days {
			for j := range 3 {
				in := service.ClientInput{Kind: "person", FirstName: fmt.Sprintf("Osoba %d", j), LastName: fmt.Sprintf("Klient %02d", i),
					Birthday: day, Dates: []service.ClientDateInput{{Name: "Rocznica", Date: "2016" + day[4:], Yearly: true}}}
				if j == 0 {
					in.EmployeeID = &emp.ID
				}
				if j == 1 {
					// A yearly date that begins in 2032: not shown before.
					in.Dates = append(in.Dates, service.ClientDateInput{Name: "Jubileusz", Date: "2032" + day[4:], Yearly: true},
						service.ClientDateInput{Name: "Koniec umowy", Date: "2028" + day[4:]})
				}
				c, err := svc.CreateClient(pctx, in)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := svc.CreateClientPerson(pctx, c.ID, service.ClientPersonInput{FirstName: "Ewa", LastName: fmt.Sprint(i),
					Birthday: "1980" + day[4:]}); err != nil {
					t.Fatal(err)
				}
				if j == 2 {
					if err := svc.DeleteClient(pctx, c.ID); err != nil {
						t.Fatal(err)
					}
				}
			}
		}
		own := crm.User{ID: 999, AccountID: acc.ID, Role: crm.RoleUser, Active: true, EmployeeID: &emp.ID,
			Scope: crm.Scope{Permissions: map[string]string{"clients": "view"}, OwnOnly: []string{"clients"}}}
		octx := crm.WithPrincipal(ctx, &crm.Principal{User: own, Account: acc})
		warsaw, _ := time.LoadLocation("Europe/Warsaw")
		for _, today := range []string{"2027-02-20", "2027-02-24", "2027-03-03", "2028-02-25", "2032-02-26", "2026-12-27", "2026-12-31", "2027-01-05"} {
			for _, c := range []struct {
				name string
				ctx  context.Context
			}{{"owner", pctx}, {"own clients", octx}} {
				d, _ := time.ParseInLocation(time.DateOnly, today, warsaw)
				now = d.Add(9 * time.Hour)
				all, err := svc.ImportantDates(c.ctx, d, d.AddDate(0, 0, 7))
				if err != nil {
					t.Fatal(err)
				}
				dash, err := svc.Dashboard(c.ctx)
				if err != nil {
					t.Fatal(err)
				}
				want, more := all, 0
				if len(all) > service.DashboardDates {
					want, more = all[:service.DashboardDates], len(all)-service.DashboardDates
				}
				if !slices.EqualFunc(dash.Clients.Dates, want, func(a, b crm.ImportantDate) bool {
					return a.Date.Equal(b.Date) && a.Kind == b.Kind && a.ClientID == b.ClientID && a.Label == b.Label
				}) || dash.Clients.DatesMore != more {
					t.Errorf("%s, %s: %d dates and %d more, want %d and %d", today, c.name, len(dash.Clients.Dates), dash.Clients.DatesMore,
						len(want), more)
				}
				if c.name == "owner" && today == "2027-02-24" && more == 0 {
					t.Errorf("%s: %d dates, none beyond the first: the count checks nothing", today, len(all))
				}
			}
		}
	})
}
