package demo

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"klientela/internal/crm"
	"klientela/internal/password"
	"klientela/internal/plid"
	"klientela/internal/service"
	"klientela/internal/store"
	"klientela/internal/store/storetest"
)

var now = time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)

func seed(t *testing.T, st *store.Store, email string) (*service.Service, Result) {
	t.Helper()
	svc, err := service.New(st, service.Options{Password: password.Fast, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	res, err := Run(context.Background(), svc, st, Options{Email: email, Password: "bardzo-tajne-haslo",
		Clients: 60, Contacts: 200, Employees: 5, Seed: 7, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	return svc, res
}

// A tiny demo on both engines: every identifier validates, addresses have
// their city's postal codes, the service would save every client and
// contact person unchanged (so the bulk path wrote what the service
// writes), the search finds them, and the users with presets can log in.
func TestDemoSmoke(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		svc, res := seed(t, st, "demo@zuraw.pl")
		seed(t, st, "inna@firma.pl") // another account beside it
		ctx := crm.WithPrincipal(context.Background(), &crm.Principal{User: res.Owner, Account: res.Account})
		if res.Clients != 60 || res.Contacts != 200 || len(res.Employees) != 5 || len(res.Users) != 4 || len(res.Groups) == 0 {
			t.Fatalf("result: %+v", res)
		}
		// The seeded contacts leave the reminder runner no backlog: each
		// future one is scheduled at its own time, none is due at once.
		due, err := st.DueReminders(context.Background(), now, 1000)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range due {
			if r.ContactID != nil {
				t.Fatalf("a seeded contact's reminder is due at once: %+v", r)
			}
		}
		if next, ok, err := st.NextReminderDue(context.Background()); err != nil || !ok || !next.After(now) {
			t.Fatalf("next reminder due %v (%v, %v), want after %v", next, ok, err, now)
		}
		owner, err := svc.User(ctx, res.Owner.ID)
		if err != nil || owner.EmployeeID == nil {
			t.Fatalf("owner %+v: %v", owner, err)
		}
		cs, total, err := svc.Clients(ctx, service.ClientQuery{Limit: 100})
		if err != nil || total != 60 || len(cs) != 60 {
			t.Fatalf("clients: %d of %d: %v", len(cs), total, err)
		}
		var companies, persons, people int
		for _, c := range cs {
			if c.NIP != "" {
				if _, err := plid.ParseNIP(c.NIP); err != nil {
					t.Errorf("%s: NIP %s: %v", c.Name, c.NIP, err)
				}
			}
			if c.REGON != "" {
				if _, err := plid.ParseREGON(c.REGON); err != nil {
					t.Errorf("%s: REGON %s: %v", c.Name, c.REGON, err)
				}
			}
			if c.PESEL != "" {
				p, err := plid.ParsePESEL(c.PESEL)
				if err != nil || p.Birth.Format(time.DateOnly) != c.Birthday || p.Female != slices.Contains(femaleFirst, c.FirstName) {
					t.Errorf("%s: PESEL %s (%+v, %v) against birthday %s", c.Name, c.PESEL, p, err, c.Birthday)
				}
			}
			if c.IsCompany() {
				companies++
				if c.NIP == "" {
					t.Errorf("company %s without NIP", c.Name)
				}
			} else {
				people++
			}
			code, err := plid.ParsePostalCode(c.PostalCode)
			i := slices.IndexFunc(cities, func(ci city) bool { return ci.name == c.City })
			var n int
			fmt.Sscanf(strings.ReplaceAll(code, "-", ""), "%d", &n)
			if err != nil || i < 0 || n < cities[i].from || n > cities[i].to {
				t.Errorf("%s: %q %q is not a postal code of the city (%v)", c.Name, c.PostalCode, c.City, err)
			}
			// The service saves it unchanged: no history entry appears.
			if _, err := svc.UpdateClient(ctx, c.ID, service.ClientInputOf(c)); err != nil {
				t.Errorf("%s does not pass the service's checks: %v", c.Name, err)
			}
			ps, err := svc.ClientPersons(ctx, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range ps {
				persons++
				if _, err := svc.UpdateClientPerson(ctx, c.ID, p.ID, service.ClientPersonInputOf(p)); err != nil {
					t.Errorf("%s, %s: %v", c.Name, p.FullName(), err)
				}
			}
		}
		if companies == 0 || people == 0 || persons != res.Persons || persons == 0 {
			t.Errorf("%d companies, %d people, %d contact persons (result %d)", companies, people, persons, res.Persons)
		}
		hist, _, err := svc.AuditLog(ctx, service.AuditQuery{Entity: "client", Page: service.Page{Limit: 100}})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range hist {
			// Saving a contact person always records the person; any other
			// field in the history was changed by the service's cleaning.
			for _, ch := range e.Changes {
				if ch.Field != "contact_person" || ch.Old != "" {
					t.Errorf("saving %s through the service changed %s: %q → %q", e.Label, ch.Field, ch.Old, ch.New)
				}
			}
		}

		// Planned contacts: the past ones done with an outcome (or overdue),
		// the future ones planned.
		all, n, err := svc.Contacts(ctx, service.ContactQuery{Limit: 100})
		if err != nil || n != 200 {
			t.Fatalf("contacts: %d: %v", n, err)
		}
		var done, future int
		for _, c := range all {
			switch {
			case c.Status == crm.ContactDone:
				done++
				if c.Outcome == "" || c.DoneAt == nil || c.At.After(now) {
					t.Errorf("done contact %+v", c)
				}
			case c.Status == crm.ContactPlanned && c.At.After(now):
				future++
			}
		}
		if mine, err := svc.MyContacts(ctx); err != nil || done == 0 {
			t.Errorf("my contacts %d, %v; %d done", len(mine), err, done)
		}

		// The search finds a client by its city, without diacritics.
		found, _, err := svc.Clients(ctx, service.ClientQuery{Q: cs[0].City, Limit: 100})
		if err != nil || !slices.ContainsFunc(found, func(c crm.Client) bool { return c.ID == cs[0].ID }) {
			t.Errorf("search %q: %v", cs[0].City, err)
		}

		for _, u := range res.Users {
			if _, err := svc.Login(ctx, service.LoginInput{Email: u.Email, Password: "bardzo-tajne-haslo"}); err != nil {
				t.Errorf("login %s: %v", u.Email, err)
			}
		}
	})
}

// The same seed gives the same data.
func TestDemoDeterministic(t *testing.T) {
	names := func() []string {
		st := storetest.SQLite(t)
		svc, res := seed(t, st, "demo@zuraw.pl")
		ctx := crm.WithPrincipal(context.Background(), &crm.Principal{User: res.Owner, Account: res.Account})
		cs, _, err := svc.Clients(ctx, service.ClientQuery{Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, c := range cs {
			out = append(out, c.Name+" "+c.NIP+" "+c.PESEL+" "+c.City)
		}
		return out
	}
	if a, b := names(), names(); !slices.Equal(a, b) {
		t.Errorf("two runs differ:\n%v\n%v", a, b)
	}
}
