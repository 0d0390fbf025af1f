package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"time"

	"github.com/sluicedb/sluice/internal/change"
	"github.com/sluicedb/sluice/internal/filter"
	"github.com/sluicedb/sluice/internal/schema"
	"github.com/sluicedb/sluice/internal/sink"
	"github.com/sluicedb/sluice/internal/value"
)

// apply turns the event stream into PostgreSQL transactions.
type apply struct {
	t       *task
	ap      *sink.Applier
	tables  map[*schema.Table]*applyTable
	loadEnd change.Position // idempotent until the checkpoint reaches it
	pos     change.Position // position after the last source transaction applied
	posTime time.Time       // its source commit time
	inTxn   bool            // a source transaction is open
	begun   bool            // the open source transaction has statements in the group
	txnPos  change.Position // the open transaction's GTID state, itself included (MariaDB)
	groupAt time.Time       // when the open group began
	savedAt time.Time       // when a Progress position was last saved
	txns    int64           // applied in this attempt
	changes int64
	lastLag time.Duration
	evTime  time.Time // the commit time of the rows event being applied ($commit_ts)
	// byTable counts the open group's row changes per table, published
	// when it commits.
	byTable map[*schema.Table]int64
	// published: what the live state already counts
	pubTxns, pubChanges int64
}

func (t *task) newApply(ctx context.Context, from change.Position) (*apply, error) {
	tables, err := t.applyTables(ctx)
	if err != nil {
		return nil, err
	}
	ap, err := t.dst.NewApplier(ctx, t.Task.Name)
	if err != nil {
		return nil, err
	}
	a := &apply{t: t, ap: ap, tables: tables, loadEnd: t.state.LoadEnd, pos: from, savedAt: time.Now()}
	if a.ap.Idempotent, err = a.idempotent(); err != nil {
		a.close()
		return nil, err
	}
	return a, nil
}

func (a *apply) close() { a.ap.Close() }

// idempotent reports whether the checkpoint is still inside the window the
// full load overlaps, where apply must converge rather than check.
func (a *apply) idempotent() (bool, error) {
	if a.loadEnd.IsZero() {
		return false, nil
	}
	reached, err := a.pos.Reached(a.loadEnd)
	return !reached, err
}

// followLoadEnd adopts an end of the idempotent window that a repair moved
// (see sink.ExtendIdempotent), before the group's first statement.
func (a *apply) followLoadEnd() error {
	if a.ap.LoadEnd == a.loadEnd || a.ap.LoadEnd.IsZero() {
		return nil
	}
	a.loadEnd = a.ap.LoadEnd
	idem, err := a.idempotent()
	if idem && !a.ap.Idempotent {
		a.t.Log.Info("a repair rewrote rows as of a later source position; applying idempotently up to it", "until", a.loadEnd.String())
	}
	a.ap.Idempotent = idem
	return err
}

// reached reports whether pos is at or past stopAt (never, without --stop-when-caught-up).
func (a *apply) reached(pos, stopAt change.Position) (bool, error) {
	if stopAt.IsZero() {
		return false, nil
	}
	return pos.Reached(stopAt)
}

// run applies events until the stream ends, ctx ends or stopAt is reached.
func (a *apply) run(ctx context.Context, events <-chan change.Event, stopAt change.Position) error {
	for {
		var ev change.Event
		var ok bool
		select {
		case ev, ok = <-events:
		case <-ctx.Done():
			return a.stop()
		}
		if !ok {
			return a.stop()
		}
		if err := a.event(ctx, ev); err != nil {
			return err
		}
		if a.inTxn {
			continue
		}
		// At a source transaction boundary: commit the group when the reader
		// has nothing more queued, the group is big or old enough, or a
		// replay must cut it here.
		cut := !a.t.cutAt.IsZero() && a.pos == a.t.cutAt
		if a.ap.Open() && (len(events) == 0 || a.ap.Full() || time.Since(a.groupAt) > groupMaxAge || cut) {
			if err := a.commit(ctx); err != nil {
				return err
			}
		}
		if cut {
			a.t.cutAt = change.Position{}
		}
		if done, err := a.reached(a.pos, stopAt); err != nil || done {
			if err == nil {
				err = a.commit(ctx)
			}
			if err == nil {
				err = errCaughtUp
			}
			return err
		}
	}
}

