package api

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"klientela/internal/authz"
	"klientela/internal/crm"
	"klientela/internal/httpx"
	"klientela/internal/service"
)

func (a *API) registerContacts(mux httpx.Mux) {
	a.handle(mux, "GET", "/planned-contacts", authz.Contacts, authz.View, a.listContacts)
	a.handle(mux, "POST", "/planned-contacts", authz.Contacts, authz.Edit, a.createContact)
	a.handle(mux, "GET", "/planned-contacts/{id}", authz.Contacts, authz.View, getByID(a.svc.Contact, contactOut))
	a.handle(mux, "PATCH", "/planned-contacts/{id}", authz.Contacts, authz.Edit, a.patchContact)
	a.handle(mux, "DELETE", "/planned-contacts/{id}", authz.Contacts, authz.Full, deleteByID(a.svc.DeleteContact))
	a.handle(mux, "POST", "/planned-contacts/{id}/complete", authz.Contacts, authz.Edit, a.completeContact)
	a.handle(mux, "POST", "/planned-contacts/{id}/cancel", authz.Contacts, authz.Edit, a.cancelContact)
}

// PlannedContact is a planned contact as the API shows it. Times are RFC
// 3339 with the offset of the account's time zone.
type PlannedContact struct {
	ID           int64   `json:"id"`
	ClientID     int64   `json:"client_id"`
	ClientName   string  `json:"client_name"`
	PersonID     *int64  `json:"person_id"`
	EmployeeID   int64   `json:"employee_id"`
	EmployeeName string  `json:"employee_name"`
	At           string  `json:"at"`
	Channel      string  `json:"channel"`
	Subject      string  `json:"subject"`
	Notes        string  `json:"notes"`
	Status       string  `json:"status"`
	Outcome      string  `json:"outcome"`
	OutcomeNote  string  `json:"outcome_note"`
	DoneAt       *string `json:"done_at"`
	CancelReason string  `json:"cancel_reason"`
	CancelledAt  *string `json:"cancelled_at"`
	CreatedAt    string  `json:"created_at"`
	UpdatedAt    string  `json:"updated_at"`
}

func contactOut(r *http.Request, c crm.PlannedContact) PlannedContact {
	out := PlannedContact{ID: c.ID, ClientID: c.ClientID, ClientName: c.ClientName, PersonID: c.PersonID,
		EmployeeID: c.EmployeeID, EmployeeName: c.EmployeeName, At: timestamp(r, c.At), Channel: string(c.Channel),
		Subject: c.Subject, Notes: c.Notes, Status: string(c.Status), Outcome: string(c.Outcome),
		OutcomeNote: c.OutcomeNote, CancelReason: c.CancelReason, CreatedAt: timestamp(r, c.CreatedAt), UpdatedAt: timestamp(r, c.UpdatedAt)}
	if c.DoneAt != nil {
		s := timestamp(r, *c.DoneAt)
		out.DoneAt = &s
	}
	if c.CancelledAt != nil {
		s := timestamp(r, *c.CancelledAt)
		out.CancelledAt = &s
	}
	return out
}

// contactRequest is a POST or PATCH body: absent fields keep their value
// (PATCH) or their default (POST). person_id may be null to clear it.
type contactRequest struct {
	ClientID   *int64          `json:"client_id"`
	PersonID   json.RawMessage `json:"person_id"`
	EmployeeID json.RawMessage `json:"employee_id"`
	At         *string         `json:"at"`
	Channel    *string         `json:"channel"`
	Subject    *string         `json:"subject"`
	Notes      *string         `json:"notes"`
}

func parseAt(s, field string) (*time.Time, error) {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return nil, invalidField(field, "err.contact_time_invalid")
	}
	return &t, nil
}

func (q contactRequest) apply(in *service.ContactInput) error {
	if q.ClientID != nil {
		in.ClientID = *q.ClientID
	}
	for dst, src := range map[*string]*string{&in.Channel: q.Channel, &in.Subject: q.Subject, &in.Notes: q.Notes} {
		if src != nil {
			*dst = *src
		}
	}
	if q.At != nil {
		at, err := parseAt(*q.At, "at")
		if err != nil {
			return err
		}
		in.At = at
	}
	if err := optionalID(q.PersonID, &in.PersonID, "person_id", "err.contact_person_unknown"); err != nil {
		return err
	}
	return optionalID(q.EmployeeID, &in.EmployeeID, "employee_id", "err.employee_unknown")
}

