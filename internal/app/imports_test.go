package app_test

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"klientela/internal/app/apptest"
	"klientela/internal/service"
)

// importCSV posts a CSV body to the import API with the query q and
// returns the import's id.
func importCSV(t *testing.T, s *apptest.Server, token, csv, q string) int64 {
	t.Helper()
	res, body := postImport(t, s, token, "text/csv", strings.NewReader(csv), q)
	if res.StatusCode != http.StatusAccepted {
		t.Fatalf("import: %d %s", res.StatusCode, body)
	}
	var out struct{ ID int64 }
	_ = json.Unmarshal([]byte(body), &out)
	return out.ID
}

func postImport(t *testing.T, s *apptest.Server, token, ctype string, body io.Reader, q string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest("POST", s.URL+"/api/v1/clients/import"+q, body)
	req.Header.Set("Content-Type", ctype)
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	return res, string(data)
}

type apiImport struct {
	ID       int64
	State    string
	Progress int
	Total    int
	Percent  int
	Encoding string
	Columns  []struct {
		Header, Field string
	}
	Result *struct {
		Created, Merged, Skipped int
		Problems                 []struct {
			Row            int
			Field, Message string
		}
	}
}

// waitImport polls the import until its job has finished.
func waitImport(t *testing.T, s *apptest.Server, token string, id int64) apiImport {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		res, body := s.JSON("GET", "/api/v1/client-imports/"+itoa(id), token, nil)
		if res.StatusCode != 200 {
			t.Fatalf("poll: %d %s", res.StatusCode, body)
		}
		var im apiImport
		if err := json.Unmarshal([]byte(body), &im); err != nil {
			t.Fatal(err)
		}
		if im.State == "done" || im.State == "failed" {
			return im
		}
		if time.Now().After(deadline) {
			t.Fatalf("import still %s after 30 s: %s", im.State, body)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func testdata(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "csvfile", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestImportAPI(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		s.SignUp("Firma", "Jan Kowalski", "jan@example.pl", pw)
		tok := s.Token("jan@example.pl", pw)

		// Multipart with the file and a mapping by header names.
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		fw, _ := mw.CreateFormFile("file", "excel.csv")
		_, _ = fw.Write(testdata(t, "excel-cp1250.csv"))
		_ = mw.WriteField("mapping", `{"Nazwa firmy":"name","NIP":"nip","Miejscowość":"city","Kod":"postal_code"}`)
		_ = mw.Close()
		res, body := postImport(t, s, tok, mw.FormDataContentType(), &buf, "")
		if res.StatusCode != http.StatusAccepted {
			t.Fatalf("multipart import: %d %s", res.StatusCode, body)
		}
		var im apiImport
		_ = json.Unmarshal([]byte(body), &im)
		im = waitImport(t, s, tok, im.ID)
		if im.Encoding != "windows-1250" || im.Percent != 100 || im.Result == nil || im.Result.Created != 3 || im.Columns[6].Field != "" {
			t.Fatalf("done import = %+v", im)
		}
		_, body = s.JSON("GET", "/api/v1/clients?q=lodz", tok, nil)
		if !strings.Contains(body, "Żółw i Syn") {
			t.Fatalf("imported client not found by 'lodz': %s", body)
		}

		// A CSV body with bad rows, errors skipped: each problem says row and field.
		id := importCSV(t, s, tok, string(testdata(t, "bad-rows.csv")), "?duplicates=skip&errors=skip")
		im = waitImport(t, s, tok, id)
		if im.Result.Created != 2 || im.Result.Skipped != 5 || im.Result.Problems[0].Row != 3 || im.Result.Problems[0].Field != "nip" ||
			!strings.Contains(im.Result.Problems[0].Message, "NIP") {
			t.Fatalf("bad rows = %+v", im.Result)
		}

		// Undo, and not twice.
		res, body = s.JSON("POST", "/api/v1/client-imports/"+itoa(id)+"/undo", tok, map[string]any{})
		if res.StatusCode != 200 || !strings.Contains(body, `"state":"undone"`) {
			t.Fatalf("undo: %d %s", res.StatusCode, body)
		}
		if res, _ := s.JSON("POST", "/api/v1/client-imports/"+itoa(id)+"/undo", tok, map[string]any{}); res.StatusCode != 409 {
			t.Fatalf("second undo: %d", res.StatusCode)
		}

		// Not a CSV, a bad option, a bad mapping, a JSON body: 4xx, never 500.
		for _, c := range []struct {
			ctype, body, q string
			want           int
		}{
			{"text/csv", string(testdata(t, "not-csv.png")), "", 422},
			{"text/csv", string(testdata(t, "one-column.txt")), "", 422},
			{"text/csv", "", "", 422},
			{"text/csv", "a;b\r\n1;2\r\n", "?duplicates=maybe", 422},
			{"text/csv", "a;b\r\n1;2\r\n", "?mapping=%7B%22a%22%3A%22shoe_size%22%7D", 422},
			{"text/csv", "a;b\r\n1;2\r\n", "?mapping=nope", 422},
			{"application/json", "{}", "", 415},
		} {
			if res, body := postImport(t, s, tok, c.ctype, strings.NewReader(c.body), c.q); res.StatusCode != c.want {
				t.Errorf("%s %q%s: %d %s, want %d", c.ctype, c.body[:min(10, len(c.body))], c.q, res.StatusCode, body, c.want)
			}
		}
	})
}

// A file over 100 MB is refused: 413 from the API, a message at the file
// field on the page.
func TestImportTooLarge(t *testing.T) {
	s := apptest.Start(t, "sqlite")
	b := s.SignUp("Firma", "Jan Kowalski", "jan@example.pl", pw)
	tok := s.Token("jan@example.pl", pw)
	big := bytes.Repeat([]byte("Nazwa;Miasto\r\n"), service.MaxImportSize/14+2)
	res, body := postImport(t, s, tok, "text/csv", bytes.NewReader(big), "")
	if res.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(body, `"too_large"`) {
		t.Fatalf("API: %d %s", res.StatusCode, body[:min(200, len(body))])
	}

	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("file", "duzy.csv")
	_, _ = fw.Write(big)
	_ = mw.Close()
	req, _ := http.NewRequest("POST", s.URL+"/clients/import", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.Header.Set("Origin", s.URL)
	res, err := b.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(string(page), `id="f-file-error"`) ||
		!strings.Contains(string(page), "100 MB") {
		t.Fatalf("page: %d", res.StatusCode)
	}
}

// The whole journey through the pages: upload, map, preview, start, poll,
// summary, undo.
func TestImportPages(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		b := s.SignUp("Firma", "Jan Kowalski", "jan@example.pl", pw)
		if _, page := b.Get("/clients"); !strings.Contains(page, `href="/clients/import"`) {
			t.Fatal("the client list has no import action")
		}
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		fw, _ := mw.CreateFormFile("file", "zle.csv")
		_, _ = fw.Write(testdata(t, "bad-rows.csv"))
		_ = mw.Close()
		req, _ := http.NewRequest("POST", s.URL+"/clients/import", &buf)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		req.Header.Set("Origin", s.URL)
		res, err := b.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		loc := res.Header.Get("Location")
		if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/client-imports/") {
			t.Fatalf("upload: %d %s", res.StatusCode, loc)
		}
		res, page := b.Get(loc)
		if res.StatusCode != 200 || !strings.Contains(page, "Nieprawidłowa suma kontrolna") && !strings.Contains(page, "NIP") ||
			!strings.Contains(page, `class="import-row-error"`) {
			t.Fatalf("preview page: %d\n%s", res.StatusCode, page)
		}
		res, _ = b.Post(loc+"/mapping", url.Values{"col0": {"name"}, "col1": {"nip"}, "col2": {"postal_code"}, "col3": {"city"}, "col4": {"emails"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("mapping: %d", res.StatusCode)
		}
		if res, page := b.Post(loc+"/mapping", url.Values{"col0": {"name"}, "col1": {"name"}, "col2": {""}, "col3": {""}, "col4": {""}}); res.StatusCode != 422 ||
			!strings.Contains(page, `id="f-col1-error"`) {
			t.Fatalf("mapping a field twice: %d", res.StatusCode)
		}
		if res, _ := b.Post(loc+"/start", url.Values{"duplicates": {"skip"}, "errors": {"skip"}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("start: %d", res.StatusCode)
		}
		deadline := time.Now().Add(30 * time.Second)
		for {
			_, status := b.Get(loc + "/status")
			if strings.Contains(status, `"done":true`) {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("status after 30 s: %s", status)
			}
			time.Sleep(50 * time.Millisecond)
		}
		_, page = b.Get(loc)
		if !strings.Contains(page, `id="import-created">2<`) || !strings.Contains(page, `id="undo-import"`) {
			t.Fatalf("summary:\n%s", page)
		}
		if res, _ := b.Post(loc+"/undo", url.Values{}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("undo: %d", res.StatusCode)
		}
		if _, page := b.Get("/clients"); strings.Contains(page, "Dobra Firma") {
			t.Fatal("undone clients are still listed")
		}
	})
}
