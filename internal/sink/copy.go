package sink

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/sluicedb/sluice/internal/change"
	"github.com/sluicedb/sluice/internal/schema"
)

// CopyChunk loads one chunk with COPY (binary format) and marks it done.
//
// Invariant: the chunk's rows and its done mark commit in one transaction,
// so a killed run never redoes a finished chunk and never keeps half of an
// interrupted one.
//
// The load session turns off triggers and FK checks with
// session_replication_role = replica when the account may, and commits
// asynchronously: a crash of PostgreSQL loses the rows and the mark together.
//
// pos is the position of the consistent snapshot the chunk is read from, or
// nil when the read view is not tied to a position (no global read lock).
//
// mode says how rows meet the target's (see CopyMode).
func (s *Sink) CopyChunk(ctx context.Context, task string, ref TableRef, seq int, cols []string,
	src pgx.CopyFromSource, bytes func() int64, pos *change.Position, mode CopyMode) (int64, error) {
	var n int64
	err := pgx.BeginFunc(ctx, s.Pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SET LOCAL synchronous_commit = off`); err != nil {
			return err
		}
		if s.ReplicaRole {
			if _, err := tx.Exec(ctx, `SET LOCAL session_replication_role = replica`); err != nil {
				return err
			}
		}
		var err error
		switch {
		case mode.Merge != nil:
			n, err = copyMerging(ctx, tx, ref, cols, src, mode.Merge)
		case mode.Keep:
			n, err = copyKeeping(ctx, tx, ref, cols, src)
		default:
			n, err = tx.CopyFrom(ctx, pgx.Identifier{ref.TargetSchema, ref.TargetTable}, cols, src)
		}
		if err != nil {
			return err
		}
		var file, gtid *string
		var offset *int64
		if pos != nil {
			off := int64(pos.Offset)
			file, offset, gtid = &pos.File, &off, &pos.GTID
		}
		tag, err := tx.Exec(ctx, `UPDATE sluice.chunk SET done_at = clock_timestamp(), rows = $5, bytes = $6,
			pos_file = $7, pos_offset = $8, pos_gtid = $9
			WHERE task = $1 AND source_db = $2 AND source_table = $3 AND seq = $4 AND done_at IS NULL`,
			task, ref.SourceDB, ref.SourceTable, int32(seq), n, bytes(), file, offset, gtid)
		if err != nil {
			return err
		}
		if tag.RowsAffected() != 1 {
			return fmt.Errorf("chunk %d is already marked done by another run of task %s", seq, task)
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("copying %s.%s chunk %d: %w", ref.SourceDB, ref.SourceTable, seq, err)
	}
	return n, nil
}

// CopyMode is how a chunk's rows meet rows the target table has.
type CopyMode struct {
	// Keep is --conflict ignore on a table that was in the target before
	// the task: the chunk goes through a temporary table, and a row whose
	// key (or other unique value) the table already holds is kept as it is.
	Keep bool
	// Merge, the target key's columns, is a merged table: a key another
	// origin holds is a collision (a *CollisionError).
	Merge []string
}

// copyKeeping copies into a temporary table shaped like the target, then
// inserts what does not conflict with the target's rows.
func copyKeeping(ctx context.Context, tx pgx.Tx, ref TableRef, cols []string, src pgx.CopyFromSource) (int64, error) {
	tag, _, err := copyThroughTemp(ctx, tx, ref, cols, src)
	return tag.RowsAffected(), err
}

// copyThroughTemp copies a chunk into a temporary table sluice_chunk shaped
// like the target (dropped at commit), then inserts the rows that conflict
// with none of the target's (ON CONFLICT DO NOTHING); copied is how many
// rows the chunk had.
func copyThroughTemp(ctx context.Context, tx pgx.Tx, ref TableRef, cols []string, src pgx.CopyFromSource) (inserted pgconn.CommandTag, copied int64, err error) {
	table := schema.QualifiedName(ref.TargetSchema, ref.TargetTable)
	if _, err := tx.Exec(ctx, `CREATE TEMP TABLE sluice_chunk (LIKE `+table+`) ON COMMIT DROP`); err != nil {
		return inserted, 0, err
	}
	if copied, err = tx.CopyFrom(ctx, pgx.Identifier{"sluice_chunk"}, cols, src); err != nil {
		return inserted, 0, err
	}
	list := make([]string, len(cols))
	for i, c := range cols {
		list[i] = schema.Ident(c)
	}
	l := strings.Join(list, ", ")
	inserted, err = tx.Exec(ctx, `INSERT INTO `+table+` (`+l+`) SELECT `+l+` FROM sluice_chunk ON CONFLICT DO NOTHING`)
	return inserted, copied, err
}
