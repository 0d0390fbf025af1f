package pipeline

import (
	"context"
	"fmt"

	"golang.org/x/sync/errgroup"

	"github.com/sluicedb/sluice/internal/schema"
)

// postLoad builds the secondary indexes and sets the identity sequences of
// every table not done yet (in parallel), then adds the foreign keys, which
// need every table loaded. Each step is idempotent, so a resumed run simply
// repeats what was interrupted.
func (t *task) postLoad(ctx context.Context) error {
	done, err := t.dst.Indexed(ctx, t.Task.Name)
	if err != nil {
		return fmt.Errorf("reading post-load state: %w", err)
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(t.Task.Parallel)
	seen := map[string]bool{} // merged tables share one target: its steps run once
	for _, tb := range t.tables {
		target := tb.TargetSchema + "." + tb.TargetName
		if done[ref(tb)] || seen[target] {
			continue
		}
		seen[target] = true
		if t.adopted[ref(tb)] { // not ours: no indexes, sequences or keys added
			t.Log.Info("post-load steps skipped: the table existed before the task", "table", tb.String())
			continue
		}
		g.Go(func() error {
			stmts, notes := schema.PostLoad(tb, t.options())
			t.logNotes(notes)
			stmts = append(stmts, schema.ResetIdentity(tb)...)
			if err := t.dst.Exec(gctx, stmts); err != nil {
				return fmt.Errorf("post-load of %s: %w", tb, err)
			}
			return t.dst.MarkIndexed(gctx, t.Task.Name, ref(tb))
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	return t.foreignKeys(ctx)
}

// foreignKeys adds every foreign key between synced tables. A key whose
// existing rows do not validate (orphans the source allowed with
// foreign_key_checks=0) stays NOT VALID and is reported with its orphan count.
func (t *task) foreignKeys(ctx context.Context) error {
	synced := map[[2]string]*schema.Table{}
	for _, tb := range t.tables {
		synced[[2]string{tb.Database, tb.Name}] = tb
	}
	lookup := func(db, table string) *schema.Table { return synced[[2]string{db, table}] }
	seen := map[string]bool{}
	for _, tb := range t.tables {
		target := tb.TargetSchema + "." + tb.TargetName
		if t.adopted[ref(tb)] || seen[target] {
			continue
		}
		seen[target] = true
		fks, notes := schema.ForeignKeyDDLs(tb, lookup)
		t.logNotes(notes)
		for _, fk := range fks {
			valid, err := t.dst.AddForeignKey(ctx, fk.Add, fk.Validate)
			if err != nil {
				return fmt.Errorf("adding foreign key %s of %s: %w", fk.Name, tb, err)
			}
			if !valid {
				var orphans int64
				if err := t.dst.Pool.QueryRow(ctx, fk.Orphans).Scan(&orphans); err != nil {
					return fmt.Errorf("counting the orphan rows of foreign key %s: %w", fk.Name, err)
				}
				t.Log.Warn("foreign key left NOT VALID: rows copied from the source have no parent (the source allowed them); new rows are checked",
					"table", tb.String(), "constraint", fk.Name, "orphan_rows", orphans)
			}
		}
	}
	return nil
}
