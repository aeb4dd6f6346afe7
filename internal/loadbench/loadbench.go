// Package loadbench is Klientela's load benchmark (issue 7): it builds the
// binary, seeds a fresh database with `klientela demo`, starts the server
// as a separate process on 127.0.0.1, logs in as a real user (a session
// cookie for the pages, an API token for the API) and drives load with
// vegeta at fixed concurrency for a bounded time per scenario, measuring
// requests/s, p50/p90/p99, errors and the server's peak RSS, beside a
// trivial net/http handler as the ceiling. It does so on SQLite, on
// PostgreSQL, and on PostgreSQL with two instances behind a round-robin
// proxy (logging in through one and continuing on the other), and writes
// a Markdown table into docs/performance.md.
//
// cmd/loadbench runs it (make bench); a smoke test runs it at a tiny scale.
package loadbench

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // PostgreSQL for the fresh schema
)

// Config sizes and points the benchmark.
type Config struct {
	Root     string // the module's folder (go build runs there); default: from `go env GOMOD`
	Work     string // where binaries, databases and logs go; default: a new temporary folder
	Keep     bool   // keep Work and the PostgreSQL schema afterwards
	Clients  int    // clients of the measured account
	Tasks    int
	Contacts int
	// Others accounts of OtherClients clients each, so that tenancy filters
	// have other rows to skip.
	Others       int
	OtherClients int
	Duration     time.Duration // per scenario and concurrency
	Concurrency  []int
	Postgres     string // a PostgreSQL URL; "" runs SQLite only
	Topologies   []string
	Log          io.Writer
	Now          func() time.Time
}

// The topologies.
const (
	SQLite      = "SQLite"
	Postgres    = "PostgreSQL"
	PostgresTwo = "PostgreSQL, 2 instances + proxy"
)

// dirName names a topology's folder and logs in Work.
var dirName = map[string]string{SQLite: "sqlite", Postgres: "postgres", PostgresTwo: "postgres2"}

// DefaultConfig is the scale: 100 000 clients with 300 000 tasks
// and planned contacts, beside 20 accounts of 1 000 clients.
func DefaultConfig() Config {
	return Config{Clients: 100000, Tasks: 300000, Contacts: 300000, Others: 20, OtherClients: 1000,
		Duration: 10 * time.Second, Concurrency: []int{1, 8}, Topologies: []string{SQLite, Postgres, PostgresTwo}}
}

// Password of the benchmark's users.
const password = "obciazenie-testowe-2026"

// measuredEmail is the owner of the measured account; salesEmail its
// user with the "sales" preset (klientela demo makes one per preset).
const (
	measuredEmail = "bench@klientela.test"
	salesEmail    = "bench+sales@klientela.test"
)

// Report is what a run measured.
type Report struct {
	Config    Config
	Machine   Machine
	Started   time.Time
	Finished  time.Time
	LoadStart string // /proc/loadavg
	LoadEnd   string
	Seeding   map[string]time.Duration // per engine
	Ceiling   []Measure
	Rows      []Measure
	// HandOver says how the two-instance check went: logging in through
	// one instance, pages and API on the other.
	HandOver string
	// ServerPeak is each topology's highest VmHWM of its servers.
	ServerPeak map[string]int64
	Errors     []string // what went wrong besides failed requests
}

