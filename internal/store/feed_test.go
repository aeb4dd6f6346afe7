package store_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"klientela/internal/crm"
	"klientela/internal/store"
	"klientela/internal/store/storetest"
)

// TestFeedVersion: a bulk load of clients with persons (which no store
// method of single records writes) bumps its account's feed version, once
// per transaction on PostgreSQL; a rolled-back transaction does not; the
// other account's stays; a feed's token reads the version with its user.
func TestFeedVersion(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a, u := newAccount(t, s, "wersja-a@example.pl")
		b, _ := newAccount(t, s, "wersja-b@example.pl")
		ta, tb := s.Tenant(a.ID), s.Tenant(b.ID)
		if err := ta.SaveCalendarFeed(ctx, u.ID, []byte("wersja"), t0); err != nil {
			t.Fatal(err)
		}
		version := func(tn *store.Tenant) store.FeedVersion {
			t.Helper()
			v, err := tn.FeedVersion(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return v
		}
		va, vb := version(ta), version(tb)
		var recs []store.ClientRecord
		for i := range 600 {
			recs = append(recs, store.ClientRecord{
				Client: crm.Client{Kind: crm.KindPerson, Name: fmt.Sprintf("Klient %d", i), Birthday: "1980-01-02",
					Status: crm.ClientActive, Country: "PL", CreatedAt: t0, UpdatedAt: t0},
				Persons: []crm.ClientPerson{{FirstName: "Osoba", LastName: fmt.Sprint(i), Birthday: "1981-02-03"}}})
		}
		load := func(fail bool) error {
			return ta.InTx(ctx, func(tn *store.Tenant) error {
				if _, err := tn.InsertClients(ctx, recs); err != nil {
					return err
				}
				if fail {
					return errors.New("rollback")
				}
				return nil
			})
		}
		if err := load(true); err == nil {
			t.Fatal("the failing load succeeded")
		}
		if v := version(ta); v != va {
			t.Errorf("rolled back: version %+v, was %+v", v, va)
		}
		if err := load(false); err != nil {
			t.Fatal(err)
		}
		v := version(ta)
		if v.Version <= va.Version || v.Changed.IsZero() {
			t.Errorf("after the bulk load: %+v, was %+v", v, va)
		}
		if s.Dialect() == store.Postgres && v.Version != va.Version+1 {
			t.Errorf("PostgreSQL bumps once per transaction: %d → %d", va.Version, v.Version)
		}
		if got := version(tb); got != vb {
			t.Errorf("the other account's version moved: %+v → %+v", vb, got)
		}
		p, f, fv, err := s.FeedSubscriber(ctx, []byte("wersja"))
		if err != nil || p.User.ID != u.ID || f.UserID != u.ID || fv != v {
			t.Errorf("FeedSubscriber = user %d, feed %+v, version %+v, %v; want %+v", p.User.ID, f, fv, err, v)
		}
		// The feed's own bookkeeping (its last fetch) is not a change of
		// what it shows.
		if err := s.TouchCalendarFeed(ctx, f.ID, t0); err != nil {
			t.Fatal(err)
		}
		if got := version(ta); got != v {
			t.Errorf("touching the feed moved the version: %+v → %+v", v, got)
		}
	})
}
