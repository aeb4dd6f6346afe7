package crm

import "time"

// CalendarKind is what a calendar item comes from. Each kind has one source
// in the service; tasks and more kinds of dates add theirs.
type CalendarKind string

const (
	CalendarContact  CalendarKind = "contact"  // a planned contact
	CalendarBirthday CalendarKind = "birthday" // a client's or a contact person's birthday
	CalendarTask     CalendarKind = "task"     // a task, or one occurrence of a recurring task
	CalendarDate     CalendarKind = "date"     // another important date of a client (yearly or once)
)

// CalendarItem is one thing on the calendar. Times are instants; an all-day
// item starts at midnight of its first day and ends at midnight after its
// last day, both in the account's time zone.
type CalendarItem struct {
	Kind        CalendarKind
	ID          int64  // the record: the contact, the task, the client or the contact person
	UID         string // stable across fetches and feeds, unique in the account
	Title       string
	Description string
	Start, End  time.Time
	AllDay      bool
	EmployeeID  int64  // whose item it is; 0 for none
	Color       string // "#rrggbb"
	URL         string // the record's page, a path on this site
	Editable    bool   // the user may move it (and, for a task, change its length)
	GroupColor  string // a task's first group's colour, for "colour by group"; "" otherwise
	Muted       bool   // a task (occurrence) done or cancelled: shown muted
	// Occurrence is a task occurrence's start as its rule makes it (the
	// key that moves one occurrence); the task's start for a single task.
	Occurrence time.Time
	Recurring  bool // a task occurrence of a recurring series
	// Yearly is set on an item that repeats every year on its day (a
	// birthday) when the caller asked for series instead of occurrences
	// (feeds); Start is then its first day. LastOfFebruary says a 29
	// February date falls on the 28th in years without a 29th.
	Yearly         bool
	LastOfFebruary bool
	Updated        time.Time // when the record last changed; zero if unknown
	// Rule is a recurring task's RRULE (without "RRULE:") when the caller
	// asked for series: Start–End is then its first occurrence, ExDates
	// the original starts of its cancelled occurrences, and each changed
	// occurrence comes as one more item with the same UID and its
	// RecurrenceID (the original start).
	Rule         string
	ExDates      []time.Time
	RecurrenceID time.Time
	Cancelled    bool // the whole task is cancelled (STATUS:CANCELLED in feeds)
}

// CalendarFeed is a user's private iCalendar feed. Only a hash of its
// secret token is stored.
type CalendarFeed struct {
	ID         ID
	AccountID  ID
	UserID     ID
	CreatedAt  time.Time
	LastUsedAt *time.Time
}
