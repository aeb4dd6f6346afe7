package service

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"klientela/internal/authz"
	"klientela/internal/crm"
	"klientela/internal/i18n"
	"klientela/internal/search"
	"klientela/internal/store"
)

// UserInput is what the owner sets for a user. On update, a nil field keeps
// the current value; Password is set only when not empty.
type UserInput struct {
	Email              *string
	Name               *string
	Password           string
	Role               *crm.Role
	Active             *bool
	MustChangePassword *bool
	Scope              *crm.Scope // raw, as sent: checked by authz.ParseScope
	EmployeeID         **int64    // set to a nil *int64 to unlink
	Locale             string
}

// Users lists the account's users (owner only), filtered by a diacritics-
// insensitive search in name and e-mail.
func (s *Service) Users(ctx context.Context, q string) ([]crm.User, error) {
	_, t, err := s.actor(ctx, authz.Users, authz.View)
	if err != nil {
		return nil, err
	}
	us, err := t.Users(ctx)
	if err != nil {
		return nil, err
	}
	terms := search.Terms(q)
	if len(terms) == 0 {
		return us, nil
	}
	return slices.DeleteFunc(us, func(u crm.User) bool {
		key := search.Key(u.Name, u.Email)
		for _, term := range terms {
			if !strings.Contains(key, term) {
				return true
			}
		}
		return false
	}), nil
}

// User returns one user of the account (owner only).
func (s *Service) User(ctx context.Context, id int64) (crm.User, error) {
	_, t, err := s.actor(ctx, authz.Users, authz.View)
	if err != nil {
		return crm.User{}, err
	}
	return t.User(ctx, id)
}

// userFields is a user as the history shows it (never the password).
func userFields(u crm.User) []field {
	perms := make([]string, 0, len(u.Scope.Permissions))
	for sec, l := range u.Scope.Permissions {
		perms = append(perms, sec+": "+l)
	}
	slices.Sort(perms)
	emp := ""
	if u.EmployeeID != nil {
		emp = strconv.FormatInt(*u.EmployeeID, 10)
	}
	return []field{
		{"email", u.Email}, {"name", u.Name}, {"role", string(u.Role)}, {"active", strconv.FormatBool(u.Active)},
		{"must_change_password", strconv.FormatBool(u.MustChangePassword)},
		{"permissions", strings.Join(perms, ", ")}, {"own_only", strings.Join(u.Scope.OwnOnly, ", ")},
		{"employee_id", emp},
	}
}

// applyUser checks in and writes it onto u. self is whether the owner is
// editing their own user: then role, scope and activity are refused.
func (s *Service) applyUser(ctx context.Context, t *store.Tenant, in UserInput, u *crm.User, self, creating bool) error {
	var v crm.Validation
	if in.Email != nil {
		email := NormalizeEmail(*in.Email)
		if self && email != u.Email {
			// One's own e-mail and password change only where the current
			// password is asked for (the profile), never here: a stolen
			// session must not be enough to take over the account.
			v.Add("email", "err.own_credentials")
		}
		u.Email = email
		checkEmail(&v, "email", u.Email)
	}
	if self && in.Password != "" {
		v.Add("password", "err.own_credentials")
	}
	if in.Name != nil {
		u.Name = cleanText(*in.Name)
		checkRequiredText(&v, "name", u.Name, MaxName)
	}
	if creating || in.Password != "" {
		checkPassword(&v, "password", in.Password)
	}
	if self && (in.Role != nil && *in.Role != u.Role || in.Active != nil && *in.Active != u.Active ||
		in.Scope != nil && fmt.Sprint(authzRaw(*in.Scope)) != fmt.Sprint(authzRaw(u.Scope))) {
		v.Add("permissions", "err.own_permissions")
	}
	if in.Role != nil {
		if *in.Role != crm.RoleOwner && *in.Role != crm.RoleUser {
			v.Add("role", "err.role_invalid")
		} else {
			u.Role = *in.Role
		}
	}
	if in.Active != nil {
		u.Active = *in.Active
	}
	if in.MustChangePassword != nil {
		u.MustChangePassword = *in.MustChangePassword
	}
	if in.Scope != nil {
		sc, err := authz.ParseScope(*in.Scope)
		if e, ok := crm.AsError(err); ok {
			for f, m := range e.Fields {
				v.Add(f, m.Key, m.Args...)
			}
		}
		u.Scope = sc.Raw()
	}
	if in.EmployeeID != nil {
		u.EmployeeID = *in.EmployeeID
		if id := *in.EmployeeID; id != nil {
			if _, err := t.Employee(ctx, *id); crm.ErrorCode(err) == crm.CodeNotFound {
				v.Add("employee_id", "err.employee_unknown")
			} else if err != nil {
				return err
			} else if other, err := t.UserOfEmployee(ctx, *id); err == nil && other.ID != u.ID {
				v.Add("employee_id", "err.employee_linked")
			}
		}
	}
	return v.Err()
}

// authzRaw normalises a raw scope for comparison.
func authzRaw(sc crm.Scope) crm.Scope {
	p, _ := authz.ParseScope(sc)
	return p.Raw()
}

