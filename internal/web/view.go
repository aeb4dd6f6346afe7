package web

import (
	"strconv"
	"strings"
	"time"
	"unicode"

	"klientela/internal/authz"
	"klientela/internal/crm"
	"klientela/internal/i18n"
	"klientela/internal/service"
)

// View is the model every page template receives. Page-specific data goes
// in Data; the rest is the frame: language, who is logged in, navigation.
type View struct {
	L          *i18n.Localizer
	Lang       i18n.Lang
	Langs      []i18n.Lang
	Title      string // translated page title
	P          *crm.Principal
	Zone       *time.Location // the account's time zone
	Nav        []NavItem
	Section    string // key of the active navigation entry
	Sub        string // key of the active tab inside the section
	Flash      string // translated one-time message
	FlashError bool   // the message reports a refusal
	Form       *Form
	Here       string // the page to come back to after a menu action (language switch)
	Data       any

	// Businesses is the top bar's business switcher; nil with one business.
	Businesses *BusinessSwitch
	// Bell is the top bar's notifications link with the unread count.
	Bell   *Bell
	choice *service.BusinessChoice // the account's businesses, loaded once per request
}

// T translates key with name/value args.
func (v *View) T(key string, args ...any) string { return v.L.T(key, args...) }

// Int formats a count with the language's grouping: "12 345" (with a
// no-break space) in Polish, "12,345" in English.
func (v *View) Int(n int) string { return v.L.Int(int64(n)) }

// N translates a plural key for n.
func (v *View) N(key string, n int64, args ...any) string { return v.L.N(key, n, args...) }

// Date formats t as a date in the account's time zone.
func (v *View) Date(t time.Time) string { return v.L.Date(t.In(v.zone())) }

// DateTime formats t as date and time in the account's time zone.
func (v *View) DateTime(t time.Time) string { return v.L.DateTime(t.In(v.zone())) }

// LongDate formats t like "sobota, 28 listopada 2026".
func (v *View) LongDate(t time.Time) string { return v.L.LongDate(t.In(v.zone())) }

// Now is the current time in the account's time zone.
func (v *View) Now() time.Time { return time.Now().In(v.zone()) }

func (v *View) zone() *time.Location {
	if v.Zone != nil {
		return v.Zone
	}
	return time.UTC
}

// Can reports whether the logged-in user may act at level ("view", "edit",
// "full") in section; templates use it to hide what the service refuses.
func (v *View) Can(section string, level string) bool {
	l := map[string]authz.Level{"view": authz.View, "edit": authz.Edit, "full": authz.Full}[level]
	return authz.Can(v.P, authz.Section(section), l)
}

// Form carries what the user typed and what was wrong with it, so a page
// can be shown again with the input kept and messages next to the fields.
type Form struct {
	Values map[string]string
	Errors map[string]string // translated, per field
	Error  string            // translated, for the whole form
}

// Field is one labelled input of a form, ready for the "field" partial.
type Field struct {
	Name         string
	ID           string
	Label        string
	Type         string
	Value        string
	Error        string
	Hint         string
	Autocomplete string
	List         string // the id of a datalist of suggestions
	Required     bool
	Autofocus    bool
}

// Field describes an input named name with a translated label. Options are
// "required", "autofocus", "hint=<i18n key>", "ac=<autocomplete token>",
// "list=<datalist id>".
func (v *View) Field(name, labelKey, typ string, opts ...string) Field {
	f := Field{Name: name, ID: "f-" + name, Label: v.T(labelKey), Type: typ}
	if v.Form != nil {
		if typ != "password" {
			f.Value = v.Form.Values[name]
		}
		f.Error = v.Form.Errors[name]
	}
	for _, o := range opts {
		switch {
		case o == "required":
			f.Required = true
		case o == "autofocus":
			f.Autofocus = true
		case len(o) > 5 && o[:5] == "hint=":
			f.Hint = v.T(o[5:])
		case len(o) > 3 && o[:3] == "ac=":
			f.Autocomplete = o[3:]
		case len(o) > 5 && o[:5] == "list=":
			f.List = o[5:]
		}
	}
	return f
}

// FormValue returns what the form holds for name.
func (v *View) FormValue(name string) string {
	if v.Form == nil {
		return ""
	}
	return v.Form.Values[name]
}

// NavItem is one entry of the main navigation.
type NavItem struct {
	Key    string
	Href   string
	Label  string
	Icon   string
	Active bool
}

// navEntry is a section the navigation may show, and who may see it.
type navEntry struct {
	key, href, label, icon string
	section                authz.Section
}

// navigation lists the sections in menu order. A section appears here when
// it is built; the menu shows each user only what they may view.
func navigation() []navEntry {
	return []navEntry{
		{"dashboard", "/", "nav.dashboard", "home", authz.Dashboard},
		{"clients", "/clients", "nav.clients", "clients", authz.Clients},
		{"contacts", "/contacts/mine", "nav.contacts", "contacts", authz.Contacts},
		{"tasks", "/tasks", "nav.tasks", "tasks", authz.Tasks},
		{"calendar", "/calendar", "nav.calendar", "calendar", authz.Calendar},
		{"employees", "/employees", "nav.employees", "users", authz.Employees},
		{"files", "/files", "nav.documents", "files", authz.Files},
		{"settings", "/settings", "nav.settings", "settings", authz.Settings},
	}
}