func (c *Config) defaults() error {
	d := DefaultConfig()
	if c.Clients <= 0 {
		c.Clients = d.Clients
	}
	if c.Tasks < 0 {
		c.Tasks = 0
	}
	if c.Contacts < 0 {
		c.Contacts = 0
	}
	if c.Duration <= 0 {
		c.Duration = d.Duration
	}
	if len(c.Concurrency) == 0 {
		c.Concurrency = d.Concurrency
	}
	if len(c.Topologies) == 0 {
		c.Topologies = d.Topologies
	}
	if c.Log == nil {
		c.Log = io.Discard
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Root == "" {
		out, err := exec.Command("go", "env", "GOMOD").Output()
		if err != nil || strings.TrimSpace(string(out)) == "" || strings.TrimSpace(string(out)) == os.DevNull {
			return fmt.Errorf("loadbench: cannot find the module (go env GOMOD): %v", err)
		}
		c.Root = filepath.Dir(strings.TrimSpace(string(out)))
	}
	return nil
}

func (c *Config) logf(format string, args ...any) {
	fmt.Fprintf(c.Log, "%s "+format+"\n", append([]any{time.Now().Format("15:04:05")}, args...)...)
}

// Run runs the benchmark. A failed request does not stop it (it is
// counted); a server that does not start, a seeding or a login that fails
// does.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	if err := cfg.defaults(); err != nil {
		return nil, err
	}
	for _, t := range cfg.Topologies {
		if t != SQLite && t != Postgres && t != PostgresTwo {
			return nil, fmt.Errorf("loadbench: unknown topology %q", t)
		}
		if t != SQLite && cfg.Postgres == "" {
			return nil, fmt.Errorf("loadbench: %s needs a PostgreSQL URL", t)
		}
	}
	if cfg.Work == "" {
		dir, err := os.MkdirTemp("", "klientela-loadbench-")
		if err != nil {
			return nil, err
		}
		cfg.Work = dir
		if !cfg.Keep {
			defer os.RemoveAll(dir)
		}
	}
	rep := &Report{Config: cfg, Machine: machine(), Started: cfg.Now(), LoadStart: loadavg(),
		Seeding: map[string]time.Duration{}, ServerPeak: map[string]int64{}}

	cfg.logf("building klientela and loadbench in %s", cfg.Work)
	bin, self := filepath.Join(cfg.Work, "klientela"), filepath.Join(cfg.Work, "loadbench")
	for _, b := range []struct{ out, pkg string }{{bin, "./cmd/klientela"}, {self, "./cmd/loadbench"}} {
		cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-o", b.out, b.pkg)
		cmd.Dir = cfg.Root
		if out, err := cmd.CombinedOutput(); err != nil {
			return nil, fmt.Errorf("go build %s: %v\n%s", b.pkg, err, out)
		}
	}

	// The ceiling: a trivial handler in a process of its own.
	ceil, err := start(ctx, "ceiling", filepath.Join(cfg.Work, "ceiling.log"), "/", self, "-serve-trivial", "{addr}")
	if err != nil {
		return nil, err
	}
	for _, c := range cfg.Concurrency {
		m := attack(ceilingScenario, ceil.url, c, cfg.Duration)
		m.Topology = "ceiling"
		rep.Ceiling = append(rep.Ceiling, m)
		cfg.logf("ceiling c=%d: %.0f req/s, p99 %v, %d errors", c, m.RPS, m.P99, m.Errors)
	}
	ceil.stop()

	var pgURL string
	for _, topo := range cfg.Topologies {
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		data := filepath.Join(cfg.Work, dirName[topo])
		db := ""
		if topo != SQLite {
			if pgURL == "" {
				// One fresh schema serves both PostgreSQL topologies: it is
				// seeded once.
				u, drop, err := freshSchema(ctx, cfg.Postgres)
				if err != nil {
					return rep, err
				}
				if !cfg.Keep {
					defer drop()
				}
				pgURL = u
				if err := seed(ctx, &cfg, rep, bin, data, pgURL, Postgres); err != nil {
					return rep, err
				}
			}
			db = pgURL
		} else if err := seed(ctx, &cfg, rep, bin, data, "", SQLite); err != nil {
			return rep, err
		}
		if err := measureTopology(ctx, &cfg, rep, bin, topo, data, db); err != nil {
			return rep, err
		}
	}
	rep.Finished, rep.LoadEnd = cfg.Now(), loadavg()
	for i := range rep.Rows {
		for _, c := range rep.Ceiling {
			if c.Concurrency == rep.Rows[i].Concurrency && c.RPS > 0 {
				rep.Rows[i].Ratio = rep.Rows[i].RPS / c.RPS
			}
		}
	}
	return rep, nil
}

// freshSchema makes a new schema on the PostgreSQL server of base and
// returns base with its search_path, and a function that drops it.
func freshSchema(ctx context.Context, base string) (string, func(), error) {
	admin, err := sql.Open("pgx", base)
	if err != nil {
		return "", nil, err
	}
	var b [6]byte
	_, _ = rand.Read(b[:])
	schema := "loadbench_" + hex.EncodeToString(b[:])
	if _, err := admin.ExecContext(ctx, `CREATE SCHEMA `+schema); err != nil {
		admin.Close()
		return "", nil, fmt.Errorf("loadbench: create schema on %s: %w", redact(base), err)
	}
	u, err := url.Parse(base)
	if err != nil {
		admin.Close()
		return "", nil, err
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), func() {
		_, _ = admin.Exec(`DROP SCHEMA ` + schema + ` CASCADE`)
		admin.Close()
	}, nil
}

