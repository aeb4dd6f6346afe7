package web

import (
	"html"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"klientela/internal/authz"
	"klientela/internal/crm"
	"klientela/internal/httpx"
	"klientela/internal/service"
)

func (h *Web) registerContacts(mux httpx.Mux) {
	h.route(mux, "GET /contacts", authz.Contacts, authz.View, h.contacts)
	h.route(mux, "GET /contacts/mine", authz.Contacts, authz.View, h.myContacts)
	h.route(mux, "GET /contacts/new", authz.Contacts, authz.Edit, h.newContact)
	h.route(mux, "POST /contacts", authz.Contacts, authz.Edit, h.createContact)
	h.route(mux, "GET /contacts/{id}", authz.Contacts, authz.View, h.contact)
	h.route(mux, "POST /contacts/{id}", authz.Contacts, authz.Edit, h.updateContact)
	h.route(mux, "POST /contacts/{id}/complete", authz.Contacts, authz.Edit, h.completeContact)
	h.route(mux, "POST /contacts/{id}/cancel", authz.Contacts, authz.Edit, h.cancelContact)
	h.route(mux, "POST /contacts/{id}/delete", authz.Contacts, authz.Full, h.deleteContact)
}

const contactsPerPage = 50

// ContactsData is the model of the contact list and of "Moje kontakty".
type ContactsData struct {
	Items      []crm.PlannedContact
	Now        time.Time
	Status     string
	Employee   string
	From, To   string // yyyy-mm-dd as typed
	Statuses   []Option
	Employees  []Option
	Outcomes   []Option // the complete form of the queue
	Pager      Pager
	NoEmployee bool // the queue: the user has no employee of their own
}

func (h *Web) contacts(w http.ResponseWriter, r *http.Request, v *View) {
	q := r.URL.Query()
	page := listPage(q)
	d := ContactsData{Now: time.Now(), Status: q.Get("status"), Employee: q.Get("employee_id"), From: q.Get("from"),
		To: q.Get("to")}
	query := service.ContactQuery{Status: d.Status, Offset: (page - 1) * contactsPerPage, Limit: contactsPerPage}
	switch crm.ContactStatus(query.Status) {
	case crm.ContactPlanned, crm.ContactDone, crm.ContactCancelled:
	default:
		query.Status, d.Status = "", ""
	}
	query.EmployeeID, _ = strconv.ParseInt(d.Employee, 10, 64)
	if t, err := time.ParseInLocation(time.DateOnly, d.From, v.zone()); err == nil {
		query.From = &t
	}
	if t, err := time.ParseInLocation(time.DateOnly, d.To, v.zone()); err == nil {
		t = t.AddDate(0, 0, 1)
		query.To = &t
	}
	query.Desc = query.Status == string(crm.ContactDone) || query.Status == string(crm.ContactCancelled)
	items, total, err := h.svc.Contacts(r.Context(), query)
	if err != nil {
		h.fail(w, r, v, err, "")
		return
	}
	d.Items, d.Pager = items, newCappedPager("/contacts", q, total, service.ContactCountBound(query), page, contactsPerPage)
	d.Statuses = []Option{{Value: "", Label: v.T("contacts.status.all")},
		{Value: "planned", Label: v.T("contacts.status.planned")}, {Value: "done", Label: v.T("contacts.status.done")},
		{Value: "cancelled", Label: v.T("contacts.status.cancelled")}}
	if !authz.OwnOnly(v.P, authz.Contacts) {
		d.Employees = h.contactEmployeeOptions(r, v, v.T("contacts.all_employees"))
	}
	v.Title, v.Section, v.Data = v.T("contacts.title"), "contacts", d
	h.render(w, r, http.StatusOK, "contacts", v)
}

func (h *Web) myContacts(w http.ResponseWriter, r *http.Request, v *View) {
	n, err := strconv.Atoi(r.URL.Query().Get("n"))
	if err != nil || n < queueStep {
		n = queueStep
	}
	n = min(n, queueMax)
	items, more, err := h.svc.MyContactsQueue(r.Context(), n)
	if err != nil {
		h.fail(w, r, v, err, "")
		return
	}
	link := ""
	if more && n < queueMax {
		link = "/contacts/mine?n=" + strconv.Itoa(n+queueStep)
	}
	d := myContactsData(v, items, time.Now(), v.P.User.EmployeeID == nil, link)
	v.Title, v.Section, v.Data = v.T("contacts.mine"), "contacts", d
	h.render(w, r, http.StatusOK, "contacts_mine", v)
}

