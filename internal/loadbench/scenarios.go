package loadbench

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"sync/atomic"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"klientela/internal/plid"
)

// Target is a scenario's limit on p99 (the targets at 8 clients);
// the bodies must hold want and the status must be status.
type scenario struct {
	name   string
	target time.Duration // p99 at concurrency 8; 0 for none (the ceiling)
	minRPS float64       // requests/s at concurrency 8; 0 for none
	status int
	want   string
	// targeter makes the requests; it is called from several workers.
	targeter func(base string) vegeta.Targeter
}

// Targets of issue 7 (100 000 clients, 8 concurrent clients).
const (
	targetPage     = 30 * time.Millisecond // every page and API scenario
	targetListPage = 25 * time.Millisecond // list, card and search pages
	targetCreateTo = 1000                  // POST /api/v1/clients per second on SQLite
)

// session is what logging in gave: the browser's cookies and an API token,
// the calendar feed's path and a few client ids for the cards.
type session struct {
	cookie  string // Cookie header
	token   string
	feed    string
	clients []int64
}

func get(path string, h http.Header) func(string) vegeta.Targeter {
	return func(base string) vegeta.Targeter {
		return func(t *vegeta.Target) error {
			t.Method, t.URL, t.Header = http.MethodGet, base+path, h
			return nil
		}
	}
}

// monthRange is the month view of the month of now in Warsaw: six weeks
// from the Monday on or before the first.
func monthRange(now time.Time) (from, to time.Time) {
	loc, err := time.LoadLocation("Europe/Warsaw")
	if err != nil {
		loc = time.UTC
	}
	n := now.In(loc)
	first := time.Date(n.Year(), n.Month(), 1, 0, 0, 0, 0, loc)
	back := (int(first.Weekday()) + 6) % 7
	from = first.AddDate(0, 0, -back)
	return from, from.AddDate(0, 0, 42)
}

// scenarios are the list, in the order they run: reads first,
// then the writes.
func scenarios(s session, now time.Time) []scenario {
	page := http.Header{"Cookie": {s.cookie}, "Accept-Language": {"pl"}}
	api := http.Header{"Authorization": {"Bearer " + s.token}, "Accept": {"application/json"}}
	post := http.Header{"Authorization": {"Bearer " + s.token}, "Content-Type": {"application/json"}}
	from, to := monthRange(now)
	// The month view asks as calendar.js does: at most 3 items a day and
	// "+N" for the rest (per_day); a day it opens gets them all.
	month := "/calendar/events?from=" + url.QueryEscape(from.UTC().Format(time.RFC3339)) +
		"&to=" + url.QueryEscape(to.UTC().Format(time.RFC3339)) + "&per_day=3"

	var card atomic.Uint64
	var nip atomic.Uint64
	var task atomic.Uint64
	return []scenario{
		{name: "client list", target: targetListPage, status: 200, want: `href="/clients/`, targeter: get("/clients", page)},
		{name: "client search „łódź”", target: targetListPage, status: 200, want: "Łódź",
			targeter: get("/clients?q="+url.QueryEscape("łódź"), page)},
		{name: "client card", target: targetListPage, status: 200, want: "</html>",
			targeter: func(base string) vegeta.Targeter {
				return func(t *vegeta.Target) error {
					id := s.clients[int(card.Add(1))%len(s.clients)]
					t.Method, t.URL, t.Header = http.MethodGet, fmt.Sprintf("%s/clients/%d", base, id), page
					return nil
				}
			}},
		{name: "Moje kontakty", target: targetListPage, status: 200, want: "</html>", targeter: get("/contacts/mine", page)},
		{name: "task list", target: targetListPage, status: 200, want: "</html>", targeter: get("/tasks", page)},
		{name: "month calendar (firm)", target: targetPage, status: 200, want: `"kind":`, targeter: get(month, page)},
		{name: "dashboard", target: targetPage, status: 200, want: "</html>", targeter: get("/", page)},
		{name: "GET /api/v1/clients?limit=50", target: targetPage, status: 200, want: `"next_cursor"`,
			targeter: get("/api/v1/clients?limit=50", api)},
		{name: "iCalendar feed (a salesperson)", target: targetPage, status: 200, want: "END:VCALENDAR", targeter: get(s.feed, nil)},
		{name: "POST /api/v1/clients", target: targetPage, minRPS: targetCreateTo, status: 201, want: `"id"`,
			targeter: func(base string) vegeta.Targeter {
				return func(t *vegeta.Target) error {
					var n string
					for {
						// 9 digits from a counter (first digit 9, which the demo's
						// NIPs share rarely; NIPs need not be unique anyway).
						var ok bool
						if n, ok = plid.CompleteNIP(fmt.Sprintf("9%08d", nip.Add(1)%100000000)); ok {
							break
						}
					}
					body, err := json.Marshal(map[string]any{"kind": "company", "name": "Obciążenie " + n + " Sp. z o.o.",
						"nip": n, "emails": []string{"biuro." + n + "@example.pl"},
						"address": map[string]string{"street": "ul. Łąkowa 5", "postal_code": "90-001", "city": "Łódź"}})
					t.Method, t.URL, t.Header, t.Body = http.MethodPost, base+"/api/v1/clients", post, body
					return err
				}
			}},
		{name: "POST /api/v1/tasks", target: targetPage, status: 201, want: `"id"`,
			targeter: func(base string) vegeta.Targeter {
				return func(t *vegeta.Target) error {
					i := task.Add(1)
					start := now.Truncate(time.Hour).Add(time.Duration(i%2000) * time.Hour)
					body, err := json.Marshal(map[string]any{"title": fmt.Sprintf("Telefon do klienta nr %d", i),
						"start": start.Format(time.RFC3339), "end": start.Add(30 * time.Minute).Format(time.RFC3339)})
					t.Method, t.URL, t.Header, t.Body = http.MethodPost, base+"/api/v1/tasks", post, body
					return err
				}
			}},
	}
}

