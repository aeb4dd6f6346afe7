package web

import (
	"slices"
	"strings"
	"testing"

	"klientela/internal/i18n"
)

// The groups page builds its catalog keys from the kind's prefix, which the
// repository-wide key test cannot see: check them here.
func TestGroupPagesAreTranslated(t *testing.T) {
	cat := i18n.MustLoad()
	h := &Web{}
	for _, g := range []*groupPage{h.clientGroupPage(), h.taskGroupPage()} {
		keys := []string{g.CountKey, g.ParentT}
		for _, w := range []string{"title", "lead", "add", "field.name", "field.color", "delete_confirm",
			"empty.title", "empty.text", "created", "saved", "deleted"} {
			keys = append(keys, g.K(strings.Split(w, ".")...))
		}
		for _, lang := range i18n.Supported {
			have := cat.Keys(lang)
			for _, k := range keys {
				if _, ok := slices.BinarySearch(have, k); !ok {
					t.Errorf("%s: %s missing", lang, k)
				}
			}
		}
	}
}
