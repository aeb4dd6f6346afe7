package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"klientela/internal/authz"
	"klientela/internal/crm"
	"klientela/internal/httpx"
	"klientela/internal/plid"
	"klientela/internal/service"
)

func (h *Web) registerClients(mux httpx.Mux) {
	h.route(mux, "GET /clients", authz.Clients, authz.View, h.clients)
	h.route(mux, "GET /clients/trash", authz.Clients, authz.View, h.clientsTrash)
	h.route(mux, "GET /clients/new", authz.Clients, authz.Edit, h.newClient)
	h.route(mux, "POST /clients", authz.Clients, authz.Edit, h.createClient)
	h.route(mux, "GET /clients/{id}", authz.Clients, authz.View, h.client)
	h.route(mux, "GET /clients/{id}/edit", authz.Clients, authz.Edit, h.editClient)
	h.route(mux, "POST /clients/{id}", authz.Clients, authz.Edit, h.updateClient)
	h.route(mux, "POST /clients/{id}/delete", authz.Clients, authz.Full, h.deleteClient)
	h.route(mux, "POST /clients/{id}/restore", authz.Clients, authz.Edit, h.restoreClient)
	h.route(mux, "POST /clients/{id}/purge", authz.Clients, authz.Full, h.purgeClient)
	h.route(mux, "POST /clients/{id}/persons", authz.Clients, authz.Edit, h.createClientPerson)
	h.route(mux, "GET /clients/{id}/persons/{pid}", authz.Clients, authz.Edit, h.editClientPerson)
	h.route(mux, "POST /clients/{id}/persons/{pid}", authz.Clients, authz.Edit, h.updateClientPerson)
	h.route(mux, "POST /clients/{id}/persons/{pid}/delete", authz.Clients, authz.Edit, h.deleteClientPerson)
}

const clientsPerPage = 50

// ClientsData is the model of the client list and of the trash.
type ClientsData struct {
	Items      []crm.Client
	Q          string
	Status     string
	Employee   string
	Business   string
	Group      string
	Tag        string
	Overdue    bool
	Tags       []string // the account's tags, for suggestions
	Statuses   []Option
	Groups     []Option // the group filter; nil when the account has no groups
	BulkGroups []Option // the groups for the bulk form
	Here       string   // the list's URL, to come back to after a bulk change
	Employees  []Option
	Businesses []Option
	Pager      Pager
	Sorts      map[string]SortLink
}

func (h *Web) clientList(w http.ResponseWriter, r *http.Request, v *View, trash bool) {
	q := r.URL.Query()
	page := listPage(q)
	base := "/clients"
	if trash {
		base = "/clients/trash"
	}
	query := clientQuery(q)
	query.Trash, query.Offset, query.Limit = trash, (page-1)*clientsPerPage, clientsPerPage
	items, total, err := h.svc.Clients(r.Context(), query)
	if err != nil {
		h.fail(w, r, v, err, "")
		return
	}
	sort := q.Get("sort")
	if sort == "" {
		sort = "name"
	}
	d := ClientsData{Items: items, Q: query.Q, Status: query.Status, Employee: q.Get("employee_id"),
		Business: q.Get("business_id"), Statuses: clientStatusOptions(v, v.T("clients.status.all")),
		Employees:  h.clientEmployeeOptions(r, v, v.T("clients.all_employees")),
		Businesses: h.businessOptions(r, v, v.T("employees.all_businesses")),
		Pager:      newCappedPager(base, q, total, service.ClientCountBound(query), page, clientsPerPage),
		Sorts:      map[string]SortLink{"name": sortLink(base, q, sort, "name"), "city": sortLink(base, q, sort, "city")},
		Group:      q.Get("group"), Here: r.URL.RequestURI(), Tag: query.Tag, Overdue: query.Overdue}
	d.Tags, _ = h.svc.ClientTags(r.Context())
	if gs, err := h.svc.ClientGroupNames(r.Context()); err == nil && len(gs) > 0 {
		d.Groups = []Option{{Value: "", Label: v.T("clientgroups.all")}}
		for _, g := range gs {
			o := Option{Value: strconv.FormatInt(g.ID, 10), Label: g.Name}
			d.Groups = append(d.Groups, o)
			d.BulkGroups = append(d.BulkGroups, o)
		}
	}
	v.Section, v.Data = "clients", d
	if trash {
		v.Title = v.T("clients.trash")
		h.render(w, r, http.StatusOK, "clients_trash", v)
		return
	}
	v.Title = v.T("clients.title")
	h.render(w, r, http.StatusOK, "clients", v)
}

