//go:build integration

package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/sluicedb/sluice/internal/testdb"
)

// TestCheck: sluice check reports each item with id, severity, object and
// fix, exits 3 while something blocks and 0 once it is fixed or
// acknowledged, and writes nothing to the target.
func TestCheck(t *testing.T) {
	src := testdb.MySQL(t)
	src.Exec(t, "CREATE TABLE good (id INT PRIMARY KEY, v TEXT)")
	dst := testdb.Postgres(t)
	args := []string{"check", "--source", src.URL, "--target", dst.URL, "--include", src.Name + ".*"}

	r := mustRun(t, args...)
	if !strings.Contains(r.stdout, "all checks passed") {
		t.Errorf("a clean source:\n%s", r.stdout)
	}

	src.Exec(t, "CREATE TABLE nokey (a INT, b INT)")
	r = sluice(t, append(args, "--output", "json")...)
	var report struct {
		OK      bool `json:"ok"`
		Results []struct {
			ID, Severity, Object, Message, Instruction string
		} `json:"results"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &report); err != nil {
		t.Fatalf("json output: %v\n%s", err, r.stdout)
	}
	if r.code != 3 || report.OK || len(report.Results) != 1 {
		t.Fatalf("exit %d, report %+v", r.code, report)
	}
	got := report.Results[0]
	if got.ID != "table-without-key" || got.Severity != "warning" || got.Object != src.Name+".nokey" ||
		!strings.Contains(got.Instruction, "ADD PRIMARY KEY") {
		t.Errorf("result %+v", got)
	}
	r = sluice(t, args...)
	if r.code != 3 || !strings.Contains(r.stdout, "table-without-key") || !strings.Contains(r.stdout, "--ack") {
		t.Errorf("text report: exit %d\n%s", r.code, r.stdout)
	}
	r = mustRun(t, append(args, "--ack", "table-without-key")...)
	if !strings.Contains(r.stdout, "warning (acknowledged)") || !strings.Contains(r.stdout, "nothing blocks the start") {
		t.Errorf("acknowledged:\n%s", r.stdout)
	}
	if n := dst.QueryValue(t, "SELECT count(*) FROM pg_namespace WHERE nspname IN ('sluice', $1)", src.Name); n != int64(0) {
		t.Errorf("check wrote %v schemas to the target", n)
	}
	if r := sluice(t, append(args, "--output", "yaml")...); r.code != 2 || !strings.Contains(r.stderr, `--output "yaml"`) {
		t.Errorf("bad --output: exit %d\n%s", r.code, r.stderr)
	}
}

// TestCheckBinlogSettings: a source whose binlog cannot carry every change
// exactly fails the checks that say so (on a server of the test's own: the
// settings are global).
func TestCheckBinlogSettings(t *testing.T) {
	privateServers(t)
	src := testdb.MySQL(t)
	src.Exec(t, "CREATE TABLE items (id INT PRIMARY KEY)",
		"SET GLOBAL binlog_format = 'MIXED'", "SET GLOBAL binlog_row_image = 'MINIMAL'",
		"SET GLOBAL binlog_row_metadata = 'MINIMAL'", "SET GLOBAL gtid_strict_mode = OFF",
		"SET GLOBAL binlog_expire_logs_seconds = 86400")
	dst := testdb.Postgres(t)
	r := sluice(t, "check", "--source", src.URL, "--target", dst.URL, "--include", src.Name+".*", "--output", "json")
	var report struct {
		Results []struct{ ID, Severity, Instruction string } `json:"results"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &report); err != nil || r.code != 3 {
		t.Fatalf("exit %d, %v\n%s", r.code, err, r.stdout)
	}
	got := map[string]string{}
	for _, res := range report.Results {
		got[res.ID] = res.Severity
		if !strings.Contains(res.Instruction, "SET GLOBAL") {
			t.Errorf("%s: the fix gives no statement: %q", res.ID, res.Instruction)
		}
	}
	want := map[string]string{"binlog-format": "error", "binlog-row-image": "error", "binlog-row-metadata": "warning",
		"gtid-strict-mode": "warning", "binlog-retention": "warning"}
	for id, sev := range want {
		if got[id] != sev {
			t.Errorf("%s: severity %q, want %q (all: %v)", id, got[id], sev, got)
		}
	}
	// A full load alone does not need the binlog.
	mustRun(t, "check", "--source", src.URL, "--target", dst.URL, "--include", src.Name+".*", "--phases", "schema,full")
	// run refuses, and writes nothing.
	if r := sluice(t, cdcArgs(src, dst)...); r.code != 3 || !strings.Contains(r.stderr, "[binlog-format]") {
		t.Errorf("run: exit %d\n%s", r.code, r.stderr)
	}
	if n := dst.QueryValue(t, "SELECT count(*) FROM pg_namespace WHERE nspname = 'sluice'"); n != int64(0) {
		t.Errorf("a refused run created sluice's state")
	}
}

