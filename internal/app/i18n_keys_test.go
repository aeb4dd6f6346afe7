package app_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"klientela/internal/i18n"
)

// TestEveryUsedKeyIsTranslated finds the message keys written in Go code
// and templates and fails when a catalog lacks one, so a typo in a key
// cannot reach a user as raw "err.something".
func TestEveryUsedKeyIsTranslated(t *testing.T) {
	cat := i18n.MustLoad()
	// A literal counts as a key when its first segment starts some catalog key.
	prefixes := map[string]bool{}
	for _, k := range cat.Keys(i18n.PL) {
		first, _, _ := strings.Cut(k, ".")
		prefixes[first] = true
	}
	keyRe := regexp.MustCompile(`"([a-z_]+\.[a-z0-9_.]*[a-z0-9_])"`)
	used := map[string][]string{}
	for _, root := range []string{"../../internal", "../../cmd"} {
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || strings.HasSuffix(p, "_test.go") || !(strings.HasSuffix(p, ".go") || strings.HasSuffix(p, ".html")) {
				return err
			}
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			for _, m := range keyRe.FindAllStringSubmatch(string(data), -1) {
				if first, _, _ := strings.Cut(m[1], "."); prefixes[first] {
					used[m[1]] = append(used[m[1]], p)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if len(used) < 30 {
		t.Fatalf("found only %d keys; is the pattern broken?", len(used))
	}
	for _, lang := range i18n.Supported {
		keys := cat.Keys(lang)
		has := func(k string) bool { _, ok := slices.BinarySearch(keys, k); return ok }
		for k, where := range used {
			// "errors.not_found" names a page: its .title and .text are the keys.
			if strings.HasPrefix(k, "errors.") && strings.Count(k, ".") == 1 && !has(k) {
				if !has(k+".title") || !has(k+".text") {
					t.Errorf("%s: %s.title/.text missing (used in %v)", lang, k, where[0])
				}
				continue
			}
			if !has(k) {
				t.Errorf("%s: key %q missing (used in %v)", lang, k, where[0])
			}
		}
	}
}
