// Package money implements exact arithmetic, parsing and formatting of
// amounts of money in Polish złoty.
//
// Amounts are stored as an integer number of grosze (1/100 PLN) in an
// [Amount]. Floating point is never used: not for parsing, formatting,
// percentages nor JSON.
//
// # Parsing
//
// [Parse] accepts what people type into a form, in Polish and in English
// conventions:
//
//	"1234,56"  "1 234,56"  "1\u00a0234,56"  "1.234,56"      Polish style
//	"1234.56"  "1,234.56"  "1,234,567.89"                  English style
//	"-12,5 zł"  "12zł"  "12 PLN"  "PLN 12.50"  "+3"        sign and currency
//
// The rules for telling the decimal separator from a group separator are:
//
//   - Spaces (U+0020), no-break spaces (U+00A0), narrow no-break spaces
//     (U+202F) and thin spaces (U+2009) are always group separators.
//   - The last '.' or ',' is the decimal separator when 1 or 2 digits
//     follow it and nothing else does: "1,5" is 1.50 and "1.234,5" is
//     1234.50.
//   - When 4 or more digits follow the last '.' or ',', it is a decimal
//     separator with too many decimal places: [ErrTooManyDecimals].
//   - When exactly 3 digits follow the last '.' or ',', it is a group
//     separator if the same character also occurs earlier ("1.234.567",
//     "1,234,567"). It is a decimal separator (and so
//     [ErrTooManyDecimals]) if a different separator occurs earlier
//     ("1.234,567", "1 234,567") or if the integer part is zero ("0,125",
//     ",125"). Otherwise ("1,234", "1.234", "12.500") the input is
//     rejected with [ErrAmbiguous]: it means 1234 PLN to one reader and
//     1.234 PLN to another, and silently picking one is a 1000× mistake.
//   - Groups must be well formed: the first group has 1–3 digits and does
//     not start with 0, each following group has exactly 3 digits, and only
//     one kind of group separator is used ("1 234 567" or "1.234.567", but
//     not "12 34" or "1.234 567"; all the space characters count as one
//     kind).
//   - A leading decimal separator is allowed (",5" is 0.50); a trailing one
//     is not ("12," is [ErrSyntax]).
//
// # JSON
//
// An Amount is encoded in JSON as a string holding its canonical form,
// "1234.56". When decoding, both strings and numbers are accepted; see
// [Amount.UnmarshalJSON].
//
// # VAT
//
// [GrossFromNet] and [NetFromGross] implement the VAT arithmetic of Polish
// invoices (art. 106e ust. 11 of the VAT act): the tax is computed on the
// summed net (or gross) value per rate and rounded to the nearest grosz,
// half away from zero. Callers sum the net values of all lines that share a
// rate first, then call GrossFromNet once per rate.
package money

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/bits"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Amount is an exact sum of money in grosze (1/100 PLN).
//
// The zero value is 0.00 PLN. Amounts can be added, subtracted and compared
// with the ordinary operators; the caller is responsible for overflow, which
// is not a concern for real-world sums (the range is about ±92 quadrillion
// złoty).
type Amount int64

// Exported parse errors. [Parse] and [Amount.UnmarshalJSON] return errors
// for which [errors.Is] reports true for exactly one of these.
var (
	// ErrEmpty reports that the input holds no characters other than
	// white space.
	ErrEmpty = errors.New("money: empty amount")
	// ErrSyntax reports an input that is not an amount.
	ErrSyntax = errors.New("money: invalid amount")
	// ErrTooManyDecimals reports an amount with more than 2 decimal places
	// (a fraction of a grosz).
	ErrTooManyDecimals = errors.New("money: more than 2 decimal places")
	// ErrAmbiguous reports an input such as "1,234" or "1.234" in which a
	// lone '.' or ',' followed by exactly three digits could be either a
	// decimal or a thousands separator.
	ErrAmbiguous = errors.New("money: ambiguous decimal separator")
	// ErrRange reports an amount that does not fit in an [Amount].
	ErrRange = errors.New("money: amount out of range")
)

// FromGrosze returns the amount of g grosze.
func FromGrosze(g int64) Amount { return Amount(g) }

// Grosze returns a as a number of grosze.
func (a Amount) Grosze() int64 { return int64(a) }

