package app_test

// Benchmarks for the performance targets of Klientela (see
// docs/performance.md for how to run them and the figures measured):
//
//   - BenchmarkPages: GET /login and GET / (dashboard, logged in) at exactly
//     8 concurrent keep-alive clients, on SQLite and PostgreSQL; p50/p90/p99
//     latency seen by the client and spent in the server's handler.
//   - BenchmarkColdStart: from app.New to the first 200 on /readyz with an
//     empty SQLite database, in process and as the compiled binary (with its
//     size and resident memory, idle and after some load).
//
// They are benchmarks, not timed pass/fail tests: figures depend on the
// machine, so they are reported (b.ReportMetric), never asserted. Each one
// is bounded by b.N and runs quickly with -benchtime=1x.

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"klientela/internal/app"
	"klientela/internal/app/apptest"
	"klientela/internal/config"
	"klientela/internal/crm"
)

// benchClients is the concurrency of the page targets: 8 clients at once.
// KLIENTELA_BENCH_CONCURRENCY=1 measures one request at a time instead,
// what a request costs without the queue of a shared 2-core machine.
var benchClients = func() int {
	if n, err := strconv.Atoi(os.Getenv("KLIENTELA_BENCH_CONCURRENCY")); err == nil && n > 0 {
		return n
	}
	return 8
}()

// BenchmarkPages measures the login page and the dashboard under 8
// concurrent clients. b.N is the total number of requests (all clients
// together), so ns/op is the inverse of throughput; the latency percentiles
// are the figures to compare with the targets.
func BenchmarkPages(b *testing.B) {
	for _, engine := range apptest.Engines {
		b.Run(engine, func(b *testing.B) {
			// One server (and one account) per engine, shared by its pages;
			// this body runs once because it has sub-benchmarks.
			srv := apptest.Start(b, engine)
			browser := srv.SignUp("Piekarnia Bench", "Jan Wydajny", "bench@example.pl", "bardzo-tajne-haslo-42")
			session := benchSessionCookie(b, browser, srv)

			// Server time: the same handler the application serves, wrapped in
			// a timer and served on its own loopback listener. The wrapper sees
			// the request after it is parsed and until the handler returns
			// (the middleware chain, the service, the database and the page
			// rendering); the client figures add the loopback network, the
			// HTTP parsing and scheduling of both sides.
			timed := &timingHandler{h: srv.Handler}
			hs := httptest.NewServer(timed)
			b.Cleanup(hs.Close)

			b.Run("login", func(b *testing.B) {
				runPageBench(b, hs.URL+"/login", nil, timed, func(body []byte) bool {
					return bytes.Contains(body, []byte(`name="password"`))
				})
			})
			b.Run("dashboard", func(b *testing.B) {
				runPageBench(b, hs.URL+"/", session, timed, func(body []byte) bool {
					return bytes.Contains(body, []byte("Piekarnia Bench"))
				})
			})
		})
	}
}

// benchFirm signs a firm up on srv and returns its owner's session cookie
// and user.
func benchFirm(b *testing.B, srv *apptest.Server, firm string) (*http.Cookie, crm.User) {
	b.Helper()
	browser := srv.SignUp(firm, "Jan Wydajny", "bench@example.pl", "bardzo-tajne-haslo-42")
	session := benchSessionCookie(b, browser, srv)
	owner, err := srv.Store.UserByEmail(context.Background(), "bench@example.pl")
	if err != nil {
		b.Fatal(err)
	}
	return session, owner.User
}

func benchSessionCookie(b *testing.B, br *apptest.Browser, srv *apptest.Server) *http.Cookie {
	b.Helper()
	u, _ := url.Parse(srv.URL)
	for _, c := range br.Jar.Cookies(u) {
		if strings.HasSuffix(c.Name, "klientela_session") {
			return &http.Cookie{Name: c.Name, Value: c.Value}
		}
	}
	b.Fatal("sign-up left no session cookie")
	return nil
}

// benchPage is a page a benchmark measures: its name, its path and a text
// its answer must hold.
type benchPage struct{ name, path, want string }

// runPages measures each page in turn (runPageBench: benchClients at once,
// with the session), timing the server's part of each request.
func runPages(b *testing.B, srv *apptest.Server, session *http.Cookie, pages []benchPage) {
	b.Helper()
	timed := &timingHandler{h: srv.Handler}
	hs := httptest.NewServer(timed)
	b.Cleanup(hs.Close)
	for _, c := range pages {
		b.Run(c.name, func(b *testing.B) {
			runPageBench(b, hs.URL+c.path, session, timed, func(body []byte) bool {
				return bytes.Contains(body, []byte(c.want))
			})
		})
	}
}

