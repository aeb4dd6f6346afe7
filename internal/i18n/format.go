package i18n

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"klientela/internal/money"
)

// category is a CLDR plural category. Only the categories used by the
// supported languages are listed.
type category uint8

const (
	catOne category = iota
	catFew
	catMany
	catOther
	numCategories
)

var categoryNames = [numCategories]string{"one", "few", "many", "other"}

func categoryByName(name string) (category, bool) {
	for c, n := range categoryNames {
		if n == name {
			return category(c), true
		}
	}
	return 0, false
}

const nbsp = '\u00a0'

// locale holds the formatting conventions of a language.
type locale struct {
	lang Lang
	// categories are the plural categories a plural message must have.
	categories []category
	// plural returns the category of the integer |n|.
	plural func(n uint64) category

	group, decimal rune
	// minGrouping is CLDR minimumGroupingDigits: numbers are grouped only
	// if the integer part has at least minGrouping+3 digits.
	minGrouping int

	// moneyPrefix and moneySuffix surround an amount in złoty.
	moneyPrefix, moneySuffix string

	dateLayout string // for time.Format
	// monthsLong are used in LongDate, months in MonthYear; in Polish the
	// former are in the genitive and the latter in the nominative case.
	months, monthsLong [12]string
	weekdays           [7]string // indexed by time.Weekday
	weekdaysShort      [7]string
}

func (loc *locale) categoryNames() string {
	names := make([]string, len(loc.categories))
	for i, c := range loc.categories {
		names[i] = categoryNames[c]
	}
	return strings.Join(names, ", ")
}

