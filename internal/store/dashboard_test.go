package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"klientela/internal/crm"
	"klientela/internal/store"
	"klientela/internal/store/storetest"
)

// CountClientsSince counts the clients created since a time, out of the
// trash, of one account (and of one employee with own), and stops after
// most+1 when most is set.
func TestCountClientsSince(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a, _ := newAccount(t, s, "nowi@example.pl")
		b, _ := newAccount(t, s, "inni@example.pl")
		ta, tb := s.Tenant(a.ID), s.Tenant(b.ID)
		emp, err := ta.CreateEmployee(ctx, crm.Employee{FirstName: "Ala", LastName: "Kot", Active: true, Color: "#2f5bea",
			CreatedAt: t0, UpdatedAt: t0})
		if err != nil {
			t.Fatal(err)
		}
		since := t0.Add(24 * time.Hour)
		// 50 clients 2.4 hours apart from t0 on: 10 before since, 40 at or
		// after it; every third is the employee's.
		var recs []store.ClientRecord
		for i := range 50 {
			at := t0.Add(time.Duration(i) * 144 * time.Minute)
			c := crm.Client{Kind: crm.KindCompany, Name: fmt.Sprintf("Klient %02d", i), Status: crm.ClientActive, Country: "PL",
				CreatedAt: at, UpdatedAt: at}
			if i%3 == 0 {
				c.EmployeeID = &emp
			}
			recs = append(recs, store.ClientRecord{Client: c})
		}
		var ids []int64
		if err := ta.InTx(ctx, func(ta *store.Tenant) error { ids, err = ta.InsertClients(ctx, recs); return err }); err != nil {
			t.Fatal(err)
		}
		// In another account: clients of the same times count for it alone.
		var others []store.ClientRecord
		for _, r := range recs[40:] {
			r.Client.EmployeeID = nil
			others = append(others, r)
		}
		if err := tb.InTx(ctx, func(tb *store.Tenant) error { _, err := tb.InsertClients(ctx, others); return err }); err != nil {
			t.Fatal(err)
		}
		// One of the new ones (the employee's) goes to the trash.
		if err := ta.SetClientDeleted(ctx, ids[21], &since, since); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			name       string
			ten        *store.Tenant
			own        bool
			most, want int
		}{
			{"all", ta, false, 0, 39},
			{"capped", ta, false, 10, 11},
			{"cap above the count", ta, false, 39, 39},
			{"own", ta, true, 0, 12}, // i = 12, 15, …, 48 but 21, in the trash
			{"own capped", ta, true, 5, 6},
			{"another account", tb, false, 0, 10},
		} {
			got, err := c.ten.CountClientsSince(ctx, since, c.own, emp, c.most)
			if err != nil || got != c.want {
				t.Errorf("%s: %d, %v; want %d", c.name, got, err, c.want)
			}
		}
	})
}

// CountOverdueContacts counts what the contact list counts for planned
// contacts before now (of clients out of the trash, of one account, of one
// employee with own), and stops after most+1 when most is set.
func TestCountOverdueContacts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a, _ := newAccount(t, s, "zalegle@example.pl")
		b, _ := newAccount(t, s, "inne@example.pl")
		ta, tb := s.Tenant(a.ID), s.Tenant(b.ID)
		var emps []int64
		for _, n := range []string{"Ala", "Ola"} {
			id, err := ta.CreateEmployee(ctx, crm.Employee{FirstName: n, LastName: "Kot", Active: true, Color: "#2f5bea",
				CreatedAt: t0, UpdatedAt: t0})
			if err != nil {
				t.Fatal(err)
			}
			emps = append(emps, id)
		}
		otherEmp, err := tb.CreateEmployee(ctx, crm.Employee{FirstName: "Ela", LastName: "Lis", Active: true, Color: "#2f5bea",
			CreatedAt: t0, UpdatedAt: t0})
		if err != nil {
			t.Fatal(err)
		}
		var recs []store.ClientRecord
		for i := range 3 {
			recs = append(recs, store.ClientRecord{Client: crm.Client{Kind: crm.KindCompany, Name: fmt.Sprintf("Klient %d", i),
				Status: crm.ClientActive, Country: "PL", CreatedAt: t0, UpdatedAt: t0}})
		}
		var ids, otherIDs []int64
		if err := ta.InTx(ctx, func(ta *store.Tenant) error { ids, err = ta.InsertClients(ctx, recs); return err }); err != nil {
			t.Fatal(err)
		}
		if err := tb.InTx(ctx, func(tb *store.Tenant) error { otherIDs, err = tb.InsertClients(ctx, recs[:1]); return err }); err != nil {
			t.Fatal(err)
		}
		// 60 contacts an hour apart from t0: every third done, the clients
		// and employees in turn; now is after the 40th.
		now := t0.Add(40*time.Hour - time.Minute)
		for i := range 60 {
			at := t0.Add(time.Duration(i) * time.Hour)
			c := crm.PlannedContact{ClientID: ids[i%3], EmployeeID: emps[i%2], At: at, Channel: crm.ChannelPhone,
				Status: crm.ContactPlanned, CreatedAt: t0, UpdatedAt: t0}
			if i%3 == 1 {
				c.Status, c.Outcome, c.DoneAt = crm.ContactDone, crm.OutcomeSuccess, &at
			}
			if _, err := ta.CreateContact(ctx, c); err != nil {
				t.Fatal(err)
			}
			c.ClientID, c.EmployeeID = otherIDs[0], otherEmp
			if _, err := tb.CreateContact(ctx, c); err != nil {
				t.Fatal(err)
			}
		}
		// The third client goes to the trash with its contacts.
		if err := ta.SetClientDeleted(ctx, ids[2], &now, now); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			name string
			ten  *store.Tenant
			own  bool
			emp  int64
			most int
		}{
			{"all", ta, false, 0, 0},
			{"capped", ta, false, 0, 5},
			{"cap above the count", ta, false, 0, 100},
			{"own", ta, true, emps[1], 0},
			{"own capped", ta, true, emps[0], 3},
			{"no employee", ta, true, 0, 0},
			{"another account", tb, false, 0, 0},
		} {
			_, want, err := c.ten.Contacts(ctx, store.ContactFilter{Status: string(crm.ContactPlanned), To: &now, OwnOnly: c.own,
				OwnEmployee: c.emp, Limit: 1})
			if err != nil {
				t.Fatal(err)
			}
			if c.most > 0 {
				want = min(want, c.most+1)
			}
			got, err := c.ten.CountOverdueContacts(ctx, now, c.own, c.emp, c.most)
			if err != nil || got != want {
				t.Errorf("%s: %d, %v; want %d", c.name, got, err, want)
			}
			if c.name == "all" && want != 14 { // i < 40: 27 not done, 13 of them the trashed client's
				t.Errorf("all: the list counts %d, want 14", want)
			}
		}
	})
}