func (h *Web) clients(w http.ResponseWriter, r *http.Request, v *View) { h.clientList(w, r, v, false) }
func (h *Web) clientsTrash(w http.ResponseWriter, r *http.Request, v *View) {
	h.clientList(w, r, v, true)
}

func clientStatusOptions(v *View, first string) []Option {
	var opts []Option
	if first != "" {
		opts = append(opts, Option{Value: "", Label: first})
	}
	for _, s := range crm.ClientStatuses {
		opts = append(opts, Option{Value: string(s), Label: v.T("clients.status." + string(s))})
	}
	return opts
}

func (h *Web) clientEmployeeOptions(r *http.Request, v *View, first string) []Option {
	es, err := h.svc.ClientEmployees(r.Context())
	if err != nil || len(es) == 0 {
		return nil
	}
	opts := []Option{{Value: "", Label: first}}
	for _, e := range es {
		opts = append(opts, Option{Value: strconv.FormatInt(e.ID, 10), Label: e.FullName()})
	}
	return opts
}

// ClientFormData is the model of the client form.
type ClientFormData struct {
	Client     *crm.Client // nil for a new one
	Statuses   []Option
	Employees  []Option
	Businesses []Option
	OwnOnly    bool // the user's clients are assigned to them: no choice of employee
	Groups     []GroupChoice
	DateRows   []int    // the indexes of the important dates' rows (one empty row at the end)
	Tags       []string // the account's tags, for suggestions
}

// GroupChoice is one checkbox of the client form's groups.
type GroupChoice struct {
	Group   crm.ClientGroup
	Checked bool
}

func (h *Web) clientForm(w http.ResponseWriter, r *http.Request, v *View, status int, c *crm.Client) {
	d := ClientFormData{Client: c, Statuses: clientStatusOptions(v, ""), OwnOnly: authz.OwnOnly(v.P, authz.Clients),
		Businesses: h.businessOptions(r, v, v.T("common.none"))}
	if !d.OwnOnly {
		d.Employees = h.clientEmployeeOptions(r, v, v.T("common.none"))
	}
	gs, _ := h.svc.ClientGroupNames(r.Context())
	var checked []int64
	switch {
	case r.Method == http.MethodPost:
		checked = formIDs(r.PostForm, "group_ids")
	case c != nil:
		for _, g := range c.Groups {
			checked = append(checked, g.ID)
		}
	}
	for _, g := range gs {
		d.Groups = append(d.Groups, GroupChoice{Group: g, Checked: slices.Contains(checked, g.ID)})
	}
	// The rows typed (or stored), and one more empty row: a new date can
	// be added without JavaScript; app.js adds further rows.
	rows := 0
	if v.Form != nil {
		for i := range maxDateRows {
			if v.Form.Values[dateKey(i, "name")] != "" || v.Form.Values[dateKey(i, "date")] != "" {
				rows = i + 1
			}
		}
	}
	for i := range rows + 1 {
		d.DateRows = append(d.DateRows, i)
	}
	d.Tags, _ = h.svc.ClientTags(r.Context())
	if c == nil {
		v.Title = v.T("clients.new")
	} else {
		v.Title = c.Name
	}
	v.Section, v.Data = "clients", d
	h.render(w, r, status, "client_form", v)
}

