package app_test

import (
	"bytes"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"klientela/internal/app/apptest"
)

type apiDocument struct {
	ID         int64
	Title      string
	BodyHTML   *string `json:"body_html"`
	ClientID   *int64  `json:"client_id"`
	ClientName string  `json:"client_name"`
	Tags       []string
	IsTemplate bool `json:"is_template"`
}

type apiVersion struct {
	ID           int64
	Autosave     bool
	RestoredFrom *int64 `json:"restored_from"`
}

func documentVersions(t *testing.T, s *apptest.Server, tok string, id int64) []apiVersion {
	t.Helper()
	res, body := s.JSON("GET", "/api/v1/documents/"+strconv.FormatInt(id, 10)+"/versions", tok, nil)
	if res.StatusCode != 200 {
		t.Fatalf("versions: %d %s", res.StatusCode, body)
	}
	var out struct{ Items []apiVersion }
	_ = json.Unmarshal([]byte(body), &out)
	return out.Items
}

// tinyPNG is a valid 2×2 PNG.
func tinyPNG(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 2, 2))
	img.Set(0, 0, color.RGBA{R: 200, A: 255})
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// postImage sends one file as the editor does (multipart field "image").
func postImage(t *testing.T, s *apptest.Server, b *apptest.Browser, path, name string, data []byte) (*http.Response, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	w, _ := mw.CreateFormFile("image", name)
	_, _ = w.Write(data)
	_ = mw.Close()
	req, _ := http.NewRequest("POST", s.URL+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.Header.Set("Origin", s.URL)
	res, err := b.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out bytes.Buffer
	_, _ = out.ReadFrom(res.Body)
	return res, out.String()
}

// uploadDocumentImage puts a PNG into a document and returns its file id.
func uploadDocumentImage(t *testing.T, s *apptest.Server, b *apptest.Browser, doc int64) int64 {
	t.Helper()
	res, body := postImage(t, s, b, "/documents/"+strconv.FormatInt(doc, 10)+"/images", "logo.png", tinyPNG(t))
	if res.StatusCode != 201 {
		t.Fatalf("image upload: %d %s", res.StatusCode, body)
	}
	var out struct{ ID int64 }
	_ = json.Unmarshal([]byte(body), &out)
	return out.ID
}

func createDocument(t *testing.T, s *apptest.Server, tok string, in map[string]any) apiDocument {
	t.Helper()
	res, body := s.JSON("POST", "/api/v1/documents", tok, in)
	if res.StatusCode != 201 {
		t.Fatalf("create document: %d %s", res.StatusCode, body)
	}
	var d apiDocument
	_ = json.Unmarshal([]byte(body), &d)
	return d
}

func TestDocumentsAPI(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		s.SignUp("Firma", "Jan Kowalski", "jan@example.pl", pw)
		tok := s.Token("jan@example.pl", pw)
		_, cb := s.JSON("POST", "/api/v1/clients", tok, map[string]any{"kind": "company", "name": "Łódzka Spółka"})
		var client struct{ ID int64 }
		_ = json.Unmarshal([]byte(cb), &client)

		d := createDocument(t, s, tok, map[string]any{"title": "Umowa — Łódź", "body_html": `<h1>Umowa</h1><p>Treść <strong>ważna</strong></p><script>x()</script>`,
			"client_id": client.ID, "tags": []string{"umowa", "Umowa", "2026"}})
		if d.BodyHTML == nil || strings.Contains(*d.BodyHTML, "script") || !strings.Contains(*d.BodyHTML, "<strong>ważna</strong>") {
			t.Fatalf("body not sanitised as expected: %v", d.BodyHTML)
		}
		if d.ClientName != "Łódzka Spółka" || len(d.Tags) != 2 {
			t.Errorf("document = %+v", d)
		}
		id := strconv.FormatInt(d.ID, 10)
		createDocument(t, s, tok, map[string]any{"title": "Notatka", "body_html": "<p>inna rzecz</p>"})

		// Search by title and text, diacritics folded; filters.
		for q, want := range map[string]int{"lodz": 1, "WAZNA": 1, "notatka": 1, "rzecz": 1, "brak": 0} {
			res, body := s.JSON("GET", "/api/v1/documents?q="+url.QueryEscape(q), tok, nil)
			var list struct {
				Items []apiDocument
				Total int
			}
			_ = json.Unmarshal([]byte(body), &list)
			if res.StatusCode != 200 || list.Total != want {
				t.Errorf("q=%s: %d total %d, want %d", q, res.StatusCode, list.Total, want)
			}
		}
		_, body := s.JSON("GET", "/api/v1/documents?client_id="+strconv.FormatInt(client.ID, 10), tok, nil)
		if !strings.Contains(body, `"total":1`) || strings.Contains(body, "body_html") {
			t.Errorf("by client: %s", body)
		}

		// A change of the body keeps a version; restoring makes another.
		if res, body := s.JSON("PATCH", "/api/v1/documents/"+id, tok, map[string]any{"body_html": "<p>Druga wersja</p>"}); res.StatusCode != 200 {
			t.Fatalf("patch: %d %s", res.StatusCode, body)
		}
		vs := documentVersions(t, s, tok, d.ID)
		if len(vs) != 2 {
			t.Fatalf("versions after a change: %d", len(vs))
		}
		res, body := s.JSON("POST", "/api/v1/documents/"+id+"/versions/"+strconv.FormatInt(vs[1].ID, 10)+"/restore", tok, nil)
		if res.StatusCode != 200 || !strings.Contains(body, "ważna") {
			t.Fatalf("restore: %d %s", res.StatusCode, body)
		}
		if vs := documentVersions(t, s, tok, d.ID); len(vs) != 3 || vs[0].RestoredFrom == nil {
			t.Errorf("versions after restore: %+v", vs)
		}

		// Bad input: clear field errors, never a 500.
		for name, c := range map[string]struct {
			in     map[string]any
			status int
			field  string
		}{
			"empty title":   {map[string]any{"title": " ", "body_html": "<p>x</p>"}, 422, "title"},
			"unknown merge": {map[string]any{"title": "Szablon", "is_template": true, "body_html": "<p>{{klient.nazwa}} {{klient.wiek}}</p>"}, 422, "body_html"},
			"over limit":    {map[string]any{"title": "Duży", "body_html": "<p>" + strings.Repeat("a", 600<<10) + "</p>"}, 422, "body_html"},
			"huge":          {map[string]any{"title": "Ogromny", "body_html": strings.Repeat("a", 2<<20)}, 413, ""},
			"foreign id":    {map[string]any{"title": "X", "client_id": 999999}, 422, "client_id"},
		} {
			res, body := s.JSON("POST", "/api/v1/documents", tok, c.in)
			if res.StatusCode != c.status || !strings.Contains(body, `"error"`) || (c.field != "" && !strings.Contains(body, `"`+c.field+`"`)) {
				t.Errorf("%s: %d %.300s", name, res.StatusCode, body)
			}
			if name == "unknown merge" && !strings.Contains(body, "{{klient.wiek}}") {
				t.Errorf("unknown merge field not named: %s", body)
			}
		}

		if res, _ := s.JSON("DELETE", "/api/v1/documents/"+id, tok, nil); res.StatusCode != 204 {
			t.Errorf("delete: %d", res.StatusCode)
		}
		if res, _ := s.JSON("GET", "/api/v1/documents/"+id, tok, nil); res.StatusCode != 404 {
			t.Errorf("deleted document: %d", res.StatusCode)
		}
	})
}

