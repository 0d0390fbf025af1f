package sink

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// TableDDL is the DDL that creates one target table.
type TableDDL struct {
	Ref        TableRef
	Statements []string
	// Adopted marks a table found in the target, not created (no statements).
	Adopted bool
}

// CreateTables runs the schema phase in one transaction: the prelude
// (extensions, schemas), every table's DDL, the table_state rows and the
// task's schema_done mark. PostgreSQL DDL is transactional, so a failure
// leaves nothing half-created.
func (s *Sink) CreateTables(ctx context.Context, task string, prelude []string, tables []TableDDL) error {
	return pgx.BeginFunc(ctx, s.Pool, func(tx pgx.Tx) error {
		for _, q := range prelude {
			if _, err := tx.Exec(ctx, q); err != nil {
				return fmt.Errorf("schema sync: %s: %w", q, err)
			}
		}
		for _, t := range tables {
			for _, q := range t.Statements {
				if _, err := tx.Exec(ctx, q); err != nil {
					return fmt.Errorf("schema sync: creating %s.%s: %w\nstatement: %s", t.Ref.TargetSchema, t.Ref.TargetTable, err, q)
				}
			}
			_, err := tx.Exec(ctx, `INSERT INTO sluice.table_state (task, source_db, source_table, target_schema, target_table, adopted)
				VALUES ($1, $2, $3, $4, $5, $6)`, task, t.Ref.SourceDB, t.Ref.SourceTable, t.Ref.TargetSchema, t.Ref.TargetTable, t.Adopted)
			if err != nil {
				return fmt.Errorf("schema sync: recording %s.%s: %w", t.Ref.SourceDB, t.Ref.SourceTable, err)
			}
		}
		_, err := tx.Exec(ctx, `UPDATE sluice.task SET schema_done_at = now() WHERE name = $1`, task)
		return err
	})
}

// Exec runs statements one by one, outside a transaction (CREATE INDEX
// statements are idempotent and each is worth keeping once built).
func (s *Sink) Exec(ctx context.Context, stmts []string) error {
	for _, q := range stmts {
		if _, err := s.Pool.Exec(ctx, q); err != nil {
			return fmt.Errorf("%w\nstatement: %s", err, q)
		}
	}
	return nil
}

// MarkIndexed records that a table's post-load steps are done.
func (s *Sink) MarkIndexed(ctx context.Context, task string, r TableRef) error {
	_, err := s.Pool.Exec(ctx, `UPDATE sluice.table_state SET indexed_at = now()
		WHERE task = $1 AND source_db = $2 AND source_table = $3`, task, r.SourceDB, r.SourceTable)
	return err
}

// Indexed returns the tables whose post-load steps are done.
func (s *Sink) Indexed(ctx context.Context, task string) (map[TableRef]bool, error) {
	return s.tableStates(ctx, task, "indexed_at IS NOT NULL")
}

// AddForeignKey adds a constraint NOT VALID (an existing one is kept), then
// validates it. A validation that finds orphan rows is not an error here:
// valid is false and the constraint stays NOT VALID (enforced for new rows).
func (s *Sink) AddForeignKey(ctx context.Context, add, validate string) (valid bool, err error) {
	if _, err := s.Pool.Exec(ctx, add); err != nil && !IsCode(err, codeDuplicateObject) {
		return false, fmt.Errorf("%w\nstatement: %s", err, add)
	}
	if _, err := s.Pool.Exec(ctx, validate); err != nil {
		if IsCode(err, codeForeignKeyViolated) {
			return false, nil
		}
		return false, fmt.Errorf("%w\nstatement: %s", err, validate)
	}
	return true, nil
}
