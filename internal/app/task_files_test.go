package app_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"klientela/internal/app/apptest"
)

// Files attached to tasks: upload with task_id, the filter, PATCH to
// attach and detach, the task page lists them and uploads more; a user who
// sees only their own tasks can neither attach to nor list the files of
// another's task; deleting the task (or its client) leaves the file in the
// account, attached to nothing.
func TestTaskFiles(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		owner := s.SignUp("Firma", "Jan Kowalski", "jan@example.pl", pw)
		tok := s.Token("jan@example.pl", pw)
		post := func(path string, in any) int64 { return s.Create(tok, path, in) }
		ala := post("/api/v1/employees", map[string]any{"first_name": "Ala", "last_name": "Kot"})
		ewa := post("/api/v1/employees", map[string]any{"first_name": "Ewa", "last_name": "Lis"})
		client := post("/api/v1/clients", map[string]any{"kind": "company", "name": "Klient"})
		task := func(title string, emp int64, client any) int64 {
			return post("/api/v1/tasks", map[string]any{"title": title, "start": "2030-01-02T10:00:00+01:00",
				"end": "2030-01-02T11:00:00+01:00", "employee_ids": []int64{emp}, "client_id": client})
		}
		alaTask, ewaTask, clientTask := task("Zadanie Ali", ala, nil), task("Zadanie Ewy", ewa, nil), task("Zadanie klienta", ala, client)
		id := func(n int64) string { return strconv.FormatInt(n, 10) }

		f1 := uploadFile(t, s, tok, "/api/v1/files?task_id="+id(alaTask), "protokół.txt", "treść protokołu")
		f2 := uploadFile(t, s, tok, "/api/v1/files", "luźny.txt", "luźny plik")
		_, body := s.JSON("GET", "/api/v1/files?task_id="+id(alaTask), tok, nil)
		var list struct {
			Items []struct {
				ID        int64
				TaskID    *int64 `json:"task_id"`
				TaskTitle string `json:"task_title"`
			}
			Total int
		}
		if err := json.Unmarshal([]byte(body), &list); err != nil || list.Total != 1 || list.Items[0].ID != f1 ||
			*list.Items[0].TaskID != alaTask || list.Items[0].TaskTitle != "Zadanie Ali" {
			t.Fatalf("files of the task: %s", body)
		}
		// PATCH attaches and detaches; an unknown task is a 422 on the field.
		if res, body := s.JSON("PATCH", "/api/v1/files/"+id(f2), tok, map[string]any{"task_id": alaTask}); res.StatusCode != 200 ||
			!strings.Contains(body, `"task_id":`+id(alaTask)) {
			t.Fatalf("attach: %d %s", res.StatusCode, body)
		}
		if res, body := s.JSON("PATCH", "/api/v1/files/"+id(f2), tok, map[string]any{"task_id": 999999}); res.StatusCode != 422 ||
			!strings.Contains(body, `"task_id"`) {
			t.Fatalf("unknown task: %d %s", res.StatusCode, body)
		}
		if res, body := s.JSON("PATCH", "/api/v1/files/"+id(f2), tok, map[string]any{"task_id": nil}); res.StatusCode != 200 ||
			!strings.Contains(body, `"task_id":null`) {
			t.Fatalf("detach: %d %s", res.StatusCode, body)
		}
		if res, body := s.JSON("GET", "/api/v1/files?task_id=abc", tok, nil); res.StatusCode != 422 || !strings.Contains(body, `"task_id"`) {
			t.Fatalf("bad filter: %d %s", res.StatusCode, body)
		}

		// A user who sees only their own tasks (Ewa's user).
		res, body := s.JSON("POST", "/api/v1/users", tok, map[string]any{"email": "ewa@example.pl", "name": "Ewa", "password": pw,
			"employee_id": ewa, "permissions": map[string]string{"tasks": "edit", "files": "edit"}, "own_only": []string{"tasks"}})
		if res.StatusCode != 201 {
			t.Fatalf("user: %d %s", res.StatusCode, body)
		}
		tokEwa := s.Token("ewa@example.pl", pw)
		if res, _ := s.JSON("GET", "/api/v1/files?task_id="+id(alaTask), tokEwa, nil); res.StatusCode != 404 {
			t.Errorf("Ewa lists the files of Ala's task: %d", res.StatusCode)
		}
		if res, body := apiUpload(t, s, tokEwa, "/api/v1/files?task_id="+id(alaTask), nil, part{"x.txt", strings.NewReader("x")}); res.StatusCode != 422 ||
			!strings.Contains(body, `"task_id"`) {
			t.Errorf("Ewa uploads to Ala's task: %d %s", res.StatusCode, body)
		}
		if res, body := s.JSON("PATCH", "/api/v1/files/"+id(f2), tokEwa, map[string]any{"task_id": alaTask}); res.StatusCode != 422 {
			t.Errorf("Ewa attaches to Ala's task: %d %s", res.StatusCode, body)
		}
		ewaFile := uploadFile(t, s, tokEwa, "/api/v1/files?task_id="+id(ewaTask), "moje.txt", "moje")

		// The task page lists its files and uploads more (the page's form).
		_, page := owner.Get("/tasks/" + id(alaTask))
		if !strings.Contains(page, `href="/files/`+id(f1)+`"`) || !strings.Contains(page, `name="task_id" value="`+id(alaTask)+`"`) {
			t.Fatalf("task page without its files or upload form:\n%s", page)
		}
		res, body = webUpload(t, s, owner, url.Values{"task_id": {id(alaTask)}, "next": {"/tasks/" + id(alaTask)}}, part{"zdjęcie.txt", strings.NewReader("z")})
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/tasks/"+id(alaTask) {
			t.Fatalf("upload from the task page: %d %q %s", res.StatusCode, res.Header.Get("Location"), body)
		}
		if _, body := s.JSON("GET", "/api/v1/files?task_id="+id(alaTask), tok, nil); !strings.Contains(body, `"total":2`) {
			t.Fatalf("after the page's upload: %s", body)
		}
		// The file page: the task shown, attach through the form.
		_, page = owner.Get("/files/" + id(f2))
		if !strings.Contains(page, `name="task_id"`) || !strings.Contains(page, "Zadanie Ewy") {
			t.Fatalf("file page without the task choice:\n%s", page)
		}
		if res, _ := owner.Post("/files/"+id(f2), url.Values{"name": {"luźny.txt"}, "task_id": {id(clientTask)}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("attach on the file page: %d", res.StatusCode)
		}
		if _, page = owner.Get("/files/" + id(f2)); !strings.Contains(page, `<a href="/tasks/`+id(clientTask)+`">Zadanie klienta</a>`) {
			t.Fatalf("file page after attaching:\n%s", page)
		}

		// Deleting the task keeps the file, attached to nothing; so does
		// removing the client (and with it its task) for good.
		if res, _ := s.JSON("DELETE", "/api/v1/tasks/"+id(ewaTask), tok, nil); res.StatusCode != 204 {
			t.Fatalf("delete task: %d", res.StatusCode)
		}
		if res, body := s.JSON("GET", "/api/v1/files/"+id(ewaFile), tok, nil); res.StatusCode != 200 || !strings.Contains(body, `"task_id":null`) {
			t.Fatalf("file of a deleted task: %d %s", res.StatusCode, body)
		}
		if res, body := s.JSON("DELETE", "/api/v1/clients/"+id(client), tok, nil); res.StatusCode != 204 {
			t.Fatalf("trash client: %d %s", res.StatusCode, body)
		}
		if res, body := owner.Post("/clients/"+id(client)+"/purge", nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("purge client: %d %s", res.StatusCode, body)
		}
		if res, body := s.JSON("GET", "/api/v1/files/"+id(f2), tok, nil); res.StatusCode != 200 || !strings.Contains(body, `"task_id":null`) {
			t.Fatalf("file of a purged client's task: %d %s", res.StatusCode, body)
		}
	})
}

// webUpload posts a multipart upload as the files pages' form does (fields
// first) with b's cookies.
func webUpload(t *testing.T, s *apptest.Server, b *apptest.Browser, fields url.Values, parts ...part) (*http.Response, string) {
	t.Helper()
	flat := map[string]string{}
	for k := range fields {
		flat[k] = fields.Get(k)
	}
	body, ct := multipartBody(flat, parts...)
	req, _ := http.NewRequest("POST", s.URL+"/files/upload", body)
	req.Header.Set("Content-Type", ct)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.Header.Set("Origin", s.URL)
	res, err := b.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	return res, string(data)
}
