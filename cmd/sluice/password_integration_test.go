//go:build integration

package main

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sluicedb/sluice/internal/testdb"
)

// leakPassword is the password of the accounts TestPasswordNeverShown
// makes: distinctive, so that any output showing it is found.
const leakPassword = "S3cr3t-Pw-XYZZY"

// TestPasswordNeverShown: whatever sluice prints (reports, logs at debug
// level in text and JSON, progress, errors of failed connections and of bad
// URLs and task files) never shows a password given in a URL, in a task
// file or in the environment.
func TestPasswordNeverShown(t *testing.T) {
	src := testdb.MySQL(t)
	src.Exec(t, "CREATE TABLE items (id INT PRIMARY KEY, v VARCHAR(20))", "INSERT INTO items VALUES (1, 'a'), (2, 'b')")
	dst := testdb.Postgres(t)
	dst2, dst3 := testdb.Postgres(t), testdb.Postgres(t)
	user := "lk_" + src.Name[len(src.Name)-8:] // the database's random suffix
	srcURL := mysqlAccount(t, src, user)
	dstURL := pgAccount(t, user, dst, dst2, dst3)
	otherDB := func(name string) string { return strings.Replace(dstURL, "/"+dst.Name+"?", "/"+name+"?", 1) }
	include := src.Name + ".*"

	shown := func(name string, r result, wantCode ...int) {
		t.Helper()
		for _, out := range []string{r.stdout, r.stderr} {
			for _, line := range strings.Split(out, "\n") {
				if strings.Contains(line, leakPassword) {
					t.Errorf("%s shows the password: %s", name, line)
				}
			}
		}
		if len(wantCode) > 0 && r.code != wantCode[0] {
			t.Errorf("%s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", name, r.code, wantCode[0], r.stdout, r.stderr)
		}
		if strings.Contains(r.stderr, "panic") {
			t.Errorf("%s panicked:\n%s", name, r.stderr)
		}
	}
	debugJSON := []string{"--log-format", "json", "--log-level", "debug"}
	debugText := []string{"--log-format", "text", "--log-level", "debug"}
	check := []string{"check", "--source", srcURL, "--target", dstURL, "--include", include}
	run := []string{"run", "--source", srcURL, "--target", dstURL, "--include", include, "--progress-interval", "100ms"}

	shown("check", sluice(t, check...), 0)
	shown("check --output json", sluice(t, append(check, append([]string{"--output", "json"}, debugJSON...)...)...), 0)
	shown("check at debug level", sluice(t, append(check, debugText...)...), 0)
	shown("run --phases schema,full", sluice(t, append(run, append([]string{"--phases", "schema,full"}, debugJSON...)...)...), 0)
	if n := dst.QueryValue(t, fmt.Sprintf("SELECT count(*) FROM %s.items", src.Name)); n != int64(2) {
		t.Errorf("the run copied %v rows, want 2", n)
	}
	shown("run with the binlog", sluice(t, "run", "--source", srcURL, "--target", otherDB(dst2.Name), "--include", include,
		"--stop-when-caught-up", "--progress-interval", "100ms", "--log-format", "text", "--log-level", "debug"), 0)

	// Failures: each message names the server, never the password.
	wrongPort, badPGPort := withPort(t, srcURL, "1"), withPort(t, dstURL, "1")
	wrongPassword := strings.Replace(srcURL, leakPassword, leakPassword+"-wrong", 1)
	for _, tc := range []struct {
		name string
		code int
		args []string
	}{
		{"wrong source port", 3, []string{"--source", wrongPort, "--target", dstURL}},
		{"wrong source password", 3, []string{"--source", wrongPassword, "--target", dstURL}},
		{"wrong target database", 3, []string{"--source", srcURL, "--target", otherDB("no_such_db_lk")}},
		{"wrong target port", 3, []string{"--source", srcURL, "--target", badPGPort}},
		{"malformed source URL", 2, []string{"--source", "mysql://" + user + ":" + leakPassword + "@127.0.0.1:port", "--target", dstURL}},
		{"password with a slash", 2, []string{"--source", strings.Replace(srcURL, leakPassword, leakPassword+"/x", 1), "--target", dstURL}},
		{"source names a database", 2, []string{"--source", srcURL + "/" + src.Name, "--target", dstURL}},
		{"bad target URL option", 2, []string{"--source", srcURL, "--target", strings.Replace(dstURL, "sslmode=disable", "sslmode=bogus", 1)}},
		{"malformed target URL", 2, []string{"--source", srcURL, "--target", strings.Replace(badPGPort, ":1/", ":port/", 1)}},
		{"target URL for MySQL", 2, []string{"--source", srcURL, "--target", srcURL + "/db"}},
		{"source URL for PostgreSQL", 2, []string{"--source", dstURL, "--target", dstURL}},
	} {
		for _, cmd := range []string{"check", "run"} {
			args := append(append([]string{cmd}, tc.args...), "--include", include, "--phases", "schema,full")
			shown(cmd+" with "+tc.name, sluice(t, append(args, debugJSON...)...), tc.code)
		}
	}

	// The passwords in a task file, and in the environment.
	dir := t.TempDir()
	task := filepath.Join(dir, "task.yaml")
	writeTaskFile(t, task, fmt.Sprintf("source: %s\ntarget: %s\ninclude: %s\nphases: schema,full\nlog_level: debug\n", srcURL, otherDB(dst3.Name), include))
	shown("check --task", sluice(t, "check", "--task", task), 0)
	shown("run --task", sluice(t, "run", "--task", task, "--log-format", "json"), 0)
	shown("run --task again", sluice(t, "run", "--task", task, "--name", "other"), 3) // the tables exist
	bad := filepath.Join(dir, "bad.yaml")
	for name, text := range map[string]string{
		"unknown key":      fmt.Sprintf("source: %s\ntarget: %s\ninclde: x.*\n", srcURL, dstURL),
		"source as a list": fmt.Sprintf("source: [%s]\n", srcURL),
		"malformed source": fmt.Sprintf("source: %s\n", strings.Replace(srcURL, leakPassword, leakPassword+"/x", 1)),
		"bad target":       fmt.Sprintf("target: %s\n", strings.Replace(dstURL, "sslmode=disable", "sslmode=bogus", 1)),
		"wrong type":       fmt.Sprintf("source: %s\ntarget: %s\nparallel: many\n", srcURL, dstURL),
		"repeated key":     fmt.Sprintf("source: %s\nsource: %s\n", srcURL, srcURL),
		"not YAML":         fmt.Sprintf("source: %s\n  target: %s\n", srcURL, dstURL),
	} {
		writeTaskFile(t, bad, text)
		shown("task file with "+name, sluice(t, "check", "--task", bad), 2)
	}
	t.Setenv("SLUICE_SOURCE_PASSWORD", leakPassword)
	t.Setenv("SLUICE_TARGET_PASSWORD", leakPassword)
	noPW := func(u string) string { return strings.Replace(u, ":"+leakPassword+"@", "@", 1) }
	shown("check with passwords from the environment", sluice(t, append([]string{"check", "--source", noPW(srcURL),
		"--target", noPW(dstURL), "--include", include}, debugJSON...)...), 0)
	shown("run from the environment, wrong port", sluice(t, append([]string{"run", "--source", noPW(wrongPort),
		"--target", noPW(dstURL), "--include", include}, debugJSON...)...), 3)
}

