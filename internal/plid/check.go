package plid

import (
	"fmt"
	"time"
)

// Check digits for making identifiers (demo data, test fixtures). Each takes
// the digits before the check digit and returns the full identifier; they
// do not check their input beyond its length and digits.

// CompleteNIP appends the check digit to the first 9 digits of a NIP. ok is
// false when no NIP starts with those digits (not a tax office code, or the
// weighted sum gives 10) or the input is not 9 digits.
func CompleteNIP(first9 string) (nip string, ok bool) {
	if len(first9) != 9 || !allDigits(first9) || first9[0] == '0' || (first9[1] == '0' && first9[2] == '0') {
		return "", false
	}
	check := weightedSum(first9+"0", nipWeights) % 11
	if check == 10 {
		return "", false
	}
	return first9 + string(rune('0'+check)), true
}

// CompleteREGON appends the check digit to the first 8 digits of a 9-digit
// REGON ("" when the input is not 8 digits).
func CompleteREGON(first8 string) string {
	if len(first8) != 8 || !allDigits(first8) {
		return ""
	}
	check := weightedSum(first8+"0", regon9Weights) % 11
	if check == 10 {
		check = 0
	}
	return first8 + string(rune('0'+check))
}

// MakePESEL builds the PESEL of a person born on birth (1800–2299), with
// serial (0–999, the 7th–9th digits) and the sex digit (10th: even for a
// woman, odd for a man) chosen by sexDigit's parity.
func MakePESEL(birth time.Time, serial, sexDigit int, female bool) string {
	y, m, d := birth.Date()
	month := int(m) + map[int]int{18: 80, 19: 0, 20: 20, 21: 40, 22: 60}[y/100]
	sex := sexDigit % 10
	if (sex%2 == 0) != female {
		sex = (sex + 1) % 10
	}
	first10 := fmt.Sprintf("%02d%02d%02d%03d%d", y%100, month, d, serial%1000, sex)
	check := (10 - weightedSum(first10, peselWeights)%10) % 10
	return first10 + string(rune('0'+check))
}
