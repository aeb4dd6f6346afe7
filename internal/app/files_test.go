package app_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"klientela/internal/app"
	"klientela/internal/app/apptest"
	"klientela/internal/config"
)

// part is one file of a multipart upload.
type part struct {
	name string
	body io.Reader
}

// multipartBody streams parts as multipart/form-data through a pipe, so a
// large body is never held in memory. fields come first.
func multipartBody(fields map[string]string, parts ...part) (io.Reader, string) {
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		for k, v := range fields {
			if err := mw.WriteField(k, v); err != nil {
				pw.CloseWithError(err)
				return
			}
		}
		for _, p := range parts {
			w, err := mw.CreateFormFile("file", p.name)
			if err == nil {
				_, err = io.Copy(w, p.body)
			}
			if err != nil {
				pw.CloseWithError(err)
				return
			}
		}
		pw.CloseWithError(mw.Close())
	}()
	return pr, mw.FormDataContentType()
}

// apiUpload posts parts to path with a token and returns the response.
func apiUpload(t *testing.T, s *apptest.Server, tok, path string, fields map[string]string, parts ...part) (*http.Response, string) {
	t.Helper()
	body, ct := multipartBody(fields, parts...)
	req, _ := http.NewRequest("POST", s.URL+path, body)
	req.Header.Set("Content-Type", ct)
	req.Header.Set("Authorization", "Bearer "+tok)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	return res, string(data)
}

// uploadFile uploads one small file through the API and returns its id.
func uploadFile(t *testing.T, s *apptest.Server, tok, path, name, content string) int64 {
	t.Helper()
	res, body := apiUpload(t, s, tok, path, nil, part{name, strings.NewReader(content)})
	if res.StatusCode != 201 {
		t.Fatalf("upload %s: %d %s", name, res.StatusCode, body)
	}
	var f struct{ ID int64 }
	_ = json.Unmarshal([]byte(body), &f)
	return f.ID
}

type apiFile struct {
	ID         int64
	Name       string
	Size       int64
	MediaType  string `json:"media_type"`
	SHA256     string
	ContentURL string `json:"content_url"`
	FolderID   *int64 `json:"folder_id"`
	ClientID   *int64 `json:"client_id"`
	ClientName string `json:"client_name"`
}

