package crm

import "time"

// JobState is where a background job stands.
type JobState string

const (
	JobQueued  JobState = "queued"  // waiting for a runner (or for run_at)
	JobRunning JobState = "running" // claimed by a runner that holds its lease
	JobDone    JobState = "done"
	JobFailed  JobState = "failed" // gave up after its attempts
)

// Finished reports whether the job will not run again.
func (s JobState) Finished() bool { return s == JobDone || s == JobFailed }

// Job is a piece of work that runs in the background on whichever instance
// claims it first. Payload and Result are JSON documents of the job's kind.
type Job struct {
	ID          ID
	AccountID   ID
	Kind        string
	State       JobState
	Progress    int // units done, of Total
	Total       int
	Payload     []byte
	Result      []byte
	Error       string // why the last attempt failed, for the log
	Attempts    int
	MaxAttempts int
	UserID      *ID // who started it; the job acts as them
	RunAt       time.Time
	LockedBy    string
	LockedUntil *time.Time
	CreatedAt   time.Time
	UpdatedAt   time.Time
	FinishedAt  *time.Time
}

// Percent is the job's progress in whole percent (100 when done).
func (j Job) Percent() int {
	switch {
	case j.State == JobDone:
		return 100
	case j.Total <= 0:
		return 0
	}
	return min(100, j.Progress*100/j.Total)
}

// Import choices: what to do with a row that duplicates a client, and with
// a row that has errors.
const (
	ImportSkip  = "skip"
	ImportMerge = "merge" // duplicates: fill the client's empty fields, add e-mails and phones
	ImportAbort = "abort" // errors: import nothing when any row has one
)

// ClientImport is one CSV file being imported into the client list: its
// columns, how they map to client fields, and once started, its job and
// what it did.
type ClientImport struct {
	ID         ID
	AccountID  ID
	UserID     ID
	FileID     *ID // the stored upload; nil once removed
	JobID      *ID // nil until started
	FileName   string
	FileSize   int64
	Encoding   string // "utf-8" or "windows-1250"
	Delimiter  string // ";", "," or "\t"
	Header     []string
	RowCount   int
	Mapping    []string // client field per column, "" to skip
	Duplicates string   // ImportSkip or ImportMerge
	OnError    string   // ImportSkip or ImportAbort
	RowsDone   int
	Result     ImportResult
	UndoneAt   *time.Time
	CreatedAt  time.Time
	UpdatedAt  time.Time
	Job        *Job // filled in by the service when started
}

// Started reports whether the import has been handed to a job.
func (im ClientImport) Started() bool { return im.JobID != nil }

// ImportResult is what an import did.
type ImportResult struct {
	Created  int             `json:"created"`
	Merged   int             `json:"merged"`
	Skipped  int             `json:"skipped"`
	Aborted  bool            `json:"aborted,omitempty"` // rows had errors and the user chose to import nothing
	Problems []ImportProblem `json:"problems,omitempty"`
	// MoreProblems counts the skipped rows not listed in Problems (the list
	// is capped).
	MoreProblems int `json:"more_problems,omitempty"`
}

// ImportProblem is a row that was not imported and why: a field's message (an
// i18n key) or a duplicate of another client.
type ImportProblem struct {
	Row   int    `json:"row"` // line of the file, counting the header as 1
	Field string `json:"field,omitempty"`
	Key   string `json:"key"`
	Args  []any  `json:"args,omitempty"`
}

// ImportChange is what an import did to one client, for undo.
type ImportChange struct {
	ClientID ID
	Action   string // "created" or "merged"
	Before   []byte // JSON of the client before a merge
}
