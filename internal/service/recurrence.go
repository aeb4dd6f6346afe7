package service

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/teambition/rrule-go"

	"klientela/internal/crm"
)

// Limits of recurring tasks. A series may run without an end ("every
// Monday"): it is expanded lazily, only over the range a page or the
// calendar asks for, and one request expands at most MaxOccurrences. A
// series with an end (COUNT or UNTIL) may have at most MaxOccurrences
// occurrences, and COUNT at most MaxRecurrenceCount.
const (
	MaxRecurrenceCount = 1000
	MaxOccurrences     = 10000
	maxRuleSteps       = 200000 // rule iterations one expansion may take
)

// recurrenceFreqs are the frequencies a task may repeat with; the issue
// asks for daily, weekly, monthly and yearly (no hourly series).
var recurrenceFreqs = []rrule.Frequency{rrule.DAILY, rrule.WEEKLY, rrule.MONTHLY, rrule.YEARLY}

// RecurrenceInput is the recurrence part of the task form: the server
// builds the RRULE from it (the form never takes a free-text rule).
type RecurrenceInput struct {
	Freq     string   // "", "daily", "weekly", "monthly", "yearly"
	Interval int      // every n days/weeks/…; 0 or 1 for every one
	Weekdays []string // weekly: "MO" … "SU"; none for the start's weekday
	Until    string   // "YYYY-MM-DD", the last day (inclusive), or ""
	Count    int      // number of occurrences, or 0
}

// Weekdays are the RRULE weekday codes, Monday first.
var Weekdays = []string{"MO", "TU", "WE", "TH", "FR", "SA", "SU"}

// BuildRecurrence turns the form's recurrence into an RRULE ("" for a task
// that does not repeat); loc is the account's zone (UNTIL is the end of the
// last day there). Problems are reported at the form's fields.
func BuildRecurrence(in RecurrenceInput, loc *time.Location) (string, error) {
	var v crm.Validation
	freq := map[string]string{"daily": "DAILY", "weekly": "WEEKLY", "monthly": "MONTHLY", "yearly": "YEARLY"}[in.Freq]
	if in.Freq == "" || in.Freq == "none" {
		return "", nil
	}
	if freq == "" {
		v.Add("repeat_freq", "err.task_recurrence_freq")
		return "", v.Err()
	}
	parts := []string{"FREQ=" + freq}
	switch {
	case in.Interval < 0 || in.Interval > 366:
		v.Add("repeat_interval", "err.task_recurrence_interval")
	case in.Interval > 1:
		parts = append(parts, "INTERVAL="+strconv.Itoa(in.Interval))
	}
	if freq == "WEEKLY" && len(in.Weekdays) > 0 {
		var days []string
		for _, d := range Weekdays {
			if slices.Contains(in.Weekdays, d) {
				days = append(days, d)
			}
		}
		if len(days) != len(in.Weekdays) {
			v.Add("repeat_weekdays", "err.task_recurrence_invalid")
		}
		parts = append(parts, "BYDAY="+strings.Join(days, ","))
	}
	switch {
	case in.Count != 0 && in.Until != "":
		v.Add("repeat_count", "err.task_recurrence_both")
	case in.Count < 0 || in.Count > MaxRecurrenceCount:
		v.Add("repeat_count", "err.task_recurrence_count", "max", MaxRecurrenceCount)
	case in.Count > 0:
		parts = append(parts, "COUNT="+strconv.Itoa(in.Count))
	case in.Until != "":
		d, err := time.ParseInLocation(time.DateOnly, in.Until, loc)
		if err != nil {
			v.Add("repeat_until", "err.task_date_invalid")
			break
		}
		end := time.Date(d.Year(), d.Month(), d.Day(), 23, 59, 59, 0, loc)
		parts = append(parts, "UNTIL="+end.UTC().Format("20060102T150405Z"))
	default:
		// A series without an end would put occurrences into every calendar
		// and feed for ever; the user says when it stops.
		v.Add("repeat_until", "err.task_recurrence_endless", "max", MaxRecurrenceCount)
	}
	return strings.Join(parts, ";"), v.Err()
}

