package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"net/url"
	"syscall"
	"testing"
	"time"

	"klientela/internal/app/apptest"
	"klientela/internal/crm"
	"klientela/internal/store"
)

// Calendar benchmark data: 300 000 planned contacts of 20 employees spread
// evenly over ten years (2021–2030: about 2 500 a month, 6 a working day
// per employee), 1 000 clients of whom every fifth has a birthday and
// every tenth an important date, and 300 000 tasks as BenchmarkTasks seeds
// them (three years around now, 1 in 100 weekly without end).
const (
	benchContacts     = 300_000
	benchTasks        = 300_000
	calendarEmployees = 20
	benchCalClients   = 1_000
)

var benchSpanFrom = time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)

// BenchmarkCalendar measures, at 8 concurrent clients, a month of the
// calendar for the whole firm and for one employee (the target: p99 under
// 30 ms server time) and the iCalendar feed of one employee's user (under
// 100 ms), with 300 000 planned contacts and 300 000 tasks in the account.
func BenchmarkCalendar(b *testing.B) {
	for _, engine := range apptest.Engines {
		b.Run(engine, func(b *testing.B) {
			srv := apptest.Start(b, engine)
			session, owner := benchFirm(b, srv, "Hurtownia Kalendarz")
			start := time.Now()
			emps := seedCalendar(b, srv.Store.Tenant(owner.AccountID))
			b.Logf("%s: seeded %d contacts in %s", engine, benchContacts, time.Since(start).Round(time.Millisecond))
			start = time.Now()
			seedTasks(b, srv.Store.Tenant(owner.AccountID), benchTasks)
			b.Logf("%s: seeded %d tasks in %s", engine, benchTasks, time.Since(start).Round(time.Millisecond))

			// An employee's user who sees only their own contacts, tasks and
			// clients, with a feed.
			tok := srv.Token("bench@example.pl", "bardzo-tajne-haslo-42")
			if res, body := srv.JSON("POST", "/api/v1/users", tok, map[string]any{"email": "handlowiec@example.pl", "name": "Handlowiec",
				"password": "bardzo-tajne-haslo-42", "employee_id": emps[0], "own_only": []string{"contacts", "clients", "tasks"},
				"permissions": map[string]string{"calendar": "view", "contacts": "edit", "clients": "view", "tasks": "edit"}}); res.StatusCode != 201 {
				b.Fatalf("user: %d %s", res.StatusCode, body)
			}
			res, body := srv.JSON("POST", "/api/v1/me/calendar-feed", srv.Token("handlowiec@example.pl", "bardzo-tajne-haslo-42"), nil)
			var feed struct{ URL string }
			if res.StatusCode != 201 || json.Unmarshal([]byte(body), &feed) != nil {
				b.Fatalf("feed: %d %s", res.StatusCode, body)
			}
			feedURL, _ := url.Parse(feed.URL)

			timed := &timingHandler{h: srv.Handler}
			hs := httptest.NewServer(timed)
			b.Cleanup(hs.Close)
			// The month view of March 2026: six weeks, as the page asks for
			// it (at most 3 items a day and "+N"), and the whole list (one
			// employee's; the firm's holds more than a list may).
			month := "/calendar/events?from=2026-02-23T00:00:00Z&to=2026-04-06T00:00:00Z"
			capped := month + "&per_day=3"
			// The month at 8 concurrent clients like the other pages; the feed
			// also at one client, the way one calendar program polls it.
			for _, c := range []struct {
				name, path, want string
				clients          int
			}{
				{"month-firm", capped, `"kind":"more"`, benchClients},
				{"month-firm-1client", capped, `"kind":"more"`, 1},
				{"month-employee", capped + "&employee_id=" + fmt.Sprint(emps[3]), `"kind":"task"`, benchClients},
				{"month-employee-1client", capped + "&employee_id=" + fmt.Sprint(emps[3]), `"kind":"task"`, 1},
				{"month-employee-all-1client", month + "&employee_id=" + fmt.Sprint(emps[3]), `"kind":"task"`, 1},
				{"feed-employee", feedURL.Path, "END:VCALENDAR", benchClients},
				{"feed-employee-1client", feedURL.Path, "END:VCALENDAR", 1},
			} {
				b.Run(c.name, func(b *testing.B) {
					var size int
					cpu := processCPU()
					runPageBenchN(b, c.clients, hs.URL+c.path, session, timed, func(body []byte) bool {
						size = len(body)
						return bytes.Contains(body, []byte(c.want))
					})
					// CPU per request (server and the in-process clients), which
					// the other engineers' load on the shared cores does not inflate
					// as it does the latencies.
					b.ReportMetric(float64(processCPU()-cpu)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
					b.ReportMetric(float64(size)/1000, "kB")
				})
			}
		})
	}
}

// processCPU is the CPU time (user and system) the process has used.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// seedCalendar adds the employees, clients and contacts of the benchmark
// and returns the employees.
func seedCalendar(b *testing.B, t *store.Tenant) []int64 {
	b.Helper()
	ctx := context.Background()
	now := time.Now()
	colors := []string{"#e4572e", "#17bebb", "#76b041", "#ffc914", "#2e282a"}
	var emps, clients []int64
	err := t.InTx(ctx, func(t *store.Tenant) error {
		for i := range calendarEmployees {
			id, err := t.CreateEmployee(ctx, crm.Employee{FirstName: benchFirst[i%len(benchFirst)], LastName: benchLast[i%len(benchLast)],
				Color: colors[i%len(colors)], Active: true, CreatedAt: now, UpdatedAt: now})
			if err != nil {
				return err
			}
			emps = append(emps, id)
		}
		for i := range benchCalClients {
			emp := emps[i%len(emps)]
			c := crm.Client{Kind: crm.KindCompany, Name: fmt.Sprintf("Klient %04d sp. z o.o.", i), Country: "PL",
				Status: crm.ClientActive, EmployeeID: &emp, CreatedAt: now, UpdatedAt: now}
			if i%5 == 0 {
				c.Kind, c.Birthday = crm.KindPerson, time.Date(1960+i%40, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i%365).Format(time.DateOnly)
			}
			id, err := t.CreateClient(ctx, c)
			if err != nil {
				return err
			}
			clients = append(clients, id)
			if i%10 == 0 {
				if err := t.SetClientDates(ctx, id, []crm.ClientDate{{Name: "Rocznica współpracy", Yearly: true,
					Date: time.Date(2010+i%15, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i%365).Format(time.DateOnly)}}); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	step := time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC).Sub(benchSpanFrom) / benchContacts
	const batch = 10_000
	for from := 0; from < benchContacts; from += batch {
		err := t.InTx(ctx, func(t *store.Tenant) error {
			for i := from; i < min(from+batch, benchContacts); i++ {
				at := benchSpanFrom.Add(time.Duration(i) * step).Truncate(time.Minute)
				c := crm.PlannedContact{ClientID: clients[i%len(clients)], EmployeeID: emps[i%len(emps)], At: at,
					Channel: crm.ContactChannels[i%len(crm.ContactChannels)], Subject: "Rozmowa handlowa", Status: crm.ContactPlanned,
					CreatedAt: now, UpdatedAt: now}
				if at.Before(now) {
					c.Status, c.Outcome, c.DoneAt = crm.ContactDone, crm.OutcomeSuccess, &at
				}
				if _, err := t.CreateContact(ctx, c); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	return emps
}
