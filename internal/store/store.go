// Package store holds all SQL of Klientela. One code path speaks two
// dialects: SQLite (embedded, the default) and PostgreSQL (for several
// stateless instances). Queries are written once with '?' placeholders and
// rebound for PostgreSQL; the few real differences live in dialect.go.
//
// Tenancy is structural: everything that belongs to an account is reached
// through a *Tenant handle (see tenant.go), whose methods add the account to
// every statement. *Store itself only has the few system queries that find
// out who is calling (sign-up, login, session and token lookup).
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib" // also registers the "pgx" driver
	_ "modernc.org/sqlite"           // registers the "sqlite" driver
)

// Dialect is the SQL engine behind a Store.
type Dialect int

const (
	SQLite Dialect = iota + 1
	Postgres
)

func (d Dialect) String() string {
	switch d {
	case SQLite:
		return "sqlite"
	case Postgres:
		return "postgres"
	}
	return "unknown"
}

// querier is what *sql.DB and *sql.Tx have in common.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// db is a dialect plus somewhere to send reads and writes. Outside a
// transaction SQLite reads go to a pool of readers and writes to its single
// writer connection; inside a transaction both go to the transaction.
type db struct {
	dialect Dialect
	r, w    querier
	writer  *sql.DB   // begins transactions
	tx      *sql.Tx   // the transaction, inside one
	rebinds *sync.Map // query → rebound query (PostgreSQL only)
	// Prepared statements of the SQLite pools (nil on PostgreSQL, whose
	// driver keeps its own per-connection statement cache).
	rstmts, wstmts *stmtCache
	// Inside a transaction on SQLite: the statements it ran unprepared,
	// to be prepared on the writer once the transaction has let go of it.
	missed *txMisses
	// Inside a transaction: what runs last before it commits (atCommit).
	commits *[]func(context.Context) error
}

// atCommit runs fn in the transaction just before it commits (at once
// outside one), after everything else the transaction does: the place for
// a write to a row every writer of an account changes, such as a kept
// count. PostgreSQL keeps a changed row locked until the commit, so a count
// bumped where the change happens held every other writer of the account
// off for the rest of the transaction (its history, reminders, the
// service's checks); bumped last, only while committing. 8 concurrent
// POST /api/v1/clients waited on client_counts: see docs/performance.md.
// A read of the count inside the transaction would not see its own change
// (nothing reads one there).
func (d db) atCommit(ctx context.Context, fn func(context.Context) error) error {
	if d.commits == nil {
		return fn(ctx)
	}
	*d.commits = append(*d.commits, fn)
	return nil
}

// txMisses are the query texts a transaction found no prepared statement
// for. A statement can't be prepared through the writer's pool while a
// transaction holds its only connection, so write paths (which run in
// transactions) would compile every statement on every call; instead
// each is prepared once after the first transaction that ran it, and
// later transactions bind it to their connection (Tx.StmtContext reuses a
// statement already prepared on that connection).
type txMisses struct {
	mu sync.Mutex
	qs []string
}

// maxLearnedQuery bounds the query texts learned from transactions: bulk
// inserts of hundreds of rows per statement are run once, not cached.
const maxLearnedQuery = 4096

func (m *txMisses) add(q string) {
	if len(q) > maxLearnedQuery {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if !slices.Contains(m.qs, q) {
		m.qs = append(m.qs, q)
	}
}

// stmtCache keeps prepared statements per query text, so that SQLite
// compiles each statement once per connection instead of on every call
// (compiling was about a third of a page's CPU). The number of distinct
// texts is bounded (queries are built from fixed pieces); past max, calls
// simply go unprepared.
type stmtCache struct {
	db  *sql.DB
	mu  sync.RWMutex
	m   map[string]*sql.Stmt
	max int
}

func newStmtCache(db *sql.DB) *stmtCache {
	return &stmtCache{db: db, m: map[string]*sql.Stmt{}, max: 2000}
}

// get returns the prepared statement of q, preparing it when needed (and
// allowed: prepare is false inside a transaction on the single writer
// connection, where preparing through the pool would wait for itself).
func (c *stmtCache) get(ctx context.Context, q string, prepare bool) *sql.Stmt {
	c.mu.RLock()
	st, n := c.m[q], len(c.m)
	c.mu.RUnlock()
	if st != nil || !prepare || n >= c.max {
		return st
	}
	// Prepare with no lock held: preparing waits for a connection, and a
	// transaction holding the writer's connection may need the lock to
	// look up its statements meanwhile.
	st, err := c.db.PrepareContext(ctx, q)
	if err != nil {
		return nil // the plain call will report the error
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if old := c.m[q]; old != nil {
		st.Close()
		return old
	}
	c.m[q] = st
	return st
}

func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, st := range c.m {
		st.Close()
	}
	c.m = map[string]*sql.Stmt{}
}

// Store is the database of one Klientela installation.
type Store struct {
	db
	readDB, writeDB *sql.DB
	checkpoints     *checkpointer // SQLite
}

// Open connects to dsn: a postgres:// (or postgresql://) URL selects
// PostgreSQL; anything else is the path of a SQLite file (a "sqlite://" or
// "file:" prefix is allowed). Open does not migrate; call Migrate.
func Open(ctx context.Context, dsn string) (*Store, error) {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		return openPostgres(ctx, dsn)
	}
	return openSQLite(ctx, dsn)
}

