package web

import (
	"fmt"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"klientela/internal/crm"
	"klientela/internal/i18n"
)

// benchPages parses the pages and gives the catalog and an owner to render
// them for.
func benchPages(b testing.TB) (*pages, *i18n.Catalog, *crm.Principal) {
	b.Helper()
	a, err := newAssets()
	if err != nil {
		b.Fatal(err)
	}
	p, err := parsePages(a)
	if err != nil {
		b.Fatal(err)
	}
	return p, i18n.MustLoad(), &crm.Principal{User: crm.User{ID: 1, Name: "Jan Kowalski", Email: "jan@example.pl", Role: crm.RoleOwner, Active: true},
		Account: crm.Account{ID: 1, Name: "Hurtownia Żuraw", TimeZone: "Europe/Warsaw"}}
}

// BenchmarkRenderEmployees renders the employee list page with 50 rows, the
// largest part of that page's server time.
var benchRows = 50

func BenchmarkRenderEmployees(b *testing.B) {
	p, cat, pr := benchPages(b)
	zone, _ := i18n.LoadZone("")
	var items []crm.Employee
	for i := range benchRows {
		items = append(items, crm.Employee{ID: int64(i + 1), FirstName: "Łukasz", LastName: fmt.Sprintf("Wiśniewski %d", i),
			Position: "Handlowiec", Email: fmt.Sprintf("p%d@hurtownia.pl", i), Phone: "+48 600 100 200", Color: "#2f5bea", Active: true})
	}
	q := url.Values{}
	h := &Web{nav: navigation()}
	v := &View{L: cat.For(i18n.PL), Lang: i18n.PL, Langs: i18n.Supported, P: pr, Zone: zone, Here: "/employees", Section: "employees", Sub: "employees"}
	v.Nav = h.navFor(pr, "employees", v.L)
	v.Data = EmployeesData{Items: items, Pager: newPager("/employees", q, 500, 1, 50),
		Sorts: map[string]SortLink{"name": sortLink("/employees", q, "name", "name"), "position": sortLink("/employees", q, "name", "position")}}
	b.ReportAllocs()
	for b.Loop() {
		w := httptest.NewRecorder()
		if err := p.render(w, 200, "employees", v); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRenderEmployeesEmpty(b *testing.B) {
	benchRows = 0
	defer func() { benchRows = 50 }()
	BenchmarkRenderEmployees(b)
}

// BenchmarkRenderMyContacts renders the "Moje kontakty" queue with
// queueRows contacts, each with its complete form.
var queueRows = 100

func BenchmarkRenderMyContacts(b *testing.B) {
	p, cat, pr := benchPages(b)
	zone, _ := i18n.LoadZone("Europe/Warsaw")
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	var items []crm.PlannedContact
	for i := range queueRows {
		items = append(items, crm.PlannedContact{ID: int64(i + 1), ClientID: int64(1000 + i), ClientName: fmt.Sprintf("Piekarnia Łódź %d", i),
			PersonName: "Anna Wiśniewska", Channel: crm.ContactChannels[i%len(crm.ContactChannels)], Subject: "Oferta na grudzień",
			At: now.Add(time.Duration(i-queueRows/2) * 10 * time.Minute), Status: crm.ContactPlanned})
	}
	h := &Web{nav: navigation()}
	v := &View{L: cat.For(i18n.PL), Lang: i18n.PL, Langs: i18n.Supported, P: pr, Zone: zone, Here: "/contacts/mine", Section: "contacts"}
	v.Nav = h.navFor(pr, "contacts", v.L)
	v.Data = myContactsData(v, items, now, false, "")
	b.ReportAllocs()
	for b.Loop() {
		w := httptest.NewRecorder()
		if err := p.render(w, 200, "contacts_mine", v); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRenderClients renders the client list page as the load
// benchmark's owner sees it at 100 000 clients: 50 rows with groups, tags,
// phones and e-mails, the bulk form, 50 employees and 8 groups in the
// filters.
func BenchmarkRenderClients(b *testing.B) {
	p, cat, pr := benchPages(b)
	zone, _ := i18n.LoadZone("Europe/Warsaw")
	h := &Web{nav: navigation()}
	v := &View{L: cat.For(i18n.PL), Lang: i18n.PL, Langs: i18n.Supported, P: pr, Zone: zone, Here: "/clients", Section: "clients"}
	v.Nav = h.navFor(pr, "clients", v.L)
	q := url.Values{}
	d := ClientsData{Statuses: clientStatusOptions(v, v.T("clients.status.all")), Here: "/clients",
		Pager: newCappedPager("/clients", q, 100001, 100000, 1, clientsPerPage),
		Sorts: map[string]SortLink{"name": sortLink("/clients", q, "name", "name"), "city": sortLink("/clients", q, "name", "city")}}
	d.Employees = []Option{{Value: "", Label: v.T("clients.all_employees")}}
	for i := range 50 {
		d.Employees = append(d.Employees, Option{Value: fmt.Sprint(i + 1), Label: fmt.Sprintf("Łukasz Wiśniewski %d", i)})
	}
	d.Groups = []Option{{Value: "", Label: v.T("clientgroups.all")}}
	var groups []crm.ClientGroup
	for i := range 8 {
		o := Option{Value: fmt.Sprint(i + 1), Label: fmt.Sprintf("Grupa %d", i)}
		d.Groups, d.BulkGroups = append(d.Groups, o), append(d.BulkGroups, o)
		groups = append(groups, crm.ClientGroup{ID: int64(i + 1), Name: o.Label, Color: "#2f5bea"})
	}
	for i := range 20 {
		d.Tags = append(d.Tags, fmt.Sprintf("tag%d", i))
	}
	for i := range clientsPerPage {
		d.Items = append(d.Items, crm.Client{ID: int64(i + 1), Kind: crm.KindCompany, Name: fmt.Sprintf("Piekarnia Łódź %d sp. z o.o.", i),
			ShortName: "Piekarnia", City: "Łódź", Emails: []string{fmt.Sprintf("biuro%d@piekarnia.pl", i)}, Phones: []string{"+48 600 100 200"},
			Status: crm.ClientStatuses[i%len(crm.ClientStatuses)], Groups: groups[i%8 : i%8+1], Tags: []string{"hurt"}})
	}
	if benchRows == 0 {
		d.Items = d.Items[:1] // the page without its rows (one keeps the table)
	}
	v.Data = d
	b.ReportAllocs()
	for b.Loop() {
		w := httptest.NewRecorder()
		if err := p.render(w, 200, "clients", v); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRenderClientsOneRow(b *testing.B) {
	benchRows = 0
	defer func() { benchRows = 50 }()
	BenchmarkRenderClients(b)
}
