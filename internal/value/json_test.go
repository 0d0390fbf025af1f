package value

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/sluicedb/sluice/internal/schema"
)

var (
	mysqlJSON   = kindCol(schema.KindJSON)
	mariadbJSON = schema.Column{Name: "j", Kind: schema.KindJSON, Charset: "utf8mb4", Nullable: true}
)

// jsonCases hold values whose text is the same on both paths; how the two
// renderings of one document compare is TestJSONRenderingsLandEqual.
var jsonCases = []tcase{
	{name: "int64 max", col: mysqlJSON, snap: []byte("9223372036854775807"), bin: "9223372036854775807", image: imgJSON(jsonbInt64(9223372036854775807)), want: "9223372036854775807"},
	{name: "uint64 max", col: mysqlJSON, snap: []byte("18446744073709551615"), bin: "18446744073709551615", image: imgJSON(jsonbUint64(18446744073709551615)), want: "18446744073709551615"},
	{name: "string", col: mysqlJSON, snap: []byte(`"é😀"`), bin: `"é😀"`, image: imgJSON(jsonbString("é😀")), want: `"é😀"`},
	// MySQL reads an empty binary JSON value as null; go-mysql hands out []byte{}.
	{name: "empty is null", col: mysqlJSON, snap: []byte("null"), bin: []byte{}, image: imgJSON(nil), want: "null"},
	{name: "nul escape fails", col: mysqlJSON, snap: []byte(`"a\u0000b"`), bin: `"a\u0000b"`, image: imgJSON(jsonbString("a\x00b")), err: `\u0000 at offset 2`},
	{name: "nul escape stripped", col: mysqlJSON, pol: strip, snap: []byte(`"a\u0000b\u0000"`), bin: `"a\u0000b\u0000"`, image: imgJSON(jsonbString("a\x00b\x00")), want: `"ab"`, fix: FixStrippedNUL},
	{name: "escaped backslash is not nul", col: mysqlJSON, snap: []byte(`"\\u0000"`), bin: `"\\u0000"`, image: imgJSON(jsonbString(`\u0000`)), want: `"\\u0000"`},
	{name: "nul escape in key", col: mysqlJSON, pol: strip, snap: []byte(`{"k\u0000": "\\", "x": "\u0000"}`), bin: none, want: `{"k": "\\", "x": ""}`, fix: FixStrippedNUL},
	{name: "invalid utf8", col: mysqlJSON, snap: []byte("\"\xff\""), bin: none, err: "invalid UTF-8 at byte offset 1"},
	{name: "raw nul", col: mysqlJSON, snap: []byte("\"\x00\""), bin: none, err: "NUL byte at offset 1"},
	{name: "mariadb text json", col: mariadbJSON, snap: []byte(`{"a": 1.0, "b": [1, 2]}`), bin: []byte(`{"a": 1.0, "b": [1, 2]}`), image: imgBlob([]byte(`{"a": 1.0, "b": [1, 2]}`)), want: `{"a": 1.0, "b": [1, 2]}`},
	// The binlog's rendering of MySQL's {"a": 1.0} with go-mysql defaults, and
	// with RenderJSONAsMySQLText.
	{name: "double default rendering", col: mysqlJSON, snap: none, bin: `{"a":1}`, image: imgJSON(jsonbObjectDouble("a", 1.0)), want: `{"a":1}`},
	{name: "double mysql-text rendering", col: mysqlJSON, snap: none, bin: `{"a":1.0}`, image: &rowImage{col: imgJSON(nil).col, data: imgJSON(jsonbObjectDouble("a", 1.0)).data, mysqlText: true}, want: `{"a":1.0}`},
	{name: "json as int", col: mysqlJSON, snap: int64(1), bin: int64(1), err: "has Go type int64"},
}

func TestJSON(t *testing.T) { runCases(t, jsonCases) }

// TestJSONRenderingsLandEqual compares the snapshot text of a MySQL JSON
// document with the binlog's re-rendering the way jsonb would: same
// structure, same numbers as written (jsonb keeps 1.0 and 1 apart in its
// output). go-mysql's default rendering loses the ".0" of a double; with
// RenderJSONAsMySQLText it does not — the binlog reader should set it.
func TestJSONRenderingsLandEqual(t *testing.T) {
	conv, err := New(&mysqlJSON, Policy{})
	if err != nil {
		t.Fatal(err)
	}
	snap, _, err := conv.Snapshot([]byte(`{"a": 1.0}`))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		bin   string
		equal bool
	}{
		{`{"a":1}`, false},  // go-mysql default
		{`{"a":1.0}`, true}, // RenderJSONAsMySQLText
	} {
		bin, _, err := conv.Binlog(tc.bin)
		if err != nil {
			t.Fatal(err)
		}
		if got := jsonbEqual(t, snap.(string), bin.(string)); got != tc.equal {
			t.Errorf("snapshot %s vs binlog %s: equal = %v, want %v", snap, bin, got, tc.equal)
		}
	}
}

// jsonbEqual compares two JSON texts as jsonb stores them: whitespace and key
// order do not matter, number text does.
func jsonbEqual(t *testing.T, a, b string) bool {
	t.Helper()
	parse := func(s string) any {
		d := json.NewDecoder(bytes.NewReader([]byte(s)))
		d.UseNumber()
		var v any
		if err := d.Decode(&v); err != nil {
			t.Fatalf("bad JSON %q: %v", s, err)
		}
		return v
	}
	return reflect.DeepEqual(parse(a), parse(b))
}
