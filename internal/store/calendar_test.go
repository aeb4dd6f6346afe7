package store_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"klientela/internal/crm"
	"klientela/internal/store"
	"klientela/internal/store/storetest"
)

// TestCalendarFeedsAndRanges: one feed per user (rotation replaces the
// hash), tokens resolve only to their own account's user, and the
// calendar's contact range and birthdays stay inside the account.
func TestCalendarFeedsAndRanges(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a, u := newAccount(t, s, "kal-a@example.pl")
		b, ub := newAccount(t, s, "kal-b@example.pl")
		ta, tb := s.Tenant(a.ID), s.Tenant(b.ID)
		if err := ta.SaveCalendarFeed(ctx, u.ID, []byte("f1"), t0); err != nil {
			t.Fatal(err)
		}
		if err := tb.SaveCalendarFeed(ctx, ub.ID, []byte("fb"), t0); err != nil {
			t.Fatal(err)
		}
		p, f, err := s.FeedPrincipal(ctx, []byte("f1"))
		if err != nil || p.User.ID != u.ID || p.Account.ID != a.ID || f.UserID != u.ID || f.LastUsedAt != nil {
			t.Fatalf("FeedPrincipal = %+v %+v %v", p, f, err)
		}
		if err := ta.SaveCalendarFeed(ctx, u.ID, []byte("f2"), t0); err != nil { // rotate
			t.Fatal(err)
		}
		if _, _, err := s.FeedPrincipal(ctx, []byte("f1")); crm.ErrorCode(err) != crm.CodeNotFound {
			t.Fatalf("rotated-away token: %v", err)
		}
		if err := s.TouchCalendarFeed(ctx, f.ID+1, t0.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if _, err := ta.CalendarFeed(ctx, ub.ID); crm.ErrorCode(err) != crm.CodeNotFound {
			t.Fatalf("B's user's feed through A: %v", err)
		}
		if err := ta.DeleteCalendarFeed(ctx, ub.ID); crm.ErrorCode(err) != crm.CodeNotFound {
			t.Fatalf("revoke B's feed through A: %v", err)
		}
		if err := ta.DeleteCalendarFeed(ctx, u.ID); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.FeedPrincipal(ctx, []byte("f2")); crm.ErrorCode(err) != crm.CodeNotFound {
			t.Fatalf("revoked token: %v", err)
		}
		if _, _, err := s.FeedPrincipal(ctx, []byte("fb")); err != nil {
			t.Fatalf("B's feed: %v", err)
		}

		// Contacts by range and birthdays, in A only.
		for _, tn := range []*store.Tenant{ta, tb} {
			emp, err := tn.CreateEmployee(ctx, crm.Employee{FirstName: "Ala", LastName: "Kot", Color: "#17bebb", Active: true, CreatedAt: t0, UpdatedAt: t0})
			if err != nil {
				t.Fatal(err)
			}
			cl, err := tn.CreateClient(ctx, crm.Client{Kind: crm.KindPerson, Name: "Nowak Jan", Birthday: "1988-02-29", Country: "PL",
				Status: crm.ClientActive, EmployeeID: &emp, CreatedAt: t0, UpdatedAt: t0})
			if err != nil {
				t.Fatal(err)
			}
			for i, st := range []crm.ContactStatus{crm.ContactPlanned, crm.ContactDone, crm.ContactCancelled} {
				if _, err := tn.CreateContact(ctx, crm.PlannedContact{ClientID: cl, EmployeeID: emp, At: t0.Add(time.Duration(i) * time.Hour),
					Channel: crm.ChannelPhone, Status: st, CreatedAt: t0, UpdatedAt: t0}); err != nil {
					t.Fatal(err)
				}
			}
		}
		cs, err := ta.CalendarContacts(ctx, store.CalendarContactFilter{From: t0, To: t0.Add(24 * time.Hour), Limit: 100, Detail: true})
		if err != nil || len(cs) != 2 || cs[0].EmployeeColor != "#17bebb" || cs[0].EmployeeName != "Ala Kot" || !cs[0].At.Equal(t0.Truncate(time.Microsecond)) {
			t.Fatalf("CalendarContacts = %+v, %v (want the planned and the done one, not the cancelled)", cs, err)
		}
		if cs, _ := ta.CalendarContacts(ctx, store.CalendarContactFilter{From: t0, To: t0.Add(time.Hour), Limit: 100}); len(cs) != 1 {
			t.Fatalf("[t0, t0+1h) = %+v", cs)
		}
		bs, err := ta.Birthdays(ctx, store.BirthdayFilter{Days: []string{"02-29"}})
		if err != nil || len(bs) != 1 || bs[0].Date != "1988-02-29" || bs[0].EmployeeID == 0 {
			t.Fatalf("Birthdays = %+v, %v", bs, err)
		}
		if bs, _ := ta.Birthdays(ctx, store.BirthdayFilter{}); len(bs) != 1 {
			t.Fatalf("all birthdays = %+v", bs)
		}
		if bs, _ := ta.Birthdays(ctx, store.BirthdayFilter{OwnOnly: true, OwnEmployee: 0}); len(bs) != 0 {
			t.Fatalf("own-only without an employee = %+v", bs)
		}
	})
}

