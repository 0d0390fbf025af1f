package verify

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/sync/errgroup"

	"github.com/sluicedb/sluice/internal/change"
)

// sum is a checksum: row count and the sum of the rows' hashes.
type sum struct {
	rows int64
	hash string
}

// sums computes the chunk's checksum on both sides.
func (v *Verifier) sums(ctx context.Context, c *chunk) (my, pg sum, err error) {
	var g errgroup.Group // both servers at once
	g.Go(func() error {
		q, args, err := c.sumQuery(false)
		if err != nil {
			return err
		}
		var n string
		if err := v.src.DB.QueryRowContext(ctx, q, args...).Scan(&n, &my.hash); err != nil {
			return fmt.Errorf("checksum of %s on the source: %w", c.t.src, err)
		}
		my.rows, err = strconv.ParseInt(n, 10, 64)
		return err
	})
	g.Go(func() error {
		q, args, err := c.sumQuery(true)
		if err != nil {
			return err
		}
		var n string
		if err := v.dst.Pool.QueryRow(ctx, q, args...).Scan(&n, &pg.hash); err != nil {
			return fmt.Errorf("checksum of %s on the target: %w", c.t.pgFrom, err)
		}
		pg.rows, err = strconv.ParseInt(n, 10, 64)
		return err
	})
	err = g.Wait()
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
	if keys == nil && c.t.compact != nil {
		return v.compareCompact(ctx, c)
	}
	// Both sides at once. The position is read after the source rows; the
	// target's rows need no order: a difference is only confirmed by a
	// later comparison, after the target has passed the position.
	var my, pg []row
	res := &result{}
	var g errgroup.Group
	g.Go(func() error {
		var err error
		if my, err = v.mysqlRows(ctx, c, keys); err != nil || !v.follow {
			return err
		}
		res.pos, err = v.src.CurrentPosition(ctx)
		return err
	})
	g.Go(func() error {
		var err error
		pg, err = v.pgRows(ctx, c, keys)
		return err
	})
	if err := g.Wait(); err != nil {
		return nil, err
	}
	res.rows = int64(len(my))
	res.diffs = diffRows(c.t, my, pg)
	return res, nil
}

// compareCompact compares a chunk of a keyed table with fetched columns by
// row hash and fetched values first, then in full only the rows that differ.
func (v *Verifier) compareCompact(ctx context.Context, c *chunk) (*result, error) {
	cc := *c
	cc.t = c.t.compact
	res, err := v.compare(ctx, &cc, nil)
	if err != nil || len(res.diffs) == 0 {
		return res, err
	}
	full, err := v.compare(ctx, c, res.keys())
	if err != nil {
		return nil, err
	}
	full.rows = res.rows
	return full, nil
}

// matchKey identifies a row among its chunk's: the key text, or for a
// whole-row table the row text with the fetched columns' values.
func matchKey(tb *table, r row) string {
	if tb.mode != whole || !tb.fetch {
		return r.key
	}
	return r.key + "\x00" + r.text
}

// diffRows matches source and target rows by key (a multiset of whole rows
// when the table has none) and lists what differs.
func diffRows(tb *table, my, pg []row) []rowDiff {
	byKey := make(map[string][]int32, len(pg))
	for i, r := range pg {
		k := matchKey(tb, r)
		byKey[k] = append(byKey[k], int32(i))
	}
	matched := make([]bool, len(pg))
	var out []rowDiff
	for _, s := range my {
		k := matchKey(tb, s)
		ts := byKey[k]
		if len(ts) == 0 {
			out = append(out, rowDiff{Diff{Kind: Missing, Key: display(tb, s)}, s.key})
			continue
		}
		t := pg[ts[0]]
		matched[ts[0]] = true
		byKey[k] = ts[1:]
		if s.text == t.text {
			continue
		}
		sv, tv := s.values(len(tb.cols)), t.values(len(tb.cols))
		var cols []string
		for i, c := range tb.cols {
			if !equal(sv[i], tv[i]) {
				cols = append(cols, c.name)
			}
		}
		out = append(out, rowDiff{Diff{Kind: Changed, Key: display(tb, s), Columns: cols}, s.key})
	}
	for i, r := range pg {
		if !matched[i] {
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
	if tb.hashed {
		return r.key
	}
	parts := make([]string, len(tb.key))
	vals := r.values(len(tb.cols))
	for i, k := range tb.key {
		v := "NULL"
		if vals[k] != nil {
			v = *vals[k]
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
