//go:build integration

package source_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sluicedb/sluice/internal/change"
	"github.com/sluicedb/sluice/internal/schema"
	"github.com/sluicedb/sluice/internal/source"
)

func TestBinlogDDLStops(t *testing.T) {
	e := newBinlogEnv(t, binlogSchema)
	tables := e.tables("skipped")
	from := e.position()
	g := e.txn("INSERT INTO orders VALUES (1,'a',1)")
	e.txn("ALTER TABLE skipped ADD COLUMN w INT", "CREATE TABLE other (id INT)", "DROP TABLE other")
	e.txn("ALTER TABLE orders ADD COLUMN w INT")
	afterAlter := e.position()
	e.txn("INSERT INTO orders VALUES (2,'b',2,2)")
	r := e.stream(from, tables, source.BinlogOptions{})
	err := r.wait()
	var stop *source.StopError
	if !errors.As(err, &stop) || !strings.Contains(stop.Reason, "DDL on "+e.m.Name+".orders") ||
		!strings.Contains(stop.Reason, `"ALTER TABLE orders ADD COLUMN w INT"`) {
		t.Fatalf("error %v; want a StopError for the ALTER", err)
	}
	if gtidEntry(stop.Pos.GTID, e.domain) == "" || stop.Pos.Offset == 0 {
		t.Errorf("StopError position %s", stop.Pos)
	}
	if got := summarize(r.got, e.domain); !slices.Equal(got, []string{"begin", "rows orders insert [[1 a 1]]", "commit " + g}) {
		t.Errorf("events before the stop: %v", got)
	}
	t.Log(err)

	// Reading on past the DDL with the old schema: the TABLE_MAP check stops.
	r = e.stream(afterAlter, tables, source.BinlogOptions{})
	if err := r.wait(); !errors.As(err, &stop) || !strings.Contains(stop.Reason, "the binlog row has 4 columns but the table has 3") {
		t.Fatalf("error %v; want a StopError for the column count", err)
	}
	t.Log(stop)

	// A renamed column: same count, other name (binlog_row_metadata=FULL).
	tables = e.tables("skipped")
	from = e.position()
	e.txn("ALTER TABLE items CHANGE sku code VARCHAR(20)")
	afterAlter = e.position()
	e.txn("INSERT INTO items VALUES (1,1,'x')")
	tables = slices.DeleteFunc(tables, func(t *schema.Table) bool { return t.Name == "orders" }) // only items
	r = e.stream(from, tables, source.BinlogOptions{})
	if err := r.wait(); !errors.As(err, &stop) || !strings.Contains(stop.Reason, "DDL on "+e.m.Name+".items") {
		t.Fatalf("error %v; want a StopError for the rename", err)
	}
	r = e.stream(afterAlter, tables, source.BinlogOptions{})
	if err := r.wait(); !errors.As(err, &stop) || !strings.Contains(stop.Reason, `binlog column 3 is "code" but the table's column 3 is "sku"`) {
		t.Fatalf("error %v; want a StopError for the column name", err)
	}
}

func TestBinlogStatementFormatStops(t *testing.T) {
	e := newBinlogEnv(t, binlogSchema)
	tables := e.tables("skipped")
	from := e.position()
	e.txn("SET SESSION binlog_format=STATEMENT", "UPDATE skipped SET v='x' WHERE id=1") // another table: fine
	e.txn("UPDATE orders SET qty=qty+1 WHERE id=1")
	r := e.stream(from, tables, source.BinlogOptions{})
	err := r.wait()
	var stop *source.StopError
	if !errors.As(err, &stop) || !strings.Contains(stop.Reason, "statement-format DML on "+e.m.Name+".orders") ||
		!strings.Contains(stop.Reason, "SET GLOBAL binlog_format=ROW") {
		t.Fatalf("error %v; want a StopError for statement-format DML", err)
	}
	t.Log(err)
}