func (a *API) listContacts(w http.ResponseWriter, r *http.Request) (int, any, error) {
	pg, err := page(r)
	if err != nil {
		return 0, nil, err
	}
	q := r.URL.Query()
	query := service.ContactQuery{Status: q.Get("status"), Offset: int(pg.Cursor), Limit: pg.Limit}
	for name, dst := range map[string]*int64{"employee_id": &query.EmployeeID, "client_id": &query.ClientID} {
		if s := q.Get(name); s != "" {
			id, err := strconv.ParseInt(s, 10, 64)
			if err != nil {
				return 0, nil, invalidField(name, "err.invalid")
			}
			*dst = id
		}
	}
	for name, dst := range map[string]**time.Time{"from": &query.From, "to": &query.To} {
		if s := q.Get(name); s != "" {
			t, err := parseAt(s, name)
			if err != nil {
				return 0, nil, err
			}
			*dst = t
		}
	}
	items, total, err := a.svc.Contacts(r.Context(), query)
	if err != nil {
		return 0, nil, err
	}
	out := make([]PlannedContact, len(items))
	for i, c := range items {
		out[i] = contactOut(r, c)
	}
	return http.StatusOK, cappedList(out, query.Offset, total, service.ContactCountBound(query)), nil
}

func (a *API) createContact(w http.ResponseWriter, r *http.Request) (int, any, error) {
	var body contactRequest
	if err := a.decode(r, &body); err != nil {
		return 0, nil, err
	}
	var in service.ContactInput
	if err := body.apply(&in); err != nil {
		return 0, nil, err
	}
	c, err := a.svc.CreateContact(r.Context(), in)
	if err != nil {
		return 0, nil, err
	}
	w.Header().Set("Location", Prefix+"/planned-contacts/"+strconv.FormatInt(c.ID, 10))
	return http.StatusCreated, contactOut(r, c), nil
}

func (a *API) patchContact(w http.ResponseWriter, r *http.Request) (int, any, error) {
	id, err := pathID(r)
	if err != nil {
		return 0, nil, err
	}
	cur, err := a.svc.Contact(r.Context(), id)
	if err != nil {
		return 0, nil, err
	}
	var body contactRequest
	if err := a.decode(r, &body); err != nil {
		return 0, nil, err
	}
	in := service.ContactInputOf(cur)
	if err := body.apply(&in); err != nil {
		return 0, nil, err
	}
	c, err := a.svc.UpdateContact(r.Context(), id, in)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, contactOut(r, c), nil
}

type completeRequest struct {
	Outcome string  `json:"outcome"`
	Note    string  `json:"note"`
	NextAt  *string `json:"next_at"`
}

// completeContact marks a contact as done and answers with it and the
// next contact planned in the same step (null when none).
func (a *API) completeContact(w http.ResponseWriter, r *http.Request) (int, any, error) {
	id, err := pathID(r)
	if err != nil {
		return 0, nil, err
	}
	if _, err := a.svc.Contact(r.Context(), id); err != nil {
		return 0, nil, err
	}
	var body completeRequest
	if err := a.decode(r, &body); err != nil {
		return 0, nil, err
	}
	in := service.CompleteInput{Outcome: body.Outcome, Note: body.Note}
	if body.NextAt != nil && *body.NextAt != "" {
		if in.NextAt, err = parseAt(*body.NextAt, "next_at"); err != nil {
			return 0, nil, err
		}
	}
	done, next, err := a.svc.CompleteContact(r.Context(), id, in)
	if err != nil {
		return 0, nil, err
	}
	out := struct {
		Contact PlannedContact  `json:"contact"`
		Next    *PlannedContact `json:"next"`
	}{Contact: contactOut(r, done)}
	if next != nil {
		n := contactOut(r, *next)
		out.Next = &n
	}
	return http.StatusOK, out, nil
}

type cancelRequest struct {
	Reason string `json:"reason"`
}

// cancelContact cancels a planned contact (409 when it is done or
// cancelled already).
func (a *API) cancelContact(w http.ResponseWriter, r *http.Request) (int, any, error) {
	id, err := pathID(r)
	if err != nil {
		return 0, nil, err
	}
	if _, err := a.svc.Contact(r.Context(), id); err != nil {
		return 0, nil, err
	}
	var body cancelRequest
	if err := a.decode(r, &body); err != nil {
		return 0, nil, err
	}
	c, err := a.svc.CancelContact(r.Context(), id, body.Reason)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, contactOut(r, c), nil
}
