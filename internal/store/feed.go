package store

import (
	"context"
	"time"

	"klientela/internal/crm"
)

// FeedVersion is how far an account's calendar feeds have changed: the
// triggers of migration 00023 bump Version in every transaction that writes
// a task, a task's employees or exceptions, a planned contact, a client, a
// client's person or important date, an employee, a user's scope, employee,
// locale or activity, or the account's name or time zone. Changed is the
// time of the last bump (whole seconds; zero before the first).
type FeedVersion struct {
	Version int64
	Changed time.Time
}

// FeedSubscriber resolves a feed token hash into the user it belongs to,
// the feed and its account's FeedVersion, in one statement (one snapshot:
// whatever is read for the feed after it is at least as new as the
// version); not found for unknown tokens and inactive users.
func (s *Store) FeedSubscriber(ctx context.Context, tokenHash []byte) (crm.Principal, crm.CalendarFeed, FeedVersion, error) {
	var (
		p       crm.Principal
		f       crm.CalendarFeed
		v       FeedVersion
		changed int64
	)
	err := scanPrincipal(s.queryRow(ctx, `SELECT `+principalColumns+`, f.id, f.account_id, f.user_id, f.created_at, f.last_used_at,
			(SELECT CAST(COALESCE(SUM(v.version), 0) AS BIGINT) FROM feed_versions v WHERE v.account_id = f.account_id),
			(SELECT CAST(COALESCE(MAX(v.changed_unix), 0) AS BIGINT) FROM feed_versions v WHERE v.account_id = f.account_id)
		FROM calendar_feeds f
		JOIN users u ON u.account_id = f.account_id AND u.id = f.user_id
		JOIN accounts a ON a.id = f.account_id
		WHERE f.token_hash = ? AND u.active = ?`, tokenHash, true),
		&p, &f.ID, &f.AccountID, &f.UserID, &f.CreatedAt, &f.LastUsedAt, &v.Version, &changed)
	if changed > 0 {
		v.Changed = time.Unix(changed, 0).UTC()
	}
	return p, f, v, mapError(err)
}

// FeedVersion returns the account's FeedVersion.
func (t *Tenant) FeedVersion(ctx context.Context) (FeedVersion, error) {
	var (
		v       FeedVersion
		changed int64
	)
	// The sum and the latest of the account's shards (one row on SQLite,
	// migration 00027).
	err := t.queryRow(ctx, `SELECT CAST(COALESCE(SUM(version), 0) AS BIGINT), CAST(COALESCE(MAX(changed_unix), 0) AS BIGINT)
		FROM feed_versions WHERE account_id = ?`, t.account).Scan(&v.Version, &changed)
	if err != nil {
		return FeedVersion{}, mapError(err)
	}
	if changed > 0 {
		v.Changed = time.Unix(changed, 0).UTC()
	}
	return v, nil
}