func getRaw(t *testing.T, s *apptest.Server, tok, path string, hdr map[string]string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest("GET", s.URL+path, nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	return res, data
}

func TestFilesAPI(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		s.SignUp("Firma", "Jan Kowalski", "jan@example.pl", pw)
		tok := s.Token("jan@example.pl", pw)
		client := createClient(t, s, tok, map[string]any{"name": "Łódzka Spółka"})

		// Several files at once, attached to a client: {"items": […]}.
		png := "\x89PNG\r\n\x1a\n" + strings.Repeat("\x00", 64)
		res, body := apiUpload(t, s, tok, "/api/v1/files", map[string]string{"client_id": itoa(client)},
			part{"Zdjęcie łąki.png", strings.NewReader(png)}, part{"notatka.txt", strings.NewReader("zażółć gęślą jaźń")})
		var many struct{ Items []apiFile }
		if res.StatusCode != 201 || json.Unmarshal([]byte(body), &many) != nil || len(many.Items) != 2 {
			t.Fatalf("upload two: %d %s", res.StatusCode, body)
		}
		img, txt := many.Items[0], many.Items[1]
		if img.Name != "Zdjęcie łąki.png" || img.MediaType != "image/png" || img.ClientID == nil || *img.ClientID != client ||
			img.ClientName != "Łódzka Spółka" || txt.MediaType != "text/plain; charset=utf-8" || txt.Size != int64(len("zażółć gęślą jaźń")) {
			t.Fatalf("uploaded: %+v %+v", img, txt)
		}

		// Download: the original name with Polish letters, nosniff, Range.
		r2, data := getRaw(t, s, tok, txt.ContentURL, nil)
		cd := r2.Header.Get("Content-Disposition")
		if r2.StatusCode != 200 || string(data) != "zażółć gęślą jaźń" || !strings.HasPrefix(cd, "attachment") ||
			!strings.Contains(cd, "filename=notatka.txt") || r2.Header.Get("X-Content-Type-Options") != "nosniff" ||
			r2.Header.Get("Content-Type") != "application/octet-stream" {
			t.Fatalf("download: %d %q %v", r2.StatusCode, data, r2.Header)
		}
		r2, _ = getRaw(t, s, tok, img.ContentURL, nil)
		if cd := r2.Header.Get("Content-Disposition"); cd != `attachment; filename*=utf-8''Zdj%C4%99cie%20%C5%82%C4%85ki.png` {
			t.Fatalf("Polish name: %q", cd)
		}
		r2, data = getRaw(t, s, tok, txt.ContentURL, map[string]string{"Range": "bytes=0-5"})
		if r2.StatusCode != 206 || string(data) != "zażó" || r2.Header.Get("Content-Range") != fmt.Sprintf("bytes 0-5/%d", txt.Size) {
			t.Fatalf("range: %d %q %q", r2.StatusCode, data, r2.Header.Get("Content-Range"))
		}
		r2, _ = getRaw(t, s, tok, img.ContentURL+"?inline=1", nil)
		if r2.Header.Get("Content-Type") != "image/png" || !strings.HasPrefix(r2.Header.Get("Content-Disposition"), "inline") ||
			!strings.Contains(r2.Header.Get("Content-Security-Policy"), "sandbox") {
			t.Fatalf("inline image: %v", r2.Header)
		}

		// An HTML page uploaded as .jpg is never shown as a page.
		evil := uploadFile(t, s, tok, "/api/v1/files", "kot.jpg", "<!DOCTYPE html><html><script>alert(document.cookie)</script></html>")
		r2, _ = getRaw(t, s, tok, "/api/v1/files/"+itoa(evil)+"/content?inline=1", nil)
		if r2.Header.Get("Content-Type") != "application/octet-stream" || !strings.HasPrefix(r2.Header.Get("Content-Disposition"), "attachment") ||
			r2.Header.Get("X-Content-Type-Options") != "nosniff" || !strings.Contains(r2.Header.Get("Content-Security-Policy"), "sandbox") {
			t.Fatalf("HTML as .jpg: %v", r2.Header)
		}
		_, body = s.JSON("GET", "/api/v1/files/"+itoa(evil), tok, nil)
		if !strings.Contains(body, `"media_type":"text/html; charset=utf-8"`) {
			t.Fatalf("sniffed type: %s", body)
		}

		// List: search folded, by client, by folder.
		names := func(query string) string {
			t.Helper()
			res, body := s.JSON("GET", "/api/v1/files?"+query, tok, nil)
			var l struct{ Items []apiFile }
			if res.StatusCode != 200 || json.Unmarshal([]byte(body), &l) != nil {
				t.Fatalf("list %s: %d %s", query, res.StatusCode, body)
			}
			var out []string
			for _, f := range l.Items {
				out = append(out, f.Name)
			}
			return strings.Join(out, ",")
		}
		if got := names("q=LAKI"); got != "Zdjęcie łąki.png" {
			t.Fatalf("search: %q", got)
		}
		if got := names("client_id=" + itoa(client)); got != "notatka.txt,Zdjęcie łąki.png" {
			t.Fatalf("by client: %q", got)
		}
		res, body = s.JSON("POST", "/api/v1/file-folders", tok, map[string]any{"name": "Umowy"})
		var folder struct{ ID int64 }
		if res.StatusCode != 201 || json.Unmarshal([]byte(body), &folder) != nil {
			t.Fatalf("folder: %d %s", res.StatusCode, body)
		}
		if res, body := s.JSON("POST", "/api/v1/file-folders", tok, map[string]any{"name": "umowy"}); res.StatusCode != 409 {
			t.Fatalf("duplicate folder: %d %s", res.StatusCode, body)
		}
		// Rename and move; a folder of nothing is a field error.
		res, body = s.JSON("PATCH", "/api/v1/files/"+itoa(txt.ID), tok, map[string]any{"name": "Notatka ze spotkania.txt", "folder_id": folder.ID})
		if res.StatusCode != 200 || !strings.Contains(body, `"folder_name":"Umowy"`) || !strings.Contains(body, `"name":"Notatka ze spotkania.txt"`) {
			t.Fatalf("rename and move: %d %s", res.StatusCode, body)
		}
		if res, body := s.JSON("PATCH", "/api/v1/files/"+itoa(txt.ID), tok, map[string]any{"folder_id": 999999}); res.StatusCode != 422 || !strings.Contains(body, `"folder_id"`) {
			t.Fatalf("unknown folder: %d %s", res.StatusCode, body)
		}
		if res, body := s.JSON("PATCH", "/api/v1/files/"+itoa(txt.ID), tok, map[string]any{"name": strings.Repeat("a", 300)}); res.StatusCode != 422 || !strings.Contains(body, `"name"`) {
			t.Fatalf("long name: %d %s", res.StatusCode, body)
		}
		if got := names("folder=" + itoa(folder.ID)); got != "Notatka ze spotkania.txt" {
			t.Fatalf("by folder: %q", got)
		}
		if res, _ := s.JSON("DELETE", "/api/v1/file-folders/"+itoa(folder.ID), tok, nil); res.StatusCode != 409 {
			t.Fatalf("delete a folder with files: %d", res.StatusCode)
		}
		if res, body := s.JSON("PATCH", "/api/v1/files/"+itoa(txt.ID), tok, map[string]any{"folder_id": nil}); res.StatusCode != 200 || !strings.Contains(body, `"folder_id":null`) {
			t.Fatalf("move to the top: %d %s", res.StatusCode, body)
		}
		if res, _ := s.JSON("DELETE", "/api/v1/file-folders/"+itoa(folder.ID), tok, nil); res.StatusCode != 204 {
			t.Fatalf("delete an empty folder: %d", res.StatusCode)
		}

		// Bad input: no file, an empty file, not multipart, over the limit.
		if res, body := apiUpload(t, s, tok, "/api/v1/files", map[string]string{"x": "y"}); res.StatusCode != 422 || !strings.Contains(body, `"file"`) {
			t.Fatalf("no file: %d %s", res.StatusCode, body)
		}
		if res, body := apiUpload(t, s, tok, "/api/v1/files", nil, part{"pusty.txt", strings.NewReader("")}); res.StatusCode != 422 || !strings.Contains(body, "pusty.txt") {
			t.Fatalf("empty file: %d %s", res.StatusCode, body)
		}
		if res, body := s.JSON("POST", "/api/v1/files", tok, map[string]any{}); res.StatusCode != 400 {
			t.Fatalf("JSON body: %d %s", res.StatusCode, body)
		}
		if res, body := apiUpload(t, s, tok, "/api/v1/files?client_id=abc", nil, part{"a.txt", strings.NewReader("a")}); res.StatusCode != 422 {
			t.Fatalf("bad client id: %d %s", res.StatusCode, body)
		}

		// Delete: metadata and bytes; the history keeps it.
		if res, _ := s.JSON("DELETE", "/api/v1/files/"+itoa(img.ID), tok, nil); res.StatusCode != 204 {
			t.Fatalf("delete: %d", res.StatusCode)
		}
		if res, _ := getRaw(t, s, tok, img.ContentURL, nil); res.StatusCode != 404 {
			t.Fatalf("content of a deleted file: %d", res.StatusCode)
		}
		if _, body := s.JSON("GET", "/api/v1/audit?entity=file", tok, nil); !strings.Contains(body, "Zdjęcie łąki.png") {
			t.Fatalf("history: %s", body)
		}
	})
}

