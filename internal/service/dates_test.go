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