// RecurrenceOf reads a stored RRULE back into the form's fields (for
// editing); ok is false for a rule the form cannot show (set through the
// API), which the form then keeps as it is.
func RecurrenceOf(rule string, loc *time.Location) (in RecurrenceInput, ok bool) {
	if rule == "" {
		return RecurrenceInput{}, true
	}
	opt, err := rrule.StrToROptionInLocation(rule, loc)
	if err != nil {
		return RecurrenceInput{}, false
	}
	in.Freq = map[rrule.Frequency]string{rrule.DAILY: "daily", rrule.WEEKLY: "weekly", rrule.MONTHLY: "monthly",
		rrule.YEARLY: "yearly"}[opt.Freq]
	in.Interval, in.Count = opt.Interval, opt.Count
	for _, d := range opt.Byweekday {
		in.Weekdays = append(in.Weekdays, d.String())
	}
	if !opt.Until.IsZero() {
		in.Until = opt.Until.In(loc).Format(time.DateOnly)
	}
	ok = in.Freq != "" && len(opt.Bymonth)+len(opt.Bymonthday)+len(opt.Byyearday)+len(opt.Byweekno)+len(opt.Byhour)+
		len(opt.Byminute)+len(opt.Bysecond)+len(opt.Bysetpos)+len(opt.Byeaster) == 0 && (in.Freq == "weekly" || len(in.Weekdays) == 0)
	return in, ok
}

// parseRecurrence checks an RRULE (as the API sends it, with or without the
// "RRULE:" prefix) and returns it normalised; the rule starts at start (in
// the account's zone, so that it keeps its local time across DST).
func parseRecurrence(v *crm.Validation, s string, start time.Time) (string, *rrule.RRule) {
	s = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(s), "RRULE:"))
	if s == "" {
		return "", nil
	}
	if strings.ContainsAny(s, "\r\n") || strings.Contains(s, "DTSTART") {
		v.Add("recurrence", "err.task_recurrence_invalid")
		return "", nil
	}
	opt, err := rrule.StrToROptionInLocation(s, start.Location())
	if err != nil {
		v.Add("recurrence", "err.task_recurrence_invalid")
		return "", nil
	}
	switch {
	case !slices.Contains(recurrenceFreqs, opt.Freq):
		v.Add("recurrence", "err.task_recurrence_freq")
		return "", nil
	case opt.Count < 0 || opt.Count > MaxRecurrenceCount:
		v.Add("recurrence", "err.task_recurrence_count", "max", MaxRecurrenceCount)
		return "", nil
	case opt.Count > 0 && !opt.Until.IsZero():
		v.Add("recurrence", "err.task_recurrence_both")
		return "", nil
	case opt.Count == 0 && opt.Until.IsZero():
		v.Add("recurrence", "err.task_recurrence_endless", "max", MaxRecurrenceCount)
		return "", nil
	case opt.Interval < 0 || opt.Interval > 366:
		v.Add("recurrence", "err.task_recurrence_interval")
		return "", nil
	}
	opt.Dtstart = start
	r, err := rrule.NewRRule(*opt)
	if err != nil {
		v.Add("recurrence", "err.task_recurrence_invalid")
		return "", nil
	}
	opt.Dtstart = time.Time{}
	return opt.RRuleString(), r
}

// taskRule builds the rule of a stored recurring task in loc.
func taskRule(k crm.Task, loc *time.Location) (*rrule.RRule, error) {
	opt, err := rrule.StrToROptionInLocation(k.Recurrence, loc)
	if err != nil {
		return nil, err
	}
	opt.Dtstart = k.Start.In(loc)
	return rrule.NewRRule(*opt)
}

// occurrenceEnd is the end of an occurrence that starts at s: all-day
// tasks last whole days (a day is not always 24 hours), the others their
// duration.
func occurrenceEnd(k crm.Task, s time.Time, loc *time.Location) time.Time {
	if k.AllDay {
		a, b := k.Start.In(loc), k.End.In(loc)
		days := daysBetween(a, b)
		ls := s.In(loc)
		return time.Date(ls.Year(), ls.Month(), ls.Day()+days, 0, 0, 0, 0, loc)
	}
	return s.Add(k.End.Sub(k.Start))
}

