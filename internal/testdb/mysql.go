package testdb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"
)

// MySQLDB is one test's database on the MariaDB server under test.
type MySQLDB struct {
	// Name is the database's name; it needs no quoting.
	Name string
	// URL is the server's URL with no database, as sluice's source takes it,
	// e.g. mysql://root@127.0.0.1:33061.
	URL string
	// DB is connected to the database Name, with multiStatements=true,
	// parseTime=false, charset utf8mb4 and time_zone '+00:00'.
	DB *sql.DB

	cfg *mysql.Config // the server, no database
}

// mysqlServer is a MariaDB server and the connection that creates and drops
// test databases on it.
type mysqlServer struct {
	url   string
	cfg   *mysql.Config
	admin *sql.DB
}

// mysqlServers caches one mysqlServer per URL for the test binary's life;
// only reachable servers are cached.
var mysqlServers = struct {
	sync.Mutex
	m map[string]*mysqlServer
}{m: map[string]*mysqlServer{}}

// MySQL creates an empty database for t on the MariaDB server under test and
// drops it when t ends (unless SLUICE_KEEP_TEST_DBS=1). It fails t when the
// server cannot be reached.
func MySQL(t testing.TB) *MySQLDB {
	t.Helper()
	srv := mysqlConnect(t)
	name := dbName(t.Name(), rand.Uint32())
	if _, err := srv.admin.ExecContext(t.Context(), "CREATE DATABASE "+quoteMySQL(name)); err != nil {
		t.Fatalf("testdb: creating MySQL database %s on %s: %v", name, srv.url, err)
	}
	m := &MySQLDB{Name: name, URL: srv.url, cfg: srv.cfg}
	t.Cleanup(func() {
		if m.DB != nil {
			m.DB.Close()
		}
		if keep() {
			t.Logf("testdb: keeping MySQL database %s on %s (%s=1)", name, srv.url, EnvKeep)
			return
		}
		// t.Context() is already cancelled when Cleanup runs.
		ctx, cancel := context.WithTimeout(context.WithoutCancel(t.Context()), time.Minute)
		defer cancel()
		if err := dropMySQL(ctx, srv.admin, name); err != nil {
			t.Errorf("testdb: dropping MySQL database %s: %v", name, err)
		}
	})
	db, err := sql.Open("mysql", m.DSN(name))
	if err != nil {
		t.Fatalf("testdb: opening MySQL database %s: %v", name, err)
	}
	m.DB = db
	return m
}

// DSN returns a go-sql-driver/mysql DSN for database db (empty: none) on the
// same server, with the same settings as [MySQLDB.DB].
func (m *MySQLDB) DSN(db string) string {
	cfg := m.cfg.Clone()
	cfg.DBName = db
	return cfg.FormatDSN()
}

// Exec runs each statement in turn on DB and fails t on the first error. A
// statement may hold several, separated by semicolons.
func (m *MySQLDB) Exec(t testing.TB, stmts ...string) {
	t.Helper()
	for _, s := range stmts {
		if _, err := m.DB.ExecContext(t.Context(), s); err != nil {
			t.Fatalf("testdb: MySQL %s: %v\n%s", m.Name, err, s)
		}
	}
}

// QueryRows runs query on DB and returns every row; each value is nil for
// NULL and otherwise the value's text as MariaDB renders it, a string. An
// empty result is an empty, non-nil slice. It fails t on error.
func (m *MySQLDB) QueryRows(t testing.TB, query string, args ...any) [][]any {
	t.Helper()
	rows, err := m.DB.QueryContext(t.Context(), query, args...)
	if err != nil {
		t.Fatalf("testdb: MySQL %s: %v\n%s", m.Name, err, query)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatalf("testdb: MySQL %s: %v\n%s", m.Name, err, query)
	}
	out := [][]any{}
	vals := make([]sql.NullString, len(cols))
	dest := make([]any, len(cols))
	for i := range vals {
		dest[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			t.Fatalf("testdb: MySQL %s: %v\n%s", m.Name, err, query)
		}
		row := make([]any, len(cols))
		for i, v := range vals {
			if v.Valid {
				row[i] = v.String
			}
		}
		out = append(out, row)
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("testdb: MySQL %s: %v\n%s", m.Name, err, query)
	}
	return out
}

// QueryValue runs a query that returns one row of one column and returns
// that value as [MySQLDB.QueryRows] does. It fails t on error or on any
// other shape of result.
func (m *MySQLDB) QueryValue(t testing.TB, query string, args ...any) any {
	t.Helper()
	return oneValue(t, m.QueryRows(t, query, args...), query)
}

