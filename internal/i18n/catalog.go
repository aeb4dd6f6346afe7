package i18n

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"

	"klientela/internal/money"
)

//go:embed locales/*.json
var localesFS embed.FS

// Catalog holds the parsed message catalogs of all supported languages.
// It is immutable and safe for concurrent use.
type Catalog struct {
	localizers map[Lang]*Localizer
	keys       map[Lang][]string // sorted
}

// Load parses the embedded catalogs. It fails if a catalog is missing, is
// not valid JSON, repeats a key, has a value that is neither a string nor a
// plural object, or has a plural object whose categories are not exactly
// those of its language.
func Load() (*Catalog, error) {
	return loadFS(localesFS, "locales")
}

// MustLoad is like [Load] but panics on error. The catalogs are compiled
// into the binary, so an error is a programming mistake caught by tests.
func MustLoad() *Catalog {
	c, err := Load()
	if err != nil {
		panic(err)
	}
	return c
}

// loadFS loads, for every supported language, dir/<lang>.json and every
// dir/<lang>.<area>.json beside it (one file per product area, so that
// sections can add their messages without touching one big file). A key may
// appear in only one file of a language.
func loadFS(fsys fs.FS, dir string) (*Catalog, error) {
	files, err := fs.Glob(fsys, path.Join(dir, "*.json"))
	if err != nil {
		return nil, err
	}
	byLang := map[Lang][]string{}
	for _, f := range files {
		name, _, _ := strings.Cut(strings.TrimSuffix(path.Base(f), ".json"), ".")
		if !slices.Contains(Supported, Lang(name)) {
			return nil, fmt.Errorf("i18n: catalog %s: unsupported language %q", f, name)
		}
		byLang[Lang(name)] = append(byLang[Lang(name)], f)
	}
	c := &Catalog{
		localizers: make(map[Lang]*Localizer, len(Supported)),
		keys:       make(map[Lang][]string, len(Supported)),
	}
	for _, l := range Supported {
		main := path.Join(dir, string(l)+".json")
		if !slices.Contains(byLang[l], main) {
			return nil, fmt.Errorf("i18n: open %s: %w", main, fs.ErrNotExist)
		}
		loc := locales[l]
		msgs := map[string]*message{}
		var keys []string
		for _, file := range byLang[l] {
			data, err := fs.ReadFile(fsys, file)
			if err != nil {
				return nil, fmt.Errorf("i18n: %w", err)
			}
			m, k, err := parseCatalog(data, loc)
			if err != nil {
				return nil, fmt.Errorf("i18n: catalog %s: %w", file, err)
			}
			for _, key := range k {
				if _, dup := msgs[key]; dup {
					return nil, fmt.Errorf("i18n: catalog %s: duplicate key %q (also in another %s catalog)", file, key, l)
				}
				msgs[key] = m[key]
			}
			keys = append(keys, k...)
		}
		slices.Sort(keys)
		c.localizers[l] = &Localizer{lang: l, msgs: msgs, loc: loc}
		c.keys[l] = keys
	}
	return c, nil
}

// Keys returns the sorted keys of the catalog of l, or nil if l is not
// supported. The caller may modify the returned slice.
func (c *Catalog) Keys(l Lang) []string {
	return slices.Clone(c.keys[l])
}

// For returns the localizer of l, falling back to the default language
// ([PL]) if l is not supported. It is cheap: the localizer is shared,
// immutable and safe for concurrent use. It never returns nil.
func (c *Catalog) For(l Lang) *Localizer {
	if loc, ok := c.localizers[l]; ok {
		return loc
	}
	return c.localizers[Default]
}

// message is a parsed catalog entry.
type message struct {
	text   template                 // a plain message
	plural bool                     // whether forms is used instead of text
	forms  [numCategories]*template // by plural category; nil if unused
}

// parseCatalog parses one catalog file.
func parseCatalog(data []byte, loc *locale) (map[string]*message, []string, error) {
	entries, err := decodeObject(data)
	if err != nil {
		return nil, nil, err
	}
	msgs := make(map[string]*message, len(entries))
	keys := make([]string, 0, len(entries))
	for _, e := range entries {
		m, err := parseMessage(e.value, loc)
		if err != nil {
			return nil, nil, fmt.Errorf("key %q: %w", e.key, err)
		}
		msgs[e.key] = m
		keys = append(keys, e.key)
	}
	slices.Sort(keys)
	return msgs, keys, nil
}

