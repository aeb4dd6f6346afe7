package main

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"klientela/internal/store/storetest"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestVersionAndUsage(t *testing.T) {
	var out, errb bytes.Buffer
	if err := run(context.Background(), []string{"version"}, env(nil), &out, &errb); err != nil || !strings.HasPrefix(out.String(), "klientela ") {
		t.Fatalf("version: %v %q", err, out.String())
	}
	if err := run(context.Background(), []string{"frobnicate"}, env(nil), &out, &errb); err == nil || !strings.Contains(errb.String(), "Usage:") {
		t.Fatalf("unknown command: %v", err)
	}
}

func TestAccountCreateAndMigrate(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			data := t.TempDir()
			vars := map[string]string{"KLIENTELA_DATA": data}
			if engine == "postgres" {
				vars["KLIENTELA_DB"] = storetest.PostgresDSN(t)
			}
			ctx := context.Background()
			var out, errb bytes.Buffer
			if err := run(ctx, []string{"migrate"}, env(vars), &out, &errb); err != nil || !strings.HasPrefix(out.String(), "database schema at version ") {
				t.Fatalf("migrate: %v %q %q", err, out.String(), errb.String())
			}
			out.Reset()
			args := []string{"account", "create", "--name", "Hurtownia Żuraw", "--email", "szef@zuraw.pl", "--password", "bardzo-tajne-1"}
			if err := run(ctx, args, env(vars), &out, &errb); err != nil {
				t.Fatalf("account create: %v\n%s", err, errb.String())
			}
			if id, err := strconv.ParseInt(strings.TrimSpace(out.String()), 10, 64); err != nil || id < 1 {
				t.Fatalf("account create printed %q, want an id", out.String())
			}
			err := run(ctx, args, env(vars), &out, &errb)
			if err == nil || !strings.Contains(err.Error(), "--email: This email address is already registered") {
				t.Fatalf("duplicate account: %v", err)
			}
			err = run(ctx, []string{"account", "create", "--name", "", "--email", "x", "--password", "krótkie"}, env(vars), &out, &errb)
			for _, want := range []string{"--name:", "--email:", "--password:"} {
				if err == nil || !strings.Contains(err.Error(), want) {
					t.Fatalf("invalid account: %v lacks %q", err, want)
				}
			}
			if m, _ := filepath.Glob(filepath.Join(data, "klientela.db")); (len(m) == 1) != (engine == "sqlite") {
				t.Fatalf("SQLite file in the data folder: %v (engine %s)", m, engine)
			}
		})
	}
}

// The server starts with nothing but a data folder, answers /readyz, and
// shuts down cleanly when its context ends (SIGTERM in production).
// freeAddr returns a loopback address nobody listens on right now.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func TestServeAndShutdown(t *testing.T) {
	addr, pprofAddr := freeAddr(t), freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	var errb bytes.Buffer
	go func() {
		done <- run(ctx, []string{"--addr", addr, "--data", t.TempDir(), "--pprof-addr", pprofAddr}, env(nil), &bytes.Buffer{}, &errb)
	}()
	deadline := time.Now().Add(10 * time.Second)
	for {
		res, err := http.Get("http://" + addr + "/readyz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("server not ready: %v\n%s", err, errb.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	// The profiler answers on its own loopback address and nowhere else.
	for url, want := range map[string]int{
		"http://" + pprofAddr + "/debug/pprof/": 200,
		"http://" + addr + "/debug/pprof/":      404,
	} {
		res, err := http.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != want {
			t.Errorf("GET %s = %d, want %d", url, res.StatusCode, want)
		}
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve returned %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("server did not shut down")
	}
	if !strings.Contains(errb.String(), "shutting down") {
		t.Errorf("log lacks the shutdown line:\n%s", errb.String())
	}
}

func TestBadConfig(t *testing.T) {
	var out, errb bytes.Buffer
	err := run(context.Background(), []string{"serve", "--base-url", "ftp://x", "--log-format", "xml"}, env(nil), &out, &errb)
	if err == nil || !strings.Contains(err.Error(), "--base-url") || !strings.Contains(err.Error(), "--log-format") {
		t.Fatalf("bad config: %v", err)
	}
	err = run(context.Background(), []string{"serve"}, env(map[string]string{"KLIENTELA_DB": "postgres://nobody:x@127.0.0.1:1/none?connect_timeout=1"}), &out, &errb)
	if err == nil || !strings.Contains(err.Error(), "PostgreSQL") {
		t.Fatalf("unreachable database: %v", err)
	}
}
