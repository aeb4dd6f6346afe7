// Package authz names the sections of Klientela and the levels of access to
// them, and decides what a principal may do. The service layer asks it; the
// web layer asks it too, but only to hide what the service would refuse.
package authz

import "klientela/internal/crm"

// Section is a part of the product a permission scope is set for.
type Section string

const (
	Dashboard Section = "dashboard" // everyone who can log in
	Settings  Section = "settings"  // account settings and businesses
)

// Level is how much a user may do in a section; each level includes the
// ones before it.
type Level int

const (
	None Level = iota
	View       // read
	Edit       // create and change
	Full       // also delete
)

// Can reports whether p may act at level in section. The owner may do
// everything. Per-user scopes arrive with the employees and users section;
// until then a non-owner user sees the dashboard and their own profile.
func Can(p *crm.Principal, section Section, level Level) bool {
	if p == nil || !p.User.Active {
		return false
	}
	if p.User.IsOwner() {
		return true
	}
	return section == Dashboard && level <= View
}

// Require returns crm forbidden when p may not act at level in section.
func Require(p *crm.Principal, section Section, level Level) error {
	if p == nil {
		return crm.Unauthorized()
	}
	if !Can(p, section, level) {
		return crm.Forbidden()
	}
	return nil
}
