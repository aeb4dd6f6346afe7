package service_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"klientela/internal/crm"
	"klientela/internal/password"
	"klientela/internal/service"
	"klientela/internal/store"
	"klientela/internal/store/storetest"
)

func testFile(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "csvfile", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// importEnv is an account whose owner imports.
type importEnv struct {
	svc *service.Service
	st  *store.Store
	ctx context.Context // the owner's
	acc crm.Account
}

func newImportEnv(t testing.TB, st *store.Store) importEnv {
	t.Helper()
	svc, err := service.New(st, service.Options{Password: password.Fast})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	acc, owner, err := svc.CreateAccount(ctx, service.SignUpInput{CompanyName: "Firma", Name: "Jan", Email: "jan@example.pl", Password: "tajne-haslo-123"})
	if err != nil {
		t.Fatal(err)
	}
	return importEnv{svc: svc, st: st, ctx: crm.WithPrincipal(ctx, &crm.Principal{User: owner, Account: acc}), acc: acc}
}

// run imports a file with opts and runs its job to the end.
func (e importEnv) run(t testing.TB, name string, data []byte, opts service.ImportOptions) crm.ClientImport {
	t.Helper()
	im, err := e.svc.CreateClientImport(e.ctx, service.NewClientImport{FileName: name, Data: data, Start: &opts})
	if err != nil {
		t.Fatal(err)
	}
	return e.finish(t, im.ID)
}

func (e importEnv) finish(t testing.TB, id int64) crm.ClientImport {
	t.Helper()
	for {
		ran, err := e.svc.RunNextJob(context.Background(), "test")
		if err != nil {
			t.Fatal(err)
		}
		if !ran {
			break
		}
	}
	im, err := e.svc.ClientImport(e.ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if im.Job == nil || im.Job.State != crm.JobDone || im.Job.Percent() != 100 {
		t.Fatalf("import job = %+v", im.Job)
	}
	return im
}

func (e importEnv) clients(t testing.TB) []crm.Client {
	t.Helper()
	cs, _, err := e.svc.Clients(e.ctx, service.ClientQuery{Limit: 200, Sort: "created"})
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

func TestImportRealWorldFiles(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newImportEnv(t, st)
		if _, err := e.svc.CreateEmployee(e.ctx, service.EmployeeInput{FirstName: "Ala", LastName: "Kot", Email: "ala.kot@example.pl", Active: true}); err != nil {
			t.Fatal(err)
		}

		// LibreOffice: ";" and quotes, a line break in a note, CRLF.
		im, err := e.svc.CreateClientImport(e.ctx, service.NewClientImport{FileName: "libreoffice.csv", Data: testFile(t, "libreoffice.csv")})
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"name", "nip", "street", "postal_code", "city", "emails", "phones", "notes"}
		if im.Encoding != "utf-8" || im.Delimiter != ";" || im.RowCount != 3 || !slices.Equal(im.Mapping, want) {
			t.Fatalf("libreoffice import = %+v", im)
		}
		_, pv, err := e.svc.PreviewClientImport(e.ctx, im.ID)
		if err != nil || pv.Total != 3 || pv.Valid != 3 || pv.Invalid != 0 || len(pv.Rows) != 3 {
			t.Fatalf("preview = %+v, %v", pv, err)
		}
		if _, err := e.svc.StartClientImport(e.ctx, im.ID, service.ImportOptions{}); err != nil {
			t.Fatal(err)
		}
		im = e.finish(t, im.ID)
		if im.Result.Created != 3 || im.FileID != nil {
			t.Fatalf("result = %+v, file %v", im.Result, im.FileID)
		}
		cs := e.clients(t)
		if len(cs) != 3 || cs[0].Name != `Piekarnia "Złoty Kłos" Sp. z o.o.` || cs[0].City != "Łódź" || cs[0].NIP != "8567346215" ||
			cs[0].Notes != "Dostawy we wtorki.\nKlient od 2019." || !slices.Equal(cs[1].Emails, []string{"zamowienia@zolw.pl", "ksiegowosc@zolw.pl"}) {
			t.Fatalf("clients = %+v", cs)
		}

		// Excel in Windows-1250: Polish letters, an opiekun by e-mail and by
		// name, groups (new ones are created).
		im = e.run(t, "excel.csv", testFile(t, "excel-cp1250.csv"), service.ImportOptions{})
		if im.Encoding != "windows-1250" || im.Result.Created != 3 || im.Result.Skipped != 0 {
			t.Fatalf("excel import = %+v", im)
		}
		cs = e.clients(t)
		zolw := cs[3]
		if zolw.Name != "Żółw i Syn" || zolw.City != "Łódź" || zolw.EmployeeID == nil || len(zolw.Groups) != 1 || zolw.Groups[0].Name != "Hurt" {
			t.Fatalf("Żółw = %+v", zolw)
		}
		if cs[4].Name != "Gęślą Jaźń S.A." || len(cs[4].Groups) != 2 || cs[5].EmployeeID == nil || *cs[5].EmployeeID != *zolw.EmployeeID {
			t.Fatalf("cp1250 clients = %+v", cs[4:])
		}

		// UTF-8 with a BOM, ",", English headers, persons: a birthday from
		// the PESEL, a date as Excel writes it.
		im = e.run(t, "bom.csv", testFile(t, "bom-utf8.csv"), service.ImportOptions{})
		if im.Delimiter != "," || im.Result.Created != 2 {
			t.Fatalf("bom import = %+v", im)
		}
		cs = e.clients(t)
		if p := cs[6]; p.Kind != crm.KindPerson || p.Name != "Nowak Jan" || p.Birthday != "1944-05-14" || p.Status != crm.ClientActive {
			t.Fatalf("person = %+v", p)
		}
		if p := cs[7]; p.LastName != "Zielińska" || p.Birthday != "1969-09-05" {
			t.Fatalf("person = %+v", p)
		}
	})
}

