//go:build integration

package main

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/sluicedb/sluice/internal/testdb"
)

// TestBadInput: each bad input gets a clear error, the exit code of the CLI
// contract, and leaves nothing in the target.
func TestBadInput(t *testing.T) {
	src := testdb.MySQL(t)
	src.Exec(t, "CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(20))", "INSERT INTO items VALUES (1, 'a')")
	taken := testdb.Postgres(t)
	taken.Exec(t, "CREATE SCHEMA "+src.Name, "CREATE TABLE "+src.Name+".items (id int)")
	norights := testdb.Postgres(t)
	role := "noright_" + norights.Name[len(norights.Name)-8:]
	norights.Exec(t, "CREATE ROLE "+role+" LOGIN", "REVOKE CREATE ON DATABASE "+norights.Name+" FROM PUBLIC",
		"REVOKE CREATE ON SCHEMA public FROM PUBLIC")
	t.Cleanup(func() {
		// t.Context() is done in cleanups.
		for _, q := range []string{"DROP OWNED BY " + role, "DROP ROLE " + role} {
			if _, err := norights.Pool.Exec(context.Background(), q); err != nil {
				t.Errorf("%s: %v", q, err)
			}
		}
	})
	noRightsURL := strings.Replace(norights.URL, "postgres@", role+"@", 1)

	fresh := func() *testdb.PGDB { return testdb.Postgres(t) }
	cases := []struct {
		name   string
		args   func(dst *testdb.PGDB) []string
		code   int
		wants  []string
		target *testdb.PGDB // checked to hold no sluice state afterwards
	}{
		{"unreachable source", func(dst *testdb.PGDB) []string {
			return []string{"run", "--source", "mysql://root@127.0.0.1:1", "--target", dst.URL, "--include", src.Name + ".*", "--phases", "schema,full"}
		}, 3, []string{"[source-connect]", "connection refused", "host and port"}, fresh()},
		{"wrong password", func(dst *testdb.PGDB) []string {
			url := strings.Replace(src.URL, "root@", "root:wrong@", 1)
			return []string{"run", "--source", url, "--target", dst.URL, "--include", src.Name + ".*", "--phases", "schema,full"}
		}, 3, []string{"[source-connect]", "Access denied", "user and password"}, fresh()},
		{"unknown database", func(dst *testdb.PGDB) []string {
			return []string{"run", "--source", src.URL, "--target", dst.URL, "--include", "no_such_db_x.*", "--phases", "schema,full"}
		}, 3, []string{"[selection-empty]", "no_such_db_x.*", src.Name}, fresh()},
		{"unknown target database", func(dst *testdb.PGDB) []string {
			url := strings.Replace(dst.URL, "/"+dst.Name, "/no_such_db_x", 1)
			return []string{"run", "--source", src.URL, "--target", url, "--include", src.Name + ".*", "--phases", "schema,full"}
		}, 3, []string{"[target-connect]", `database "no_such_db_x" does not exist`, "CREATE DATABASE"}, fresh()},
		{"target without rights", func(*testdb.PGDB) []string {
			return []string{"run", "--source", src.URL, "--target", noRightsURL, "--include", src.Name + ".*", "--phases", "schema,full"}
		}, 3, []string{"[target-privileges]", "GRANT CREATE ON DATABASE"}, norights},
		{"target table exists", func(*testdb.PGDB) []string { return runArgs(src, taken) },
			3, []string{"[target-table-exists] " + src.Name + ".items", `"` + src.Name + `"."items"`, "DROP TABLE"}, taken},
		{"missing target", func(*testdb.PGDB) []string {
			return []string{"run", "--source", src.URL, "--include", src.Name + ".*"}
		}, 2, []string{"--target is required"}, nil},
		{"bad phase", func(dst *testdb.PGDB) []string {
			return []string{"run", "--source", src.URL, "--target", dst.URL, "--phases", "schema,copy"}
		}, 2, []string{`unknown phase "copy"`}, nil},
		{"bad pattern", func(dst *testdb.PGDB) []string {
			return []string{"run", "--source", src.URL, "--target", dst.URL, "--include", "a.b.c"}
		}, 2, []string{`pattern "a.b.c"`}, nil},
		{"source names a database", func(dst *testdb.PGDB) []string {
			return []string{"run", "--source", src.URL + "/" + src.Name, "--target", dst.URL}
		}, 2, []string{"must not name a database", "--include " + src.Name + ".*"}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dst := tc.target
			if dst == nil {
				dst = taken
			}
			r := sluice(t, tc.args(dst)...)
			if r.code != tc.code {
				t.Errorf("exit code %d, want %d\nstderr:\n%s", r.code, tc.code, r.stderr)
			}
			for _, w := range tc.wants {
				if !strings.Contains(r.stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, r.stderr)
				}
			}
			if strings.Contains(r.stderr, "panic") {
				t.Errorf("stderr shows a panic:\n%s", r.stderr)
			}
			if tc.target != nil {
				if n := tc.target.QueryValue(t, "SELECT count(*) FROM pg_namespace WHERE nspname IN ('sluice', $1)", src.Name); n != int64(0) && tc.target != taken {
					t.Errorf("the failed run left %v schemas in the target", n)
				}
				if n := tc.target.QueryValue(t, "SELECT count(*) FROM pg_namespace WHERE nspname = 'sluice'"); n != int64(0) {
					t.Errorf("the failed run created sluice's state schema")
				}
			}
		})
	}
}

// TestTableWithoutKey: a keyless table needs --ack table-without-key, and is
// then copied with its duplicate rows.
func TestTableWithoutKey(t *testing.T) {
	src := testdb.MySQL(t)
	src.Exec(t, "CREATE TABLE log (at DATETIME, msg VARCHAR(50))",
		"INSERT INTO log VALUES ('2024-01-01 10:00:00', 'same'), ('2024-01-01 10:00:00', 'same'), (NULL, NULL), (NULL, NULL), ('2024-01-02 00:00:00', 'other')")
	dst := testdb.Postgres(t)
	r := sluice(t, runArgs(src, dst)...)
	if r.code != 3 || !strings.Contains(r.stderr, "[table-without-key] "+src.Name+".log") || !strings.Contains(r.stderr, "--ack table-without-key") {
		t.Fatalf("without --ack: exit %d, want 3 naming the table and the ack\n%s", r.code, r.stderr)
	}
	mustRun(t, runArgs(src, dst, "--ack", "table-without-key")...)
	testdb.CompareTable(t, src, dst, "log")
	if n := dst.QueryValue(t, fmt.Sprintf("SELECT count(*) FROM %s.log WHERE msg = 'same'", src.Name)); n != int64(2) {
		t.Errorf("duplicate rows: %v in the target, want 2", n)
	}
}
