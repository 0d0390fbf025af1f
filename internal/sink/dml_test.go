package sink

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/sluicedb/sluice/internal/schema"
)

func TestBuildDML(t *testing.T) {
	tb := &schema.Table{Database: "Shop", Name: "Users", TargetSchema: "shop", TargetName: "users",
		Columns: []schema.Column{
			{Name: "id", TargetName: "id", Kind: schema.KindInt},
			{Name: "Email", TargetName: "email", Kind: schema.KindText},
			{Name: "nick", TargetName: "nick", Kind: schema.KindText},
			{Name: "loc", TargetName: "loc", Kind: schema.KindGeometry},
		},
		Indexes: []schema.Index{
			{Name: "PRIMARY", Primary: true, Unique: true, Columns: []schema.IndexColumn{{Name: "id"}}},
			{Name: "uk_email", Unique: true, Columns: []schema.IndexColumn{{Name: "Email"}}},
			{Name: "uk_nick_prefix", Unique: true, Columns: []schema.IndexColumn{{Name: "nick", SubPart: 3}}},
			{Name: "ix_nick", Columns: []schema.IndexColumn{{Name: "nick"}}},
		}}
	tg := TargetOf(tb)
	if !reflect.DeepEqual(tg.Key, []int{0}) || !reflect.DeepEqual(tg.Uniques, [][]int{{1}}) {
		t.Fatalf("target %+v", tg)
	}
	got := BuildDML(tg)
	want := DML{
		Insert: `INSERT INTO "shop"."users" ("id", "email", "nick", "loc") VALUES ($1, $2, $3, $4)`,
		Upsert: `INSERT INTO "shop"."users" ("id", "email", "nick", "loc") VALUES ($1, $2, $3, $4) ON CONFLICT ("id") DO UPDATE SET "email" = EXCLUDED."email", "nick" = EXCLUDED."nick", "loc" = EXCLUDED."loc"`,
		Update: `UPDATE "shop"."users" SET "id" = $1, "email" = $2, "nick" = $3, "loc" = $4 WHERE "id" = $5`,
		Delete: `DELETE FROM "shop"."users" WHERE "id" = $1`,
		Conflicts: []string{
			`DELETE FROM "shop"."users" WHERE "email" = $2 AND ("id") IS DISTINCT FROM ($1)`,
		},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got\n%#v\nwant\n%#v", got, want)
	}

	tb.Indexes = nil // keyless
	got = BuildDML(TargetOf(tb))
	match := `ctid = (SELECT ctid FROM "shop"."users" WHERE "id" IS NOT DISTINCT FROM $%d AND "email" IS NOT DISTINCT FROM $%d AND "nick" IS NOT DISTINCT FROM $%d AND "loc"::bytea IS NOT DISTINCT FROM $%d::bytea LIMIT 1)`
	wantDel := `DELETE FROM "shop"."users" WHERE ` + fmt.Sprintf(match, 1, 2, 3, 4)
	wantUpd := `UPDATE "shop"."users" SET "id" = $1, "email" = $2, "nick" = $3, "loc" = $4 WHERE ` + fmt.Sprintf(match, 5, 6, 7, 8)
	if got.DeleteRow != wantDel || got.UpdateRow != wantUpd || got.Upsert != "" || got.Delete != "" {
		t.Errorf("keyless:\n%s\n%s", got.DeleteRow, got.UpdateRow)
	}
}

func TestUpsertAllKeyColumns(t *testing.T) {
	tg := Target{Ref: TableRef{TargetSchema: "s", TargetTable: "t"}, Cols: []string{"a", "b"}, Key: []int{0, 1}}
	if got := BuildDML(tg).Upsert; got != `INSERT INTO "s"."t" ("a", "b") VALUES ($1, $2) ON CONFLICT ("a", "b") DO NOTHING` {
		t.Errorf("upsert = %s", got)
	}
}

func TestMergeDML(t *testing.T) {
	tg := Target{Ref: TableRef{TargetSchema: "s", TargetTable: "t"}, Cols: []string{"id", "v", "_sluice_origin"}, Key: []int{0}, Origin: 3,
		Uniques: [][]int{{1}}}
	d := BuildDML(tg)
	for got, want := range map[string]string{
		d.Merge: `INSERT INTO "s"."t" ("id", "v", "_sluice_origin") VALUES ($1, $2, $3) ON CONFLICT ("id") DO UPDATE SET ` +
			`"v" = EXCLUDED."v", "_sluice_origin" = EXCLUDED."_sluice_origin" WHERE "s"."t"."_sluice_origin" = EXCLUDED."_sluice_origin"`,
		d.Update: `UPDATE "s"."t" SET "id" = $1, "v" = $2, "_sluice_origin" = $3 WHERE "id" = $4 AND "_sluice_origin" = $3`,
		d.Delete: `DELETE FROM "s"."t" WHERE "id" = $1 AND "_sluice_origin" = $2`,
	} {
		if got != want {
			t.Errorf("got  %s\nwant %s", got, want)
		}
	}
	if len(d.Conflicts) != 0 {
		t.Errorf("a merged table's unique conflicts are another origin's rows: %v", d.Conflicts)
	}
}