// redact hides a URL's password.
func redact(s string) string {
	if u, err := url.Parse(s); err == nil {
		return u.Redacted()
	}
	return "(a PostgreSQL URL)"
}

// seed fills a fresh database with `klientela demo`: the other accounts
// first, the measured one last.
func seed(ctx context.Context, cfg *Config, rep *Report, bin, data, db, engine string) error {
	begin := time.Now()
	run := func(args ...string) error {
		args = append([]string{"demo", "--data", data, "--password", password, "--log-level", "warn"}, args...)
		if db != "" {
			args = append(args, "--db", db)
		}
		cmd := exec.CommandContext(ctx, bin, args...)
		cmd.Env = cleanEnv()
		out, err := cmd.CombinedOutput()
		if err != nil {
			return fmt.Errorf("klientela demo %s: %v\n%s", strings.Join(args[7:], " "), err, out)
		}
		return nil
	}
	for i := range cfg.Others {
		if err := run("--email", fmt.Sprintf("konto%02d@klientela.test", i+1), "--company", fmt.Sprintf("Firma nr %d", i+1),
			"--clients", fmt.Sprint(cfg.OtherClients), "--employees", "5", "--seed", fmt.Sprint(100+i)); err != nil {
			return err
		}
	}
	contacts, tasks := fmt.Sprint(cfg.Contacts), fmt.Sprint(cfg.Tasks)
	if cfg.Contacts == 0 {
		contacts = "-1" // none; 0 would take the default
	}
	if cfg.Tasks == 0 {
		tasks = "-1"
	}
	start := time.Now()
	if err := run("--email", measuredEmail, "--clients", fmt.Sprint(cfg.Clients), "--tasks", tasks,
		"--contacts", contacts, "--employees", "50"); err != nil {
		return err
	}
	rep.Seeding[engine] = time.Since(start)
	cfg.logf("%s: seeded %d + %d×%d clients in %v (the measured account %v)", engine, cfg.Clients, cfg.Others,
		cfg.OtherClients, time.Since(begin).Round(time.Second), rep.Seeding[engine].Round(time.Second))
	return nil
}

// measureTopology starts the server(s) of a topology, logs in and runs
// every scenario at every concurrency.
func measureTopology(ctx context.Context, cfg *Config, rep *Report, bin, topo, data, db string) error {
	n := 1
	if topo == PostgresTwo {
		n = 2
	}
	var servers []*process
	defer func() {
		for _, s := range servers {
			s.stop()
		}
	}()
	for i := range n {
		args := []string{"serve", "--addr", "{addr}", "--data", data, "--log-level", "warn", "--signup=false"}
		if db != "" {
			args = append(args, "--db", db)
		}
		p, err := start(ctx, fmt.Sprintf("klientela %d (%s)", i+1, topo),
			filepath.Join(cfg.Work, fmt.Sprintf("server-%s-%d.log", dirName[topo], i+1)),
			"/login", bin, args...)
		if err != nil {
			return err
		}
		servers = append(servers, p)
	}
	base := servers[0].url
	var sess session
	var err error
	if n == 2 {
		px, err := newProxy(servers[0].url, servers[1].url)
		if err != nil {
			return err
		}
		defer px.Close()
		base = px.URL
		// Log in through the first instance; everything after goes to the
		// second one, then the proxy alternates.
		sess, err = login(servers[0].url, servers[1].url)
		if err != nil {
			rep.HandOver = "failed: " + err.Error()
			return fmt.Errorf("%s: %w", topo, err)
		}
		rep.HandOver = "logged in on instance 1; the dashboard, the client list and the API answered on instance 2 " +
			"with that session and token"
	} else if sess, err = login(base, base); err != nil {
		return fmt.Errorf("%s: %w", topo, err)
	}
	pids := make([]int, len(servers))
	for i, s := range servers {
		pids[i] = s.cmd.Process.Pid
	}
	for _, sc := range scenarios(sess, cfg.Now()) {
		for _, c := range cfg.Concurrency {
			if err := ctx.Err(); err != nil {
				return err
			}
			rss := sampleRSS(pids...)
			m := attack(sc, base, c, cfg.Duration)
			m.PeakRSS = rss.end()
			m.Topology = topo
			rep.Rows = append(rep.Rows, m)
			cfg.logf("%s | %s | c=%d: %.0f req/s, p50 %v p90 %v p99 %v, %d/%d errors, RSS %d MB %s", topo, sc.name, c,
				m.RPS, m.P50, m.P90, m.P99, m.Errors, m.Requests, m.PeakRSS>>20, m.FirstError)
		}
	}
	for _, pid := range pids {
		if _, hwm, err := memory(pid); err == nil {
			rep.ServerPeak[topo] = max(rep.ServerPeak[topo], hwm)
		}
	}
	return nil
}

