package service_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"klientela/internal/crm"
	"klientela/internal/service"
	"klientela/internal/store"
	"klientela/internal/store/storetest"
)

// openTwice opens the same database twice, as two instances of the
// application would.
func openTwice(t *testing.T, engine string) (*store.Store, *store.Store) {
	t.Helper()
	dsn := ""
	switch engine {
	case "sqlite":
		dsn = storetest.SQLiteDSN(t)
	default:
		dsn = storetest.PostgresDSN(t)
	}
	ctx := context.Background()
	var out [2]*store.Store
	for i := range out {
		s, err := store.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		if err := s.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		out[i] = s
	}
	return out[0], out[1]
}

// Two instances run jobs from one database: every job runs exactly once.
func TestJobsRunOnceAcrossInstances(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			st1, st2 := openTwice(t, engine)
			ctx := context.Background()
			svc1 := newService(t, st1, service.Options{JobPoll: 5 * time.Millisecond})
			svc2 := newService(t, st2, service.Options{JobPoll: 5 * time.Millisecond})
			acc, owner, err := svc1.CreateAccount(ctx, service.SignUpInput{CompanyName: "Firma", Name: "Jan", Email: "jan@example.pl", Password: "tajne-haslo-123"})
			if err != nil {
				t.Fatal(err)
			}
			var (
				mu     sync.Mutex
				runs   = map[int64]int{}
				by     = map[string]int{}
				wg     sync.WaitGroup
				stop   context.CancelFunc
				runCtx context.Context
			)
			handler := func(name string) service.JobHandler {
				return func(ctx context.Context, run *service.JobRun) (any, error) {
					time.Sleep(2 * time.Millisecond)
					mu.Lock()
					runs[run.Job.ID]++
					by[name]++
					mu.Unlock()
					return map[string]string{"by": name}, nil
				}
			}
			svc1.RegisterJob("test", handler("one"))
			svc2.RegisterJob("test", handler("two"))
			const n = 60
			now := time.Now()
			tn := st1.Tenant(acc.ID)
			var ids []int64
			for range n {
				id, err := tn.CreateJob(ctx, crm.Job{Kind: "test", UserID: &owner.ID, RunAt: now, CreatedAt: now})
				if err != nil {
					t.Fatal(err)
				}
				ids = append(ids, id)
			}
			runCtx, stop = context.WithCancel(ctx)
			for i, svc := range []*service.Service{svc1, svc2, svc1, svc2} {
				wg.Go(func() { svc.RunJobs(runCtx, string(rune('A'+i))) })
			}
			deadline := time.Now().Add(30 * time.Second)
			for {
				done := 0
				for _, id := range ids {
					j, err := tn.Job(ctx, id)
					if err != nil {
						t.Fatal(err)
					}
					if j.State == crm.JobDone {
						done++
					}
				}
				if done == n {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("%d of %d jobs done after 30 s", done, n)
				}
				time.Sleep(20 * time.Millisecond)
			}
			stop()
			wg.Wait()
			for _, id := range ids {
				if runs[id] != 1 {
					t.Errorf("job %d ran %d times", id, runs[id])
				}
			}
			t.Logf("instance one ran %d jobs, instance two %d", by["one"], by["two"])
		})
	}
}

// A runner that died keeps its job only until its lease runs out; then
// another takes it over, and the dead one's late writes are refused.
func TestExpiredLeaseIsRetaken(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		svc := newService(t, st, service.Options{})
		acc, owner, err := svc.CreateAccount(ctx, service.SignUpInput{CompanyName: "Firma", Name: "Jan", Email: "jan@example.pl", Password: "tajne-haslo-123"})
		if err != nil {
			t.Fatal(err)
		}
		now := time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)
		tn := st.Tenant(acc.ID)
		id, err := tn.CreateJob(ctx, crm.Job{Kind: "test", Total: 10, UserID: &owner.ID, RunAt: now, CreatedAt: now})
		if err != nil {
			t.Fatal(err)
		}
		kinds := []string{"test"}
		j, ok, err := st.ClaimJob(ctx, "A", kinds, now, time.Minute)
		if err != nil || !ok || j.ID != id || j.Attempts != 1 || j.LockedBy != "A" {
			t.Fatalf("A claims: %+v %v %v", j, ok, err)
		}
		if err := tn.JobProgress(ctx, id, "A", 3, 10, now.Add(time.Minute), now); err != nil {
			t.Fatal(err)
		}
		if _, ok, _ := st.ClaimJob(ctx, "B", kinds, now.Add(59*time.Second), time.Minute); ok {
			t.Fatal("B took a job whose lease is still valid")
		}
		later := now.Add(61 * time.Second)
		j, ok, err = st.ClaimJob(ctx, "B", kinds, later, time.Minute)
		if err != nil || !ok || j.ID != id || j.Attempts != 2 || j.LockedBy != "B" || j.Progress != 3 {
			t.Fatalf("B retakes: %+v %v %v", j, ok, err)
		}
		if err := tn.JobProgress(ctx, id, "A", 4, 10, later.Add(time.Minute), later); !errors.Is(err, store.ErrLeaseLost) {
			t.Fatalf("A's late progress: %v, want lease lost", err)
		}
		if err := st.FinishJob(ctx, id, "A", crm.JobDone, nil, "", later); !errors.Is(err, store.ErrLeaseLost) {
			t.Fatalf("A's late finish: %v, want lease lost", err)
		}
		if err := st.FinishJob(ctx, id, "B", crm.JobDone, []byte(`{"ok":true}`), "", later); err != nil {
			t.Fatal(err)
		}
		j, err = tn.Job(ctx, id)
		if err != nil || j.State != crm.JobDone || j.Progress != 10 || string(j.Result) != `{"ok":true}` || j.FinishedAt == nil {
			t.Fatalf("finished job = %+v, %v", j, err)
		}
		if _, ok, _ := st.ClaimJob(ctx, "C", kinds, later.Add(time.Hour), time.Minute); ok {
			t.Fatal("a finished job was claimed")
		}
	})
}

// A failing job is retried until its attempts run out; a refusal (a domain
// error) fails it at once.
func TestJobRetriesAndFails(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		now := time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)
		svc := newService(t, st, service.Options{Now: func() time.Time { return now }})
		acc, owner, err := svc.CreateAccount(ctx, service.SignUpInput{CompanyName: "Firma", Name: "Jan", Email: "jan@example.pl", Password: "tajne-haslo-123"})
		if err != nil {
			t.Fatal(err)
		}
		svc.RegisterJob("flaky", func(ctx context.Context, run *service.JobRun) (any, error) { return nil, errors.New("network down") })
		svc.RegisterJob("refused", func(ctx context.Context, run *service.JobRun) (any, error) { return nil, crm.Forbidden() })
		tn := st.Tenant(acc.ID)
		flaky, _ := tn.CreateJob(ctx, crm.Job{Kind: "flaky", MaxAttempts: 2, UserID: &owner.ID, RunAt: now, CreatedAt: now})
		refused, _ := tn.CreateJob(ctx, crm.Job{Kind: "refused", UserID: &owner.ID, RunAt: now, CreatedAt: now})
		for range 4 {
			if _, err := svc.RunNextJob(ctx, "w"); err != nil {
				t.Fatal(err)
			}
			now = now.Add(time.Hour)
		}
		for id, want := range map[int64]int{flaky: 2, refused: 1} {
			j, err := tn.Job(ctx, id)
			if err != nil || j.State != crm.JobFailed || j.Attempts != want || j.Error == "" {
				t.Errorf("job %s = %+v, %v; want failed after %d attempts", j.Kind, j, err, want)
			}
		}
	})
}
