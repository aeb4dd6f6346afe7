// Package authz names the sections of Klientela and the levels of access to
// them, and decides what a principal may do. The service layer asks it; the
// web and API layers ask it too, but only to hide what the service would
// refuse anyway.
//
// A user's scope is a level per section plus, for the sections whose records
// are assigned to employees, an "only records assigned to me" flag. The
// owner may do everything. Scopes travel with the principal (loaded in the
// same query as the session), so a check costs no query.
package authz

import (
	"fmt"
	"slices"

	"klientela/internal/crm"
)

// Section is a part of the product a permission scope is set for.
type Section string

// The sections, in menu order. Dashboard and the own profile need no scope.
const (
	Dashboard Section = "dashboard"
	Clients   Section = "clients"
	Contacts  Section = "contacts" // planned contacts
	Tasks     Section = "tasks"
	Calendar  Section = "calendar"
	Employees Section = "employees"
	Documents Section = "documents"
	Files     Section = "files"
	Orders    Section = "orders"
	Invoices  Section = "invoices"
	Finance   Section = "finance"
	Products  Section = "products"
	Vehicles  Section = "vehicles"
	Reports   Section = "reports"
	Settings  Section = "settings" // account settings and businesses
	Users     Section = "users"    // user accounts and their scopes: the owner only
	Audit     Section = "audit"    // the account-wide history: the owner only
)

// Scoped lists the sections a scope can be set for, in the order the owner
// sees them.
var Scoped = []Section{Clients, Contacts, Tasks, Calendar, Employees, Documents, Files,
	Orders, Invoices, Finance, Products, Vehicles, Reports, Settings}

// OwnOnlySections are the sections whose records are assigned to employees,
// so that a scope may be limited to "only records assigned to me".
var OwnOnlySections = []Section{Clients, Contacts, Tasks}

// Valid reports whether s is a section a scope can be set for.
func (s Section) Valid() bool { return slices.Contains(Scoped, s) }

// Level is how much a user may do in a section; each level includes the
// ones before it.
type Level int

const (
	None Level = iota
	View       // read
	Edit       // create and change
	Full       // also delete
)

var levelNames = [...]string{"none", "view", "edit", "full"}

func (l Level) String() string {
	if l < None || l > Full {
		return fmt.Sprintf("Level(%d)", int(l))
	}
	return levelNames[l]
}

// ParseLevel reads "none", "view", "edit" or "full".
func ParseLevel(s string) (Level, bool) {
	i := slices.Index(levelNames[:], s)
	if i < 0 {
		return None, false
	}
	return Level(i), true
}

// MarshalText writes the level's name.
func (l Level) MarshalText() ([]byte, error) { return []byte(l.String()), nil }

// UnmarshalText reads a level's name.
func (l *Level) UnmarshalText(b []byte) error {
	v, ok := ParseLevel(string(b))
	if !ok {
		return fmt.Errorf("authz: unknown level %q", b)
	}
	*l = v
	return nil
}

// Scope is a user's scope with typed sections and levels.
type Scope struct {
	Levels  map[Section]Level
	OwnOnly []Section
}

// Level returns the scope's level in section.
func (s Scope) Level(section Section) Level { return s.Levels[section] }

// IsOwnOnly reports whether section is limited to the user's own records.
func (s Scope) IsOwnOnly(section Section) bool { return slices.Contains(s.OwnOnly, section) }

// ParseScope checks a scope as the owner sent it: every section must be one
// a scope can be set for, every level a known one, and "own only" is allowed
// only for the sections whose records are assigned. Problems are reported
// per field ("permissions.clients", "own_only") as crm validation errors.
func ParseScope(raw crm.Scope) (Scope, error) {
	var v crm.Validation
	s := Scope{Levels: map[Section]Level{}}
	for name, lv := range raw.Permissions {
		sec := Section(name)
		l, ok := ParseLevel(lv)
		switch {
		case !sec.Valid():
			v.Add("permissions."+name, "err.section_unknown")
		case !ok:
			v.Add("permissions."+name, "err.level_unknown")
		case l > None:
			s.Levels[sec] = l
		}
	}
	for _, name := range raw.OwnOnly {
		sec := Section(name)
		if !slices.Contains(OwnOnlySections, sec) {
			v.Add("own_only", "err.own_only_section", "section", name)
			continue
		}
		if !slices.Contains(s.OwnOnly, sec) {
			s.OwnOnly = append(s.OwnOnly, sec)
		}
	}
	slices.Sort(s.OwnOnly)
	return s, v.Err()
}

// Raw returns the scope as plain data, normalised: sections with no access
// and own-only flags of such sections are left out, so equal scopes are
// stored equally.
func (s Scope) Raw() crm.Scope {
	out := crm.Scope{Permissions: map[string]string{}, OwnOnly: []string{}}
	for sec, l := range s.Levels {
		if l > None {
			out.Permissions[string(sec)] = l.String()
		}
	}
	for _, sec := range s.OwnOnly {
		if s.Levels[sec] > None {
			out.OwnOnly = append(out.OwnOnly, string(sec))
		}
	}
	slices.Sort(out.OwnOnly)
	return out
}

// Can reports whether p may act at level in section. The owner may do
// everything; an inactive user nothing; the dashboard is open to every user.
func Can(p *crm.Principal, section Section, level Level) bool {
	if p == nil || !p.User.Active {
		return false
	}
	if p.User.IsOwner() {
		return true
	}
	switch section {
	case Dashboard:
		return level <= View
	case Users, Audit:
		return false
	}
	return levelIn(p.User.Scope, section) >= level
}

// levelIn reads a section's level straight from the stored scope: a map
// lookup and a string compare, no allocation.
func levelIn(s crm.Scope, section Section) Level {
	l, _ := ParseLevel(s.Permissions[string(section)])
	return l
}

// OwnOnly reports whether p sees only records assigned to their employee in
// section. The owner sees everything.
func OwnOnly(p *crm.Principal, section Section) bool {
	if p == nil || p.User.IsOwner() {
		return false
	}
	return slices.Contains(p.User.Scope.OwnOnly, string(section))
}

// Require returns crm unauthorized or forbidden when p may not act at level
// in section.
func Require(p *crm.Principal, section Section, level Level) error {
	if p == nil {
		return crm.Unauthorized()
	}
	if !Can(p, section, level) {
		return crm.Forbidden()
	}
	return nil
}
