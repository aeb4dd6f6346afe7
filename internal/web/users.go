package web

import (
	"klientela/internal/httpx"
	"net/http"
	"net/url"
	"strconv"

	"klientela/internal/authz"
	"klientela/internal/crm"
	"klientela/internal/service"
)

func (h *Web) registerUsers(mux httpx.Mux) {
	h.route(mux, "GET /users", authz.Users, authz.View, h.users)
	h.route(mux, "GET /users/new", authz.Users, authz.Edit, h.newUser)
	h.route(mux, "POST /users", authz.Users, authz.Edit, h.createUser)
	h.route(mux, "GET /users/{id}", authz.Users, authz.View, h.user)
	h.route(mux, "GET /users/{id}/edit", authz.Users, authz.Edit, h.editUser)
	h.route(mux, "POST /users/{id}", authz.Users, authz.Edit, h.updateUser)
	h.route(mux, "POST /users/{id}/delete", authz.Users, authz.Full, h.deleteUser)
	h.route(mux, "POST /employees/{id}/user", authz.Users, authz.Edit, h.linkEmployeeUser)
}

// UsersData is the model of the user list.
type UsersData struct {
	Items     []crm.User
	Q         string
	Employees map[int64]string // id → name, for the linked employee column
}

func (h *Web) users(w http.ResponseWriter, r *http.Request, v *View) {
	q := r.URL.Query().Get("q")
	us, err := h.svc.Users(r.Context(), q)
	if err != nil {
		h.fail(w, r, v, err, "")
		return
	}
	names, err := h.employeeNames(r)
	if err != nil {
		h.fail(w, r, v, err, "")
		return
	}
	v.Title, v.Section, v.Sub, v.Data = v.T("users.title"), "employees", "users", UsersData{Items: us, Q: q, Employees: names}
	h.render(w, r, http.StatusOK, "users", v)
}

// employeeNames maps every employee to their name (for user pages).
func (h *Web) employeeNames(r *http.Request) (map[int64]string, error) {
	es, _, err := h.svc.Employees(r.Context(), service.EmployeeQuery{Limit: service.MaxPageSize})
	if crm.ErrorCode(err) == crm.CodeForbidden {
		return map[int64]string{}, nil
	}
	m := make(map[int64]string, len(es))
	for _, e := range es {
		m[e.ID] = e.FullName()
	}
	return m, err
}

// ScopeRow is one section of the permission table of the user form.
type ScopeRow struct {
	Section  string
	Level    string // "none", "view", "edit", "full"
	OwnOnly  bool
	CanOwn   bool // the section can be limited to own records
	Disabled bool
}

// UserFormData is the model of the user form.
type UserFormData struct {
	User      *crm.User
	Scope     []ScopeRow
	Presets   []string
	Employees []Option
	Self      bool
}

var levelNames = []string{"none", "view", "edit", "full"}

func scopeRows(sc crm.Scope, disabled bool) []ScopeRow {
	var rows []ScopeRow
	for _, sec := range authz.Scoped {
		l := sc.Permissions[string(sec)]
		if l == "" {
			l = "none"
		}
		row := ScopeRow{Section: string(sec), Level: l, Disabled: disabled}
		for _, o := range authz.OwnOnlySections {
			if o == sec {
				row.CanOwn = true
			}
		}
		for _, o := range sc.OwnOnly {
			if o == string(sec) {
				row.OwnOnly = true
			}
		}
		rows = append(rows, row)
	}
	return rows
}

// scopeFromForm reads the permission table: level_<section> and own_<section>.
func scopeFromForm(form url.Values) crm.Scope {
	sc := crm.Scope{Permissions: map[string]string{}}
	for _, sec := range authz.Scoped {
		if l := form.Get("level_" + string(sec)); l != "" && l != "none" {
			sc.Permissions[string(sec)] = l
		}
		if form.Get("own_"+string(sec)) != "" {
			sc.OwnOnly = append(sc.OwnOnly, string(sec))
		}
	}
	return sc
}

