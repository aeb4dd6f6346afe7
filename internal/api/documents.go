package api

import (
	"encoding/json"
	"net/http"
	"strconv"

	"klientela/internal/authz"
	"klientela/internal/crm"
	"klientela/internal/httpx"
	"klientela/internal/service"
)

func (a *API) registerDocuments(mux httpx.Mux) {
	a.handle(mux, "GET", "/documents", authz.Documents, authz.View, a.listDocuments)
	a.handle(mux, "POST", "/documents", authz.Documents, authz.Edit, a.createDocument)
	a.handle(mux, "GET", "/documents/{id}", authz.Documents, authz.View, getByID(a.svc.Document, documentOut))
	a.handle(mux, "PATCH", "/documents/{id}", authz.Documents, authz.Edit, a.patchDocument)
	a.handle(mux, "DELETE", "/documents/{id}", authz.Documents, authz.Full, deleteByID(a.svc.DeleteDocument))
	a.handle(mux, "GET", "/documents/{id}/versions", authz.Documents, authz.View, a.listDocumentVersions)
	a.handle(mux, "POST", "/documents/{id}/versions/{vid}/restore", authz.Documents, authz.Edit, a.restoreDocumentVersion)
	a.handle(mux, "GET", "/documents/{id}/render", authz.Documents, authz.View, a.renderDocument)
}

// Document is a document as the API shows it. body_html is sanitised
// HTML; lists leave it out. client_name is empty for a caller who may not
// see clients.
type Document struct {
	ID           int64    `json:"id"`
	Title        string   `json:"title"`
	BodyHTML     *string  `json:"body_html,omitempty"`
	ClientID     *int64   `json:"client_id"`
	ClientName   string   `json:"client_name"`
	BusinessID   *int64   `json:"business_id"`
	BusinessName string   `json:"business_name"`
	Tags         []string `json:"tags"`
	IsTemplate   bool     `json:"is_template"`
	CreatedAt    string   `json:"created_at"`
	UpdatedAt    string   `json:"updated_at"`
}

func documentOut(r *http.Request, d crm.Document) Document {
	tags := d.Tags
	if tags == nil {
		tags = []string{}
	}
	out := Document{ID: d.ID, Title: d.Title, ClientID: d.ClientID, ClientName: d.ClientName, BusinessID: d.BusinessID,
		BusinessName: d.BusinessName, Tags: tags, IsTemplate: d.IsTemplate,
		CreatedAt: timestamp(r, d.CreatedAt), UpdatedAt: timestamp(r, d.UpdatedAt)}
	if d.ID > 0 || d.BodyHTML != "" {
		body := d.BodyHTML
		out.BodyHTML = &body
	}
	return out
}

func (a *API) listDocuments(w http.ResponseWriter, r *http.Request) (int, any, error) {
	pg, err := page(r)
	if err != nil {
		return 0, nil, err
	}
	q := r.URL.Query()
	query := service.DocumentQuery{Q: q.Get("q"), Tag: q.Get("tag"), Sort: q.Get("sort"), Offset: int(pg.Cursor), Limit: pg.Limit}
	if query.ClientID, err = queryID(r, "client_id", "err.contact_client_unknown"); err != nil {
		return 0, nil, err
	}
	switch q.Get("template") {
	case "true":
		query.Template = new(bool)
		*query.Template = true
	case "false":
		query.Template = new(bool)
	case "":
	default:
		return 0, nil, invalidField("template", "err.document_template_filter")
	}
	items, total, err := a.svc.Documents(r.Context(), query)
	if err != nil {
		return 0, nil, err
	}
	out := make([]Document, len(items))
	for i, d := range items {
		out[i] = documentOut(r, d)
		out[i].BodyHTML = nil
	}
	return http.StatusOK, cappedList(out, query.Offset, total, service.DocumentCountBound(query)), nil
}

// documentRequest is a POST or PATCH body: absent fields keep their value
// (PATCH); client_id and business_id may be null to clear them.
type documentRequest struct {
	Title      *string         `json:"title"`
	BodyHTML   *string         `json:"body_html"`
	ClientID   json.RawMessage `json:"client_id"`
	BusinessID json.RawMessage `json:"business_id"`
	Tags       *[]string       `json:"tags"`
	IsTemplate *bool           `json:"is_template"`
}

