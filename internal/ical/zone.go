package ical

import (
	"fmt"
	"time"

	goical "github.com/emersion/go-ical"
)

// timezone describes loc as a VTIMEZONE from year on. Go's zone data has
// no rules, only transitions, so the rule is read off the transitions of
// that year: each becomes a yearly observance on the same weekday of its
// month (the last one when it is in the month's last week), which is how
// every zone with daylight saving time in Europe and the Americas works
// today. A zone without transitions gets one STANDARD observance.
func timezone(loc *time.Location, year int) *goical.Component {
	tz := goical.NewComponent(goical.CompTimezone)
	tz.Props.SetText(goical.PropTimezoneID, loc.String())
	trans := transitions(loc, year)
	if len(trans) == 0 {
		name, off := time.Date(year, 1, 1, 0, 0, 0, 0, loc).Zone()
		tz.Children = append(tz.Children, observance(goical.CompTimezoneStandard, name,
			time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC), off, off, ""))
		return tz
	}
	for _, tr := range trans {
		after := tr.In(loc)
		name, to := after.Zone()
		_, from := tr.Add(-time.Second).In(loc).Zone()
		// DTSTART is the wall-clock time at which the change happens, in the
		// offset in force before it.
		onset := tr.In(time.FixedZone("", from))
		kind := goical.CompTimezoneStandard
		if after.IsDST() {
			kind = goical.CompTimezoneDaylight
		}
		tz.Children = append(tz.Children, observance(kind, name, onset, from, to, yearlyRule(onset)))
	}
	return tz
}

func observance(kind, name string, onset time.Time, from, to int, rule string) *goical.Component {
	o := goical.NewComponent(kind)
	start := goical.NewProp(goical.PropDateTimeStart)
	start.SetValueType(goical.ValueDateTime)
	start.Value = onset.Format("20060102T150405")
	o.Props.Set(start)
	setRaw(o.Props, goical.PropTimezoneOffsetFrom, offset(from), "")
	setRaw(o.Props, goical.PropTimezoneOffsetTo, offset(to), "")
	if name != "" {
		o.Props.SetText(goical.PropTimezoneName, name)
	}
	if rule != "" {
		rr := goical.NewProp(goical.PropRecurrenceRule)
		rr.SetValueType(goical.ValueRecurrence)
		rr.Value = rule
		o.Props.Set(rr)
	}
	return o
}

// yearlyRule is the RRULE of a change on onset's weekday of its month:
// "the last Sunday of March" or "the second Sunday of March".
func yearlyRule(onset time.Time) string {
	wd := [...]string{"SU", "MO", "TU", "WE", "TH", "FR", "SA"}[onset.Weekday()]
	nth := fmt.Sprint((onset.Day()-1)/7 + 1)
	if onset.AddDate(0, 0, 7).Month() != onset.Month() {
		nth = "-1"
	}
	return fmt.Sprintf("FREQ=YEARLY;BYMONTH=%d;BYDAY=%s%s", int(onset.Month()), nth, wd)
}

// transitions lists the instants in year when loc's offset changes.
func transitions(loc *time.Location, year int) []time.Time {
	var out []time.Time
	day := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC)
	end := day.AddDate(1, 0, 0)
	_, prev := day.In(loc).Zone()
	for ; day.Before(end); day = day.Add(24 * time.Hour) {
		next := day.Add(24 * time.Hour)
		_, off := next.In(loc).Zone()
		if off == prev {
			continue
		}
		// The change is within this day: find its second.
		lo, hi := day.Unix(), next.Unix()
		for hi-lo > 1 {
			mid := lo + (hi-lo)/2
			if _, o := time.Unix(mid, 0).In(loc).Zone(); o == prev {
				lo = mid
			} else {
				hi = mid
			}
		}
		out = append(out, time.Unix(hi, 0).UTC())
		prev = off
	}
	return out
}

// offset writes seconds east of UTC as "+0100".
func offset(sec int) string {
	sign := '+'
	if sec < 0 {
		sign, sec = '-', -sec
	}
	return fmt.Sprintf("%c%02d%02d", sign, sec/3600, sec/60%60)
}