func (h *Web) newClient(w http.ResponseWriter, r *http.Request, v *View) {
	v.Form = &Form{Values: map[string]string{"kind": "company", "status": "potential", "country": "PL"}}
	if c, err := h.businessChoice(r, v); err == nil && len(c.All) > 1 {
		v.Form.Values["business_id"] = strconv.FormatInt(c.Current.ID, 10)
	}
	h.clientForm(w, r, v, http.StatusOK, nil)
}

func (h *Web) editClient(w http.ResponseWriter, r *http.Request, v *View) {
	c, ok := load(h, w, r, v, h.svc.Client)
	if !ok {
		return
	}
	vals := map[string]string{"kind": string(c.Kind), "short_name": c.ShortName, "nip": plid.FormatNIP(c.NIP),
		"regon": c.REGON, "pesel": c.PESEL, "emails": strings.Join(c.Emails, ", "), "phones": strings.Join(c.Phones, ", "),
		"website": c.Website, "street": c.Street, "postal_code": c.PostalCode, "city": c.City, "country": c.Country,
		"birthday": c.Birthday, "status": string(c.Status), "notes": c.Notes, "employee_id": idValue(c.EmployeeID),
		"business_id": idValue(c.BusinessID), "tags": strings.Join(c.Tags, ", ")}
	for i, d := range c.Dates {
		vals[dateKey(i, "name")], vals[dateKey(i, "date")] = d.Name, d.Date
		if d.Yearly {
			vals[dateKey(i, "yearly")] = "1"
		}
	}
	if c.IsCompany() {
		vals["name"] = c.Name
	} else {
		vals["first_name"], vals["last_name"] = c.FirstName, c.LastName
	}
	v.Form = &Form{Values: vals}
	h.clientForm(w, r, v, http.StatusOK, &c)
}

func idValue(id *int64) string {
	if id == nil {
		return ""
	}
	return strconv.FormatInt(*id, 10)
}

// splitList reads a list typed into one field: separated by commas,
// semicolons or new lines (and, with spaces too, for e-mails).
func splitList(s string, spaces bool) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return r == ',' || r == ';' || r == '\n' || r == '\r' || (spaces && (r == ' ' || r == '\t'))
	})
}

// maxDateRows is how many important dates' rows a form is read for.
const maxDateRows = 40

// dateKey names an input of an important date's row: the service's field
// name, so that its errors land at the input.
func dateKey(i int, part string) string { return service.DateField(i, part) }

func clientInput(form url.Values) service.ClientInput {
	in := service.ClientInput{Kind: form.Get("kind"), Name: form.Get("name"), FirstName: form.Get("first_name"),
		LastName: form.Get("last_name"), ShortName: form.Get("short_name"), NIP: form.Get("nip"), REGON: form.Get("regon"),
		PESEL: form.Get("pesel"), Emails: splitList(form.Get("emails"), true), Phones: splitList(form.Get("phones"), false),
		Website: form.Get("website"), Street: form.Get("street"), PostalCode: form.Get("postal_code"), City: form.Get("city"),
		Country: form.Get("country"), Birthday: form.Get("birthday"), Status: form.Get("status"), Notes: form.Get("notes")}
	if id, err := strconv.ParseInt(form.Get("employee_id"), 10, 64); err == nil {
		in.EmployeeID = &id
	}
	if id, err := strconv.ParseInt(form.Get("business_id"), 10, 64); err == nil {
		in.BusinessID = &id
	}
	for i := range maxDateRows {
		name, date := form.Get(dateKey(i, "name")), form.Get(dateKey(i, "date"))
		if name == "" && date == "" {
			continue
		}
		for len(in.Dates) < i {
			in.Dates = append(in.Dates, service.ClientDateInput{}) // keeps row numbers for the errors
		}
		in.Dates = append(in.Dates, service.ClientDateInput{Name: name, Date: date, Yearly: form.Get(dateKey(i, "yearly")) != ""})
	}
	in.Tags = strings.Split(form.Get("tags"), ",")
	// The form's group checkboxes: an unticked box sends nothing, so the
	// marker tells "no groups" from a form without the checkboxes.
	if form.Has("groups_shown") {
		in.GroupIDs = append([]int64{}, formIDs(form, "group_ids")...)
	}
	return in
}

