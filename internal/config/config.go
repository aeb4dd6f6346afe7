// Package config reads Klientela's configuration from flags and KLIENTELA_*
// environment variables (a flag wins over the variable) into one struct,
// validated once at start and passed explicitly to whoever needs it.
package config

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Config is the whole configuration of one instance.
type Config struct {
	Addr        string // listen address, ":8080"
	DataDir     string // data folder, "./data"
	DB          string // database: a SQLite path or a postgres:// URL; empty = SQLite in DataDir
	BaseURL     string // public URL, e.g. https://crm.example.pl; decides Secure cookies
	Signup      bool   // public sign-up open
	TrustProxy  bool   // take the client IP from X-Forwarded-For
	LogFormat   string // "text" or "json"
	LogLevel    string // "debug", "info", "warn", "error"
	Files       string // blob store of file bytes: file:///path or s3://bucket?…; empty = file://<data>/files
	MaxFileSize int64  // bytes of one uploaded file
	FilesQuota  int64  // bytes of all files of one account
	// PprofAddr, when set, serves net/http/pprof on its own listener (e.g.
	// "127.0.0.1:6060"), never on the public address: profiling is for the
	// operator of the machine, not for any user of the CRM.
	PprofAddr       string
	ShutdownTimeout time.Duration
	// MemoryLimit is the soft limit of the Go heap (runtime/debug.SetMemoryLimit)
	// the server runs with unless GOMEMLIMIT is set; 0 for none. See
	// TuneMemory.
	MemoryLimit int64

	maxFileSize, filesQuota, memoryLimit string // as given, read by Validate
}

// FilesURL is the blob store of file bytes: Files, or a files folder in
// the data folder.
func (c Config) FilesURL() string {
	if c.Files != "" {
		return c.Files
	}
	return "file://" + filepath.ToSlash(filepath.Join(c.DataDir, "files"))
}

// ParseSize reads a size in bytes: "1048576", "100MB", "1 GB", "512kb"
// (binary units: KB = 1024 bytes).
func ParseSize(s string) (int64, error) {
	t := strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(s), " ", ""))
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		m      int64
	}{{"TB", 1 << 40}, {"GB", 1 << 30}, {"MB", 1 << 20}, {"KB", 1 << 10}, {"B", 1}} {
		if n, ok := strings.CutSuffix(t, u.suffix); ok {
			t, mult = n, u.m
			break
		}
	}
	n, err := strconv.ParseInt(t, 10, 64)
	if err != nil || n <= 0 || n > (1<<62)/mult {
		return 0, fmt.Errorf("%q is not a size (e.g. 100MB, 1GB)", s)
	}
	return n * mult, nil
}

// Secure reports whether the public URL is https (cookies get Secure).
func (c Config) Secure() bool { return strings.HasPrefix(c.BaseURL, "https://") }

// IsPostgres reports whether the database is PostgreSQL.
func (c Config) IsPostgres() bool {
	return strings.HasPrefix(c.DB, "postgres://") || strings.HasPrefix(c.DB, "postgresql://")
}

// FlagSet defines the server flags on fs, with defaults taken from the
// environment (getenv), and returns the Config they fill.
func FlagSet(fs *flag.FlagSet, getenv func(string) string) *Config {
	c := &Config{}
	str := func(p *string, name, env, def, usage string) {
		if v := getenv(env); v != "" {
			def = v
		}
		fs.StringVar(p, name, def, usage+" ($"+env+")")
	}
	boolean := func(p *bool, name, env string, def bool, usage string) {
		if v := getenv(env); v != "" {
			if b, err := strconv.ParseBool(v); err == nil {
				def = b
			}
		}
		fs.BoolVar(p, name, def, usage+" ($"+env+")")
	}
	str(&c.Addr, "addr", "KLIENTELA_ADDR", ":8080", "address to listen on")
	str(&c.DataDir, "data", "KLIENTELA_DATA", "./data", "data folder (SQLite database, files)")
	str(&c.DB, "db", "KLIENTELA_DB", "", "database: SQLite file path or postgres:// URL (default: SQLite in the data folder)")
	str(&c.BaseURL, "base-url", "KLIENTELA_BASE_URL", "", "public URL of this installation, e.g. https://crm.example.pl")
	boolean(&c.Signup, "signup", "KLIENTELA_SIGNUP", true, "allow public sign-up")
	boolean(&c.TrustProxy, "trust-proxy", "KLIENTELA_TRUST_PROXY", false, "trust X-Forwarded-For from a reverse proxy")
	str(&c.LogFormat, "log-format", "KLIENTELA_LOG_FORMAT", "text", "log format: text or json")
	str(&c.LogLevel, "log-level", "KLIENTELA_LOG_LEVEL", "info", "log level: debug, info, warn, error")
	str(&c.PprofAddr, "pprof-addr", "KLIENTELA_PPROF_ADDR", "", "serve Go profiling (pprof) on this separate address, e.g. 127.0.0.1:6060 (off when empty)")
	str(&c.Files, "files", "KLIENTELA_FILES", "", "where file bytes go: file:///path or s3://bucket?region=…&endpoint=… (default: file://<data>/files)")
	str(&c.maxFileSize, "max-file-size", "KLIENTELA_MAX_FILE_SIZE", "100MB", "largest uploaded file")
	str(&c.filesQuota, "files-quota", "KLIENTELA_FILES_QUOTA", "1GB", "bytes of files per account")
	str(&c.memoryLimit, "memory-limit", "KLIENTELA_MEMORY_LIMIT", "96MB", "soft limit of the server's Go heap (the SQLite page cache comes on top); 0 for none; GOMEMLIMIT, when set, wins")
	c.ShutdownTimeout = 15 * time.Second
	return c
}

