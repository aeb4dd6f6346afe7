package web

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"klientela/internal/authz"
	"klientela/internal/crm"
	"klientela/internal/httpx"
	"klientela/internal/i18n"
	"klientela/internal/service"
)

// transferTime is how long an upload or a download may take.
const transferTime = time.Hour

const filesPerPage = 50

func (h *Web) registerFiles(mux httpx.Mux) {
	h.route(mux, "GET /files", authz.Files, authz.View, h.files)
	h.route(mux, "POST /files/upload", authz.Files, authz.Edit, h.uploadFiles)
	h.route(mux, "GET /files/{id}", authz.Files, authz.View, h.file)
	h.route(mux, "POST /files/{id}", authz.Files, authz.Edit, h.updateFile)
	h.route(mux, "POST /files/{id}/delete", authz.Files, authz.Full, h.deleteFile)
	h.route(mux, "GET /files/{id}/download", authz.Files, authz.View, h.downloadFile(false))
	h.route(mux, "GET /files/{id}/view", authz.Files, authz.View, h.downloadFile(true))
	h.route(mux, "POST /file-folders", authz.Files, authz.Edit, h.createFileFolder)
	h.route(mux, "POST /file-folders/{id}", authz.Files, authz.Edit, h.renameFileFolder)
	h.route(mux, "POST /file-folders/{id}/delete", authz.Files, authz.Full, h.deleteFileFolder)
}

// Bytes shows a size: "1,5 MB" in Polish, "1.5 MB" in English.
func (v *View) Bytes(n int64) string {
	s := service.FormatBytes(n)
	if v.Lang != i18n.PL {
		s = strings.Replace(s, ",", ".", 1)
	}
	return s
}

// UploadForm is the model of the "file-upload" partial: where the files
// go and where the browser comes back to.
type UploadForm struct {
	V          *View
	FolderID   int64
	ClientID   int64
	EmployeeID int64
	DocumentID int64
	TaskID     int64
	Next       string
	MaxSize    int64
	Free       int64 // bytes left in the account's quota
}

// FilesData is the model of the file list.
type FilesData struct {
	Items      []crm.File
	Folders    []crm.FileFolder
	Folder     string // "" (all), "none" or a folder id
	Current    *crm.FileFolder
	Q          string
	Pager      Pager
	Sorts      map[string]SortLink
	Upload     UploadForm
	Used       int64
	Quota      int64
	UsedPct    int
	FolderEdit int64 // the folder whose rename failed
}

func (h *Web) files(w http.ResponseWriter, r *http.Request, v *View) {
	h.showFiles(w, r, v, http.StatusOK, 0)
}

func (h *Web) showFiles(w http.ResponseWriter, r *http.Request, v *View, status int, folderEdit int64) {
	q := r.URL.Query()
	if r.Method != http.MethodGet {
		q = url.Values{}
	}
	page := listPage(q)
	query := service.FileQuery{Q: q.Get("q"), Sort: q.Get("sort"), Offset: (page - 1) * filesPerPage, Limit: filesPerPage}
	d := FilesData{Q: query.Q, Folder: q.Get("folder"), FolderEdit: folderEdit}
	folders, err := h.svc.FileFolders(r.Context())
	if err != nil {
		h.fail(w, r, v, err, "")
		return
	}
	d.Folders = folders
	if d.Folder == "none" {
		query.TopLevel = true
	} else if id, err := strconv.ParseInt(d.Folder, 10, 64); err == nil && id > 0 {
		for i := range folders {
			if folders[i].ID == id {
				d.Current = &folders[i]
			}
		}
		if d.Current == nil {
			h.notFound(w, r, v)
			return
		}
		query.FolderID = id
	} else {
		d.Folder = ""
	}
	items, total, err := h.svc.Files(r.Context(), query)
	if err != nil {
		h.fail(w, r, v, err, "")
		return
	}
	used, quota, err := h.svc.FilesUsage(r.Context())
	if err != nil {
		h.fail(w, r, v, err, "")
		return
	}
	sort := q.Get("sort")
	if sort == "" {
		sort = "name"
	}
	d.Items, d.Used, d.Quota = items, used, quota
	d.UsedPct = int(min(100, used*100/max(quota, 1)))
	d.Pager = newCappedPager("/files", q, total, service.FileCountBound(query), page, filesPerPage)
	d.Sorts = map[string]SortLink{"name": sortLink("/files", q, sort, "name"), "size": sortLink("/files", q, sort, "size"),
		"created": sortLink("/files", q, sort, "created")}
	d.Upload = UploadForm{V: v, Next: r.URL.RequestURI(), MaxSize: h.svc.MaxFileSize(), Free: max(0, quota-used)}
	if r.Method != http.MethodGet {
		d.Upload.Next = "/files"
	}
	if d.Current != nil {
		d.Upload.FolderID = d.Current.ID
	}
	v.Title, v.Section, v.Data = v.T("files.title"), "files", d
	h.render(w, r, status, "files", v)
}

