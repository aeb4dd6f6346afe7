package store

import (
	"context"
	"testing"
)

// The store's PostgreSQL sessions run without JIT compilation (see
// openPostgres), on every pooled connection.
func TestPostgresSessionsWithoutJIT(t *testing.T) {
	s := openTest(t, postgresDSN(t))
	if s == nil {
		t.Skip("KLIENTELA_TEST_POSTGRES not set")
	}
	ctx := context.Background()
	conns := make([]interface{ Close() error }, 0, 3)
	for range 3 {
		c, err := s.readDB.Conn(ctx) // distinct connections of the pool
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
		var jit string
		if err := c.QueryRowContext(ctx, `SHOW jit`).Scan(&jit); err != nil {
			t.Fatal(err)
		}
		if jit != "off" {
			t.Errorf("jit = %q on a store connection", jit)
		}
	}
	for _, c := range conns {
		c.Close()
	}
}
