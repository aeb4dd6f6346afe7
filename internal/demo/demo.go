// Package demo fills an ordinary account with realistic Polish data: company
// clients with valid NIP and REGON, persons with valid PESEL (matching their
// birthday and sex), addresses with postal codes of their city, contact
// persons, client groups, employees, users with the permission presets, and
// planned contacts in the past (done, with outcomes, and a few overdue) and
// in the future. It is deterministic for a seed and a "now".
//
// The account is created through the service (as sign-up does) and so are
// the few employees, users and groups; clients and planned contacts, which
// may be hundreds of thousands, go in through the store's bulk inserts in
// big transactions, each row as the service would write it. Nothing here is
// a code path of the product's request handling.
//
// Tasks go in through the store's bulk insert too (checked as the service
// checks them: see CheckTaskRecurrence); task groups and the few documents
// and templates through the service. Run calls one step per section in
// order.
package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"klientela/internal/authz"
	"klientela/internal/crm"
	"klientela/internal/i18n"
	"klientela/internal/plid"
	"klientela/internal/search"
	"klientela/internal/service"
	"klientela/internal/store"
)

// Options size the demo. Zero values take the defaults: a small, pleasant
// account of about 200 clients.
type Options struct {
	Company   string // the account's name
	Owner     string // the owner's name
	Email     string // the owner's login
	Password  string
	Clients   int
	Contacts  int // planned contacts
	Tasks     int // tasks (a few of them repeating series)
	Documents int // documents, the templates among them
	Employees int
	Seed      uint64
	Now       time.Time // "today" for birthdays and contacts; default time.Now()
	Log       func(format string, args ...any)
}

// Defaults of Options.
const (
	DefaultClients   = 200
	DefaultContacts  = 600
	DefaultEmployees = 8
	DefaultDocuments = 30
	DefaultSeed      = 2026
)

func (o *Options) defaults() {
	if o.Company == "" {
		o.Company = "Hurtownia Żuraw Sp. z o.o."
	}
	if o.Owner == "" {
		o.Owner = "Jan Żurawski"
	}
	if o.Clients <= 0 {
		o.Clients = DefaultClients
	}
	if o.Contacts < 0 {
		o.Contacts = 0
	} else if o.Contacts == 0 {
		o.Contacts = 3 * o.Clients
	}
	if o.Tasks < 0 {
		o.Tasks = 0
	} else if o.Tasks == 0 {
		o.Tasks = 3 * o.Clients / 2
	}
	if o.Documents < 0 {
		o.Documents = 0
	} else if o.Documents == 0 {
		o.Documents = DefaultDocuments
	}
	if o.Employees <= 0 {
		o.Employees = DefaultEmployees
	}
	if o.Seed == 0 {
		o.Seed = DefaultSeed
	}
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	if o.Log == nil {
		o.Log = func(string, ...any) {}
	}
}

// Result says what was created.
type Result struct {
	Account    crm.Account
	Owner      crm.User
	Employees  []crm.Employee
	Users      []crm.User // besides the owner, one per preset
	Groups     []crm.ClientGroup
	Clients    int
	Persons    int
	Contacts   int
	TaskGroups []crm.TaskGroup
	Tasks      int
	Documents  int            // the templates among them
	Templates  []crm.Document // with merge fields
}

// userEmail is the login of the demo's user with a preset: the owner's
// address with "+preset" (the password is the owner's, so that one can try
// every preset).
func userEmail(preset, ownerEmail string) string {
	local, domain, ok := strings.Cut(ownerEmail, "@")
	if !ok {
		return preset + "@" + ownerEmail
	}
	return local + "+" + preset + "@" + domain
}

// batch is how many clients, contacts or tasks one transaction writes. On
// SQLite each transaction adds a segment to a search index (see
// store.insertStaged), so few big ones leave little for Optimize to merge:
// 100 000 clients in two, 300 000 tasks in six.
const batch = 50000

