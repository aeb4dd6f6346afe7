package service

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"klientela/internal/authz"
	"klientela/internal/crm"
	"klientela/internal/csvfile"
	"klientela/internal/search"
	"klientela/internal/store"
)

// Limits of client imports.
const (
	JobClientImport   = "client_import" // the job kind that runs an import
	MaxImportSize     = 100 << 20       // bytes of one uploaded file
	ImportPreviewRows = 20              // rows the preview shows
	importFileTTL     = 24 * time.Hour  // an upload not imported by then is removed
	importBatch       = 500             // rows per transaction
	maxImportColumns  = 200
	maxImportProblems = 1000 // skipped rows listed in a result; the rest are counted
)

// ImportFields are the client fields a column can be imported into, in the
// order the mapping form offers them. "groups" takes group names (new
// groups are created), "employee" an employee's e-mail or name.
var ImportFields = []string{"kind", "name", "first_name", "last_name", "short_name", "nip", "regon", "pesel", "emails",
	"phones", "website", "street", "postal_code", "city", "country", "birthday", "status", "notes", "groups", "employee"}

// multiColumn fields may take several columns: their values add up.
var multiColumn = map[string]bool{"emails": true, "phones": true, "notes": true, "groups": true}

// ImportOptions are the user's choices for an import.
type ImportOptions struct {
	Duplicates string // crm.ImportSkip (default) or crm.ImportMerge
	OnError    string // crm.ImportSkip (default) or crm.ImportAbort
}

func (o *ImportOptions) check(v *crm.Validation) {
	if o.Duplicates == "" {
		o.Duplicates = crm.ImportSkip
	}
	if o.OnError == "" {
		o.OnError = crm.ImportSkip
	}
	if o.Duplicates != crm.ImportSkip && o.Duplicates != crm.ImportMerge {
		v.Add("duplicates", "err.import_option_invalid")
	}
	if o.OnError != crm.ImportSkip && o.OnError != crm.ImportAbort {
		v.Add("errors", "err.import_option_invalid")
	}
}

// importHeaderKey identifies a header set, whatever the letter case,
// diacritics or spacing of its names.
func importHeaderKey(header []string) string {
	folded := make([]string, len(header))
	for i, h := range header {
		folded[i] = foldHeader(h)
	}
	sum := sha256.Sum256([]byte(strings.Join(folded, "\x1f")))
	return hex.EncodeToString(sum[:16])
}

// foldHeader reduces a column name to its letters and digits, folded:
// "E-mail" and "email", "Kod pocztowy" and "KOD_POCZTOWY" are one name.
func foldHeader(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return r
		}
		return -1
	}, search.Fold(s))
}

// headerAliases are the column names, Polish and English, that Guess
// recognises, folded.
var headerAliases = map[string][]string{
	"kind":        {"rodzaj", "rodzajklienta", "typ", "typklienta", "kind", "type"},
	"name":        {"nazwa", "nazwafirmy", "firma", "nazwaklienta", "klient", "kontrahent", "pelnanazwa", "name", "company", "companyname", "organization", "organisation", "account", "accountname"},
	"first_name":  {"imie", "firstname", "givenname"},
	"last_name":   {"nazwisko", "lastname", "surname", "familyname"},
	"short_name":  {"nazwaskrocona", "skrot", "nazwakrotka", "shortname", "alias"},
	"nip":         {"nip", "nipue", "nipvat", "vatid", "taxid", "vat", "vatnumber", "taxnumber"},
	"regon":       {"regon"},
	"pesel":       {"pesel"},
	"emails":      {"email", "emaile", "mail", "adresemail", "poczta", "emails", "emailaddress"},
	"phones":      {"telefon", "telefony", "tel", "nrtelefonu", "numertelefonu", "komorka", "telefonkomorkowy", "phone", "phones", "mobile", "phonenumber"},
	"website":     {"www", "strona", "stronawww", "stronainternetowa", "website", "url", "web"},
	"street":      {"ulica", "ulicainumer", "adres", "street", "address", "streetaddress"},
	"postal_code": {"kodpocztowy", "kod", "postalcode", "zip", "zipcode", "postcode"},
	"city":        {"miasto", "miejscowosc", "city", "town"},
	"country":     {"kraj", "country", "countrycode"},
	"birthday":    {"dataurodzenia", "urodziny", "birthday", "birthdate", "dateofbirth"},
	"status":      {"status", "statusklienta"},
	"notes":       {"notatki", "notatka", "uwagi", "opis", "komentarz", "notes", "note", "comments", "description"},
	"groups":      {"grupa", "grupy", "kategoria", "tagi", "group", "groups", "tags", "category"},
	"employee":    {"opiekun", "opiekunklienta", "handlowiec", "przedstawiciel", "owner", "accountmanager", "assignedto", "salesperson"},
}

var headerField = func() map[string]string {
	m := map[string]string{}
	for f, names := range headerAliases {
		for _, n := range names {
			m[n] = f
		}
	}
	return m
}()

// GuessImportMapping maps the columns of header onto client fields by their
// names; a column it does not recognise, or a second column for a field
// that takes one, is skipped ("").
func GuessImportMapping(header []string) []string {
	out := make([]string, len(header))
	used := map[string]bool{}
	for i, h := range header {
		f := headerField[foldHeader(h)]
		if f == "" || (used[f] && !multiColumn[f]) {
			continue
		}
		out[i], used[f] = f, true
	}
	return out
}

