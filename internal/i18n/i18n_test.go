package i18n

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"klientela/internal/money"
)

func mustLoad(t testing.TB) *Catalog {
	t.Helper()
	c, err := Load()
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return c
}

// catalogProblems compares the catalogs of all supported languages with
// the Polish one: every key must exist in every catalog, be a plural
// message in all of them or in none, and use the same placeholders.
func catalogProblems(c *Catalog) []string {
	var problems []string
	ref := c.For(PL)
	for _, l := range Supported[1:] {
		other := c.For(l)
		keys := append(c.Keys(PL), c.Keys(l)...)
		slices.Sort(keys)
		for _, key := range slices.Compact(keys) {
			a, b := ref.msgs[key], other.msgs[key]
			switch {
			case a == nil:
				problems = append(problems, fmt.Sprintf("%q is missing in %s", key, PL))
				continue
			case b == nil:
				problems = append(problems, fmt.Sprintf("%q is missing in %s", key, l))
				continue
			case a.plural != b.plural:
				problems = append(problems, fmt.Sprintf("%q is a plural message in one of %s, %s but not in the other", key, PL, l))
			}
			if pa, pb := messagePlaceholders(a), messagePlaceholders(b); !slices.Equal(pa, pb) {
				problems = append(problems, fmt.Sprintf("%q: placeholders %v in %s but %v in %s", key, pa, PL, pb, l))
			}
		}
	}
	return problems
}

// messagePlaceholders returns the sorted set of placeholder names used in
// any form of m.
func messagePlaceholders(m *message) []string {
	var names []string
	add := func(t *template) {
		if t != nil {
			names = append(names, placeholders(t.raw)...)
		}
	}
	if m.plural {
		for _, t := range m.forms {
			add(t)
		}
	} else {
		add(&m.text)
	}
	slices.Sort(names)
	return slices.Compact(names)
}

func TestCatalogsMatch(t *testing.T) {
	c := mustLoad(t)
	for _, p := range catalogProblems(c) {
		t.Error(p)
	}
	if got, want := len(c.Keys(EN)), len(c.Keys(PL)); got != want {
		t.Errorf("en has %d keys, pl has %d", got, want)
	}
}