// Parse reads args (without the program name) and the environment.
func Parse(name string, args []string, getenv func(string) string, stderr io.Writer) (Config, error) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	c := FlagSet(fs, getenv)
	if err := fs.Parse(args); err != nil {
		return Config{}, err
	}
	if fs.NArg() > 0 {
		return Config{}, fmt.Errorf("unexpected arguments: %v", fs.Args())
	}
	return *c, c.Validate()
}

// FromEnv is Parse without flags, for callers that only have the environment.
func FromEnv() (Config, error) { return Parse("klientela", nil, os.Getenv, io.Discard) }

// Validate checks the configuration and fills in derived defaults.
func (c *Config) Validate() error {
	var errs []error
	if c.DataDir == "" {
		errs = append(errs, errors.New("--data must not be empty"))
	}
	if c.BaseURL != "" {
		u, err := url.Parse(c.BaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs = append(errs, fmt.Errorf("--base-url %q is not an http(s) URL", c.BaseURL))
		}
		c.BaseURL = strings.TrimSuffix(c.BaseURL, "/")
	}
	if c.maxFileSize != "" {
		n, err := ParseSize(c.maxFileSize)
		if err != nil {
			errs = append(errs, fmt.Errorf("--max-file-size: %w", err))
		}
		c.MaxFileSize = n
	}
	if c.filesQuota != "" {
		n, err := ParseSize(c.filesQuota)
		if err != nil {
			errs = append(errs, fmt.Errorf("--files-quota: %w", err))
		}
		c.FilesQuota = n
	}
	if c.memoryLimit != "" && c.memoryLimit != "0" {
		n, err := ParseSize(c.memoryLimit)
		if err != nil {
			errs = append(errs, fmt.Errorf("--memory-limit: %w", err))
		} else if n < 32<<20 {
			errs = append(errs, fmt.Errorf("--memory-limit %s: at least 32MB, or 0 for none", c.memoryLimit))
		}
		c.MemoryLimit = n
	}
	if c.Files != "" && !strings.HasPrefix(c.Files, "file://") && !strings.HasPrefix(c.Files, "s3://") {
		errs = append(errs, fmt.Errorf("--files %q: want file:///path or s3://bucket?…", c.Files))
	}
	switch c.LogFormat {
	case "text", "json":
	default:
		errs = append(errs, fmt.Errorf("--log-format %q: want text or json", c.LogFormat))
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		errs = append(errs, fmt.Errorf("--log-level %q: want debug, info, warn or error", c.LogLevel))
	}
	if c.PprofAddr != "" {
		host, _, err := net.SplitHostPort(c.PprofAddr)
		switch {
		case err != nil:
			errs = append(errs, fmt.Errorf("--pprof-addr %q: %v", c.PprofAddr, err))
		case c.PprofAddr == c.Addr:
			errs = append(errs, fmt.Errorf("--pprof-addr must differ from --addr"))
		case !isLoopback(host):
			errs = append(errs, fmt.Errorf("--pprof-addr %q: profiling may only listen on a loopback address (127.0.0.1, ::1, localhost)", c.PprofAddr))
		}
	}
	return errors.Join(errs...)
}

// isLoopback reports whether host names this machine only.
func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
