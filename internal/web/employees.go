package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"klientela/internal/authz"
	"klientela/internal/crm"
	"klientela/internal/httpx"
	"klientela/internal/service"
)

func (h *Web) registerEmployees(mux httpx.Mux) {
	h.route(mux, "GET /employees", authz.Employees, authz.View, h.employees)
	h.route(mux, "GET /employees/new", authz.Employees, authz.Edit, h.newEmployee)
	h.route(mux, "POST /employees", authz.Employees, authz.Edit, h.createEmployee)
	h.route(mux, "GET /employees/{id}", authz.Employees, authz.View, h.employee)
	h.route(mux, "GET /employees/{id}/edit", authz.Employees, authz.Edit, h.editEmployee)
	h.route(mux, "POST /employees/{id}", authz.Employees, authz.Edit, h.updateEmployee)
	h.route(mux, "POST /employees/{id}/active", authz.Employees, authz.Edit, h.setEmployeeActive)
	h.route(mux, "POST /employees/{id}/delete", authz.Employees, authz.Full, h.deleteEmployee)
}

const employeesPerPage = 50

// EmployeesData is the model of the employee list.
type EmployeesData struct {
	Items      []crm.Employee
	Q          string
	Active     string // "", "1" or "0"
	Business   string // the business filter, "" for all
	Businesses []Option
	Pager      Pager
	Sorts      map[string]SortLink
}

func (h *Web) employees(w http.ResponseWriter, r *http.Request, v *View) {
	q := r.URL.Query()
	page := listPage(q)
	query := service.EmployeeQuery{Q: q.Get("q"), Sort: q.Get("sort"), Offset: (page - 1) * employeesPerPage, Limit: employeesPerPage}
	switch q.Get("active") {
	case "1":
		query.Active = ptr(true)
	case "0":
		query.Active = ptr(false)
	}
	query.BusinessID, _ = strconv.ParseInt(q.Get("business_id"), 10, 64)
	items, total, err := h.svc.Employees(r.Context(), query)
	if err != nil {
		h.fail(w, r, v, err, "")
		return
	}
	sort := q.Get("sort")
	if sort == "" {
		sort = "name"
	}
	d := EmployeesData{Items: items, Q: query.Q, Active: q.Get("active"), Business: q.Get("business_id"),
		Businesses: h.businessOptions(r, v, v.T("employees.all_businesses")),
		Pager:      newPager("/employees", q, total, page, employeesPerPage),
		Sorts:      map[string]SortLink{"name": sortLink("/employees", q, sort, "name"), "position": sortLink("/employees", q, sort, "position")}}
	v.Title, v.Section, v.Sub, v.Data = v.T("employees.title"), "employees", "employees", d
	h.render(w, r, http.StatusOK, "employees", v)
}

func ptr[T any](v T) *T { return &v }

// EmployeeFormData is the model of the employee form.
type EmployeeFormData struct {
	Employee   *crm.Employee // nil for a new one
	Businesses []Option
}

func (h *Web) employeeForm(w http.ResponseWriter, r *http.Request, v *View, status int, e *crm.Employee) {
	d := EmployeeFormData{Employee: e, Businesses: h.businessOptions(r, v, v.T("common.none"))}
	if e == nil {
		v.Title = v.T("employees.new")
	} else {
		v.Title = e.FullName()
	}
	v.Section, v.Data = "employees", d
	h.render(w, r, status, "employee_form", v)
}

func (h *Web) newEmployee(w http.ResponseWriter, r *http.Request, v *View) {
	v.Form = &Form{Values: map[string]string{"active": "1", "color": service.DefaultEmployeeColor}}
	// A new record belongs to the business chosen in the top bar.
	if c, err := h.businessChoice(r, v); err == nil && len(c.All) > 1 {
		v.Form.Values["business_id"] = strconv.FormatInt(c.Current.ID, 10)
	}
	h.employeeForm(w, r, v, http.StatusOK, nil)
}

func (h *Web) editEmployee(w http.ResponseWriter, r *http.Request, v *View) {
	e, ok := h.loadEmployee(w, r, v)
	if !ok {
		return
	}
	v.Form = &Form{Values: employeeValues(e, v)}
	h.employeeForm(w, r, v, http.StatusOK, &e)
}

