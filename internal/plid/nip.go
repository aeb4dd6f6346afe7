package plid

import "strings"

var nipWeights = []int{6, 5, 7, 2, 3, 4, 5, 6, 7}

// ParseNIP validates a NIP (Numer Identyfikacji Podatkowej, the Polish tax
// identification number) and returns its 10 bare digits.
//
// It accepts surrounding white space, an optional "PL" prefix in any case
// (the EU VAT form) and spaces or dashes anywhere between the digits, so
// "123-456-32-18", "123 456 32 18", "PL1234563218" and
// "pl 123-45-63-218" all give "1234563218".
//
// Rules: exactly 10 digits ([ErrFormat] otherwise); the first three digits,
// the tax office code, must match the KSeF TNrNIP pattern
// [1-9]((\d[1-9])|([1-9]\d)), i.e. not start with 0 and not have 0 as both
// second and third digit ([ErrFormat]; this rejects "0000000000", which
// passes the checksum); and the digits 1-9 weighted 6,5,7,2,3,4,5,6,7 must
// sum, modulo 11, to the 10th digit ([ErrChecksum]; a sum giving 10 is never
// valid).
func ParseNIP(s string) (string, error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return "", errorf(ErrEmpty, "NIP is empty")
	}
	d, ok := compact(trimCountryPL(t))
	if !ok || !allDigits(d) {
		return "", errorf(ErrFormat, "NIP may contain only digits, spaces, dashes and a leading PL")
	}
	if len(d) != 10 {
		return "", errorf(ErrFormat, "NIP must have 10 digits")
	}
	if d[0] == '0' || (d[1] == '0' && d[2] == '0') {
		return "", errorf(ErrFormat, "NIP does not start with a valid tax office code")
	}
	if check := weightedSum(d, nipWeights) % 11; check == 10 || d[9] != byte('0'+check) {
		return "", errorf(ErrChecksum, "NIP check digit does not match")
	}
	return d, nil
}

// FormatNIP formats a NIP given as 10 bare digits (as returned by
// [ParseNIP]) in the usual Polish grouping: "1234563218" becomes
// "123-456-32-18". It does not verify the checksum. Any other input is
// returned unchanged.
func FormatNIP(digits string) string {
	if len(digits) != 10 || !allDigits(digits) {
		return digits
	}
	return digits[:3] + "-" + digits[3:6] + "-" + digits[6:8] + "-" + digits[8:]
}
