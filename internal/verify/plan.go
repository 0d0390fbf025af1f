package verify

import (
	"strconv"
	"strings"

	"github.com/sluicedb/sluice/internal/schema"
	"github.com/sluicedb/sluice/internal/value"
)

// mode is how a table is cut into chunks.
type mode int

const (
	// byRange: key ranges planned on the source; the key's order is the
	// same on both servers (integers, decimals, dates and times, bytes).
	byRange mode = iota
	// byHash: buckets of the hash of the key text, for keys whose order
	// differs between the servers (collated text, ENUM, UUID, BIT): one scan
	// per side computes every bucket's checksum.
	byHash
	// whole: one chunk matched as a multiset of whole rows (no usable key,
	// or a FLOAT/DOUBLE/JSON key).
	whole
)

// table is one table's comparison plan.
type table struct {
	src      *schema.Table
	cols     []column
	key      []int    // positions of the key columns in the source table (whole: every column)
	keyc     []column // the key's columns
	keyNames []string
	mode     mode
	buckets  int
	// fetch is set when a column is compared in Go: chunks are then compared
	// row by row, without the in-database checksum.
	fetch          bool
	conv           []*value.Converter // key bounds → PostgreSQL values (byRange)
	myFrom, pgFrom string
	// compact is the same table read as key text, one hash of the columns
	// rendered in the database and the fetched columns: what a keyed table
	// with fetched columns first sends of each row.
	compact *table
	// hashed marks a compact plan: its rows hold no key values to display.
	hashed bool
	// pgOnly restricts the target side to this source's rows (a merged
	// table: its origin column), "" none.
	pgOnly string
}

// orderSafe reports whether MySQL and PostgreSQL order values of kind k the
// same way, so a key range selects the same rows on both.
func orderSafe(k schema.Kind) bool {
	switch k {
	case schema.KindInt, schema.KindDecimal, schema.KindDate, schema.KindDatetime, schema.KindTimestamp,
		schema.KindTime, schema.KindYear, schema.KindBinary:
		return true
	}
	return false
}

func newTable(t *schema.Table, p value.Policy, postgis bool, chunkRows int64) (*table, error) {
	tb := &table{src: t, cols: columns(t, p, postgis), mode: byRange,
		myFrom: schema.MySQL.Quote(t.Database) + "." + schema.MySQL.Quote(t.Name),
		pgFrom: schema.QualifiedName(t.TargetSchema, t.TargetName)}
	if t.Origin != "" {
		tb.pgOnly = schema.Ident(schema.OriginColumn) + " = " + schema.Literal(t.Origin)
	}
	for _, c := range tb.cols {
		tb.fetch = tb.fetch || c.fetch
	}
	if k := t.Key(); k != nil {
		for _, kc := range k.Columns {
			i := t.ColumnIndex(kc.Name)
			tb.key, tb.keyNames = append(tb.key, i), append(tb.keyNames, kc.Name)
			switch {
			case tb.cols[i].fetch:
				tb.mode = whole
			case !orderSafe(tb.cols[i].kind) && tb.mode == byRange:
				tb.mode = byHash
			}
		}
	} else {
		tb.mode = whole
	}
	switch tb.mode {
	case whole:
		tb.key, tb.keyNames = nil, nil
		for i := range tb.cols {
			tb.key = append(tb.key, i)
		}
	case byHash:
		tb.buckets = int(max(1, min(t.Rows/max(chunkRows, 1)+1, 1<<16)))
	case byRange:
		for _, i := range tb.key {
			conv, err := value.New(&t.Columns[i], p)
			if err != nil {
				return nil, err
			}
			tb.conv = append(tb.conv, conv)
		}
	}
	for _, k := range tb.key {
		tb.keyc = append(tb.keyc, tb.cols[k])
	}
	if tb.fetch && tb.mode != whole {
		c := *tb
		hash := "(" + rowText(tb.cols, false) + ")"
		c.cols = []column{{name: "(row hash)", kind: schema.KindText,
			my: "SUBSTRING(MD5" + hash + ", 1, 16)", pg: "substr(md5(" + rowText(tb.cols, true) + "), 1, 16)"}}
		for _, col := range tb.cols {
			if col.fetch {
				c.cols = append(c.cols, col)
			}
		}
		c.fetch, c.hashed = false, true
		tb.compact = &c
	}
	return tb, nil
}

