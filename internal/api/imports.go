package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strings"

	"klientela/internal/authz"
	"klientela/internal/crm"
	"klientela/internal/httpx"
	"klientela/internal/service"
)

// ImportPath is where CSV files are posted for import; it has its own body
// limit (see app).
const ImportPath = Prefix + "/clients/import"

func (a *API) registerImports(mux httpx.Mux) {
	a.handle(mux, "POST", "/clients/import", authz.Clients, authz.Edit, a.importClients)
	a.handle(mux, "GET", "/client-imports/{id}", authz.Clients, authz.Edit, getByID(a.svc.ClientImport, a.importOut))
	a.handle(mux, "POST", "/client-imports/{id}/undo", authz.Clients, authz.Edit, a.undoImport)
}

// ClientImport is an import as the API shows it: the file, its columns and
// their fields, the choices, and the state of its background job.
type ClientImport struct {
	ID         int64          `json:"id"`
	JobID      *int64         `json:"job_id"`
	State      string         `json:"state"` // "new" (not started), "queued", "running", "done", "failed", "undone"
	Progress   int            `json:"progress"`
	Total      int            `json:"total"`
	Percent    int            `json:"percent"`
	FileName   string         `json:"file_name"`
	Rows       int            `json:"rows"`
	Encoding   string         `json:"encoding"`
	Delimiter  string         `json:"delimiter"`
	Columns    []ImportColumn `json:"columns"`
	Duplicates string         `json:"duplicates"`
	Errors     string         `json:"errors"`
	Result     *ImportResult  `json:"result"` // null until the job is done
	CreatedAt  string         `json:"created_at"`
	UndoneAt   *string        `json:"undone_at"`
}

// ImportColumn is a column of the file and the client field it goes to
// ("" when skipped).
type ImportColumn struct {
	Index  int    `json:"index"`
	Header string `json:"header"`
	Field  string `json:"field"`
}

// ImportResult is what a finished import did.
type ImportResult struct {
	Created      int             `json:"created"`
	Merged       int             `json:"merged"`
	Skipped      int             `json:"skipped"`
	Aborted      bool            `json:"aborted"`
	Problems     []ImportProblem `json:"problems"`
	MoreProblems int             `json:"more_problems"`
}

// ImportProblem is why a row was skipped.
type ImportProblem struct {
	Row     int    `json:"row"`
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
}

// importState is the state of an import, from its job.
func importState(im crm.ClientImport) string {
	switch {
	case im.UndoneAt != nil:
		return "undone"
	case im.Job == nil:
		return "new"
	}
	return string(im.Job.State)
}

func (a *API) importOut(r *http.Request, im crm.ClientImport) ClientImport {
	out := ClientImport{ID: im.ID, JobID: im.JobID, State: importState(im), Total: im.RowCount, FileName: im.FileName,
		Rows: im.RowCount, Encoding: im.Encoding, Delimiter: im.Delimiter, Columns: make([]ImportColumn, len(im.Header)),
		Duplicates: im.Duplicates, Errors: im.OnError, CreatedAt: timestamp(r, im.CreatedAt)}
	for i, h := range im.Header {
		out.Columns[i] = ImportColumn{Index: i, Header: h}
		if i < len(im.Mapping) {
			out.Columns[i].Field = im.Mapping[i]
		}
	}
	if j := im.Job; j != nil {
		out.Progress, out.Total, out.Percent = j.Progress, j.Total, j.Percent()
		if j.State == crm.JobDone {
			l := a.localizer(r)
			res := &ImportResult{Created: im.Result.Created, Merged: im.Result.Merged, Skipped: im.Result.Skipped,
				Aborted: im.Result.Aborted, MoreProblems: im.Result.MoreProblems, Problems: []ImportProblem{}}
			for _, p := range im.Result.Problems {
				res.Problems = append(res.Problems, ImportProblem{Row: p.Row, Field: p.Field, Message: l.T(p.Key, p.Args...)})
			}
			out.Result = res
		}
	}
	if im.UndoneAt != nil {
		s := timestamp(r, *im.UndoneAt)
		out.UndoneAt = &s
	}
	return out
}

