package store

import (
	"context"
	"slices"
	"testing"
	"time"

	"klientela/internal/crm"
)

// checkTaskEmployeeCopies fails when a link of a task to an employee does
// not carry the task's status and start (migration 00015), span (00020)
// and whether it recurs (00024), or a task's employees are not linked.
func checkTaskEmployeeCopies(t *testing.T, ten *Tenant) {
	t.Helper()
	var stale, links int
	err := ten.queryRow(context.Background(), `SELECT
		COALESCE(SUM(CASE WHEN te.status <> k.status OR te.start_at <> k.start_at OR te.span_start <> k.span_start
			OR te.span_end IS DISTINCT FROM k.span_end OR te.recurring <> (k.recurrence <> '') THEN 1 ELSE 0 END), 0), COUNT(*)
		FROM task_employees te JOIN tasks k ON k.account_id = te.account_id AND k.id = te.task_id
		WHERE te.account_id = ?`, ten.account).Scan(&stale, &links)
	if err != nil {
		t.Fatal(err)
	}
	if stale != 0 {
		t.Errorf("%d of %d employee links carry another status, start or span than their task", stale, links)
	}
	checkTaskEmployeeCounts(t, ten)
}

// checkTaskEmployeeCounts fails when the kept counts of an account's links
// by employee and status (task_employee_counts, 00024) are not what
// counting the links gives.
func checkTaskEmployeeCounts(t *testing.T, ten *Tenant) {
	t.Helper()
	var wrong int
	err := ten.queryRow(context.Background(), `SELECT COUNT(*) FROM (
		SELECT COALESCE(k.employee_id, l.employee_id) AS e FROM task_employee_counts k
		FULL JOIN (SELECT employee_id, status, COUNT(*) AS n FROM task_employees WHERE account_id = ? GROUP BY employee_id, status) l
			ON l.employee_id = k.employee_id AND l.status = k.status
		WHERE (k.account_id = ? OR k.account_id IS NULL) AND COALESCE(k.n, 0) <> COALESCE(l.n, 0)) x`, ten.account, ten.account).Scan(&wrong)
	if err != nil {
		t.Fatal(err)
	}
	if wrong != 0 {
		t.Errorf("%d kept counts of employees' tasks by status differ from their links", wrong)
	}
}

// wantEmployeeTasks is what the employee's list must hold: a plain filter
// and sort of all tasks in Go.
func wantEmployeeTasks(all []crm.Task, emp int64, status string, desc bool) []int64 {
	var ks []crm.Task
	for _, k := range all {
		if !slices.Contains(k.EmployeeIDs, emp) {
			continue
		}
		if status == "open" && !k.Status.Open() || status != "" && status != "open" && string(k.Status) != status {
			continue
		}
		ks = append(ks, k)
	}
	slices.SortFunc(ks, func(a, b crm.Task) int {
		c := a.Start.Compare(b.Start)
		if c == 0 {
			c = int(a.ID - b.ID)
		}
		if desc {
			c = -c
		}
		return c
	})
	ids := make([]int64, len(ks))
	for i, k := range ks {
		ids[i] = k.ID
	}
	return ids
}

