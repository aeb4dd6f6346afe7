package web

import (
	"net/http"
	"net/url"
	"strconv"

	"klientela/internal/authz"
	"klientela/internal/httpx"
	"klientela/internal/service"
)

// SearchData is the model of the global search page and of its results
// fragment (the top bar's drop-down).
type SearchData struct {
	service.SearchResult
	Groups []SearchGroupView
}

// SearchGroupView is one kind's hits with the links of the web pages.
type SearchGroupView struct {
	service.SearchGroup
	Label   string // the kind's heading
	AllHref string // the section's list searched for the same words
	Links   []string
}

// searchPages says where the hits of a kind and their section's list live.
var searchPages = map[service.SearchKind]struct{ label, item, list string }{
	service.SearchClient:   {"nav.clients", "/clients/", "/clients"},
	service.SearchTask:     {"nav.tasks", "/tasks/", "/tasks?view=all"},
	service.SearchDocument: {"documents.title", "/documents/", "/documents"},
	service.SearchFile:     {"files.title", "/files/", "/files"},
	service.SearchEmployee: {"nav.employees", "/employees/", "/employees"},
}

// The search is everyone's (the dashboard's right, which every user has);
// the service shows each kind only to those who may view its section.
func (h *Web) registerSearch(mux httpx.Mux) {
	h.route(mux, "GET /search", authz.Dashboard, authz.View, h.search)
}

// search answers the search page, or with HX-Request (the top bar's box
// typing) only its results.
func (h *Web) search(w http.ResponseWriter, r *http.Request, v *View) {
	res, err := h.svc.Search(r.Context(), r.URL.Query().Get("q"))
	if err != nil {
		h.fail(w, r, v, err, "")
		return
	}
	d := SearchData{SearchResult: res}
	for _, g := range res.Groups {
		pg := searchPages[g.Kind]
		gv := SearchGroupView{SearchGroup: g, Label: v.T(pg.label), AllHref: withQuery(pg.list, "q", res.Q)}
		for _, hit := range g.Hits {
			gv.Links = append(gv.Links, pg.item+strconv.FormatInt(hit.ID, 10))
		}
		d.Groups = append(d.Groups, gv)
	}
	v.Title, v.Section, v.Data = v.T("search.title"), "search", d
	if r.Header.Get("HX-Request") == "true" {
		h.renderFragment(w, r, "search", "search_results", v)
		return
	}
	h.render(w, r, http.StatusOK, "search", v)
}

// withQuery adds name=value to a path that may have a query already.
func withQuery(path, name, value string) string {
	u, err := url.Parse(path)
	if err != nil {
		return path
	}
	q := u.Query()
	q.Set(name, value)
	u.RawQuery = q.Encode()
	return u.String()
}