func TestImportRefusesWhatIsNotCSV(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newImportEnv(t, st)
		for name, key := range map[string]string{"not-csv.png": "err.import_not_csv", "one-column.txt": "err.import_one_column"} {
			_, err := e.svc.CreateClientImport(e.ctx, service.NewClientImport{FileName: name, Data: testFile(t, name)})
			if ce, ok := crm.AsError(err); !ok || ce.Fields["file"].Key != key {
				t.Errorf("%s: err = %v, want %s at file", name, err, key)
			}
		}
		_, err := e.svc.CreateClientImport(e.ctx, service.NewClientImport{Data: []byte("Nazwa;NIP\r\n")})
		if ce, ok := crm.AsError(err); !ok || ce.Fields["file"].Key != "err.import_no_rows" {
			t.Errorf("header only: err = %v", err)
		}
	})
}

func TestImportPreviewShowsRowErrors(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newImportEnv(t, st)
		im, err := e.svc.CreateClientImport(e.ctx, service.NewClientImport{FileName: "bad.csv", Data: testFile(t, "bad-rows.csv")})
		if err != nil {
			t.Fatal(err)
		}
		_, pv, err := e.svc.PreviewClientImport(e.ctx, im.ID)
		if err != nil {
			t.Fatal(err)
		}
		if pv.Total != 7 || pv.Invalid != 4 || pv.Valid != 3 || pv.Duplicates != 1 {
			t.Fatalf("totals = %+v", pv)
		}
		errs := map[int]map[string]string{}
		for _, r := range pv.Rows {
			for f, m := range r.Errors {
				if errs[r.Line] == nil {
					errs[r.Line] = map[string]string{}
				}
				errs[r.Line][f] = m.Key
			}
		}
		want := map[int]map[string]string{
			3: {"nip": "err.business_nip_checksum"},
			4: {"postal_code": "err.business_postal_invalid"},
			5: {"emails": "err.email_invalid"},
			6: {"name": "err.required"},
		}
		for line, fields := range want {
			for f, key := range fields {
				if errs[line][f] != key {
					t.Errorf("row %d %s = %q, want %q (all: %v)", line, f, errs[line][f], key, errs[line])
				}
			}
		}
		if r := pv.Rows[5]; r.Line != 7 || r.DuplicateLine != 2 {
			t.Errorf("row 7 duplicates row 2 by NIP: %+v", r)
		}

		// errors=abort: nothing is imported, the errors are reported.
		if _, err := e.svc.StartClientImport(e.ctx, im.ID, service.ImportOptions{OnError: crm.ImportAbort}); err != nil {
			t.Fatal(err)
		}
		im = e.finish(t, im.ID)
		if !im.Result.Aborted || im.Result.Created != 0 || len(im.Result.Problems) != 4 || len(e.clients(t)) != 0 {
			t.Fatalf("aborted import = %+v", im.Result)
		}

		// errors=skip: the good rows go in, the rest are listed.
		im = e.run(t, "bad.csv", testFile(t, "bad-rows.csv"), service.ImportOptions{})
		if im.Result.Created != 2 || im.Result.Skipped != 5 || im.Result.Problems[0].Row != 3 {
			t.Fatalf("skipping import = %+v", im.Result)
		}
		if p := im.Result.Problems[len(im.Result.Problems)-1]; p.Row != 7 || p.Key != "import.problem.duplicate_row" {
			t.Fatalf("last problem = %+v", p)
		}
	})
}

