package store_test

import (
	"context"
	"testing"
	"time"

	"klientela/internal/crm"
	"klientela/internal/store"
	"klientela/internal/store/storetest"
)

func TestTasksStore(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a, _ := newAccount(t, s, "zadania@example.pl")
		b, _ := newAccount(t, s, "inne@example.pl")
		ta, tb := s.Tenant(a.ID), s.Tenant(b.ID)
		emp, err := ta.CreateEmployee(ctx, crm.Employee{FirstName: "Ala", LastName: "Kot", Active: true, Color: "#2f5bea", CreatedAt: t0, UpdatedAt: t0})
		if err != nil {
			t.Fatal(err)
		}
		g, err := ta.CreateTaskGroup(ctx, crm.TaskGroup{Name: "Serwis", Color: "#ff0000", CreatedAt: t0, UpdatedAt: t0})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ta.CreateTaskGroup(ctx, crm.TaskGroup{Name: "SERWIS", Color: "#ff0000", CreatedAt: t0, UpdatedAt: t0}); crm.ErrorCode(err) != crm.CodeConflict {
			t.Fatalf("duplicate group name: %v", err)
		}
		end := t0.Add(time.Hour)
		k := crm.Task{Title: "Przegląd w Łodzi", Description: "kocioł", Start: t0, End: end, Status: crm.TaskTodo,
			Priority: crm.PriorityHigh, SpanStart: t0, SpanEnd: &end, EmployeeIDs: []int64{emp}, GroupIDs: []int64{g},
			CreatedAt: t0, UpdatedAt: t0}
		id, err := ta.CreateTask(ctx, k)
		if err != nil {
			t.Fatal(err)
		}
		got, err := ta.Task(ctx, id)
		if err != nil || got.Title != k.Title || len(got.Employees) != 1 || got.Employees[0].FirstName != "Ala" ||
			len(got.Groups) != 1 || got.Groups[0].Name != "Serwis" || !got.End.Equal(end.Truncate(time.Microsecond)) {
			t.Fatalf("Task = %+v, %v", got, err)
		}
		// Another account neither reads, changes nor links to it.
		if _, err := tb.Task(ctx, id); crm.ErrorCode(err) != crm.CodeNotFound {
			t.Fatalf("B reads A's task: %v", err)
		}
		if err := tb.DeleteTask(ctx, id); crm.ErrorCode(err) != crm.CodeNotFound {
			t.Fatalf("B deletes A's task: %v", err)
		}
		if _, err := tb.CreateTask(ctx, crm.Task{Title: "x", Start: t0, End: end, Status: crm.TaskTodo, Priority: crm.PriorityLow,
			SpanStart: t0, GroupIDs: []int64{g}, CreatedAt: t0, UpdatedAt: t0}); err == nil {
			t.Fatal("B linked a task to A's group")
		}
		if ks, n, _ := tb.Tasks(ctx, store.TaskFilter{Limit: 10}); n != 0 || len(ks) != 0 {
			t.Fatalf("B lists %d tasks", n)
		}
		// Filters: search folds diacritics, employee, group, range, overdue.
		for name, f := range map[string]store.TaskFilter{
			"search":   {Q: "lodz"},
			"employee": {EmployeeID: emp},
			"group":    {GroupID: g},
			"range":    {From: ptr(t0.Add(30 * time.Minute)), To: ptr(t0.Add(2 * time.Hour))},
			"overdue":  {Overdue: true, Now: t0.Add(2 * time.Hour)},
			"own":      {OwnOnly: true, OwnEmployee: emp},
		} {
			f.Limit = 10
			if ks, n, err := ta.Tasks(ctx, f); err != nil || n != 1 || len(ks) != 1 || ks[0].ID != id {
				t.Errorf("%s: %d tasks, %v", name, n, err)
			}
		}
		for name, f := range map[string]store.TaskFilter{
			"search":  {Q: "warszawa"},
			"range":   {From: ptr(t0.Add(2 * time.Hour))},
			"overdue": {Overdue: true, Now: t0},
			"own0":    {OwnOnly: true},
			"status":  {Status: "done"},
		} {
			f.Limit = 10
			if _, n, err := ta.Tasks(ctx, f); err != nil || n != 0 {
				t.Errorf("%s: %d tasks, %v", name, n, err)
			}
		}
		// Exceptions: saved, replaced, removed with the task.
		x := crm.TaskException{TaskID: id, Original: t0, Start: t0.Add(time.Hour), End: t0.Add(2 * time.Hour)}
		if err := ta.SaveTaskException(ctx, x); err != nil {
			t.Fatal(err)
		}
		x.Status = crm.TaskDone
		if err := ta.SaveTaskException(ctx, x); err != nil {
			t.Fatal(err)
		}
		xs, err := ta.TaskExceptions(ctx, []int64{id})
		if err != nil || len(xs[id]) != 1 || xs[id][0].Status != crm.TaskDone {
			t.Fatalf("exceptions = %+v, %v", xs, err)
		}
		if xs, _ := tb.TaskExceptions(ctx, []int64{id}); len(xs) != 0 {
			t.Fatalf("B reads A's exceptions")
		}
		// An employee with tasks is not deleted; a group is, the task stays.
		if err := ta.DeleteEmployee(ctx, emp); crm.ErrorCode(err) != crm.CodeConflict {
			t.Fatalf("delete employee with tasks: %v", err)
		}
		gs, err := ta.TaskGroups(ctx, false, 0)
		if err != nil || len(gs) != 1 || gs[0].Tasks != 1 {
			t.Fatalf("TaskGroups = %+v, %v", gs, err)
		}
		// The names alone (what a filter offers), of this account only.
		if gs, err := ta.TaskGroupNames(ctx); err != nil || len(gs) != 1 || gs[0].ID != g || gs[0].Name != "Serwis" ||
			gs[0].Color != "#ff0000" {
			t.Fatalf("TaskGroupNames = %+v, %v", gs, err)
		}
		if gs, err := tb.TaskGroupNames(ctx); err != nil || len(gs) != 0 {
			t.Fatalf("B's TaskGroupNames = %+v, %v", gs, err)
		}
		if err := ta.DeleteTaskGroup(ctx, g); err != nil {
			t.Fatal(err)
		}
		if got, _ := ta.Task(ctx, id); len(got.Groups) != 0 {
			t.Fatalf("groups after delete: %+v", got.Groups)
		}
		if err := ta.DeleteTask(ctx, id); err != nil {
			t.Fatal(err)
		}
		if xs, _ := ta.TaskExceptions(ctx, []int64{id}); len(xs) != 0 {
			t.Fatal("exceptions outlived their task")
		}
	})
}

