package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"klientela/internal/app/apptest"
	"klientela/internal/crm"
	"klientela/internal/store"
)

const (
	validNIP  = "123-456-32-18"
	validIBAN = "PL61 1090 1014 0000 0712 1981 2874"
	shownIBAN = "61 1090 1014 0000 0712 1981 2874"
)

// createBusiness adds a business through the form and returns its id.
func createBusiness(t *testing.T, b *apptest.Browser, form url.Values) int64 {
	t.Helper()
	res, body := b.Post("/settings/businesses", form)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create business: %d\n%s", res.StatusCode, body)
	}
	return businessIDFrom(t, res)
}

func businessIDFrom(t *testing.T, res *http.Response) int64 {
	t.Helper()
	id, err := strconv.ParseInt(strings.TrimPrefix(res.Header.Get("Location"), "/settings/businesses/"), 10, 64)
	if err != nil {
		t.Fatalf("location %q", res.Header.Get("Location"))
	}
	return id
}

func bizPath(id int64) string { return "/settings/businesses/" + strconv.FormatInt(id, 10) }

// postMultipart submits a multipart form as a same-origin browser would,
// with file (if not nil) as the "logo" part named filename.
func postMultipart(t *testing.T, s *apptest.Server, b *apptest.Browser, path string, fields url.Values, filename string, file []byte) (*http.Response, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, vs := range fields {
		for _, v := range vs {
			if err := mw.WriteField(k, v); err != nil {
				t.Fatal(err)
			}
		}
	}
	if file != nil {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", `form-data; name="logo"; filename="`+filename+`"`)
		h.Set("Content-Type", "image/png") // what the browser claims; the server must not trust it
		fw, err := mw.CreatePart(h)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = fw.Write(file)
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("POST", s.URL+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.Header.Set("Origin", s.URL)
	res, err := b.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, string(data)
}

func testPNG(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 4, 3))
	img.Set(1, 1, color.RGBA{R: 200, A: 255})
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func testJPEG(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, image.NewGray(image.Rect(0, 0, 8, 8)), nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// tenantOf is the store handle of the account an owner e-mail belongs to.
func tenantOf(t *testing.T, s *apptest.Server, email string) *store.Tenant {
	t.Helper()
	ul, err := s.Store.UserByEmail(context.Background(), email)
	if err != nil {
		t.Fatal(err)
	}
	return s.Store.Tenant(ul.User.AccountID)
}

// defaults returns the ids of the account's default businesses.
func defaults(t *testing.T, tn *store.Tenant) []int64 {
	t.Helper()
	bs, err := tn.Businesses(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var out []int64
	for _, b := range bs {
		if b.IsDefault {
			out = append(out, b.ID)
		}
	}
	return out
}

func TestBusinessesPages(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		b := s.SignUp("Piekarnia Zięba", "Jan Kowalski", "jan@example.pl", pw)
		tn := tenantOf(t, s, "jan@example.pl")
		ctx := context.Background()
		first := defaults(t, tn)
		if len(first) != 1 {
			t.Fatalf("a new account has %d default businesses", len(first))
		}

		_, body := b.Get("/settings")
		mustContain(t, body, `href="/settings/businesses"`)
		res, body := b.Get("/settings/businesses")
		if res.StatusCode != 200 {
			t.Fatalf("list = %d", res.StatusCode)
		}
		mustContain(t, body, "Piekarnia Zięba", "domyślna", `href="/settings/businesses/new"`, `href="`+bizPath(first[0])+`"`)

		// Bad input: messages in Polish next to the fields, input kept.
		res, body = b.Post("/settings/businesses", url.Values{"name": {""}, "nip": {"123-456-32-19"},
			"bank_account": {"PL61 1090 1014 0000 0712 1981 2875"}, "postal_code": {"3100"}, "email": {"zly"},
			"country": {"PL"}, "phone": {"abc"}})
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("bad business = %d", res.StatusCode)
		}
		for f, msg := range map[string]string{
			"name":         "To pole jest wymagane.",
			"nip":          "Ten NIP jest nieprawidłowy — sprawdź, czy nie ma w nim literówki.",
			"bank_account": "Ten numer rachunku jest nieprawidłowy — sprawdź, czy nie ma w nim literówki.",
			"postal_code":  "Podaj kod pocztowy w formacie 00-000.",
			"email":        "Podaj poprawny adres e-mail.",
			"phone":        "Podaj numer telefonu (cyfry, spacje, +, -, nawiasy).",
		} {
			if got := fieldError(body, f); got != msg {
				t.Errorf("error at %s = %q, want %q", f, got, msg)
			}
		}
		mustContain(t, body, `value="123-456-32-19"`)
		res, body = b.Post("/settings/businesses", url.Values{"name": {"X"}, "nip": {"12345"}, "bank_account": {"12 3456"}, "country": {"Polska"}})
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("bad business = %d", res.StatusCode)
		}
		for f, msg := range map[string]string{
			"nip":          "NIP musi mieć 10 cyfr, np. 123-456-32-18.",
			"bank_account": "Podaj numer rachunku: 26 cyfr (NRB) albo IBAN, np. PL61 1090 1014 0000 0712 1981 2874.",
			"country":      "Podaj dwuliterowy kod kraju, np. PL.",
		} {
			if got := fieldError(body, f); got != msg {
				t.Errorf("error at %s = %q, want %q", f, got, msg)
			}
		}
		if n, _ := tn.CountBusinesses(ctx); n != 1 {
			t.Fatalf("refused businesses were saved: %d businesses", n)
		}

		// A valid one: NIP and account stored bare, shown formatted.
		id := createBusiness(t, b, url.Values{"name": {"Usługi Łąckie"}, "nip": {validNIP}, "street": {"ul. Długa 1"},
			"postal_code": {"31001"}, "city": {"Kraków"}, "country": {"pl"}, "bank_account": {validIBAN},
			"email": {"Biuro@Lacki.pl"}, "phone": {"+48 12 300 40 50"}})
		stored, err := tn.Business(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if stored.NIP != "1234563218" || stored.BankAccount != "PL61109010140000071219812874" || stored.PostalCode != "31-001" ||
			stored.Country != "PL" || stored.Email != "biuro@lacki.pl" || stored.IsDefault {
			t.Fatalf("stored %+v", stored)
		}
		_, body = b.Get(bizPath(id))
		mustContain(t, body, "Dodano firmę.", "Usługi Łąckie", validNIP, shownIBAN, "31-001 Kraków", "ul. Długa 1",
			`href="mailto:biuro@lacki.pl"`, `action="`+bizPath(id)+`/default"`, `action="`+bizPath(id)+`/delete"`)
		_, body = b.Get("/settings/businesses")
		mustContain(t, body, validNIP, "Kraków")

		// Search: diacritics-insensitive, and by NIP without dashes.
		for q, want := range map[string]bool{"lacki": true, "ŁĄCKIE usługi": true, "1234563218": true, "krakow": true, "zieba": false} {
			_, body = b.Get("/settings/businesses?q=" + url.QueryEscape(q))
			if got := strings.Contains(body, `href="`+bizPath(id)+`"`); got != want {
				t.Errorf("q=%s finds the business: %v, want %v", q, got, want)
			}
		}
		_, body = b.Get("/settings/businesses?q=nic-takiego")
		mustContain(t, body, "Nic nie pasuje")

		// The edit form shows the formatted values; an edit is saved and recorded.
		_, body = b.Get(bizPath(id) + "/edit")
		mustContain(t, body, `value="`+validNIP+`"`, `value="`+shownIBAN+`"`, `enctype="multipart/form-data"`, `name="default"`)
		res, _ = b.Post(bizPath(id), url.Values{"name": {"Usługi Łąckie s.c."}, "nip": {"1234563218"}, "street": {"ul. Krótka 2"},
			"postal_code": {"31-001"}, "city": {"Kraków"}, "country": {"PL"}, "bank_account": {shownIBAN}, "email": {"biuro@lacki.pl"},
			"phone": {"+48 12 300 40 50"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("update = %d", res.StatusCode)
		}

		// Marking it the default unmarks the first one, in both histories.
		if res, _ := b.Post(bizPath(id)+"/default", nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("default = %d", res.StatusCode)
		}
		if d := defaults(t, tn); len(d) != 1 || d[0] != id {
			t.Fatalf("defaults = %v, want [%d]", d, id)
		}
		_, body = b.Get(bizPath(id))
		mustContain(t, body, "Ta firma jest teraz domyślna.", "To jest firma domyślna.")
		mustNotContain(t, body, `action="`+bizPath(id)+`/delete"`)
		// The default's form cannot drop the mark: saving without the box keeps it.
		_, body = b.Get(bizPath(id) + "/edit")
		mustNotContain(t, body, `name="default"`)
		if res, _ := b.Post(bizPath(id), url.Values{"name": {"Usługi Łąckie s.c."}, "nip": {validNIP}, "street": {"ul. Krótka 2"},
			"postal_code": {"31-001"}, "city": {"Kraków"}, "bank_account": {validIBAN}, "email": {"biuro@lacki.pl"},
			"phone": {"+48 12 300 40 50"}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("update of the default = %d", res.StatusCode)
		}
		if d := defaults(t, tn); len(d) != 1 || d[0] != id {
			t.Fatalf("defaults after saving the default = %v", d)
		}

		// The default cannot be deleted: a clear message, nothing removed.
		res, body = b.Post(bizPath(id)+"/delete", nil)
		if res.StatusCode != http.StatusConflict {
			t.Fatalf("delete default = %d", res.StatusCode)
		}
		mustContain(t, body, "Nie można usunąć firmy domyślnej.")

		// A business employees point to cannot be deleted either.
		res, body = b.Post("/employees", url.Values{"first_name": {"Ola"}, "last_name": {"Lis"}, "business_id": {strconv.FormatInt(first[0], 10)}, "active": {"1"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("employee of a business: %d\n%s", res.StatusCode, body)
		}
		emp := res.Header.Get("Location")
		res, body = b.Post(bizPath(first[0])+"/delete", nil)
		if res.StatusCode != http.StatusConflict {
			t.Fatalf("delete a business in use = %d", res.StatusCode)
		}
		mustContain(t, body, "są z nią powiązane inne dane")
		// Below the service's check, the foreign key is a conflict too, never a 500.
		if err := tn.DeleteBusiness(ctx, first[0]); crm.ErrorCode(err) != crm.CodeConflict {
			t.Fatalf("store delete of a business in use: %v", err)
		}
		if res, _ := b.Post(emp+"/delete", nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("delete employee = %d", res.StatusCode)
		}

		// History: create, edit, default (both sides).
		_, body = b.Get(bizPath(id) + "?tab=history")
		mustContain(t, body, "Utworzenie", "Zmiana", "Jan Kowalski", "Ulica i numer", "ul. Krótka 2", "NIP", validNIP, "Domyślna")
		if n := strings.Count(body, `class="history-entry"`); n != 3 {
			t.Errorf("history has %d entries, want 3 (create, edit, default)", n)
		}
		_, body = b.Get(bizPath(first[0]) + "?tab=history")
		mustContain(t, body, "Domyślna", "true", "false")

		// Now the first one can go; the history keeps it.
		if res, body := b.Post(bizPath(first[0])+"/delete", nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("delete = %d\n%s", res.StatusCode, body)
		}
		if res, _ := b.Get(bizPath(first[0])); res.StatusCode != http.StatusNotFound {
			t.Fatalf("deleted business = %d", res.StatusCode)
		}
		es, err := tn.AuditLog(ctx, store.AuditFilter{Entity: "business", EntityID: first[0], Limit: 10})
		if err != nil || len(es) == 0 || es[0].Action != crm.ActionDelete {
			t.Fatalf("history of the deleted business: %+v %v", es, err)
		}

		// The last business cannot be deleted.
		res, body = b.Post(bizPath(id)+"/delete", nil)
		if res.StatusCode != http.StatusConflict {
			t.Fatalf("delete the last = %d", res.StatusCode)
		}
		mustContain(t, body, "Nie można usunąć jedynej firmy na koncie.")

		for _, p := range []string{"/settings/businesses/abc", "/settings/businesses/0", "/settings/businesses/999999", "/settings/businesses/999999/edit"} {
			if res, _ := b.Get(p); res.StatusCode != http.StatusNotFound {
				t.Errorf("GET %s = %d, want 404", p, res.StatusCode)
			}
		}
	})
}

func TestBusinessLogo(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		b := s.SignUp("Firma", "Jan Kowalski", "jan@example.pl", pw)
		tok := s.Token("jan@example.pl", pw)
		logo := testPNG(t)

		res, body := postMultipart(t, s, b, "/settings/businesses", url.Values{"name": {"Z logo"}, "nip": {validNIP}}, "logo.png", logo)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("create with logo = %d\n%s", res.StatusCode, body)
		}
		id := businessIDFrom(t, res)
		_, body = b.Get(bizPath(id))
		mustContain(t, body, `src="`+bizPath(id)+`/logo"`, validNIP)

		check := func(want []byte, wantType string) {
			t.Helper()
			res, got := b.Get(bizPath(id) + "/logo")
			if res.StatusCode != 200 || got != string(want) {
				t.Fatalf("logo = %d, %d bytes, want %d", res.StatusCode, len(got), len(want))
			}
			for k, v := range map[string]string{"Content-Type": wantType, "X-Content-Type-Options": "nosniff", "Content-Disposition": "inline"} {
				if res.Header.Get(k) != v {
					t.Errorf("%s = %q, want %q", k, res.Header.Get(k), v)
				}
			}
			if cc := res.Header.Get("Cache-Control"); !strings.Contains(cc, "private") {
				t.Errorf("Cache-Control = %q", cc)
			}
			req, _ := http.NewRequest("GET", s.URL+"/api/v1/businesses/"+strconv.FormatInt(id, 10)+"/logo", nil)
			req.Header.Set("Authorization", "Bearer "+tok)
			ares, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			data, _ := io.ReadAll(ares.Body)
			ares.Body.Close()
			if ares.StatusCode != 200 || !bytes.Equal(data, want) || ares.Header.Get("Content-Type") != wantType ||
				ares.Header.Get("X-Content-Type-Options") != "nosniff" {
				t.Fatalf("API logo = %d %q, %d bytes", ares.StatusCode, ares.Header.Get("Content-Type"), len(data))
			}
		}
		check(logo, "image/png")
		_, body = s.JSON("GET", "/api/v1/businesses/"+strconv.FormatInt(id, 10), tok, nil)
		mustContain(t, body, `"has_logo":true`)

		fields := url.Values{"name": {"Z logo"}, "nip": {validNIP}}
		// An HTML page named .png is refused, whatever the browser claims.
		res, body = postMultipart(t, s, b, bizPath(id), fields, "logo.png", []byte("<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"))
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("HTML as PNG = %d", res.StatusCode)
		}
		if got := fieldError(body, "logo"); got != "Logo musi być obrazem PNG, JPEG lub WebP (ten plik nim nie jest albo jest uszkodzony)." {
			t.Errorf("logo error = %q", got)
		}
		// Over 512 KB is refused (under the 1 MB body limit).
		// A PNG cut short: its first bytes say PNG, the pixels are missing.
		res, body = postMultipart(t, s, b, bizPath(id), fields, "cut.png", logo[:len(logo)-20])
		if got := fieldError(body, "logo"); res.StatusCode != 422 || got != "Logo musi być obrazem PNG, JPEG lub WebP (ten plik nim nie jest albo jest uszkodzony)." {
			t.Errorf("damaged logo = %d %q", res.StatusCode, got)
		}
		big := append(append([]byte{}, logo...), make([]byte, 600<<10)...)
		res, body = postMultipart(t, s, b, bizPath(id), fields, "big.png", big)
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("600 KB logo = %d", res.StatusCode)
		}
		if got := fieldError(body, "logo"); got != "Logo może mieć najwyżej 512 KB." {
			t.Errorf("logo error = %q", got)
		}
		// Over the body limit: the too-large page.
		if res, _ := postMultipart(t, s, b, bizPath(id), fields, "huge.png", make([]byte, 2<<20)); res.StatusCode != http.StatusRequestEntityTooLarge {
			t.Errorf("2 MB logo = %d, want 413", res.StatusCode)
		}
		check(logo, "image/png")

		// Replaced by a JPEG, then removed; the history says so.
		jpg := testJPEG(t)
		if res, body := postMultipart(t, s, b, bizPath(id), fields, "logo.jpg", jpg); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("JPEG logo = %d\n%s", res.StatusCode, body)
		}
		check(jpg, "image/jpeg")
		_, body = b.Get(bizPath(id) + "/edit")
		mustContain(t, body, `name="remove_logo"`)
		// A form without a file keeps the logo.
		if res, _ := postMultipart(t, s, b, bizPath(id), url.Values{"name": {"Z logo"}, "nip": {validNIP}, "city": {"Gdańsk"}}, "", nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("save without file = %d", res.StatusCode)
		}
		check(jpg, "image/jpeg")
		if res, _ := postMultipart(t, s, b, bizPath(id), url.Values{"name": {"Z logo"}, "nip": {validNIP}, "remove_logo": {"1"}}, "", nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("remove logo = %d", res.StatusCode)
		}
		if res, _ := b.Get(bizPath(id) + "/logo"); res.StatusCode != http.StatusNotFound {
			t.Fatalf("removed logo = %d", res.StatusCode)
		}
		if res, _ := s.JSON("GET", "/api/v1/businesses/"+strconv.FormatInt(id, 10)+"/logo", tok, nil); res.StatusCode != http.StatusNotFound {
			t.Fatalf("API removed logo = %d", res.StatusCode)
		}
		_, body = b.Get(bizPath(id))
		mustContain(t, body, "Ta firma nie ma jeszcze logo.")
		_, body = b.Get(bizPath(id) + "?tab=history")
		mustContain(t, body, "Logo", "image/png", "image/jpeg")
		if n := strings.Count(body, `class="history-entry"`); n != 4 {
			t.Errorf("history has %d entries, want 4 (create, JPEG, city, removal)", n)
		}
	})
}

