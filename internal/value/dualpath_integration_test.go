//go:build integration

// Run with the harness servers up (scripts/dbs.sh start) and go-mysql's
// dependencies available (see binlog_harness_test.go):
//
//	eval "$(scripts/dbs.sh env)"; go test -tags integration -run DualPath ./internal/value/

package value

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/go-mysql-org/go-mysql/mysql"
	"github.com/go-mysql-org/go-mysql/replication"
	"github.com/jackc/pgx/v5"

	"github.com/sluicedb/sluice/internal/schema"
	"github.com/sluicedb/sluice/internal/testdb"
)

// liveCol is one column of the test table: MariaDB DDL, the schema model the
// catalog would build, and the PostgreSQL type of §4.
type liveCol struct {
	name, mysqlType, pgType string
	col                     schema.Column
}

var liveCols = []liveCol{
	{"ti", "TINYINT", "smallint", schema.Column{Kind: schema.KindInt, IntBytes: 1}},
	{"tu", "TINYINT UNSIGNED", "smallint", schema.Column{Kind: schema.KindInt, IntBytes: 1, Unsigned: true}},
	{"mi", "MEDIUMINT", "integer", schema.Column{Kind: schema.KindInt, IntBytes: 3}},
	{"mu", "MEDIUMINT UNSIGNED", "integer", schema.Column{Kind: schema.KindInt, IntBytes: 3, Unsigned: true}},
	{"iu", "INT UNSIGNED", "bigint", schema.Column{Kind: schema.KindInt, IntBytes: 4, Unsigned: true}},
	{"bi", "BIGINT", "bigint", schema.Column{Kind: schema.KindInt, IntBytes: 8}},
	{"bu", "BIGINT UNSIGNED", "numeric(20,0)", schema.Column{Kind: schema.KindInt, IntBytes: 8, Unsigned: true}},
	{"d65", "DECIMAL(65,30)", "numeric(65,30)", schema.Column{Kind: schema.KindDecimal, Precision: 65, Scale: 30}},
	{"d102", "DECIMAL(10,2)", "numeric(10,2)", schema.Column{Kind: schema.KindDecimal, Precision: 10, Scale: 2}},
	{"f", "FLOAT", "real", schema.Column{Kind: schema.KindFloat}},
	{"dbl", "DOUBLE", "double precision", schema.Column{Kind: schema.KindDouble}},
	{"b1", "BIT(1)", "bit(1)", schema.Column{Kind: schema.KindBit, Length: 1}},
	{"b10", "BIT(10)", "bit(10)", schema.Column{Kind: schema.KindBit, Length: 10}},
	{"b64", "BIT(64)", "bit(64)", schema.Column{Kind: schema.KindBit, Length: 64}},
	{"ch", "CHAR(10)", "varchar(10)", schema.Column{Kind: schema.KindText, Charset: "utf8mb4", FixedLength: true, Length: 10}},
	{"vc", "VARCHAR(50)", "varchar(50)", schema.Column{Kind: schema.KindText, Charset: "utf8mb4", Length: 50}},
	{"tx", "TEXT", "text", schema.Column{Kind: schema.KindText, Charset: "utf8mb4", Length: 65535}},
	{"l1", "VARCHAR(20) CHARACTER SET latin1", "varchar(20)", schema.Column{Kind: schema.KindText, Charset: "latin1", Length: 20}},
	{"bn", "BINARY(16)", "bytea", schema.Column{Kind: schema.KindBinary, FixedLength: true, Length: 16}},
	{"vb", "VARBINARY(20)", "bytea", schema.Column{Kind: schema.KindBinary, Length: 20}},
	{"bl", "BLOB", "bytea", schema.Column{Kind: schema.KindBinary, Length: 65535}},
	{"dt", "DATE", "date", schema.Column{Kind: schema.KindDate}},
	{"dtn", "DATE NOT NULL DEFAULT '2000-01-01'", "date", schema.Column{Kind: schema.KindDate}},
	{"dtm", "DATETIME(6)", "timestamp(6)", schema.Column{Kind: schema.KindDatetime, Scale: 6}},
	{"ts", "TIMESTAMP(3) NULL", "timestamptz(3)", schema.Column{Kind: schema.KindTimestamp, Scale: 3}},
	{"tm", "TIME(6)", "interval", schema.Column{Kind: schema.KindTime, Scale: 6}},
	{"tm1", "TIME(1)", "interval", schema.Column{Kind: schema.KindTime, Scale: 1}},
	{"yr", "YEAR", "smallint", schema.Column{Kind: schema.KindYear}},
	{"en", "ENUM('a','b','c')", "text", schema.Column{Kind: schema.KindEnum, Members: []string{"a", "b", "c"}}},
	{"st", "SET('x','y','z')", "text", schema.Column{Kind: schema.KindSet, Members: []string{"x", "y", "z"}}},
	{"js", "JSON", "jsonb", schema.Column{Kind: schema.KindJSON, Charset: "utf8mb4"}},
	{"g", "GEOMETRY", "geometry", schema.Column{Kind: schema.KindGeometry}},
	{"u", "UUID", "uuid", schema.Column{Kind: schema.KindUUID}},
	{"i4", "INET4", "inet", schema.Column{Kind: schema.KindInet4}},
	{"i6", "INET6", "inet", schema.Column{Kind: schema.KindInet6}},
}

