package web

import (
	"errors"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"klientela/internal/authz"
	"klientela/internal/crm"
	"klientela/internal/httpx"
	"klientela/internal/plid"
	"klientela/internal/service"
)

const documentsPerPage = 50

func (h *Web) registerDocuments(mux httpx.Mux) {
	h.route(mux, "GET /documents", authz.Documents, authz.View, h.documents)
	h.route(mux, "GET /documents/new", authz.Documents, authz.Edit, h.newDocument)
	h.route(mux, "POST /documents", authz.Documents, authz.Edit, h.createDocument)
	h.route(mux, "POST /documents/autosave", authz.Documents, authz.Edit, h.autosaveNewDocument)
	h.route(mux, "POST /documents/from-template", authz.Documents, authz.Edit, h.documentFromTemplate)
	h.route(mux, "GET /documents/{id}", authz.Documents, authz.View, h.document)
	h.route(mux, "GET /documents/{id}/edit", authz.Documents, authz.Edit, h.editDocument)
	h.route(mux, "POST /documents/{id}", authz.Documents, authz.Edit, h.updateDocument)
	h.route(mux, "POST /documents/{id}/autosave", authz.Documents, authz.Edit, h.autosaveDocument)
	h.route(mux, "POST /documents/{id}/delete", authz.Documents, authz.Full, h.deleteDocument)
	h.route(mux, "GET /documents/{id}/print", authz.Documents, authz.View, h.printDocument)
	h.route(mux, "GET /documents/{id}/versions", authz.Documents, authz.View, h.documentVersions)
	h.route(mux, "GET /documents/{id}/versions/{vid}", authz.Documents, authz.View, h.documentVersion)
	h.route(mux, "POST /documents/{id}/versions/{vid}/restore", authz.Documents, authz.Edit, h.restoreDocumentVersion)
	h.route(mux, "POST /documents/{id}/images", authz.Documents, authz.Edit, h.uploadDocumentImage)
	h.route(mux, "GET /document-images/{id}", authz.Documents, authz.View, h.documentImage)
}

// DocumentImagePath reports whether a request uploads an image into a
// document (its body may be as large as the largest image).
func DocumentImagePath(r *http.Request) bool {
	return r.Method == http.MethodPost && strings.HasPrefix(r.URL.Path, "/documents/") && strings.HasSuffix(r.URL.Path, "/images")
}

// docTabs is the model of the "docs-tabs" partial: documents and files are
// one section of the menu.
type docTabs struct {
	V   *View
	Tab string
}

// DocsTabs prepares the tabs between documents and files.
func (v *View) DocsTabs(tab string) docTabs { return docTabs{V: v, Tab: tab} }

// DocumentsData is the model of the document list.
type DocumentsData struct {
	Items    []crm.Document
	Q        string
	Tag      string
	Kind     string // "", "documents" or "templates"
	Client   *crm.Client
	Tags     []string
	Pager    Pager
	Sorts    map[string]SortLink
	ClientID int64
}

func documentQuery(q url.Values) service.DocumentQuery {
	query := service.DocumentQuery{Q: q.Get("q"), Tag: q.Get("tag"), Sort: q.Get("sort")}
	if id, err := strconv.ParseInt(q.Get("client_id"), 10, 64); err == nil && id > 0 {
		query.ClientID = id
	}
	switch q.Get("kind") {
	case "templates":
		query.Template = new(bool)
		*query.Template = true
	case "documents":
		query.Template = new(bool)
	}
	return query
}

func (h *Web) documents(w http.ResponseWriter, r *http.Request, v *View) {
	q := r.URL.Query()
	page := listPage(q)
	query := documentQuery(q)
	query.Offset, query.Limit = (page-1)*documentsPerPage, documentsPerPage
	items, total, err := h.svc.Documents(r.Context(), query)
	if err != nil {
		h.fail(w, r, v, err, "")
		return
	}
	sort := q.Get("sort")
	if sort == "" {
		sort = "-updated"
	}
	d := DocumentsData{Items: items, Q: query.Q, Tag: query.Tag, Kind: q.Get("kind"), ClientID: query.ClientID,
		Pager: newCappedPager("/documents", q, total, service.DocumentCountBound(query), page, documentsPerPage),
		Sorts: map[string]SortLink{"title": sortLink("/documents", q, sort, "title"), "updated": sortLink("/documents", q, sort, "updated")}}
	if query.ClientID > 0 {
		if c, err := h.svc.Client(r.Context(), query.ClientID); err == nil {
			d.Client = &c
		}
	}
	d.Tags, _ = h.svc.DocumentTags(r.Context())
	v.Title, v.Section, v.Data = v.T("documents.title"), "files", d
	h.render(w, r, http.StatusOK, "documents", v)
}

