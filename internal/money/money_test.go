package money

import (
	"encoding/json"
	"errors"
	"math"
	"testing"
)

const (
	maxAmount = Amount(math.MaxInt64)
	minAmount = Amount(math.MinInt64)
)

func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		want Amount
	}{
		// Plain numbers.
		{"0", 0},
		{"-0", 0},
		{"7", 700},
		{"007", 700},
		{"1234", 123400},
		{"1234,56", 123456},
		{"1234.56", 123456},
		{"1234,5", 123450},
		{"1234.5", 123450},
		{"0,05", 5},
		{"0.05", 5},
		{"-0,05", -5},
		{"-0.5", -50},
		{",5", 50},
		{".99", 99},
		{"-,01", -1},
		{"1,00", 100},
		// Space-like group separators.
		{"1 234,56", 123456},
		{"1\u00a0234,56", 123456},
		{"1\u202f234,56", 123456},
		{"1\u2009234,56", 123456},
		{"12 345 678,90", 1234567890},
		{"1 234", 123400},
		{"1 234.5", 123450},
		{"1\u00a0234\u202f567", 123456700}, // all spaces are one kind
		// '.' and ',' as group separators.
		{"1,234.56", 123456},
		{"1.234,56", 123456},
		{"1,234,567.89", 123456789},
		{"1.234.567,89", 123456789},
		{"1.234.567", 123456700},
		{"1,234,567", 123456700},
		{"1,234.5", 123450},
		// Signs and currency markers.
		{"-1234,56", -123456},
		{"+12", 1200},
		{"\u221212,50", -1250},
		{"12 zł", 1200},
		{"12zł", 1200},
		{"12\u00a0zł", 1200},
		{"12 ZŁ", 1200},
		{"12 zl", 1200},
		{"12 PLN", 1200},
		{"12pln", 1200},
		{"-1\u00a0234,56\u00a0zł", -123456},
		{"PLN 1,234.56", 123456},
		{"-PLN 1,234.56", -123456},
		{"PLN -1,234.56", -123456},
		{"PLN\u00a01,234.56", 123456},
		{"zł 5", 500},
		{"  \t 12,34 zł \n", 1234},
		{"12\u00a0", 1200},
		// Limits.
		{"92233720368547758.07", maxAmount},
		{"-92233720368547758.08", minAmount},
		{"92 233 720 368 547 758,07", maxAmount},
		{"00000000000000000000000000001", 100},
	}
	for _, tt := range tests {
		got, err := Parse(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("Parse(%q) = %d, %v; want %d, nil", tt.in, got, err, tt.want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		in   string
		want error
	}{
		{"", ErrEmpty},
		{"   ", ErrEmpty},
		{"\u00a0\t", ErrEmpty},

		{"abc", ErrSyntax},
		{"12a", ErrSyntax},
		{"1e5", ErrSyntax},
		{"-", ErrSyntax},
		{"zł", ErrSyntax},
		{"PLN", ErrSyntax},
		{"--5", ErrSyntax},
		{"-+5", ErrSyntax},
		{"- 5", ErrSyntax},
		{"5-", ErrSyntax},
		{"12,", ErrSyntax},
		{"12.", ErrSyntax},
		{",", ErrSyntax},
		{"1,,5", ErrSyntax},
		{"1  234", ErrSyntax},
		{"1 ,5", ErrSyntax},
		{"12 34", ErrSyntax},
		{"1234 567", ErrSyntax},
		{"0 123", ErrSyntax},
		{"1,23,456.00", ErrSyntax},
		{"1.234 567", ErrSyntax},
		{"1 234.567.890", ErrSyntax},
		{"1.234.56", ErrSyntax},
		{"1,234,5", ErrSyntax},
		{"PLN 5 zł", ErrSyntax},
		{"12 EUR", ErrSyntax},
		{"$12", ErrSyntax},
		{"١٢", ErrSyntax}, // non-ASCII digits

		{"1,234", ErrAmbiguous},
		{"1.234", ErrAmbiguous},
		{"12.500", ErrAmbiguous},
		{"-123,456 zł", ErrAmbiguous},

		{"0,125", ErrTooManyDecimals},
		{"0.125", ErrTooManyDecimals},
		{",125", ErrTooManyDecimals},
		{"1,2345", ErrTooManyDecimals},
		{"1.23456", ErrTooManyDecimals},
		{"1.234,567", ErrTooManyDecimals},
		{"1 234,567", ErrTooManyDecimals},
		{"1,234,567.890", ErrTooManyDecimals},

		{"92233720368547758.08", ErrRange},
		{"-92233720368547758.09", ErrRange},
		{"100000000000000000", ErrRange},
		{"99999999999999999999999", ErrRange},
	}
	for _, tt := range tests {
		if tt.want == nil {
			continue
		}
		got, err := Parse(tt.in)
		if !errors.Is(err, tt.want) {
			t.Errorf("Parse(%q) = %d, %v; want error %v", tt.in, got, err, tt.want)
		}
		if err != nil && got != 0 {
			t.Errorf("Parse(%q) = %d with error; want 0", tt.in, got)
		}
	}
}

func TestString(t *testing.T) {
	tests := []struct {
		in   Amount
		want string
	}{
		{0, "0.00"},
		{1, "0.01"},
		{5, "0.05"},
		{-5, "-0.05"},
		{-50, "-0.50"},
		{100, "1.00"},
		{123456, "1234.56"},
		{-123456, "-1234.56"},
		{123456789, "1234567.89"},
		{maxAmount, "92233720368547758.07"},
		{minAmount, "-92233720368547758.08"},
	}
	for _, tt := range tests {
		if got := tt.in.String(); got != tt.want {
			t.Errorf("Amount(%d).String() = %q; want %q", int64(tt.in), got, tt.want)
		}
	}
}

func TestFormat(t *testing.T) {
	tests := []struct {
		in             Amount
		group, decimal rune
		want           string
	}{
		{123456, '\u00a0', ',', "1\u00a0234,56"},
		{-123456, '\u00a0', ',', "-1\u00a0234,56"},
		{123456, ',', '.', "1,234.56"},
		{123456, '.', ',', "1.234,56"},
		{123456, 0, ',', "1234,56"},
		{12345, ' ', ',', "123,45"},
		{99999, ' ', ',', "999,99"},
		{100000, ' ', ',', "1 000,00"},
		{123456789, '\u202f', ',', "1\u202f234\u202f567,89"},
		{12345678901, ' ', ',', "123 456 789,01"},
		{0, ' ', ',', "0,00"},
		{-1, ' ', ',', "-0,01"},
		{minAmount, ' ', ',', "-92 233 720 368 547 758,08"},
		{maxAmount, ',', '.', "92,233,720,368,547,758.07"},
	}
	for _, tt := range tests {
		if got := tt.in.Format(tt.group, tt.decimal); got != tt.want {
			t.Errorf("Amount(%d).Format(%q, %q) = %q; want %q", int64(tt.in), tt.group, tt.decimal, got, tt.want)
		}
	}
}

func TestFromGrosze(t *testing.T) {
	for _, g := range []int64{0, 1, -1, 12345, math.MaxInt64, math.MinInt64} {
		if got := FromGrosze(g).Grosze(); got != g {
			t.Errorf("FromGrosze(%d).Grosze() = %d", g, got)
		}
	}
}

// roundTripSamples are amounts every formatting must survive.
var roundTripSamples = []Amount{
	0, 1, -1, 5, -5, 10, 99, 100, -100, 999, 1000, 99999, 100000, 123456,
	-123456, 100000000, 123456789, -987654321, maxAmount, minAmount,
	maxAmount - 1, minAmount + 1,
}

func TestRoundTrip(t *testing.T) {
	for _, a := range roundTripSamples {
		for _, s := range []string{
			a.String(),
			a.Format('\u00a0', ','),
			a.Format(' ', ','),
			a.Format('\u202f', ','),
			a.Format(',', '.'),
			a.Format('.', ','),
			a.Format(0, ','),
			a.Format('\u00a0', ',') + "\u00a0zł",
		} {
			got, err := Parse(s)
			if err != nil || got != a {
				t.Errorf("Parse(%q) = %d, %v; want %d", s, got, err, int64(a))
			}
		}
	}
}

func TestPercentOf(t *testing.T) {
	tests := []struct {
		a    Amount
		r    Rate
		want Amount
	}{
		{10000, VAT23, 2300},
		{10000, VAT8, 800},
		{10000, VAT5, 500},
		{10000, VAT0, 0},
		{5, VAT23, 1},          // 1.15 grosza -> 1
		{-5, VAT23, -1},        // -1.15 -> -1
		{2, VAT23, 0},          // 0.46 -> 0
		{3, VAT23, 1},          // 0.69 -> 1
		{50, 100, 1},           // exactly 0.5 grosza -> 1 (half away from zero)
		{-50, 100, -1},         // exactly -0.5 grosza -> -1
		{49, 100, 0},           // 0.49 -> 0
		{-49, 100, 0},          // -0.49 -> 0
		{150, 100, 2},          // 1.5 -> 2
		{-150, 100, -2},        // -1.5 -> -2
		{250, 100, 3},          // 2.5 -> 3 (not banker's 2)
		{-250, 100, -3},        // -2.5 -> -3
		{50, -100, -1},         // negative rate
		{-50, -100, 1},         // both negative
		{2174, VAT23, 500},     // 500.02 -> 500
		{2176, VAT23, 500},     // 500.48 -> 500
		{2178, VAT23, 501},     // 500.94 -> 501
		{1234567, 850, 104938}, // 8.5%: 104938.195 -> 104938
		{maxAmount, 10000, maxAmount},
		{minAmount, 10000, minAmount},
		{maxAmount, VAT23, 2121375568476598436}, // 2121375568476598435.61 (needs >64-bit product)
		{minAmount, VAT23, -2121375568476598436},
		{maxAmount, 0, 0},
	}
	for _, tt := range tests {
		if got := tt.a.PercentOf(tt.r); got != tt.want {
			t.Errorf("Amount(%d).PercentOf(%d) = %d; want %d", int64(tt.a), tt.r, int64(got), int64(tt.want))
		}
	}
}

func TestPercentOfOverflowPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("PercentOf did not panic on overflow")
		}
	}()
	maxAmount.PercentOf(20000)
}

