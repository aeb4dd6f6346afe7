// Package i18n translates and formats the Klientela user interface.
//
// Polish ([PL]) is the default language and English ([EN]) the second one.
// Messages live in flat JSON catalogs embedded in the binary
// (locales/pl.json, locales/en.json); [Load] parses them once and
// [Catalog.For] hands out an immutable [Localizer] per language, which
// translates messages ([Localizer.T], [Localizer.N]) and formats dates,
// numbers and money the way the language expects.
//
// # Catalog format
//
// A catalog is a JSON object mapping keys to messages. A message is either
// a string or, for messages that depend on a count, an object with one
// string per CLDR plural category of the language:
//
//	{
//	  "dashboard.greeting": "Dzień dobry, {name}!",
//	  "test.files": {"one": "{n} plik", "few": "{n} pliki", "many": "{n} plików", "other": "{n} pliku"}
//	}
//
// Polish plural objects must have exactly the categories one, few, many and
// other; English ones one and other. {name} is a placeholder, replaced by
// the argument of that name (names consist of ASCII letters, digits and
// '_'). Text that does not form a placeholder, such as a lone '{', is
// copied unchanged. Messages are plain text: HTML escaping is left to
// html/template.
package i18n

import (
	"strings"

	"golang.org/x/text/language"
)

// Lang is a supported interface language, identified by its ISO 639-1
// code.
type Lang string

// The supported languages.
const (
	PL Lang = "pl" // Polish, the default
	EN Lang = "en" // English
)

// Default is the language used when nothing better is known.
const Default = PL

// Supported lists the supported languages, the default first.
var Supported = []Lang{PL, EN}

// supportedTags matches Supported index by index.
var supportedTags = []language.Tag{language.Polish, language.English}

// matcher is safe for concurrent use: Match does not modify it.
var matcher = language.NewMatcher(supportedTags)

// ParseLang parses a BCP 47 language tag such as "pl", "PL", "pl-PL",
// "en-GB" or "en_US" and returns its language if it is supported. Regions,
// scripts and other subtags are ignored.
func ParseLang(s string) (Lang, bool) {
	tag, err := language.Parse(strings.TrimSpace(s))
	if err != nil {
		return "", false
	}
	base, conf := tag.Base()
	if conf != language.Exact {
		return "", false // "und" and private-use tags guess a base
	}
	for _, l := range Supported {
		if base.String() == string(l) {
			return l, true
		}
	}
	return "", false
}

// maxAcceptLanguage bounds the header length Negotiate looks at; real
// browsers send well under 200 bytes.
const maxAcceptLanguage = 4096

// Negotiate picks the supported language that best matches an HTTP
// Accept-Language header, using the matcher of golang.org/x/text/language
// (so "en-GB" picks English and q-values are honoured). If nothing matches,
// or the header is empty, it returns [PL]. Malformed entries are skipped
// rather than spoiling the whole header, so "xx!,en" still picks English.
func Negotiate(acceptLanguage string) Lang {
	if len(acceptLanguage) > maxAcceptLanguage {
		return Default
	}
	tags, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil {
		// Keep only the entries that parse on their own.
		var ok []string
		for _, entry := range strings.Split(acceptLanguage, ",") {
			if _, _, err := language.ParseAcceptLanguage(entry); err == nil {
				ok = append(ok, entry)
			}
		}
		tags, _, err = language.ParseAcceptLanguage(strings.Join(ok, ","))
		if err != nil {
			return Default
		}
	}
	if len(tags) == 0 {
		return Default
	}
	_, i, conf := matcher.Match(tags...)
	if conf == language.No || i < 0 || i >= len(Supported) {
		return Default
	}
	return Supported[i]
}
