package service

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"klientela/internal/authz"
	"klientela/internal/crm"
	"klientela/internal/plid"
	"klientela/internal/store"
)

// ClientInput is what a form or the API sends for a client. Strings are as
// typed; the service cleans and checks them. The fields of the other kind
// (a company's name for a person, a person's names and PESEL for a
// company) are ignored.
type ClientInput struct {
	Kind       string // "company" or "person"
	Name       string // companies
	FirstName  string // persons
	LastName   string // persons
	ShortName  string
	NIP        string
	REGON      string
	PESEL      string // persons
	Emails     []string
	Phones     []string
	Website    string
	Street     string
	PostalCode string
	City       string
	Country    string // two letters; "" for PL
	Birthday   string // "YYYY-MM-DD" or ""; from the PESEL when empty
	Status     string // "" for potential
	EmployeeID *int64
	BusinessID *int64
	Notes      string
	GroupIDs   []int64           // the client's groups; nil keeps them as they are
	Dates      []ClientDateInput // important dates; rows with neither name nor date are skipped
	Tags       []string          // free-form tags
}

// ClientDateInput is one important date as typed: a name, "YYYY-MM-DD",
// and whether it comes back every year.
type ClientDateInput struct {
	Name   string
	Date   string
	Yearly bool
}

// ClientPersonInput is what a form or the API sends for a contact person.
type ClientPersonInput struct {
	FirstName string
	LastName  string
	Role      string
	Phone     string
	Email     string
	Birthday  string
	Notes     string
}

// Limits of clients.
const (
	ClientTrashDays   = 30 // a client stays this long in the trash
	maxClientContacts = 10 // e-mails or phones of one client
	maxClientText     = 200
	maxClientNotes    = 5000
	maxClientDates    = 20 // important dates of one client
	maxDateName       = 100
	maxClientTags     = 20 // tags of one client
	MaxTagLength      = 40
)

// clientScope is how the acting user sees clients: all of them, or only
// those assigned to their employee.
type clientScope struct {
	own      bool
	employee int64 // the user's employee; 0 for none
}

func (sc clientScope) sees(c crm.Client) bool {
	return !sc.own || (sc.employee != 0 && c.EmployeeID != nil && *c.EmployeeID == sc.employee)
}

func (s *Service) clientActor(ctx context.Context, level authz.Level) (*crm.Principal, *store.Tenant, clientScope, error) {
	p, t, err := s.actor(ctx, authz.Clients, level)
	if err != nil {
		return nil, nil, clientScope{}, err
	}
	sc := clientScope{own: authz.OwnOnly(p, authz.Clients)}
	if p.User.EmployeeID != nil {
		sc.employee = *p.User.EmployeeID
	}
	return p, t, sc, nil
}

// loadClient reads a client the user may see; trashed says whether it
// must be in the trash (true) or out of it (false).
func loadClient(ctx context.Context, t *store.Tenant, sc clientScope, id int64, trashed bool) (crm.Client, error) {
	c, err := t.Client(ctx, id)
	if err != nil {
		return crm.Client{}, err
	}
	if !sc.sees(c) || (c.DeletedAt != nil) != trashed {
		return crm.Client{}, crm.NotFound()
	}
	cs := []crm.Client{c}
	if err := withExtras(ctx, t, cs); err != nil {
		return crm.Client{}, err
	}
	return cs[0], nil
}

// checkDate reads "YYYY-MM-DD" and refuses days after today.
func checkDate(v *crm.Validation, field, s string, now time.Time) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	d, err := time.Parse(time.DateOnly, s)
	switch {
	case err != nil:
		v.Add(field, "err.client_date_invalid")
	case d.After(now):
		v.Add(field, "err.client_birthday_future")
	}
	return s
}