// abs returns |a| as an unsigned number; it is exact for math.MinInt64.
func (a Amount) abs() uint64 {
	if a < 0 {
		return uint64(-(a + 1)) + 1
	}
	return uint64(a)
}

// String returns the canonical form of a: an optional '-', the złoty
// without grouping, '.', and exactly two digits of grosze, for example
// "1234.56", "-0.05" or "0.00". [Parse] and JSON decoding accept it.
func (a Amount) String() string {
	return a.Format(0, '.')
}

// Format renders a with group between groups of three digits of the złoty
// part and decimal before the two digits of grosze. A group of 0 disables
// grouping. Negative amounts get a leading '-' (U+002D).
//
//	FromGrosze(123456).Format('\u00a0', ',') == "1\u00a0234,56"
//	FromGrosze(-123456).Format(',', '.')     == "-1,234.56"
//	FromGrosze(123456).Format(0, ',')        == "1234,56"
func (a Amount) Format(group rune, decimal rune) string {
	var buf [64]byte
	b := buf[:0]
	if a < 0 {
		b = append(b, '-')
	}
	u := a.abs()
	b = appendGrouped(b, u/100, group)
	b = utf8.AppendRune(b, decimal)
	frac := u % 100
	b = append(b, byte('0'+frac/10), byte('0'+frac%10))
	return string(b)
}

// appendGrouped appends the decimal digits of u to b, inserting group
// between groups of three digits unless group is 0.
func appendGrouped(b []byte, u uint64, group rune) []byte {
	var digits [20]byte
	i := len(digits)
	for {
		i--
		digits[i] = byte('0' + u%10)
		u /= 10
		if u == 0 {
			break
		}
	}
	d := digits[i:]
	if group == 0 {
		return append(b, d...)
	}
	first := len(d) % 3
	if first == 0 {
		first = 3
	}
	b = append(b, d[:first]...)
	for j := first; j < len(d); j += 3 {
		b = utf8.AppendRune(b, group)
		b = append(b, d[j:j+3]...)
	}
	return b
}

// isGroupSpace reports whether r is one of the space characters accepted
// as a group separator.
func isGroupSpace(r rune) bool {
	switch r {
	case ' ', '\u00a0', '\u202f', '\u2009':
		return true
	}
	return false
}

// currencies lists the currency markers Parse accepts before or after the
// number, compared case-insensitively. "zl" is what people type without
// Polish letters.
var currencies = []string{"zł", "zl", "pln"}

// trimCurrencyPrefix removes a currency marker at the start of s.
func trimCurrencyPrefix(s string) (string, bool) {
	for _, c := range currencies {
		if len(s) >= len(c) && strings.EqualFold(s[:len(c)], c) {
			return s[len(c):], true
		}
	}
	return s, false
}

// trimCurrencySuffix removes a currency marker at the end of s.
func trimCurrencySuffix(s string) (string, bool) {
	for _, c := range currencies {
		if len(s) >= len(c) && strings.EqualFold(s[len(s)-len(c):], c) {
			return s[:len(s)-len(c)], true
		}
	}
	return s, false
}

// trimSign removes a leading '+', '-' or '−' (U+2212 MINUS SIGN).
func trimSign(s string) (rest string, neg, ok bool) {
	switch {
	case strings.HasPrefix(s, "-"):
		return s[1:], true, true
	case strings.HasPrefix(s, "\u2212"):
		return s[len("\u2212"):], true, true
	case strings.HasPrefix(s, "+"):
		return s[1:], false, true
	}
	return s, false, false
}

// Parse parses an amount typed by a person, as described in the package
// documentation. Surrounding white space is ignored. The number may be
// preceded by a sign ('-', '+' or U+2212) and preceded or followed by a
// currency marker ("zł", "zl" or "PLN", in any case, with or without a space
// in between), as in "-1 234,56 zł", "12zł" or "-PLN 1,234.56".
//
// The error is one of [ErrEmpty], [ErrSyntax], [ErrTooManyDecimals],
// [ErrAmbiguous] or [ErrRange].
func Parse(s string) (Amount, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, ErrEmpty
	}
	s, neg, signed := trimSign(s)
	s, prefixed := trimCurrencyPrefix(s)
	if prefixed {
		s = strings.TrimLeftFunc(s, unicode.IsSpace)
		if !signed {
			s, neg, _ = trimSign(s)
		}
	} else {
		var suffixed bool
		if s, suffixed = trimCurrencySuffix(s); suffixed {
			s = strings.TrimRightFunc(s, unicode.IsSpace)
		}
	}
	g, err := parseNumber(s, neg)
	if err != nil {
		return 0, err
	}
	return Amount(g), nil
}

