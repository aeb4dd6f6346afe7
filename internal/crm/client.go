package crm

import (
	"strings"
	"time"
)

// ClientKind tells a company from a private person.
type ClientKind string

const (
	KindCompany ClientKind = "company"
	KindPerson  ClientKind = "person"
)

// ClientStatus is where a client stands with the firm.
type ClientStatus string

const (
	ClientPotential ClientStatus = "potential"
	ClientActive    ClientStatus = "active"
	ClientInactive  ClientStatus = "inactive"
)

// ClientStatuses lists the statuses in the order people choose them.
var ClientStatuses = []ClientStatus{ClientPotential, ClientActive, ClientInactive}

// Client is a company or a person the firm works with. Name is the display
// name of both kinds: a company's name, a person's "Last First".
type Client struct {
	ID         ID
	AccountID  ID
	Kind       ClientKind
	Name       string
	FirstName  string // persons
	LastName   string // persons
	ShortName  string
	NIP        string // 10 bare digits, "" for none
	REGON      string
	PESEL      string // persons
	Emails     []string
	Phones     []string
	Website    string
	Street     string
	PostalCode string
	City       string
	Country    string // two letters
	Birthday   string // "YYYY-MM-DD" or ""
	Status     ClientStatus
	EmployeeID *ID // the employee the client is assigned to
	BusinessID *ID
	Notes      string
	Groups     []ClientGroup // the groups the client belongs to (ID, Name, Color), by name
	Dates      []ClientDate  // important dates other than the birthday, in the order entered
	Tags       []string      // free-form tags, in the order entered
	DeletedAt  *time.Time    // in the trash since
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// IsCompany reports whether the client is a company.
func (c Client) IsCompany() bool { return c.Kind == KindCompany }

// Email is the first e-mail address, "" for none.
func (c Client) Email() string {
	if len(c.Emails) == 0 {
		return ""
	}
	return c.Emails[0]
}

// Phone is the first phone number, "" for none.
func (c Client) Phone() string {
	if len(c.Phones) == 0 {
		return ""
	}
	return c.Phones[0]
}

// ClientPerson is a contact person of a client.
type ClientPerson struct {
	ID        ID
	AccountID ID
	ClientID  ID
	FirstName string
	LastName  string
	Role      string
	Phone     string
	Email     string
	Birthday  string // "YYYY-MM-DD" or ""
	Notes     string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// FullName is "First Last".
func (p ClientPerson) FullName() string {
	return strings.TrimSpace(p.FirstName + " " + p.LastName)
}

// ClientGroup is a named, coloured set of clients of an account.
type ClientGroup struct {
	ID        ID
	AccountID ID
	Name      string
	Color     string // "#rrggbb"
	Members   int    // clients in the group the user may see (lists only)
	CreatedAt time.Time
	UpdatedAt time.Time
}

// ClientDate is an important date of a client other than the birthday:
// "Rocznica współpracy" every year, "Koniec umowy" once.
type ClientDate struct {
	Name   string
	Date   string // "YYYY-MM-DD"
	Yearly bool
}

// Kinds of important dates.
const (
	DateBirthday       = "birthday"        // a client's birthday
	DatePersonBirthday = "person_birthday" // a contact person's birthday
	DateOther          = "date"            // a client's important date (ClientDate)
)

// ImportantDate is one occurrence of a birthday or an important date in a
// range of days, for the calendar and the dashboard.
type ImportantDate struct {
	Kind     string // DateBirthday, DatePersonBirthday or DateOther
	ClientID ID
	PersonID *ID       // the contact person, for DatePersonBirthday
	Name     string    // the client's name
	Label    string    // the person's name, or the important date's name; "" for a client's birthday
	Date     time.Time // the occurrence in the range (midnight in the account's zone)
	Yearly   bool      // birthdays and yearly dates
	Original string    // the date as entered, "YYYY-MM-DD"
}
