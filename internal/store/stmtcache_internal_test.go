package store

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// On SQLite a statement first run inside a transaction (where it can't be
// prepared: the transaction holds the writer's only connection) is
// prepared once the transaction commits, and the next transaction runs
// the prepared statement on its connection; one of a transaction that
// failed is not learned, nor is a text too long to be worth keeping.
func TestStatementsLearnedFromTransactions(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, sqliteDSN(t))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	cached := func(q string) bool {
		s.wstmts.mu.RLock()
		defer s.wstmts.mu.RUnlock()
		return s.wstmts.m[q] != nil
	}
	const q = `SELECT 40 + 2`
	long := `SELECT 1 /*` + strings.Repeat("x", maxLearnedQuery) + `*/`
	failed := errors.New("rolled back")
	run := func(q string, fail error) (n int, err error) {
		err = s.inTx(ctx, func(d db) error {
			if err := d.queryRow(ctx, q).Scan(&n); err != nil {
				return err
			}
			return fail
		})
		return n, err
	}
	if _, err := run(q, failed); err != failed || cached(q) {
		t.Fatalf("after a failed transaction: %v, cached %v", err, cached(q))
	}
	if n, err := run(q, nil); err != nil || n != 42 || !cached(q) {
		t.Fatalf("after a committed one: %d, %v, cached %v", n, err, cached(q))
	}
	if n, err := run(q, nil); err != nil || n != 42 {
		t.Fatalf("prepared, in a transaction: %d, %v", n, err)
	}
	if _, err := run(long, nil); err != nil || cached(long) {
		t.Fatalf("a long text: %v, cached %v", err, cached(long))
	}
}
