package service_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"klientela/internal/crm"
	"klientela/internal/service"
	"klientela/internal/store"
	"klientela/internal/store/storetest"
)

// CreateClient answers the client as it was saved, with its groups, dates
// and tags (read back in its transaction): the same as reading it again.
// A refused client leaves nothing behind.
func TestCreateClientAnswersWhatWasSaved(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		now := time.Date(2026, 11, 28, 10, 0, 0, 123456789, time.UTC)
		svc := newService(t, st, service.Options{Now: func() time.Time { return now }})
		ctx := context.Background()
		acc, owner, err := svc.CreateAccount(ctx, service.SignUpInput{CompanyName: "Firma", Name: "Jan", Email: "jan@example.pl", Password: "tajne-haslo-123"})
		if err != nil {
			t.Fatal(err)
		}
		pctx := crm.WithPrincipal(ctx, &crm.Principal{User: owner, Account: acc})
		var gids []int64
		for _, name := range []string{"Hurt", "Detal"} {
			g, err := svc.CreateClientGroup(pctx, service.ClientGroupInput{Name: name, Color: "#2f5bea"})
			if err != nil {
				t.Fatal(err)
			}
			gids = append(gids, g.ID)
		}
		c, err := svc.CreateClient(pctx, service.ClientInput{Kind: "company", Name: "Hurtownia Żuraw", Status: "active",
			Emails: []string{"biuro@zuraw.pl"}, GroupIDs: gids, Tags: []string{"VIP", "hurt"},
			Dates: []service.ClientDateInput{{Name: "Koniec umowy", Date: "2027-01-31"}, {Name: "Rocznica", Date: "2020-05-01", Yearly: true}}})
		if err != nil {
			t.Fatal(err)
		}
		if len(c.Groups) != 2 || c.Groups[0].Name != "Detal" || len(c.Tags) != 2 || len(c.Dates) != 2 || c.Email() != "biuro@zuraw.pl" {
			t.Fatalf("created = %+v", c)
		}
		again, err := svc.Client(pctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(c, again) {
			t.Fatalf("the answer differs from the saved client:\n%+v\n%+v", c, again)
		}
		// Without groups, dates or tags: the same answer as reading it again.
		plain, err := svc.CreateClient(pctx, service.ClientInput{Kind: "person", FirstName: "Anna", LastName: "Lis", Phones: []string{"+48 600 100 200"}})
		if err != nil {
			t.Fatal(err)
		}
		if again, err := svc.Client(pctx, plain.ID); err != nil || !reflect.DeepEqual(plain, again) {
			t.Fatalf("the answer differs from the saved client:\n%+v\n%+v, %v", plain, again, err)
		}
		// An unknown group refuses the client: no row, no history.
		_, err = svc.CreateClient(pctx, service.ClientInput{Kind: "company", Name: "Nieudany", GroupIDs: []int64{gids[1] + 100},
			Tags: []string{"x"}})
		if crm.ErrorCode(err) != crm.CodeInvalid {
			t.Fatalf("unknown group: %v", err)
		}
		cs, n, err := svc.Clients(pctx, service.ClientQuery{Limit: 10})
		if err != nil || n != 2 || len(cs) != 2 {
			t.Fatalf("clients after a refused one: %d %+v, %v", n, cs, err)
		}
		es, err := st.Tenant(acc.ID).AuditLog(ctx, store.AuditFilter{Entity: "client", Limit: 10})
		if err != nil || len(es) != 2 || es[0].Action != crm.ActionCreate || es[1].Action != crm.ActionCreate {
			t.Fatalf("history = %+v, %v", es, err)
		}
	})
}

// A client's card names its employee when active, nobody for an inactive
// or another account's employee; it needs access to clients.
func TestClientEmployeeName(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		svc := newService(t, st, service.Options{})
		ctx := context.Background()
		var pctxs []context.Context
		for _, email := range []string{"jan@example.pl", "obcy@example.pl"} {
			acc, owner, err := svc.CreateAccount(ctx, service.SignUpInput{CompanyName: "Firma", Name: "Jan", Email: email, Password: "tajne-haslo-123"})
			if err != nil {
				t.Fatal(err)
			}
			pctxs = append(pctxs, crm.WithPrincipal(ctx, &crm.Principal{User: owner, Account: acc}))
		}
		pctx := pctxs[0]
		active, err := svc.CreateEmployee(pctx, service.EmployeeInput{FirstName: "Ola", LastName: "Lis", Active: true})
		if err != nil {
			t.Fatal(err)
		}
		gone, err := svc.CreateEmployee(pctx, service.EmployeeInput{FirstName: "Ewa", LastName: "Wilk", Active: false})
		if err != nil {
			t.Fatal(err)
		}
		other, err := svc.CreateEmployee(pctxs[1], service.EmployeeInput{FirstName: "Obcy", LastName: "Pracownik", Active: true})
		if err != nil {
			t.Fatal(err)
		}
		for id, want := range map[int64]string{active.ID: active.FullName(), gone.ID: "", other.ID: "", 0: ""} {
			if got, err := svc.ClientEmployeeName(pctx, id); err != nil || got != want {
				t.Errorf("ClientEmployeeName(%d) = %q, %v; want %q", id, got, err, want)
			}
		}
		if active.FullName() == "" {
			t.Fatal("no name")
		}
		p := *crm.PrincipalFrom(pctx)
		p.User.Role = crm.RoleUser // no access to clients
		if _, err := svc.ClientEmployeeName(crm.WithPrincipal(ctx, &p), active.ID); crm.ErrorCode(err) != crm.CodeForbidden {
			t.Fatalf("without access to clients: %v", err)
		}
	})
}
