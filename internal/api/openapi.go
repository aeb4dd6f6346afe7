package api

import (
	_ "embed"
	"encoding/json"
	"net/http"
)

// The OpenAPI document is written by hand, as documentation for people;
// TestOpenAPICoversRoutes fails when a registered route is missing from it.
//
//go:embed openapi.json
var openAPIDoc []byte

func (a *API) openAPI(w http.ResponseWriter, r *http.Request) (int, any, error) {
	return http.StatusOK, json.RawMessage(openAPIDoc), nil
}
