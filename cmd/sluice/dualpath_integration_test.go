//go:build integration

package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/sluicedb/sluice/internal/testdb"
)

// TestDualPath: the type fixture copied by the full load, and the same rows
// written through the binlog (inserted, updated, deleted after the
// snapshot), must land identically: each equals the source, and each row of
// the binlog copy equals its snapshot-path twin in PostgreSQL.
func TestDualPath(t *testing.T) {
	src := testdb.MySQL(t)
	src.Exec(t, typesFixture)
	twin := testdb.MySQL(t) // same tables, filled through the binlog
	tables := []string{"numbers", "texts", "binkey", "widths", "temporal", "misc", "nokey", "chunk_bin", "chunk_str"}
	for _, tb := range tables {
		twin.Exec(t, fmt.Sprintf("CREATE TABLE %s.%s LIKE %s.%s", twin.Name, tb, src.Name, tb))
	}
	dst := testdb.Postgres(t)
	ack := []string{"--ack", "table-without-key,zero-dates,invisible-column"}
	mustRun(t, append(runArgs(src, dst, "--name", "snapshot"), ack...)...)
	stop := startSluice(t, append(cdcArgs(twin, dst, "--name", "binlog"), ack...)...)
	waitFullLoad(t, dst, "binlog")

	for _, tb := range tables {
		cols := writableColumns(t, src, tb)
		copyRows := func(shift string) string {
			sel := strings.ReplaceAll(cols, "`id`", "`id` + "+shift)
			if shift == "" {
				sel = cols
			}
			return fmt.Sprintf("INSERT INTO %s.%s (%s) SELECT %s FROM %s.%s", twin.Name, tb, cols, sel, src.Name, tb)
		}
		stmts := []string{"SET SESSION sql_mode = ''"}
		if strings.Contains(cols, "`id`") {
			// Insert under shifted keys, then update every row to its real
			// key: the update images carry every type. Rows inserted and
			// deleted again exercise the delete path.
			stmts = append(stmts, copyRows("100000"),
				fmt.Sprintf("UPDATE %s.%s SET id = id - 100000", twin.Name, tb),
				copyRows("200000"),
				fmt.Sprintf("DELETE FROM %s.%s WHERE id >= 200000", twin.Name, tb))
		} else {
			stmts = append(stmts, copyRows(""))
		}
		twin.Exec(t, strings.Join(stmts, ";\n"))
	}
	twin.Exec(t, "INSERT INTO nokey SELECT * FROM nokey LIMIT 1", "DELETE FROM nokey LIMIT 1")
	stop()
	mustRun(t, append(cdcArgs(twin, dst, "--name", "binlog", "--stop-when-caught-up"), ack...)...)

	for _, tb := range tables {
		n := testdb.CompareTable(t, twin, dst, tb)
		if diff := dst.QueryValue(t, fmt.Sprintf(`SELECT count(*) FROM (
			(SELECT bin_row::text FROM %[1]s.%[3]s bin_row EXCEPT ALL SELECT snap_row::text FROM %[2]s.%[3]s snap_row)
			UNION ALL (SELECT snap_row::text FROM %[2]s.%[3]s snap_row EXCEPT ALL SELECT bin_row::text FROM %[1]s.%[3]s bin_row)) d`,
			twin.Name, src.Name, tb)); diff != int64(0) {
			t.Errorf("%s: %v rows differ between the binlog path and the snapshot path", tb, diff)
		}
		if n == 0 {
			t.Errorf("%s: no rows compared", tb)
		}
	}
}

// writableColumns lists a table's columns that INSERT can name (not
// generated), invisible ones included.
func writableColumns(t *testing.T, src *testdb.MySQLDB, table string) string {
	var cols []string
	for _, r := range src.QueryRows(t, `SELECT COLUMN_NAME FROM information_schema.COLUMNS
		WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND EXTRA NOT LIKE '%GENERATED%' ORDER BY ORDINAL_POSITION`, table) {
		cols = append(cols, "`"+r[0].(string)+"`")
	}
	return strings.Join(cols, ", ")
}