// checkMapping fits a mapping to the header's width and checks its fields.
func checkMapping(v *crm.Validation, mapping []string, width int) []string {
	out := make([]string, width)
	copy(out, mapping)
	used := map[string]bool{}
	any := false
	for i, f := range out {
		f = strings.TrimSpace(f)
		out[i] = f
		switch {
		case f == "":
			continue
		case !slices.Contains(ImportFields, f):
			v.Add("col"+strconv.Itoa(i), "err.import_field_unknown")
		case used[f] && !multiColumn[f]:
			v.Add("col"+strconv.Itoa(i), "err.import_field_twice")
		}
		used[f], any = true, true
	}
	if !any {
		v.Add("mapping", "err.import_mapping_empty")
	}
	return out
}

// sniffedFile is an upload read far enough to know its shape.
type sniffedFile struct {
	format csvfile.Format
	header []string
	rows   int
}

// sniffImport reads an upload: its format, header and number of rows;
// anything that is not a CSV table is a message at the field "file".
func sniffImport(data []byte) (sniffedFile, error) {
	var v crm.Validation
	if len(data) > MaxImportSize {
		v.Add("file", "err.import_too_large", "max", MaxImportSize>>20)
		return sniffedFile{}, v.Err()
	}
	f, err := csvfile.Sniff(data)
	switch {
	case errors.Is(err, csvfile.ErrEmpty):
		v.Add("file", "err.import_empty")
	case errors.Is(err, csvfile.ErrBinary):
		v.Add("file", "err.import_not_csv")
	case errors.Is(err, csvfile.ErrOneColumn):
		v.Add("file", "err.import_one_column")
	case err != nil:
		v.Add("file", "err.import_not_csv")
	}
	if err != nil {
		return sniffedFile{}, v.Err()
	}
	sf := sniffedFile{format: f}
	r := csvfile.NewReader(data, f)
	header, _, err := r.Read()
	if err != nil {
		v.Add("file", "err.import_not_csv")
		return sniffedFile{}, v.Err()
	}
	if len(header) > maxImportColumns {
		v.Add("file", "err.import_too_many_columns", "max", maxImportColumns)
		return sniffedFile{}, v.Err()
	}
	for i, h := range header {
		header[i] = cleanText(h)
	}
	sf.header = header
	for {
		if _, _, err := r.Read(); err != nil {
			if !errors.Is(err, io.EOF) {
				v.Add("file", "err.import_not_csv")
				return sniffedFile{}, v.Err()
			}
			break
		}
		sf.rows++
	}
	if sf.rows == 0 {
		v.Add("file", "err.import_no_rows")
		return sniffedFile{}, v.Err()
	}
	return sf, nil
}

func delimiterName(r rune) string {
	if r == '\t' {
		return "\t"
	}
	return string(r)
}

// NewClientImport is an upload to import: the file, and optionally the
// mapping (column index or header name → field) and, to start at once,
// the options.
type NewClientImport struct {
	FileName string
	Data     []byte
	Mapping  map[string]string // nil: the remembered or guessed mapping
	Start    *ImportOptions    // nil: wait for the user to map and preview
}

// CreateClientImport stores an uploaded CSV file for import (clients edit
// access). Without a mapping, the one the account chose for the same
// columns before, or else one guessed from the column names, is proposed.
// With Start it queues the import job at once (the API does).
func (s *Service) CreateClientImport(ctx context.Context, in NewClientImport) (crm.ClientImport, error) {
	p, t, sc, err := s.clientActor(ctx, authz.Edit)
	if err != nil {
		return crm.ClientImport{}, err
	}
	if sc.own && sc.employee == 0 {
		var v crm.Validation
		v.Add("file", "err.own_without_employee")
		return crm.ClientImport{}, v.Err()
	}
	sf, err := sniffImport(in.Data)
	if err != nil {
		return crm.ClientImport{}, err
	}
	now := s.now()
	im := crm.ClientImport{AccountID: t.AccountID(), UserID: p.User.ID, FileName: cleanText(in.FileName),
		FileSize: int64(len(in.Data)), Encoding: sf.format.Encoding, Delimiter: delimiterName(sf.format.Comma),
		Header: sf.header, RowCount: sf.rows, Duplicates: crm.ImportSkip, OnError: crm.ImportSkip, CreatedAt: now, UpdatedAt: now}
	if len([]rune(im.FileName)) > maxClientText {
		im.FileName = string([]rune(im.FileName)[:maxClientText])
	}
	var v crm.Validation
	if in.Mapping != nil {
		im.Mapping = checkMapping(&v, mappingFrom(&v, in.Mapping, sf.header), len(sf.header))
	} else {
		remembered, err := t.ImportMapping(ctx, importHeaderKey(sf.header))
		if err != nil {
			return crm.ClientImport{}, err
		}
		if len(remembered) == len(sf.header) {
			im.Mapping = remembered
		} else {
			im.Mapping = GuessImportMapping(sf.header)
		}
		if in.Start != nil {
			checkMapping(&v, im.Mapping, len(sf.header))
		}
	}
	if in.Start != nil {
		in.Start.check(&v)
		im.Duplicates, im.OnError = in.Start.Duplicates, in.Start.OnError
	}
	if err := v.Err(); err != nil {
		return crm.ClientImport{}, err
	}
	err = t.InTx(ctx, func(t *store.Tenant) error {
		fileID, err := t.CreateImportFile(ctx, in.Data, now)
		if err != nil {
			return err
		}
		im.FileID = &fileID
		if im.ID, err = t.CreateClientImport(ctx, im); err != nil {
			return err
		}
		if in.Mapping != nil {
			if err := t.SaveImportMapping(ctx, importHeaderKey(im.Header), im.Mapping, now); err != nil {
				return err
			}
		}
		if in.Start != nil {
			return s.queueImport(ctx, t, p, &im, now)
		}
		return nil
	})
	if err != nil {
		return crm.ClientImport{}, err
	}
	if in.Start != nil {
		s.wakeRunners()
	}
	return loadImport(ctx, t, p, sc, im.ID)
}