// Odd names are stored and sent back safely: no path, no direction
// override, Polish and RTL letters intact, long names cut with their
// extension kept.
func TestFilesOddNames(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		s.SignUp("Firma", "Jan Kowalski", "jan@example.pl", pw)
		tok := s.Token("jan@example.pl", pw)
		cases := map[string]string{
			"../../etc/passwd":              "passwd",
			"CON":                           "CON",
			"שלום עולם.txt":                 "שלום עולם.txt",
			"faktura\u202Efdp.exe":          "fakturafdp.exe",
			"Żółw na łące.txt":              "Żółw na łące.txt",
			strings.Repeat("x", 300) + ".c": strings.Repeat("x", 253) + ".c",
			`a"b;c.txt`:                     `a"b;c.txt`,
		}
		for in, want := range cases {
			id := uploadFile(t, s, tok, "/api/v1/files", in, "treść")
			_, body := s.JSON("GET", "/api/v1/files/"+itoa(id), tok, nil)
			var f apiFile
			_ = json.Unmarshal([]byte(body), &f)
			if f.Name != want {
				t.Errorf("%q stored as %q, want %q", in, f.Name, want)
			}
			res, data := getRaw(t, s, tok, f.ContentURL, nil)
			if string(data) != "treść" {
				t.Errorf("%q: content %q", in, data)
			}
			cd := res.Header.Get("Content-Disposition")
			if strings.ContainsAny(cd, "\r\n/") || !strings.HasPrefix(cd, "attachment;") {
				t.Errorf("%q: Content-Disposition %q", in, cd)
			}
		}
	})
}