func TestBusinessesIsolation(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		a := s.SignUp("Firma A", "Jan Kowalski", "jan@example.pl", pw)
		bb := s.SignUp("Firma B", "Ewa Nowak", "ewa@example.pl", pw)
		tokB := s.Token("ewa@example.pl", pw)
		res, body := postMultipart(t, s, a, "/settings/businesses", url.Values{"name": {"Tajna firma A"}}, "logo.png", testPNG(t))
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("create = %d\n%s", res.StatusCode, body)
		}
		id := businessIDFrom(t, res)
		p := bizPath(id)

		for _, path := range []string{p, p + "/edit", p + "/logo", p + "?tab=history"} {
			if res, _ := bb.Get(path); res.StatusCode != http.StatusNotFound {
				t.Errorf("B GET %s = %d, want 404", path, res.StatusCode)
			}
		}
		for _, path := range []string{p, p + "/default", p + "/delete"} {
			if res, _ := bb.Post(path, url.Values{"name": {"Przejęta"}}); res.StatusCode != http.StatusNotFound {
				t.Errorf("B POST %s = %d, want 404", path, res.StatusCode)
			}
		}
		if res, _ := bb.Post("/business/switch", url.Values{"business_id": {strconv.FormatInt(id, 10)}}); res.StatusCode != http.StatusNotFound {
			t.Errorf("B switches to A's business = %d, want 404", res.StatusCode)
		}
		_, body = bb.Get("/settings/businesses")
		mustNotContain(t, body, "Tajna firma A")

		api := "/api/v1/businesses/" + strconv.FormatInt(id, 10)
		for _, m := range []string{"GET", "PATCH", "DELETE"} {
			var in any
			if m == "PATCH" {
				in = map[string]any{"name": "Przejęta"}
			}
			if res, _ := s.JSON(m, api, tokB, in); res.StatusCode != 404 {
				t.Errorf("B %s A's business = %d, want 404", m, res.StatusCode)
			}
		}
		if res, _ := s.JSON("GET", api+"/logo", tokB, nil); res.StatusCode != 404 {
			t.Errorf("B GET A's logo = %d, want 404", res.StatusCode)
		}
		_, body = s.JSON("GET", "/api/v1/businesses", tokB, nil)
		mustNotContain(t, body, "Tajna firma A")

		// Untouched for A.
		_, body = a.Get(p)
		mustContain(t, body, "Tajna firma A")
		if res, _ := a.Get(p + "/logo"); res.StatusCode != 200 {
			t.Fatalf("A's logo = %d", res.StatusCode)
		}
	})
}

