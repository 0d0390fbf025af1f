package source

import (
	"fmt"
	"strings"
	"time"

	"github.com/go-mysql-org/go-mysql/replication"

	"github.com/sluicedb/sluice/internal/change"
)

// MariaDB GTID event flags go-mysql has no names for.
const (
	mariaFlagPreparedXA = 0x40 // FL_PREPARED_XA: the group is an XA PREPARE
)

// reader turns binlog events into the change stream: it tracks event
// groups (transactions and standalone statements), the binlog position and
// GTID state at their boundaries, and stops on what it cannot replicate.
//
// Invariant: every Pos it emits is a group boundary — the position after
// an XID or COMMIT/ROLLBACK, after a standalone statement, or the start of
// a binlog file — with the GTID state of exactly the groups before it.
type reader struct {
	flavor string
	sel    *selection
	emit   func(change.Event) error
	now    func() time.Time // heartbeat times; time.Now outside tests

	file     string          // the binlog file being read
	cur      change.Position // the last group boundary: where a restart resumes
	gtid     gtidState       // the GTID state at cur
	grp      group           // the open event group
	started  bool            // an event of a group arrived (see dumpError)
	checksum bool            // events end in a CRC32 (FORMAT_DESCRIPTION)
}

// group is the event group being read.
type group struct {
	open bool
	// standalone groups end with their first statement: MariaDB's
	// FL_STANDALONE (DDL), and a MySQL GTID not followed by BEGIN.
	standalone bool
	awaitBegin bool // MySQL: GTID read, BEGIN not yet
	xa         bool // an XA transaction's PREPARE group
	gtid       groupGTID
	begun      bool           // Begin was emitted
	rows       int            // Rows events emitted
	savepoints map[string]int // savepoint → rows emitted when it was set
}

func newReader(flavor string, sel *selection, from change.Position, g gtidState, emit func(change.Event) error) *reader {
	from.Flavor = flavor
	from.GTID = g.String()
	return &reader{flavor: flavor, sel: sel, emit: emit, now: time.Now, file: from.File, cur: from, gtid: g}
}

// handle processes one binlog event.
func (r *reader) handle(ev *replication.BinlogEvent) error {
	h := ev.Header
	switch e := ev.Event.(type) {
	case *replication.RotateEvent:
		return r.rotate(h, e)
	case *replication.FormatDescriptionEvent:
		r.checksum = e.ChecksumAlgorithm == replication.BINLOG_CHECKSUM_ALG_CRC32
	case *replication.HeartbeatEvent:
		// The server is idle: everything up to cur has been sent.
		if !r.grp.open {
			return r.emit(change.Event{Kind: change.Progress, Pos: r.cur, Time: r.now().UTC()})
		}
	case *replication.MariadbGTIDEvent:
		g := groupGTID{set: true, maria: e.GTID}
		if err := r.openGroup(h, g); err != nil {
			return err
		}
		r.grp.standalone = e.IsStandalone()
		r.grp.xa = e.Flags&mariaFlagPreparedXA != 0
	case *replication.GTIDEvent:
		return r.mysqlGTID(h, e)
	case *replication.GtidTaggedLogEvent:
		return r.mysqlGTID(h, &e.GTIDEvent)
	case *replication.QueryEvent:
		return r.query(h, string(e.Schema), string(e.Query))
	case *replication.ExecuteLoadQueryEvent:
		// LOAD DATA logged as a statement; go-mysql keeps no text.
		schema, query := executeLoadQuery(ev.RawData, r.checksum)
		if query == "" {
			return r.stop(h, "cannot read the LOAD DATA statement of an EXECUTE_LOAD_QUERY event; "+
				"the binlog must be ROW format (SET GLOBAL binlog_format=ROW); reload the task")
		}
		return r.query(h, schema, query)
	case *replication.XIDEvent:
		return r.endGroup(h, change.Commit)
	case *replication.TableMapEvent:
		return r.tableMap(h, e)
	case *replication.RowsEvent:
		return r.rows(h, e)
	case *replication.TransactionPayloadEvent:
		// MySQL binlog_transaction_compression: a whole group in one event.
		for _, inner := range e.Events {
			if err := r.handle(inner); err != nil {
				return err
			}
		}
	case *replication.GenericEvent:
		switch h.EventType {
		case replication.XA_PREPARE_LOG_EVENT:
			// Ends an XA PREPARE group; its rows touched no selected table
			// (rows would have stopped the stream).
			return r.endGroup(h, change.Commit)
		case replication.INCIDENT_EVENT:
			return r.stop(h, "the source wrote an INCIDENT event: changes are missing from its binlog "+
				"(a statement failed half-way on a non-transactional table, or the binlog was damaged); reload the task")
		}
	}
	return nil
}

