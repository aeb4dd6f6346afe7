package service

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"klientela/internal/authz"
	"klientela/internal/crm"
	"klientela/internal/money"
	"klientela/internal/store"
)

// EmployeeInput is what a form or the API sends for an employee. Strings
// are as typed; the service cleans and checks them.
type EmployeeInput struct {
	FirstName  string
	LastName   string
	Position   string
	Email      string
	Phone      string
	Commission string // percent as typed: "12,5", "12.5 %", "" for 0
	Color      string // "#rrggbb"; empty for the default
	Notes      string
	Active     bool
	BusinessID *int64
}

// DefaultEmployeeColor is the calendar colour of a new employee.
const DefaultEmployeeColor = "#2f5bea"

var (
	colorRe = regexp.MustCompile(`^#[0-9a-fA-F]{6}$`)
	phoneRe = regexp.MustCompile(`^\+?[0-9 ()./-]{3,40}$`)
)

// ParsePercent reads a percentage as people type it ("12,5", "12.5%",
// "7") into hundredths of a percent, exactly: it reuses the decimal rules of
// money.Parse, where hundredths of a złoty and of a percent are both two
// decimal places.
func ParsePercent(s string) (money.Rate, error) {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "%"))
	if s == "" {
		return 0, nil
	}
	a, err := money.Parse(s)
	if err != nil {
		return 0, err
	}
	return money.Rate(a.Grosze()), nil
}

// FormatPercent writes hundredths of a percent as people read them: "12,5"
// (Polish) or "12.5".
func FormatPercent(bp int64, decimal byte) string {
	s := strconv.FormatInt(bp/100, 10)
	if frac := bp % 100; frac != 0 {
		f := strconv.FormatInt(100+frac, 10)[1:]
		s += string(decimal) + strings.TrimRight(f, "0")
	}
	return s
}

func (s *Service) employeeFrom(ctx context.Context, t *store.Tenant, in EmployeeInput, e *crm.Employee) error {
	var v crm.Validation
	e.FirstName, e.LastName = cleanText(in.FirstName), cleanText(in.LastName)
	e.Position, e.Email, e.Phone = cleanText(in.Position), NormalizeEmail(in.Email), cleanText(in.Phone)
	e.Notes = cleanMultiline(in.Notes)
	e.Active = in.Active
	checkRequiredText(&v, "first_name", e.FirstName, 100)
	checkRequiredText(&v, "last_name", e.LastName, 100)
	if utf8.RuneCountInString(e.Position) > 100 {
		v.Add("position", "err.too_long", "max", 100)
	}
	if e.Email != "" {
		checkEmail(&v, "email", e.Email)
	}
	if e.Phone != "" && !phoneRe.MatchString(e.Phone) {
		v.Add("phone", "err.phone_invalid")
	}
	if utf8.RuneCountInString(e.Notes) > 5000 {
		v.Add("notes", "err.too_long", "max", 5000)
	}
	rate, err := ParsePercent(in.Commission)
	switch {
	case err != nil:
		v.Add("commission_rate", "err.percent_invalid")
	case rate < 0 || rate > 10000:
		v.Add("commission_rate", "err.percent_range")
	}
	e.CommissionBP = int64(rate)
	e.Color = strings.ToLower(strings.TrimSpace(in.Color))
	if e.Color == "" {
		e.Color = DefaultEmployeeColor
	} else if !colorRe.MatchString(e.Color) {
		v.Add("color", "err.color_invalid")
	}
	e.BusinessID = in.BusinessID
	if in.BusinessID != nil {
		ok, err := t.HasBusiness(ctx, *in.BusinessID)
		if err != nil {
			return err
		}
		if !ok {
			v.Add("business_id", "err.business_unknown")
		}
	}
	return v.Err()
}

func employeeFields(e crm.Employee) []field {
	biz := ""
	if e.BusinessID != nil {
		biz = strconv.FormatInt(*e.BusinessID, 10)
	}
	return []field{
		{"first_name", e.FirstName}, {"last_name", e.LastName}, {"position", e.Position}, {"email", e.Email},
		{"phone", e.Phone}, {"commission_rate", FormatPercent(e.CommissionBP, '.')}, {"color", e.Color},
		{"notes", e.Notes}, {"active", strconv.FormatBool(e.Active)}, {"business_id", biz},
	}
}

