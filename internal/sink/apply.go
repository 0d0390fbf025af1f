package sink

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/sluicedb/sluice/internal/change"
)

// Applier applies source transactions to the target. It keeps one
// PostgreSQL transaction open across consecutive source transactions (a
// group) and commits it only at a source commit, together with the
// checkpoint of the last source transaction in it.
//
// Invariant: the checkpoint commits in the same transaction as the rows it
// covers; a PostgreSQL commit only ever lands on a source commit boundary.
type Applier struct {
	s    *Sink
	task string
	conn *pgxpool.Conn
	tx   pgx.Tx
	// queued statements of the open group, sent as one pipelined batch.
	batch   pgx.Batch
	checks  []check
	inGroup int // source transactions in the open group
	// savepoint is set when the open source transaction began with a
	// savepoint; savepoints counts them in the group.
	savepoint  bool
	savepoints int
	// Idempotent apply (catch-up): upserts, deletes that may miss.
	Idempotent bool
	// LoadEnd is the end of the idempotent window as the open group's
	// transaction read it.
	LoadEnd change.Position
}

// check is what one queued statement's result must satisfy: in strict
// mode, an update or delete of table must touch exactly one row.
type check struct {
	op     string // "update", "delete" or opCollision; "" = not checked
	table  string
	key    string // the row's key, for the message
	origin string // opCollision: the change's source
	lookup func(context.Context, Querier) string
}

// DivergenceError is a change that found no row to update or delete while
// applying strictly: the target no longer equals the source.
type DivergenceError struct{ Op, Table, Key string }

func (e *DivergenceError) Error() string {
	return fmt.Sprintf("divergence: the %s of %s row %s found no row in the target, so the target differs from the source; run sluice verify, then reload the table",
		e.Op, e.Table, e.Key)
}

// NewApplier takes a dedicated connection for the task's apply.
func (s *Sink) NewApplier(ctx context.Context, task string) (*Applier, error) {
	conn, err := s.Pool.Acquire(ctx)
	if err != nil {
		return nil, fmt.Errorf("connecting the applier: %w", err)
	}
	return &Applier{s: s, task: task, conn: conn}, nil
}

// Close rolls back an open group and releases the connection.
func (a *Applier) Close() {
	if a.tx != nil {
		a.tx.Rollback(context.Background()) //nolint:errcheck // closing
		a.tx = nil
	}
	a.conn.Release()
}

// Group bounds. A group commits after MaxGroup source transactions, or
// after MaxSavepoints savepoints: PostgreSQL slows down for every session
// once a transaction has more than 64 subtransactions.
const (
	MaxGroup      = 1000
	MaxSavepoints = 48
)

// ErrGroupLost is a source ROLLBACK of a transaction that had no savepoint
// and was not the first of its group: the whole group is rolled back, and
// the caller must replay it from the checkpoint, committing before the
// rolled-back transaction this time.
var ErrGroupLost = errors.New("a source transaction without a savepoint rolled back inside a group")

// Begin starts a source transaction: a new group, or the next transaction
// of the open one. savepoint asks for a savepoint before it, so that a
// source ROLLBACK undoes only its own statements; it is needed only when the
// transaction may end in ROLLBACK (changes of a non-transactional table).
func (a *Applier) Begin(ctx context.Context, savepoint bool) error {
	if a.tx != nil {
		a.savepoint = savepoint
		if savepoint {
			a.Queue("SAVEPOINT source_txn", nil)
			a.savepoints++
		}
		return nil
	}
	tx, err := a.conn.Begin(ctx)
	if err != nil {
		return fmt.Errorf("beginning an apply transaction: %w", err)
	}
	// The apply lock first (see repair.go); a repair (sluice verify
	// --repair) may have moved the end of the idempotent window, read after
	// it in a statement of its own (a newer snapshot).
	if _, err := tx.Exec(ctx, "SET LOCAL synchronous_commit = off; "+applyLockShared(a.task)); err != nil {
		tx.Rollback(ctx) //nolint:errcheck // the error is returned
		return fmt.Errorf("beginning an apply transaction: %w", err)
	}
	pos, err := ReadPositions(ctx, tx, a.task)
	if err != nil {
		tx.Rollback(ctx) //nolint:errcheck // the error is returned
		return err
	}
	a.LoadEnd = pos.LoadEnd
	a.tx, a.savepoint, a.savepoints = tx, false, 0
	return nil
}

// Queue adds a statement of the open source transaction whose row count is
// not checked. args must not be reused: the batch encodes them when sent.
func (a *Applier) Queue(sql string, args []any) {
	a.batch.Queue(sql, args...)
	a.checks = append(a.checks, check{})
}