var locales = map[Lang]*locale{
	PL: {
		lang:       PL,
		categories: []category{catOne, catFew, catMany, catOther},
		plural:     pluralPL,
		// CLDR pl: group U+00A0, decimal ',', minimumGroupingDigits 2.
		group:       nbsp,
		decimal:     ',',
		minGrouping: 2,
		moneySuffix: "\u00a0zł",
		dateLayout:  "02.01.2006",
		months: [12]string{
			"styczeń", "luty", "marzec", "kwiecień", "maj", "czerwiec",
			"lipiec", "sierpień", "wrzesień", "październik", "listopad", "grudzień",
		},
		monthsLong: [12]string{
			"stycznia", "lutego", "marca", "kwietnia", "maja", "czerwca",
			"lipca", "sierpnia", "września", "października", "listopada", "grudnia",
		},
		weekdays: [7]string{
			"niedziela", "poniedziałek", "wtorek", "środa", "czwartek", "piątek", "sobota",
		},
		weekdaysShort: [7]string{"nd", "pn", "wt", "śr", "cz", "pt", "so"},
	},
	EN: {
		lang:       EN,
		categories: []category{catOne, catOther},
		plural:     pluralEN,
		// CLDR en: group ',', decimal '.', minimumGroupingDigits 1.
		group:       ',',
		decimal:     '.',
		minGrouping: 1,
		moneyPrefix: "PLN\u00a0",
		dateLayout:  "02/01/2006", // day first, as in en-GB
		months:      enMonths,
		monthsLong:  enMonths,
		weekdays: [7]string{
			"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
		},
		weekdaysShort: [7]string{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"},
	},
}

var enMonths = [12]string{
	"January", "February", "March", "April", "May", "June",
	"July", "August", "September", "October", "November", "December",
}

// pluralPL implements the CLDR Polish rules for integers:
//
//	one:  i = 1
//	few:  i % 10 = 2..4 and i % 100 != 12..14
//	many: everything else (other is for fractions only)
func pluralPL(n uint64) category {
	if n == 1 {
		return catOne
	}
	if d, dd := n%10, n%100; d >= 2 && d <= 4 && (dd < 12 || dd > 14) {
		return catFew
	}
	return catMany
}

// pluralEN implements the CLDR English rules for integers.
func pluralEN(n uint64) category {
	if n == 1 {
		return catOne
	}
	return catOther
}

// The formatting methods below format t as it is: the caller converts it
// to the account's time zone first (t.In(loc)).

// Date formats the date of t: "26.11.2026" in Polish, "26/11/2026" in
// English.
func (l *Localizer) Date(t time.Time) string {
	return t.Format(l.loc.dateLayout)
}

// Time formats the time of day of t on the 24-hour clock: "14:30" in both
// languages.
func (l *Localizer) Time(t time.Time) string {
	return t.Format("15:04")
}

// DateTime formats t as its date and time: "26.11.2026 14:30" in Polish,
// "26/11/2026 14:30" in English.
func (l *Localizer) DateTime(t time.Time) string {
	return t.Format(l.loc.dateLayout + " 15:04")
}

// LongDate formats the date of t with the weekday and month names:
// "sobota, 28 listopada 2026" in Polish (month in the genitive case),
// "Saturday, 28 November 2026" in English.
func (l *Localizer) LongDate(t time.Time) string {
	y, m, d := t.Date()
	var b strings.Builder
	b.WriteString(l.loc.weekdays[t.Weekday()])
	b.WriteString(", ")
	b.WriteString(strconv.Itoa(d))
	b.WriteByte(' ')
	b.WriteString(l.loc.monthsLong[m-1])
	b.WriteByte(' ')
	b.WriteString(strconv.Itoa(y))
	return b.String()
}

// MonthYear formats the month of t: "listopad 2026" in Polish (month in the
// nominative case), "November 2026" in English.
func (l *Localizer) MonthYear(t time.Time) string {
	y, m, _ := t.Date()
	return l.loc.months[m-1] + " " + strconv.Itoa(y)
}

// Weekday returns the name of d: "poniedziałek" in Polish, "Monday" in
// English. Out-of-range values give "".
func (l *Localizer) Weekday(d time.Weekday) string {
	if d < time.Sunday || d > time.Saturday {
		return ""
	}
	return l.loc.weekdays[d]
}

// WeekdayShort returns the short name of d for calendar headers: "pn",
// "wt", "śr", "cz", "pt", "so", "nd" in Polish, "Mon" … "Sun" in English.
// Out-of-range values give "".
func (l *Localizer) WeekdayShort(d time.Weekday) string {
	if d < time.Sunday || d > time.Saturday {
		return ""
	}
	return l.loc.weekdaysShort[d]
}

// Int formats n with the grouping of the language: "12\u00a0345" in Polish,
// "12,345" in English. Following CLDR, Polish groups only numbers of five
// digits or more (minimumGroupingDigits = 2): "1234" but "12\u00a0345".
// Negative numbers get a leading '-' (U+002D).
func (l *Localizer) Int(n int64) string {
	var buf [32]byte
	b := buf[:0]
	if n < 0 {
		b = append(b, '-')
	}
	b = l.appendGrouped(b, absInt(n))
	return string(b)
}

// appendGrouped appends u with the grouping of the language.
func (l *Localizer) appendGrouped(b []byte, u uint64) []byte {
	var tmp [20]byte
	d := strconv.AppendUint(tmp[:0], u, 10)
	if len(d) < l.loc.minGrouping+3 {
		return append(b, d...)
	}
	first := len(d) % 3
	if first == 0 {
		first = 3
	}
	b = append(b, d[:first]...)
	for i := first; i < len(d); i += 3 {
		b = utf8.AppendRune(b, l.loc.group)
		b = append(b, d[i:i+3]...)
	}
	return b
}

// Money formats an amount in złoty following CLDR:
//
//	pl: "1234,56\u00a0zł", "12\u00a0345,67\u00a0zł", "-1234,56\u00a0zł"
//	en: "PLN\u00a01,234.56", "-PLN\u00a01,234.56"
//
// Polish groups the złoty only from five digits on, as [Localizer.Int]
// does. A no-break space separates the currency from the number in both
// languages, so that they never end up on different lines.
func (l *Localizer) Money(a money.Amount) string {
	var buf [48]byte
	b := buf[:0]
	if a < 0 {
		b = append(b, '-')
	}
	b = append(b, l.loc.moneyPrefix...)
	g := absInt(a.Grosze())
	b = l.appendGrouped(b, g/100)
	b = utf8.AppendRune(b, l.loc.decimal)
	b = append(b, byte('0'+g%100/10), byte('0'+g%10))
	b = append(b, l.loc.moneySuffix...)
	return string(b)
}
