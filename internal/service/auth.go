package service

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"math"
	"time"

	"klientela/internal/authz"
	"klientela/internal/crm"
	"klientela/internal/i18n"
	"klientela/internal/store"
)

// SignUpInput is the public sign-up form.
type SignUpInput struct {
	CompanyName string
	Name        string
	Email       string
	Password    string
	Locale      string // the language the person signed up in
	IP          string
}

// SignUp creates an account with its owner, when public sign-up is open.
func (s *Service) SignUp(ctx context.Context, in SignUpInput) (crm.Account, crm.User, error) {
	if s.opt.SignupDisabled {
		return crm.Account{}, crm.User{}, crm.NotFound()
	}
	if err := s.validateAccount(&in); err != nil {
		return crm.Account{}, crm.User{}, err
	}
	if err := s.limit(ctx, "signup:ip:"+in.IP, s.opt.Limits.SignupPerIP, "company_name"); err != nil {
		return crm.Account{}, crm.User{}, err
	}
	return s.createAccount(ctx, in)
}

// CreateAccount creates an account with its owner whether or not sign-up is
// open (the `klientela account create` command).
func (s *Service) CreateAccount(ctx context.Context, in SignUpInput) (crm.Account, crm.User, error) {
	if err := s.validateAccount(&in); err != nil {
		return crm.Account{}, crm.User{}, err
	}
	return s.createAccount(ctx, in)
}

func (s *Service) validateAccount(in *SignUpInput) error {
	in.CompanyName, in.Name, in.Email = cleanText(in.CompanyName), cleanText(in.Name), NormalizeEmail(in.Email)
	var v crm.Validation
	checkRequiredText(&v, "company_name", in.CompanyName, maxAccountName)
	checkRequiredText(&v, "name", in.Name, MaxName)
	checkEmail(&v, "email", in.Email)
	checkPassword(&v, "password", in.Password)
	if _, ok := i18n.ParseLang(in.Locale); !ok {
		in.Locale = string(i18n.PL)
	}
	return v.Err()
}

func (s *Service) createAccount(ctx context.Context, in SignUpInput) (crm.Account, crm.User, error) {
	hash, err := s.opt.Password.Hash(in.Password)
	if err != nil {
		return crm.Account{}, crm.User{}, err
	}
	lang, _ := i18n.ParseLang(in.Locale)
	return s.store.CreateAccount(ctx, store.NewAccount{
		Name: in.CompanyName, TimeZone: i18n.DefaultZone, OwnerName: in.Name, OwnerEmail: in.Email,
		PasswordHash: hash, Locale: string(lang), Now: s.now(),
	})
}

// LoginInput is an attempt to log in.
type LoginInput struct {
	Email    string
	Password string
	IP       string
}

var errLoginFailed = &crm.Error{Code: crm.CodeUnauthorized, Key: "err.login_failed",
	Fields: map[string]crm.Msg{"password": {Key: "err.login_failed"}}}

// Login checks an e-mail and password. Attempts are limited per IP and per
// e-mail; an unknown e-mail costs as much time as a known one.
func (s *Service) Login(ctx context.Context, in LoginInput) (crm.User, error) {
	email := NormalizeEmail(in.Email)
	var v crm.Validation
	if email == "" {
		v.Add("email", "err.required")
	}
	if in.Password == "" {
		v.Add("password", "err.required")
	}
	if err := v.Err(); err != nil {
		return crm.User{}, err
	}
	if err := s.limit(ctx, "login:ip:"+in.IP, s.opt.Limits.LoginPerIP, "email"); err != nil {
		return crm.User{}, err
	}
	// Count the attempt before checking it, in one atomic statement, so that
	// parallel guesses cannot slip past the limit; a success resets it.
	// The key holds a digest, not the address: bounded in size whatever
	// was typed, and no e-mail addresses in the counters table.
	sum := sha256.Sum256([]byte(email))
	userKey := "login:email:" + hex.EncodeToString(sum[:16])
	now := s.now()
	if n, start, err := s.store.Hit(ctx, userKey, s.opt.Limits.Window, now); err != nil {
		return crm.User{}, err
	} else if n > s.opt.Limits.LoginPerUser {
		return crm.User{}, s.rateLimited(start, "email")
	}

	ul, err := s.store.UserByEmail(ctx, email)
	hash := ul.PasswordHash
	if err != nil {
		if crm.ErrorCode(err) != crm.CodeNotFound {
			return crm.User{}, err
		}
		hash = s.dummyHash
	}
	ok, rehash, verr := s.opt.Password.Verify(in.Password, hash)
	if err != nil || verr != nil || !ok || !ul.User.Active {
		return crm.User{}, errLoginFailed
	}
	if err := s.store.ResetHits(ctx, userKey); err != nil {
		return crm.User{}, err
	}
	if rehash {
		if h, err := s.opt.Password.Hash(in.Password); err == nil {
			if err := s.store.Tenant(ul.User.AccountID).SetPasswordHash(ctx, ul.User.ID, h, false, 0, now); err != nil {
				s.opt.Logger.Warn("re-hash password", "user", ul.User.ID, "err", err)
			}
		}
	}
	return ul.User, nil
}

