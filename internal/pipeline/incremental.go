package pipeline

import (
	"context"
	"errors"
	"fmt"
	"hash/crc32"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/sluicedb/sluice/internal/change"
	"github.com/sluicedb/sluice/internal/progress"
	"github.com/sluicedb/sluice/internal/schema"
	"github.com/sluicedb/sluice/internal/sink"
	"github.com/sluicedb/sluice/internal/source"
)

// Apply grouping: a group of whole source transactions commits when the
// reader has nothing more queued, or at these bounds.
const (
	groupMaxAge   = 50 * time.Millisecond
	flushEvery    = 1000 // queued statements sent as one pipelined batch
	eventBuffer   = 256  // rows events between reader and applier: ≤ 256 events in memory
	progressSaves = time.Second
)

// incrementalPhase follows the binlog from the checkpoint (or the snapshot
// position) and applies every change of the selected tables in source commit
// order, until ctx ends or, with --stop-when-caught-up, the position read at
// its start is reached.
//
// It reports whether it applied anything, so that retries measure
// --retry-for from the last attempt that made progress.
func (t *task) incrementalPhase(ctx context.Context) (bool, error) {
	from, err := t.startPosition(ctx)
	if err != nil {
		return false, err
	}
	if t.stopAt.IsZero() && t.Task.StopWhenCaughtUp {
		// Read once: a retried attempt keeps the target of the first.
		if t.stopAt, err = t.src.CurrentPosition(ctx); err != nil {
			return false, err
		}
	}
	stopAt := t.stopAt
	ap, err := t.newApply(ctx, from)
	if err != nil {
		return false, err
	}
	defer ap.close()
	if done, err := ap.reached(from, stopAt); done || err != nil {
		t.Log.Info("caught up", "position", from.String())
		return false, err
	}
	t.Log.Info("incremental sync starting", "from", from.String(), "idempotent_until", t.state.LoadEnd.String(),
		"stop_at", stopAt.String())
	events := make(chan change.Event, eventBuffer)
	g, gctx := errgroup.WithContext(ctx)
	showCtx, stopShow := context.WithCancel(gctx)
	defer stopShow()
	go progress.ShowStream(showCtx, &t.State.Stream, t.Out, t.Task.ProgressEvery)
	g.Go(func() error {
		defer close(events)
		return t.src.Stream(gctx, from, t.tables, source.BinlogOptions{ServerID: t.serverID(), Name: t.readerName()}, events)
	})
	g.Go(func() error {
		err := ap.run(gctx, events, stopAt)
		if errors.Is(err, errCaughtUp) {
			return errCaughtUp // stops the reader through gctx
		}
		return err
	})
	err = g.Wait()
	ap.report(t.Out)
	progressed := ap.txns > 0
	switch {
	case errors.Is(err, errCaughtUp):
		t.Log.Info("caught up", "position", ap.pos.String())
		return progressed, nil
	case ctx.Err() != nil:
		t.Log.Info("stopped at a transaction boundary", "position", ap.pos.String())
		return progressed, ctx.Err()
	}
	return progressed, err
}

// errCaughtUp ends the phase when --stop-when-caught-up is reached.
var errCaughtUp = errors.New("caught up")

// startPosition is the checkpoint, else the snapshot position of the full
// load, else (no full load) the source's current position.
func (t *task) startPosition(ctx context.Context) (change.Position, error) {
	switch {
	case !t.state.Checkpoint.IsZero():
		return t.state.Checkpoint, nil
	case t.state.FullDone || !t.state.Snapshot.IsZero():
		if !t.state.FullDone {
			return change.Position{}, fmt.Errorf("the full load of task %s has not finished; run with --phases full (or the default phases) first", t.Task.Name)
		}
		if t.state.Snapshot.IsZero() {
			return change.Position{}, errors.New("the full load ran without a binary log position (log_bin was off on the source); enable log_bin and reload the task")
		}
		return t.state.Snapshot, nil
	}
	pos, err := t.src.CurrentPosition(ctx)
	if err != nil {
		return pos, err
	}
	if pos.IsZero() {
		return pos, errors.New("the source has no binary log (log_bin is off); set log_bin, binlog_format=ROW and binlog_row_image=FULL, restart it, and run again")
	}
	return pos, t.dst.SaveCheckpoint(ctx, t.Task.Name, pos, time.Time{})
}

// serverID is --server-id, or one derived from the task name and target, so
// that two tasks never share one by default.
func (t *task) serverID() uint32 {
	if t.Task.ServerID != 0 {
		return t.Task.ServerID
	}
	h := crc32.ChecksumIEEE([]byte(t.Task.Name + "\x00" + t.dst.Addr()))
	return 1_000_000_000 + h%1_000_000_000
}

// readerName identifies the binlog reader in the source's SHOW SLAVE HOSTS.
func (t *task) readerName() string { return "sluice-" + t.Task.Name }

// applyTable is what apply needs per selected table.
type applyTable struct {
	*loadTable
	dml sink.DML
	tg  sink.Target
	// overwrite is --conflict ignore on a table found in the target: the
	// source's rows overwrite it (upserts), a delete may find nothing.
	overwrite bool
	// copiedAt is the consistent snapshot the whole table was copied from,
	// when there is one: source transactions before it are already in the
	// copy and are skipped for this table, so that replaying the overlap
	// never shows the table in a state the source did not have.
	copiedAt change.Position
}

func (t *task) applyTables(ctx context.Context) (map[*schema.Table]*applyTable, error) {
	copied, err := t.dst.TablePositions(ctx, t.Task.Name)
	if err != nil {
		return nil, err
	}
	out := map[*schema.Table]*applyTable{}
	for _, tb := range t.tables {
		lt, err := t.loadTable(tb)
		if err != nil {
			return nil, err
		}
		tg := sink.TargetOf(tb)
		out[tb] = &applyTable{loadTable: lt, dml: sink.BuildDML(tg), tg: tg, copiedAt: copied[ref(tb)], overwrite: t.keeps(tb)}
	}
	return out, nil
}