func (a *apply) event(ctx context.Context, ev change.Event) error {
	switch ev.Kind {
	case change.Begin:
		// The applier's Begin waits for the first rows that are applied:
		// their table tells whether a savepoint is needed.
		a.inTxn, a.begun, a.txnPos = true, false, ev.Pos
	case change.Rows:
		at := a.tables[ev.Table]
		if at == nil {
			return fmt.Errorf("the binlog reader sent rows of %s, which is not selected", ev.Table)
		}
		if a.inCopy(at) {
			return nil
		}
		if !a.begun {
			if !a.ap.Open() {
				a.groupAt = time.Now()
			}
			// Only a transaction with changes of a non-transactional table
			// can end in ROLLBACK in a row-based binlog (InnoDB changes of a
			// rolled-back transaction are never written).
			if err := a.ap.Begin(ctx, !transactional(at.table)); err != nil {
				return err
			}
			if err := a.followLoadEnd(); err != nil {
				return err
			}
			a.begun = true
		}
		if err := a.rows(at, ev); err != nil {
			return err
		}
		if a.ap.Pending() >= flushEvery {
			return a.ap.Flush(ctx)
		}
	case change.Commit:
		if a.begun {
			a.ap.EndSource()
		}
		a.inTxn, a.begun = false, false
		a.pos, a.posTime = ev.Pos, ev.Time
		a.txns++
	case change.Rollback:
		begun := a.begun
		a.inTxn, a.begun = false, false
		if begun {
			if err := a.ap.Rollback(ctx); errors.Is(err, sink.ErrGroupLost) {
				// Replay the group from the checkpoint and commit it before
				// this transaction; a.pos is the end of its last one.
				a.t.cutAt = a.pos
				return errReplay
			} else if err != nil {
				return err
			}
		}
		a.pos = ev.Pos // past the rolled-back transaction: nothing of it to replay
		return nil
	case change.Progress:
		a.pos = ev.Pos
		if !a.ap.Open() {
			// Nothing pending: everything up to this event is applied. A
			// heartbeat carries the time it arrived, so an idle source
			// reads as no lag.
			a.lastLag = 0
			if !ev.Time.IsZero() {
				a.lastLag = max(0, time.Since(ev.Time))
			}
			a.t.State.Stream.Applied(0, 0, a.lastLag, a.pos.String())
		}
		if !a.ap.Open() && time.Since(a.savedAt) > progressSaves {
			a.savedAt = time.Now()
			return a.t.dst.SaveCheckpoint(ctx, a.t.Task.Name, a.pos, time.Time{})
		}
	}
	return nil
}

// transactional reports whether a table's engine rolls back (so a rolled
// back transaction never reaches the binlog with its changes).
func transactional(t *schema.Table) bool {
	return strings.EqualFold(t.Engine, "InnoDB") || strings.EqualFold(t.Engine, "XtraDB")
}

// errReplay restarts the phase at once from the checkpoint (see ErrGroupLost).
var errReplay = errors.New("replaying the last group from the checkpoint after a source rollback")

// inCopy reports whether the open source transaction is already in the
// table's copy: the table came from one consistent snapshot at or after it.
// Decided by GTID (exact per transaction); without GTIDs nothing is skipped
// and the overlap is replayed idempotently.
func (a *apply) inCopy(at *applyTable) bool {
	if at.copiedAt.GTID == "" || a.txnPos.GTID == "" || at.copiedAt.Flavor != "mariadb" || a.txnPos.Flavor != "mariadb" {
		return false
	}
	in, err := at.copiedAt.Reached(a.txnPos)
	return err == nil && in
}

