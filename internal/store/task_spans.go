package store

import (
	"time"

	"klientela/internal/crm"
)

// ShortSpan is the longest span (first start to last end) of a task that
// a range finds by a range bounded on both sides: such a task overlaps
// [from, to) only if its span starts in [from-ShortSpan, to). Longer spans
// and series without end (marked span_long, migration 00019) are found by
// the open range span_start < to, in their own, small part of the index.
const ShortSpan = 7 * 24 * time.Hour

// spanLong is the class of k's span kept in tasks.span_long.
func spanLong(k crm.Task) bool {
	return k.SpanEnd == nil || k.SpanEnd.Sub(k.SpanStart) > ShortSpan
}

// spanOverlaps is the condition (and its arguments) that a task's span
// overlaps [from, to) (either may be nil: open on that side). With both,
// it is two ranges of tasks_by_span_class, each bounded: the short spans
// that start in [from-ShortSpan, to), and the long ones that start before
// to (few).
func spanOverlaps(from, to *time.Time) (string, []any) {
	switch {
	case from != nil && to != nil:
		f, t := from.UTC(), to.UTC()
		return ` AND ((t.span_long = ? AND t.span_start >= ? AND t.span_start < ? AND t.span_end > ?)
			OR (t.span_long = ? AND t.span_start < ? AND (t.span_end IS NULL OR t.span_end > ?)))`,
			[]any{false, f.Add(-ShortSpan), t, f, true, t, f}
	case to != nil:
		return ` AND t.span_start < ?`, []any{to.UTC()}
	case from != nil:
		return ` AND (t.span_end IS NULL OR t.span_end > ?)`, []any{from.UTC()}
	}
	return "", nil
}
