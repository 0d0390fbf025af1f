//go:build integration

package main

import (
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sluicedb/sluice/internal/testdb"
)

// startSluice runs sluice in the background; stop it with the returned func,
// which sends SIGINT, checks the clean exit and returns what it printed.
func startSluice(t *testing.T, args ...string) (stop func() string) {
	t.Helper()
	cmd := exec.Command(binary, args...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	stopped := false
	stop = func() string {
		if stopped {
			return stderr.String()
		}
		stopped = true
		cmd.Process.Signal(syscall.SIGINT)
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("sluice stopped with %v\n%s", err, stderr.String())
			}
		case <-time.After(time.Minute):
			cmd.Process.Kill()
			t.Errorf("sluice did not stop within a minute of SIGINT\n%s", stderr.String())
		}
		return stderr.String()
	}
	t.Cleanup(func() { stop() })
	return stop
}

// waitFullLoad waits until the task's full load is done.
func waitFullLoad(t *testing.T, dst *testdb.PGDB, task string) {
	t.Helper()
	for deadline := time.Now().Add(2 * time.Minute); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		var done bool
		if dst.Pool.QueryRow(t.Context(), "SELECT full_done_at IS NOT NULL FROM sluice.task WHERE name = $1", task).Scan(&done) == nil && done {
			return
		}
	}
	t.Fatal("the full load did not finish within 2 minutes")
}

// cdcArgs are the arguments of a full+incremental run.
func cdcArgs(src *testdb.MySQLDB, dst *testdb.PGDB, extra ...string) []string {
	return append([]string{"run", "--source", src.URL, "--target", dst.URL, "--include", src.Name + ".*",
		"--progress-interval", "100ms"}, extra...)
}

// TestIncrementalSync: changes made after the snapshot arrive: inserts,
// updates (also of the primary key), deletes, a rolled-back transaction, a
// multi-table transaction with foreign keys, a 200k-row transaction, keyless
// duplicates; a stop with SIGINT and a resume with --stop-when-caught-up.
func TestIncrementalSync(t *testing.T) {
	src := testdb.MySQL(t)
	src.Exec(t,
		"CREATE TABLE parent (id INT PRIMARY KEY, name VARCHAR(50) NOT NULL, UNIQUE KEY uk_name (name))",
		"CREATE TABLE child (id BIGINT AUTO_INCREMENT PRIMARY KEY, parent_id INT NOT NULL, note TEXT, amount DECIMAL(12,2), "+
			"FOREIGN KEY (parent_id) REFERENCES parent (id) ON DELETE CASCADE)",
		"CREATE TABLE dup (a INT, b VARCHAR(10))",
		"CREATE TABLE myisam_t (id INT PRIMARY KEY, v INT) ENGINE=Aria",
		"INSERT INTO parent SELECT seq, CONCAT('p', seq) FROM seq_1_to_1000",
		"INSERT INTO child (parent_id, note, amount) SELECT 1 + seq % 1000, REPEAT('n', seq % 30), seq / 100 FROM seq_1_to_5000",
		"INSERT INTO dup VALUES (1, 'x'), (1, 'x'), (2, 'y')")
	dst := testdb.Postgres(t)
	stop := startSluice(t, cdcArgs(src, dst, "--ack", "table-without-key")...)
	waitFullLoad(t, dst, "default")

	src.Exec(t,
		// single-row changes
		"INSERT INTO parent VALUES (5001, 'new one')",
		"UPDATE parent SET name = 'renamed' WHERE id = 7",
		"UPDATE parent SET id = 7007 WHERE id = 5001", // primary key change
		"DELETE FROM child WHERE parent_id = 9",
		"DELETE FROM parent WHERE id = 9",
		// a unique-key swap inside one transaction
		"START TRANSACTION; UPDATE parent SET name = 'tmp' WHERE id = 10; UPDATE parent SET name = 'p10' WHERE id = 11; UPDATE parent SET name = 'p11' WHERE id = 10; COMMIT",
		// a multi-table transaction with a foreign key between the tables
		"START TRANSACTION; INSERT INTO parent VALUES (6000, 'fk parent'); INSERT INTO child (parent_id, note) VALUES (6000, 'fk child'); COMMIT",
		// rolled back: nothing of it may arrive
		"START TRANSACTION; INSERT INTO parent VALUES (6001, 'rolled back'); UPDATE child SET note = 'rolled back' WHERE id < 100; ROLLBACK",
		// keyless duplicates: one of two identical rows goes, one changes
		"DELETE FROM dup WHERE a = 1 LIMIT 1",
		"UPDATE dup SET b = 'z' WHERE a = 2",
		"INSERT INTO dup VALUES (3, 'w'), (3, 'w')",
		// non-transactional table
		"INSERT INTO myisam_t VALUES (1, 1), (2, 2)",
		"UPDATE myisam_t SET v = 20 WHERE id = 2",
	)
	// Stop in the middle of the stream, then go on from the checkpoint.
	time.Sleep(300 * time.Millisecond)
	stop()
	src.Exec(t,
		// 200k rows in one transaction
		"INSERT INTO child (parent_id, note, amount) SELECT 100 + seq % 800, 'bulk', seq FROM seq_1_to_200000",
		"UPDATE child SET amount = amount + 1 WHERE note = 'bulk' AND id % 3 = 0",
		"DELETE FROM child WHERE note = 'bulk' AND id % 5 = 0",
	)
	mustRun(t, cdcArgs(src, dst, "--ack", "table-without-key", "--stop-when-caught-up")...)
	for _, table := range []string{"parent", "child", "dup", "myisam_t"} {
		testdb.CompareTable(t, src, dst, table)
	}
	// Apply is strict after catch-up: a row missing in the target stops the task.
	dst.Exec(t, fmt.Sprintf("DELETE FROM %s.parent WHERE id = 12", src.Name))
	src.Exec(t, "UPDATE parent SET name = 'diverged' WHERE id = 12")
	r := sluice(t, cdcArgs(src, dst, "--ack", "table-without-key", "--stop-when-caught-up")...)
	if r.code != 1 || !strings.Contains(r.stderr, "divergence") || !strings.Contains(r.stderr, ".parent row (id)=(12)") {
		t.Errorf("a missing row must stop the task naming table and key: exit %d\n%s", r.code, r.stderr)
	}
}

