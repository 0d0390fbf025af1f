package schema

import (
	"errors"
	"slices"
	"testing"
)

func TestClassify(t *testing.T) {
	tests := []struct {
		name string
		in   Column
		want Column // only the derived fields are compared
	}{
		{"int signed", Column{DataType: "int", ColumnType: "int(11)"},
			Column{Kind: KindInt, IntBytes: 4}},
		{"int unsigned zerofill", Column{DataType: "int", ColumnType: "int(10) unsigned zerofill"},
			Column{Kind: KindInt, IntBytes: 4, Unsigned: true}},
		{"mysql 8 without display width", Column{DataType: "bigint", ColumnType: "bigint unsigned"},
			Column{Kind: KindInt, IntBytes: 8, Unsigned: true}},
		{"tinyint", Column{DataType: "tinyint", ColumnType: "tinyint(1)"},
			Column{Kind: KindInt, IntBytes: 1}},
		{"mediumint unsigned", Column{DataType: "mediumint", ColumnType: "mediumint(8) unsigned"},
			Column{Kind: KindInt, IntBytes: 3, Unsigned: true}},
		{"decimal from column type", Column{DataType: "decimal", ColumnType: "decimal(65,30)"},
			Column{Kind: KindDecimal, Precision: 65, Scale: 30}},
		{"decimal from catalog", Column{DataType: "decimal", ColumnType: "decimal(12,4) unsigned", Precision: 12, Scale: 4},
			Column{Kind: KindDecimal, Precision: 12, Scale: 4, Unsigned: true}},
		{"float unsigned", Column{DataType: "float", ColumnType: "float unsigned"},
			Column{Kind: KindFloat, Unsigned: true}},
		{"double", Column{DataType: "double", ColumnType: "double"}, Column{Kind: KindDouble}},
		{"bit(12)", Column{DataType: "bit", ColumnType: "bit(12)"}, Column{Kind: KindBit, Length: 12}},
		{"bit without length", Column{DataType: "bit", ColumnType: "bit"}, Column{Kind: KindBit, Length: 1}},
		{"char length from column type", Column{DataType: "char", ColumnType: "char(10)"},
			Column{Kind: KindText, Length: 10, FixedLength: true}},
		{"char length from catalog", Column{DataType: "char", ColumnType: "char(10)", Length: 10},
			Column{Kind: KindText, Length: 10, FixedLength: true}},
		{"varchar", Column{DataType: "varchar", ColumnType: "varchar(255)"},
			Column{Kind: KindText, Length: 255}},
		{"varchar character set binary", Column{DataType: "varchar", ColumnType: "varchar(16)", Charset: "binary"},
			Column{Kind: KindBinary, Length: 16}},
		{"longtext", Column{DataType: "longtext", ColumnType: "longtext"}, Column{Kind: KindText}},
		{"binary(16)", Column{DataType: "binary", ColumnType: "binary(16)"},
			Column{Kind: KindBinary, Length: 16, FixedLength: true}},
		{"varbinary", Column{DataType: "varbinary", ColumnType: "varbinary(100)"},
			Column{Kind: KindBinary, Length: 100}},
		{"blob", Column{DataType: "blob", ColumnType: "blob"}, Column{Kind: KindBinary}},
		{"datetime(6)", Column{DataType: "datetime", ColumnType: "datetime(6)"},
			Column{Kind: KindDatetime, Scale: 6}},
		{"timestamp", Column{DataType: "timestamp", ColumnType: "timestamp"}, Column{Kind: KindTimestamp}},
		{"time(3)", Column{DataType: "time", ColumnType: "time(3)"}, Column{Kind: KindTime, Scale: 3}},
		{"year", Column{DataType: "year", ColumnType: "year(4)"}, Column{Kind: KindYear}},
		{"json", Column{DataType: "json", ColumnType: "json"}, Column{Kind: KindJSON}},
		{"mariadb json preset", Column{DataType: "longtext", ColumnType: "longtext", Kind: KindJSON},
			Column{Kind: KindJSON}},
		{"point", Column{DataType: "point", ColumnType: "point", SRID: 4326},
			Column{Kind: KindGeometry, Geometry: "point"}},
		{"mysql 8 geomcollection", Column{DataType: "geomcollection", ColumnType: "geomcollection"},
			Column{Kind: KindGeometry, Geometry: "geometrycollection"}},
		{"uuid", Column{DataType: "uuid", ColumnType: "uuid"}, Column{Kind: KindUUID}},
		{"inet4", Column{DataType: "inet4", ColumnType: "inet4"}, Column{Kind: KindInet4}},
		{"inet6", Column{DataType: "inet6", ColumnType: "inet6"}, Column{Kind: KindInet6}},
		{"upper-case data type", Column{DataType: "INT", ColumnType: "INT(11) UNSIGNED"},
			Column{Kind: KindInt, IntBytes: 4, Unsigned: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.in
			if err := Classify(&c); err != nil {
				t.Fatal(err)
			}
			got := Column{Kind: c.Kind, Unsigned: c.Unsigned, IntBytes: c.IntBytes, Length: c.Length,
				FixedLength: c.FixedLength, Precision: c.Precision, Scale: c.Scale, Geometry: c.Geometry}
			if got.Kind != tt.want.Kind || got.Unsigned != tt.want.Unsigned || got.IntBytes != tt.want.IntBytes ||
				got.Length != tt.want.Length || got.FixedLength != tt.want.FixedLength ||
				got.Precision != tt.want.Precision || got.Scale != tt.want.Scale || got.Geometry != tt.want.Geometry {
				t.Errorf("Classify(%s) =\n %+v, want\n %+v", tt.in.ColumnType, got, tt.want)
			}
			again := c
			if err := Classify(&again); err != nil || again.Kind != c.Kind || again.Length != c.Length || again.Scale != c.Scale {
				t.Errorf("Classify is not idempotent: %+v then %+v (%v)", c, again, err)
			}
		})
	}
}

