package store

import (
	"context"
	"errors"
	"strings"
	"time"

	"klientela/internal/crm"
)

const jobColumns = `id, account_id, kind, state, progress, total, payload, result, error, attempts, max_attempts, user_id,
	run_at, locked_by, locked_until, created_at, updated_at, finished_at`

func scanJob(sc interface{ Scan(...any) error }, j *crm.Job) error {
	var payload, result string
	err := sc.Scan(&j.ID, &j.AccountID, &j.Kind, &j.State, &j.Progress, &j.Total, &payload, &result, &j.Error,
		&j.Attempts, &j.MaxAttempts, &j.UserID, &j.RunAt, &j.LockedBy, &j.LockedUntil, &j.CreatedAt, &j.UpdatedAt,
		&j.FinishedAt)
	j.Payload, j.Result = []byte(payload), []byte(result)
	return err
}

// ErrLeaseLost is returned to a runner that writes to a job it no longer
// holds: its lease ran out and another runner took the job over.
var ErrLeaseLost = errors.New("store: job lease lost")

func jsonText(b []byte) string {
	if len(b) == 0 {
		return "{}"
	}
	return string(b)
}

// CreateJob queues a job of the account and returns its id.
func (t *Tenant) CreateJob(ctx context.Context, j crm.Job) (int64, error) {
	if j.MaxAttempts <= 0 {
		j.MaxAttempts = 3
	}
	var id int64
	err := t.writeRow(ctx, `INSERT INTO jobs (account_id, kind, state, total, payload, result, max_attempts, user_id, run_at,
		created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		t.account, j.Kind, crm.JobQueued, j.Total, jsonText(j.Payload), jsonText(j.Result), j.MaxAttempts, j.UserID,
		j.RunAt, j.CreatedAt, j.CreatedAt).Scan(&id)
	return id, mapError(err)
}

// Job returns one job of the account.
func (t *Tenant) Job(ctx context.Context, id int64) (crm.Job, error) {
	var j crm.Job
	err := scanJob(t.queryRow(ctx, `SELECT `+jobColumns+` FROM jobs WHERE account_id = ? AND id = ?`, t.account, id), &j)
	return j, mapError(err)
}

// ClaimJob takes the next due job of one of kinds for worker, with a lease
// until now+lease: a queued job whose time has come, or a running one whose
// runner's lease ran out (the runner died). ok is false when there is none.
//
// On PostgreSQL several instances claim at once: FOR UPDATE SKIP LOCKED lets
// each take a different row without waiting for the others. SQLite has one
// writer; its transaction holds the write lock from BEGIN.
func (s *Store) ClaimJob(ctx context.Context, worker string, kinds []string, now time.Time, lease time.Duration) (j crm.Job, ok bool, err error) {
	if len(kinds) == 0 {
		return crm.Job{}, false, nil
	}
	in := `?` + strings.Repeat(`, ?`, len(kinds)-1)
	args := []any{crm.JobQueued, now, crm.JobRunning, now}
	for _, k := range kinds {
		args = append(args, k)
	}
	q := `SELECT id FROM jobs WHERE ((state = ? AND run_at <= ?) OR (state = ? AND locked_until < ?)) AND kind IN (` + in + `)
		ORDER BY run_at, id LIMIT 1`
	if s.dialect == Postgres {
		q += ` FOR UPDATE SKIP LOCKED`
	}
	err = s.db.inTx(ctx, func(d db) error {
		var id int64
		if err := d.writeRow(ctx, q, args...).Scan(&id); err != nil {
			return mapError(err)
		}
		if _, err := d.exec(ctx, `UPDATE jobs SET state = ?, locked_by = ?, locked_until = ?, attempts = attempts + 1,
			updated_at = ? WHERE id = ?`, crm.JobRunning, worker, now.Add(lease), now, id); err != nil {
			return err
		}
		return scanJob(d.writeRow(ctx, `SELECT `+jobColumns+` FROM jobs WHERE id = ?`, id), &j)
	})
	if isNotFound(err) {
		return crm.Job{}, false, nil
	}
	return j, err == nil, mapError(err)
}

// JobProgress records a running job's progress and renews worker's lease
// until until. It fails with ErrLeaseLost when worker no longer holds the
// job; called inside the transaction of a batch of work, that failure rolls
// the batch back.
func (t *Tenant) JobProgress(ctx context.Context, id int64, worker string, progress, total int, until, now time.Time) error {
	res, err := t.exec(ctx, `UPDATE jobs SET progress = ?, total = ?, locked_until = ?, updated_at = ?
		WHERE account_id = ? AND id = ? AND state = ? AND locked_by = ?`,
		progress, total, until, now, t.account, id, crm.JobRunning, worker)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrLeaseLost
	}
	return nil
}

// FinishJob ends a job worker holds: done or failed, with its result.
func (s *Store) FinishJob(ctx context.Context, id int64, worker string, state crm.JobState, result []byte, errText string, now time.Time) error {
	res, err := s.exec(ctx, `UPDATE jobs SET state = ?, result = ?, error = ?, locked_by = '', locked_until = NULL,
		updated_at = ?, finished_at = ?, progress = CASE WHEN ? THEN total ELSE progress END
		WHERE id = ? AND state = ? AND locked_by = ?`,
		state, jsonText(result), errText, now, now, state == crm.JobDone, id, crm.JobRunning, worker)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrLeaseLost
	}
	return nil
}

// RetryJob puts a job worker holds back in the queue to run at runAt after
// a failed attempt.
func (s *Store) RetryJob(ctx context.Context, id int64, worker, errText string, runAt, now time.Time) error {
	res, err := s.exec(ctx, `UPDATE jobs SET state = ?, error = ?, run_at = ?, locked_by = '', locked_until = NULL,
		updated_at = ? WHERE id = ? AND state = ? AND locked_by = ?`,
		crm.JobQueued, errText, runAt, now, id, crm.JobRunning, worker)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrLeaseLost
	}
	return nil
}

// DeleteFinishedJobs removes, across accounts, jobs finished before cutoff
// that nothing refers to any more (an import keeps its job).
func (s *Store) DeleteFinishedJobs(ctx context.Context, cutoff time.Time) (int64, error) {
	res, err := s.exec(ctx, `DELETE FROM jobs WHERE finished_at < ? AND NOT EXISTS (SELECT 1 FROM client_imports i
		WHERE i.account_id = jobs.account_id AND i.job_id = jobs.id)`, cutoff)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// RenewJobLease extends worker's lease on a running job (the heartbeat).
func (t *Tenant) RenewJobLease(ctx context.Context, id int64, worker string, until, now time.Time) error {
	res, err := t.exec(ctx, `UPDATE jobs SET locked_until = ?, updated_at = ? WHERE account_id = ? AND id = ? AND state = ?
		AND locked_by = ?`, until, now, t.account, id, crm.JobRunning, worker)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrLeaseLost
	}
	return nil
}
