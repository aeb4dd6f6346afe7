package store_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"klientela/internal/crm"
	"klientela/internal/store"
	"klientela/internal/store/storetest"
)

// The bulk inserts write more rows than one statement carries (several
// full statements and a shorter last one, staged through a temporary
// table on SQLite) exactly as the one-record methods would: ids in order,
// contact persons, groups and employees on the right rows, the search
// index up to date; a transaction that fails leaves nothing behind, and
// the next one starts clean; another account sees none of it.
func TestBulkInsertsSpanStatements(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a, _ := newAccount(t, s, "hurt@example.pl")
		b, _ := newAccount(t, s, "inna@example.pl")
		ta, tb := s.Tenant(a.ID), s.Tenant(b.ID)
		emp, err := ta.CreateEmployee(ctx, crm.Employee{FirstName: "Ala", LastName: "Kot", Active: true, Color: "#2f5bea",
			CreatedAt: t0, UpdatedAt: t0})
		if err != nil {
			t.Fatal(err)
		}
		cgroup, err := ta.CreateClientGroup(ctx, crm.ClientGroup{Name: "VIP", Color: "#2f5bea"})
		if err != nil {
			t.Fatal(err)
		}
		tgroup, err := ta.CreateTaskGroup(ctx, crm.TaskGroup{Name: "Serwis", Color: "#2f5bea"})
		if err != nil {
			t.Fatal(err)
		}

		const nClients, nContacts, nTasks = 3000, 5000, 4000
		clientRecs := func(prefix string, n int) []store.ClientRecord {
			recs := make([]store.ClientRecord, n)
			for i := range recs {
				c := crm.Client{Kind: crm.KindCompany, Name: fmt.Sprintf("%s Łódzki %04d", prefix, i), Status: crm.ClientActive,
					Country: "PL", CreatedAt: t0, UpdatedAt: t0}
				recs[i] = store.ClientRecord{Client: c}
				if i%7 == 0 {
					recs[i].Persons = []crm.ClientPerson{{FirstName: "Żaneta", LastName: fmt.Sprintf("Osoba %d", i),
						CreatedAt: t0, UpdatedAt: t0}}
				}
				if i%5 == 0 {
					recs[i].GroupIDs = []int64{cgroup}
				}
			}
			return recs
		}
		tasks := func(prefix string, n int) []crm.Task {
			ks := make([]crm.Task, n)
			for i := range ks {
				start := t0.Add(time.Duration(i) * time.Hour)
				end := start.Add(time.Hour)
				ks[i] = crm.Task{Title: fmt.Sprintf("%s zadanie %04d", prefix, i), Start: start, End: end,
					Status: crm.TaskTodo, Priority: crm.PriorityNormal, EmployeeIDs: []int64{emp}, SpanStart: start,
					SpanEnd: &end, CreatedAt: t0, UpdatedAt: t0}
				if i%3 == 0 {
					ks[i].GroupIDs = []int64{tgroup}
				}
			}
			return ks
		}

		// A transaction that fails after its bulk inserts writes nothing.
		failed := errors.New("the import was cancelled")
		err = ta.InTx(ctx, func(ta *store.Tenant) error {
			if _, err := ta.InsertClients(ctx, clientRecs("Porzucony", 2000)); err != nil {
				return err
			}
			if err := ta.InsertTasks(ctx, tasks("Porzucone", 2000)); err != nil {
				return err
			}
			return failed
		})
		if !errors.Is(err, failed) {
			t.Fatalf("the failing transaction: %v", err)
		}

		var ids []int64
		err = ta.InTx(ctx, func(ta *store.Tenant) error {
			var err error
			if ids, err = ta.InsertClients(ctx, clientRecs("Klient", nClients)); err != nil {
				return err
			}
			contacts := make([]crm.PlannedContact, nContacts)
			for i := range contacts {
				at := t0.Add(time.Duration(i) * time.Minute)
				contacts[i] = crm.PlannedContact{ClientID: ids[i%len(ids)], EmployeeID: emp, At: at,
					Channel: crm.ContactChannels[0], Subject: fmt.Sprintf("Kontakt %d", i), Status: crm.ContactPlanned,
					CreatedAt: t0, UpdatedAt: t0}
			}
			if err := ta.InsertContacts(ctx, contacts, t0); err != nil {
				return err
			}
			return ta.InsertTasks(ctx, tasks("Serwisowe", nTasks))
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(ids) != nClients {
			t.Fatalf("%d ids, want %d", len(ids), nClients)
		}
		for i := 1; i < len(ids); i++ {
			if ids[i] <= ids[i-1] {
				t.Fatalf("ids %d, %d at %d: want them ascending", ids[i-1], ids[i], i)
			}
		}
		for _, i := range []int{0, 1279, 1280, 1333, 2999} {
			c, err := ta.Client(ctx, ids[i])
			if want := fmt.Sprintf("Klient Łódzki %04d", i); err != nil || c.Name != want {
				t.Fatalf("client %d: %q (%v), want %q", ids[i], c.Name, err, want)
			}
			persons, err := ta.ClientPersons(ctx, ids[i])
			if err != nil || len(persons) != map[bool]int{true: 1, false: 0}[i%7 == 0] {
				t.Fatalf("client %d's persons: %v (%v)", i, persons, err)
			}
		}

		// Counts: nothing of the failed transaction, all of this one.
		_, total, err := ta.Clients(ctx, store.ClientFilter{Limit: 1})
		if err != nil || total != nClients {
			t.Fatalf("clients: %d (%v), want %d", total, err, nClients)
		}
		_, total, err = ta.Clients(ctx, store.ClientFilter{GroupID: cgroup, Limit: 1})
		if err != nil || total != nClients/5 {
			t.Fatalf("clients in the group: %d (%v), want %d", total, err, nClients/5)
		}
		_, total, err = ta.Contacts(ctx, store.ContactFilter{Limit: 1})
		if err != nil || total != nContacts {
			t.Fatalf("contacts: %d (%v), want %d", total, err, nContacts)
		}
		_, total, err = ta.Tasks(ctx, store.TaskFilter{EmployeeID: emp, Limit: 1})
		if err != nil || total != nTasks {
			t.Fatalf("the employee's tasks: %d (%v), want %d", total, err, nTasks)
		}
		_, total, err = ta.Tasks(ctx, store.TaskFilter{GroupID: tgroup, Limit: 1})
		if err != nil || total != (nTasks+2)/3 {
			t.Fatalf("tasks in the group: %d (%v), want %d", total, err, (nTasks+2)/3)
		}

		// The search indexes have every row, and only those that stayed.
		for _, c := range []struct {
			q    string
			want int
		}{{"lodzki 1334", 1}, {"klient łódzki 2999", 1}, {"porzucony", 0}} {
			got, _, err := ta.Clients(ctx, store.ClientFilter{Q: c.q, Limit: 10})
			if err != nil || len(got) != c.want {
				t.Fatalf("search %q: %d clients (%v), want %d", c.q, len(got), err, c.want)
			}
		}
		for _, c := range []struct {
			q    string
			want int
		}{{"serwisowe zadanie 3999", 1}, {"zadanie 1684", 1}, {"porzucone", 0}} {
			got, _, err := ta.Tasks(ctx, store.TaskFilter{Q: c.q, Limit: 10})
			if err != nil || len(got) != c.want {
				t.Fatalf("task search %q: %d (%v), want %d", c.q, len(got), err, c.want)
			}
			if c.want == 1 {
				k, err := ta.Task(ctx, got[0].ID)
				if err != nil || !slices.Equal(k.EmployeeIDs, []int64{emp}) {
					t.Fatalf("task %q: employees %v (%v)", k.Title, k.EmployeeIDs, err)
				}
			}
		}

		// The other account has none of them.
		if _, total, err := tb.Clients(ctx, store.ClientFilter{Q: "lodzki", Limit: 1}); err != nil || total != 0 {
			t.Fatalf("the other account finds %d clients (%v)", total, err)
		}
		if _, total, err := tb.Tasks(ctx, store.TaskFilter{Limit: 1}); err != nil || total != 0 {
			t.Fatalf("the other account has %d tasks (%v)", total, err)
		}
	})
}