func (h *Web) navFor(p *crm.Principal, active string, l *i18n.Localizer) []NavItem {
	var items []NavItem
	for _, e := range h.nav {
		href := e.href
		if e.section == authz.Files && authz.Can(p, authz.Documents, authz.View) {
			// "Dokumenty i pliki" is one entry: documents first, files on a tab.
			href = "/documents"
		}
		if authz.Can(p, e.section, authz.View) || e.section == authz.Employees && authz.Can(p, authz.Users, authz.View) ||
			e.section == authz.Files && authz.Can(p, authz.Documents, authz.View) {
			items = append(items, NavItem{Key: e.key, Href: href, Label: l.T(e.label), Icon: e.icon, Active: e.key == active})
		}
	}
	return items
}

// Initials are the logged-in user's initials, for the avatar.
func (v *View) Initials() string {
	if v.P == nil {
		return ""
	}
	var out []rune
	for _, w := range strings.Fields(v.P.User.Name) {
		out = append(out, unicode.ToUpper([]rune(w)[0]))
		if len(out) == 2 {
			break
		}
	}
	return string(out)
}

// FirstName is the first word of the logged-in user's name, for greetings.
func (v *View) FirstName() string {
	if v.P == nil {
		return ""
	}
	if f := strings.Fields(v.P.User.Name); len(f) > 0 {
		return f[0]
	}
	return v.P.User.Name
}

// PagerView pairs a pager with the view, for the "pager" partial.
type PagerView struct {
	V     *View
	Pager Pager
}

// WithPager prepares the "pager" partial.
func (v *View) WithPager(p Pager) PagerView { return PagerView{V: v, Pager: p} }

// HistoryView is the model of the "history" partial.
type HistoryView struct {
	V       *View
	Entity  string
	Entries []crm.AuditEntry
	More    string // link to older entries
}

// FieldName is the translated name of a record's field in the history.
func (v *View) FieldName(entity, field string) string {
	return v.T("audit.field." + entity + "." + field)
}

// Option is one choice of a select.
type Option struct {
	Value, Label string
	Selected     bool
}

// Select is a labelled select for the "select" partial.
type Select struct {
	Field
	Options []Option
}

// Select builds a select named name whose options are value/label pairs;
// the option equal to the form's value is selected.
func (v *View) Select(name, labelKey string, options []Option) Select {
	s := Select{Field: v.Field(name, labelKey, "select")}
	for _, o := range options {
		o.Selected = o.Value == s.Value
		s.Options = append(s.Options, o)
	}
	return s
}

// Percent formats hundredths of a percent: "12,5 %" in Polish, "12.5%" in
// English.
func (v *View) Percent(bp int64) string {
	if v.Lang == i18n.PL {
		return service.FormatPercent(bp, ',') + "\u00a0%"
	}
	return service.FormatPercent(bp, '.') + "%"
}

// Tel is a phone number as a tel: link wants it: no spaces or separators.
func (v *View) Tel(phone string) string {
	return strings.Map(func(r rune) rune {
		if r == '+' || (r >= '0' && r <= '9') {
			return r
		}
		return -1
	}, phone)
}

// ScopeTableView is the model of the "scope-table" partial.
type ScopeTableView struct {
	V      *View
	Rows   []ScopeRow
	Levels []string
}

// ScopeTable prepares the permission table.
func (v *View) ScopeTable(rows []ScopeRow) ScopeTableView {
	return ScopeTableView{V: v, Rows: rows, Levels: levelNames}
}

// RoleOptions are the roles a user can have.
func (v *View) RoleOptions() []Option {
	return []Option{{Value: "user", Label: v.T("role.user")}, {Value: "owner", Label: v.T("role.owner")}}
}

// Value shows a history value: booleans as yes/no in the user's language.
func (v *View) Value(s string) string {
	switch s {
	case "true":
		return v.T("common.yes")
	case "false":
		return v.T("common.no")
	}
	return s
}

// Time formats t as a time of day in the account's time zone.
func (v *View) Time(t time.Time) string { return v.L.Time(t.In(v.zone())) }

// DayMonth formats a day like "28.11" ("28/11" in English) with its weekday.
func (v *View) DayMonth(t time.Time) string {
	return v.L.WeekdayShort(t.Weekday()) + " " + v.L.Date(t)[:5]
}

// DateText formats a date stored as "YYYY-MM-DD" the user's way
// ("15.06.2019"); anything else is shown as it is.
func (v *View) DateText(s string) string {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return s
	}
	return v.L.Date(d)
}

// Bell is the top bar's link to the notifications.
type Bell struct {
	Unread int // up to service.BellMax+1
}

// Count is the badge's text: "" for none, "99+" beyond service.BellMax.
func (b *Bell) Count() string {
	switch {
	case b == nil || b.Unread <= 0:
		return ""
	case b.Unread > service.BellMax:
		return strconv.Itoa(service.BellMax) + "+"
	}
	return strconv.Itoa(b.Unread)
}