func TestGrossFromNet(t *testing.T) {
	tests := []struct {
		net        Amount
		r          Rate
		vat, gross Amount
	}{
		{10000, VAT23, 2300, 12300},
		{5, VAT23, 1, 6},
		{-5, VAT23, -1, -6},
		{10000, VAT8, 800, 10800},
		{10000, VAT5, 500, 10500},
		{10000, VAT0, 0, 10000},
		{0, VAT23, 0, 0},
		{1999, VAT23, 460, 2459},                // 459.77 -> 460
		{-1999, VAT23, -460, -2459},             // sign symmetric
		{8130, VAT23, 1870, 10000},              // 1869.9 -> 1870
		{4065, VAT23, 935, 5000},                // 934.95 -> 935 (half up)
		{-4065, VAT23, -935, -5000},             // -934.95 -> -935 (half away from zero)
		{123456789, VAT23, 28395061, 151851850}, // 28395061.47
	}
	for _, tt := range tests {
		vat, gross := GrossFromNet(tt.net, tt.r)
		if vat != tt.vat || gross != tt.gross {
			t.Errorf("GrossFromNet(%v, %v) = %v, %v; want %v, %v", tt.net, tt.r, vat, gross, tt.vat, tt.gross)
		}
	}
}

func TestNetFromGross(t *testing.T) {
	tests := []struct {
		gross    Amount
		r        Rate
		net, vat Amount
	}{
		{12300, VAT23, 10000, 2300},
		{-12300, VAT23, -10000, -2300},
		{10800, VAT8, 10000, 800},
		{10500, VAT5, 10000, 500},
		{10000, VAT0, 10000, 0},
		{0, VAT23, 0, 0},
		{1, VAT23, 1, 0},           // 0.813 -> 1
		{10000, VAT23, 8130, 1870}, // 8130.08 -> 8130
		{-10000, VAT23, -8130, -1870},
		{123, VAT23, 100, 23},
		{6, VAT23, 5, 1}, // 4.878 -> 5
		// 10000+r = 10800; gross 27 -> net 25.0 exactly; gross 81 -> 75.0
		{27, VAT8, 25, 2},
		// Exact half: gross*10000/(10000+r) = x.5. With r = 10000 (100%),
		// gross 3 -> 1.5 -> 2, and -3 -> -2.
		{3, 10000, 2, 1},
		{-3, 10000, -2, -1},
		{maxAmount, VAT0, maxAmount, 0},
		{minAmount, VAT0, minAmount, 0},
		{maxAmount, VAT23, 7498676452727460006, 1724695584127315801}, // needs >64-bit product
	}
	for _, tt := range tests {
		net, vat := NetFromGross(tt.gross, tt.r)
		if net != tt.net || vat != tt.vat {
			t.Errorf("NetFromGross(%v, %v) = %v, %v; want %v, %v", tt.gross, tt.r, net, vat, tt.net, tt.vat)
		}
		if net+vat != tt.gross {
			t.Errorf("NetFromGross(%v, %v): net+vat = %v", tt.gross, tt.r, net+vat)
		}
	}
}

