package crm

import (
	"strings"
	"time"
)

// Employee is a person of the firm who appears in the CRM: tasks and client
// contacts are assigned to employees. An employee may be linked to one
// user who logs in.
type Employee struct {
	ID           ID
	AccountID    ID
	FirstName    string
	LastName     string
	Position     string
	Email        string
	Phone        string
	CommissionBP int64  // commission in hundredths of a percent (1250 = 12.5 %), used by orders
	Color        string // "#rrggbb", used in the calendar
	Notes        string
	Active       bool
	BusinessID   *ID
	UserID       *ID // the linked user, if any (read-only here; linking is done on the user)
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// FullName is "First Last".
func (e Employee) FullName() string {
	return strings.TrimSpace(e.FirstName + " " + e.LastName)
}
