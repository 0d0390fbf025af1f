package source

import (
	"math"
	"reflect"
	"testing"

	"github.com/sluicedb/sluice/internal/schema"
)

func keyTable(keyCols ...string) *schema.Table {
	t := &schema.Table{Database: "shop", Name: "order`items", Columns: []schema.Column{{Name: "a"}, {Name: "b"}, {Name: "c"}}}
	if len(keyCols) > 0 {
		ix := schema.Index{Name: "PRIMARY", Primary: true, Unique: true}
		for _, k := range keyCols {
			ix.Columns = append(ix.Columns, schema.IndexColumn{Name: k})
		}
		t.Indexes = []schema.Index{ix}
	}
	return t
}

func TestSelectChunk(t *testing.T) {
	cases := []struct {
		name  string
		table *schema.Table
		chunk Chunk
		sql   string
		args  []any
	}{
		{"whole table", keyTable("a"), Chunk{},
			"SELECT `a`, `b`, `c` FROM `shop`.`order``items`", nil},
		{"keyless", keyTable(), Chunk{Lo: []any{int64(1)}},
			"SELECT `a`, `b`, `c` FROM `shop`.`order``items`", nil},
		{"first range", keyTable("a"), Chunk{Hi: []any{int64(10)}},
			"SELECT `a`, `b`, `c` FROM `shop`.`order``items` WHERE (`a` <= ?)", []any{int64(10)}},
		{"middle range", keyTable("a"), Chunk{Lo: []any{int64(10)}, Hi: []any{int64(20)}},
			"SELECT `a`, `b`, `c` FROM `shop`.`order``items` WHERE (`a` > ?) AND (`a` <= ?)", []any{int64(10), int64(20)}},
		{"last range", keyTable("a"), Chunk{Lo: []any{int64(20)}},
			"SELECT `a`, `b`, `c` FROM `shop`.`order``items` WHERE (`a` > ?)", []any{int64(20)}},
		{"composite", keyTable("a", "b"), Chunk{Lo: []any{"x", int64(1)}, Hi: []any{"y", int64(2)}},
			"SELECT `a`, `b`, `c` FROM `shop`.`order``items` WHERE " +
				"(`a` >= ? AND ((`a` > ?) OR (`a` = ? AND `b` > ?))) AND " +
				"(`a` <= ? AND ((`a` < ?) OR (`a` = ? AND `b` <= ?)))",
			[]any{"x", "x", "x", int64(1), "y", "y", "y", int64(2)}},
		{"three columns", keyTable("a", "b", "c"), Chunk{Lo: []any{1, 2, 3}},
			"SELECT `a`, `b`, `c` FROM `shop`.`order``items` WHERE " +
				"(`a` >= ? AND ((`a` > ?) OR (`a` = ? AND `b` > ?) OR (`a` = ? AND `b` = ? AND `c` > ?)))",
			[]any{1, 1, 1, 2, 1, 2, 3}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			sql, args := SelectChunk(tc.table, tc.chunk)
			if sql != tc.sql {
				t.Errorf("sql\n got %s\nwant %s", sql, tc.sql)
			}
			if !reflect.DeepEqual(args, tc.args) {
				t.Errorf("args got %v, want %v", args, tc.args)
			}
		})
	}
}

func TestBoundsRoundTrip(t *testing.T) {
	for _, vals := range [][]any{
		nil,
		{int64(math.MinInt64), uint64(math.MaxUint64)},
		{math.Copysign(0, -1), float32(math.SmallestNonzeroFloat32), math.MaxFloat64},
		{[]byte{0, 1, 0xff, 0}, []byte{}},
	} {
		enc, err := EncodeBounds(vals)
		if err != nil {
			t.Fatal(err)
		}
		got, err := DecodeBounds(enc)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(vals) {
			t.Fatalf("%v: decoded %v", vals, got)
		}
		for i := range vals {
			a, b := vals[i], got[i]
			switch a := a.(type) {
			case float64:
				if math.Float64bits(a) != math.Float64bits(b.(float64)) {
					t.Errorf("float64 %v: got %v", a, b)
				}
			case float32:
				if math.Float32bits(a) != math.Float32bits(b.(float32)) {
					t.Errorf("float32 %v: got %v", a, b)
				}
			default:
				if !reflect.DeepEqual(a, b) {
					t.Errorf("%#v: got %#v", a, b)
				}
			}
		}
	}
	if _, err := EncodeBounds([]any{struct{}{}}); err == nil {
		t.Error("an unsupported boundary type was encoded")
	}
	for _, bad := range []string{"[", `["x1"]`, `["iabc"]`, `[""]`} {
		if _, err := DecodeBounds(bad); err == nil {
			t.Errorf("DecodeBounds(%q) succeeded", bad)
		}
	}
}