// TestCatalogProblemsDetects makes sure the check above fails when it
// should: a key missing on either side, a plural message on one side only,
// or different placeholders.
func TestCatalogProblemsDetects(t *testing.T) {
	const (
		pl = `{"a": "A", "b": "B {x}", "c": "C", "p": {"one": "1", "few": "2", "many": "5", "other": "1,5"}}`
		en = `{"a": "A", "b": "B {y}", "d": "D", "p": "P"}`
	)
	c, err := loadFS(fstest.MapFS{
		"l/pl.json": {Data: []byte(pl)},
		"l/en.json": {Data: []byte(en)},
	}, "l")
	if err != nil {
		t.Fatal(err)
	}
	got := catalogProblems(c)
	want := []string{
		`"b": placeholders [x] in pl but [y] in en`,
		`"c" is missing in en`,
		`"d" is missing in pl`,
		`"p" is a plural message in one of pl, en but not in the other`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("catalogProblems =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestPluralFormsComplete(t *testing.T) {
	c := mustLoad(t)
	want := map[Lang][]string{
		PL: {"one", "few", "many", "other"},
		EN: {"one", "other"},
	}
	for _, l := range Supported {
		loc := c.For(l)
		for _, key := range c.Keys(l) {
			m := loc.msgs[key]
			if !m.plural {
				continue
			}
			var have []string
			for cat, f := range m.forms {
				if f != nil {
					have = append(have, categoryNames[cat])
				}
			}
			if !slices.Equal(have, want[l]) {
				t.Errorf("%s %q has plural forms %v; want %v", l, key, have, want[l])
			}
		}
	}
}

// requiredKeys are the keys the UI uses; they must never disappear.
var requiredKeys = []string{
	"app.name",
	"nav.dashboard", "nav.clients", "nav.tasks", "nav.calendar", "nav.employees",
	"nav.documents", "nav.settings", "nav.main", "nav.menu", "nav.skip",
	"user.menu", "user.profile", "user.logout", "user.language", "lang.pl", "lang.en",
	"auth.login.title", "auth.login.submit", "auth.login.no_account", "auth.login.signup_link",
	"auth.signup.title", "auth.signup.submit", "auth.signup.have_account",
	"auth.signup.login_link", "auth.signup.lead",
	"field.company_name", "field.your_name", "field.email", "field.password",
	"field.password_hint", "field.current_password", "field.new_password",
	"field.new_password_confirm", "field.time_zone", "field.account_name",
	"err.required", "err.email_invalid", "err.email_taken", "err.password_short",
	"err.password_long", "err.too_long", "err.login_failed", "err.rate_limited",
	"err.password_mismatch", "err.current_password_wrong", "err.form",
	"err.body_too_large", "err.unsupported_media", "err.bad_json", "err.unauthorized",
	"err.forbidden", "err.not_found", "err.conflict", "err.invalid", "err.internal",
	"err.time_zone_invalid", "err.cross_origin",
	"errors.not_found.title", "errors.not_found.text", "errors.internal.title",
	"errors.internal.text", "errors.forbidden.title", "errors.forbidden.text",
	"errors.back_home",
	"dashboard.title", "dashboard.greeting", "dashboard.today", "dashboard.empty.title",
	"dashboard.empty.text", "dashboard.account", "dashboard.users_count",
	"dashboard.member_since",
	"profile.title", "profile.password.title", "profile.password.submit",
	"profile.password.changed", "profile.language.title", "profile.language.submit",
	"profile.language.saved",
	"settings.title", "settings.account.title", "settings.account.submit",
	"settings.account.saved",
	"common.save", "common.cancel", "common.close",
	"test.files",
}

func TestRequiredKeys(t *testing.T) {
	c := mustLoad(t)
	plurals := []string{"dashboard.users_count", "test.files"}
	for _, l := range Supported {
		loc := c.For(l)
		for _, key := range requiredKeys {
			m, ok := loc.msgs[key]
			if !ok {
				t.Errorf("%s: missing key %q", l, key)
				continue
			}
			if want := slices.Contains(plurals, key); m.plural != want {
				t.Errorf("%s: %q plural = %v; want %v", l, key, m.plural, want)
			}
			if !m.plural && strings.TrimSpace(m.text.raw) == "" {
				t.Errorf("%s: %q is empty", l, key)
			}
		}
	}
}

func TestCatalogValues(t *testing.T) {
	c := mustLoad(t)
	pl, en := c.For(PL), c.For(EN)
	tests := []struct {
		l    *Localizer
		key  string
		want string
	}{
		// A language's own name is the same in every catalog.
		{pl, "lang.pl", "Polski"},
		{en, "lang.pl", "Polski"},
		{pl, "lang.en", "English"},
		{en, "lang.en", "English"},
		{pl, "app.name", "Klientela"},
		{en, "app.name", "Klientela"},
		{pl, "nav.documents", "Dokumenty i pliki"},
		{en, "nav.documents", "Documents & files"},
		{pl, "user.logout", "Wyloguj się"},
		{pl, "field.email", "Adres e-mail"},
		{pl, "err.cross_origin", "Żądanie z innej witryny zostało odrzucone."},
		{pl, "errors.back_home", "Wróć na pulpit"},
	}
	for _, tt := range tests {
		if got := tt.l.T(tt.key); got != tt.want {
			t.Errorf("%s T(%q) = %q; want %q", tt.l.Lang(), tt.key, got, tt.want)
		}
	}
	for _, l := range []*Localizer{pl, en} {
		if got := l.T("errors.internal.text", "id", "ERR-42"); !strings.Contains(got, "ERR-42") {
			t.Errorf("%s errors.internal.text does not mention the error id: %q", l.Lang(), got)
		}
	}
}

func TestLoadErrors(t *testing.T) {
	const okPL = `{"a": "A"}`
	const okEN = `{"a": "A"}`
	tests := []struct {
		name string
		fs   fstest.MapFS
		want string
	}{
		{"invalid JSON", fstest.MapFS{"l/pl.json": {Data: []byte(`{"a": "A",}`)}, "l/en.json": {Data: []byte(okEN)}}, "pl.json"},
		{"truncated JSON", fstest.MapFS{"l/pl.json": {Data: []byte(okPL)}, "l/en.json": {Data: []byte(`{"a": "A"`)}}, "en.json"},
		{"not an object", fstest.MapFS{"l/pl.json": {Data: []byte(`["a"]`)}, "l/en.json": {Data: []byte(okEN)}}, "not a JSON object"},
		{"trailing data", fstest.MapFS{"l/pl.json": {Data: []byte(`{"a": "A"} {}`)}, "l/en.json": {Data: []byte(okEN)}}, "data after"},
		{"duplicate key", fstest.MapFS{"l/pl.json": {Data: []byte(`{"a": "A", "a": "B"}`)}, "l/en.json": {Data: []byte(okEN)}}, `duplicate key "a"`},
		{"number value", fstest.MapFS{"l/pl.json": {Data: []byte(`{"a": 1}`)}, "l/en.json": {Data: []byte(okEN)}}, "neither a string nor a plural object"},
		{"null value", fstest.MapFS{"l/pl.json": {Data: []byte(`{"a": null}`)}, "l/en.json": {Data: []byte(okEN)}}, "neither"},
		{"missing pl form", fstest.MapFS{"l/pl.json": {Data: []byte(`{"p": {"one": "1", "few": "2", "other": "x"}}`)}, "l/en.json": {Data: []byte(okEN)}}, `"many" is missing`},
		{"en form not used", fstest.MapFS{"l/pl.json": {Data: []byte(okPL)}, "l/en.json": {Data: []byte(`{"p": {"one": "1", "few": "2", "other": "x"}}`)}}, `"few" is not used`},
		{"unknown form", fstest.MapFS{"l/pl.json": {Data: []byte(okPL)}, "l/en.json": {Data: []byte(`{"p": {"one": "1", "otehr": "x"}}`)}}, `"otehr"`},
		{"non-string form", fstest.MapFS{"l/pl.json": {Data: []byte(okPL)}, "l/en.json": {Data: []byte(`{"p": {"one": 1, "other": "x"}}`)}}, "not a string"},
		{"missing catalog", fstest.MapFS{"l/pl.json": {Data: []byte(okPL)}}, "en.json"},
		{"unsupported language", fstest.MapFS{"l/pl.json": {Data: []byte(okPL)}, "l/en.json": {Data: []byte(okEN)}, "l/de.json": {Data: []byte(okEN)}}, `"de"`},
		{"unsupported area file", fstest.MapFS{"l/pl.json": {Data: []byte(okPL)}, "l/en.json": {Data: []byte(okEN)}, "l/de.x.json": {Data: []byte(okEN)}}, `"de"`},
		{"key in two files", fstest.MapFS{"l/pl.json": {Data: []byte(okPL)}, "l/pl.extra.json": {Data: []byte(okPL)}, "l/en.json": {Data: []byte(okEN)}}, "duplicate key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := loadFS(tt.fs, "l")
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("loadFS error = %v; want one containing %q", err, tt.want)
			}
		})
	}
}

