//go:build integration

package main

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/sluicedb/sluice/internal/testdb"
)

// bank creates two account tables whose balances always sum to total.
func bank(t *testing.T, src *testdb.MySQLDB, rows int) (total int64) {
	src.Exec(t,
		"CREATE TABLE acct_a (id INT PRIMARY KEY, bal BIGINT NOT NULL)",
		"CREATE TABLE acct_b (id INT PRIMARY KEY, bal BIGINT NOT NULL)",
		fmt.Sprintf("INSERT INTO acct_a SELECT seq, 100 FROM seq_1_to_%d", rows),
		fmt.Sprintf("INSERT INTO acct_b SELECT seq, 100 FROM seq_1_to_%d", rows),
		"ANALYZE TABLE acct_a, acct_b")
	return int64(2 * rows * 100)
}

// transfer moves money between the two tables until ctx ends, one
// transaction per transfer; it returns how many committed.
func transfer(ctx context.Context, db *sql.DB, rows int) int64 {
	var n int64
	for i := 0; ctx.Err() == nil; i++ {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			break
		}
		a, b := 1+(i*7919)%rows, 1+(i*104729)%rows
		_, err1 := tx.ExecContext(ctx, "UPDATE acct_a SET bal = bal - 3 WHERE id = ?", a)
		_, err2 := tx.ExecContext(ctx, "UPDATE acct_b SET bal = bal + 3 WHERE id = ?", b)
		if err1 != nil || err2 != nil {
			tx.Rollback()
			break
		}
		if err := tx.Commit(); err != nil {
			break
		}
		n++
	}
	return n
}

// TestSnapshotIsConsistent: money moves between two tables in transactions
// while the parallel readers copy them chunk by chunk; the copy must still
// hold the constant total — every reader saw the same instant.
func TestSnapshotIsConsistent(t *testing.T) {
	src := testdb.MySQL(t)
	const rows = 60000
	total := bank(t, src, rows)
	dst := testdb.Postgres(t)

	ctx, stop := context.WithCancel(t.Context())
	var moved atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < 2; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			moved.Add(transfer(ctx, src.DB, rows))
		}()
	}
	mustRun(t, runArgs(src, dst, "--parallel", "4", "--chunk-rows", "2000")...)
	stop()
	wg.Wait()
	if moved.Load() < 100 {
		t.Fatalf("only %d transfers ran during the load; the test proves nothing", moved.Load())
	}
	got := dst.QueryValue(t, fmt.Sprintf(`SELECT ((SELECT sum(bal) FROM %[1]s.acct_a) + (SELECT sum(bal) FROM %[1]s.acct_b))::bigint`, src.Name))
	if fmt.Sprint(got) != fmt.Sprint(total) {
		t.Errorf("copied balances sum to %v, want %d: the readers saw different states (%d transfers ran)", got, total, moved.Load())
	}
	if n := dst.QueryValue(t, "SELECT count(*) FROM sluice.task WHERE snapshot_consistent AND snapshot_file <> '' AND snapshot_gtid <> ''"); n != int64(1) {
		t.Errorf("the task's snapshot position is not recorded as consistent with file and GTID")
	}
	t.Logf("%d transfers during the load", moved.Load())
}

// TestSnapshotWithoutReload: an account without RELOAD cannot take the
// global read lock; sluice says so, falls back, records the snapshot as not
// consistent, and still copies every row.
func TestSnapshotWithoutReload(t *testing.T) {
	src := testdb.MySQL(t)
	bank(t, src, 20000)
	user := "noreload_" + src.Name[len(src.Name)-8:]
	src.Exec(t, fmt.Sprintf("CREATE USER '%s'@'%%' IDENTIFIED BY 'pw'", user),
		fmt.Sprintf("GRANT SELECT ON %s.* TO '%s'@'%%'", src.Name, user),
		fmt.Sprintf("GRANT BINLOG MONITOR ON *.* TO '%s'@'%%'", user))
	t.Cleanup(func() { src.DB.ExecContext(context.Background(), fmt.Sprintf("DROP USER '%s'@'%%'", user)) })
	dst := testdb.Postgres(t)
	args := runArgs(src, dst, "--ack", "snapshot-lock")
	args[2] = strings.Replace(src.URL, "root@", user+":pw@", 1)
	r := mustRun(t, args...)
	if !strings.Contains(r.stderr, "no global read lock") || !strings.Contains(r.stderr, "grant RELOAD") {
		t.Errorf("the fallback is not reported:\n%s", r.stderr)
	}
	if n := dst.QueryValue(t, "SELECT count(*) FROM sluice.task WHERE NOT snapshot_consistent AND snapshot_file <> ''"); n != int64(1) {
		t.Errorf("the snapshot is not recorded as a fallback with a position")
	}
	testdb.CompareTable(t, src, dst, "acct_a")
	testdb.CompareTable(t, src, dst, "acct_b")
}
