package store

import (
	"context"
	"time"
)

// Hit counts one event against key in a fixed window and returns the count
// in the current window and when that window started. All instances share
// the counter, so a limit holds however many instances serve the traffic.
func (s *Store) Hit(ctx context.Context, key string, window time.Duration, now time.Time) (int, time.Time, error) {
	var (
		hits  int
		start time.Time
	)
	// One statement: a new key starts a window; an expired window restarts.
	err := s.writeRow(ctx, `INSERT INTO rate_limits (key, window_start, hits) VALUES (?, ?, 1)
		ON CONFLICT (key) DO UPDATE SET
			hits = CASE WHEN rate_limits.window_start <= ? THEN 1 ELSE rate_limits.hits + 1 END,
			window_start = CASE WHEN rate_limits.window_start <= ? THEN excluded.window_start ELSE rate_limits.window_start END
		RETURNING hits, window_start`, key, now, now.Add(-window), now.Add(-window)).Scan(&hits, &start)
	return hits, start, mapError(err)
}

// Hits returns the count in the current window without counting.
func (s *Store) Hits(ctx context.Context, key string, window time.Duration, now time.Time) (int, time.Time, error) {
	var (
		hits  int
		start time.Time
	)
	err := s.queryRow(ctx, `SELECT hits, window_start FROM rate_limits WHERE key = ? AND window_start > ?`, key, now.Add(-window)).Scan(&hits, &start)
	if err = mapError(err); err != nil {
		if isNotFound(err) {
			return 0, time.Time{}, nil
		}
		return 0, time.Time{}, err
	}
	return hits, start, nil
}

// ResetHits forgets key's counter (after a successful login).
func (s *Store) ResetHits(ctx context.Context, key string) error {
	_, err := s.exec(ctx, `DELETE FROM rate_limits WHERE key = ?`, key)
	return err
}

// DeleteStaleHits removes counters whose window ended before cutoff.
func (s *Store) DeleteStaleHits(ctx context.Context, cutoff time.Time) error {
	_, err := s.exec(ctx, `DELETE FROM rate_limits WHERE window_start < ?`, cutoff)
	return err
}
