package search

import (
	"reflect"
	"strings"
	"testing"
)

func TestFold(t *testing.T) {
	for in, want := range map[string]string{
		"Łódź":                  "lodz",
		"ŻÓŁW":                  "zolw",
		"zażółć gęślą jaźń":     "zazolc gesla jazn",
		"Zażółć  Gęślą\tJaźń":   "zazolc gesla jazn",
		"ĄĆĘŁŃÓŚŹŻ ąćęłńóśźż":   "acelnoszz acelnoszz",
		"Jan.Kowalski@Firma.PL": "jan.kowalski@firma.pl",
		"„Piekarnia” (Kraków)":  "piekarnia krakow",
		"":                      "",
		"   ":                   "",
		"Müller Straße":         "muller strasse",
		"123-456-32-18":         "123-456-32-18",
	} {
		if got := Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestKeyAndTerms(t *testing.T) {
	k := Key("Hurtownia Żuraw Sp. z o.o.", "123-456-32-18", "+48 600 100 200", "")
	for _, q := range []string{"zuraw", "ŻURAW", "hurtownia żuraw", "1234563218", "123-456", "600100200", "sp."} {
		for _, term := range Terms(q) {
			if !strings.Contains(k, term) {
				t.Errorf("key %q does not contain %q (query %q)", k, term, q)
			}
		}
	}
	if got := Terms("  Łódź   Piotrkowska  "); !reflect.DeepEqual(got, []string{"lodz", "piotrkowska"}) {
		t.Errorf("Terms = %v", got)
	}
	if got := Terms(strings.Repeat("ą", 500)); len(got) != 1 || len(got[0]) != MaxQuery {
		t.Errorf("long query: %d terms, %d chars", len(got), len(got[0]))
	}
	if got := Terms("a b c d e f g h i j k"); len(got) != MaxTerms {
		t.Errorf("terms = %v", got)
	}
	if got := Terms(""); len(got) != 0 {
		t.Errorf("empty query → %v", got)
	}
}

func TestLike(t *testing.T) {
	if got := Like(`50%_a\b`); got != `%50\%\_a\\b%` {
		t.Errorf("Like = %q", got)
	}
}

func FuzzFold(f *testing.F) {
	f.Add("Łódź")
	f.Fuzz(func(t *testing.T, s string) {
		a := Fold(s)
		if Fold(a) != a {
			t.Fatalf("Fold is not idempotent on %q: %q → %q", s, a, Fold(a))
		}
	})
}

func BenchmarkKey(b *testing.B) {
	for b.Loop() {
		Key("Hurtownia Żuraw Sp. z o.o.", "123-456-32-18", "biuro@zuraw.pl", "+48 600 100 200", "Łódź")
	}
}

func TestTrigrams(t *testing.T) {
	for q, want := range map[string]string{
		"":                  "",
		"ab ł":              "",
		"łódź":              `"lodz"`,
		"kowalski ab łódź":  `"kowalski" "lodz"`,
		"jan_kowalski@x.pl": `"jan_kowalski@x.pl"`,
		"żółć":              `"zolc"`,
	} {
		if got := Trigrams(Terms(q)); got != want {
			t.Errorf("Trigrams(%q) = %q, want %q", q, got, want)
		}
	}
	if got := Trigrams([]string{`a"b"c`}); got != `"a""b""c"` {
		t.Errorf("quote: %q", got)
	}
}
