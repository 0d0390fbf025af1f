package verify

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/sluicedb/sluice/internal/change"
	"github.com/sluicedb/sluice/internal/sink"
)

// sum is a checksum: row count and the sum of the rows' hashes.
type sum struct {
	rows int64
	hash string
}

// sums computes the chunk's checksum on both sides.
func (v *Verifier) sums(ctx context.Context, c *chunk) (my, pg sum, err error) {
	q, args, err := c.sumQuery(false)
	if err != nil {
		return my, pg, err
	}
	var n string
	if err := v.src.DB.QueryRowContext(ctx, q, args...).Scan(&n, &my.hash); err != nil {
		return my, pg, fmt.Errorf("checksum of %s on the source: %w", c.t.src, err)
	}
	if my.rows, err = strconv.ParseInt(n, 10, 64); err != nil {
		return my, pg, err
	}
	if q, args, err = c.sumQuery(true); err != nil {
		return my, pg, err
	}
	if err := v.dst.Pool.QueryRow(ctx, q, args...).Scan(&n, &pg.hash); err != nil {
		return my, pg, fmt.Errorf("checksum of %s on the target: %w", c.t.pgFrom, err)
	}
	pg.rows, err = strconv.ParseInt(n, 10, 64)
	return my, pg, err
}

// mysqlBuckets reads every bucket's checksum from the source.
func (v *Verifier) mysqlBuckets(ctx context.Context, tb *table) ([]sum, error) {
	rows, err := v.src.DB.QueryContext(ctx, tb.bucketQuery(false))
	if err != nil {
		return nil, fmt.Errorf("checksums of %s on the source: %w", tb.src, err)
	}
	defer rows.Close()
	return scanBuckets(tb, rows.Next, func(d ...any) error { return rows.Scan(d...) }, rows.Err)
}

// pgBuckets reads every bucket's checksum from the target.
func (v *Verifier) pgBuckets(ctx context.Context, tb *table) ([]sum, error) {
	rows, err := v.dst.Pool.Query(ctx, tb.bucketQuery(true))
	if err != nil {
		return nil, fmt.Errorf("checksums of %s on the target: %w", tb.pgFrom, err)
	}
	defer rows.Close()
	return scanBuckets(tb, rows.Next, rows.Scan, rows.Err)
}

func scanBuckets(tb *table, next func() bool, scan func(...any) error, errf func() error) ([]sum, error) {
	out := make([]sum, tb.buckets)
	for next() {
		var b int
		var n, h string
		if err := scan(&b, &n, &h); err != nil {
			return nil, err
		}
		if err := setBucket(out, b, n, h); err != nil {
			return nil, err
		}
	}
	return out, errf()
}

func setBucket(out []sum, b int, n, h string) error {
	if b < 0 || b >= len(out) {
		return fmt.Errorf("bucket %d out of range", b)
	}
	rows, err := strconv.ParseInt(n, 10, 64)
	out[b] = sum{rows: rows, hash: h}
	return err
}

// row is one side's row: its key text and every column's canonical text.
type row struct {
	key  string
	vals []*string
}

// rowDiff is a difference with the key text that finds the row again.
type rowDiff struct {
	Diff
	keyText string
}

// result is one row comparison of a chunk.
type result struct {
	rows  int64           // source rows compared
	diffs []rowDiff       //
	pos   change.Position // source position read after the source rows
}