func TestNetFromGrossInvalidRatePanics(t *testing.T) {
	for _, r := range []Rate{-10000, -20000, math.MaxInt64} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("NetFromGross(1, %d) did not panic", r)
				}
			}()
			NetFromGross(1, r)
		}()
	}
}

// TestVATRoundTrip checks that splitting the gross obtained from a net
// amount gives back the net amount, for the standard rates.
func TestVATRoundTrip(t *testing.T) {
	for _, r := range []Rate{VAT23, VAT8, VAT5, VAT0} {
		for net := Amount(-5000); net <= 5000; net++ {
			_, gross := GrossFromNet(net, r)
			back, _ := NetFromGross(gross, r)
			if back != net {
				t.Fatalf("rate %v: net %v -> gross %v -> net %v", r, net, gross, back)
			}
		}
	}
}

func TestRateString(t *testing.T) {
	tests := []struct {
		r    Rate
		want string
	}{
		{VAT23, "23%"}, {VAT8, "8%"}, {VAT0, "0%"}, {850, "8.5%"}, {1, "0.01%"}, {-50, "-0.5%"},
	}
	for _, tt := range tests {
		if got := tt.r.String(); got != tt.want {
			t.Errorf("Rate(%d).String() = %q; want %q", int64(tt.r), got, tt.want)
		}
	}
}

