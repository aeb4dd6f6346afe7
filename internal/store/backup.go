package store

import (
	"context"
	"errors"
	"fmt"
	"os"
)

// ErrBackupPostgres: a PostgreSQL database is backed up with its own tools.
var ErrBackupPostgres = errors.New("store: a PostgreSQL database is backed up with pg_dump, not by Klientela")

// BackupSQLite writes a consistent copy of the whole SQLite database to
// path, while the server keeps running: VACUUM INTO reads one snapshot
// (writers go on in the WAL meanwhile) and writes a compact database file
// with no WAL of its own, ready to be copied away or opened as it is.
// An existing file at path is never overwritten.
func (s *Store) BackupSQLite(ctx context.Context, path string) error {
	if s.dialect != SQLite {
		return ErrBackupPostgres
	}
	if _, err := os.Lstat(path); err == nil {
		return fmt.Errorf("store: backup: %s exists already", path)
	} else if !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("store: backup: %w", err)
	}
	if _, err := s.readDB.ExecContext(ctx, "VACUUM INTO ?", path); err != nil {
		_ = os.Remove(path) // a half-written copy is no backup
		return fmt.Errorf("store: backup to %s: %w", path, err)
	}
	return nil
}