func (r *reader) rotate(h *replication.EventHeader, e *replication.RotateEvent) error {
	r.file = string(e.NextLogName)
	if h.Flags&replication.LOG_EVENT_ARTIFICIAL_F != 0 || h.Timestamp == 0 {
		// The dump's first event names the file it reads; when it starts
		// by GTID it starts at that file's beginning, before the
		// checkpoint, so cur stays where it was.
		return nil
	}
	if r.grp.open {
		return nil // a rotation ends a file, never a group; keep the group's boundary
	}
	r.cur = change.Position{Flavor: r.flavor, File: r.file, Offset: e.Position, GTID: r.gtid.String()}
	return r.emit(change.Event{Kind: change.Progress, Pos: r.cur, Time: eventTime(h)})
}

func (r *reader) mysqlGTID(h *replication.EventHeader, e *replication.GTIDEvent) error {
	g, _ := mysqlGroupGTID(e.SID, e.Tag.String(), e.GNO)
	if err := r.openGroup(h, g); err != nil {
		return err
	}
	r.grp.awaitBegin = true
	return nil
}

// openGroup starts a group at its GTID event.
func (r *reader) openGroup(h *replication.EventHeader, g groupGTID) error {
	r.started = true
	if r.grp.open {
		return r.stop(h, fmt.Sprintf("event group %s started before the group %s ended: the binlog is not well formed; reload the task", g, r.grp.gtid))
	}
	r.grp = group{open: true, gtid: g}
	return nil
}

// query handles a statement: transaction control, or a statement that
// must not touch a selected table.
func (r *reader) query(h *replication.EventHeader, defaultDB, text string) error {
	r.started = true
	st := classifyStatement(text)
	switch st.class {
	case stmtBegin, stmtXAStart:
		if !r.grp.open {
			r.grp = group{open: true}
		}
		r.grp.awaitBegin = false
		r.grp.xa = r.grp.xa || st.class == stmtXAStart
		return nil
	case stmtCommit:
		return r.endGroup(h, change.Commit)
	case stmtRollback:
		return r.endGroup(h, change.Rollback)
	case stmtSavepoint:
		if r.grp.savepoints == nil {
			r.grp.savepoints = map[string]int{}
		}
		r.grp.savepoints[strings.ToLower(st.name)] = r.grp.rows
		return nil
	case stmtRollbackTo:
		// MariaDB logs ROLLBACK TO only when the transaction also changed a
		// non-transactional table; the rows after the savepoint are in the
		// binlog but were undone on the source.
		at, ok := r.grp.savepoints[strings.ToLower(st.name)]
		if r.grp.rows > at || !ok && r.grp.rows > 0 {
			return r.stop(h, fmt.Sprintf("the transaction rolled back to savepoint %q after changing selected tables "+
				"(the source logs this when a transaction mixes transactional and non-transactional tables); "+
				"partial rollbacks are not supported: reload the task", st.name))
		}
		return nil
	case stmtDML:
		if name, hit := r.sel.touched(st, defaultDB); hit {
			return r.stop(h, fmt.Sprintf("statement-format DML on %s: the binlog must be ROW format "+
				"(SET GLOBAL binlog_format=ROW, and make sure no session sets binlog_format=STATEMENT); "+
				"reload the task to resync", name))
		}
	case stmtDDL:
		if name, hit := r.sel.touched(st, defaultDB); hit {
			return r.stop(h, fmt.Sprintf("DDL on %s: %q: DDL replication is not supported yet: apply the same change "+
				"to the PostgreSQL table, then reload the task (or exclude the table)", name, clip(text, 200)))
		}
	}
	if !r.grp.open || r.grp.standalone || r.grp.awaitBegin {
		return r.endGroup(h, change.Commit) // the statement was the whole group
	}
	return nil
}

// endGroup closes the open group (or a group-less statement) at its last
// event: Commit or Rollback when it had selected rows, else Progress.
func (r *reader) endGroup(h *replication.EventHeader, kind change.Kind) error {
	r.started = true
	if err := r.gtid.add(r.grp.gtid); err != nil {
		return err
	}
	r.cur.File = r.file
	if h.LogPos > 0 { // MariaDB 11.4+ may log 0 inside groups; the GTID stays exact
		r.cur.Offset = uint64(h.LogPos)
	}
	r.cur.GTID = r.gtid.String()
	ev := change.Event{Kind: change.Progress, Pos: r.cur, Time: eventTime(h)}
	if r.grp.begun {
		ev.Kind = kind
	}
	r.grp = group{}
	return r.emit(ev)
}

