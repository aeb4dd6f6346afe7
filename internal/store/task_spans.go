package store

import (
	"strings"
	"time"

	"klientela/internal/crm"
)

// ShortSpan is the longest span (first start to last end) of a single
// task that a range finds by a range bounded on both sides: such a task
// overlaps [from, to) only if its span starts in [from-ShortSpan, to).
const ShortSpan = 7 * 24 * time.Hour

// The classes of tasks.span_class (migration 00019).
const (
	spanShort  = 0 // a single task of at most ShortSpan
	spanLong   = 1 // a longer single task
	spanSeries = 2 // a recurring task
)

// spanClass is the class of k's span kept in tasks.span_class.
func spanClass(k crm.Task) int {
	switch {
	case k.Recurrence != "":
		return spanSeries
	case k.SpanEnd == nil || k.SpanEnd.Sub(k.SpanStart) > ShortSpan:
		return spanLong
	}
	return spanShort
}

// spanOverlaps is the condition (and its arguments) that a task's span
// overlaps [from, to) (either may be nil: open on that side); single or
// recurring narrow it to those tasks. With both ends it is bounded ranges
// of tasks_by_span_class: the short single tasks that start in
// [from-ShortSpan, to), and the long ones and the series (few) that start
// before to. A range of no length (from = to) finds what runs at from and
// began before it.
func spanOverlaps(from, to *time.Time, single, recurring bool) (string, []any) {
	switch {
	case from != nil && to != nil:
		f, t := from.UTC(), to.UTC()
		short := `(t.span_class = ? AND t.span_start >= ? AND t.span_start < ? AND t.span_end > ?)`
		open := func(class int) (string, []any) {
			return `(t.span_class = ? AND t.span_start < ? AND (t.span_end IS NULL OR t.span_end > ?))`, []any{class, t, f}
		}
		var parts []string
		var args []any
		if !recurring {
			parts, args = append(parts, short), append(args, spanShort, f.Add(-ShortSpan), t, f)
			w, a := open(spanLong)
			parts, args = append(parts, w), append(args, a...)
		}
		if !single {
			w, a := open(spanSeries)
			parts, args = append(parts, w), append(args, a...)
		}
		return ` AND (` + strings.Join(parts, ` OR `) + `)`, args
	case to != nil:
		return ` AND t.span_start < ?`, []any{to.UTC()}
	case from != nil:
		return ` AND (t.span_end IS NULL OR t.span_end > ?)`, []any{from.UTC()}
	}
	return "", nil
}