func TestDocumentTemplates(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		owner := s.SignUp("Firma", "Jan Kowalski", "jan@example.pl", pw)
		tok := s.Token("jan@example.pl", pw)
		_, cb := s.JSON("POST", "/api/v1/clients", tok, map[string]any{"kind": "company", "name": `Kowalski & <Syn>`,
			"nip": "5260250274", "address": map[string]any{"city": "Łódź", "postal_code": "90-001", "street": "Piotrkowska 1"}, "emails": []string{"biuro@kowalski.pl"}})
		var client struct{ ID int64 }
		_ = json.Unmarshal([]byte(cb), &client)
		if client.ID == 0 {
			t.Fatalf("client: %s", cb)
		}
		cid := strconv.FormatInt(client.ID, 10)
		tpl := createDocument(t, s, tok, map[string]any{"title": "Oferta", "is_template": true,
			"body_html": "<p>Szanowni Państwo, {{klient.nazwa}} (NIP {{klient.nip}}), {{klient.adres}}, {{klient.email}}.</p><p>{{firma.nazwa}}, {{pracownik.imie_nazwisko}}, {{dzis}}</p>"})
		tid := strconv.FormatInt(tpl.ID, 10)

		res, body := s.JSON("GET", "/api/v1/documents/"+tid+"/render?client_id="+cid, tok, nil)
		if res.StatusCode != 200 || !strings.Contains(body, `Kowalski &amp; &lt;Syn&gt;`) ||
			!strings.Contains(body, "526-025-02-74") || !strings.Contains(body, "Piotrkowska 1, 90-001 Łódź") ||
			!strings.Contains(body, "Jan Kowalski") || strings.Contains(body, "{{") {
			t.Errorf("render: %d %s", res.StatusCode, body)
		}
		if res, _ := s.JSON("GET", "/api/v1/documents/"+tid+"/render", tok, nil); res.StatusCode != 422 {
			t.Errorf("render without a client: %d", res.StatusCode)
		}

		// Another account's client is not found; so is the template for it.
		s.SignUp("Firma B", "Ola Lis", "ola@example.pl", pw)
		tokB := s.Token("ola@example.pl", pw)
		_, cbB := s.JSON("POST", "/api/v1/clients", tokB, map[string]any{"kind": "company", "name": "Obcy klient"})
		var other struct{ ID int64 }
		_ = json.Unmarshal([]byte(cbB), &other)
		if res, body := s.JSON("GET", "/api/v1/documents/"+tid+"/render?client_id="+strconv.FormatInt(other.ID, 10), tok, nil); res.StatusCode != 404 {
			t.Errorf("render for a foreign client: %d %s", res.StatusCode, body)
		}
		if res, _ := s.JSON("GET", "/api/v1/documents/"+tid+"/render?client_id="+cid, tokB, nil); res.StatusCode != 404 {
			t.Errorf("B renders A's template: %d", res.StatusCode)
		}

		// The web form: a document for the client, opened in the editor.
		res, _ = owner.Post("/documents/from-template", url.Values{"template_id": {tid}, "client_id": {cid}})
		loc := res.Header.Get("Location")
		if res.StatusCode != 303 || !strings.HasSuffix(loc, "/edit") {
			t.Fatalf("from template: %d %s", res.StatusCode, loc)
		}
		_, page := owner.Get(strings.TrimSuffix(loc, "/edit"))
		if !strings.Contains(page, "Kowalski &amp; &lt;Syn&gt;") || strings.Contains(page, "&amp;amp;") {
			t.Errorf("the new document does not name the client: %.2000s", page)
		}
		if res, _ := owner.Post("/documents/from-template", url.Values{"template_id": {tid}, "client_id": {strconv.FormatInt(other.ID, 10)}}); res.StatusCode == 303 && strings.Contains(res.Header.Get("Location"), "/edit") {
			t.Errorf("a document was made for a foreign client")
		}
		// The client card lists the document and offers the template.
		_, card := owner.Get("/clients/" + cid)
		if !strings.Contains(card, "Oferta — Kowalski") || !strings.Contains(card, `action="/documents/from-template"`) {
			t.Errorf("client card without documents")
		}
	})
}

