package service_test

import (
	"context"
	"testing"
	"time"

	"klientela/internal/crm"
	"klientela/internal/service"
	"klientela/internal/store"
	"klientela/internal/store/storetest"
)

// taskOwner signs up an account and returns a context acting as its owner,
// an active employee, and the account's zone.
func taskOwner(t *testing.T, st *store.Store, now time.Time) (*service.Service, context.Context, int64, *time.Location) {
	t.Helper()
	svc := newService(t, st, service.Options{Now: func() time.Time { return now }})
	ctx := context.Background()
	a, u, err := svc.SignUp(ctx, service.SignUpInput{CompanyName: "Firma", Name: "Jan", Email: "jan@example.pl",
		Password: "tajne-haslo-123", IP: "10.0.0.1"})
	if err != nil {
		t.Fatal(err)
	}
	ctx = crm.WithPrincipal(ctx, &crm.Principal{User: u, Account: a, SessionID: 1})
	e, err := svc.CreateEmployee(ctx, service.EmployeeInput{FirstName: "Ala", LastName: "Kot", Active: true})
	if err != nil {
		t.Fatal(err)
	}
	loc, _ := time.LoadLocation("Europe/Warsaw")
	return svc, ctx, e.ID, loc
}

// A weekly 09:00 task keeps 09:00 local time across the last Sunday of
// October (CEST → CET) and of March (CET → CEST).
func TestTaskRecurrenceAcrossDST(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		loc, _ := time.LoadLocation("Europe/Warsaw")
		svc, ctx, emp, _ := taskOwner(t, st, time.Date(2026, 10, 1, 8, 0, 0, 0, loc))
		start := time.Date(2026, 10, 19, 9, 0, 0, 0, loc) // a Monday in summer time
		end := start.Add(90 * time.Minute)
		k, err := svc.CreateTask(ctx, service.TaskInput{Title: "Odprawa", Start: &start, End: &end,
			EmployeeIDs: []int64{emp}, Recurrence: "RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=30"})
		if err != nil {
			t.Fatal(err)
		}
		if k.Recurrence != "FREQ=WEEKLY;COUNT=30;BYDAY=MO" || k.SpanEnd == nil {
			t.Fatalf("stored rule %q, span end %v", k.Recurrence, k.SpanEnd)
		}
		occ, err := svc.TaskOccurrences(ctx, service.TaskRange{From: time.Date(2026, 10, 1, 0, 0, 0, 0, loc),
			To: time.Date(2027, 4, 30, 0, 0, 0, 0, loc)})
		if err != nil {
			t.Fatal(err)
		}
		if len(occ) != 28 {
			t.Fatalf("%d occurrences, want 28", len(occ))
		}
		offsets := map[int]bool{}
		for _, o := range occ {
			l := o.Start.In(loc)
			if l.Hour() != 9 || l.Minute() != 0 || l.Weekday() != time.Monday || o.End.Sub(o.Start) != 90*time.Minute {
				t.Fatalf("occurrence at %v – %v", l, o.End.In(loc))
			}
			_, off := l.Zone()
			offsets[off] = true
		}
		if !offsets[3600] || !offsets[7200] {
			t.Fatalf("range does not cross both DST changes: %v", offsets)
		}
		// 26 October (after the October change) and 29 March 2027 (after the March change).
		for _, d := range []time.Time{time.Date(2026, 10, 26, 9, 0, 0, 0, loc), time.Date(2027, 3, 29, 9, 0, 0, 0, loc)} {
			found := false
			for _, o := range occ {
				found = found || o.Start.Equal(d)
			}
			if !found {
				t.Errorf("no occurrence at %v", d)
			}
		}

		// Marking one occurrence done marks only it.
		one := time.Date(2026, 11, 2, 9, 0, 0, 0, loc)
		if _, err := svc.CompleteTask(ctx, k.ID, &one); err != nil {
			t.Fatal(err)
		}
		occ, _ = svc.TaskOccurrences(ctx, service.TaskRange{From: one.AddDate(0, 0, -7), To: one.AddDate(0, 0, 8)})
		if len(occ) != 3 || occ[0].Status != crm.TaskTodo || occ[1].Status != crm.TaskDone || occ[2].Status != crm.TaskTodo {
			t.Fatalf("after completing one: %+v", occ)
		}
		// Move one occurrence to Tuesday 11:00; the others stay.
		ns, ne := one.AddDate(0, 0, 1).Add(2*time.Hour), one.AddDate(0, 0, 1).Add(3*time.Hour)
		if _, err := svc.MoveTask(ctx, k.ID, one, ns, ne, service.ScopeOne); err != nil {
			t.Fatal(err)
		}
		occ, _ = svc.TaskOccurrences(ctx, service.TaskRange{From: one.AddDate(0, 0, -7), To: one.AddDate(0, 0, 8)})
		if len(occ) != 3 || !occ[1].Start.Equal(ns) || !occ[1].End.Equal(ne) || !occ[1].Original.Equal(one) || occ[1].Status != crm.TaskDone {
			t.Fatalf("after moving one: %+v", occ)
		}
		// A time that is no occurrence is refused.
		if _, err := svc.MoveTask(ctx, k.ID, one.Add(time.Hour), ns, ne, service.ScopeOne); crm.ErrorCode(err) != crm.CodeInvalid {
			t.Fatalf("move of no occurrence: %v", err)
		}
		// Move the whole series from Monday 09:00 to Tuesday 10:00 (dragging the
		// first occurrence): every occurrence moves, in winter too, and the
		// changed occurrence keeps its change.
		first := start
		nfs := first.AddDate(0, 0, 1).Add(time.Hour)
		if _, err := svc.MoveTask(ctx, k.ID, first, nfs, nfs.Add(90*time.Minute), service.ScopeSeries); err != nil {
			t.Fatal(err)
		}
		occ, _ = svc.TaskOccurrences(ctx, service.TaskRange{From: time.Date(2027, 1, 1, 0, 0, 0, 0, loc), To: time.Date(2027, 1, 15, 0, 0, 0, 0, loc)})
		if len(occ) != 2 || occ[0].Start.In(loc).Weekday() != time.Tuesday || occ[0].Start.In(loc).Hour() != 10 {
			t.Fatalf("after moving the series: %+v", occ)
		}
		occ, _ = svc.TaskOccurrences(ctx, service.TaskRange{From: one.AddDate(0, 0, -1), To: one.AddDate(0, 0, 6)})
		if len(occ) != 1 || !occ[0].Start.Equal(ns) || occ[0].Status != crm.TaskDone {
			t.Fatalf("moved occurrence after moving the series: %+v", occ)
		}
	})
}