// CreateUser adds a user who can log in (owner only).
func (s *Service) CreateUser(ctx context.Context, in UserInput) (crm.User, error) {
	p, t, err := s.actor(ctx, authz.Users, authz.Edit)
	if err != nil {
		return crm.User{}, err
	}
	u := crm.User{Role: crm.RoleUser, Active: true, Locale: string(i18n.PL)}
	if l, ok := i18n.ParseLang(in.Locale); ok {
		u.Locale = string(l)
	} else if l, ok := i18n.ParseLang(p.User.Locale); ok {
		u.Locale = string(l)
	}
	if in.Email == nil {
		in.Email = new(string)
	}
	if in.Name == nil {
		in.Name = new(string)
	}
	if err := s.applyUser(ctx, t, in, &u, false, true); err != nil {
		return crm.User{}, err
	}
	hash, err := s.opt.Password.Hash(in.Password)
	if err != nil {
		return crm.User{}, err
	}
	now := s.now()
	err = t.InTx(ctx, func(t *store.Tenant) error {
		created, err := t.CreateUser(ctx, store.NewUser{Email: u.Email, Name: u.Name, PasswordHash: hash, Role: u.Role,
			Locale: u.Locale, MustChangePassword: u.MustChangePassword, Scope: u.Scope, EmployeeID: u.EmployeeID, Now: now})
		if err != nil {
			return err
		}
		active := u.Active // the store creates users active
		u = created
		if !active {
			u.Active = false
			if err := t.UpdateUser(ctx, u, now); err != nil {
				return err
			}
		}
		return record(ctx, t, p, now, "user", u.ID, crm.ActionCreate, u.Name, created2(userFields(u)))
	})
	if err != nil {
		return crm.User{}, err
	}
	return t.User(ctx, u.ID)
}

// created2 is created without the default flags that say nothing.
func created2(fs []field) []crm.Change {
	return slices.DeleteFunc(created(fs), func(c crm.Change) bool { return c.New == "false" })
}

// UpdateUser changes a user (owner only). An owner cannot change their own
// role, scope or activity, and the last active owner stays an owner.
// Deactivation ends the user's sessions and API tokens at once; a new
// password ends them too.
func (s *Service) UpdateUser(ctx context.Context, id int64, in UserInput) (crm.User, error) {
	p, t, err := s.actor(ctx, authz.Users, authz.Edit)
	if err != nil {
		return crm.User{}, err
	}
	now := s.now()
	var newHash string
	if in.Password != "" && id != p.User.ID && len(in.Password) >= MinPassword {
		// Hash before the transaction: argon2id takes tens of milliseconds
		// and must not hold the (SQLite: single) writer meanwhile.
		if newHash, err = s.opt.Password.Hash(in.Password); err != nil {
			return crm.User{}, err
		}
	}
	err = t.InTx(ctx, func(t *store.Tenant) error {
		// Serialise changes of users within the account, so that two owners
		// demoting each other at once cannot leave it with none.
		if err := t.LockAccount(ctx); err != nil {
			return err
		}
		old, err := t.User(ctx, id)
		if err != nil {
			return err
		}
		u := old
		if err := s.applyUser(ctx, t, in, &u, id == p.User.ID, false); err != nil {
			return err
		}
		if old.Role == crm.RoleOwner && old.Active && (u.Role != crm.RoleOwner || !u.Active) {
			if n, err := t.CountOwners(ctx); err != nil {
				return err
			} else if n <= 1 {
				var v crm.Validation
				v.Add("role", "err.last_owner")
				return v.Err()
			}
		}
		if err := t.UpdateUser(ctx, u, now); err != nil {
			return err
		}
		changes := diff(userFields(old), userFields(u))
		if newHash != "" {
			if err := t.SetPasswordHash(ctx, id, newHash, true, 0, now); err != nil {
				return err
			}
			if u.MustChangePassword { // SetPasswordHash clears it; the owner asked for it
				if err := t.UpdateUser(ctx, u, now); err != nil {
					return err
				}
			}
			changes = append(changes, crm.Change{Field: "password", Old: "•••", New: "•••"})
		}
		return record(ctx, t, p, now, "user", id, crm.ActionUpdate, u.Name, changes)
	})
	if err != nil {
		return crm.User{}, err
	}
	return t.User(ctx, id)
}

// DeleteUser removes a user (owner only); not oneself, not the last owner.
func (s *Service) DeleteUser(ctx context.Context, id int64) error {
	p, t, err := s.actor(ctx, authz.Users, authz.Full)
	if err != nil {
		return err
	}
	if id == p.User.ID {
		return &crm.Error{Code: crm.CodeConflict, Key: "err.delete_self"}
	}
	now := s.now()
	return t.InTx(ctx, func(t *store.Tenant) error {
		if err := t.LockAccount(ctx); err != nil {
			return err
		}
		old, err := t.User(ctx, id)
		if err != nil {
			return err
		}
		if old.Role == crm.RoleOwner && old.Active {
			if n, err := t.CountOwners(ctx); err != nil {
				return err
			} else if n <= 1 {
				return &crm.Error{Code: crm.CodeConflict, Key: "err.last_owner"}
			}
		}
		if err := t.DeleteUser(ctx, id); err != nil {
			return err
		}
		return record(ctx, t, p, now, "user", id, crm.ActionDelete, old.Name, deleted(userFields(old)))
	})
}

// LinkEmployee links a user to an employee, or unlinks it (employeeID nil),
// from either side of the pair (owner only).
func (s *Service) LinkEmployee(ctx context.Context, userID int64, employeeID *int64) (crm.User, error) {
	return s.UpdateUser(ctx, userID, UserInput{EmployeeID: &employeeID})
}

// UnlinkEmployee removes the user link of an employee, if there is one.
func (s *Service) UnlinkEmployee(ctx context.Context, employeeID int64) error {
	_, t, err := s.actor(ctx, authz.Users, authz.Edit)
	if err != nil {
		return err
	}
	u, err := t.UserOfEmployee(ctx, employeeID)
	if crm.ErrorCode(err) == crm.CodeNotFound {
		return nil
	} else if err != nil {
		return err
	}
	_, err = s.LinkEmployee(ctx, u.ID, nil)
	return err
}
