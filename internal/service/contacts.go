package service

import (
	"context"
	"slices"
	"strings"
	"time"

	"klientela/internal/authz"
	"klientela/internal/crm"
	"klientela/internal/i18n"
	"klientela/internal/store"
)

// ContactInput is what a form or the API sends for a planned contact.
type ContactInput struct {
	ClientID   int64
	PersonID   *int64
	EmployeeID *int64 // nil: the user's own employee
	At         *time.Time
	Channel    string // "" for phone
	Subject    string
	Notes      string
}

// CompleteInput marks a planned contact as done. NextAt (only for
// no_answer and postponed) plans the next contact in the same step.
type CompleteInput struct {
	Outcome string
	Note    string
	NextAt  *time.Time
}

// ContactQuery is a page of planned contacts.
type ContactQuery struct {
	Status     string
	EmployeeID int64
	ClientID   int64
	From, To   *time.Time
	Desc       bool
	Offset     int
	Limit      int
}

// Limits of planned contacts.
const (
	maxContactSubject = 200
	maxContactNotes   = 5000
	maxCancelReason   = 500
)

// contactScope is how the acting user sees planned contacts (own: only
// their employee's) and clients (for choosing one).
type contactScope struct {
	own      bool
	employee int64
	clients  clientScope
}

func (sc contactScope) sees(c crm.PlannedContact) bool {
	return !sc.own || (sc.employee != 0 && c.EmployeeID == sc.employee)
}

func (s *Service) contactActor(ctx context.Context, level authz.Level) (*crm.Principal, *store.Tenant, contactScope, error) {
	p, t, err := s.actor(ctx, authz.Contacts, level)
	if err != nil {
		return nil, nil, contactScope{}, err
	}
	sc := contactScope{own: authz.OwnOnly(p, authz.Contacts)}
	if p.User.EmployeeID != nil {
		sc.employee = *p.User.EmployeeID
	}
	sc.clients = clientScope{own: authz.OwnOnly(p, authz.Clients), employee: sc.employee}
	return p, t, sc, nil
}

// loadContact reads a planned contact the user may see, of a client out
// of the trash.
func loadContact(ctx context.Context, t *store.Tenant, sc contactScope, id int64) (crm.PlannedContact, error) {
	c, err := t.Contact(ctx, id)
	if err != nil {
		return crm.PlannedContact{}, err
	}
	if !sc.sees(c) {
		return crm.PlannedContact{}, crm.NotFound()
	}
	cl, err := t.Client(ctx, c.ClientID)
	if err != nil {
		return crm.PlannedContact{}, err
	}
	if cl.DeletedAt != nil {
		return crm.PlannedContact{}, crm.NotFound()
	}
	return c, nil
}

