package web

import (
	"encoding/json"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"klientela/internal/authz"
	"klientela/internal/crm"
	"klientela/internal/httpx"
	"klientela/internal/plid"
	"klientela/internal/service"
)

// ImportPath is where the import form posts its file; it has its own body
// limit (see app).
const ImportPath = "/clients/import"

func (h *Web) registerImports(mux httpx.Mux) {
	h.route(mux, "GET "+ImportPath, authz.Clients, authz.Edit, h.importForm)
	h.route(mux, "POST "+ImportPath, authz.Clients, authz.Edit, h.uploadImport)
	h.route(mux, "GET /client-imports/{id}", authz.Clients, authz.Edit, h.showImport)
	h.route(mux, "GET /client-imports/{id}/status", authz.Clients, authz.Edit, h.importStatus)
	h.route(mux, "POST /client-imports/{id}/mapping", authz.Clients, authz.Edit, h.saveImportMapping)
	h.route(mux, "POST /client-imports/{id}/start", authz.Clients, authz.Edit, h.startImport)
	h.route(mux, "POST /client-imports/{id}/undo", authz.Clients, authz.Edit, h.undoImport)
}

func importPath(id int64) string { return "/client-imports/" + strconv.FormatInt(id, 10) }

// ImportFormData is the model of the upload page.
type ImportFormData struct {
	MaxMB int
}

func (h *Web) showImportForm(w http.ResponseWriter, r *http.Request, v *View, status int) {
	v.Title, v.Section, v.Data = v.T("import.title"), "clients", ImportFormData{MaxMB: service.MaxImportSize >> 20}
	h.render(w, r, status, "import_upload", v)
}

func (h *Web) importForm(w http.ResponseWriter, r *http.Request, v *View) {
	h.showImportForm(w, r, v, http.StatusOK)
}

// uploadImport reads the file of the upload form (streamed from the
// multipart body, up to service.MaxImportSize) and stores it for import.
func (h *Web) uploadImport(w http.ResponseWriter, r *http.Request, v *View) {
	fieldError := func(status int, key string, args ...any) {
		v.Form = &Form{Values: map[string]string{}, Errors: map[string]string{"file": v.T(key, args...)}}
		h.showImportForm(w, r, v, status)
	}
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/form-data" {
		fieldError(http.StatusUnprocessableEntity, "err.import_no_file")
		return
	}
	var data []byte
	name := ""
	mr := multipart.NewReader(r.Body, params["boundary"])
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			if httpx.IsTooLarge(err) {
				fieldError(http.StatusRequestEntityTooLarge, "err.import_too_large", "max", service.MaxImportSize>>20)
				return
			}
			h.errorPage(w, r, v, http.StatusBadRequest, "errors.bad_request")
			return
		}
		if part.FormName() != "file" {
			continue
		}
		name = part.FileName()
		data, err = io.ReadAll(io.LimitReader(part, service.MaxImportSize+1))
		if httpx.IsTooLarge(err) || len(data) > service.MaxImportSize {
			fieldError(http.StatusRequestEntityTooLarge, "err.import_too_large", "max", service.MaxImportSize>>20)
			return
		}
		if err != nil {
			h.errorPage(w, r, v, http.StatusBadRequest, "errors.bad_request")
			return
		}
		break
	}
	if name == "" && len(data) == 0 {
		fieldError(http.StatusUnprocessableEntity, "err.import_no_file")
		return
	}
	im, err := h.svc.CreateClientImport(r.Context(), service.NewClientImport{FileName: name, Data: data})
	if err != nil {
		h.failForm(w, r, v, err, func(status int) { h.showImportForm(w, r, v, status) })
		return
	}
	http.Redirect(w, r, importPath(im.ID), http.StatusSeeOther)
}

// ImportColumn is a column of the mapping form.
type ImportColumn struct {
	Index   int
	Name    string // the form field: col<index>
	Header  string
	Samples []string
	Field   string
	Error   string
}

// ImportRowView is a row of the preview.
type ImportRowView struct {
	Line      int
	Name      string
	NIP       string
	Emails    string
	Phones    string
	City      string
	Groups    string
	Duplicate bool
	Errors    []string // "Field: message"
}

// ImportData is the model of an import's page before it starts: the
// mapping form and the preview.
type ImportData struct {
	Import   crm.ClientImport
	Columns  []ImportColumn
	Fields   []Option
	Preview  service.ImportPreview
	Rows     []ImportRowView
	Problem  string // why there is no preview (the file is gone)
	Encoding string
}

// ImportJobData is the model of a started import: progress, then summary.
type ImportJobData struct {
	Import   crm.ClientImport
	State    string // queued, running, done, failed, undone
	Percent  int
	Done     bool
	Problems []ImportProblemView
	More     int
	CanUndo  bool
}

// ImportProblemView is a skipped row and why.
type ImportProblemView struct {
	Row     int
	Field   string
	Message string
}

// importFieldLabel names a client field (as the validation names it) for
// messages and the mapping form.
func importFieldLabel(v *View, f string) string {
	switch f {
	case "employee_id":
		f = "employee"
	case "group_ids":
		f = "groups"
	case "":
		return ""
	}
	return v.T("import.field." + f)
}

func (h *Web) showImport(w http.ResponseWriter, r *http.Request, v *View) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r, v)
		return
	}
	h.renderImport(w, r, v, http.StatusOK, id)
}

