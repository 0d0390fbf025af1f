package schema

import "testing"

// TestPGType pins the type map of SPEC §4, one row per source type.
func TestPGType(t *testing.T) {
	tests := []struct {
		dataType, columnType string
		srid                 int
		postGIS              bool
		want                 string
	}{
		{"tinyint", "tinyint(4)", 0, false, "smallint"},
		{"tinyint", "tinyint(3) unsigned", 0, false, "smallint"},
		{"smallint", "smallint(6)", 0, false, "smallint"},
		{"smallint", "smallint(5) unsigned", 0, false, "integer"},
		{"mediumint", "mediumint(9)", 0, false, "integer"},
		{"mediumint", "mediumint(8) unsigned", 0, false, "integer"},
		{"int", "int(11)", 0, false, "integer"},
		{"int", "int(10) unsigned", 0, false, "bigint"},
		{"bigint", "bigint(20)", 0, false, "bigint"},
		{"bigint", "bigint(20) unsigned", 0, false, "numeric(20,0)"},
		{"decimal", "decimal(65,30)", 0, false, "numeric(65,30)"},
		{"decimal", "decimal", 0, false, "numeric(10,0)"},
		{"float", "float", 0, false, "real"},
		{"double", "double", 0, false, "double precision"},
		{"bit", "bit(12)", 0, false, "bit(12)"},
		{"char", "char(3)", 0, false, "varchar(3)"},
		{"char", "char(0)", 0, false, "text"},
		{"varchar", "varchar(255)", 0, false, "varchar(255)"},
		{"tinytext", "tinytext", 0, false, "text"},
		{"longtext", "longtext", 0, false, "text"},
		{"binary", "binary(16)", 0, false, "bytea"},
		{"varbinary", "varbinary(16)", 0, false, "bytea"},
		{"longblob", "longblob", 0, false, "bytea"},
		{"date", "date", 0, false, "date"},
		{"datetime", "datetime", 0, false, "timestamp(0)"},
		{"datetime", "datetime(6)", 0, false, "timestamp(6)"},
		{"timestamp", "timestamp(3)", 0, false, "timestamptz(3)"},
		{"time", "time", 0, false, "interval(0)"},
		{"time", "time(4)", 0, false, "interval(4)"},
		{"year", "year(4)", 0, false, "smallint"},
		{"enum", "enum('a')", 0, false, "text"},
		{"set", "set('a')", 0, false, "text"},
		{"json", "json", 0, false, "jsonb"},
		{"geometry", "geometry", 0, true, "geometry"},
		{"geometry", "geometry", 4326, true, "geometry(Geometry,4326)"},
		{"point", "point", 4326, true, "geometry(Point,4326)"},
		{"multipolygon", "multipolygon", 0, true, "geometry(MultiPolygon)"},
		{"point", "point", 4326, false, "bytea"},
		{"uuid", "uuid", 0, false, "uuid"},
		{"inet4", "inet4", 0, false, "inet"},
		{"inet6", "inet6", 0, false, "inet"},
	}
	for _, tt := range tests {
		c := Column{Name: "c", DataType: tt.dataType, ColumnType: tt.columnType, SRID: tt.srid}
		if err := Classify(&c); err != nil {
			t.Errorf("Classify(%s): %v", tt.columnType, err)
			continue
		}
		got, err := PGType(&c, Options{PostGIS: tt.postGIS})
		if err != nil || got != tt.want {
			t.Errorf("PGType(%s, PostGIS=%v) = %q, %v; want %q", tt.columnType, tt.postGIS, got, err, tt.want)
		}
	}
}

func TestPGTypeRejectsUnknownKind(t *testing.T) {
	if _, err := PGType(&Column{Name: "c"}, Options{}); err == nil {
		t.Error("PGType of an unclassified column succeeded")
	}
}