// limit counts one attempt against key and refuses past max.
func (s *Service) limit(ctx context.Context, key string, max int, field string) error {
	n, start, err := s.store.Hit(ctx, key, s.opt.Limits.Window, s.now())
	if err != nil {
		return err
	}
	if n > max {
		return s.rateLimited(start, field)
	}
	return nil
}

func (s *Service) rateLimited(windowStart time.Time, field string) error {
	left := windowStart.Add(s.opt.Limits.Window).Sub(s.now())
	minutes := max(1, int(math.Ceil(left.Minutes())))
	return &crm.Error{Code: crm.CodeRateLimited, Key: "err.rate_limited", Args: []any{"minutes", minutes},
		Fields: map[string]crm.Msg{field: {Key: "err.rate_limited", Args: []any{"minutes", minutes}}}}
}

// newToken returns a random token for a client and the hash the database keeps.
func newToken() (string, []byte) {
	var b [32]byte
	_, _ = rand.Read(b[:]) // crypto/rand never fails on Linux (Go 1.24+ panics instead)
	tok := base64.RawURLEncoding.EncodeToString(b[:])
	return tok, hashToken(tok)
}

func hashToken(tok string) []byte {
	h := sha256.Sum256([]byte(tok))
	return h[:]
}

// SessionInfo describes the browser that starts a session.
type SessionInfo struct {
	UserAgent string
	IP        string
}

// StartSession opens a browser session for a user who has just logged in (or
// signed up) and returns the token for the cookie. The caller must drop any
// session token the browser had before (session fixation).
func (s *Service) StartSession(ctx context.Context, u crm.User, info SessionInfo) (string, error) {
	tok, hash := newToken()
	now := s.now()
	ua := cleanText(info.UserAgent)
	if r := []rune(ua); len(r) > 300 {
		ua = string(r[:300])
	}
	_, err := s.store.Tenant(u.AccountID).CreateSession(ctx, u.ID, store.NewSession{
		TokenHash: hash, UserAgent: ua, IP: info.IP, Now: now, Expires: now.Add(s.opt.SessionTTL)})
	return tok, err
}

// touchEvery bounds how often a session's last-seen time is written: at most
// once in this interval, so that page views are not all writes.
const touchEvery = 5 * time.Minute

// SessionPrincipal returns who holds a session token, sliding its expiry.
// Unknown and expired tokens are unauthorized.
func (s *Service) SessionPrincipal(ctx context.Context, token string) (*crm.Principal, error) {
	if token == "" {
		return nil, crm.Unauthorized()
	}
	now := s.now()
	p, lastSeen, err := s.store.SessionPrincipal(ctx, hashToken(token), now)
	if err != nil {
		if crm.ErrorCode(err) == crm.CodeNotFound {
			return nil, crm.Unauthorized()
		}
		return nil, err
	}
	if now.Sub(lastSeen) > touchEvery {
		if err := s.store.TouchSession(ctx, p.SessionID, now, now.Add(s.opt.SessionTTL)); err != nil {
			s.opt.Logger.Warn("touch session", "err", err)
		}
	}
	return &p, nil
}

// Logout ends the session holding token.
func (s *Service) Logout(ctx context.Context, token string) error {
	if token == "" {
		return nil
	}
	return s.store.DeleteSessionByHash(ctx, hashToken(token))
}

// CreateAPIToken logs in with an e-mail and password and returns a new API
// token for that user.
func (s *Service) CreateAPIToken(ctx context.Context, in LoginInput, name string) (string, crm.APIToken, error) {
	u, err := s.Login(ctx, in)
	if err != nil {
		return "", crm.APIToken{}, err
	}
	if u.MustChangePassword {
		return "", crm.APIToken{}, errMustChangePassword
	}
	tok, hash := newToken()
	name = cleanText(name)
	if r := []rune(name); len(r) > 100 {
		name = string(r[:100])
	}
	t, err := s.store.Tenant(u.AccountID).CreateAPIToken(ctx, u.ID, hash, name, s.now())
	return tok, t, err
}