func (h *Web) createClient(w http.ResponseWriter, r *http.Request, v *View) {
	if !h.parseForm(w, r, v) {
		return
	}
	c, err := h.svc.CreateClient(r.Context(), clientInput(r.PostForm))
	if err != nil {
		h.failForm(w, r, v, err, func(status int) { h.clientForm(w, r, v, status, nil) })
		return
	}
	h.flash(w, "clients.created")
	http.Redirect(w, r, "/clients/"+strconv.FormatInt(c.ID, 10), http.StatusSeeOther)
}

func (h *Web) updateClient(w http.ResponseWriter, r *http.Request, v *View) {
	if !h.parseForm(w, r, v) {
		return
	}
	old, ok := load(h, w, r, v, h.svc.Client)
	if !ok {
		return
	}
	c, err := h.svc.UpdateClient(r.Context(), old.ID, clientInput(r.PostForm))
	if err != nil {
		h.failForm(w, r, v, err, func(status int) { h.clientForm(w, r, v, status, &old) })
		return
	}
	h.flash(w, "clients.saved")
	http.Redirect(w, r, "/clients/"+strconv.FormatInt(c.ID, 10), http.StatusSeeOther)
}

// clientAction runs a POST action on the client of the URL and goes to next.
func (h *Web) clientAction(w http.ResponseWriter, r *http.Request, v *View, act func(id int64) error, flash, next string) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r, v)
		return
	}
	if err := act(id); err != nil {
		h.fail(w, r, v, err, "")
		return
	}
	h.flash(w, flash)
	http.Redirect(w, r, strings.ReplaceAll(next, "{id}", strconv.FormatInt(id, 10)), http.StatusSeeOther)
}

func (h *Web) deleteClient(w http.ResponseWriter, r *http.Request, v *View) {
	h.clientAction(w, r, v, func(id int64) error { return h.svc.DeleteClient(r.Context(), id) }, "clients.trashed", "/clients")
}

func (h *Web) restoreClient(w http.ResponseWriter, r *http.Request, v *View) {
	h.clientAction(w, r, v, func(id int64) error { return h.svc.RestoreClient(r.Context(), id) }, "clients.restored", "/clients/{id}")
}

func (h *Web) purgeClient(w http.ResponseWriter, r *http.Request, v *View) {
	h.clientAction(w, r, v, func(id int64) error { return h.svc.PurgeClient(r.Context(), id) }, "clients.purged", "/clients/trash")
}

// ClientData is the model of a client's card.
type ClientData struct {
	Client   crm.Client
	NIP      string // formatted
	Tab      string // "details", "persons", "timeline" or "history"
	Persons  []crm.ClientPerson
	Person   *crm.ClientPerson // the contact person being edited (persons tab)
	Timeline TimelineView
	Employee string // the assigned employee's name
	History  HistoryView
	Contacts []crm.PlannedContact // the client's upcoming planned contacts
	Tasks    []crm.Task           // the client's open tasks
	Now      time.Time
	Files    *AttachedFiles   // nil without access to files
	Docs     *ClientDocuments // nil without access to documents
}

func (h *Web) client(w http.ResponseWriter, r *http.Request, v *View) {
	c, ok := load(h, w, r, v, h.svc.Client)
	if !ok {
		return
	}
	h.showClient(w, r, v, http.StatusOK, c, r.URL.Query().Get("tab"), nil)
}