// DocumentFormData is the model of the editor page.
type DocumentFormData struct {
	Document    *crm.Document // nil for a new one
	Clients     []Option      // nil without access to clients
	Businesses  []Option
	Tags        []string
	MergeFields []string
	MaxImage    int64
	Files       *AttachedFiles
}

func (h *Web) documentForm(w http.ResponseWriter, r *http.Request, v *View, status int, d *crm.Document) {
	data := DocumentFormData{Document: d, Businesses: h.businessOptions(r, v, v.T("common.none")),
		MergeFields: service.MergeFields, MaxImage: service.MaxDocumentImage}
	data.Clients = h.clientOptions(r, v)
	data.Tags, _ = h.svc.DocumentTags(r.Context())
	if d == nil {
		v.Title = v.T("documents.new")
	} else {
		v.Title = d.Title
		data.Files = h.documentFiles(r, v, d.ID)
	}
	v.Section, v.Data = "files", data
	h.render(w, r, status, "document_form", v)
}

// clientOptions lists the clients the user may see for a select (the
// first MaxPageSize by name); nil without access to clients.
func (h *Web) clientOptions(r *http.Request, v *View) []Option {
	if !authz.Can(v.P, authz.Clients, authz.View) {
		return nil
	}
	cs, _, err := h.svc.Clients(r.Context(), service.ClientQuery{Limit: service.MaxPageSize})
	if err != nil {
		return nil
	}
	opts := []Option{{Value: "", Label: v.T("common.none")}}
	for _, c := range cs {
		opts = append(opts, Option{Value: strconv.FormatInt(c.ID, 10), Label: c.Name})
	}
	// A client chosen before (perhaps beyond the first page) stays a choice.
	if id := v.FormValue("client_id"); id != "" {
		found := false
		for _, o := range opts {
			found = found || o.Value == id
		}
		if n, err := strconv.ParseInt(id, 10, 64); !found && err == nil {
			if c, err := h.svc.Client(r.Context(), n); err == nil {
				opts = append(opts, Option{Value: id, Label: c.Name})
			}
		}
	}
	return opts
}

func documentValues(d crm.Document) map[string]string {
	vals := map[string]string{"title": d.Title, "body_html": d.BodyHTML, "client_id": idValue(d.ClientID),
		"business_id": idValue(d.BusinessID), "tags": strings.Join(d.Tags, ", ")}
	if d.IsTemplate {
		vals["is_template"] = "1"
	}
	return vals
}

func (h *Web) newDocument(w http.ResponseWriter, r *http.Request, v *View) {
	v.Form = &Form{Values: map[string]string{"client_id": r.URL.Query().Get("client_id")}}
	if r.URL.Query().Get("template") == "1" {
		v.Form.Values["is_template"] = "1"
	}
	h.documentForm(w, r, v, http.StatusOK, nil)
}

func (h *Web) editDocument(w http.ResponseWriter, r *http.Request, v *View) {
	d, ok := load(h, w, r, v, h.svc.Document)
	if !ok {
		return
	}
	v.Form = &Form{Values: documentValues(d)}
	h.documentForm(w, r, v, http.StatusOK, &d)
}

func documentInput(form url.Values) service.DocumentInput {
	return service.DocumentInput{Title: form.Get("title"), BodyHTML: form.Get("body_html"), ClientID: formID(form, "client_id"),
		BusinessID: formID(form, "business_id"), Tags: splitList(form.Get("tags"), false),
		IsTemplate: form.Get("is_template") != ""}
}

func (h *Web) createDocument(w http.ResponseWriter, r *http.Request, v *View) {
	if !h.parseForm(w, r, v) {
		return
	}
	d, err := h.svc.CreateDocument(r.Context(), documentInput(r.PostForm))
	if err != nil {
		h.failForm(w, r, v, err, func(status int) { h.documentForm(w, r, v, status, nil) })
		return
	}
	h.flash(w, "documents.created")
	http.Redirect(w, r, "/documents/"+strconv.FormatInt(d.ID, 10), http.StatusSeeOther)
}

