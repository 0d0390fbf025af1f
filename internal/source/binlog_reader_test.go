package source

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	gomysql "github.com/go-mysql-org/go-mysql/mysql"
	"github.com/go-mysql-org/go-mysql/replication"

	"github.com/sluicedb/sluice/internal/change"
	"github.com/sluicedb/sluice/internal/schema"
)

// binlogScript builds synthetic binlog events for the reader.
type binlogScript struct {
	events []*replication.BinlogEvent
	pos    uint32
}

func (b *binlogScript) add(typ replication.EventType, e replication.Event) *binlogScript {
	b.pos += 100
	b.events = append(b.events, &replication.BinlogEvent{
		Header: &replication.EventHeader{EventType: typ, LogPos: b.pos, Timestamp: 1700000000 + b.pos, ServerID: 1},
		Event:  e,
	})
	return b
}

func (b *binlogScript) fakeRotate(file string) *binlogScript {
	b.events = append(b.events, &replication.BinlogEvent{
		Header: &replication.EventHeader{EventType: replication.ROTATE_EVENT, Flags: replication.LOG_EVENT_ARTIFICIAL_F},
		Event:  &replication.RotateEvent{Position: 4, NextLogName: []byte(file)},
	})
	return b
}

func (b *binlogScript) rotate(file string) *binlogScript {
	b.add(replication.ROTATE_EVENT, &replication.RotateEvent{Position: 4, NextLogName: []byte(file)})
	b.pos = 4
	return b
}

func (b *binlogScript) mariaGTID(domain, seq uint64, flags byte) *binlogScript {
	return b.add(replication.MARIADB_GTID_EVENT, &replication.MariadbGTIDEvent{
		GTID: gomysql.MariadbGTID{DomainID: uint32(domain), ServerID: 1, SequenceNumber: seq}, Flags: flags})
}

func (b *binlogScript) mysqlGTID(gno int64) *binlogScript {
	sid := []byte{0x3e, 0x11, 0xfa, 0x47, 0x71, 0xca, 0x11, 0xe1, 0x9e, 0x33, 0xc8, 0x0a, 0xa9, 0x42, 0x95, 0x62}
	return b.add(replication.GTID_EVENT, &replication.GTIDEvent{SID: sid, GNO: gno})
}

func (b *binlogScript) query(db, sql string) *binlogScript {
	return b.add(replication.QUERY_EVENT, &replication.QueryEvent{Schema: []byte(db), Query: []byte(sql)})
}

func (b *binlogScript) xid() *binlogScript {
	return b.add(replication.XID_EVENT, &replication.XIDEvent{})
}

func tableMap(db, table string, names ...string) *replication.TableMapEvent {
	tm := &replication.TableMapEvent{Schema: []byte(db), Table: []byte(table), ColumnCount: uint64(len(names))}
	for _, n := range names {
		tm.ColumnName = append(tm.ColumnName, []byte(n))
	}
	return tm
}

// rows adds a TABLE_MAP of db.table (columns id, v) and a rows event.
func (b *binlogScript) rows(typ replication.EventType, db, table string, rows ...[]any) *binlogScript {
	tm := tableMap(db, table, "id", "v")
	b.add(replication.TABLE_MAP_EVENT, tm)
	re := &replication.RowsEvent{Table: tm, ColumnCount: 2, ColumnBitmap1: []byte{3}, Rows: rows}
	if typ == replication.UPDATE_ROWS_EVENTv1 || typ == replication.UPDATE_ROWS_EVENTv2 {
		re.ColumnBitmap2 = []byte{3}
	}
	return b.add(typ, re)
}

var readerTables = []*schema.Table{{Database: "shop", Name: "orders", Columns: []schema.Column{{Name: "id"}, {Name: "v"}}}}