// keyCols are the key's columns.
func (tb *table) keyCols() []column { return tb.keyc }

// chunk is one part of a table: a key range (lo < key <= hi, nil bounds
// open) or a hash bucket.
type chunk struct {
	t      *table
	seq    int
	lo, hi []any // MySQL values
	bucket int   // byHash
}

// where renders the chunk's condition on one side, with parameters from
// first; keys, when given, narrows it to rows whose key text is one of them.
func (c *chunk) where(pg bool, keys []string) (string, []any, error) {
	var conds []string
	var args []any
	switch c.t.mode {
	case byRange:
		if pg {
			lo, err := c.t.pgValues(c.lo)
			if err != nil {
				return "", nil, err
			}
			hi, err := c.t.pgValues(c.hi)
			if err != nil {
				return "", nil, err
			}
			targets := make([]string, len(c.t.key))
			for i, k := range c.t.key {
				targets[i] = c.t.src.Columns[k].TargetName
			}
			w, a := schema.PostgreSQL.KeyRange(targets, lo, hi, 1)
			conds, args = appendCond(conds, w), a
		} else {
			w, a := schema.MySQL.KeyRange(c.t.keyNames, c.lo, c.hi, 1)
			conds, args = appendCond(conds, w), a
		}
	case byHash:
		conds = append(conds, bucketExpr(c.t.keyCols(), c.t.buckets, pg)+" = "+strconv.Itoa(c.bucket))
	}
	if keys != nil {
		ph := make([]string, len(keys))
		for i, k := range keys {
			args = append(args, k)
			ph[i] = "?"
			if pg {
				ph[i] = "$" + strconv.Itoa(len(args))
			}
		}
		conds = append(conds, rowText(c.t.keyCols(), pg)+" IN ("+strings.Join(ph, ", ")+")")
	}
	if pg && c.t.pgOnly != "" {
		conds = append(conds, c.t.pgOnly)
	}
	if !pg && c.t.src.Filter != "" { // the task file's row filter: the source rows the target holds
		conds = append(conds, "("+c.t.src.Filter+")")
	}
	if len(conds) == 0 {
		return "", args, nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args, nil
}

func appendCond(conds []string, w string) []string {
	if w == "" {
		return conds
	}
	return append(conds, w)
}

// pgValues converts key bound values as the full load converts them.
func (tb *table) pgValues(vals []any) ([]any, error) {
	if vals == nil {
		return nil, nil
	}
	out := make([]any, len(vals))
	for i, v := range vals {
		pv, _, err := tb.conv[i].Snapshot(v)
		if err != nil {
			return nil, err
		}
		out[i] = pv
	}
	return out, nil
}

// sumQuery is the checksum of a chunk.
func (c *chunk) sumQuery(pg bool) (string, []any, error) {
	w, args, err := c.where(pg, nil)
	from := c.t.myFrom
	if pg {
		from = c.t.pgFrom
	}
	return "SELECT " + sumExpr(c.t.cols, pg) + " FROM " + from + w, args, err
}

// bucketQuery is every bucket's checksum in one scan (byHash).
func (tb *table) bucketQuery(pg bool) string {
	from := tb.myFrom
	if pg {
		from = tb.pgFrom
	}
	b := bucketExpr(tb.keyCols(), tb.buckets, pg)
	where := ""
	if pg && tb.pgOnly != "" {
		where = " WHERE " + tb.pgOnly
	}
	if !pg && tb.src.Filter != "" {
		where = " WHERE (" + tb.src.Filter + ")"
	}
	return "SELECT " + b + ", " + sumExpr(tb.cols, pg) + " FROM " + from + where + " GROUP BY 1"
}

// rowsQuery reads the chunk's rows (or those with the given key texts):
// the key text, then every column rendered (or raw, for fetched kinds).
func (c *chunk) rowsQuery(pg bool, keys []string) (string, []any, error) {
	w, args, err := c.where(pg, keys)
	from := c.t.myFrom
	exprs := []string{rowText(c.t.keyCols(), pg)}
	for _, col := range c.t.cols {
		if pg {
			exprs = append(exprs, col.pg)
		} else {
			exprs = append(exprs, col.my)
		}
	}
	if pg {
		from = c.t.pgFrom
	}
	return "SELECT " + strings.Join(exprs, ", ") + " FROM " + from + w, args, err
}