func (h *Web) updateDocument(w http.ResponseWriter, r *http.Request, v *View) {
	if !h.parseForm(w, r, v) {
		return
	}
	old, ok := load(h, w, r, v, h.svc.Document)
	if !ok {
		return
	}
	in := documentInput(r.PostForm)
	if _, ok := r.PostForm["client_id"]; !ok {
		in.ClientID = old.ClientID // the form had no choice of client
	}
	if _, err := h.svc.UpdateDocument(r.Context(), old.ID, in, false); err != nil {
		h.failForm(w, r, v, err, func(status int) { h.documentForm(w, r, v, status, &old) })
		return
	}
	h.flash(w, "documents.saved")
	http.Redirect(w, r, "/documents/"+strconv.FormatInt(old.ID, 10), http.StatusSeeOther)
}

// autosaveReply is what the editor's script gets back from an autosave.
type autosaveReply struct {
	ID       int64             `json:"id,omitempty"`
	Saved    string            `json:"saved,omitempty"` // "Zapisano 12:03"
	Edit     string            `json:"edit,omitempty"`  // the document's edit page, after the first save
	Action   string            `json:"action,omitempty"`
	Autosave string            `json:"autosave,omitempty"`
	Images   string            `json:"images,omitempty"`
	Error    string            `json:"error,omitempty"`
	Fields   map[string]string `json:"fields,omitempty"`
}

// autosaveFailed answers the editor's script with the reason.
func (h *Web) autosaveFailed(w http.ResponseWriter, r *http.Request, v *View, err error) {
	e, ok := crm.AsError(err)
	switch {
	case httpx.IsTooLarge(err):
		writeJSON(w, http.StatusRequestEntityTooLarge, autosaveReply{Error: v.T("err.body_too_large")})
	case ok && e.Code != crm.CodeInternal:
		rep := autosaveReply{Error: v.T(e.Key, e.Args...), Fields: map[string]string{}}
		for f, m := range e.Fields {
			rep.Fields[f] = v.T(m.Key, m.Args...)
			rep.Error = rep.Fields[f]
		}
		writeJSON(w, httpx.Status(e.Code), rep)
	default:
		h.log.Error("autosave failed", "id", httpx.RequestID(r.Context()), "err", err)
		writeJSON(w, http.StatusInternalServerError, autosaveReply{Error: v.T("errors.internal.title")})
	}
}

func (h *Web) autosaved(w http.ResponseWriter, v *View, d crm.Document) {
	id := strconv.FormatInt(d.ID, 10)
	writeJSON(w, http.StatusOK, autosaveReply{ID: d.ID, Saved: v.T("documents.autosaved", "time", v.Time(d.UpdatedAt)),
		Edit: "/documents/" + id + "/edit", Action: "/documents/" + id, Autosave: "/documents/" + id + "/autosave",
		Images: "/documents/" + id + "/images"})
}

// autosaveNewDocument creates a document from the editor's first autosave.
func (h *Web) autosaveNewDocument(w http.ResponseWriter, r *http.Request, v *View) {
	if err := r.ParseForm(); err != nil {
		h.autosaveFailed(w, r, v, err)
		return
	}
	d, err := h.svc.CreateDocument(r.Context(), documentInput(r.PostForm))
	if err != nil {
		h.autosaveFailed(w, r, v, err)
		return
	}
	h.autosaved(w, v, d)
}

// autosaveDocument saves what the editor holds; versions of autosaves
// close together are folded into one.
func (h *Web) autosaveDocument(w http.ResponseWriter, r *http.Request, v *View) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r, v)
		return
	}
	if err := r.ParseForm(); err != nil {
		h.autosaveFailed(w, r, v, err)
		return
	}
	old, err := h.svc.Document(r.Context(), id)
	if err != nil {
		h.fail(w, r, v, err, "")
		return
	}
	in := documentInput(r.PostForm)
	if _, ok := r.PostForm["client_id"]; !ok {
		in.ClientID = old.ClientID
	}
	d, err := h.svc.UpdateDocument(r.Context(), id, in, true)
	if err != nil {
		h.autosaveFailed(w, r, v, err)
		return
	}
	h.autosaved(w, v, d)
}

