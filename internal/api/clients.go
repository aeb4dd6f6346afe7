package api

import (
	"encoding/json"
	"net/http"
	"strconv"

	"klientela/internal/authz"
	"klientela/internal/crm"
	"klientela/internal/httpx"
	"klientela/internal/service"
)

func (a *API) registerClients(mux httpx.Mux) {
	a.handle(mux, "GET", "/clients", authz.Clients, authz.View, a.listClients)
	a.handle(mux, "POST", "/clients", authz.Clients, authz.Edit, a.createClient)
	a.handle(mux, "GET", "/clients/{id}", authz.Clients, authz.View, getByID(a.svc.Client, clientOut))
	a.handle(mux, "PATCH", "/clients/{id}", authz.Clients, authz.Edit, a.patchClient)
	a.handle(mux, "DELETE", "/clients/{id}", authz.Clients, authz.Full, deleteByID(a.svc.DeleteClient))
	a.handle(mux, "POST", "/clients/{id}/restore", authz.Clients, authz.Edit, a.restoreClient)
	a.handle(mux, "GET", "/clients/{id}/persons", authz.Clients, authz.View, a.listClientPersons)
	a.handle(mux, "POST", "/clients/{id}/persons", authz.Clients, authz.Edit, a.createClientPerson)
	a.handle(mux, "PATCH", "/clients/{id}/persons/{pid}", authz.Clients, authz.Edit, a.patchClientPerson)
	a.handle(mux, "DELETE", "/clients/{id}/persons/{pid}", authz.Clients, authz.Edit, a.deleteClientPerson)
	a.handle(mux, "GET", "/clients/{id}/history", authz.Clients, authz.View, a.historyOf("client"))
}

// Address is a postal address as the API shows it.
type Address struct {
	Street     string `json:"street"`
	PostalCode string `json:"postal_code"`
	City       string `json:"city"`
	Country    string `json:"country"`
}

// Client is a client as the API shows it. NIP is 10 bare digits; birthday
// is "YYYY-MM-DD" or "".
type Client struct {
	ID         int64    `json:"id"`
	Kind       string   `json:"kind"`
	Name       string   `json:"name"`
	FirstName  string   `json:"first_name"`
	LastName   string   `json:"last_name"`
	ShortName  string   `json:"short_name"`
	NIP        string   `json:"nip"`
	REGON      string   `json:"regon"`
	PESEL      string   `json:"pesel"`
	Emails     []string `json:"emails"`
	Phones     []string `json:"phones"`
	Website    string   `json:"website"`
	Address    Address  `json:"address"`
	Birthday   string   `json:"birthday"`
	Status     string   `json:"status"`
	EmployeeID *int64   `json:"employee_id"`
	BusinessID *int64   `json:"business_id"`
	Notes      string   `json:"notes"`
	GroupIDs   []int64  `json:"group_ids"`
	Dates      []Date   `json:"important_dates"`
	Tags       []string `json:"tags"`
	CreatedAt  string   `json:"created_at"`
	UpdatedAt  string   `json:"updated_at"`
	DeletedAt  *string  `json:"deleted_at"`
}

