// Command loadbench is Klientela's load benchmark (issue 7; make bench):
// it builds klientela, seeds fresh databases, starts the server(s) on
// 127.0.0.1, drives load with vegeta and writes a Markdown table into
// docs/performance.md. See internal/loadbench.
//
//	go run ./cmd/loadbench [--clients 100000 --tasks 300000 --contacts 300000 --others 20 --other-clients 1000
//	                        --duration 10s --concurrency 1,8 --postgres URL --docs docs/performance.md]
//
// The PostgreSQL URL defaults to $KLIENTELA_TEST_POSTGRES; without one
// only SQLite is measured.
package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"klientela/internal/loadbench"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "loadbench:", err)
		os.Exit(1)
	}
}

func run() error {
	d := loadbench.DefaultConfig()
	fs := flag.NewFlagSet("loadbench", flag.ContinueOnError)
	clients := fs.Int("clients", d.Clients, "clients of the measured account")
	tasks := fs.Int("tasks", d.Tasks, "tasks of the measured account")
	contacts := fs.Int("contacts", d.Contacts, "planned contacts of the measured account")
	others := fs.Int("others", d.Others, "other accounts beside it")
	otherClients := fs.Int("other-clients", d.OtherClients, "clients of each other account")
	duration := fs.Duration("duration", d.Duration, "time per scenario and concurrency")
	conc := fs.String("concurrency", "1,8", "concurrent clients, comma-separated")
	pg := fs.String("postgres", os.Getenv("KLIENTELA_TEST_POSTGRES"), "PostgreSQL URL (a fresh schema is made in it); empty: SQLite only")
	topos := fs.String("topologies", "", `comma-separated among "sqlite", "postgres", "postgres2" (default: all that can run)`)
	docs := fs.String("docs", "docs/performance.md", "Markdown file whose generated section is replaced; empty: none")
	work := fs.String("work", "", "folder for binaries, databases and logs (default: a temporary one, removed)")
	keep := fs.Bool("keep", false, "keep the folder and the PostgreSQL schema")
	trivial := fs.String("serve-trivial", "", "serve the trivial ceiling handler on this loopback address (used by the benchmark itself)")
	if err := fs.Parse(os.Args[1:]); err != nil {
		return err
	}
	if *trivial != "" {
		return serveTrivial(*trivial)
	}
	cfg := loadbench.Config{Clients: *clients, Tasks: *tasks, Contacts: *contacts, Others: *others,
		OtherClients: *otherClients, Duration: *duration, Postgres: *pg, Work: *work, Keep: *keep, Log: os.Stderr}
	for _, c := range strings.Split(*conc, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(c))
		if err != nil || n < 1 || n > 256 {
			return fmt.Errorf("--concurrency: %q is not a number from 1 to 256", c)
		}
		cfg.Concurrency = append(cfg.Concurrency, n)
	}
	names := map[string]string{"sqlite": loadbench.SQLite, "postgres": loadbench.Postgres, "postgres2": loadbench.PostgresTwo}
	if *topos == "" {
		*topos = "sqlite"
		if *pg != "" {
			*topos = "sqlite,postgres,postgres2"
		}
	}
	for _, t := range strings.Split(*topos, ",") {
		n, ok := names[strings.TrimSpace(t)]
		if !ok {
			return fmt.Errorf("--topologies: unknown %q", t)
		}
		cfg.Topologies = append(cfg.Topologies, n)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	rep, err := loadbench.Run(ctx, cfg)
	if err != nil {
		return err
	}
	md := rep.Markdown()
	fmt.Print(md)
	if *docs != "" {
		if err := loadbench.UpdateDocs(*docs, md); err != nil {
			return err
		}
		fmt.Fprintln(os.Stderr, "loadbench: wrote the section of", *docs)
	}
	if ms := rep.Misses(); len(ms) > 0 {
		fmt.Fprintf(os.Stderr, "loadbench: %d targets missed:\n  %s\n", len(ms), strings.Join(ms, "\n  "))
	}
	return nil
}

// serveTrivial is the ceiling: the least a Go HTTP server can do.
func serveTrivial(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil || (host != "127.0.0.1" && host != "::1" && host != "localhost") {
		return fmt.Errorf("--serve-trivial %q: a loopback address only", addr)
	}
	srv := &http.Server{Addr: addr, ReadHeaderTimeout: 10 * time.Second,
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/plain")
			_, _ = w.Write([]byte("ok"))
		})}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		_ = srv.Close()
	}()
	if err := srv.ListenAndServe(); err != http.ErrServerClosed {
		return err
	}
	return nil
}