func TestMustLoad(t *testing.T) {
	if MustLoad() == nil {
		t.Fatal("MustLoad returned nil")
	}
}

func TestKeys(t *testing.T) {
	c := mustLoad(t)
	keys := c.Keys(PL)
	if !slices.IsSorted(keys) {
		t.Error("Keys are not sorted")
	}
	if !slices.Contains(keys, "dashboard.greeting") {
		t.Error("Keys lacks dashboard.greeting")
	}
	keys[0] = "changed"
	if c.Keys(PL)[0] == "changed" {
		t.Error("Keys returned the catalog's own slice")
	}
	if c.Keys("de") != nil {
		t.Error(`Keys("de") != nil`)
	}
}

func TestFor(t *testing.T) {
	c := mustLoad(t)
	for _, l := range Supported {
		if got := c.For(l).Lang(); got != l {
			t.Errorf("For(%q).Lang() = %q", l, got)
		}
		if c.For(l) != c.For(l) {
			t.Errorf("For(%q) is not shared", l)
		}
	}
	for _, l := range []Lang{"", "de", "PL"} {
		if got := c.For(l).Lang(); got != PL {
			t.Errorf("For(%q).Lang() = %q; want pl", l, got)
		}
	}
}

type stringer struct{}

func (stringer) String() string { return "str" }

func TestT(t *testing.T) {
	c := mustLoad(t)
	pl, en := c.For(PL), c.For(EN)
	var nilStringer *strings.Builder
	tests := []struct {
		l    *Localizer
		key  string
		args []any
		want string
	}{
		{pl, "dashboard.greeting", []any{"name", "Ala"}, "Dzień dobry, Ala!"},
		{en, "dashboard.greeting", []any{"name", "Ala"}, "Hello, Ala!"},
		{pl, "common.save", nil, "Zapisz"},
		{pl, "common.save", []any{"unused", 1}, "Zapisz"},
		// Missing key: the key itself.
		{pl, "no.such.key", nil, "no.such.key"},
		{en, "no.such.key", []any{"name", "x"}, "no.such.key"},
		{pl, "", nil, ""},
		// Plural message through T: the key.
		{pl, "test.files", nil, "test.files"},
		// Missing argument: the placeholder stays.
		{pl, "dashboard.greeting", nil, "Dzień dobry, {name}!"},
		{pl, "dashboard.greeting", []any{"other", "x"}, "Dzień dobry, {name}!"},
		// Odd and malformed argument lists never panic.
		{pl, "dashboard.greeting", []any{"name"}, "Dzień dobry, {name}!"},
		{pl, "dashboard.greeting", []any{42, "x", "name", "Ola"}, "Dzień dobry, Ola!"},
		{pl, "dashboard.greeting", []any{nil, nil}, "Dzień dobry, {name}!"},
		{pl, "dashboard.greeting", []any{"name", nil}, "Dzień dobry, <nil>!"},
		{pl, "dashboard.greeting", []any{"name", nilStringer}, "Dzień dobry, <nil>!"},
		// The first pair with a name wins.
		{pl, "dashboard.greeting", []any{"name", "A", "name", "B"}, "Dzień dobry, A!"},
		// Value formatting.
		{pl, "err.password_short", []any{"min", 10}, "Hasło musi mieć co najmniej 10 znaków."},
		{en, "err.password_long", []any{"max", int64(12345)}, "Password can be at most 12345 characters long."},
		{pl, "err.rate_limited", []any{"minutes", uint8(15)}, "Zbyt wiele prób logowania. Spróbuj ponownie za 15 min."},
		{pl, "dashboard.greeting", []any{"name", money.FromGrosze(1234567)}, "Dzień dobry, 12\u00a0345,67\u00a0zł!"},
		{en, "dashboard.greeting", []any{"name", money.FromGrosze(-5)}, "Hello, -PLN\u00a00.05!"},
		{pl, "dashboard.greeting", []any{"name", stringer{}}, "Dzień dobry, str!"},
		{pl, "dashboard.greeting", []any{"name", errors.New("oops")}, "Dzień dobry, oops!"},
		{pl, "dashboard.greeting", []any{"name", 1.5}, "Dzień dobry, 1.5!"},
		{pl, "dashboard.greeting", []any{"name", "{name}"}, "Dzień dobry, {name}!"},
		{pl, "errors.internal.text", []any{"id", "a1b2"}, "Przepraszamy, po naszej stronie wystąpił błąd. Spróbuj ponownie za chwilę. Jeśli problem się powtarza, napisz do nas i podaj identyfikator błędu: a1b2."},
	}
	for _, tt := range tests {
		if got := tt.l.T(tt.key, tt.args...); got != tt.want {
			t.Errorf("%s T(%q, %v) = %q; want %q", tt.l.Lang(), tt.key, tt.args, got, tt.want)
		}
	}
}

