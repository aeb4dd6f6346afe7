package store

import (
	"context"
	"testing"
	"time"
)

// On SQLite the writer commits without checkpointing (wal_autocheckpoint
// 0), and the checkpointer copies its log back into the database file on
// its own connection soon after; a store closes with its checkpointer.
func TestCheckpointerTakesTheWritersCheckpoints(t *testing.T) {
	defer func(every time.Duration) { checkpointEvery = every }(checkpointEvery)
	checkpointEvery = 10 * time.Millisecond
	ctx := context.Background()
	s, err := Open(ctx, sqliteDSN(t))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var auto int
	if err := s.writeDB.QueryRowContext(ctx, `PRAGMA wal_autocheckpoint`).Scan(&auto); err != nil || auto != 0 {
		t.Fatalf("the writer's wal_autocheckpoint: %d (%v), want 0", auto, err)
	}
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	before := s.checkpoints.copied.Load()
	for i := range 200 {
		if _, err := s.writeDB.ExecContext(ctx, `INSERT INTO rate_limits (key, window_start, hits) VALUES (?, 0, 1)`,
			i); err != nil {
			t.Fatal(err)
		}
	}
	deadline := time.Now().Add(10 * time.Second)
	for s.checkpoints.copied.Load() == before {
		if time.Now().After(deadline) {
			t.Fatal("the checkpointer copied nothing of 200 commits in 10 s")
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-s.checkpoints.done:
	default:
		t.Fatal("the checkpointer runs on after Close")
	}
}
