package sink

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/sluicedb/sluice/internal/schema"
)

// CollisionError is a key that two sources merged into one target table
// both hold (the task file's merge).
type CollisionError struct {
	Table  string // the target table
	Key    string // the key, as the source has it
	Origin string // the source of the change or chunk
	Other  string // the source that holds the key in the target ("" unknown)
}

func (e *CollisionError) Error() string {
	other := e.Other
	if other == "" {
		other = "another source"
	}
	return fmt.Sprintf("key collision in %s: key %s comes from %s and from %s; merged sources must not share keys: "+
		"add the source to the target's key (tables: db.table: add_columns: {shard: $database}, key: [<key columns>, shard]), "+
		"or map the sources to different tables (docs/task-file.md, merge)", e.Table, e.Key, e.Origin, other)
}

// QueueCollision adds the upsert of a merged table's row, which must
// affect one row whether or not the apply is idempotent: none means the
// key belongs to another origin. lookup names that origin afterwards.
func (a *Applier) QueueCollision(sql string, args []any, table, key, origin string, lookup func(context.Context, Querier) string) {
	a.batch.Queue(sql, args...)
	a.checks = append(a.checks, check{op: opCollision, table: table, key: key, origin: origin, lookup: lookup})
}

const opCollision = "collision"

// Querier runs a query: the pool, or the apply's open transaction (which
// sees its own uncommitted rows).
type Querier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// OriginOf returns the origin of the target row with the given key values
// ("" when it cannot tell).
func OriginOf(ctx context.Context, q Querier, table string, keyCols []string, key []any) string {
	conds := make([]string, len(keyCols))
	for i, c := range keyCols {
		conds[i] = fmt.Sprintf("%s = $%d", schema.Ident(c), i+1)
	}
	var o *string
	err := q.QueryRow(ctx, "SELECT "+schema.Ident(schema.OriginColumn)+" FROM "+table+" WHERE "+strings.Join(conds, " AND "), key...).Scan(&o)
	if err != nil || o == nil {
		return ""
	}
	return *o
}

// copyMerging copies a chunk of a merged table through a temporary table,
// then inserts it; a row whose key the target holds from another origin is
// a collision.
func copyMerging(ctx context.Context, tx pgx.Tx, ref TableRef, cols []string, src pgx.CopyFromSource, keyCols []string) (int64, error) {
	table := schema.QualifiedName(ref.TargetSchema, ref.TargetTable)
	tag, copied, err := copyThroughTemp(ctx, tx, ref, cols, src)
	if err != nil || tag.RowsAffected() == copied {
		return tag.RowsAffected(), err
	}
	on, key := make([]string, len(keyCols)), make([]string, len(keyCols))
	for i, c := range keyCols {
		on[i] = "t." + schema.Ident(c) + " = c." + schema.Ident(c)
		key[i] = "c." + schema.Ident(c) + "::text"
	}
	o := schema.Ident(schema.OriginColumn)
	var k, mine, other string
	err = tx.QueryRow(ctx, `SELECT concat_ws(', ', `+strings.Join(key, ", ")+`), c.`+o+`, t.`+o+` FROM sluice_chunk c JOIN `+table+
		` t ON `+strings.Join(on, " AND ")+` WHERE t.`+o+` IS DISTINCT FROM c.`+o+` LIMIT 1`).Scan(&k, &mine, &other)
	if err == pgx.ErrNoRows { // same-origin rows only: already there
		return tag.RowsAffected(), nil
	}
	if err != nil {
		return 0, err
	}
	return 0, &CollisionError{Table: table, Key: "(" + strings.Join(keyCols, ", ") + ")=(" + k + ")", Origin: mine, Other: other}
}