// An all-day task from 30 January to 2 February spans the month boundary
// as four whole days.
func TestTaskAllDayAcrossMonths(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		loc, _ := time.LoadLocation("Europe/Warsaw")
		svc, ctx, emp, _ := taskOwner(t, st, time.Date(2027, 1, 10, 8, 0, 0, 0, loc))
		from := time.Date(2027, 1, 30, 0, 0, 0, 0, loc)
		to := time.Date(2027, 2, 2, 15, 0, 0, 0, loc) // the last day; the time does not count
		k, err := svc.CreateTask(ctx, service.TaskInput{Title: "Inwentaryzacja", Start: &from, End: &to, AllDay: true,
			EmployeeIDs: []int64{emp}})
		if err != nil {
			t.Fatal(err)
		}
		if !k.Start.Equal(from) || !k.End.Equal(time.Date(2027, 2, 3, 0, 0, 0, 0, loc)) || !k.AllDay {
			t.Fatalf("all-day task %v – %v", k.Start, k.End)
		}
		for _, r := range []struct {
			from, to time.Time
			want     int
		}{
			{time.Date(2027, 2, 1, 0, 0, 0, 0, loc), time.Date(2027, 3, 1, 0, 0, 0, 0, loc), 1}, // February
			{time.Date(2027, 1, 1, 0, 0, 0, 0, loc), time.Date(2027, 2, 1, 0, 0, 0, 0, loc), 1}, // January
			{time.Date(2027, 2, 3, 0, 0, 0, 0, loc), time.Date(2027, 2, 4, 0, 0, 0, 0, loc), 0}, // the day after
		} {
			occ, err := svc.TaskOccurrences(ctx, service.TaskRange{From: r.from, To: r.to})
			if err != nil || len(occ) != r.want {
				t.Errorf("%v–%v: %d occurrences, %v", r.from, r.to, len(occ), err)
			}
		}
		// The same with the exclusive end at midnight (as the API shows it).
		ex := time.Date(2027, 2, 3, 0, 0, 0, 0, loc)
		k2, err := svc.CreateTask(ctx, service.TaskInput{Title: "B", Start: &from, End: &ex, AllDay: true, EmployeeIDs: []int64{emp}})
		if err != nil || !k2.End.Equal(ex) {
			t.Fatalf("exclusive end: %v, %v", k2.End, err)
		}
		// End before start, a COUNT over the limit, an expansion over the limit.
		before := from.AddDate(0, 0, -1)
		for name, in := range map[string]service.TaskInput{
			"end before start": {Title: "x", Start: &from, End: &before, AllDay: true},
			"count":            {Title: "x", Start: &from, End: &to, Recurrence: "FREQ=DAILY;COUNT=10000"},
			"too many":         {Title: "x", Start: &from, End: &to, Recurrence: "FREQ=DAILY;UNTIL=20700101T000000Z"},
			"hourly":           {Title: "x", Start: &from, End: &to, Recurrence: "FREQ=HOURLY;COUNT=3"},
			"garbage":          {Title: "x", Start: &from, End: &to, Recurrence: "FREQ=WEEKLY;BYDAY=XX"},
			"endless":          {Title: "x", Start: &from, End: &to, Recurrence: "FREQ=WEEKLY"},
		} {
			in.EmployeeIDs = []int64{emp}
			if _, err := svc.CreateTask(ctx, in); crm.ErrorCode(err) != crm.CodeInvalid {
				t.Errorf("%s: %v", name, err)
			}
		}
	})
}

