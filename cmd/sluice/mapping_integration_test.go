//go:build integration

package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/sluicedb/sluice/internal/testdb"
)

// mappingTask writes a task file for src → dst with the given mapping keys.
func mappingTask(t *testing.T, src *testdb.MySQLDB, dst *testdb.PGDB, mapping string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "task.yaml")
	text := fmt.Sprintf("source: %s\ntarget: %s\ninclude: [%s.*]\nprogress_interval: 100ms\n%s", src.URL, dst.URL, src.Name, mapping)
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestMapping renames a schema, a table by its own target and others by a
// rule, keeps the source's case, selects and renames columns, and checks
// the result of the full load and of the binlog (rows changed after the
// load, also in a column left out) against the source, row by row.
func TestMapping(t *testing.T) {
	src := testdb.MySQL(t)
	dst := testdb.Postgres(t)
	src.Exec(t, `CREATE TABLE Orders (id INT PRIMARY KEY, Customer_ID INT NOT NULL, Total DECIMAL(10,2), Notes TEXT,
			Status VARCHAR(10), KEY idx_notes (Notes(10)), KEY idx_status (Status))`,
		`INSERT INTO Orders SELECT seq, seq % 7, seq * 1.25, CONCAT('note ', seq), IF(seq % 2, 'open', 'paid') FROM seq_1_to_300`,
		`CREATE TABLE tmp_Cart (id INT PRIMARY KEY, n INT)`, `INSERT INTO tmp_Cart SELECT seq, seq FROM seq_1_to_10`)
	task := mappingTask(t, src, dst, fmt.Sprintf(`case: source
schemas: {%[1]s: Sales}
rename_tables:
  - {match: "%[1]s.tmp_*", replace: ["^tmp_(.*)$", "t_$1"]}
tables:
  %[1]s.Orders:
    target: Sales.orders2
    columns: [id, Customer_ID, Total, Status]
    rename_columns: {Total: amount}
`, src.Name))

	chk := sluice(t, "check", "--task", task, "--output", "json", "--phases", "schema,full")
	var report struct {
		Names []struct {
			Source, Target string
			Renamed        []struct{ Source, Target string } `json:"renamed_columns"`
			Omitted        []string                          `json:"omitted_columns"`
		} `json:"names"`
	}
	if err := json.Unmarshal([]byte(chk.stdout), &report); err != nil {
		t.Fatalf("check: %v\n%s", err, chk.stdout)
	}
	names := map[string]string{}
	for _, n := range report.Names {
		names[n.Source] = n.Target
		if n.Source == src.Name+".Orders" && (len(n.Renamed) != 1 || n.Renamed[0].Target != "amount" || !slices.Equal(n.Omitted, []string{"Notes"})) {
			t.Errorf("check names of Orders: %+v", n)
		}
	}
	if names[src.Name+".Orders"] != "Sales.orders2" || names[src.Name+".tmp_Cart"] != "Sales.t_Cart" {
		t.Errorf("check names: %v", names)
	}

	mustRun(t, "run", "--task", task, "--phases", "schema,full")
	if got := dst.QueryValue(t, `SELECT count(*) FROM pg_indexes WHERE schemaname = 'Sales' AND tablename = 'orders2'`); got != int64(2) {
		t.Errorf("orders2 has %v indexes, want 2 (primary key, idx_status; idx_notes is over a column left out)", got)
	}
	src.Exec(t, `UPDATE Orders SET Total = Total + 1, Notes = 'changed' WHERE id <= 50`,
		`UPDATE Orders SET Notes = 'only notes' WHERE id BETWEEN 51 AND 60`,
		`DELETE FROM Orders WHERE id > 290`, `INSERT INTO Orders VALUES (1000, 1, 9.99, 'x', 'new')`,
		`UPDATE tmp_Cart SET n = n * 10`)
	mustRun(t, "run", "--task", task, "--stop-when-caught-up")

	want := src.QueryRows(t, `SELECT CAST(id AS CHAR), CAST(Customer_ID AS CHAR), CAST(Total AS CHAR), Status FROM Orders o ORDER BY o.id`)
	got := dst.QueryRows(t, `SELECT id::text, "Customer_ID"::text, amount::text, "Status" FROM "Sales".orders2 o ORDER BY o.id`)
	if fmt.Sprint(want) != fmt.Sprint(got) {
		t.Errorf("Sales.orders2 differs from the source:\n source %d rows %.300v\n target %d rows %.300v", len(want), fmt.Sprint(want), len(got), fmt.Sprint(got))
	}
	cols := dst.QueryRows(t, `SELECT column_name FROM information_schema.columns WHERE table_schema = 'Sales' AND table_name = 'orders2' ORDER BY ordinal_position`)
	if fmt.Sprint(cols) != "[[id] [Customer_ID] [amount] [Status]]" {
		t.Errorf("orders2 columns: %v", cols)
	}
	if n := dst.QueryValue(t, `SELECT sum(n) FROM "Sales"."t_Cart"`); fmt.Sprint(n) != "550" {
		t.Errorf("Sales.t_Cart sum %v, want 550", n)
	}
	if v := sluice(t, "verify", "--task", task); v.code != 0 {
		t.Errorf("verify of the mapped tables: exit %d\n%s%s", v.code, v.stdout, v.stderr)
	}
}

