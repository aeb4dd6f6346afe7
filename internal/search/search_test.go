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

// The table folds as the transform chain does: every character up to
// Latin Extended-B and of the table's other ranges and beside them, alone,
// between others, and in text that takes the chain (combining marks, other
// scripts, invalid UTF-8).
func TestFoldTable(t *testing.T) {
	slow := func(s string) string { return collapse(strings.ToLower(foldUnicode(s))) }
	var texts []string
	var chars []rune
	for r := rune(0); r < 0x250; r++ {
		chars = append(chars, r)
	}
	for r := rune(0x1FF0); r < 0x20D0; r++ {
		chars = append(chars, r)
	}
	for _, r := range chars {
		c := string(r)
		texts = append(texts, c, "a"+c+"b", c+c, "Ż"+c+"ó", c+"\u0301", "x"+c+" Łódź")
	}
	texts = append(texts, "Łódź", "e\u0301cole", "Ǆemal", "Москва Łódź", "\xffŁódź\xfe", "Ściśle ﬁrma", "\ufffdŁ",
		"Ĳsselmeer", "Őrség Ű", "ǅ ǈ", "Ŀlobregat")
	for _, s := range texts {
		if got, want := Fold(s), slow(s); got != want {
			t.Errorf("Fold(%q) = %q, the transform gives %q", s, got, want)
		}
	}
	if _, ok := foldTable("„Łódź” — 1 200 €…"); !ok {
		t.Error("Polish text did not take the table")
	}
	if _, ok := foldTable("e\u0301"); ok {
		t.Error("a combining mark took the table")
	}
}

func BenchmarkFold(b *testing.B) {
	for b.Loop() {
		Fold("Przegląd instalacji u klienta — Zakład Usług Ślusarskich „Żuraw” Łódź")
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