func (q documentRequest) apply(in *service.DocumentInput) error {
	if q.Title != nil {
		in.Title = *q.Title
	}
	if q.BodyHTML != nil {
		in.BodyHTML = *q.BodyHTML
	}
	if q.Tags != nil {
		in.Tags = *q.Tags
	}
	if q.IsTemplate != nil {
		in.IsTemplate = *q.IsTemplate
	}
	if err := optionalID(q.ClientID, &in.ClientID, "client_id", "err.contact_client_unknown"); err != nil {
		return err
	}
	return optionalID(q.BusinessID, &in.BusinessID, "business_id", "err.business_unknown")
}

func (a *API) createDocument(w http.ResponseWriter, r *http.Request) (int, any, error) {
	var body documentRequest
	if err := a.decode(r, &body); err != nil {
		return 0, nil, err
	}
	var in service.DocumentInput
	if err := body.apply(&in); err != nil {
		return 0, nil, err
	}
	d, err := a.svc.CreateDocument(r.Context(), in)
	if err != nil {
		return 0, nil, err
	}
	w.Header().Set("Location", Prefix+"/documents/"+strconv.FormatInt(d.ID, 10))
	return http.StatusCreated, documentOut(r, d), nil
}

func (a *API) patchDocument(w http.ResponseWriter, r *http.Request) (int, any, error) {
	id, err := pathID(r)
	if err != nil {
		return 0, nil, err
	}
	cur, err := a.svc.Document(r.Context(), id)
	if err != nil {
		return 0, nil, err
	}
	var body documentRequest
	if err := a.decode(r, &body); err != nil {
		return 0, nil, err
	}
	in := service.DocumentInputOf(cur)
	if err := body.apply(&in); err != nil {
		return 0, nil, err
	}
	d, err := a.svc.UpdateDocument(r.Context(), id, in, false)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, documentOut(r, d), nil
}

// DocumentVersion is one kept version of a document, without its body.
type DocumentVersion struct {
	ID           int64  `json:"id"`
	Title        string `json:"title"`
	Autosave     bool   `json:"autosave"`
	RestoredFrom *int64 `json:"restored_from"`
	Author       string `json:"author"`
	Size         int    `json:"size"`
	CreatedAt    string `json:"created_at"`
	UpdatedAt    string `json:"updated_at"`
}

func (a *API) listDocumentVersions(w http.ResponseWriter, r *http.Request) (int, any, error) {
	id, err := pathID(r)
	if err != nil {
		return 0, nil, err
	}
	vs, err := a.svc.DocumentVersions(r.Context(), id)
	if err != nil {
		return 0, nil, err
	}
	out := make([]DocumentVersion, len(vs))
	for i, v := range vs {
		out[i] = DocumentVersion{ID: v.ID, Title: v.Title, Autosave: v.Autosave, RestoredFrom: v.RestoredFrom,
			Author: v.AuthorName, Size: v.Size, CreatedAt: timestamp(r, v.CreatedAt), UpdatedAt: timestamp(r, v.UpdatedAt)}
	}
	return http.StatusOK, newList(out, 0), nil
}

func (a *API) restoreDocumentVersion(w http.ResponseWriter, r *http.Request) (int, any, error) {
	id, err := pathID(r)
	if err != nil {
		return 0, nil, err
	}
	vid, err := strconv.ParseInt(r.PathValue("vid"), 10, 64)
	if err != nil || vid < 1 {
		return 0, nil, crm.NotFound()
	}
	d, err := a.svc.RestoreDocumentVersion(r.Context(), id, vid)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, documentOut(r, d), nil
}

// renderDocument fills a template for ?client_id=; a client the caller may
// not see (or of another account) is not found.
func (a *API) renderDocument(w http.ResponseWriter, r *http.Request) (int, any, error) {
	id, err := pathID(r)
	if err != nil {
		return 0, nil, err
	}
	cid, err := queryID(r, "client_id", "err.contact_client_unknown")
	if err != nil {
		return 0, nil, err
	}
	if cid == 0 {
		if _, err := a.svc.Document(r.Context(), id); err != nil {
			return 0, nil, err // another account's document is not found, whatever the query
		}
		return 0, nil, invalidField("client_id", "err.required")
	}
	d, err := a.svc.RenderTemplate(r.Context(), id, cid)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, documentOut(r, d), nil
}