// wantsJSON tells the page's own upload script (which asks for JSON) from
// a plain form post.
func wantsJSON(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Accept"), "application/json")
}

// uploadFiles streams a multipart upload to the service, part by part, and
// goes back to the page it came from. The page's script gets JSON:
// {"redirect": "…"} or {"error": "…"}.
func (h *Web) uploadFiles(w http.ResponseWriter, r *http.Request, v *View) {
	httpx.LongRequest(w, transferTime)
	var target service.FileTarget
	next := "/files"
	ids := map[string]**int64{"folder_id": &target.FolderID, "client_id": &target.ClientID, "employee_id": &target.EmployeeID,
		"document_id": &target.DocumentID, "task_id": &target.TaskID}
	var up *service.Upload
	defer func() {
		if up != nil {
			up.Abort(r.Context())
		}
	}()
	n := 0
	err := httpx.EachPart(r, func(field, filename, value string, body io.Reader) error {
		if body == nil {
			if field == "next" {
				next = safeNext(value)
			} else if p, ok := ids[field]; ok && up == nil && value != "" {
				id, err := strconv.ParseInt(value, 10, 64)
				if err != nil || id < 1 {
					return crm.NotFound()
				}
				*p = &id
			}
			return nil
		}
		if field != "file" {
			return nil
		}
		if up == nil {
			var err error
			if up, err = h.svc.BeginUpload(r.Context(), target); err != nil {
				return err
			}
		}
		n++
		return up.Add(r.Context(), filename, body)
	})
	if err == nil && up == nil {
		err = &crm.Error{Code: crm.CodeInvalid, Key: "err.form", Fields: map[string]crm.Msg{"file": {Key: "err.file_required"}}}
	}
	var files []crm.File
	if err == nil {
		files, err = up.Commit(r.Context())
		up = nil
	}
	if err != nil {
		h.uploadFailed(w, r, v, err, next)
		return
	}
	h.flashText(w, "files.uploaded", len(files))
	if wantsJSON(r) {
		writeJSON(w, http.StatusOK, map[string]any{"redirect": next})
		return
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// uploadFailed says why an upload was refused: as JSON to the page's
// script, as a message on the page it came from otherwise.
func (h *Web) uploadFailed(w http.ResponseWriter, r *http.Request, v *View, err error, next string) {
	status, key := http.StatusInternalServerError, "errors.internal.title"
	var args []any
	switch e, ok := crm.AsError(err); {
	case httpx.IsTooLarge(err):
		status, key = http.StatusRequestEntityTooLarge, "err.body_too_large"
	case errors.Is(err, httpx.ErrBadMultipart):
		status, key = http.StatusBadRequest, "err.bad_multipart"
	case ok && e.Code != crm.CodeInternal:
		status, key, args = httpx.Status(e.Code), e.Key, e.Args
		for _, m := range e.Fields {
			key, args = m.Key, m.Args
		}
	default:
		h.log.Error("upload failed", "id", httpx.RequestID(r.Context()), "err", err)
	}
	if wantsJSON(r) {
		writeJSON(w, status, map[string]any{"error": v.T(key, args...)})
		return
	}
	if status == http.StatusForbidden || status == http.StatusNotFound {
		h.fail(w, r, v, err, "")
		return
	}
	h.flashError(w, key)
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// flashText is flash for a plural message with a count.
func (h *Web) flashText(w http.ResponseWriter, key string, n int) {
	h.flash(w, key+"#"+strconv.Itoa(n))
}

// FileData is the model of a file's page.
type FileData struct {
	File      crm.File
	Folders   []Option
	Employees []Option // nil without access to employees
	Tasks     []Option // open tasks the user sees (and the file's own); nil without access to tasks
}

func (h *Web) file(w http.ResponseWriter, r *http.Request, v *View) {
	f, ok := load(h, w, r, v, h.svc.File)
	if !ok {
		return
	}
	v.Form = &Form{Values: map[string]string{"name": f.Name, "folder_id": idValue(f.FolderID), "employee_id": idValue(f.EmployeeID),
		"task_id": idValue(f.TaskID)}}
	h.showFile(w, r, v, http.StatusOK, f)
}

func (h *Web) showFile(w http.ResponseWriter, r *http.Request, v *View, status int, f crm.File) {
	d := FileData{File: f, Folders: []Option{{Value: "", Label: v.T("files.no_folder")}}}
	folders, err := h.svc.FileFolders(r.Context())
	if err != nil {
		h.fail(w, r, v, err, "")
		return
	}
	for _, fo := range folders {
		d.Folders = append(d.Folders, Option{Value: strconv.FormatInt(fo.ID, 10), Label: fo.Name})
	}
	if authz.Can(v.P, authz.Employees, authz.View) {
		active := true
		if es, _, err := h.svc.Employees(r.Context(), service.EmployeeQuery{Active: &active, Limit: service.MaxPageSize}); err == nil {
			d.Employees = []Option{{Value: "", Label: v.T("common.none")}}
			for _, e := range es {
				d.Employees = append(d.Employees, Option{Value: strconv.FormatInt(e.ID, 10), Label: e.FullName()})
			}
		}
	}
	if authz.Can(v.P, authz.Tasks, authz.View) {
		d.Tasks = h.taskOptions(r, v, f)
	}
	v.Title, v.Section, v.Data = f.Name, "files", d
	h.render(w, r, status, "file", v)
}

func formID(form url.Values, name string) *int64 {
	id, err := strconv.ParseInt(form.Get(name), 10, 64)
	if err != nil || id < 1 {
		return nil
	}
	return &id
}

func (h *Web) updateFile(w http.ResponseWriter, r *http.Request, v *View) {
	if !h.parseForm(w, r, v) {
		return
	}
	f, ok := load(h, w, r, v, h.svc.File)
	if !ok {
		return
	}
	form := r.PostForm
	in := service.FileInputOf(f)
	in.Name, in.FolderID = form.Get("name"), formID(form, "folder_id")
	if _, ok := form["employee_id"]; ok {
		in.EmployeeID = formID(form, "employee_id")
	}
	if form.Get("detach_client") != "" {
		in.ClientID = nil
	}
	if _, ok := form["task_id"]; ok {
		in.TaskID = formID(form, "task_id")
	}
	if _, err := h.svc.UpdateFile(r.Context(), f.ID, in); err != nil {
		h.failForm(w, r, v, err, func(status int) { h.showFile(w, r, v, status, f) })
		return
	}
	h.flash(w, "files.saved")
	http.Redirect(w, r, "/files/"+strconv.FormatInt(f.ID, 10), http.StatusSeeOther)
}

func (h *Web) deleteFile(w http.ResponseWriter, r *http.Request, v *View) {
	if !h.parseForm(w, r, v) {
		return
	}
	next := safeNext(r.PostForm.Get("next"))
	if next == "/" {
		next = "/files"
	}
	h.clientAction(w, r, v, func(id int64) error { return h.svc.DeleteFile(r.Context(), id) }, "files.deleted", next)
}

// downloadFile sends a file: as a download, or (view) shown in the browser
// when it was sniffed as an image or a PDF — anything else downloads even
// from the view link.
func (h *Web) downloadFile(view bool) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request, v *View) {
		id, ok := pathID(r)
		if !ok {
			h.notFound(w, r, v)
			return
		}
		f, o, err := h.svc.OpenFile(r.Context(), id)
		if err != nil {
			h.fail(w, r, v, err, "")
			return
		}
		defer o.Close()
		httpx.LongRequest(w, transferTime)
		httpx.ServeFile(w, r, o, f.Name, f.MediaType, f.SHA256, f.CreatedAt, view && f.Previewable())
	}
}

func (h *Web) createFileFolder(w http.ResponseWriter, r *http.Request, v *View) {
	if !h.parseForm(w, r, v) {
		return
	}
	fo, err := h.svc.CreateFileFolder(r.Context(), r.PostForm.Get("name"))
	if err != nil {
		h.failForm(w, r, v, err, func(status int) { h.showFiles(w, r, v, status, 0) })
		return
	}
	h.flash(w, "files.folder_created")
	http.Redirect(w, r, "/files?folder="+strconv.FormatInt(fo.ID, 10), http.StatusSeeOther)
}

func (h *Web) renameFileFolder(w http.ResponseWriter, r *http.Request, v *View) {
	if !h.parseForm(w, r, v) {
		return
	}
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r, v)
		return
	}
	if _, err := h.svc.RenameFileFolder(r.Context(), id, r.PostForm.Get("name")); err != nil {
		h.failForm(w, r, v, err, func(status int) { h.showFiles(w, r, v, status, id) })
		return
	}
	h.flash(w, "files.folder_saved")
	http.Redirect(w, r, "/files?folder="+strconv.FormatInt(id, 10), http.StatusSeeOther)
}