// TestCheckPrivileges: an account without the replication privileges fails
// with the GRANT to run; one without RELOAD gets the snapshot-lock warning.
func TestCheckPrivileges(t *testing.T) {
	src := testdb.MySQL(t)
	src.Exec(t, "CREATE TABLE items (id INT PRIMARY KEY)")
	user := "noprivs_" + src.Name[len(src.Name)-8:]
	src.Exec(t, "CREATE USER '"+user+"'@'%' IDENTIFIED BY 'pw'", "GRANT SELECT ON "+src.Name+".* TO '"+user+"'@'%'")
	t.Cleanup(func() { src.DB.ExecContext(context.Background(), "DROP USER '"+user+"'@'%'") })
	dst := testdb.Postgres(t)
	url := strings.Replace(src.URL, "root@", user+":pw@", 1)
	r := sluice(t, "check", "--source", url, "--target", dst.URL, "--include", src.Name+".*")
	for _, want := range []string{"source-privileges", "REPLICATION CLIENT and REPLICATION SLAVE",
		"GRANT REPLICATION CLIENT, REPLICATION SLAVE ON *.* TO '" + user + "'@'%'", "snapshot-lock", "GRANT RELOAD"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("report lacks %q:\n%s", want, r.stdout)
		}
	}
	if r.code != 3 {
		t.Errorf("exit %d, want 3", r.code)
	}
}