func cleanList(in []string, normalize func(string) string) []string {
	var out []string
	for _, s := range in {
		if s = normalize(s); s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

func checkLen(v *crm.Validation, field, value string, max int) {
	if utf8.RuneCountInString(value) > max {
		v.Add(field, "err.too_long", "max", max)
	}
}

func (s *Service) clientFrom(ctx context.Context, t *store.Tenant, sc clientScope, in ClientInput, c *crm.Client) error {
	var v crm.Validation
	now := s.now()
	c.Kind = crm.ClientKind(strings.TrimSpace(in.Kind))
	if c.Kind == "" {
		c.Kind = crm.KindCompany
	}
	c.ShortName = cleanText(in.ShortName)
	checkLen(&v, "short_name", c.ShortName, maxClientText)
	c.FirstName, c.LastName, c.PESEL = "", "", ""
	c.Birthday = checkDate(&v, "birthday", in.Birthday, now)
	switch c.Kind {
	case crm.KindCompany:
		c.Name = cleanText(in.Name)
		checkRequiredText(&v, "name", c.Name, MaxName)
	case crm.KindPerson:
		c.FirstName, c.LastName = cleanText(in.FirstName), cleanText(in.LastName)
		checkRequiredText(&v, "first_name", c.FirstName, 100)
		checkRequiredText(&v, "last_name", c.LastName, 100)
		c.Name = strings.TrimSpace(c.LastName + " " + c.FirstName)
		if p := strings.TrimSpace(in.PESEL); p != "" {
			pesel, err := plid.ParsePESEL(p)
			switch {
			case errors.Is(err, plid.ErrChecksum):
				v.Add("pesel", "err.client_pesel_checksum")
			case err != nil:
				v.Add("pesel", "err.client_pesel_invalid")
			default:
				c.PESEL = pesel.Number
				if c.Birthday == "" && !v.Has("birthday") {
					c.Birthday = pesel.Birth.Format(time.DateOnly)
					if pesel.Birth.After(now) {
						v.Add("pesel", "err.client_birthday_future")
					}
				}
			}
		}
	default:
		v.Add("kind", "err.client_kind_invalid")
	}

	c.NIP = checkNIP(&v, "nip", in.NIP)
	c.REGON = ""
	if s := strings.TrimSpace(in.REGON); s != "" {
		regon, err := plid.ParseREGON(s)
		if err != nil {
			v.Add("regon", "err.client_regon_invalid")
		}
		c.REGON = regon
	}

	c.Emails = cleanList(in.Emails, NormalizeEmail)
	c.Phones = cleanList(in.Phones, cleanText)
	if len(c.Emails) > maxClientContacts {
		v.Add("emails", "err.client_too_many", "max", maxClientContacts)
	}
	for _, e := range c.Emails {
		checkEmail(&v, "emails", e)
	}
	if len(c.Phones) > maxClientContacts {
		v.Add("phones", "err.client_too_many", "max", maxClientContacts)
	}
	for _, p := range c.Phones {
		if !phoneRe.MatchString(p) {
			v.Add("phones", "err.phone_invalid")
		}
	}
	c.Website = cleanText(in.Website)
	checkLen(&v, "website", c.Website, maxClientText)
	if strings.ContainsAny(c.Website, " <>\"") {
		v.Add("website", "err.client_website_invalid")
	}

	c.Country = strings.ToUpper(cleanText(in.Country))
	if c.Country == "" {
		c.Country = DefaultCountry
	} else if !businessCountryRe.MatchString(c.Country) {
		v.Add("country", "err.business_country_invalid")
	}
	c.Street, c.City, c.PostalCode = cleanText(in.Street), cleanText(in.City), cleanText(in.PostalCode)
	checkLen(&v, "street", c.Street, maxBusinessStreet)
	checkLen(&v, "city", c.City, maxBusinessCity)
	if c.PostalCode != "" {
		if c.Country == DefaultCountry {
			pc, err := plid.ParsePostalCode(c.PostalCode)
			if err != nil {
				v.Add("postal_code", "err.business_postal_invalid")
			} else {
				c.PostalCode = pc
			}
		} else {
			checkLen(&v, "postal_code", c.PostalCode, maxBusinessPostalCode)
		}
	}

	c.Status = crm.ClientStatus(strings.TrimSpace(in.Status))
	if c.Status == "" {
		c.Status = crm.ClientPotential
	} else if !slices.Contains(crm.ClientStatuses, c.Status) {
		v.Add("status", "err.client_status_invalid")
	}
	c.Notes = cleanMultiline(in.Notes)
	checkLen(&v, "notes", c.Notes, maxClientNotes)

	// A user who sees only their own clients keeps them theirs.
	emp := in.EmployeeID
	if sc.own {
		// Without an employee of their own, the client would vanish from
		// their view the moment it is saved: refuse and say why.
		if sc.employee == 0 {
			v.Add("employee_id", "err.own_without_employee")
		}
		emp = nil
		if sc.employee != 0 {
			emp = &sc.employee
		}
	} else if emp != nil && (c.EmployeeID == nil || *c.EmployeeID != *emp) {
		exists, active, err := t.HasActiveEmployee(ctx, *emp)
		if err != nil {
			return err
		}
		switch {
		case !exists:
			v.Add("employee_id", "err.employee_unknown")
		case !active:
			v.Add("employee_id", "err.client_employee_inactive")
		}
	}
	c.EmployeeID = emp
	c.BusinessID = in.BusinessID
	if in.BusinessID != nil {
		ok, err := t.HasBusiness(ctx, *in.BusinessID)
		if err != nil {
			return err
		}
		if !ok {
			v.Add("business_id", "err.business_unknown")
		}
	}
	c.Dates = clientDatesFrom(&v, in.Dates)
	c.Tags = clientTagsFrom(&v, in.Tags)
	if err := clientGroupsFrom(ctx, t, &v, in.GroupIDs, c); err != nil {
		return err
	}
	return v.Err()
}

// DateField names the field of an important date's part ("name", "date")
// in field errors: "important_dates.2.date" (the row as sent).
func DateField(i int, part string) string {
	return "important_dates." + strconv.Itoa(i) + "." + part
}

// clientDatesFrom checks a client's important dates. A date may lie in the
// future ("Koniec umowy"); a row left empty is skipped.
func clientDatesFrom(v *crm.Validation, in []ClientDateInput) []crm.ClientDate {
	var out []crm.ClientDate
	for i, d := range in {
		name, date := cleanText(d.Name), strings.TrimSpace(d.Date)
		if name == "" && date == "" {
			continue
		}
		if name == "" {
			v.Add(DateField(i, "name"), "err.required")
		}
		checkLen(v, DateField(i, "name"), name, maxDateName)
		if date == "" {
			v.Add(DateField(i, "date"), "err.required")
		} else if _, err := time.Parse(time.DateOnly, date); err != nil {
			v.Add(DateField(i, "date"), "err.client_date_invalid")
		}
		out = append(out, crm.ClientDate{Name: name, Date: date, Yearly: d.Yearly})
	}
	if len(out) > maxClientDates {
		v.Add("important_dates", "err.client_too_many", "max", maxClientDates)
	}
	return out
}

// CleanTag is a tag as kept: trimmed, inner spaces collapsed.
func CleanTag(s string) string { return strings.Join(strings.Fields(cleanText(s)), " ") }

// clientTagsFrom cleans a client's tags: trimmed, at most MaxTagLength
// characters, unique regardless of case (the first spelling wins).
func clientTagsFrom(v *crm.Validation, in []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, raw := range in {
		tag := CleanTag(raw)
		if tag == "" {
			continue
		}
		if strings.Contains(tag, ",") {
			// The form separates tags with commas.
			v.Add("tags", "err.client_tag_comma")
			continue
		}
		if utf8.RuneCountInString(tag) > MaxTagLength {
			v.Add("tags", "err.client_tag_too_long", "tag", tag, "max", MaxTagLength)
			continue
		}
		if key := store.TagKey(tag); !seen[key] {
			seen[key] = true
			out = append(out, tag)
		}
	}
	if len(out) > maxClientTags {
		v.Add("tags", "err.client_too_many", "max", maxClientTags)
	}
	slices.SortStableFunc(out, func(a, b string) int { return strings.Compare(store.TagKey(a), store.TagKey(b)) })
	return out
}

// withExtras fills in the groups, important dates and tags of clients.
func withExtras(ctx context.Context, t *store.Tenant, cs []crm.Client) error {
	if err := withGroups(ctx, t, cs); err != nil {
		return err
	}
	ids := make([]int64, len(cs))
	for i, c := range cs {
		ids[i] = c.ID
	}
	dates, err := t.DatesOfClients(ctx, ids)
	if err != nil {
		return err
	}
	tags, err := t.TagsOfClients(ctx, ids)
	if err != nil {
		return err
	}
	for i := range cs {
		cs[i].Dates, cs[i].Tags = dates[cs[i].ID], tags[cs[i].ID]
	}
	return nil
}

// datesText is how important dates show in the history: "Koniec umowy:
// 2027-01-31; Rocznica współpracy: 2020-05-01 ↻" (↻ every year).
func datesText(ds []crm.ClientDate) string {
	parts := make([]string, len(ds))
	for i, d := range ds {
		parts[i] = d.Name + ": " + d.Date
		if d.Yearly {
			parts[i] += " ↻"
		}
	}
	return strings.Join(parts, "; ")
}

func idText(id *int64) string {
	if id == nil {
		return ""
	}
	return strconv.FormatInt(*id, 10)
}

func clientFields(c crm.Client) []field {
	return []field{
		{"kind", string(c.Kind)}, {"name", c.Name}, {"first_name", c.FirstName}, {"last_name", c.LastName},
		{"short_name", c.ShortName}, {"nip", plid.FormatNIP(c.NIP)}, {"regon", c.REGON}, {"pesel", c.PESEL},
		{"emails", strings.Join(c.Emails, ", ")}, {"phones", strings.Join(c.Phones, ", ")}, {"website", c.Website},
		{"street", c.Street}, {"postal_code", c.PostalCode}, {"city", c.City}, {"country", c.Country},
		{"birthday", c.Birthday}, {"status", string(c.Status)}, {"employee_id", idText(c.EmployeeID)},
		{"business_id", idText(c.BusinessID)}, {"notes", c.Notes}, {"groups", groupNames(c.Groups)},
		{"important_dates", datesText(c.Dates)}, {"tags", strings.Join(c.Tags, ", ")},
	}
}

// ClientInputOf turns a client back into the input that would save it
// unchanged (a PATCH starts from it).
func ClientInputOf(c crm.Client) ClientInput {
	return ClientInput{Kind: string(c.Kind), Name: c.Name, FirstName: c.FirstName, LastName: c.LastName,
		ShortName: c.ShortName, NIP: c.NIP, REGON: c.REGON, PESEL: c.PESEL, Emails: slices.Clone(c.Emails),
		Phones: slices.Clone(c.Phones), Website: c.Website, Street: c.Street, PostalCode: c.PostalCode, City: c.City,
		Country: c.Country, Birthday: c.Birthday, Status: string(c.Status), EmployeeID: c.EmployeeID,
		BusinessID: c.BusinessID, Notes: c.Notes, GroupIDs: groupIDs(c.Groups), Dates: ClientDateInputs(c.Dates),
		Tags: slices.Clone(c.Tags)}
}

// ClientDateInputs turns important dates back into their input.
func ClientDateInputs(ds []crm.ClientDate) []ClientDateInput {
	out := make([]ClientDateInput, len(ds))
	for i, d := range ds {
		out[i] = ClientDateInput{Name: d.Name, Date: d.Date, Yearly: d.Yearly}
	}
	return out
}

// CreateClient adds a client. A user who sees only their own clients
// creates them assigned to their employee.
func (s *Service) CreateClient(ctx context.Context, in ClientInput) (crm.Client, error) {
	p, t, sc, err := s.clientActor(ctx, authz.Edit)
	if err != nil {
		return crm.Client{}, err
	}
	now := s.now()
	c := crm.Client{AccountID: t.AccountID(), CreatedAt: now, UpdatedAt: now}
	if err := s.clientFrom(ctx, t, sc, in, &c); err != nil {
		return crm.Client{}, err
	}
	// A new client has no groups, dates or tags to delete first. It is
	// read back in its transaction, on the writer's connection: a reader's
	// page cache starts empty after every write (WAL), the writer's does
	// not.
	var out crm.Client
	err = t.InTx(ctx, func(t *store.Tenant) error {
		if c.ID, err = t.CreateClient(ctx, c); err != nil {
			return err
		}
		if err := t.AddClientGroups(ctx, c.ID, groupIDs(c.Groups)); err != nil {
			return err
		}
		if err := t.AddClientDates(ctx, c.ID, c.Dates); err != nil {
			return err
		}
		if err := t.AddClientTags(ctx, c.ID, c.Tags); err != nil {
			return err
		}
		if err := record(ctx, t, p, now, "client", c.ID, crm.ActionCreate, c.Name, created(clientFields(c))); err != nil {
			return err
		}
		if out, err = t.Client(ctx, c.ID); err != nil {
			return err
		}
		// Its groups, dates and tags as saved (ordered by the store), when
		// it was given any: a client without them reads none back.
		if len(c.Groups)+len(c.Dates)+len(c.Tags) == 0 {
			return nil
		}
		cs := []crm.Client{out}
		err = withExtras(ctx, t, cs)
		out = cs[0]
		return err
	})
	if err != nil {
		return crm.Client{}, err
	}
	return out, nil
}

// setClientExtras saves a client's important dates and tags.
func setClientExtras(ctx context.Context, t *store.Tenant, c crm.Client) error {
	if err := t.SetClientDates(ctx, c.ID, c.Dates); err != nil {
		return err
	}
	return t.SetClientTags(ctx, c.ID, c.Tags)
}

// Client returns one client (not in the trash).
func (s *Service) Client(ctx context.Context, id int64) (crm.Client, error) {
	_, t, sc, err := s.clientActor(ctx, authz.View)
	if err != nil {
		return crm.Client{}, err
	}
	return loadClient(ctx, t, sc, id, false)
}

// UpdateClient changes a client.
func (s *Service) UpdateClient(ctx context.Context, id int64, in ClientInput) (crm.Client, error) {
	p, t, sc, err := s.clientActor(ctx, authz.Edit)
	if err != nil {
		return crm.Client{}, err
	}
	now := s.now()
	err = t.InTx(ctx, func(t *store.Tenant) error {
		old, err := loadClient(ctx, t, sc, id, false)
		if err != nil {
			return err
		}
		c := old
		if err := s.clientFrom(ctx, t, sc, in, &c); err != nil {
			return err
		}
		c.UpdatedAt = now
		if err := t.UpdateClient(ctx, c); err != nil {
			return err
		}
		if in.GroupIDs != nil {
			if err := t.SetClientGroups(ctx, id, groupIDs(c.Groups)); err != nil {
				return err
			}
		}
		if err := setClientExtras(ctx, t, c); err != nil {
			return err
		}
		return record(ctx, t, p, now, "client", id, crm.ActionUpdate, c.Name, diff(clientFields(old), clientFields(c)))
	})
	if err != nil {
		return crm.Client{}, err
	}
	return loadClient(ctx, t, clientScope{}, id, false)
}

// DeleteClient moves a client to the trash (full access), where it stays
// ClientTrashDays days unless restored.
func (s *Service) DeleteClient(ctx context.Context, id int64) error {
	return s.setClientTrashed(ctx, id, true, authz.Full)
}

// RestoreClient takes a client back from the trash.
func (s *Service) RestoreClient(ctx context.Context, id int64) error {
	return s.setClientTrashed(ctx, id, false, authz.Edit)
}

func (s *Service) setClientTrashed(ctx context.Context, id int64, trash bool, level authz.Level) error {
	p, t, sc, err := s.clientActor(ctx, level)
	if err != nil {
		return err
	}
	now := s.now()
	return t.InTx(ctx, func(t *store.Tenant) error {
		c, err := loadClient(ctx, t, sc, id, !trash)
		if err != nil {
			return err
		}
		var at *time.Time
		action, change := crm.ActionUpdate, crm.Change{Field: "trash", Old: "true", New: "false"}
		if trash {
			at = &now
			action, change = crm.ActionDelete, crm.Change{Field: "trash", Old: "false", New: "true"}
		}
		if err := t.SetClientDeleted(ctx, id, at, now); err != nil {
			return err
		}
		return record(ctx, t, p, now, "client", id, action, c.Name, []crm.Change{change})
	})
}

// PurgeClient removes a client from the trash for good (full access).
func (s *Service) PurgeClient(ctx context.Context, id int64) error {
	p, t, sc, err := s.clientActor(ctx, authz.Full)
	if err != nil {
		return err
	}
	now := s.now()
	return t.InTx(ctx, func(t *store.Tenant) error {
		c, err := loadClient(ctx, t, sc, id, true)
		if err != nil {
			return err
		}
		return purgeClient(ctx, t, p, now, c)
	})
}

func purgeClient(ctx context.Context, t *store.Tenant, p *crm.Principal, now time.Time, c crm.Client) error {
	// Its files stay in the account, attached to nothing.
	if _, err := t.DetachClientFiles(ctx, c.ID, now); err != nil {
		return err
	}
	// So do the files of its tasks, which go with it.
	if _, err := t.DetachClientTaskFiles(ctx, c.ID, now); err != nil {
		return err
	}
	// Its documents stay too, for no client.
	if _, err := t.ClearDocumentClient(ctx, c.ID, now); err != nil {
		return err
	}
	if err := t.PurgeClient(ctx, c.ID); err != nil {
		return err
	}
	return record(ctx, t, p, now, "client", c.ID, crm.ActionDelete, c.Name, deleted(clientFields(c)))
}

// PurgeOldClients removes, in every account, the clients that have been
// in the trash longer than ClientTrashDays. Cleanup runs it.
func (s *Service) PurgeOldClients(ctx context.Context) (int, error) {
	now := s.now()
	n := 0
	for {
		cs, err := s.store.ClientsTrashedBefore(ctx, now.AddDate(0, 0, -ClientTrashDays), 100)
		if err != nil || len(cs) == 0 {
			return n, err
		}
		for _, c := range cs {
			t := s.store.Tenant(c.AccountID)
			err := t.InTx(ctx, func(t *store.Tenant) error { return purgeClient(ctx, t, nil, now, c) })
			if err != nil && crm.ErrorCode(err) != crm.CodeNotFound {
				return n, err
			}
			n++
		}
		if len(cs) < 100 {
			return n, nil
		}
	}
}

// ClientQuery is a page of the client list or of the trash.
type ClientQuery struct {
	Q          string
	Status     string
	EmployeeID int64
	BusinessID int64
	GroupID    int64
	Tag        string // only the clients with this tag
	Overdue    bool   // only the clients with an overdue planned contact
	Trash      bool
	Sort       string
	Offset     int
	Limit      int
}

// ClientCountBound is where Clients stops counting for q (see countBound):
// SearchCountMax for a search; 0, no bound, for the list without one,
// whose count is kept or read from an index.
func ClientCountBound(q ClientQuery) int {
	if strings.TrimSpace(q.Q) == "" {
		return 0
	}
	return countBound(SearchCountMax, q.Offset, q.Limit)
}

// Clients lists the clients the user may see; it returns the page and the
// number of all that match, up to ClientCountBound(q)+1.
func (s *Service) Clients(ctx context.Context, q ClientQuery) ([]crm.Client, int, error) {
	_, t, sc, err := s.clientActor(ctx, authz.View)
	if err != nil {
		return nil, 0, err
	}
	f := s.clientFilter(q, sc)
	f.Offset, f.Limit, f.CountMax = max(0, q.Offset), Page{Limit: q.Limit}.limit(), ClientCountBound(q)
	cs, total, err := t.Clients(ctx, f)
	if err != nil {
		return nil, 0, err
	}
	return cs, total, withExtras(ctx, t, cs)
}

// clientHistoryVisible refuses the history of a client the user may not
// see (a purged client's history stays to whoever may view clients).
func (s *Service) clientHistoryVisible(ctx context.Context, id int64) error {
	_, t, sc, err := s.clientActor(ctx, authz.View)
	if err != nil {
		return err
	}
	c, err := t.Client(ctx, id)
	return historyVisible(c, err, sc.own, sc.sees)
}

func (s *Service) personFrom(in ClientPersonInput, p *crm.ClientPerson) error {
	var v crm.Validation
	p.FirstName, p.LastName = cleanText(in.FirstName), cleanText(in.LastName)
	p.Role, p.Phone, p.Email = cleanText(in.Role), cleanText(in.Phone), NormalizeEmail(in.Email)
	p.Notes = cleanMultiline(in.Notes)
	if p.FirstName == "" && p.LastName == "" {
		v.Add("last_name", "err.required")
	}
	checkLen(&v, "first_name", p.FirstName, 100)
	checkLen(&v, "last_name", p.LastName, 100)
	checkLen(&v, "role", p.Role, 100)
	if p.Email != "" {
		checkEmail(&v, "email", p.Email)
	}
	if p.Phone != "" && !phoneRe.MatchString(p.Phone) {
		v.Add("phone", "err.phone_invalid")
	}
	p.Birthday = checkDate(&v, "birthday", in.Birthday, s.now())
	checkLen(&v, "notes", p.Notes, maxClientNotes)
	return v.Err()
}

func personLabel(p crm.ClientPerson) string {
	if p.Role != "" {
		return p.FullName() + " (" + p.Role + ")"
	}
	return p.FullName()
}

// ClientPersons lists a client's contact persons.
func (s *Service) ClientPersons(ctx context.Context, clientID int64) ([]crm.ClientPerson, error) {
	_, t, sc, err := s.clientActor(ctx, authz.View)
	if err != nil {
		return nil, err
	}
	if _, err := loadClient(ctx, t, sc, clientID, false); err != nil {
		return nil, err
	}
	return t.ClientPersons(ctx, clientID)
}

// CreateClientPerson adds a contact person to a client.
func (s *Service) CreateClientPerson(ctx context.Context, clientID int64, in ClientPersonInput) (crm.ClientPerson, error) {
	p, t, sc, err := s.clientActor(ctx, authz.Edit)
	if err != nil {
		return crm.ClientPerson{}, err
	}
	now := s.now()
	cp := crm.ClientPerson{AccountID: t.AccountID(), ClientID: clientID, CreatedAt: now, UpdatedAt: now}
	err = t.InTx(ctx, func(t *store.Tenant) error {
		c, err := loadClient(ctx, t, sc, clientID, false)
		if err != nil {
			return err
		}
		if err := s.personFrom(in, &cp); err != nil {
			return err
		}
		if cp.ID, err = t.CreateClientPerson(ctx, cp); err != nil {
			return err
		}
		return record(ctx, t, p, now, "client", clientID, crm.ActionUpdate, c.Name,
			[]crm.Change{{Field: "contact_person", New: personLabel(cp)}})
	})
	if err != nil {
		return crm.ClientPerson{}, err
	}
	return t.ClientPerson(ctx, clientID, cp.ID)
}

// ClientPersonInputOf turns a contact person back into its input.
func ClientPersonInputOf(p crm.ClientPerson) ClientPersonInput {
	return ClientPersonInput{FirstName: p.FirstName, LastName: p.LastName, Role: p.Role, Phone: p.Phone, Email: p.Email,
		Birthday: p.Birthday, Notes: p.Notes}
}

// ClientPerson returns one contact person of a client.
func (s *Service) ClientPerson(ctx context.Context, clientID, id int64) (crm.ClientPerson, error) {
	_, t, sc, err := s.clientActor(ctx, authz.View)
	if err != nil {
		return crm.ClientPerson{}, err
	}
	if _, err := loadClient(ctx, t, sc, clientID, false); err != nil {
		return crm.ClientPerson{}, err
	}
	return t.ClientPerson(ctx, clientID, id)
}

// UpdateClientPerson changes a contact person.
func (s *Service) UpdateClientPerson(ctx context.Context, clientID, id int64, in ClientPersonInput) (crm.ClientPerson, error) {
	p, t, sc, err := s.clientActor(ctx, authz.Edit)
	if err != nil {
		return crm.ClientPerson{}, err
	}
	now := s.now()
	err = t.InTx(ctx, func(t *store.Tenant) error {
		c, err := loadClient(ctx, t, sc, clientID, false)
		if err != nil {
			return err
		}
		old, err := t.ClientPerson(ctx, clientID, id)
		if err != nil {
			return err
		}
		cp := old
		if err := s.personFrom(in, &cp); err != nil {
			return err
		}
		if cp == old {
			return nil // nothing changed: no write, no history entry
		}
		cp.UpdatedAt = now
		if err := t.UpdateClientPerson(ctx, cp); err != nil {
			return err
		}
		// Old and New both name the person, also when only other fields
		// changed: an entry with an empty Old is a person added.
		changes := []crm.Change{{Field: "contact_person", Old: personLabel(old), New: personLabel(cp)}}
		return record(ctx, t, p, now, "client", clientID, crm.ActionUpdate, c.Name, changes)
	})
	if err != nil {
		return crm.ClientPerson{}, err
	}
	return t.ClientPerson(ctx, clientID, id)
}

// DeleteClientPerson removes a contact person (edit access: it is part of
// editing the client).
func (s *Service) DeleteClientPerson(ctx context.Context, clientID, id int64) error {
	p, t, sc, err := s.clientActor(ctx, authz.Edit)
	if err != nil {
		return err
	}
	now := s.now()
	return t.InTx(ctx, func(t *store.Tenant) error {
		c, err := loadClient(ctx, t, sc, clientID, false)
		if err != nil {
			return err
		}
		old, err := t.ClientPerson(ctx, clientID, id)
		if err != nil {
			return err
		}
		if err := t.DeleteClientPerson(ctx, clientID, id); err != nil {
			return err
		}
		return record(ctx, t, p, now, "client", clientID, crm.ActionUpdate, c.Name,
			[]crm.Change{{Field: "contact_person", Old: personLabel(old)}})
	})
}

// ClientEmployees lists the account's active employees, for choosing whom
// a client is assigned to (clients access is enough).
func (s *Service) ClientEmployees(ctx context.Context) ([]crm.Employee, error) {
	_, t, _, err := s.clientActor(ctx, authz.View)
	if err != nil {
		return nil, err
	}
	return t.ActiveEmployees(ctx)
}

// ClientEmployeeName is the name of the active employee id, as a client's
// card shows whom it is assigned to (clients access is enough); "" when
// the employee is inactive or not the account's.
func (s *Service) ClientEmployeeName(ctx context.Context, id int64) (string, error) {
	_, t, _, err := s.clientActor(ctx, authz.View)
	if err != nil {
		return "", err
	}
	e, err := t.Employee(ctx, id)
	if crm.ErrorCode(err) == crm.CodeNotFound || err == nil && !e.Active {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	return e.FullName(), nil
}

// exportBatch is how many clients an export reads at a time: memory stays
// flat however many clients are exported.
const exportBatch = MaxPageSize

// EachClient calls fn for every client the user may see that matches q (its
// Offset and Limit are ignored), in the list's order, reading them in
// batches. Each batch continues after the last client of the one before
// (keyset paging, no count), so a batch costs the same at the end of 100 000
// clients as at the start, and memory stays flat. fn's error stops the walk.
func (s *Service) EachClient(ctx context.Context, q ClientQuery, fn func(crm.Client) error) error {
	_, t, sc, err := s.clientActor(ctx, authz.View)
	if err != nil {
		return err
	}
	f := s.clientFilter(q, sc)
	f.Limit, f.NoCount = exportBatch, true
	for {
		cs, _, err := t.Clients(ctx, f)
		if err != nil {
			return err
		}
		if err := withGroups(ctx, t, cs); err != nil {
			return err
		}
		for _, c := range cs {
			if err := fn(c); err != nil {
				return err
			}
		}
		if len(cs) < exportBatch {
			return nil
		}
		f.After = &cs[len(cs)-1]
	}
}

// clientFilter is the store's reading of a client list query: one for the
// list and for the export walk, so that both select the same clients.
func (s *Service) clientFilter(q ClientQuery, sc clientScope) store.ClientFilter {
	return store.ClientFilter{Q: q.Q, Status: q.Status, EmployeeID: q.EmployeeID, BusinessID: q.BusinessID,
		GroupID: q.GroupID, Tag: CleanTag(q.Tag), Overdue: q.Overdue, Now: s.now(), OwnOnly: sc.own,
		OwnEmployee: sc.employee, Trash: q.Trash, Sort: q.Sort}
}

// ClientEmployeeNames maps the employees clients can be assigned to onto
// their names, for exports; empty when they cannot be listed.
func (s *Service) ClientEmployeeNames(ctx context.Context) map[int64]string {
	names := map[int64]string{}
	if es, err := s.ClientEmployees(ctx); err == nil {
		for _, e := range es {
			names[e.ID] = e.FullName()
		}
	}
	return names
}