// timingHandler records how long each request spends in the handler.
type timingHandler struct {
	h     http.Handler
	mu    sync.Mutex
	on    bool
	times []time.Duration
}

func (t *timingHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	t.h.ServeHTTP(w, r)
	d := time.Since(start)
	t.mu.Lock()
	if t.on {
		t.times = append(t.times, d)
	}
	t.mu.Unlock()
}

// record starts collecting server times (capacity n), dropping earlier ones.
func (t *timingHandler) record(n int) {
	t.mu.Lock()
	t.on, t.times = true, make([]time.Duration, 0, n)
	t.mu.Unlock()
}

// stop ends collecting and returns the server times.
func (t *timingHandler) stop() []time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.on = false
	return t.times
}

// runPageBench issues b.N GETs of target from benchClients goroutines, each
// with its own keep-alive client, and reports latency percentiles.
func runPageBench(b *testing.B, target string, cookie *http.Cookie, timed *timingHandler, ok func([]byte) bool) {
	runPageBenchN(b, benchClients, target, cookie, timed, ok)
}

// runPageBenchN is runPageBench with n clients.
func runPageBenchN(b *testing.B, n int, target string, cookie *http.Cookie, timed *timingHandler, ok func([]byte) bool) {
	runBench(b, n, func(int) string { return target }, func(req *http.Request) {
		req.Header.Set("Accept", "text/html")
		if cookie != nil {
			req.AddCookie(cookie)
		}
	}, timed, ok)
}

