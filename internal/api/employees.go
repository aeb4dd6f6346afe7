package api

import (
	"bytes"
	"encoding/json"
	"klientela/internal/httpx"
	"net/http"
	"strconv"

	"klientela/internal/authz"
	"klientela/internal/crm"
	"klientela/internal/service"
)

func (a *API) registerEmployees(mux httpx.Mux) {
	a.handle(mux, "GET", "/employees", authz.Employees, authz.View, a.listEmployees)
	a.handle(mux, "POST", "/employees", authz.Employees, authz.Edit, a.createEmployee)
	a.handle(mux, "GET", "/employees/{id}", authz.Employees, authz.View, getByID(a.svc.Employee, employeeOut))
	a.handle(mux, "PATCH", "/employees/{id}", authz.Employees, authz.Edit, a.patchEmployee)
	a.handle(mux, "DELETE", "/employees/{id}", authz.Employees, authz.Full, deleteByID(a.svc.DeleteEmployee))
}

// Percent is a percentage in hundredths of a percent that travels in JSON
// as a plain number (12.5), read and written exactly, never through float.
type Percent int64

// MarshalJSON writes the number.
func (p Percent) MarshalJSON() ([]byte, error) {
	return []byte(service.FormatPercent(int64(p), '.')), nil
}

// UnmarshalJSON reads a JSON number (or a string holding one).
func (p *Percent) UnmarshalJSON(b []byte) error {
	s := string(bytes.Trim(b, `"`))
	r, err := service.ParsePercent(s)
	if err != nil {
		return &fieldError{field: "commission_rate", key: "err.percent_invalid"}
	}
	*p = Percent(r)
	return nil
}

// Employee is an employee as the API shows it.
type Employee struct {
	ID             int64   `json:"id"`
	FirstName      string  `json:"first_name"`
	LastName       string  `json:"last_name"`
	Position       string  `json:"position"`
	Email          string  `json:"email"`
	Phone          string  `json:"phone"`
	CommissionRate Percent `json:"commission_rate"`
	Color          string  `json:"color"`
	Notes          string  `json:"notes"`
	Active         bool    `json:"active"`
	BusinessID     *int64  `json:"business_id"`
	UserID         *int64  `json:"user_id"`
	CreatedAt      string  `json:"created_at"`
	UpdatedAt      string  `json:"updated_at"`
}

func employeeOut(r *http.Request, e crm.Employee) Employee {
	return Employee{ID: e.ID, FirstName: e.FirstName, LastName: e.LastName, Position: e.Position, Email: e.Email,
		Phone: e.Phone, CommissionRate: Percent(e.CommissionBP), Color: e.Color, Notes: e.Notes, Active: e.Active,
		BusinessID: e.BusinessID, UserID: e.UserID, CreatedAt: timestamp(r, e.CreatedAt), UpdatedAt: timestamp(r, e.UpdatedAt)}
}

// employeeRequest is a POST or PATCH body: absent fields keep their value
// (PATCH) or their default (POST). business_id may be null to clear it.
type employeeRequest struct {
	FirstName      *string         `json:"first_name"`
	LastName       *string         `json:"last_name"`
	Position       *string         `json:"position"`
	Email          *string         `json:"email"`
	Phone          *string         `json:"phone"`
	CommissionRate *Percent        `json:"commission_rate"`
	Color          *string         `json:"color"`
	Notes          *string         `json:"notes"`
	Active         *bool           `json:"active"`
	BusinessID     json.RawMessage `json:"business_id"`
}

// apply writes the request's fields onto in.
func (q employeeRequest) apply(in *service.EmployeeInput) error {
	set := func(dst *string, src *string) {
		if src != nil {
			*dst = *src
		}
	}
	set(&in.FirstName, q.FirstName)
	set(&in.LastName, q.LastName)
	set(&in.Position, q.Position)
	set(&in.Email, q.Email)
	set(&in.Phone, q.Phone)
	set(&in.Color, q.Color)
	set(&in.Notes, q.Notes)
	if q.CommissionRate != nil {
		in.Commission = service.FormatPercent(int64(*q.CommissionRate), '.')
	}
	if q.Active != nil {
		in.Active = *q.Active
	}
	if len(q.BusinessID) > 0 {
		if string(q.BusinessID) == "null" {
			in.BusinessID = nil
		} else {
			id, err := strconv.ParseInt(string(q.BusinessID), 10, 64)
			if err != nil {
				return invalidField("business_id", "err.business_unknown")
			}
			in.BusinessID = &id
		}
	}
	return nil
}

func (a *API) listEmployees(w http.ResponseWriter, r *http.Request) (int, any, error) {
	pg, err := page(r)
	if err != nil {
		return 0, nil, err
	}
	q := r.URL.Query()
	query := service.EmployeeQuery{Q: q.Get("q"), Sort: q.Get("sort"), Offset: int(pg.Cursor), Limit: pg.Limit}
	if s := q.Get("active"); s != "" {
		b, err := strconv.ParseBool(s)
		if err != nil {
			return 0, nil, invalidField("active", "err.bool_invalid")
		}
		query.Active = &b
	}
	if s := q.Get("business_id"); s != "" {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return 0, nil, invalidField("business_id", "err.business_unknown")
		}
		query.BusinessID = id
	}
	items, total, err := a.svc.Employees(r.Context(), query)
	if err != nil {
		return 0, nil, err
	}
	out := make([]Employee, len(items))
	for i, e := range items {
		out[i] = employeeOut(r, e)
	}
	return http.StatusOK, offsetList(out, query.Offset, total), nil
}

func (a *API) createEmployee(w http.ResponseWriter, r *http.Request) (int, any, error) {
	var body employeeRequest
	if err := a.decode(r, &body); err != nil {
		return 0, nil, err
	}
	in := service.EmployeeInput{Active: true}
	if err := body.apply(&in); err != nil {
		return 0, nil, err
	}
	e, err := a.svc.CreateEmployee(r.Context(), in)
	if err != nil {
		return 0, nil, err
	}
	w.Header().Set("Location", Prefix+"/employees/"+strconv.FormatInt(e.ID, 10))
	return http.StatusCreated, employeeOut(r, e), nil
}

func (a *API) patchEmployee(w http.ResponseWriter, r *http.Request) (int, any, error) {
	id, err := pathID(r)
	if err != nil {
		return 0, nil, err
	}
	var body employeeRequest
	if err := a.decode(r, &body); err != nil {
		return 0, nil, err
	}
	cur, err := a.svc.Employee(r.Context(), id)
	if err != nil {
		return 0, nil, err
	}
	in := service.EmployeeInputOf(cur)
	if err := body.apply(&in); err != nil {
		return 0, nil, err
	}
	e, err := a.svc.UpdateEmployee(r.Context(), id, in)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, employeeOut(r, e), nil
}
