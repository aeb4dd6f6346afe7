package api

import (
	"net/http"

	"klientela/internal/authz"
	"klientela/internal/httpx"
)

// The global search is everyone's; each kind is shown only to users who
// may view its section (the service decides).
func (a *API) registerSearch(mux httpx.Mux) {
	a.handle(mux, "GET", "/search", authz.Dashboard, authz.View, a.search)
}

// SearchResult answers GET /search.
type SearchResult struct {
	Q        string        `json:"q"`
	TooShort bool          `json:"too_short"`
	Groups   []SearchGroup `json:"groups"`
}

// SearchGroup is the first hits of one kind.
type SearchGroup struct {
	Kind  string      `json:"kind"`
	Items []SearchHit `json:"items"`
	More  bool        `json:"more"`
}

// SearchHit is one thing found; its record is at /api/v1/<kind>s/{id}.
type SearchHit struct {
	ID       int64  `json:"id"`
	Title    string `json:"title"`
	Subtitle string `json:"subtitle,omitempty"`
	Start    string `json:"start,omitempty"` // tasks: RFC 3339, as in /tasks
	AllDay   bool   `json:"all_day,omitempty"`
}

func (a *API) search(w http.ResponseWriter, r *http.Request) (int, any, error) {
	res, err := a.svc.Search(r.Context(), r.URL.Query().Get("q"))
	if err != nil {
		return 0, nil, err
	}
	out := SearchResult{Q: res.Q, TooShort: res.TooShort, Groups: []SearchGroup{}}
	for _, g := range res.Groups {
		og := SearchGroup{Kind: string(g.Kind), More: g.More, Items: make([]SearchHit, 0, len(g.Hits))}
		for _, h := range g.Hits {
			hit := SearchHit{ID: h.ID, Title: h.Title, Subtitle: h.Subtitle, AllDay: h.AllDay}
			if !h.When.IsZero() {
				hit.Start = timestamp(r, h.When)
			}
			og.Items = append(og.Items, hit)
		}
		out.Groups = append(out.Groups, og)
	}
	return http.StatusOK, out, nil
}
