package export

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
)

func TestDefuse(t *testing.T) {
	for in, want := range map[string]string{
		"=1+2": "'=1+2", "+48 600": "'+48 600", "-5": "'-5", "@SUM(A1)": "'@SUM(A1)", "\tx": "'\tx", "\rx": "'\rx",
		"Łódź": "Łódź", "": "", "a=b": "a=b",
	} {
		if got := Defuse(in); got != want {
			t.Errorf("Defuse(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCSVFormat(t *testing.T) {
	var buf bytes.Buffer
	c, err := NewCSV(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Row("Nazwa", "Uwagi"); err != nil {
		t.Fatal(err)
	}
	if err := c.Row("Żuraw; „sp. z o.o.”", "a\nb"); err != nil {
		t.Fatal(err)
	}
	if err := c.Flush(); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if !strings.HasPrefix(out, "\ufeffNazwa;Uwagi\r\n") {
		t.Fatalf("start = %q", out)
	}
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(out, "\ufeff")))
	r.Comma = ';'
	rows, err := r.ReadAll()
	if err != nil || len(rows) != 2 || rows[1][0] != "Żuraw; „sp. z o.o.”" || rows[1][1] != "a\nb" {
		t.Fatalf("read back %q, %v", rows, err)
	}
}