func (h *Web) userForm(w http.ResponseWriter, r *http.Request, v *View, status int, u *crm.User, sc crm.Scope) {
	d := UserFormData{User: u, Self: u != nil && u.ID == v.P.User.ID}
	d.Scope = scopeRows(sc, d.Self)
	for _, p := range authz.Presets {
		d.Presets = append(d.Presets, p.Key)
	}
	es, _, err := h.svc.Employees(r.Context(), service.EmployeeQuery{Limit: service.MaxPageSize})
	if err != nil {
		h.fail(w, r, v, err, "")
		return
	}
	d.Employees = append(d.Employees, Option{Value: "", Label: v.T("common.none")})
	for _, e := range es {
		if e.UserID == nil || (u != nil && u.EmployeeID != nil && *u.EmployeeID == e.ID) {
			d.Employees = append(d.Employees, Option{Value: strconv.FormatInt(e.ID, 10), Label: e.FullName()})
		}
	}
	v.Title = v.T("users.new")
	if u != nil {
		v.Title = u.Name
	}
	v.Section, v.Data = "employees", d
	h.render(w, r, status, "user_form", v)
}

func (h *Web) newUser(w http.ResponseWriter, r *http.Request, v *View) {
	v.Form = &Form{Values: map[string]string{"must_change_password": "1", "active": "1", "role": "user"}}
	if e := r.URL.Query().Get("employee_id"); e != "" {
		v.Form.Values["employee_id"] = e
	}
	h.userForm(w, r, v, http.StatusOK, nil, crm.Scope{})
}

func (h *Web) editUser(w http.ResponseWriter, r *http.Request, v *View) {
	u, ok := h.loadUser(w, r, v)
	if !ok {
		return
	}
	vals := map[string]string{"email": u.Email, "name": u.Name, "role": string(u.Role)}
	if u.Active {
		vals["active"] = "1"
	}
	if u.MustChangePassword {
		vals["must_change_password"] = "1"
	}
	if u.EmployeeID != nil {
		vals["employee_id"] = strconv.FormatInt(*u.EmployeeID, 10)
	}
	v.Form = &Form{Values: vals}
	h.userForm(w, r, v, http.StatusOK, &u, u.Scope)
}

// userInput reads the user form. For one's own user the role, scope and
// activity fields are not sent (they are disabled) and so not changed.
func userInput(form url.Values, self bool) service.UserInput {
	email, name := form.Get("email"), form.Get("name")
	must := form.Get("must_change_password") != ""
	in := service.UserInput{Email: &email, Name: &name, Password: form.Get("password"), MustChangePassword: &must}
	if !self {
		role := crm.Role(form.Get("role"))
		active := form.Get("active") != ""
		sc := scopeFromForm(form)
		in.Role, in.Active, in.Scope = &role, &active, &sc
	}
	var emp *int64
	if id, err := strconv.ParseInt(form.Get("employee_id"), 10, 64); err == nil {
		emp = &id
	}
	in.EmployeeID = &emp
	return in
}

// applyPreset answers the "apply preset" button: the form comes back with
// the preset's levels filled in, nothing saved.
func (h *Web) applyPreset(w http.ResponseWriter, r *http.Request, v *View, u *crm.User) bool {
	if r.PostForm.Get("action") != "preset" {
		return false
	}
	sc := scopeFromForm(r.PostForm)
	if p, ok := authz.PresetByKey(r.PostForm.Get("preset")); ok {
		sc = p.Scope.Raw()
	}
	v.Form = formFrom(r, v, &crm.Error{})
	v.Form.Error = ""
	h.userForm(w, r, v, http.StatusOK, u, sc)
	return true
}

func (h *Web) createUser(w http.ResponseWriter, r *http.Request, v *View) {
	if !h.parseForm(w, r, v) || h.applyPreset(w, r, v, nil) {
		return
	}
	in := userInput(r.PostForm, false)
	u, err := h.svc.CreateUser(r.Context(), in)
	if err != nil {
		h.failForm(w, r, v, err, func(status int) { h.userForm(w, r, v, status, nil, *in.Scope) })
		return
	}
	h.flash(w, "users.created")
	http.Redirect(w, r, "/users/"+strconv.FormatInt(u.ID, 10), http.StatusSeeOther)
}

