package plid

import (
	"bufio"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// The tests in this file run the public test vectors in testdata/ (copies of
// ../shared/reference/vectors/, see testdata/README.md). Every vector marked
// invalid must have an entry in the matching ...VectorErrors map, so a new
// vector forces a decision about the error kind it should give.

// vector is one data row of a TSV file, by column name.
type vector struct {
	line int
	col  map[string]string
}

func (v vector) String() string {
	return "line " + strconv.Itoa(v.line) + " " + strconv.Quote(v.col["input"])
}

// readVectors reads testdata/name, checks that its header is exactly
// columns and returns its rows.
func readVectors(t testing.TB, name string, columns ...string) []vector {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	var rows []vector
	line := 0
	for sc.Scan() {
		line++
		fields := strings.Split(sc.Text(), "\t")
		if line == 1 {
			if strings.Join(fields, "|") != strings.Join(columns, "|") {
				t.Fatalf("%s: header %q, want %q", name, fields, columns)
			}
			continue
		}
		if len(fields) != len(columns) {
			t.Fatalf("%s:%d: %d fields, want %d", name, line, len(fields), len(columns))
		}
		v := vector{line: line, col: map[string]string{}}
		for i, c := range columns {
			v.col[c] = fields[i]
		}
		rows = append(rows, v)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(rows) == 0 {
		t.Fatalf("%s: no vectors", name)
	}
	return rows
}

// wantValid interprets the "expected" column. Besides "valid" and "invalid"
// the files use a few annotated values; each is decided here explicitly.
func wantValid(t testing.TB, v vector) bool {
	t.Helper()
	switch e := v.col["expected"]; e {
	case "valid":
		return true
	case "invalid":
		return false
	case "checksum ok (computed; source asserts only date/gender)":
		// pesel.tsv 02211307589: the checksum is right and 2002-01-13 is
		// a real date, so the number is valid.
		return true
	case "invalid (strict) / valid (non-strict)":
		// pesel.tsv 44051401358: a wrong check digit that a "non-strict"
		// mode of kiczort/polish-validator tolerates. This package has
		// only the strict mode.
		return false
	default:
		t.Fatalf("%v: unknown expected value %q", v, e)
		return false
	}
}

// checkInvalid asserts that err wraps want (taken from errs, keyed by the
// vector input).
func checkInvalid(t *testing.T, v vector, err error, errs map[string]error) {
	t.Helper()
	want, ok := errs[v.col["input"]]
	if !ok {
		t.Errorf("%v: invalid vector without an expected error kind; add it to the test", v)
		return
	}
	if !errors.Is(err, want) {
		t.Errorf("%v (%s): error %v, want %v", v, v.col["note"], err, want)
	}
}

// nipVectorErrors gives the error kind for each invalid NIP vector.
var nipVectorErrors = map[string]error{
	"1645865778": ErrChecksum,
	"1298727532": ErrChecksum,
	"123456789":  ErrFormat,
	// The weighted checksum of 0000000000 is 0, so it passes; it is
	// rejected because 000 is not a tax office code (KSeF TNrNIP pattern).
	"0000000000": ErrFormat,
	"1234563217": ErrChecksum,
}

// nipVectorOverrides lists vectors marked invalid only because of a rule of
// the source library that this package deliberately does not follow, with
// the result this package gives instead.
var nipVectorOverrides = map[string]string{
	// Respect/Validation rejects separators; the digits are a valid NIP and
	// ParseNIP accepts dashes anywhere.
	"164-58-65-777": "1645865777",
}

func TestVectorsNIP(t *testing.T) {
	for _, v := range readVectors(t, "nip.tsv", "input", "expected", "normalized", "matches_KSeF_TNrNIP_pattern", "note", "source") {
		in := v.col["input"]
		got, err := ParseNIP(in)
		if want, ok := nipVectorOverrides[in]; ok {
			if wantValid(t, v) {
				t.Errorf("%v: override for a vector already marked valid", v)
			}
			if err != nil || got != want {
				t.Errorf("%v: ParseNIP = %q, %v; want %q (override)", v, got, err, want)
			}
			continue
		}
		if !wantValid(t, v) {
			if err == nil {
				t.Errorf("%v (%s): ParseNIP = %q, want error", v, v.col["note"], got)
				continue
			}
			checkInvalid(t, v, err, nipVectorErrors)
			continue
		}
		if err != nil || got != v.col["normalized"] {
			t.Errorf("%v: ParseNIP = %q, %v; want %q", v, got, err, v.col["normalized"])
			continue
		}
		if v.col["matches_KSeF_TNrNIP_pattern"] != "yes" {
			t.Errorf("%v: accepted, but the vector says it does not match the KSeF pattern", v)
		}
		if back, err := ParseNIP(FormatNIP(got)); err != nil || back != got {
			t.Errorf("%v: ParseNIP(FormatNIP(%q)) = %q, %v", v, got, back, err)
		}
	}
}

// regonVectorErrors gives the error kind for each invalid REGON vector.
var regonVectorErrors = map[string]error{
	"192598183": ErrChecksum,
	// The 14th digit is right for digits 1-13, but the first 9 digits
	// are not a valid REGON-9.
	"12345678612342":  ErrChecksum,
	"123456789012345": ErrFormat,
	"12345678901":     ErrFormat,
	"1234567890123":   ErrFormat,
	"123456786":       ErrChecksum,
	"12346678512347":  ErrChecksum,
}

func TestVectorsREGON(t *testing.T) {
	for _, v := range readVectors(t, "regon.tsv", "input", "expected", "note", "source") {
		in := v.col["input"]
		got, err := ParseREGON(in)
		if !wantValid(t, v) {
			if err == nil {
				t.Errorf("%v (%s): ParseREGON = %q, want error", v, v.col["note"], got)
				continue
			}
			checkInvalid(t, v, err, regonVectorErrors)
			continue
		}
		if err != nil || got != in {
			t.Errorf("%v: ParseREGON = %q, %v; want %q", v, got, err, in)
		}
	}
}

// TestVectorREGON14OnlyPrefixWrong pins down why 12345678612342 is invalid:
// its own 14th check digit is right, only the REGON-9 prefix is wrong.
func TestVectorREGON14OnlyPrefixWrong(t *testing.T) {
	const d = "12345678612342"
	if !regonCheckOK(d, regon14Weights) {
		t.Errorf("%s: 14th digit does not match; the vector would not test the prefix rule", d)
	}
	if regonCheckOK(d[:9], regon9Weights) {
		t.Errorf("%s: prefix is a valid REGON-9", d)
	}
}

// peselVectorErrors gives the error kind for each invalid PESEL vector.
var peselVectorErrors = map[string]error{
	// Month 38 is month 18 of the 2000s; the checksum is right.
	"02381307589": ErrDate,
	"1":           ErrFormat,
	"PESEL":       ErrFormat,
	"690905155.4": ErrFormat,
	"21120209250": ErrChecksum,
	// The source calls it "wrong_date" (month 31 = November 2012, day
	// 41), but its check digit is wrong too (should be 6), and the
	// checksum is checked first.
	"12314111111": ErrChecksum,
	"123a41f1111": ErrFormat,
	"44051401358": ErrChecksum,
}

func TestVectorsPESEL(t *testing.T) {
	for _, v := range readVectors(t, "pesel.tsv", "input", "expected", "birth_date", "gender", "birth_date_source", "note", "source") {
		in := v.col["input"]
		got, err := ParsePESEL(in)
		if !wantValid(t, v) {
			if err == nil {
				t.Errorf("%v (%s): ParsePESEL = %+v, want error", v, v.col["note"], got)
				continue
			}
			checkInvalid(t, v, err, peselVectorErrors)
			continue
		}
		if err != nil || got.Number != in {
			t.Errorf("%v: ParsePESEL = %+v, %v", v, got, err)
			continue
		}
		if b := v.col["birth_date"]; b != "" && got.Birth.Format("2006-01-02") != b {
			t.Errorf("%v: birth %s, want %s", v, got.Birth.Format("2006-01-02"), b)
		}
		switch v.col["gender"] {
		case "F":
			if !got.Female {
				t.Errorf("%v: Female = false, want true", v)
			}
		case "M":
			if got.Female {
				t.Errorf("%v: Female = true, want false", v)
			}
		case "":
		default:
			t.Errorf("%v: unknown gender %q", v, v.col["gender"])
		}
	}
}

// bankVectorErrors gives the error kind for each invalid IBAN/NRB vector.
var bankVectorErrors = map[string]error{
	"PL61109010140000071219812875": ErrChecksum,
	"PL6110901014000007121981287":  ErrFormat,
}

func TestVectorsBankAccount(t *testing.T) {
	for _, v := range readVectors(t, "iban_nrb.tsv", "input", "expected", "note", "source") {
		in := v.col["input"]
		got, err := ParseBankAccount(in)
		if !wantValid(t, v) {
			if err == nil {
				t.Errorf("%v (%s): ParseBankAccount = %+v, want error", v, v.col["note"], got)
				continue
			}
			checkInvalid(t, v, err, bankVectorErrors)
			continue
		}
		// Both valid vectors are the same account, written as an IBAN
		// and as an NRB.
		want := BankAccount{Country: "PL", BBAN: "109010140000071219812874", IBAN: "PL61109010140000071219812874"}
		if err != nil || got != want {
			t.Errorf("%v: ParseBankAccount = %+v, %v; want %+v", v, got, err, want)
			continue
		}
		if f := got.Format(); f != "61 1090 1014 0000 0712 1981 2874" {
			t.Errorf("%v: Format = %q", v, f)
		}
		if c := got.BankCode(); c != "10901014" {
			t.Errorf("%v: BankCode = %q", v, c)
		}
	}
}
