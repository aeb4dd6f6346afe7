package service

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime/debug"
	"sync"
	"time"

	"klientela/internal/crm"
	"klientela/internal/store"
)

// JobHandler does the work of one kind of background job. It returns the
// job's result (encoded as JSON) or an error: a *crm.Error ends the job as
// failed at once (retrying cannot help); any other error is retried until
// the job's attempts run out. ctx ends when the runner stops or loses the
// job's lease. A handler must be safe to run again after a crash: it keeps
// its progress in the database, in the transactions that do the work (see
// JobRun.Progress).
type JobHandler func(ctx context.Context, run *JobRun) (any, error)

// JobRun is one attempt at a job, as its handler sees it.
type JobRun struct {
	Job    crm.Job
	worker string
	lease  time.Duration
	s      *Service
}

// Progress records done of total units and renews the lease. Call it with
// the transaction of the batch that did the units: when the runner has
// lost the job (its lease ran out and another runner took it), Progress
// fails with store.ErrLeaseLost and the batch is rolled back.
func (r *JobRun) Progress(ctx context.Context, t *store.Tenant, done, total int) error {
	now := r.s.now()
	return t.JobProgress(ctx, r.Job.ID, r.worker, done, total, now.Add(r.lease), now)
}

// Defaults of the job runner.
const (
	DefaultJobLease = time.Minute     // a runner holds a job this long without news
	DefaultJobPoll  = 2 * time.Second // an idle runner looks for work this often
	jobRetryDelay   = 30 * time.Second
	jobKeepDays     = 30 // finished jobs nothing refers to are removed after this
)

// RegisterJob makes handler run the jobs of kind. Register every kind
// before the runners start.
func (s *Service) RegisterJob(kind string, handler JobHandler) {
	s.jobsMu.Lock()
	defer s.jobsMu.Unlock()
	if s.jobs == nil {
		s.jobs = map[string]JobHandler{}
	}
	s.jobs[kind] = handler
}

func (s *Service) jobKinds() ([]string, map[string]JobHandler) {
	s.jobsMu.RLock()
	defer s.jobsMu.RUnlock()
	kinds := make([]string, 0, len(s.jobs))
	for k := range s.jobs {
		kinds = append(kinds, k)
	}
	return kinds, s.jobs
}

// RunJobs runs due jobs and delivers due reminders as worker until ctx
// ends. Every instance runs one; the database decides which runner gets
// which job or reminder.
func (s *Service) RunJobs(ctx context.Context, worker string) {
	poll := s.opt.JobPoll
	var remindersAt time.Time
	for {
		// Reminders are delivered between jobs, at least every poll, by
		// whichever instance takes them first (see DeliverReminders).
		if now := time.Now(); now.Sub(remindersAt) >= poll {
			remindersAt = now
			if _, err := s.DeliverReminders(ctx); err != nil && ctx.Err() == nil {
				s.opt.Logger.Warn("reminders", "worker", worker, "err", err)
			}
		}
		ran, err := s.RunNextJob(ctx, worker)
		if err != nil && ctx.Err() == nil {
			s.opt.Logger.Warn("job runner", "worker", worker, "err", err)
		}
		if ran {
			continue // there may be more
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(poll):
		case <-s.jobWake:
		}
	}
}

// wakeRunners tells an idle runner of this instance that a job was queued.
func (s *Service) wakeRunners() {
	select {
	case s.jobWake <- struct{}{}:
	default:
	}
}

// RunNextJob claims one due job and runs it; ran is false when there was
// none.
func (s *Service) RunNextJob(ctx context.Context, worker string) (ran bool, err error) {
	kinds, handlers := s.jobKinds()
	lease := s.opt.JobLease
	j, ok, err := s.store.ClaimJob(ctx, worker, kinds, s.now(), lease)
	if err != nil || !ok {
		return false, err
	}
	run := &JobRun{Job: j, worker: worker, lease: lease, s: s}
	result, runErr := s.runJob(ctx, run, handlers[j.Kind])
	now := s.now()
	var data []byte
	if result != nil {
		if data, err = json.Marshal(result); err != nil {
			return true, err
		}
	}
	switch {
	case errors.Is(runErr, store.ErrLeaseLost):
		s.opt.Logger.Warn("job lease lost", "job", j.ID, "kind", j.Kind, "worker", worker)
		return true, nil
	case runErr == nil:
		err = s.store.FinishJob(ctx, j.ID, worker, crm.JobDone, data, "", now)
	case ctx.Err() != nil:
		// Stopping: leave the job to be taken again when its lease ends.
		return true, nil
	default:
		_, domain := crm.AsError(runErr)
		s.opt.Logger.Warn("job failed", "job", j.ID, "kind", j.Kind, "attempt", j.Attempts, "err", runErr)
		if domain || j.Attempts >= j.MaxAttempts {
			err = s.store.FinishJob(ctx, j.ID, worker, crm.JobFailed, data, runErr.Error(), now)
		} else {
			err = s.store.RetryJob(ctx, j.ID, worker, runErr.Error(), now.Add(jobRetryDelay*time.Duration(j.Attempts)), now)
		}
	}
	if errors.Is(err, store.ErrLeaseLost) {
		err = nil // another runner has it now
	}
	return true, err
}

// runJob runs handler with a heartbeat that renews the lease, and turns a
// panic into an error.
func (s *Service) runJob(ctx context.Context, run *JobRun, handler JobHandler) (result any, err error) {
	if handler == nil {
		return nil, &crm.Error{Code: crm.CodeInternal, Key: "err.internal", Err: fmt.Errorf("no handler for job kind %q", run.Job.Kind)}
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var wg sync.WaitGroup
	defer wg.Wait()
	stop := make(chan struct{})
	defer close(stop)
	wg.Go(func() {
		tick := time.NewTicker(max(run.lease/3, 10*time.Millisecond))
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				now := s.now()
				err := s.store.Tenant(run.Job.AccountID).RenewJobLease(ctx, run.Job.ID, run.worker, now.Add(run.lease), now)
				if errors.Is(err, store.ErrLeaseLost) {
					cancel(err)
					return
				}
			}
		}
	})
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("job %d panicked: %v\n%s", run.Job.ID, p, debug.Stack())
		}
		if cause := context.Cause(ctx); errors.Is(cause, store.ErrLeaseLost) {
			err = cause
		}
	}()
	return handler(ctx, run)
}

// jobPrincipal is the user who started a job, as the job acts: with their
// permissions as they are now. A user who was deactivated meanwhile cannot
// act.
func (s *Service) jobPrincipal(ctx context.Context, j crm.Job) (context.Context, error) {
	if j.UserID == nil {
		return nil, crm.Forbidden()
	}
	t := s.store.Tenant(j.AccountID)
	u, err := t.User(ctx, *j.UserID)
	if err != nil {
		return nil, err
	}
	if !u.Active {
		return nil, crm.Forbidden()
	}
	a, err := t.Account(ctx)
	if err != nil {
		return nil, err
	}
	return crm.WithPrincipal(ctx, &crm.Principal{User: u, Account: a}), nil
}