// QueueChecked adds an update or delete that, applying strictly, must touch
// exactly one row; key renders the row's key for the divergence message.
func (a *Applier) QueueChecked(sql string, args []any, op, table string, key func() string) {
	a.batch.Queue(sql, args...)
	c := check{}
	if !a.Idempotent {
		c = check{op: op, table: table, key: key()}
	}
	a.checks = append(a.checks, c)
}

// Pending is the number of queued statements not yet sent.
func (a *Applier) Pending() int { return a.batch.Len() }

// Flush sends the queued statements as one pipelined batch and checks every
// result.
func (a *Applier) Flush(ctx context.Context) error {
	if a.batch.Len() == 0 {
		return nil
	}
	res := a.tx.SendBatch(ctx, &a.batch)
	var err error
	var collided check
	for _, c := range a.checks {
		var tag pgconn.CommandTag
		tag, err = res.Exec()
		if err != nil {
			break
		}
		if c.op == opCollision && tag.RowsAffected() != 1 {
			err = &CollisionError{Table: c.table, Key: c.key, Origin: c.origin}
			collided = c
			break
		}
		if c.op != "" && tag.RowsAffected() != 1 {
			err = &DivergenceError{Op: c.op, Table: c.table, Key: c.key}
			break
		}
	}
	if cerr := res.Close(); err == nil {
		err = cerr
	}
	if ce, ok := err.(*CollisionError); ok && collided.lookup != nil {
		ce.Other = collided.lookup(ctx, a.tx) // the transaction sees the group's own rows
	}
	a.batch = pgx.Batch{}
	a.checks = a.checks[:0]
	if err != nil {
		var de *DivergenceError
		var ce *CollisionError
		if errors.As(err, &de) || errors.As(err, &ce) {
			return err
		}
		return fmt.Errorf("applying changes: %w", err)
	}
	return nil
}

// Rollback undoes the open source transaction: back to its savepoint, or
// the whole group when it is the group's first. Otherwise the group is
// rolled back and ErrGroupLost returned.
func (a *Applier) Rollback(ctx context.Context) error {
	if a.savepoint {
		// Statements of the group's earlier transactions may still be
		// queued: send everything, then undo back to the savepoint.
		a.Queue("ROLLBACK TO SAVEPOINT source_txn", nil)
		return a.Flush(ctx)
	}
	first := a.inGroup == 0
	a.batch = pgx.Batch{}
	a.checks = a.checks[:0]
	err := a.tx.Rollback(ctx)
	a.tx, a.inGroup = nil, 0
	if err != nil {
		return fmt.Errorf("rolling back: %w", err)
	}
	if !first {
		return ErrGroupLost
	}
	return nil
}

// EndSource marks the end of a committed source transaction in the group.
func (a *Applier) EndSource() { a.inGroup++ }

// Full reports whether the open group should commit: enough source
// transactions or savepoints.
func (a *Applier) Full() bool { return a.inGroup >= MaxGroup || a.savepoints >= MaxSavepoints }

// Open reports whether a group is open.
func (a *Applier) Open() bool { return a.tx != nil }

// Commit writes the checkpoint and commits the group.
func (a *Applier) Commit(ctx context.Context, pos change.Position, sourceTime time.Time) error {
	if a.tx == nil {
		return a.s.SaveCheckpoint(ctx, a.task, pos, sourceTime)
	}
	a.Queue(checkpointSQL, checkpointArgs(a.task, pos, sourceTime))
	if err := a.Flush(ctx); err != nil {
		return err
	}
	err := a.tx.Commit(ctx)
	a.tx = nil
	a.inGroup = 0
	if err != nil {
		return fmt.Errorf("committing applied changes: %w", err)
	}
	return nil
}

const checkpointSQL = `UPDATE sluice.task SET cdc_file = $2, cdc_offset = $3, cdc_gtid = $4,
	cdc_source_time = COALESCE($5, cdc_source_time), flavor = $6, cdc_updated_at = clock_timestamp() WHERE name = $1`

func checkpointArgs(task string, pos change.Position, t time.Time) []any {
	var st any
	if !t.IsZero() {
		st = t
	}
	return []any{task, pos.File, int64(pos.Offset), pos.GTID, st, pos.Flavor}
}

// SaveCheckpoint moves the checkpoint outside any group: progress through
// transactions that touched no selected table.
func (s *Sink) SaveCheckpoint(ctx context.Context, task string, pos change.Position, sourceTime time.Time) error {
	if _, err := s.Pool.Exec(ctx, checkpointSQL, checkpointArgs(task, pos, sourceTime)...); err != nil {
		return fmt.Errorf("saving the checkpoint: %w", err)
	}
	return nil
}
