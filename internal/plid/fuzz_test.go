package plid

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

// The fuzz tests feed arbitrary text to each Parse function. It must never
// panic; an error must wrap exactly one sentinel and come with the zero
// value; an accepted input must survive a round trip through its canonical
// (formatted) form unchanged.

// seed adds the inputs of a vector file and some extra strings to the corpus.
func seed(f *testing.F, file string, columns []string, extra ...string) {
	for _, v := range readVectors(f, file, columns...) {
		f.Add(v.col["input"])
	}
	for _, s := range extra {
		f.Add(s)
	}
}

// checkFuzzErr asserts that err wraps exactly one sentinel.
func checkFuzzErr(t *testing.T, in string, err error) {
	t.Helper()
	n := 0
	for _, s := range sentinels {
		if errors.Is(err, s) {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("%q: error %v wraps %d sentinels", in, err, n)
	}
}

func FuzzParseNIP(f *testing.F) {
	seed(f, "nip.tsv", []string{"input", "expected", "normalized", "matches_KSeF_TNrNIP_pattern", "note", "source"},
		"", "PL", "pl 123-45-63-218", "\u00a0123–456–32–18", "PL\xff1234563218")
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseNIP(s)
		if err != nil {
			checkFuzzErr(t, s, err)
			if got != "" {
				t.Fatalf("ParseNIP(%q) = %q with error %v", s, got, err)
			}
			_ = FormatNIP(s)
			return
		}
		if len(got) != 10 || !allDigits(got) {
			t.Fatalf("ParseNIP(%q) = %q, want 10 digits", s, got)
		}
		formatted := FormatNIP(got)
		back, err := ParseNIP(formatted)
		if err != nil || back != got {
			t.Fatalf("ParseNIP(%q) = %q; ParseNIP(FormatNIP) = ParseNIP(%q) = %q, %v", s, got, formatted, back, err)
		}
		if back, err := ParseNIP("PL" + got); err != nil || back != got {
			t.Fatalf("ParseNIP(PL%s) = %q, %v", got, back, err)
		}
	})
}

func FuzzParseREGON(f *testing.F) {
	seed(f, "regon.tsv", []string{"input", "expected", "note", "source"},
		"", "192-598-184", "1234567851 2347", "000002000")
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseREGON(s)
		if err != nil {
			checkFuzzErr(t, s, err)
			if got != "" {
				t.Fatalf("ParseREGON(%q) = %q with error %v", s, got, err)
			}
			return
		}
		if (len(got) != 9 && len(got) != 14) || !allDigits(got) {
			t.Fatalf("ParseREGON(%q) = %q, want 9 or 14 digits", s, got)
		}
		if back, err := ParseREGON(got); err != nil || back != got {
			t.Fatalf("ParseREGON(%q) = %q; re-parse = %q, %v", s, got, back, err)
		}
		if len(got) == 14 {
			if _, err := ParseREGON(got[:9]); err != nil {
				t.Fatalf("ParseREGON(%q) = %q, but its first 9 digits are invalid: %v", s, got, err)
			}
		}
	})
}

func FuzzParsePESEL(f *testing.F) {
	seed(f, "pesel.tsv", []string{"input", "expected", "birth_date", "gender", "birth_date_source", "note", "source"},
		"", "00222901017", "00022901011", "99723101200", "00810101010")
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParsePESEL(s)
		if err != nil {
			checkFuzzErr(t, s, err)
			if got != (PESEL{}) {
				t.Fatalf("ParsePESEL(%q) = %+v with error %v", s, got, err)
			}
			return
		}
		if len(got.Number) != 11 || !allDigits(got.Number) {
			t.Fatalf("ParsePESEL(%q).Number = %q, want 11 digits", s, got.Number)
		}
		if y := got.Birth.Year(); y < 1800 || y > 2299 {
			t.Fatalf("ParsePESEL(%q): birth year %d", s, y)
		}
		if got.Birth.Hour() != 0 || got.Birth.Minute() != 0 || got.Birth.Second() != 0 || got.Birth.Nanosecond() != 0 || got.Birth.Location().String() != "UTC" {
			t.Fatalf("ParsePESEL(%q): birth %v is not midnight UTC", s, got.Birth)
		}
		// The date part re-encoded must give the same digits.
		if yymmdd := got.Birth.Format("060102"); yymmdd[:2] != got.Number[:2] || yymmdd[4:] != got.Number[4:6] {
			t.Fatalf("ParsePESEL(%q): birth %v does not match %s", s, got.Birth, got.Number)
		}
		if back, err := ParsePESEL(got.Number); err != nil || back != got {
			t.Fatalf("ParsePESEL(%q) = %+v; re-parse = %+v, %v", s, got, back, err)
		}
	})
}

