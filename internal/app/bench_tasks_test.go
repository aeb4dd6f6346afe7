package app_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"klientela/internal/app/apptest"
	"klientela/internal/crm"
	"klientela/internal/store"
)

// BenchmarkTasks measures the task list with 300 000 tasks in one account
// (the target: p99 under 25 ms), 8 concurrent clients: the first
// page of all tasks by start, a diacritics-insensitive search, the open
// tasks, the open tasks of one employee, and a later page.
func BenchmarkTasks(b *testing.B) {
	for _, engine := range apptest.Engines {
		b.Run(engine, func(b *testing.B) {
			srv := apptest.Start(b, engine)
			session, owner := benchFirm(b, srv, "Serwis Bench")
			t := srv.Store.Tenant(owner.AccountID)
			seedEmployees(b, t, 20)
			start := time.Now()
			emp := seedTasks(b, t, 300000)
			b.Logf("%s: seeded 300 000 tasks in %v", engine, time.Since(start).Round(time.Millisecond))

			runPages(b, srv, session, []benchPage{
				{"list", "/tasks?view=all", "1–50 z ponad"},
				{"search", "/tasks?view=all&q=lodz+przeglad", "Przegląd"},
				{"status-open", "/tasks?view=all&status=open", "Przegląd"},
				{"employee-open", fmt.Sprintf("/tasks?view=all&status=open&employee_id=%d", emp), "Przegląd"},
				{"page-100", "/tasks?view=all&page=100&sort=-start", "4951–5000 z ponad"},
			})
		})
	}
}

// seedTasks adds n tasks over three years around now to the account's
// employees (one each, 1 in 100 recurring weekly, 1 in 3 done) and returns
// one employee's id.
func seedTasks(b *testing.B, t *store.Tenant, n int) int64 {
	b.Helper()
	ctx := context.Background()
	es, _, err := t.Employees(ctx, store.EmployeeFilter{Limit: 100})
	if err != nil || len(es) == 0 {
		b.Fatal(err)
	}
	now := time.Now().UTC().Truncate(time.Second)
	first := now.AddDate(-2, 0, 0)
	titles := []string{"Przegląd kotła w Łodzi", "Telefon do klienta", "Faktura za serwis", "Montaż klimatyzacji", "Wizyta u hurtowni Żuraw"}
	ks := make([]crm.Task, 0, 10000)
	flush := func() {
		if err := t.BulkCreateTasks(ctx, ks); err != nil {
			b.Fatal(err)
		}
		ks = ks[:0]
	}
	for i := range n {
		s := first.Add(time.Duration(i) * (3 * 365 * 24 * time.Hour / time.Duration(n)))
		e := s.Add(time.Hour)
		k := crm.Task{Title: fmt.Sprintf("%s %d", titles[i%len(titles)], i), Description: "Zadanie testowe", Start: s, End: e,
			Status: crm.TaskTodo, Priority: crm.TaskPriorities[i%4], SpanStart: s, SpanEnd: &e,
			EmployeeIDs: []int64{es[i%len(es)].ID}, CreatedAt: now, UpdatedAt: now}
		if i%3 == 0 {
			k.Status, k.DoneAt = crm.TaskDone, &e
		}
		if i%100 == 0 {
			k.Recurrence, k.SpanEnd = "FREQ=WEEKLY", nil
		}
		ks = append(ks, k)
		if len(ks) == cap(ks) {
			flush()
		}
	}
	flush()
	return es[0].ID
}
