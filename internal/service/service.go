// Package service holds Klientela's use cases: the rules, the permission
// checks and the tenancy, shared by the HTML pages and the JSON API. Each
// method takes the acting principal from the context (crm.PrincipalFrom),
// never from its input.
package service

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"klientela/internal/authz"
	"klientela/internal/blob"
	"klientela/internal/crm"
	"klientela/internal/kept"
	"klientela/internal/password"
	"klientela/internal/store"
)

// Options tune a Service. The zero value of each field means its default.
type Options struct {
	Now            func() time.Time // the clock; time.Now by default
	Password       password.Params  // argon2id cost; password.Default by default
	SignupDisabled bool             // public sign-up is off
	SessionTTL     time.Duration    // idle lifetime of a browser session; 30 days
	Limits         Limits
	Logger         *slog.Logger
	Blob           blob.Store    // where file bytes go
	MaxFileSize    int64         // bytes of one uploaded file; DefaultMaxFileSize
	FilesQuota     int64         // bytes of all files of one account; DefaultFilesQuota
	JobLease       time.Duration // how long a job runner holds a job without news; DefaultJobLease
	JobPoll        time.Duration // how often an idle runner looks for work; DefaultJobPoll
}

// Limits bound login and sign-up attempts. They are counted in the database,
// so they hold across instances.
type Limits struct {
	Window       time.Duration // 15 minutes
	LoginPerIP   int           // login attempts per IP and window; 50
	LoginPerUser int           // failed logins per e-mail and window; 10
	SignupPerIP  int           // sign-ups per IP and window; 10
}

// Service is the application: every use case is a method.
type Service struct {
	store *store.Store
	opt   Options
	// dummyHash is verified when an e-mail is unknown, so that a login takes
	// as long whether or not the address has an account.
	dummyHash string

	jobsMu  sync.RWMutex
	jobs    map[string]JobHandler // background job handlers by kind
	jobWake chan struct{}         // a job was queued on this instance

	months *kept.Cache[monthKey, keptPart] // the parts of capped calendar ranges kept (calendar_kept.go)
}

// New returns a Service over st.
func New(st *store.Store, opt Options) (*Service, error) {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Password == (password.Params{}) {
		opt.Password = password.Default
	}
	if opt.SessionTTL == 0 {
		opt.SessionTTL = 30 * 24 * time.Hour
	}
	l := &opt.Limits
	if l.Window == 0 {
		l.Window = 15 * time.Minute
	}
	if l.LoginPerIP == 0 {
		l.LoginPerIP = 50
	}
	if l.LoginPerUser == 0 {
		l.LoginPerUser = 10
	}
	if l.SignupPerIP == 0 {
		l.SignupPerIP = 10
	}
	if opt.MaxFileSize <= 0 {
		opt.MaxFileSize = DefaultMaxFileSize
	}
	if opt.FilesQuota <= 0 {
		opt.FilesQuota = DefaultFilesQuota
	}
	if opt.Logger == nil {
		opt.Logger = slog.Default()
	}
	if opt.JobLease == 0 {
		opt.JobLease = DefaultJobLease
	}
	if opt.JobPoll == 0 {
		opt.JobPoll = DefaultJobPoll
	}
	s := &Service{store: st, opt: opt, dummyHash: opt.Password.Dummy(), jobWake: make(chan struct{}, 1),
		months: newMonthCache()}
	s.RegisterJob(JobClientImport, s.runClientImport)
	return s, nil
}

// Ready reports whether the database answers.
func (s *Service) Ready(ctx context.Context) error { return s.store.Ping(ctx) }

// SignupEnabled reports whether the public sign-up form is open.
func (s *Service) SignupEnabled() bool { return !s.opt.SignupDisabled }

func (s *Service) now() time.Time { return s.opt.Now() }

// actor returns the principal of ctx and its tenant handle, after checking
// that it may act at level in section.
func (s *Service) actor(ctx context.Context, section authz.Section, level authz.Level) (*crm.Principal, *store.Tenant, error) {
	p := crm.PrincipalFrom(ctx)
	if err := authz.Require(p, section, level); err != nil {
		return nil, nil, err
	}
	if p.User.MustChangePassword && p.SessionID == 0 {
		// A user with a temporary password sets their own in the browser
		// first; until then the API is closed to them.
		return nil, nil, errMustChangePassword
	}
	return p, s.store.Tenant(p.Account.ID), nil
}

var errMustChangePassword = &crm.Error{Code: crm.CodeForbidden, Key: "err.must_change_password"}

// Cleanup removes expired sessions, clients left in the trash too long,
// the bytes of interrupted uploads and deletions, uploads of imports older
// than a day, old finished jobs and stale rate-limit counters, and merges
// the segments of SQLite's search indexes. Every instance may run it; the
// deletes are idempotent.
func (s *Service) Cleanup(ctx context.Context) error {
	now := s.now()
	n, err := s.store.DeleteExpiredSessions(ctx, now)
	if err != nil {
		return err
	}
	if n > 0 {
		s.opt.Logger.Info("expired sessions removed", "count", n)
	}
	purged, err := s.PurgeOldClients(ctx)
	if err != nil {
		return err
	}
	if purged > 0 {
		s.opt.Logger.Info("clients removed from the trash", "count", purged)
	}
	blobs, err := s.CleanupBlobs(ctx)
	if err != nil {
		return err
	}
	if blobs > 0 {
		s.opt.Logger.Info("orphan file bytes removed", "count", blobs)
	}
	files, err := s.store.DeleteOldImportFiles(ctx, now.Add(-importFileTTL))
	if err != nil {
		return err
	}
	if files > 0 {
		s.opt.Logger.Info("old import uploads removed", "count", files)
	}
	if _, err := s.store.DeleteFinishedJobs(ctx, now.AddDate(0, 0, -jobKeepDays)); err != nil {
		return err
	}
	if n, err := s.cleanupNotifications(ctx); err != nil {
		return err
	} else if n > 0 {
		s.opt.Logger.Info("old read notifications removed", "count", n)
	}
	if err := s.store.DeleteStaleHits(ctx, now.Add(-s.opt.Limits.Window)); err != nil {
		return err
	}
	_, err = s.store.TidySearchIndexes(ctx)
	return err
}