func ptr(t time.Time) *time.Time { return &t }

// TestTaskListCountCapAndSearchIndex: a capped count stops at CountMax+1,
// pages come in order at any offset, and the search index follows
// inserts, updates and deletes (a selective term uses it; a term matching
// most tasks walks the list's order instead) with the same results.
func TestTaskListCountCapAndSearchIndex(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a, _ := newAccount(t, s, "lista@example.pl")
		ta := s.Tenant(a.ID)
		var ks []crm.Task
		for i := range 2100 {
			st := t0.Add(time.Duration(i) * time.Hour)
			en := st.Add(time.Hour)
			title := "Przegląd kotła w Łodzi"
			if i%700 == 0 {
				title = "Wizyta u hurtowni Żuraw"
			}
			ks = append(ks, crm.Task{Title: title, Start: st, End: en, Status: crm.TaskTodo, Priority: crm.PriorityLow,
				SpanStart: st, SpanEnd: &en, CreatedAt: t0, UpdatedAt: t0})
		}
		if err := ta.BulkCreateTasks(ctx, ks); err != nil {
			t.Fatal(err)
		}
		if _, n, err := ta.Tasks(ctx, store.TaskFilter{Limit: 50, CountMax: 100}); err != nil || n != 101 {
			t.Fatalf("capped count = %d, %v", n, err)
		}
		page, n, err := ta.Tasks(ctx, store.TaskFilter{Limit: 50, Offset: 2000, Sort: "-start"})
		if err != nil || n != 2100 || len(page) != 50 || page[0].Start.Unix() != t0.Add(99*time.Hour).Unix() ||
			page[49].Start.Unix() != t0.Add(50*time.Hour).Unix() {
			t.Fatalf("page at 2000 by -start: %d rows of %d, %v", len(page), n, err)
		}
		count := func(q string) int {
			t.Helper()
			_, n, err := ta.Tasks(ctx, store.TaskFilter{Q: q, Limit: 10})
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		if got := count("lodz przeglad"); got != 2097 {
			t.Fatalf("dense search = %d", got)
		}
		if got := count("żuraw"); got != 3 {
			t.Fatalf("selective search = %d", got)
		}
		found, _, err := ta.Tasks(ctx, store.TaskFilter{Q: "zuraw"})
		if err != nil || len(found) != 3 {
			t.Fatal(err)
		}
		k := found[0]
		k.Title = "Faktura dla Gdańska"
		if err := ta.UpdateTask(ctx, k); err != nil {
			t.Fatal(err)
		}
		if err := ta.DeleteTask(ctx, found[1].ID); err != nil {
			t.Fatal(err)
		}
		if got, gd := count("zuraw"), count("gdansk"); got != 1 || gd != 1 {
			t.Fatalf("after update and delete: zuraw %d, gdansk %d", got, gd)
		}
	})
}
