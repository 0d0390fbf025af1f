package testdb

import (
	"context"
	"math/rand/v2"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// PGDB is one test's database on the PostgreSQL server under test, with the
// postgis extension created in it.
type PGDB struct {
	// Name is the database's name; it needs no quoting.
	Name string
	// URL names the database, e.g.
	// postgres://postgres@127.0.0.1:54321/t_testcopy_1a2b3c4d?sslmode=disable.
	URL string
	// Pool is connected to the database. It is closed when the test ends;
	// rows and connections taken from it must be released by then.
	Pool *pgxpool.Pool
}

// pgServer is a PostgreSQL server and the pool that creates and drops test
// databases on it.
type pgServer struct {
	url   *url.URL // names the maintenance database
	admin *pgxpool.Pool
}

// pgServers caches one pgServer per URL for the test binary's life; only
// reachable servers are cached.
var pgServers = struct {
	sync.Mutex
	m map[string]*pgServer
}{m: map[string]*pgServer{}}

// Postgres creates a database for t on the PostgreSQL server under test,
// creates the postgis extension in it, and drops it when t ends (unless
// SLUICE_KEEP_TEST_DBS=1), forcing out any connections left. It fails t when
// the server cannot be reached.
func Postgres(t testing.TB) *PGDB {
	t.Helper()
	srv := pgConnect(t)
	name := dbName(t.Name(), rand.Uint32())
	u := *srv.url
	u.Path, u.RawPath = "/"+name, ""
	p := &PGDB{Name: name, URL: u.String()}

	ctx := t.Context()
	if _, err := srv.admin.Exec(ctx, "CREATE DATABASE "+quotePG(name)); err != nil {
		t.Fatalf("testdb: creating PostgreSQL database %s on %s: %v", name, srv.url.Redacted(), err)
	}
	t.Cleanup(func() {
		if p.Pool != nil {
			closePool(t, p.Pool, name)
		}
		if keep() {
			t.Logf("testdb: keeping PostgreSQL database %s (%s=1)", p.URL, EnvKeep)
			return
		}
		// t.Context() is already cancelled when Cleanup runs.
		ctx, cancel := context.WithTimeout(context.WithoutCancel(t.Context()), time.Minute)
		defer cancel()
		if _, err := srv.admin.Exec(ctx, "DROP DATABASE IF EXISTS "+quotePG(name)+" WITH (FORCE)"); err != nil {
			t.Errorf("testdb: dropping PostgreSQL database %s: %v", name, err)
		}
	})

	pool, err := newPool(ctx, p.URL)
	if err != nil {
		t.Fatalf("testdb: connecting to PostgreSQL database %s: %v", name, err)
	}
	p.Pool = pool
	if _, err := pool.Exec(ctx, "CREATE EXTENSION IF NOT EXISTS postgis"); err != nil {
		t.Fatalf("testdb: creating extension postgis in %s: %v (install it: apt-get install -y postgresql-15-postgis-3)", name, err)
	}
	return p
}

// Exec runs each statement in turn and fails t on the first error. A
// statement may hold several, separated by semicolons (it is sent with the
// simple protocol, having no arguments).
func (p *PGDB) Exec(t testing.TB, stmts ...string) {
	t.Helper()
	for _, s := range stmts {
		if _, err := p.Pool.Exec(t.Context(), s); err != nil {
			t.Fatalf("testdb: PostgreSQL %s: %v\n%s", p.Name, err, s)
		}
	}
}

// QueryRows runs query and returns every row, each value as pgx decodes it
// (int64, string, time.Time, pgtype.Numeric, nil for NULL, ...; types pgx
// does not know, such as geometry, come back as their text). An empty result
// is an empty, non-nil slice. It fails t on error.
func (p *PGDB) QueryRows(t testing.TB, query string, args ...any) [][]any {
	t.Helper()
	rows, err := p.Pool.Query(t.Context(), query, args...)
	if err != nil {
		t.Fatalf("testdb: PostgreSQL %s: %v\n%s", p.Name, err, query)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) ([]any, error) {
		return row.Values()
	})
	if err != nil {
		t.Fatalf("testdb: PostgreSQL %s: %v\n%s", p.Name, err, query)
	}
	return out
}

// QueryValue runs a query that returns one row of one column and returns
// that value as [PGDB.QueryRows] does. It fails t on error or on any other
// shape of result.
func (p *PGDB) QueryValue(t testing.TB, query string, args ...any) any {
	t.Helper()
	return oneValue(t, p.QueryRows(t, query, args...), query)
}

// pgConnect returns the server under test, connecting on first use; it fails
// t when the server is not reachable.
func pgConnect(t testing.TB) *pgServer {
	t.Helper()
	raw := PGURL()
	pgServers.Lock()
	defer pgServers.Unlock()
	if s, ok := pgServers.m[raw]; ok {
		return s
	}
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatalf("testdb: %s=%q: %v", EnvPG, raw, err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	admin, err := newPool(ctx, raw)
	if err == nil {
		if err = admin.Ping(ctx); err != nil {
			admin.Close()
		}
	}
	if err != nil {
		t.Fatalf("testdb: cannot reach PostgreSQL at %s: %v; %s", u.Redacted(), err, startHint)
	}
	s := &pgServer{url: u, admin: admin}
	pgServers.m[raw] = s
	return s
}

// newPool opens a pool on connString, bounding the time a connection takes
// so that a missing server fails fast.
func newPool(ctx context.Context, connString string) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(connString)
	if err != nil {
		return nil, err
	}
	if cfg.ConnConfig.ConnectTimeout == 0 {
		cfg.ConnConfig.ConnectTimeout = 5 * time.Second
	}
	return pgxpool.NewWithConfig(ctx, cfg)
}

// closePool closes pool, reporting a test that still holds a connection or
// unclosed rows from it (Close waits for those forever); the drop that
// follows forces such connections out.
func closePool(t testing.TB, pool *pgxpool.Pool, name string) {
	done := make(chan struct{})
	go func() {
		pool.Close()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Errorf("testdb: PostgreSQL %s: pool still has acquired connections 10s after the test; a connection or rows were not released", name)
	}
}

func quotePG(ident string) string {
	return `"` + strings.ReplaceAll(ident, `"`, `""`) + `"`
}
