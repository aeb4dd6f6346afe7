package main

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"klientela/internal/crm"
	"klientela/internal/i18n"
)

// describe turns a domain error into a sentence for the terminal, with the
// field messages in English.
func describe(err error) error {
	e, ok := crm.AsError(err)
	if !ok {
		return err
	}
	l := i18n.MustLoad().For(i18n.EN)
	var b strings.Builder
	b.WriteString(l.T(e.Key, e.Args...))
	for _, f := range slices.Sorted(maps.Keys(e.Fields)) {
		m := e.Fields[f]
		fmt.Fprintf(&b, "\n  --%s: %s", strings.ReplaceAll(f, "_", "-"), l.T(m.Key, m.Args...))
	}
	return fmt.Errorf("%s", b.String())
}