func (h *Web) renderImport(w http.ResponseWriter, r *http.Request, v *View, status int, id int64) {
	im, err := h.svc.ClientImport(r.Context(), id)
	if err != nil {
		h.fail(w, r, v, err, "")
		return
	}
	v.Title, v.Section = v.T("import.title"), "clients"
	if im.Started() {
		h.renderImportJob(w, r, v, status, im)
		return
	}
	d := ImportData{Import: im, Encoding: im.Encoding}
	d.Fields = append(d.Fields, Option{Value: "", Label: v.T("import.skip_column")})
	for _, f := range service.ImportFields {
		d.Fields = append(d.Fields, Option{Value: f, Label: v.T("import.field." + f)})
	}
	_, pv, err := h.svc.PreviewClientImport(r.Context(), id)
	if e, ok := crm.AsError(err); ok && e.Code == crm.CodeInvalid {
		d.Problem = v.T(e.Key, e.Args...)
	} else if err != nil {
		h.fail(w, r, v, err, "")
		return
	}
	d.Preview = pv
	for i, hd := range im.Header {
		c := ImportColumn{Index: i, Name: "col" + strconv.Itoa(i), Header: hd}
		if i < len(im.Mapping) {
			c.Field = im.Mapping[i]
		}
		if v.Form != nil {
			c.Field, c.Error = v.Form.Values[c.Name], v.Form.Errors[c.Name]
		}
		for _, s := range pv.Samples {
			if i < len(s) && strings.TrimSpace(s[i]) != "" {
				c.Samples = append(c.Samples, s[i])
			}
		}
		d.Columns = append(d.Columns, c)
	}
	for _, row := range pv.Rows {
		c := row.Client
		rv := ImportRowView{Line: row.Line, Name: c.Name, NIP: plid.FormatNIP(c.NIP), Emails: strings.Join(c.Emails, ", "),
			Phones: strings.Join(c.Phones, ", "), City: c.City, Duplicate: row.Duplicate()}
		var groups []string
		for _, g := range c.Groups {
			groups = append(groups, g.Name)
		}
		rv.Groups = strings.Join(groups, ", ")
		fields := make([]string, 0, len(row.Errors))
		for f := range row.Errors {
			fields = append(fields, f)
		}
		slices.Sort(fields)
		for _, f := range fields {
			m := row.Errors[f]
			rv.Errors = append(rv.Errors, importFieldLabel(v, f)+": "+v.T(m.Key, m.Args...))
		}
		d.Rows = append(d.Rows, rv)
	}
	v.Data = d
	h.render(w, r, status, "import", v)
}

func importState(im crm.ClientImport) string {
	switch {
	case im.UndoneAt != nil:
		return "undone"
	case im.Job == nil:
		return "new"
	}
	return string(im.Job.State)
}

func (h *Web) renderImportJob(w http.ResponseWriter, r *http.Request, v *View, status int, im crm.ClientImport) {
	d := ImportJobData{Import: im, State: importState(im)}
	if im.Job != nil {
		d.Percent, d.Done = im.Job.Percent(), im.Job.State.Finished()
		d.CanUndo = im.Job.State == crm.JobDone && im.UndoneAt == nil && !im.Result.Aborted &&
			im.Result.Created+im.Result.Merged > 0
	}
	for _, p := range im.Result.Problems {
		d.Problems = append(d.Problems, ImportProblemView{Row: p.Row, Field: importFieldLabel(v, p.Field), Message: v.T(p.Key, p.Args...)})
	}
	d.More = im.Result.MoreProblems
	v.Data = d
	h.render(w, r, status, "import_job", v)
}

// importStatus is the small JSON document the progress bar polls.
func (h *Web) importStatus(w http.ResponseWriter, r *http.Request, v *View) {
	im, ok := load(h, w, r, v, h.svc.ClientImport)
	if !ok {
		return
	}
	out := struct {
		State    string `json:"state"`
		Progress int    `json:"progress"`
		Total    int    `json:"total"`
		Percent  int    `json:"percent"`
		Done     bool   `json:"done"`
		Label    string `json:"label"`
	}{State: importState(im), Total: im.RowCount}
	if j := im.Job; j != nil {
		out.Progress, out.Total, out.Percent, out.Done = j.Progress, j.Total, j.Percent(), j.State.Finished()
	}
	out.Label = v.T("import.progress", "done", out.Progress, "total", out.Total)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_ = json.NewEncoder(w).Encode(out)
}

func (h *Web) saveImportMapping(w http.ResponseWriter, r *http.Request, v *View) {
	if !h.parseForm(w, r, v) {
		return
	}
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r, v)
		return
	}
	var mapping []string
	for i := 0; r.PostForm.Has("col" + strconv.Itoa(i)); i++ {
		mapping = append(mapping, r.PostForm.Get("col"+strconv.Itoa(i)))
	}
	if _, err := h.svc.SetClientImportMapping(r.Context(), id, mapping); err != nil {
		h.failForm(w, r, v, err, func(status int) { h.renderImport(w, r, v, status, id) })
		return
	}
	h.flash(w, "import.mapping_saved")
	http.Redirect(w, r, importPath(id)+"#preview", http.StatusSeeOther)
}

func (h *Web) startImport(w http.ResponseWriter, r *http.Request, v *View) {
	if !h.parseForm(w, r, v) {
		return
	}
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r, v)
		return
	}
	_, err := h.svc.StartClientImport(r.Context(), id, service.ImportOptions{Duplicates: r.PostForm.Get("duplicates"),
		OnError: r.PostForm.Get("errors")})
	if err != nil {
		h.fail(w, r, v, err, "")
		return
	}
	http.Redirect(w, r, importPath(id), http.StatusSeeOther)
}

func (h *Web) undoImport(w http.ResponseWriter, r *http.Request, v *View) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r, v)
		return
	}
	if err := h.svc.UndoClientImport(r.Context(), id); err != nil {
		h.fail(w, r, v, err, "")
		return
	}
	h.flash(w, "import.undone")
	http.Redirect(w, r, importPath(id), http.StatusSeeOther)
}
