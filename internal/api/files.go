package api

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"time"

	"klientela/internal/authz"
	"klientela/internal/crm"
	"klientela/internal/httpx"
	"klientela/internal/service"
)

// transferTime is how long an upload or a download may take.
const transferTime = time.Hour

func (a *API) registerFiles(mux httpx.Mux) {
	a.handle(mux, "GET", "/files", authz.Files, authz.View, a.listFiles)
	a.handle(mux, "POST", "/files", authz.Files, authz.Edit, a.uploadFiles)
	a.handle(mux, "GET", "/files/{id}", authz.Files, authz.View, getByID(a.svc.File, fileOut))
	a.handle(mux, "PATCH", "/files/{id}", authz.Files, authz.Edit, a.patchFile)
	a.handle(mux, "DELETE", "/files/{id}", authz.Files, authz.Full, deleteByID(a.svc.DeleteFile))
	a.handleRaw(mux, "GET", "/files/{id}/content", authz.Files, authz.View, a.fileContent)
	a.handle(mux, "GET", "/file-folders", authz.Files, authz.View, a.listFileFolders)
	a.handle(mux, "POST", "/file-folders", authz.Files, authz.Edit, a.createFileFolder)
	a.handle(mux, "PATCH", "/file-folders/{id}", authz.Files, authz.Edit, a.patchFileFolder)
	a.handle(mux, "DELETE", "/file-folders/{id}", authz.Files, authz.Full, deleteByID(a.svc.DeleteFileFolder))
}

// File is a file's metadata as the API shows it. media_type is what the
// bytes were sniffed as at upload; client_name and employee_name are empty
// for a caller who may not see clients or employees.
type File struct {
	ID           int64  `json:"id"`
	Name         string `json:"name"`
	Size         int64  `json:"size"`
	MediaType    string `json:"media_type"`
	SHA256       string `json:"sha256"`
	FolderID     *int64 `json:"folder_id"`
	FolderName   string `json:"folder_name"`
	ClientID     *int64 `json:"client_id"`
	ClientName   string `json:"client_name"`
	EmployeeID   *int64 `json:"employee_id"`
	EmployeeName string `json:"employee_name"`
	TaskID       *int64 `json:"task_id"`
	TaskTitle    string `json:"task_title"`
	ContentURL   string `json:"content_url"`
	CreatedAt    string `json:"created_at"`
	UpdatedAt    string `json:"updated_at"`
}

func fileOut(r *http.Request, f crm.File) File {
	return File{ID: f.ID, Name: f.Name, Size: f.Size, MediaType: f.MediaType, SHA256: f.SHA256, FolderID: f.FolderID,
		FolderName: f.FolderName, ClientID: f.ClientID, ClientName: f.ClientName, EmployeeID: f.EmployeeID,
		EmployeeName: f.EmployeeName, TaskID: f.TaskID, TaskTitle: f.TaskTitle, ContentURL: Prefix + "/files/" + strconv.FormatInt(f.ID, 10) + "/content",
		CreatedAt: timestamp(r, f.CreatedAt), UpdatedAt: timestamp(r, f.UpdatedAt)}
}

// queryID reads an optional positive id from the query; anything else is
// an invalid field.
func queryID(r *http.Request, name, key string) (int64, error) {
	s := r.URL.Query().Get(name)
	if s == "" {
		return 0, nil
	}
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id < 1 {
		return 0, invalidField(name, key)
	}
	return id, nil
}