func (s *Service) contactFrom(ctx context.Context, t *store.Tenant, sc contactScope, in ContactInput, c *crm.PlannedContact) error {
	var v crm.Validation
	if in.ClientID <= 0 {
		v.Add("client_id", "err.required")
	} else if in.ClientID != c.ClientID || c.ID == 0 {
		cl, err := t.Client(ctx, in.ClientID)
		switch {
		case crm.ErrorCode(err) == crm.CodeNotFound || (err == nil && !sc.clients.sees(cl)):
			v.Add("client_id", "err.contact_client_unknown")
		case err != nil:
			return err
		case cl.DeletedAt != nil:
			v.Add("client_id", "err.contact_client_trashed")
		}
	}
	c.ClientID = in.ClientID
	c.PersonID = in.PersonID
	if in.PersonID != nil && in.ClientID > 0 && !v.Has("client_id") {
		if _, err := t.ClientPerson(ctx, in.ClientID, *in.PersonID); crm.ErrorCode(err) == crm.CodeNotFound {
			v.Add("person_id", "err.contact_person_unknown")
		} else if err != nil {
			return err
		}
	}

	emp := in.EmployeeID
	if sc.own || emp == nil {
		// A user who sees only their own contacts plans them for
		// themselves; without an employee they would vanish on save.
		if sc.employee == 0 {
			if sc.own {
				v.Add("employee_id", "err.own_without_employee")
			} else {
				v.Add("employee_id", "err.required")
			}
		}
		e := sc.employee
		emp = &e
	}
	if *emp != 0 && (*emp != c.EmployeeID || c.ID == 0) {
		exists, active, err := t.HasActiveEmployee(ctx, *emp)
		if err != nil {
			return err
		}
		switch {
		case !exists:
			v.Add("employee_id", "err.employee_unknown")
		case !active:
			v.Add("employee_id", "err.contact_employee_inactive")
		}
	}
	c.EmployeeID = *emp

	if in.At == nil || in.At.IsZero() {
		v.Add("at", "err.required")
	} else {
		c.At = in.At.UTC().Truncate(time.Second)
	}
	c.Channel = crm.ContactChannel(strings.TrimSpace(in.Channel))
	if c.Channel == "" {
		c.Channel = crm.ChannelPhone
	} else if !slices.Contains(crm.ContactChannels, c.Channel) {
		v.Add("channel", "err.contact_channel_invalid")
	}
	c.Subject = cleanText(in.Subject)
	checkLen(&v, "subject", c.Subject, maxContactSubject)
	c.Notes = cleanMultiline(in.Notes)
	checkLen(&v, "notes", c.Notes, maxContactNotes)
	return v.Err()
}

// contactTime is how a contact's time shows in its history.
func contactTime(p *crm.Principal, at time.Time) string {
	if at.IsZero() {
		return ""
	}
	if p != nil {
		if loc, err := i18n.LoadZone(p.Account.TimeZone); err == nil {
			at = at.In(loc)
		}
	}
	return at.Format("2006-01-02 15:04")
}

func contactFields(p *crm.Principal, c crm.PlannedContact) []field {
	done, cancelled := "", ""
	if c.DoneAt != nil {
		done = contactTime(p, *c.DoneAt)
	}
	if c.CancelledAt != nil {
		cancelled = contactTime(p, *c.CancelledAt)
	}
	return []field{
		{"client_id", idText(&c.ClientID)}, {"person_id", idText(c.PersonID)}, {"employee_id", idText(&c.EmployeeID)},
		{"at", contactTime(p, c.At)}, {"channel", string(c.Channel)}, {"subject", c.Subject}, {"notes", c.Notes},
		{"status", string(c.Status)}, {"outcome", string(c.Outcome)}, {"outcome_note", c.OutcomeNote}, {"done_at", done},
		{"cancel_reason", c.CancelReason}, {"cancelled_at", cancelled},
	}
}

func contactLabel(c crm.PlannedContact) string {
	if c.Subject != "" {
		return c.ClientName + " — " + c.Subject
	}
	return c.ClientName
}

// ContactInputOf turns a contact back into the input that would save it
// unchanged (a PATCH starts from it).
func ContactInputOf(c crm.PlannedContact) ContactInput {
	at, emp := c.At, c.EmployeeID
	return ContactInput{ClientID: c.ClientID, PersonID: c.PersonID, EmployeeID: &emp, At: &at,
		Channel: string(c.Channel), Subject: c.Subject, Notes: c.Notes}
}

// CreateContact plans a contact. A user who sees only their own contacts
// plans them for their employee.
func (s *Service) CreateContact(ctx context.Context, in ContactInput) (crm.PlannedContact, error) {
	p, t, sc, err := s.contactActor(ctx, authz.Edit)
	if err != nil {
		return crm.PlannedContact{}, err
	}
	now := s.now().UTC()
	c := crm.PlannedContact{AccountID: t.AccountID(), Status: crm.ContactPlanned, CreatedAt: now, UpdatedAt: now}
	err = t.InTx(ctx, func(t *store.Tenant) error {
		if err := s.contactFrom(ctx, t, sc, in, &c); err != nil {
			return err
		}
		return s.createContact(ctx, t, p, now, &c)
	})
	if err != nil {
		return crm.PlannedContact{}, err
	}
	return t.Contact(ctx, c.ID)
}

