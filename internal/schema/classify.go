package schema

import (
	"fmt"
	"strconv"
	"strings"
)

// UnsupportedTypeError reports a source column whose type sluice cannot map.
type UnsupportedTypeError struct {
	Column string // source column name
	Type   string // COLUMN_TYPE (or DATA_TYPE when COLUMN_TYPE is empty)
}

func (e *UnsupportedTypeError) Error() string {
	return fmt.Sprintf("column %s: type %s is not supported", e.Column, e.Type)
}

// typeInfo is what a DATA_TYPE alone says about a column.
type typeInfo struct {
	kind  Kind
	bytes int  // KindInt storage size
	fixed bool // CHAR, BINARY
}

// dataTypes maps information_schema DATA_TYPE (lower case) to its family.
var dataTypes = map[string]typeInfo{
	"tinyint": {kind: KindInt, bytes: 1}, "smallint": {kind: KindInt, bytes: 2},
	"mediumint": {kind: KindInt, bytes: 3}, "int": {kind: KindInt, bytes: 4},
	"integer": {kind: KindInt, bytes: 4}, "bigint": {kind: KindInt, bytes: 8},
	"decimal": {kind: KindDecimal}, "numeric": {kind: KindDecimal},
	"float": {kind: KindFloat}, "double": {kind: KindDouble},
	"bit":  {kind: KindBit},
	"char": {kind: KindText, fixed: true}, "varchar": {kind: KindText},
	"tinytext": {kind: KindText}, "text": {kind: KindText},
	"mediumtext": {kind: KindText}, "longtext": {kind: KindText},
	"binary": {kind: KindBinary, fixed: true}, "varbinary": {kind: KindBinary},
	"tinyblob": {kind: KindBinary}, "blob": {kind: KindBinary},
	"mediumblob": {kind: KindBinary}, "longblob": {kind: KindBinary},
	"date": {kind: KindDate}, "datetime": {kind: KindDatetime},
	"timestamp": {kind: KindTimestamp}, "time": {kind: KindTime},
	"year": {kind: KindYear},
	"enum": {kind: KindEnum}, "set": {kind: KindSet},
	"json":     {kind: KindJSON},
	"geometry": {kind: KindGeometry}, "point": {kind: KindGeometry},
	"linestring": {kind: KindGeometry}, "polygon": {kind: KindGeometry},
	"multipoint": {kind: KindGeometry}, "multilinestring": {kind: KindGeometry},
	"multipolygon": {kind: KindGeometry}, "geometrycollection": {kind: KindGeometry},
	"geomcollection": {kind: KindGeometry},
	"uuid":           {kind: KindUUID}, "inet4": {kind: KindInet4}, "inet6": {kind: KindInet6},
}

// Classify derives the type family and its parameters from what the catalog
// reader filled from information_schema (DataType, ColumnType, and Length,
// Precision, Scale where information_schema had them). It sets Kind only
// when it is still KindUnknown: a Kind preset by the catalog (MariaDB JSON,
// found through its json_valid CHECK) is kept, and then only parameters of
// that Kind are filled. Classify is idempotent. A type sluice cannot map is an
// *UnsupportedTypeError.
func Classify(c *Column) error {
	dt := strings.ToLower(strings.TrimSpace(c.DataType))
	ct := strings.ToLower(strings.TrimSpace(c.ColumnType))
	info, ok := dataTypes[dt]
	if ok && c.Charset == "binary" && info.kind == KindText {
		// CHAR/VARCHAR/TEXT CHARACTER SET binary hold bytes, not characters.
		info.kind = KindBinary
	}
	if c.Kind == KindUnknown {
		if !ok {
			t := c.ColumnType
			if t == "" {
				t = c.DataType
			}
			return &UnsupportedTypeError{Column: c.Name, Type: t}
		}
		c.Kind = info.kind
	}
	if !ok || info.kind != c.Kind {
		return nil // preset Kind from another DATA_TYPE: nothing more to derive
	}
	args, err := typeArgs(ct)
	if err != nil {
		return fmt.Errorf("column %s: type %s: %w", c.Name, c.ColumnType, err)
	}
	if err := classifyParams(c, dt, ct, info, args); err != nil {
		return fmt.Errorf("column %s: type %s: %w", c.Name, c.ColumnType, err)
	}
	return nil
}

func classifyParams(c *Column, dt, ct string, info typeInfo, args []int64) error {
	switch c.Kind {
	case KindInt:
		c.IntBytes = info.bytes
		c.Unsigned = isUnsigned(ct)
	case KindFloat, KindDouble:
		c.Unsigned = isUnsigned(ct)
	case KindDecimal:
		c.Unsigned = isUnsigned(ct)
		if c.Precision == 0 {
			c.Precision, c.Scale = 10, 0 // DECIMAL without arguments
			if len(args) >= 1 {
				c.Precision = int(args[0])
			}
			if len(args) >= 2 {
				c.Scale = int(args[1])
			}
		}
		if c.Precision < 1 || c.Precision > 65 || c.Scale < 0 || c.Scale > 30 || c.Scale > c.Precision {
			return fmt.Errorf("bad precision/scale %d,%d", c.Precision, c.Scale)
		}
	case KindBit:
		if len(args) >= 1 {
			c.Length = args[0]
		} else if c.Length == 0 {
			c.Length = 1
		}
		if c.Length < 1 || c.Length > 64 {
			return fmt.Errorf("bad BIT length %d", c.Length)
		}
	case KindText, KindBinary:
		c.FixedLength = info.fixed
		if c.Length == 0 && len(args) >= 1 {
			c.Length = args[0]
		}
		if (dt == "char" || dt == "binary") && c.Length == 0 && len(args) == 0 {
			c.Length = 1 // CHAR and BINARY without a length hold one
		}
	case KindDatetime, KindTimestamp, KindTime:
		if c.Scale == 0 && len(args) >= 1 {
			c.Scale = int(args[0])
		}
		if c.Scale < 0 || c.Scale > 6 {
			return fmt.Errorf("bad fractional-second precision %d", c.Scale)
		}
	case KindEnum, KindSet:
		m, err := parseMembers(c.ColumnType)
		if err != nil {
			return err
		}
		c.Members = m
	case KindGeometry:
		c.Geometry = dt
		if dt == "geomcollection" { // MySQL 8 spelling
			c.Geometry = "geometrycollection"
		}
	}
	return nil
}

// isUnsigned reports the UNSIGNED (or ZEROFILL, which implies it) attribute.
func isUnsigned(ct string) bool {
	for _, w := range strings.Fields(ct) {
		if w == "unsigned" || w == "zerofill" {
			return true
		}
	}
	return false
}

// typeArgs returns the numeric arguments of a COLUMN_TYPE such as
// "decimal(10,2) unsigned" → [10 2]. ENUM and SET lists are not numeric and
// return nil (parseMembers reads them).
func typeArgs(ct string) ([]int64, error) {
	if strings.HasPrefix(ct, "enum(") || strings.HasPrefix(ct, "set(") {
		return nil, nil
	}
	open := strings.IndexByte(ct, '(')
	if open < 0 {
		return nil, nil
	}
	end := strings.IndexByte(ct[open:], ')')
	if end < 0 {
		return nil, fmt.Errorf("unbalanced parenthesis")
	}
	var args []int64
	for _, a := range strings.Split(ct[open+1:open+end], ",") {
		n, err := strconv.ParseInt(strings.TrimSpace(a), 10, 64)
		if err != nil || n < 0 {
			return nil, fmt.Errorf("bad type argument %q", a)
		}
		args = append(args, n)
	}
	return args, nil
}
