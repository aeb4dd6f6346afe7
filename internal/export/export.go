// Package export writes lists as files people open elsewhere: CSV that
// Excel and LibreOffice open as they do in Poland (UTF-8 with a BOM, ";"
// between cells, CRLF line ends), safe against formula injection.
package export

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"
	"time"

	"klientela/internal/crm"
	"klientela/internal/i18n"
	"klientela/internal/plid"
)

// CSV writes rows of cells. Cells that a spreadsheet would run as a formula
// (starting with =, +, -, @, a tab or a carriage return) are written with a
// leading apostrophe, so "=HYPERLINK(…)" stays text (OWASP CSV injection).
type CSV struct {
	w *csv.Writer
}

// NewCSV starts a CSV file on w with the UTF-8 byte order mark that tells
// Excel the encoding.
func NewCSV(w io.Writer) (*CSV, error) {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return nil, err
	}
	cw := csv.NewWriter(w)
	cw.Comma = ';'
	cw.UseCRLF = true
	return &CSV{w: cw}, nil
}

// Row writes one row.
func (c *CSV) Row(cells ...string) error {
	for i, s := range cells {
		cells[i] = Defuse(s)
	}
	return c.w.Write(cells)
}

// Flush writes out what is buffered and reports any error so far.
func (c *CSV) Flush() error {
	c.w.Flush()
	return c.w.Error()
}

// Defuse makes a cell inert for spreadsheets.
func Defuse(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// ClientHeader is the header row of the client export, in l's language.
func ClientHeader(l *i18n.Localizer) []string {
	keys := []string{"export.client.id", "export.client.kind", "export.client.name", "export.client.short_name",
		"export.client.nip", "export.client.regon", "export.client.pesel", "export.client.emails", "export.client.phones",
		"export.client.website", "export.client.street", "export.client.postal_code", "export.client.city",
		"export.client.country", "export.client.birthday", "export.client.status", "export.client.employee",
		"export.client.notes", "export.client.created"}
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = l.T(k)
	}
	return out
}

// ClientRow is one client as a row of the export: NIP formatted, dates in
// the account's zone and the user's format, lists joined by ", ";
// employee is the assigned employee's name ("" for none).
func ClientRow(l *i18n.Localizer, zone *time.Location, c crm.Client, employee string) []string {
	nip := ""
	if c.NIP != "" {
		nip = plid.FormatNIP(c.NIP)
	}
	birthday := ""
	if d, err := time.Parse("2006-01-02", c.Birthday); err == nil {
		birthday = l.Date(d)
	}
	return []string{
		strconv.FormatInt(c.ID, 10), l.T("clients.kind." + string(c.Kind)), c.Name, c.ShortName,
		nip, c.REGON, c.PESEL, strings.Join(c.Emails, ", "), strings.Join(c.Phones, ", "),
		c.Website, c.Street, c.PostalCode, c.City, c.Country, birthday,
		l.T("clients.status." + string(c.Status)), employee, c.Notes, l.DateTime(c.CreatedAt.In(zone)),
	}
}

// Format is a file format of the exports.
type Format struct {
	Ext, ContentType string
}

// Formats are the formats a list can be exported to, by name.
var Formats = map[string]Format{
	"csv":  {"csv", "text/csv; charset=utf-8"},
	"xlsx": {"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
}

// New starts a table of format f on w; sheet names the XLSX sheet.
func New(w io.Writer, f Format, sheet string) (Table, error) {
	if f.Ext == "xlsx" {
		return NewXLSX(w, sheet)
	}
	return NewCSV(w)
}

// Clients writes the header and every client that each yields to t, and
// closes t. employees maps employee ids to names.
func Clients(t Table, l *i18n.Localizer, zone *time.Location, employees map[int64]string,
	each func(func(crm.Client) error) error) error {
	if err := t.Row(ClientHeader(l)...); err != nil {
		return err
	}
	err := each(func(c crm.Client) error {
		emp := ""
		if c.EmployeeID != nil {
			emp = employees[*c.EmployeeID]
		}
		return t.Row(ClientRow(l, zone, c, emp)...)
	})
	if err != nil {
		return err
	}
	return t.Close()
}