// SQLitePath returns the default database file inside a data folder.
func SQLitePath(dataDir string) string { return filepath.Join(dataDir, "klientela.db") }

// sqliteCacheKiB is each SQLite connection's page cache; a bulk load
// raises the writer's (see BulkLoad).
const sqliteCacheKiB = 16000

func openSQLite(ctx context.Context, dsn string) (*Store, error) {
	path := strings.TrimPrefix(strings.TrimPrefix(dsn, "sqlite://"), "file:")
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path = path[:i]
	}
	if path == "" {
		return nil, errors.New("store: empty SQLite path")
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("store: create data folder: %w", err)
		}
	}
	// WAL lets readers work while the single writer writes; busy_timeout
	// makes a second process wait instead of failing; _txlock=immediate takes
	// the write lock at BEGIN so that transactions never deadlock on upgrade;
	// _time_format=sqlite stores times as sortable text.
	q := url.Values{}
	for _, p := range []string{"busy_timeout(10000)", "journal_mode(WAL)", "foreign_keys(1)", "synchronous(NORMAL)", "temp_store(MEMORY)", "cache_size(" + strconv.Itoa(-sqliteCacheKiB) + ")"} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	q.Set("_time_format", "sqlite")
	conn := "file:" + path + "?" + q.Encode()

	// The writer leaves checkpoints to the checkpointer (checkpoint.go).
	write, err := sql.Open("sqlite", conn+"&_pragma="+url.QueryEscape("wal_autocheckpoint(0)"))
	if err != nil {
		return nil, err
	}
	write.SetMaxOpenConns(1)
	write.SetMaxIdleConns(1)
	write.SetConnMaxLifetime(0)
	read, err := sql.Open("sqlite", conn)
	if err != nil {
		write.Close()
		return nil, err
	}
	n := sqliteReaders(runtime.NumCPU())
	read.SetMaxOpenConns(n)
	read.SetMaxIdleConns(n)
	read.SetConnMaxIdleTime(5 * time.Minute)
	s := &Store{db: db{dialect: SQLite, r: read, w: write, writer: write,
		rstmts: newStmtCache(read), wstmts: newStmtCache(write)}, readDB: read, writeDB: write}
	if err := s.Ping(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	if s.checkpoints, err = startCheckpointer(conn); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// sqliteReaders is the size of SQLite's read pool on a machine of cpus
// cores: one reader per core and one more, so that a request waiting on its
// reader's disk read does not leave a core idle, and at least 3. Each reader
// keeps its own page cache (16 MB at most, pagecache.go), so a reader that
// cannot run costs memory and buys nothing: on 2 cores, 4 readers peaked at
// 199–200 MB RSS under the load benchmark's 8 concurrent clients and 3 at
// 178–179 MB (docs/performance.md).
func sqliteReaders(cpus int) int {
	return max(3, cpus+1)
}

func openPostgres(ctx context.Context, dsn string) (*Store, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, err
	}
	// No JIT compilation (unless the URL asks for it): PostgreSQL compiles
	// a query whose estimated cost passes jit_above_cost, and a misestimated
	// OLTP query of a few milliseconds then spends 17–20 ms compiling
	// (EXPLAIN ANALYZE of the dashboard's overdue contacts count at 300 000
	// contacts: 2 ms executing, 17.5 ms JIT).
	if _, ok := cfg.RuntimeParams["jit"]; !ok {
		cfg.RuntimeParams["jit"] = "off"
	}
	pg := stdlib.OpenDB(*cfg)
	pg.SetMaxOpenConns(20)
	pg.SetMaxIdleConns(20)
	pg.SetConnMaxIdleTime(5 * time.Minute)
	s := &Store{db: db{dialect: Postgres, r: pg, w: pg, writer: pg, rebinds: new(sync.Map)}, readDB: pg, writeDB: pg}
	if err := s.Ping(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("store: connect to PostgreSQL: %w", err)
	}
	return s, nil
}