func FuzzParseBankAccount(f *testing.F) {
	seed(f, "iban_nrb.tsv", []string{"input", "expected", "note", "source"},
		"", "DE89 3704 0044 0532 0130 00", "gb29nwbk60161331926819", "FR14 2004 1010 0505 0001 3M02 606",
		"PL01446962913702858733577365", "US64SVBKUS6S3300958879", "LC55HEMM000100010012001200023015")
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseBankAccount(s)
		if err != nil {
			checkFuzzErr(t, s, err)
			if got != (BankAccount{}) {
				t.Fatalf("ParseBankAccount(%q) = %+v with error %v", s, got, err)
			}
			// Format and BankCode must not panic on odd values either.
			odd := BankAccount{Country: strings.ToUpper(s[:min(2, len(s))]), BBAN: s, IBAN: s}
			_, _ = odd.Format(), odd.BankCode()
			return
		}
		if got.IBAN != got.Country+got.IBAN[2:4]+got.BBAN || len(got.IBAN) > 34 {
			t.Fatalf("ParseBankAccount(%q) = %+v: inconsistent parts", s, got)
		}
		formatted := got.Format()
		back, err := ParseBankAccount(formatted)
		if err != nil || back != got {
			t.Fatalf("ParseBankAccount(%q) = %+v; Format = %q; re-parse = %+v, %v", s, got, formatted, back, err)
		}
		if back, err := ParseBankAccount(got.IBAN); err != nil || back != got {
			t.Fatalf("ParseBankAccount(%q) = %+v; re-parse of IBAN = %+v, %v", s, got, back, err)
		}
		if code := got.BankCode(); (got.Country == "PL") != (code != "") || (code != "" && (len(code) != 8 || !allDigits(code))) {
			t.Fatalf("ParseBankAccount(%q).BankCode() = %q", s, code)
		}
	})
}

func FuzzParsePostalCode(f *testing.F) {
	for _, s := range []string{"", "00-950", "00950", " 31 001 ", "31–001", "31\xff001", "PL-31-001"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParsePostalCode(s)
		if err != nil {
			checkFuzzErr(t, s, err)
			if got != "" {
				t.Fatalf("ParsePostalCode(%q) = %q with error %v", s, got, err)
			}
			return
		}
		if len(got) != 6 || got[2] != '-' || !allDigits(got[:2]) || !allDigits(got[3:]) {
			t.Fatalf("ParsePostalCode(%q) = %q, want NN-NNN", s, got)
		}
		if back, err := ParsePostalCode(got); err != nil || back != got {
			t.Fatalf("ParsePostalCode(%q) = %q; re-parse = %q, %v", s, got, back, err)
		}
		if back, err := ParsePostalCode(got[:2] + got[3:]); err != nil || back != got {
			t.Fatalf("ParsePostalCode(%q) = %q; NNNNN re-parse = %q, %v", s, got, back, err)
		}
	})
}

// FuzzBankAccountRoundTrip builds a valid IBAN for any registry country
// from fuzz data (random text almost never has right check digits) and
// checks that every written form of it parses back to the same account.
func FuzzBankAccountRoundTrip(f *testing.F) {
	f.Add(uint8(0), []byte("0123456789"))
	f.Add(uint8(7), []byte("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
	countries := make([]string, 0, len(ibanRegistry))
	for c := range ibanRegistry {
		countries = append(countries, c)
	}
	slices.Sort(countries)
	f.Fuzz(func(t *testing.T, ci uint8, data []byte) {
		country := countries[int(ci)%len(countries)]
		if ci >= 128 {
			country = "PL"
		}
		structure := ibanRegistry[country]
		var bban []byte
		num, k := 0, 0
		next := func(alphabet string) byte {
			b := byte(k)
			if k < len(data) {
				b = data[k]
			}
			k++
			return alphabet[int(b)%len(alphabet)]
		}
		for i := 0; i < len(structure); i++ {
			switch c := structure[i]; c {
			case '!':
			case 'n', 'a', 'c':
				alphabet := map[byte]string{'n': "0123456789", 'a': "ABCDEFGHIJKLMNOPQRSTUVWXYZ", 'c': "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"}[c]
				for ; num > 0; num-- {
					bban = append(bban, next(alphabet))
				}
			default:
				num = num*10 + int(c-'0')
			}
		}
		check := 98 - mod97(country+"00"+string(bban))
		iban := country + string([]byte{byte('0' + check/10), byte('0' + check%10)}) + string(bban)
		want := BankAccount{Country: country, BBAN: string(bban), IBAN: iban}
		forms := []string{iban, strings.ToLower(iban), want.Format(), groupRunes(iban, 4), " " + strings.ToLower(want.Format()) + "\t"}
		if country == "PL" {
			forms = append(forms, iban[2:], "PL "+want.Format(), strings.ReplaceAll(want.Format(), " ", "-"))
		}
		for _, s := range forms {
			got, err := ParseBankAccount(s)
			if err != nil || got != want {
				t.Fatalf("ParseBankAccount(%q) = %+v, %v; want %+v", s, got, err, want)
			}
		}
	})
}

// FuzzNIPRoundTrip builds NIPs with right check digits from fuzz data and
// checks the written forms parse back.
func FuzzNIPRoundTrip(f *testing.F) {
	f.Add(uint32(123456321))
	f.Fuzz(func(t *testing.T, n uint32) {
		d := []byte{byte('1' + n%9)}
		for n /= 9; len(d) < 9; n /= 10 {
			d = append(d, byte('0'+n%10))
		}
		check := weightedSum(string(d), nipWeights) % 11
		if check == 10 || (d[1] == '0' && d[2] == '0') {
			return
		}
		nip := string(d) + string(rune('0'+check))
		for _, s := range []string{nip, FormatNIP(nip), "PL" + nip, "pl " + FormatNIP(nip), strings.ReplaceAll(FormatNIP(nip), "-", " ")} {
			if got, err := ParseNIP(s); err != nil || got != nip {
				t.Fatalf("ParseNIP(%q) = %q, %v; want %q", s, got, err, nip)
			}
		}
	})
}
