package export

import (
	"io"

	"github.com/xuri/excelize/v2"
)

// Table is a file of rows being written: CSV or XLSX.
type Table interface {
	Row(cells ...string) error
	// Close finishes the file (XLSX writes it out only now).
	Close() error
}

// Close flushes the CSV.
func (c *CSV) Close() error { return c.Flush() }

// XLSX writes an Excel workbook with one sheet through excelize's stream
// writer, which keeps rows in a temporary file rather than in memory. Cells
// are written as text, so nothing in them is ever run as a formula.
type XLSX struct {
	w     io.Writer
	f     *excelize.File
	sw    *excelize.StreamWriter
	row   int
	bold  int
	sheet string
}

// NewXLSX starts a workbook with one sheet named sheet, written to w on
// Close.
func NewXLSX(w io.Writer, sheet string) (*XLSX, error) {
	f := excelize.NewFile()
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		f.Close()
		return nil, err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		f.Close()
		return nil, err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		f.Close()
		return nil, err
	}
	return &XLSX{w: w, f: f, sw: sw, bold: bold, sheet: sheet}, nil
}

// Row writes one row; the first is the header, in bold.
func (x *XLSX) Row(cells ...string) error {
	x.row++
	vals := make([]any, len(cells))
	for i, s := range cells {
		if x.row == 1 {
			vals[i] = excelize.Cell{Value: s, StyleID: x.bold}
		} else {
			vals[i] = s
		}
	}
	cell, err := excelize.CoordinatesToCellName(1, x.row)
	if err != nil {
		return err
	}
	return x.sw.SetRow(cell, vals)
}

// Close writes the workbook out.
func (x *XLSX) Close() error {
	defer x.f.Close()
	if err := x.sw.Flush(); err != nil {
		return err
	}
	_, err := x.f.WriteTo(x.w)
	return err
}
