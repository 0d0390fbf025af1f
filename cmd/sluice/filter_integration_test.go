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
		`UPDATE orders SET status = 'draft' WHERE id BETWEEN 41 AND 80`,      // rows move out
		`UPDATE orders SET total = total + 300 WHERE id BETWEEN 81 AND 120`,  // some leave the BETWEEN
		`UPDATE orders SET note = 'vip!' WHERE id BETWEEN 121 AND 160`,       // a left-out column brings rows in
		`UPDATE orders SET created = '2023-01-01' WHERE id BETWEEN 161 AND 170`,
		`DELETE FROM orders WHERE id BETWEEN 171 AND 200`,
		`INSERT INTO orders VALUES (1001, 'sent', 20, '2024-05-01', NULL), (1002, 'draft', 20, '2024-05-01', NULL),
			(1003, 'SENT', 5000, '2024-05-01', 'vip x'), (1004, NULL, 20, '2024-05-01', NULL)`)
	mustRun(t, "run", "--task", task, "--stop-when-caught-up")
	check("after the binlog")
	if v := sluice(t, "verify", "--task", task); v.code != 0 {
		t.Errorf("verify with a filter: exit %d\n%s%s", v.code, v.stdout, v.stderr)
	}

	bad := mappingTask(t, src, testdb.Postgres(t), fmt.Sprintf("tables:\n  %s.orders:\n    filter: \"LOWER(status) = 'paid'\"\n", src.Name))
	if r := sluice(t, "check", "--task", bad); r.code != 3 || !strings.Contains(r.stdout, "row-filter") || !strings.Contains(r.stdout, "LOWER is not supported") {
		t.Errorf("unsupported filter: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}