func (a *API) listFiles(w http.ResponseWriter, r *http.Request) (int, any, error) {
	pg, err := page(r)
	if err != nil {
		return 0, nil, err
	}
	q := r.URL.Query()
	query := service.FileQuery{Q: q.Get("q"), Sort: q.Get("sort"), Offset: int(pg.Cursor), Limit: pg.Limit}
	if q.Get("folder") == "none" {
		query.TopLevel = true
	} else if query.FolderID, err = queryID(r, "folder", "err.file_folder_unknown"); err != nil {
		return 0, nil, err
	}
	if query.ClientID, err = queryID(r, "client_id", "err.contact_client_unknown"); err != nil {
		return 0, nil, err
	}
	if query.EmployeeID, err = queryID(r, "employee_id", "err.employee_unknown"); err != nil {
		return 0, nil, err
	}
	if query.TaskID, err = queryID(r, "task_id", "err.file_task_unknown"); err != nil {
		return 0, nil, err
	}
	items, total, err := a.svc.Files(r.Context(), query)
	if err != nil {
		return 0, nil, err
	}
	out := make([]File, len(items))
	for i, f := range items {
		out[i] = fileOut(r, f)
	}
	return http.StatusOK, cappedList(out, query.Offset, total, service.FileCountBound(query)), nil
}

// uploadFiles takes a multipart/form-data body with one or more parts
// named "file", streamed to the blob store as they arrive. folder_id,
// client_id, employee_id and task_id come from the query or from fields sent
// before the first file. One file answers with the file, several with
// {"items": […]}; all are stored or none.
func (a *API) uploadFiles(w http.ResponseWriter, r *http.Request) (int, any, error) {
	httpx.LongRequest(w, transferTime)
	var target service.FileTarget
	ids := map[string]**int64{"folder_id": &target.FolderID, "client_id": &target.ClientID, "employee_id": &target.EmployeeID,
		"task_id": &target.TaskID}
	keys := map[string]string{"folder_id": "err.file_folder_unknown", "client_id": "err.contact_client_unknown",
		"employee_id": "err.employee_unknown", "task_id": "err.file_task_unknown"}
	setID := func(name, s string) error {
		if s == "" {
			return nil
		}
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id < 1 {
			return invalidField(name, keys[name])
		}
		*ids[name] = &id
		return nil
	}
	for name := range ids {
		if err := setID(name, r.URL.Query().Get(name)); err != nil {
			return 0, nil, err
		}
	}
	var up *service.Upload
	defer func() {
		if up != nil {
			up.Abort(r.Context())
		}
	}()
	err := httpx.EachPart(r, func(field, filename, value string, body io.Reader) error {
		if body == nil {
			if _, ok := ids[field]; !ok {
				return nil
			}
			if up != nil {
				return invalidField(field, "err.file_fields_first")
			}
			return setID(field, value)
		}
		if field != "file" {
			return nil
		}
		if up == nil {
			var err error
			if up, err = a.svc.BeginUpload(r.Context(), target); err != nil {
				return err
			}
		}
		return up.Add(r.Context(), filename, body)
	})
	switch {
	case httpx.IsTooLarge(err):
		return 0, nil, &statusError{status: http.StatusRequestEntityTooLarge, code: "too_large", key: "err.body_too_large"}
	case errors.Is(err, httpx.ErrBadMultipart):
		return 0, nil, &statusError{status: http.StatusBadRequest, code: "bad_request", key: "err.bad_multipart"}
	case err != nil:
		return 0, nil, err
	case up == nil:
		return 0, nil, invalidField("file", "err.file_required")
	}
	files, err := up.Commit(r.Context())
	up = nil
	if err != nil {
		return 0, nil, err
	}
	out := make([]File, len(files))
	for i, f := range files {
		out[i] = fileOut(r, f)
	}
	if len(out) == 1 {
		w.Header().Set("Location", out[0].ContentURL[:len(out[0].ContentURL)-len("/content")])
		return http.StatusCreated, out[0], nil
	}
	return http.StatusCreated, newList(out, 0), nil
}

// fileRequest is a PATCH body: absent fields keep their value; folder_id,
// client_id, employee_id and task_id may be null to clear them.
type fileRequest struct {
	Name       *string         `json:"name"`
	FolderID   json.RawMessage `json:"folder_id"`
	ClientID   json.RawMessage `json:"client_id"`
	EmployeeID json.RawMessage `json:"employee_id"`
	TaskID     json.RawMessage `json:"task_id"`
}