// queueRow is one contact of the "Moje kontakty" queue, formatted.
type queueRow struct {
	ID, ClientID                                 int64
	At, Channel, ClientName, PersonName, Subject string
	Overdue                                      bool
}

// QueueData is the model of the "Moje kontakty" page. The queue renders
// up to 200 contacts, each with its complete form, and html/template
// spends most of the page's time in its escapers (one reflective call per
// interpolation: 100 rows cost 12 ms). So everything a row shares with the
// others is translated and escaped once here (the labels, the outcome
// options as ready HTML), each row carries its values already formatted,
// and the queue shows 50 contacts with a link to the next ones.
type QueueData struct {
	Rows       []queueRow
	NoEmployee bool
	CanEdit    bool
	More       string // the link that shows more of the queue
	Labels     struct{ Overdue, Outcome, Note, NextDate, NextTime, Complete string }
	Outcomes   template.HTML
}

// Queue sizes: the first view, each "more", and the most it shows.
const (
	queueStep = 50
	queueMax  = service.MaxPageSize
)

func myContactsData(v *View, items []crm.PlannedContact, now time.Time, noEmployee bool, more string) QueueData {
	d := QueueData{NoEmployee: noEmployee, CanEdit: v.Can("contacts", "edit"), More: more}
	d.Labels.Overdue, d.Labels.Outcome, d.Labels.Note = v.T("contacts.overdue"), v.T("contacts.field.outcome"), v.T("contacts.field.outcome_note")
	d.Labels.NextDate, d.Labels.NextTime, d.Labels.Complete = v.T("contacts.next_date"), v.T("contacts.next_time"), v.T("contacts.complete")
	var b strings.Builder
	for _, o := range contactOutcomeOptions(v) {
		b.WriteString(`<option value="` + html.EscapeString(o.Value) + `">` + html.EscapeString(o.Label) + `</option>`)
	}
	d.Outcomes = template.HTML(b.String()) //nolint:gosec // every value escaped above
	channels := map[crm.ContactChannel]string{}
	for _, c := range crm.ContactChannels {
		channels[c] = v.T("contacts.channel." + string(c))
	}
	d.Rows = make([]queueRow, len(items))
	for i, c := range items {
		ch, ok := channels[c.Channel]
		if !ok {
			ch = v.T("contacts.channel." + string(c.Channel))
		}
		d.Rows[i] = queueRow{ID: c.ID, ClientID: c.ClientID, At: v.DateTime(c.At), Channel: ch, ClientName: c.ClientName,
			PersonName: c.PersonName, Subject: c.Subject, Overdue: c.Overdue(now)}
	}
	return d
}

func contactOutcomeOptions(v *View) []Option {
	opts := []Option{{Value: "", Label: v.T("contacts.outcome.choose")}}
	for _, o := range crm.ContactOutcomes {
		opts = append(opts, Option{Value: string(o), Label: v.T("contacts.outcome." + string(o))})
	}
	return opts
}

func contactChannelOptions(v *View) []Option {
	var opts []Option
	for _, c := range crm.ContactChannels {
		opts = append(opts, Option{Value: string(c), Label: v.T("contacts.channel." + string(c))})
	}
	return opts
}

func (h *Web) contactEmployeeOptions(r *http.Request, v *View, first string) []Option {
	es, err := h.svc.ContactEmployees(r.Context())
	if err != nil || len(es) == 0 {
		return nil
	}
	var opts []Option
	if first != "" {
		opts = append(opts, Option{Value: "", Label: first})
	}
	for _, e := range es {
		opts = append(opts, Option{Value: strconv.FormatInt(e.ID, 10), Label: e.FullName()})
	}
	return opts
}

// ContactFormData is the model of the contact form.
type ContactFormData struct {
	Contact   *crm.PlannedContact // nil for a new one
	Client    *crm.Client         // the chosen client, if any
	Clients   []Option            // a choice of client when none is given
	Persons   []Option
	Employees []Option
	Channels  []Option
	OwnOnly   bool
}

