package verify

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/sluicedb/sluice/internal/change"
	"github.com/sluicedb/sluice/internal/schema"
	"github.com/sluicedb/sluice/internal/sink"
	"github.com/sluicedb/sluice/internal/value"
)

// repair rewrites a chunk's differing rows from the source, in one target
// transaction, then compares them again.
//
// Invariant: the rows are written under the task's apply lock, as of a
// source position P read after them, and the task's idempotent window is
// extended to P in the same transaction. The target's checkpoint C is frozen
// by the lock and C ≤ P, so the apply replays (C, P] idempotently over rows
// that already hold P's state: every row converges to its state at P.
func (v *Verifier) repair(ctx context.Context, c *chunk, res *result) (*result, error) {
	keys := res.keys()
	var pos change.Position
	err := pgx.BeginFunc(ctx, v.dst.Pool, func(tx pgx.Tx) error {
		var cur sink.Positions
		if v.hasState {
			var err error
			if cur, err = sink.LockApply(ctx, tx, v.opts.Task); err != nil {
				return err
			}
		}
		if v.dst.ReplicaRole { // no FK actions or triggers: the rows are the source's
			if _, err := tx.Exec(ctx, `SET LOCAL session_replication_role = replica`); err != nil {
				return err
			}
		}
		rows, found, err := v.sourceRows(ctx, c, keys)
		if err != nil {
			return err
		}
		if pos, err = v.src.CurrentPosition(ctx); err != nil {
			return err
		}
		if err := v.write(ctx, tx, c, keys, rows, found); err != nil {
			return err
		}
		return sink.ExtendIdempotent(ctx, tx, v.opts.Task, cur, pos)
	})
	if err != nil {
		return nil, err
	}
	v.opts.Log.Info("repaired rows from the source", "table", c.t.src.String(), "rows", len(keys), "position", pos.String())
	if v.follow && !v.waitFor(ctx, pos) {
		return v.compare(ctx, c, keys)
	}
	next, err := v.compare(ctx, c, keys)
	if err != nil {
		return nil, err
	}
	return v.settle(ctx, c, next)
}

// sourceRows reads the full rows with the given key texts, converted for
// PostgreSQL as the full load converts them; found holds their key texts.
func (v *Verifier) sourceRows(ctx context.Context, c *chunk, keys []string) ([][]any, map[string]bool, error) {
	t := c.t.src
	convs := make([]*value.Converter, len(t.Columns))
	names := make([]string, len(t.Columns))
	for i := range t.Columns {
		var err error
		if convs[i], err = value.New(&t.Columns[i], v.opts.Policy); err != nil {
			return nil, nil, err
		}
		names[i] = schema.MySQL.Quote(t.Columns[i].Name)
	}
	w, args, err := c.where(false, keys)
	if err != nil {
		return nil, nil, err
	}
	q := "SELECT " + rowText(c.t.keyCols(), false) + ", " + strings.Join(names, ", ") + " FROM " + c.t.myFrom + w
	stmt, err := v.src.DB.PrepareContext(ctx, q)
	if err != nil {
		return nil, nil, fmt.Errorf("reading %s on the source: %w", t, err)
	}
	defer stmt.Close()
	rs, err := stmt.QueryContext(ctx, args...)
	if err != nil {
		return nil, nil, fmt.Errorf("reading %s on the source: %w", t, err)
	}
	defer rs.Close()
	raw, dest := make([]any, len(names)+1), make([]any, len(names)+1)
	for i := range raw {
		dest[i] = &raw[i]
	}
	var out [][]any
	found := map[string]bool{}
	for rs.Next() {
		if err := rs.Scan(dest...); err != nil {
			return nil, nil, err
		}
		k, ok := raw[0].([]byte)
		if !ok {
			return nil, nil, fmt.Errorf("key text of %s: unexpected %T", t, raw[0])
		}
		found[string(k)] = true
		row := make([]any, len(convs))
		for i, conv := range convs {
			if row[i], _, err = conv.Snapshot(raw[i+1]); err != nil {
				return nil, nil, err
			}
		}
		out = append(out, row)
	}
	return out, found, rs.Err()
}

// write replaces the target rows of the given key texts with the source's:
// keyed tables delete the keys the source no longer has and upsert the rest
// (the statements idempotent apply uses, other unique keys' conflicts
// included); tables compared as whole rows replace every row with those row
// texts.
func (v *Verifier) write(ctx context.Context, tx pgx.Tx, c *chunk, keys []string, rows [][]any, found map[string]bool) error {
	dml := sink.BuildDML(sink.TargetOf(c.t.src))
	var gone []string
	for _, k := range keys {
		if !found[k] || c.t.mode == whole {
			gone = append(gone, k)
		}
	}
	if len(gone) > 0 {
		w, args, err := c.where(true, gone)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "DELETE FROM "+c.t.pgFrom+w, args...); err != nil {
			return fmt.Errorf("deleting rows of %s: %w", c.t.pgFrom, err)
		}
	}
	b := &pgx.Batch{}
	for _, r := range rows {
		if c.t.mode == whole {
			b.Queue(dml.Insert, r...)
			continue
		}
		if dml.Merge != "" { // a merged table: never another origin's row
			b.Queue(dml.Merge, r...)
			continue
		}
		for _, q := range dml.Conflicts {
			b.Queue(q, r...)
		}
		b.Queue(dml.Upsert, r...)
	}
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return fmt.Errorf("writing rows of %s: %w", c.t.pgFrom, err)
	}
	return nil
}