// ceilingScenario is the trivial handler, measured the same way.
var ceilingScenario = scenario{name: "ceiling: trivial net/http handler", status: 200, want: "ok",
	targeter: get("/", nil)}

// Measure is one scenario at one concurrency.
type Measure struct {
	Topology    string
	Scenario    string
	Concurrency int
	Requests    uint64
	Errors      uint64 // not the expected status, or the body without its mark, or no answer
	FirstError  string
	RPS         float64 // answered requests per second
	P50         time.Duration
	P90         time.Duration
	P99         time.Duration
	Ratio       float64 // RPS / the ceiling's RPS at the same concurrency
	PeakRSS     int64   // the highest VmRSS of the server(s) during the scenario, bytes
	Target      time.Duration
	MinRPS      float64
}

// attack runs sc against base with c workers, each one request at a time,
// for d.
func attack(sc scenario, base string, c int, d time.Duration) Measure {
	a := vegeta.NewAttacker(vegeta.Workers(uint64(c)), vegeta.MaxWorkers(uint64(c)), vegeta.Connections(c),
		vegeta.MaxConnections(c), vegeta.KeepAlive(true), vegeta.Redirects(vegeta.NoFollow),
		vegeta.Timeout(30*time.Second), vegeta.HTTP2(false))
	var m vegeta.Metrics
	out := Measure{Scenario: sc.name, Concurrency: c, Target: sc.target, MinRPS: sc.minRPS}
	want := []byte(sc.want)
	for r := range a.Attack(sc.targeter(base), vegeta.Rate{Freq: 0}, d, sc.name) {
		bad := ""
		switch {
		case r.Error != "":
			bad = r.Error
		case int(r.Code) != sc.status:
			bad = fmt.Sprintf("%s %s: status %d, want %d: %.200s", r.Method, r.URL, r.Code, sc.status, r.Body)
		case !bytes.Contains(r.Body, want):
			bad = fmt.Sprintf("%s %s: the answer lacks %q", r.Method, r.URL, sc.want)
		}
		if bad != "" {
			out.Errors++
			if out.FirstError == "" {
				out.FirstError = bad
			}
		}
		r.Body = nil
		m.Add(r)
	}
	m.Close()
	out.Requests = m.Requests
	if m.Duration > 0 {
		out.RPS = float64(m.Requests-out.Errors) / (m.Duration + m.Wait).Seconds()
	}
	out.P50, out.P90, out.P99 = m.Latencies.P50, m.Latencies.P90, m.Latencies.P99
	return out
}