func TestBusinessesPermissions(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		owner := s.SignUp("Firma", "Jan Kowalski", "jan@example.pl", pw)
		res, _ := postMultipart(t, s, owner, "/settings/businesses", url.Values{"name": {"Druga"}}, "logo.png", testPNG(t))
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("create = %d", res.StatusCode)
		}
		id := businessIDFrom(t, res)
		card := bizPath(id)
		form := url.Values{"name": {"Zmieniona"}}

		none := s.AddUser("jan@example.pl", "none@example.pl", pw, apptest.Scope("employees", "view"))
		for _, p := range []string{"/settings/businesses", "/settings/businesses/new", card, card + "/edit", card + "/logo", card + "?tab=history"} {
			if res, _ := none.Get(p); res.StatusCode != http.StatusForbidden {
				t.Errorf("no access: GET %s = %d, want 403", p, res.StatusCode)
			}
		}
		for _, p := range []string{"/settings/businesses", card, card + "/default", card + "/delete"} {
			if res, _ := none.Post(p, form); res.StatusCode != http.StatusForbidden {
				t.Errorf("no access: POST %s = %d, want 403", p, res.StatusCode)
			}
		}
		// Everyone may switch the business they work in.
		if res, _ := none.Post("/business/switch", url.Values{"business_id": {strconv.FormatInt(id, 10)}}); res.StatusCode != http.StatusSeeOther {
			t.Errorf("no settings access: switch = %d, want 303", res.StatusCode)
		}

		viewer := s.AddUser("jan@example.pl", "view@example.pl", pw, apptest.Scope("settings", "view"))
		_, body := viewer.Get(card)
		mustContain(t, body, "Druga")
		mustNotContain(t, body, `/edit"`, `/delete"`, `/default"`)
		_, body = viewer.Get("/settings/businesses")
		mustNotContain(t, body, `href="/settings/businesses/new"`)
		if res, _ := viewer.Get(card + "/logo"); res.StatusCode != 200 {
			t.Errorf("viewer logo = %d", res.StatusCode)
		}
		for _, p := range []string{"/settings/businesses", card, card + "/default", card + "/delete"} {
			if res, _ := viewer.Post(p, form); res.StatusCode != http.StatusForbidden {
				t.Errorf("viewer: POST %s = %d, want 403", p, res.StatusCode)
			}
		}
		if res, _ := viewer.Get(card + "/edit"); res.StatusCode != http.StatusForbidden {
			t.Errorf("viewer: edit form = %d", res.StatusCode)
		}

		editor := s.AddUser("jan@example.pl", "edit@example.pl", pw, apptest.Scope("settings", "edit"))
		if res, _ := editor.Post(card, url.Values{"name": {"Druga sp. z o.o."}}); res.StatusCode != http.StatusSeeOther {
			t.Errorf("editor edits: %d", res.StatusCode)
		}
		if res, _ := editor.Post(card+"/delete", nil); res.StatusCode != http.StatusForbidden {
			t.Errorf("editor deletes: %d, want 403", res.StatusCode)
		}
		_, body = editor.Get(card)
		mustContain(t, body, "Druga sp. z o.o.", `/default"`)
		mustNotContain(t, body, `/delete"`)

		// The same rules through the API.
		if res, _ := s.JSON("GET", "/api/v1/businesses", s.Token("none@example.pl", pw), nil); res.StatusCode != 403 {
			t.Errorf("API no access lists: %d", res.StatusCode)
		}
		if res, _ := s.JSON("GET", "/api/v1/businesses/"+strconv.FormatInt(id, 10)+"/logo", s.Token("none@example.pl", pw), nil); res.StatusCode != 403 {
			t.Errorf("API no access logo: %d", res.StatusCode)
		}
		tv := s.Token("view@example.pl", pw)
		if res, _ := s.JSON("GET", "/api/v1/businesses", tv, nil); res.StatusCode != 200 {
			t.Errorf("API viewer lists: %d", res.StatusCode)
		}
		if res, _ := s.JSON("POST", "/api/v1/businesses", tv, map[string]any{"name": "X"}); res.StatusCode != 403 {
			t.Errorf("API viewer creates: %d", res.StatusCode)
		}
		if res, _ := s.JSON("PATCH", "/api/v1/businesses/"+strconv.FormatInt(id, 10), tv, map[string]any{"name": "X"}); res.StatusCode != 403 {
			t.Errorf("API viewer changes: %d", res.StatusCode)
		}
		if res, _ := s.JSON("DELETE", "/api/v1/businesses/"+strconv.FormatInt(id, 10), s.Token("edit@example.pl", pw), nil); res.StatusCode != 403 {
			t.Errorf("API editor deletes: %d", res.StatusCode)
		}
		full := s.AddUser("jan@example.pl", "full@example.pl", pw, apptest.Scope("settings", "full"))
		if res, _ := full.Post(card+"/delete", nil); res.StatusCode != http.StatusSeeOther {
			t.Errorf("full deletes: %d", res.StatusCode)
		}
	})
}