func TestTemplate(t *testing.T) {
	tests := []struct {
		in   string
		args []any
		want string
	}{
		{"", nil, ""},
		{"plain", []any{"a", "x"}, "plain"},
		{"{a}", []any{"a", "x"}, "x"},
		{"{a}{b}", []any{"a", "x", "b", "y"}, "xy"},
		{"<{a}> and {a}", []any{"a", "x"}, "<x> and x"},
		{"{a", []any{"a", "x"}, "{a"},
		{"a}", []any{"a", "x"}, "a}"},
		{"{}", []any{"", "x"}, "{}"},
		{"{{a}}", []any{"a", "x"}, "{x}"},
		{"{a b}", []any{"a b", "x"}, "{a b}"},
		{"{a-b}", []any{"a-b", "x"}, "{a-b}"},
		{"{Snake_Case9}", []any{"Snake_Case9", "x"}, "x"},
		{"{a}ł{b}ż", []any{"a", "ą", "b", "ę"}, "ąłęż"},
		{"{a} {missing}", []any{"a", "x"}, "x {missing}"},
	}
	l := &Localizer{lang: PL, loc: locales[PL]}
	for _, tt := range tests {
		tmpl := parseTemplate(tt.in)
		if got := l.expand(&tmpl, "", "", tt.args); got != tt.want {
			t.Errorf("expand(%q, %v) = %q; want %q", tt.in, tt.args, got, tt.want)
		}
	}
}

func TestPluralRules(t *testing.T) {
	tests := []struct {
		n      uint64
		pl, en category
	}{
		{0, catMany, catOther},
		{1, catOne, catOne},
		{2, catFew, catOther},
		{3, catFew, catOther},
		{4, catFew, catOther},
		{5, catMany, catOther},
		{10, catMany, catOther},
		{11, catMany, catOther},
		{12, catMany, catOther},
		{13, catMany, catOther},
		{14, catMany, catOther},
		{15, catMany, catOther},
		{21, catMany, catOther},
		{22, catFew, catOther},
		{24, catFew, catOther},
		{25, catMany, catOther},
		{101, catMany, catOther},
		{102, catFew, catOther},
		{111, catMany, catOther},
		{112, catMany, catOther},
		{114, catMany, catOther},
		{122, catFew, catOther},
		{1000, catMany, catOther},
		{1001, catMany, catOther},
		{1002, catFew, catOther},
		{math.MaxUint64, catMany, catOther}, // ...615
	}
	for _, tt := range tests {
		if got := pluralPL(tt.n); got != tt.pl {
			t.Errorf("pluralPL(%d) = %s; want %s", tt.n, categoryNames[got], categoryNames[tt.pl])
		}
		if got := pluralEN(tt.n); got != tt.en {
			t.Errorf("pluralEN(%d) = %s; want %s", tt.n, categoryNames[got], categoryNames[tt.en])
		}
	}
}

