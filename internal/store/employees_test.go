package store_test

import (
	"context"
	"testing"
	"time"

	"klientela/internal/crm"
	"klientela/internal/store"
	"klientela/internal/store/storetest"
)

// ActiveEmployees: the account's active employees only, by last and first
// name, with what choosing one needs.
func TestActiveEmployees(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a, _ := newAccount(t, s, "kadry@example.pl")
		b, _ := newAccount(t, s, "inna@example.pl")
		ta, tb := s.Tenant(a.ID), s.Tenant(b.ID)
		t0 := time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)
		add := func(tn *store.Tenant, first, last string, active bool) int64 {
			t.Helper()
			id, err := tn.CreateEmployee(ctx, crm.Employee{FirstName: first, LastName: last, Position: "Handlowiec",
				Email: first + "@example.pl", Phone: "+48 600 100 200", Color: "#2f5bea", Active: active, CreatedAt: t0, UpdatedAt: t0})
			if err != nil {
				t.Fatal(err)
			}
			return id
		}
		zenon := add(ta, "Zenon", "Żuraw", true)
		anna := add(ta, "Anna", "Nowak", true)
		add(ta, "Ewa", "Adamska", false)
		add(tb, "Piotr", "Abacki", true)
		es, err := ta.ActiveEmployees(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(es) != 2 || es[0].ID != anna || es[1].ID != zenon {
			t.Fatalf("active employees: %+v", es)
		}
		if e := es[0]; e.FirstName != "Anna" || e.LastName != "Nowak" || e.Position != "Handlowiec" || e.Email != "Anna@example.pl" ||
			e.Phone != "+48 600 100 200" || e.Color != "#2f5bea" || !e.Active || e.AccountID != a.ID {
			t.Fatalf("employee: %+v", e)
		}
	})
}
