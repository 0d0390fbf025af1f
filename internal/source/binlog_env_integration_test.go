//go:build integration

package source_test

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
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
	r.drain(deadline)
	if !r.ended {
		r.t.Fatalf("the stream did not end within a minute")
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
	r.drain(nil)
	return r.err
}

// drain collects events until the stream ends or deadline fires (nil: never).
func (r *binlogRun) drain(deadline <-chan time.Time) {
	for !r.ended {
		select {
		case ev := <-r.events:
			r.got = append(r.got, ev)
		case err := <-r.errc:
			r.ended, r.err = true, err
		case <-deadline:
			return
		}
	}
}

// commitsIn keeps the Commit events.
func commitsIn(evs []change.Event) []change.Event {
	var commits []change.Event
	for _, ev := range evs {
		if ev.Kind == change.Commit {
			commits = append(commits, ev)
		}
	}
	return commits
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
