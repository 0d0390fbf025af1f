package verify

import (
	"context"
	"database/sql"
	"encoding/binary"
	"fmt"
	"math"
	"strconv"

	"github.com/jackc/pgx/v5"

	"github.com/sluicedb/sluice/internal/schema"
	"github.com/sluicedb/sluice/internal/sink"
)

// row is one side's row: its key text and every column's canonical text,
// encoded in one string so that equal rows compare as equal strings and a
// row costs two allocations: per value a marker (0 NULL, 1 a value), then
// for a value its length (uvarint) and bytes — an injective encoding.
type row struct {
	key  string
	text string
}

// appendValue adds one value (nil: NULL) to an encoded row.
func appendValue(buf, v []byte, null bool) []byte {
	if null {
		return append(buf, 0)
	}
	buf = append(buf, 1)
	buf = binary.AppendUvarint(buf, uint64(len(v)))
	return append(buf, v...)
}

// values decodes the row's n values (nil for NULL).
func (r row) values(n int) []*string {
	out := make([]*string, n)
	s := r.text
	for i := 0; i < n && len(s) > 0; i++ {
		marker := s[0]
		s = s[1:]
		if marker == 0 {
			continue
		}
		l, w := binary.Uvarint([]byte(s[:min(len(s), binary.MaxVarintLen64)]))
		v := s[w : w+int(l)]
		out[i] = &v
		s = s[w+int(l):]
	}
	return out
}

// mysqlRows reads rows through a prepared statement: the binary protocol,
// so FLOAT and DOUBLE arrive as float32/float64, which database/sql writes
// into RawBytes as their shortest exact decimal ('g', -1, at their size).
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
	tb := c.t
	raw, dest := make([]sql.RawBytes, len(tb.cols)+1), make([]any, len(tb.cols)+1)
	for i := range raw {
		dest[i] = &raw[i]
	}
	var out []row
	var buf []byte
	for rs.Next() {
		if err := rs.Scan(dest...); err != nil {
			return nil, fmt.Errorf("reading %s on the source: %w", tb.src, err)
		}
		buf = buf[:0]
		for i, col := range tb.cols {
			if buf, err = appendCanonical(buf, col, raw[i+1]); err != nil {
				return nil, fmt.Errorf("%s column %s on the source: %w", tb.src, col.name, err)
			}
		}
		out = append(out, row{key: string(raw[0]), text: string(buf)})
	}
	return out, rs.Err()
}

// pgRows reads rows in a read-only transaction. Every column is text but
// FLOAT and DOUBLE columns, whose binary form is decoded here.
func (v *Verifier) pgRows(ctx context.Context, c *chunk, keys []string) ([]row, error) {
	q, args, err := c.rowsQuery(true, keys)
	if err != nil {
		return nil, err
	}
	tb := c.t
	var out []row
	err = pgx.BeginTxFunc(ctx, v.dst.Pool, pgx.TxOptions{AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		rs, err := tx.Query(ctx, q, args...)
		if err != nil {
			return err
		}
		defer rs.Close()
		fields := rs.FieldDescriptions()
		var buf, fb []byte
		for rs.Next() {
			raw := rs.RawValues()
			buf = buf[:0]
			for i, col := range tb.cols {
				val := raw[i+1]
				if val != nil && fields[i+1].Format == pgx.BinaryFormatCode && (col.kind == schema.KindFloat || col.kind == schema.KindDouble) {
					if fb, err = floatText(fb[:0], val); err != nil {
						return fmt.Errorf("column %s: %w", col.name, err)
					}
					val = fb
				}
				if buf, err = appendCanonical(buf, col, val); err != nil {
					return fmt.Errorf("column %s: %w", col.name, err)
				}
			}
			out = append(out, row{key: string(raw[0]), text: string(buf)})
		}
		return rs.Err()
	})
	if err != nil {
		if sink.IsCode(err, "42P01") {
			return nil, fmt.Errorf("target table %s does not exist", tb.pgFrom)
		}
		return nil, fmt.Errorf("reading %s on the target: %w", tb.pgFrom, err)
	}
	return out, nil
}

// floatText renders PostgreSQL's binary float4/float8 as the shortest
// decimal that reads back to it, as database/sql renders MySQL's.
func floatText(buf, b []byte) ([]byte, error) {
	switch len(b) {
	case 4:
		return strconv.AppendFloat(buf, float64(math.Float32frombits(binary.BigEndian.Uint32(b))), 'g', -1, 32), nil
	case 8:
		return strconv.AppendFloat(buf, math.Float64frombits(binary.BigEndian.Uint64(b)), 'g', -1, 64), nil
	}
	return nil, fmt.Errorf("binary float of %d bytes", len(b))
}

// appendCanonical adds one value in its canonical text (see canonical.go
// for the fetched kinds; rendered kinds arrive canonical).
func appendCanonical(buf []byte, col column, v []byte) ([]byte, error) {
	if v == nil {
		return appendValue(buf, nil, true), nil
	}
	switch col.kind {
	case schema.KindJSON, schema.KindInet6:
		if !col.fetch {
			break
		}
		c, err := canonical(col.kind, v)
		if err != nil {
			return nil, err
		}
		return appendValue(buf, []byte(*c), false), nil
	}
	return appendValue(buf, v, false), nil
}