// Run creates the account and fills it.
func Run(ctx context.Context, svc *service.Service, st *store.Store, o Options) (Result, error) {
	o.defaults()
	g := &gen{r: rand.New(rand.NewPCG(o.Seed, o.Seed^0x9e3779b97f4a7c15)), o: o}
	var res Result
	var err error
	res.Account, res.Owner, err = svc.CreateAccount(ctx, service.SignUpInput{CompanyName: o.Company, Name: o.Owner,
		Email: o.Email, Password: o.Password, Locale: string(i18n.PL)})
	if err != nil {
		return res, err
	}
	ctx = crm.WithPrincipal(ctx, &crm.Principal{User: res.Owner, Account: res.Account})
	t := st.Tenant(res.Account.ID)
	steps := []struct {
		name string
		fn   func(context.Context, *service.Service, *store.Tenant, *Result) error
	}{
		{"employees and users", g.team},
		{"client groups", g.groups},
		{"clients", g.clients},
		{"planned contacts", g.contacts},
		{"task groups", g.taskGroups},
		{"tasks", g.tasks},
		{"documents", g.documents},
	}
	err = st.BulkLoad(ctx, func() error {
		for _, s := range steps {
			start := time.Now()
			if err := s.fn(ctx, svc, t, &res); err != nil {
				return fmt.Errorf("demo: %s: %w", s.name, err)
			}
			o.Log("%s: %v", s.name, time.Since(start).Round(time.Millisecond))
		}
		// Inside the bulk load: its bigger cache holds the indexes that
		// ANALYZE reads and the segments the search index merges (16.5 s
		// after it, 8.5 s inside, at 100 000 clients).
		start := time.Now()
		if err := st.Optimize(ctx); err != nil {
			return err
		}
		o.Log("statistics: %v", time.Since(start).Round(time.Millisecond))
		return nil
	})
	return res, err
}

// gen draws the data; one per Run.
type gen struct {
	r *rand.Rand
	o Options
	// clientIDs and clientEmp are the created clients and their employees
	// (index into Result.Employees, -1 for none), for the contacts.
	clientIDs []int64
	clientEmp []int
}

func (g *gen) pick(list []string) string { return list[g.r.IntN(len(list))] }

func (g *gen) chance(p float64) bool { return g.r.Float64() < p }

// person draws a first and last name of one sex.
func (g *gen) person() (first, last string, female bool) {
	female = g.chance(0.5)
	last = g.pick(lastNames)
	if female {
		first = g.pick(femaleFirst)
		for _, suf := range []string{"ski", "cki", "dzki"} {
			if strings.HasSuffix(last, suf) {
				last = strings.TrimSuffix(last, "i") + "a"
				break
			}
		}
	} else {
		first = g.pick(maleFirst)
	}
	return first, last, female
}

// ascii turns a name into the letters of an e-mail address.
func ascii(s string) string {
	f := search.Fold(s)
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			return r
		}
		if r == ' ' || r == '-' || r == '.' {
			return '.'
		}
		return -1
	}, f)
}

func (g *gen) mobile() string {
	return fmt.Sprintf("+48 %d%02d %03d %03d", 5+g.r.IntN(4), g.r.IntN(100), g.r.IntN(1000), g.r.IntN(1000))
}

func (g *gen) landline() string {
	return fmt.Sprintf("+48 %02d %03d %02d %02d", 12+g.r.IntN(80), g.r.IntN(1000), g.r.IntN(100), g.r.IntN(100))
}

func (g *gen) address() (street, postal, cityName string) {
	c := cities[g.r.IntN(len(cities))]
	code := c.from + g.r.IntN(c.to-c.from+1)
	street = "ul. " + g.pick(streets) + " " + fmt.Sprint(1+g.r.IntN(180))
	if g.chance(0.4) {
		street += "/" + fmt.Sprint(1+g.r.IntN(60))
	}
	return street, fmt.Sprintf("%02d-%03d", code/1000, code%1000), c.name
}