// TestCalendarDates: the clients' important dates by day (yearly), by
// range (once), by employee and "only mine", out of the trash, in their
// account only.
func TestCalendarDates(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a, _ := newAccount(t, s, "daty-a@example.pl")
		b, _ := newAccount(t, s, "daty-b@example.pl")
		ta, tb := s.Tenant(a.ID), s.Tenant(b.ID)
		var emp, mine, trashed int64
		for _, tn := range []*store.Tenant{ta, tb} {
			e, err := tn.CreateEmployee(ctx, crm.Employee{FirstName: "Ala", LastName: "Kot", Active: true, CreatedAt: t0, UpdatedAt: t0})
			if err != nil {
				t.Fatal(err)
			}
			cl, err := tn.CreateClient(ctx, crm.Client{Kind: crm.KindCompany, Name: "Daty Sp. z o.o.", Country: "PL",
				Status: crm.ClientActive, EmployeeID: &e, CreatedAt: t0, UpdatedAt: t0})
			if err != nil {
				t.Fatal(err)
			}
			if err := tn.SetClientDates(ctx, cl, []crm.ClientDate{{Name: "Rocznica", Date: "2015-01-31", Yearly: true},
				{Name: "Koniec umowy", Date: "2027-02-01"}, {Name: "Założenie", Date: "2016-02-29", Yearly: true}}); err != nil {
				t.Fatal(err)
			}
			if tn == ta {
				emp, mine = e, cl
			}
		}
		gone, err := ta.CreateClient(ctx, crm.Client{Kind: crm.KindCompany, Name: "W koszu", Country: "PL", Status: crm.ClientActive,
			CreatedAt: t0, UpdatedAt: t0})
		if err != nil {
			t.Fatal(err)
		}
		trashed = gone
		if err := ta.SetClientDates(ctx, trashed, []crm.ClientDate{{Name: "Stara", Date: "2010-01-31", Yearly: true}}); err != nil {
			t.Fatal(err)
		}
		if err := ta.SetClientDeleted(ctx, trashed, &t0, t0); err != nil {
			t.Fatal(err)
		}
		names := func(ds []store.CalendarDate) []string {
			var out []string
			for _, d := range ds {
				out = append(out, d.Name+" "+d.Date)
			}
			return out
		}
		for _, c := range []struct {
			name string
			f    store.CalendarDateFilter
			want []string
		}{
			{"January", store.CalendarDateFilter{Days: []string{"01-30", "01-31"}, First: "2027-01-30", Last: "2027-01-31"}, []string{"Rocznica 2015-01-31"}},
			{"1 February 2027", store.CalendarDateFilter{Days: []string{"02-01"}, First: "2027-02-01", Last: "2027-02-01"}, []string{"Koniec umowy 2027-02-01"}},
			{"29 February", store.CalendarDateFilter{Days: []string{"02-28", "02-29"}, First: "2027-02-28", Last: "2027-02-28"}, []string{"Założenie 2016-02-29"}},
			{"no days", store.CalendarDateFilter{Days: []string{}, First: "2026-01-01", Last: "2026-12-31"}, nil},
			{"feed: every yearly one, one-time in the window", store.CalendarDateFilter{First: "2026-08-01", Last: "2027-12-01"},
				[]string{"Rocznica 2015-01-31", "Koniec umowy 2027-02-01", "Założenie 2016-02-29"}},
			{"the employee", store.CalendarDateFilter{First: "2027-02-01", Last: "2027-02-01", EmployeeID: emp}, []string{"Rocznica 2015-01-31",
				"Koniec umowy 2027-02-01", "Założenie 2016-02-29"}},
			{"another employee", store.CalendarDateFilter{First: "2027-02-01", Last: "2027-02-01", EmployeeID: emp + 100}, nil},
			{"only mine, no employee", store.CalendarDateFilter{First: "2027-02-01", Last: "2027-02-01", OwnOnly: true}, nil},
		} {
			ds, err := ta.CalendarDates(ctx, c.f)
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			if got := names(ds); !slices.Equal(got, c.want) {
				t.Errorf("%s: %v, want %v", c.name, got, c.want)
			}
			for _, d := range ds {
				if d.ClientID != mine || d.EmployeeID != emp || d.ClientName != "Daty Sp. z o.o." {
					t.Errorf("%s: %+v is not A's client's", c.name, d)
				}
			}
		}
	})
}