func TestMarshalJSON(t *testing.T) {
	type doc struct {
		Total Amount  `json:"total"`
		Opt   *Amount `json:"opt,omitempty"`
	}
	b, err := json.Marshal(doc{Total: -123456})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(b), `{"total":"-1234.56"}`; got != want {
		t.Errorf("json.Marshal = %s; want %s", got, want)
	}
	for _, a := range roundTripSamples {
		b, err := json.Marshal(a)
		if err != nil {
			t.Fatal(err)
		}
		var back Amount
		if err := json.Unmarshal(b, &back); err != nil || back != a {
			t.Errorf("json round trip of %d via %s = %d, %v", int64(a), b, int64(back), err)
		}
	}
}

func TestUnmarshalJSON(t *testing.T) {
	tests := []struct {
		in   string
		want Amount
	}{
		{`"1234.56"`, 123456},
		{`"-0.05"`, -5},
		{`"12.5"`, 1250},
		{`"12"`, 1200},
		{`"\u0031\u0032"`, 1200},
		{`12.5`, 1250},
		{`12`, 1200},
		{`-0`, 0},
		{`0`, 0},
		{`0.1`, 10},
		{`0.10`, 10},
		{`12.500`, 1250},
		{`12.5000000000000000000000000`, 1250},
		{`1e2`, 10000},
		{`1E+2`, 10000},
		{`1.5e2`, 15000},
		{`1250e-2`, 1250},
		{`125000e-4`, 1250},
		{`1e-2`, 1},
		{`0e99999999999999999999`, 0},
		{`0.000e-5`, 0},
		{`92233720368547758.07`, maxAmount},
		{`-92233720368547758.08`, minAmount},
		{`9.223372036854775807e16`, maxAmount},
		{`1e0`, 100},
	}
	for _, tt := range tests {
		var got Amount
		if err := json.Unmarshal([]byte(tt.in), &got); err != nil || got != tt.want {
			t.Errorf("Unmarshal(%s) = %d, %v; want %d", tt.in, int64(got), err, int64(tt.want))
		}
	}
}

