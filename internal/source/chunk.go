package source

import (
	"context"
	"database/sql"
	"fmt"
	"math/big"
	"strings"

	"github.com/sluicedb/sluice/internal/schema"
)

// Chunk is one key range of a table: Lo < key <= Hi, compared by MySQL in
// key order. A nil Lo is unbounded below, a nil Hi unbounded above, so the
// chunks of a plan tile the whole key space whatever rows arrive later.
type Chunk struct {
	Seq int
	Lo  []any
	Hi  []any
}

// PlanChunks splits a table into key ranges of about target rows each.
// A table without a usable key, or with fewer rows than 1.5 × target, is one
// chunk. Boundaries are computed and compared only by MySQL (its collation,
// its ORDER BY), so string and composite keys are split without gaps.
func (s *Source) PlanChunks(ctx context.Context, t *schema.Table, target int64) ([]Chunk, error) {
	key := t.Key()
	if key == nil || t.Rows < target+target/2 {
		return []Chunk{{Seq: 0}}, nil
	}
	n := (t.Rows + target - 1) / target
	var bounds [][]any
	var err error
	if len(key.Columns) == 1 && t.Column(key.Columns[0].Name).Kind == schema.KindInt {
		bounds, err = s.integerBounds(ctx, t, key.Columns[0].Name, n)
	} else {
		bounds, err = s.walkBounds(ctx, t, key, target)
	}
	if err != nil {
		return nil, fmt.Errorf("planning chunks of %s: %w", t, err)
	}
	chunks := make([]Chunk, 0, len(bounds)+1)
	var lo []any
	for _, b := range bounds {
		chunks = append(chunks, Chunk{Seq: len(chunks), Lo: lo, Hi: b})
		lo = b
	}
	return append(chunks, Chunk{Seq: len(chunks), Lo: lo}), nil
}

// integerBounds splits [min, max] of a single integer key evenly.
func (s *Source) integerBounds(ctx context.Context, t *schema.Table, col string, n int64) ([][]any, error) {
	var lo, hi sql.NullString
	q := fmt.Sprintf("SELECT MIN(%s), MAX(%s) FROM %s", quote(col), quote(col), qualified(t))
	if err := s.DB.QueryRowContext(ctx, q).Scan(&lo, &hi); err != nil {
		return nil, err
	}
	if !lo.Valid {
		return nil, nil // empty table: one unbounded chunk
	}
	min, ok1 := new(big.Int).SetString(lo.String, 10)
	max, ok2 := new(big.Int).SetString(hi.String, 10)
	if !ok1 || !ok2 {
		return nil, fmt.Errorf("key range %q..%q is not integer", lo.String, hi.String)
	}
	span := new(big.Int).Sub(max, min)
	step := new(big.Int).Div(span, big.NewInt(n))
	if step.Sign() == 0 {
		return nil, nil
	}
	var bounds [][]any
	b := new(big.Int).Set(min)
	for i := int64(1); i < n; i++ {
		b.Add(b, step)
		if b.IsInt64() {
			bounds = append(bounds, []any{b.Int64()})
		} else {
			bounds = append(bounds, []any{b.Uint64()})
		}
	}
	return bounds, nil
}

// walkBounds finds every target-th key in key order with index seeks.
func (s *Source) walkBounds(ctx context.Context, t *schema.Table, key *schema.Index, target int64) ([][]any, error) {
	cols := keyNames(key)
	var bounds [][]any
	var prev []any
	for {
		where, args := "", []any{}
		if prev != nil {
			where, args = afterKey(cols, prev)
			where = " WHERE " + where
		}
		q := fmt.Sprintf("SELECT %s FROM %s%s ORDER BY %s LIMIT 1 OFFSET %d",
			quoteList(cols), qualified(t), where, quoteList(cols), target-1)
		stmt, err := s.DB.PrepareContext(ctx, q) // prepared: binary protocol, typed key values
		if err != nil {
			return nil, err
		}
		row := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range row {
			ptrs[i] = &row[i]
		}
		err = stmt.QueryRowContext(ctx, args...).Scan(ptrs...)
		stmt.Close()
		if err == sql.ErrNoRows {
			return bounds, nil
		}
		if err != nil {
			return nil, err
		}
		bounds = append(bounds, row)
		prev = row
	}
}

func keyNames(key *schema.Index) []string {
	cols := make([]string, len(key.Columns))
	for i, c := range key.Columns {
		cols[i] = c.Name
	}
	return cols
}

// quote renders a MySQL identifier.
func quote(name string) string { return schema.MySQL.Quote(name) }

func qualified(t *schema.Table) string { return quote(t.Database) + "." + quote(t.Name) }

func quoteList(cols []string) string {
	q := make([]string, len(cols))
	for i, c := range cols {
		q[i] = quote(c)
	}
	return strings.Join(q, ", ")
}

// afterKey renders key > vals lexicographically (see schema.Dialect.KeyAfter).
func afterKey(cols []string, vals []any) (string, []any) { return schema.MySQL.KeyAfter(cols, vals, 1) }

// SelectChunk renders the SELECT of one chunk: an explicit column list in
// table order (invisible and generated columns included; never SELECT *),
// and the key range. Pure, so it is pinned by tests.
func SelectChunk(t *schema.Table, c Chunk) (string, []any) {
	cols := make([]string, len(t.Columns))
	for i := range t.Columns {
		cols[i] = t.Columns[i].Name
	}
	q := "SELECT " + quoteList(cols) + " FROM " + qualified(t)
	key := t.Key()
	var conds []string
	var args []any
	if key != nil && (c.Lo != nil || c.Hi != nil) {
		var w string
		w, args = schema.MySQL.KeyRange(keyNames(key), c.Lo, c.Hi, 1)
		conds = append(conds, w)
	}
	if t.Filter != "" {
		// Through the primary key: MariaDB's range optimizer can answer a
		// LIKE on a secondary index wrongly (utf8mb4 supplementary
		// characters, characters below the space), and the binlog path
		// must keep exactly the rows this keeps.
		if key != nil && key.Primary {
			q += " FORCE INDEX (PRIMARY)"
		}
		conds = append(conds, "("+t.Filter+")")
	}
	if len(conds) == 0 {
		return q, nil
	}
	return q + " WHERE " + strings.Join(conds, " AND "), args
}

// Rows is an open chunk read.
type Rows struct {
	*sql.Rows
	stmt *sql.Stmt
}

// Close ends the read and releases its prepared statement.
func (r *Rows) Close() error {
	err := r.Rows.Close()
	if e := r.stmt.Close(); err == nil {
		err = e
	}
	return err
}

// ReadChunk streams the rows of one chunk on a snapshot reader through a
// prepared statement, so values come in the binary protocol (FLOAT and
// DOUBLE exact, integers typed). The caller closes the rows.
func ReadChunk(ctx context.Context, reader *sql.Conn, t *schema.Table, c Chunk) (*Rows, error) {
	q, args := SelectChunk(t, c)
	stmt, err := reader.PrepareContext(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("preparing the read of %s chunk %d: %w", t, c.Seq, err)
	}
	rows, err := stmt.QueryContext(ctx, args...)
	if err != nil {
		stmt.Close()
		return nil, fmt.Errorf("reading %s chunk %d: %w", t, c.Seq, err)
	}
	return &Rows{Rows: rows, stmt: stmt}, nil
}