func (h *Web) contactForm(w http.ResponseWriter, r *http.Request, v *View, status int, c *crm.PlannedContact) {
	d := ContactFormData{Contact: c, Channels: contactChannelOptions(v), OwnOnly: authz.OwnOnly(v.P, authz.Contacts)}
	if !d.OwnOnly {
		d.Employees = h.contactEmployeeOptions(r, v, "")
	}
	if cid, err := strconv.ParseInt(v.FormValue("client_id"), 10, 64); err == nil && cid > 0 {
		if cl, ps, err := h.svc.ContactClient(r.Context(), cid); err == nil {
			d.Client = &cl
			d.Persons = []Option{{Value: "", Label: v.T("common.none")}}
			for _, p := range ps {
				d.Persons = append(d.Persons, Option{Value: strconv.FormatInt(p.ID, 10), Label: p.FullName()})
			}
		}
	}
	if d.Client == nil {
		if cs, _, err := h.svc.Clients(r.Context(), service.ClientQuery{Limit: service.MaxPageSize}); err == nil {
			d.Clients = []Option{{Value: "", Label: v.T("contacts.choose_client")}}
			for _, cl := range cs {
				d.Clients = append(d.Clients, Option{Value: strconv.FormatInt(cl.ID, 10), Label: cl.Name})
			}
		}
	}
	if c == nil {
		v.Title = v.T("contacts.new")
	} else {
		v.Title = v.T("contacts.edit")
	}
	v.Section, v.Data = "contacts", d
	h.render(w, r, status, "contact_form", v)
}

func (h *Web) newContact(w http.ResponseWriter, r *http.Request, v *View) {
	now := time.Now().In(v.zone()).Add(time.Hour)
	q := r.URL.Query()
	vals := map[string]string{"client_id": q.Get("client_id"), "channel": "phone",
		"at_date": now.Format(time.DateOnly), "at_time": now.Format("15:00")}
	// A click on the calendar brings its day and time.
	if d := q.Get("at_date"); d != "" {
		if _, err := time.Parse(time.DateOnly, d); err == nil {
			vals["at_date"] = d
		}
	}
	if c := q.Get("at_time"); c != "" {
		if _, err := time.Parse("15:04", c); err == nil {
			vals["at_time"] = c
		}
	}
	if v.P.User.EmployeeID != nil {
		vals["employee_id"] = strconv.FormatInt(*v.P.User.EmployeeID, 10)
	}
	v.Form = &Form{Values: vals}
	h.contactForm(w, r, v, http.StatusOK, nil)
}

// localTime reads a date and a time typed in the account's zone; nil when
// either is missing or wrong.
func localTime(v *View, date, clock string) *time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", date+" "+clock, v.zone())
	if err != nil {
		return nil
	}
	return &t
}

func contactInput(v *View, form url.Values) service.ContactInput {
	in := service.ContactInput{Channel: form.Get("channel"), Subject: form.Get("subject"), Notes: form.Get("notes"),
		At: localTime(v, form.Get("at_date"), form.Get("at_time"))}
	in.ClientID, _ = strconv.ParseInt(form.Get("client_id"), 10, 64)
	if id, err := strconv.ParseInt(form.Get("person_id"), 10, 64); err == nil && id > 0 {
		in.PersonID = &id
	}
	if id, err := strconv.ParseInt(form.Get("employee_id"), 10, 64); err == nil {
		in.EmployeeID = &id
	}
	return in
}

func (h *Web) createContact(w http.ResponseWriter, r *http.Request, v *View) {
	if !h.parseForm(w, r, v) {
		return
	}
	c, err := h.svc.CreateContact(r.Context(), contactInput(v, r.PostForm))
	if err != nil {
		h.failForm(w, r, v, err, func(status int) { h.contactForm(w, r, v, status, nil) })
		return
	}
	h.flash(w, "contacts.created")
	http.Redirect(w, r, "/contacts/"+strconv.FormatInt(c.ID, 10), http.StatusSeeOther)
}

