//go:build integration

package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/sluicedb/sluice/internal/testdb"
)

// TestRowFilter syncs a table through a row filter that reads a column the
// target leaves out, then changes rows so that they move into and out of
// the filter; the target must hold exactly the rows MariaDB's own WHERE
// selects, with the source's values.
func TestRowFilter(t *testing.T) {
	src := testdb.MySQL(t)
	dst := testdb.Postgres(t)
	src.Exec(t, `CREATE TABLE orders (id INT PRIMARY KEY, status VARCHAR(10) COLLATE utf8mb4_general_ci, total DECIMAL(10,2),
			created DATE, note TEXT, KEY ist (status))`,
		`INSERT INTO orders SELECT seq, ELT(seq % 4 + 1, 'draft', 'PAID', 'paid ', 'sent'), seq % 500 + 0.25,
			'2023-12-25' + INTERVAL seq % 20 DAY, IF(seq % 7 = 0, CONCAT('vip ', seq), IF(seq % 11 = 0, NULL, 'n')) FROM seq_1_to_600`)
	const where = `status <> 'draft' AND created >= '2024-01-01' AND (total BETWEEN 10 AND 400 OR note LIKE 'vip%')`
	task := mappingTask(t, src, dst, fmt.Sprintf(`tables:
  %s.orders:
    columns: [id, status, total, created]
    filter: "%s"
`, src.Name, where))
	mustRun(t, "run", "--task", task, "--phases", "schema,full")
	check := func(when string) {
		t.Helper()
		want := src.QueryRows(t, `SELECT CAST(id AS CHAR), status, CAST(total AS CHAR), CAST(created AS CHAR) FROM orders o WHERE `+where+` ORDER BY o.id`)
		got := dst.QueryRows(t, fmt.Sprintf(`SELECT id::text, status, total::text, created::text FROM %q.orders o ORDER BY o.id`, strings.ToLower(src.Name)))
		if fmt.Sprint(want) != fmt.Sprint(got) {
			t.Errorf("%s: target holds %d rows, MariaDB's WHERE selects %d:\n want %.400v\n got  %.400v", when, len(got), len(want), fmt.Sprint(want), fmt.Sprint(got))
		}
	}
	check("after the full load")
	src.Exec(t, `UPDATE orders SET status = 'paid' WHERE id BETWEEN 1 AND 40`, // drafts move in
		`UPDATE orders SET status = 'draft' WHERE id BETWEEN 41 AND 80`,     // rows move out
		`UPDATE orders SET total = total + 300 WHERE id BETWEEN 81 AND 120`, // some leave the BETWEEN
		`UPDATE orders SET note = 'vip!' WHERE id BETWEEN 121 AND 160`,      // a left-out column brings rows in
		`UPDATE orders SET created = '2023-01-01' WHERE id BETWEEN 161 AND 170`,
		`DELETE FROM orders WHERE id BETWEEN 171 AND 200`,
		`INSERT INTO orders VALUES (1001, 'sent', 20, '2024-05-01', NULL), (1002, 'draft', 20, '2024-05-01', NULL),
			(1003, 'SENT', 5000, '2024-05-01', 'vip x'), (1004, NULL, 20, '2024-05-01', NULL)`)
	mustRun(t, "run", "--task", task, "--stop-when-caught-up")
	check("after the binlog")
	if v := sluice(t, "verify", "--task", task); v.code != 0 {
		t.Errorf("verify with a filter: exit %d\n%s%s", v.code, v.stdout, v.stderr)
	}
	// Damage: a kept row deleted, a row outside the filter added; repair
	// restores exactly the filtered rows.
	sch := strings.ToLower(src.Name)
	dst.Exec(t, fmt.Sprintf(`DELETE FROM %q.orders WHERE id = (SELECT min(id) FROM %q.orders)`, sch, sch),
		fmt.Sprintf(`INSERT INTO %q.orders VALUES (99999, 'draft', 1, '2020-01-01')`, sch))
	// No sync runs now: --settle bounds the wait for one.
	if v := sluice(t, "verify", "--task", task, "--settle", "2s"); v.code != 1 || !strings.Contains(v.stdout, "id=99999") {
		t.Errorf("verify of a damaged filtered table: exit %d\n%s", v.code, v.stdout)
	}
	if v := sluice(t, "verify", "--task", task, "--repair", "--settle", "2s"); v.code != 0 {
		t.Errorf("repair of a filtered table: exit %d\n%s%s", v.code, v.stdout, v.stderr)
	}
	check("after the repair")

	bad := mappingTask(t, src, testdb.Postgres(t), fmt.Sprintf("tables:\n  %s.orders:\n    filter: \"LOWER(status) = 'paid'\"\n", src.Name))
	if r := sluice(t, "check", "--task", bad); r.code != 3 || !strings.Contains(r.stdout, "row-filter") || !strings.Contains(r.stdout, "LOWER is not supported") {
		t.Errorf("unsupported filter: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// TestRowFilterSemantics runs one table through sluice under filters that
// exercise MySQL's semantics (NULL logic, IN with NULL, LIKE escapes, a
// case-insensitive collation with trailing spaces, exact decimals, dates,
// XOR), through the full load and a binlog of updates that move rows in
// and out; for each, the keys in the target must be the keys MariaDB's
// WHERE selects. (internal/filter checks the evaluator itself against
// MariaDB on generated expressions and rows.)
func TestRowFilterSemantics(t *testing.T) {
	src := testdb.MySQL(t)
	src.Exec(t, `CREATE TABLE r (id INT PRIMARY KEY, s VARCHAR(20) COLLATE utf8mb4_general_ci, b VARCHAR(20) COLLATE utf8mb4_bin,
			d DECIMAL(12,4), u BIGINT UNSIGNED, dt DATETIME(6), n INT)`,
		`INSERT INTO r SELECT seq, ELT(seq % 7 + 1, 'abc', 'ABC ', 'a_c', 'a%c', 'Äbc', NULL, ''), ELT(seq % 5 + 1, 'abc', 'ABC', 'x', NULL, 'abc '),
			IF(seq % 9 = 0, NULL, seq / 7), IF(seq % 13 = 0, 18446744073709551615, seq * 1000), 
			IF(seq % 11 = 0, NULL, '2024-01-01 00:00:00' + INTERVAL seq * 3599 SECOND), IF(seq % 3 = 0, NULL, seq % 10) FROM seq_1_to_400`)
	filters := []string{
		`s = 'abc'`,
		`s LIKE 'a\\_c' OR s LIKE 'a|%c' ESCAPE '|'`,
		`b = 'abc' AND n IN (1, 2, NULL)`,
		`NOT (n NOT IN (3, 4, NULL))`,
		`d BETWEEN 10.1428 AND 40 XOR n > 5`,
		`u >= 18446744073709551615 OR dt < '2024-01-05 12:00:00.5'`,
		`s IS NULL OR (b IS NOT NULL AND n <=> NULL)`,
		`dt >= '2024-01-10' AND NOT s = 'äbc'`,
	}
	changes := []string{`UPDATE r SET s = 'abc' WHERE id % 10 = 1`, `UPDATE r SET n = NULL WHERE id % 10 = 2`,
		`UPDATE r SET n = 1, b = 'abc' WHERE id % 10 = 3`, `UPDATE r SET d = d + 20 WHERE id % 10 = 4`,
		`UPDATE r SET dt = '2024-01-11' WHERE id % 10 = 5`, `DELETE FROM r WHERE id % 10 = 6`,
		`INSERT INTO r SELECT 1000 + seq, 'ABC', 'abc', 12.5, 7, '2024-02-01', seq % 4 FROM seq_1_to_20`}
	compare := func(dst *testdb.PGDB, where, when string) {
		t.Helper()
		want := src.QueryRows(t, `SELECT CAST(id AS CHAR) FROM r o WHERE `+where+` ORDER BY o.id`)
		got := dst.QueryRows(t, fmt.Sprintf(`SELECT id::text FROM %q.r o ORDER BY o.id`, strings.ToLower(src.Name)))
		if fmt.Sprint(want) != fmt.Sprint(got) {
			t.Errorf("%s: %s: MariaDB keeps %d rows, sluice %d\n want %.300v\n got  %.300v", where, when, len(want), len(got), fmt.Sprint(want), fmt.Sprint(got))
		}
	}
	// One task per filter, all loaded before the changes, then each
	// catches up with the same binlog.
	var dsts []*testdb.PGDB
	var tasks []string
	for i, where := range filters {
		dst := testdb.Postgres(t)
		quoted := strings.ReplaceAll(strings.ReplaceAll(where, `\`, `\\`), `"`, `\"`)
		task := mappingTask(t, src, dst, fmt.Sprintf("name: g%d\ntables:\n  %s.r:\n    filter: \"%s\"\n", i, src.Name, quoted))
		mustRun(t, "run", "--task", task, "--phases", "schema,full")
		compare(dst, where, "full load")
		dsts, tasks = append(dsts, dst), append(tasks, task)
	}
	src.Exec(t, changes...)
	for i, where := range filters {
		mustRun(t, "run", "--task", tasks[i], "--stop-when-caught-up")
		compare(dsts[i], where, "after the binlog")
	}
}
