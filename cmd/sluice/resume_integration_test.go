//go:build integration

package main

import (
	"os/exec"
	"syscall"
	"testing"
	"time"

	"github.com/sluicedb/sluice/internal/testdb"
)

// TestResumeAfterKill: SIGKILL in the middle of a multi-chunk table, run
// again: every row arrives exactly once and no finished chunk is copied again.
func TestResumeAfterKill(t *testing.T) {
	src := testdb.MySQL(t)
	src.Exec(t,
		"CREATE TABLE big (id INT PRIMARY KEY, pad VARCHAR(300) NOT NULL, n BIGINT)",
		"INSERT INTO big SELECT seq, REPEAT(CHAR(65 + seq % 26), 300), seq * 7 FROM seq_1_to_300000",
		// a composite, non-integer key split by index walking
		"CREATE TABLE pairs (k VARCHAR(20) NOT NULL, n INT NOT NULL, v TEXT, PRIMARY KEY (k, n))",
		"INSERT INTO pairs SELECT CONCAT('key', seq % 1000), seq, REPEAT('x', seq % 50) FROM seq_1_to_60000",
		"ANALYZE TABLE big, pairs")
	dst := testdb.Postgres(t)
	args := runArgs(src, dst, "--parallel", "1", "--chunk-rows", "5000")

	cmd := exec.Command(binary, args...)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	killed := false
	for deadline := time.Now().Add(2 * time.Minute); time.Now().Before(deadline) && !killed; {
		select {
		case err := <-done:
			t.Fatalf("sluice finished (%v) before it could be killed mid-load; make the fixture bigger", err)
		case <-time.After(5 * time.Millisecond):
		}
		var n int64
		if err := dst.Pool.QueryRow(t.Context(), "SELECT count(*) FROM sluice.chunk WHERE done_at IS NOT NULL").Scan(&n); err != nil {
			continue // the state schema is not there yet
		}
		if n >= 3 {
			cmd.Process.Signal(syscall.SIGKILL)
			<-done
			killed = true
		}
	}
	if !killed {
		t.Fatal("sluice never finished 3 chunks")
	}
	before := chunkTimes(t, dst)
	total := dst.QueryValue(t, "SELECT count(*) FROM sluice.chunk")
	if int64(len(before)) >= total.(int64) {
		t.Fatalf("all %v chunks were done before the kill", total)
	}
	t.Logf("killed with %d of %v chunks done", len(before), total)

	mustRun(t, args...)
	after := chunkTimes(t, dst)
	if int64(len(after)) != total.(int64) {
		t.Errorf("%d of %v chunks done after the resumed run", len(after), total)
	}
	for k, at := range before {
		if !after[k].Equal(at) {
			t.Errorf("chunk %v was copied again (done at %v, then %v)", k, at, after[k])
		}
	}
	testdb.CompareTable(t, src, dst, "big")
	testdb.CompareTable(t, src, dst, "pairs")
	// A run after the load finished copies nothing again.
	mustRun(t, args...)
	testdb.CompareTable(t, src, dst, "big")
}

type chunkKey struct {
	table string
	seq   int32
}

// chunkTimes returns when each finished chunk was committed.
func chunkTimes(t *testing.T, dst *testdb.PGDB) map[chunkKey]time.Time {
	t.Helper()
	rows, err := dst.Pool.Query(t.Context(), "SELECT source_table, seq, done_at FROM sluice.chunk WHERE done_at IS NOT NULL")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[chunkKey]time.Time{}
	for rows.Next() {
		var k chunkKey
		var at time.Time
		if err := rows.Scan(&k.table, &k.seq, &at); err != nil {
			t.Fatal(err)
		}
		out[k] = at
	}
	return out
}