// daysBetween counts calendar days from a's date to b's date.
func daysBetween(a, b time.Time) int {
	da := time.Date(a.Year(), a.Month(), a.Day(), 0, 0, 0, 0, time.UTC)
	db := time.Date(b.Year(), b.Month(), b.Day(), 0, 0, 0, 0, time.UTC)
	return int(db.Sub(da).Hours() / 24)
}

// shiftLocal moves t by the wall-clock difference between from and to in
// loc: the same number of days and the same change of the time of day, so
// that a series moved from 09:00 to 10:00 stays at 10:00 in summer and in
// winter.
func shiftLocal(t, from, to time.Time, loc *time.Location) time.Time {
	f, g, l := from.In(loc), to.In(loc), t.In(loc)
	days := daysBetween(f, g)
	mins := (g.Hour()*60 + g.Minute()) - (f.Hour()*60 + f.Minute())
	secs := g.Second() - f.Second()
	return time.Date(l.Year(), l.Month(), l.Day()+days, l.Hour(), l.Minute()+mins, l.Second()+secs, 0, loc)
}

// seriesSpan bounds every occurrence of a task: the first start and the
// last end (nil for a series without end). A series with an end may have
// at most MaxOccurrences occurrences.
func seriesSpan(v *crm.Validation, k crm.Task, r *rrule.RRule, xs []crm.TaskException, loc *time.Location) (time.Time, *time.Time) {
	start, end := k.Start, k.End
	if r != nil {
		o := r.OrigOptions
		if o.Count == 0 && o.Until.IsZero() {
			return minStart(start, xs), nil
		}
		next, n, last := r.Iterator(), 0, time.Time{}
		for {
			s, ok := next()
			if !ok {
				break
			}
			if n++; n > MaxOccurrences {
				v.Add("recurrence", "err.task_recurrence_too_many", "max", MaxOccurrences)
				return start, nil
			}
			last = s
		}
		if n == 0 {
			v.Add("recurrence", "err.task_recurrence_empty")
			return start, nil
		}
		end = occurrenceEnd(k, last, loc)
	}
	for _, x := range xs {
		if !x.Cancelled && x.End.After(end) {
			end = x.End
		}
	}
	return minStart(start, xs), &end
}

func minStart(start time.Time, xs []crm.TaskException) time.Time {
	for _, x := range xs {
		if !x.Cancelled && x.Start.Before(start) {
			start = x.Start
		}
	}
	return start
}

// expander turns tasks into their occurrences over a range.
type expander struct {
	loc      *time.Location
	from, to time.Time
	steps    int
	out      []crm.TaskOccurrence
	max      int
}

// errTooMany refuses a range that holds more occurrences than one request
// may expand.
var errTooMany = tooMany(MaxOccurrences)

// tooMany refuses a range that holds more than max occurrences.
func tooMany(max int) error {
	return &crm.Error{Code: crm.CodeInvalid, Key: "err.task_range_too_many", Args: []any{"max", max},
		Fields: map[string]crm.Msg{"to": {Key: "err.task_range_too_many", Args: []any{"max", max}}}}
}

func occurrenceOf(k crm.Task, original, s, e time.Time, status crm.TaskStatus, loc *time.Location) crm.TaskOccurrence {
	return crm.TaskOccurrence{TaskID: k.ID, Original: original.In(loc), Start: s.In(loc), End: e.In(loc), AllDay: k.AllDay,
		Title: k.Title, Status: status, Priority: k.Priority, Recurring: k.Recurring(), ClientID: k.ClientID,
		EmployeeIDs: k.EmployeeIDs, Groups: k.Groups}
}