// TestBinlogUnsupportedStops: what the stream cannot replicate stops it,
// after delivering everything before.
func TestBinlogUnsupportedStops(t *testing.T) {
	e := newBinlogEnv(t, binlogSchema)
	tables := e.tables("skipped")
	cases := []struct {
		name  string
		stmts []string
		want  string
	}{
		{"minimal row image", []string{"SET SESSION binlog_row_image=MINIMAL", "UPDATE orders SET qty=9 WHERE id=1",
			"SET SESSION binlog_row_image=FULL"}, "SET GLOBAL binlog_row_image=FULL"},
		// MariaDB logs ROLLBACK TO (and the undone rows) when the transaction
		// also changed a non-transactional table.
		{"rollback to savepoint", []string{"BEGIN", "INSERT INTO orders VALUES (2,'b',2)", "SAVEPOINT s1",
			"INSERT INTO aria VALUES (1,'a')", "INSERT INTO orders VALUES (3,'c',3)", "ROLLBACK TO SAVEPOINT s1", "COMMIT"},
			`rolled back to savepoint "s1"`},
		{"xa", []string{"XA START 'x1'", "INSERT INTO orders VALUES (4,'d',4)", "XA END 'x1'", "XA PREPARE 'x1'", "XA COMMIT 'x1'"},
			"XA transactions on selected tables are not supported"},
	}
	e.txn("INSERT INTO orders VALUES (1,'a',1)")
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			from := e.position()
			g := e.txn("INSERT INTO orders VALUES (100,'z',0)", "DELETE FROM orders WHERE id=100")
			// an XA transaction on another table is fine
			gXA := e.txn("XA START 'other'", "INSERT INTO skipped VALUES (1,'x')", "XA END 'other'", "XA PREPARE 'other'", "XA COMMIT 'other'")
			e.txn("DELETE FROM skipped")
			e.txn(c.stmts...)
			r := e.stream(from, tables, source.BinlogOptions{})
			err := r.wait()
			var stop *source.StopError
			if !errors.As(err, &stop) || !strings.Contains(stop.Reason, c.want) {
				t.Fatalf("error %v; want a StopError with %q", err, c.want)
			}
			t.Log(stop)
			if got := summarize(r.got, e.domain); !slices.Contains(got, "commit "+g) {
				t.Errorf("events before the stop: %v", got)
			}
			if !slices.ContainsFunc(r.got, commitOf(gXA, e.domain)) {
				t.Errorf("no Progress for the XA COMMIT %s", gXA)
			}
		})
	}
}

func TestBinlogPurged(t *testing.T) {
	e := newBinlogEnv(t, binlogSchema)
	tables := e.tables()
	cur := e.position()
	// A file before the first one the server has: what a purged file looks like.
	gone := change.Position{Flavor: "mariadb", File: "mysql-bin.000000", Offset: 4}
	r := e.stream(gone, tables, source.BinlogOptions{})
	err := r.wait()
	var pe *source.PurgedError
	if !errors.As(err, &pe) || pe.Pos.File != gone.File || !strings.Contains(err.Error(), "reload the task") {
		t.Fatalf("error %v; want a PurgedError", err)
	}
	t.Log(err)
	// A GTID the binlog does not hold (a server_id that never wrote it).
	seq := strings.Split(gtidEntry(cur.GTID, e.domain), "-")[2]
	other := change.Position{Flavor: "mariadb", File: cur.File, Offset: cur.Offset, GTID: e.domain + "-999999-" + seq}
	r = e.stream(other, tables, source.BinlogOptions{})
	if err := r.wait(); !errors.As(err, &pe) {
		t.Fatalf("error %v; want a PurgedError", err)
	}
	t.Log(r.err)
}

func TestBinlogHistoryBehind(t *testing.T) {
	e := newBinlogEnv(t, binlogSchema)
	tables := e.tables()
	cur := e.position()
	parts := strings.Split(gtidEntry(cur.GTID, e.domain), "-")
	ahead := cur
	ahead.GTID = fmt.Sprintf("%s-%s-%s999", parts[0], parts[1], parts[2])
	var stop *source.StopError
	r := e.stream(ahead, tables, source.BinlogOptions{})
	if err := r.wait(); !errors.As(err, &stop) || !strings.Contains(stop.Reason, "behind the checkpoint") {
		t.Fatalf("error %v; want a StopError", err)
	}
	t.Log(stop)
	unknown := cur
	unknown.GTID = cur.GTID + ",4000000-1-5"
	r = e.stream(unknown, tables, source.BinlogOptions{})
	if err := r.wait(); !errors.As(err, &stop) || !strings.Contains(stop.Reason, "no GTID of that domain") {
		t.Fatalf("error %v; want a StopError", err)
	}
}

func TestBinlogServerID(t *testing.T) {
	e := newBinlogEnv(t, binlogSchema)
	tables := e.tables()
	from := e.position()
	var own uint32
	if err := e.src.DB.QueryRow("SELECT @@server_id").Scan(&own); err != nil {
		t.Fatal(err)
	}
	var stop *source.StopError
	r := e.stream(from, tables, source.BinlogOptions{ServerID: own})
	if err := r.wait(); !errors.As(err, &stop) || !strings.Contains(stop.Reason, "the source's own @@server_id") {
		t.Fatalf("error %v; want a StopError", err)
	}
	// A second reader with the first one's server_id under another name.
	id := randomServerID()
	first := e.stream(from, tables, source.BinlogOptions{ServerID: id, Name: "first", HeartbeatPeriod: 100 * time.Millisecond})
	first.until(func(ev change.Event) bool { return ev.Kind == change.Progress }) // connected and registered
	second := e.stream(from, tables, source.BinlogOptions{ServerID: id, Name: "second"})
	if err := second.wait(); !errors.As(err, &stop) || !strings.Contains(stop.Reason, "already used by the replica") {
		t.Fatalf("error %v; want a StopError", err)
	}
	t.Log(stop)
	// The same name again (a restart whose old connection the server still
	// lists) is not a clash. The server ends the old dump thread first,
	// which can take longer than the first reader's short read timeout.
	again := e.stream(from, tables, source.BinlogOptions{ServerID: id, Name: "first"})
	again.until(func(ev change.Event) bool { return ev.Kind == change.Progress })
}