// parseMessage parses a catalog value: a string or a plural object.
func parseMessage(raw json.RawMessage, loc *locale) (*message, error) {
	switch raw[0] {
	case '"':
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, err
		}
		return &message{text: parseTemplate(s)}, nil
	case '{':
		entries, err := decodeObject(raw)
		if err != nil {
			return nil, err
		}
		m := &message{plural: true}
		for _, e := range entries {
			cat, ok := categoryByName(e.key)
			if !ok || !slices.Contains(loc.categories, cat) {
				return nil, fmt.Errorf("plural category %q is not used by language %q (want %s)",
					e.key, loc.lang, loc.categoryNames())
			}
			var s string
			if err := json.Unmarshal(e.value, &s); err != nil {
				return nil, fmt.Errorf("plural category %q: value is not a string", e.key)
			}
			t := parseTemplate(s)
			m.forms[cat] = &t
		}
		for _, cat := range loc.categories {
			if m.forms[cat] == nil {
				return nil, fmt.Errorf("plural category %q is missing (want %s)",
					categoryNames[cat], loc.categoryNames())
			}
		}
		return m, nil
	}
	return nil, errors.New("value is neither a string nor a plural object")
}

// entry is a member of a JSON object.
type entry struct {
	key   string
	value json.RawMessage
}

// decodeObject decodes a JSON object into its members in document order,
// rejecting duplicate keys (which encoding/json would silently merge).
func decodeObject(data []byte) ([]entry, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	if tok, err := dec.Token(); err != nil {
		return nil, err
	} else if tok != json.Delim('{') {
		return nil, errors.New("not a JSON object")
	}
	var entries []entry
	seen := make(map[string]bool)
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		key, ok := tok.(string)
		if !ok { // cannot happen: the decoder rejects non-string keys
			return nil, errors.New("object key is not a string")
		}
		if seen[key] {
			return nil, fmt.Errorf("duplicate key %q", key)
		}
		seen[key] = true
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, err
		}
		entries = append(entries, entry{key, v})
	}
	if _, err := dec.Token(); err != nil { // the closing '}'
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("data after the JSON object")
	}
	return entries, nil
}

// template is a message split into literal text and placeholders.
type template struct {
	raw   string
	parts []part // nil if raw has no placeholders
}

// part is a piece of a template: literal text followed by an optional
// placeholder.
type part struct {
	lit  string
	name string // "" for none
}

// parseTemplate finds the {name} placeholders in s.
func parseTemplate(s string) template {
	t := template{raw: s}
	rest := s
	for {
		name, before, after, ok := nextPlaceholder(rest)
		if !ok {
			break
		}
		t.parts = append(t.parts, part{lit: rest[:before], name: name})
		rest = rest[after:]
	}
	if t.parts != nil && rest != "" {
		t.parts = append(t.parts, part{lit: rest})
	}
	return t
}

// nextPlaceholder finds the first placeholder in s, returning its name and
// the offsets of its '{' and just after its '}'.
func nextPlaceholder(s string) (name string, start, end int, ok bool) {
	for off := 0; ; {
		i := strings.IndexByte(s[off:], '{')
		if i < 0 {
			return "", 0, 0, false
		}
		i += off
		j := i + 1
		for j < len(s) && isNameByte(s[j]) {
			j++
		}
		if j > i+1 && j < len(s) && s[j] == '}' {
			return s[i+1 : j], i, j + 1, true
		}
		off = i + 1
	}
}

