package plid

import "strings"

var (
	regon9Weights  = []int{8, 9, 2, 3, 4, 5, 6, 7}
	regon14Weights = []int{2, 4, 8, 5, 0, 9, 7, 3, 6, 1, 2, 4, 8}
)

// regonCheckOK reports whether the last digit of d is the REGON check digit
// for the digits before it: their weighted sum modulo 11, where 10 counts
// as 0.
func regonCheckOK(d string, weights []int) bool {
	check := weightedSum(d, weights) % 11
	if check == 10 {
		check = 0
	}
	return d[len(weights)] == byte('0'+check)
}

// ParseREGON validates a REGON (the statistical number of the GUS business
// register) and returns its bare digits.
//
// It accepts surrounding white space and spaces or dashes between the
// digits. A REGON has 9 digits (an entity) or 14 digits (a local unit of an
// entity); any other length, or a character other than a digit, is
// [ErrFormat].
//
// Check digits ([ErrChecksum] on mismatch): for 9 digits, digits 1-8
// weighted 8,9,2,3,4,5,6,7; for 14 digits, the first 9 digits must
// themselves be a valid REGON-9 (the parent entity), and digits 1-13
// weighted 2,4,8,5,0,9,7,3,6,1,2,4,8 give the 14th. In both cases the check
// digit is the weighted sum modulo 11, with 10 replaced by 0.
func ParseREGON(s string) (string, error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return "", errorf(ErrEmpty, "REGON is empty")
	}
	d, ok := compact(t)
	if !ok || !allDigits(d) {
		return "", errorf(ErrFormat, "REGON may contain only digits, spaces and dashes")
	}
	if len(d) != 9 && len(d) != 14 {
		return "", errorf(ErrFormat, "REGON must have 9 or 14 digits")
	}
	if !regonCheckOK(d[:9], regon9Weights) {
		return "", errorf(ErrChecksum, "REGON check digit (9th digit) does not match")
	}
	if len(d) == 14 && !regonCheckOK(d, regon14Weights) {
		return "", errorf(ErrChecksum, "REGON check digit (14th digit) does not match")
	}
	return d, nil
}