// TestCheckProblemValues: the bounded scan finds zero dates in NOT NULL
// columns, NUL bytes and invalid UTF-8, says how many rows it scanned, and
// grades them by the policies in force.
func TestCheckProblemValues(t *testing.T) {
	src := testdb.MySQL(t)
	src.Exec(t, "SET SESSION sql_mode = ''",
		"CREATE TABLE t (id INT PRIMARY KEY, d DATE NOT NULL, s VARCHAR(20), u TEXT CHARACTER SET utf8mb4)",
		`INSERT INTO t VALUES (1, '0000-00-00', 'a', 'ok'), (2, '2020-05-00', 'x\0y', 'ok'), (3, '2020-01-01', 'ok', 'ok')`)
	// (MariaDB 10.11 refuses invalid UTF-8 in utf8mb4 columns, so the
	// invalid-utf8 probe only ever counts 0 here; it runs in every scan.)
	dst := testdb.Postgres(t)
	args := []string{"check", "--source", src.URL, "--target", dst.URL, "--include", src.Name + ".*"}
	r := sluice(t, args...)
	for _, want := range []string{
		"zero-dates   " + src.Name + ".t.d", "2 zero or partial-zero dates", "in the first 3 rows scanned", "-infinity",
		"error    nul-bytes", src.Name + ".t.s", "1 values with a NUL byte", "--bad-text strip",
	} {
		if !strings.Contains(strings.Join(strings.Fields(r.stdout), " "), strings.Join(strings.Fields(want), " ")) {
			t.Errorf("report lacks %q:\n%s", want, r.stdout)
		}
	}
	// Under the other policies the grades change.
	r = sluice(t, append(args, "--bad-text", "strip", "--zero-date", "fail", "--output", "json")...)
	var report struct {
		Results []struct{ ID, Severity string } `json:"results"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &report); err != nil {
		t.Fatalf("%v\n%s", err, r.stdout)
	}
	grades := map[string]string{}
	for _, res := range report.Results {
		grades[res.ID] = res.Severity
	}
	if grades["zero-dates"] != "error" || grades["nul-bytes"] != "warning" {
		t.Errorf("policies do not grade the results: %v", grades)
	}
	if r := sluice(t, append(args, "--scan-rows", "0")...); strings.Contains(r.stdout, "nul-bytes") {
		t.Errorf("--scan-rows 0 still scanned:\n%s", r.stdout)
	}
}

// TestCheckServerID: the source's own server_id, or one a running reader
// already uses, is a precheck error.
func TestCheckServerID(t *testing.T) {
	src := testdb.MySQL(t)
	src.Exec(t, "CREATE TABLE items (id INT PRIMARY KEY)")
	dst := testdb.Postgres(t)
	own := src.QueryValue(t, "SELECT @@server_id").(string)
	args := []string{"check", "--source", src.URL, "--target", dst.URL, "--include", src.Name + ".*"}
	if r := sluice(t, append(args, "--server-id", own)...); r.code != 3 || !strings.Contains(r.stdout, "server-id") ||
		!strings.Contains(r.stdout, "source's own") {
		t.Errorf("the source's own server_id: exit %d\n%s", r.code, r.stdout)
	}
	stop := startSluice(t, cdcArgs(src, dst, "--server-id", "4242")...)
	defer stop()
	waitFullLoad(t, dst, "default")
	deadline := time.Now().Add(30 * time.Second)
	for {
		r := sluice(t, append(args, "--server-id", "4242", "--name", "other")...)
		if r.code == 3 && strings.Contains(r.stdout, "already used by the replica") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("a server_id in use by a running reader is not reported: exit %d\n%s", r.code, r.stdout)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// TestCheckResumePurged: a task whose checkpoint's binlog was purged is
// stopped by the precheck, saying how to recover (a server of the test's
// own: PURGE is global).
func TestCheckResumePurged(t *testing.T) {
	privateServers(t)
	src := testdb.MySQL(t)
	src.Exec(t, "CREATE TABLE items (id INT PRIMARY KEY)", "INSERT INTO items VALUES (1)")
	dst := testdb.Postgres(t)
	mustRun(t, cdcArgs(src, dst, "--stop-when-caught-up")...)
	src.Exec(t, "FLUSH BINARY LOGS", "INSERT INTO items VALUES (2)")
	newest := src.QueryRows(t, "SHOW MASTER STATUS")[0][0].(string)
	deadline := time.Now().Add(30 * time.Second)
	for src.QueryRows(t, "SHOW BINARY LOGS")[0][0] != newest {
		// MariaDB keeps a file until its binlog checkpoint is written.
		src.Exec(t, "PURGE BINARY LOGS TO '"+newest+"'")
		if time.Now().After(deadline) {
			t.Fatal("PURGE BINARY LOGS left older files")
		}
		time.Sleep(100 * time.Millisecond)
	}
	r := sluice(t, cdcArgs(src, dst, "--stop-when-caught-up")...)
	if r.code != 3 || !strings.Contains(r.stderr, "[checkpoint-purged]") || !strings.Contains(r.stderr, "reload the task") {
		t.Errorf("exit %d, want 3 with checkpoint-purged\n%s", r.code, r.stderr)
	}
}

// checkResult is one result of `sluice check --output json`.
type checkResult struct{ ID, Severity, Object, Message, Instruction string }

// checkJSON runs sluice check with --output json and returns the process
// and the results, by id.
func checkJSON(t *testing.T, args ...string) (result, map[string][]checkResult) {
	t.Helper()
	r := sluice(t, append(append([]string{"check"}, args...), "--output", "json")...)
	var report struct{ Results []checkResult }
	if err := json.Unmarshal([]byte(r.stdout), &report); err != nil {
		t.Fatalf("json output: %v\n%s\n%s", err, r.stdout, r.stderr)
	}
	byID := map[string][]checkResult{}
	for _, res := range report.Results {
		byID[res.ID] = append(byID[res.ID], res)
	}
	return r, byID
}

// TestCheckSchemaMapping: prefix indexes and invisible columns, which schema
// sync creates differently in PostgreSQL, are warnings, one per index and
// per column, that block until acknowledged; without the schema phase they
// are not reported.
func TestCheckSchemaMapping(t *testing.T) {
	src := testdb.MySQL(t)
	src.Exec(t, `CREATE TABLE products (id INT PRIMARY KEY, name VARCHAR(100), sku VARBINARY(32),
		secret VARCHAR(10) INVISIBLE DEFAULT 'x', note TEXT INVISIBLE,
		KEY idx_name (name(10)), UNIQUE KEY uk_sku (sku(8), id), KEY idx_whole (name))`)
	dst := testdb.Postgres(t)
	args := []string{"--source", src.URL, "--target", dst.URL, "--include", src.Name + ".*"}
	r, got := checkJSON(t, args...)
	if r.code != 3 || len(got) != 2 || len(got["prefix-index"]) != 2 || len(got["invisible-column"]) != 2 {
		t.Fatalf("exit %d, results %+v", r.code, got)
	}
	want := map[string]string{
		src.Name + ".products.idx_name": "left(name, 10)",
		src.Name + ".products.uk_sku":   "substring(sku from 1 for 8), id",
	}
	for _, res := range got["prefix-index"] {
		if res.Severity != "warning" || !strings.Contains(res.Message, want[res.Object]) || want[res.Object] == "" ||
			!strings.Contains(res.Instruction, "--ack prefix-index") || !strings.Contains(res.Instruction, `CREATE INDEX ON "`+src.Name+`"."products" (`) {
			t.Errorf("prefix-index result %+v", res)
		}
	}
	objects := []string{}
	for _, res := range got["invisible-column"] {
		objects = append(objects, res.Object)
		if res.Severity != "warning" || !strings.Contains(res.Message, "SELECT *") || !strings.Contains(res.Instruction, "--ack invisible-column") {
			t.Errorf("invisible-column result %+v", res)
		}
	}
	if strings.Join(objects, " ") != src.Name+".products.secret "+src.Name+".products.note" {
		t.Errorf("invisible-column objects %v", objects)
	}
	mustRun(t, append(append([]string{"check"}, args...), "--ack", "prefix-index,invisible-column")...)
	// The user's own target tables: nothing is mapped.
	mustRun(t, append(append([]string{"check"}, args...), "--phases", "full")...)
	// run refuses until acknowledged; a resumed run does not report the
	// tables it created again.
	if r := sluice(t, runArgs(src, dst)...); r.code != 3 || !strings.Contains(r.stderr, "[prefix-index]") {
		t.Errorf("run without --ack: exit %d\n%s", r.code, r.stderr)
	}
	mustRun(t, runArgs(src, dst, "--ack", "prefix-index,invisible-column")...)
	mustRun(t, append(append([]string{"check"}, args...), "--phases", "schema,full")...)
}

// TestCheckReplicaSource: a source that replicates from another server with
// log_slave_updates=OFF fails log-slave-updates; an account that may not
// see the replica status gets replica-status instead; and a full load
// estimated to take more than half the binlog retention warns
// full-load-time. On a server of the test's own: log_slave_updates is
// read-only, and the retention and CHANGE MASTER are global.
func TestCheckReplicaSource(t *testing.T) {
	t.Setenv("SLUICE_MYSQL_EXTRA_OPTS", "log_slave_updates=OFF")
	privateServers(t)
	src := testdb.MySQL(t)
	// 40,000 rows: 0.8 s at the assumed 50,000 rows/s.
	src.Exec(t, "CREATE TABLE items (id INT PRIMARY KEY, pad CHAR(100) NOT NULL DEFAULT '')",
		"INSERT INTO items (id) SELECT seq FROM seq_1_to_40000", "ANALYZE TABLE items")
	dst := testdb.Postgres(t)
	args := []string{"--source", src.URL, "--target", dst.URL, "--include", src.Name + ".*"}
	if v := src.QueryValue(t, "SELECT @@GLOBAL.log_slave_updates"); v != "0" {
		t.Fatalf("log_slave_updates = %v; SLUICE_MYSQL_EXTRA_OPTS did not reach the server", v)
	}
	// restore undoes a subtest's global change (t.Context() is cancelled in
	// Cleanup), so the next subtest starts from a clean server.
	restore := func(t *testing.T, stmt string) {
		if _, err := src.DB.ExecContext(context.Background(), stmt); err != nil {
			t.Errorf("%s: %v", stmt, err)
		}
	}

	t.Run("full-load-time", func(t *testing.T) {
		src.Exec(t, "SET GLOBAL binlog_expire_logs_seconds = 1")
		t.Cleanup(func() { restore(t, "SET GLOBAL binlog_expire_logs_seconds = 604800") })
		r, got := checkJSON(t, args...)
		if r.code != 3 || len(got["full-load-time"]) != 1 || len(got["binlog-retention"]) != 1 {
			t.Fatalf("exit %d, results %+v", r.code, got)
		}
		res := got["full-load-time"][0]
		if res.Severity != "warning" || !strings.Contains(res.Message, "1 table(s), about") ||
			!strings.Contains(res.Message, "50000 rows/s or 20.0 MiB/s") || !strings.Contains(res.Message, "retention (1 s)") ||
			!strings.Contains(res.Instruction, "SET GLOBAL binlog_expire_logs_seconds = 604800;") {
			t.Errorf("full-load-time %+v", res)
		}
		if msg := got["binlog-retention"][0].Message; !strings.Contains(msg, "the full load is estimated at") {
			t.Errorf("binlog-retention does not give the estimate: %s", msg)
		}
		mustRun(t, append(append([]string{"check"}, args...), "--ack", "full-load-time,binlog-retention")...)
		// Without the incremental phase the binlog need not survive the load.
		mustRun(t, append(append([]string{"check"}, args...), "--phases", "schema,full")...)
		// Without the full phase there is no load to outlast.
		if _, got := checkJSON(t, append(args, "--phases", "incremental")...); len(got["full-load-time"]) != 0 {
			t.Errorf("incremental only: %+v", got["full-load-time"])
		}
	})

	t.Run("log-slave-updates", func(t *testing.T) {
		mustRun(t, append([]string{"check"}, args...)...) // not a replica: nothing to report
		src.Exec(t, "CHANGE MASTER TO MASTER_HOST = '127.0.0.1', MASTER_PORT = 1, MASTER_USER = 'root'")
		t.Cleanup(func() { restore(t, "RESET SLAVE ALL") })
		r, got := checkJSON(t, args...)
		if r.code != 3 || len(got) != 1 || len(got["log-slave-updates"]) != 1 {
			t.Fatalf("exit %d, results %+v", r.code, got)
		}
		res := got["log-slave-updates"][0]
		if res.Severity != "error" || !strings.Contains(res.Message, "a replica of 127.0.0.1:1 (SHOW ALL SLAVES STATUS)") ||
			!strings.Contains(res.Instruction, "log_slave_updates = ON") || !strings.Contains(res.Instruction, "restart") {
			t.Errorf("log-slave-updates %+v", res)
		}
		if r := sluice(t, append(append([]string{"check"}, args...), "--ack", "log-slave-updates")...); r.code != 3 {
			t.Errorf("an error was acknowledged: exit %d\n%s", r.code, r.stdout)
		}
		// A full load alone does not read the binlog.
		mustRun(t, append(append([]string{"check"}, args...), "--phases", "schema,full")...)

		// An account without SLAVE MONITOR cannot tell: a warning, not a failed run.
		user := "nomonitor_" + src.Name[len(src.Name)-8:]
		src.Exec(t, "CREATE USER '"+user+"'@'%' IDENTIFIED BY 'pw'",
			"GRANT SELECT ON "+src.Name+".* TO '"+user+"'@'%'",
			"GRANT REPLICATION CLIENT, REPLICATION SLAVE, RELOAD ON *.* TO '"+user+"'@'%'")
		url := strings.Replace(src.URL, "root@", user+":pw@", 1)
		uargs := []string{"--source", url, "--target", dst.URL, "--include", src.Name + ".*"}
		r, got = checkJSON(t, uargs...)
		if r.code != 3 || len(got) != 1 || len(got["replica-status"]) != 1 {
			t.Fatalf("exit %d, results %+v", r.code, got)
		}
		res = got["replica-status"][0]
		if res.Severity != "warning" || !strings.Contains(res.Message, "SHOW ALL SLAVES STATUS") ||
			res.Instruction != "GRANT SLAVE MONITOR ON *.* TO '"+user+"'@'%'; or, if the source is not a replica, acknowledge: --ack replica-status" {
			t.Errorf("replica-status %+v", res)
		}
		mustRun(t, append(append([]string{"check"}, uargs...), "--ack", "replica-status")...)
	})
}