func (s *Service) createContact(ctx context.Context, t *store.Tenant, p *crm.Principal, now time.Time, c *crm.PlannedContact) error {
	var err error
	if c.ID, err = t.CreateContact(ctx, *c); err != nil {
		return err
	}
	if err := s.scheduleContact(ctx, t, c.ID); err != nil {
		return err
	}
	saved, err := t.Contact(ctx, c.ID)
	if err != nil {
		return err
	}
	return record(ctx, t, p, now, "contact", c.ID, crm.ActionCreate, contactLabel(saved), created(contactFields(p, saved)))
}

// Contact returns one planned contact.
func (s *Service) Contact(ctx context.Context, id int64) (crm.PlannedContact, error) {
	_, t, sc, err := s.contactActor(ctx, authz.View)
	if err != nil {
		return crm.PlannedContact{}, err
	}
	return loadContact(ctx, t, sc, id)
}

// UpdateContact changes a planned contact.
func (s *Service) UpdateContact(ctx context.Context, id int64, in ContactInput) (crm.PlannedContact, error) {
	p, t, sc, err := s.contactActor(ctx, authz.Edit)
	if err != nil {
		return crm.PlannedContact{}, err
	}
	now := s.now().UTC()
	err = t.InTx(ctx, func(t *store.Tenant) error {
		old, err := loadContact(ctx, t, sc, id)
		if err != nil {
			return err
		}
		c := old
		if err := s.contactFrom(ctx, t, sc, in, &c); err != nil {
			return err
		}
		c.UpdatedAt = now
		if err := t.UpdateContact(ctx, c); err != nil {
			return err
		}
		if err := s.scheduleContact(ctx, t, c.ID); err != nil {
			return err
		}
		saved, err := t.Contact(ctx, id)
		if err != nil {
			return err
		}
		return record(ctx, t, p, now, "contact", id, crm.ActionUpdate, contactLabel(saved),
			diff(contactFields(p, old), contactFields(p, saved)))
	})
	if err != nil {
		return crm.PlannedContact{}, err
	}
	return t.Contact(ctx, id)
}

// DeleteContact removes a planned contact (full access).
func (s *Service) DeleteContact(ctx context.Context, id int64) error {
	p, t, sc, err := s.contactActor(ctx, authz.Full)
	if err != nil {
		return err
	}
	now := s.now().UTC()
	return t.InTx(ctx, func(t *store.Tenant) error {
		c, err := loadContact(ctx, t, sc, id)
		if err != nil {
			return err
		}
		if err := t.DeleteContact(ctx, id); err != nil {
			return err
		}
		return record(ctx, t, p, now, "contact", id, crm.ActionDelete, contactLabel(c), deleted(contactFields(p, c)))
	})
}

