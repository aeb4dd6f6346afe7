package store_test

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"klientela/internal/crm"
	"klientela/internal/store"
	"klientela/internal/store/storetest"
)

var t0 = time.Date(2026, 11, 28, 9, 30, 0, 123456789, time.UTC)

func newAccount(t *testing.T, s *store.Store, email string) (crm.Account, crm.User) {
	t.Helper()
	a, u, err := s.CreateAccount(context.Background(), store.NewAccount{Name: "Firma " + email, TimeZone: "Europe/Warsaw",
		OwnerName: "Jan Kowalski", OwnerEmail: email, PasswordHash: "hash", Locale: "pl", Now: t0})
	if err != nil {
		t.Fatal(err)
	}
	return a, u
}

func TestMigrationVersionsMatch(t *testing.T) {
	list := func(dir string) []string {
		var names []string
		err := fs.WalkDir(os.DirFS(dir), ".", func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				names = append(names, p)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return names
	}
	lite, pg := list(filepath.Join("migrations", "sqlite")), list(filepath.Join("migrations", "postgres"))
	if len(lite) == 0 || !slices.Equal(lite, pg) {
		t.Fatalf("migration files differ:\nsqlite:   %v\npostgres: %v", lite, pg)
	}
}

func TestAccountsAndUsers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a, owner := newAccount(t, s, "ala@example.pl")
		if owner.Role != crm.RoleOwner || !owner.Active || owner.AccountID != a.ID {
			t.Fatalf("owner = %+v", owner)
		}
		got, err := s.Tenant(a.ID).Account(ctx)
		if err != nil || got.Name != "Firma ala@example.pl" || got.TimeZone != "Europe/Warsaw" || !got.CreatedAt.Equal(t0.Truncate(time.Microsecond)) {
			t.Fatalf("Account = %+v, %v", got, err)
		}
		bs, err := s.Tenant(a.ID).Businesses(ctx)
		if err != nil || len(bs) != 1 || !bs[0].IsDefault || bs[0].Name != a.Name {
			t.Fatalf("Businesses = %+v, %v", bs, err)
		}

		// The same e-mail cannot sign up twice, and nothing is half-written.
		_, _, err = s.CreateAccount(ctx, store.NewAccount{Name: "Druga", TimeZone: "Europe/Warsaw", OwnerName: "X",
			OwnerEmail: "ala@example.pl", PasswordHash: "h", Locale: "pl", Now: t0})
		if e, ok := crm.AsError(err); !ok || e.Code != crm.CodeConflict || e.Fields["email"].Key != "err.email_taken" {
			t.Fatalf("duplicate e-mail: err = %v", err)
		}
		var n int
		if err := s.Tenant(a.ID).InTx(ctx, func(*store.Tenant) error { return nil }); err != nil {
			t.Fatal(err)
		}
		if n = countAccounts(t, s); n != 1 {
			t.Fatalf("accounts after failed sign-up = %d, want 1", n)
		}

		ul, err := s.UserByEmail(ctx, "ala@example.pl")
		if err != nil || ul.User.ID != owner.ID || ul.PasswordHash != "hash" {
			t.Fatalf("UserByEmail = %+v, %v", ul, err)
		}
		if _, err := s.UserByEmail(ctx, "nikt@example.pl"); crm.ErrorCode(err) != crm.CodeNotFound {
			t.Fatalf("UserByEmail(unknown) err = %v", err)
		}
	})
}

func countAccounts(t *testing.T, s *store.Store) int {
	t.Helper()
	n := 0
	for id := int64(1); id < 10; id++ {
		if _, err := s.Tenant(id).Account(context.Background()); err == nil {
			n++
		}
	}
	return n
}