func (a *API) patchFile(w http.ResponseWriter, r *http.Request) (int, any, error) {
	id, err := pathID(r)
	if err != nil {
		return 0, nil, err
	}
	cur, err := a.svc.File(r.Context(), id)
	if err != nil {
		return 0, nil, err
	}
	var body fileRequest
	if err := a.decode(r, &body); err != nil {
		return 0, nil, err
	}
	in := service.FileInputOf(cur)
	if body.Name != nil {
		in.Name = *body.Name
	}
	if err := optionalID(body.FolderID, &in.FolderID, "folder_id", "err.file_folder_unknown"); err != nil {
		return 0, nil, err
	}
	if err := optionalID(body.ClientID, &in.ClientID, "client_id", "err.contact_client_unknown"); err != nil {
		return 0, nil, err
	}
	if err := optionalID(body.EmployeeID, &in.EmployeeID, "employee_id", "err.employee_unknown"); err != nil {
		return 0, nil, err
	}
	if err := optionalID(body.TaskID, &in.TaskID, "task_id", "err.file_task_unknown"); err != nil {
		return 0, nil, err
	}
	f, err := a.svc.UpdateFile(r.Context(), id, in)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, fileOut(r, f), nil
}

// fileContent sends a file's bytes as a download (Range requests work);
// ?inline=1 shows images and PDFs in the browser, and only those.
func (a *API) fileContent(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	f, o, err := a.svc.OpenFile(r.Context(), id)
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	defer o.Close()
	httpx.LongRequest(w, transferTime)
	httpx.ServeFile(w, r, o, f.Name, f.MediaType, f.SHA256, f.CreatedAt,
		r.URL.Query().Get("inline") == "1" && f.Previewable())
}

// FileFolder is a folder as the API shows it.
type FileFolder struct {
	ID        int64  `json:"id"`
	Name      string `json:"name"`
	Files     int    `json:"files"`
	CreatedAt string `json:"created_at"`
	UpdatedAt string `json:"updated_at"`
}

func folderOut(r *http.Request, f crm.FileFolder) FileFolder {
	return FileFolder{ID: f.ID, Name: f.Name, Files: f.Files, CreatedAt: timestamp(r, f.CreatedAt), UpdatedAt: timestamp(r, f.UpdatedAt)}
}

type folderRequest struct {
	Name *string `json:"name"`
}

func (a *API) listFileFolders(w http.ResponseWriter, r *http.Request) (int, any, error) {
	fs, err := a.svc.FileFolders(r.Context())
	if err != nil {
		return 0, nil, err
	}
	out := make([]FileFolder, len(fs))
	for i, f := range fs {
		out[i] = folderOut(r, f)
	}
	return http.StatusOK, newList(out, 0), nil
}

func (a *API) createFileFolder(w http.ResponseWriter, r *http.Request) (int, any, error) {
	var body folderRequest
	if err := a.decode(r, &body); err != nil {
		return 0, nil, err
	}
	name := ""
	if body.Name != nil {
		name = *body.Name
	}
	f, err := a.svc.CreateFileFolder(r.Context(), name)
	if err != nil {
		return 0, nil, err
	}
	w.Header().Set("Location", Prefix+"/file-folders/"+strconv.FormatInt(f.ID, 10))
	return http.StatusCreated, folderOut(r, f), nil
}

func (a *API) patchFileFolder(w http.ResponseWriter, r *http.Request) (int, any, error) {
	id, err := pathID(r)
	if err != nil {
		return 0, nil, err
	}
	cur, err := a.svc.FileFolder(r.Context(), id)
	if err != nil {
		return 0, nil, err
	}
	var body folderRequest
	if err := a.decode(r, &body); err != nil {
		return 0, nil, err
	}
	name := cur.Name
	if body.Name != nil {
		name = *body.Name
	}
	f, err := a.svc.RenameFileFolder(r.Context(), id, name)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, folderOut(r, f), nil
}