// mappingFrom reads an API mapping: keys are column indexes ("0", "1", …)
// or header names, values are fields ("" or "skip" to skip).
func mappingFrom(v *crm.Validation, in map[string]string, header []string) []string {
	out := make([]string, len(header))
	for k, f := range in {
		if f == "skip" {
			f = ""
		}
		i, err := strconv.Atoi(k)
		if err != nil || i < 0 || i >= len(header) {
			i = slices.IndexFunc(header, func(h string) bool { return foldHeader(h) == foldHeader(k) })
		}
		if i < 0 {
			v.Add("mapping", "err.import_column_unknown", "column", k)
			continue
		}
		out[i] = f
	}
	return out
}

// loadImport reads an import the user may see: a user limited to their own
// clients sees the imports they started.
func loadImport(ctx context.Context, t *store.Tenant, p *crm.Principal, sc clientScope, id int64) (crm.ClientImport, error) {
	im, err := t.ClientImport(ctx, id)
	if err != nil {
		return crm.ClientImport{}, err
	}
	if sc.own && im.UserID != p.User.ID {
		return crm.ClientImport{}, crm.NotFound()
	}
	if im.JobID != nil {
		j, err := t.Job(ctx, *im.JobID)
		if err != nil {
			return crm.ClientImport{}, err
		}
		if j.State.Finished() {
			// The two reads are separate statements: the job may have
			// finished between them. Its result was saved in the import
			// before the job was marked finished, so read the import again
			// rather than show a finished job with a result of before.
			if im, err = t.ClientImport(ctx, id); err != nil {
				return crm.ClientImport{}, err
			}
		}
		im.Job = &j
	}
	return im, nil
}

// ClientImport returns an import with its job (clients edit access).
func (s *Service) ClientImport(ctx context.Context, id int64) (crm.ClientImport, error) {
	p, t, sc, err := s.clientActor(ctx, authz.Edit)
	if err != nil {
		return crm.ClientImport{}, err
	}
	return loadImport(ctx, t, p, sc, id)
}

// SetClientImportMapping saves how the columns of an import not yet
// started map to client fields, and remembers it for files with the same
// columns.
func (s *Service) SetClientImportMapping(ctx context.Context, id int64, mapping []string) (crm.ClientImport, error) {
	p, t, sc, err := s.clientActor(ctx, authz.Edit)
	if err != nil {
		return crm.ClientImport{}, err
	}
	now := s.now()
	err = t.InTx(ctx, func(t *store.Tenant) error {
		im, err := loadImport(ctx, t, p, sc, id)
		if err != nil {
			return err
		}
		if im.Started() {
			return &crm.Error{Code: crm.CodeConflict, Key: "err.import_started"}
		}
		var v crm.Validation
		im.Mapping = checkMapping(&v, mapping, len(im.Header))
		if err := v.Err(); err != nil {
			return err
		}
		im.UpdatedAt = now
		if err := t.UpdateClientImport(ctx, im); err != nil {
			return err
		}
		return t.SaveImportMapping(ctx, importHeaderKey(im.Header), im.Mapping, now)
	})
	if err != nil {
		return crm.ClientImport{}, err
	}
	return loadImport(ctx, t, p, sc, id)
}

// StartClientImport queues the job that imports the file with the user's
// choices; the page or API client polls the import for its progress.
func (s *Service) StartClientImport(ctx context.Context, id int64, o ImportOptions) (crm.ClientImport, error) {
	p, t, sc, err := s.clientActor(ctx, authz.Edit)
	if err != nil {
		return crm.ClientImport{}, err
	}
	var v crm.Validation
	o.check(&v)
	if err := v.Err(); err != nil {
		return crm.ClientImport{}, err
	}
	now := s.now()
	err = t.InTx(ctx, func(t *store.Tenant) error {
		if err := t.LockAccount(ctx); err != nil { // two clicks on "Importuj" queue one job
			return err
		}
		im, err := loadImport(ctx, t, p, sc, id)
		if err != nil {
			return err
		}
		if im.Started() {
			return &crm.Error{Code: crm.CodeConflict, Key: "err.import_started"}
		}
		if im.FileID == nil {
			return &crm.Error{Code: crm.CodeInvalid, Key: "err.import_file_gone"}
		}
		checkMapping(&v, im.Mapping, len(im.Header))
		if err := v.Err(); err != nil {
			return err
		}
		im.Duplicates, im.OnError = o.Duplicates, o.OnError
		return s.queueImport(ctx, t, p, &im, now)
	})
	if err != nil {
		return crm.ClientImport{}, err
	}
	s.wakeRunners()
	return loadImport(ctx, t, p, sc, id)
}

func (s *Service) queueImport(ctx context.Context, t *store.Tenant, p *crm.Principal, im *crm.ClientImport, now time.Time) error {
	payload, _ := json.Marshal(importPayload{ImportID: im.ID})
	uid := p.User.ID
	jobID, err := t.CreateJob(ctx, crm.Job{Kind: JobClientImport, Total: im.RowCount, Payload: payload, UserID: &uid,
		RunAt: now, CreatedAt: now})
	if err != nil {
		return err
	}
	im.JobID, im.UpdatedAt = &jobID, now
	return t.UpdateClientImport(ctx, *im)
}

type importPayload struct {
	ImportID int64 `json:"import_id"`
}

// ImportPreview is how the rows of a file will be saved: the first rows in
// full, and totals over the whole file.
type ImportPreview struct {
	Samples    [][]string // the first rows as they are in the file
	Rows       []ImportRow
	Total      int // data rows
	Valid      int // rows that will be imported (duplicates included)
	Invalid    int // rows with errors
	Duplicates int // valid rows that duplicate a client or an earlier row
}