func (h *Web) deleteFileFolder(w http.ResponseWriter, r *http.Request, v *View) {
	h.clientAction(w, r, v, func(id int64) error { return h.svc.DeleteFileFolder(r.Context(), id) },
		"files.folder_deleted", "/files")
}

// AttachedFiles is the model of the "attached-files" partial: the files
// of a client or an employee, with an upload form that attaches new ones.
type AttachedFiles struct {
	V      *View
	Items  []crm.File
	Total  int
	More   bool // more than Total (the count stopped there)
	Upload UploadForm
}

// attachedFiles loads the files of a client or an employee for its card;
// nil when the user may not see files.
func (h *Web) attachedFiles(r *http.Request, v *View, clientID, employeeID int64) *AttachedFiles {
	return h.filesOf(r, v, service.FileQuery{ClientID: clientID, EmployeeID: employeeID})
}

// taskFiles loads the files of a task for its page; nil when the user may
// not see files.
func (h *Web) taskFiles(r *http.Request, v *View, taskID int64) *AttachedFiles {
	return h.filesOf(r, v, service.FileQuery{TaskID: taskID})
}

// filesOf loads the files attached where q says (a client, an employee, a
// document or a task), with the upload form that attaches more there.
func (h *Web) filesOf(r *http.Request, v *View, q service.FileQuery) *AttachedFiles {
	if !authz.Can(v.P, authz.Files, authz.View) {
		return nil
	}
	q.Limit, q.Sort = 20, "-created"
	items, total, err := h.svc.Files(r.Context(), q)
	if err != nil {
		h.log.Warn("attached files", "id", httpx.RequestID(r.Context()), "err", err)
		return nil
	}
	a := &AttachedFiles{V: v, Items: items, Total: total,
		Upload: UploadForm{V: v, ClientID: q.ClientID, EmployeeID: q.EmployeeID, DocumentID: q.DocumentID, TaskID: q.TaskID,
			Next: r.URL.RequestURI(), MaxSize: h.svc.MaxFileSize()}}
	if bound := service.FileCountBound(q); bound > 0 && total > bound {
		a.Total, a.More = bound, true
	}
	if used, quota, err := h.svc.FilesUsage(r.Context()); err == nil {
		a.Upload.Free = max(0, quota-used)
	}
	return a
}

// taskOptions are the tasks a file can be attached to on its page: the
// open tasks the user sees, soonest first, and the file's own task.
func (h *Web) taskOptions(r *http.Request, v *View, f crm.File) []Option {
	out := []Option{{Value: "", Label: v.T("common.none")}}
	if f.TaskID != nil && f.TaskTitle != "" {
		out = append(out, Option{Value: idValue(f.TaskID), Label: f.TaskTitle})
	}
	ks, _, err := h.svc.Tasks(r.Context(), service.TaskQuery{Status: "open", Sort: "start", Limit: 100})
	if err != nil {
		h.log.Warn("file task options", "id", httpx.RequestID(r.Context()), "err", err)
		return out
	}
	for _, k := range ks {
		if f.TaskID == nil || k.ID != *f.TaskID {
			out = append(out, Option{Value: strconv.FormatInt(k.ID, 10), Label: k.Title + " · " + v.Date(k.Start)})
		}
	}
	return out
}
