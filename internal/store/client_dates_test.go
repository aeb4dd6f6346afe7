package store_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"klientela/internal/crm"
	"klientela/internal/store"
	"klientela/internal/store/storetest"
)

func newClient(t *testing.T, tn *store.Tenant, name string, emp *int64) int64 {
	t.Helper()
	id, err := tn.CreateClient(context.Background(), crm.Client{Kind: crm.KindCompany, Name: name, Country: "PL",
		Status: crm.ClientActive, EmployeeID: emp, CreatedAt: t0, UpdatedAt: t0})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func TestClientDatesAndTags(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a, _ := newAccount(t, s, "a@example.pl")
		b, _ := newAccount(t, s, "b@example.pl")
		ta, tb := s.Tenant(a.ID), s.Tenant(b.ID)
		c1, c2 := newClient(t, ta, "Alfa", nil), newClient(t, ta, "Beta", nil)
		cb := newClient(t, tb, "Obcy", nil)

		dates := []crm.ClientDate{{Name: "Rocznica współpracy", Date: "2020-12-01", Yearly: true},
			{Name: "Koniec umowy", Date: "2026-12-03"}}
		if err := ta.SetClientDates(ctx, c1, dates); err != nil {
			t.Fatal(err)
		}
		got, err := ta.DatesOfClients(ctx, []int64{c1, c2})
		if err != nil || !slices.Equal(got[c1], dates) || len(got[c2]) != 0 {
			t.Fatalf("DatesOfClients = %+v, %v", got, err)
		}
		// Another account's client cannot receive dates (composite FK) nor read them.
		if err := tb.SetClientDates(ctx, c1, dates); err == nil {
			t.Fatal("B wrote dates on A's client")
		}
		if got, _ := tb.DatesOfClients(ctx, []int64{c1}); len(got[c1]) != 0 {
			t.Fatalf("B reads A's dates: %+v", got)
		}

		if err := ta.SetClientTags(ctx, c1, []string{"VIP", "hurt"}); err != nil {
			t.Fatal(err)
		}
		if err := ta.SetClientTags(ctx, c2, []string{"vip"}); err != nil {
			t.Fatal(err)
		}
		if err := tb.SetClientTags(ctx, cb, []string{"VIP", "obcy"}); err != nil {
			t.Fatal(err)
		}
		// The same tag twice on one client, in another case: refused by the key.
		if err := ta.SetClientTags(ctx, c2, []string{"vip", "Vip"}); err == nil {
			t.Fatal("a tag twice on one client")
		}
		tags, err := ta.TagsOfClients(ctx, []int64{c1, c2})
		if err != nil || !slices.Equal(tags[c1], []string{"hurt", "VIP"}) || !slices.Equal(tags[c2], []string{"vip"}) {
			t.Fatalf("TagsOfClients = %v, %v", tags, err)
		}
		all, err := ta.ClientTags(ctx, false, 0, 10)
		if err != nil || !slices.Equal(all, []string{"VIP", "hurt"}) {
			t.Fatalf("ClientTags = %v, %v", all, err)
		}
		for tag, want := range map[string][]int64{"vip": {c1, c2}, "HURT": {c1}, "obcy": nil} {
			cs, n, err := ta.Clients(ctx, store.ClientFilter{Tag: tag, Limit: 10})
			var ids []int64
			for _, c := range cs {
				ids = append(ids, c.ID)
			}
			if err != nil || n != len(want) || !slices.Equal(ids, want) {
				t.Errorf("Clients(tag=%s) = %v (%d), %v; want %v", tag, ids, n, err, want)
			}
		}

		// Purging a client removes its dates and tags.
		if err := ta.PurgeClient(ctx, c1); err != nil {
			t.Fatal(err)
		}
		if got, _ := ta.DatesOfClients(ctx, []int64{c1}); len(got[c1]) != 0 {
			t.Fatalf("dates of a purged client: %v", got)
		}
	})
}