// ImportRow is one row of a file as it will be saved.
type ImportRow struct {
	Line          int        // the row's number in the file (the header is 1)
	Client        crm.Client // as it will be saved when new
	Errors        map[string]crm.Msg
	DuplicateOf   int64 // the existing client it duplicates
	DuplicateLine int   // the earlier row of the file it duplicates
}

// Duplicate reports whether the row duplicates a client or an earlier row.
func (r ImportRow) Duplicate() bool { return r.DuplicateOf != 0 || r.DuplicateLine != 0 }

// PreviewClientImport checks every row of an import not yet started with
// the client form's validation and finds duplicates, without saving
// anything.
func (s *Service) PreviewClientImport(ctx context.Context, id int64) (crm.ClientImport, ImportPreview, error) {
	p, t, sc, err := s.clientActor(ctx, authz.Edit)
	if err != nil {
		return crm.ClientImport{}, ImportPreview{}, err
	}
	im, err := loadImport(ctx, t, p, sc, id)
	if err != nil {
		return im, ImportPreview{}, err
	}
	if im.FileID == nil {
		return im, ImportPreview{}, &crm.Error{Code: crm.CodeInvalid, Key: "err.import_file_gone"}
	}
	data, err := t.ImportFile(ctx, *im.FileID)
	if err != nil {
		return im, ImportPreview{}, err
	}
	imp, err := s.newImporter(ctx, p, t, sc, im)
	if err != nil {
		return im, ImportPreview{}, err
	}
	var pv ImportPreview
	err = eachImportRow(data, im, 0, func(rec []string, line int) error {
		row, err := imp.plan(ctx, t, rec, line)
		if err != nil {
			return err
		}
		pv.Total++
		switch {
		case len(row.Errors) > 0:
			pv.Invalid++
		case row.Duplicate():
			pv.Valid++
			pv.Duplicates++
		default:
			pv.Valid++
			imp.remember(row.Client, 0, line)
		}
		if len(pv.Rows) < ImportPreviewRows {
			pv.Rows = append(pv.Rows, row)
		}
		if len(pv.Samples) < 3 {
			pv.Samples = append(pv.Samples, rec)
		}
		return nil
	})
	return im, pv, err
}

// eachImportRow calls fn for the data rows of an import's file after the
// first skip of them.
func eachImportRow(data []byte, im crm.ClientImport, skip int, fn func(rec []string, line int) error) error {
	comma := ';'
	if r := []rune(im.Delimiter); len(r) == 1 {
		comma = r[0]
	}
	r := csvfile.NewReader(data, csvfile.Format{Encoding: im.Encoding, Comma: comma})
	if _, _, err := r.Read(); err != nil { // the header
		return err
	}
	for n := 0; ; n++ {
		rec, line, err := r.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if n < skip {
			continue
		}
		if err := fn(rec, line); err != nil {
			return err
		}
	}
}

// importer turns the rows of one import into clients.
type importer struct {
	s         *Service
	p         *crm.Principal
	sc        clientScope
	im        crm.ClientImport
	employees map[string]int64           // folded e-mail or name → active employee
	groups    map[string]crm.ClientGroup // folded name → group (ID 0: not created yet)
	seen      map[string]int64           // duplicate key → client (existing or imported)
	seenLine  map[string]int             // duplicate key → earlier row of the file (preview)

	// The batch being saved: new clients wait in pending and go in
	// together (multi-row inserts); changes are what undo will need.
	pending     []crm.Client
	pendingLine []int
	pendingKeys map[string]int // duplicate key → row of a pending client
	changes     []crm.ImportChange
}

func (s *Service) newImporter(ctx context.Context, p *crm.Principal, t *store.Tenant, sc clientScope, im crm.ClientImport) (*importer, error) {
	imp := &importer{s: s, p: p, sc: sc, im: im, employees: map[string]int64{}, groups: map[string]crm.ClientGroup{},
		seen: map[string]int64{}, seenLine: map[string]int{}, pendingKeys: map[string]int{}}
	active := true
	es, _, err := t.Employees(ctx, store.EmployeeFilter{Active: &active, Limit: 100000})
	if err != nil {
		return nil, err
	}
	for _, e := range es {
		for _, k := range []string{e.Email, e.FullName(), e.LastName + " " + e.FirstName} {
			if k = search.Fold(k); k != "" {
				if _, dup := imp.employees[k]; !dup {
					imp.employees[k] = e.ID
				}
			}
		}
	}
	gs, err := t.ClientGroups(ctx, false, 0)
	if err != nil {
		return nil, err
	}
	for _, g := range gs {
		imp.groups[search.Fold(g.Name)] = g
	}
	keys, err := t.ClientKeys(ctx, sc.own, sc.employee)
	if err != nil {
		return nil, err
	}
	for _, k := range keys {
		for _, dk := range duplicateKeys(k.NIP, k.Emails, k.Phones) {
			if _, dup := imp.seen[dk]; !dup {
				imp.seen[dk] = k.ID
			}
		}
	}
	return imp, nil
}

// duplicateKeys are what makes two clients the same: the NIP, any e-mail,
// any phone number (its last nine digits: "+48 601 234 567" is "601234567").
func duplicateKeys(nip string, emails, phones []string) []string {
	var out []string
	if nip != "" {
		out = append(out, "nip:"+nip)
	}
	for _, e := range emails {
		if e = NormalizeEmail(e); e != "" {
			out = append(out, "email:"+e)
		}
	}
	for _, p := range phones {
		digits := strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return r
			}
			return -1
		}, p)
		if len(digits) >= 7 {
			out = append(out, "phone:"+digits[max(0, len(digits)-9):])
		}
	}
	return out
}