// CompleteContact marks a planned contact as done with an outcome. For
// no_answer and postponed, NextAt plans the next contact (same client,
// person, employee, channel and subject) in the same transaction; next is
// nil when none was planned.
func (s *Service) CompleteContact(ctx context.Context, id int64, in CompleteInput) (done crm.PlannedContact, next *crm.PlannedContact, err error) {
	p, t, sc, err := s.contactActor(ctx, authz.Edit)
	if err != nil {
		return crm.PlannedContact{}, nil, err
	}
	now := s.now().UTC()
	var nextID int64
	err = t.InTx(ctx, func(t *store.Tenant) error {
		old, err := loadContact(ctx, t, sc, id)
		if err != nil {
			return err
		}
		var v crm.Validation
		outcome := crm.ContactOutcome(strings.TrimSpace(in.Outcome))
		switch {
		case old.Status != crm.ContactPlanned:
			v.Add("outcome", "err.contact_not_planned")
		case outcome == "":
			v.Add("outcome", "err.contact_outcome_required")
		case !slices.Contains(crm.ContactOutcomes, outcome):
			v.Add("outcome", "err.contact_outcome_invalid")
		}
		note := cleanMultiline(in.Note)
		checkLen(&v, "note", note, maxContactNotes)
		if in.NextAt != nil && !in.NextAt.IsZero() && outcome != crm.OutcomeNoAnswer && outcome != crm.OutcomePostponed {
			v.Add("next_at", "err.contact_next_not_allowed")
		}
		if err := v.Err(); err != nil {
			return err
		}
		c := old
		c.Status, c.Outcome, c.OutcomeNote, c.DoneAt, c.UpdatedAt = crm.ContactDone, outcome, note, &now, now
		if err := t.UpdateContact(ctx, c); err != nil {
			return err
		}
		if err := s.scheduleContact(ctx, t, c.ID); err != nil {
			return err
		}
		if err := record(ctx, t, p, now, "contact", id, crm.ActionUpdate, contactLabel(c),
			diff(contactFields(p, old), contactFields(p, c))); err != nil {
			return err
		}
		if in.NextAt == nil || in.NextAt.IsZero() {
			return nil
		}
		// The follow-up is a new order: the usual rules apply (an employee
		// deactivated meanwhile refuses it).
		n := crm.PlannedContact{AccountID: t.AccountID(), Status: crm.ContactPlanned, CreatedAt: now, UpdatedAt: now}
		at, emp := *in.NextAt, old.EmployeeID
		nin := ContactInput{ClientID: old.ClientID, PersonID: old.PersonID, EmployeeID: &emp, At: &at,
			Channel: string(old.Channel), Subject: old.Subject, Notes: old.Notes}
		if err := s.contactFrom(ctx, t, sc, nin, &n); err != nil {
			if e, ok := crm.AsError(err); ok && e.Code == crm.CodeInvalid {
				// Report the follow-up's problems at its own field.
				var v crm.Validation
				v.Add("next_at", "err.contact_next_invalid")
				return v.Err()
			}
			return err
		}
		if err := s.createContact(ctx, t, p, now, &n); err != nil {
			return err
		}
		nextID = n.ID
		return nil
	})
	if err != nil {
		return crm.PlannedContact{}, nil, err
	}
	if done, err = t.Contact(ctx, id); err != nil {
		return crm.PlannedContact{}, nil, err
	}
	if nextID != 0 {
		n, err := t.Contact(ctx, nextID)
		if err != nil {
			return crm.PlannedContact{}, nil, err
		}
		next = &n
	}
	return done, next, nil
}

// CancelContact cancels a planned contact, with an optional reason. A done
// contact cannot be cancelled (it happened), nor one cancelled already:
// both are conflicts.
func (s *Service) CancelContact(ctx context.Context, id int64, reason string) (crm.PlannedContact, error) {
	p, t, sc, err := s.contactActor(ctx, authz.Edit)
	if err != nil {
		return crm.PlannedContact{}, err
	}
	now := s.now().UTC()
	err = t.InTx(ctx, func(t *store.Tenant) error {
		old, err := loadContact(ctx, t, sc, id)
		if err != nil {
			return err
		}
		switch old.Status {
		case crm.ContactDone:
			return &crm.Error{Code: crm.CodeConflict, Key: "err.contact_cancel_done",
				Fields: map[string]crm.Msg{"reason": {Key: "err.contact_cancel_done"}}}
		case crm.ContactCancelled:
			return &crm.Error{Code: crm.CodeConflict, Key: "err.contact_cancel_again",
				Fields: map[string]crm.Msg{"reason": {Key: "err.contact_cancel_again"}}}
		}
		var v crm.Validation
		reason = cleanMultiline(reason)
		checkLen(&v, "reason", reason, maxCancelReason)
		if err := v.Err(); err != nil {
			return err
		}
		c := old
		c.Status, c.CancelReason, c.CancelledAt, c.UpdatedAt = crm.ContactCancelled, reason, &now, now
		if err := t.UpdateContact(ctx, c); err != nil {
			return err
		}
		if err := s.scheduleContact(ctx, t, c.ID); err != nil {
			return err
		}
		return record(ctx, t, p, now, "contact", id, crm.ActionUpdate, contactLabel(c),
			diff(contactFields(p, old), contactFields(p, c)))
	})
	if err != nil {
		return crm.PlannedContact{}, err
	}
	return t.Contact(ctx, id)
}