// run is a maximal sequence of ASCII digits in the number being parsed,
// together with the separator that precedes it (0 for the first run).
type run struct {
	sep    rune // the separator before the run; ' ' stands for any space
	digits string
}

// parseNumber parses an unsigned number with group and decimal separators
// and returns it in grosze, negated if neg.
func parseNumber(s string, neg bool) (int64, error) {
	if s == "" {
		return 0, ErrSyntax
	}
	// Split s into runs of digits separated by exactly one separator.
	var stack [8]run
	runs := stack[:0]
	var sep rune
	start := 0
	for i, r := range s {
		if r >= '0' && r <= '9' {
			continue
		}
		norm := r
		switch {
		case r == '.' || r == ',':
		case isGroupSpace(r):
			norm = ' '
		default:
			return 0, ErrSyntax
		}
		if i == start && (i != 0 || norm == ' ') {
			// Two separators in a row, or a leading group separator.
			return 0, ErrSyntax
		}
		runs = append(runs, run{sep: sep, digits: s[start:i]})
		sep = norm
		start = i + utf8.RuneLen(r)
	}
	if start == len(s) {
		return 0, ErrSyntax // trailing separator
	}
	runs = append(runs, run{sep: sep, digits: s[start:]})

	intRuns, frac, err := splitDecimal(runs)
	if err != nil {
		return 0, err
	}
	if err := checkGroups(intRuns); err != nil {
		return 0, err
	}

	limit := uint64(math.MaxInt64)
	if neg {
		limit++
	}
	var u uint64
	for _, r := range intRuns {
		for i := 0; i < len(r.digits); i++ {
			d := uint64(r.digits[i] - '0')
			if u > (limit-d)/10 {
				return 0, ErrRange
			}
			u = u*10 + d
		}
	}
	// Append the two digits of grosze.
	var f uint64
	switch len(frac) {
	case 1:
		f = uint64(frac[0]-'0') * 10
	case 2:
		f = uint64(frac[0]-'0')*10 + uint64(frac[1]-'0')
	}
	if u > (limit-f)/100 {
		return 0, ErrRange
	}
	u = u*100 + f
	if neg {
		return -int64(u-1) - 1, nil
	}
	return int64(u), nil
}

// splitDecimal decides which separator, if any, is the decimal separator
// and returns the runs of the integer part and the digits of the fraction.
func splitDecimal(runs []run) (intRuns []run, frac string, err error) {
	last := runs[len(runs)-1]
	if last.sep != '.' && last.sep != ',' {
		return runs, "", nil // no '.' or ',' at the end: all integer
	}
	intRuns = runs[:len(runs)-1]
	n := len(last.digits)
	if n != 3 {
		// The decimal separator cannot also be a group separator.
		for _, r := range intRuns[1:] {
			if r.sep == last.sep {
				return nil, "", ErrSyntax
			}
		}
	}
	switch {
	case n <= 2:
		return intRuns, last.digits, nil
	case n > 3:
		return nil, "", ErrTooManyDecimals
	}
	// Exactly three digits follow the last '.' or ','.
	sameBefore, otherBefore := false, false
	for _, r := range intRuns[1:] {
		if r.sep == last.sep {
			sameBefore = true
		} else {
			otherBefore = true
		}
	}
	switch {
	case sameBefore && !otherBefore:
		return runs, "", nil // "1.234.567": grouping
	case sameBefore:
		return nil, "", ErrSyntax // "1 234.567.890" and the like
	case otherBefore:
		return nil, "", ErrTooManyDecimals // "1.234,567", "1 234,567"
	case strings.Trim(intRuns[0].digits, "0") == "":
		return nil, "", ErrTooManyDecimals // "0,125", ",125"
	}
	return nil, "", ErrAmbiguous // "1,234", "1.234"
}

