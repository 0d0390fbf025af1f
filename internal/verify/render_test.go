package verify

import (
	"strings"
	"testing"

	"github.com/sluicedb/sluice/internal/schema"
	"github.com/sluicedb/sluice/internal/value"
)

func TestPlanModes(t *testing.T) {
	col := func(name string, k schema.Kind) schema.Column {
		return schema.Column{Name: name, TargetName: strings.ToLower(name), Kind: k, IntBytes: 4, ColumnType: "int"}
	}
	pk := func(cols ...string) []schema.Index {
		ix := schema.Index{Name: "PRIMARY", Primary: true, Unique: true}
		for _, c := range cols {
			ix.Columns = append(ix.Columns, schema.IndexColumn{Name: c})
		}
		return []schema.Index{ix}
	}
	cases := []struct {
		name string
		t    schema.Table
		want mode
	}{
		{"int key", schema.Table{Columns: []schema.Column{col("id", schema.KindInt), col("v", schema.KindText)}, Indexes: pk("id")}, byRange},
		{"text key", schema.Table{Columns: []schema.Column{col("k", schema.KindText)}, Indexes: pk("k")}, byHash},
		{"int+text key", schema.Table{Columns: []schema.Column{col("a", schema.KindInt), col("k", schema.KindText)}, Indexes: pk("a", "k")}, byHash},
		{"double key", schema.Table{Columns: []schema.Column{col("d", schema.KindDouble)}, Indexes: pk("d")}, whole},
		{"no key", schema.Table{Columns: []schema.Column{col("a", schema.KindInt)}}, whole},
	}
	for _, c := range cases {
		c.t.Database, c.t.Name, c.t.TargetSchema, c.t.TargetName = "db", "t", "db", "t"
		tb, err := newTable(&c.t, value.Policy{}, false, 1000)
		if err != nil || tb.mode != c.want {
			t.Errorf("%s: mode %v, want %v (%v)", c.name, tb.mode, c.want, err)
		}
	}
}

// TestRowText pins the rendering of a row on both servers: the two sides
// of each pair must compute the same text for the same value.
func TestRowText(t *testing.T) {
	tb := &schema.Table{Database: "db", Name: "t", TargetSchema: "db", TargetName: "t", Columns: []schema.Column{
		{Name: "id", TargetName: "id", Kind: schema.KindInt, ColumnType: "int(8) unsigned zerofill"},
		{Name: "Name", TargetName: "name", Kind: schema.KindText, Charset: "utf8mb4"},
		{Name: "d", TargetName: "d", Kind: schema.KindDate},
		{Name: "f", TargetName: "f", Kind: schema.KindDouble, Nullable: true},
		{Name: "l1", TargetName: "l1", Kind: schema.KindText, Charset: "latin1", Nullable: true},
	}}
	cols := columns(tb, value.Policy{}, false)
	my, pg := rowText(cols, false), rowText(cols, true)
	wantMy := "CONCAT_WS(',', (`id` + 0), LENGTH(`Name`), `Name`, " +
		"CASE WHEN `d` IS NULL THEN NULL WHEN YEAR(`d`) = 0 OR MONTH(`d`) = 0 OR DAY(`d`) = 0 THEN '-infinity' ELSE DATE_FORMAT(`d`, '%Y-%m-%d') END, " +
		"IFNULL(CONCAT(LENGTH(CONVERT(`l1` USING utf8mb4)), ',', CONVERT(`l1` USING utf8mb4)), 'N'))"
	wantPG := `concat_ws(',', coalesce("id"::text, 'N'), coalesce(octet_length("name"::text)::text || ',' || "name"::text, 'N'), ` +
		`coalesce(CASE WHEN isfinite("d") THEN to_char("d", 'YYYY-MM-DD') ELSE "d"::text END, 'N'), ` +
		`coalesce(octet_length("l1"::text)::text || ',' || "l1"::text, 'N'))`
	if my != wantMy {
		t.Errorf("MySQL row text:\n got %s\nwant %s", my, wantMy)
	}
	if pg != wantPG {
		t.Errorf("PostgreSQL row text:\n got %s\nwant %s", pg, wantPG)
	}
	if !cols[3].fetch {
		t.Error("DOUBLE is not fetched")
	}
}
