package store_test

import (
	"context"
	"testing"
	"time"

	"klientela/internal/crm"
	"klientela/internal/store"
	"klientela/internal/store/storetest"
)

// GroupsOfClients gives each client its groups by name (then id), with the
// groups' own fields, and nothing of another account's clients or groups.
func TestGroupsOfClients(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a, _ := newAccount(t, s, "a@example.pl")
		b, _ := newAccount(t, s, "b@example.pl")
		ta, tb := s.Tenant(a.ID), s.Tenant(b.ID)
		group := func(tn *store.Tenant, name, color string) crm.ClientGroup {
			g := crm.ClientGroup{AccountID: tn.AccountID(), Name: name, Color: color, CreatedAt: t0, UpdatedAt: t0.Add(1e9)}
			id, err := tn.CreateClientGroup(ctx, g)
			if err != nil {
				t.Fatal(err)
			}
			g.ID = id
			return g
		}
		// Created out of name order; "alfa" sorts before "Beta" by the name key.
		zeta, alfa, beta := group(ta, "Zeta", "#111111"), group(ta, "alfa", "#222222"), group(ta, "Beta", "#333333")
		other := group(tb, "Obca", "#444444")
		c1, c2, c3 := newClient(t, ta, "Jeden", nil), newClient(t, ta, "Dwa", nil), newClient(t, ta, "Trzy", nil)
		cb := newClient(t, tb, "Obcy", nil)
		for _, m := range [][2]int64{{zeta.ID, c1}, {alfa.ID, c1}, {beta.ID, c1}, {zeta.ID, c2}} {
			if _, err := ta.AddClientGroupMember(ctx, m[0], m[1]); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := tb.AddClientGroupMember(ctx, other.ID, cb); err != nil {
			t.Fatal(err)
		}
		got, err := ta.GroupsOfClients(ctx, []int64{c1, c2, c3, cb})
		if err != nil {
			t.Fatal(err)
		}
		same := func(gs []crm.ClientGroup, want ...crm.ClientGroup) bool {
			if len(gs) != len(want) {
				return false
			}
			for i, g := range gs {
				w := want[i]
				if g.ID != w.ID || g.AccountID != a.ID || g.Name != w.Name || g.Color != w.Color ||
					!g.CreatedAt.Equal(w.CreatedAt.Truncate(time.Microsecond)) || !g.UpdatedAt.Equal(w.UpdatedAt.Truncate(time.Microsecond)) {
					return false
				}
			}
			return true
		}
		if !same(got[c1], alfa, beta, zeta) || !same(got[c2], zeta) || len(got[c3]) != 0 || len(got[cb]) != 0 || len(got) != 2 {
			t.Fatalf("GroupsOfClients = %+v", got)
		}
		// B sees its own client's group, not A's clients'.
		gb, err := tb.GroupsOfClients(ctx, []int64{c1, cb})
		if err != nil || len(gb) != 1 || len(gb[cb]) != 1 || gb[cb][0].ID != other.ID {
			t.Fatalf("B's GroupsOfClients = %+v, %v", gb, err)
		}
		if none, err := ta.GroupsOfClients(ctx, []int64{c3}); err != nil || len(none) != 0 {
			t.Fatalf("a client without groups: %+v, %v", none, err)
		}
	})
}