// mysqlConnect returns the server under test, connecting on first use; it
// fails t when the server is not reachable.
func mysqlConnect(t testing.TB) *mysqlServer {
	t.Helper()
	raw := MySQLURL()
	mysqlServers.Lock()
	defer mysqlServers.Unlock()
	if s, ok := mysqlServers.m[raw]; ok {
		return s
	}
	srvURL, cfg, err := parseMySQLURL(raw)
	if err != nil {
		t.Fatalf("testdb: %s=%q: %v", EnvMySQL, raw, err)
	}
	admin, err := sql.Open("mysql", cfg.FormatDSN())
	if err != nil {
		t.Fatalf("testdb: opening MySQL %s: %v", srvURL, err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	if err := admin.PingContext(ctx); err != nil {
		admin.Close()
		t.Fatalf("testdb: cannot reach MySQL at %s: %v; %s", srvURL, err, startHint)
	}
	s := &mysqlServer{url: srvURL, cfg: cfg, admin: admin}
	mysqlServers.m[raw] = s
	return s
}

// parseMySQLURL turns mysql://user[:password]@host[:port] into the URL
// without a database and the driver configuration for it.
func parseMySQLURL(raw string) (string, *mysql.Config, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", nil, err
	}
	if u.Scheme != "mysql" && u.Scheme != "mariadb" {
		return "", nil, fmt.Errorf("scheme %q, want mysql://", u.Scheme)
	}
	if u.Hostname() == "" {
		return "", nil, errors.New("no host")
	}
	cfg := mysql.NewConfig()
	cfg.Net = "tcp"
	cfg.Addr = u.Host
	if u.Port() == "" {
		cfg.Addr = net.JoinHostPort(u.Hostname(), "3306")
	}
	cfg.User = "root"
	if u.User != nil {
		cfg.User = u.User.Username()
		cfg.Passwd, _ = u.User.Password()
	}
	cfg.MultiStatements = true
	cfg.ParseTime = false
	cfg.Timeout = 5 * time.Second
	cfg.Params = map[string]string{"time_zone": "'+00:00'"}
	if err := cfg.Apply(mysql.Charset("utf8mb4", "")); err != nil {
		return "", nil, err
	}
	u.Path, u.RawPath = "", ""
	return u.String(), cfg, nil
}

// dropMySQL drops database name after killing the connections using it,
// which would otherwise hold metadata locks and block the drop.
func dropMySQL(ctx context.Context, admin *sql.DB, name string) error {
	conn, err := admin.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "SET SESSION lock_wait_timeout = 30"); err != nil {
		return err
	}
	rows, err := conn.QueryContext(ctx,
		"SELECT id FROM information_schema.processlist WHERE db = ? AND id <> CONNECTION_ID()", name)
	if err != nil {
		return err
	}
	var ids []uint64
	for rows.Next() {
		var id uint64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, id := range ids {
		// The connection may have ended meanwhile (ER_NO_SUCH_THREAD).
		if _, err := conn.ExecContext(ctx, fmt.Sprintf("KILL CONNECTION %d", id)); err != nil && !isMySQLError(err, 1094) {
			return err
		}
	}
	_, err = conn.ExecContext(ctx, "DROP DATABASE IF EXISTS "+quoteMySQL(name))
	return err
}

func isMySQLError(err error, number uint16) bool {
	var me *mysql.MySQLError
	return errors.As(err, &me) && me.Number == number
}

func quoteMySQL(ident string) string {
	return "`" + strings.ReplaceAll(ident, "`", "``") + "`"
}

// oneValue returns the single value of a one-row, one-column result.
func oneValue(t testing.TB, rows [][]any, query string) any {
	t.Helper()
	if len(rows) != 1 || len(rows[0]) != 1 {
		cols := 0
		if len(rows) > 0 {
			cols = len(rows[0])
		}
		t.Fatalf("testdb: want one row of one column, got %d rows of %d columns\n%s", len(rows), cols, query)
	}
	return rows[0][0]
}

// Account creates a MariaDB account user@127.0.0.1 with password and the
// grants sluice needs (SELECT, RELOAD, REPLICATION CLIENT and SLAVE), drops
// it when t ends, and returns the server's URL with that user and password.
func (m *MySQLDB) Account(t testing.TB, user, password string) string {
	t.Helper()
	account := fmt.Sprintf("'%s'@'127.0.0.1'", user)
	m.Exec(t, "DROP USER IF EXISTS "+account,
		"CREATE USER "+account+" IDENTIFIED BY '"+strings.ReplaceAll(password, "'", "''")+"'",
		"GRANT SELECT, RELOAD, REPLICATION CLIENT, REPLICATION SLAVE ON *.* TO "+account)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(t.Context()), time.Minute)
		defer cancel()
		if _, err := m.DB.ExecContext(ctx, "DROP USER IF EXISTS "+account); err != nil {
			t.Errorf("testdb: dropping MySQL user %s: %v", account, err)
		}
	})
	u, err := url.Parse(m.URL)
	if err != nil {
		t.Fatalf("testdb: %v", err)
	}
	u.User = url.UserPassword(user, password)
	return u.String()
}
