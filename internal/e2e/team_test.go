package e2e

import (
	"net/http"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"klientela/internal/app/apptest"
)

// Selectors of the team pages (employees, users, profile).
const (
	employeeSubmit   = `form[action="/employees"] button[type="submit"]`
	userSave         = `button[name="action"][value="save"]`
	userPreset       = `button[name="action"][value="preset"]`
	passwordSubmit   = `form[action="/profile/password"] button[type="submit"]`
	toast            = `main#main .toast`
	userForm         = `main#main form[action="/users"]`
	profilePermTable = `section[aria-labelledby="perm-title"] table.scope-table`
)

// levelRadio is the radio of one section and level in the permission table.
func levelRadio(section, level string) string {
	return `input[type="radio"][name="level_` + section + `"][value="` + level + `"]`
}

// checked reports whether the input sel is checked; a missing input fails.
func (b *browser) checked(sel string) bool {
	b.t.Helper()
	switch s := eval[string](b, `(e => e ? String(e.checked) : "missing")(document.querySelector(`+strconv.Quote(sel)+`))`); s {
	case "true":
		return true
	case "false":
		return false
	default:
		b.t.Fatalf("no input %s on %s", sel, b.path())
		return false
	}
}

// scopeState is what a permission table shows.
type scopeState struct {
	Levels   map[string]string `json:"levels"`
	Own      []string          `json:"own"`
	Enabled  []string          `json:"enabled"`
	Sections []string          `json:"sections"`
}

// scopeLevels reads the permission table under root: the checked level of
// every section ("" when none is checked), the sections whose "own records
// only" box is ticked, and the sections whose radios are not all disabled.
func (b *browser) scopeLevels(root string) scopeState {
	b.t.Helper()
	return eval[scopeState](b, `(root => {
		const out = {levels: {}, own: [], enabled: [], sections: []};
		const r = document.querySelector(root);
		if (!r) return out;
		r.querySelectorAll('input[type="radio"][name^="level_"]').forEach(e => {
			const sec = e.name.slice("level_".length);
			if (!(sec in out.levels)) { out.levels[sec] = ""; out.sections.push(sec); }
			if (e.checked) out.levels[sec] = e.value;
			if (!e.disabled && !out.enabled.includes(sec)) out.enabled.push(sec);
		});
		r.querySelectorAll('input[type="checkbox"][name^="own_"]').forEach(e => {
			if (e.checked) out.own.push(e.name.slice("own_".length));
		});
		return out;
	})(`+strconv.Quote(root)+`)`)
}

// wantOnlyClientsView fails unless the table under root grants "view" on
// clients and nothing anywhere else, without "own records only".
func (b *browser) wantOnlyClientsView(where, root string) scopeState {
	b.t.Helper()
	st := b.scopeLevels(root)
	if len(st.Sections) < 2 || !slices.Contains(st.Sections, "clients") {
		b.t.Fatalf("%s: permission table %s has sections %v, want clients and the others", where, root, st.Sections)
	}
	for _, sec := range st.Sections {
		want := "none"
		if sec == "clients" {
			want = "view"
		}
		if got := st.Levels[sec]; got != want {
			b.t.Errorf("%s: section %s has level %q checked, want %q", where, sec, got, want)
		}
	}
	if len(st.Own) > 0 {
		b.t.Errorf(`%s: "own records only" ticked for %v, want none`, where, st.Own)
	}
	return st
}

var (
	employeePath = regexp.MustCompile(`^/employees/([0-9]+)$`)
	userPath     = regexp.MustCompile(`^/users/([0-9]+)$`)
)

// idFrom returns the id in the page's path, which must match re.
func (b *browser) idFrom(re *regexp.Regexp) string {
	b.t.Helper()
	p := b.path()
	m := re.FindStringSubmatch(p)
	if m == nil {
		b.t.Fatalf("page is at %s, want a path like %s", p, re)
	}
	return m[1]
}

// lucja is the employee who gets a user account with "view" on clients.
var lucja = struct {
	first, last, position, email, commission string
	initialPassword, newPassword             string
}{
	first:           "Łucja",
	last:            "Żółkiewska",
	position:        "Specjalistka ds. obsługi klienta",
	email:           "lucja@pracownia-lodz.example",
	commission:      "12,5",
	initialPassword: "Początek-Łucji-2024",
	newPassword:     "Własne-hasło-Łucji-7",
}

