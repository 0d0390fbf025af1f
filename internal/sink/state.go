package sink

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/sluicedb/sluice/internal/change"
)

// StateSchema is the schema that holds sluice's own state in the target.
const StateSchema = "sluice"

// stateDDL creates the state tables. Idempotent.
var stateDDL = []string{
	`CREATE SCHEMA IF NOT EXISTS sluice`,
	`CREATE TABLE IF NOT EXISTS sluice.task (
		name text PRIMARY KEY,
		source text NOT NULL,
		created_at timestamptz NOT NULL DEFAULT now(),
		schema_done_at timestamptz,
		flavor text,
		snapshot_file text,
		snapshot_offset bigint,
		snapshot_gtid text,
		snapshot_consistent boolean,
		full_done_at timestamptz,
		load_end_file text,
		load_end_offset bigint,
		load_end_gtid text,
		cdc_file text,
		cdc_offset bigint,
		cdc_gtid text,
		cdc_source_time timestamptz,
		cdc_updated_at timestamptz
	)`,
	`CREATE TABLE IF NOT EXISTS sluice.table_state (
		task text NOT NULL REFERENCES sluice.task (name) ON DELETE CASCADE,
		source_db text NOT NULL,
		source_table text NOT NULL,
		target_schema text NOT NULL,
		target_table text NOT NULL,
		created_at timestamptz NOT NULL DEFAULT now(),
		indexed_at timestamptz,
		PRIMARY KEY (task, source_db, source_table)
	)`,
	`CREATE TABLE IF NOT EXISTS sluice.chunk (
		task text NOT NULL,
		source_db text NOT NULL,
		source_table text NOT NULL,
		seq integer NOT NULL,
		lo text NOT NULL,
		hi text NOT NULL,
		rows bigint,
		bytes bigint,
		done_at timestamptz,
		-- the consistent snapshot the chunk was read from (NULL: not consistent)
		pos_file text,
		pos_offset bigint,
		pos_gtid text,
		PRIMARY KEY (task, source_db, source_table, seq),
		FOREIGN KEY (task, source_db, source_table) REFERENCES sluice.table_state ON DELETE CASCADE
	)`,
	// Tables the task found in the target and did not create (--conflict
	// ignore, or no schema phase): sluice adds no indexes or keys to them.
	`ALTER TABLE sluice.table_state ADD COLUMN IF NOT EXISTS adopted boolean NOT NULL DEFAULT false`,
}

// Task is the stored state of one task.
type Task struct {
	Name               string
	SchemaDone         bool
	Snapshot           change.Position // zero until the full load planned its chunks
	SnapshotConsistent bool
	FullDone           bool
	LoadEnd            change.Position
	// Checkpoint is where the incremental phase resumes; zero before it ran.
	Checkpoint change.Position
}

// TableRef names a source table and its target.
type TableRef struct {
	SourceDB, SourceTable, TargetSchema, TargetTable string
}