func TestBusinessesAPI(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		s.SignUp("Firma A", "Jan Kowalski", "jan@example.pl", pw)
		s.SignUp("Firma B", "Ewa Nowak", "ewa@example.pl", pw)
		tok, tokB := s.Token("jan@example.pl", pw), s.Token("ewa@example.pl", pw)

		res, body := s.JSON("POST", "/api/v1/businesses", tok, map[string]any{"name": "Usługi Łąckie", "nip": validNIP,
			"address":      map[string]any{"street": "ul. Długa 1", "postal_code": "31001", "city": "Kraków"},
			"bank_account": validIBAN, "email": "biuro@lacki.pl", "phone": "+48 12 300 40 50"})
		if res.StatusCode != 201 {
			t.Fatalf("create: %d %s", res.StatusCode, body)
		}
		mustContain(t, body, `"nip":"1234563218"`, `"bank_account":"PL61109010140000071219812874"`,
			`"address":{"street":"ul. Długa 1","postal_code":"31-001","city":"Kraków","country":"PL"}`,
			`"default":false`, `"has_logo":false`, `"created_at":"`, `"updated_at":"`)
		var created struct{ ID int64 }
		_ = json.Unmarshal([]byte(body), &created)
		path := "/api/v1/businesses/" + strconv.FormatInt(created.ID, 10)
		if res.Header.Get("Location") != path {
			t.Errorf("Location = %q", res.Header.Get("Location"))
		}

		for name, in := range map[string]any{
			"bad NIP checksum": map[string]any{"name": "X", "nip": "123-456-32-19"},
			"bad NIP format":   map[string]any{"name": "X", "nip": "12-34"},
			"bad account":      map[string]any{"name": "X", "bank_account": "PL61 1090 1014 0000 0712 1981 2875"},
			"no name":          map[string]any{"nip": validNIP},
			"bad postal code":  map[string]any{"name": "X", "address": map[string]any{"postal_code": "3-1001"}},
			"bad country":      map[string]any{"name": "X", "address": map[string]any{"country": "Polska"}},
			"bad e-mail":       map[string]any{"name": "X", "email": "zly@"},
			"wrong type":       map[string]any{"name": 5},
		} {
			res, body := s.JSON("POST", "/api/v1/businesses", tok, in)
			if res.StatusCode != 422 || !strings.Contains(body, `"fields"`) {
				t.Errorf("%s: %d %s", name, res.StatusCode, body)
			}
		}
		res, body = s.JSON("POST", "/api/v1/businesses", tok, map[string]any{"name": "X", "nip": "123-456-32-19"})
		mustContain(t, body, `"nip":"Ten NIP jest nieprawidłowy`)
		if res, _ := s.JSON("POST", "/api/v1/businesses", tok, map[string]any{"name": "X", "logo": "abc"}); res.StatusCode != 400 {
			t.Errorf("unknown field = %d, want 400", res.StatusCode)
		}
		// A foreign postal code is not checked against the Polish form.
		res, body = s.JSON("POST", "/api/v1/businesses", tok, map[string]any{"name": "GmbH", "address": map[string]any{"postal_code": "10115", "city": "Berlin", "country": "de"},
			"bank_account": "DE89 3704 0044 0532 0130 00"})
		if res.StatusCode != 201 || !strings.Contains(body, `"country":"DE"`) || !strings.Contains(body, `"postal_code":"10115"`) || !strings.Contains(body, `"bank_account":"DE89370400440532013000"`) {
			t.Fatalf("foreign business: %d %s", res.StatusCode, body)
		}

		// PATCH keeps what it does not name.
		res, body = s.JSON("PATCH", path, tok, map[string]any{"address": map[string]any{"city": "Nowy Sącz"}, "phone": ""})
		if res.StatusCode != 200 || !strings.Contains(body, `"city":"Nowy Sącz"`) || !strings.Contains(body, `"street":"ul. Długa 1"`) ||
			!strings.Contains(body, `"nip":"1234563218"`) || !strings.Contains(body, `"phone":""`) {
			t.Fatalf("patch: %d %s", res.StatusCode, body)
		}
		if res, body := s.JSON("PATCH", path, tok, map[string]any{"bank_account": "123"}); res.StatusCode != 422 {
			t.Errorf("patch bad account: %d %s", res.StatusCode, body)
		}

		// Default switching: one default at all times.
		res, body = s.JSON("PATCH", path, tok, map[string]any{"default": true})
		if res.StatusCode != 200 || !strings.Contains(body, `"default":true`) {
			t.Fatalf("make default: %d %s", res.StatusCode, body)
		}
		var list struct {
			Items []struct {
				ID      int64
				Name    string
				Default bool
			}
			NextCursor string `json:"next_cursor"`
			Total      int
		}
		_, body = s.JSON("GET", "/api/v1/businesses", tok, nil)
		if err := json.Unmarshal([]byte(body), &list); err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, it := range list.Items {
			if it.Default {
				n++
			}
		}
		if n != 1 || len(list.Items) != 3 || list.Items[0].ID != created.ID || list.Total != 3 {
			t.Fatalf("list after default switch: %s", body)
		}
		res, body = s.JSON("PATCH", path, tok, map[string]any{"default": false})
		if res.StatusCode != 422 || !strings.Contains(body, "Jedna firma musi być domyślna") {
			t.Fatalf("unmark the default: %d %s", res.StatusCode, body)
		}
		res, body = s.JSON("DELETE", path, tok, nil)
		if res.StatusCode != 409 || !strings.Contains(body, `"code":"conflict"`) || !strings.Contains(body, "Nie można usunąć firmy domyślnej") {
			t.Fatalf("delete default: %d %s", res.StatusCode, body)
		}

		// Search and pages.
		_, body = s.JSON("GET", "/api/v1/businesses?q=LACKIE", tok, nil)
		if !strings.Contains(body, "Usługi Łąckie") || strings.Contains(body, "GmbH") {
			t.Fatalf("search: %s", body)
		}
		seen := map[int64]bool{}
		cursor := ""
		for range 5 {
			_, body = s.JSON("GET", "/api/v1/businesses?limit=2&cursor="+cursor, tok, nil)
			list.Items, list.NextCursor = nil, ""
			if err := json.Unmarshal([]byte(body), &list); err != nil {
				t.Fatal(err)
			}
			for _, it := range list.Items {
				seen[it.ID] = true
			}
			if cursor = list.NextCursor; cursor == "" {
				break
			}
		}
		if len(seen) != 3 {
			t.Fatalf("paged through %d businesses, want 3", len(seen))
		}
		if res, _ := s.JSON("GET", "/api/v1/businesses?limit=0", tok, nil); res.StatusCode != 422 {
			t.Errorf("limit=0 = %d", res.StatusCode)
		}

		for _, p := range []string{"/api/v1/businesses/999999", "/api/v1/businesses/abc", "/api/v1/businesses/0", path + "/logo"} {
			if res, _ := s.JSON("GET", p, tok, nil); res.StatusCode != 404 {
				t.Errorf("GET %s = %d, want 404", p, res.StatusCode)
			}
		}
		if res, _ := s.JSON("GET", path, tokB, nil); res.StatusCode != 404 {
			t.Errorf("B GET = %d", res.StatusCode)
		}
		if res, _ := s.JSON("GET", "/api/v1/businesses", "", nil); res.StatusCode != 401 {
			t.Errorf("no token = %d", res.StatusCode)
		}

		// Delete a non-default one: 204, then gone; the history has it.
		_, body = s.JSON("GET", "/api/v1/businesses?q=gmbh", tok, nil)
		var one struct{ Items []struct{ ID int64 } }
		_ = json.Unmarshal([]byte(body), &one)
		if len(one.Items) != 1 {
			t.Fatalf("q=gmbh: %s", body)
		}
		gp := "/api/v1/businesses/" + strconv.FormatInt(one.Items[0].ID, 10)
		if res, _ := s.JSON("DELETE", gp, tok, nil); res.StatusCode != 204 {
			t.Fatalf("delete = %d", res.StatusCode)
		}
		if res, _ := s.JSON("GET", gp, tok, nil); res.StatusCode != 404 {
			t.Fatalf("deleted = %d", res.StatusCode)
		}
		tn := tenantOf(t, s, "jan@example.pl")
		es, err := tn.AuditLog(context.Background(), store.AuditFilter{Entity: "business", Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		actions := map[crm.Action]int{}
		for _, e := range es {
			actions[e.Action]++
		}
		// create ×2, update ×3 (city, default, the old default losing it), delete ×1
		if actions[crm.ActionCreate] != 2 || actions[crm.ActionUpdate] != 3 || actions[crm.ActionDelete] != 1 {
			t.Fatalf("history actions = %v", actions)
		}

		// Created as the default: it takes the mark from the previous one.
		res, body = s.JSON("POST", "/api/v1/businesses", tok, map[string]any{"name": "Nowa domyślna", "default": true})
		if res.StatusCode != 201 || !strings.Contains(body, `"default":true`) {
			t.Fatalf("create default: %d %s", res.StatusCode, body)
		}
		if d := defaults(t, tn); len(d) != 1 {
			t.Fatalf("defaults after creating a default: %v", d)
		}
		_, body = s.JSON("GET", path, tok, nil)
		mustContain(t, body, `"default":false`)
	})
}