func TestOwnerGrantsViewOnClients(t *testing.T) {
	eachEngine(t, func(t *testing.T, c *chromium, srv *apptest.Server) {
		owner, e := zaneta, lucja
		fullName := e.first + " " + e.last
		srv.SignUp(owner.company, owner.name, owner.email, owner.password)

		b := c.newBrowser(t, srv.URL)
		b.resize(desktopW, desktopH)
		b.open("/login", "#f-email")
		b.logIn(owner.email, owner.password, greeting)
		b.wantPath("/")

		// 1. The owner adds the employee.
		b.open("/employees", greeting)
		add := `main#main .page-head a[href="/employees/new"]`
		b.wantText(add, msg(t, "pl", "employees.add"))
		b.clickAndLoad(add, "#f-first_name")
		b.wantPath("/employees/new")
		b.typeInto("#f-first_name", e.first)
		b.typeInto("#f-last_name", e.last)
		b.typeInto("#f-position", e.position)
		b.typeInto("#f-email", e.email)
		b.typeInto("#f-commission_rate", e.commission)
		b.clickAndLoad(employeeSubmit, toast)
		empID := b.idFrom(employeePath)
		b.wantText(toast, msg(t, "pl", "employees.created"))
		b.wantText(greeting, fullName)
		if got := b.text(`dl.facts`); !strings.Contains(got, e.commission) || !strings.Contains(got, e.email) {
			t.Errorf("employee card facts %q: want the e-mail %q and the commission %q", got, e.email, e.commission)
		}

		// 2. From the card, a user account for this person.
		createUser := `main#main a[href="/users/new?employee_id=` + empID + `"]`
		b.wantText(createUser, msg(t, "pl", "employees.create_user"))
		b.clickAndLoad(createUser, "#f-employee_id")
		b.wantPath("/users/new")
		if v := get(b, "value of #f-employee_id", valueCSS("#f-employee_id")); v != empID {
			t.Fatalf("#f-employee_id = %q, want the employee %s preselected", v, empID)
		}
		if got := eval[string](b, `document.querySelector("#f-employee_id").selectedOptions[0].textContent.trim()`); got != fullName {
			t.Errorf("selected employee is %q, want %q", got, fullName)
		}
		if !b.checked("#f-must_change_password") {
			t.Errorf("must-change-password is not checked on a new user")
		}
		// The table starts with no access anywhere.
		st := b.scopeLevels(userForm)
		if len(st.Sections) == 0 {
			t.Fatalf("no permission table in %s", userForm)
		}
		for sec, l := range st.Levels {
			if l != "none" {
				t.Errorf("new user form: section %s starts at %q, want none", sec, l)
			}
		}
		fillAccount := func() {
			b.typeInto("#f-name", fullName)
			b.typeInto("#f-email", e.email)
			b.typeInto("#f-password", e.initialPassword)
		}
		fillAccount()

		// 3. The preset button fills the table in (nothing is saved yet).
		b.step("choose the preset readonly", chromedp.SetValue(chromedp.CSS("#f-preset"), "readonly"))
		b.clickAndLoad(userPreset, levelRadio("reports", "view"))
		if !b.checked(levelRadio("reports", "view")) {
			t.Errorf("after the preset %q, reports is not at view", msg(t, "pl", "preset.readonly"))
		}
		if !b.checked(levelRadio("clients", "view")) {
			t.Errorf("after the preset %q, clients is not at view", msg(t, "pl", "preset.readonly"))
		}
		// The account part of the form survives the round trip.
		for sel, want := range map[string]string{"#f-name": fullName, "#f-email": e.email, "#f-employee_id": empID} {
			if v := get(b, "value of "+sel, valueCSS(sel)); v != want {
				t.Errorf("after the preset, %s = %q, want %q", sel, v, want)
			}
		}
		if !b.checked("#f-must_change_password") {
			// The owner did not untick it: the form must keep it.
			t.Errorf("after the preset, must-change-password is no longer checked: the form dropped it (a user saved now need not change the initial password)")
		}
		if v := get(b, "value of #f-preset", valueCSS("#f-preset")); v != "readonly" {
			t.Logf("note: after applying a preset the preset select shows %q, not the preset applied (readonly)", v)
		}
		// Back to nothing everywhere, then clients: view.
		st = b.scopeLevels(userForm)
		for _, sec := range st.Sections {
			if st.Levels[sec] != "none" {
				b.step("no access to "+sec, clickCSS(levelRadio(sec, "none")))
			}
		}
		for _, sec := range st.Own {
			b.step("untick own records only for "+sec, clickCSS(`input[type="checkbox"][name="own_`+sec+`"]`))
		}
		b.step("view on clients", clickCSS(levelRadio("clients", "view")))
		b.wantOnlyClientsView("user form before saving", userForm)
		// The password is not sent back with the form: type it again.
		if v := get(b, "value of #f-password", valueCSS("#f-password")); v != "" {
			t.Errorf("after the preset the password field holds %q, want it empty", v)
		}
		b.typeInto("#f-password", e.initialPassword)

		// 8. The form with its permission table, at 1280 px.
		dir := filepath.Join(repoRoot(t), "screenshots")
		if engine := filepath.Base(t.Name()); engine != apptest.Engines[0] {
			dir = filepath.Join(dir, engine)
		}
		// From the top, without the focus ring of the last field.
		eval[bool](b, `(document.activeElement && document.activeElement.blur(), window.scrollTo(0, 0), true)`)
		b.noHorizontalOverflow("user form at 1280 px")
		b.screenshot(filepath.Join(dir, "users-form-pl.png"))

		b.clickAndLoad(userSave, toast)
		userID := b.idFrom(userPath)
		b.wantText(toast, msg(t, "pl", "users.created"))
		b.wantText(greeting, fullName)
		b.wantText(`main#main dl.facts a[href="/employees/`+empID+`"]`, fullName)
		if facts := b.text(`main#main dl.facts`); !strings.Contains(facts, msg(t, "pl", "users.must_change")+"\n"+msg(t, "pl", "common.yes")) {
			t.Errorf("user page facts %q: want %q: %q", facts, msg(t, "pl", "users.must_change"), msg(t, "pl", "common.yes"))
		}
		b.wantOnlyClientsView("user page", "main#main")

		// The employee's card now names the user.
		b.open("/employees/"+empID, greeting)
		b.wantText(`section[aria-labelledby="usr-title"] a[href="/users/`+userID+`"]`, fullName)

		// 4. The owner logs out.
		b.openUserMenu()
		b.clickAndLoad(menuLogout, "#f-email")
		b.wantPath("/login")

		// 5. Łucja logs in and must set her own password first.
		b.logIn(e.email, e.initialPassword, greeting)
		b.wantPath("/profile")
		b.wantText(`main#main .alert-warning`, msg(t, "pl", "profile.must_change"))
		b.typeInto("#f-current_password", e.initialPassword)
		b.typeInto("#f-new_password", e.newPassword)
		b.typeInto("#f-new_password_confirm", e.newPassword)
		b.clickAndLoad(passwordSubmit, profilePermTable)
		b.wantPath("/profile")
		b.wantText(toast, msg(t, "pl", "profile.password.changed"))
		if n := eval[int](b, `document.querySelectorAll("main#main .alert-warning").length`); n != 0 {
			t.Errorf("the must-change warning is still shown after the password change")
		}
		b.wantText("#perm-title", msg(t, "pl", "profile.permissions.title"))
		st = b.wantOnlyClientsView("profile", profilePermTable)
		if len(st.Enabled) > 0 {
			t.Errorf("profile: the radios of %v can be changed, want all disabled", st.Enabled)
		}
		if !b.checked(profilePermTable + " " + levelRadio("clients", "view")) {
			t.Errorf("profile: clients is not at view")
		}

		// 6. The dashboard: no team or settings in the navigation.
		b.open("/", greeting)
		b.wantPath("/")
		hrefs := eval[[]string](b, `Array.from(document.querySelectorAll("nav.sidenav a")).map(a => a.getAttribute("href"))`)
		if !slices.Contains(hrefs, "/") {
			t.Errorf("navigation %v has no link to the dashboard", hrefs)
		}
		for _, h := range hrefs {
			for _, banned := range []string{"/employees", "/users", "/settings"} {
				if h == banned || strings.HasPrefix(h, banned+"/") || strings.HasPrefix(h, banned+"?") {
					t.Errorf("navigation links to %s (all links: %v)", h, hrefs)
				}
			}
		}

		// 7. The team pages are forbidden, with a 403.
		for _, p := range []string{"/employees", "/users"} {
			res := get(b, "open "+p, chromedp.NavigateResponse(b.base+p))
			b.step("wait for the error page", waitVisibleCSS("#err-title"))
			if res == nil {
				t.Errorf("%s: no response", p)
			} else if res.Status != http.StatusForbidden {
				t.Errorf("%s: HTTP %d, want %d", p, res.Status, http.StatusForbidden)
			}
			b.wantPath(p)
			b.wantText("#err-title", msg(t, "pl", "errors.forbidden.title"))
			b.wantText(".error-code", "403")
		}
	})
}
