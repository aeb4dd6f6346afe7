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
