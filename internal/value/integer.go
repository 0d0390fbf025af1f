package value

import (
	"math"

	"github.com/jackc/pgx/v5/pgtype"
)

// Integer inputs:
//
//	snapshot: int64 for every width and signedness (the driver widens and
//	          honours the UNSIGNED flag), except BIGINT UNSIGNED above
//	          math.MaxInt64, which arrives as its decimal text in a []byte.
//	binlog:   the Go type of the stored width: int8/uint8 (TINYINT),
//	          int16/uint16 (SMALLINT), int32/uint32 (MEDIUMINT, sign-extended
//	          to 32 bits, and INT), int64/uint64 (BIGINT). The unsigned types
//	          appear only when the TABLE_MAP carries signedness metadata;
//	          without it an unsigned column arrives as a negative signed value
//	          whose bits must be reinterpreted using the schema.
//	YEAR:     snapshot int64, binlog int (0 stays 0, else 1901..2155).

// integer converts every integer column whose values fit int64.
func (c *Converter) integer(p path, v any) (any, error) {
	if p == snapshotPath {
		i, ok := v.(int64)
		if !ok {
			return nil, c.unexpected(p, v, "int64")
		}
		if c.unsigned && i < 0 {
			return nil, c.errorf("snapshot value is negative in an UNSIGNED column; the result set lost its UNSIGNED flag")
		}
		return v, nil // already int64: return the same interface, no allocation
	}
	if _, ok := v.(int64); ok && c.width == 8 && !c.unsigned {
		return v, nil // BIGINT: as is, no allocation
	}
	bits, signed, width, ok := binlogInt(v)
	if !ok {
		return nil, c.unexpected(p, v, "an integer type")
	}
	if err := c.checkWidth(width); err != nil {
		return nil, err
	}
	if !c.unsigned {
		if signed {
			return int64(bits), nil
		}
		if bits > uint64(1)<<(8*c.width-1)-1 {
			return nil, c.errorf("binlog value is unsigned and exceeds the signed %d-byte range; the schema says signed (schema out of date?)", c.width)
		}
		return int64(bits), nil
	}
	// Unsigned column: a signed input is the same bits read as signed.
	return int64(bits & widthMask(c.width)), nil
}

// uint64Numeric converts BIGINT UNSIGNED to an exact numeric(20,0).
func (c *Converter) uint64Numeric(p path, v any) (any, error) {
	var u uint64
	if p == snapshotPath {
		switch t := v.(type) {
		case int64:
			if t < 0 {
				return nil, c.errorf("snapshot value is negative in an UNSIGNED column; the result set lost its UNSIGNED flag")
			}
			u = uint64(t)
		case []byte:
			var ok bool
			if u, ok = parseUint64(t); !ok {
				return nil, c.errorf("snapshot value is not a decimal unsigned 64-bit integer (%d bytes)", len(t))
			}
		default:
			return nil, c.unexpected(p, v, "int64 or []byte")
		}
	} else {
		bits, _, width, ok := binlogInt(v)
		if !ok {
			return nil, c.unexpected(p, v, "int64 or uint64")
		}
		if err := c.checkWidth(width); err != nil {
			return nil, err
		}
		u = bits // a negative int64 is a value above 2^63 without signedness metadata
	}
	return pgtype.Numeric{Int: smallInt(u), Valid: true}, nil
}

func (c *Converter) year(p path, v any) (any, error) {
	if p == snapshotPath {
		if _, ok := v.(int64); !ok {
			return nil, c.unexpected(p, v, "int64")
		}
		return v, nil
	}
	y, ok := v.(int)
	if !ok {
		return nil, c.unexpected(p, v, "int")
	}
	return int64(y), nil
}

// checkWidth rejects a binlog integer whose stored width differs from the
// schema's: the row image and the schema disagree, so reinterpreting its sign
// would give a wrong value.
func (c *Converter) checkWidth(width int) error {
	if width == c.width || width == 4 && c.width == 3 {
		return nil
	}
	return c.errorf("binlog integer is %d bytes wide but the column is %d (schema out of date?)", width, c.width)
}

// binlogInt returns a go-mysql integer as its bits (sign-extended to 64),
// whether it was signed, and the byte width of its Go type.
func binlogInt(v any) (bits uint64, signed bool, width int, ok bool) {
	switch t := v.(type) {
	case int8:
		return uint64(int64(t)), true, 1, true
	case int16:
		return uint64(int64(t)), true, 2, true
	case int32:
		return uint64(int64(t)), true, 4, true
	case int64:
		return uint64(t), true, 8, true
	case uint8:
		return uint64(t), false, 1, true
	case uint16:
		return uint64(t), false, 2, true
	case uint32:
		return uint64(t), false, 4, true
	case uint64:
		return t, false, 8, true
	}
	return 0, false, 0, false
}

func widthMask(width int) uint64 {
	if width >= 8 {
		return math.MaxUint64
	}
	return uint64(1)<<(8*width) - 1
}

// parseUint64 parses plain decimal digits (no sign) into a uint64.
func parseUint64[T ~string | ~[]byte](s T) (uint64, bool) {
	if len(s) == 0 || len(s) > 20 {
		return 0, false
	}
	var u uint64
	for i := 0; i < len(s); i++ {
		d := s[i] - '0'
		if d > 9 {
			return 0, false
		}
		if u > (math.MaxUint64-uint64(d))/10 {
			return 0, false
		}
		u = u*10 + uint64(d)
	}
	return u, true
}