func TestDocumentsWeb(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		owner := s.SignUp("Firma", "Jan Kowalski", "jan@example.pl", pw)
		tok := s.Token("jan@example.pl", pw)

		// The first autosave of a new document creates it.
		res, body := owner.Post("/documents/autosave", url.Values{"title": {"Notatka"}, "body_html": {"<p>a</p>"}})
		var rep struct {
			ID           int64
			Saved, Error string
			Autosave     string
		}
		_ = json.Unmarshal([]byte(body), &rep)
		if res.StatusCode != 200 || rep.ID == 0 || !strings.HasPrefix(rep.Saved, "Zapisano ") {
			t.Fatalf("first autosave: %d %s", res.StatusCode, body)
		}
		// Autosaves close together are one version.
		for _, b := range []string{"<p>ab</p>", "<p>abc</p>", "<p>abcd</p>"} {
			if res, body := owner.Post(rep.Autosave, url.Values{"title": {"Notatka"}, "body_html": {b}}); res.StatusCode != 200 {
				t.Fatalf("autosave: %d %s", res.StatusCode, body)
			}
		}
		if vs := documentVersions(t, s, tok, rep.ID); len(vs) != 2 || !vs[0].Autosave {
			t.Errorf("versions after 3 autosaves: %+v", vs)
		}
		if res, body := owner.Post(rep.Autosave, url.Values{"title": {""}, "body_html": {"<p>x</p>"}}); res.StatusCode != 422 || !strings.Contains(body, "wymagane") {
			t.Errorf("autosave without a title: %d %s", res.StatusCode, body)
		}
		id := strconv.FormatInt(rep.ID, 10)

		// A plain form save; a bad one shows the field error.
		if res, _ := owner.Post("/documents/"+id, url.Values{"title": {"Notatka 2"}, "body_html": {"<p>abcd</p><ul><li>x</li></ul>"}}); res.StatusCode != 303 {
			t.Errorf("save: %d", res.StatusCode)
		}
		res, page := owner.Post("/documents/"+id, url.Values{"title": {"Szablon"}, "is_template": {"1"}, "body_html": {"<p>{{klient.pesel}}</p>"}})
		if res.StatusCode != 422 || !strings.Contains(page, "Nieznane pola: {{klient.pesel}}") {
			t.Errorf("unknown merge field on the form: %d", res.StatusCode)
		}

		// Images: stored as files of the document, shown by their URL.
		img := uploadDocumentImage(t, s, owner, rep.ID)
		res, _ = owner.Get("/document-images/" + strconv.FormatInt(img, 10))
		if res.StatusCode != 200 || res.Header.Get("Content-Type") != "image/png" {
			t.Errorf("image: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
		}
		if res, body := postImage(t, s, owner, "/documents/"+id+"/images", "fake.png", []byte("<html><script>x</script></html>")); res.StatusCode != 422 {
			t.Errorf("not an image: %d %s", res.StatusCode, body)
		}
		// A PNG cut short (its header intact, its pixels missing) is damaged:
		// refused with the message, and no file of it stays.
		good := tinyPNG(t)
		if res, body := postImage(t, s, owner, "/documents/"+id+"/images", "cut.png", good[:len(good)-20]); res.StatusCode != 422 ||
			!strings.Contains(body, "uszkodzony") {
			t.Errorf("damaged image: %d %s", res.StatusCode, body)
		}
		if _, files := owner.Get("/files"); strings.Contains(files, "cut.png") {
			t.Errorf("the damaged image was kept as a file")
		}
		res, _ = owner.Post("/documents/"+id, url.Values{"title": {"Z obrazem"},
			"body_html": {`<p><img src="/document-images/` + strconv.FormatInt(img, 10) + `"><img src="https://evil.example/x.png"></p>`}})
		_, page = owner.Get("/documents/" + id)
		if res.StatusCode != 303 || !strings.Contains(page, `src="/document-images/`+strconv.FormatInt(img, 10)) || strings.Contains(page, "evil.example") {
			t.Errorf("image in the body: %d", res.StatusCode)
		}
		_, files := owner.Get("/files")
		if !strings.Contains(files, "logo.png") {
			t.Errorf("the document's image is not among the files")
		}

		// Pages answer.
		for _, p := range []string{"/documents", "/documents?q=obraz&kind=documents&sort=title", "/documents/new", "/documents/" + id + "/edit",
			"/documents/" + id + "/versions", "/documents/" + id + "/print"} {
			if res, body := owner.Get(p); res.StatusCode != 200 {
				t.Errorf("GET %s: %d %.300s", p, res.StatusCode, body)
			}
		}
		vs := documentVersions(t, s, tok, rep.ID)
		if res, _ := owner.Get("/documents/" + id + "/versions/" + strconv.FormatInt(vs[len(vs)-1].ID, 10)); res.StatusCode != 200 {
			t.Errorf("a version: %d", res.StatusCode)
		}
		if res, _ := owner.Post("/documents/"+id+"/versions/"+strconv.FormatInt(vs[len(vs)-1].ID, 10)+"/restore", nil); res.StatusCode != 303 {
			t.Errorf("restore: %d", res.StatusCode)
		}
		if res, _ := owner.Post("/documents/"+id+"/delete", nil); res.StatusCode != 303 {
			t.Errorf("delete: %d", res.StatusCode)
		}
		// Its image stays in Files, no longer shown as a document image.
		if res, _ := owner.Get("/document-images/" + strconv.FormatInt(img, 10)); res.StatusCode != 404 {
			t.Errorf("image of a deleted document: %d", res.StatusCode)
		}
	})
}