func TestImportDuplicatesAndUndo(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newImportEnv(t, st)
		old, err := e.svc.CreateClient(e.ctx, service.ClientInput{Kind: "company", Name: "Żółw Hurt", NIP: "5211355116",
			Emails: []string{"stare@zolw.pl"}, Notes: "Stary klient"})
		if err != nil {
			t.Fatal(err)
		}
		byPhone, err := e.svc.CreateClient(e.ctx, service.ClientInput{Kind: "company", Name: "Kowalczyk", Phones: []string{"+48 61 817 00 00"}})
		if err != nil {
			t.Fatal(err)
		}
		before, _ := e.svc.Client(e.ctx, old.ID)
		beforePhone, _ := e.svc.Client(e.ctx, byPhone.ID)

		// Skip: the duplicates (by NIP, by phone) stay as they were.
		im := e.run(t, "lo.csv", testFile(t, "libreoffice.csv"), service.ImportOptions{})
		if im.Result.Created != 1 || im.Result.Skipped != 2 {
			t.Fatalf("skip = %+v", im.Result)
		}
		if c, _ := e.svc.Client(e.ctx, old.ID); !equalClients(c, before) {
			t.Fatalf("a skipped duplicate changed: %+v", c)
		}
		if err := e.svc.UndoClientImport(e.ctx, im.ID); err != nil {
			t.Fatal(err)
		}
		if n := len(e.clients(t)); n != 2 {
			t.Fatalf("%d clients after undo, want 2", n)
		}

		// Merge: empty fields are filled, e-mails and phones added.
		im = e.run(t, "lo.csv", testFile(t, "libreoffice.csv"), service.ImportOptions{Duplicates: crm.ImportMerge})
		if im.Result.Created != 1 || im.Result.Merged != 2 {
			t.Fatalf("merge = %+v", im.Result)
		}
		c, _ := e.svc.Client(e.ctx, old.ID)
		if c.Name != "Żółw Hurt" || c.City != "Warszawa" || c.Street != "ul. Długa 5/7" || c.Notes != "Stary klient" ||
			!slices.Equal(c.Emails, []string{"stare@zolw.pl", "zamowienia@zolw.pl", "ksiegowosc@zolw.pl"}) ||
			!slices.Equal(c.Phones, []string{"601 234 567"}) {
			t.Fatalf("merged client = %+v", c)
		}
		if c, _ := e.svc.Client(e.ctx, byPhone.ID); c.City != "Swarzędz" || c.Notes != "Stały klient; rabat 5%" {
			t.Fatalf("merged by phone = %+v", c)
		}

		// Undo restores exactly: the created client is gone, the merged ones
		// are as they were, to the last field.
		if err := e.svc.UndoClientImport(e.ctx, im.ID); err != nil {
			t.Fatal(err)
		}
		if c, _ := e.svc.Client(e.ctx, old.ID); !equalClients(c, before) {
			t.Fatalf("after undo:\n%+v\nwant\n%+v", c, before)
		}
		if c, _ := e.svc.Client(e.ctx, byPhone.ID); !equalClients(c, beforePhone) {
			t.Fatalf("after undo:\n%+v\nwant\n%+v", c, beforePhone)
		}
		if n := len(e.clients(t)); n != 2 {
			t.Fatalf("%d clients after undo, want 2", n)
		}
		if err := e.svc.UndoClientImport(e.ctx, im.ID); crm.ErrorCode(err) != crm.CodeConflict {
			t.Fatalf("second undo: %v, want conflict", err)
		}
	})
}

func equalClients(a, b crm.Client) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return string(ja) == string(jb)
}

func TestImportMappingIsRemembered(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newImportEnv(t, st)
		data := []byte("Firma;Numer;Uwagi\r\nAlfa;5840154038;x\r\n")
		im, err := e.svc.CreateClientImport(e.ctx, service.NewClientImport{Data: data})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(im.Mapping, []string{"name", "", "notes"}) {
			t.Fatalf("guessed = %q", im.Mapping)
		}
		if _, err := e.svc.SetClientImportMapping(e.ctx, im.ID, []string{"name", "nip", "name"}); err == nil {
			t.Fatal("a field mapped twice was accepted")
		}
		if _, err := e.svc.SetClientImportMapping(e.ctx, im.ID, []string{"name", "nip", ""}); err != nil {
			t.Fatal(err)
		}
		again, err := e.svc.CreateClientImport(e.ctx, service.NewClientImport{Data: []byte("FIRMA;numer;uwagi\nBeta;;\n")})
		if err != nil || !slices.Equal(again.Mapping, []string{"name", "nip", ""}) {
			t.Fatalf("remembered = %q, %v", again.Mapping, err)
		}
	})
}

// Uploads never imported are removed by the janitor after a day.
func TestImportUploadsExpire(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		now := time.Now()
		svc := newService(t, st, service.Options{Now: func() time.Time { return now }})
		ctx := context.Background()
		acc, owner, err := svc.CreateAccount(ctx, service.SignUpInput{CompanyName: "Firma", Name: "Jan", Email: "jan@example.pl", Password: "tajne-haslo-123"})
		if err != nil {
			t.Fatal(err)
		}
		pctx := crm.WithPrincipal(ctx, &crm.Principal{User: owner, Account: acc})
		im, err := svc.CreateClientImport(pctx, service.NewClientImport{Data: testFile(t, "libreoffice.csv")})
		if err != nil {
			t.Fatal(err)
		}
		now = now.Add(25 * time.Hour)
		if err := svc.Cleanup(ctx); err != nil {
			t.Fatal(err)
		}
		if _, _, err := svc.PreviewClientImport(pctx, im.ID); crm.ErrorCode(err) != crm.CodeInvalid {
			t.Fatalf("preview of an expired upload: %v", err)
		}
		if _, err := svc.StartClientImport(pctx, im.ID, service.ImportOptions{}); crm.ErrorCode(err) != crm.CodeInvalid {
			t.Fatalf("start of an expired upload: %v", err)
		}
	})
}