func TestN(t *testing.T) {
	c := mustLoad(t)
	pl, en := c.For(PL), c.For(EN)
	tests := []struct {
		n      int64
		pl, en string
	}{
		{0, "0 plików", "0 files"},
		{1, "1 plik", "1 file"},
		{2, "2 pliki", "2 files"},
		{4, "4 pliki", "4 files"},
		{5, "5 plików", "5 files"},
		{11, "11 plików", "11 files"},
		{12, "12 plików", "12 files"},
		{14, "14 plików", "14 files"},
		{21, "21 plików", "21 files"},
		{22, "22 pliki", "22 files"},
		{25, "25 plików", "25 files"},
		{101, "101 plików", "101 files"},
		{102, "102 pliki", "102 files"},
		{112, "112 plików", "112 files"},
		{1000, "1000 plików", "1,000 files"},
		{12345, "12\u00a0345 plików", "12,345 files"},
		{1000002, "1\u00a0000\u00a0002 pliki", "1,000,002 files"},
		{-1, "-1 plik", "-1 file"},
		{-3, "-3 pliki", "-3 files"},
		{-12, "-12 plików", "-12 files"},
		{math.MinInt64, "-9\u00a0223\u00a0372\u00a0036\u00a0854\u00a0775\u00a0808 plików", "-9,223,372,036,854,775,808 files"},
	}
	for _, tt := range tests {
		if got := pl.N("test.files", tt.n); got != tt.pl {
			t.Errorf("pl N(test.files, %d) = %q; want %q", tt.n, got, tt.pl)
		}
		if got := en.N("test.files", tt.n); got != tt.en {
			t.Errorf("en N(test.files, %d) = %q; want %q", tt.n, got, tt.en)
		}
	}

	users := []struct {
		n      int64
		pl, en string
	}{
		{1, "1 użytkownik", "1 user"},
		{3, "3 użytkownicy", "3 users"},
		{5, "5 użytkowników", "5 users"},
		{13, "13 użytkowników", "13 users"},
		{23, "23 użytkownicy", "23 users"},
	}
	for _, tt := range users {
		if got := pl.N("dashboard.users_count", tt.n); got != tt.pl {
			t.Errorf("pl N(dashboard.users_count, %d) = %q; want %q", tt.n, got, tt.pl)
		}
		if got := en.N("dashboard.users_count", tt.n); got != tt.en {
			t.Errorf("en N(dashboard.users_count, %d) = %q; want %q", tt.n, got, tt.en)
		}
	}

	// Missing key, plain messages, extra arguments and an explicit n.
	if got := pl.N("no.such.key", 3); got != "no.such.key" {
		t.Errorf("N on a missing key = %q", got)
	}
	if got := pl.N("dashboard.greeting", 3, "name", "Ala"); got != "Dzień dobry, Ala!" {
		t.Errorf("N on a plain message = %q", got)
	}
	if got := pl.N("test.files", 12345, "n", "dużo"); got != "dużo plików" {
		t.Errorf("N with an explicit n argument = %q", got)
	}
}

