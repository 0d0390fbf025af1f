package precheck

import (
	"strings"
	"testing"

	"github.com/sluicedb/sluice/internal/schema"
	"github.com/sluicedb/sluice/internal/sink"
)

func mappingTable() *schema.Table {
	return &schema.Table{Database: "shop", Name: "Products", TargetSchema: "shop", TargetName: "products",
		Columns: []schema.Column{
			{Name: "id", TargetName: "id", Kind: schema.KindInt},
			{Name: "Name", TargetName: "name", Kind: schema.KindText},
			{Name: "sku", TargetName: "sku", Kind: schema.KindBinary},
			{Name: "secret", TargetName: "secret", Kind: schema.KindText, Invisible: true},
		},
		Indexes: []schema.Index{
			{Name: "PRIMARY", Primary: true, Unique: true, Columns: []schema.IndexColumn{{Name: "id"}}},
			{Name: "idx_name", Columns: []schema.IndexColumn{{Name: "Name", SubPart: 20}}},
			{Name: "uk_sku_name", Unique: true, Columns: []schema.IndexColumn{{Name: "sku", SubPart: 4}, {Name: "Name"}}},
			{Name: "idx_fn", Columns: []schema.IndexColumn{{Name: ""}, {Name: "Name", SubPart: 3}}},
			{Name: "idx_whole", Columns: []schema.IndexColumn{{Name: "Name"}}},
		}}
}

func TestPrefixIndex(t *testing.T) {
	tb := mappingTable()
	for _, c := range []struct {
		index    int
		msg, fix string
	}{
		{1, `index idx_name (Name(20)) of shop.Products is a prefix index: it becomes an expression index on (left(name, 20)) in PostgreSQL, which queries on the plain column (WHERE col = …, ORDER BY col, joins) do not use`,
			`acknowledge: --ack prefix-index; and if queries need it, after the load create a full-column index on the target: CREATE INDEX ON "shop"."products" ("name"); (for equality lookups on values longer than a btree entry's 2,700 bytes: CREATE INDEX ON "shop"."products" USING hash ("name");)`},
		{2, `unique index uk_sku_name (sku(4), Name) of shop.Products is a prefix index: it becomes an expression index on (substring(sku from 1 for 4), name) in PostgreSQL, which queries on the plain column (WHERE col = …, ORDER BY col, joins) do not use`,
			`acknowledge: --ack prefix-index; and if queries need it, after the load create a full-column index on the target: CREATE INDEX ON "shop"."products" ("sku", "name");`},
		{3, `index idx_fn ((expression), Name(3)) of shop.Products is a prefix index: schema sync does not create it in PostgreSQL (see its notes)`, ""},
	} {
		msg, fix, ok := prefixIndex(tb, &tb.Indexes[c.index])
		if !ok || msg != c.msg || (c.fix != "" && fix != c.fix) {
			t.Errorf("%s: ok %v\n msg %s\nwant %s\n fix %s\nwant %s", tb.Indexes[c.index].Name, ok, msg, c.msg, fix, c.fix)
		}
	}
	for _, i := range []int{0, 4} {
		if _, _, ok := prefixIndex(tb, &tb.Indexes[i]); ok {
			t.Errorf("%s is not a prefix index", tb.Indexes[i].Name)
		}
	}
}

func TestCheckMapping(t *testing.T) {
	tb := mappingTable()
	var r Report
	checkMapping(&r, Input{Tables: []*schema.Table{tb}})
	var got []string
	for _, res := range r.Results {
		if res.Severity != Warning || !strings.Contains(res.Instruction, "--ack "+res.ID) {
			t.Errorf("%+v: want a warning whose fix names its --ack", res)
		}
		got = append(got, res.ID+" "+res.Object)
	}
	want := "prefix-index shop.Products.idx_name, prefix-index shop.Products.uk_sku_name, prefix-index shop.Products.idx_fn, invisible-column shop.Products.secret"
	if strings.Join(got, ", ") != want {
		t.Errorf("results %q\nwant %q", strings.Join(got, ", "), want)
	}
	// A table this task already created is not reported again.
	r = Report{}
	created := map[sink.TableRef]bool{{SourceDB: "shop", SourceTable: "Products", TargetSchema: "shop", TargetTable: "products"}: true}
	checkMapping(&r, Input{Tables: []*schema.Table{tb}, Created: created})
	if len(r.Results) != 0 {
		t.Errorf("a created table reported again: %+v", r.Results)
	}
}