// add expands one task; overlap means start < to and end > from (an
// occurrence of no length counts when it starts in the range).
func (x *expander) add(k crm.Task, xs []crm.TaskException) error {
	in := func(s, e time.Time) bool {
		return s.Before(x.to) && (e.After(x.from) || (e.Equal(s) && !s.Before(x.from)))
	}
	emit := func(o crm.TaskOccurrence) error {
		if len(x.out) >= x.max {
			return tooMany(x.max)
		}
		x.out = append(x.out, o)
		return nil
	}
	if !k.Recurring() {
		if in(k.Start, k.End) {
			return emit(occurrenceOf(k, k.Start, k.Start, k.End, k.Status, x.loc))
		}
		return nil
	}
	// The walk starts shortly before the range (skipAhead), not at the
	// series' first start: a weekly series two years old takes a few steps
	// to a month instead of a hundred.
	walked := skipAhead(k, x.from, x.loc)
	r, err := taskRule(walked, x.loc)
	if err != nil {
		return nil // a rule that no longer parses shows nothing rather than failing the page
	}
	byOrig := map[int64]crm.TaskException{}
	for _, e := range xs {
		byOrig[e.Original.Unix()] = e
	}
	next := r.Iterator()
	var stop time.Time
	for {
		s, ok := next()
		if !ok {
			break
		}
		if x.steps++; x.steps > maxRuleSteps {
			return errTooMany
		}
		if !s.Before(x.to) {
			stop = s
			break
		}
		if e, ok := byOrig[s.Unix()]; ok {
			delete(byOrig, s.Unix())
			if e.Cancelled || !in(e.Start, e.End) {
				continue
			}
			st := k.Status
			if e.Status != "" {
				st = e.Status
			}
			if err := emit(occurrenceOf(k, s, e.Start, e.End, st, x.loc)); err != nil {
				return err
			}
			continue
		}
		if e := occurrenceEnd(k, s, x.loc); in(s, e) {
			if err := emit(occurrenceOf(k, s, s, e, k.Status, x.loc)); err != nil {
				return err
			}
		}
	}
	// Occurrences whose rule time is past the range but that were moved
	// into it.
	for _, e := range byOrig {
		if e.Cancelled || !in(e.Start, e.End) {
			continue
		}
		// One whose rule time lies before where the walk began: the walk
		// did not meet it, so the rule from the first start tells whether
		// it is still one of the series (few: moved into the range from
		// afar).
		if e.Original.Before(walked.Start) {
			if !isOccurrence(k, e.Original, x.loc) {
				continue
			}
		} else if stop.IsZero() || e.Original.Before(stop) {
			continue
		}
		st := k.Status
		if e.Status != "" {
			st = e.Status
		}
		if err := emit(occurrenceOf(k, e.Original, e.Start, e.End, st, x.loc)); err != nil {
			return err
		}
	}
	return nil
}

// nextAhead is how far ahead the next occurrence of a series is looked
// for.
const nextAhead = 4000 * 24 * time.Hour

// nextOccurrence is the occurrence of the recurring task k (with its
// exceptions xs) that starts first among those not over at now (ending
// after it, or of no length starting at it) and starting before
// now+nextAhead; nil when there is none. The rule is walked once and only
// up to its first such start: unchanged occurrences come in order of
// start, so the first of them is the earliest; a changed one may have
// moved anywhere, so all of those are compared with it.
func nextOccurrence(k crm.Task, xs []crm.TaskException, now time.Time, loc *time.Location) *crm.TaskOccurrence {
	to := now.Add(nextAhead)
	in := func(s, e time.Time) bool {
		return s.Before(to) && (e.After(now) || (e.Equal(s) && !s.Before(now)))
	}
	r, err := taskRule(skipAhead(k, now, loc), loc)
	if err != nil {
		return nil
	}
	changed := make(map[int64]bool, len(xs))
	var best *crm.TaskOccurrence
	for _, x := range xs {
		changed[x.Original.Unix()] = true
		if x.Cancelled || !in(x.Start, x.End) || (best != nil && !x.Start.Before(best.Start)) {
			continue
		}
		st := k.Status
		if x.Status != "" {
			st = x.Status
		}
		o := occurrenceOf(k, x.Original, x.Start, x.End, st, loc)
		best = &o
	}
	next := r.Iterator()
	for steps := 0; steps < maxRuleSteps; steps++ {
		s, ok := next()
		if !ok || !s.Before(to) || (best != nil && !s.Before(best.Start)) {
			break
		}
		if changed[s.Unix()] {
			continue
		}
		if e := occurrenceEnd(k, s, loc); in(s, e) {
			o := occurrenceOf(k, s, s, e, k.Status, loc)
			return &o
		}
	}
	return best
}