// CreateEmployee adds an employee.
func (s *Service) CreateEmployee(ctx context.Context, in EmployeeInput) (crm.Employee, error) {
	p, t, err := s.actor(ctx, authz.Employees, authz.Edit)
	if err != nil {
		return crm.Employee{}, err
	}
	now := s.now()
	e := crm.Employee{AccountID: t.AccountID(), CreatedAt: now, UpdatedAt: now}
	if err := s.employeeFrom(ctx, t, in, &e); err != nil {
		return crm.Employee{}, err
	}
	err = t.InTx(ctx, func(t *store.Tenant) error {
		if e.ID, err = t.CreateEmployee(ctx, e); err != nil {
			return err
		}
		return record(ctx, t, p, now, "employee", e.ID, crm.ActionCreate, e.FullName(), created(employeeFields(e)))
	})
	if err != nil {
		return crm.Employee{}, err
	}
	return t.Employee(ctx, e.ID)
}

// Employee returns one employee.
func (s *Service) Employee(ctx context.Context, id int64) (crm.Employee, error) {
	_, t, err := s.actor(ctx, authz.Employees, authz.View)
	if err != nil {
		return crm.Employee{}, err
	}
	return t.Employee(ctx, id)
}

// UpdateEmployee changes an employee.
func (s *Service) UpdateEmployee(ctx context.Context, id int64, in EmployeeInput) (crm.Employee, error) {
	p, t, err := s.actor(ctx, authz.Employees, authz.Edit)
	if err != nil {
		return crm.Employee{}, err
	}
	now := s.now()
	err = t.InTx(ctx, func(t *store.Tenant) error {
		old, err := t.Employee(ctx, id)
		if err != nil {
			return err
		}
		e := old
		if err := s.employeeFrom(ctx, t, in, &e); err != nil {
			return err
		}
		e.UpdatedAt = now
		if err := t.UpdateEmployee(ctx, e); err != nil {
			return err
		}
		return record(ctx, t, p, now, "employee", id, crm.ActionUpdate, e.FullName(), diff(employeeFields(old), employeeFields(e)))
	})
	if err != nil {
		return crm.Employee{}, err
	}
	return t.Employee(ctx, id)
}

// SetEmployeeActive activates or deactivates an employee.
func (s *Service) SetEmployeeActive(ctx context.Context, id int64, active bool) (crm.Employee, error) {
	e, err := s.Employee(ctx, id)
	if err != nil {
		return crm.Employee{}, err
	}
	in := EmployeeInputOf(e)
	in.Active = active
	return s.UpdateEmployee(ctx, id, in)
}

// EmployeeInputOf turns an employee back into the input that would save it
// unchanged (a PATCH starts from it).
func EmployeeInputOf(e crm.Employee) EmployeeInput {
	return EmployeeInput{FirstName: e.FirstName, LastName: e.LastName, Position: e.Position, Email: e.Email,
		Phone: e.Phone, Commission: FormatPercent(e.CommissionBP, '.'), Color: e.Color, Notes: e.Notes,
		Active: e.Active, BusinessID: e.BusinessID}
}

// DeleteEmployee removes an employee (full access). A linked user stays,
// unlinked.
func (s *Service) DeleteEmployee(ctx context.Context, id int64) error {
	p, t, err := s.actor(ctx, authz.Employees, authz.Full)
	if err != nil {
		return err
	}
	now := s.now()
	return t.InTx(ctx, func(t *store.Tenant) error {
		old, err := t.Employee(ctx, id)
		if err != nil {
			return err
		}
		// Their files stay in the account, attached to nothing.
		if _, err := t.DetachEmployeeFiles(ctx, id, now); err != nil {
			return err
		}
		if err := t.DeleteEmployee(ctx, id); err != nil {
			return err
		}
		return record(ctx, t, p, now, "employee", id, crm.ActionDelete, old.FullName(), deleted(employeeFields(old)))
	})
}

// EmployeeQuery is a page of the employee list.
type EmployeeQuery struct {
	Q          string
	Active     *bool
	BusinessID int64
	Sort       string
	Offset     int
	Limit      int
}

// Employees lists employees; it returns the page and the number of all
// that match.
func (s *Service) Employees(ctx context.Context, q EmployeeQuery) ([]crm.Employee, int, error) {
	_, t, err := s.actor(ctx, authz.Employees, authz.View)
	if err != nil {
		return nil, 0, err
	}
	return t.Employees(ctx, store.EmployeeFilter{Q: q.Q, Active: q.Active, BusinessID: q.BusinessID, Sort: q.Sort,
		Offset: max(0, q.Offset), Limit: Page{Limit: q.Limit}.limit()})
}
