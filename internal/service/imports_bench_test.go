package service_test

import (
	"bytes"
	"context"
	"fmt"
	"testing"
	"time"

	"klientela/internal/crm"
	"klientela/internal/service"
	"klientela/internal/store"
	"klientela/internal/store/storetest"
)

// benchCSV is a file of n clients as Excel writes it: ";" and CRLF, each
// row with a valid NIP, an e-mail, a phone and an address.
func benchCSV(n int) []byte {
	var b bytes.Buffer
	b.WriteString("Nazwa;NIP;Ulica;Kod pocztowy;Miasto;E-mail;Telefon;Uwagi\r\n")
	w := []int{6, 5, 7, 2, 3, 4, 5, 6, 7}
	for i, made := 0, 0; made < n; i++ {
		digits := fmt.Sprintf("%09d", 521000000+i*7)
		sum := 0
		for k, d := range digits {
			sum += int(d-'0') * w[k]
		}
		if sum%11 == 10 {
			continue
		}
		made++
		fmt.Fprintf(&b, "Firma Handlowa Żółw nr %d Sp. z o.o.;%s%d;ul. Piotrkowska %d;90-%03d;Łódź;biuro%d@example.pl;+48 600 %06d;\"Klient z importu\r\nwiersz %d\"\r\n",
			made, digits, sum%11, made%300+1, made%1000, made, made, made)
	}
	return b.Bytes()
}

// BenchmarkClientImport50k imports 50 000 rows through the job, as the
// runner does: every row validated like the client form, checked for
// duplicates, saved in batches with its history entry. Figures go to
// docs/performance.md.
func BenchmarkClientImport50k(b *testing.B) {
	const rows = 50000
	data := benchCSV(rows)
	for _, engine := range []string{"sqlite", "postgres"} {
		b.Run(engine, func(b *testing.B) {
			for range b.N {
				b.StopTimer()
				var st *store.Store
				if engine == "sqlite" {
					st = storetest.SQLite(b)
				} else {
					st = storetest.Postgres(b)
				}
				e := newImportEnv(b, st)
				im, err := e.svc.CreateClientImport(e.ctx, service.NewClientImport{FileName: "duzy.csv", Data: data,
					Start: &service.ImportOptions{}})
				if err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				start := time.Now()
				if _, err := e.svc.RunNextJob(context.Background(), "bench"); err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(time.Since(start).Seconds(), "s/import")
				b.StopTimer()
				im, err = e.svc.ClientImport(e.ctx, im.ID)
				if err != nil || im.Job.State != crm.JobDone || im.Job.Percent() != 100 || im.Result.Created != rows {
					b.Fatalf("import: job %+v, created %d, skipped %d, first problems %+v, %v", im.Job.State, im.Result.Created, im.Result.Skipped, im.Result.Problems[:min(3, len(im.Result.Problems))], err)
				}
				b.StartTimer()
			}
		})
	}
}