// EnsureTask creates the state schema and the task's row if missing, and
// returns the task's state. source names the source (no password).
func (s *Sink) EnsureTask(ctx context.Context, name, source string) (*Task, error) {
	err := pgx.BeginFunc(ctx, s.Pool, func(tx pgx.Tx) error {
		// One creator at a time when several tasks share the target.
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('sluice.state'))`); err != nil {
			return err
		}
		for _, q := range stateDDL {
			if _, err := tx.Exec(ctx, q); err != nil {
				return err
			}
		}
		_, err := tx.Exec(ctx, `INSERT INTO sluice.task (name, source) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`, name, source)
		return err
	})
	if err != nil {
		if IsCode(err, codeInsufficientPriv) {
			return nil, fmt.Errorf("creating sluice's state schema %q in the target: %w; grant CREATE on the database (GRANT CREATE ON DATABASE … TO …)", StateSchema, err)
		}
		return nil, fmt.Errorf("creating sluice's state schema in the target: %w", err)
	}
	return s.LoadTask(ctx, name)
}

// LoadTask reads the task's state; nil when the task does not exist.
func (s *Sink) LoadTask(ctx context.Context, name string) (*Task, error) {
	t := &Task{Name: name}
	var schemaDone, fullDone *time.Time
	var sf, sg, ef, eg, cf, cg, flavor *string
	var so, eo, co *int64
	var consistent *bool
	err := s.Pool.QueryRow(ctx, `SELECT schema_done_at, flavor, snapshot_file, snapshot_offset, snapshot_gtid,
		snapshot_consistent, full_done_at, load_end_file, load_end_offset, load_end_gtid,
		cdc_file, cdc_offset, cdc_gtid
		FROM sluice.task WHERE name = $1`, name).
		Scan(&schemaDone, &flavor, &sf, &so, &sg, &consistent, &fullDone, &ef, &eo, &eg, &cf, &co, &cg)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading the state of task %s: %w", name, err)
	}
	t.SchemaDone, t.FullDone = schemaDone != nil, fullDone != nil
	t.Snapshot = storedPosition(flavor, sf, so, sg)
	if consistent != nil {
		t.SnapshotConsistent = *consistent
	}
	t.LoadEnd = storedPosition(flavor, ef, eo, eg)
	t.Checkpoint = storedPosition(flavor, cf, co, cg)
	return t, nil
}

// storedPosition makes a position of nullable state columns (zero when
// the file is NULL).
func storedPosition(flavor, file *string, offset *int64, gtid *string) change.Position {
	if file == nil {
		return change.Position{}
	}
	return change.Position{Flavor: deref(flavor), File: *file, Offset: uint64(deref(offset)), GTID: deref(gtid)}
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// CreatedTables lists the source tables whose target tables this task
// created (or adopted).
func (s *Sink) CreatedTables(ctx context.Context, task string) (map[TableRef]bool, error) {
	return s.tableStates(ctx, task, "true")
}

// tableStates lists the task's tables whose table_state row satisfies cond
// (SQL over its columns).
func (s *Sink) tableStates(ctx context.Context, task, cond string) (map[TableRef]bool, error) {
	rows, err := s.Pool.Query(ctx, `SELECT source_db, source_table, target_schema, target_table
		FROM sluice.table_state WHERE task = $1 AND `+cond, task)
	if err != nil {
		return nil, fmt.Errorf("reading the tables of task %s: %w", task, err)
	}
	defer rows.Close()
	out := map[TableRef]bool{}
	for rows.Next() {
		var r TableRef
		if err := rows.Scan(&r.SourceDB, &r.SourceTable, &r.TargetSchema, &r.TargetTable); err != nil {
			return nil, err
		}
		out[r] = true
	}
	return out, rows.Err()
}

// TableColumns returns the column names of a target table.
func (s *Sink) TableColumns(ctx context.Context, schema, table string) (map[string]bool, error) {
	rows, err := s.Pool.Query(ctx, `SELECT attname::text FROM pg_attribute
		WHERE attrelid = to_regclass(quote_ident($1) || '.' || quote_ident($2)) AND attnum > 0 AND NOT attisdropped`, schema, table)
	if err != nil {
		return nil, fmt.Errorf("reading the columns of %s.%s: %w", schema, table, err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, err
		}
		out[c] = true
	}
	return out, rows.Err()
}

// AdoptedTables lists the tables this task found in the target rather
// than created.
func (s *Sink) AdoptedTables(ctx context.Context, task string) (map[TableRef]bool, error) {
	return s.tableStates(ctx, task, "adopted")
}

// ExistingTables returns which of the given relations (TargetSchema.TargetTable)
// already exist in the target, in one query.
func (s *Sink) ExistingTables(ctx context.Context, refs []TableRef) ([]TableRef, error) {
	schemas := make([]string, len(refs))
	names := make([]string, len(refs))
	for i, r := range refs {
		schemas[i], names[i] = r.TargetSchema, r.TargetTable
	}
	rows, err := s.Pool.Query(ctx, `SELECT x.i FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS x(s, t, i)
		WHERE EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
			WHERE n.nspname = x.s AND c.relname = x.t) ORDER BY x.i`, schemas, names)
	if err != nil {
		return nil, fmt.Errorf("looking for existing target tables: %w", err)
	}
	defer rows.Close()
	var out []TableRef
	for rows.Next() {
		var i int64
		if err := rows.Scan(&i); err != nil {
			return nil, err
		}
		out = append(out, refs[i-1])
	}
	return out, rows.Err()
}

// SaveSnapshot records the snapshot position and the chunk plan in one
// transaction. Chunks are (table, seq, lo, hi) with encoded boundaries.
func (s *Sink) SaveSnapshot(ctx context.Context, task string, pos change.Position, consistent bool, chunks []ChunkPlan) error {
	return pgx.BeginFunc(ctx, s.Pool, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE sluice.task SET flavor = $2, snapshot_file = $3, snapshot_offset = $4,
			snapshot_gtid = $5, snapshot_consistent = $6 WHERE name = $1`,
			task, pos.Flavor, pos.File, int64(pos.Offset), pos.GTID, consistent)
		if err != nil {
			return fmt.Errorf("saving the snapshot position: %w", err)
		}
		rows := make([][]any, len(chunks))
		for i, c := range chunks {
			rows[i] = []any{task, c.Table.SourceDB, c.Table.SourceTable, int32(c.Seq), c.Lo, c.Hi}
		}
		_, err = tx.CopyFrom(ctx, pgx.Identifier{StateSchema, "chunk"},
			[]string{"task", "source_db", "source_table", "seq", "lo", "hi"}, pgx.CopyFromRows(rows))
		if err != nil {
			return fmt.Errorf("saving the chunk plan: %w", err)
		}
		return nil
	})
}