func TestBusinessSwitcher(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		b := s.SignUp("Piekarnia Zięba", "Jan Kowalski", "jan@example.pl", pw)
		_, body := b.Get("/")
		mustNotContain(t, body, `action="/business/switch"`)

		id := createBusiness(t, b, url.Values{"name": {"Cukiernia Zięba"}})
		_, body = b.Get("/")
		mustContain(t, body, `action="/business/switch"`, `class="bizswitch-name">Piekarnia Zięba<`,
			`name="business_id" value="`+strconv.FormatInt(id, 10)+`">Cukiernia Zięba</button>`)

		res, _ := b.Post("/business/switch", url.Values{"business_id": {strconv.FormatInt(id, 10)}, "next": {"/employees?q=x"}})
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/employees?q=x" {
			t.Fatalf("switch = %d %q", res.StatusCode, res.Header.Get("Location"))
		}
		_, body = b.Get("/employees?q=x")
		mustContain(t, body, "Zmieniono bieżącą firmę.", `class="bizswitch-name">Cukiernia Zięba<`, `name="next" value="/employees?q=x"`)
		for _, p := range []string{"/", "/employees", "/settings", "/settings/businesses"} {
			_, body = b.Get(p)
			mustContain(t, body, `class="bizswitch-name">Cukiernia Zięba<`)
		}

		// The choice belongs to the session: a new login starts in the default.
		other := s.Browser()
		other.Post("/login", url.Values{"email": {"jan@example.pl"}, "password": {pw}})
		_, body = other.Get("/")
		mustContain(t, body, `class="bizswitch-name">Piekarnia Zięba<`)

		// No open redirects; bad ids are not found.
		res, _ = b.Post("/business/switch", url.Values{"business_id": {strconv.FormatInt(id, 10)}, "next": {"//evil.example/x"}})
		if res.Header.Get("Location") != "/" {
			t.Errorf("next=//evil.example → %q", res.Header.Get("Location"))
		}
		for _, bad := range []string{"abc", "0", "999999", ""} {
			if res, _ := b.Post("/business/switch", url.Values{"business_id": {bad}}); res.StatusCode != http.StatusNotFound {
				t.Errorf("switch to %q = %d, want 404", bad, res.StatusCode)
			}
		}

		// Deleting the business a session works in sends it back to the default.
		third := createBusiness(t, b, url.Values{"name": {"Kawiarnia"}})
		b.Post("/business/switch", url.Values{"business_id": {strconv.FormatInt(third, 10)}})
		_, body = b.Get("/")
		mustContain(t, body, `class="bizswitch-name">Kawiarnia<`)
		if res, _ := b.Post(bizPath(third)+"/delete", nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("delete = %d", res.StatusCode)
		}
		_, body = b.Get("/")
		mustContain(t, body, `class="bizswitch-name">Piekarnia Zięba<`)

		// Back to one business: no switcher.
		if res, _ := b.Post(bizPath(id)+"/delete", nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("delete = %d", res.StatusCode)
		}
		_, body = b.Get("/")
		mustNotContain(t, body, `action="/business/switch"`, "bizswitch")
	})
}