func TestFilesQuotaAndSizeLimit(t *testing.T) {
	small := func(c *config.Config, _ *app.Options) { c.MaxFileSize, c.FilesQuota = 1000, 2500 }
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		b := s.SignUp("Firma", "Jan Kowalski", "jan@example.pl", pw)
		tok := s.Token("jan@example.pl", pw)
		if res, body := apiUpload(t, s, tok, "/api/v1/files", nil, part{"duży.bin", strings.NewReader(strings.Repeat("x", 1001))}); res.StatusCode != 422 ||
			!strings.Contains(body, "za duży") {
			t.Fatalf("over the size limit: %d %s", res.StatusCode, body)
		}
		uploadFile(t, s, tok, "/api/v1/files", "a.bin", strings.Repeat("a", 1000))
		uploadFile(t, s, tok, "/api/v1/files", "b.bin", strings.Repeat("b", 1000))
		// 500 bytes left: two files of 400 would fit one by one, not
		// together — nothing is stored.
		res, body := apiUpload(t, s, tok, "/api/v1/files", nil, part{"c.bin", strings.NewReader(strings.Repeat("c", 400))},
			part{"d.bin", strings.NewReader(strings.Repeat("d", 400))})
		if res.StatusCode != 422 || !strings.Contains(body, "Brak miejsca") {
			t.Fatalf("over the quota: %d %s", res.StatusCode, body)
		}
		_, body = s.JSON("GET", "/api/v1/files", tok, nil)
		if !strings.Contains(body, `"total":2`) {
			t.Fatalf("after a refused upload: %s", body)
		}
		// The page says how much is used, and the web upload explains.
		_, page := b.Get("/files")
		mustContain(t, page, "Zajęte 2 KB z 2,4 KB")
		bodyR, ct := multipartBody(nil, part{"e.bin", strings.NewReader(strings.Repeat("e", 600))})
		req, _ := http.NewRequest("POST", s.URL+"/files/upload", bodyR)
		req.Header.Set("Content-Type", ct)
		req.Header.Set("Accept", "application/json")
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		r2, err := b.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(r2.Body)
		r2.Body.Close()
		if r2.StatusCode != 422 || !strings.Contains(string(data), "Brak miejsca") {
			t.Fatalf("web upload over the quota: %d %s", r2.StatusCode, data)
		}
	}, small)
}

// countingReader makes n pseudo-random bytes on the fly and digests them.
type genReader struct {
	left  int64
	state uint64
	sum   interface{ Write([]byte) (int, error) }
}

