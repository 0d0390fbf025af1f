package sink

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sluicedb/sluice/internal/change"
	"github.com/sluicedb/sluice/internal/schema"
)

// The apply lock orders a task's apply groups and verify's repairs. Every
// apply group takes it shared as its first statement; a repair takes it
// exclusively, so it sees the target at one checkpoint, with no group half
// applied, and no group commits until the repair has. Both take it before
// any row lock, so the two never deadlock.
func applyLockShared(task string) string {
	return "SELECT pg_advisory_xact_lock_shared(hashtext(" + schema.Literal("sluice.apply."+task) + "))"
}

const applyLockExclusive = `SELECT pg_advisory_xact_lock(hashtext('sluice.apply.' || $1))`

// Positions are the task's checkpoint and the end of its idempotent window,
// as one transaction sees them.
type Positions struct {
	Exists     bool // the task has a row in sluice.task
	Checkpoint change.Position
	LoadEnd    change.Position
	FullDoneAt time.Time // when the full load ended (zero: not yet)
}

// ReadPositions reads the task's positions in tx (zero when the task or the
// state schema does not exist).
func ReadPositions(ctx context.Context, tx pgx.Tx, task string) (Positions, error) {
	var p Positions
	var flavor, ef, eg, cf, cg *string
	var eo, co *int64
	var done *time.Time
	err := tx.QueryRow(ctx, `SELECT flavor, load_end_file, load_end_offset, load_end_gtid, cdc_file, cdc_offset, cdc_gtid, full_done_at
		FROM sluice.task WHERE name = $1`, task).Scan(&flavor, &ef, &eo, &eg, &cf, &co, &cg, &done)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return p, nil
	case err != nil:
		return p, fmt.Errorf("reading the checkpoint of task %s: %w", task, err)
	}
	p.Exists = true
	if done != nil {
		p.FullDoneAt = *done
	}
	p.LoadEnd = storedPosition(flavor, ef, eo, eg)
	p.Checkpoint = storedPosition(flavor, cf, co, cg)
	return p, nil
}

// LockApply takes the task's apply lock exclusively for tx (see
// applyLockExclusive) and returns the positions it froze.
func LockApply(ctx context.Context, tx pgx.Tx, task string) (Positions, error) {
	if _, err := tx.Exec(ctx, applyLockExclusive, task); err != nil {
		return Positions{}, fmt.Errorf("taking the apply lock of task %s: %w", task, err)
	}
	return ReadPositions(ctx, tx, task)
}

// ExtendIdempotent moves the end of the task's idempotent window to pos
// when pos is later: rows written as of source position pos on a target
// whose checkpoint is earlier converge once the apply, replaying
// idempotently, passes pos. Call it in the transaction that holds the
// apply lock and writes the rows.
func ExtendIdempotent(ctx context.Context, tx pgx.Tx, task string, cur Positions, pos change.Position) error {
	if !cur.Exists {
		return nil
	}
	if !cur.LoadEnd.IsZero() {
		if later, err := cur.LoadEnd.Reached(pos); err != nil || later {
			return err
		}
	}
	_, err := tx.Exec(ctx, `UPDATE sluice.task SET load_end_file = $2, load_end_offset = $3, load_end_gtid = $4,
		flavor = COALESCE(flavor, $5) WHERE name = $1`, task, pos.File, int64(pos.Offset), pos.GTID, pos.Flavor)
	if err != nil {
		return fmt.Errorf("extending the idempotent window of task %s: %w", task, err)
	}
	return nil
}
