package plid

import (
	"strings"
	"unicode/utf8"
)

// ParsePostalCode validates a Polish postal code and returns it in the
// canonical form NN-NNN.
//
// It accepts surrounding white space and "NN-NNN", "NNNNN" or the two groups
// separated by a single space or dash-like character ("31 001", "31–001").
// Anything else is [ErrFormat]. Only the form is checked: there is no
// checksum, and whether the code is actually assigned is not known here.
func ParsePostalCode(s string) (string, error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return "", errorf(ErrEmpty, "postal code is empty")
	}
	if len(t) == 5 && allDigits(t) {
		return t[:2] + "-" + t[2:], nil
	}
	if len(t) > 5 && allDigits(t[:2]) {
		r, size := utf8.DecodeRuneInString(t[2:])
		if rest := t[2+size:]; isSeparator(r) && len(rest) == 3 && allDigits(rest) {
			return t[:2] + "-" + rest, nil
		}
	}
	return "", errorf(ErrFormat, "postal code must have the form NN-NNN")
}