// TestCalendarTasks: the calendar's lean read of tasks has their times,
// status and rule, their employees and groups (colours), follows the
// filter and the limit, and stays in its account.
func TestCalendarTasks(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a, _ := newAccount(t, s, "zad-a@example.pl")
		b, _ := newAccount(t, s, "zad-b@example.pl")
		ta, tb := s.Tenant(a.ID), s.Tenant(b.ID)
		var e1, e2, g1, g2 int64
		for _, tn := range []*store.Tenant{ta, tb} {
			var es [2]int64
			for i := range es {
				id, err := tn.CreateEmployee(ctx, crm.Employee{FirstName: "Ala", LastName: "Kot", Active: true, CreatedAt: t0, UpdatedAt: t0})
				if err != nil {
					t.Fatal(err)
				}
				es[i] = id
			}
			var gs [2]int64
			for i, name := range []string{"Biuro", "Serwis"} {
				id, err := tn.CreateTaskGroup(ctx, crm.TaskGroup{Name: name, Color: []string{"#111111", "#222222"}[i], CreatedAt: t0, UpdatedAt: t0})
				if err != nil {
					t.Fatal(err)
				}
				gs[i] = id
			}
			for i := range 3 {
				st := t0.Add(time.Duration(i) * 24 * time.Hour)
				end := st.Add(time.Hour)
				k := crm.Task{Title: fmt.Sprintf("Zadanie %d", i), Description: "Opis", Start: st, End: end, Status: crm.TaskTodo,
					Priority: crm.PriorityNormal, SpanStart: st, SpanEnd: &end, EmployeeIDs: []int64{es[1]}, CreatedAt: t0, UpdatedAt: t0}
				if i == 0 {
					k.EmployeeIDs, k.GroupIDs = []int64{es[1], es[0]}, []int64{gs[1], gs[0]}
				}
				if i == 2 {
					k.Recurrence, k.SpanEnd, k.Status = "FREQ=WEEKLY", nil, crm.TaskDone
				}
				if _, err := tn.CreateTask(ctx, k); err != nil {
					t.Fatal(err)
				}
			}
			if tn == ta {
				e1, e2, g1, g2 = es[0], es[1], gs[0], gs[1]
			}
		}
		from, to := t0.Add(-time.Hour), t0.Add(10*24*time.Hour)
		ks, err := ta.CalendarTasks(ctx, store.TaskFilter{From: &from, To: &to, Limit: 100}, false)
		if err != nil || len(ks) != 3 {
			t.Fatalf("CalendarTasks = %+v, %v", ks, err)
		}
		k := ks[0]
		if k.Title != "Zadanie 0" || !k.Start.Equal(t0.Truncate(time.Microsecond)) || !slices.Equal(k.EmployeeIDs, []int64{e1, e2}) ||
			len(k.Groups) != 2 || k.Groups[0].ID != g1 || k.Groups[0].Color != "#111111" || k.Groups[1].ID != g2 || k.Description != "" {
			t.Errorf("first task: %+v", k)
		}
		if ks[2].Recurrence != "FREQ=WEEKLY" || ks[2].Status != crm.TaskDone || len(ks[2].Groups) != 0 || !slices.Equal(ks[2].EmployeeIDs, []int64{e2}) {
			t.Errorf("third task: %+v", ks[2])
		}
		if ks, _ := ta.CalendarTasks(ctx, store.TaskFilter{From: &from, To: &to, Limit: 100}, true); len(ks) != 3 || ks[1].Description != "Opis" ||
			!ks[1].UpdatedAt.Equal(t0.Truncate(time.Microsecond)) {
			t.Errorf("with detail: %+v", ks)
		}
		for name, c := range map[string]struct {
			f    store.TaskFilter
			want []string
		}{
			"limit":        {store.TaskFilter{From: &from, To: &to, Limit: 1}, []string{"Zadanie 0"}},
			"group":        {store.TaskFilter{From: &from, To: &to, GroupID: g2, Limit: 100}, []string{"Zadanie 0"}},
			"only mine":    {store.TaskFilter{From: &from, To: &to, OwnOnly: true, OwnEmployee: e1, Limit: 100}, []string{"Zadanie 0"}},
			"employee":     {store.TaskFilter{From: &from, To: &to, EmployeeID: e2, Limit: 100}, []string{"Zadanie 0", "Zadanie 1", "Zadanie 2"}},
			"later window": {store.TaskFilter{From: ptrTime(t0.Add(30 * 24 * time.Hour)), To: ptrTime(t0.Add(40 * 24 * time.Hour)), Limit: 100}, []string{"Zadanie 2"}},
		} {
			ks, err := ta.CalendarTasks(ctx, c.f, false)
			var got []string
			for _, k := range ks {
				got = append(got, k.Title)
				if k.AccountID != a.ID {
					t.Errorf("%s: a task of account %d", name, k.AccountID)
				}
			}
			if err != nil || !slices.Equal(got, c.want) {
				t.Errorf("%s: %v %v, want %v", name, got, err, c.want)
			}
		}
	})
}