// run feeds the script to a reader starting at from and returns the events
// it emitted, one line each, and its error.
func run(flavor string, from change.Position, b *binlogScript) ([]string, error) {
	var got []string
	emit := func(ev change.Event) error {
		s := ev.Kind.String()
		switch ev.Kind {
		case change.Rows:
			s += fmt.Sprintf(" %s %s %v", ev.Table, ev.Op, ev.Images)
		case change.Commit, change.Rollback, change.Progress:
			s += " " + ev.Pos.String()
		}
		if !ev.Pos.IsZero() && ev.Pos.Flavor != flavor {
			s += " (flavor " + ev.Pos.Flavor + ")"
		}
		got = append(got, s)
		return nil
	}
	g, err := parseGTIDState(flavor, from.GTID)
	if err != nil {
		return nil, err
	}
	r := newReader(flavor, newSelection(readerTables), from, g, emit)
	r.now = func() time.Time { return time.Unix(0, 0) }
	for _, ev := range b.events {
		if err := r.handle(ev); err != nil {
			return got, err
		}
	}
	return got, nil
}

func checkRun(t *testing.T, got []string, err error, want ...string) {
	t.Helper()
	if err != nil {
		t.Fatalf("error: %v\nevents so far:\n%s", err, strings.Join(got, "\n"))
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("events:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestReaderMariaDB(t *testing.T) {
	b := &binlogScript{}
	b.fakeRotate("bin.000001").add(replication.FORMAT_DESCRIPTION_EVENT, &replication.FormatDescriptionEvent{})
	b.mariaGTID(0, 11, 0).rows(replication.WRITE_ROWS_EVENTv1, "shop", "orders", []any{int32(1), "a"}, []any{int32(2), "b"}).xid()
	b.mariaGTID(1, 6, 0).rows(replication.WRITE_ROWS_EVENTv1, "shop", "customers", []any{int32(1), "c"}).xid()
	b.mariaGTID(0, 12, replication.BINLOG_MARIADB_FL_STANDALONE).query("shop", "CREATE TABLE customers2 (id INT)")
	b.add(replication.HEARTBEAT_EVENT, &replication.HeartbeatEvent{})
	b.mariaGTID(0, 13, 0).rows(replication.UPDATE_ROWS_EVENTv1, "shop", "orders", []any{int32(1), "a"}, []any{int32(1), "z"}).query("shop", "ROLLBACK")
	b.mariaGTID(0, 14, 0).rows(replication.WRITE_ROWS_EVENTv1, "shop", "customers", []any{int32(9), "x"}).query("shop", "ROLLBACK")
	b.rotate("bin.000002")
	b.mariaGTID(0, 15, 0).rows(replication.DELETE_ROWS_EVENTv1, "shop", "orders", []any{int32(2), "b"}).query("shop", "COMMIT")
	b.mariaGTID(0, 16, 0).query("shop", "SAVEPOINT `s1`").rows(replication.WRITE_ROWS_EVENTv1, "shop", "customers", []any{int32(3), "y"}).
		query("shop", "ROLLBACK TO `s1`").rows(replication.WRITE_ROWS_EVENTv1, "shop", "orders", []any{int32(4), "y"}).xid()
	b.mariaGTID(0, 17, 0x40). // FL_PREPARED_XA, on another table
					rows(replication.WRITE_ROWS_EVENTv1, "shop", "customers", []any{int32(5), "x"}).query("", "XA END X'31',X'',1").
					add(replication.XA_PREPARE_LOG_EVENT, &replication.GenericEvent{})
	b.mariaGTID(0, 18, replication.BINLOG_MARIADB_FL_STANDALONE).query("", "XA COMMIT X'31',X'',1")
	b.mariaGTID(0, 19, replication.BINLOG_MARIADB_FL_STANDALONE).query("shop", "GRANT SELECT ON shop.orders TO u")
	got, err := run("mariadb", change.Position{File: "bin.000001", Offset: 4, GTID: "1-1-5,0-1-10"}, b)
	checkRun(t, got, err,
		"begin",
		"rows shop.orders insert [[1 a] [2 b]]",
		"commit bin.000001:500 (gtid 0-1-11,1-1-5)",
		"progress bin.000001:900 (gtid 0-1-11,1-1-6)",
		"progress bin.000001:1100 (gtid 0-1-12,1-1-6)",
		"progress bin.000001:1100 (gtid 0-1-12,1-1-6)", // heartbeat
		"begin",
		"rows shop.orders update [[1 a] [1 z]]",
		"rollback bin.000001:1600 (gtid 0-1-13,1-1-6)",
		"progress bin.000001:2000 (gtid 0-1-14,1-1-6)",
		"progress bin.000002:4 (gtid 0-1-14,1-1-6)",
		"begin",
		"rows shop.orders delete [[2 b]]",
		"commit bin.000002:404 (gtid 0-1-15,1-1-6)",
		"begin",
		"rows shop.orders insert [[4 y]]",
		"commit bin.000002:1204 (gtid 0-1-16,1-1-6)",
		"progress bin.000002:1704 (gtid 0-1-17,1-1-6)",
		"progress bin.000002:1904 (gtid 0-1-18,1-1-6)",
		"progress bin.000002:2104 (gtid 0-1-19,1-1-6)",
	)
}

func TestReaderMySQL(t *testing.T) {
	const u = "3e11fa47-71ca-11e1-9e33-c80aa9429562"
	b := &binlogScript{}
	b.fakeRotate("bin.000003")
	b.mysqlGTID(6).query("shop", "BEGIN").rows(replication.WRITE_ROWS_EVENTv2, "shop", "orders", []any{int32(1), "a"}).xid()
	b.mysqlGTID(7).query("shop", "ALTER TABLE customers ADD c INT")
	b.mysqlGTID(8).query("shop", "BEGIN").rows(replication.UPDATE_ROWS_EVENTv2, "shop", "customers", []any{int32(1), "a"}, []any{int32(1), "b"}).xid()
	// MySQL 8 CREATE TABLE ... SELECT: the DDL, then rows, then XID
	b.mysqlGTID(9).query("shop", "CREATE TABLE c2 START TRANSACTION").rows(replication.WRITE_ROWS_EVENTv2, "shop", "c2", []any{int32(1), "a"}).xid()
	b.query("shop", "BEGIN").rows(replication.WRITE_ROWS_EVENTv2, "shop", "orders", []any{int32(2), "b"}).xid() // gtid_mode=OFF
	got, err := run("mysql", change.Position{File: "bin.000003", Offset: 4, GTID: u + ":1-5"}, b)
	checkRun(t, got, err,
		"begin",
		"rows shop.orders insert [[1 a]]",
		"commit bin.000003:500 (gtid "+u+":1-6)",
		"progress bin.000003:700 (gtid "+u+":1-7)",
		"progress bin.000003:1200 (gtid "+u+":1-8)",
		"progress bin.000003:1400 (gtid "+u+":1-9)",
		"progress bin.000003:1700 (gtid "+u+":1-9)",
		"begin",
		"rows shop.orders insert [[2 b]]",
		"commit bin.000003:2100 (gtid "+u+":1-9)",
	)
}

func TestReaderStops(t *testing.T) {
	from := change.Position{File: "bin.000001", Offset: 4, GTID: "0-1-10"}
	cases := []struct {
		name   string
		script func(b *binlogScript)
		want   string // in the StopError's reason
		pos    string // the StopError's position
	}{
		{"column count", func(b *binlogScript) {
			b.mariaGTID(0, 11, 0).add(replication.TABLE_MAP_EVENT, tableMap("shop", "orders", "id", "v", "w"))
		}, "the binlog row has 3 columns but the table has 2", "bin.000001:4 (gtid 0-1-10)"},
		{"column names", func(b *binlogScript) {
			b.mariaGTID(0, 11, 0).xid().mariaGTID(0, 12, 0).add(replication.TABLE_MAP_EVENT, tableMap("shop", "orders", "id", "w"))
		}, `binlog column 2 is "w" but the table's column 2 is "v"`, "bin.000001:200 (gtid 0-1-11)"},
		{"minimal image", func(b *binlogScript) {
			tm := tableMap("shop", "orders", "id", "v")
			b.mariaGTID(0, 11, 0).add(replication.TABLE_MAP_EVENT, tm).add(replication.UPDATE_ROWS_EVENTv1,
				&replication.RowsEvent{Table: tm, ColumnCount: 2, ColumnBitmap1: []byte{1}, ColumnBitmap2: []byte{3}})
		}, "SET GLOBAL binlog_row_image=FULL", "bin.000001:4 (gtid 0-1-10)"},
		{"partial json", func(b *binlogScript) {
			b.mariaGTID(0, 11, 0).rows(replication.PARTIAL_UPDATE_ROWS_EVENT, "shop", "orders", []any{int32(1), "a"})
		}, "binlog_row_value_options", "bin.000001:4 (gtid 0-1-10)"},
		{"statement DML", func(b *binlogScript) {
			b.mariaGTID(0, 11, 0).query("shop", "UPDATE orders SET v='x'")
		}, "at bin.000001:200 (GTID 0-1-11): statement-format DML on shop.orders: the binlog must be ROW format", "bin.000001:4 (gtid 0-1-10)"},
		{"DDL", func(b *binlogScript) {
			b.mariaGTID(0, 11, replication.BINLOG_MARIADB_FL_STANDALONE).query("shop", "ALTER TABLE orders\n  ADD w INT")
		}, `DDL on shop.orders: "ALTER TABLE orders ADD w INT": DDL replication is not supported yet`, "bin.000001:4 (gtid 0-1-10)"},
		{"drop database", func(b *binlogScript) {
			b.mariaGTID(0, 11, replication.BINLOG_MARIADB_FL_STANDALONE).query("", "DROP DATABASE shop")
		}, "DDL on shop.*", "bin.000001:4 (gtid 0-1-10)"},
		{"rollback to savepoint", func(b *binlogScript) {
			b.mariaGTID(0, 11, 0).query("shop", "SAVEPOINT `s1`").rows(replication.WRITE_ROWS_EVENTv1, "shop", "orders", []any{int32(1), "a"}).
				query("shop", "ROLLBACK TO `s1`")
		}, `rolled back to savepoint "s1"`, "bin.000001:4 (gtid 0-1-10)"},
		{"xa", func(b *binlogScript) {
			b.mariaGTID(0, 11, 0x40).rows(replication.WRITE_ROWS_EVENTv1, "shop", "orders", []any{int32(1), "a"})
		}, "XA transactions on selected tables are not supported", "bin.000001:4 (gtid 0-1-10)"},
		{"group in group", func(b *binlogScript) {
			b.mariaGTID(0, 11, 0).mariaGTID(0, 12, 0)
		}, "event group 0-1-12 started before the group 0-1-11 ended", "bin.000001:4 (gtid 0-1-10)"},
		{"incident", func(b *binlogScript) {
			b.add(replication.INCIDENT_EVENT, &replication.GenericEvent{})
		}, "INCIDENT", "bin.000001:4 (gtid 0-1-10)"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := &binlogScript{}
			b.fakeRotate("bin.000001")
			c.script(b)
			_, err := run("mariadb", from, b)
			var stop *StopError
			if !errors.As(err, &stop) {
				t.Fatalf("error %v; want a *StopError", err)
			}
			if !strings.Contains(stop.Reason, c.want) || stop.Pos.String() != c.pos {
				t.Errorf("StopError at %s: %s\nwant at %s: …%s…", stop.Pos, stop.Reason, c.pos, c.want)
			}
		})
	}
}

func TestReaderHeartbeatInGroup(t *testing.T) {
	b := &binlogScript{}
	b.fakeRotate("bin.000001").mariaGTID(0, 11, 0).add(replication.HEARTBEAT_EVENT, &replication.HeartbeatEvent{}).xid()
	got, err := run("mariadb", change.Position{File: "bin.000001", Offset: 4, GTID: "0-1-10"}, b)
	checkRun(t, got, err, "progress bin.000001:300 (gtid 0-1-11)")
}

func TestDumpError(t *testing.T) {
	pos := change.Position{Flavor: "mariadb", File: "bin.000001", Offset: 4}
	purged := &gomysql.MyError{Code: 1236, Message: "Could not find first log file name in binary log index file"}
	var pe *PurgedError
	if err := dumpError(purged, false, pos, "root@db:3306"); !errors.As(err, &pe) || pe.Pos != pos ||
		!strings.Contains(err.Error(), "reload the task") || !strings.Contains(err.Error(), "Could not find first log file") {
		t.Errorf("1236 at the start: %v", err)
	}
	if err := dumpError(purged, true, pos, "root@db:3306"); errors.As(err, &pe) || !errors.Is(err, purged) {
		t.Errorf("1236 after events: %v", err)
	}
	if err := dumpError(io.EOF, false, pos, "root@db:3306"); errors.As(err, &pe) || !errors.Is(err, io.EOF) {
		t.Errorf("EOF: %v", err)
	}
}