func TestUnmarshalJSONNull(t *testing.T) {
	a := Amount(42)
	if err := json.Unmarshal([]byte(`null`), &a); err != nil || a != 42 {
		t.Errorf("Unmarshal(null) = %d, %v; want 42 unchanged", int64(a), err)
	}
}

func TestUnmarshalJSONErrors(t *testing.T) {
	tests := []struct {
		in   string
		want error
	}{
		{`""`, ErrEmpty},
		{`"abc"`, ErrSyntax},
		{`"1 234.56"`, ErrSyntax},
		{`"1,5"`, ErrSyntax},
		{`"12 zł"`, ErrSyntax},
		{`"+1"`, ErrSyntax},
		{`"01"`, ErrSyntax},
		{`".5"`, ErrSyntax},
		{`"5."`, ErrSyntax},
		{`"1e"`, ErrSyntax},
		{`"1e+"`, ErrSyntax},
		{`"--1"`, ErrSyntax},
		{`"NaN"`, ErrSyntax},
		{`"Infinity"`, ErrSyntax},
		{`"0x10"`, ErrSyntax},
		{`true`, ErrSyntax},
		{`"12.345"`, ErrTooManyDecimals},
		{`12.345`, ErrTooManyDecimals},
		{`0.001`, ErrTooManyDecimals},
		{`1e-3`, ErrTooManyDecimals},
		{`1e-99999999999`, ErrTooManyDecimals},
		{`123e-5`, ErrTooManyDecimals},
		{`92233720368547758.08`, ErrRange},
		{`-92233720368547758.09`, ErrRange},
		{`1e17`, ErrRange},
		{`1e99999999999`, ErrRange},
		{`100000000000000000000000`, ErrRange},
	}
	for _, tt := range tests {
		a := Amount(7)
		err := a.UnmarshalJSON([]byte(tt.in))
		if !errors.Is(err, tt.want) {
			t.Errorf("UnmarshalJSON(%s) error = %v; want %v", tt.in, err, tt.want)
		}
		if a != 7 {
			t.Errorf("UnmarshalJSON(%s) modified the amount on error: %d", tt.in, int64(a))
		}
	}
	// Syntax errors of the JSON document itself are reported by
	// encoding/json before UnmarshalJSON runs.
	var a Amount
	if err := json.Unmarshal([]byte(`"12`), &a); err == nil {
		t.Error(`Unmarshal("12) succeeded`)
	}
}

func FuzzParseRoundTrip(f *testing.F) {
	for _, a := range roundTripSamples {
		f.Add(int64(a))
	}
	f.Fuzz(func(t *testing.T, g int64) {
		a := FromGrosze(g)
		for _, s := range []string{
			a.String(),
			a.Format('\u00a0', ',') + " zł",
			a.Format(',', '.'),
			a.Format('.', ','),
		} {
			got, err := Parse(s)
			if err != nil || got != a {
				t.Fatalf("Parse(%q) = %d, %v; want %d", s, int64(got), err, g)
			}
		}
		b, _ := a.MarshalJSON()
		var back Amount
		if err := back.UnmarshalJSON(b); err != nil || back != a {
			t.Fatalf("JSON round trip of %d via %s = %d, %v", g, b, int64(back), err)
		}
		if err := back.UnmarshalJSON([]byte(a.String())); err != nil || back != a {
			t.Fatalf("JSON number %s = %d, %v", a, int64(back), err)
		}
	})
}

// FuzzParse feeds arbitrary text to Parse: it must never panic, and what it
// accepts must survive a trip through the canonical form.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"1 234,56 zł", "1,234.56", "-,5", "1.234", "PLN 1", "0,125", "9e9", "\u00a0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := Parse(s)
		if err != nil {
			if a != 0 {
				t.Fatalf("Parse(%q) = %d with error %v", s, int64(a), err)
			}
			return
		}
		back, err := Parse(a.String())
		if err != nil || back != a {
			t.Fatalf("Parse(%q) = %d; re-parse of %q = %d, %v", s, int64(a), a.String(), int64(back), err)
		}
	})
}

func BenchmarkParse(b *testing.B) {
	for b.Loop() {
		if _, err := Parse("-12 345 678,90 zł"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkFormat(b *testing.B) {
	a := Amount(-1234567890)
	for b.Loop() {
		_ = a.Format('\u00a0', ',')
	}
}
