package service

import (
	"context"
	"strings"

	"klientela/internal/authz"
	"klientela/internal/crm"
	"klientela/internal/i18n"
)

// Dashboard is what the Pulpit shows. Later sections add their widgets.
type Dashboard struct {
	Account    crm.Account
	Users      int64
	Businesses []crm.Business
	// Team is shown to those who may view employees.
	Team *TeamSummary
}

// TeamSummary counts the firm's employees.
type TeamSummary struct {
	Active, Inactive int
}

// Dashboard gathers the dashboard of the acting user.
func (s *Service) Dashboard(ctx context.Context) (Dashboard, error) {
	p, t, err := s.actor(ctx, authz.Dashboard, authz.View)
	if err != nil {
		return Dashboard{}, err
	}
	d := Dashboard{Account: p.Account}
	if d.Users, err = t.CountUsers(ctx); err != nil {
		return d, err
	}
	if d.Businesses, err = t.Businesses(ctx); err != nil {
		return d, err
	}
	if authz.Can(p, authz.Employees, authz.View) {
		var team TeamSummary
		if team.Active, team.Inactive, err = t.CountEmployees(ctx); err != nil {
			return d, err
		}
		d.Team = &team
	}
	return d, nil
}

// AccountSettings is the account form of the settings page.
type AccountSettings struct {
	Name     string
	TimeZone string
}

// UpdateAccount changes the account's name and time zone (settings: edit).
func (s *Service) UpdateAccount(ctx context.Context, in AccountSettings) (crm.Account, error) {
	p, t, err := s.actor(ctx, authz.Settings, authz.Edit)
	if err != nil {
		return crm.Account{}, err
	}
	in.Name, in.TimeZone = cleanText(in.Name), strings.TrimSpace(in.TimeZone)
	var v crm.Validation
	checkRequiredText(&v, "name", in.Name, maxAccountName)
	if in.TimeZone == "" {
		v.Add("time_zone", "err.required")
	} else if _, err := i18n.LoadZone(in.TimeZone); err != nil || !strings.Contains(in.TimeZone, "/") {
		v.Add("time_zone", "err.time_zone_invalid")
	}
	if err := v.Err(); err != nil {
		return crm.Account{}, err
	}
	if err := t.UpdateAccount(ctx, in.Name, in.TimeZone, s.now()); err != nil {
		return crm.Account{}, err
	}
	a := p.Account
	a.Name, a.TimeZone = in.Name, in.TimeZone
	return a, nil
}

// Businesses lists the account's businesses, the default first. Every user
// may see their names: forms everywhere offer them.
func (s *Service) Businesses(ctx context.Context) ([]crm.Business, error) {
	_, t, err := s.actor(ctx, authz.Dashboard, authz.View)
	if err != nil {
		return nil, err
	}
	return t.Businesses(ctx)
}
