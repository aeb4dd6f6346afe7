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
		f := newContactFixture(t, s, "zalegle@example.pl", "inne@example.pl", 3)
		ta, tb, emps, otherEmp, ids, otherIDs := f.ta, f.tb, f.emps, f.otherEmp, f.ids, f.otherIDs
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
			listed, _, err := c.ten.Contacts(ctx, store.ContactFilter{Status: string(crm.ContactPlanned), To: &now, OwnOnly: c.own,
				OwnEmployee: c.emp, Limit: 1000, NoCount: true})
			if err != nil {
				t.Fatal(err)
			}
			want := len(listed)
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

// The contact list counts what it lists: the contacts of clients out of
// the trash, for every filter, and stops after CountMax+1 — also when the
// trash holds more matches than the count reads.
func TestContactsCountCapped(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newContactFixture(t, s, "liczba@example.pl", "obca@example.pl", 4)
		ta, tb, emps, otherEmp, ids, otherIDs := f.ta, f.tb, f.emps, f.otherEmp, f.ids, f.otherIDs
		// 80 contacts half an hour apart, several at the same time (i/2):
		// the clients in turn, the first two clients' with the first
		// employee, every third done; clients 2 and 3 (40 contacts) go to
		// the trash, and the other account has 80 of its own.
		var cs, others []crm.PlannedContact
		for i := range 80 {
			at := t0.Add(time.Duration(i/2) * 30 * time.Minute)
			c := crm.PlannedContact{ClientID: ids[i%4], EmployeeID: emps[(i%4)/2], At: at, Channel: crm.ChannelPhone,
				Status: crm.ContactPlanned, CreatedAt: t0, UpdatedAt: t0}
			if i%3 == 1 {
				c.Status, c.Outcome, c.DoneAt = crm.ContactDone, crm.OutcomeSuccess, &at
			}
			cs = append(cs, c)
			c.ClientID, c.EmployeeID = otherIDs[0], otherEmp
			others = append(others, c)
		}
		if err := ta.InTx(ctx, func(ta *store.Tenant) error { return ta.InsertContacts(ctx, cs, t0) }); err != nil {
			t.Fatal(err)
		}
		if err := tb.InTx(ctx, func(tb *store.Tenant) error { return tb.InsertContacts(ctx, others, t0) }); err != nil {
			t.Fatal(err)
		}
		for _, id := range ids[2:] {
			if err := ta.SetClientDeleted(ctx, id, &t0, t0); err != nil {
				t.Fatal(err)
			}
		}
		from, to := t0.Add(5*time.Hour), t0.Add(15*time.Hour)
		for _, f := range []store.ContactFilter{
			{},
			{Status: string(crm.ContactPlanned)},
			{Status: string(crm.ContactDone), Desc: true},
			{EmployeeID: emps[0]},
			{EmployeeID: emps[1]}, // only trashed clients' contacts
			{ClientID: ids[1], Status: string(crm.ContactPlanned)},
			{From: &from, To: &to},
			{Status: string(crm.ContactPlanned), From: &from, To: &to, Desc: true},
			{OwnOnly: true, OwnEmployee: emps[0]},
			{OwnOnly: true}, // a user without an employee
		} {
			all := f
			all.Limit, all.NoCount = 1000, true
			listed, _, err := ta.Contacts(ctx, all)
			if err != nil {
				t.Fatal(err)
			}
			prev := time.Time{}
			for _, c := range listed {
				if c.ClientID != ids[0] && c.ClientID != ids[1] {
					t.Fatalf("%+v: lists contact %d of client %d (trashed or another account's)", f, c.ID, c.ClientID)
				}
				if (!f.Desc && c.At.Before(prev)) || (f.Desc && !prev.IsZero() && c.At.After(prev)) {
					t.Fatalf("%+v: contact %d at %v out of order", f, c.ID, c.At)
				}
				prev = c.At
			}
			// Pages of 7 put together are the whole list, in its order.
			var paged []int64
			for off := 0; ; off += 7 {
				p := f
				p.Offset, p.Limit, p.NoCount = off, 7, true
				page, _, err := ta.Contacts(ctx, p)
				if err != nil {
					t.Fatal(err)
				}
				for _, c := range page {
					paged = append(paged, c.ID)
				}
				if len(page) < 7 {
					break
				}
			}
			if len(paged) != len(listed) {
				t.Fatalf("%+v: pages hold %d contacts, the list %d", f, len(paged), len(listed))
			}
			for i, c := range listed {
				if paged[i] != c.ID {
					t.Fatalf("%+v: row %d is %d on the pages, %d in the list", f, i, paged[i], c.ID)
				}
			}
			for _, most := range []int{0, 3, 19, 20, 25, 45} {
				p := f
				p.Limit, p.CountMax = 1, most
				_, got, err := ta.Contacts(ctx, p)
				want := len(listed)
				if most > 0 {
					want = min(want, most+1)
				}
				if err != nil || got != want {
					t.Errorf("%+v, CountMax %d: counts %d, %v; want %d", f, most, got, err, want)
				}
			}
		}
	})
}

// contactFixture is two accounts for contact tests: in the first two
// employees and nClients clients, in the other one employee and one client.
type contactFixture struct {
	ta, tb        *store.Tenant
	emps          []int64
	otherEmp      int64
	ids, otherIDs []int64
}

func newContactFixture(t *testing.T, s *store.Store, emailA, emailB string, nClients int) contactFixture {
	t.Helper()
	ctx := context.Background()
	a, _ := newAccount(t, s, emailA)
	b, _ := newAccount(t, s, emailB)
	f := contactFixture{ta: s.Tenant(a.ID), tb: s.Tenant(b.ID)}
	for _, n := range []string{"Ala", "Ola"} {
		id, err := f.ta.CreateEmployee(ctx, crm.Employee{FirstName: n, LastName: "Kot", Active: true, Color: "#2f5bea",
			CreatedAt: t0, UpdatedAt: t0})
		if err != nil {
			t.Fatal(err)
		}
		f.emps = append(f.emps, id)
	}
	var err error
	f.otherEmp, err = f.tb.CreateEmployee(ctx, crm.Employee{FirstName: "Ela", LastName: "Lis", Active: true,
		Color: "#2f5bea", CreatedAt: t0, UpdatedAt: t0})
	if err != nil {
		t.Fatal(err)
	}
	var recs []store.ClientRecord
	for i := range nClients {
		recs = append(recs, store.ClientRecord{Client: crm.Client{Kind: crm.KindCompany, Name: fmt.Sprintf("Klient %d", i),
			Status: crm.ClientActive, Country: "PL", CreatedAt: t0, UpdatedAt: t0}})
	}
	if err := f.ta.InTx(ctx, func(ta *store.Tenant) error { f.ids, err = ta.InsertClients(ctx, recs); return err }); err != nil {
		t.Fatal(err)
	}
	if err := f.tb.InTx(ctx, func(tb *store.Tenant) error { f.otherIDs, err = tb.InsertClients(ctx, recs[:1]); return err }); err != nil {
		t.Fatal(err)
	}
	return f
}