func (h *Web) showClient(w http.ResponseWriter, r *http.Request, v *View, status int, c crm.Client, tab string, person *crm.ClientPerson) {
	d := ClientData{Client: c, NIP: plid.FormatNIP(c.NIP), Tab: tab, Person: person}
	var err error
	switch d.Tab {
	case "history":
		d.History, err = h.history(r, v, "client", c.ID, "/clients/"+strconv.FormatInt(c.ID, 10))
	case "timeline":
		d.Timeline, err = h.timeline(r, v, c.ID)
	case "persons":
		d.Persons, err = h.svc.ClientPersons(r.Context(), c.ID)
	default:
		d.Tab = "details"
		d.Files = h.attachedFiles(r, v, c.ID, 0)
		d.Docs = h.clientDocuments(r, v, c.ID)
		if authz.Can(v.P, authz.Contacts, authz.View) {
			d.Now = time.Now()
			d.Contacts, _, _ = h.svc.Contacts(r.Context(), service.ContactQuery{ClientID: c.ID,
				Status: string(crm.ContactPlanned), Limit: 10})
		}
		if authz.Can(v.P, authz.Tasks, authz.View) {
			d.Now = time.Now()
			d.Tasks, _, _ = h.svc.Tasks(r.Context(), service.TaskQuery{ClientID: c.ID, Status: "open", Limit: 10})
		}
		if c.EmployeeID != nil {
			d.Employee, _ = h.svc.ClientEmployeeName(r.Context(), *c.EmployeeID)
		}
	}
	if err != nil {
		h.fail(w, r, v, err, "")
		return
	}
	v.Title, v.Section, v.Data = c.Name, "clients", d
	h.render(w, r, status, "client", v)
}

func (h *Web) createClientPerson(w http.ResponseWriter, r *http.Request, v *View) {
	if !h.parseForm(w, r, v) {
		return
	}
	c, ok := load(h, w, r, v, h.svc.Client)
	if !ok {
		return
	}
	_, err := h.svc.CreateClientPerson(r.Context(), c.ID, personInput(r.PostForm))
	if err != nil {
		h.failForm(w, r, v, err, func(status int) { h.showClient(w, r, v, status, c, "persons", nil) })
		return
	}
	h.flash(w, "clients.person_added")
	http.Redirect(w, r, "/clients/"+strconv.FormatInt(c.ID, 10)+"?tab=persons", http.StatusSeeOther)
}

// clientPerson reads the client and the contact person of the URL.
func (h *Web) clientPerson(w http.ResponseWriter, r *http.Request, v *View) (crm.Client, crm.ClientPerson, bool) {
	c, ok := load(h, w, r, v, h.svc.Client)
	if !ok {
		return c, crm.ClientPerson{}, false
	}
	pid, err := strconv.ParseInt(r.PathValue("pid"), 10, 64)
	if err != nil || pid < 1 {
		h.notFound(w, r, v)
		return c, crm.ClientPerson{}, false
	}
	p, err := h.svc.ClientPerson(r.Context(), c.ID, pid)
	if err != nil {
		h.fail(w, r, v, err, "")
		return c, p, false
	}
	return c, p, true
}

func (h *Web) editClientPerson(w http.ResponseWriter, r *http.Request, v *View) {
	c, p, ok := h.clientPerson(w, r, v)
	if !ok {
		return
	}
	v.Form = &Form{Values: map[string]string{"first_name": p.FirstName, "last_name": p.LastName, "role": p.Role,
		"phone": p.Phone, "email": p.Email, "birthday": p.Birthday, "notes": p.Notes}}
	h.showClient(w, r, v, http.StatusOK, c, "persons", &p)
}