// Dialect tells which engine this store runs on.
func (s *Store) Dialect() Dialect { return s.dialect }

// Ping checks that the database answers (used by /readyz).
func (s *Store) Ping(ctx context.Context) error {
	var one int
	return s.readDB.QueryRowContext(ctx, "SELECT 1").Scan(&one)
}

// Close closes the connection pools.
func (s *Store) Close() error {
	var err error
	if s.checkpoints != nil {
		err = s.checkpoints.close()
	}
	if s.rstmts != nil {
		s.rstmts.close()
		s.wstmts.close()
	}
	err = errors.Join(err, s.readDB.Close())
	if s.writeDB != s.readDB {
		err = errors.Join(err, s.writeDB.Close())
	}
	return err
}

// Tenant returns the handle through which everything of one account is read
// and written.
func (s *Store) Tenant(accountID int64) *Tenant { return &Tenant{db: s.db, account: accountID} }

// InTx runs fn in a transaction on the writer; fn's store sends every
// statement to that transaction. It commits when fn returns nil.
func (s *Store) InTx(ctx context.Context, fn func(tx *Store) error) error {
	return s.db.inTx(ctx, func(d db) error { return fn(&Store{db: d, readDB: s.readDB, writeDB: s.writeDB}) })
}

func (d db) inTx(ctx context.Context, fn func(db) error) (err error) {
	if d.tx != nil {
		return fn(d) // already inside one: join it
	}
	tx, err := d.writer.BeginTx(ctx, nil)
	if err != nil {
		return mapError(err)
	}
	defer func() {
		if p := recover(); p != nil {
			_ = tx.Rollback()
			panic(p)
		}
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	inner := d
	inner.r, inner.w, inner.tx = tx, tx, tx
	if d.wstmts != nil {
		inner.missed = &txMisses{}
	}
	inner.commits = new([]func(context.Context) error)
	if err = fn(inner); err != nil {
		return err
	}
	for i := 0; i < len(*inner.commits); i++ { // a hook may add another
		if err = (*inner.commits)[i](ctx); err != nil {
			return err
		}
	}
	if err = mapError(tx.Commit()); err != nil || inner.missed == nil {
		return err
	}
	for _, q := range inner.missed.qs {
		d.wstmts.get(context.WithoutCancel(ctx), q, true)
	}
	return nil
}

// bind rewrites '?' placeholders into PostgreSQL's $1, $2, … (outside quoted
// strings), caching the result per query text.
func (d db) bind(query string) string {
	if d.dialect != Postgres {
		return query
	}
	if v, ok := d.rebinds.Load(query); ok {
		return v.(string)
	}
	var b strings.Builder
	b.Grow(len(query) + 8)
	n, quoted := 0, false
	for i := 0; i < len(query); i++ {
		c := query[i]
		switch {
		case c == '\'':
			quoted = !quoted
			b.WriteByte(c)
		case c == '?' && !quoted:
			n++
			fmt.Fprintf(&b, "$%d", n)
		default:
			b.WriteByte(c)
		}
	}
	out := b.String()
	d.rebinds.Store(query, out)
	return out
}

// prepared returns a cached statement for q on the writer (write) or the
// readers, bound to the transaction inside one; nil to run q unprepared.
func (d db) prepared(ctx context.Context, q string, write bool) *sql.Stmt {
	if d.rstmts == nil {
		return nil
	}
	if d.tx != nil {
		// The transaction holds the writer's only connection: use what that
		// connection already has, never prepare through the pool.
		if st := d.wstmts.get(ctx, q, false); st != nil {
			return d.tx.StmtContext(ctx, st)
		}
		if d.missed != nil {
			d.missed.add(q)
		}
		return nil
	}
	if write {
		return d.wstmts.get(ctx, q, true)
	}
	return d.rstmts.get(ctx, q, true)
}

func (d db) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	q := d.bind(query)
	if st := d.prepared(ctx, q, true); st != nil {
		res, err := st.ExecContext(ctx, d.args(args)...)
		return res, mapError(err)
	}
	res, err := d.w.ExecContext(ctx, q, d.args(args)...)
	return res, mapError(err)
}

