package config

import (
	"strings"
	"testing"
)

func TestTaskFileMapping(t *testing.T) {
	tf, err := ParseTaskFile("t.yaml", []byte(`case: upper
schemas: {shop: sales, crm: CRM}
rename_tables:
  - {match: "shop.tmp_*", replace: ["^tmp_(.*)$", "t_$1"]}
  - {match: "crm.*", prefix: old_, suffix: _v1}
tables:
  shop.orders:
    target: sales.orders2
    columns: [id, total]
    rename_columns: {total: amount}
`))
	if err != nil {
		t.Fatal(err)
	}
	m := tf.Mapping
	if m.Schemas["crm"] != "CRM" || len(m.Rules) != 2 || m.Rules[0].Apply("tmp_cart") != "t_cart" || m.Rules[1].Apply("x") != "old_x_v1" {
		t.Errorf("mapping %+v", m)
	}
	o := m.Table("shop", "orders")
	if o == nil || o.Target != "sales.orders2" || strings.Join(o.Columns, ",") != "id,total" || o.Rename["total"] != "amount" || o.Line != 7 {
		t.Errorf("orders options %+v", o)
	}
	f := NewFlags()
	if err := f.Apply(tf); err != nil {
		t.Fatal(err)
	}
	f.Source, f.Target = "mysql://u@h", "postgres://u@h/db"
	task, err := f.Task()
	if err != nil || task.Mapping.Case != "upper" || task.Mapping.Table("shop", "orders") == nil {
		t.Errorf("task mapping %+v %v", task, err)
	}
}

func TestTaskFileMappingErrors(t *testing.T) {
	for text, want := range map[string]string{
		"schemas: [a]\n":                                          `t.yaml:1: schemas: want a mapping`,
		"schemas: {shop: }\n":                                     `t.yaml:1: schemas.shop: no value`,
		"rename_tables: {match: x}\n":                             `t.yaml:1: rename_tables: want a list of rules`,
		"rename_tables:\n  - {match: a.*}\n":                      `t.yaml:2: rename_tables: a rename rule needs prefix, suffix or replace`,
		"rename_tables:\n  - {prefix: x}\n":                       `a rename rule needs match`,
		"rename_tables:\n  - {match: a.*, repl: x}\n":             `t.yaml:2: rename_tables.repl: unknown key "repl" in a rename rule`,
		"rename_tables:\n  - {match: a.*, replace: [\"(\", x]}\n": `t.yaml:2: rename_tables.replace: error parsing regexp`,
		"tables:\n  shop.*:\n    target: x\n":                     `t.yaml:2: tables.shop.*: a table is named db.table, exactly`,
		"tables:\n  shop.t:\n    colums: [a]\n":                   `t.yaml:3: tables.shop.t.colums: unknown table option "colums"`,
		"tables:\n  shop.t:\n    target: a.b.c\n":                 `t.yaml:3: tables.shop.t.target: "a.b.c": want schema.table or table`,
		"tables:\n  shop.t:\n    columns: [a, \"\"]\n":            `an empty column name`,
		"tables:\n  shop.t: 3\n":                                  `t.yaml:2: tables.shop.t: want the table's options`,
		"case: lower\n":                                           `t.yaml:1: case: "lower" is not a case policy`,
	} {
		_, err := ParseTaskFile("t.yaml", []byte(text))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: err = %v, want %q", text, err, want)
		}
	}
}
