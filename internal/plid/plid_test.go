package plid

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

var sentinels = []error{ErrEmpty, ErrFormat, ErrChecksum, ErrDate}

// checkErr asserts that err wraps want and no other sentinel (want nil
// means no error).
func checkErr(t *testing.T, what string, err, want error) {
	t.Helper()
	if want == nil {
		if err != nil {
			t.Errorf("%s: unexpected error %v", what, err)
		}
		return
	}
	for _, s := range sentinels {
		if errors.Is(err, s) != (s == want) {
			t.Errorf("%s: error %v, want %v", what, err, want)
			return
		}
	}
}

func TestSentinelsDistinct(t *testing.T) {
	for i, a := range sentinels {
		for j, b := range sentinels {
			if i != j && (a == b || errors.Is(a, b) || a.Error() == b.Error()) {
				t.Errorf("%v and %v are not distinct", a, b)
			}
		}
	}
}

func TestParseNIP(t *testing.T) {
	tests := []struct {
		in   string
		want string
		err  error
	}{
		{"1234563218", "1234563218", nil},
		{"123-456-32-18", "1234563218", nil},
		{"123 456 32 18", "1234563218", nil},
		{"PL1234563218", "1234563218", nil},
		{"pl 123-45-63-218", "1234563218", nil},
		{"Pl-123-456-32-18", "1234563218", nil},
		{"  123-456-32-18\t\n", "1234563218", nil},
		{"\u00a0123\u00a0456\u00a032\u00a018\u00a0", "1234563218", nil}, // no-break spaces
		{"123–456–32–18", "1234563218", nil},                            // en dashes
		{"1111111111", "1111111111", nil},                               // repdigits pass the checksum (45 ≡ 1 mod 11)

		{"", "", ErrEmpty},
		{" \t\u00a0", "", ErrEmpty},
		{"PL", "", ErrFormat},
		{"--", "", ErrFormat},
		{"PLPL1234563218", "", ErrFormat},
		{"DE1234563218", "", ErrFormat},
		{"1234563218PL", "", ErrFormat},
		{"123456321", "", ErrFormat},
		{"12345632180", "", ErrFormat},
		{"123.456.32.18", "", ErrFormat},
		{"123/456/32/18", "", ErrFormat},
		{"１２３４５６３２１８", "", ErrFormat}, // full-width digits
		{"0234563218", "", ErrFormat}, // tax office code starts with 0
		{"1004563218", "", ErrFormat}, // tax office code x00
		{"0000000000", "", ErrFormat},
		{"1234563219", "", ErrChecksum},
		{"\xff1234563218", "", ErrFormat},
	}
	for _, tt := range tests {
		got, err := ParseNIP(tt.in)
		checkErr(t, "ParseNIP("+tt.in+")", err, tt.err)
		if got != tt.want {
			t.Errorf("ParseNIP(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestParseNIPCheckTen: digits 1-9 of 123456789x weigh 230 ≡ 10 (mod 11),
// which no check digit matches.
func TestParseNIPCheckTen(t *testing.T) {
	for c := '0'; c <= '9'; c++ {
		in := "123456789" + string(c)
		_, err := ParseNIP(in)
		checkErr(t, "ParseNIP("+in+")", err, ErrChecksum)
	}
}

func TestFormatNIP(t *testing.T) {
	for in, want := range map[string]string{
		"1234563218":    "123-456-32-18",
		"0000000000":    "000-000-00-00",
		"":              "",
		"123":           "123",
		"123-456-32-18": "123-456-32-18",
		"123456321x":    "123456321x",
		"ąęóśźżćńłó":    "ąęóśźżćńłó",
	} {
		if got := FormatNIP(in); got != want {
			t.Errorf("FormatNIP(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseREGON(t *testing.T) {
	tests := []struct {
		in   string
		want string
		err  error
	}{
		{"192598184", "192598184", nil},
		{" 192-598-184 ", "192598184", nil},
		{"19 25 98 18 4", "192598184", nil},
		{"12345678512347", "12345678512347", nil},
		{"1234567851 2347", "12345678512347", nil},
		{"000000000", "000000000", nil},
		{"", "", ErrEmpty},
		{"   ", "", ErrEmpty},
		{"19259818", "", ErrFormat},
		{"1925981840", "", ErrFormat},
		{"19259818A", "", ErrFormat},
		{"PL192598184", "", ErrFormat},
		{"192598183", "", ErrChecksum},
		{"12345678512348", "", ErrChecksum},
	}
	for _, tt := range tests {
		got, err := ParseREGON(tt.in)
		checkErr(t, "ParseREGON("+tt.in+")", err, tt.err)
		if got != tt.want {
			t.Errorf("ParseREGON(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestParseREGONCheckTen: a weighted sum ≡ 10 (mod 11) gives check digit 0.
func TestParseREGONCheckTen(t *testing.T) {
	// 00000200x: the 6th digit 2 has weight 5, so the sum is 10.
	if _, err := ParseREGON("000002000"); err != nil {
		t.Errorf("ParseREGON(000002000): %v", err)
	}
	if _, err := ParseREGON("000002001"); !errors.Is(err, ErrChecksum) {
		t.Errorf("ParseREGON(000002001): %v, want checksum error", err)
	}
}

func TestParsePESEL(t *testing.T) {
	date := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	tests := []struct {
		in     string
		birth  time.Time
		female bool
		err    error
	}{
		{"44051401359", date(1944, 5, 14), false, nil},
		{" 44051401359\n", date(1944, 5, 14), false, nil},
		{"02211307589", date(2002, 1, 13), true, nil},
		{"00810101010", date(1800, 1, 1), false, nil},
		{"00923101011", date(1800, 12, 31), false, nil},
		{"99923101244", date(1899, 12, 31), true, nil},
		{"00010101023", date(1900, 1, 1), true, nil},
		{"99123101233", date(1999, 12, 31), false, nil},
		{"00222901017", date(2000, 2, 29), false, nil}, // 2000 is a leap year
		{"12222901010", date(2012, 2, 29), false, nil},
		{"92523101236", date(2192, 12, 31), false, nil},
		{"04622901086", date(2204, 2, 29), true, nil},
		{"99723101200", date(2299, 12, 31), true, nil},

		{"", time.Time{}, false, ErrEmpty},
		{" ", time.Time{}, false, ErrEmpty},
		{"4405140135", time.Time{}, false, ErrFormat},
		{"440514013590", time.Time{}, false, ErrFormat},
		{"440514 01359", time.Time{}, false, ErrFormat},
		{"44-05-14-01359", time.Time{}, false, ErrFormat},
		{"４４０５１４０１３５９", time.Time{}, false, ErrFormat},
		{"44051401350", time.Time{}, false, ErrChecksum},
		{"00022901011", time.Time{}, false, ErrDate}, // 1900 is not a leap year
		{"13222901017", time.Time{}, false, ErrDate}, // 2013-02-29
		{"00422901013", time.Time{}, false, ErrDate}, // 2100 is not a leap year
		{"00622901019", time.Time{}, false, ErrDate}, // 2200 is not a leap year
		{"00043101016", time.Time{}, false, ErrDate}, // 31 April
		{"00000101015", time.Time{}, false, ErrDate}, // month 00
		{"00130101011", time.Time{}, false, ErrDate}, // month 13
		{"00200101011", time.Time{}, false, ErrDate}, // month 20 = month 0 of the 2000s
		{"00010001019", time.Time{}, false, ErrDate}, // day 00
	}
	for _, tt := range tests {
		got, err := ParsePESEL(tt.in)
		checkErr(t, "ParsePESEL("+tt.in+")", err, tt.err)
		if tt.err != nil {
			if got != (PESEL{}) {
				t.Errorf("ParsePESEL(%q) = %+v with an error, want the zero value", tt.in, got)
			}
			continue
		}
		want := PESEL{Number: strings.TrimSpace(tt.in), Birth: tt.birth, Female: tt.female}
		if got != want {
			t.Errorf("ParsePESEL(%q) = %+v, want %+v", tt.in, got, want)
		}
		if got.Birth.Location() != time.UTC {
			t.Errorf("ParsePESEL(%q): birth location %v, want UTC", tt.in, got.Birth.Location())
		}
	}
}

func TestParseBankAccount(t *testing.T) {
	pl := BankAccount{Country: "PL", BBAN: "109010140000071219812874", IBAN: "PL61109010140000071219812874"}
	tests := []struct {
		in     string
		want   BankAccount
		format string
		err    error
	}{
		{"61109010140000071219812874", pl, "61 1090 1014 0000 0712 1981 2874", nil},
		{"61 1090 1014 0000 0712 1981 2874", pl, "61 1090 1014 0000 0712 1981 2874", nil},
		{"PL61 1090 1014 0000 0712 1981 2874", pl, "61 1090 1014 0000 0712 1981 2874", nil},
		{"pl61-1090-1014-0000-0712-1981-2874", pl, "61 1090 1014 0000 0712 1981 2874", nil},
		{" PL 61109010140000071219812874 ", pl, "61 1090 1014 0000 0712 1981 2874", nil},
		{"61\u00a01090\u00a01014\u00a00000\u00a00712\u00a01981\u00a02874", pl, "61 1090 1014 0000 0712 1981 2874", nil},
		{"DE89 3704 0044 0532 0130 00", BankAccount{"DE", "370400440532013000", "DE89370400440532013000"}, "DE89 3704 0044 0532 0130 00", nil},
		{"de89370400440532013000", BankAccount{"DE", "370400440532013000", "DE89370400440532013000"}, "DE89 3704 0044 0532 0130 00", nil},
		{"GB29 NWBK 6016 1331 9268 19", BankAccount{"GB", "NWBK60161331926819", "GB29NWBK60161331926819"}, "GB29 NWBK 6016 1331 9268 19", nil},
		{"CH93 0076 2011 6238 5295 7", BankAccount{"CH", "00762011623852957", "CH9300762011623852957"}, "CH93 0076 2011 6238 5295 7", nil},
		{"UA213223130000026007233566001", BankAccount{"UA", "3223130000026007233566001", "UA213223130000026007233566001"}, "UA21 3223 1300 0002 6007 2335 6600 1", nil},
		{"FR14 2004 1010 0505 0001 3M02 606", BankAccount{"FR", "20041010050500013M02606", "FR1420041010050500013M02606"}, "FR14 2004 1010 0505 0001 3M02 606", nil},
		{"NO93 8601 1117 947", BankAccount{"NO", "86011117947", "NO9386011117947"}, "NO93 8601 1117 947", nil},
		{"AT611904300234573201", BankAccount{"AT", "1904300234573201", "AT611904300234573201"}, "AT61 1904 3002 3457 3201", nil},
		{"BE68539007547034", BankAccount{"BE", "539007547034", "BE68539007547034"}, "BE68 5390 0754 7034", nil},
		{"NL91ABNA0417164300", BankAccount{"NL", "ABNA0417164300", "NL91ABNA0417164300"}, "NL91 ABNA 0417 1643 00", nil},
		{"IT60X0542811101000000123456", BankAccount{"IT", "X0542811101000000123456", "IT60X0542811101000000123456"}, "IT60 X054 2811 1010 0000 0123 456", nil},
		{"ES91 2100 0418 4502 0005 1332", BankAccount{"ES", "21000418450200051332", "ES9121000418450200051332"}, "ES91 2100 0418 4502 0005 1332", nil},
		{"MT84MALT011000012345MTLCAST001S", BankAccount{"MT", "MALT011000012345MTLCAST001S", "MT84MALT011000012345MTLCAST001S"}, "MT84 MALT 0110 0001 2345 MTLC AST0 01S", nil},
		{"LC55HEMM000100010012001200023015", BankAccount{"LC", "HEMM000100010012001200023015", "LC55HEMM000100010012001200023015"}, "LC55 HEMM 0001 0001 0012 0012 0002 3015", nil},
		{"PL98446962913702858733577365", BankAccount{"PL", "446962913702858733577365", "PL98446962913702858733577365"}, "98 4469 6291 3702 8587 3357 7365", nil},
		{"PL02329433959968633804329661", BankAccount{"PL", "329433959968633804329661", "PL02329433959968633804329661"}, "02 3294 3395 9968 6338 0432 9661", nil},

		{"", BankAccount{}, "", ErrEmpty},
		{" \t", BankAccount{}, "", ErrEmpty},
		{"PL", BankAccount{}, "", ErrFormat},
		{"PL61", BankAccount{}, "", ErrFormat},
		{"6110901014000007121981287", BankAccount{}, "", ErrFormat},   // 25 digits
		{"611090101400000712198128740", BankAccount{}, "", ErrFormat}, // 27 digits
		{"PL6110901014000007121981287", BankAccount{}, "", ErrFormat},
		{"PL611090101400000712198128740", BankAccount{}, "", ErrFormat},
		{"PL61 1090 1014 0000 0712 1981 287A", BankAccount{}, "", ErrFormat}, // PL BBAN is digits only
		{"PLAB109010140000071219812874", BankAccount{}, "", ErrFormat},       // check digits are digits
		{"US64SVBKUS6S3300958879", BankAccount{}, "", ErrFormat},             // passes mod 97, but the US has no IBAN
		{"XX61109010140000071219812874", BankAccount{}, "", ErrFormat},
		{"DE89 3704 0044 0532 0130 0", BankAccount{}, "", ErrFormat},
		{"DE89 3704 0044 0532 0130 000", BankAccount{}, "", ErrFormat},
		{"DE89 3704 0044 0532 0130 0A", BankAccount{}, "", ErrFormat}, // DE BBAN is digits only
		{"GB29 1WBK 6016 1331 9268 19", BankAccount{}, "", ErrFormat}, // GB bank code is letters
		{"PL61.1090.1014.0000.0712.1981.2874", BankAccount{}, "", ErrFormat},
		{"PL61 1090 1014 0000 0712 1981 2874 ą", BankAccount{}, "", ErrFormat},
		{"PL61109010140000071219812875", BankAccount{}, "", ErrChecksum},
		{"PL16109010140000071219812874", BankAccount{}, "", ErrChecksum}, // swapped check digits
		{"DE88370400440532013000", BankAccount{}, "", ErrChecksum},
		// 01 ≡ 98 and 99 ≡ 02 (mod 97): they pass the modulo test, but
		// only 02..98 are valid check digits.
		{"PL01446962913702858733577365", BankAccount{}, "", ErrChecksum},
		{"PL99329433959968633804329661", BankAccount{}, "", ErrChecksum},
	}
	for _, tt := range tests {
		got, err := ParseBankAccount(tt.in)
		checkErr(t, "ParseBankAccount("+tt.in+")", err, tt.err)
		if got != tt.want {
			t.Errorf("ParseBankAccount(%q) = %+v, want %+v", tt.in, got, tt.want)
		}
		if f := got.Format(); f != tt.format {
			t.Errorf("ParseBankAccount(%q).Format() = %q, want %q", tt.in, f, tt.format)
		}
	}
}

// TestMod97Aliases confirms the premise of the 02..98 rule: the aliases
// really pass the bare modulo test.
func TestMod97Aliases(t *testing.T) {
	for _, s := range []string{"PL01446962913702858733577365", "PL99329433959968633804329661", "US64SVBKUS6S3300958879"} {
		if r := mod97(s); r != 1 {
			t.Errorf("mod97(%s) = %d, want 1", s, r)
		}
	}
}

func TestBankCode(t *testing.T) {
	for _, tt := range []struct {
		in, want string
	}{
		{"61 1090 1014 0000 0712 1981 2874", "10901014"},
		{"PL98446962913702858733577365", "44696291"},
		{"DE89370400440532013000", ""},
	} {
		a, err := ParseBankAccount(tt.in)
		if err != nil {
			t.Fatalf("ParseBankAccount(%q): %v", tt.in, err)
		}
		if got := a.BankCode(); got != tt.want {
			t.Errorf("BankCode(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got := (BankAccount{}).BankCode(); got != "" {
		t.Errorf("zero BankCode() = %q", got)
	}
	if got := (BankAccount{Country: "PL", IBAN: "PL61"}).BankCode(); got != "" {
		t.Errorf("short PL BankCode() = %q", got)
	}
}

// TestIBANRegistryLengths checks the transcribed BBAN structures against
// IBAN lengths listed independently (SWIFT IBAN registry) for the EU/EEA
// countries, GB, CH and UA, and that every structure is well formed.
func TestIBANRegistryLengths(t *testing.T) {
	want := map[string]int{
		// EU
		"AT": 20, "BE": 16, "BG": 22, "HR": 21, "CY": 28, "CZ": 24, "DK": 18,
		"EE": 20, "FI": 18, "FR": 27, "DE": 22, "GR": 27, "HU": 28, "IE": 22,
		"IT": 27, "LV": 21, "LT": 20, "LU": 20, "MT": 31, "NL": 18, "PL": 28,
		"PT": 25, "RO": 24, "SK": 24, "SI": 19, "ES": 24, "SE": 24,
		// EEA outside the EU
		"IS": 26, "LI": 21, "NO": 15,
		// others required
		"GB": 22, "CH": 21, "UA": 29,
		// a few more
		"AD": 24, "MC": 27, "SM": 27, "VA": 22, "GI": 23, "FO": 18, "GL": 18,
		"AL": 28, "BA": 20, "ME": 22, "MK": 19, "RS": 22, "XK": 20, "MD": 24,
		"TR": 26, "GE": 22, "BY": 28, "LC": 32, "RU": 33, "SC": 31, "MU": 30,
	}
	for c, n := range want {
		s, ok := ibanRegistry[c]
		if !ok {
			t.Errorf("%s: not in the registry", c)
			continue
		}
		if got := 4 + bbanLength(s); got != n {
			t.Errorf("%s: IBAN length %d, want %d", c, got, n)
		}
	}
	for c, s := range ibanRegistry {
		if len(c) != 2 || !isUpper(c[0]) || !isUpper(c[1]) {
			t.Errorf("bad country code %q", c)
		}
		n := bbanLength(s)
		if n < 11 || n > 30 {
			t.Errorf("%s: implausible BBAN length %d", c, n)
		}
		// A BBAN of the right length of '0's, 'A's or mixed must match
		// iff the structure allows it; at least "all allowed" must match.
		var b strings.Builder
		num := 0
		for i := 0; i < len(s); i++ {
			switch ch := s[i]; {
			case isDigit(ch):
				num = num*10 + int(ch-'0')
			case ch == '!':
			case ch == 'n', ch == 'c':
				b.WriteString(strings.Repeat("0", num))
				num = 0
			case ch == 'a':
				b.WriteString(strings.Repeat("A", num))
				num = 0
			default:
				t.Errorf("%s: bad structure %q", c, s)
			}
		}
		if !bbanMatches(b.String(), s) || bbanMatches(b.String()+"0", s) || bbanMatches(b.String()[1:], s) {
			t.Errorf("%s: structure %q does not match exactly %q", c, s, b.String())
		}
	}
}

func TestFormatOddAccounts(t *testing.T) {
	for _, tt := range []struct {
		a    BankAccount
		want string
	}{
		{BankAccount{}, ""},
		{BankAccount{Country: "PL", IBAN: "PL61"}, "PL61"},
		{BankAccount{Country: "DE", IBAN: "ĄĘÓŚŹ"}, "ĄĘÓŚ Ź"},
	} {
		if got := tt.a.Format(); got != tt.want {
			t.Errorf("%+v.Format() = %q, want %q", tt.a, got, tt.want)
		}
	}
}

func TestParsePostalCode(t *testing.T) {
	tests := []struct {
		in   string
		want string
		err  error
	}{
		{"00-950", "00-950", nil},
		{"00950", "00-950", nil},
		{" 31-001 ", "31-001", nil},
		{"31 001", "31-001", nil},
		{"31–001", "31-001", nil},
		{"31\u00a0001", "31-001", nil},
		{"", "", ErrEmpty},
		{"\t", "", ErrEmpty},
		{"3100", "", ErrFormat},
		{"310011", "", ErrFormat},
		{"31-0011", "", ErrFormat},
		{"310-01", "", ErrFormat},
		{"3-1001", "", ErrFormat},
		{"31--001", "", ErrFormat},
		{"31 - 001", "", ErrFormat},
		{"31_001", "", ErrFormat},
		{"ab-cde", "", ErrFormat},
		{"PL-31-001", "", ErrFormat},
		{"３１-００１", "", ErrFormat},
		{"31\xff001", "", ErrFormat},
	}
	for _, tt := range tests {
		got, err := ParsePostalCode(tt.in)
		checkErr(t, "ParsePostalCode("+tt.in+")", err, tt.err)
		if got != tt.want {
			t.Errorf("ParsePostalCode(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestErrorTextOmitsInput: error messages go to logs and must not repeat
// the input, which may be personal data.
func TestErrorTextOmitsInput(t *testing.T) {
	const pesel = "44051401358"
	for _, err := range []error{
		func() error { _, err := ParsePESEL(pesel); return err }(),
		func() error { _, err := ParseNIP(pesel); return err }(),
		func() error { _, err := ParseREGON(pesel); return err }(),
		func() error { _, err := ParseBankAccount(pesel); return err }(),
		func() error { _, err := ParsePostalCode(pesel); return err }(),
	} {
		if err == nil || strings.Contains(err.Error(), pesel) {
			t.Errorf("error %v", err)
		}
	}
}

func TestMakeIdentifiers(t *testing.T) {
	if nip, ok := CompleteNIP("123456321"); !ok || nip != "1234563218" {
		t.Errorf("CompleteNIP = %q %v", nip, ok)
	}
	if _, ok := CompleteNIP("12345"); ok {
		t.Error("short NIP completed")
	}
	for i := 100000000; i < 130000000; i += 14999 {
		if nip, ok := CompleteNIP(fmt.Sprint(i)); ok {
			if _, err := ParseNIP(nip); err != nil {
				t.Fatalf("%s: %v", nip, err)
			}
		}
		r := CompleteREGON(fmt.Sprint(i)[:8])
		if _, err := ParseREGON(r); err != nil {
			t.Fatalf("%s: %v", r, err)
		}
	}
	for _, c := range []struct {
		birth  time.Time
		female bool
	}{
		{time.Date(1950, 1, 1, 0, 0, 0, 0, time.UTC), true},
		{time.Date(1999, 12, 31, 0, 0, 0, 0, time.UTC), false},
		{time.Date(2000, 2, 29, 0, 0, 0, 0, time.UTC), true},
		{time.Date(2004, 7, 15, 0, 0, 0, 0, time.UTC), false},
		{time.Date(1899, 3, 3, 0, 0, 0, 0, time.UTC), false},
	} {
		for sex := range 10 {
			s := MakePESEL(c.birth, 123+sex, sex, c.female)
			p, err := ParsePESEL(s)
			if err != nil || !p.Birth.Equal(c.birth) || p.Female != c.female {
				t.Fatalf("MakePESEL(%v, %v) = %s: %+v %v", c.birth, c.female, s, p, err)
			}
		}
	}
}
