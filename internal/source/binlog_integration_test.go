//go:build integration

// Binlog reader tests against the harness MariaDB, which other tests use at
// the same time: every test filters by its own database (other tests'
// transactions only ever arrive as Progress), and nothing here purges or
// resets the shared binlog. The tests that must (PURGE BINARY LOGS, RESET
// MASTER, a second GTID domain) run only with SLUICE_TEST_DESTRUCTIVE=1,
// against a server nobody else uses:
//
//	eval "$(scripts/dbs.sh env)"; go test -tags integration -run Binlog ./internal/source/

package source_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sluicedb/sluice/internal/change"
	"github.com/sluicedb/sluice/internal/config"
	"github.com/sluicedb/sluice/internal/schema"
	"github.com/sluicedb/sluice/internal/source"
	"github.com/sluicedb/sluice/internal/testdb"
)

// binlogEnv is one test's database, a Source on its server and one session
// for the test's transactions.
type binlogEnv struct {
	t      *testing.T
	m      *testdb.MySQLDB
	src    *source.Source
	conn   *sql.Conn
	domain string // the server's gtid_domain_id
}

func newBinlogEnv(t *testing.T, ddl ...string) *binlogEnv {
	t.Helper()
	m := testdb.MySQL(t)
	m.Exec(t, ddl...)
	cfg, err := config.ParseSource(m.URL)
	if err != nil {
		t.Fatal(err)
	}
	src, err := source.Open(t.Context(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { src.Close() })
	if src.Flavor != "mariadb" {
		t.Fatalf("these tests expect MariaDB, the server is %s", src.Version)
	}
	conn, err := m.DB.Conn(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	e := &binlogEnv{t: t, m: m, src: src, conn: conn}
	e.domain = fmt.Sprint(m.QueryValue(t, "SELECT @@GLOBAL.gtid_domain_id"))
	return e
}

// tables reads the catalog of the test's database, without the excluded tables.
func (e *binlogEnv) tables(exclude ...string) []*schema.Table {
	e.t.Helper()
	var ex []string
	for _, x := range exclude {
		ex = append(ex, e.m.Name+"."+x)
	}
	sel, err := config.NewSelection([]string{e.m.Name + ".*"}, ex)
	if err != nil {
		e.t.Fatal(err)
	}
	tables, problems, err := e.src.Catalog(e.t.Context(), sel)
	if err != nil || len(problems) > 0 {
		e.t.Fatalf("catalog: %v %v", err, problems)
	}
	return tables
}

func (e *binlogEnv) position() change.Position {
	e.t.Helper()
	p, err := e.src.CurrentPosition(e.t.Context())
	if err != nil {
		e.t.Fatal(err)
	}
	return p
}

// txn runs the statements on the test's session and returns the GTID the
// server gave the last event group (@@last_gtid).
func (e *binlogEnv) txn(stmts ...string) string {
	e.t.Helper()
	for _, s := range stmts {
		if _, err := e.conn.ExecContext(e.t.Context(), s); err != nil {
			e.t.Fatalf("%s: %v", s, err)
		}
	}
	var g string
	if err := e.conn.QueryRowContext(e.t.Context(), "SELECT @@last_gtid").Scan(&g); err != nil {
		e.t.Fatal(err)
	}
	return g
}

func randomServerID() uint32 { return 100_000 + rand.Uint32N(1<<30) }

// binlogRun is one Stream running in the background.
type binlogRun struct {
	t      *testing.T
	events chan change.Event
	errc   chan error
	cancel context.CancelFunc
	err    error
	ended  bool
	got    []change.Event
}

func (e *binlogEnv) stream(from change.Position, tables []*schema.Table, o source.BinlogOptions) *binlogRun {
	if o.ServerID == 0 {
		o.ServerID = randomServerID()
	}
	ctx, cancel := context.WithCancel(e.t.Context())
	r := &binlogRun{t: e.t, events: make(chan change.Event, 1024), errc: make(chan error, 1), cancel: cancel}
	go func() { r.errc <- e.src.Stream(ctx, from, tables, o, r.events) }()
	e.t.Cleanup(func() { r.stop() })
	return r
}

// until collects events until stop returns true for one; it fails the test
// when the stream ends or nothing matches within a minute.
func (r *binlogRun) until(stop func(change.Event) bool) {
	r.t.Helper()
	deadline := time.After(time.Minute)
	for {
		select {
		case ev := <-r.events:
			r.got = append(r.got, ev)
			if stop(ev) {
				return
			}
		case err := <-r.errc:
			r.ended, r.err = true, err
			r.t.Fatalf("stream ended: %v\nevents:\n%s", err, strings.Join(summarize(r.got, ""), "\n"))
		case <-deadline:
			r.t.Fatalf("no matching event within a minute; events:\n%s", strings.Join(summarize(r.got, ""), "\n"))
		}
	}
}

// wait collects events until the stream ends by itself and returns its error.
func (r *binlogRun) wait() error {
	r.t.Helper()
	deadline := time.After(time.Minute)
	for !r.ended {
		select {
		case ev := <-r.events:
			r.got = append(r.got, ev)
		case err := <-r.errc:
			r.ended, r.err = true, err
		case <-deadline:
			r.t.Fatalf("the stream did not end within a minute")
		}
	}
	for len(r.events) > 0 {
		r.got = append(r.got, <-r.events)
	}
	return r.err
}

// stop cancels the stream and returns its error, context.Canceled when it
// stopped because of the cancel.
func (r *binlogRun) stop() error {
	r.cancel()
	for !r.ended {
		select {
		case ev := <-r.events:
			r.got = append(r.got, ev)
		case err := <-r.errc:
			r.ended, r.err = true, err
		}
	}
	return r.err
}

// gtidEntry is the domain's entry of a MariaDB GTID state.
func gtidEntry(state, domain string) string {
	for _, g := range strings.Split(state, ",") {
		if strings.HasPrefix(g, domain+"-") {
			return g
		}
	}
	return ""
}

// summarize renders the events other than Progress, one line each; a run
// of Rows events of the table "big" is one line with its row count.
func summarize(evs []change.Event, domain string) []string {
	var out []string
	bigRows := 0
	for i, ev := range evs {
		switch ev.Kind {
		case change.Progress:
			continue
		case change.Rows:
			if ev.Table.Name == "big" {
				bigRows += len(ev.Images)
				if i+1 < len(evs) && evs[i+1].Kind == change.Rows && evs[i+1].Table.Name == "big" {
					continue
				}
				out = append(out, fmt.Sprintf("rows big %s ×%d", ev.Op, bigRows))
				bigRows = 0
				continue
			}
			out = append(out, fmt.Sprintf("rows %s %s %v", ev.Table.Name, ev.Op, ev.Images))
		case change.Commit, change.Rollback:
			if domain == "" {
				out = append(out, ev.Kind.String()+" "+ev.Pos.String())
			} else {
				out = append(out, ev.Kind.String()+" "+gtidEntry(ev.Pos.GTID, domain))
			}
		default:
			out = append(out, ev.Kind.String())
		}
	}
	return out
}

// checkPositions asserts that positions never go back and that every
// Commit's GTID state is the one MariaDB computes for its file and offset.
func (e *binlogEnv) checkPositions(evs []change.Event) {
	e.t.Helper()
	var prev change.Position
	for _, ev := range evs {
		if ev.Kind == change.Begin || ev.Kind == change.Rows {
			if !ev.Pos.IsZero() {
				e.t.Errorf("%s event carries a position: %s", ev.Kind, ev.Pos)
			}
			continue
		}
		p := ev.Pos
		if p.File < prev.File || p.File == prev.File && p.Offset < prev.Offset {
			e.t.Errorf("position went back: %s after %s", p, prev)
		}
		if p.Flavor != "mariadb" {
			e.t.Errorf("position %s has flavor %q", p, p.Flavor)
		}
		prev = p
		if ev.Kind != change.Commit {
			continue
		}
		var server sql.NullString
		if err := e.src.DB.QueryRowContext(e.t.Context(), "SELECT BINLOG_GTID_POS(?, ?)", p.File, p.Offset).Scan(&server); err != nil {
			e.t.Fatal(err)
		}
		if sortedGTID(server.String) != sortedGTID(p.GTID) {
			e.t.Errorf("commit at %s: the server's GTID state there is %q", p, server.String)
		}
	}
}

func sortedGTID(s string) string {
	parts := strings.Split(s, ",")
	slices.Sort(parts)
	return strings.Join(parts, ",")
}

// commitOf matches the Commit or Progress that ends the group with GTID g.
func commitOf(g, domain string) func(change.Event) bool {
	return func(ev change.Event) bool {
		return (ev.Kind == change.Commit || ev.Kind == change.Progress || ev.Kind == change.Rollback) &&
			gtidEntry(ev.Pos.GTID, domain) == g
	}
}

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
	var commits []change.Event
	for _, ev := range r.got {
		if ev.Kind == change.Commit {
			commits = append(commits, ev)
		}
	}
	if len(commits) != 4 {
		t.Fatalf("%d commits; want 4:\n%s", len(commits), strings.Join(summarize(r.got, ""), "\n"))
	}
	full := summarize(r.got, "")
	after := func(p change.Position) []string { // the lines after p's commit
		i := slices.Index(full, "commit "+p.String())
		return full[i+1:]
	}
	for _, p := range []change.Position{commits[1].Pos, {Flavor: "mariadb", File: commits[1].Pos.File, Offset: commits[1].Pos.Offset}} {
		r2 := e.stream(p, tables, source.BinlogOptions{})
		r2.until(commitOf(gtids[3], e.domain))
		r2.stop()
		if got, want := summarize(r2.got, ""), after(commits[1].Pos); !slices.Equal(got, want) {
			t.Errorf("resumed from %s:\n%s\nwant:\n%s", p, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		e.checkPositions(r2.got)
	}
}

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
	// lists) is not a clash.
	again := e.stream(from, tables, source.BinlogOptions{ServerID: id, Name: "first", HeartbeatPeriod: 100 * time.Millisecond})
	again.until(func(ev change.Event) bool { return ev.Kind == change.Progress })
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
	var commits []change.Event
	for _, ev := range r.got {
		if ev.Kind == change.Commit {
			commits = append(commits, ev)
		}
	}
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
