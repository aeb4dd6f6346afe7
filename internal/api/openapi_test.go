package api

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestOpenAPIFragmentsMerge(t *testing.T) {
	data, err := openAPIDocument()
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		OpenAPI    string
		Paths      map[string]any
		Components struct{ Schemas map[string]any }
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.OpenAPI != "3.1.0" || doc.Paths["/tokens"] == nil || doc.Paths["/openapi.json"] == nil || doc.Components.Schemas["Error"] == nil || doc.Components.Schemas["Token"] == nil {
		t.Fatalf("merged document lacks parts: %s", data)
	}
	// Every $ref points at something defined.
	for _, ref := range strings.Split(string(data), `"$ref":"`)[1:] {
		target := ref[:strings.IndexByte(ref, '"')]
		parts := strings.Split(strings.TrimPrefix(target, "#/"), "/")
		var cur any = map[string]any{}
		_ = json.Unmarshal(data, &cur)
		for _, p := range parts {
			m, ok := cur.(map[string]any)
			if !ok || m[p] == nil {
				t.Fatalf("dangling $ref %s", target)
			}
			cur = m[p]
		}
	}
}

func TestOpenAPIMergeRefusesDuplicates(t *testing.T) {
	doc := map[string]any{}
	a := map[string]any{"paths": map[string]any{"/x": map[string]any{"get": 1}}, "components": map[string]any{"schemas": map[string]any{"X": 1}}}
	if err := mergeInto(doc, a, "a", 0); err != nil {
		t.Fatal(err)
	}
	if err := mergeInto(doc, map[string]any{"paths": map[string]any{"/x": map[string]any{"post": 1}}}, "b", 0); err == nil {
		t.Fatal("a path defined in two files was accepted")
	}
	if err := mergeInto(doc, map[string]any{"components": map[string]any{"schemas": map[string]any{"X": 2}}}, "c", 0); err == nil {
		t.Fatal("a schema defined twice was accepted")
	}
	if err := mergeInto(doc, map[string]any{"components": map[string]any{"schemas": map[string]any{"Y": 2}}}, "d", 0); err != nil {
		t.Fatalf("a new schema was refused: %v", err)
	}
}