// TestIncrementalStops: DDL and statement-format DML on a selected table
// stop the task with an error that says what to do.
func TestIncrementalStops(t *testing.T) {
	for _, tc := range []struct {
		name, stmt, want string
	}{
		{"ddl", "ALTER TABLE items ADD COLUMN extra INT", "ALTER TABLE items ADD COLUMN extra INT"},
		{"statement dml", "SET SESSION binlog_format = 'STATEMENT'; UPDATE items SET v = v + 1 WHERE id = 1", "statement-format DML"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := testdb.MySQL(t)
			src.Exec(t, "CREATE TABLE items (id INT PRIMARY KEY, v INT)", "INSERT INTO items VALUES (1, 1)")
			dst := testdb.Postgres(t)
			mustRun(t, cdcArgs(src, dst, "--stop-when-caught-up")...)
			src.Exec(t, tc.stmt)
			r := sluice(t, cdcArgs(src, dst, "--stop-when-caught-up")...)
			if r.code != 1 || !strings.Contains(r.stderr, tc.want) {
				t.Errorf("exit %d, want 1 with %q\n%s", r.code, tc.want, r.stderr)
			}
		})
	}
}

// TestLagMetrics: the metrics endpoint shows the phase, the applied
// transactions and a lag that stays accurate while the source is idle.
func TestLagMetrics(t *testing.T) {
	src := testdb.MySQL(t)
	src.Exec(t, "CREATE TABLE items (id INT PRIMARY KEY, v INT)", "INSERT INTO items VALUES (1, 1)")
	dst := testdb.Postgres(t)
	addr := fmt.Sprintf("127.0.0.1:%d", freePort(t))
	stop := startSluice(t, cdcArgs(src, dst, "--metrics-listen", addr)...)
	waitFullLoad(t, dst, "default")
	for i := 0; i < 20; i++ {
		src.Exec(t, fmt.Sprintf("UPDATE items SET v = %d WHERE id = 1", i))
	}
	// metric reads one series, e.g. name{task="default"}.
	metric := func(series string) float64 {
		resp, err := http.Get("http://" + addr + "/metrics")
		if err != nil {
			return -1
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		for _, line := range strings.Split(string(body), "\n") {
			if strings.HasPrefix(line, series+" ") {
				var v float64
				fmt.Sscan(line[strings.LastIndexByte(line, ' ')+1:], &v)
				return v
			}
		}
		return -1
	}
	deadline := time.Now().Add(30 * time.Second)
	for metric(`sluice_cdc_transactions_total{task="default"}`) < 20 && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
	}
	if got := metric(`sluice_cdc_transactions_total{task="default"}`); got < 20 {
		t.Fatalf("sluice_cdc_transactions_total = %v, want 20", got)
	}
	if got := metric(`sluice_task_phase{phase="incremental",task="default"}`); got != 1 {
		t.Errorf("sluice_task_phase for incremental = %v, want 1", got)
	}
	// Idle: heartbeats keep the lag near zero.
	time.Sleep(3 * time.Second)
	if lag := metric(`sluice_cdc_lag_seconds{task="default"}`); lag < 0 || lag > 1.5 {
		t.Errorf("idle lag = %v s, want about 0", lag)
	}
	logs := stop()
	if !strings.Contains(logs, "incremental transactions=") || !strings.Contains(logs, "lag=") {
		t.Errorf("no progress line with the lag:\n%s", logs)
	}
	testdb.CompareTable(t, src, dst, "items")
}