// keys are the key texts of the differing rows, each once.
func (r *result) keys() []string {
	var out []string
	for _, d := range r.diffs {
		out = append(out, d.keyText)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// compare reads the chunk's rows (only those with the given key texts when
// keys is not nil) from the source, then the source position, then the
// target's rows, and diffs them.
func (v *Verifier) compare(ctx context.Context, c *chunk, keys []string) (*result, error) {
	if keys != nil && len(keys) == 0 {
		return &result{}, nil
	}
	my, err := v.mysqlRows(ctx, c, keys)
	if err != nil {
		return nil, err
	}
	res := &result{rows: int64(len(my))}
	if v.follow {
		if res.pos, err = v.src.CurrentPosition(ctx); err != nil {
			return nil, err
		}
	}
	pg, err := v.pgRows(ctx, c, keys)
	if err != nil {
		return nil, err
	}
	res.diffs = diffRows(c.t, my, pg)
	return res, nil
}

// mysqlRows reads rows through a prepared statement: the binary protocol,
// so FLOAT and DOUBLE arrive as their IEEE values.
func (v *Verifier) mysqlRows(ctx context.Context, c *chunk, keys []string) ([]row, error) {
	q, args, err := c.rowsQuery(false, keys)
	if err != nil {
		return nil, err
	}
	stmt, err := v.src.DB.PrepareContext(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("reading %s on the source: %w", c.t.src, err)
	}
	defer stmt.Close()
	rs, err := stmt.QueryContext(ctx, args...)
	if err != nil {
		return nil, fmt.Errorf("reading %s on the source: %w", c.t.src, err)
	}
	defer rs.Close()
	return scanRows(c.t, rs.Next, rs.Scan, rs.Err)
}

// pgRows reads rows in a read-only transaction.
func (v *Verifier) pgRows(ctx context.Context, c *chunk, keys []string) ([]row, error) {
	q, args, err := c.rowsQuery(true, keys)
	if err != nil {
		return nil, err
	}
	var out []row
	err = pgx.BeginTxFunc(ctx, v.dst.Pool, pgx.TxOptions{AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		rs, err := tx.Query(ctx, q, args...)
		if err != nil {
			return err
		}
		defer rs.Close()
		out, err = scanRows(c.t, rs.Next, rs.Scan, rs.Err)
		return err
	})
	if err != nil {
		if sink.IsCode(err, "42P01") {
			return nil, fmt.Errorf("target table %s does not exist", c.t.pgFrom)
		}
		return nil, fmt.Errorf("reading %s on the target: %w", c.t.pgFrom, err)
	}
	return out, nil
}

func scanRows(tb *table, next func() bool, scan func(...any) error, errf func() error) ([]row, error) {
	n := len(tb.cols) + 1
	vals, dest := make([]any, n), make([]any, n)
	for i := range vals {
		dest[i] = &vals[i]
	}
	var out []row
	for next() {
		if err := scan(dest...); err != nil {
			return nil, err
		}
		r := row{vals: make([]*string, len(tb.cols))}
		k, err := text(vals[0])
		if err != nil || k == nil {
			return nil, fmt.Errorf("key text of %s: %v", tb.src, err)
		}
		r.key = *k
		for i, c := range tb.cols {
			if c.fetch {
				r.vals[i], err = canonical(c.kind, vals[i+1])
			} else {
				r.vals[i], err = text(vals[i+1])
			}
			if err != nil {
				return nil, fmt.Errorf("%s column %s: %w", tb.src, c.name, err)
			}
		}
		out = append(out, r)
	}
	return out, errf()
}

// text is a rendered value: the servers send text, or, for MySQL
// expressions on integer columns, an integer.
func text(v any) (*string, error) {
	var s string
	switch x := v.(type) {
	case nil:
		return nil, nil
	case []byte:
		s = string(x)
	case string:
		s = x
	case int64:
		s = strconv.FormatInt(x, 10)
	case uint64:
		s = strconv.FormatUint(x, 10)
	default:
		return nil, fmt.Errorf("unexpected %T value", v)
	}
	return &s, nil
}

// matchKey identifies a row among its chunk's: the key text, or for a
// whole-row table the row text with the fetched columns' values.
func matchKey(tb *table, r row) string {
	if tb.mode != whole || !tb.fetch {
		return r.key
	}
	var b strings.Builder
	b.WriteString(r.key)
	for i, c := range tb.cols {
		if c.fetch {
			b.WriteByte(0)
			if r.vals[i] == nil {
				b.WriteString("N")
			} else {
				b.WriteString(strconv.Quote(*r.vals[i]))
			}
		}
	}
	return b.String()
}

// diffRows matches source and target rows by key (a multiset of whole rows
// when the table has none) and lists what differs.
func diffRows(tb *table, my, pg []row) []rowDiff {
	byKey := map[string][]row{}
	for _, r := range pg {
		k := matchKey(tb, r)
		byKey[k] = append(byKey[k], r)
	}
	var out []rowDiff
	for _, s := range my {
		k := matchKey(tb, s)
		ts := byKey[k]
		if len(ts) == 0 {
			out = append(out, rowDiff{Diff{Kind: Missing, Key: display(tb, s)}, s.key})
			continue
		}
		t := ts[0]
		byKey[k] = ts[1:]
		var cols []string
		for i, c := range tb.cols {
			if !equal(s.vals[i], t.vals[i]) {
				cols = append(cols, c.name)
			}
		}
		if len(cols) > 0 {
			out = append(out, rowDiff{Diff{Kind: Changed, Key: display(tb, s), Columns: cols}, s.key})
		}
	}
	for _, r := range pg {
		k := matchKey(tb, r)
		if ts := byKey[k]; len(ts) > 0 {
			byKey[k] = ts[1:]
			out = append(out, rowDiff{Diff{Kind: Extra, Key: display(tb, r)}, r.key})
		}
	}
	return out
}

func equal(a, b *string) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

// display names a row for the report: key=value pairs.
func display(tb *table, r row) string {
	parts := make([]string, len(tb.key))
	for i, k := range tb.key {
		v := "NULL"
		if r.vals[k] != nil {
			v = *r.vals[k]
			if tb.cols[k].prefix {
				v = strconv.Quote(v)
			}
		}
		if len(v) > 80 {
			v = v[:77] + "…"
		}
		parts[i] = tb.cols[k].name + "=" + v
	}
	return strings.Join(parts, ", ")
}