// TestMappingErrors: a collision after mapping is a precheck error naming
// both sources; a table option naming a missing column or table is bad
// usage naming the line; upper case applies to every name.
func TestMappingErrors(t *testing.T) {
	src := testdb.MySQL(t)
	dst := testdb.Postgres(t)
	src.Exec(t, `CREATE TABLE a (id INT PRIMARY KEY, v INT)`, `CREATE TABLE b (id INT PRIMARY KEY, V2 INT)`)

	clash := mappingTask(t, src, dst, fmt.Sprintf("tables:\n  %[1]s.b:\n    target: a\n    rename_columns: {V2: id}\n", src.Name))
	r := sluice(t, "check", "--task", clash, "--phases", "schema,full")
	if r.code != 3 || !strings.Contains(r.stdout, src.Name+".a and "+src.Name+".b both need the name") ||
		!strings.Contains(r.stdout, `columns "id" and "V2" both become "id"`) {
		t.Errorf("collision: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}

	badCol := mappingTask(t, src, dst, fmt.Sprintf("tables:\n  %s.a:\n    columns: [id, nope]\n", src.Name))
	if r := sluice(t, "check", "--task", badCol); r.code != 2 || !strings.Contains(r.stderr, `line 6: tables.`+src.Name+`.a.columns: the table has no column "nope"`) {
		t.Errorf("bad column: exit %d\n%s", r.code, r.stderr)
	}
	keyless := mappingTask(t, src, dst, fmt.Sprintf("tables:\n  %s.a:\n    columns: [v]\n", src.Name))
	if r := sluice(t, "check", "--task", keyless); r.code != 2 || !strings.Contains(r.stderr, "leave out id, a column of the key") {
		t.Errorf("key left out: exit %d\n%s", r.code, r.stderr)
	}
	badTable := mappingTask(t, src, dst, fmt.Sprintf("tables:\n  %s.zz:\n    target: q\n", src.Name))
	if r := sluice(t, "check", "--task", badTable); r.code != 2 || !strings.Contains(r.stderr, "no such table among the selected ones") {
		t.Errorf("bad table: exit %d\n%s", r.code, r.stderr)
	}

	upper := mappingTask(t, src, dst, "case: upper\n")
	mustRun(t, "run", "--task", upper, "--phases", "schema")
	got := dst.QueryRows(t, `SELECT table_schema || '.' || table_name || '.' || column_name FROM information_schema.columns
		WHERE table_schema = $1 ORDER BY 1`, strings.ToUpper(src.Name))
	want := fmt.Sprintf("[[%[1]s.A.ID] [%[1]s.A.V] [%[1]s.B.ID] [%[1]s.B.V2]]", strings.ToUpper(src.Name))
	if fmt.Sprint(got) != want {
		t.Errorf("case upper: %v, want %s", got, want)
	}
}

// TestTransforms applies every transform and added column on both paths
// and checks each against the same function computed by MariaDB itself.
func TestTransforms(t *testing.T) {
	src := testdb.MySQL(t)
	dst := testdb.Postgres(t)
	src.Exec(t, `CREATE TABLE cust (id INT PRIMARY KEY, email VARCHAR(100), name VARCHAR(50) NOT NULL, card VARCHAR(20),
			note TEXT NOT NULL, code VARCHAR(10), city VARCHAR(30))`,
		`INSERT INTO cust SELECT seq, CONCAT('user', seq, '@example.com'), CONCAT('Zoë ', seq), CONCAT('41111111', LPAD(seq, 8, '0')),
			'private', IF(seq % 5 = 0, NULL, CONCAT('k', seq)), CONCAT('  City ', seq, ' ') FROM seq_1_to_200`)
	task := mappingTask(t, src, dst, fmt.Sprintf(`tables:
  %s.cust:
    transforms: {email: sha256, name: upper, card: redact(4), note: null, code: "concat('c-', $value)", city: trim}
    add_columns: {src_db: $database, src_table: $table, changed_at: $commit_ts, region: "'eu-1'"}
`, src.Name))
	mustRun(t, "run", "--task", task, "--phases", "schema,full")
	src.Exec(t, `UPDATE cust SET email = CONCAT('new', id, '@example.com'), name = 'Renée' WHERE id <= 20`,
		`INSERT INTO cust VALUES (500, 'x@y.z', 'late', '1234', 'n', 'q', ' Oslo')`, `DELETE FROM cust WHERE id BETWEEN 190 AND 195`)
	mustRun(t, "run", "--task", task, "--stop-when-caught-up")

	want := src.QueryRows(t, fmt.Sprintf(`SELECT CAST(id AS CHAR), SHA2(email, 256), UPPER(name),
			CONCAT(REPEAT('*', GREATEST(CHAR_LENGTH(card) - 4, 0)), RIGHT(card, 4)), 'NULL', IFNULL(CONCAT('c-', code), 'NULL'), TRIM(city),
			'%s', 'cust', IF(id <= 20 OR id = 500, 'changed', 'NULL'), 'eu-1' FROM cust o ORDER BY o.id`, src.Name))
	got := dst.QueryRows(t, fmt.Sprintf(`SELECT id::text, email, name, card, coalesce(note, 'NULL'), coalesce(code, 'NULL'), city,
			src_db, src_table, CASE WHEN changed_at IS NULL THEN 'NULL' WHEN changed_at > now() - interval '5 minutes' THEN 'changed' ELSE 'old' END,
			region FROM %q.cust o ORDER BY o.id`, strings.ToLower(src.Name)))
	if len(want) != len(got) {
		t.Fatalf("%d rows in the target, %d in the source", len(got), len(want))
	}
	for i := range want {
		if fmt.Sprint(want[i]) != fmt.Sprint(got[i]) {
			t.Errorf("row %d:\n source (transformed by MariaDB) %v\n target                          %v", i, want[i], got[i])
			break
		}
	}
	types := dst.QueryRows(t, `SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'cust'
		ORDER BY ordinal_position`, strings.ToLower(src.Name))
	if fmt.Sprint(types) != "[[id integer] [email text] [name character varying] [card character varying] [note text] [code text] "+
		"[city character varying] [src_db text] [src_table text] [changed_at timestamp with time zone] [region text]]" {
		t.Errorf("target columns: %v", types)
	}
	v := sluice(t, "verify", "--task", task)
	if v.code != 0 || !strings.Contains(v.stdout, "email is transformed (sha256) by the task file: its values are not compared") {
		t.Errorf("verify: exit %d\n%s%s", v.code, v.stdout, v.stderr)
	}

	bad := mappingTask(t, src, dst, fmt.Sprintf("tables:\n  %s.cust:\n    transforms: {id: sha256}\n", src.Name))
	if r := sluice(t, "check", "--task", bad); r.code != 2 || !strings.Contains(r.stderr, "id is a column of the key") {
		t.Errorf("transform of a key: exit %d\n%s", r.code, r.stderr)
	}
}

// TestRenameRules renames a database and columns by rule and drops a
// column by transform, through the full load and the binlog.
func TestRenameRules(t *testing.T) {
	src := testdb.MySQL(t)
	dst := testdb.Postgres(t)
	src.Exec(t, `CREATE TABLE Items (ID INT PRIMARY KEY, Item_Name VARCHAR(20), Item_Price DECIMAL(8,2), Secret VARCHAR(20))`,
		`INSERT INTO Items SELECT seq, CONCAT('n', seq), seq, 'hidden' FROM seq_1_to_20`)
	task := mappingTask(t, src, dst, fmt.Sprintf(`rename_schemas:
  - {match: "%[1]s.*", prefix: "s_"}
rename_columns:
  - {match: "%[1]s.Items", replace: ["^Item_", ""]}
tables:
  %[1]s.Items:
    transforms: {Secret: drop}
`, src.Name))
	mustRun(t, "run", "--task", task, "--phases", "schema,full")
	src.Exec(t, `UPDATE Items SET Item_Price = 99, Secret = 'x' WHERE ID = 3`)
	mustRun(t, "run", "--task", task, "--stop-when-caught-up")
	sch := "s_" + strings.ToLower(src.Name)
	cols := dst.QueryRows(t, `SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'items' ORDER BY ordinal_position`, sch)
	if fmt.Sprint(cols) != "[[id] [name] [price]]" {
		t.Errorf("columns of %s.items: %v", sch, cols)
	}
	if got := dst.QueryValue(t, fmt.Sprintf(`SELECT sum(price)::text || '/' || count(*) FROM %q.items`, sch)); got != "306.00/20" {
		t.Errorf("%s.items: %v, want 306.00/20", sch, got)
	}
}