func (h *Web) deleteDocument(w http.ResponseWriter, r *http.Request, v *View) {
	h.clientAction(w, r, v, func(id int64) error { return h.svc.DeleteDocument(r.Context(), id) }, "documents.deleted", "/documents")
}

// DocumentData is the model of a document's page and of its print view.
type DocumentData struct {
	Document  crm.Document
	Body      template.HTML // sanitised by the service, again just now
	Business  crm.Business
	BizNIP    string
	Logo      bool // the user may see the business's logo
	Clients   []Option
	Files     *AttachedFiles
	Versions  []crm.DocumentVersion
	Version   *crm.DocumentVersion
	Templates []Option
}

// safeBody marks a body sanitised by the service as HTML to show; it
// sanitises once more here, so that no path can show unsanitised HTML.
func safeBody(s string) template.HTML {
	return template.HTML(service.SanitizeDocumentHTML(s)) //nolint:gosec // allow-list sanitised
}

func (h *Web) document(w http.ResponseWriter, r *http.Request, v *View) {
	d, ok := load(h, w, r, v, h.svc.Document)
	if !ok {
		return
	}
	data := DocumentData{Document: d, Body: safeBody(d.BodyHTML), Files: h.documentFiles(r, v, d.ID)}
	if d.IsTemplate && authz.Can(v.P, authz.Documents, authz.Edit) {
		data.Clients = h.clientOptions(r, v)
	}
	v.Title, v.Section, v.Data = d.Title, "files", data
	h.render(w, r, http.StatusOK, "document", v)
}

func (h *Web) printDocument(w http.ResponseWriter, r *http.Request, v *View) {
	d, ok := load(h, w, r, v, h.svc.Document)
	if !ok {
		return
	}
	b, err := h.svc.DocumentBusiness(r.Context(), d)
	if err != nil {
		h.fail(w, r, v, err, "")
		return
	}
	data := DocumentData{Document: d, Body: safeBody(d.BodyHTML), Business: b, BizNIP: plid.FormatNIP(b.NIP),
		Logo: b.HasLogo() && authz.Can(v.P, authz.Settings, authz.View)}
	v.Title, v.Section, v.Data = d.Title, "files", data
	h.render(w, r, http.StatusOK, "document_print", v)
}

func (h *Web) documentVersions(w http.ResponseWriter, r *http.Request, v *View) {
	d, ok := load(h, w, r, v, h.svc.Document)
	if !ok {
		return
	}
	vs, err := h.svc.DocumentVersions(r.Context(), d.ID)
	if err != nil {
		h.fail(w, r, v, err, "")
		return
	}
	data := DocumentData{Document: d, Versions: vs}
	if vid, err := strconv.ParseInt(r.PathValue("vid"), 10, 64); err == nil {
		ver, err := h.svc.DocumentVersion(r.Context(), d.ID, vid)
		if err != nil {
			h.fail(w, r, v, err, "")
			return
		}
		data.Version, data.Body = &ver, safeBody(ver.BodyHTML)
	} else if r.PathValue("vid") != "" {
		h.notFound(w, r, v)
		return
	}
	v.Title, v.Section, v.Data = d.Title, "files", data
	h.render(w, r, http.StatusOK, "document_versions", v)
}

func (h *Web) documentVersion(w http.ResponseWriter, r *http.Request, v *View) {
	h.documentVersions(w, r, v)
}

func (h *Web) restoreDocumentVersion(w http.ResponseWriter, r *http.Request, v *View) {
	id, ok := pathID(r)
	vid, err := strconv.ParseInt(r.PathValue("vid"), 10, 64)
	if !ok || err != nil || vid < 1 {
		h.notFound(w, r, v)
		return
	}
	if _, err := h.svc.RestoreDocumentVersion(r.Context(), id, vid); err != nil {
		h.fail(w, r, v, err, "")
		return
	}
	h.flash(w, "documents.restored")
	http.Redirect(w, r, "/documents/"+strconv.FormatInt(id, 10)+"/versions", http.StatusSeeOther)
}