// The copies of status and start in task_employees follow every write of
// a task (one by one, in bulk, a change of status or start, a change of
// employees, and in another account nothing), and one employee's list read
// from them is the list a plain filter gives, at every page, in both
// orders, with every status filter, with a capped and a full count.
func TestTaskEmployeeCopies(t *testing.T) {
	searchEngines(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		f := newSearchFixture(t, s, "szef@zadania.pl")
		other := newSearchFixture(t, s, "szef@inne.pl")
		ten := f.ten
		var emps []int64
		for _, n := range []string{"Ala", "Ola", "Ela"} {
			id, err := ten.CreateEmployee(ctx, crm.Employee{FirstName: n, LastName: "Kot", Active: true, Color: "#2f5bea",
				CreatedAt: searchT0, UpdatedAt: searchT0})
			if err != nil {
				t.Fatal(err)
			}
			emps = append(emps, id)
		}
		statuses := crm.TaskStatuses
		task := func(i int) crm.Task {
			// Starts repeat (every 7th task starts with another), so that
			// the id breaks ties.
			st := searchT0.Add(time.Duration(i%37) * time.Hour)
			en := st.Add(time.Hour)
			k := crm.Task{Title: "Zadanie", Start: st, End: en, Status: statuses[i%len(statuses)], Priority: crm.PriorityLow,
				SpanStart: st, SpanEnd: &en, EmployeeIDs: []int64{emps[i%2]}, CreatedAt: searchT0, UpdatedAt: searchT0}
			if i%5 == 0 {
				k.EmployeeIDs = []int64{emps[0], emps[1]}
			}
			if i%11 == 0 {
				k.Recurrence, k.SpanEnd = "FREQ=WEEKLY", nil // without end
			}
			if i%13 == 0 {
				// A series that ended (open, its span over): never overdue.
				last := en.Add(24 * time.Hour)
				k.Recurrence, k.SpanEnd = "FREQ=DAILY;COUNT=2", &last
			}
			return k
		}
		var bulk []crm.Task
		for i := range 230 {
			bulk = append(bulk, task(i))
		}
		if err := ten.BulkCreateTasks(ctx, bulk); err != nil {
			t.Fatal(err)
		}
		checkTaskEmployeeCopies(t, ten)
		for i := 230; i < 260; i++ {
			if _, err := ten.CreateTask(ctx, task(i)); err != nil {
				t.Fatal(err)
			}
		}
		checkTaskEmployeeCopies(t, ten)
		all, _, err := ten.Tasks(ctx, TaskFilter{})
		if err != nil || len(all) != 260 {
			t.Fatalf("all tasks: %d, %v", len(all), err)
		}
		// Done, moved, handed to another employee: each through UpdateTask.
		for i := range all {
			k := &all[i]
			switch i % 6 {
			case 0:
				k.Status = crm.TaskDone
			case 1:
				k.Start, k.End = k.Start.Add(-90*time.Minute), k.End.Add(-90*time.Minute)
				end := k.End
				k.SpanStart, k.SpanEnd = k.Start, &end
			case 2:
				k.EmployeeIDs = []int64{emps[2], emps[0]}
				k.Status = crm.TaskInProgress
			case 3:
				// A single task made a series and a series made single.
				if k.Recurrence == "" {
					k.Recurrence = "FREQ=DAILY;COUNT=3"
					last := k.End.Add(48 * time.Hour)
					k.SpanEnd = &last
				} else {
					end := k.End
					k.Recurrence, k.SpanStart, k.SpanEnd = "", k.Start, &end
				}
			default:
				continue
			}
			if err := ten.UpdateTask(ctx, *k); err != nil {
				t.Fatal(err)
			}
		}
		checkTaskEmployeeCopies(t, ten)

		// The other account's employee list sees none of these tasks.
		if ks, n, err := other.ten.Tasks(ctx, TaskFilter{EmployeeID: emps[0], Status: "open", Limit: 50}); err != nil || n != 0 || len(ks) != 0 {
			t.Fatalf("another account lists %d tasks of the employee: %v", n, err)
		}
		for _, emp := range emps {
			for _, status := range []string{"", "open", "todo", "done", "cancelled"} {
				for _, desc := range []bool{false, true} {
					want := wantEmployeeTasks(all, emp, status, desc)
					sort := "start"
					if desc {
						sort = "-start"
					}
					for _, own := range []bool{false, true} {
						for offset := 0; offset <= len(want)+10; offset += 20 {
							flt := TaskFilter{EmployeeID: emp, Status: status, Sort: sort, Offset: offset, Limit: 20}
							if own {
								flt = TaskFilter{OwnOnly: true, OwnEmployee: emp, Status: status, Sort: sort, Offset: offset, Limit: 20, CountMax: 30}
							}
							page, n, err := ten.Tasks(ctx, flt)
							if err != nil {
								t.Fatal(err)
							}
							var got []int64
							for _, k := range page {
								got = append(got, k.ID)
							}
							wantPage := want[min(offset, len(want)):min(offset+20, len(want))]
							wantN := len(want)
							if own {
								wantN = min(wantN, 31)
							}
							if !slices.Equal(got, wantPage) || n != wantN {
								t.Fatalf("employee %d, status %q, %s, own %v, offset %d: got %v of %d, want %v of %d",
									emp, status, sort, own, offset, got, n, wantPage, wantN)
							}
						}
					}
				}
			}
		}
		// The general query narrows an employee's links by what they carry
		// (status, start, span): it finds what the same filter for the whole
		// firm finds among the employee's tasks.
		now := searchT0.Add(20 * time.Hour)
		at := func(h int) *time.Time { t := searchT0.Add(time.Duration(h) * time.Hour); return &t }
		for name, f := range map[string]TaskFilter{
			"range":             {From: at(10), To: at(12)},
			"from":              {From: at(30)},
			"to":                {To: at(3)},
			"overdue":           {Overdue: true, Now: now, Sort: "end"},
			"overdue, last end": {Overdue: true, Now: now, Sort: "-end"},
			"overdue open":      {Overdue: true, Now: now, Status: "open", Sort: "end"},
			"overdue by start":  {Overdue: true, Now: now},
			"overdue todo":      {Overdue: true, Now: now, Status: "todo"},
			"overdue done":      {Overdue: true, Now: now, Status: "done"},
			"open, by title":    {Status: "open", Sort: "title"},
			"done, range":       {Status: "done", From: at(5), To: at(25)},
			"cancelled search":  {Status: "cancelled", Q: "zadanie"},
		} {
			firm, _, err := ten.Tasks(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			for _, emp := range emps {
				var want []int64
				for _, k := range firm {
					if slices.Contains(k.EmployeeIDs, emp) {
						want = append(want, k.ID)
					}
				}
				for _, own := range []bool{false, true} {
					g := f
					if own {
						g.OwnOnly, g.OwnEmployee = true, emp
					} else {
						g.EmployeeID = emp
					}
					ks, n, err := ten.Tasks(ctx, g)
					if err != nil {
						t.Fatal(err)
					}
					var got []int64
					for _, k := range ks {
						got = append(got, k.ID)
					}
					if !slices.Equal(got, want) || n != len(want) {
						t.Errorf("%s, employee %d, own %v: got %v (%d), want %v", name, emp, own, got, n, want)
					}
				}
				if (name == "range" || name == "overdue") && len(want) == 0 {
					t.Errorf("%s: employee %d has no task in the range; the check checks nothing", name, emp)
				}
			}
		}
		// An employee's overdue tasks by end (read from task_employees_overdue
		// alone) page and count as the firm's overdue tasks of that employee.
		for _, sort := range []string{"end", "-end"} {
			firm, _, err := ten.Tasks(ctx, TaskFilter{Overdue: true, Now: now, Sort: sort})
			if err != nil {
				t.Fatal(err)
			}
			for _, emp := range emps {
				var want []int64
				for _, k := range firm {
					if slices.Contains(k.EmployeeIDs, emp) {
						if k.Recurrence != "" || !k.Status.Open() || !k.End.Before(now) {
							t.Fatalf("the firm's overdue tasks hold %+v", k)
						}
						want = append(want, k.ID)
					}
				}
				for offset := 0; offset <= len(want)+7; offset += 7 {
					page, n, err := ten.Tasks(ctx, TaskFilter{Overdue: true, Now: now, OwnOnly: true, OwnEmployee: emp, Sort: sort,
						Offset: offset, Limit: 7, CountMax: 5})
					if err != nil {
						t.Fatal(err)
					}
					var got []int64
					for _, k := range page {
						got = append(got, k.ID)
					}
					wantPage := want[min(offset, len(want)):min(offset+7, len(want))]
					if !slices.Equal(got, wantPage) || n != min(len(want), 6) {
						t.Errorf("overdue of employee %d by %s, offset %d: got %v of %d, want %v of %d", emp, sort, offset, got, n,
							wantPage, min(len(want), 6))
					}
				}
			}
		}

		// Deleting a task takes its links with it.
		if err := ten.DeleteTask(ctx, all[0].ID); err != nil {
			t.Fatal(err)
		}
		var left int
		if err := ten.queryRow(ctx, `SELECT COUNT(*) FROM task_employees WHERE account_id = ? AND task_id = ?`,
			ten.account, all[0].ID).Scan(&left); err != nil || left != 0 {
			t.Fatalf("links of a deleted task: %d, %v", left, err)
		}
		checkTaskEmployeeCounts(t, ten)
		// A purged client takes its tasks and their links with it; the kept
		// counts follow.
		client := f.add(crm.Client{Name: "Do usunięcia"})
		for i := range 5 {
			k := task(1000 + i)
			k.ClientID = &client
			if _, err := ten.CreateTask(ctx, k); err != nil {
				t.Fatal(err)
			}
		}
		checkTaskEmployeeCounts(t, ten)
		if err := ten.PurgeClient(ctx, client); err != nil {
			t.Fatal(err)
		}
		checkTaskEmployeeCounts(t, ten)
		checkTaskEmployeeCounts(t, other.ten)
	})
}
