//go:build integration

package main

import (
	"fmt"
	"testing"
	"time"

	"github.com/sluicedb/sluice/internal/testdb"
)

// TestOneToMany syncs one source into two targets at once, as two tasks
// (each with its own name, binlog reader and checkpoint in its own
// target), through a full load and a stream of changes; both end equal to
// the source, and stopping one does not disturb the other.
func TestOneToMany(t *testing.T) {
	src := testdb.MySQL(t)
	a := testdb.Postgres(t)
	b := testdb.Postgres(t)
	src.Exec(t, `CREATE TABLE t (id INT PRIMARY KEY, v INT)`, `INSERT INTO t SELECT seq, seq FROM seq_1_to_2000`)
	stopA := startSluice(t, cdcArgs(src, a, "--name", "to-a")...)
	stopB := startSluice(t, cdcArgs(src, b, "--name", "to-b")...)
	waitFullLoad(t, a, "to-a")
	waitFullLoad(t, b, "to-b")
	for i := range 50 {
		src.Exec(t, fmt.Sprintf("UPDATE t SET v = v + 1 WHERE id %% 50 = %d", i), fmt.Sprintf("INSERT INTO t VALUES (%d, 0)", 3000+i))
	}
	stopA()
	src.Exec(t, `DELETE FROM t WHERE id <= 100`)
	// A resumes from its own checkpoint; B never stopped.
	mustRun(t, cdcArgs(src, a, "--name", "to-a", "--stop-when-caught-up")...)
	want := src.QueryValue(t, "SELECT CONCAT(COUNT(*), '/', SUM(v)) FROM t")
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(100 * time.Millisecond) {
		got := b.QueryValue(t, fmt.Sprintf(`SELECT count(*) || '/' || sum(v) FROM %q.t`, src.Name))
		if got == want || time.Now().After(deadline) {
			break
		}
	}
	stopB()
	testdb.CompareTable(t, src, a, "t")
	testdb.CompareTable(t, src, b, "t")
	for _, d := range []*testdb.PGDB{a, b} {
		if n := d.QueryValue(t, "SELECT count(*) FROM sluice.task"); n != int64(1) {
			t.Errorf("target %s holds %v tasks' state, want its own only", d.Name, n)
		}
	}
}