// remember marks the keys of a client that will exist after this row: in
// the job the client's id, in the preview the row's line.
func (imp *importer) remember(c crm.Client, id int64, line int) {
	for _, k := range duplicateKeys(c.NIP, c.Emails, c.Phones) {
		if id != 0 {
			if _, dup := imp.seen[k]; !dup {
				imp.seen[k] = id
			}
		} else if _, dup := imp.seenLine[k]; !dup {
			imp.seenLine[k] = line
		}
	}
}

// plan reads one row into a client, validates it as the client form
// would, and finds whether it duplicates a client or an earlier row.
func (imp *importer) plan(ctx context.Context, t *store.Tenant, rec []string, line int) (ImportRow, error) {
	row := ImportRow{Line: line}
	in, groupNames, employee := importInput(rec, imp.im.Mapping)
	var extra crm.Validation
	if employee != "" && !imp.sc.own {
		id, ok := imp.employees[search.Fold(employee)]
		if ok {
			in.EmployeeID = &id
		} else {
			extra.Add("employee_id", "err.import_employee_unknown", "name", employee)
		}
	}
	now := imp.s.now()
	c := crm.Client{AccountID: t.AccountID(), CreatedAt: now, UpdatedAt: now}
	err := imp.s.clientFrom(ctx, t, imp.sc, in, &c)
	var fields map[string]crm.Msg
	if e, ok := crm.AsError(err); ok && e.Code == crm.CodeInvalid {
		fields = e.Fields
	} else if err != nil {
		return row, err
	}
	for _, name := range groupNames {
		var g crm.ClientGroup
		if gerr := groupFrom(ClientGroupInput{Name: name}, &g); gerr != nil {
			extra.Add("group_ids", "err.import_group_invalid", "name", name)
			continue
		}
		if known, ok := imp.groups[search.Fold(g.Name)]; ok {
			g = known
		}
		if !slices.ContainsFunc(c.Groups, func(x crm.ClientGroup) bool { return strings.EqualFold(x.Name, g.Name) }) {
			c.Groups = append(c.Groups, g)
		}
	}
	sortGroups(c.Groups)
	if e, ok := crm.AsError(extra.Err()); ok {
		if fields == nil {
			fields = map[string]crm.Msg{}
		}
		for f, m := range e.Fields {
			if _, has := fields[f]; !has {
				fields[f] = m
			}
		}
	}
	row.Client, row.Errors = c, fields
	if len(fields) > 0 {
		return row, nil
	}
	for _, k := range duplicateKeys(c.NIP, c.Emails, c.Phones) {
		if id, ok := imp.seen[k]; ok {
			row.DuplicateOf = id
			break
		}
		if l, ok := imp.seenLine[k]; ok && row.DuplicateLine == 0 {
			row.DuplicateLine = l
		}
	}
	return row, nil
}

// importInput turns a row into the client form's input, the group names
// and the employee reference, by the mapping.
func importInput(rec []string, mapping []string) (in ClientInput, groups []string, employee string) {
	var notes []string
	set := func(dst *string, v string) {
		if *dst == "" {
			*dst = v
		}
	}
	for i, f := range mapping {
		if f == "" || i >= len(rec) {
			continue
		}
		raw := rec[i]
		v := cleanText(raw)
		if v == "" && f != "notes" {
			continue
		}
		switch f {
		case "kind":
			set(&in.Kind, importKind(v))
		case "name":
			set(&in.Name, v)
		case "first_name":
			set(&in.FirstName, v)
		case "last_name":
			set(&in.LastName, v)
		case "short_name":
			set(&in.ShortName, v)
		case "nip":
			set(&in.NIP, v)
		case "regon":
			set(&in.REGON, v)
		case "pesel":
			set(&in.PESEL, v)
		case "emails":
			in.Emails = append(in.Emails, strings.FieldsFunc(v, func(r rune) bool {
				return r == ',' || r == ';' || unicode.IsSpace(r)
			})...)
		case "phones":
			in.Phones = append(in.Phones, strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ';' })...)
		case "website":
			set(&in.Website, v)
		case "street":
			set(&in.Street, v)
		case "postal_code":
			set(&in.PostalCode, v)
		case "city":
			set(&in.City, v)
		case "country":
			set(&in.Country, importCountry(v))
		case "birthday":
			set(&in.Birthday, importDate(v))
		case "status":
			set(&in.Status, importStatus(v))
		case "notes":
			if n := cleanMultiline(raw); n != "" {
				notes = append(notes, n)
			}
		case "groups":
			for _, g := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ';' || r == '|' }) {
				if g = strings.TrimSpace(g); g != "" {
					groups = append(groups, g)
				}
			}
		case "employee":
			set(&employee, v)
		}
	}
	in.Notes = strings.Join(notes, "\n")
	if in.Kind == "" {
		in.Kind = string(crm.KindCompany)
		if in.Name == "" && (in.FirstName != "" || in.LastName != "") {
			in.Kind = string(crm.KindPerson)
		}
	}
	return in, groups, employee
}

// importKind reads the kind of a client as spreadsheets say it.
func importKind(v string) string {
	switch foldHeader(v) {
	case "firma", "company", "f", "c", "przedsiebiorstwo", "spolka", "business", "organizacja":
		return string(crm.KindCompany)
	case "osoba", "person", "p", "o", "osobaprywatna", "osobafizyczna", "private", "individual", "klientindywidualny":
		return string(crm.KindPerson)
	}
	return v
}