func (h *Web) updateContact(w http.ResponseWriter, r *http.Request, v *View) {
	if !h.parseForm(w, r, v) {
		return
	}
	old, ok := load(h, w, r, v, h.svc.Contact)
	if !ok {
		return
	}
	c, err := h.svc.UpdateContact(r.Context(), old.ID, contactInput(v, r.PostForm))
	if err != nil {
		h.failForm(w, r, v, err, func(status int) { h.contactForm(w, r, v, status, &old) })
		return
	}
	h.flash(w, "contacts.saved")
	http.Redirect(w, r, "/contacts/"+strconv.FormatInt(c.ID, 10), http.StatusSeeOther)
}

// ContactData is the model of a contact's card.
type ContactData struct {
	Contact  crm.PlannedContact
	Now      time.Time
	Outcomes []Option
	History  HistoryView
}

func (h *Web) contact(w http.ResponseWriter, r *http.Request, v *View) {
	c, ok := load(h, w, r, v, h.svc.Contact)
	if !ok {
		return
	}
	if r.URL.Query().Get("edit") != "" && v.Can("contacts", "edit") {
		at := c.At.In(v.zone())
		v.Form = &Form{Values: map[string]string{"client_id": strconv.FormatInt(c.ClientID, 10),
			"person_id": idValue(c.PersonID), "employee_id": strconv.FormatInt(c.EmployeeID, 10),
			"at_date": at.Format(time.DateOnly), "at_time": at.Format("15:04"), "channel": string(c.Channel),
			"subject": c.Subject, "notes": c.Notes}}
		h.contactForm(w, r, v, http.StatusOK, &c)
		return
	}
	h.showContact(w, r, v, http.StatusOK, c)
}

func (h *Web) showContact(w http.ResponseWriter, r *http.Request, v *View, status int, c crm.PlannedContact) {
	d := ContactData{Contact: c, Now: time.Now(), Outcomes: contactOutcomeOptions(v)}
	var err error
	d.History, err = h.history(r, v, "contact", c.ID, "/contacts/"+strconv.FormatInt(c.ID, 10))
	if err != nil {
		h.fail(w, r, v, err, "")
		return
	}
	v.Title, v.Section, v.Data = c.ClientName, "contacts", d
	h.render(w, r, status, "contact", v)
}

func (h *Web) completeContact(w http.ResponseWriter, r *http.Request, v *View) {
	if !h.parseForm(w, r, v) {
		return
	}
	c, ok := load(h, w, r, v, h.svc.Contact)
	if !ok {
		return
	}
	f := r.PostForm
	in := service.CompleteInput{Outcome: f.Get("outcome"), Note: f.Get("note")}
	if f.Get("next_date") != "" || f.Get("next_time") != "" {
		in.NextAt = localTime(v, f.Get("next_date"), f.Get("next_time"))
		if in.NextAt == nil {
			var val crm.Validation
			val.Add("next_at", "err.contact_time_invalid")
			h.failForm(w, r, v, val.Err(), func(status int) { h.showContact(w, r, v, status, c) })
			return
		}
	}
	_, next, err := h.svc.CompleteContact(r.Context(), c.ID, in)
	if err != nil {
		h.failForm(w, r, v, err, func(status int) { h.showContact(w, r, v, status, c) })
		return
	}
	flash := "contacts.completed"
	if next != nil {
		flash = "contacts.completed_next"
	}
	h.flash(w, flash)
	to := "/contacts/" + strconv.FormatInt(c.ID, 10)
	if back := safeNext(f.Get("next")); back != "/" {
		to = back
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

func (h *Web) cancelContact(w http.ResponseWriter, r *http.Request, v *View) {
	if !h.parseForm(w, r, v) {
		return
	}
	c, ok := load(h, w, r, v, h.svc.Contact)
	if !ok {
		return
	}
	if _, err := h.svc.CancelContact(r.Context(), c.ID, r.PostForm.Get("reason")); err != nil {
		h.failForm(w, r, v, err, func(status int) { h.showContact(w, r, v, status, c) })
		return
	}
	h.flash(w, "contacts.cancelled")
	http.Redirect(w, r, "/contacts/"+strconv.FormatInt(c.ID, 10), http.StatusSeeOther)
}

func (h *Web) deleteContact(w http.ResponseWriter, r *http.Request, v *View) {
	h.clientAction(w, r, v, func(id int64) error { return h.svc.DeleteContact(r.Context(), id) },
		"contacts.deleted", "/contacts")
}
