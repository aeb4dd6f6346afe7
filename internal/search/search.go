// Package search normalises text for diacritics-insensitive search in both
// databases. Records keep a search_key column — lower case, diacritics
// removed, "ł" folded to "l" — and queries are folded the same way, so
// "lodz" finds "Łódź" with a plain indexed LIKE on SQLite and PostgreSQL
// alike (SQLite's LIKE folds ASCII only, and "ł" has no decomposition).
package search

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// MaxTerms bounds how many words of a query are matched; MaxQuery bounds
// the query's length in characters. Longer input is cut, not refused.
const (
	MaxTerms = 8
	MaxQuery = 200
)

// fold maps the letters that have no Unicode decomposition to their base
// letter; everything else is decomposed and its combining marks dropped.
var special = strings.NewReplacer("ł", "l", "Ł", "l", "đ", "d", "Đ", "d", "ø", "o", "Ø", "o", "ß", "ss", "æ", "ae", "Æ", "ae", "œ", "oe", "Œ", "oe")

// Fold returns s in lower case without diacritics, with runs of white space
// and punctuation other than "@", ".", "-", "+" and "_" collapsed to one
// space.
func Fold(s string) string {
	if isPlainASCII(s) {
		return collapse(strings.ToLower(s))
	}
	s = special.Replace(strings.ToValidUTF8(s, " "))
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, s)
	if err != nil {
		out = s
	}
	return collapse(strings.ToLower(out))
}

func isPlainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func keep(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("@.-+_", r)
}

func collapse(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if !keep(r) {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Key builds a record's search key from its searchable fields. Digits-only
// variants of fields with separators (NIP "123-456-32-18", phone
// "+48 600 100 200") are added, so a query without the separators matches.
func Key(parts ...string) string {
	var b strings.Builder
	for _, p := range parts {
		f := Fold(p)
		if f == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(f)
		if d := digits(p); len(d) >= 5 && d != f {
			b.WriteByte(' ')
			b.WriteString(d)
		}
	}
	return b.String()
}

func digits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Terms folds a query into at most MaxTerms words; a record matches when its
// key contains every term.
func Terms(q string) []string {
	if utf8.RuneCountInString(q) > MaxQuery {
		q = string([]rune(q)[:MaxQuery])
	}
	f := strings.Fields(Fold(q))
	if len(f) > MaxTerms {
		f = f[:MaxTerms]
	}
	return f
}

// Like returns a LIKE pattern matching term anywhere, with LIKE's special
// characters escaped for "ESCAPE '\'".
func Like(term string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(term) + "%"
}

// TrigramMin is the shortest term a trigram index can find: shorter terms
// have no trigram and are matched by scanning.
const TrigramMin = 3

// Trigrams returns an FTS5 query (for a table with the trigram tokenizer)
// that matches the keys containing every term of TrigramMin or more
// characters, or "" when no term is that long. Each term is a quoted phrase,
// which FTS5 matches as a substring; the phrases are implicitly ANDed.
func Trigrams(terms []string) string {
	var b strings.Builder
	for _, t := range terms {
		if utf8.RuneCountInString(t) < TrigramMin {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(`"` + strings.ReplaceAll(t, `"`, `""`) + `"`)
	}
	return b.String()
}