func (h *Web) updateUser(w http.ResponseWriter, r *http.Request, v *View) {
	if !h.parseForm(w, r, v) {
		return
	}
	old, ok := h.loadUser(w, r, v)
	if !ok || h.applyPreset(w, r, v, &old) {
		return
	}
	in := userInput(r.PostForm, old.ID == v.P.User.ID)
	u, err := h.svc.UpdateUser(r.Context(), old.ID, in)
	if err != nil {
		sc := old.Scope
		if in.Scope != nil {
			sc = *in.Scope
		}
		h.failForm(w, r, v, err, func(status int) { h.userForm(w, r, v, status, &old, sc) })
		return
	}
	h.flash(w, "users.saved")
	http.Redirect(w, r, "/users/"+strconv.FormatInt(u.ID, 10), http.StatusSeeOther)
}

func (h *Web) deleteUser(w http.ResponseWriter, r *http.Request, v *View) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r, v)
		return
	}
	if err := h.svc.DeleteUser(r.Context(), id); err != nil {
		if e, ok := crm.AsError(err); ok && e.Code == crm.CodeConflict {
			h.flash(w, e.Key)
			http.Redirect(w, r, "/users/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
			return
		}
		h.fail(w, r, v, err, "")
		return
	}
	h.flash(w, "users.deleted")
	http.Redirect(w, r, "/users", http.StatusSeeOther)
}

// UserData is the model of a user's page.
type UserData struct {
	User     crm.User
	Employee string // linked employee's name
	Scope    []ScopeRow
	Tab      string
	History  HistoryView
}

func (h *Web) user(w http.ResponseWriter, r *http.Request, v *View) {
	u, ok := h.loadUser(w, r, v)
	if !ok {
		return
	}
	d := UserData{User: u, Scope: scopeRows(u.Scope, true), Tab: r.URL.Query().Get("tab")}
	if u.EmployeeID != nil {
		if e, err := h.svc.Employee(r.Context(), *u.EmployeeID); err == nil {
			d.Employee = e.FullName()
		}
	}
	if d.Tab == "history" {
		hv, err := h.history(r, v, "user", u.ID, "/users/"+strconv.FormatInt(u.ID, 10))
		if err != nil {
			h.fail(w, r, v, err, "")
			return
		}
		d.History = hv
	} else {
		d.Tab = "details"
	}
	v.Title, v.Section, v.Data = u.Name, "employees", d
	h.render(w, r, http.StatusOK, "user", v)
}

func (h *Web) loadUser(w http.ResponseWriter, r *http.Request, v *View) (crm.User, bool) {
	return load(h, w, r, v, h.svc.User)
}

// linkEmployeeUser links (user_id) or unlinks (empty) the employee's user,
// from the employee's card.
func (h *Web) linkEmployeeUser(w http.ResponseWriter, r *http.Request, v *View) {
	if !h.parseForm(w, r, v) {
		return
	}
	e, ok := h.loadEmployee(w, r, v)
	if !ok {
		return
	}
	var err error
	if uid, perr := strconv.ParseInt(r.PostForm.Get("user_id"), 10, 64); perr == nil {
		_, err = h.svc.LinkEmployee(r.Context(), uid, &e.ID)
	} else {
		err = h.svc.UnlinkEmployee(r.Context(), e.ID)
	}
	if err != nil {
		if ce, ok := crm.AsError(err); ok && (ce.Code == crm.CodeInvalid || ce.Code == crm.CodeConflict) {
			for _, m := range ce.Fields {
				h.flash(w, m.Key)
				break
			}
			http.Redirect(w, r, "/employees/"+strconv.FormatInt(e.ID, 10), http.StatusSeeOther)
			return
		}
		h.fail(w, r, v, err, "")
		return
	}
	h.flash(w, "users.saved")
	http.Redirect(w, r, "/employees/"+strconv.FormatInt(e.ID, 10), http.StatusSeeOther)
}
