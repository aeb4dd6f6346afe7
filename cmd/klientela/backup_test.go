package main

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"klientela/internal/store"
	"klientela/internal/store/storetest"
)

// A backup of a SQLite database is a whole, consistent database that opens
// with the account in it; it never overwrites a file; PostgreSQL is told
// to use pg_dump.
func TestBackup(t *testing.T) {
	ctx := context.Background()
	data := t.TempDir()
	vars := map[string]string{"KLIENTELA_DATA": data}
	var out, errb bytes.Buffer
	args := []string{"account", "create", "--name", "Hurtownia Żuraw", "--email", "szef@zuraw.pl", "--password", "bardzo-tajne-1"}
	if err := run(ctx, args, env(vars), &out, &errb); err != nil {
		t.Fatalf("account create: %v\n%s", err, errb.String())
	}
	dst := filepath.Join(t.TempDir(), "kopia.db")
	out.Reset()
	if err := run(ctx, []string{"backup", "--out", dst}, env(vars), &out, &errb); err != nil {
		t.Fatalf("backup: %v\n%s", err, errb.String())
	}
	if !strings.Contains(out.String(), "database copied to "+dst) || !strings.Contains(out.String(), "copy the files folder") {
		t.Errorf("backup said %q", out.String())
	}
	if _, err := os.Stat(dst + "-wal"); err == nil {
		t.Errorf("the backup has a WAL file beside it: it is not one self-contained file")
	}

	// The copy opens as a database of its own, whole, with the account.
	db, err := sql.Open("sqlite", "file:"+dst+"?mode=ro") // the driver the store registers
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var check string
	if err := db.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity_check of the backup = %q, %v", check, err)
	}
	var name string
	if err := db.QueryRowContext(ctx, "SELECT name FROM accounts").Scan(&name); err != nil || name != "Hurtownia Żuraw" {
		t.Fatalf("account in the backup = %q, %v", name, err)
	}

	// Never over an existing file, and without --out nothing happens.
	before, _ := os.ReadFile(dst)
	if err := run(ctx, []string{"backup", "--out", dst}, env(vars), &out, &errb); err == nil || !strings.Contains(err.Error(), "exists already") {
		t.Fatalf("backup over a file: %v", err)
	}
	if after, _ := os.ReadFile(dst); !bytes.Equal(before, after) {
		t.Fatal("the existing backup was changed")
	}
	if err := run(ctx, []string{"backup"}, env(vars), &out, &errb); err == nil || !strings.Contains(err.Error(), "usage") {
		t.Fatalf("backup without --out: %v", err)
	}

	t.Run("postgres", func(t *testing.T) {
		pg := map[string]string{"KLIENTELA_DATA": t.TempDir(), "KLIENTELA_DB": storetest.PostgresDSN(t)}
		err := run(ctx, []string{"backup", "--out", filepath.Join(t.TempDir(), "x.db")}, env(pg), &out, &errb)
		if !errors.Is(err, store.ErrBackupPostgres) {
			t.Fatalf("backup of PostgreSQL: %v", err)
		}
	})
}