func (g *genReader) Read(p []byte) (int, error) {
	if g.left <= 0 {
		return 0, io.EOF
	}
	n := int(min(int64(len(p)), g.left))
	for i := 0; i < n; i++ {
		g.state = g.state*6364136223846793005 + 1442695040888963407
		p[i] = byte(g.state >> 56)
	}
	g.left -= int64(n)
	_, _ = g.sum.Write(p[:n])
	return n, nil
}

// A 200 MB file goes up and comes back byte for byte, streamed both ways:
// the heap stays flat (measured while it streams).
func TestFilesLargeRoundTrip(t *testing.T) {
	if testing.Short() {
		t.Skip("200 MB round trip")
	}
	const size = 200 << 20
	big := func(c *config.Config, _ *app.Options) { c.MaxFileSize, c.FilesQuota = 300<<20, 1<<30 }
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		s.SignUp("Firma", "Jan Kowalski", "jan@example.pl", pw)
		tok := s.Token("jan@example.pl", pw)
		runtime.GC()
		var before runtime.MemStats
		runtime.ReadMemStats(&before)
		var peak, rssPeak atomic.Uint64
		rss0 := rssBytes()
		stop := make(chan struct{})
		done := make(chan struct{})
		go func() {
			defer close(done)
			var m runtime.MemStats
			for {
				select {
				case <-stop:
					return
				case <-time.After(20 * time.Millisecond):
				}
				runtime.ReadMemStats(&m)
				if m.HeapInuse > peak.Load() {
					peak.Store(m.HeapInuse)
				}
				if r := rssBytes(); r > rssPeak.Load() {
					rssPeak.Store(r)
				}
			}
		}()
		up := sha256.New()
		start := time.Now()
		res, body := apiUpload(t, s, tok, "/api/v1/files", nil, part{"duży.bin", &genReader{left: size, state: 1, sum: up}})
		upTime := time.Since(start)
		if res.StatusCode != 201 {
			t.Fatalf("upload: %d %s", res.StatusCode, body)
		}
		var f apiFile
		_ = json.Unmarshal([]byte(body), &f)
		want := hex.EncodeToString(up.Sum(nil))
		if f.Size != size || f.SHA256 != want {
			t.Fatalf("stored %d bytes, sha %s; want %d, %s", f.Size, f.SHA256, size, want)
		}
		req, _ := http.NewRequest("GET", s.URL+f.ContentURL, nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		start = time.Now()
		r2, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		down := sha256.New()
		n, err := io.Copy(down, r2.Body)
		r2.Body.Close()
		downTime := time.Since(start)
		close(stop)
		<-done
		if err != nil || n != size || hex.EncodeToString(down.Sum(nil)) != want {
			t.Fatalf("download: %d bytes, %v, sha %x", n, err, down.Sum(nil))
		}
		growth := int64(peak.Load()) - int64(before.HeapInuse)
		t.Logf("200 MB: upload %v (%.0f MB/s), download %v (%.0f MB/s); heap in use grew by at most %.1f MB, RSS by at most %.1f MB (client and server in one process)",
			upTime.Round(time.Millisecond), 200/upTime.Seconds(), downTime.Round(time.Millisecond), 200/downTime.Seconds(),
			float64(growth)/(1<<20), (float64(rssPeak.Load())-float64(rss0))/(1<<20))
		if growth > 64<<20 {
			t.Fatalf("heap grew by %d MB while streaming 200 MB: something buffers the file", growth>>20)
		}
	}, big)
}

// rssBytes is the process's resident set size (Linux), 0 elsewhere.
func rssBytes() uint64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseUint(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}

