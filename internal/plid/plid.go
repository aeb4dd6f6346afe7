// Package plid validates, normalises and formats Polish identifiers:
//
//   - NIP, the tax identification number ([ParseNIP], [FormatNIP]);
//   - REGON, the statistical business number ([ParseREGON]);
//   - PESEL, the personal identification number ([ParsePESEL]);
//   - NRB and IBAN bank account numbers ([ParseBankAccount]);
//   - postal codes ([ParsePostalCode]).
//
// All functions are pure, safe for concurrent use and never panic, whatever
// the input. Parse functions accept what people type or paste into a form
// (surrounding white space, and for NIP, REGON and bank accounts, spaces and
// dashes between the digits) and return a canonical form.
//
// # Errors
//
// Every error returned by a Parse function wraps exactly one of the
// sentinels [ErrEmpty], [ErrFormat], [ErrChecksum] or [ErrDate]; test for
// them with [errors.Is] and map them to user-facing messages. The error
// text is meant for logs: it says what is wrong but never repeats the input
// (a PESEL is personal data).
//
// Checks run in this order, and the first failing one decides the error:
// empty input, format (characters, length and fixed structure), checksum,
// and for PESEL the birth date last.
package plid

import (
	"errors"
	"unicode/utf8"
)

// Sentinel errors. They are distinct, so a caller can show a message for
// each kind.
var (
	// ErrEmpty reports an input that is empty or white space only.
	ErrEmpty = errors.New("plid: empty")
	// ErrFormat reports an input with the wrong length, characters or
	// structure (for example an unknown IBAN country or a NIP starting
	// with 0).
	ErrFormat = errors.New("plid: invalid format")
	// ErrChecksum reports an input whose check digit(s) do not match.
	ErrChecksum = errors.New("plid: invalid checksum")
	// ErrDate reports a PESEL whose date part is not a real calendar date.
	ErrDate = errors.New("plid: invalid date")
)

// plidError is an error with a descriptive message that wraps one of the
// sentinels.
type plidError struct {
	kind error
	msg  string
}

func (e *plidError) Error() string { return "plid: " + e.msg }
func (e *plidError) Unwrap() error { return e.kind }

func errorf(kind error, msg string) error { return &plidError{kind: kind, msg: msg} }

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isUpper(c byte) bool { return c >= 'A' && c <= 'Z' }

// allDigits reports whether s is non-empty and consists of ASCII digits only.
func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

// isSeparator reports whether r may separate groups of digits: spaces (also
// tabs and the no-break spaces that come with text pasted from PDFs and web
// pages), the ASCII hyphen-minus and the Unicode hyphens and dashes that word
// processors substitute for it.
func isSeparator(r rune) bool {
	switch r {
	case ' ', '\t', '-',
		'\u00a0', // no-break space
		'\u2009', // thin space
		'\u202f', // narrow no-break space
		'\u2010', // hyphen
		'\u2011', // non-breaking hyphen
		'\u2012', // figure dash
		'\u2013', // en dash
		'\u2212': // minus sign
		return true
	}
	return false
}

// compact removes separators from s and upper-cases ASCII letters. It
// reports false if s contains anything but separators, ASCII digits and
// ASCII letters.
func compact(s string) (string, bool) {
	b := make([]byte, 0, len(s))
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9', r >= 'A' && r <= 'Z':
			b = append(b, byte(r))
		case r >= 'a' && r <= 'z':
			b = append(b, byte(r-'a'+'A'))
		case isSeparator(r):
		default:
			return "", false
		}
	}
	return string(b), true
}

// trimCountryPL removes a leading "PL" (any case) from s.
func trimCountryPL(s string) string {
	if len(s) >= 2 && (s[0] == 'P' || s[0] == 'p') && (s[1] == 'L' || s[1] == 'l') {
		return s[2:]
	}
	return s
}

// weightedSum returns the sum of the digits of d multiplied by weights
// (d must hold at least len(weights) ASCII digits).
func weightedSum(d string, weights []int) int {
	sum := 0
	for i, w := range weights {
		sum += int(d[i]-'0') * w
	}
	return sum
}

// groupRunes returns s split into groups of n runes joined by single spaces.
func groupRunes(s string, n int) string {
	b := make([]byte, 0, len(s)+len(s)/n)
	count := 0
	for _, r := range s {
		if count > 0 && count%n == 0 {
			b = append(b, ' ')
		}
		b = utf8.AppendRune(b, r)
		count++
	}
	return string(b)
}
