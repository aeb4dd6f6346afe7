// Package storetest opens real databases for tests: a SQLite file in a
// temporary folder, and PostgreSQL in a fresh schema of the database named by
// KLIENTELA_TEST_POSTGRES. Every store-backed test runs on both through Each.
//
// Without KLIENTELA_TEST_POSTGRES the PostgreSQL half is skipped locally, and
// fails under CI=true: CI must never pass by skipping it.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"klientela/internal/store"
)

// PostgresEnv names the variable holding the test server's URL.
const PostgresEnv = "KLIENTELA_TEST_POSTGRES"

// CI reports whether the tests run under CI, where nothing may be skipped.
func CI() bool { return os.Getenv("CI") == "true" }

// Each runs fn as a subtest on SQLite and on PostgreSQL.
func Each(t *testing.T, fn func(t *testing.T, s *store.Store)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, SQLite(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, Postgres(t)) })
}

// SQLite opens and migrates a fresh SQLite database file.
func SQLite(t testing.TB) *store.Store {
	t.Helper()
	return open(t, SQLiteDSN(t))
}

// SQLiteDSN returns the path of a fresh SQLite file (not yet created).
func SQLiteDSN(t testing.TB) string {
	return filepath.Join(t.TempDir(), "klientela.db")
}

// Postgres opens and migrates a fresh schema on the test PostgreSQL server.
func Postgres(t testing.TB) *store.Store {
	t.Helper()
	return open(t, PostgresDSN(t))
}

// PostgresDSN creates a fresh schema, drops it when the test ends, and
// returns a URL whose connections use it.
func PostgresDSN(t testing.TB) string {
	t.Helper()
	base := os.Getenv(PostgresEnv)
	if base == "" {
		if CI() {
			t.Fatalf("%s is not set: under CI=true the PostgreSQL tests must run (use ./test.sh)", PostgresEnv)
		}
		t.Skipf("%s not set; skipping PostgreSQL (./test.sh sets it up)", PostgresEnv)
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	var b [6]byte
	_, _ = rand.Read(b[:])
	schema := "t_" + hex.EncodeToString(b[:])
	if _, err := admin.Exec(`CREATE SCHEMA ` + schema); err != nil {
		t.Fatalf("create schema on %s: %v", PostgresEnv, err)
	}
	t.Cleanup(func() {
		admin, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer admin.Close()
		_, _ = admin.Exec(`DROP SCHEMA ` + schema + ` CASCADE`)
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

func open(t testing.TB, dsn string) *store.Store {
	t.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return s
}