func (g *gen) nip() string {
	for {
		first9 := fmt.Sprintf("%d%08d", 1+g.r.IntN(9), g.r.IntN(100000000))
		if nip, ok := plid.CompleteNIP(first9); ok {
			return nip
		}
	}
}

func (g *gen) regon() string { return plid.CompleteREGON(fmt.Sprintf("%08d", g.r.IntN(100000000))) }

// birth draws a birth date of an adult, 20 to 75 years before now.
func (g *gen) birth() time.Time {
	now := g.o.Now
	from := time.Date(now.Year()-75, 1, 1, 0, 0, 0, 0, time.UTC)
	days := 55 * 365
	return from.AddDate(0, 0, g.r.IntN(days))
}

func (g *gen) team(ctx context.Context, svc *service.Service, t *store.Tenant, res *Result) error {
	used := map[string]bool{}
	for i := range g.o.Employees {
		first, last, _ := g.person()
		for used[first+last] {
			first, last, _ = g.person()
		}
		used[first+last] = true
		e, err := svc.CreateEmployee(ctx, service.EmployeeInput{FirstName: first, LastName: last,
			Position: positions[i%len(positions)], Email: ascii(first) + "." + ascii(last) + "@" + domainOf(g.o.Email),
			Phone: g.mobile(), Commission: fmt.Sprintf("%d,5", 2+i%8), Color: employeeColors[i%len(employeeColors)],
			Active: i == 0 || i%9 != 8})
		if err != nil {
			return err
		}
		res.Employees = append(res.Employees, e)
	}
	// The owner works as the first employee: "Moje kontakty" is theirs.
	emp := &res.Employees[0].ID
	if _, err := svc.UpdateUser(ctx, res.Owner.ID, service.UserInput{EmployeeID: &emp}); err != nil {
		return err
	}
	for i, p := range authz.Presets {
		email, name, scope := userEmail(p.Key, g.o.Email), "", p.Scope.Raw()
		in := service.UserInput{Email: &email, Name: &name, Password: g.o.Password, Scope: &scope}
		// The salesperson and the manager are employees; the others are
		// the office.
		if e := i + 1; (p.Key == "sales" || p.Key == "manager") && e < len(res.Employees) && res.Employees[e].Active {
			name = res.Employees[e].FullName()
			id := &res.Employees[e].ID
			in.EmployeeID = &id
		} else {
			first, last, _ := g.person()
			name = first + " " + last
		}
		u, err := svc.CreateUser(ctx, in)
		if err != nil {
			return fmt.Errorf("user %s: %w", email, err)
		}
		res.Users = append(res.Users, u)
	}
	return nil
}

var employeeColors = []string{"#2f5bea", "#059669", "#d97706", "#7c3aed", "#db2777", "#0891b2", "#b91c1c", "#4b5563"}

func domainOf(email string) string {
	if _, d, ok := strings.Cut(email, "@"); ok && d != "" {
		return d
	}
	return "example.pl"
}

func (g *gen) groups(ctx context.Context, svc *service.Service, _ *store.Tenant, res *Result) error {
	for _, d := range groupDefs {
		gr, err := svc.CreateClientGroup(ctx, service.ClientGroupInput{Name: d.name, Color: d.color})
		if err != nil {
			return err
		}
		res.Groups = append(res.Groups, gr)
	}
	return nil
}