// Date is an important date of a client: "YYYY-MM-DD", yearly or once.
type Date struct {
	Name   string `json:"name"`
	Date   string `json:"date"`
	Yearly bool   `json:"yearly"`
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func clientOut(r *http.Request, c crm.Client) Client {
	out := Client{ID: c.ID, Kind: string(c.Kind), Name: c.Name, FirstName: c.FirstName, LastName: c.LastName,
		ShortName: c.ShortName, NIP: c.NIP, REGON: c.REGON, PESEL: c.PESEL, Emails: nonNil(c.Emails),
		Phones: nonNil(c.Phones), Website: c.Website,
		Address:  Address{Street: c.Street, PostalCode: c.PostalCode, City: c.City, Country: c.Country},
		Birthday: c.Birthday, Status: string(c.Status), EmployeeID: c.EmployeeID, BusinessID: c.BusinessID,
		Notes: c.Notes, GroupIDs: make([]int64, 0, len(c.Groups)), CreatedAt: timestamp(r, c.CreatedAt),
		UpdatedAt: timestamp(r, c.UpdatedAt)}
	for _, g := range c.Groups {
		out.GroupIDs = append(out.GroupIDs, g.ID)
	}
	out.Dates, out.Tags = make([]Date, len(c.Dates)), nonNil(c.Tags)
	for i, d := range c.Dates {
		out.Dates[i] = Date{Name: d.Name, Date: d.Date, Yearly: d.Yearly}
	}
	if c.DeletedAt != nil {
		s := timestamp(r, *c.DeletedAt)
		out.DeletedAt = &s
	}
	return out
}

// clientRequest is a POST or PATCH body: absent fields keep their value
// (PATCH) or their default (POST). employee_id and business_id may be null
// to clear them.
type clientRequest struct {
	Kind      *string   `json:"kind"`
	Name      *string   `json:"name"`
	FirstName *string   `json:"first_name"`
	LastName  *string   `json:"last_name"`
	ShortName *string   `json:"short_name"`
	NIP       *string   `json:"nip"`
	REGON     *string   `json:"regon"`
	PESEL     *string   `json:"pesel"`
	Emails    *[]string `json:"emails"`
	Phones    *[]string `json:"phones"`
	Website   *string   `json:"website"`
	Address   *struct {
		Street     *string `json:"street"`
		PostalCode *string `json:"postal_code"`
		City       *string `json:"city"`
		Country    *string `json:"country"`
	} `json:"address"`
	Birthday   *string         `json:"birthday"`
	Status     *string         `json:"status"`
	EmployeeID json.RawMessage `json:"employee_id"`
	BusinessID json.RawMessage `json:"business_id"`
	Notes      *string         `json:"notes"`
	GroupIDs   *[]int64        `json:"group_ids"`
	Dates      *[]Date         `json:"important_dates"`
	Tags       *[]string       `json:"tags"`
}

func optionalID(raw json.RawMessage, dst **int64, field, key string) error {
	if len(raw) == 0 {
		return nil
	}
	if string(raw) == "null" {
		*dst = nil
		return nil
	}
	id, err := strconv.ParseInt(string(raw), 10, 64)
	if err != nil {
		return invalidField(field, key)
	}
	*dst = &id
	return nil
}

// apply writes the request's fields onto in.
func (q clientRequest) apply(in *service.ClientInput) error {
	set := func(dst *string, src *string) {
		if src != nil {
			*dst = *src
		}
	}
	set(&in.Kind, q.Kind)
	set(&in.Name, q.Name)
	set(&in.FirstName, q.FirstName)
	set(&in.LastName, q.LastName)
	set(&in.ShortName, q.ShortName)
	set(&in.NIP, q.NIP)
	set(&in.REGON, q.REGON)
	set(&in.PESEL, q.PESEL)
	set(&in.Website, q.Website)
	set(&in.Birthday, q.Birthday)
	set(&in.Status, q.Status)
	set(&in.Notes, q.Notes)
	if q.Emails != nil {
		in.Emails = *q.Emails
	}
	if q.Phones != nil {
		in.Phones = *q.Phones
	}
	if q.GroupIDs != nil {
		in.GroupIDs = append([]int64{}, *q.GroupIDs...)
	}
	if q.Dates != nil {
		in.Dates = make([]service.ClientDateInput, len(*q.Dates))
		for i, d := range *q.Dates {
			in.Dates[i] = service.ClientDateInput{Name: d.Name, Date: d.Date, Yearly: d.Yearly}
		}
	}
	if q.Tags != nil {
		in.Tags = *q.Tags
	}
	if ad := q.Address; ad != nil {
		set(&in.Street, ad.Street)
		set(&in.PostalCode, ad.PostalCode)
		set(&in.City, ad.City)
		set(&in.Country, ad.Country)
	}
	if err := optionalID(q.EmployeeID, &in.EmployeeID, "employee_id", "err.employee_unknown"); err != nil {
		return err
	}
	return optionalID(q.BusinessID, &in.BusinessID, "business_id", "err.business_unknown")
}

func (a *API) listClients(w http.ResponseWriter, r *http.Request) (int, any, error) {
	pg, err := page(r)
	if err != nil {
		return 0, nil, err
	}
	query, err := clientFilters(r)
	if err != nil {
		return 0, nil, err
	}
	query.Offset, query.Limit, query.Trash = int(pg.Cursor), pg.Limit, r.URL.Query().Get("trash") == "true"
	items, total, err := a.svc.Clients(r.Context(), query)
	if err != nil {
		return 0, nil, err
	}
	out := make([]Client, len(items))
	for i, c := range items {
		out[i] = clientOut(r, c)
	}
	return http.StatusOK, cappedList(out, query.Offset, total, service.ClientCountBound(query)), nil
}

func (a *API) createClient(w http.ResponseWriter, r *http.Request) (int, any, error) {
	var body clientRequest
	if err := a.decode(r, &body); err != nil {
		return 0, nil, err
	}
	var in service.ClientInput
	if err := body.apply(&in); err != nil {
		return 0, nil, err
	}
	c, err := a.svc.CreateClient(r.Context(), in)
	if err != nil {
		return 0, nil, err
	}
	w.Header().Set("Location", Prefix+"/clients/"+strconv.FormatInt(c.ID, 10))
	return http.StatusCreated, clientOut(r, c), nil
}

func (a *API) patchClient(w http.ResponseWriter, r *http.Request) (int, any, error) {
	id, err := pathID(r)
	if err != nil {
		return 0, nil, err
	}
	var body clientRequest
	if err := a.decode(r, &body); err != nil {
		return 0, nil, err
	}
	cur, err := a.svc.Client(r.Context(), id)
	if err != nil {
		return 0, nil, err
	}
	in := service.ClientInputOf(cur)
	if err := body.apply(&in); err != nil {
		return 0, nil, err
	}
	c, err := a.svc.UpdateClient(r.Context(), id, in)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, clientOut(r, c), nil
}

func (a *API) restoreClient(w http.ResponseWriter, r *http.Request) (int, any, error) {
	id, err := pathID(r)
	if err != nil {
		return 0, nil, err
	}
	if err := a.svc.RestoreClient(r.Context(), id); err != nil {
		return 0, nil, err
	}
	c, err := a.svc.Client(r.Context(), id)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, clientOut(r, c), nil
}

// ClientPerson is a contact person as the API shows it.
type ClientPerson struct {
	ID        int64  `json:"id"`
	ClientID  int64  `json:"client_id"`
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name"`
	Role      string `json:"role"`
	Phone     string `json:"phone"`
	Email     string `json:"email"`
	Birthday  string `json:"birthday"`
	Notes     string `json:"notes"`
	CreatedAt string `json:"created_at"`
	UpdatedAt string `json:"updated_at"`
}

func personOut(r *http.Request, p crm.ClientPerson) ClientPerson {
	return ClientPerson{ID: p.ID, ClientID: p.ClientID, FirstName: p.FirstName, LastName: p.LastName, Role: p.Role,
		Phone: p.Phone, Email: p.Email, Birthday: p.Birthday, Notes: p.Notes, CreatedAt: timestamp(r, p.CreatedAt),
		UpdatedAt: timestamp(r, p.UpdatedAt)}
}

type personRequest struct {
	FirstName *string `json:"first_name"`
	LastName  *string `json:"last_name"`
	Role      *string `json:"role"`
	Phone     *string `json:"phone"`
	Email     *string `json:"email"`
	Birthday  *string `json:"birthday"`
	Notes     *string `json:"notes"`
}

func (q personRequest) apply(in *service.ClientPersonInput) {
	for dst, src := range map[*string]*string{&in.FirstName: q.FirstName, &in.LastName: q.LastName, &in.Role: q.Role,
		&in.Phone: q.Phone, &in.Email: q.Email, &in.Birthday: q.Birthday, &in.Notes: q.Notes} {
		if src != nil {
			*dst = *src
		}
	}
}

// personPath reads {id} and {pid}.
func personPath(r *http.Request) (int64, int64, error) {
	id, err := pathID(r)
	if err != nil {
		return 0, 0, err
	}
	pid, err := strconv.ParseInt(r.PathValue("pid"), 10, 64)
	if err != nil || pid < 1 {
		return 0, 0, crm.NotFound()
	}
	return id, pid, nil
}

func (a *API) listClientPersons(w http.ResponseWriter, r *http.Request) (int, any, error) {
	id, err := pathID(r)
	if err != nil {
		return 0, nil, err
	}
	ps, err := a.svc.ClientPersons(r.Context(), id)
	if err != nil {
		return 0, nil, err
	}
	out := make([]ClientPerson, len(ps))
	for i, p := range ps {
		out[i] = personOut(r, p)
	}
	return http.StatusOK, newList(out, 0), nil
}

func (a *API) createClientPerson(w http.ResponseWriter, r *http.Request) (int, any, error) {
	id, err := pathID(r)
	if err != nil {
		return 0, nil, err
	}
	var body personRequest
	if err := a.decode(r, &body); err != nil {
		return 0, nil, err
	}
	var in service.ClientPersonInput
	body.apply(&in)
	p, err := a.svc.CreateClientPerson(r.Context(), id, in)
	if err != nil {
		return 0, nil, err
	}
	w.Header().Set("Location", Prefix+"/clients/"+strconv.FormatInt(id, 10)+"/persons/"+strconv.FormatInt(p.ID, 10))
	return http.StatusCreated, personOut(r, p), nil
}

func (a *API) patchClientPerson(w http.ResponseWriter, r *http.Request) (int, any, error) {
	id, pid, err := personPath(r)
	if err != nil {
		return 0, nil, err
	}
	var body personRequest
	if err := a.decode(r, &body); err != nil {
		return 0, nil, err
	}
	cur, err := a.svc.ClientPerson(r.Context(), id, pid)
	if err != nil {
		return 0, nil, err
	}
	in := service.ClientPersonInputOf(cur)
	body.apply(&in)
	p, err := a.svc.UpdateClientPerson(r.Context(), id, pid, in)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, personOut(r, p), nil
}

func (a *API) deleteClientPerson(w http.ResponseWriter, r *http.Request) (int, any, error) {
	id, pid, err := personPath(r)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusNoContent, nil, a.svc.DeleteClientPerson(r.Context(), id, pid)
}

// clientFilters reads the filters of the client list (the list and its
// export share them); an id that is not a number is an invalid field.
func clientFilters(r *http.Request) (service.ClientQuery, error) {
	q := r.URL.Query()
	query := service.ClientQuery{Q: q.Get("q"), Status: q.Get("status"), Sort: q.Get("sort"), Tag: q.Get("tag")}
	switch q.Get("overdue") {
	case "", "false":
	case "true":
		query.Overdue = true
	default:
		return query, invalidField("overdue", "err.invalid")
	}
	for name, dst := range map[string]*int64{"employee_id": &query.EmployeeID, "business_id": &query.BusinessID,
		"group_id": &query.GroupID} {
		if s := q.Get(name); s != "" {
			id, err := strconv.ParseInt(s, 10, 64)
			if err != nil {
				return query, invalidField(name, "err.invalid")
			}
			*dst = id
		}
	}
	return query, nil
}
