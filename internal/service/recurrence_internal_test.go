package service

import (
	"slices"
	"testing"
	"time"

	"klientela/internal/crm"
)

// TestNextOccurrence checks the one-pass next occurrence against the whole
// expansion of the series over the same range (earliest start wins).
func TestNextOccurrence(t *testing.T) {
	loc, err := time.LoadLocation("Europe/Warsaw")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 28, 10, 30, 0, 0, loc)
	at := func(y int, m time.Month, d, h int) time.Time { return time.Date(y, m, d, h, 0, 0, 0, loc) }
	task := func(rule string, start time.Time, allDay bool) crm.Task {
		return crm.Task{ID: 1, Title: "Przegląd", Start: start, End: start.Add(time.Hour), AllDay: allDay,
			Status: crm.TaskTodo, Recurrence: rule}
	}
	allDay := task("FREQ=WEEKLY", at(2024, 3, 4, 0), true)
	allDay.End = at(2024, 3, 6, 0)
	for name, c := range map[string]struct {
		k  crm.Task
		xs []crm.TaskException
	}{
		"weekly for two years":    {k: task("FREQ=WEEKLY", at(2024, 11, 25, 9), false)},
		"running now":             {k: task("FREQ=DAILY", at(2026, 1, 1, 10), false)},
		"ended":                   {k: task("FREQ=DAILY;COUNT=10", at(2026, 1, 1, 10), false)},
		"every 3 days since 2016": {k: task("FREQ=DAILY;INTERVAL=3", at(2016, 1, 4, 9), false)},
		"every other week, two days, until": {k: task("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,FR;UNTIL=20270101T000000Z",
			at(2019, 3, 5, 9), false)},
		"weekly, ended by until": {k: task("FREQ=WEEKLY;UNTIL=20261101T000000Z", at(2019, 3, 5, 9), false)},
		"all-day over two days":  {k: allDay},
		"monthly, next cancelled": {k: task("FREQ=MONTHLY", at(2025, 1, 5, 9), false), xs: []crm.TaskException{
			{Original: at(2026, 12, 5, 9), Start: at(2026, 12, 5, 9), End: at(2026, 12, 5, 10), Cancelled: true}}},
		"a later one moved before the next": {k: task("FREQ=MONTHLY", at(2025, 1, 5, 9), false), xs: []crm.TaskException{
			{Original: at(2027, 2, 5, 9), Start: at(2026, 11, 30, 9), End: at(2026, 11, 30, 10), Status: crm.TaskInProgress}}},
		"the next moved later": {k: task("FREQ=WEEKLY;BYDAY=MO,TH", at(2025, 6, 2, 9), false), xs: []crm.TaskException{
			{Original: at(2026, 11, 30, 9), Start: at(2027, 1, 30, 9), End: at(2027, 1, 30, 10)}}},
		"a past one moved into now": {k: task("FREQ=YEARLY", at(2020, 3, 1, 9), false), xs: []crm.TaskException{
			{Original: at(2026, 3, 1, 9), Start: at(2026, 11, 28, 10), End: at(2026, 11, 28, 12)}}},
	} {
		t.Run(name, func(t *testing.T) {
			ex := &expander{loc: loc, from: now, to: now.Add(nextAhead), max: MaxOccurrences}
			if err := ex.add(c.k, c.xs); err != nil {
				t.Fatal(err)
			}
			slices.SortStableFunc(ex.out, func(a, b crm.TaskOccurrence) int { return a.Start.Compare(b.Start) })
			got := nextOccurrence(c.k, c.xs, now, loc)
			if len(ex.out) == 0 {
				if got != nil {
					t.Fatalf("next = %+v, want none", got)
				}
				return
			}
			want := ex.out[0]
			if got == nil || !got.Start.Equal(want.Start) || !got.End.Equal(want.End) || !got.Original.Equal(want.Original) ||
				got.Status != want.Status {
				t.Fatalf("next = %+v, want %+v", got, want)
			}
		})
	}
}

// BenchmarkNextOccurrence: a daily series started ten years ago.
func BenchmarkNextOccurrence(b *testing.B) {
	loc, _ := time.LoadLocation("Europe/Warsaw")
	start := time.Date(2016, 1, 4, 9, 0, 0, 0, loc)
	k := crm.Task{ID: 1, Start: start, End: start.Add(time.Hour), Recurrence: "FREQ=DAILY", Status: crm.TaskTodo}
	now := time.Date(2026, 11, 28, 10, 30, 0, 0, loc)
	for b.Loop() {
		if nextOccurrence(k, nil, now, loc) == nil {
			b.Fatal("none")
		}
	}
}

// CheckTaskRecurrence, for bulk writers, checks a rule as saving does and
// gives the span saving would store.
func TestCheckTaskRecurrence(t *testing.T) {
	loc, err := time.LoadLocation("Europe/Warsaw")
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2026, 3, 2, 9, 0, 0, 0, loc) // a Monday
	k := crm.Task{Start: start, End: start.Add(time.Hour)}

	rule, s, e, err := CheckTaskRecurrence(k, loc)
	if err != nil || rule != "" || !s.Equal(k.Start) || e == nil || !e.Equal(k.End) {
		t.Errorf("single task: %q %v %v %v", rule, s, e, err)
	}
	k.Recurrence = "RRULE:FREQ=WEEKLY;COUNT=4"
	rule, s, e, err = CheckTaskRecurrence(k, loc)
	// The fourth Monday, 2026-03-23, across the change to summer time.
	if want := time.Date(2026, 3, 23, 10, 0, 0, 0, loc); err != nil || rule != "FREQ=WEEKLY;COUNT=4" || !s.Equal(start) ||
		e == nil || !e.Equal(want) {
		t.Errorf("weekly ×4: %q %v %v %v, want the end %v", rule, s, e, err, want)
	}
	for _, bad := range []string{"FREQ=WEEKLY", "FREQ=DAILY;COUNT=2;UNTIL=20270101T000000Z", "FREQ=SOMETIMES;COUNT=2"} {
		k.Recurrence = bad
		if _, _, _, err := CheckTaskRecurrence(k, loc); crm.ErrorCode(err) != crm.CodeInvalid {
			t.Errorf("%q: %v, want a validation error", bad, err)
		}
	}
}