func TestParseLang(t *testing.T) {
	tests := []struct {
		in   string
		want Lang
		ok   bool
	}{
		{"pl", PL, true},
		{"PL", PL, true},
		{"pl-PL", PL, true},
		{"pl_PL", PL, true},
		{" pl ", PL, true},
		{"en", EN, true},
		{"EN", EN, true},
		{"en-GB", EN, true},
		{"en-US", EN, true},
		{"en_us", EN, true},
		{"en-Latn-US", EN, true},
		{"", "", false},
		{"de", "", false},
		{"de-PL", "", false},
		{"english", "", false},
		{"polski", "", false},
		{"und", "", false},
		{"x-pl", "", false},
		{"pl,en", "", false},
		{"en;q=0.5", "", false},
	}
	for _, tt := range tests {
		got, ok := ParseLang(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("ParseLang(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestNegotiate(t *testing.T) {
	tests := []struct {
		header string
		want   Lang
	}{
		{"en-US,en;q=0.9", EN},
		{"pl", PL},
		{"pl-PL,pl;q=0.9,en-US;q=0.8,en;q=0.7", PL},
		{"de-DE,de;q=0.9,en;q=0.5", EN},
		{"de-DE,de;q=0.9,en;q=0.5,pl;q=0.4", EN},
		{"en;q=0.5,pl;q=0.9", PL},
		{"en-GB", EN},
		{"EN-gb", EN},
		{"fr", PL},
		{"fr-FR,fr;q=0.9", PL},
		{"cs,sk;q=0.8", PL},
		{"", PL},
		{"*", PL},
		{"en;q=0", PL},
		{"garbage!!", PL},
		{";;;,,,", PL},
		{"en;q=abc", PL},
		{"xx!,en", EN},
		{"en-US,zz@@;q=0.9", EN},
		{strings.Repeat("en-US,", 2000), PL},
		{strings.Repeat("a-", 5000), PL},
	}
	for _, tt := range tests {
		if got := Negotiate(tt.header); got != tt.want {
			name := tt.header
			if len(name) > 40 {
				name = name[:40] + "…"
			}
			t.Errorf("Negotiate(%q) = %q; want %q", name, got, tt.want)
		}
	}
}

func TestDateFormatting(t *testing.T) {
	c := mustLoad(t)
	pl, en := c.For(PL), c.For(EN)
	ts := time.Date(2026, 11, 28, 14, 30, 59, 0, time.UTC)
	tests := []struct {
		name   string
		f      func(*Localizer, time.Time) string
		pl, en string
	}{
		{"Date", (*Localizer).Date, "28.11.2026", "28/11/2026"},
		{"Time", (*Localizer).Time, "14:30", "14:30"},
		{"DateTime", (*Localizer).DateTime, "28.11.2026 14:30", "28/11/2026 14:30"},
		{"LongDate", (*Localizer).LongDate, "sobota, 28 listopada 2026", "Saturday, 28 November 2026"},
		{"MonthYear", (*Localizer).MonthYear, "listopad 2026", "November 2026"},
	}
	for _, tt := range tests {
		if got := tt.f(pl, ts); got != tt.pl {
			t.Errorf("pl %s = %q; want %q", tt.name, got, tt.pl)
		}
		if got := tt.f(en, ts); got != tt.en {
			t.Errorf("en %s = %q; want %q", tt.name, got, tt.en)
		}
	}
	// Leading zeros in short dates and times, none in long dates.
	early := time.Date(2026, 3, 5, 7, 5, 0, 0, time.UTC)
	if got := pl.DateTime(early); got != "05.03.2026 07:05" {
		t.Errorf("pl DateTime = %q", got)
	}
	if got := en.DateTime(early); got != "05/03/2026 07:05" {
		t.Errorf("en DateTime = %q", got)
	}
	if got := pl.LongDate(early); got != "czwartek, 5 marca 2026" {
		t.Errorf("pl LongDate = %q", got)
	}
	if got := en.LongDate(early); got != "Thursday, 5 March 2026" {
		t.Errorf("en LongDate = %q", got)
	}
}

func TestMonths(t *testing.T) {
	c := mustLoad(t)
	pl, en := c.For(PL), c.For(EN)
	nominative := []string{"styczeń", "luty", "marzec", "kwiecień", "maj", "czerwiec",
		"lipiec", "sierpień", "wrzesień", "październik", "listopad", "grudzień"}
	genitive := []string{"stycznia", "lutego", "marca", "kwietnia", "maja", "czerwca",
		"lipca", "sierpnia", "września", "października", "listopada", "grudnia"}
	english := []string{"January", "February", "March", "April", "May", "June",
		"July", "August", "September", "October", "November", "December"}
	for m := time.January; m <= time.December; m++ {
		ts := time.Date(2027, m, 15, 12, 0, 0, 0, time.UTC)
		if got, want := pl.MonthYear(ts), nominative[m-1]+" 2027"; got != want {
			t.Errorf("pl MonthYear(%v) = %q; want %q", m, got, want)
		}
		if got, want := en.MonthYear(ts), english[m-1]+" 2027"; got != want {
			t.Errorf("en MonthYear(%v) = %q; want %q", m, got, want)
		}
		if got, want := pl.LongDate(ts), ", 15 "+genitive[m-1]+" 2027"; !strings.HasSuffix(got, want) {
			t.Errorf("pl LongDate(%v) = %q; want suffix %q", m, got, want)
		}
		if got, want := en.LongDate(ts), ", 15 "+english[m-1]+" 2027"; !strings.HasSuffix(got, want) {
			t.Errorf("en LongDate(%v) = %q; want suffix %q", m, got, want)
		}
	}
}

func TestWeekdays(t *testing.T) {
	c := mustLoad(t)
	pl, en := c.For(PL), c.For(EN)
	tests := []struct {
		d           time.Weekday
		pl, plShort string
		en, enShort string
	}{
		{time.Monday, "poniedziałek", "pn", "Monday", "Mon"},
		{time.Tuesday, "wtorek", "wt", "Tuesday", "Tue"},
		{time.Wednesday, "środa", "śr", "Wednesday", "Wed"},
		{time.Thursday, "czwartek", "cz", "Thursday", "Thu"},
		{time.Friday, "piątek", "pt", "Friday", "Fri"},
		{time.Saturday, "sobota", "so", "Saturday", "Sat"},
		{time.Sunday, "niedziela", "nd", "Sunday", "Sun"},
		{time.Weekday(7), "", "", "", ""},
		{time.Weekday(-1), "", "", "", ""},
	}
	for _, tt := range tests {
		if got := pl.Weekday(tt.d); got != tt.pl {
			t.Errorf("pl Weekday(%d) = %q; want %q", tt.d, got, tt.pl)
		}
		if got := pl.WeekdayShort(tt.d); got != tt.plShort {
			t.Errorf("pl WeekdayShort(%d) = %q; want %q", tt.d, got, tt.plShort)
		}
		if got := en.Weekday(tt.d); got != tt.en {
			t.Errorf("en Weekday(%d) = %q; want %q", tt.d, got, tt.en)
		}
		if got := en.WeekdayShort(tt.d); got != tt.enShort {
			t.Errorf("en WeekdayShort(%d) = %q; want %q", tt.d, got, tt.enShort)
		}
	}
}

// TestDateFormattingAcrossDST formats instants around the 2026 daylight
// saving time changes in Poland (29 March: 02:00 CET → 03:00 CEST;
// 25 October: 03:00 CEST → 02:00 CET) after converting them to
// Europe/Warsaw, as callers do.
func TestDateFormattingAcrossDST(t *testing.T) {
	warsaw, err := time.LoadLocation("Europe/Warsaw")
	if err != nil {
		t.Fatal(err)
	}
	c := mustLoad(t)
	pl, en := c.For(PL), c.For(EN)
	tests := []struct {
		utc    string
		pl, en string
		zone   string
	}{
		// Spring forward.
		{"2026-03-28T23:30:00Z", "29.03.2026 00:30", "29/03/2026 00:30", "CET"},
		{"2026-03-29T00:59:00Z", "29.03.2026 01:59", "29/03/2026 01:59", "CET"},
		{"2026-03-29T01:00:00Z", "29.03.2026 03:00", "29/03/2026 03:00", "CEST"},
		{"2026-03-29T21:59:00Z", "29.03.2026 23:59", "29/03/2026 23:59", "CEST"},
		{"2026-03-29T22:00:00Z", "30.03.2026 00:00", "30/03/2026 00:00", "CEST"},
		// Fall back: 02:30 happens twice.
		{"2026-10-24T22:30:00Z", "25.10.2026 00:30", "25/10/2026 00:30", "CEST"},
		{"2026-10-25T00:30:00Z", "25.10.2026 02:30", "25/10/2026 02:30", "CEST"},
		{"2026-10-25T01:30:00Z", "25.10.2026 02:30", "25/10/2026 02:30", "CET"},
		{"2026-10-25T22:59:00Z", "25.10.2026 23:59", "25/10/2026 23:59", "CET"},
		{"2026-10-25T23:00:00Z", "26.10.2026 00:00", "26/10/2026 00:00", "CET"},
	}
	for _, tt := range tests {
		u, err := time.Parse(time.RFC3339, tt.utc)
		if err != nil {
			t.Fatal(err)
		}
		local := u.In(warsaw)
		if zone, _ := local.Zone(); zone != tt.zone {
			t.Errorf("%s is in %s; want %s", tt.utc, zone, tt.zone)
		}
		if got := pl.DateTime(local); got != tt.pl {
			t.Errorf("pl DateTime(%s) = %q; want %q", tt.utc, got, tt.pl)
		}
		if got := en.DateTime(local); got != tt.en {
			t.Errorf("en DateTime(%s) = %q; want %q", tt.utc, got, tt.en)
		}
		if got, want := pl.Date(local)+" "+pl.Time(local), tt.pl; got != want {
			t.Errorf("pl Date+Time(%s) = %q; want %q", tt.utc, got, want)
		}
	}

	// The same instant is on different days in UTC and in Warsaw.
	u := time.Date(2026, 10, 24, 22, 30, 0, 0, time.UTC)
	if got := pl.LongDate(u); got != "sobota, 24 października 2026" {
		t.Errorf("pl LongDate(UTC) = %q", got)
	}
	if got := pl.LongDate(u.In(warsaw)); got != "niedziela, 25 października 2026" {
		t.Errorf("pl LongDate(Warsaw) = %q", got)
	}
	if got := en.LongDate(u.In(warsaw)); got != "Sunday, 25 October 2026" {
		t.Errorf("en LongDate(Warsaw) = %q", got)
	}
	spring := time.Date(2026, 3, 29, 1, 0, 0, 0, time.UTC).In(warsaw)
	if got := pl.LongDate(spring); got != "niedziela, 29 marca 2026" {
		t.Errorf("pl LongDate(spring) = %q", got)
	}
	if got := pl.MonthYear(spring); got != "marzec 2026" {
		t.Errorf("pl MonthYear(spring) = %q", got)
	}
}

func TestInt(t *testing.T) {
	c := mustLoad(t)
	pl, en := c.For(PL), c.For(EN)
	tests := []struct {
		n      int64
		pl, en string
	}{
		{0, "0", "0"},
		{7, "7", "7"},
		{999, "999", "999"},
		{1000, "1000", "1,000"},
		{1234, "1234", "1,234"},
		{9999, "9999", "9,999"},
		{10000, "10\u00a0000", "10,000"},
		{12345, "12\u00a0345", "12,345"},
		{123456, "123\u00a0456", "123,456"},
		{1234567, "1\u00a0234\u00a0567", "1,234,567"},
		{-1, "-1", "-1"},
		{-1234, "-1234", "-1,234"},
		{-12345, "-12\u00a0345", "-12,345"},
		{math.MaxInt64, "9\u00a0223\u00a0372\u00a0036\u00a0854\u00a0775\u00a0807", "9,223,372,036,854,775,807"},
		{math.MinInt64, "-9\u00a0223\u00a0372\u00a0036\u00a0854\u00a0775\u00a0808", "-9,223,372,036,854,775,808"},
	}
	for _, tt := range tests {
		if got := pl.Int(tt.n); got != tt.pl {
			t.Errorf("pl Int(%d) = %q; want %q", tt.n, got, tt.pl)
		}
		if got := en.Int(tt.n); got != tt.en {
			t.Errorf("en Int(%d) = %q; want %q", tt.n, got, tt.en)
		}
	}
}

func TestMoney(t *testing.T) {
	c := mustLoad(t)
	pl, en := c.For(PL), c.For(EN)
	tests := []struct {
		grosze int64
		pl, en string
	}{
		{0, "0,00\u00a0zł", "PLN\u00a00.00"},
		{5, "0,05\u00a0zł", "PLN\u00a00.05"},
		{-5, "-0,05\u00a0zł", "-PLN\u00a00.05"},
		{100, "1,00\u00a0zł", "PLN\u00a01.00"},
		{99999, "999,99\u00a0zł", "PLN\u00a0999.99"},
		{100000, "1000,00\u00a0zł", "PLN\u00a01,000.00"},
		{123456, "1234,56\u00a0zł", "PLN\u00a01,234.56"},
		{-123456, "-1234,56\u00a0zł", "-PLN\u00a01,234.56"},
		{999999, "9999,99\u00a0zł", "PLN\u00a09,999.99"},
		{1000000, "10\u00a0000,00\u00a0zł", "PLN\u00a010,000.00"},
		{1234567, "12\u00a0345,67\u00a0zł", "PLN\u00a012,345.67"},
		{-1234567, "-12\u00a0345,67\u00a0zł", "-PLN\u00a012,345.67"},
		{123456789012, "1\u00a0234\u00a0567\u00a0890,12\u00a0zł", "PLN\u00a01,234,567,890.12"},
		{math.MinInt64, "-92\u00a0233\u00a0720\u00a0368\u00a0547\u00a0758,08\u00a0zł", "-PLN\u00a092,233,720,368,547,758.08"},
	}
	for _, tt := range tests {
		a := money.FromGrosze(tt.grosze)
		if got := pl.Money(a); got != tt.pl {
			t.Errorf("pl Money(%v) = %q; want %q", a, got, tt.pl)
		}
		if got := en.Money(a); got != tt.en {
			t.Errorf("en Money(%v) = %q; want %q", a, got, tt.en)
		}
		// What we print, money.Parse reads back.
		for _, s := range []string{pl.Money(a), en.Money(a)} {
			if back, err := money.Parse(s); err != nil || back != a {
				t.Errorf("money.Parse(%q) = %v, %v; want %v", s, back, err, a)
			}
		}
	}
}

func TestLoadZone(t *testing.T) {
	for _, name := range []string{"", "Europe/Warsaw", "UTC", "America/New_York", "Europe/London"} {
		z, err := LoadZone(name)
		if err != nil {
			t.Errorf("LoadZone(%q): %v", name, err)
			continue
		}
		want := name
		if name == "" {
			want = DefaultZone
		}
		if z.String() != want {
			t.Errorf("LoadZone(%q) = %v; want %s", name, z, want)
		}
		again, _ := LoadZone(name)
		if again != z {
			t.Errorf("LoadZone(%q) is not cached", name)
		}
	}
	for _, name := range []string{"Local", "Mars/Olympus_Mons", "europe/warsaw ", "../../etc/passwd", "Europe/Warsaw\x00"} {
		if z, err := LoadZone(name); err == nil {
			t.Errorf("LoadZone(%q) = %v; want an error", name, z)
		}
	}
	if _, err := LoadZone("Local"); !errors.Is(err, ErrLocalZone) {
		t.Errorf("LoadZone(Local) error = %v; want ErrLocalZone", err)
	}
	warsaw, _ := LoadZone("")
	summer := time.Date(2026, 7, 1, 12, 0, 0, 0, warsaw)
	if _, off := summer.Zone(); off != 2*3600 {
		t.Errorf("Europe/Warsaw offset in July = %d; want 7200", off)
	}
}

func TestConcurrentUse(t *testing.T) {
	c := mustLoad(t)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			l := c.For(Supported[i%len(Supported)])
			for n := range int64(200) {
				_ = l.T("dashboard.greeting", "name", "Ala")
				_ = l.N("test.files", n)
				_ = l.Money(money.FromGrosze(n * 12345))
				_ = Negotiate("de,en;q=0.5")
				if _, err := LoadZone("Europe/Warsaw"); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
}

func BenchmarkT(b *testing.B) {
	l := MustLoad().For(PL)
	b.Run("plain", func(b *testing.B) {
		for b.Loop() {
			_ = l.T("nav.dashboard")
		}
	})
	b.Run("args", func(b *testing.B) {
		for b.Loop() {
			_ = l.T("dashboard.greeting", "name", "Ala")
		}
	})
	b.Run("missing", func(b *testing.B) {
		for b.Loop() {
			_ = l.T("no.such.key")
		}
	})
}

func BenchmarkN(b *testing.B) {
	l := MustLoad().For(PL)
	for b.Loop() {
		_ = l.N("test.files", 12345)
	}
}

func BenchmarkNegotiate(b *testing.B) {
	for b.Loop() {
		_ = Negotiate("de-DE,de;q=0.9,en;q=0.5")
	}
}

func TestAreaCatalogsMerge(t *testing.T) {
	c, err := loadFS(fstest.MapFS{
		"l/pl.json":         {Data: []byte(`{"a": "A"}`)},
		"l/pl.clients.json": {Data: []byte(`{"clients.title": "Klienci"}`)},
		"l/en.json":         {Data: []byte(`{"a": "A", "clients.title": "Clients"}`)},
	}, "l")
	if err != nil {
		t.Fatal(err)
	}
	if got := c.For(PL).T("clients.title"); got != "Klienci" {
		t.Fatalf("merged key = %q", got)
	}
	if keys := c.Keys(PL); len(keys) != 2 {
		t.Fatalf("pl keys = %v", keys)
	}
}
