package service

import (
	"context"
	"strings"
	"time"

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
	// Clients: new this month, birthdays and important dates in the coming
	// week, for those
	// who may view clients.
	Clients *ClientsSummary
	// Contacts: the user's queue for today and the overdue ones, for those
	// who may view planned contacts.
	Contacts *ContactsSummary
	// Tasks: the user's tasks today, overdue ones and this week at a glance,
	// for those who may view tasks.
	Tasks *TasksSummary
}

// DashboardDates is how many birthdays and important dates the dashboard
// lists. A firm of 100 000 clients has about 1 100 in a week: listing them
// all was 24 ms of the dashboard's 60 (rendering) and a page no one reads.
const DashboardDates = 20

// ClientsSummary is the clients' part of the dashboard.
type ClientsSummary struct {
	// AddedThisMonth counts at most AddedMax+1 clients: above AddedMax it
	// means "more than AddedMax" (a month of a big import).
	AddedThisMonth, AddedMax int
	// Dates: birthdays (of clients and contact persons) and important
	// dates of the 7 days from today, by day: the first DashboardDates of
	// them, and how many more there are (the calendar shows them all).
	Dates     []crm.ImportantDate
	DatesMore int
}

// ContactsSummary is the planned contacts' part of the dashboard.
type ContactsSummary struct {
	Overdue, Today []crm.PlannedContact // the user's own queue
	HasEmployee    bool                 // the user is an employee (has a queue)
	// OverdueAll counts the overdue contacts the user may see, at most
	// OverdueMax+1: above OverdueMax it means "more than OverdueMax".
	OverdueAll, OverdueMax int
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
	loc := time.UTC
	if l, err := i18n.LoadZone(p.Account.TimeZone); err == nil {
		loc = l
	}
	now := s.now().In(loc)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, loc)
	// The account's data version, the tag of the widgets kept per instance
	// (dashboardDates, dashboardWeek): read once, before what it tags.
	var ver string
	if authz.Can(p, authz.Clients, authz.View) || authz.Can(p, authz.Tasks, authz.View) {
		if ver, err = monthVersion(ctx, t); err != nil {
			return d, err
		}
	}
	if authz.Can(p, authz.Clients, authz.View) {
		own, emp := authz.OwnOnly(p, authz.Clients), int64(0)
		if p.User.EmployeeID != nil {
			emp = *p.User.EmployeeID
		}
		cs := &ClientsSummary{AddedMax: ListCountMax}
		month := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, loc)
		if cs.AddedThisMonth, err = t.CountClientsSince(ctx, month, own, emp, cs.AddedMax); err != nil {
			return d, err
		}
		if cs.Dates, cs.DatesMore, err = s.dashboardDates(ctx, t, ver, loc, today, own, emp); err != nil {
			return d, err
		}
		d.Clients = cs
	}
	if authz.Can(p, authz.Contacts, authz.View) {
		cs := &ContactsSummary{HasEmployee: p.User.EmployeeID != nil}
		mine, err := s.MyContacts(ctx)
		if err != nil {
			return d, err
		}
		for _, c := range mine {
			if c.At.Before(today) {
				cs.Overdue = append(cs.Overdue, c)
			} else {
				cs.Today = append(cs.Today, c)
			}
		}
		cs.OverdueMax = ListCountMax
		emp := int64(0)
		if p.User.EmployeeID != nil {
			emp = *p.User.EmployeeID
		}
		if cs.OverdueAll, err = t.CountOverdueContacts(ctx, now, authz.OwnOnly(p, authz.Contacts), emp, cs.OverdueMax); err != nil {
			return d, err
		}
		d.Contacts = cs
	}
	if authz.Can(p, authz.Tasks, authz.View) {
		if d.Tasks, err = s.dashboardTasks(ctx, ver); err != nil {
			return d, err
		}
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
