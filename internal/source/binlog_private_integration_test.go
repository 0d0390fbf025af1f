//go:build integration

// Binlog tests that purge or reset the binlog, change global settings or
// write a second GTID domain. They run only with SLUICE_TEST_DESTRUCTIVE=1
// and SLUICE_TEST_MYSQL naming a server nobody else uses, e.g. a second
// harness:
//
//	export SLUICE_DBS_DIR=/tmp/sluice-private SLUICE_MYSQL_PORT=33071 SLUICE_PG_PORT=54331
//	scripts/dbs.sh start
//	SLUICE_TEST_MYSQL=mysql://root@127.0.0.1:33071 SLUICE_TEST_DESTRUCTIVE=1 \
//		go test -tags integration -run Binlog ./internal/source/
//	scripts/dbs.sh stop

package source_test

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sluicedb/sluice/internal/change"
	"github.com/sluicedb/sluice/internal/source"
)

// destructive skips a test that purges or resets the binlog or writes
// another GTID domain unless SLUICE_TEST_DESTRUCTIVE=1 says the server
// (SLUICE_TEST_MYSQL) is this test run's alone.
func destructive(t *testing.T) {
	if os.Getenv("SLUICE_TEST_DESTRUCTIVE") != "1" {
		t.Skip("purges or resets the binlog of the shared test server; set SLUICE_TEST_DESTRUCTIVE=1 with SLUICE_TEST_MYSQL naming a private server")
	}
}

func TestBinlogPurgedForReal(t *testing.T) {
	destructive(t)
	e := newBinlogEnv(t, binlogSchema)
	tables := e.tables()
	e.txn("INSERT INTO orders VALUES (1,'a',1)")
	from := e.position()
	e.txn("INSERT INTO orders VALUES (2,'b',2)")
	e.m.Exec(t, "FLUSH BINARY LOGS")
	newest := e.position().File
	// MariaDB keeps a file until its binlog checkpoint is written (InnoDB
	// flushed its transactions), so the first PURGE may leave it.
	for i := 0; ; i++ {
		e.m.Exec(t, "PURGE BINARY LOGS TO '"+newest+"'")
		if first := e.m.QueryRows(t, "SHOW BINARY LOGS")[0][0]; first == newest {
			break
		}
		if i == 100 {
			t.Fatalf("PURGE BINARY LOGS TO '%s' left older files", newest)
		}
		time.Sleep(100 * time.Millisecond)
	}
	var pe *source.PurgedError
	for _, p := range []change.Position{from, {Flavor: "mariadb", File: from.File, Offset: from.Offset}} {
		r := e.stream(p, tables, source.BinlogOptions{})
		if err := r.wait(); !errors.As(err, &pe) {
			t.Fatalf("from %s: error %v; want a PurgedError", p, err)
		}
		t.Log(r.err)
	}
}

func TestBinlogResetMaster(t *testing.T) {
	destructive(t)
	e := newBinlogEnv(t, binlogSchema)
	tables := e.tables()
	e.txn("INSERT INTO orders VALUES (1,'a',1)")
	from := e.position()
	e.m.Exec(t, "RESET MASTER")
	e.txn("INSERT INTO orders VALUES (2,'b',2)")
	var stop *source.StopError
	r := e.stream(from, tables, source.BinlogOptions{})
	if err := r.wait(); !errors.As(err, &stop) || !strings.Contains(stop.Reason, "RESET MASTER") {
		t.Fatalf("error %v; want a StopError", err)
	}
	t.Log(stop)
}

// TestBinlogTwoDomains interleaves transactions of two GTID domains and
// resumes from the middle: each domain resumes at its own GTID.
func TestBinlogTwoDomains(t *testing.T) {
	destructive(t)
	e := newBinlogEnv(t, binlogSchema)
	tables := e.tables()
	from := e.position()
	var gtids []string
	for i := range 6 {
		domain := []string{e.domain, "7"}[i%2]
		gtids = append(gtids, e.txn("SET SESSION gtid_domain_id="+domain, fmt.Sprintf("INSERT INTO orders VALUES (%d,'d',%d)", i, i)))
	}
	e.txn("SET SESSION gtid_domain_id=" + e.domain)
	r := e.stream(from, tables, source.BinlogOptions{})
	r.until(commitOf(gtids[5], "7"))
	r.stop()
	commits := commitsIn(r.got)
	if len(commits) != 6 {
		t.Fatalf("%d commits; want 6", len(commits))
	}
	for i, c := range commits {
		domain := []string{e.domain, "7"}[i%2]
		if gtidEntry(c.Pos.GTID, domain) != gtids[i] {
			t.Errorf("commit %d at %s; want GTID %s in it", i, c.Pos, gtids[i])
		}
	}
	e.checkPositions(r.got)
	r2 := e.stream(commits[2].Pos, tables, source.BinlogOptions{})
	r2.until(commitOf(gtids[5], "7"))
	r2.stop()
	got := summarize(r2.got, "")
	want := summarize(r.got, "")
	want = want[slices.Index(want, "commit "+commits[2].Pos.String())+1:]
	if !slices.Equal(got, want) {
		t.Errorf("resumed from %s:\n%s\nwant:\n%s", commits[2].Pos, strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestBinlogCompressed reads MariaDB's compressed row and query events
// (log_bin_compress, a global setting: private servers only).
func TestBinlogCompressed(t *testing.T) {
	destructive(t)
	e := newBinlogEnv(t, binlogSchema)
	tables := e.tables()
	e.m.Exec(t, "SET GLOBAL log_bin_compress=ON, GLOBAL log_bin_compress_min_len=10")
	t.Cleanup(func() {
		e.m.DB.Exec("SET GLOBAL log_bin_compress=OFF, GLOBAL log_bin_compress_min_len=256") //nolint:errcheck // best effort
	})
	from := e.position()
	long := strings.Repeat("compressible ", 20)[:50]
	e.txn("INSERT INTO orders VALUES (1,'"+long+"',1)", "UPDATE orders SET qty=2 WHERE id=1")
	g := e.txn("DELETE FROM orders WHERE id=1")
	r := e.stream(from, tables, source.BinlogOptions{})
	r.until(commitOf(g, e.domain))
	got := summarize(r.got, "")
	var rows []string
	for _, l := range got {
		if strings.HasPrefix(l, "rows") {
			rows = append(rows, l)
		}
	}
	want := []string{
		"rows orders insert [[1 " + long + " 1]]",
		"rows orders update [[1 " + long + " 1] [1 " + long + " 2]]",
		"rows orders delete [[1 " + long + " 2]]",
	}
	if !slices.Equal(rows, want) {
		t.Errorf("rows:\n%s\nwant:\n%s", strings.Join(rows, "\n"), strings.Join(want, "\n"))
	}
	e.checkPositions(r.got)
	// A compressed DDL query on a selected table still stops.
	from = e.position()
	e.txn("ALTER TABLE orders ADD COLUMN compressed_ddl_with_a_long_name INT")
	r = e.stream(from, tables, source.BinlogOptions{})
	var stop *source.StopError
	if err := r.wait(); !errors.As(err, &stop) || !strings.Contains(stop.Reason, "DDL on "+e.m.Name+".orders") {
		t.Fatalf("error %v; want a StopError", err)
	}
}