// skipAhead moves the start of a daily or weekly series without COUNT by a
// whole number of its periods (local days, so the time of day survives
// DST) to shortly before now: the rule then makes the same occurrences from
// there on, and the walk to the next one takes a few steps instead of one
// per day since the series began (3 650 for a daily series ten years old).
// A series with COUNT counts from its first start and is left as it is
// (it has at most MaxRecurrenceCount occurrences); so are the other
// frequencies (a few steps a year).
func skipAhead(k crm.Task, now time.Time, loc *time.Location) crm.Task {
	opt, err := rrule.StrToROptionInLocation(k.Recurrence, loc)
	if err != nil || opt.Count != 0 || (opt.Freq != rrule.DAILY && opt.Freq != rrule.WEEKLY) {
		return k
	}
	period := max(1, opt.Interval)
	if opt.Freq == rrule.WEEKLY {
		period *= 7
	}
	ls, le := k.Start.In(loc), k.End.In(loc)
	// Keep a margin of the occurrence's length and a period, so that no
	// occurrence still running at now starts before the new start.
	days := daysBetween(ls, now.In(loc)) - daysBetween(ls, le) - 2*period - 1
	if days < period {
		return k
	}
	m := days / period * period
	k.Start = time.Date(ls.Year(), ls.Month(), ls.Day()+m, ls.Hour(), ls.Minute(), ls.Second(), ls.Nanosecond(), loc)
	k.End = time.Date(le.Year(), le.Month(), le.Day()+m, le.Hour(), le.Minute(), le.Second(), le.Nanosecond(), loc)
	if !k.AllDay {
		k.End = k.Start.Add(le.Sub(ls))
	}
	return k
}

// isOccurrence reports whether original is an occurrence start of k's rule.
func isOccurrence(k crm.Task, original time.Time, loc *time.Location) bool {
	if !k.Recurring() {
		return original.Equal(k.Start)
	}
	r, err := taskRule(k, loc)
	if err != nil {
		return false
	}
	got := r.Between(original.Add(-time.Second), original.Add(time.Second), true)
	for _, g := range got {
		if g.Unix() == original.Unix() {
			return true
		}
	}
	return false
}

// shiftWeekdays moves the BYDAY weekdays of rule by days (a weekly series
// moved from Monday to Tuesday repeats on Tuesdays).
func shiftWeekdays(rule string, days int) string {
	if days%7 == 0 || !strings.Contains(rule, "BYDAY=") {
		return rule
	}
	parts := strings.Split(rule, ";")
	for i, p := range parts {
		val, ok := strings.CutPrefix(p, "BYDAY=")
		if !ok {
			continue
		}
		var out []string
		for _, d := range strings.Split(val, ",") {
			n := len(d) - 2
			if n < 0 {
				return rule
			}
			j := slices.Index(Weekdays, d[n:])
			if j < 0 {
				return rule
			}
			out = append(out, d[:n]+Weekdays[((j+days)%7+7)%7])
		}
		parts[i] = "BYDAY=" + strings.Join(out, ",")
	}
	return strings.Join(parts, ";")
}

// CheckTaskRecurrence checks a task's recurrence as saving it does and
// returns the rule as it is kept and the span of all the task's
// occurrences, for bulk inserts (imports, demo data) that write
// crm.Task rows themselves. k's times are as saving leaves them.
func CheckTaskRecurrence(k crm.Task, loc *time.Location) (rule string, start time.Time, end *time.Time, err error) {
	var v crm.Validation
	rule, r := parseRecurrence(&v, k.Recurrence, k.Start.In(loc))
	if err := v.Err(); err != nil {
		return "", time.Time{}, nil, err
	}
	if r == nil {
		e := k.End
		return "", k.Start, &e, nil
	}
	k.Recurrence = rule
	start, end = seriesSpan(&v, k, r, nil, loc)
	return rule, start, end, v.Err()
}