func (r *reader) tableMap(h *replication.EventHeader, e *replication.TableMapEvent) error {
	r.started = true
	t := r.sel.table(e.Schema, e.Table)
	if t == nil {
		return nil
	}
	if reason := checkTableMap(t, e); reason != "" {
		return r.stop(h, fmt.Sprintf("table %s: %s: its schema changed (DDL) after the task read it; "+
			"the task must be reloaded (apply the change to the PostgreSQL table first, or exclude the table)", t, reason))
	}
	return nil
}

func (r *reader) rows(h *replication.EventHeader, e *replication.RowsEvent) error {
	r.started = true
	if e.Table == nil {
		return nil
	}
	t := r.sel.table(e.Table.Schema, e.Table.Table)
	if t == nil {
		return nil
	}
	var op change.Op
	switch h.EventType {
	case replication.WRITE_ROWS_EVENTv0, replication.WRITE_ROWS_EVENTv1, replication.WRITE_ROWS_EVENTv2,
		replication.MARIADB_WRITE_ROWS_COMPRESSED_EVENT_V1:
		op = change.Insert
	case replication.UPDATE_ROWS_EVENTv0, replication.UPDATE_ROWS_EVENTv1, replication.UPDATE_ROWS_EVENTv2,
		replication.MARIADB_UPDATE_ROWS_COMPRESSED_EVENT_V1:
		op = change.Update
	case replication.DELETE_ROWS_EVENTv0, replication.DELETE_ROWS_EVENTv1, replication.DELETE_ROWS_EVENTv2,
		replication.MARIADB_DELETE_ROWS_COMPRESSED_EVENT_V1:
		op = change.Delete
	case replication.PARTIAL_UPDATE_ROWS_EVENT:
		return r.stop(h, fmt.Sprintf("table %s: the binlog holds a partial JSON update: "+
			"run SET GLOBAL binlog_row_value_options='' on the source, then reload the task", t))
	default:
		return r.stop(h, fmt.Sprintf("table %s: unknown rows event type %s", t, h.EventType))
	}
	switch {
	case int(e.ColumnCount) != sourceColumns(t):
		return r.stop(h, fmt.Sprintf("table %s: the binlog row has %d columns but the table has %d: its schema changed (DDL) "+
			"after the task read it; the task must be reloaded", t, e.ColumnCount, sourceColumns(t)))
	case !fullImage(e, op == change.Update):
		return r.stop(h, fmt.Sprintf("table %s: the binlog rows lack columns (binlog_row_image is not FULL): "+
			"run SET GLOBAL binlog_row_image=FULL on the source (and make sure no session changes it), then reload the task", t))
	case r.grp.xa:
		return r.stop(h, fmt.Sprintf("table %s is changed by an XA transaction: XA transactions on selected tables are not supported; "+
			"avoid them (or exclude the table), then reload the task", t))
	}
	if !r.grp.open { // rows after a group-ending statement (MySQL CREATE ... SELECT)
		r.grp = group{open: true}
	}
	r.grp.awaitBegin = false
	if !r.grp.begun {
		r.grp.begun = true
		begin := change.Event{Kind: change.Begin, Time: eventTime(h),
			Pos: change.Position{Flavor: r.flavor, GTID: r.gtid.withGroup(r.grp.gtid)}}
		if err := r.emit(begin); err != nil {
			return err
		}
	}
	r.grp.rows++
	return r.emit(change.Event{Kind: change.Rows, Table: t, Op: op, Images: e.Rows, Time: eventTime(h)})
}

// stop returns a *StopError for the event h of the open group.
func (r *reader) stop(h *replication.EventHeader, reason string) error {
	where := fmt.Sprintf("%s:%d", r.file, h.LogPos)
	if r.grp.gtid.set {
		where += " (GTID " + r.grp.gtid.String() + ")"
	}
	return &StopError{Reason: "at " + where + ": " + reason, Pos: r.cur}
}

func eventTime(h *replication.EventHeader) time.Time {
	return time.Unix(int64(h.Timestamp), 0).UTC()
}

// clip shortens s to n bytes for a message.
func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