func TestBuildRecurrence(t *testing.T) {
	loc, _ := time.LoadLocation("Europe/Warsaw")
	for _, c := range []struct {
		in   service.RecurrenceInput
		want string
	}{
		{service.RecurrenceInput{}, ""},
		{service.RecurrenceInput{Freq: "daily", Count: 5}, "FREQ=DAILY;COUNT=5"},
		{service.RecurrenceInput{Freq: "weekly", Interval: 2, Weekdays: []string{"FR", "MO"}, Count: 10}, "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,FR;COUNT=10"},
		{service.RecurrenceInput{Freq: "monthly", Until: "2027-03-31"}, "FREQ=MONTHLY;UNTIL=20270331T215959Z"},
		{service.RecurrenceInput{Freq: "yearly", Until: "2040-01-01"}, "FREQ=YEARLY;UNTIL=20400101T225959Z"},
	} {
		got, err := service.BuildRecurrence(c.in, loc)
		if err != nil || got != c.want {
			t.Errorf("%+v: %q, %v; want %q", c.in, got, err, c.want)
		}
		back, ok := service.RecurrenceOf(got, loc)
		if !ok || back.Freq != c.in.Freq || back.Count != c.in.Count || back.Until != c.in.Until {
			t.Errorf("%q read back as %+v, %v", got, back, ok)
		}
	}
	// A series without an end is refused at the end date's field.
	if _, err := service.BuildRecurrence(service.RecurrenceInput{Freq: "weekly"}, loc); !hasField(err, "repeat_until", "err.task_recurrence_endless") {
		t.Errorf("an endless series: %v, want an error at repeat_until", err)
	}
	if _, err := service.BuildRecurrence(service.RecurrenceInput{Freq: "daily", Count: 1001}, loc); err == nil {
		t.Error("COUNT 1001 accepted")
	}
}
