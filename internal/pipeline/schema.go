package pipeline

import (
	"context"
	"fmt"

	"github.com/sluicedb/sluice/internal/schema"
	"github.com/sluicedb/sluice/internal/sink"
)

func (t *task) options() schema.Options { return schema.Options{PostGIS: t.dst.PostGIS} }

// schemaPhase creates the target schemas and tables this task has not
// created yet, all in one transaction.
func (t *task) schemaPhase(ctx context.Context) error {
	created, err := t.dst.CreatedTables(ctx, t.Task.Name)
	if err != nil {
		return err
	}
	var prelude []string
	if t.createPostGIS {
		prelude = append(prelude, "CREATE EXTENSION IF NOT EXISTS postgis")
	}
	found, err := t.foundTables(ctx, created)
	if err != nil {
		return err
	}
	schemas := map[string]bool{}
	var ddl []sink.TableDDL
	for _, tb := range t.tables {
		if created[ref(tb)] {
			continue
		}
		if found[ref(tb)] { // --conflict ignore: the table stays as it is
			t.Log.Info("the target table exists: loading into it (--conflict ignore)", "table", tb.String(),
				"target", tb.TargetSchema+"."+tb.TargetName)
			ddl = append(ddl, sink.TableDDL{Ref: ref(tb), Adopted: true})
			continue
		}
		if !schemas[tb.TargetSchema] {
			schemas[tb.TargetSchema] = true
			prelude = append(prelude, schema.CreateSchema(tb.TargetSchema))
		}
		stmts, notes, err := schema.CreateTable(tb, t.options())
		if err != nil {
			return fmt.Errorf("schema sync of %s: %w", tb, err)
		}
		t.logNotes(notes)
		ddl = append(ddl, sink.TableDDL{Ref: ref(tb), Statements: stmts})
	}
	if len(ddl) == 0 {
		t.Log.Info("schema sync: every table exists already (created by this task)")
		return nil
	}
	if err := t.dst.CreateTables(ctx, t.Task.Name, prelude, ddl); err != nil {
		return err
	}
	t.Log.Info("schema sync done", "tables", len(ddl), "schemas", len(schemas))
	return nil
}

// adoptTables records target tables the user created (no schema phase) so
// the full load can track their chunks.
func (t *task) adoptTables(ctx context.Context) error {
	created, err := t.dst.CreatedTables(ctx, t.Task.Name)
	if err != nil {
		return err
	}
	var refs, missing []sink.TableRef
	var ddl []sink.TableDDL
	for _, tb := range t.tables {
		if !created[ref(tb)] {
			refs = append(refs, ref(tb))
			ddl = append(ddl, sink.TableDDL{Ref: ref(tb), Adopted: true})
		}
	}
	existing, err := t.dst.ExistingTables(ctx, refs)
	if err != nil {
		return err
	}
	have := map[sink.TableRef]bool{}
	for _, e := range existing {
		have[e] = true
	}
	for _, r := range refs {
		if !have[r] {
			missing = append(missing, r)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("the full load needs the target tables, and %s.%s does not exist (and %d more); run with --phases schema,full to create them",
			missing[0].TargetSchema, missing[0].TargetTable, len(missing)-1)
	}
	if len(ddl) == 0 {
		return nil
	}
	return t.dst.CreateTables(ctx, t.Task.Name, nil, ddl)
}

// foundTables are the target tables that exist but this task did not
// create: with --conflict ignore the task adopts them; otherwise the
// precheck has refused to start.
func (t *task) foundTables(ctx context.Context, created map[sink.TableRef]bool) (map[sink.TableRef]bool, error) {
	found := map[sink.TableRef]bool{}
	if t.Task.Conflict != "ignore" && !t.Task.Mapping.Merge {
		return found, nil
	}
	var refs []sink.TableRef
	for _, tb := range t.tables {
		if !created[ref(tb)] {
			refs = append(refs, ref(tb))
		}
	}
	existing, err := t.dst.ExistingTables(ctx, refs)
	for _, e := range existing {
		found[e] = true
	}
	return found, err
}

// loadAdopted reads which tables the task found rather than created.
func (t *task) loadAdopted(ctx context.Context) error {
	var err error
	t.adopted, err = t.dst.AdoptedTables(ctx, t.Task.Name)
	return err
}

// keeps reports whether the full load keeps a target row that has the
// key of a source row, and the binlog apply overwrites it: --conflict
// ignore on a table the task found in the target (not when merging, where
// such a row is another source's: a collision).
func (t *task) keeps(tb *schema.Table) bool {
	return t.Task.Conflict == "ignore" && t.adopted[ref(tb)] && tb.Origin == ""
}

// copyMode is how the full load's rows meet the target table's.
func (t *task) copyMode(tb *schema.Table) sink.CopyMode {
	m := sink.CopyMode{Keep: t.keeps(tb)}
	if tb.Origin != "" {
		tg := sink.TargetOf(tb)
		for _, k := range tg.Key {
			m.Merge = append(m.Merge, tg.Cols[k])
		}
	}
	return m
}

func (t *task) logNotes(notes []schema.Note) {
	for _, n := range notes {
		t.Log.Warn("schema note", "table", n.Table, "column", n.Column, "note", n.Message)
	}
}