// client draws one client with its contact persons and groups.
func (g *gen) client(res *Result, created time.Time) (store.ClientRecord, int) {
	var c crm.Client
	c.Status = []crm.ClientStatus{crm.ClientActive, crm.ClientActive, crm.ClientActive, crm.ClientPotential,
		crm.ClientInactive}[g.r.IntN(5)]
	c.Street, c.PostalCode, c.City = g.address()
	c.Country = "PL"
	c.CreatedAt, c.UpdatedAt = created, created
	var persons []crm.ClientPerson
	if g.chance(0.6) {
		c.Kind = crm.KindCompany
		kind, name := g.pick(companyKinds), g.pick(companyNames)
		if g.chance(0.3) {
			_, last, _ := g.person()
			name = last
		}
		c.ShortName = name
		c.Name = strings.TrimSpace(kind + " " + name + " " + g.pick(legalForms))
		c.NIP = g.nip()
		if g.chance(0.8) {
			c.REGON = g.regon()
		}
		domain := ascii(name) + ".pl"
		domain = strings.ReplaceAll(domain, "..", ".")
		c.Emails = []string{[]string{"biuro@", "kontakt@", "sekretariat@", "info@"}[g.r.IntN(4)] + domain}
		c.Phones = []string{g.landline()}
		if g.chance(0.3) {
			c.Phones = append(c.Phones, g.mobile())
		}
		if g.chance(0.5) {
			c.Website = "https://www." + domain
		}
		for range g.r.IntN(4) {
			first, last, _ := g.person()
			p := crm.ClientPerson{FirstName: first, LastName: last, Role: g.pick(personRoles),
				Email: ascii(first)[:1] + "." + ascii(last) + "@" + domain, CreatedAt: created, UpdatedAt: created}
			if g.chance(0.8) {
				p.Phone = g.mobile()
			}
			if g.chance(0.2) {
				p.Birthday = g.birth().Format(time.DateOnly)
			}
			persons = append(persons, p)
		}
	} else {
		c.Kind = crm.KindPerson
		first, last, female := g.person()
		c.FirstName, c.LastName, c.Name = first, last, last+" "+first
		birth := g.birth()
		c.Birthday = birth.Format(time.DateOnly)
		if g.chance(0.7) {
			c.PESEL = plid.MakePESEL(birth, g.r.IntN(1000), g.r.IntN(10), female)
		}
		c.Emails = []string{ascii(first) + "." + ascii(last) + fmt.Sprint(g.r.IntN(100)) + "@" + g.pick(emailDomains)}
		c.Phones = []string{g.mobile()}
		if g.chance(0.2) {
			c.NIP = g.nip() // a sole trader
		}
	}
	emp := -1
	if g.chance(0.9) {
		emp = g.activeEmployee(res)
		c.EmployeeID = &res.Employees[emp].ID
	}
	var groups []int64
	for _, gr := range res.Groups {
		if g.chance(0.12) {
			groups = append(groups, gr.ID)
		}
	}
	return store.ClientRecord{Client: c, Persons: persons, GroupIDs: groups}, emp
}

// activeEmployee draws an active employee (an index into res.Employees);
// the first one is always active.
func (g *gen) activeEmployee(res *Result) int {
	for range 10 {
		if e := g.r.IntN(len(res.Employees)); res.Employees[e].Active {
			return e
		}
	}
	return 0
}

