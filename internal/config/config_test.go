package config

import (
	"io"
	"runtime/debug"
	"strings"
	"testing"
)

func TestParseDefaultsAndEnvironment(t *testing.T) {
	c, err := Parse("k", nil, func(string) string { return "" }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != ":8080" || c.DataDir != "./data" || c.DB != "" || !c.Signup || c.Secure() || c.IsPostgres() {
		t.Fatalf("defaults = %+v", c)
	}
	env := map[string]string{"KLIENTELA_ADDR": ":9000", "KLIENTELA_DB": "postgres://x@h/db", "KLIENTELA_SIGNUP": "false",
		"KLIENTELA_BASE_URL": "https://crm.example.pl/"}
	c, err = Parse("k", []string{"--addr", ":7000"}, func(k string) string { return env[k] }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != ":7000" { // a flag wins over the variable
		t.Errorf("addr = %q", c.Addr)
	}
	if !c.IsPostgres() || c.Signup || !c.Secure() || c.BaseURL != "https://crm.example.pl" {
		t.Errorf("from environment: %+v", c)
	}
}

func TestValidate(t *testing.T) {
	for _, args := range [][]string{
		{"--base-url", "crm.example.pl"},
		{"--base-url", "ftp://x"},
		{"--log-format", "xml"},
		{"--log-level", "loud"},
		{"--data", ""},
		{"--max-file-size", "lots"},
		{"--files-quota", "-1GB"},
		{"--files", "ftp://x"},
		{"extra"},
		{"--pprof-addr", "0.0.0.0:6060"},
		{"--pprof-addr", ":6060"},
		{"--pprof-addr", "6060"},
		{"--addr", "127.0.0.1:8080", "--pprof-addr", "127.0.0.1:8080"},
	} {
		if _, err := Parse("k", args, func(string) string { return "" }, io.Discard); err == nil {
			t.Errorf("Parse(%v) accepted bad configuration", args)
		}
	}
	for _, addr := range []string{"127.0.0.1:6060", "[::1]:6060", "localhost:6060"} {
		if _, err := Parse("k", []string{"--pprof-addr", addr}, func(string) string { return "" }, io.Discard); err != nil {
			t.Errorf("--pprof-addr %s refused: %v", addr, err)
		}
	}
	_, err := Parse("k", []string{"--log-format", "xml", "--log-level", "loud"}, func(string) string { return "" }, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "--log-format") || !strings.Contains(err.Error(), "--log-level") {
		t.Errorf("all problems are reported at once: %v", err)
	}
}

func TestFilesSettings(t *testing.T) {
	c, err := Parse("k", []string{"--data", "/srv/k"}, func(string) string { return "" }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.FilesURL() != "file:///srv/k/files" || c.MaxFileSize != 100<<20 || c.FilesQuota != 1<<30 {
		t.Fatalf("defaults: %q %d %d", c.FilesURL(), c.MaxFileSize, c.FilesQuota)
	}
	env := map[string]string{"KLIENTELA_FILES": "s3://bucket?region=eu-central-1", "KLIENTELA_MAX_FILE_SIZE": "5 mb",
		"KLIENTELA_FILES_QUOTA": "2GB"}
	c, err = Parse("k", nil, func(k string) string { return env[k] }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.FilesURL() != "s3://bucket?region=eu-central-1" || c.MaxFileSize != 5<<20 || c.FilesQuota != 2<<30 {
		t.Fatalf("from environment: %q %d %d", c.FilesURL(), c.MaxFileSize, c.FilesQuota)
	}
	for in, want := range map[string]int64{"1": 1, "10KB": 10 << 10, "1tb": 1 << 40, "7B": 7} {
		if n, err := ParseSize(in); err != nil || n != want {
			t.Errorf("ParseSize(%q) = %d, %v", in, n, err)
		}
	}
}

// The memory limit: 96MB by default, any size of at least 32MB, 0 for
// none; a clear error for anything else.
func TestMemoryLimit(t *testing.T) {
	for args, want := range map[string]int64{"": 96 << 20, "--memory-limit=1GB": 1 << 30, "--memory-limit=0": 0, "--memory-limit=64MB": 64 << 20} {
		var a []string
		if args != "" {
			a = []string{args}
		}
		c, err := Parse("k", a, func(string) string { return "" }, io.Discard)
		if err != nil || c.MemoryLimit != want {
			t.Errorf("%q: %d, %v; want %d", args, c.MemoryLimit, err, want)
		}
	}
	for _, bad := range []string{"lots", "1MB", "-5"} {
		if _, err := Parse("k", []string{"--memory-limit", bad}, func(string) string { return "" }, io.Discard); err == nil ||
			!strings.Contains(err.Error(), "--memory-limit") {
			t.Errorf("%q: %v, want an error naming --memory-limit", bad, err)
		}
	}
}

// TuneMemory sets the limit and a lazier GOGC, unless the environment
// says otherwise.
func TestTuneMemory(t *testing.T) {
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1))
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	c := Config{MemoryLimit: 96 << 20}
	if limit, gogc := c.TuneMemory(func(string) string { return "" }); limit != 96<<20 || gogc != gcPercentWithLimit {
		t.Errorf("tuned: limit %d, GOGC %d", limit, gogc)
	}
	debug.SetMemoryLimit(1<<63 - 1)
	debug.SetGCPercent(100)
	env := map[string]string{"GOMEMLIMIT": "1GiB"}
	if limit, gogc := c.TuneMemory(func(k string) string { return env[k] }); limit != 0 || gogc != 100 {
		t.Errorf("with GOMEMLIMIT set: limit %d, GOGC %d; want both untouched", limit, gogc)
	}
}