// documentFromTemplate makes a document for a client from a template and
// opens it in the editor.
func (h *Web) documentFromTemplate(w http.ResponseWriter, r *http.Request, v *View) {
	if !h.parseForm(w, r, v) {
		return
	}
	tpl := formID(r.PostForm, "template_id")
	client := formID(r.PostForm, "client_id")
	if tpl == nil || client == nil {
		h.flashError(w, "documents.pick_template_client")
		http.Redirect(w, r, here(r), http.StatusSeeOther)
		return
	}
	d, err := h.svc.CreateFromTemplate(r.Context(), *tpl, *client)
	if err != nil {
		h.fail(w, r, v, err, "")
		return
	}
	h.flash(w, "documents.created_from_template")
	http.Redirect(w, r, "/documents/"+strconv.FormatInt(d.ID, 10)+"/edit", http.StatusSeeOther)
}

// uploadDocumentImage takes one image (multipart field "image") into a
// document and answers the editor's script with its URL.
func (h *Web) uploadDocumentImage(w http.ResponseWriter, r *http.Request, v *View) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r, v)
		return
	}
	if _, err := h.svc.Document(r.Context(), id); err != nil {
		writeJSON(w, httpx.Status(crm.ErrorCode(err)), map[string]any{"error": v.T("errors.not_found.title")})
		return
	}
	httpx.LongRequest(w, transferTime)
	var f crm.File
	done := false
	err := httpx.EachPart(r, func(field, filename, value string, body io.Reader) error {
		if body == nil || field != "image" || done {
			return nil
		}
		done = true
		var err error
		f, err = h.svc.UploadDocumentImage(r.Context(), id, filename, body)
		return err
	})
	if err == nil && !done {
		err = &crm.Error{Code: crm.CodeInvalid, Key: "err.form", Fields: map[string]crm.Msg{"file": {Key: "err.file_required"}}}
	}
	if err != nil {
		if c := crm.ErrorCode(err); c == crm.CodeNotFound || c == crm.CodeForbidden {
			writeJSON(w, httpx.Status(c), map[string]any{"error": v.T("errors.not_found.title")})
			return
		}
		if errors.Is(err, httpx.ErrBadMultipart) || httpx.IsTooLarge(err) {
			h.uploadFailed(w, r, v, err, "")
			return
		}
		h.uploadFailed(w, r, v, err, "")
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"url": "/document-images/" + strconv.FormatInt(f.ID, 10), "id": f.ID})
}

// documentImage sends an image uploaded into a document.
func (h *Web) documentImage(w http.ResponseWriter, r *http.Request, v *View) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r, v)
		return
	}
	f, o, err := h.svc.DocumentImage(r.Context(), id)
	if err != nil {
		h.fail(w, r, v, err, "")
		return
	}
	defer o.Close()
	httpx.ServeFile(w, r, o, f.Name, f.MediaType, f.SHA256, f.CreatedAt, true)
}

// documentFiles loads the files attached to a document; nil when the user
// may not see files.
func (h *Web) documentFiles(r *http.Request, v *View, documentID int64) *AttachedFiles {
	return h.filesOf(r, v, service.FileQuery{DocumentID: documentID})
}

// ClientDocuments is the model of the client card's "Dokumenty" section.
type ClientDocuments struct {
	V         *View
	ClientID  int64
	Items     []crm.Document
	Total     int
	Templates []Option
}

// clientDocuments loads a client's documents and the templates for the
// card; nil when the user may not see documents.
func (h *Web) clientDocuments(r *http.Request, v *View, clientID int64) *ClientDocuments {
	if !authz.Can(v.P, authz.Documents, authz.View) {
		return nil
	}
	items, total, err := h.svc.Documents(r.Context(), service.DocumentQuery{ClientID: clientID, Limit: 10})
	if err != nil {
		h.log.Warn("client documents", "id", httpx.RequestID(r.Context()), "err", err)
		return nil
	}
	cd := &ClientDocuments{V: v, ClientID: clientID, Items: items, Total: total}
	if authz.Can(v.P, authz.Documents, authz.Edit) {
		yes := true
		if ts, _, err := h.svc.Documents(r.Context(), service.DocumentQuery{Template: &yes, Sort: "title", Limit: service.MaxPageSize}); err == nil {
			for _, t := range ts {
				cd.Templates = append(cd.Templates, Option{Value: strconv.FormatInt(t.ID, 10), Label: t.Title})
			}
		}
	}
	return cd
}