// Clients written one at a time leave the search index in many segments;
// TidySearchIndexes merges them in steps (and then has nothing left to
// do), and every client is still found, in its own account only.
func TestTidySearchIndexes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a, _ := newAccount(t, s, "hurt@example.pl")
		b, _ := newAccount(t, s, "inna@example.pl")
		ta, tb := s.Tenant(a.ID), s.Tenant(b.ID)
		for i := range 120 {
			if _, err := ta.CreateClient(ctx, crm.Client{Kind: crm.KindCompany, Name: fmt.Sprintf("Żuraw Łódź %03d", i),
				Status: crm.ClientActive, Country: "PL", CreatedAt: t0, UpdatedAt: t0}); err != nil {
				t.Fatal(err)
			}
		}
		merged, err := s.TidySearchIndexes(ctx)
		if err != nil {
			t.Fatal(err)
		}
		again, err := s.TidySearchIndexes(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if s.Dialect() == store.SQLite && (merged == 0 || again != 0) {
			t.Fatalf("merge steps: %d, then %d; want some, then none", merged, again)
		}
		if s.Dialect() == store.Postgres && merged+again != 0 {
			t.Fatalf("PostgreSQL merged %d steps", merged+again)
		}
		for _, q := range []string{"zuraw lodz", "łódź 077", "119"} {
			_, total, err := ta.Clients(ctx, store.ClientFilter{Q: q, Limit: 200})
			want := map[string]int{"zuraw lodz": 120, "łódź 077": 1, "119": 1}[q]
			if err != nil || total != want {
				t.Fatalf("search %q: %d (%v), want %d", q, total, err, want)
			}
		}
		if _, total, err := tb.Clients(ctx, store.ClientFilter{Q: "zuraw", Limit: 1}); err != nil || total != 0 {
			t.Fatalf("the other account finds %d (%v)", total, err)
		}
	})
}
