// Package store keeps ajans' data in SQLite or PostgreSQL over database/sql.
// All SQL of the project lives here. Queries are written once with `?`
// placeholders and rebound for PostgreSQL.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	"github.com/pressly/goose/v3"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/ajans/ajans"
)

//go:embed migrations
var migrations embed.FS

// DB is a handle on the ajans database. It is safe for concurrent use.
type DB struct {
	// write takes every transaction that writes. On SQLite it has a single
	// connection, so writes queue in Go instead of failing with "database is
	// locked"; on PostgreSQL it is the same pool as read.
	write *sql.DB
	read  *sql.DB

	postgres bool
	queries  sync.Map // query text → rebound text, for PostgreSQL

	// Prepared statements of the SQLite pools; nil on PostgreSQL.
	readStmts, writeStmts *statements

	// Now returns the current time; tests replace it.
	Now func() time.Time
}

// Open opens the database named by url: a postgres:// or postgresql:// URL
// for PostgreSQL, or "" for SQLite in dataDir/ajans.db. It does not migrate.
func Open(url, dataDir string) (*DB, error) {
	if strings.HasPrefix(url, "postgres://") || strings.HasPrefix(url, "postgresql://") {
		return openPostgres(url)
	}
	if url != "" {
		return nil, fmt.Errorf("database URL %q: want postgres://… or empty for SQLite", redactURL(url))
	}
	return openSQLite(filepath.Join(dataDir, "ajans.db"))
}

func openPostgres(url string) (*DB, error) {
	db, err := sql.Open("pgx", url)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	db.SetMaxOpenConns(32)
	db.SetMaxIdleConns(32)
	db.SetConnMaxIdleTime(5 * time.Minute)
	return &DB{write: db, read: db, postgres: true, Now: time.Now}, nil
}

// OpenSQLite opens (creating if needed) the SQLite database at path.
func openSQLite(path string) (*DB, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("create data folder: %w", err)
	}
	// WAL lets readers run beside the writer; the busy timeout covers other
	// processes (the CLI) writing the same file; immediate transactions take
	// the write lock up front so a transaction never fails half-way.
	dsn := "file:" + path + "?_txlock=immediate" +
		"&_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)" +
		"&_pragma=synchronous(NORMAL)&_pragma=foreign_keys(1)"
	write, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open sqlite: %w", err)
	}
	write.SetMaxOpenConns(1)
	write.SetConnMaxIdleTime(0)
	read, err := sql.Open("sqlite", dsn+"&_pragma=query_only(1)")
	if err != nil {
		write.Close()
		return nil, fmt.Errorf("open sqlite: %w", err)
	}
	read.SetMaxOpenConns(8)
	read.SetMaxIdleConns(8)
	return &DB{write: write, read: read, Now: time.Now,
		readStmts: &statements{pool: read}, writeStmts: &statements{pool: write}}, nil
}

// Postgres reports whether the database is PostgreSQL.
func (db *DB) Postgres() bool { return db.postgres }

// Migrate brings the schema up to date with the embedded migrations.
func (db *DB) Migrate(ctx context.Context) error {
	dialect, dir := goose.DialectSQLite3, "migrations/sqlite"
	if db.postgres {
		dialect, dir = goose.DialectPostgres, "migrations/postgres"
	}
	fsys, err := fs.Sub(migrations, dir)
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	p, err := goose.NewProvider(dialect, db.write, fsys)
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	return nil
}

// Ping reports an error when the database cannot be reached.
func (db *DB) Ping(ctx context.Context) error {
	return db.read.PingContext(ctx)
}

// Close closes the database.
func (db *DB) Close() error {
	err := errors.Join(db.readStmts.close(), db.writeStmts.close(), db.write.Close())
	if db.read != db.write {
		err = errors.Join(err, db.read.Close())
	}
	return err
}

// q returns query with its `?` placeholders in the database's own form.
func (db *DB) q(query string) string {
	if !db.postgres {
		return query
	}
	if v, ok := db.queries.Load(query); ok {
		return v.(string)
	}
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	db.queries.Store(query, b.String())
	return b.String()
}

// forUpdate is appended to a SELECT that reads a row the transaction will
// change. SQLite needs nothing: its writes are serialised already.
func (db *DB) forUpdate() string {
	if db.postgres {
		return " FOR UPDATE"
	}
	return ""
}

// tx is a write transaction with the database's placeholder form and
// prepared statements at hand.
type tx struct {
	*sql.Tx
	db *DB
	// unprepared collects the queries that ran as text: the single write
	// connection is busy with this transaction, so they are prepared after it.
	unprepared *[]string
}

func (t tx) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if st := t.db.writeStmts.get(query); st != nil {
		return t.StmtContext(ctx, st).ExecContext(ctx, args...)
	}
	t.note(query)
	return t.ExecContext(ctx, t.db.q(query), args...)
}

func (t tx) row(ctx context.Context, query string, args ...any) *sql.Row {
	if st := t.db.writeStmts.get(query); st != nil {
		return t.StmtContext(ctx, st).QueryRowContext(ctx, args...)
	}
	t.note(query)
	return t.QueryRowContext(ctx, t.db.q(query), args...)
}

func (t tx) note(query string) {
	if t.db.writeStmts != nil {
		*t.unprepared = append(*t.unprepared, query)
	}
}

// inTx runs fn in a write transaction, committing when fn returns nil.
func (db *DB) inTx(ctx context.Context, fn func(tx) error) error {
	t, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	var unprepared []string
	if err := fn(tx{t, db, &unprepared}); err != nil {
		t.Rollback()
		return err
	}
	if err := t.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	for _, query := range unprepared {
		db.writeStmts.prepare(ctx, query) // a failure only means parsing it again next time
	}
	return nil
}

func (db *DB) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	if db.readStmts != nil {
		if st, err := db.readStmts.prepare(ctx, query); err == nil {
			return st.QueryRowContext(ctx, args...)
		}
	}
	return db.read.QueryRowContext(ctx, db.q(query), args...)
}

func (db *DB) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if db.readStmts != nil {
		if st, err := db.readStmts.prepare(ctx, query); err == nil {
			return st.QueryContext(ctx, args...)
		}
	}
	return db.read.QueryContext(ctx, db.q(query), args...)
}

// scanner is a row to scan: *sql.Row or *sql.Rows.
type scanner interface{ Scan(dest ...any) error }

// queryAll runs a read query and scans each row of its answer with scan.
// what names the reading in errors ("list chats"); no rows is an empty slice.
func queryAll[T any](ctx context.Context, db *DB, what string, scan func(scanner) (T, error),
	query string, args ...any) ([]T, error) {
	rows, err := db.query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return out, nil
}

func (db *DB) nowMillis() int64 { return db.Now().UnixMilli() }

func fromMillis(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms).UTC()
}

// isUniqueViolation reports whether err is a unique-constraint violation.
func isUniqueViolation(err error) bool {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code == "23505"
	}
	var liteErr *sqlite.Error
	if errors.As(err, &liteErr) {
		return liteErr.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE
	}
	return false
}

func notFound(what string) error {
	return ajans.Errorf(ajans.ENOTFOUND, "%s", what)
}

// redactURL hides the password of a database URL for messages.
func redactURL(url string) string {
	at := strings.LastIndex(url, "@")
	scheme := strings.Index(url, "://")
	if at < 0 || scheme < 0 || at < scheme {
		return url
	}
	creds := url[scheme+3 : at]
	if i := strings.Index(creds, ":"); i >= 0 {
		return url[:scheme+3] + creds[:i] + ":***" + url[at:]
	}
	return url
}
