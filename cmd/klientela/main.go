// Command klientela runs Klientela, a CRM for Polish small businesses.
//
//	klientela [serve]                 start the server (the default)
//	klientela migrate                 apply database migrations and exit
//	klientela account create --name N --email E --password P
//	                                  create an account with its owner; prints its id
//	klientela demo --email E --password P [--clients N --contacts N --tasks N --documents N --employees N]
//	                                  create an account filled with demo data
//	klientela backup --out FILE       write a consistent copy of the SQLite database
//	klientela version                 print the version
//
// Every subcommand reads the same configuration: flags or KLIENTELA_*
// variables (see config.FlagSet). With no configuration at all it keeps an
// embedded SQLite database in ./data and listens on :8080.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"
	_ "time/tzdata" // Europe/Warsaw works on machines without a zoneinfo database

	"klientela/internal/app"
	"klientela/internal/buildinfo"
	"klientela/internal/config"
	"klientela/internal/demo"
	"klientela/internal/service"
	"klientela/internal/store"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "klientela:", err)
		}
		os.Exit(1)
	}
}

const usage = `Klientela — CRM dla małych firm / a CRM for small businesses

Usage:
  klientela [serve] [flags]        start the server (default)
  klientela migrate [flags]        apply database migrations and exit
  klientela account create --name NAME --email EMAIL --password PASSWORD [flags]
                                   create an account with its owner; prints the account id
  klientela demo --email EMAIL --password PASSWORD [--clients N --contacts N --tasks N --documents N
                 --employees N --seed N]
                                   create an account filled with realistic Polish demo data
  klientela backup --out FILE      write a consistent copy of the SQLite database while the
                                   server runs (PostgreSQL: use pg_dump); copy <data>/files too
  klientela version                print the version

Run "klientela serve -h" for the flags; each has a KLIENTELA_* variable.
`

func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cmd := "serve"
	if len(args) > 0 && (args[0] == "" || args[0][0] != '-') {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		return serve(ctx, args, getenv, stderr)
	case "migrate":
		return migrate(ctx, args, getenv, stdout, stderr)
	case "account":
		return account(ctx, args, getenv, stdout, stderr)
	case "demo":
		return demoAccount(ctx, args, getenv, stdout, stderr)
	case "backup":
		return backup(ctx, args, getenv, stdout, stderr)
	case "version":
		fmt.Fprintln(stdout, "klientela", buildinfo.String())
		return nil
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", cmd)
}

func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.LogLevel))
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

func serve(ctx context.Context, args []string, getenv func(string) string, stderr io.Writer) error {
	cfg, err := config.Parse("klientela serve", args, getenv, stderr)
	if err != nil {
		return err
	}
	log := newLogger(cfg, stderr)
	limit, gogc := cfg.TuneMemory(getenv)
	a, err := app.New(ctx, cfg, log, app.Options{})
	if err != nil {
		return err
	}
	defer a.Close()
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	db := "sqlite " + store.SQLitePath(cfg.DataDir)
	if cfg.DB != "" {
		db = a.Store.Dialect().String()
	}
	log.Info("klientela started", "version", buildinfo.String(), "addr", ln.Addr().String(), "db", db, "signup", cfg.Signup,
		"memory_limit", limit, "gogc", gogc)
	return a.Serve(ctx, ln)
}

func migrate(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, err := config.Parse("klientela migrate", args, getenv, stderr)
	if err != nil {
		return err
	}
	a, err := app.New(ctx, cfg, newLogger(cfg, stderr), app.Options{}) // migrates on open
	if err != nil {
		return err
	}
	defer a.Close()
	cur, _, err := a.Store.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "database schema at version %d\n", cur)
	return nil
}

