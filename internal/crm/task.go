package crm

import "time"

// TaskStatus is where a task (or one occurrence of a recurring task) stands.
type TaskStatus string

const (
	TaskTodo       TaskStatus = "todo"
	TaskInProgress TaskStatus = "in_progress"
	TaskDone       TaskStatus = "done"
	TaskCancelled  TaskStatus = "cancelled"
)

// TaskStatuses lists the statuses in the order work goes through them.
var TaskStatuses = []TaskStatus{TaskTodo, TaskInProgress, TaskDone, TaskCancelled}

// Open reports whether work on a task in this status is still to be done.
func (s TaskStatus) Open() bool { return s == TaskTodo || s == TaskInProgress }

// TaskPriority is how urgent a task is.
type TaskPriority string

const (
	PriorityLow    TaskPriority = "low"
	PriorityNormal TaskPriority = "normal"
	PriorityHigh   TaskPriority = "high"
	PriorityUrgent TaskPriority = "urgent"
)

// TaskPriorities lists the priorities from the least to the most urgent.
var TaskPriorities = []TaskPriority{PriorityLow, PriorityNormal, PriorityHigh, PriorityUrgent}

// Task is a piece of work that lasts from Start to End, assigned to one or
// more employees. An all-day task runs from the local midnight starting its
// first day to the local midnight ending its last day (End is exclusive, as
// DTEND in iCalendar). A recurring task (Recurrence is an RFC 5545 RRULE)
// repeats Start–End; its exceptions move, re-status or cancel single
// occurrences.
type Task struct {
	ID          ID
	AccountID   ID
	Title       string
	Description string
	Start       time.Time
	End         time.Time
	AllDay      bool
	Status      TaskStatus
	Priority    TaskPriority
	ClientID    *ID
	RemindAt    *time.Time
	Recurrence  string // RRULE without the "RRULE:" prefix; "" for a single task
	// SpanStart and SpanEnd bound every occurrence of the task (exceptions
	// included); SpanEnd is nil for a series without an end.
	SpanStart time.Time
	SpanEnd   *time.Time
	DoneAt    *time.Time
	CreatedAt time.Time
	UpdatedAt time.Time

	EmployeeIDs []ID
	GroupIDs    []ID

	// Filled in by lists and cards.
	ClientName string
	Employees  []Employee
	Groups     []TaskGroup
	Next       *TaskOccurrence // a recurring task's next open occurrence (lists)
}

// Recurring reports whether the task repeats.
func (t Task) Recurring() bool { return t.Recurrence != "" }

// Overdue reports whether a single task is still open and ended before now.
// A recurring series is never overdue as a whole.
func (t Task) Overdue(now time.Time) bool {
	return !t.Recurring() && t.Status.Open() && t.End.Before(now)
}

// TaskException changes one occurrence of a recurring task: it moves it,
// gives it its own status, or cancels it. Original is the occurrence's start
// as the rule makes it.
type TaskException struct {
	TaskID    ID
	Original  time.Time
	Start     time.Time
	End       time.Time
	Status    TaskStatus // "" keeps the series' status
	Cancelled bool
}

// TaskOccurrence is one occurrence of a task in a range of time: the task
// itself for a single task, or one repetition of a recurring one.
type TaskOccurrence struct {
	TaskID      ID
	Original    time.Time // the occurrence's start as the rule makes it (its key)
	Start       time.Time // in the account's time zone
	End         time.Time
	AllDay      bool
	Title       string
	Status      TaskStatus
	Priority    TaskPriority
	Recurring   bool
	ClientID    *ID
	EmployeeIDs []ID
	Groups      []TaskGroup // id, name and colour of each group
	Editable    bool        // the acting user may move or change it
}

// Overdue reports whether the occurrence is still open and ended before now.
func (o TaskOccurrence) Overdue(now time.Time) bool { return o.Status.Open() && o.End.Before(now) }

// TaskGroup is a named, coloured set of tasks of an account.
type TaskGroup struct {
	ID        ID
	AccountID ID
	Name      string
	Color     string // "#rrggbb"
	Tasks     int    // tasks in the group the user may see (lists only)
	CreatedAt time.Time
	UpdatedAt time.Time
}