// checkGroups validates the grouping of the integer part.
func checkGroups(runs []run) error {
	if len(runs) == 1 {
		return nil // ungrouped (or empty, as in ",5")
	}
	first := runs[0].digits
	if len(first) == 0 || len(first) > 3 || first[0] == '0' {
		return ErrSyntax
	}
	sep := runs[1].sep
	for _, r := range runs[1:] {
		if r.sep != sep || len(r.digits) != 3 {
			return ErrSyntax
		}
	}
	return nil
}

// MarshalJSON encodes a as a JSON string holding its canonical form, such
// as "1234.56". Strings, unlike numbers, survive JavaScript and other
// float-based JSON decoders unchanged.
func (a Amount) MarshalJSON() ([]byte, error) {
	var buf [32]byte
	b := append(buf[:0], '"')
	b = append(b, a.String()...)
	return append(b, '"'), nil
}

// UnmarshalJSON decodes an amount from a JSON string or a JSON number. The
// decimal text is parsed exactly, never through a float: 12.5, "12.5",
// 1250e-2 and "12.50" all decode to 12.50 PLN. Fraction digits beyond the
// second are accepted only if they are zeros (12.500), otherwise the error
// wraps [ErrTooManyDecimals]. The text inside a string must follow the
// JSON number grammar (no grouping, no currency, '.' as the decimal
// separator); use [Parse] for human input. JSON null leaves a unchanged.
func (a *Amount) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	text := string(data)
	if text == "null" {
		return nil
	}
	if len(data) > 0 && data[0] == '"' {
		if err := json.Unmarshal(data, &text); err != nil {
			return fmt.Errorf("money: decoding JSON amount: %w", ErrSyntax)
		}
	}
	v, err := parseExact(text)
	if err != nil {
		return fmt.Errorf("money: decoding JSON amount: %w", err)
	}
	*a = v
	return nil
}

// parseExact parses s, which must follow the JSON number grammar, into
// grosze without rounding.
func parseExact(s string) (Amount, error) {
	if s == "" {
		return 0, ErrEmpty
	}
	i := 0
	neg := s[0] == '-'
	if neg {
		i++
	}
	// Integer part: "0" or a non-zero digit followed by digits.
	intStart := i
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	intPart := s[intStart:i]
	if intPart == "" || (len(intPart) > 1 && intPart[0] == '0') {
		return 0, ErrSyntax
	}
	var fracPart string
	if i < len(s) && s[i] == '.' {
		i++
		fracStart := i
		for i < len(s) && isDigit(s[i]) {
			i++
		}
		fracPart = s[fracStart:i]
		if fracPart == "" {
			return 0, ErrSyntax
		}
	}
	exp := 0
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		expNeg := false
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			expNeg = s[i] == '-'
			i++
		}
		expStart := i
		for i < len(s) && isDigit(s[i]) {
			// Saturate: exponents this large are out of range anyway, and
			// saturation keeps huge exponents from overflowing int.
			if exp < 1e6 {
				exp = exp*10 + int(s[i]-'0')
			}
			i++
		}
		if i == expStart {
			return 0, ErrSyntax
		}
		if expNeg {
			exp = -exp
		}
	}
	if i != len(s) {
		return 0, ErrSyntax
	}

	// The value is digits × 10^shift grosze.
	digits := strings.TrimLeft(intPart+fracPart, "0")
	if digits == "" {
		return 0, nil
	}
	shift := exp + 2 - len(fracPart)
	if shift < 0 {
		// The last -shift digits are fractions of a grosz: they must be 0.
		if -shift > len(digits) {
			return 0, ErrTooManyDecimals
		}
		cut := len(digits) + shift
		if strings.Trim(digits[cut:], "0") != "" {
			return 0, ErrTooManyDecimals
		}
		digits, shift = digits[:cut], 0
		if digits == "" {
			return 0, nil
		}
	}
	if len(digits)+shift > 19 {
		return 0, ErrRange
	}
	limit := uint64(math.MaxInt64)
	if neg {
		limit++
	}
	var u uint64
	for j := 0; j < len(digits)+shift; j++ {
		var d uint64
		if j < len(digits) {
			d = uint64(digits[j] - '0')
		}
		if u > (limit-d)/10 {
			return 0, ErrRange
		}
		u = u*10 + d
	}
	if neg {
		return Amount(-int64(u-1) - 1), nil
	}
	return Amount(u), nil
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// Rate is a VAT (or any other) percentage in hundredths of a percent:
// 2300 is 23%, 850 is 8.5%.
type Rate int64