// liveRows are inserted with sql_mode ALLOW_INVALID_DATES only, so that zero,
// partial-zero and invalid dates go in. Columns in liveCols order, after id.
var liveRows = []string{
	`1, 127, 255, 8388607, 16777215, 4294967295, 9223372036854775807, 18446744073709551615,
	 '` + dec65Max + `', 99999999.99, 3.4028235e38, -0.0, b'1', b'1111111111', b'1000000000000000000000000000000000000000000000000000000000000000',
	 'ab  ', 'a😀b  ', '😀', 0xE980, X'123456789abcdef0123456789abcde00', X'0100', X'ff00',
	 '0001-01-01', '0999-12-31', '9999-12-31 23:59:59.999999', '2038-01-19 03:14:07.999', '838:59:59.000000', '-00:00:00.5', 2155,
	 'c', 'x,z', '{"a": 1.0, "n": 18446744073709551615, "s": "é"}', ST_GeomFromText('POINT(13.4 52.5)', 4326),
	 '123e4567-e89b-12d3-a456-426614174000', '192.168.0.0', '::ffff:1.2.3.4'`,
	`2, -128, 0, -8388608, 0, 0, -9223372036854775808, 9223372036854775808,
	 '-` + dec65Max + `', -0.05, 1.4e-45, 5e-324, b'0', b'0000000001', b'1',
	 '  x', '', '', 'plain', X'00000000000000000000000000000000', X'', X'',
	 '0000-00-00', '0000-00-00', '0000-00-00 00:00:00', '0000-00-00 00:00:00', '-838:59:59.000000', '24:00:00', 0,
	 '', '', '[]', ST_GeomFromText('LINESTRING(0 0, 1 1)'),
	 'f47ac10b-58cc-4372-a567-0e02b2c3d479', '0.0.0.0', '::'`,
	`3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
	 NULL, '2020-00-15', '2020-05-00 10:11:12.000001', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL`,
	// Values neither path may store: both must fail the same way.
	`4, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, CONCAT('a', CHAR(0), 'b'), NULL, NULL, NULL, NULL, NULL,
	 '2021-02-31', '2000-01-01', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL`,
}

// liveFailures are the row/column pairs of liveRows that must fail.
var liveFailures = map[string]bool{"4/vc": true, "4/dt": true}