// ContactCountBound is where Contacts stops counting for q (see
// countBound): ListCountMax.
func ContactCountBound(q ContactQuery) int {
	return countBound(ListCountMax, q.Offset, q.Limit)
}

// Contacts lists the planned contacts the user may see and counts those
// that match, up to ContactCountBound(q)+1.
func (s *Service) Contacts(ctx context.Context, q ContactQuery) ([]crm.PlannedContact, int, error) {
	_, t, sc, err := s.contactActor(ctx, authz.View)
	if err != nil {
		return nil, 0, err
	}
	return t.Contacts(ctx, store.ContactFilter{Status: q.Status, EmployeeID: q.EmployeeID, ClientID: q.ClientID,
		From: q.From, To: q.To, OwnOnly: sc.own, OwnEmployee: sc.employee, Desc: q.Desc, Offset: max(0, q.Offset),
		Limit: Page{Limit: q.Limit}.limit(), CountMax: ContactCountBound(q)})
}

// MyContacts is the "Moje kontakty" queue: the planned contacts of the
// user's own employee due today (in the account's time zone) or overdue,
// by time. It is empty for a user without an employee.
func (s *Service) MyContacts(ctx context.Context) ([]crm.PlannedContact, error) {
	cs, _, err := s.MyContactsQueue(ctx, MaxPageSize)
	return cs, err
}

// MyContactsQueue is the start of the "Moje kontakty" queue: at most limit
// contacts (up to MaxPageSize), and whether more follow.
func (s *Service) MyContactsQueue(ctx context.Context, limit int) ([]crm.PlannedContact, bool, error) {
	p, t, _, err := s.contactActor(ctx, authz.View)
	if err != nil {
		return nil, false, err
	}
	if p.User.EmployeeID == nil {
		return nil, false, nil
	}
	limit = Page{Limit: limit}.limit()
	loc := time.UTC
	if l, err := i18n.LoadZone(p.Account.TimeZone); err == nil {
		loc = l
	}
	now := s.now().In(loc)
	end := time.Date(now.Year(), now.Month(), now.Day()+1, 0, 0, 0, 0, loc)
	cs, _, err := t.Contacts(ctx, store.ContactFilter{Status: string(crm.ContactPlanned), To: &end, OwnOnly: true,
		OwnEmployee: *p.User.EmployeeID, Limit: limit + 1, NoCount: true})
	if err != nil {
		return nil, false, err
	}
	if len(cs) > limit {
		return cs[:limit], true, nil
	}
	return cs, false, nil
}

// ContactEmployees lists the account's active employees, for choosing whom
// a contact is for (contacts access is enough).
func (s *Service) ContactEmployees(ctx context.Context) ([]crm.Employee, error) {
	_, t, _, err := s.contactActor(ctx, authz.View)
	if err != nil {
		return nil, err
	}
	return t.ActiveEmployees(ctx)
}

// ContactClient returns the client a contact may be planned for, with its
// contact persons (for the form).
func (s *Service) ContactClient(ctx context.Context, id int64) (crm.Client, []crm.ClientPerson, error) {
	_, t, sc, err := s.contactActor(ctx, authz.View)
	if err != nil {
		return crm.Client{}, nil, err
	}
	c, err := loadClient(ctx, t, sc.clients, id, false)
	if err != nil {
		return crm.Client{}, nil, err
	}
	ps, err := t.ClientPersons(ctx, id)
	return c, ps, err
}

// contactHistoryVisible refuses the history of a contact the user may not
// see (a deleted contact's history stays to whoever sees all contacts).
func (s *Service) contactHistoryVisible(ctx context.Context, id int64) error {
	_, t, sc, err := s.contactActor(ctx, authz.View)
	if err != nil {
		return err
	}
	c, err := t.Contact(ctx, id)
	return historyVisible(c, err, sc.own, sc.sees)
}
