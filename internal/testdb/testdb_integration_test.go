//go:build integration

package testdb_test

import (
	"database/sql"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/sluicedb/sluice/internal/testdb"
)

func TestMySQL(t *testing.T) {
	t.Parallel()
	m := testdb.MySQL(t)
	if !strings.HasPrefix(m.Name, "t_testmysql_") || len(m.Name) > 64 {
		t.Errorf("Name = %q, want t_testmysql_<suffix>, at most 64 characters", m.Name)
	}
	if m.URL != testdb.MySQLURL() {
		t.Errorf("URL = %q, want the server's URL %q", m.URL, testdb.MySQLURL())
	}

	// Several statements in one string; utf8mb4 round-trips; NULL is nil.
	m.Exec(t, "CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(10)); INSERT INTO t VALUES (1, 'ü😀'), (2, NULL)")
	got := m.QueryRows(t, "SELECT id, v FROM t ORDER BY id")
	want := [][]any{{"1", "ü😀"}, {"2", nil}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("rows = %#v, want %#v", got, want)
	}
	// With arguments the driver uses the binary protocol; values are text still.
	if got := m.QueryValue(t, "SELECT COUNT(*) FROM t WHERE id > ?", 0); got != "2" {
		t.Errorf("count = %#v, want \"2\"", got)
	}
	if got := m.QueryRows(t, "SELECT id FROM t WHERE id > 5"); got == nil || len(got) != 0 {
		t.Errorf("empty result = %#v, want [][]any{}", got)
	}

	session := m.QueryRows(t, "SELECT DATABASE(), @@session.time_zone, @@character_set_connection")
	if want := [][]any{{m.Name, "+00:00", "utf8mb4"}}; !reflect.DeepEqual(session, want) {
		t.Errorf("session = %v, want %v", session, want)
	}

	// What sluice's binlog reader relies on.
	vars := map[string]string{}
	for _, r := range m.QueryRows(t, "SHOW GLOBAL VARIABLES WHERE Variable_name IN "+
		"('log_bin', 'binlog_format', 'binlog_row_image', 'binlog_row_metadata', 'gtid_strict_mode', 'character_set_server')") {
		vars[r[0].(string)] = r[1].(string)
	}
	wantVars := map[string]string{
		"log_bin": "ON", "binlog_format": "ROW", "binlog_row_image": "FULL",
		"binlog_row_metadata": "FULL", "gtid_strict_mode": "ON", "character_set_server": "utf8mb4",
	}
	if !reflect.DeepEqual(vars, wantVars) {
		t.Errorf("server variables = %v, want %v", vars, wantVars)
	}
	if pos := m.QueryValue(t, "SELECT @@gtid_binlog_pos").(string); pos == "" {
		t.Error("gtid_binlog_pos is empty after a write; is the binlog on?")
	}

	// Named time zones are loaded.
	if got := m.QueryValue(t, "SELECT CONVERT_TZ('2024-06-01 00:00:00', 'UTC', 'Europe/Berlin')"); got != "2024-06-01 02:00:00" {
		t.Errorf("CONVERT_TZ to Europe/Berlin = %#v; are the time zone tables loaded?", got)
	}

	// root over TCP may do anything, including grant.
	grants := m.QueryRows(t, "SHOW GRANTS")
	if g := grants[0][0].(string); !strings.Contains(g, "ALL PRIVILEGES ON *.*") || !strings.Contains(g, "WITH GRANT OPTION") {
		t.Errorf("grants = %q, want ALL PRIVILEGES ON *.* ... WITH GRANT OPTION", g)
	}

	// DSN("") reaches the server with no database selected.
	db, err := sql.Open("mysql", m.DSN(""))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var cur sql.NullString
	if err := db.QueryRowContext(t.Context(), "SELECT DATABASE()").Scan(&cur); err != nil || cur.Valid {
		t.Errorf("DSN(\"\"): DATABASE() = %v, %v; want NULL", cur, err)
	}
}

