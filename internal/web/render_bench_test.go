package web

import (
	"fmt"
	"net/http/httptest"
	"net/url"
	"testing"

	"klientela/internal/crm"
	"klientela/internal/i18n"
)

// BenchmarkRenderEmployees renders the employee list page with 50 rows, the
// largest part of that page's server time.
var benchRows = 50

func BenchmarkRenderEmployees(b *testing.B) {
	a, err := newAssets()
	if err != nil {
		b.Fatal(err)
	}
	p, err := parsePages(a)
	if err != nil {
		b.Fatal(err)
	}
	cat := i18n.MustLoad()
	zone, _ := i18n.LoadZone("")
	pr := &crm.Principal{User: crm.User{ID: 1, Name: "Jan Kowalski", Email: "jan@example.pl", Role: crm.RoleOwner, Active: true},
		Account: crm.Account{ID: 1, Name: "Hurtownia Żuraw", TimeZone: "Europe/Warsaw"}}
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