func (h *Web) updateClientPerson(w http.ResponseWriter, r *http.Request, v *View) {
	if !h.parseForm(w, r, v) {
		return
	}
	c, p, ok := h.clientPerson(w, r, v)
	if !ok {
		return
	}
	if _, err := h.svc.UpdateClientPerson(r.Context(), c.ID, p.ID, personInput(r.PostForm)); err != nil {
		h.failForm(w, r, v, err, func(status int) { h.showClient(w, r, v, status, c, "persons", &p) })
		return
	}
	h.flash(w, "clients.person_saved")
	http.Redirect(w, r, "/clients/"+strconv.FormatInt(c.ID, 10)+"?tab=persons", http.StatusSeeOther)
}

func personInput(f url.Values) service.ClientPersonInput {
	return service.ClientPersonInput{FirstName: f.Get("first_name"), LastName: f.Get("last_name"), Role: f.Get("role"),
		Phone: f.Get("phone"), Email: f.Get("email"), Birthday: f.Get("birthday"), Notes: f.Get("notes")}
}

func (h *Web) deleteClientPerson(w http.ResponseWriter, r *http.Request, v *View) {
	id, ok := pathID(r)
	pid, err := strconv.ParseInt(r.PathValue("pid"), 10, 64)
	if !ok || err != nil || pid < 1 {
		h.notFound(w, r, v)
		return
	}
	if err := h.svc.DeleteClientPerson(r.Context(), id, pid); err != nil {
		h.fail(w, r, v, err, "")
		return
	}
	h.flash(w, "clients.person_deleted")
	http.Redirect(w, r, "/clients/"+strconv.FormatInt(id, 10)+"?tab=persons", http.StatusSeeOther)
}

// clientQuery reads the filters of the client list from its URL; the list
// and its export share them.
func clientQuery(q url.Values) service.ClientQuery {
	query := service.ClientQuery{Q: q.Get("q"), Status: q.Get("status"), Sort: q.Get("sort"), Tag: q.Get("tag"),
		Overdue: q.Get("overdue") == "1" || q.Get("overdue") == "true"}
	query.EmployeeID, _ = strconv.ParseInt(q.Get("employee_id"), 10, 64)
	query.BusinessID, _ = strconv.ParseInt(q.Get("business_id"), 10, 64)
	query.GroupID, _ = strconv.ParseInt(q.Get("group"), 10, 64)
	return query
}

// TimelineView is the model of a client's timeline tab.
type TimelineView struct {
	Rows []TimelineRow
	More string // the next page
}

// TimelineRow is one line of the timeline. Kind is "history" (an entry
// with its changes), "person_added", "person_changed", "person_removed"
// (Person names them), "contact_done" or "contact_cancelled".
type TimelineRow struct {
	At      time.Time
	Kind    string
	Entry   *crm.AuditEntry
	Contact *crm.PlannedContact
	Person  string
}

const timelinePerPage = 20

func (h *Web) timeline(r *http.Request, v *View, clientID int64) (TimelineView, error) {
	offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
	offset = max(0, offset)
	items, more, err := h.svc.ClientTimeline(r.Context(), clientID, offset, timelinePerPage)
	if err != nil {
		return TimelineView{}, err
	}
	var tv TimelineView
	for _, it := range items {
		row := TimelineRow{At: it.At, Entry: it.Entry, Contact: it.Contact, Kind: "history"}
		switch {
		case it.Contact != nil && it.Contact.Status == crm.ContactCancelled:
			row.Kind = "contact_cancelled"
		case it.Contact != nil:
			row.Kind = "contact_done"
		case len(it.Entry.Changes) == 1 && it.Entry.Changes[0].Field == "contact_person":
			ch := it.Entry.Changes[0]
			switch {
			case ch.Old == "":
				row.Kind, row.Person = "person_added", ch.New
			case ch.New == "":
				row.Kind, row.Person = "person_removed", ch.Old
			default:
				row.Kind, row.Person = "person_changed", ch.New
			}
		}
		tv.Rows = append(tv.Rows, row)
	}
	if more {
		tv.More = "/clients/" + strconv.FormatInt(clientID, 10) + "?tab=timeline&offset=" + strconv.Itoa(offset+timelinePerPage)
	}
	return tv, nil
}
