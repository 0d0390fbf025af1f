//go:build integration

// Binlog reader tests against the harness MariaDB, which other tests use at
// the same time: every test filters by its own database (other tests'
// transactions only ever arrive as Progress), and nothing here purges or
// resets the shared binlog; those that must are in
// binlog_private_integration_test.go.
//
//	eval "$(scripts/dbs.sh env)"; go test -tags integration -run Binlog ./internal/source/

package source_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sluicedb/sluice/internal/change"
	"github.com/sluicedb/sluice/internal/source"
)

const binlogSchema = "CREATE TABLE orders (id INT PRIMARY KEY, note VARCHAR(50), qty INT) ENGINE=InnoDB;" +
	"CREATE TABLE items (id BIGINT PRIMARY KEY, order_id INT, sku VARCHAR(20)) ENGINE=InnoDB;" +
	"CREATE TABLE skipped (id INT PRIMARY KEY, v TEXT) ENGINE=InnoDB;" +
	"CREATE TABLE aria (id INT PRIMARY KEY, v VARCHAR(10)) ENGINE=Aria;" +
	"CREATE TABLE big (id INT PRIMARY KEY, pad VARCHAR(100)) ENGINE=InnoDB"

func TestBinlogStream(t *testing.T) {
	e := newBinlogEnv(t, binlogSchema)
	tables := e.tables("skipped")
	from := e.position()
	var want []string
	add := func(lines ...string) { want = append(want, lines...) }

	g := e.txn("INSERT INTO orders VALUES (1,'a',1),(2,'b',2)")
	add("begin", "rows orders insert [[1 a 1] [2 b 2]]", "commit "+g)
	// a multi-table transaction
	g = e.txn("BEGIN", "INSERT INTO orders VALUES (3,'c',3)", "INSERT INTO items VALUES (10,3,'x')",
		"UPDATE orders SET qty=30 WHERE id=3", "DELETE FROM orders WHERE id=1", "COMMIT")
	add("begin", "rows orders insert [[3 c 3]]", "rows items insert [[10 3 x]]",
		"rows orders update [[3 c 3] [3 c 30]]", "rows orders delete [[1 a 1]]", "commit "+g)
	// a transaction on an unselected table: a Progress only
	gSkipped := e.txn("INSERT INTO skipped VALUES (1,'x')")
	// InnoDB and Aria rows, rolled back: MariaDB writes the Aria row at once
	// as a group of its own ending in COMMIT, and nothing of the InnoDB row,
	// whichever comes first.
	g = e.txn("BEGIN", "INSERT INTO orders VALUES (4,'d',4)", "INSERT INTO aria VALUES (1,'a')", "ROLLBACK")
	add("begin", "rows aria insert [[1 a]]", "commit "+g)
	g = e.txn("BEGIN", "INSERT INTO aria VALUES (2,'b')", "INSERT INTO orders VALUES (5,'e',5)", "ROLLBACK")
	add("begin", "rows aria insert [[2 b]]", "commit "+g)
	// a primary key update: before and after images
	g = e.txn("UPDATE orders SET id=20 WHERE id=2")
	add("begin", "rows orders update [[2 b 2] [20 b 2]]", "commit "+g)
	// 50,000 rows in one transaction
	g = e.txn("BEGIN", "INSERT INTO big SELECT seq, REPEAT('x', 50) FROM seq_1_to_50000", "COMMIT")
	add("begin", "rows big insert ×50000", "commit "+g)
	// a savepoint rolled back in an InnoDB-only transaction: MariaDB logs
	// SAVEPOINT but drops the undone rows, and logs no ROLLBACK TO
	g = e.txn("BEGIN", "INSERT INTO orders VALUES (6,'f',6)", "SAVEPOINT s1", "INSERT INTO orders VALUES (7,'g',7)",
		"ROLLBACK TO SAVEPOINT s1", "COMMIT")
	add("begin", "rows orders insert [[6 f 6]]", "commit "+g)
	// DDL on an unselected table: a standalone group, a Progress only
	gDDL := e.txn("ALTER TABLE skipped ADD COLUMN w INT")

	r := e.stream(from, tables, source.BinlogOptions{})
	r.until(commitOf(gDDL, e.domain))
	if err := r.stop(); !errors.Is(err, context.Canceled) {
		t.Errorf("Stream after cancel: %v; want context.Canceled", err)
	}
	if got := summarize(r.got, e.domain); !slices.Equal(got, want) {
		t.Errorf("events:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, g := range []string{gSkipped, gDDL} {
		if !slices.ContainsFunc(r.got, func(ev change.Event) bool { return ev.Kind == change.Progress && commitOf(g, e.domain)(ev) }) {
			t.Errorf("no Progress for the group %s", g)
		}
	}
	var ids []int32
	for _, ev := range r.got {
		if ev.Kind == change.Rows && ev.Table.Name == "big" {
			for _, img := range ev.Images {
				ids = append(ids, img[0].(int32))
			}
		}
	}
	for i, id := range ids {
		if id != int32(i+1) {
			t.Fatalf("big row %d has id %d", i, id)
		}
	}
	e.checkPositions(r.got)
}

// TestBinlogResume: restarting from a Commit's position yields exactly the
// transactions after it, by GTID and by file and offset.
func TestBinlogResume(t *testing.T) {
	e := newBinlogEnv(t, binlogSchema)
	tables := e.tables("skipped")
	from := e.position()
	var gtids []string
	for i := range 4 {
		gtids = append(gtids, e.txn(fmt.Sprintf("INSERT INTO orders VALUES (%d,'n',%d)", i, i)))
	}
	r := e.stream(from, tables, source.BinlogOptions{})
	r.until(commitOf(gtids[3], e.domain))
	r.stop()
	commits := commitsIn(r.got)
	if len(commits) != 4 {
		t.Fatalf("%d commits; want 4:\n%s", len(commits), strings.Join(summarize(r.got, ""), "\n"))
	}
	full := summarize(r.got, "")
	after := func(p change.Position) []string { // the lines after p's commit
		i := slices.Index(full, "commit "+p.String())
		return full[i+1:]
	}
	// By file and offset where the server finds the GTID there, by GTID
	// where the offset does not match it, by file and offset alone.
	resumes := []change.Position{commits[1].Pos, commits[1].Pos,
		{Flavor: "mariadb", File: commits[1].Pos.File, Offset: commits[1].Pos.Offset}}
	resumes[1].Offset = 4
	for _, p := range resumes {
		r2 := e.stream(p, tables, source.BinlogOptions{})
		r2.until(commitOf(gtids[3], e.domain))
		r2.stop()
		if got, want := summarize(r2.got, ""), after(commits[1].Pos); !slices.Equal(got, want) {
			t.Errorf("resumed from %s:\n%s\nwant:\n%s", p, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		e.checkPositions(r2.got)
	}
}

// TestBinlogHeartbeat: an idle stream reports Progress at its position.
func TestBinlogHeartbeat(t *testing.T) {
	e := newBinlogEnv(t, binlogSchema)
	from := e.position()
	r := e.stream(from, e.tables(), source.BinlogOptions{HeartbeatPeriod: 100 * time.Millisecond})
	n, last := 0, from
	r.until(func(ev change.Event) bool {
		// A heartbeat repeats the last position, with the time it arrived.
		if ev.Kind == change.Progress && ev.Pos == last && time.Since(ev.Time) < time.Minute {
			n++
		}
		last = ev.Pos
		return n == 3
	})
	if err := r.stop(); !errors.Is(err, context.Canceled) {
		t.Errorf("Stream after cancel: %v", err)
	}
	e.checkPositions(r.got)
}