func TestTenantIsolation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a, ua := newAccount(t, s, "a@example.pl")
		b, ub := newAccount(t, s, "b@example.pl")
		ta, tb := s.Tenant(a.ID), s.Tenant(b.ID)
		if _, err := ta.User(ctx, ub.ID); crm.ErrorCode(err) != crm.CodeNotFound {
			t.Fatalf("account A reads B's user: err = %v", err)
		}
		if err := ta.SetLocale(ctx, ub.ID, "en", t0); crm.ErrorCode(err) != crm.CodeNotFound {
			t.Fatalf("account A changes B's user: err = %v", err)
		}
		if err := ta.SetPasswordHash(ctx, ub.ID, "evil", true, 0, t0); crm.ErrorCode(err) != crm.CodeNotFound {
			t.Fatalf("account A sets B's password: err = %v", err)
		}
		if h, _ := tb.PasswordHash(ctx, ub.ID); h != "hash" {
			t.Fatalf("B's hash changed to %q", h)
		}
		if _, err := ta.PasswordHash(ctx, ub.ID); crm.ErrorCode(err) != crm.CodeNotFound {
			t.Fatalf("account A reads B's hash: err = %v", err)
		}
		// A session of A's user cannot be created inside B (composite FK).
		if _, err := tb.CreateSession(ctx, ua.ID, store.NewSession{TokenHash: []byte("x"), Now: t0, Expires: t0.Add(time.Hour)}); err == nil {
			t.Fatal("created a session for A's user inside account B")
		}
		tok, err := ta.CreateAPIToken(ctx, ua.ID, []byte("tok-a"), "cli", t0)
		if err != nil {
			t.Fatal(err)
		}
		if err := tb.DeleteAPIToken(ctx, ub.ID, tok.ID); crm.ErrorCode(err) != crm.CodeNotFound {
			t.Fatalf("account B revokes A's token: err = %v", err)
		}
		if n, _ := tb.CountUsers(ctx); n != 1 {
			t.Fatalf("CountUsers(B) = %d", n)
		}
	})
}

func TestSessionsAndTokens(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a, u := newAccount(t, s, "sesja@example.pl")
		ta := s.Tenant(a.ID)
		id, err := ta.CreateSession(ctx, u.ID, store.NewSession{TokenHash: []byte("h1"), Now: t0, Expires: t0.Add(time.Hour), UserAgent: "test", IP: "127.0.0.1"})
		if err != nil {
			t.Fatal(err)
		}
		p, last, err := s.SessionPrincipal(ctx, []byte("h1"), t0.Add(time.Minute))
		if err != nil || p.User.ID != u.ID || p.Account.ID != a.ID || p.SessionID != id || !last.Equal(t0.Truncate(time.Microsecond)) {
			t.Fatalf("SessionPrincipal = %+v, %v, %v", p, last, err)
		}
		if _, _, err := s.SessionPrincipal(ctx, []byte("h1"), t0.Add(2*time.Hour)); crm.ErrorCode(err) != crm.CodeNotFound {
			t.Fatalf("expired session: err = %v", err)
		}
		if err := s.TouchSession(ctx, id, t0.Add(time.Hour), t0.Add(3*time.Hour)); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.SessionPrincipal(ctx, []byte("h1"), t0.Add(2*time.Hour)); err != nil {
			t.Fatalf("touched session: err = %v", err)
		}
		// A second session; a password change keeps the current one only.
		id2, _ := ta.CreateSession(ctx, u.ID, store.NewSession{TokenHash: []byte("h2"), Now: t0, Expires: t0.Add(time.Hour)})
		if _, err := ta.CreateAPIToken(ctx, u.ID, []byte("t1"), "", t0); err != nil {
			t.Fatal(err)
		}
		if err := ta.SetPasswordHash(ctx, u.ID, "new", true, id2, t0); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.SessionPrincipal(ctx, []byte("h1"), t0); crm.ErrorCode(err) != crm.CodeNotFound {
			t.Fatalf("other session survived a password change: %v", err)
		}
		if _, _, err := s.SessionPrincipal(ctx, []byte("h2"), t0); err != nil {
			t.Fatalf("current session ended by a password change: %v", err)
		}
		if _, _, err := s.TokenPrincipal(ctx, []byte("t1")); crm.ErrorCode(err) != crm.CodeNotFound {
			t.Fatalf("API token survived a password change: %v", err)
		}
		if err := s.DeleteSessionByHash(ctx, []byte("h2")); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.SessionPrincipal(ctx, []byte("h2"), t0); crm.ErrorCode(err) != crm.CodeNotFound {
			t.Fatalf("session after logout: %v", err)
		}

		tok, err := ta.CreateAPIToken(ctx, u.ID, []byte("t2"), "cli", t0)
		if err != nil {
			t.Fatal(err)
		}
		p, lastUsed, err := s.TokenPrincipal(ctx, []byte("t2"))
		if err != nil || p.TokenID != tok.ID || lastUsed != nil {
			t.Fatalf("TokenPrincipal = %+v, %v, %v", p, lastUsed, err)
		}
		if err := s.TouchAPIToken(ctx, tok.ID, t0); err != nil {
			t.Fatal(err)
		}
		if _, lastUsed, _ = s.TokenPrincipal(ctx, []byte("t2")); lastUsed == nil || !lastUsed.Equal(t0.Truncate(time.Microsecond)) {
			t.Fatalf("last used = %v", lastUsed)
		}
		if err := ta.DeleteAPIToken(ctx, u.ID, tok.ID); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.TokenPrincipal(ctx, []byte("t2")); crm.ErrorCode(err) != crm.CodeNotFound {
			t.Fatalf("revoked token: %v", err)
		}
		n, err := s.DeleteExpiredSessions(ctx, t0.Add(10*time.Hour))
		if err != nil || n != 0 {
			t.Fatalf("DeleteExpiredSessions = %d, %v", n, err)
		}
	})
}

