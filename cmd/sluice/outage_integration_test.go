//go:build integration

package main

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sluicedb/sluice/internal/testdb"
)

// privateServers starts a MariaDB and a PostgreSQL of the test's own (the
// shared harness servers must not be stopped under other tests), points
// testdb at them, and returns a function that runs scripts/dbs.sh with
// their settings.
func privateServers(t *testing.T) (dbs func(args ...string)) {
	dir := filepath.Join(os.TempDir(), fmt.Sprintf("sluice-private-%d-%s", os.Getpid(), t.Name()))
	env := append(os.Environ(), "SLUICE_DBS_DIR="+dir,
		fmt.Sprintf("SLUICE_MYSQL_PORT=%d", freePort(t)), fmt.Sprintf("SLUICE_PG_PORT=%d", freePort(t)))
	script, err := filepath.Abs("../../scripts/dbs.sh")
	if err != nil {
		t.Fatal(err)
	}
	dbs = func(args ...string) {
		t.Helper()
		cmd := exec.Command(script, args...)
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("dbs.sh %v: %v\n%s", args, err, out)
		}
		if args[0] == "env" {
			for _, line := range splitExports(string(out)) {
				t.Setenv(line[0], line[1])
			}
		}
	}
	t.Cleanup(func() {
		cmd := exec.Command(script, "clean")
		cmd.Env = env
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("dbs.sh clean: %v\n%s", err, out)
		}
	})
	dbs("start")
	dbs("env")
	return dbs
}

// splitExports parses `export NAME=value` lines (value optionally quoted).
func splitExports(out string) [][2]string {
	var kv [][2]string
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		name, value, ok := strings.Cut(strings.TrimPrefix(line, "export "), "=")
		if ok {
			kv = append(kv, [2]string{name, strings.Trim(value, `'"`)})
		}
	}
	return kv
}

func freePort(t *testing.T) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// TestOutages: the binlog dump connection killed on the server, MariaDB
// stopped for 20 s, PostgreSQL stopped for 20 s, while a writer keeps
// inserting and updating; sluice carries on unattended and ends equal.
func TestOutages(t *testing.T) {
	dbs := privateServers(t)
	src := testdb.MySQL(t)
	src.Exec(t, "CREATE TABLE events (id INT PRIMARY KEY, n INT NOT NULL, note VARCHAR(40))",
		"INSERT INTO events SELECT seq, 0, 'initial' FROM seq_1_to_1000")
	dst := testdb.Postgres(t)
	stop := startSluice(t, cdcArgs(src, dst)...)
	waitFullLoad(t, dst, "default")

	// The writer tolerates the outages: a failed statement is just skipped.
	ctx, stopWriter := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	var written atomic.Int64
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 1001; ctx.Err() == nil; i++ {
			_, err1 := src.DB.ExecContext(ctx, "INSERT INTO events VALUES (?, 1, 'written')", i)
			_, err2 := src.DB.ExecContext(ctx, "UPDATE events SET n = n + 1 WHERE id = ?", 1+i%1000)
			if err1 == nil && err2 == nil {
				written.Add(1)
			}
			time.Sleep(2 * time.Millisecond)
		}
	}()
	time.Sleep(time.Second)
	for _, r := range src.QueryRows(t, "SELECT ID FROM information_schema.PROCESSLIST WHERE COMMAND LIKE 'Binlog Dump%'") {
		src.Exec(t, "KILL "+r[0].(string))
	}
	time.Sleep(2 * time.Second)
	dbs("stop", "mysql")
	time.Sleep(20 * time.Second)
	dbs("start", "mysql")
	time.Sleep(2 * time.Second)
	dbs("stop", "pg")
	time.Sleep(20 * time.Second)
	dbs("start", "pg")
	time.Sleep(2 * time.Second)
	stopWriter()
	wg.Wait()
	if written.Load() < 100 {
		t.Fatalf("only %d writes went through", written.Load())
	}
	// sluice catches up on its own: wait for the target to hold every row.
	want := src.QueryValue(t, "SELECT CONCAT(COUNT(*), '/', SUM(n)) FROM events")
	deadline := time.Now().Add(2 * time.Minute)
	for {
		var got string
		err := dst.Pool.QueryRow(t.Context(), fmt.Sprintf("SELECT count(*) || '/' || sum(n) FROM %s.events", src.Name)).Scan(&got)
		if err == nil && got == want {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the target did not catch up: %v (err %v), source %v", got, err, want)
		}
		time.Sleep(200 * time.Millisecond)
	}
	logs := stop()
	testdb.CompareTable(t, src, dst, "events")
	if n := strings.Count(logs, "retrying from the checkpoint"); n < 3 {
		t.Errorf("%d retries logged, want one per outage at least:\n%s", n, logs)
	}
	t.Logf("sluice's log:\n%s", logs)
}
