package filter

import (
	"fmt"
	"math"
	"strings"
	"unsafe"

	"github.com/sluicedb/sluice/internal/schema"
)

// Column values arrive as the two readers deliver them (see package value):
//
//	kind       snapshot (go-sql-driver, binary protocol)  binlog (go-mysql, ParseTime/UseDecimal off)
//	int        int64; BIGINT UNSIGNED > MaxInt64: []byte  int8..int64 or uint8..uint64 by width; an
//	                                                      unsigned column without signedness metadata
//	                                                      arrives negative and is reinterpreted
//	decimal    []byte text                                string text (a fmt.Stringer such as
//	                                                      shopspring's decimal.Decimal is read by String)
//	float      float32                                    float32
//	double     float64                                    float64
//	text       []byte UTF-8, CHAR trimmed                 string or []byte in the column charset (UTF-8
//	                                                      for the utf8 charsets filters accept)
//	binary     []byte, BINARY(n) padded with 0x00         string or []byte (padded here to n)
//	enum       []byte label                               int64 1-based index (0 is '')
//	date...    []byte "YYYY-MM-DD[ HH:MM:SS[.f]]"         string of the same shape (TIMESTAMP in UTC);
//	                                                      a time.Time is read by its wall clock
//
// nil is NULL on both.

// column is a column a filter reads.
type column struct {
	idx  int
	col  *schema.Column
	coll *collation // text and enum: the column's collation; binary: binaryCollation
	typ  typ
}

func (c *column) errorf(format string, args ...any) error {
	return fmt.Errorf("column %s: %s", quoteIdent(c.col.Name), fmt.Sprintf(format, args...))
}

func (c *column) unexpected(v any) error {
	return c.errorf("unexpected Go type %T for a %s column", v, c.col.Kind)
}

// exact reads an integer or DECIMAL column.
func (c *column) exact(v any) (exact, error) {
	if c.col.Kind == schema.KindDecimal {
		s, ok := text(v)
		if st, isStringer := v.(fmt.Stringer); !ok && isStringer {
			s, ok = st.String(), true
		}
		if !ok {
			return exact{}, c.unexpected(v)
		}
		d, ok := parseDec(s)
		if !ok {
			return exact{}, c.errorf("value %q is not decimal text", s)
		}
		return exactDec(d), nil
	}
	switch t := v.(type) {
	case int64:
		if t < 0 && c.col.Unsigned {
			if c.col.IntBytes != 8 {
				return exact{}, c.errorf("negative int64 in an UNSIGNED %d-byte column", c.col.IntBytes)
			}
			return exactUint(uint64(t)), nil // binlog without signedness metadata
		}
		return exactInt(t), nil
	case int8:
		return c.signed(int64(t)), nil
	case int16:
		return c.signed(int64(t)), nil
	case int32:
		return c.signed(int64(t)), nil
	case uint8:
		return exactUint(uint64(t)), nil
	case uint16:
		return exactUint(uint64(t)), nil
	case uint32:
		return exactUint(uint64(t)), nil
	case uint64:
		return exactUint(t), nil
	case []byte: // snapshot: BIGINT UNSIGNED above MaxInt64
		d, ok := parseDec(view(t))
		if !ok || d.neg || d.fp != "" {
			return exact{}, c.errorf("value %q is not an unsigned integer", t)
		}
		return exactDec(d), nil
	}
	return exact{}, c.unexpected(v)
}

// signed reads a binlog integer narrower than 64 bits: in an unsigned column
// a negative value is the same bits read without sign.
func (c *column) signed(i int64) exact {
	if i < 0 && c.col.Unsigned && c.col.IntBytes < 8 {
		return exactUint(uint64(i) & (1<<(8*c.col.IntBytes) - 1))
	}
	return exactInt(i)
}

// float reads any numeric column as a double.
func (c *column) float(v any) (float64, error) {
	switch t := v.(type) {
	case float32:
		return float64(t), nil
	case float64:
		return t, nil
	}
	if c.typ == tDouble {
		return 0, c.unexpected(v)
	}
	x, err := c.exact(v)
	if err != nil {
		return 0, err
	}
	return x.float(), nil
}

// str reads a text, ENUM or binary column as the string compared.
func (c *column) str(v any) (string, error) {
	if c.col.Kind == schema.KindEnum {
		if s, ok := text(v); ok {
			return s, nil
		}
		switch t := v.(type) {
		case int64:
			if t < 0 || t > int64(len(c.col.Members)) {
				return "", c.errorf("ENUM index %d is outside 0..%d; the schema is out of date", t, len(c.col.Members))
			}
			if t == 0 {
				return "", nil
			}
			return c.col.Members[t-1], nil
		}
		return "", c.unexpected(v)
	}
	s, ok := text(v)
	if !ok {
		return "", c.unexpected(v)
	}
	switch {
	case c.col.Kind == schema.KindText && c.col.FixedLength:
		s = strings.TrimRight(s, " ") // CHAR(n): trailing spaces are not part of the value
	case c.col.Kind == schema.KindBinary && c.col.FixedLength && int64(len(s)) < c.col.Length && c.col.Length <= math.MaxUint8:
		s += strings.Repeat("\x00", int(c.col.Length)-len(s)) // BINARY(n) is padded with 0x00
	}
	return s, nil
}

// temporal reads a DATE, DATETIME or TIMESTAMP column, packed.
func (c *column) temporal(v any) (int64, error) {
	t, ok := civilOf(v)
	if !ok {
		if s, isText := text(v); isText {
			return 0, c.errorf("value %q is not %s text", s, c.col.Kind)
		}
		return 0, c.unexpected(v)
	}
	return t.pack(), nil
}

// text returns a []byte or string value as a string, without copying.
func text(v any) (string, bool) {
	switch t := v.(type) {
	case []byte:
		return view(t), true
	case string:
		return t, true
	}
	return "", false
}

// view returns b as a string without copying; the string must not outlive
// the evaluation of the row b belongs to.
func view(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

// quoteIdent quotes a MySQL identifier with backticks.
func quoteIdent(name string) string {
	return "`" + strings.ReplaceAll(name, "`", "``") + "`"
}