func employeeValues(e crm.Employee, v *View) map[string]string {
	dec := byte('.')
	if v.Lang == "pl" {
		dec = ','
	}
	vals := map[string]string{"first_name": e.FirstName, "last_name": e.LastName, "position": e.Position,
		"email": e.Email, "phone": e.Phone, "commission_rate": service.FormatPercent(e.CommissionBP, dec),
		"color": e.Color, "notes": e.Notes}
	if e.Active {
		vals["active"] = "1"
	}
	if e.BusinessID != nil {
		vals["business_id"] = strconv.FormatInt(*e.BusinessID, 10)
	}
	return vals
}

func employeeInput(form url.Values) service.EmployeeInput {
	in := service.EmployeeInput{FirstName: form.Get("first_name"), LastName: form.Get("last_name"),
		Position: form.Get("position"), Email: form.Get("email"), Phone: form.Get("phone"),
		Commission: form.Get("commission_rate"), Color: form.Get("color"), Notes: form.Get("notes"),
		Active: form.Get("active") != ""}
	if id, err := strconv.ParseInt(form.Get("business_id"), 10, 64); err == nil {
		in.BusinessID = &id
	}
	return in
}

func (h *Web) createEmployee(w http.ResponseWriter, r *http.Request, v *View) {
	if !h.parseForm(w, r, v) {
		return
	}
	e, err := h.svc.CreateEmployee(r.Context(), employeeInput(r.PostForm))
	if err != nil {
		h.failForm(w, r, v, err, func(status int) { h.employeeForm(w, r, v, status, nil) })
		return
	}
	h.flash(w, "employees.created")
	http.Redirect(w, r, "/employees/"+strconv.FormatInt(e.ID, 10), http.StatusSeeOther)
}

func (h *Web) updateEmployee(w http.ResponseWriter, r *http.Request, v *View) {
	if !h.parseForm(w, r, v) {
		return
	}
	old, ok := h.loadEmployee(w, r, v)
	if !ok {
		return
	}
	e, err := h.svc.UpdateEmployee(r.Context(), old.ID, employeeInput(r.PostForm))
	if err != nil {
		h.failForm(w, r, v, err, func(status int) { h.employeeForm(w, r, v, status, &old) })
		return
	}
	h.flash(w, "employees.saved")
	http.Redirect(w, r, "/employees/"+strconv.FormatInt(e.ID, 10), http.StatusSeeOther)
}

func (h *Web) setEmployeeActive(w http.ResponseWriter, r *http.Request, v *View) {
	if !h.parseForm(w, r, v) {
		return
	}
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r, v)
		return
	}
	active := r.PostForm.Get("active") == "1"
	if _, err := h.svc.SetEmployeeActive(r.Context(), id, active); err != nil {
		h.fail(w, r, v, err, "")
		return
	}
	if active {
		h.flash(w, "employees.activated")
	} else {
		h.flash(w, "employees.deactivated")
	}
	http.Redirect(w, r, "/employees/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
}

func (h *Web) deleteEmployee(w http.ResponseWriter, r *http.Request, v *View) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r, v)
		return
	}
	if err := h.svc.DeleteEmployee(r.Context(), id); err != nil {
		h.fail(w, r, v, err, "")
		return
	}
	h.flash(w, "employees.deleted")
	http.Redirect(w, r, "/employees", http.StatusSeeOther)
}

// EmployeeData is the model of an employee's card.
type EmployeeData struct {
	Employee   crm.Employee
	Tab        string // "details" or "history"
	History    HistoryView
	LinkedUser *crm.User      // for the owner: the user this employee is
	LinkUsers  []Option       // for the owner: users that can be linked
	Files      *AttachedFiles // nil without access to files
	Tasks      []crm.Task     // open tasks assigned to the employee (those the user may see)
	TasksMore  int            // open tasks beyond those listed
	Now        time.Time
}