// commit writes the checkpoint with the group and leaves idempotent mode
// once the checkpoint passed the end of the full load.
func (a *apply) commit(ctx context.Context) error {
	if err := a.ap.Commit(ctx, a.pos, a.posTime); err != nil {
		return err
	}
	if !a.posTime.IsZero() {
		a.lastLag = time.Since(a.posTime)
	}
	a.t.State.Stream.Applied(a.txns-a.pubTxns, a.changes-a.pubChanges, a.lastLag, a.pos.String())
	a.pubTxns, a.pubChanges = a.txns, a.changes
	for table, n := range a.byTable {
		a.t.State.Stream.AppliedTable(table.String(), n)
	}
	clear(a.byTable)
	if a.ap.Idempotent {
		idem, err := a.idempotent()
		if err != nil {
			return err
		}
		if !idem {
			a.t.Log.Info("passed the end of the idempotent window (full load or repair); applying strictly from here", "position", a.pos.String())
		}
		a.ap.Idempotent = idem
	}
	return nil
}

// stop ends at a transaction boundary: a complete group commits, a source
// transaction in flight is rolled back with its group (the checkpoint then
// replays it).
func (a *apply) stop() error {
	if !a.ap.Open() {
		return nil
	}
	if a.inTxn {
		return nil // Close rolls the group back
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	return a.commit(ctx)
}

// report prints the phase's totals.
func (a *apply) report(out io.Writer) {
	fmt.Fprintf(out, "incremental: %d transactions, %d row changes applied, last lag %s, position %s\n",
		a.txns, a.changes, a.lastLag.Round(time.Millisecond), a.pos)
}

// rows queues the statements of one rows event.
func (a *apply) rows(at *applyTable, ev change.Event) error {
	a.evTime = ev.Time
	step := 1
	if ev.Op == change.Update {
		step = 2
	}
	f := a.t.mapped.filters[at.table]
	for i := 0; i+step <= len(ev.Images); i += step {
		// Images hold every source column: the filter reads them, then the
		// selected ones are kept.
		in, err := kept(f, at, ev.Images[i])
		if err != nil {
			return err
		}
		switch ev.Op {
		case change.Insert:
			if in {
				err = a.insert(at, at.table.Project(ev.Images[i]))
			}
		case change.Delete:
			if in {
				err = a.delete(at, at.table.Project(ev.Images[i]))
			}
		case change.Update: // a row moving into the filter is an insert, out of it a delete
			var out bool
			if out, err = kept(f, at, ev.Images[i+1]); err != nil {
				return err
			}
			switch {
			case in && out:
				err = a.update(at, at.table.Project(ev.Images[i]), at.table.Project(ev.Images[i+1]))
			case in:
				err = a.delete(at, at.table.Project(ev.Images[i]))
			case out:
				err = a.insert(at, at.table.Project(ev.Images[i+1]))
			}
		}
		if err != nil {
			return err
		}
		a.changes++
		if a.byTable == nil {
			a.byTable = map[*schema.Table]int64{}
		}
		a.byTable[at.table]++
	}
	return nil
}

// convert turns a binlog row image into target values.
func (a *apply) convert(at *applyTable, image []any) ([]any, error) {
	if len(image) != len(at.convs) {
		return nil, fmt.Errorf("a binlog row of %s has %d columns, the table has %d", at.table, len(image), len(at.convs))
	}
	out := make([]any, at.shape.width(len(image)))
	for i, v := range image {
		var err error
		var fix value.Fix
		out[i], fix, err = at.convs[i].Binlog(v)
		if err != nil {
			return nil, &RowError{Table: at.table.String(), Key: keyOf(at.loadTable, image), Err: err}
		}
		if fix != 0 {
			at.count(fix)
		}
	}
	var commit any
	if !a.evTime.IsZero() {
		commit = a.evTime
	}
	if err := at.shape.apply(at.table, out, commit); err != nil {
		return nil, &RowError{Table: at.table.String(), Key: keyOf(at.loadTable, image), Err: err}
	}
	return out, nil
}

func (a *apply) insert(at *applyTable, image []any) error {
	row, err := a.convert(at, image)
	if err != nil {
		return err
	}
	if at.tg.Origin > 0 && len(at.tg.Key) > 0 {
		a.queueMerge(at, row, image)
		return nil
	}
	if (a.ap.Idempotent || at.overwrite) && len(at.tg.Key) > 0 {
		for _, q := range at.dml.Conflicts {
			a.ap.Queue(q, row)
		}
		a.ap.Queue(at.dml.Upsert, row)
		return nil
	}
	a.ap.Queue(at.dml.Insert, row)
	return nil
}

func (a *apply) delete(at *applyTable, image []any) error {
	row, err := a.convert(at, image)
	if err != nil {
		return err
	}
	key := func() string { return keyOf(at.loadTable, image) }
	switch {
	case at.tg.Origin > 0 && len(at.tg.Key) > 0: // only the origin's own row
		a.ap.QueueChecked(at.dml.Delete, append(pick(row, at.tg.Key), row[at.tg.Origin-1]), "delete", at.table.String(), key)
	case len(at.tg.Key) == 0:
		a.ap.QueueChecked(at.dml.DeleteRow, row, "delete", at.table.String(), key)
	case at.overwrite:
		a.ap.Queue(at.dml.Delete, pick(row, at.tg.Key))
	default:
		a.ap.QueueChecked(at.dml.Delete, pick(row, at.tg.Key), "delete", at.table.String(), key)
	}
	return nil
}

func (a *apply) update(at *applyTable, before, after []any) error {
	old, err := a.convert(at, before)
	if err != nil {
		return err
	}
	row, err := a.convert(at, after)
	if err != nil {
		return err
	}
	key := func() string { return keyOf(at.loadTable, before) }
	if len(at.tg.Key) == 0 {
		a.ap.QueueChecked(at.dml.UpdateRow, append(row, old...), "update", at.table.String(), key)
		return nil
	}
	if at.tg.Origin > 0 && a.ap.Idempotent { // the row may be missing or newer; never another origin's
		if keyChanged(before, after, at.tg.Key) {
			a.ap.Queue(at.dml.Delete, append(pick(old, at.tg.Key), old[at.tg.Origin-1]))
		}
		a.queueMerge(at, row, after)
		return nil
	}
	if !a.ap.Idempotent && !at.overwrite {
		a.ap.QueueChecked(at.dml.Update, append(row, pick(old, at.tg.Key)...), "update", at.table.String(), key)
		return nil
	}
	// Idempotent: the row may be missing or already newer; make it the
	// after image, by key, and free its unique values.
	if keyChanged(before, after, at.tg.Key) {
		a.ap.Queue(at.dml.Delete, pick(old, at.tg.Key))
	}
	for _, q := range at.dml.Conflicts {
		a.ap.Queue(q, row)
	}
	a.ap.Queue(at.dml.Upsert, row)
	return nil
}

// kept reports whether a full row image passes the table's row filter
// (no filter: every row).
func kept(f *filter.Filter, at *applyTable, image []any) (bool, error) {
	if f == nil {
		return true, nil
	}
	v, err := f.Eval(image)
	if err != nil {
		return false, &RowError{Table: at.table.String(), Key: keyOf(at.loadTable, at.table.Project(image)), Err: err}
	}
	return v == filter.True, nil
}

// queueMerge upserts a merged table's row, which must not take a key
// another origin holds.
func (a *apply) queueMerge(at *applyTable, row, image []any) {
	keyCols := make([]string, len(at.tg.Key))
	for i, k := range at.tg.Key {
		keyCols[i] = at.tg.Cols[k]
	}
	keyVals := pick(row, at.tg.Key)
	table := schema.QualifiedName(at.table.TargetSchema, at.table.TargetName)
	a.ap.QueueCollision(at.dml.Merge, row, table, keyOf(at.loadTable, image), at.table.Origin,
		func(ctx context.Context, q sink.Querier) string {
			return sink.OriginOf(ctx, q, table, keyCols, keyVals)
		})
}

func pick(row []any, idx []int) []any {
	out := make([]any, len(idx))
	for i, k := range idx {
		out[i] = row[k]
	}
	return out
}

func keyChanged(before, after []any, key []int) bool {
	for _, k := range key {
		if !reflect.DeepEqual(before[k], after[k]) {
			return true
		}
	}
	return false
}
