package loadbench

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"klientela/internal/store/storetest"
)

// The benchmark at a tiny scale, so that it cannot rot: the real binary,
// seeded by `klientela demo`, served as a separate process, on SQLite and
// (with the test server) on PostgreSQL with two instances behind the
// proxy. Every scenario must answer as expected with zero errors, the
// session must carry over between the instances, and the table must have
// every row.
func TestSmoke(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and starts servers")
	}
	cfg := Config{Clients: 200, Tasks: 300, Contacts: 300, Others: 1, OtherClients: 20, Duration: 500 * time.Millisecond,
		Concurrency: []int{1, 2}, Topologies: []string{SQLite}, Work: t.TempDir()}
	if pg := os.Getenv(storetest.PostgresEnv); pg != "" {
		cfg.Postgres = pg
		cfg.Topologies = append(cfg.Topologies, PostgresTwo)
	} else if os.Getenv("CI") != "" {
		t.Fatalf("CI without %s: the PostgreSQL half must run", storetest.PostgresEnv)
	}
	var log strings.Builder
	cfg.Log = &log
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	rep, err := Run(ctx, cfg)
	t.Log(log.String())
	if err != nil {
		t.Fatal(err)
	}

	if len(rep.Ceiling) != 2 || rep.Ceiling[0].RPS <= 0 || rep.Ceiling[0].Errors != 0 {
		t.Errorf("ceiling: %+v", rep.Ceiling)
	}
	names := scenarios(session{}, time.Now())
	if want := len(cfg.Topologies) * len(names) * len(cfg.Concurrency); len(rep.Rows) != want {
		t.Fatalf("%d rows, want %d", len(rep.Rows), want)
	}
	i := 0
	for _, topo := range cfg.Topologies {
		for _, sc := range names {
			for _, c := range cfg.Concurrency {
				m := rep.Rows[i]
				i++
				if m.Topology != topo || m.Scenario != sc.name || m.Concurrency != c {
					t.Errorf("row %d is %s / %s / %d, want %s / %s / %d", i, m.Topology, m.Scenario, m.Concurrency, topo, sc.name, c)
				}
				if m.Requests == 0 || m.Errors != 0 || m.RPS <= 0 || m.P99 <= 0 || m.P50 > m.P99 || m.Ratio <= 0 {
					t.Errorf("%s / %s / %d: %d requests, %d errors (%s), %.0f req/s, p50 %v p99 %v, ratio %.3f", topo,
						sc.name, c, m.Requests, m.Errors, m.FirstError, m.RPS, m.P50, m.P99, m.Ratio)
				}
				if m.PeakRSS < 5<<20 {
					t.Errorf("%s / %s / %d: peak RSS %d bytes is not a server's", topo, sc.name, c, m.PeakRSS)
				}
			}
		}
		if rep.ServerPeak[topo] <= 0 {
			t.Errorf("%s: no VmHWM", topo)
		}
	}
	if cfg.Postgres != "" && !strings.HasPrefix(rep.HandOver, "logged in on instance 1") {
		t.Errorf("hand-over between the instances: %q", rep.HandOver)
	}
	if rep.Seeding[SQLite] <= 0 {
		t.Errorf("seeding: %v", rep.Seeding)
	}

	// The table: a row per measure, the machine, the targets; written
	// between the markers, replacing the previous section.
	md := rep.Markdown()
	for _, m := range rep.Rows {
		row := "| " + m.Topology + " | " + m.Scenario + " | "
		if !strings.Contains(md, row) {
			t.Errorf("the table lacks %q", row)
		}
	}
	if n := strings.Count(md, "\n| "); n != len(rep.Rows)+1 {
		t.Errorf("%d table lines, want %d", n, len(rep.Rows)+1)
	}
	for _, s := range []string{"cores", "GB", "Load average", "Ceiling: c=1", "targets (issue 7)", "RSS < 200 MB ✅",
		"0 errors ✅"} {
		if !strings.Contains(md, s) {
			t.Errorf("the section lacks %q:\n%s", s, md)
		}
	}
	doc := filepath.Join(t.TempDir(), "performance.md")
	if err := os.WriteFile(doc, []byte("# Performance\n\nkept\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := UpdateDocs(doc, md); err != nil {
			t.Fatal(err)
		}
	}
	b, _ := os.ReadFile(doc)
	if s := string(b); !strings.HasPrefix(s, "# Performance\n\nkept\n\n"+BeginMarker) || strings.Count(s, BeginMarker) != 1 ||
		!strings.HasSuffix(s, EndMarker+"\n") {
		t.Errorf("docs after two updates:\n%s", s)
	}
}

func TestMonthRange(t *testing.T) {
	from, to := monthRange(time.Date(2026, 3, 15, 12, 0, 0, 0, time.UTC))
	if from.Format("2006-01-02 Mon") != "2026-02-23 Mon" || to.Format("2006-01-02") != "2026-04-06" {
		t.Errorf("month view of March 2026: %v – %v", from, to)
	}
}

// The verdict line says "all met" only for a run the targets are set for:
// the full account measured at c=8. Anything else is "not judged", however
// fast it was, and a miss is a miss at any size.
func TestReportVerdict(t *testing.T) {
	fast := func(c int) Measure {
		return Measure{Topology: SQLite, Scenario: "client list", Concurrency: c, Requests: 100, RPS: 1000,
			P99: time.Millisecond, Target: 25 * time.Millisecond, PeakRSS: 50 << 20}
	}
	slow := fast(targetConcurrency)
	slow.P99 = time.Second
	for _, c := range []struct {
		name    string
		clients int
		rows    []Measure
		want    string
	}{
		{"full account at c=8", 100000, []Measure{fast(1), fast(8)}, "**All met.**"},
		{"full account without c=8", 100000, []Measure{fast(1), fast(2)}, "**Not judged:**"},
		{"a smaller account", 10000, []Measure{fast(1), fast(8)}, "**Not judged:**"},
		{"a miss", 10000, []Measure{fast(1), slow}, "**Missed: 1.**"},
	} {
		r := Report{Config: Config{Clients: c.clients, Duration: time.Second}, Rows: c.rows}
		for _, m := range c.rows {
			r.Config.Concurrency = append(r.Config.Concurrency, m.Concurrency)
		}
		md := r.Markdown()
		if !strings.Contains(md, c.want) {
			t.Errorf("%s: the section lacks %q:\n%s", c.name, c.want, md)
		}
		if c.want != "**All met.**" && strings.Contains(md, "All met") {
			t.Errorf("%s: says all met:\n%s", c.name, md)
		}
	}
}
