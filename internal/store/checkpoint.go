package store

import (
	"context"
	"database/sql"
	"sync"
	"sync/atomic"
	"time"
)

// SQLite copies the pages written to its log (WAL) back into the database
// file in a checkpoint, and by default the transaction whose commit takes
// the log past 1 000 pages runs it, fsync of the database file included,
// while the request that committed waits and every other writer waits
// behind it. The load benchmark's 8 concurrent POST /api/v1/tasks on a
// freshly started server stalled three times for 350–385 ms in their first
// second (the log file growing: go tool trace showed the time in the
// checkpoint's fsync, called from Tx.Commit). So the writer does no
// checkpoints (wal_autocheckpoint 0) and a connection of its own runs a
// PASSIVE one every checkpointEvery: it never blocks the writer or the
// readers, and a checkpoint with nothing new to copy costs next to nothing.
// SQLite's guarantees are the same: the log is checkpointed as before, by
// another connection, and at the last connection's close.

// checkpointEvery is how often the checkpointer looks for new pages in the
// log (a variable for the tests).
var checkpointEvery = 250 * time.Millisecond

type checkpointer struct {
	db      *sql.DB
	stop    chan struct{}
	done    chan struct{}
	stopped sync.Once
	// copied counts the checkpoints that copied pages (for the tests).
	copied atomic.Int64
}

func startCheckpointer(conn string) (*checkpointer, error) {
	db, err := sql.Open("sqlite", conn)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	db.SetConnMaxLifetime(0)
	c := &checkpointer{db: db, stop: make(chan struct{}), done: make(chan struct{})}
	go c.loop()
	return c, nil
}

func (c *checkpointer) loop() {
	defer close(c.done)
	t := time.NewTicker(checkpointEvery)
	defer t.Stop()
	for {
		select {
		case <-c.stop:
			return
		case <-t.C:
			c.checkpoint()
		}
	}
}

// checkpoint copies what it can of the log; a failure (a busy database,
// another process's exclusive lock) is left for the next tick.
func (c *checkpointer) checkpoint() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var busy, logged, copied int
	if err := c.db.QueryRowContext(ctx, `PRAGMA wal_checkpoint(PASSIVE)`).Scan(&busy, &logged, &copied); err != nil {
		return
	}
	if copied > 0 {
		c.copied.Add(1)
	}
}

// close stops the checkpointer and closes its connection.
func (c *checkpointer) close() error {
	c.stopped.Do(func() { close(c.stop) })
	<-c.done
	return c.db.Close()
}