// runBench issues b.N GETs from n goroutines, each with its own keep-alive
// client: request i asks for target(i), with the headers and cookies auth
// sets. It reports latency percentiles.
func runBench(b *testing.B, n int, target func(i int) string, auth func(*http.Request), timed *timingHandler, ok func([]byte) bool) {
	clients := make([]*http.Client, n)
	for i := range clients {
		clients[i] = &http.Client{
			Transport: &http.Transport{MaxIdleConnsPerHost: 1, IdleConnTimeout: time.Minute},
			Timeout:   30 * time.Second,
			CheckRedirect: func(*http.Request, []*http.Request) error {
				return http.ErrUseLastResponse // a redirect to /login must fail, not pass
			},
		}
	}
	defer func() {
		for _, c := range clients {
			c.CloseIdleConnections()
		}
	}()
	get := func(c *http.Client, buf *bytes.Buffer, i int) error {
		target := target(i)
		req, err := http.NewRequest("GET", target, nil)
		if err != nil {
			return err
		}
		req.Header.Set("Accept-Language", "pl-PL,pl;q=0.9,en;q=0.8")
		auth(req)
		res, err := c.Do(req)
		if err != nil {
			return err
		}
		buf.Reset()
		_, err = buf.ReadFrom(res.Body)
		res.Body.Close()
		if err != nil {
			return err
		}
		if res.StatusCode != http.StatusOK {
			return fmt.Errorf("GET %s: status %d (location %q)", target, res.StatusCode, res.Header.Get("Location"))
		}
		if !ok(buf.Bytes()) {
			return fmt.Errorf("GET %s: unexpected page:\n%.500s", target, buf.String())
		}
		return nil
	}

	// Warm up, all clients at once: open each client's connection, check the
	// page, and let the database pool open the connections that 8 concurrent
	// requests need (a new PostgreSQL connection costs tens of ms, which
	// would otherwise land in the measured max).
	warm := make(chan error, n)
	for _, c := range clients {
		go func() {
			var buf bytes.Buffer
			for i := range 10 {
				if err := get(c, &buf, i); err != nil {
					warm <- err
					return
				}
			}
			warm <- nil
		}()
	}
	for range clients {
		if err := <-warm; err != nil {
			b.Fatal(err)
		}
	}

	lat := make([]time.Duration, b.N)
	var (
		next    atomic.Int64
		failed  atomic.Bool
		errOnce sync.Once
		firstEr error
		wg      sync.WaitGroup
	)
	timed.record(b.N)
	b.ResetTimer()
	start := time.Now()
	for _, c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var buf bytes.Buffer
			for !failed.Load() {
				i := next.Add(1) - 1
				if i >= int64(b.N) {
					return
				}
				t0 := time.Now()
				err := get(c, &buf, int(i))
				lat[i] = time.Since(t0)
				if err != nil {
					errOnce.Do(func() { firstEr = err })
					failed.Store(true)
					return
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	server := timed.stop()
	if firstEr != nil {
		b.Fatal(firstEr)
	}

	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "req/s")
	reportPercentiles(b, "", lat)
	reportPercentiles(b, "srv-", server)
}

// reportPercentiles reports the 50th, 90th and 99th percentile (nearest
// rank) and the maximum of d in milliseconds, named prefix+"p50-ms" etc.
func reportPercentiles(b *testing.B, prefix string, d []time.Duration) {
	if len(d) == 0 {
		return
	}
	slices.Sort(d)
	for _, p := range []int{50, 90, 99} {
		b.ReportMetric(ms(percentile(d, float64(p)/100)), fmt.Sprintf("%sp%d-ms", prefix, p))
	}
	b.ReportMetric(ms(d[len(d)-1]), prefix+"max-ms")
}

func percentile(sorted []time.Duration, p float64) time.Duration {
	i := int(math.Ceil(p*float64(len(sorted)))) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// BenchmarkColdStart measures the time from nothing to a ready server on an
// empty SQLite database: in this process (app.New with production options:
// real argon2id parameters, migrations, templates) and as the compiled
// binary started per iteration (process start and runtime init included).
func BenchmarkColdStart(b *testing.B) {
	b.Run("inprocess", benchColdStartInProcess)

	binDir := b.TempDir() // the binary is built once, by the first run below
	var bin string
	b.Run("binary", func(b *testing.B) {
		if bin == "" {
			bin = buildBinary(b, binDir)
		}
		benchColdStartBinary(b, bin)
	})
}

func benchColdStartInProcess(b *testing.B) {
	log := slog.New(slog.NewTextHandler(io.Discard, &slog.HandlerOptions{Level: slog.LevelWarn}))
	client := &http.Client{Timeout: 5 * time.Second}
	base := b.TempDir()
	var total time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		dir := filepath.Join(base, strconv.Itoa(i))
		if err := os.Mkdir(dir, 0o750); err != nil { // a fresh, empty data folder
			b.Fatal(err)
		}
		cfg := config.Config{Addr: "127.0.0.1:0", DataDir: dir, Signup: true, LogFormat: "text", LogLevel: "warn",
			ShutdownTimeout: 5 * time.Second}
		ctx, cancel := context.WithCancel(context.Background())
		b.StartTimer()

		start := time.Now()
		a, err := app.New(ctx, cfg, log, app.Options{}) // the zero value is production
		if err != nil {
			b.Fatal(err)
		}
		ln, err := net.Listen("tcp", cfg.Addr)
		if err != nil {
			b.Fatal(err)
		}
		served := make(chan error, 1)
		go func() { served <- a.Serve(ctx, ln) }()
		if err := waitReady(client, "http://"+ln.Addr().String()+"/readyz", 0, 10*time.Second, nil); err != nil {
			b.Fatal(err)
		}
		total += time.Since(start)

		b.StopTimer()
		cancel()
		if err := <-served; err != nil {
			b.Fatal(err)
		}
		a.Close()
		client.CloseIdleConnections()
		b.StartTimer()
	}
	b.StopTimer()
	b.ReportMetric(ms(total)/float64(b.N), "ms/start")
}

// buildBinary compiles cmd/klientela the way a developer would (go build;
// the Makefile's release build adds -trimpath -ldflags "-s -w").
func buildBinary(b *testing.B, dir string) string {
	b.Helper()
	bin := filepath.Join(dir, "klientela")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/klientela")
	cmd.Dir = filepath.Join("..", "..") // the repository root, from internal/app
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// rssSamples is how many iterations per run also measure memory (each costs
// about a second of idling, outside the timer).
const rssSamples = 3

func benchColdStartBinary(b *testing.B, bin string) {
	fi, err := os.Stat(bin)
	if err != nil {
		b.Fatal(err)
	}
	env := []string{"KLIENTELA_LOG_LEVEL=warn"} // flags below; nothing else from the caller's KLIENTELA_*
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "KLIENTELA_") {
			env = append(env, kv)
		}
	}
	client := &http.Client{Timeout: 5 * time.Second}
	base := b.TempDir()
	var (
		total              time.Duration
		idleRSS, loadRSS   float64
		maxReady, minReady time.Duration
	)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		dir := filepath.Join(base, strconv.Itoa(i))
		if err := os.Mkdir(dir, 0o750); err != nil { // a fresh, empty data folder
			b.Fatal(err)
		}
		addr := freeAddr(b)
		var stderr bytes.Buffer
		cmd := exec.Command(bin, "--addr", addr, "--data", dir)
		cmd.Env, cmd.Stdout, cmd.Stderr = env, io.Discard, &stderr
		b.StartTimer()

		start := time.Now()
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { _ = cmd.Process.Kill() }) // after a failure; a no-op once it has exited
		exited := make(chan error, 1)
		go func() { exited <- cmd.Wait() }()
		err := waitReady(client, "http://"+addr+"/readyz", 2*time.Millisecond, 10*time.Second, exited)
		d := time.Since(start)
		b.StopTimer()
		if err != nil {
			_ = cmd.Process.Kill()
			<-exited // stderr is complete only once the process is gone
			b.Fatalf("%v\nstderr:\n%s", err, stderr.String())
		}
		total += d
		maxReady = max(maxReady, d)
		if minReady == 0 || d < minReady {
			minReady = d
		}

		if i < rssSamples {
			time.Sleep(time.Second) // idle
			rss, err := vmRSS(cmd.Process.Pid)
			if err != nil {
				b.Fatal(err)
			}
			idleRSS = max(idleRSS, rss)
			if err := loadLogin(addr, 200); err != nil {
				_ = cmd.Process.Kill()
				<-exited
				b.Fatalf("%v\nstderr:\n%s", err, stderr.String())
			}
			if rss, err = vmRSS(cmd.Process.Pid); err != nil {
				b.Fatal(err)
			}
			loadRSS = max(loadRSS, rss)
		}

		client.CloseIdleConnections()
		_ = cmd.Process.Signal(syscall.SIGTERM) // graceful: closes the database
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-exited
		}
		b.StartTimer()
	}
	b.StopTimer()
	b.ReportMetric(ms(total)/float64(b.N), "ms/start")
	b.ReportMetric(ms(minReady), "min-ms/start")
	b.ReportMetric(ms(maxReady), "max-ms/start")
	b.ReportMetric(float64(fi.Size())/1e6, "binary-MB")
	b.ReportMetric(idleRSS, "idle-rss-MB")
	b.ReportMetric(loadRSS, "rss-after-load-MB")
}