func TestClassifyMembers(t *testing.T) {
	tests := []struct {
		columnType string
		want       []string
	}{
		{`enum('a','b')`, []string{"a", "b"}},
		{`enum('')`, []string{""}},
		{`set('read','write')`, []string{"read", "write"}},
		// As MariaDB 10.11 prints ENUM('a','it''s','x,y)','back\\slash',
		// 'nl\nx','') in information_schema.COLUMNS.COLUMN_TYPE.
		{`enum('a','it''s','x,y)','back\\slash','nl\nx','')`,
			[]string{"a", "it's", "x,y)", `back\slash`, "nl\nx", ""}},
		{`enum('(',')','((a,b))',',')`, []string{"(", ")", "((a,b))", ","}},
		{`enum('''','''''',' '' ')`, []string{"'", "''", " ' "}},
		{`enum('nul\0','cr\r','\\\\')`, []string{"nul\x00", "cr\r", `\\`}},
		{`enum('ünïcödé','日本')`, []string{"ünïcödé", "日本"}},
		{`set('a', 'b')`, []string{"a", "b"}},
		{`ENUM('Upper')`, []string{"Upper"}},
	}
	for _, tt := range tests {
		dt := "enum"
		if tt.columnType[0] == 's' {
			dt = "set"
		}
		c := Column{Name: "c", DataType: dt, ColumnType: tt.columnType}
		if err := Classify(&c); err != nil {
			t.Errorf("Classify(%s): %v", tt.columnType, err)
			continue
		}
		if !slices.Equal(c.Members, tt.want) {
			t.Errorf("Classify(%s) members = %q, want %q", tt.columnType, c.Members, tt.want)
		}
	}
}

func TestClassifyErrors(t *testing.T) {
	tests := []struct {
		name        string
		in          Column
		unsupported bool
	}{
		{"vector", Column{Name: "v", DataType: "vector", ColumnType: "vector(3)"}, true},
		{"empty", Column{Name: "e"}, true},
		{"unterminated enum", Column{Name: "e", DataType: "enum", ColumnType: "enum('a"}, false},
		{"unclosed enum", Column{Name: "e", DataType: "enum", ColumnType: "enum('a'"}, false},
		{"unquoted member", Column{Name: "e", DataType: "enum", ColumnType: "enum(a)"}, false},
		{"trailing text", Column{Name: "e", DataType: "set", ColumnType: "set('a') x"}, false},
		{"bit too long", Column{Name: "b", DataType: "bit", ColumnType: "bit(65)"}, false},
		{"bad decimal", Column{Name: "d", DataType: "decimal", ColumnType: "decimal(x,2)"}, false},
		{"scale over precision", Column{Name: "d", DataType: "decimal", ColumnType: "decimal(2,5)"}, false},
		{"datetime(7)", Column{Name: "d", DataType: "datetime", ColumnType: "datetime(7)"}, false},
	}
	for _, tt := range tests {
		c := tt.in
		err := Classify(&c)
		if err == nil {
			t.Errorf("%s: Classify(%q) succeeded, want an error", tt.name, tt.in.ColumnType)
			continue
		}
		var u *UnsupportedTypeError
		if errors.As(err, &u) != tt.unsupported {
			t.Errorf("%s: error %v: UnsupportedTypeError = %v, want %v", tt.name, err, !tt.unsupported, tt.unsupported)
		}
	}
}

func TestUnsupportedTypeErrorNamesTheType(t *testing.T) {
	c := Column{Name: "embedding", DataType: "vector", ColumnType: "vector(1536)"}
	err := Classify(&c)
	if err == nil || err.Error() != "column embedding: type vector(1536) is not supported" {
		t.Errorf("error = %v", err)
	}
}