// noRedirect is a client that shows redirects instead of following them.
var noRedirect = &http.Client{Timeout: 30 * time.Second,
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// login logs the measured account's owner in on first (the login form,
// for the session cookie; the API, for a token) and checks on second that
// the session and the token work there: the dashboard, a page of clients
// and the API. It creates the calendar feed on second.
func login(first, second string) (session, error) {
	var s session
	res, err := noRedirect.PostForm(first+"/login", url.Values{"email": {measuredEmail}, "password": {password}})
	if err != nil {
		return s, err
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther || len(res.Cookies()) == 0 {
		return s, fmt.Errorf("login on %s: status %d, %d cookies", first, res.StatusCode, len(res.Cookies()))
	}
	var cookies []string
	for _, c := range res.Cookies() {
		if c.Value != "" {
			cookies = append(cookies, c.Name+"="+c.Value)
		}
	}
	s.cookie = strings.Join(cookies, "; ")

	body, _ := json.Marshal(map[string]string{"email": measuredEmail, "password": password, "name": "loadbench"})
	var tok struct{ Token string }
	if err := call(http.MethodPost, first+"/api/v1/tokens", "", string(body), http.StatusCreated, &tok); err != nil {
		return s, err
	}
	s.token = tok.Token

	// On the second instance: the page with the session, the API with the
	// token.
	for _, p := range []string{"/", "/clients"} {
		req, _ := http.NewRequest(http.MethodGet, second+p, nil)
		req.Header.Set("Cookie", s.cookie)
		res, err := noRedirect.Do(req)
		if err != nil {
			return s, err
		}
		page, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK || !strings.Contains(string(page), "</html>") {
			return s, fmt.Errorf("GET %s on %s with the session of %s: status %d (the session is not shared)", p, second,
				first, res.StatusCode)
		}
	}
	var list struct {
		Items []struct{ ID int64 }
	}
	if err := call(http.MethodGet, second+"/api/v1/clients?limit=50", s.token, "", http.StatusOK, &list); err != nil {
		return s, fmt.Errorf("the token of %s on %s: %w", first, second, err)
	}
	for _, c := range list.Items {
		s.clients = append(s.clients, c.ID)
	}
	if len(s.clients) == 0 {
		return s, errors.New("the measured account has no clients")
	}
	// The feed is a salesperson's (the demo's user with the "sales"
	// preset: their own contacts, tasks and clients), the way a calendar
	// program polls it; the owner's would hold the whole firm.
	body, _ = json.Marshal(map[string]string{"email": salesEmail, "password": password, "name": "loadbench feed"})
	var sales struct{ Token string }
	if err := call(http.MethodPost, first+"/api/v1/tokens", "", string(body), http.StatusCreated, &sales); err != nil {
		return s, err
	}
	var feed struct{ URL string }
	if err := call(http.MethodPost, second+"/api/v1/me/calendar-feed", sales.Token, "", http.StatusCreated, &feed); err != nil {
		return s, err
	}
	u, err := url.Parse(feed.URL)
	if err != nil || !strings.HasSuffix(u.Path, ".ics") {
		return s, fmt.Errorf("calendar feed URL %q", feed.URL)
	}
	s.feed = u.Path
	return s, nil
}

// call does one API request and decodes its answer into out.
func call(method, u, token, body string, want int, out any) error {
	req, err := http.NewRequest(method, u, strings.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := noRedirect.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != want {
		return fmt.Errorf("%s %s: status %d, want %d: %.300s", method, u, res.StatusCode, want, b)
	}
	if out != nil {
		return json.Unmarshal(b, out)
	}
	return nil
}
