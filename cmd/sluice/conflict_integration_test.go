//go:build integration

package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/sluicedb/sluice/internal/testdb"
)

// TestConflictIgnore loads into a target table that exists before the
// task: the full load keeps the rows the target has (same key), the binlog
// apply overwrites them with the source's changes, rows only in the target
// stay, and sluice adds nothing to the table's definition.
func TestConflictIgnore(t *testing.T) {
	src := testdb.MySQL(t)
	dst := testdb.Postgres(t)
	sch := strings.ToLower(src.Name)
	src.Exec(t, `CREATE TABLE t (id INT PRIMARY KEY, v INT, w VARCHAR(10), KEY iv (v))`,
		`INSERT INTO t SELECT seq, seq, CONCAT('w', seq) FROM seq_1_to_100`)
	dst.Exec(t, fmt.Sprintf(`CREATE SCHEMA %q`, sch),
		fmt.Sprintf(`CREATE TABLE %q.t (id int PRIMARY KEY, v int, w text, note text DEFAULT 'mine')`, sch),
		fmt.Sprintf(`INSERT INTO %q.t (id, v, w) SELECT g, -1, 'target' FROM generate_series(1, 10) g`, sch),
		fmt.Sprintf(`INSERT INTO %q.t (id, v, w) VALUES (1000, -1, 'only here')`, sch))

	if r := sluice(t, runArgs(src, dst)...); r.code != 3 || !strings.Contains(r.stderr+r.stdout, "target-table-exists") {
		t.Fatalf("without --conflict ignore: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	mustRun(t, runArgs(src, dst, "--conflict", "ignore")...)
	rows := func() string {
		return fmt.Sprint(dst.QueryRows(t, fmt.Sprintf(`SELECT count(*), count(*) FILTER (WHERE v = -1), sum(v) FILTER (WHERE v > 0), count(*) FILTER (WHERE note = 'mine')
			FROM %q.t`, sch)))
	}
	if got := rows(); got != "[[101 11 4995 101]]" { // 1..10 kept, 11..100 copied (sum 5050-55), 1000 kept
		t.Errorf("after the full load: %s", got)
	}
	if n := dst.QueryValue(t, `SELECT count(*) FROM pg_indexes WHERE schemaname = $1 AND tablename = 't'`, sch); n != int64(1) {
		t.Errorf("the existing table has %v indexes; sluice must not add its own", n)
	}

	src.Exec(t, `UPDATE t SET v = 500 WHERE id = 5`, `DELETE FROM t WHERE id = 6`, `INSERT INTO t VALUES (200, 200, 'new')`,
		`UPDATE t SET v = 5000 WHERE id = 50`, `DELETE FROM t WHERE id = 77`)
	mustRun(t, cdcArgs(src, dst, "--conflict", "ignore", "--stop-when-caught-up")...)
	got := fmt.Sprint(dst.QueryRows(t, fmt.Sprintf(`SELECT id, v, w FROM %q.t WHERE id IN (4, 5, 6, 50, 77, 200, 1000) ORDER BY id`, sch)))
	if want := "[[4 -1 target] [5 500 w5] [50 5000 w50] [200 200 new] [1000 -1 only here]]"; got != want {
		t.Errorf("after the binlog:\n got %s\nwant %s", got, want)
	}

	// A target table without a column the task writes is refused.
	dst2 := testdb.Postgres(t)
	dst2.Exec(t, fmt.Sprintf(`CREATE SCHEMA %q`, sch), fmt.Sprintf(`CREATE TABLE %q.t (id int PRIMARY KEY, v int)`, sch))
	r := sluice(t, "check", "--source", src.URL, "--target", dst2.URL, "--include", src.Name+".*", "--conflict", "ignore")
	if r.code != 3 || !strings.Contains(r.stdout, "target-table-columns") || !strings.Contains(r.stdout, "lacks the column(s) w") {
		t.Errorf("missing column: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}