func ptrTime(t time.Time) *time.Time { return &t }

// TestCalendarContactDays: the per-day contacts of a capped month. The
// first window excludes its start (a contact at it is not in the range,
// one a microsecond later is), each window gives its first perDay by time
// and the count of all of it, a client in the trash takes its contacts
// out of both, and "only mine" against another employee, or without an
// employee, finds nothing.
func TestCalendarContactDays(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a, _ := newAccount(t, s, "dni@example.pl")
		tn := s.Tenant(a.ID)
		var emps []int64
		for _, name := range []string{"Ala", "Ola"} {
			id, err := tn.CreateEmployee(ctx, crm.Employee{FirstName: name, LastName: "Kot", Color: "#17bebb", Active: true, CreatedAt: t0, UpdatedAt: t0})
			if err != nil {
				t.Fatal(err)
			}
			emps = append(emps, id)
		}
		client := func(name string) int64 {
			id, err := tn.CreateClient(ctx, crm.Client{Kind: crm.KindPerson, Name: name, Country: "PL", Status: crm.ClientActive,
				EmployeeID: &emps[0], CreatedAt: t0, UpdatedAt: t0})
			if err != nil {
				t.Fatal(err)
			}
			return id
		}
		kept, trashed := client("Nowak Jan"), client("Kosz Ewa")
		contact := func(cl int64, at time.Time) int64 {
			id, err := tn.CreateContact(ctx, crm.PlannedContact{ClientID: cl, EmployeeID: emps[0], At: at, Channel: crm.ChannelPhone,
				Status: crm.ContactPlanned, CreatedAt: t0, UpdatedAt: t0})
			if err != nil {
				t.Fatal(err)
			}
			return id
		}
		contact(kept, t0) // the range's start: not in it
		first := contact(kept, t0.Add(time.Microsecond))
		second := contact(kept, t0.Add(time.Hour))
		contact(kept, t0.Add(2*time.Hour)) // beyond perDay in window 0
		contact(trashed, t0.Add(3*time.Hour))
		late := contact(kept, t0.Add(13*time.Hour))
		if err := tn.SetClientDeleted(ctx, trashed, &t0, t0); err != nil {
			t.Fatal(err)
		}
		bounds := []time.Time{t0, t0.Add(12 * time.Hour), t0.Add(24 * time.Hour)}
		ids := func(cs []store.CalendarContact) []int64 {
			var out []int64
			for _, c := range cs {
				out = append(out, c.ID)
			}
			return out
		}
		for _, f := range []store.CalendarContactFilter{{}, {EmployeeID: emps[0]}, {OwnOnly: true, OwnEmployee: emps[0]}} {
			cs, counts, err := tn.CalendarContactDays(ctx, f, bounds, 2)
			if err != nil || !slices.Equal(ids(cs), []int64{first, second, late}) || !slices.Equal(counts, []int{3, 1}) {
				t.Fatalf("%+v: %v %v, %v (want %v, counts [3 1])", f, ids(cs), counts, err, []int64{first, second, late})
			}
		}
		for _, f := range []store.CalendarContactFilter{{EmployeeID: emps[1]}, {OwnOnly: true, OwnEmployee: emps[1]},
			{OwnOnly: true}, {EmployeeID: emps[0], OwnOnly: true, OwnEmployee: emps[1]}} {
			cs, counts, err := tn.CalendarContactDays(ctx, f, bounds, 2)
			if err != nil || len(cs) != 0 || !slices.Equal(counts, []int{0, 0}) {
				t.Fatalf("%+v: %v %v, %v (want none)", f, ids(cs), counts, err)
			}
		}
	})
}
