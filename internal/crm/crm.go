// Package crm holds the domain types of Klientela and the error vocabulary
// shared by every layer. It imports only the standard library.
package crm

import "time"

// ID identifies a row. IDs are unique per table; rows always also carry the
// account they belong to.
type ID = int64

// Account is a tenant: one company that signed up. Every other row belongs to
// exactly one account.
type Account struct {
	ID        ID
	Name      string
	TimeZone  string // IANA name, Europe/Warsaw by default
	CreatedAt time.Time
}

// Role is a user's place in the account. The owner may do everything; other
// users get permission scopes (see package authz).
type Role string

const (
	RoleOwner Role = "owner"
	RoleUser  Role = "user"
)

// User is a person who can log in to an account.
type User struct {
	ID                 ID
	AccountID          ID
	Email              string
	Name               string
	Role               Role
	Locale             string // "pl" or "en"
	Active             bool
	MustChangePassword bool
	Scope              Scope // ignored for the owner
	EmployeeID         *ID   // the employee this user is, if linked
	CreatedAt          time.Time
	UpdatedAt          time.Time
}

// IsOwner reports whether the user owns the account.
func (u *User) IsOwner() bool { return u != nil && u.Role == RoleOwner }

// Business is one of the firms ("interesy") an account runs. Sign-up creates
// the first one; invoices and records are tagged with a business.
type Business struct {
	ID          ID
	AccountID   ID
	Name        string
	NIP         string // 10 bare digits; "" when not given
	Street      string
	PostalCode  string
	City        string
	Country     string // ISO 3166 two-letter code, "PL" by default
	BankAccount string // IBAN in electronic form ("PL61…"); "" when not given
	Email       string
	Phone       string
	LogoType    string // media type of the logo; "" when there is none
	LogoSize    int64  // bytes of the logo
	IsDefault   bool
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// HasLogo reports whether the business has a logo.
func (b Business) HasLogo() bool { return b.LogoType != "" }

// Session is a logged-in browser. Only a hash of its token is stored.
type Session struct {
	ID        ID
	AccountID ID
	UserID    ID
	CreatedAt time.Time
	LastSeen  time.Time
	ExpiresAt time.Time
}

// APIToken is a revocable bearer token for the JSON API.
type APIToken struct {
	ID         ID
	AccountID  ID
	UserID     ID
	Name       string
	CreatedAt  time.Time
	LastUsedAt *time.Time
}

// Principal is who is acting in a request: the user, their account, and how
// they authenticated. The tenant always comes from here, never from input.
type Principal struct {
	User      User
	Account   Account
	SessionID ID // set for browser sessions
	TokenID   ID // set for API tokens
}

// Scope is what a user who is not the owner may do, as the owner set it:
// a level ("view", "edit", "full") per section name, and the sections
// limited to records assigned to the user's employee. Package authz gives
// it meaning; here it is plain data.
type Scope struct {
	Permissions map[string]string `json:"permissions"`
	OwnOnly     []string          `json:"own_only"`
}

// Action is what happened to a record, for the history.
type Action string

const (
	ActionCreate Action = "create"
	ActionUpdate Action = "update"
	ActionDelete Action = "delete"
)

// AuditEntry is one change in an account's history: who did what to which
// record, and the fields that changed.
type AuditEntry struct {
	ID       ID
	At       time.Time
	UserID   *ID    // nil for changes made by the system
	Actor    string // the user's name at the time
	Entity   string // "employee", "user", "business", …
	EntityID ID
	Action   Action
	Label    string // the record's name at the time, e.g. "Jan Kowalski"
	Changes  []Change
}

// Change is one field's old and new value, as text.
type Change struct {
	Field string `json:"field"`
	Old   string `json:"old"`
	New   string `json:"new"`
}