// importStatus reads a client status in Polish or English.
func importStatus(v string) string {
	switch foldHeader(v) {
	case "aktywny", "aktywna", "aktywne", "active", "tak":
		return string(crm.ClientActive)
	case "potencjalny", "potencjalna", "potential", "prospect", "lead":
		return string(crm.ClientPotential)
	case "nieaktywny", "nieaktywna", "inactive", "byly", "nie":
		return string(crm.ClientInactive)
	}
	return v
}

// importCountry reads a country name or code ("Polska" is PL).
func importCountry(v string) string {
	switch foldHeader(v) {
	case "polska", "poland", "pl", "rp":
		return "PL"
	case "niemcy", "germany", "deutschland":
		return "DE"
	case "czechy", "czechrepublic", "czechia":
		return "CZ"
	case "slowacja", "slovakia":
		return "SK"
	case "ukraina", "ukraine":
		return "UA"
	case "litwa", "lithuania":
		return "LT"
	}
	return v
}

// importDate reads the dates spreadsheets write: "1969-09-05",
// "05.09.1969", "5/9/1969", "1969-09-05 00:00:00"; anything else is kept for
// the validation to refuse.
func importDate(v string) string {
	if len(v) >= 10 {
		if _, err := time.Parse(time.DateOnly, v[:10]); err == nil && (len(v) == 10 || v[10] == ' ' || v[10] == 'T') {
			return v[:10]
		}
	}
	for _, layout := range []string{"02.01.2006", "2.1.2006", "02-01-2006", "02/01/2006", "2/1/2006", "2006.01.02", "2006/01/02"} {
		if d, err := time.Parse(layout, v); err == nil {
			return d.Format(time.DateOnly)
		}
	}
	return v
}

