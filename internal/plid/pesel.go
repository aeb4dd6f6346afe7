package plid

import (
	"strings"
	"time"
)

// PESEL is a validated PESEL number with the data encoded in it.
type PESEL struct {
	// Number is the 11 digits of the PESEL.
	Number string
	// Birth is the date of birth, at midnight UTC.
	Birth time.Time
	// Female is true for a woman (even 10th digit) and false for a man
	// (odd 10th digit).
	Female bool
}

var peselWeights = []int{1, 3, 7, 9, 1, 3, 7, 9, 1, 3}

// ParsePESEL validates a PESEL (Powszechny Elektroniczny System Ewidencji
// Ludności, the Polish personal identification number) and decodes the date
// of birth and sex from it.
//
// Surrounding white space is ignored; otherwise the input must be exactly
// 11 ASCII digits ([ErrFormat]): a PESEL is never written in groups.
//
// The check digit ([ErrChecksum]) is (10 - S mod 10) mod 10, where S is the
// sum of digits 1-10 weighted 1,3,7,9,1,3,7,9,1,3. Digits 1-6 are YYMMDD,
// with the century added to the month: +80 for 1800-1899, +0 for 1900-1999,
// +20 for 2000-2099, +40 for 2100-2199 and +60 for 2200-2299. They must
// form a real calendar date, leap years included ([ErrDate]). The checksum
// is checked before the date. The date is not compared with today.
func ParsePESEL(s string) (PESEL, error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return PESEL{}, errorf(ErrEmpty, "PESEL is empty")
	}
	if !allDigits(t) {
		return PESEL{}, errorf(ErrFormat, "PESEL may contain only digits")
	}
	if len(t) != 11 {
		return PESEL{}, errorf(ErrFormat, "PESEL must have 11 digits")
	}
	if check := (10 - weightedSum(t, peselWeights)%10) % 10; t[10] != byte('0'+check) {
		return PESEL{}, errorf(ErrChecksum, "PESEL check digit does not match")
	}
	birth, ok := peselBirth(t)
	if !ok {
		return PESEL{}, errorf(ErrDate, "PESEL does not contain a valid date of birth")
	}
	return PESEL{Number: t, Birth: birth, Female: (t[9]-'0')%2 == 0}, nil
}

// peselBirth decodes the date of birth from the first 6 digits of d.
func peselBirth(d string) (time.Time, bool) {
	yy := int(d[0]-'0')*10 + int(d[1]-'0')
	mm := int(d[2]-'0')*10 + int(d[3]-'0')
	dd := int(d[4]-'0')*10 + int(d[5]-'0')
	// mm is 0..99, so mm/20 is 0..4.
	century := [5]int{1900, 2000, 2100, 2200, 1800}[mm/20]
	year, month := century+yy, time.Month(mm%20)
	if month < time.January || month > time.December {
		return time.Time{}, false
	}
	// Day 0 of the next month is the last day of this one.
	if dd < 1 || dd > time.Date(year, month+1, 0, 0, 0, 0, 0, time.UTC).Day() {
		return time.Time{}, false
	}
	return time.Date(year, month, dd, 0, 0, 0, 0, time.UTC), true
}
