package crm

import "time"

// Kinds of notifications.
const (
	NotifyTaskReminder    = "task_reminder"    // a task's reminder time came
	NotifyContactReminder = "contact_reminder" // a planned contact is about to start
)

// Notification tells one user, in the app, about a task or a planned
// contact. It belongs to that user alone.
type Notification struct {
	ID         ID
	AccountID  ID
	UserID     ID
	Kind       string
	SubjectID  ID  // the task or the planned contact
	TaskID     *ID // set for task notifications
	ContactID  *ID // set for contact notifications
	Occurrence time.Time
	Title      string // the task's title or the contact's subject when delivered
	At         time.Time
	ReadAt     *time.Time
}

// Read reports whether the user has seen it.
func (n Notification) Read() bool { return n.ReadAt != nil }