// runClientImport is the job that imports a file: rows are validated one
// by one like the client form, and saved in batches, each batch in one
// transaction together with the import's progress, so that a job taken
// over after a crash resumes after the last saved batch.
func (s *Service) runClientImport(ctx context.Context, run *JobRun) (any, error) {
	var payload importPayload
	if err := json.Unmarshal(run.Job.Payload, &payload); err != nil {
		return nil, &crm.Error{Code: crm.CodeInvalid, Key: "err.internal", Err: err}
	}
	ctx, err := s.jobPrincipal(ctx, run.Job)
	if err != nil {
		return nil, err
	}
	p, t, sc, err := s.clientActor(ctx, authz.Edit)
	if err != nil {
		return nil, err
	}
	im, err := t.ClientImport(ctx, payload.ImportID)
	if err != nil {
		return nil, err
	}
	if im.RowsDone >= im.RowCount && im.FileID == nil {
		return im.Result, nil // finished before the runner could say so
	}
	if im.FileID == nil {
		return nil, &crm.Error{Code: crm.CodeInvalid, Key: "err.import_file_gone"}
	}
	data, err := t.ImportFile(ctx, *im.FileID)
	if err != nil {
		return nil, err
	}
	imp, err := s.newImporter(ctx, p, t, sc, im)
	if err != nil {
		return nil, err
	}
	if im.RowsDone == 0 && im.OnError == crm.ImportAbort {
		// Validate everything first: one bad row and nothing is imported.
		var res crm.ImportResult
		err := eachImportRow(data, im, 0, func(rec []string, line int) error {
			row, err := imp.plan(ctx, t, rec, line)
			if err == nil && len(row.Errors) > 0 {
				res.Skipped++
				addProblems(&res, row)
			}
			return err
		})
		if err != nil {
			return nil, err
		}
		if res.Skipped > 0 {
			res.Aborted = true
			return res, s.finishImport(ctx, t, run, im, res)
		}
	}

	var batch []importRec
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		err := t.InTx(ctx, func(t *store.Tenant) error {
			next := im
			imp.changes = imp.changes[:0]
			for _, r := range batch {
				if err := imp.apply(ctx, t, &next.Result, r); err != nil {
					return err
				}
			}
			if err := imp.createPending(ctx, t, &next.Result); err != nil {
				return err
			}
			if err := t.AddImportChanges(ctx, im.ID, imp.changes); err != nil {
				return err
			}
			next.RowsDone += len(batch)
			next.UpdatedAt = s.now()
			if err := t.UpdateClientImport(ctx, next); err != nil {
				return err
			}
			if err := run.Progress(ctx, t, next.RowsDone, next.RowCount); err != nil {
				return err
			}
			im = next
			return nil
		})
		batch = batch[:0]
		return err
	}
	err = eachImportRow(data, im, im.RowsDone, func(rec []string, line int) error {
		batch = append(batch, importRec{rec: rec, line: line})
		if len(batch) >= importBatch {
			return flush()
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	if err != nil {
		return nil, err
	}
	return im.Result, s.finishImport(ctx, t, run, im, im.Result)
}

type importRec struct {
	rec  []string
	line int
}

// finishImport saves the result and removes the uploaded bytes.
func (s *Service) finishImport(ctx context.Context, t *store.Tenant, run *JobRun, im crm.ClientImport, res crm.ImportResult) error {
	return t.InTx(ctx, func(t *store.Tenant) error {
		im.Result, im.RowsDone, im.UpdatedAt = res, im.RowCount, s.now()
		if err := t.UpdateClientImport(ctx, im); err != nil {
			return err
		}
		if im.FileID != nil {
			if err := t.DeleteImportFile(ctx, *im.FileID); err != nil {
				return err
			}
		}
		return run.Progress(ctx, t, im.RowCount, im.RowCount)
	})
}

func addProblems(res *crm.ImportResult, row ImportRow) {
	fields := make([]string, 0, len(row.Errors))
	for f := range row.Errors {
		fields = append(fields, f)
	}
	slices.Sort(fields)
	for _, f := range fields {
		if len(res.Problems) >= maxImportProblems {
			res.MoreProblems++
			continue
		}
		m := row.Errors[f]
		res.Problems = append(res.Problems, crm.ImportProblem{Row: row.Line, Field: f, Key: m.Key, Args: m.Args})
	}
}

func addProblem(res *crm.ImportResult, p crm.ImportProblem) {
	if len(res.Problems) >= maxImportProblems {
		res.MoreProblems++
		return
	}
	res.Problems = append(res.Problems, p)
}

// apply saves one row: a new client (pending until the batch ends), a
// merge into the client it duplicates, or nothing (a skipped row, with the
// reason in res).
func (imp *importer) apply(ctx context.Context, t *store.Tenant, res *crm.ImportResult, r importRec) error {
	row, err := imp.plan(ctx, t, r.rec, r.line)
	if err != nil {
		return err
	}
	if len(row.Errors) > 0 {
		res.Skipped++
		addProblems(res, row)
		return nil
	}
	if row.DuplicateOf == 0 {
		// A duplicate of a row of this batch not saved yet.
		for _, k := range duplicateKeys(row.Client.NIP, row.Client.Emails, row.Client.Phones) {
			i, ok := imp.pendingKeys[k]
			if !ok {
				continue
			}
			if imp.im.Duplicates != crm.ImportMerge {
				res.Skipped++
				addProblem(res, crm.ImportProblem{Row: row.Line, Key: "import.problem.duplicate_row", Args: []any{"row", imp.pendingLine[i]}})
				return nil
			}
			if err := imp.createPending(ctx, t, res); err != nil {
				return err
			}
			row.DuplicateOf = imp.seen[k]
			break
		}
	}
	switch {
	case row.DuplicateOf != 0 && imp.im.Duplicates == crm.ImportMerge:
		ch, err := imp.merge(ctx, t, row)
		if e, ok := crm.AsError(err); ok && e.Code == crm.CodeInvalid {
			res.Skipped++
			addProblems(res, ImportRow{Line: row.Line, Errors: e.Fields})
			return nil
		}
		if err != nil {
			return err
		}
		if ch != nil {
			res.Merged++
			imp.changes = append(imp.changes, *ch)
			return nil
		}
		// The client it duplicated is gone: create the row after all.
	case row.DuplicateOf != 0:
		res.Skipped++
		addProblem(res, crm.ImportProblem{Row: row.Line, Key: "import.problem.duplicate", Args: []any{"id", row.DuplicateOf}})
		return nil
	}
	for _, k := range duplicateKeys(row.Client.NIP, row.Client.Emails, row.Client.Phones) {
		if _, dup := imp.pendingKeys[k]; !dup {
			imp.pendingKeys[k] = len(imp.pending)
		}
	}
	imp.pending = append(imp.pending, row.Client)
	imp.pendingLine = append(imp.pendingLine, row.Line)
	return nil
}

// createPending saves the batch's new clients: their groups, the clients
// (multi-row inserts), memberships and history entries.
func (imp *importer) createPending(ctx context.Context, t *store.Tenant, res *crm.ImportResult) error {
	if len(imp.pending) == 0 {
		return nil
	}
	cs := imp.pending
	now := imp.s.now()
	for i := range cs {
		if len(cs[i].Groups) > 0 {
			if err := imp.createGroups(ctx, t, cs[i].Groups); err != nil {
				return err
			}
			cs[i].Groups = imp.resolveGroups(cs[i].Groups)
		}
		cs[i].CreatedAt, cs[i].UpdatedAt = now, now
	}
	ids, err := t.CreateClients(ctx, cs)
	if err != nil {
		return err
	}
	entries := make([]crm.AuditEntry, len(cs))
	for i := range cs {
		cs[i].ID = ids[i]
		if len(cs[i].Groups) > 0 {
			if err := t.SetClientGroups(ctx, cs[i].ID, groupIDs(cs[i].Groups)); err != nil {
				return err
			}
		}
		entries[i] = auditEntry(imp.p, now, "client", cs[i].ID, crm.ActionCreate, cs[i].Name, created(clientFields(cs[i])))
		imp.remember(cs[i], cs[i].ID, 0)
		imp.changes = append(imp.changes, crm.ImportChange{ClientID: cs[i].ID, Action: "created"})
	}
	if err := t.AuditMany(ctx, entries); err != nil {
		return err
	}
	res.Created += len(cs)
	imp.pending, imp.pendingLine = imp.pending[:0], imp.pendingLine[:0]
	clear(imp.pendingKeys)
	return nil
}

// createGroups creates the groups a row names that do not exist yet.
func (imp *importer) createGroups(ctx context.Context, t *store.Tenant, gs []crm.ClientGroup) error {
	for _, g := range gs {
		key := search.Fold(g.Name)
		if known, ok := imp.groups[key]; ok && known.ID != 0 {
			continue
		}
		now := imp.s.now()
		g.AccountID, g.CreatedAt, g.UpdatedAt = t.AccountID(), now, now
		id, err := t.CreateClientGroup(ctx, g)
		if err != nil {
			return err
		}
		g.ID = id
		if err := record(ctx, t, imp.p, now, "client_group", id, crm.ActionCreate, g.Name, created(groupFields(g))); err != nil {
			return err
		}
		imp.groups[key] = g
	}
	return nil
}

func (imp *importer) resolveGroups(gs []crm.ClientGroup) []crm.ClientGroup {
	out := make([]crm.ClientGroup, 0, len(gs))
	for _, g := range gs {
		if known, ok := imp.groups[search.Fold(g.Name)]; ok {
			out = append(out, known)
		}
	}
	sortGroups(out)
	return out
}

// merge fills the empty fields of the client a row duplicates and adds the
// row's e-mails, phones and groups; the client as it was is kept for undo.
// It returns nil when that client is gone.
func (imp *importer) merge(ctx context.Context, t *store.Tenant, row ImportRow) (*crm.ImportChange, error) {
	old, err := loadClient(ctx, t, imp.sc, row.DuplicateOf, false)
	if crm.ErrorCode(err) == crm.CodeNotFound {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	n := row.Client
	in := ClientInputOf(old)
	fill := func(dst *string, v string) {
		if *dst == "" {
			*dst = v
		}
	}
	fill(&in.ShortName, n.ShortName)
	fill(&in.NIP, n.NIP)
	fill(&in.REGON, n.REGON)
	if old.Kind == crm.KindPerson && n.Kind == crm.KindPerson {
		fill(&in.PESEL, n.PESEL)
	}
	fill(&in.Website, n.Website)
	if in.Street == "" && in.PostalCode == "" && in.City == "" {
		in.Street, in.PostalCode, in.City, in.Country = n.Street, n.PostalCode, n.City, n.Country
	}
	fill(&in.Birthday, n.Birthday)
	fill(&in.Notes, n.Notes)
	for _, e := range n.Emails {
		if !slices.Contains(in.Emails, e) && len(in.Emails) < maxClientContacts {
			in.Emails = append(in.Emails, e)
		}
	}
	for _, p := range n.Phones {
		if !slices.Contains(in.Phones, p) && len(in.Phones) < maxClientContacts {
			in.Phones = append(in.Phones, p)
		}
	}
	if in.EmployeeID == nil {
		in.EmployeeID = n.EmployeeID
	}
	if err := imp.createGroups(ctx, t, n.Groups); err != nil {
		return nil, err
	}
	for _, g := range imp.resolveGroups(n.Groups) {
		if !slices.Contains(in.GroupIDs, g.ID) {
			in.GroupIDs = append(in.GroupIDs, g.ID)
		}
	}
	c := old
	if err := imp.s.clientFrom(ctx, t, imp.sc, in, &c); err != nil {
		return nil, err
	}
	changes := diff(clientFields(old), clientFields(c))
	if len(changes) == 0 {
		return &crm.ImportChange{ClientID: old.ID, Action: "merged", Before: mustMarshal(old)}, nil
	}
	now := imp.s.now()
	c.UpdatedAt = now
	if err := t.UpdateClient(ctx, c); err != nil {
		return nil, err
	}
	if err := t.SetClientGroups(ctx, c.ID, groupIDs(c.Groups)); err != nil {
		return nil, err
	}
	if err := record(ctx, t, imp.p, now, "client", c.ID, crm.ActionUpdate, c.Name, changes); err != nil {
		return nil, err
	}
	imp.remember(c, c.ID, 0)
	return &crm.ImportChange{ClientID: old.ID, Action: "merged", Before: mustMarshal(old)}, nil
}

func mustMarshal(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}

// UndoClientImport removes what a finished import did, in one transaction:
// the clients it created are deleted, the clients it merged rows into get
// back the values they had before.
func (s *Service) UndoClientImport(ctx context.Context, id int64) error {
	p, t, sc, err := s.clientActor(ctx, authz.Edit)
	if err != nil {
		return err
	}
	now := s.now()
	return t.InTx(ctx, func(t *store.Tenant) error {
		if err := t.LockAccount(ctx); err != nil {
			return err
		}
		im, err := loadImport(ctx, t, p, sc, id)
		if err != nil {
			return err
		}
		if im.Job == nil || im.Job.State != crm.JobDone || im.UndoneAt != nil {
			return &crm.Error{Code: crm.CodeConflict, Key: "err.import_not_undoable"}
		}
		changes, err := t.ImportChanges(ctx, im.ID)
		if err != nil {
			return err
		}
		gs, err := t.ClientGroups(ctx, false, 0)
		if err != nil {
			return err
		}
		for _, ch := range changes {
			cur, err := loadClientAny(ctx, t, ch.ClientID)
			if crm.ErrorCode(err) == crm.CodeNotFound {
				continue // removed since: nothing to undo
			}
			if err != nil {
				return err
			}
			switch ch.Action {
			case "created":
				if err := purgeClient(ctx, t, p, now, cur); err != nil {
					return err
				}
			case "merged":
				var before crm.Client
				if err := json.Unmarshal(ch.Before, &before); err != nil {
					return err
				}
				// Groups deleted since cannot come back.
				before.Groups = slices.DeleteFunc(before.Groups, func(g crm.ClientGroup) bool {
					return !slices.ContainsFunc(gs, func(x crm.ClientGroup) bool { return x.ID == g.ID })
				})
				before.DeletedAt = cur.DeletedAt
				if err := t.UpdateClient(ctx, before); err != nil {
					return err
				}
				if err := t.SetClientGroups(ctx, before.ID, groupIDs(before.Groups)); err != nil {
					return err
				}
				if err := record(ctx, t, p, now, "client", before.ID, crm.ActionUpdate, before.Name,
					diff(clientFields(cur), clientFields(before))); err != nil {
					return err
				}
			}
		}
		im.UndoneAt, im.UpdatedAt = &now, now
		return t.UpdateClientImport(ctx, im)
	})
}

// loadClientAny reads a client with its groups, in the trash or not.
func loadClientAny(ctx context.Context, t *store.Tenant, id int64) (crm.Client, error) {
	c, err := t.Client(ctx, id)
	if err != nil {
		return c, err
	}
	cs := []crm.Client{c}
	err = withGroups(ctx, t, cs)
	return cs[0], err
}
