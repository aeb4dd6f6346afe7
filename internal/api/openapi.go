package api

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"path"
	"slices"
)

// The OpenAPI document is written by hand, as documentation for people, in
// one file per area (openapi/*.json) merged at start: base.json holds the
// frame, the others add paths and components. TestOpenAPICoversRoutes fails
// when a registered route is missing from it.
//
//go:embed openapi/*.json
var openAPIFS embed.FS

// openAPIDocument merges the fragments into one document.
func openAPIDocument() ([]byte, error) {
	files, err := fs.Glob(openAPIFS, "openapi/*.json")
	if err != nil {
		return nil, err
	}
	// base.json first, the rest in name order.
	slices.SortFunc(files, func(a, b string) int {
		if path.Base(a) == "base.json" {
			return -1
		}
		if path.Base(b) == "base.json" {
			return 1
		}
		return compare(a, b)
	})
	doc := map[string]any{}
	for _, f := range files {
		data, err := openAPIFS.ReadFile(f)
		if err != nil {
			return nil, err
		}
		var frag map[string]any
		if err := json.Unmarshal(data, &frag); err != nil {
			return nil, fmt.Errorf("api: %s: %w", f, err)
		}
		if err := mergeInto(doc, frag, f, 0); err != nil {
			return nil, err
		}
	}
	return json.Marshal(doc)
}

func compare(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// mergeInto copies src into dst. Objects merge down to the second level
// below the root (paths/<path>, components/<kind>/<name>); a name defined
// twice is an error.
func mergeInto(dst, src map[string]any, file string, depth int) error {
	for k, v := range src {
		cur, exists := dst[k]
		if !exists {
			dst[k] = v
			continue
		}
		cm, ok1 := cur.(map[string]any)
		vm, ok2 := v.(map[string]any)
		if !ok1 || !ok2 || depth >= 1 && k != "schemas" && k != "parameters" && k != "responses" {
			return fmt.Errorf("api: %s defines %q again", file, k)
		}
		if err := mergeInto(cm, vm, file, depth+1); err != nil {
			return err
		}
	}
	return nil
}

func (a *API) openAPI(w http.ResponseWriter, r *http.Request) (int, any, error) {
	return http.StatusOK, json.RawMessage(a.openAPIDoc), nil
}