// backup copies the SQLite database to --out. It opens the database like
// the server does (migrations included, so the copy has the current
// schema) and may run beside a running server.
func backup(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("klientela backup", flag.ContinueOnError)
	fs.SetOutput(stderr)
	c := config.FlagSet(fs, getenv)
	out := fs.String("out", "", "the backup file to write (must not exist), e.g. klientela-2026-12-03.db")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := c.Validate(); err != nil {
		return err
	}
	if *out == "" {
		return errors.New("usage: klientela backup --out FILE")
	}
	a, err := app.New(ctx, *c, newLogger(*c, stderr), app.Options{})
	if err != nil {
		return err
	}
	defer a.Close()
	start := time.Now()
	if err := a.Store.BackupSQLite(ctx, *out); err != nil {
		return err
	}
	st, err := os.Stat(*out)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "database copied to %s (%d bytes) in %v\n", *out, st.Size(), time.Since(start).Round(time.Millisecond))
	if c.Files == "" || strings.HasPrefix(c.Files, "file://") {
		fmt.Fprintln(stdout, "uploaded files are not in it: copy the files folder as well (its files never change once written)")
	}
	return nil
}

func account(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "create" {
		return errors.New(`usage: klientela account create --name NAME --email EMAIL --password PASSWORD`)
	}
	fs := flag.NewFlagSet("klientela account create", flag.ContinueOnError)
	fs.SetOutput(stderr)
	c := config.FlagSet(fs, getenv)
	name := fs.String("name", "", "company name")
	email := fs.String("email", "", "owner's e-mail (login)")
	pw := fs.String("password", "", "owner's password (at least 10 characters)")
	owner := fs.String("owner", "", "owner's full name (default: the company name)")
	lang := fs.String("lang", "pl", "owner's language: pl or en")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if err := c.Validate(); err != nil {
		return err
	}
	if *owner == "" {
		*owner = *name
	}
	a, err := app.New(ctx, *c, newLogger(*c, stderr), app.Options{})
	if err != nil {
		return err
	}
	defer a.Close()
	acc, _, err := a.Service.CreateAccount(ctx, service.SignUpInput{CompanyName: *name, Name: *owner,
		Email: *email, Password: *pw, Locale: *lang})
	if err != nil {
		return describe(err)
	}
	fmt.Fprintln(stdout, acc.ID)
	return nil
}

func demoAccount(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("klientela demo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	c := config.FlagSet(fs, getenv)
	email := fs.String("email", "", "owner's e-mail (login)")
	pw := fs.String("password", "", "owner's password (at least 10 characters); the demo's other users share it")
	company := fs.String("company", "", "company name (default: Hurtownia Żuraw Sp. z o.o.)")
	clients := fs.Int("clients", demo.DefaultClients, "number of clients")
	contacts := fs.Int("contacts", 0, "number of planned contacts (default: 3 per client)")
	tasks := fs.Int("tasks", 0, "number of tasks (default: 3 per 2 clients)")
	documents := fs.Int("documents", demo.DefaultDocuments, "number of documents, 2 templates among them")
	employees := fs.Int("employees", demo.DefaultEmployees, "number of employees")
	seed := fs.Uint64("seed", demo.DefaultSeed, "seed of the generator: the same seed gives the same data")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := c.Validate(); err != nil {
		return err
	}
	if *clients < 1 || *employees < 1 || *contacts < 0 || *tasks < 0 || *documents < 0 {
		return errors.New("--clients and --employees must be at least 1, --contacts, --tasks and --documents at least 0")
	}
	log := newLogger(*c, stderr)
	a, err := app.New(ctx, *c, log, app.Options{})
	if err != nil {
		return err
	}
	defer a.Close()
	start := time.Now()
	res, err := demo.Run(ctx, a.Service, a.Store, demo.Options{Company: *company, Email: *email, Password: *pw,
		Clients: *clients, Contacts: *contacts, Tasks: *tasks, Documents: *documents, Employees: *employees, Seed: *seed,
		Log: func(format string, args ...any) { log.Info("demo: " + fmt.Sprintf(format, args...)) }})
	if err != nil {
		return describe(err)
	}
	fmt.Fprintf(stdout, "account %d %q: %d clients (%d contact persons), %d planned contacts, %d tasks, %d documents "+
		"(%d templates), %d employees, %d groups in %v\n",
		res.Account.ID, res.Account.Name, res.Clients, res.Persons, res.Contacts, res.Tasks, res.Documents,
		len(res.Templates), len(res.Employees), len(res.Groups), time.Since(start).Round(time.Millisecond))
	fmt.Fprintf(stdout, "log in as %s", res.Owner.Email)
	for _, u := range res.Users {
		fmt.Fprintf(stdout, ", %s", u.Email)
	}
	fmt.Fprintln(stdout, " (the same password)")
	return nil
}
