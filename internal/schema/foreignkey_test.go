package schema

import (
	"strings"
	"testing"
)

func fkTables() (child, parent *Table) {
	parent = &Table{Database: "shop", Name: "customers", TargetSchema: "shop", TargetName: "customers",
		Columns: []Column{{Name: "id"}, {Name: "email"}},
		Indexes: []Index{{Name: "PRIMARY", Primary: true, Unique: true, Columns: []IndexColumn{{Name: "id"}}}}}
	child = &Table{Database: "shop", Name: "orders", TargetSchema: "shop", TargetName: "orders",
		Columns: []Column{{Name: "id"}, {Name: "customer_id"}, {Name: "email"}},
		ForeignKeys: []ForeignKey{
			{Name: "fk_customer", Columns: []string{"customer_id"}, RefDatabase: "shop", RefTable: "customers",
				RefColumns: []string{"id"}, OnDelete: "CASCADE", OnUpdate: "RESTRICT"},
			{Name: "fk_email", Columns: []string{"email"}, RefDatabase: "shop", RefTable: "customers",
				RefColumns: []string{"email"}, OnDelete: "restrict", OnUpdate: ""},
			{Name: "fk_gone", Columns: []string{"id"}, RefDatabase: "shop", RefTable: "archive", RefColumns: []string{"id"}},
			{Name: "fk_odd", Columns: []string{"id"}, RefDatabase: "shop", RefTable: "customers", RefColumns: []string{"id"}, OnDelete: "SET NOTHING"},
		}}
	return child, parent
}

func TestForeignKeysPairs(t *testing.T) {
	child, parent := fkTables()
	want := []string{
		`ALTER TABLE "shop"."orders" ADD CONSTRAINT "orders_fk_customer" FOREIGN KEY ("customer_id") REFERENCES "shop"."customers" ("id") ON DELETE CASCADE ON UPDATE RESTRICT NOT VALID`,
		`ALTER TABLE "shop"."orders" VALIDATE CONSTRAINT "orders_fk_customer"`,
	}
	ddls, notes := ForeignKeyDDLs(child, func(db, table string) *Table {
		if db == parent.Database && table == parent.Name {
			return parent
		}
		return nil
	})
	if len(ddls) != 1 || ddls[0].Add != want[0] || ddls[0].Validate != want[1] || ddls[0].Name != "orders_fk_customer" {
		t.Errorf("ForeignKeyDDLs = %+v", ddls)
	}
	if len(notes) != 3 || !strings.Contains(notes[0].Message, "unique constraint on exactly (email)") {
		t.Errorf("notes = %v", notes)
	}
}
