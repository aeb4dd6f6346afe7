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

// TestTaskRangesBySpanClass: a range finds every task whose span overlaps
// it, whichever class (migration 00019) the span is in — a short single
// task, one that became longer than store.ShortSpan by an edit (and is
// found by a range that only its end overlaps), a series without end
// begun long before, a series with an end — and nothing that ends before
// it or starts after it; Single and Recurring narrow to their kind.
func TestTaskRangesBySpanClass(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a, _ := newAccount(t, s, "zakresy@example.pl")
		ta := s.Tenant(a.ID)
		create := func(title string, start time.Time, length time.Duration, rule string, spanEnd *time.Time) int64 {
			t.Helper()
			end := start.Add(length)
			if spanEnd == nil && rule == "" {
				spanEnd = &end
			}
			id, err := ta.CreateTask(ctx, crm.Task{Title: title, Start: start, End: end, Status: crm.TaskTodo,
				Priority: crm.PriorityNormal, Recurrence: rule, SpanStart: start, SpanEnd: spanEnd, CreatedAt: t0, UpdatedAt: t0})
			if err != nil {
				t.Fatal(err)
			}
			return id
		}
		from := t0.AddDate(0, 1, 0)
		to := from.AddDate(0, 0, 7)
		short := create("Krótkie", from.Add(2*time.Hour), time.Hour, "", nil)
		before := create("Wcześniej, trwa", from.Add(-3*time.Hour), 5*time.Hour, "", nil)
		long := create("Urośnie", from.AddDate(0, 0, -20), time.Hour, "", nil)
		endless := create("Co tydzień", t0.AddDate(-2, 0, 0), time.Hour, "FREQ=WEEKLY", nil)
		seriesEnd := from.AddDate(0, 2, 0)
		finite := create("Do końca", from.AddDate(0, 0, -10), time.Hour, "FREQ=DAILY;COUNT=70", &seriesEnd)
		create("Skończone", from.AddDate(0, 0, -3), time.Hour, "", nil)
		create("Później", to.Add(time.Hour), time.Hour, "", nil)
		oldEnd := from.AddDate(0, 0, -5)
		create("Seria skończona", t0, time.Hour, "FREQ=DAILY;COUNT=3", &oldEnd)

		// An edit makes the task 21 days long: it now ends inside the range.
		k, err := ta.Task(ctx, long)
		if err != nil {
			t.Fatal(err)
		}
		k.End = from.Add(time.Hour)
		k.SpanEnd = &k.End
		if err := ta.UpdateTask(ctx, k); err != nil {
			t.Fatal(err)
		}
		ids := func(f store.TaskFilter) []int64 {
			t.Helper()
			f.From, f.To, f.Limit, f.NoCount = &from, &to, 100, true
			ks, _, err := ta.Tasks(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			var out []int64
			for _, k := range ks {
				out = append(out, k.ID)
			}
			slices.Sort(out)
			return out
		}
		sorted := func(v ...int64) []int64 { slices.Sort(v); return v }
		if got, want := ids(store.TaskFilter{}), sorted(short, before, long, endless, finite); !slices.Equal(got, want) {
			t.Errorf("range: %v, want %v", got, want)
		}
		if got, want := ids(store.TaskFilter{Single: true}), sorted(short, before, long); !slices.Equal(got, want) {
			t.Errorf("single: %v, want %v", got, want)
		}
		if got, want := ids(store.TaskFilter{Recurring: true}), sorted(endless, finite); !slices.Equal(got, want) {
			t.Errorf("recurring: %v, want %v", got, want)
		}
		// Back to an hour, it is short again and found from its start.
		k.End = k.Start.Add(time.Hour)
		k.SpanEnd = &k.End
		if err := ta.UpdateTask(ctx, k); err != nil {
			t.Fatal(err)
		}
		if got, want := ids(store.TaskFilter{Single: true}), sorted(short, before); !slices.Equal(got, want) {
			t.Errorf("after shortening: %v, want %v", got, want)
		}
	})
}