func (h *Web) employee(w http.ResponseWriter, r *http.Request, v *View) {
	e, ok := h.loadEmployee(w, r, v)
	if !ok {
		return
	}
	d := EmployeeData{Employee: e, Tab: r.URL.Query().Get("tab")}
	if d.Tab == "history" {
		hv, err := h.history(r, v, "employee", e.ID, "/employees/"+strconv.FormatInt(e.ID, 10))
		if err != nil {
			h.fail(w, r, v, err, "")
			return
		}
		d.History = hv
	} else {
		d.Tab = "details"
		d.Files = h.attachedFiles(r, v, 0, e.ID)
		if v.Can("users", "edit") {
			us, err := h.svc.Users(r.Context(), "")
			if err != nil {
				h.fail(w, r, v, err, "")
				return
			}
			d.LinkUsers = append(d.LinkUsers, Option{Value: "", Label: v.T("common.none")})
			for _, u := range us {
				switch {
				case u.EmployeeID != nil && *u.EmployeeID == e.ID:
					d.LinkedUser = &u
				case u.EmployeeID == nil:
					d.LinkUsers = append(d.LinkUsers, Option{Value: strconv.FormatInt(u.ID, 10), Label: u.Name + " (" + u.Email + ")"})
				}
			}
		}
	}
	if d.Tab == "details" && authz.Can(v.P, authz.Tasks, authz.View) {
		var total int
		d.Now = time.Now()
		d.Tasks, total, _ = h.svc.Tasks(r.Context(), service.TaskQuery{EmployeeID: e.ID, Status: "open", Limit: 10})
		d.TasksMore = total - len(d.Tasks)
	}
	v.Title, v.Section, v.Data = e.FullName(), "employees", d
	h.render(w, r, http.StatusOK, "employee", v)
}

// loadEmployee reads the employee of the URL, answering 404 itself.
func (h *Web) loadEmployee(w http.ResponseWriter, r *http.Request, v *View) (crm.Employee, bool) {
	return load(h, w, r, v, h.svc.Employee)
}

// load reads the record named by the {id} of the URL, answering 404 (or
// the right error page) itself when it cannot.
func load[T any](h *Web, w http.ResponseWriter, r *http.Request, v *View, get func(context.Context, int64) (T, error)) (T, bool) {
	var zero T
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r, v)
		return zero, false
	}
	rec, err := get(r.Context(), id)
	if err != nil {
		h.fail(w, r, v, err, "")
		return zero, false
	}
	return rec, true
}

// pathID reads the {id} of the URL.
func pathID(r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	return id, err == nil && id > 0
}

// history loads a record's history tab; ?before= pages back in time.
func (h *Web) history(r *http.Request, v *View, entity string, id int64, base string) (HistoryView, error) {
	before, _ := strconv.ParseInt(r.URL.Query().Get("before"), 10, 64)
	es, next, err := h.svc.RecordHistory(r.Context(), entity, id, service.Page{Cursor: before, Limit: 50})
	hv := HistoryView{V: v, Entity: entity, Entries: es}
	if next > 0 {
		hv.More = base + "?tab=history&before=" + strconv.FormatInt(next, 10)
	}
	return hv, err
}

// failForm shows a form again after a refused save, or the right error page.
func (h *Web) failForm(w http.ResponseWriter, r *http.Request, v *View, err error, show func(status int)) {
	e, ok := crm.AsError(err)
	if !ok || (e.Code != crm.CodeInvalid && e.Code != crm.CodeConflict) {
		h.fail(w, r, v, err, "")
		return
	}
	v.Form = formFrom(r, v, e)
	show(httpx.Status(e.Code))
}

// businessOptions lists the account's businesses for a select, with first
// as the empty choice; nil when there is only one business (no choice).
func (h *Web) businessOptions(r *http.Request, v *View, first string) []Option {
	c, err := h.businessChoice(r, v)
	bs := c.All
	if err != nil || len(bs) < 2 {
		return nil
	}
	opts := []Option{{Value: "", Label: first}}
	for _, b := range bs {
		opts = append(opts, Option{Value: strconv.FormatInt(b.ID, 10), Label: b.Name})
	}
	return opts
}