// waitReady polls url until it answers 200, sleeping every between tries;
// it gives up after limit, or when exited delivers (the process died).
func waitReady(c *http.Client, url string, every, limit time.Duration, exited <-chan error) error {
	deadline := time.Now().Add(limit)
	var last error
	for {
		res, err := c.Get(url)
		if err == nil {
			_, _ = io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return nil
			}
			err = fmt.Errorf("status %d", res.StatusCode)
		}
		last = err
		if time.Now().After(deadline) {
			return fmt.Errorf("%s not ready after %v: %v", url, limit, last)
		}
		select {
		case err := <-exited:
			return fmt.Errorf("server exited before it was ready: %v (last try: %v)", err, last)
		default:
		}
		if every > 0 {
			time.Sleep(every)
		}
	}
}

// freeAddr returns a loopback address with a port that was free a moment ago.
func freeAddr(b *testing.B) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// loadLogin serves n GETs of /login from benchClients keep-alive clients.
func loadLogin(addr string, n int) error {
	var (
		next atomic.Int64
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	for range benchClients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := &http.Client{Transport: &http.Transport{}, Timeout: 10 * time.Second}
			defer c.CloseIdleConnections()
			for next.Add(1) <= int64(n) {
				res, err := c.Get("http://" + addr + "/login")
				if err == nil {
					_, err = io.Copy(io.Discard, res.Body)
					res.Body.Close()
					if err == nil && res.StatusCode != http.StatusOK {
						err = fmt.Errorf("GET /login: status %d", res.StatusCode)
					}
				}
				if err != nil {
					mu.Lock()
					errs = append(errs, err)
					mu.Unlock()
					return
				}
			}
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// vmRSS returns the resident set size of a process in MB (10^6 bytes), from
// the VmRSS line of /proc/<pid>/status (Linux).
func vmRSS(pid int) (float64, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			kb, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			if err != nil {
				return 0, fmt.Errorf("VmRSS %q: %v", rest, err)
			}
			return kb * 1024 / 1e6, nil
		}
	}
	if err := sc.Err(); err != nil {
		return 0, err
	}
	return 0, fmt.Errorf("no VmRSS in /proc/%d/status", pid)
}