// The Polish VAT rates.
const (
	VAT23 Rate = 2300
	VAT8  Rate = 800
	VAT5  Rate = 500
	VAT0  Rate = 0
)

// String returns r as a percentage without trailing zeros, such as "23%"
// or "8.5%".
func (r Rate) String() string {
	s := Amount(r).String() // same scale: hundredths
	s = strings.TrimSuffix(s, ".00")
	if strings.Contains(s, ".") {
		s = strings.TrimSuffix(s, "0")
	}
	return s + "%"
}

// abs returns |r| as an unsigned number.
func (r Rate) abs() uint64 { return Amount(r).abs() }

// PercentOf returns r percent of a, that is a × r / 10000, rounded to the
// nearest grosz with halves rounded away from zero (0.005 → 0.01,
// −0.005 → −0.01).
//
// The computation is exact: the product is formed in 128 bits with
// [math/bits], so no intermediate result can overflow. PercentOf panics if
// the result itself does not fit in an Amount, which for rates of at most
// 100% cannot happen.
func (a Amount) PercentOf(r Rate) Amount {
	hi, lo := bits.Mul64(a.abs(), r.abs())
	q, ok := divRound(hi, lo, 10000)
	if !ok {
		panic(fmt.Sprintf("money: %v × %v overflows", a, r))
	}
	return signed(q, (a < 0) != (r < 0), "PercentOf")
}

// divRound returns (hi:lo) / d rounded half away from zero, or false if
// the quotient does not fit in 64 bits. d must not be 0.
func divRound(hi, lo, d uint64) (uint64, bool) {
	if hi >= d {
		return 0, false
	}
	q, rem := bits.Div64(hi, lo, d)
	if rem >= d-rem { // rem*2 >= d without overflowing
		if q == math.MaxUint64 {
			return 0, false
		}
		q++
	}
	return q, true
}

// signed returns the magnitude u with the given sign, panicking with a
// message naming op if it does not fit in an Amount.
func signed(u uint64, neg bool, op string) Amount {
	if neg {
		if u > 1<<63 {
			panic("money: " + op + " overflows")
		}
		return Amount(-int64(u-1) - 1)
	}
	if u > math.MaxInt64 {
		panic("money: " + op + " overflows")
	}
	return Amount(u)
}

// add returns a+b, panicking on overflow.
func add(a, b Amount, op string) Amount {
	s := a + b
	if (s > a) != (b > 0) {
		panic("money: " + op + " overflows")
	}
	return s
}

// sub returns a-b, panicking on overflow.
func sub(a, b Amount, op string) Amount {
	d := a - b
	if (d < a) != (b > 0) {
		panic("money: " + op + " overflows")
	}
	return d
}

// GrossFromNet computes the VAT due on the net amount net at rate r and the
// resulting gross amount: vat = net × r / 10000 rounded half away from zero
// (see [Amount.PercentOf]), gross = net + vat.
//
// Per art. 106e ust. 11 net must be the sum of all net amounts of an
// invoice taxed at rate r, not a single line. GrossFromNet panics on
// overflow, which cannot happen for rates between 0 and 100%.
func GrossFromNet(net Amount, r Rate) (vat, gross Amount) {
	vat = net.PercentOf(r)
	return vat, add(net, vat, "GrossFromNet")
}

// NetFromGross splits the gross amount gross taxed at rate r into its net
// amount and VAT: net = gross × 10000 / (10000 + r) rounded half away from
// zero, vat = gross − net. This is the "od brutto" method of art. 106e
// ust. 11; gross should be the sum of the gross amounts at rate r.
//
// The computation is exact (128-bit intermediate). NetFromGross panics if
// r ≤ −10000 (−100%) or on overflow, which cannot happen for r ≥ 0.
func NetFromGross(gross Amount, r Rate) (net, vat Amount) {
	if r <= -10000 || r > math.MaxInt64-10000 {
		panic(fmt.Sprintf("money: NetFromGross: invalid rate %v", r))
	}
	hi, lo := bits.Mul64(gross.abs(), 10000)
	q, ok := divRound(hi, lo, uint64(10000+r))
	if !ok {
		panic("money: NetFromGross overflows")
	}
	net = signed(q, gross < 0, "NetFromGross")
	return net, sub(gross, net, "NetFromGross")
}
