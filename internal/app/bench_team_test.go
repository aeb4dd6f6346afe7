package app_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"klientela/internal/app/apptest"
	"klientela/internal/crm"
	"klientela/internal/store"
)

// Polish names for seeded employees.
var (
	benchFirst = []string{"Anna", "Piotr", "Katarzyna", "Krzysztof", "Małgorzata", "Tomasz", "Agnieszka", "Paweł", "Łucja", "Żaneta"}
	benchLast  = []string{"Nowak", "Kowalski", "Wiśniewska", "Wójcik", "Kowalczyk", "Kamiński", "Lewandowska", "Zieliński", "Szymańska", "Woźniak", "Dąbrowski", "Kozłowska", "Jankowski", "Mazur", "Kwiatkowska", "Krawczyk", "Piotrowski", "Grabowska", "Nowakowski", "Pawłowska"}
)

// BenchmarkEmployees measures the employee list with 500 employees in the
// account (the target: p99 under 10 ms), 8 concurrent clients: the
// first page, a diacritics-insensitive search, and a later page.
func BenchmarkEmployees(b *testing.B) {
	for _, engine := range apptest.Engines {
		b.Run(engine, func(b *testing.B) {
			srv := apptest.Start(b, engine)
			session, owner := benchFirm(b, srv, "Hurtownia Bench")
			seedEmployees(b, srv.Store.Tenant(owner.AccountID), 500)

			runPages(b, srv, session, []benchPage{
				{"list", "/employees", "1–50 z 500"},
				{"search", "/employees?q=lukasz+wisniewska", "Wiśniewska"},
				{"page-8", "/employees?page=8&sort=-name", "351–400 z 500"},
			})
		})
	}
}

func seedEmployees(b *testing.B, t *store.Tenant, n int) {
	b.Helper()
	now := time.Now()
	err := t.InTx(context.Background(), func(t *store.Tenant) error {
		for i := range n {
			first, last := benchFirst[i%len(benchFirst)], benchLast[(i/len(benchFirst))%len(benchLast)]
			if i%7 == 0 {
				first = "Łukasz"
			}
			_, err := t.CreateEmployee(context.Background(), crm.Employee{FirstName: first, LastName: last,
				Position: "Handlowiec", Email: fmt.Sprintf("p%d@hurtownia.pl", i), Phone: fmt.Sprintf("+48 600 %03d %03d", i/1000, i%1000),
				CommissionBP: 500, Color: "#2f5bea", Active: i%10 != 0, CreatedAt: now, UpdatedAt: now})
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
}
