package pipeline

import (
	"fmt"
	"strings"
	"sync/atomic"

	"github.com/sluicedb/sluice/internal/progress"
	"github.com/sluicedb/sluice/internal/schema"
	"github.com/sluicedb/sluice/internal/source"
	"github.com/sluicedb/sluice/internal/value"
)

// loadTable is what every chunk of one table shares.
type loadTable struct {
	table    *schema.Table
	convs    []*value.Converter
	cols     []string // target column names, in source order
	keyIdx   []int    // positions of the key columns, for error messages
	progress *progress.Table
	fixes    [4]atomic.Int64 // counts per value.Fix bit
	shape    *shaper         // transforms and added columns; nil: none
}

// fixNames are the Fix bits in order, for the per-table report.
var fixNames = [4]string{"zero dates stored as NULL", "zero dates stored as -infinity", "values with NUL bytes stripped", "values with invalid UTF-8 stripped"}

// rowSource adapts a chunk read to pgx.CopyFromSource, converting each value
// on the way. Memory is one row: the scan buffers are reused.
type rowSource struct {
	lt     *loadTable
	rows   *source.Rows
	raw    []any
	ptrs   []any
	out    []any
	err    error
	n      int64 // rows since the last progress report
	bytes  int64
	report int64
}

func newRowSource(lt *loadTable, rows *source.Rows) *rowSource {
	n := len(lt.table.Columns)
	rs := &rowSource{lt: lt, rows: rows, raw: make([]any, n), ptrs: make([]any, n), out: make([]any, lt.shape.width(n))}
	for i := range rs.raw {
		rs.ptrs[i] = &rs.raw[i]
	}
	return rs
}

const progressEvery = 1024 // rows between progress counter updates

func (rs *rowSource) Next() bool {
	if rs.err != nil || !rs.rows.Next() {
		rs.flush()
		return false
	}
	if err := rs.rows.Scan(rs.ptrs...); err != nil {
		rs.err = fmt.Errorf("reading a row of %s: %w", rs.lt.table, err)
		return false
	}
	for i, v := range rs.raw {
		switch v := v.(type) {
		case []byte:
			rs.bytes += int64(len(v))
		case nil:
		default:
			rs.bytes += 8
		}
		out, fix, err := rs.lt.convs[i].Snapshot(v)
		if err != nil {
			rs.err = &RowError{Table: rs.lt.table.String(), Key: keyOf(rs.lt, rs.raw), Err: err}
			return false
		}
		if fix != 0 {
			rs.lt.count(fix)
		}
		rs.out[i] = out
	}
	if err := rs.lt.shape.apply(rs.lt.table, rs.out, nil); err != nil {
		rs.err = &RowError{Table: rs.lt.table.String(), Key: keyOf(rs.lt, rs.raw), Err: err}
		return false
	}
	rs.n++
	if rs.n == progressEvery {
		rs.flush()
	}
	return true
}

func (rs *rowSource) flush() {
	rs.lt.progress.Add(rs.n, rs.bytes-rs.report)
	rs.report = rs.bytes
	rs.n = 0
}

// count records what a policy changed in one value.
func (lt *loadTable) count(f value.Fix) {
	for i := range lt.fixes {
		if f&(1<<i) != 0 {
			lt.fixes[i].Add(1)
		}
	}
}

func (rs *rowSource) Values() ([]any, error) { return rs.out, nil }

func (rs *rowSource) Err() error {
	if rs.err != nil {
		return rs.err
	}
	return rs.rows.Err()
}

// keyOf renders a raw row's key for an error message: (a, b)=(1, "x").
func keyOf(lt *loadTable, raw []any) string {
	if len(lt.keyIdx) == 0 {
		return "(no key)"
	}
	names := make([]string, len(lt.keyIdx))
	vals := make([]string, len(lt.keyIdx))
	for i, k := range lt.keyIdx {
		names[i] = lt.table.Columns[k].Name
		switch v := raw[k].(type) {
		case []byte:
			vals[i] = fmt.Sprintf("%q", v)
		default:
			vals[i] = fmt.Sprint(v)
		}
	}
	return "(" + strings.Join(names, ", ") + ")=(" + strings.Join(vals, ", ") + ")"
}

// RowError is a value that cannot be stored: the run stops and names the
// table, the row's key and the column.
type RowError struct {
	Table string
	Key   string
	Err   error
}

func (e *RowError) Error() string {
	return fmt.Sprintf("table %s, row %s: %v", e.Table, e.Key, e.Err)
}

func (e *RowError) Unwrap() error { return e.Err }