func TestFilesPagesAndCards(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		b := s.SignUp("Firma", "Jan Kowalski", "jan@example.pl", pw)
		tok := s.Token("jan@example.pl", pw)
		client := createClient(t, s, tok, map[string]any{"name": "Hurtownia Żuraw"})
		_, body := b.Get("/")
		mustContain(t, body, `href="/documents"`, "Dokumenty i pliki") // documents first; files on a tab
		_, body = b.Get("/files")
		mustContain(t, body, "Nie ma tu jeszcze plików", "data-upload", "Przeciągnij pliki tutaj")

		// A plain form post (no script) from the client card attaches the
		// file to the client and comes back to the card.
		bodyR, ct := multipartBody(map[string]string{"client_id": itoa(client), "next": "/clients/" + itoa(client)},
			part{"oferta.pdf", strings.NewReader("%PDF-1.4 oferta")})
		req, _ := http.NewRequest("POST", s.URL+"/files/upload", bodyR)
		req.Header.Set("Content-Type", ct)
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		res, err := b.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/clients/"+itoa(client) {
			t.Fatalf("web upload: %d %q", res.StatusCode, res.Header.Get("Location"))
		}
		_, body = b.Get("/clients/" + itoa(client))
		mustContain(t, body, "Wysłano 1 plik.", "oferta.pdf", `name="client_id" value="`+itoa(client)+`"`)
		_, body = s.JSON("GET", "/api/v1/files?client_id="+itoa(client), tok, nil)
		var l struct{ Items []apiFile }
		_ = json.Unmarshal([]byte(body), &l)
		if len(l.Items) != 1 {
			t.Fatalf("client's files: %s", body)
		}
		id := itoa(l.Items[0].ID)
		_, body = b.Get("/files")
		mustContain(t, body, "oferta.pdf", "Hurtownia Żuraw", "/files/"+id+"/download")
		_, body = b.Get("/files/" + id)
		mustContain(t, body, "application/pdf", "/files/"+id+"/view", "Odłącz od klienta")
		res, _ = b.Get("/files/" + id + "/view")
		if res.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(res.Header.Get("Content-Disposition"), "inline") {
			t.Fatalf("PDF view: %v", res.Header)
		}
		// Folders, rename and move through the pages.
		res, _ = b.Post("/file-folders", url.Values{"name": {"Oferty"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("create folder: %d", res.StatusCode)
		}
		folderURL := res.Header.Get("Location")
		folderID := strings.TrimPrefix(folderURL, "/files?folder=")
		if res, body := b.Post("/file-folders", url.Values{"name": {"oferty"}}); res.StatusCode != 409 || !strings.Contains(body, "Folder o tej nazwie już istnieje.") {
			t.Fatalf("duplicate folder: %d", res.StatusCode)
		}
		res, _ = b.Post("/files/"+id, url.Values{"name": {"Oferta 2026.pdf"}, "folder_id": {folderID}, "detach_client": {"1"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("update: %d", res.StatusCode)
		}
		if res, body := b.Post("/files/"+id, url.Values{"name": {""}}); res.StatusCode != 422 || !strings.Contains(body, "aria-invalid") {
			t.Fatalf("empty name: %d", res.StatusCode)
		}
		_, body = b.Get(folderURL)
		mustContain(t, body, "Oferta 2026.pdf", "Oferty")
		if res, _ := b.Post("/file-folders/"+folderID+"/delete", nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("delete a full folder = %d", res.StatusCode)
		}
		_, body = b.Get(folderURL)
		mustContain(t, body, "Folder nie jest pusty")
		_, body = b.Get("/clients/" + itoa(client))
		mustContain(t, body, "Brak plików.")
		if res, _ := b.Post("/files/"+id+"/delete", nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("delete = %d", res.StatusCode)
		}
		if res, _ := b.Get("/files/" + id + "/download"); res.StatusCode != 404 {
			t.Fatalf("download of a deleted file = %d", res.StatusCode)
		}
		// An employee's card lists and takes files too.
		emp := uploadTarget(t, s, tok)
		uploadFile(t, s, tok, "/api/v1/files?employee_id="+itoa(emp), "umowa o pracę.pdf", "%PDF-1.7")
		_, body = b.Get("/employees/" + itoa(emp))
		mustContain(t, body, "umowa o pracę.pdf", `name="employee_id" value="`+itoa(emp)+`"`)
		// Deleting the employee keeps the file, attached to nobody.
		if res, body := s.JSON("DELETE", "/api/v1/employees/"+itoa(emp), tok, nil); res.StatusCode != 204 {
			t.Fatalf("delete employee: %d %s", res.StatusCode, body)
		}
		_, body = s.JSON("GET", "/api/v1/files?q=umowa", tok, nil)
		if !strings.Contains(body, `"employee_id":null`) {
			t.Fatalf("file of a deleted employee: %s", body)
		}
	})
}

func uploadTarget(t *testing.T, s *apptest.Server, tok string) int64 {
	t.Helper()
	res, body := s.JSON("POST", "/api/v1/employees", tok, map[string]any{"first_name": "Ewa", "last_name": "Nowak"})
	var e struct{ ID int64 }
	if res.StatusCode != 201 || json.Unmarshal([]byte(body), &e) != nil {
		t.Fatalf("employee: %d %s", res.StatusCode, body)
	}
	return e.ID
}

// Only users with access to files reach them, and an own-only clients
// user cannot attach files to someone else's client.
func TestFilesPermissions(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		s.SignUp("Firma", "Jan Kowalski", "jan@example.pl", pw)
		tok := s.Token("jan@example.pl", pw)
		client := createClient(t, s, tok, map[string]any{"name": "Tajny Klient"})
		id := uploadFile(t, s, tok, "/api/v1/files?client_id="+itoa(client), "tajne.txt", "tajne")
		s.AddUser("jan@example.pl", "pliki@example.pl", pw, apptest.Scope("files", "edit"))
		ptok := s.Token("pliki@example.pl", pw)
		// Files yes; the client's name no (no access to clients); attach to
		// a client they cannot see no.
		_, body := s.JSON("GET", "/api/v1/files/"+itoa(id), ptok, nil)
		if !strings.Contains(body, `"client_name":""`) {
			t.Fatalf("client name shown without access to clients: %s", body)
		}
		if res, body := apiUpload(t, s, ptok, "/api/v1/files?client_id="+itoa(client), nil, part{"x.txt", strings.NewReader("x")}); res.StatusCode != 422 || !strings.Contains(body, `"client_id"`) {
			t.Fatalf("attach without clients access: %d %s", res.StatusCode, body)
		}
		if res, _ := s.JSON("GET", "/api/v1/files?client_id="+itoa(client), ptok, nil); res.StatusCode != 404 {
			t.Fatalf("files of an invisible client: %d", res.StatusCode)
		}
		if res, _ := s.JSON("DELETE", "/api/v1/files/"+itoa(id), ptok, nil); res.StatusCode != 403 {
			t.Fatalf("delete with edit access: %d", res.StatusCode)
		}
		s.AddUser("jan@example.pl", "brak@example.pl", pw, apptest.Scope("clients", "full"))
		ntok := s.Token("brak@example.pl", pw)
		if res, _ := getRaw(t, s, ntok, "/api/v1/files/"+itoa(id)+"/content", nil); res.StatusCode != 403 {
			t.Fatalf("download without access to files: %d", res.StatusCode)
		}
		// Another account: not found, also the direct download URLs.
		b2 := s.SignUp("Inna", "Ola Lis", "ola@example.pl", pw)
		otok := s.Token("ola@example.pl", pw)
		for _, p := range []string{"/api/v1/files/" + itoa(id), "/api/v1/files/" + itoa(id) + "/content"} {
			if res, _ := getRaw(t, s, otok, p, nil); res.StatusCode != 404 {
				t.Errorf("other account %s = %d", p, res.StatusCode)
			}
		}
		for _, p := range []string{"/files/" + itoa(id) + "/download", "/files/" + itoa(id) + "/view", "/files/" + itoa(id)} {
			if res, _ := b2.Get(p); res.StatusCode != 404 {
				t.Errorf("other account %s = %d", p, res.StatusCode)
			}
		}
		// Nor can it attach its upload to this account's client.
		if res, _ := apiUpload(t, s, otok, "/api/v1/files?client_id="+itoa(client), nil, part{"x.txt", strings.NewReader("x")}); res.StatusCode != 422 {
			t.Fatalf("attach to another account's client: %d", res.StatusCode)
		}
	})
}
