package csvfile_test

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"klientela/internal/csvfile"
)

func readAll(t *testing.T, name string) (csvfile.Format, [][]string, []int) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	f, err := csvfile.Sniff(data)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	r := csvfile.NewReader(data, f)
	var (
		recs  [][]string
		lines []int
	)
	for {
		rec, line, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		recs, lines = append(recs, rec), append(lines, line)
	}
	return f, recs, lines
}

func TestRealWorldFiles(t *testing.T) {
	f, recs, _ := readAll(t, "libreoffice.csv")
	if f.Encoding != csvfile.UTF8 || f.Comma != ';' || len(recs) != 4 {
		t.Fatalf("libreoffice: %+v, %d records", f, len(recs))
	}
	if recs[1][0] != `Piekarnia "Złoty Kłos" Sp. z o.o.` || recs[1][7] != "Dostawy we wtorki.\nKlient od 2019." {
		t.Fatalf("libreoffice quoting: %q", recs[1])
	}
	if recs[3][7] != "Stały klient; rabat 5%" {
		t.Fatalf("delimiter inside quotes: %q", recs[3][7])
	}

	f, recs, _ = readAll(t, "excel-cp1250.csv")
	if f.Encoding != csvfile.CP1250 || f.Comma != ';' {
		t.Fatalf("excel: %+v", f)
	}
	if recs[0][2] != "Miejscowość" || recs[1][0] != "Żółw i Syn" || recs[1][2] != "Łódź" || recs[2][0] != "Gęślą Jaźń S.A." {
		t.Fatalf("excel letters: %q %q %q", recs[0], recs[1], recs[2])
	}

	f, recs, _ = readAll(t, "bom-utf8.csv")
	if f.Encoding != csvfile.UTF8 || f.Comma != ',' || recs[0][0] != "Kind" || recs[2][2] != "Zielińska" {
		t.Fatalf("bom: %+v %q", f, recs)
	}
}

func TestTabsAndUTF16(t *testing.T) {
	// Excel's "Unicode text": UTF-16LE with a BOM and tabs.
	text := "Nazwa\tMiasto\r\nŁąka\tŁódź\r\n"
	data := []byte{0xFF, 0xFE}
	for _, r := range text {
		data = append(data, byte(r), byte(r>>8))
	}
	f, err := csvfile.Sniff(data)
	if err != nil || f.Encoding != csvfile.UTF16LE || f.Comma != '\t' {
		t.Fatalf("utf-16: %+v, %v", f, err)
	}
	rec, line, err := csvfile.NewReader(data, f).Read()
	if err != nil || line != 1 || !slices.Equal(rec, []string{"Nazwa", "Miasto"}) {
		t.Fatalf("utf-16 header: %q %d %v", rec, line, err)
	}
}

func TestNotCSV(t *testing.T) {
	for name, want := range map[string]error{"not-csv.png": csvfile.ErrBinary, "one-column.txt": csvfile.ErrOneColumn} {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := csvfile.Sniff(data); !errors.Is(err, want) {
			t.Errorf("%s: err = %v, want %v", name, err, want)
		}
	}
	if _, err := csvfile.Sniff([]byte("\xef\xbb\xbf \r\n")); !errors.Is(err, csvfile.ErrEmpty) {
		t.Errorf("empty: %v", err)
	}
}

func TestBlankLinesKeepRowNumbers(t *testing.T) {
	data := []byte("a;b\r\n1;2\r\n;\r\n3;4\r\n")
	f, _ := csvfile.Sniff(data)
	r := csvfile.NewReader(data, f)
	var lines []int
	for {
		_, line, err := r.Read()
		if err != nil {
			break
		}
		lines = append(lines, line)
	}
	if !slices.Equal(lines, []int{1, 2, 4}) {
		t.Fatalf("lines = %v", lines)
	}
}
