package schema

import (
	"strings"
	"testing"
)

func TestDefault(t *testing.T) {
	str := func(s string) *string { return &s }
	tests := []struct {
		name string
		col  Column
		expr string
		ok   bool
		note string // a substring of the note; "" = no note
	}{
		{"no default", Column{DataType: "int", ColumnType: "int"}, "", true, ""},
		{"auto_increment", Column{DataType: "int", ColumnType: "int", AutoIncrement: true, Default: str("0")}, "", true, ""},
		{"generated", Column{DataType: "int", ColumnType: "int", Generated: "a+1", Default: str("0")}, "", true, ""},
		{"mariadb NULL", Column{DataType: "varchar", ColumnType: "varchar(5)", Nullable: true, Default: str("NULL"), DefaultQuoted: true}, "", true, ""},
		{"mysql text NULL", Column{DataType: "varchar", ColumnType: "varchar(5)", Default: str("NULL")}, "'NULL'", true, ""},
		{"mysql int NULL", Column{DataType: "int", ColumnType: "int", Nullable: true, Default: str("NULL")}, "", true, ""},
		{"mariadb quoted backslash", Column{DataType: "varchar", ColumnType: "varchar(9)", Default: str(`'a\\b'`), DefaultQuoted: true}, `E'a\\b'`, true, ""},
		{"mysql bare backslash", Column{DataType: "varchar", ColumnType: "varchar(9)", Default: str(`a\\b`)}, `E'a\\\\b'`, true, ""},
		{"bit widened", Column{DataType: "bit", ColumnType: "bit(5)", Default: str("b'11'"), DefaultQuoted: true}, "B'00011'", true, ""},
		{"bit marked as an expression", Column{DataType: "bit", ColumnType: "bit(4)", Default: str("b'101'"), DefaultIsExpr: true}, "B'0101'", true, ""},
		{"bit as number", Column{DataType: "bit", ColumnType: "bit(3)", Default: str("5")}, "B'101'", true, ""},
		{"bit 64", Column{DataType: "bit", ColumnType: "bit(64)", Default: str("b'" + strings.Repeat("1", 64) + "'")}, "B'" + strings.Repeat("1", 64) + "'", true, ""},
		{"bit too wide", Column{DataType: "bit", ColumnType: "bit(2)", Default: str("b'100'")}, "", false, "not a valid bit value"},
		// MariaDB 10.11 prints BINARY(4) DEFAULT 'ab' with its pad.
		{"binary padded", Column{DataType: "binary", ColumnType: "binary(4)", Default: str(`'ab\0\0'`), DefaultQuoted: true}, `E'\\x61620000'::bytea`, true, ""},
		{"binary padded by us", Column{DataType: "binary", ColumnType: "binary(3)", Default: str(`'a'`), DefaultQuoted: true}, `E'\\x610000'::bytea`, true, ""},
		{"mysql binary hex", Column{DataType: "varbinary", ColumnType: "varbinary(3)", Default: str("0x0a0B")}, `E'\\x0a0b'::bytea`, true, "first zero byte"},
		{"mysql full binary(n) cannot be cut", Column{DataType: "binary", ColumnType: "binary(2)", Default: str("0x0a0B")}, `E'\\x0a0b'::bytea`, true, ""},
		{"mariadb quoted 0x is text", Column{DataType: "varbinary", ColumnType: "varbinary(4)", Default: str("'0x41'"), DefaultQuoted: true}, `E'\\x30783431'::bytea`, true, ""},
		{"year 0000", Column{DataType: "year", ColumnType: "year(4)", Default: str("0000")}, "0", true, ""},
		{"zero date nullable", Column{DataType: "date", ColumnType: "date", Nullable: true, Default: str("0000-00-00")}, "", true, "NULL is stored"},
		{"zero datetime not null", Column{DataType: "datetime", ColumnType: "datetime", Default: str("0000-00-00 00:00:00")}, "'-infinity'::timestamp", true, "-infinity"},
		{"year-zero date", Column{DataType: "date", ColumnType: "date", Default: str("0000-01-01")}, "'-infinity'::date", true, "zero date"},
		{"invalid date", Column{DataType: "date", ColumnType: "date", Default: str("2021-02-31")}, "", false, "not a valid date"},
		{"datetime with fraction", Column{DataType: "datetime", ColumnType: "datetime(6)", Default: str("2021-02-28 23:59:59.999999")}, "'2021-02-28 23:59:59.999999'::timestamp", true, ""},
		{"timestamp literal is UTC", Column{DataType: "timestamp", ColumnType: "timestamp", Default: str("'2021-02-28 10:00:00'"), DefaultQuoted: true}, "'2021-02-28 10:00:00+00'::timestamptz", true, ""},
		{"timestamp now", Column{DataType: "timestamp", ColumnType: "timestamp(6)", Default: str("current_timestamp(6)"), DefaultQuoted: true}, "CURRENT_TIMESTAMP", true, ""},
		{"datetime now", Column{DataType: "datetime", ColumnType: "datetime", Default: str("now()"), DefaultIsExpr: true}, "LOCALTIMESTAMP", true, ""},
		{"mysql 5.7 current_timestamp", Column{DataType: "timestamp", ColumnType: "timestamp", Default: str("CURRENT_TIMESTAMP")}, "CURRENT_TIMESTAMP", true, ""},
		{"now on a varchar", Column{DataType: "varchar", ColumnType: "varchar(30)", Default: str("now()"), DefaultIsExpr: true}, "", false, "expression"},
		{"curdate", Column{DataType: "date", ColumnType: "date", Default: str("curdate()"), DefaultQuoted: true}, "CURRENT_DATE", true, ""},
		{"time negative", Column{DataType: "time", ColumnType: "time", Default: str("-00:00:00.5")}, "'-00:00:00.5'::interval", true, ""},
		{"set", Column{DataType: "set", ColumnType: "set('a','b')", Default: str("'a,b'"), DefaultQuoted: true}, "'a,b'", true, ""},
		{"uuid()", Column{DataType: "uuid", ColumnType: "uuid", Default: str("uuid()"), DefaultQuoted: true}, "gen_random_uuid()", true, ""},
		{"uuid() on char(36)", Column{DataType: "char", ColumnType: "char(36)", Default: str("uuid()"), DefaultIsExpr: true}, "", false, "gen_random_uuid()::text"},
		{"json literal", Column{DataType: "longtext", ColumnType: "longtext", Kind: KindJSON, Default: str(`'[1,"x"]'`), DefaultQuoted: true}, `'[1,"x"]'::jsonb`, true, ""},
		{"json with NUL escape", Column{DataType: "longtext", ColumnType: "longtext", Kind: KindJSON, Default: str(`'"\\u0000"'`), DefaultQuoted: true}, "", false, "not a valid json"},
		{"inet4", Column{DataType: "inet4", ColumnType: "inet4", Default: str("'10.0.0.1'"), DefaultQuoted: true}, "'10.0.0.1'::inet", true, ""},
		{"expression", Column{DataType: "int", ColumnType: "int", Default: str("(1 + 2)"), DefaultQuoted: true}, "", false, "not translated"},
		{"parenthesised number", Column{DataType: "int", ColumnType: "int", Default: str("((7))"), DefaultIsExpr: true}, "7", true, ""},
		{"note shows control characters", Column{DataType: "varchar", ColumnType: "varchar(5)", Default: str("a\x00"), Nullable: true}, "", false, `"a\x00"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.col
			if err := Classify(&c); err != nil {
				t.Fatal(err)
			}
			expr, ok, note := Default(&c)
			if expr != tt.expr || ok != tt.ok {
				t.Errorf("Default = %q, %v (%s); want %q, %v", expr, ok, note, tt.expr, tt.ok)
			}
			if tt.note == "" && note != "" || !strings.Contains(note, tt.note) {
				t.Errorf("note = %q, want one containing %q", note, tt.note)
			}
		})
	}
}

func TestStripParens(t *testing.T) {
	tests := map[string]string{
		"(1)": "1", "((a))": "a", "(1)+(2)": "(1)+(2)", "f(x)": "f(x)",
		"(')')": "')'", "": "", "(": "(",
	}
	for in, want := range tests {
		if got := stripParens(in); got != want {
			t.Errorf("stripParens(%q) = %q, want %q", in, got, want)
		}
	}
}
