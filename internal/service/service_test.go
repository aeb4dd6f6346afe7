package service_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"klientela/internal/crm"
	"klientela/internal/password"
	"klientela/internal/service"
	"klientela/internal/store"
	"klientela/internal/store/storetest"
)

func newService(t *testing.T, st *store.Store, opt service.Options) *service.Service {
	t.Helper()
	if opt.Password == (password.Params{}) {
		opt.Password = password.Fast
	}
	s, err := service.New(st, opt)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// Many sign-ups with one e-mail at once: exactly one account is created,
// the others get a conflict on the e-mail field.
func TestConcurrentSignupSameEmail(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		svc := newService(t, st, service.Options{Limits: service.Limits{SignupPerIP: 100}})
		var (
			wg        sync.WaitGroup
			mu        sync.Mutex
			ok, clash int
		)
		for i := range 12 {
			wg.Go(func() {
				_, _, err := svc.SignUp(context.Background(), service.SignUpInput{CompanyName: "Firma", Name: "Jan",
					Email: "jan@example.pl", Password: "tajne-haslo-123", IP: "10.0.0." + string(rune('0'+i%10))})
				mu.Lock()
				defer mu.Unlock()
				switch crm.ErrorCode(err) {
				case "":
					ok++
				case crm.CodeConflict:
					clash++
				default:
					t.Errorf("sign-up: %v", err)
				}
			})
		}
		wg.Wait()
		if ok != 1 || clash != 11 {
			t.Fatalf("%d created, %d conflicts; want 1 and 11", ok, clash)
		}
	})
}

// A hash made with old parameters is replaced at the next login.
func TestLoginRehashes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		old := newService(t, st, service.Options{Password: password.Params{Memory: 32, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}})
		_, u, err := old.CreateAccount(ctx, service.SignUpInput{CompanyName: "Firma", Name: "Jan", Email: "jan@example.pl", Password: "tajne-haslo-123"})
		if err != nil {
			t.Fatal(err)
		}
		svc := newService(t, st, service.Options{})
		if _, err := svc.Login(ctx, service.LoginInput{Email: "jan@example.pl", Password: "tajne-haslo-123", IP: "1.1.1.1"}); err != nil {
			t.Fatal(err)
		}
		h, _ := st.Tenant(u.AccountID).PasswordHash(ctx, u.ID)
		if _, rehash, err := password.Fast.Verify("tajne-haslo-123", h); err != nil || rehash {
			t.Fatalf("hash after login %q: rehash=%v err=%v", h, rehash, err)
		}
	})
}

func TestSessionsExpireAndAreCleanedUp(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
		clock := func() time.Time { return now }
		svc := newService(t, st, service.Options{Now: clock, SessionTTL: time.Hour})
		_, u, err := svc.CreateAccount(ctx, service.SignUpInput{CompanyName: "Firma", Name: "Jan", Email: "jan@example.pl", Password: "tajne-haslo-123"})
		if err != nil {
			t.Fatal(err)
		}
		tok, err := svc.StartSession(ctx, u, service.SessionInfo{UserAgent: "test", IP: "127.0.0.1"})
		if err != nil {
			t.Fatal(err)
		}
		// Activity slides the expiry forward.
		now = now.Add(50 * time.Minute)
		if _, err := svc.SessionPrincipal(ctx, tok); err != nil {
			t.Fatal(err)
		}
		now = now.Add(50 * time.Minute)
		if _, err := svc.SessionPrincipal(ctx, tok); err != nil {
			t.Fatalf("a used session expired: %v", err)
		}
		// Idle past the TTL: gone, and the janitor removes it.
		now = now.Add(2 * time.Hour)
		if _, err := svc.SessionPrincipal(ctx, tok); crm.ErrorCode(err) != crm.CodeUnauthorized {
			t.Fatalf("idle session: %v", err)
		}
		if err := svc.Cleanup(ctx); err != nil {
			t.Fatal(err)
		}
		if n, _ := st.DeleteExpiredSessions(ctx, now); n != 0 {
			t.Fatalf("cleanup left %d expired sessions", n)
		}
	})
}

func TestActorRequired(t *testing.T) {
	st := storetest.SQLite(t)
	svc := newService(t, st, service.Options{})
	ctx := context.Background()
	if _, err := svc.Dashboard(ctx); crm.ErrorCode(err) != crm.CodeUnauthorized {
		t.Fatalf("Dashboard without a principal: %v", err)
	}
	if err := svc.ChangePassword(ctx, service.ChangePasswordInput{}); crm.ErrorCode(err) != crm.CodeUnauthorized {
		t.Fatalf("ChangePassword without a principal: %v", err)
	}
	p := &crm.Principal{User: crm.User{ID: 1, AccountID: 1, Role: crm.RoleUser, Active: true}, Account: crm.Account{ID: 1}}
	if _, err := svc.UpdateAccount(crm.WithPrincipal(ctx, p), service.AccountSettings{Name: "X", TimeZone: "UTC"}); crm.ErrorCode(err) != crm.CodeForbidden {
		t.Fatalf("UpdateAccount by a non-owner: %v", err)
	}
}

