package app_test

import (
	"bytes"
	"encoding/csv"
	"io"
	"net/http"
	"strings"
	"testing"

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