// withPort returns raw with its port replaced.
func withPort(t *testing.T, raw, port string) string {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	u.Host = u.Hostname() + ":" + port
	return u.String()
}

func writeTaskFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
}

// mysqlAccount creates user with leakPassword and the grants of a full
// load and the binlog on src's server, drops it when t ends, and returns
// the source URL of the account.
func mysqlAccount(t *testing.T, src *testdb.MySQLDB, user string) string {
	t.Helper()
	return src.Account(t, user, leakPassword)
}

// pgAccount creates role user with leakPassword that may create schemas in
// each of dbs, drops it and what it owns when t ends, and returns the target
// URL of the account for dbs[0]. The server trusts every local connection,
// so the password is not checked; it is in the URL all the same.
func pgAccount(t *testing.T, user string, dbs ...*testdb.PGDB) string {
	t.Helper()
	dbs[0].Exec(t, "DROP ROLE IF EXISTS "+user, "CREATE ROLE "+user+" LOGIN PASSWORD '"+leakPassword+"'")
	for _, db := range dbs {
		db.Exec(t, "GRANT CREATE ON DATABASE "+db.Name+" TO "+user)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(t.Context()), time.Minute)
		defer cancel()
		for _, db := range dbs {
			if _, err := db.Pool.Exec(ctx, "DROP OWNED BY "+user+" CASCADE"); err != nil {
				t.Errorf("dropping what role %s owns in %s: %v", user, db.Name, err)
			}
		}
		if _, err := dbs[0].Pool.Exec(ctx, "DROP ROLE "+user); err != nil {
			t.Errorf("dropping role %s: %v", user, err)
		}
	})
	u, err := url.Parse(dbs[0].URL)
	if err != nil {
		t.Fatal(err)
	}
	u.User = url.UserPassword(user, leakPassword)
	return u.String()
}
