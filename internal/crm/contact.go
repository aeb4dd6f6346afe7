package crm

import "time"

// ContactChannel is how a planned contact is made.
type ContactChannel string

const (
	ChannelPhone   ContactChannel = "phone"
	ChannelEmail   ContactChannel = "email"
	ChannelMeeting ContactChannel = "meeting"
	ChannelVisit   ContactChannel = "visit"
)

// ContactChannels lists the channels in the order people choose them.
var ContactChannels = []ContactChannel{ChannelPhone, ChannelEmail, ChannelMeeting, ChannelVisit}

// ContactStatus is where a planned contact stands.
type ContactStatus string

const (
	ContactPlanned   ContactStatus = "planned"
	ContactDone      ContactStatus = "done"
	ContactCancelled ContactStatus = "cancelled"
)

// ContactReminderLead is how long before a planned contact its employee's
// user is reminded.
const ContactReminderLead = 15 * time.Minute

// ContactOutcome is how a done contact went.
type ContactOutcome string

const (
	OutcomeSuccess   ContactOutcome = "success"
	OutcomeNoAnswer  ContactOutcome = "no_answer"
	OutcomePostponed ContactOutcome = "postponed"
	OutcomeRefused   ContactOutcome = "refused"
)

// ContactOutcomes lists the outcomes in the order people choose them.
var ContactOutcomes = []ContactOutcome{OutcomeSuccess, OutcomeNoAnswer, OutcomePostponed, OutcomeRefused}

// PlannedContact is an order for an employee to contact a client (and
// optionally one of its contact persons) at a given time.
type PlannedContact struct {
	ID           ID
	AccountID    ID
	ClientID     ID
	PersonID     *ID
	EmployeeID   ID
	At           time.Time
	Channel      ContactChannel
	Subject      string
	Notes        string
	Status       ContactStatus
	Outcome      ContactOutcome // "" until done
	OutcomeNote  string
	DoneAt       *time.Time
	CancelReason string     // why it was cancelled, optional
	CancelledAt  *time.Time // when it was cancelled
	CreatedAt    time.Time
	UpdatedAt    time.Time

	// Filled in by lists and cards.
	ClientName   string
	PersonName   string
	EmployeeName string
}

// Overdue reports whether the contact is still planned and its time has
// passed at now.
func (c PlannedContact) Overdue(now time.Time) bool {
	return c.Status == ContactPlanned && c.At.Before(now)
}
