package app_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"html"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/emersion/go-vcard"
	"github.com/xuri/excelize/v2"

	"klientela/internal/app/apptest"
)

func readCSV(t *testing.T, body string) [][]string {
	t.Helper()
	if !strings.HasPrefix(body, "\ufeff") {
		t.Fatalf("no UTF-8 byte order mark: %q", body[:min(20, len(body))])
	}
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\ufeff")))
	r.Comma = ';'
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatalf("not CSV: %v\n%s", err, body)
	}
	return rows
}

func TestClientExportCSV(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		b := s.SignUp("Firma", "Jan Kowalski", "jan@example.pl", pw)
		tok := s.Token("jan@example.pl", pw)
		for _, c := range []map[string]any{
			{"kind": "company", "name": "Hurtownia Żuraw", "nip": "1234563218", "status": "active", "notes": "=HYPERLINK(\"http://evil.example\",\"kliknij\")",
				"emails": []string{"biuro@zuraw.pl"}, "address": map[string]string{"city": "Łódź", "postal_code": "90-001", "country": "PL"}},
			{"kind": "company", "name": "Kwiaciarnia „Łąka”; Spółka \"cywilna\"", "status": "potential", "notes": "wiersz 1\nwiersz 2"},
		} {
			if res, body := s.JSON("POST", "/api/v1/clients", tok, c); res.StatusCode != 201 {
				t.Fatalf("client: %d %s", res.StatusCode, body)
			}
		}
		s.SignUp("Inna", "Ewa Nowak", "ewa@example.pl", pw)
		s.JSON("POST", "/api/v1/clients", s.Token("ewa@example.pl", pw), map[string]any{"kind": "company", "name": "Cudzy klient", "status": "active"})

		res, body := b.Get("/clients/export.csv")
		if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") ||
			!strings.HasPrefix(res.Header.Get("Content-Disposition"), "attachment; filename=klienci-") {
			t.Fatalf("export: %d %v", res.StatusCode, res.Header)
		}
		rows := readCSV(t, body)
		if len(rows) != 3 || rows[0][2] != "Nazwa" || rows[0][4] != "NIP" {
			t.Fatalf("rows = %q", rows)
		}
		byName := map[string][]string{}
		for _, r := range rows[1:] {
			byName[r[2]] = r
		}
		z := byName["Hurtownia Żuraw"]
		if z == nil || z[4] != "123-456-32-18" || z[12] != "Łódź" || z[15] != "Aktywny" || z[7] != "biuro@zuraw.pl" {
			t.Fatalf("Żuraw row = %q", z)
		}
		if !strings.HasPrefix(z[17], "'=HYPERLINK") {
			t.Fatalf("a formula stays live in the export: %q", z[17])
		}
		if k := byName["Kwiaciarnia „Łąka”; Spółka \"cywilna\""]; k == nil || k[17] != "wiersz 1\nwiersz 2" {
			t.Fatalf("quotes, semicolons and line breaks do not survive: %q", rows)
		}
		if strings.Contains(body, "Cudzy klient") {
			t.Fatal("another account's client in the export")
		}
		// The list's filters apply.
		_, body = b.Get("/clients/export.csv?status=potential")
		if rows := readCSV(t, body); len(rows) != 2 || !strings.HasPrefix(rows[1][2], "Kwiaciarnia") {
			t.Fatalf("filtered export = %q", rows)
		}
		// The list page links to the export of exactly what it shows.
		_, page := b.Get("/clients?status=potential&page=1")
		m := regexp.MustCompile(`href="(/clients/export\.csv[^"]*)"`).FindStringSubmatch(page)
		if m == nil {
			t.Fatal("no CSV export link on the list page")
		}
		_, body = b.Get(html.UnescapeString(m[1]))
		if rows := readCSV(t, body); len(rows) != 2 || !strings.HasPrefix(rows[1][2], "Kwiaciarnia") {
			t.Fatalf("export from the page's link %q = %q", m[1], rows)
		}
		_, body = b.Get("/clients/export.csv?q=zuraw")
		if rows := readCSV(t, body); len(rows) != 2 || rows[1][2] != "Hurtownia Żuraw" {
			t.Fatalf("searched export = %q", rows)
		}

		// The API, in English for an English request.
		req, _ := http.NewRequest("GET", s.URL+"/api/v1/clients/export?format=csv", nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		res2, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(res2.Body)
		res2.Body.Close()
		if res2.StatusCode != 200 || len(readCSV(t, string(data))) != 3 || !bytes.Contains(data, []byte("Hurtownia Żuraw")) {
			t.Fatalf("API export: %d %s", res2.StatusCode, data)
		}
		// XLSX, read back by excelize.
		res, body = b.Get("/clients/export.xlsx?status=active")
		if res.StatusCode != 200 || !strings.Contains(res.Header.Get("Content-Type"), "spreadsheetml") {
			t.Fatalf("xlsx: %d %v", res.StatusCode, res.Header)
		}
		f, err := excelize.OpenReader(strings.NewReader(body))
		if err != nil {
			t.Fatalf("not an XLSX file: %v", err)
		}
		xrows, err := f.GetRows("Klienci")
		if err != nil || len(xrows) != 2 || xrows[0][2] != "Nazwa" || xrows[1][2] != "Hurtownia Żuraw" || xrows[1][4] != "123-456-32-18" {
			t.Fatalf("xlsx rows = %q, %v", xrows, err)
		}
		// The notes cell holds the text as typed, as text: not a formula.
		formula, err := f.GetCellFormula("Klienci", "R2")
		typ, _ := f.GetCellType("Klienci", "R2")
		f.Close()
		if err != nil || formula != "" || !strings.HasPrefix(xrows[1][17], "=HYPERLINK") || typ == excelize.CellTypeFormula {
			t.Fatalf("xlsx notes cell: formula %q, type %v, value %q, %v", formula, typ, xrows[1][17], err)
		}
		if res, body := s.JSON("GET", "/api/v1/clients/export?format=pdf", tok, nil); res.StatusCode != 422 || !strings.Contains(body, "xlsx") {
			t.Fatalf("unsupported format: %d %s", res.StatusCode, body)
		}
		// No access to clients, no export.
		none := s.AddUser("jan@example.pl", "none@example.pl", pw, apptest.Scope("employees", "view"))
		if res, _ := none.Get("/clients/export.csv"); res.StatusCode != http.StatusForbidden {
			t.Fatalf("export without access: %d", res.StatusCode)
		}
		if res, _ := s.JSON("GET", "/api/v1/clients/export", s.Token("none@example.pl", pw), nil); res.StatusCode != 403 {
			t.Fatalf("API export without access: %d", res.StatusCode)
		}
	})
}

