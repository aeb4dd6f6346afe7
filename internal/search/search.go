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
	if out, ok := foldTable(s); ok {
		return collapse(strings.ToLower(out))
	}
	return collapse(strings.ToLower(foldUnicode(s)))
}

// foldUnicode folds any text: the letters of special, then the combining
// marks of the decomposition dropped.
func foldUnicode(s string) string {
	s = special.Replace(strings.ToValidUTF8(s, " "))
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, s)
	if err != nil {
		return s
	}
	return out
}

// folded holds what foldUnicode makes of each character of the ranges
// Polish text is written in beyond ASCII — Latin-1 Supplement and Latin
// Extended-A (all of Polish and most of Europe's Latin letters), general
// punctuation and currency signs („”, —, …, €) — worked out once from
// foldUnicode itself. Folding a name through the transform chain cost
// 6–9 µs, most of it building the chain: a third of the CPU of a search
// key, 3 s of the demo's 300 000 tasks.
var folded = []*foldRange{newFoldRange(0x80, 0x180), newFoldRange(0x2000, 0x20C0)}

type foldRange struct {
	first, end rune
	to         []string
}

func newFoldRange(first, end rune) *foldRange {
	fr := &foldRange{first: first, end: end, to: make([]string, end-first)}
	for r := first; r < end; r++ {
		fr.to[r-first] = foldUnicode(string(r))
	}
	return fr
}

// foldTable is foldUnicode for text whose other characters than ASCII are
// all in folded; ok is false for any other (combining marks, other
// scripts, invalid UTF-8), which foldUnicode folds instead. Each character
// of those ranges is folded on its own, as the transform folds it in any
// text without combining marks (TestFoldTable compares them).
func foldTable(s string) (string, bool) {
	b := make([]byte, 0, len(s))
next:
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			b = append(b, c)
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		for _, fr := range folded {
			if r >= fr.first && r < fr.end {
				b = append(b, fr.to[r-fr.first]...)
				i += n
				continue next
			}
		}
		return "", false
	}
	return string(b), true
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