func (d db) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	q := d.bind(query)
	if st := d.prepared(ctx, q, false); st != nil {
		rows, err := st.QueryContext(ctx, d.args(args)...)
		return rows, mapError(err)
	}
	rows, err := d.r.QueryContext(ctx, q, d.args(args)...)
	return rows, mapError(err)
}

func (d db) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	q := d.bind(query)
	if st := d.prepared(ctx, q, false); st != nil {
		return st.QueryRowContext(ctx, d.args(args)...)
	}
	return d.r.QueryRowContext(ctx, q, d.args(args)...)
}

// writeRows runs a statement with RETURNING of many rows on the writer.
func (d db) writeRows(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	q := d.bind(query)
	if st := d.prepared(ctx, q, true); st != nil {
		rows, err := st.QueryContext(ctx, d.args(args)...)
		return rows, mapError(err)
	}
	rows, err := d.w.QueryContext(ctx, q, d.args(args)...)
	return rows, mapError(err)
}

// writeRow runs a statement with RETURNING on the writer.
func (d db) writeRow(ctx context.Context, query string, args ...any) *sql.Row {
	q := d.bind(query)
	if st := d.prepared(ctx, q, true); st != nil {
		return st.QueryRowContext(ctx, d.args(args)...)
	}
	return d.w.QueryRowContext(ctx, q, d.args(args)...)
}

// timeBefore is SQL for the time in column col moved back by whole seconds
// of by, in the form the engine stores times in: on SQLite that is text
// ("2006-01-02 15:04:05.999999+00:00", always UTC, see args), rebuilt from
// strftime's seconds and the column's own fraction and zone, so that it
// compares with stored times as text and reads back as the same instant.
func (d db) timeBefore(col string, by time.Duration) string {
	secs := strconv.FormatInt(int64(by/time.Second), 10)
	if d.dialect == Postgres {
		return `(` + col + ` - make_interval(secs => ` + secs + `))`
	}
	return `(strftime('%Y-%m-%d %H:%M:%S', ` + col + `, '-` + secs + ` seconds') || substr(` + col + `, 20))`
}

// planEach, as a query's first argument, has PostgreSQL plan the query for
// its values at every call: pgx then sends it as an unnamed statement
// (QueryExecModeExec) rather than as the connection's cached prepared one,
// whose plan PostgreSQL fixes after five calls to a generic one made
// without the values. A search's plan depends on its words: the generic one
// for „łódź” ANDed the trigram index with the 100 000 entries of the
// account's in clients_by_employee (4–5 ms more per count); for a word of
// two letters, which the trigram index cannot serve, it read all of that
// index (348 ms; planned for the word, a sequential scan: 85 ms). SQLite
// drops the argument.
var planEach = planEachCall{}

type planEachCall struct{}

// args normalises times: always UTC, at microsecond precision (what
// PostgreSQL keeps), so both engines store and compare the same instants.
// Text goes in as valid UTF-8 without NUL bytes, which PostgreSQL refuses
// (the service cleans its input; this is the backstop that keeps a missed
// field from becoming a 500 on one engine only).
func (d db) args(args []any) []any {
	if len(args) > 0 && args[0] == planEach {
		if d.dialect != Postgres {
			args = args[1:]
		} else {
			args = append([]any{pgx.QueryExecModeExec}, args[1:]...)
		}
	}
	for i, a := range args {
		switch v := a.(type) {
		case string:
			if strings.IndexByte(v, 0) >= 0 || !utf8.ValidString(v) {
				args[i] = strings.ReplaceAll(strings.ToValidUTF8(v, "\uFFFD"), "\x00", "")
			}
		case time.Time:
			args[i] = v.UTC().Truncate(time.Microsecond)
		case *time.Time:
			if v != nil {
				args[i] = v.UTC().Truncate(time.Microsecond)
			}
		}
	}
	return args
}