// ChunkPlan is one planned chunk with its boundaries encoded as text.
type ChunkPlan struct {
	Table  TableRef
	Seq    int
	Lo, Hi string
	Done   bool
	Rows   int64
	Bytes  int64
}

// Chunks returns the task's chunk plan with what is done.
func (s *Sink) Chunks(ctx context.Context, task string) ([]ChunkPlan, error) {
	rows, err := s.Pool.Query(ctx, `SELECT c.source_db, c.source_table, t.target_schema, t.target_table, c.seq, c.lo, c.hi,
		c.done_at IS NOT NULL, COALESCE(c.rows, 0), COALESCE(c.bytes, 0)
		FROM sluice.chunk c JOIN sluice.table_state t USING (task, source_db, source_table)
		WHERE c.task = $1 ORDER BY 1, 2, 5`, task)
	if err != nil {
		return nil, fmt.Errorf("reading the chunk plan of task %s: %w", task, err)
	}
	defer rows.Close()
	var out []ChunkPlan
	for rows.Next() {
		var c ChunkPlan
		var seq int32
		if err := rows.Scan(&c.Table.SourceDB, &c.Table.SourceTable, &c.Table.TargetSchema, &c.Table.TargetTable,
			&seq, &c.Lo, &c.Hi, &c.Done, &c.Rows, &c.Bytes); err != nil {
			return nil, err
		}
		c.Seq = int(seq)
		out = append(out, c)
	}
	return out, rows.Err()
}

// TablePositions returns, for each table whose chunks were all read from
// one consistent snapshot, that snapshot's position: the table's copy holds
// exactly the source transactions before it.
func (s *Sink) TablePositions(ctx context.Context, task string) (map[TableRef]change.Position, error) {
	rows, err := s.Pool.Query(ctx, `SELECT c.source_db, c.source_table, ts.target_schema, ts.target_table,
		min(c.pos_file), min(c.pos_offset), min(c.pos_gtid), min(t.flavor)
		FROM sluice.chunk c JOIN sluice.task t ON t.name = c.task
		JOIN sluice.table_state ts USING (task, source_db, source_table)
		WHERE c.task = $1 GROUP BY 1, 2, 3, 4
		HAVING bool_and(c.pos_file IS NOT NULL) AND count(DISTINCT (c.pos_file, c.pos_offset, c.pos_gtid)) = 1`, task)
	if err != nil {
		return nil, fmt.Errorf("reading the snapshot positions of task %s: %w", task, err)
	}
	defer rows.Close()
	out := map[TableRef]change.Position{}
	for rows.Next() {
		var r TableRef
		var p change.Position
		var off int64
		var flavor *string
		if err := rows.Scan(&r.SourceDB, &r.SourceTable, &r.TargetSchema, &r.TargetTable, &p.File, &off, &p.GTID, &flavor); err != nil {
			return nil, err
		}
		p.Offset, p.Flavor = uint64(off), deref(flavor)
		out[r] = p
	}
	return out, rows.Err()
}

// MarkFullDone records the end of the full load and the binlog position the
// incremental phase must pass before it applies strictly.
func (s *Sink) MarkFullDone(ctx context.Context, task string, end change.Position) error {
	_, err := s.Pool.Exec(ctx, `UPDATE sluice.task SET full_done_at = now(), load_end_file = $2,
		load_end_offset = $3, load_end_gtid = $4 WHERE name = $1`, task, end.File, int64(end.Offset), end.GTID)
	if err != nil {
		return fmt.Errorf("recording the end of the full load: %w", err)
	}
	return nil
}