func TestClientVCards(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		b := s.SignUp("Firma", "Jan Kowalski", "jan@example.pl", pw)
		tok := s.Token("jan@example.pl", pw)
		res, body := s.JSON("POST", "/api/v1/clients", tok, map[string]any{"kind": "company", "name": "Hurtownia Żuraw; „Łódź”",
			"emails": []string{"biuro@zuraw.pl", "faktury@zuraw.pl"}, "phones": []string{"+48 42 630 00 00"}, "website": "https://zuraw.pl",
			"address": map[string]string{"street": "ul. Piotrkowska 100", "postal_code": "90-001", "city": "Łódź", "country": "PL"},
			"notes":   "Linia 1\nLinia 2, z przecinkiem", "status": "active"})
		if res.StatusCode != 201 {
			t.Fatalf("client: %d %s", res.StatusCode, body)
		}
		var c struct{ ID int64 }
		_ = json.Unmarshal([]byte(body), &c)
		id := strconv.FormatInt(c.ID, 10)
		if res, body := s.JSON("POST", "/api/v1/clients/"+id+"/persons", tok, map[string]any{"first_name": "Żaneta", "last_name": "Kruk",
			"role": "Księgowa", "email": "zaneta@zuraw.pl", "phone": "+48 600 100 200", "birthday": "1985-02-28"}); res.StatusCode != 201 {
			t.Fatalf("person: %d %s", res.StatusCode, body)
		}
		s.JSON("POST", "/api/v1/clients", tok, map[string]any{"kind": "person", "first_name": "Łucja", "last_name": "Wiśniewska", "status": "potential"})

		res, body = b.Get("/clients/" + id + "/card.vcf")
		if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/vcard") {
			t.Fatalf("card: %d %v", res.StatusCode, res.Header)
		}
		cards := decodeCards(t, body)
		if len(cards) != 2 {
			t.Fatalf("%d cards, want the company and its contact person", len(cards))
		}
		co, pe := cards[0], cards[1]
		if co.Value(vcard.FieldVersion) != "4.0" || co.Kind() != vcard.KindOrganization || co.Value(vcard.FieldOrganization) != "Hurtownia Żuraw; „Łódź”" ||
			co.PreferredValue(vcard.FieldEmail) != "biuro@zuraw.pl" || len(co.Values(vcard.FieldEmail)) != 2 ||
			co.Address().Locality != "Łódź" || co.Value(vcard.FieldNote) != "Linia 1\nLinia 2, z przecinkiem" {
			t.Fatalf("company card = %+v", co)
		}
		if n := pe.Name(); n == nil || n.FamilyName != "Kruk" || n.GivenName != "Żaneta" || pe.Value(vcard.FieldTitle) != "Księgowa" ||
			pe.Value(vcard.FieldBirthday) != "19850228" || pe.Value(vcard.FieldOrganization) != "Hurtownia Żuraw; „Łódź”" {
			t.Fatalf("person card = %+v", pe)
		}
		// The whole (filtered) list as one file, on the web and through the API.
		_, body = b.Get("/clients/export.vcf")
		if cards := decodeCards(t, body); len(cards) != 2 {
			t.Fatalf("list export: %d cards", len(cards))
		}
		res, body = s.JSON("GET", "/api/v1/clients/export?format=vcf&status=potential", tok, nil)
		if cards := decodeCards(t, body); res.StatusCode != 200 || len(cards) != 1 || cards[0].Name().FamilyName != "Wiśniewska" {
			t.Fatalf("API vcf export: %d %q", res.StatusCode, body)
		}
		// Another account's client: not found.
		other := s.SignUp("Inna", "Ewa Nowak", "ewa@example.pl", pw)
		if res, _ := other.Get("/clients/" + id + "/card.vcf"); res.StatusCode != 404 {
			t.Fatalf("foreign card = %d", res.StatusCode)
		}
	})
}

func decodeCards(t *testing.T, body string) []vcard.Card {
	t.Helper()
	dec := vcard.NewDecoder(strings.NewReader(body))
	var out []vcard.Card
	for {
		card, err := dec.Decode()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatalf("not vCard: %v\n%s", err, body)
		}
		out = append(out, card)
	}
}