func TestImportantDatesAndOverdue(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a, _ := newAccount(t, s, "a@example.pl")
		ta := s.Tenant(a.ID)
		emp, err := ta.CreateEmployee(ctx, crm.Employee{FirstName: "Ala", LastName: "Kot", Color: "#123456", Active: true,
			CreatedAt: t0, UpdatedAt: t0})
		if err != nil {
			t.Fatal(err)
		}
		c1, c2 := newClient(t, ta, "Alfa", &emp), newClient(t, ta, "Beta", nil)
		c, _ := ta.Client(ctx, c1)
		c.Birthday, c.UpdatedAt = "1980-12-02", t0
		if err := ta.UpdateClient(ctx, c); err != nil {
			t.Fatal(err)
		}
		if _, err := ta.CreateClientPerson(ctx, crm.ClientPerson{ClientID: c2, FirstName: "Ewa", LastName: "Lis",
			Birthday: "1990-02-29", CreatedAt: t0, UpdatedAt: t0}); err != nil {
			t.Fatal(err)
		}
		if err := ta.SetClientDates(ctx, c2, []crm.ClientDate{{Name: "Rocznica", Date: "2020-12-01", Yearly: true},
			{Name: "Koniec umowy", Date: "2026-12-03"}, {Name: "Dawno", Date: "2025-12-03"}}); err != nil {
			t.Fatal(err)
		}
		rows, err := ta.ImportantDates(ctx, []string{"12-01", "12-02", "12-03", "02-29"}, "2026-12-01", "2026-12-03", false, 0)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, r := range rows {
			got = append(got, r.Kind+" "+r.Label+" "+r.Date)
		}
		slices.Sort(got)
		want := []string{"birthday  1980-12-02", "date Koniec umowy 2026-12-03", "date Rocznica 2020-12-01",
			"person_birthday Ewa Lis 1990-02-29"}
		if !slices.Equal(got, want) {
			t.Fatalf("ImportantDates =\n%q\nwant\n%q", got, want)
		}
		if rows, _ := ta.ImportantDates(ctx, []string{"12-02"}, "2026-12-02", "2026-12-02", true, emp); len(rows) != 1 || rows[0].ClientID != c1 {
			t.Fatalf("own ImportantDates = %+v", rows)
		}

		// Overdue: a planned contact before now; done ones and future ones do not count.
		now := t0
		mk := func(client int64, at time.Time, status crm.ContactStatus) {
			if _, err := ta.CreateContact(ctx, crm.PlannedContact{ClientID: client, EmployeeID: emp, At: at,
				Channel: crm.ChannelPhone, Status: status, CreatedAt: t0, UpdatedAt: t0}); err != nil {
				t.Fatal(err)
			}
		}
		mk(c1, now.Add(-time.Hour), crm.ContactPlanned)
		mk(c2, now.Add(-time.Hour), crm.ContactDone)
		mk(c2, now.Add(time.Hour), crm.ContactPlanned)
		cs, n, err := ta.Clients(ctx, store.ClientFilter{Overdue: true, Now: now, Limit: 10})
		if err != nil || n != 1 || len(cs) != 1 || cs[0].ID != c1 {
			t.Fatalf("overdue clients = %+v (%d), %v", cs, n, err)
		}
		if _, n, _ := ta.Clients(ctx, store.ClientFilter{Overdue: true, Now: now.Add(2 * time.Hour), Limit: 10}); n != 2 {
			t.Fatalf("overdue clients later = %d, want 2", n)
		}
	})
}

func TestCancelledAndClosedContacts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a, _ := newAccount(t, s, "a@example.pl")
		ta := s.Tenant(a.ID)
		emp, _ := ta.CreateEmployee(ctx, crm.Employee{FirstName: "Ala", LastName: "Kot", Color: "#123456", Active: true,
			CreatedAt: t0, UpdatedAt: t0})
		cl := newClient(t, ta, "Alfa", nil)
		var ids []int64
		for i := range 3 {
			id, err := ta.CreateContact(ctx, crm.PlannedContact{ClientID: cl, EmployeeID: emp, At: t0.Add(time.Duration(i) * time.Hour),
				Channel: crm.ChannelPhone, Status: crm.ContactPlanned, CreatedAt: t0, UpdatedAt: t0})
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, id)
		}
		c, _ := ta.Contact(ctx, ids[0])
		at := t0.Add(24 * time.Hour)
		c.Status, c.CancelReason, c.CancelledAt, c.UpdatedAt = crm.ContactCancelled, "Klient zamknął firmę", &at, at
		if err := ta.UpdateContact(ctx, c); err != nil {
			t.Fatal(err)
		}
		c, _ = ta.Contact(ctx, ids[1])
		done := t0.Add(48 * time.Hour)
		c.Status, c.Outcome, c.DoneAt, c.UpdatedAt = crm.ContactDone, crm.OutcomeSuccess, &done, done
		if err := ta.UpdateContact(ctx, c); err != nil {
			t.Fatal(err)
		}
		got, _ := ta.Contact(ctx, ids[0])
		if got.Status != crm.ContactCancelled || got.CancelReason != "Klient zamknął firmę" || got.CancelledAt == nil || !got.CancelledAt.Equal(at.Truncate(time.Microsecond)) {
			t.Fatalf("cancelled = %+v", got)
		}
		closed, err := ta.ClosedContacts(ctx, cl, false, 0, 0, 10)
		if err != nil || len(closed) != 2 || closed[0].ID != ids[1] || closed[1].ID != ids[0] {
			t.Fatalf("ClosedContacts = %+v, %v", closed, err)
		}
		if cs, n, _ := ta.Contacts(ctx, store.ContactFilter{Status: "cancelled", Limit: 10}); n != 1 || cs[0].ID != ids[0] {
			t.Fatalf("cancelled filter = %d", n)
		}
	})
}