func TestDualPathAgainstMariaDB(t *testing.T) {
	src := testdb.MySQL(t)
	dst := testdb.Postgres(t)
	ctx := t.Context()

	var ddl, pgDDL []string
	for _, c := range liveCols {
		ddl = append(ddl, c.name+" "+c.mysqlType)
		pgDDL = append(pgDDL, c.name+" "+c.pgType)
	}
	src.Exec(t, "CREATE TABLE t (id INT PRIMARY KEY, "+strings.Join(ddl, ", ")+")")
	file, pos := binlogPosition(t, src)
	var ins []string
	for _, r := range liveRows {
		ins = append(ins, "("+r+")")
	}
	src.Exec(t, "SET SESSION sql_mode='ALLOW_INVALID_DATES'; INSERT INTO t VALUES "+strings.Join(ins, ", "))

	convs := make([]*Converter, len(liveCols))
	for i := range liveCols {
		col := liveCols[i].col
		col.Name, col.Nullable = liveCols[i].name, !strings.Contains(liveCols[i].mysqlType, "NOT NULL")
		conv, err := New(&col, Policy{})
		if err != nil {
			t.Fatal(err)
		}
		convs[i] = conv
	}
	snap := snapshotRows(t, src)
	bin := binlogRows(t, src, file, pos, len(liveRows))

	var snapOut, binOut [][]any
	for r := range liveRows {
		so, bo := make([]any, len(liveCols)+1), make([]any, len(liveCols)+1)
		so[0], bo[0] = int64(r+1), int64(r+1)
		failed := false
		for i, lc := range liveCols {
			sv, bv := snap[r][i+1], bin[r][i+1]
			if r == 0 {
				t.Logf("%-4s %-36s snapshot %-8T binlog %T", lc.name, lc.mysqlType, sv, bv)
			}
			s, sf, serr := convs[i].Snapshot(sv)
			b, bf, berr := convs[i].Binlog(bv)
			// Messages may name the path; otherwise they must agree.
			if fmt.Sprint(serr) != strings.ReplaceAll(fmt.Sprint(berr), "binlog", "snapshot") || sf != bf {
				t.Errorf("row %d %s: snapshot %v/%v, binlog %v/%v", r+1, lc.name, sf, serr, bf, berr)
				continue
			}
			if want := liveFailures[fmt.Sprintf("%d/%s", r+1, lc.name)]; want != (serr != nil) {
				t.Errorf("row %d %s: error %v, want an error: %v", r+1, lc.name, serr, want)
			} else if serr != nil {
				t.Logf("row %d %s fails on both paths: %v", r+1, lc.name, serr)
				failed = true
			}
			if serr == nil && (s == nil) != (b == nil) {
				t.Errorf("row %d %s: snapshot %#v, binlog %#v", r+1, lc.name, s, b)
			}
			so[i+1], bo[i+1] = s, b
		}
		if !failed {
			snapOut, binOut = append(snapOut, so), append(binOut, bo)
		}
	}

	// Land both in PostgreSQL through binary COPY and compare what it stored.
	for _, name := range []string{"snap", "bin"} {
		dst.Exec(t, "CREATE TABLE "+name+" (id int PRIMARY KEY, "+strings.Join(pgDDL, ", ")+")")
	}
	cols := []string{"id"}
	for _, c := range liveCols {
		cols = append(cols, c.name)
	}
	for name, rows := range map[string][][]any{"snap": snapOut, "bin": binOut} {
		if _, err := dst.Pool.CopyFrom(ctx, pgx.Identifier{name}, cols, pgx.CopyFromRows(rows)); err != nil {
			t.Fatalf("COPY into %s: %v", name, err)
		}
	}
	for _, c := range cols {
		q := fmt.Sprintf("SELECT s.id, s.%[1]s::text, b.%[1]s::text FROM snap s JOIN bin b USING (id) WHERE s.%[1]s::text IS DISTINCT FROM b.%[1]s::text", c)
		for _, row := range dst.QueryRows(t, q) {
			t.Errorf("PostgreSQL holds different %s for id %v: snapshot %v, binlog %v", c, row[0], row[1], row[2])
		}
	}
	for _, row := range dst.QueryRows(t, "SELECT id, ti, bu::text, d65::text, b64::text, l1, bn::text, dt::text, dtn::text, dtm::text, tm::text, tm1::text, st, js::text, ST_AsEWKT(g), u::text, i6::text FROM snap ORDER BY id") {
		t.Logf("PostgreSQL: %v", row)
	}
}

func binlogPosition(t *testing.T, src *testdb.MySQLDB) (string, uint32) {
	t.Helper()
	var file string
	var pos uint32
	var skip1, skip2 any
	row := src.DB.QueryRowContext(t.Context(), "SHOW MASTER STATUS")
	if err := row.Scan(&file, &pos, &skip1, &skip2); err != nil {
		t.Fatalf("SHOW MASTER STATUS: %v", err)
	}
	return file, pos
}

// snapshotRows reads t as the full load does: a prepared statement (binary
// protocol), every value scanned into *any.
func snapshotRows(t *testing.T, src *testdb.MySQLDB) [][]any {
	t.Helper()
	stmt, err := src.DB.PrepareContext(t.Context(), "SELECT * FROM t ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	defer stmt.Close()
	rows, err := stmt.QueryContext(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out [][]any
	for rows.Next() {
		vals := make([]any, len(liveCols)+1)
		ptrs := make([]any, len(vals))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		out = append(out, vals)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// binlogRows reads the binlog from file:pos with go-mysql, configured as the
// binlog reader is, until n rows of the test's table arrived.
func binlogRows(t *testing.T, src *testdb.MySQLDB, file string, pos uint32, n int) [][]any {
	t.Helper()
	streamer := src.BinlogSyncer(t, mysql.Position{Name: file, Pos: pos})
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	var out [][]any
	for len(out) < n {
		ev, err := streamer.GetEvent(ctx)
		if err != nil {
			t.Fatalf("reading the binlog: %v (have %d of %d rows)", err, len(out), n)
		}
		re, ok := ev.Event.(*replication.RowsEvent)
		if !ok || !bytes.Equal(re.Table.Schema, []byte(src.Name)) || string(re.Table.Table) != "t" {
			continue
		}
		out = append(out, re.Rows...)
	}
	return out
}