// The last active owner cannot be demoted or deactivated, even by a
// principal the other checks let through.
func TestLastOwnerStays(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		svc := newService(t, st, service.Options{})
		acc, owner, err := svc.CreateAccount(ctx, service.SignUpInput{CompanyName: "Firma", Name: "Jan", Email: "jan@example.pl", Password: "tajne-haslo-123"})
		if err != nil {
			t.Fatal(err)
		}
		// A principal of the same account that is not the owner's own user.
		other := &crm.Principal{User: crm.User{ID: owner.ID + 1000, AccountID: acc.ID, Role: crm.RoleOwner, Active: true}, Account: acc}
		ctx = crm.WithPrincipal(ctx, other)
		role := crm.RoleUser
		if _, err := svc.UpdateUser(ctx, owner.ID, service.UserInput{Role: &role}); !hasField(err, "role", "err.last_owner") {
			t.Fatalf("demote the last owner: %v", err)
		}
		off := false
		if _, err := svc.UpdateUser(ctx, owner.ID, service.UserInput{Active: &off}); !hasField(err, "role", "err.last_owner") {
			t.Fatalf("deactivate the last owner: %v", err)
		}
		if err := svc.DeleteUser(ctx, owner.ID); crm.ErrorCode(err) != crm.CodeConflict {
			t.Fatalf("delete the last owner: %v", err)
		}
		u, _ := st.Tenant(acc.ID).User(context.Background(), owner.ID)
		if u.Role != crm.RoleOwner || !u.Active {
			t.Fatalf("owner changed: %+v", u)
		}
	})
}

func hasField(err error, field, key string) bool {
	e, ok := crm.AsError(err)
	return ok && e.Fields[field].Key == key
}

// Two owners demoting each other at the same moment leave one owner: the
// account row is locked for user changes (PostgreSQL; SQLite serialises
// write transactions anyway).
func TestOwnersDemotingEachOther(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		svc := newService(t, st, service.Options{})
		acc, a, err := svc.CreateAccount(ctx, service.SignUpInput{CompanyName: "Firma", Name: "A", Email: "a@example.pl", Password: "tajne-haslo-123"})
		if err != nil {
			t.Fatal(err)
		}
		pa := &crm.Principal{User: a, Account: acc}
		owner := crm.RoleOwner
		b, err := svc.CreateUser(crm.WithPrincipal(ctx, pa), service.UserInput{Email: ptr("b@example.pl"), Name: ptr("B"), Password: "tajne-haslo-123", Role: &owner})
		if err != nil {
			t.Fatal(err)
		}
		pb := &crm.Principal{User: b, Account: acc}
		for round := range 10 {
			user := crm.RoleUser
			var wg sync.WaitGroup
			wg.Go(func() { _, _ = svc.UpdateUser(crm.WithPrincipal(ctx, pa), b.ID, service.UserInput{Role: &user}) })
			wg.Go(func() { _, _ = svc.UpdateUser(crm.WithPrincipal(ctx, pb), a.ID, service.UserInput{Role: &user}) })
			wg.Wait()
			n, err := st.Tenant(acc.ID).CountOwners(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if n != 1 {
				t.Fatalf("round %d: %d owners after both demoted each other, want 1", round, n)
			}
			// Restore two owners for the next round, as whoever is still one.
			ua, _ := st.Tenant(acc.ID).User(ctx, a.ID)
			actor, other := pa, b.ID
			if ua.Role != crm.RoleOwner {
				actor, other = pb, a.ID
			}
			if _, err := svc.UpdateUser(crm.WithPrincipal(ctx, actor), other, service.UserInput{Role: &owner}); err != nil {
				t.Fatal(err)
			}
		}
	})
}

func ptr[T any](v T) *T { return &v }

// A client in the trash for more than 30 days is removed by the janitor,
// and the history says the system did it.
func TestTrashedClientsPurgedAfter30Days(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		now := time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)
		svc := newService(t, st, service.Options{Now: func() time.Time { return now }})
		ctx := context.Background()
		acc, owner, err := svc.CreateAccount(ctx, service.SignUpInput{CompanyName: "Firma", Name: "Jan", Email: "jan@example.pl", Password: "tajne-haslo-123"})
		if err != nil {
			t.Fatal(err)
		}
		pctx := crm.WithPrincipal(ctx, &crm.Principal{User: owner, Account: acc})
		c, err := svc.CreateClient(pctx, service.ClientInput{Kind: "company", Name: "Hurtownia Żuraw", Status: "active"})
		if err != nil {
			t.Fatal(err)
		}
		if err := svc.DeleteClient(pctx, c.ID); err != nil {
			t.Fatal(err)
		}
		now = now.AddDate(0, 0, 29)
		if err := svc.Cleanup(ctx); err != nil {
			t.Fatal(err)
		}
		if err := svc.RestoreClient(pctx, c.ID); err != nil {
			t.Fatalf("after 29 days the client is gone from the trash: %v", err)
		}
		if err := svc.DeleteClient(pctx, c.ID); err != nil {
			t.Fatal(err)
		}
		now = now.AddDate(0, 0, 31)
		if err := svc.Cleanup(ctx); err != nil {
			t.Fatal(err)
		}
		if err := svc.RestoreClient(pctx, c.ID); crm.ErrorCode(err) != crm.CodeNotFound {
			t.Fatalf("after 31 days in the trash: restore = %v, want not found", err)
		}
		es, err := st.Tenant(acc.ID).AuditLog(ctx, store.AuditFilter{Entity: "client", EntityID: c.ID, Limit: 1})
		if err != nil || len(es) != 1 || es[0].Action != crm.ActionDelete || es[0].UserID != nil {
			t.Fatalf("last history entry = %+v, %v; want a deletion by the system", es, err)
		}
	})
}