// importClients takes a CSV file — the body itself (text/csv), or the field
// "file" of a multipart form — with the optional mapping, duplicates and
// errors (query parameters, or fields of the form), and queues its import.
func (a *API) importClients(w http.ResponseWriter, r *http.Request) (int, any, error) {
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil {
		return 0, nil, &statusError{status: http.StatusUnsupportedMediaType, code: "unsupported_media_type", key: "err.import_media"}
	}
	q := r.URL.Query()
	get := func(name string) string { return q.Get(name) }
	in := service.NewClientImport{FileName: q.Get("name")}
	switch {
	case mt == "text/csv" || mt == "text/plain" || mt == "application/csv" || mt == "application/octet-stream" ||
		mt == "text/tab-separated-values" || mt == "application/vnd.ms-excel":
		in.Data, err = readLimited(r.Body)
	case mt == "multipart/form-data":
		fields := map[string]string{}
		in.Data, in.FileName, err = readMultipartFile(r.Body, params["boundary"], "file", fields)
		get = func(name string) string {
			if v, ok := fields[name]; ok {
				return v
			}
			return q.Get(name)
		}
		if err == nil && in.Data == nil {
			return 0, nil, invalidField("file", "err.import_no_file")
		}
	default:
		return 0, nil, &statusError{status: http.StatusUnsupportedMediaType, code: "unsupported_media_type", key: "err.import_media"}
	}
	if err != nil {
		return 0, nil, err
	}
	if m := get("mapping"); m != "" {
		if err := json.Unmarshal([]byte(m), &in.Mapping); err != nil {
			return 0, nil, invalidField("mapping", "err.import_mapping_json")
		}
	}
	in.Start = &service.ImportOptions{Duplicates: get("duplicates"), OnError: get("errors")}
	im, err := a.svc.CreateClientImport(r.Context(), in)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusAccepted, a.importOut(r, im), nil
}

var errImportTooLarge = &statusError{status: http.StatusRequestEntityTooLarge, code: "too_large", key: "err.import_too_large_api"}

// readLimited reads a file body of at most service.MaxImportSize bytes.
func readLimited(body io.Reader) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(body, service.MaxImportSize+1))
	switch {
	case httpx.IsTooLarge(err) || len(data) > service.MaxImportSize:
		return nil, errImportTooLarge
	case err != nil:
		return nil, &statusError{status: http.StatusBadRequest, code: "bad_request", key: "err.import_bad_body"}
	}
	return data, nil
}

// readMultipartFile reads the part fileField of a multipart body (nil when
// absent) and the small text fields beside it into fields.
func readMultipartFile(body io.Reader, boundary, fileField string, fields map[string]string) ([]byte, string, error) {
	mr := multipart.NewReader(body, boundary)
	var (
		data []byte
		name string
	)
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return data, name, nil
		}
		if err != nil {
			if httpx.IsTooLarge(err) {
				return nil, "", errImportTooLarge
			}
			return nil, "", &statusError{status: http.StatusBadRequest, code: "bad_request", key: "err.import_bad_body"}
		}
		if part.FormName() == fileField {
			name = part.FileName()
			if data, err = readLimited(part); err != nil {
				return nil, "", err
			}
			if data == nil {
				data = []byte{}
			}
			continue
		}
		var b bytes.Buffer
		if _, err := io.Copy(&b, io.LimitReader(part, 64<<10)); err != nil {
			if httpx.IsTooLarge(err) {
				return nil, "", errImportTooLarge
			}
			return nil, "", &statusError{status: http.StatusBadRequest, code: "bad_request", key: "err.import_bad_body"}
		}
		fields[part.FormName()] = strings.TrimSpace(b.String())
	}
}

func (a *API) undoImport(w http.ResponseWriter, r *http.Request) (int, any, error) {
	id, err := pathID(r)
	if err != nil {
		return 0, nil, err
	}
	if err := a.svc.UndoClientImport(r.Context(), id); err != nil {
		return 0, nil, err
	}
	im, err := a.svc.ClientImport(r.Context(), id)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, a.importOut(r, im), nil
}