// TokenPrincipal returns who holds an API token.
func (s *Service) TokenPrincipal(ctx context.Context, token string) (*crm.Principal, error) {
	if token == "" {
		return nil, crm.Unauthorized()
	}
	p, lastUsed, err := s.store.TokenPrincipal(ctx, hashToken(token))
	if err != nil {
		if crm.ErrorCode(err) == crm.CodeNotFound {
			return nil, crm.Unauthorized()
		}
		return nil, err
	}
	if now := s.now(); lastUsed == nil || now.Sub(*lastUsed) > touchEvery {
		if err := s.store.TouchAPIToken(ctx, p.TokenID, now); err != nil {
			s.opt.Logger.Warn("touch token", "err", err)
		}
	}
	return &p, nil
}

// Page asks for one page of a list: at most Limit items after Cursor.
type Page struct {
	Cursor int64 // the last id of the previous page; 0 for the first
	Limit  int
}

// Limits of a page.
const (
	DefaultPageSize = 50
	MaxPageSize     = 200
)

func (p Page) limit() int {
	switch {
	case p.Limit <= 0:
		return DefaultPageSize
	case p.Limit > MaxPageSize:
		return MaxPageSize
	}
	return p.Limit
}

// APITokens lists the acting user's API tokens, newest first. It returns
// the cursor of the next page, 0 at the end.
func (s *Service) APITokens(ctx context.Context, page Page) ([]crm.APIToken, int64, error) {
	p, t, err := s.actor(ctx, authz.Dashboard, authz.View)
	if err != nil {
		return nil, 0, err
	}
	n := page.limit()
	// One more than asked tells whether another page follows.
	toks, err := t.APITokens(ctx, p.User.ID, page.Cursor, n+1)
	if err != nil || len(toks) <= n {
		return toks, 0, err
	}
	return toks[:n], toks[n-1].ID, nil
}

// NewAPIToken creates an API token for the acting user (from the profile
// page) and returns it; it is shown only once.
func (s *Service) NewAPIToken(ctx context.Context, name string) (string, crm.APIToken, error) {
	p, t, err := s.actor(ctx, authz.Dashboard, authz.View)
	if err != nil {
		return "", crm.APIToken{}, err
	}
	name = cleanText(name)
	var v crm.Validation
	checkRequiredText(&v, "name", name, 100)
	if err := v.Err(); err != nil {
		return "", crm.APIToken{}, err
	}
	tok, hash := newToken()
	at, err := t.CreateAPIToken(ctx, p.User.ID, hash, name, s.now())
	return tok, at, err
}

// RevokeAPIToken revokes one of the acting user's tokens; another user's
// token is not found.
func (s *Service) RevokeAPIToken(ctx context.Context, id int64) error {
	p, t, err := s.actor(ctx, authz.Dashboard, authz.View)
	if err != nil {
		return err
	}
	return t.DeleteAPIToken(ctx, p.User.ID, id)
}

// RevokeCurrentToken revokes the API token the request came with.
func (s *Service) RevokeCurrentToken(ctx context.Context) error {
	p, t, err := s.actor(ctx, authz.Dashboard, authz.View)
	if err != nil {
		return err
	}
	if p.TokenID == 0 {
		return crm.NotFound()
	}
	return t.DeleteAPIToken(ctx, p.User.ID, p.TokenID)
}

// ChangePasswordInput is the password form of the profile page.
type ChangePasswordInput struct {
	Current string
	New     string
	Confirm string
}

// ChangePassword replaces the acting user's password after checking the
// current one. Every other session and every API token of the user ends.
func (s *Service) ChangePassword(ctx context.Context, in ChangePasswordInput) error {
	p, t, err := s.actor(ctx, authz.Dashboard, authz.View)
	if err != nil {
		return err
	}
	var v crm.Validation
	if in.Current == "" {
		v.Add("current_password", "err.required")
	}
	checkPassword(&v, "new_password", in.New)
	if !v.Has("new_password") && in.Confirm != in.New {
		v.Add("new_password_confirm", "err.password_mismatch")
	}
	if err := v.Err(); err != nil {
		return err
	}
	hash, err := t.PasswordHash(ctx, p.User.ID)
	if err != nil {
		return err
	}
	if ok, _, err := s.opt.Password.Verify(in.Current, hash); err != nil || !ok {
		v.Add("current_password", "err.current_password_wrong")
		return v.Err()
	}
	newHash, err := s.opt.Password.Hash(in.New)
	if err != nil {
		return err
	}
	return t.SetPasswordHash(ctx, p.User.ID, newHash, true, p.SessionID, s.now())
}

// SetLanguage remembers the acting user's interface language.
func (s *Service) SetLanguage(ctx context.Context, lang string) error {
	p, t, err := s.actor(ctx, authz.Dashboard, authz.View)
	if err != nil {
		return err
	}
	l, ok := i18n.ParseLang(lang)
	if !ok {
		var v crm.Validation
		v.Add("lang", "err.invalid")
		return v.Err()
	}
	return t.SetLocale(ctx, p.User.ID, string(l), s.now())
}