func (g *gen) clients(ctx context.Context, _ *service.Service, t *store.Tenant, res *Result) error {
	n := g.o.Clients
	g.clientIDs, g.clientEmp = make([]int64, 0, n), make([]int, 0, n)
	recs := make([]store.ClientRecord, 0, min(n, batch))
	emps := make([]int, 0, min(n, batch))
	// Clients arrive over the last three years, oldest first.
	span := 3 * 365 * 24 * time.Hour
	start := g.o.Now.Add(-span)
	flush := func() error {
		var ids []int64
		err := t.InTx(ctx, func(t *store.Tenant) error {
			var err error
			ids, err = t.InsertClients(ctx, recs)
			return err
		})
		if err != nil {
			return err
		}
		for _, r := range recs {
			res.Persons += len(r.Persons)
		}
		g.clientIDs = append(g.clientIDs, ids...)
		g.clientEmp = append(g.clientEmp, emps...)
		recs, emps = recs[:0], emps[:0]
		return nil
	}
	for i := range n {
		created := start.Add(time.Duration(int64(span) / int64(n) * int64(i))).Truncate(time.Second)
		r, emp := g.client(res, created)
		recs, emps = append(recs, r), append(emps, emp)
		if len(recs) == batch {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if len(recs) > 0 {
		if err := flush(); err != nil {
			return err
		}
	}
	res.Clients = len(g.clientIDs)
	return nil
}

// window is how many days n planned contacts or tasks spread over: base
// days, or more when there are so many that each employee would have more
// than about six a working day (a firm with 300 000 tasks has them over
// years, not months), up to five years.
func (g *gen) window(n, base int) int {
	days := n * 7 / 5 / (6 * max(1, g.o.Employees))
	return max(base, min(days, 5*365))
}

// contact draws a planned contact of one client: 70 % in the last 180
// days (done, with an outcome, but for a few overdue of the last two
// weeks), the rest in the next 60 days; a longer window of the same shape
// for many contacts (see window).
func (g *gen) contact(res *Result, loc *time.Location) crm.PlannedContact {
	k := g.r.IntN(len(g.clientIDs))
	emp := g.clientEmp[k]
	if emp < 0 || g.chance(0.1) {
		emp = g.activeEmployee(res)
	}
	today := g.o.Now.In(loc)
	span := g.window(g.o.Contacts, 240)
	past := span * 3 / 4
	day := -past + g.r.IntN(past)
	if g.chance(0.3) {
		day = g.r.IntN(span - past + 1)
	}
	d := time.Date(today.Year(), today.Month(), today.Day()+day, 8+g.r.IntN(9), 15*g.r.IntN(4), 0, 0, loc)
	if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
		d = d.AddDate(0, 0, map[time.Weekday]int{time.Saturday: 2, time.Sunday: 1}[wd])
	}
	c := crm.PlannedContact{ClientID: g.clientIDs[k], EmployeeID: res.Employees[emp].ID, At: d.UTC(),
		Channel: crm.ContactChannels[g.r.IntN(len(crm.ContactChannels))], Subject: g.pick(subjects),
		Status: crm.ContactPlanned}
	c.CreatedAt = c.At.AddDate(0, 0, -1-g.r.IntN(14)).Truncate(time.Second)
	c.UpdatedAt = c.CreatedAt
	// A tenth of the last fortnight's contacts are still to do (overdue);
	// the older ones are all done.
	overdue := g.o.Now.Sub(c.At) < 14*24*time.Hour && g.chance(0.1)
	if c.At.Before(g.o.Now) && !overdue {
		c.Status = crm.ContactDone
		c.Outcome = []crm.ContactOutcome{crm.OutcomeSuccess, crm.OutcomeSuccess, crm.OutcomeNoAnswer,
			crm.OutcomePostponed, crm.OutcomeRefused}[g.r.IntN(5)]
		c.OutcomeNote = g.pick(outcomeNotes[string(c.Outcome)])
		done := c.At.Add(time.Duration(5+g.r.IntN(120)) * time.Minute)
		if done.After(g.o.Now) {
			done = g.o.Now
		}
		done = done.Truncate(time.Second)
		c.DoneAt, c.UpdatedAt = &done, done
	}
	return c
}

func (g *gen) contacts(ctx context.Context, _ *service.Service, t *store.Tenant, res *Result) error {
	if len(g.clientIDs) == 0 {
		return nil
	}
	cs := make([]crm.PlannedContact, 0, min(g.o.Contacts, batch))
	flush := func() error {
		if err := t.InTx(ctx, func(t *store.Tenant) error { return t.InsertContacts(ctx, cs, g.o.Now) }); err != nil {
			return err
		}
		res.Contacts += len(cs)
		cs = cs[:0]
		return nil
	}
	loc, err := i18n.LoadZone(i18n.DefaultZone)
	if err != nil {
		loc = time.UTC
	}
	for range g.o.Contacts {
		cs = append(cs, g.contact(res, loc))
		if len(cs) == batch {
			// In time order, each batch walks the time indexes once
			// instead of jumping about them.
			slices.SortStableFunc(cs, func(a, b crm.PlannedContact) int { return a.At.Compare(b.At) })
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if len(cs) > 0 {
		slices.SortStableFunc(cs, func(a, b crm.PlannedContact) int { return a.At.Compare(b.At) })
		return flush()
	}
	return nil
}