func isNameByte(c byte) bool {
	return c == '_' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

// placeholders returns the names of the placeholders in s, in order.
func placeholders(s string) []string {
	var names []string
	for _, p := range parseTemplate(s).parts {
		if p.name != "" {
			names = append(names, p.name)
		}
	}
	return names
}

// Localizer translates and formats for one language. It is immutable and
// safe for concurrent use; get one from [Catalog.For].
type Localizer struct {
	lang Lang
	msgs map[string]*message // shared, never modified
	loc  *locale
}

// Lang returns the language of l.
func (l *Localizer) Lang() Lang { return l.lang }

// T returns the message key with its placeholders replaced by args, which
// are name/value pairs:
//
//	l.T("dashboard.greeting", "name", "Ala") // "Dzień dobry, Ala!"
//
// A missing key, or a key holding a plural message (use [Localizer.N]),
// returns the key itself. A placeholder without an argument is left as it
// is, and an argument without a placeholder, a non-string name or a final
// name without a value are ignored: T never panics.
//
// Values are formatted as follows: strings as they are; [money.Amount]
// with [Localizer.Money]; integers in plain digits, without grouping (so
// years and identifiers come out right; pass [Localizer.Int] of a count to
// have it grouped); anything else with [fmt.Sprint], which uses the Error
// or String method if there is one.
func (l *Localizer) T(key string, args ...any) string {
	m, ok := l.msgs[key]
	if !ok || m.plural {
		return key
	}
	return l.expand(&m.text, "", "", args)
}

// N returns the plural form of the message key that fits the count n, with
// {n} replaced by n formatted as by [Localizer.Int] and other placeholders
// replaced by args as in [Localizer.T]. An "n" pair in args takes
// precedence over n itself.
//
//	l.N("test.files", 5) // "5 plików"
//
// The form is chosen by the CLDR rules of the language for integers:
// Polish uses one for 1; few when n mod 10 is 2–4 and n mod 100 is not
// 12–14; many otherwise. English uses one for 1 and other otherwise. The
// rules look at |n|. If key holds a plain string, that string is used for
// every n; a missing key returns the key itself.
func (l *Localizer) N(key string, n int64, args ...any) string {
	m, ok := l.msgs[key]
	if !ok {
		return key
	}
	t := &m.text
	if m.plural {
		t = m.forms[l.loc.plural(absInt(n))]
	}
	return l.expand(t, "n", l.Int(n), args)
}

// expand substitutes placeholders in t. If extraName is not empty it is a
// fallback argument, consulted after args.
func (l *Localizer) expand(t *template, extraName, extraValue string, args []any) string {
	if t.parts == nil || (len(args) == 0 && extraName == "") {
		return t.raw
	}
	var b strings.Builder
	b.Grow(len(t.raw) + 16)
	for _, p := range t.parts {
		b.WriteString(p.lit)
		if p.name == "" {
			continue
		}
		if v, ok := lookupArg(args, p.name); ok {
			b.WriteString(l.formatArg(v))
		} else if p.name == extraName {
			b.WriteString(extraValue)
		} else {
			b.WriteByte('{')
			b.WriteString(p.name)
			b.WriteByte('}')
		}
	}
	return b.String()
}

// lookupArg finds the value of name in the name/value pairs args.
func lookupArg(args []any, name string) (any, bool) {
	for i := 0; i+1 < len(args); i += 2 {
		if s, ok := args[i].(string); ok && s == name {
			return args[i+1], true
		}
	}
	return nil, false
}

// formatArg formats a placeholder value; see T.
func (l *Localizer) formatArg(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case money.Amount:
		return l.Money(v)
	case int:
		return strconv.Itoa(v)
	case int8:
		return strconv.FormatInt(int64(v), 10)
	case int16:
		return strconv.FormatInt(int64(v), 10)
	case int32:
		return strconv.FormatInt(int64(v), 10)
	case int64:
		return strconv.FormatInt(v, 10)
	case uint:
		return strconv.FormatUint(uint64(v), 10)
	case uint8:
		return strconv.FormatUint(uint64(v), 10)
	case uint16:
		return strconv.FormatUint(uint64(v), 10)
	case uint32:
		return strconv.FormatUint(uint64(v), 10)
	case uint64:
		return strconv.FormatUint(v, 10)
	}
	// fmt prefers Error, then String, and recovers from panics in them.
	return fmt.Sprint(v)
}

// absInt returns |n|, exact for math.MinInt64.
func absInt(n int64) uint64 {
	if n < 0 {
		return uint64(-(n + 1)) + 1
	}
	return uint64(n)
}
