package store

import (
	"context"
	"time"

	"klientela/internal/crm"
)

// NewSession describes a browser session to start.
type NewSession struct {
	TokenHash []byte
	UserAgent string
	IP        string
	Now       time.Time
	Expires   time.Time
}

// CreateSession starts a session for a user of the account.
func (t *Tenant) CreateSession(ctx context.Context, userID int64, in NewSession) (int64, error) {
	var id int64
	err := t.writeRow(ctx, `INSERT INTO sessions (token_hash, account_id, user_id, created_at, last_seen_at, expires_at, user_agent, ip)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		in.TokenHash, t.account, userID, in.Now, in.Now, in.Expires, in.UserAgent, in.IP).Scan(&id)
	return id, mapError(err)
}

// DeleteSessions ends every session of a user of the account.
func (t *Tenant) DeleteSessions(ctx context.Context, userID int64) error {
	_, err := t.exec(ctx, `DELETE FROM sessions WHERE account_id = ? AND user_id = ?`, t.account, userID)
	return err
}

// principalColumns reads the user and account of a session or token in one
// query; both must be active for the credential to count.
const principalColumns = userColumns + `, a.id, a.name, a.time_zone, a.created_at`

func scanPrincipal(sc interface{ Scan(...any) error }, p *crm.Principal, extra ...any) error {
	a := &p.Account
	return scanUser(sc, &p.User, append([]any{&a.ID, &a.Name, &a.TimeZone, &a.CreatedAt}, extra...)...)
}

// SessionPrincipal resolves a session token hash into who is calling. It
// answers not found for unknown, expired sessions and inactive users.
func (s *Store) SessionPrincipal(ctx context.Context, tokenHash []byte, now time.Time) (crm.Principal, time.Time, error) {
	var (
		p        crm.Principal
		lastSeen time.Time
	)
	err := scanPrincipal(s.queryRow(ctx, `SELECT `+principalColumns+`, s.id, s.last_seen_at
		FROM sessions s
		JOIN users u ON u.account_id = s.account_id AND u.id = s.user_id
		JOIN accounts a ON a.id = s.account_id
		WHERE s.token_hash = ? AND s.expires_at > ? AND u.active = ?`, tokenHash, now, true), &p, &p.SessionID, &lastSeen)
	return p, lastSeen, mapError(err)
}

// TouchSession records activity and slides the expiry forward.
func (s *Store) TouchSession(ctx context.Context, id int64, now, expires time.Time) error {
	_, err := s.exec(ctx, `UPDATE sessions SET last_seen_at = ?, expires_at = ? WHERE id = ?`, now, expires, id)
	return err
}

// DeleteSessionByHash ends one session (logout).
func (s *Store) DeleteSessionByHash(ctx context.Context, tokenHash []byte) error {
	_, err := s.exec(ctx, `DELETE FROM sessions WHERE token_hash = ?`, tokenHash)
	return err
}

// DeleteExpiredSessions removes sessions past their expiry and returns how
// many went.
func (s *Store) DeleteExpiredSessions(ctx context.Context, now time.Time) (int64, error) {
	res, err := s.exec(ctx, `DELETE FROM sessions WHERE expires_at <= ?`, now)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// CreateAPIToken stores a new API token for a user of the account.
func (t *Tenant) CreateAPIToken(ctx context.Context, userID int64, tokenHash []byte, name string, now time.Time) (crm.APIToken, error) {
	tok := crm.APIToken{AccountID: t.account, UserID: userID, Name: name, CreatedAt: now.UTC().Truncate(time.Microsecond)}
	err := t.writeRow(ctx, `INSERT INTO api_tokens (token_hash, account_id, user_id, name, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id`,
		tokenHash, t.account, userID, name, now).Scan(&tok.ID)
	return tok, mapError(err)
}

// DeleteAPIToken revokes one token of a user of the account.
func (t *Tenant) DeleteAPIToken(ctx context.Context, userID, tokenID int64) error {
	res, err := t.exec(ctx, `DELETE FROM api_tokens WHERE account_id = ? AND user_id = ? AND id = ?`, t.account, userID, tokenID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return crm.NotFound()
	}
	return nil
}

// TokenPrincipal resolves an API token hash into who is calling.
func (s *Store) TokenPrincipal(ctx context.Context, tokenHash []byte) (crm.Principal, *time.Time, error) {
	var (
		p        crm.Principal
		lastUsed *time.Time
	)
	err := scanPrincipal(s.queryRow(ctx, `SELECT `+principalColumns+`, t.id, t.last_used_at
		FROM api_tokens t
		JOIN users u ON u.account_id = t.account_id AND u.id = t.user_id
		JOIN accounts a ON a.id = t.account_id
		WHERE t.token_hash = ? AND u.active = ?`, tokenHash, true), &p, &p.TokenID, &lastUsed)
	return p, lastUsed, mapError(err)
}

// TouchAPIToken records when a token was last used.
func (s *Store) TouchAPIToken(ctx context.Context, id int64, now time.Time) error {
	_, err := s.exec(ctx, `UPDATE api_tokens SET last_used_at = ? WHERE id = ?`, now, id)
	return err
}

// APITokens lists a user's tokens, newest first, after the token with id
// before (0 for the first page), at most limit of them.
func (t *Tenant) APITokens(ctx context.Context, userID, before int64, limit int) ([]crm.APIToken, error) {
	if before <= 0 {
		before = 1<<63 - 1
	}
	rows, err := t.query(ctx, `SELECT id, account_id, user_id, name, created_at, last_used_at FROM api_tokens
		WHERE account_id = ? AND user_id = ? AND id < ? ORDER BY id DESC LIMIT ?`, t.account, userID, before, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []crm.APIToken
	for rows.Next() {
		var tok crm.APIToken
		if err := rows.Scan(&tok.ID, &tok.AccountID, &tok.UserID, &tok.Name, &tok.CreatedAt, &tok.LastUsedAt); err != nil {
			return nil, err
		}
		out = append(out, tok)
	}
	return out, rows.Err()
}
