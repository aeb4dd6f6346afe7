// Package csvfile reads CSV files as spreadsheets write them: Excel and
// LibreOffice save with ";" (Polish locale), "," or tabs, in UTF-8 with or
// without a byte order mark, in Windows-1250 (Excel's "CSV" on a Polish
// Windows), or UTF-16 ("Unicode text"); quoted fields may hold line breaks;
// lines end in CRLF. Sniff finds out which; Reader then yields the records
// as UTF-8. It uses encoding/csv for the quoting rules and golang.org/x/text
// for the code pages, and adds only the guessing.
package csvfile

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

// Encodings Sniff recognises.
const (
	UTF8    = "utf-8"
	CP1250  = "windows-1250"
	UTF16LE = "utf-16le"
	UTF16BE = "utf-16be"
)

// Reasons a file is not a CSV table.
var (
	ErrEmpty     = errors.New("csvfile: empty file")
	ErrBinary    = errors.New("csvfile: binary file")
	ErrOneColumn = errors.New("csvfile: one column only")
)

// Format is how a file is written.
type Format struct {
	Encoding string
	Comma    rune // ';', ',' or '\t'
}

// sampleSize is how much of a file Sniff looks at to guess the delimiter.
const sampleSize = 64 << 10

var (
	bomUTF8    = []byte{0xEF, 0xBB, 0xBF}
	bomUTF16LE = []byte{0xFF, 0xFE}
	bomUTF16BE = []byte{0xFE, 0xFF}
)

// Sniff guesses the encoding and the delimiter of data. It refuses empty
// and binary files and files that have one column only.
func Sniff(data []byte) (Format, error) {
	var f Format
	switch {
	case len(bytes.TrimSpace(data)) == 0 || bytes.Equal(bytes.TrimSpace(data), bomUTF8):
		return f, ErrEmpty
	case bytes.HasPrefix(data, bomUTF16LE):
		f.Encoding = UTF16LE
	case bytes.HasPrefix(data, bomUTF16BE):
		f.Encoding = UTF16BE
	default:
		head := data[:min(len(data), sampleSize)]
		if binary(head) {
			return f, ErrBinary
		}
		f.Encoding = UTF8
		if !utf8.Valid(bytes.TrimPrefix(data, bomUTF8)) {
			f.Encoding = CP1250
		}
	}
	sample, err := io.ReadAll(io.LimitReader(decode(data, f.Encoding), sampleSize))
	if err != nil {
		return f, ErrBinary
	}
	if binary(sample) {
		return f, ErrBinary
	}
	best, bestScore := rune(0), 0
	for _, c := range []rune{';', '\t', ','} {
		if s := score(sample, c); s > bestScore {
			best, bestScore = c, s
		}
	}
	if best == 0 {
		return f, ErrOneColumn
	}
	f.Comma = best
	return f, nil
}

// binary reports whether b looks like anything but text: NUL bytes, or
// more than a few control characters other than tabs and line breaks.
func binary(b []byte) bool {
	ctl := 0
	for _, c := range b {
		switch {
		case c == 0:
			return true
		case c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f':
			ctl++
		}
	}
	return ctl > len(b)/100+2
}

// score rates comma as the delimiter of sample: 0 when the header would
// have one column; otherwise higher the more of the first records have as
// many fields as the header, then the more columns.
func score(sample []byte, comma rune) int {
	r := csv.NewReader(bytes.NewReader(sample))
	r.Comma, r.FieldsPerRecord, r.LazyQuotes = comma, -1, true
	header, err := r.Read()
	if err != nil || len(header) < 2 {
		return 0
	}
	same, n := 0, 0
	for n < 50 {
		rec, err := r.Read()
		if err != nil {
			break // the end, or a record cut off by the sample's end
		}
		n++
		if len(rec) == len(header) {
			same++
		}
	}
	if n > 0 && same*2 < n {
		return 1 // the header splits, the data does not: a poor guess
	}
	return 2 + same*100 + len(header)
}

func decode(data []byte, enc string) io.Reader {
	switch enc {
	case CP1250:
		return charmap.Windows1250.NewDecoder().Reader(bytes.NewReader(data))
	case UTF16LE:
		return unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder().Reader(bytes.NewReader(data))
	case UTF16BE:
		return unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM).NewDecoder().Reader(bytes.NewReader(data))
	}
	return bytes.NewReader(bytes.TrimPrefix(data, bomUTF8))
}

// Reader yields the records of a file as UTF-8.
type Reader struct {
	r    *csv.Reader
	line int
}

// NewReader reads data written in f.
func NewReader(data []byte, f Format) *Reader {
	r := csv.NewReader(decode(data, f.Encoding))
	r.Comma, r.FieldsPerRecord, r.LazyQuotes, r.ReuseRecord = f.Comma, -1, true, false
	return &Reader{r: r}
}

// Read returns the next record with its number (the header is 1, as in a
// spreadsheet), skipping empty lines; io.EOF at the end.
func (r *Reader) Read() ([]string, int, error) {
	for {
		rec, err := r.r.Read()
		if err != nil {
			return nil, 0, err
		}
		r.line++
		if !blank(rec) {
			return rec, r.line, nil
		}
	}
}

func blank(rec []string) bool {
	for _, s := range rec {
		if len(bytes.TrimSpace([]byte(s))) > 0 {
			return false
		}
	}
	return true
}