func TestRateLimitCounter(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		const w = 15 * time.Minute
		for i := 1; i <= 3; i++ {
			n, start, err := s.Hit(ctx, "login:ip:1.2.3.4", w, t0.Add(time.Duration(i)*time.Minute))
			if err != nil || n != i || !start.Equal(t0.Add(time.Minute).Truncate(time.Microsecond)) {
				t.Fatalf("hit %d: n=%d start=%v err=%v", i, n, start, err)
			}
		}
		if n, _, _ := s.Hits(ctx, "login:ip:1.2.3.4", w, t0.Add(5*time.Minute)); n != 3 {
			t.Fatalf("Hits = %d, want 3", n)
		}
		// After the window, the count starts again.
		if n, _, _ := s.Hit(ctx, "login:ip:1.2.3.4", w, t0.Add(20*time.Minute)); n != 1 {
			t.Fatalf("hit after window = %d, want 1", n)
		}
		if err := s.ResetHits(ctx, "login:ip:1.2.3.4"); err != nil {
			t.Fatal(err)
		}
		if n, _, _ := s.Hits(ctx, "login:ip:1.2.3.4", w, t0.Add(21*time.Minute)); n != 0 {
			t.Fatalf("Hits after reset = %d", n)
		}

		// Concurrent hits are all counted (no lost updates).
		var wg sync.WaitGroup
		for range 40 {
			wg.Go(func() {
				if _, _, err := s.Hit(ctx, "concurrent", w, t0); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		if n, _, _ := s.Hits(ctx, "concurrent", w, t0); n != 40 {
			t.Fatalf("concurrent hits = %d, want 40", n)
		}
	})
}

func TestMigrateTwiceAndVersion(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		if err := s.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		cur, latest, err := s.SchemaVersion(ctx)
		if err != nil || cur != latest || cur < 1 {
			t.Fatalf("SchemaVersion = %d, %d, %v", cur, latest, err)
		}
	})
}

// Several instances starting at once against one PostgreSQL database all
// succeed: the advisory lock serialises the migration.
func TestConcurrentMigratePostgres(t *testing.T) {
	dsn := storetest.PostgresDSN(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			s, err := store.Open(ctx, dsn)
			if err != nil {
				t.Error(err)
				return
			}
			defer s.Close()
			if err := s.Migrate(ctx); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
}
