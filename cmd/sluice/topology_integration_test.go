//go:build integration

package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
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

// shardTask writes the task file of a merge task: the given source
// databases into one schema "shop" of dst.
func shardTask(t *testing.T, name, srcURL string, dst *testdb.PGDB, dbs ...*testdb.MySQLDB) string {
	t.Helper()
	var include, schemas []string
	for _, d := range dbs {
		include = append(include, d.Name+".*")
		schemas = append(schemas, d.Name+": shop")
	}
	path := filepath.Join(t.TempDir(), name+".yaml")
	text := fmt.Sprintf("name: %s\nsource: %s\ntarget: %s\ninclude: [%s]\nschemas: {%s}\nmerge: true\nprogress_interval: 100ms\n",
		name, srcURL, dst.URL, strings.Join(include, ", "), strings.Join(schemas, ", "))
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestManyToOne merges four shards on two MariaDB servers into one
// PostgreSQL table with two tasks: both full loads and binlog streams land
// in shop.orders, each row naming its origin; each task verifies its own
// rows; a key that two shards share is reported with both sources, in the
// full load and in the binlog.
func TestManyToOne(t *testing.T) {
	a0, a1 := testdb.MySQL(t), testdb.MySQL(t)
	dst := testdb.Postgres(t)
	privateServers(t) // a second MariaDB (and PostgreSQL, unused) for shards 2 and 3
	b2, b3 := testdb.MySQL(t), testdb.MySQL(t)
	for i, s := range []*testdb.MySQLDB{a0, a1, b2, b3} {
		s.Exec(t, `CREATE TABLE orders (id INT PRIMARY KEY, amount DECIMAL(10,2) NOT NULL, note VARCHAR(20))`,
			fmt.Sprintf(`INSERT INTO orders SELECT %d + seq, seq * 1.5, 'shard %d' FROM seq_1_to_100`, i*1000, i))
	}
	taskA := shardTask(t, "shards-a", a0.URL, dst, a0, a1)
	taskB := shardTask(t, "shards-b", b2.URL, dst, b2, b3)
	mustRun(t, "run", "--task", taskA, "--phases", "schema,full")
	mustRun(t, "run", "--task", taskB, "--phases", "schema,full")
	a0.Exec(t, `UPDATE orders SET amount = amount + 1 WHERE id <= 10`, `DELETE FROM orders WHERE id > 90`)
	b3.Exec(t, `INSERT INTO orders VALUES (3500, 1, 'late')`, `UPDATE orders SET note = 'changed' WHERE id = 3001`)
	mustRun(t, "run", "--task", taskA, "--stop-when-caught-up")
	mustRun(t, "run", "--task", taskB, "--stop-when-caught-up")

	got := dst.QueryRows(t, `SELECT _sluice_origin, count(*)::text, sum(amount)::text FROM shop.orders GROUP BY 1 ORDER BY 1`)
	if len(got) != 4 {
		t.Fatalf("origins in shop.orders: %v", got)
	}
	for i, s := range []*testdb.MySQLDB{a0, a1, b2, b3} {
		want := s.QueryRows(t, `SELECT CAST(COUNT(*) AS CHAR), CAST(SUM(amount) AS CHAR) FROM orders`)
		var row []any
		for _, g := range got {
			if strings.HasSuffix(g[0].(string), "/"+s.Name+".orders") {
				row = g
			}
		}
		if row == nil || fmt.Sprint(row[1:]) != fmt.Sprint(want[0]) {
			t.Errorf("shard %d (%s): target %v, source %v", i, s.Name, row, want)
		}
	}
	for _, task := range []string{taskA, taskB} {
		if v := sluice(t, "verify", "--task", task); v.code != 0 {
			t.Errorf("verify %s: exit %d\n%s%s", task, v.code, v.stdout, v.stderr)
		}
	}

	// Shard 2 takes a key shard 0 holds: the apply stops naming both.
	b2.Exec(t, `INSERT INTO orders VALUES (5, 9, 'clash')`)
	r := sluice(t, "run", "--task", taskB, "--stop-when-caught-up", "--retry-for", "10m")
	if r.code != 1 || !strings.Contains(r.stderr, "key collision") || !strings.Contains(r.stderr, "/"+b2.Name+".orders") ||
		!strings.Contains(r.stderr, "/"+a0.Name+".orders") {
		t.Errorf("collision in the binlog: exit %d\n%s", r.code, r.stderr)
	}

	// Two shards with the same keys in one task: the full load stops.
	c0, c1 := testdb.MySQL(t), testdb.MySQL(t)
	dst2 := testdb.Postgres(t)
	for _, s := range []*testdb.MySQLDB{c0, c1} {
		s.Exec(t, `CREATE TABLE orders (id INT PRIMARY KEY, amount DECIMAL(10,2) NOT NULL, note VARCHAR(20))`,
			`INSERT INTO orders SELECT seq, seq, 'x' FROM seq_1_to_10`)
	}
	taskC := shardTask(t, "shards-c", c0.URL, dst2, c0, c1)
	r = sluice(t, "run", "--task", taskC, "--phases", "schema,full")
	if r.code != 1 || !strings.Contains(r.stderr, "key collision") {
		t.Errorf("collision in the full load: exit %d\n%s", r.code, r.stderr)
	}

	// The same shards with the shard in the target's key: no collision.
	dst3 := testdb.Postgres(t)
	taskD := shardTask(t, "shards-d", c0.URL, dst3, c0, c1)
	opts := fmt.Sprintf("tables:\n  %[1]s.orders: {add_columns: {shard: $database}, key: [id, shard]}\n"+
		"  %[2]s.orders: {add_columns: {shard: $database}, key: [id, shard]}\n", c0.Name, c1.Name)
	appendFile(t, taskD, opts)
	mustRun(t, "run", "--task", taskD, "--phases", "schema,full")
	c1.Exec(t, `UPDATE orders SET amount = 100 WHERE id = 3`, `DELETE FROM orders WHERE id = 4`, `INSERT INTO orders VALUES (11, 1, 'y')`)
	mustRun(t, "run", "--task", taskD, "--stop-when-caught-up")
	got = dst3.QueryRows(t, `SELECT shard, count(*)::text, sum(amount)::text FROM shop.orders GROUP BY 1 ORDER BY 1`)
	want := fmt.Sprint([][]any{{c0.Name, "10", "55.00"}, {c1.Name, "10", "149.00"}})
	if c0.Name > c1.Name {
		want = fmt.Sprint([][]any{{c1.Name, "10", "149.00"}, {c0.Name, "10", "55.00"}})
	}
	if fmt.Sprint(got) != want {
		t.Errorf("shards with the shard in the key: %v, want %s", got, want)
	}
	if pk := dst3.QueryValue(t, `SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'shop.orders'::regclass AND contype = 'p'`); pk != "PRIMARY KEY (id, shard)" {
		t.Errorf("target primary key: %v", pk)
	}
}

func appendFile(t *testing.T, path, text string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(text); err != nil {
		t.Fatal(err)
	}
}