// TestMySQLDropped checks that a test's database is gone after the test,
// even when the test left a transaction open on it.
func TestMySQLDropped(t *testing.T) {
	t.Parallel()
	skipIfKept(t)
	var name string
	t.Run("inner", func(t *testing.T) {
		m := testdb.MySQL(t)
		name = m.Name
		m.Exec(t, "CREATE TABLE t (id INT PRIMARY KEY)")
		tx, err := m.DB.BeginTx(t.Context(), nil)
		if err != nil {
			t.Fatal(err)
		}
		// Holds a metadata lock on t that would block DROP DATABASE.
		if _, err := tx.ExecContext(t.Context(), "SELECT * FROM t FOR UPDATE"); err != nil {
			t.Fatal(err)
		}
	})
	other := testdb.MySQL(t)
	if got := other.QueryRows(t, "SELECT schema_name FROM information_schema.schemata WHERE schema_name = ?", name); len(got) != 0 {
		t.Errorf("database %s still exists after its test", name)
	}
}

func TestPostgres(t *testing.T) {
	t.Parallel()
	p := testdb.Postgres(t)
	if !strings.HasPrefix(p.Name, "t_testpostgres_") || len(p.Name) > 63 {
		t.Errorf("Name = %q, want t_testpostgres_<suffix>, at most 63 bytes", p.Name)
	}
	if !strings.Contains(p.URL, "/"+p.Name+"?") {
		t.Errorf("URL = %q does not name database %s", p.URL, p.Name)
	}

	p.Exec(t, `CREATE TABLE t (id bigint PRIMARY KEY, v text, g geometry(Point, 4326));
		INSERT INTO t VALUES (1, 'ü😀', ST_SetSRID(ST_MakePoint(1, 2), 4326)), (2, NULL, NULL)`)
	got := p.QueryRows(t, "SELECT id, v, ST_AsText(g) FROM t ORDER BY id")
	want := [][]any{{int64(1), "ü😀", "POINT(1 2)"}, {int64(2), nil, nil}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("rows = %#v, want %#v", got, want)
	}
	if got := p.QueryValue(t, "SELECT count(*) FROM t WHERE id > $1", 0); got != int64(2) {
		t.Errorf("count = %#v, want int64(2)", got)
	}
	if got := p.QueryRows(t, "SELECT id FROM t WHERE id > 5"); got == nil || len(got) != 0 {
		t.Errorf("empty result = %#v, want [][]any{}", got)
	}
	if got := p.QueryValue(t, "SELECT current_database()"); got != p.Name {
		t.Errorf("current_database() = %v, want %s", got, p.Name)
	}
	if got := p.QueryValue(t, "SHOW server_encoding"); got != "UTF8" {
		t.Errorf("server_encoding = %v, want UTF8", got)
	}
	if got := p.QueryValue(t, "SELECT ST_Distance(ST_MakePoint(0, 0), ST_MakePoint(3, 4))"); got != 5.0 {
		t.Errorf("ST_Distance = %#v, want 5", got)
	}
}

// TestPostgresDropped checks that a test's database is gone after the test,
// even when a connection outside its pool is still open on it.
func TestPostgresDropped(t *testing.T) {
	t.Parallel()
	skipIfKept(t)
	var name string
	t.Run("inner", func(t *testing.T) {
		p := testdb.Postgres(t)
		name = p.Name
		conn, err := pgx.Connect(t.Context(), p.URL)
		if err != nil {
			t.Fatal(err)
		}
		_ = conn // deliberately left open: the drop must force it out
	})
	other := testdb.Postgres(t)
	if got := other.QueryValue(t, "SELECT count(*) FROM pg_database WHERE datname = $1", name); got != int64(0) {
		t.Errorf("database %s still exists after its test", name)
	}
}

// skipIfKept skips a test of dropping when databases are kept on purpose.
func skipIfKept(t *testing.T) {
	if os.Getenv(testdb.EnvKeep) == "1" {
		t.Skipf("%s=1 keeps test databases", testdb.EnvKeep)
	}
}
