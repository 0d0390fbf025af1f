package schema

import (
	"errors"
	"fmt"
)

// Options are the target capabilities that change the DDL.
type Options struct {
	// PostGIS is set when the postgis extension is installed in the target:
	// GEOMETRY columns become geometry(...) and SPATIAL indexes gist indexes.
	// Without it they are bytea (the same EWKB bytes: SRID flag and SRID inside the WKB) and not indexed.
	PostGIS bool
}

// postgisTypes spells the geometry subtypes the way PostGIS prints them.
var postgisTypes = map[string]string{
	"geometry": "Geometry", "point": "Point", "linestring": "LineString",
	"polygon": "Polygon", "multipoint": "MultiPoint",
	"multilinestring": "MultiLineString", "multipolygon": "MultiPolygon",
	"geometrycollection": "GeometryCollection",
}

// PGType returns the PostgreSQL type of a classified column (see Classify).
// The map is the one in SPEC §4; every value the source can hold fits the
// target type without loss.
func PGType(c *Column, o Options) (string, error) {
	if c.TargetType != "" {
		return c.TargetType, nil
	}
	switch c.Kind {
	case KindInt:
		return intType(c)
	case KindDecimal:
		if c.Precision < 1 {
			return "", fmt.Errorf("column %s: DECIMAL without precision", c.Name)
		}
		return fmt.Sprintf("numeric(%d,%d)", c.Precision, c.Scale), nil
	case KindFloat:
		return "real", nil
	case KindDouble:
		return "double precision", nil
	case KindBit:
		if c.Length < 1 || c.Length > 64 {
			return "", fmt.Errorf("column %s: BIT length %d", c.Name, c.Length)
		}
		return fmt.Sprintf("bit(%d)", c.Length), nil
	case KindText:
		// CHAR and VARCHAR keep their limit (PostgreSQL counts characters
		// too); CHAR(0)/VARCHAR(0), which only hold '', become text because
		// varchar(0) does not exist. The TEXT types become text.
		if (c.FixedLength || c.DataType == "varchar") && c.Length > 0 {
			return fmt.Sprintf("varchar(%d)", c.Length), nil
		}
		return "text", nil
	case KindBinary:
		return "bytea", nil
	case KindDate:
		return "date", nil
	case KindDatetime:
		return fmt.Sprintf("timestamp(%d)", c.Scale), nil
	case KindTimestamp:
		return fmt.Sprintf("timestamptz(%d)", c.Scale), nil
	case KindTime:
		return fmt.Sprintf("interval(%d)", c.Scale), nil
	case KindYear:
		return "smallint", nil
	case KindEnum, KindSet:
		return "text", nil
	case KindJSON:
		return "jsonb", nil
	case KindGeometry:
		return geometryType(c, o)
	case KindUUID:
		return "uuid", nil
	case KindInet4, KindInet6:
		return "inet", nil
	}
	return "", fmt.Errorf("column %s: no PostgreSQL type for kind %s (type %s)", c.Name, c.Kind, c.ColumnType)
}

// intType picks the smallest PostgreSQL integer that holds the whole source
// range: the unsigned types need the next size up, and BIGINT UNSIGNED
// (up to 18446744073709551615) only fits numeric(20,0).
func intType(c *Column) (string, error) {
	switch {
	case c.IntBytes == 1, c.IntBytes == 2 && !c.Unsigned:
		return "smallint", nil
	case c.IntBytes == 2, c.IntBytes == 3, c.IntBytes == 4 && !c.Unsigned:
		return "integer", nil
	case c.IntBytes == 4, c.IntBytes == 8 && !c.Unsigned:
		return "bigint", nil
	case c.IntBytes == 8:
		return "numeric(20,0)", nil
	}
	return "", fmt.Errorf("column %s: integer of %d bytes", c.Name, c.IntBytes)
}

func geometryType(c *Column, o Options) (string, error) {
	if !o.PostGIS {
		return "bytea", nil
	}
	sub, ok := postgisTypes[c.Geometry]
	if !ok {
		return "", errors.New("column " + c.Name + ": unknown geometry type " + c.Geometry)
	}
	switch {
	case c.SRID != 0:
		return fmt.Sprintf("geometry(%s,%d)", sub, c.SRID), nil
	case sub == "Geometry":
		return "geometry", nil
	}
	return fmt.Sprintf("geometry(%s)", sub), nil
}

// isIdentityType reports whether a PostgreSQL type can be an identity column.
func isIdentityType(pgType string) bool {
	return pgType == "smallint" || pgType == "integer" || pgType == "bigint"
}
