//go:build integration

package main

import (
	"encoding/json"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/sluicedb/sluice/internal/testdb"
	"github.com/sluicedb/sluice/internal/verify"
)

// typesAcks are the warnings the type fixture raises.
const typesAcks = "table-without-key,zero-dates,invisible-column,prefix-index"

// verifyArgs are the arguments of a verify of src's database against dst.
func verifyArgs(src *testdb.MySQLDB, dst *testdb.PGDB, extra ...string) []string {
	return append([]string{"verify", "--source", src.URL, "--target", dst.URL, "--include", src.Name + ".*",
		"--output", "json", "--chunk-rows", "1000"}, extra...)
}

// runVerify runs sluice verify and decodes its JSON report.
func runVerify(t *testing.T, want int, args ...string) *verify.Report {
	t.Helper()
	r := sluice(t, args...)
	if r.code != want {
		t.Fatalf("sluice verify: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, want, r.stdout, r.stderr)
	}
	var rep verify.Report
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatalf("verify report: %v\n%s", err, r.stdout)
	}
	return &rep
}

// TestVerify loads the type fixture and a composite-key table, checks that
// verify finds nothing on an exact copy (every §4 type: no false
// differences), then damages the target in every way that must be seen —
// one ULP, a sign of zero, a trailing 0x00, one microsecond, a deleted row,
// an extra row, a NULLed value, a changed key part, a duplicated keyless
// row — and checks each is reported with its key and column; --repair then
// leaves a target that verifies clean and equals the source row by row.
func TestVerify(t *testing.T) {
	src := testdb.MySQL(t)
	dst := testdb.Postgres(t)
	src.Exec(t, typesFixture)
	src.Exec(t, `CREATE TABLE ck (a INT, b VARCHAR(10), v INT, PRIMARY KEY (a, b))`,
		`INSERT INTO ck SELECT seq % 50, CONCAT('k', seq), seq FROM seq_1_to_2000`,
		`CREATE TABLE big (id BIGINT UNSIGNED PRIMARY KEY, x DOUBLE, t VARCHAR(20))`,
		`INSERT INTO big SELECT seq * 7, seq / 3, CONCAT('r', seq) FROM seq_1_to_5000`, `ANALYZE TABLE ck, big`)
	mustRun(t, runArgs(src, dst, "--ack", typesAcks)...)

	clean := runVerify(t, 0, verifyArgs(src, dst)...)
	if !clean.OK || len(clean.Tables) != 11 {
		t.Fatalf("verify of an exact copy: ok=%v, %d tables: %+v", clean.OK, len(clean.Tables), clean.Tables)
	}
	modes := map[string]string{}
	for _, tr := range clean.Tables {
		modes[strings.TrimPrefix(tr.Table, src.Name+".")] = tr.Mode
		if tr.Differs() || tr.Repaired != 0 {
			t.Errorf("exact copy: %s reported %+v", tr.Table, tr)
		}
	}
	for table, mode := range map[string]string{"big": "key-range", "chunk_str": "key-hash", "nokey": "whole-row", "binkey": "key-range", "ck": "key-hash"} {
		if modes[table] != mode {
			t.Errorf("%s compared by %q, want %q", table, modes[table], mode)
		}
	}

	// One ULP of a double, in Go: PostgreSQL has no nextafter.
	sch := `"` + strings.ToLower(src.Name) + `".`
	var x float64
	if err := dst.Pool.QueryRow(t.Context(), `SELECT x FROM `+sch+`big WHERE id = 700`).Scan(&x); err != nil {
		t.Fatal(err)
	}
	dst.Exec(t,
		`SET session_replication_role = replica`,
		`UPDATE `+sch+`big SET x = `+formatFloat(math.Nextafter(x, math.Inf(1)))+` WHERE id = 700`,
		`UPDATE `+sch+`numbers SET dbl = '-0'::float8 WHERE id = 7`, // the source holds +0
		`UPDATE `+sch+`texts SET vb = vb || '\x00'::bytea WHERE id = 1`,
		`UPDATE `+sch+`temporal SET dt = dt + interval '1 microsecond' WHERE id = 2`,
		`DELETE FROM `+sch+`big WHERE id = 3500`,
		`INSERT INTO `+sch+`big VALUES (3501, 1.5, 'extra')`,
		`UPDATE `+sch+`chunk_str SET v = NULL WHERE a = 'B7' AND b = (SELECT min(b) FROM `+sch+`chunk_str WHERE a = 'B7')`,
		`UPDATE `+sch+`ck SET b = 'kX' WHERE a = 7 AND b = 'k7'`,
		`INSERT INTO `+sch+`nokey VALUES (2, NULL)`,
		`UPDATE `+sch+`misc SET j = '{"a": 1}' WHERE id = 1`,
	)
	bad := runVerify(t, 1, verifyArgs(src, dst)...)
	if bad.OK {
		t.Fatal("verify of a damaged target says ok")
	}
	type want struct{ table, kind, key, column string }
	wants := []want{
		{"big", verify.Changed, "id=700", "x"},
		{"numbers", verify.Changed, "id=7", "dbl"},
		{"texts", verify.Changed, "id=1", "vb"},
		{"temporal", verify.Changed, "id=2", "dt"},
		{"big", verify.Missing, "id=3500", ""},
		{"big", verify.Extra, "id=3501", ""},
		{"chunk_str", verify.Changed, `a="B7"`, "v"},
		{"ck", verify.Missing, `a=7, b="k7"`, ""},
		{"ck", verify.Extra, `a=7, b="kX"`, ""},
		{"nokey", verify.Extra, "a=2, b=NULL", ""},
		{"misc", verify.Changed, "id=1", "j"},
	}
	found := map[want]bool{}
	total := 0
	for _, tr := range bad.Tables {
		table := strings.TrimPrefix(tr.Table, src.Name+".")
		total += int(tr.Missing + tr.Extra + tr.Changed)
		for _, d := range tr.Diffs {
			for _, w := range wants {
				if w.table == table && w.kind == d.Kind && strings.HasPrefix(d.Key, w.key) &&
					(w.column == "" || slices.Equal(d.Columns, []string{w.column})) {
					found[w] = true
				}
			}
		}
	}
	for _, w := range wants {
		if !found[w] {
			t.Errorf("not reported: %s %s key %s column %q", w.table, w.kind, w.key, w.column)
		}
	}
	if total != len(wants) {
		t.Errorf("%d differences reported, want exactly %d: %s", total, len(wants), mustJSON(bad))
	}

	// The text report names them too.
	text := sluice(t, append(verifyArgs(src, dst), "--output", "text")...)
	if text.code != 1 || !strings.Contains(text.stdout, "id=3500") || !strings.Contains(text.stdout, "target DIFFERS from source") {
		t.Errorf("text report: exit %d\n%s", text.code, text.stdout)
	}
	t.Logf("damaged:\n%s", text.stdout)

	rep := runVerify(t, 0, verifyArgs(src, dst, "--repair")...)
	var repaired int64
	for _, tr := range rep.Tables {
		repaired += tr.Repaired
	}
	if !rep.OK || repaired != int64(len(wants)) {
		t.Errorf("repair: ok=%v, %d rows repaired, want %d: %s", rep.OK, repaired, len(wants), mustJSON(rep))
	}
	if again := runVerify(t, 0, verifyArgs(src, dst)...); !again.OK {
		t.Errorf("verify after repair: %s", mustJSON(again))
	}
	for _, table := range []string{"numbers", "texts", "temporal", "misc", "chunk_str", "ck", "big", "nokey"} {
		testdb.CompareTable(t, src, dst, table)
	}
}

// TestVerifySplitsBigRanges: a 200-row source table is planned as one
// range, but the target holds 19,900 extra rows inside it; verify cuts the
// range again before reading rows, and still reports every extra row.
func TestVerifySplitsBigRanges(t *testing.T) {
	src := testdb.MySQL(t)
	dst := testdb.Postgres(t)
	src.Exec(t, `CREATE TABLE s (id INT PRIMARY KEY, v INT)`,
		`INSERT INTO s SELECT seq, seq FROM seq_1_to_100`, `INSERT INTO s SELECT seq, seq FROM seq_20001_to_20100`)
	mustRun(t, runArgs(src, dst)...)
	dst.Exec(t, `INSERT INTO "`+strings.ToLower(src.Name)+`".s SELECT g, g FROM generate_series(101, 20000) g`)
	rep := runVerify(t, 1, verifyArgs(src, dst)...)
	tr := rep.Tables[0]
	if tr.Extra != 19900 || tr.Missing+tr.Changed != 0 || tr.Rows != 200 || tr.Chunks < 20 || len(tr.Diffs) != verify.MaxDiffs {
		tr.Diffs = tr.Diffs[:min(3, len(tr.Diffs))]
		t.Errorf("big range: %s", mustJSON(tr))
	}
}

func formatFloat(f float64) string {
	b, _ := json.Marshal(f)
	return string(b)
}

func mustJSON(v any) string {
	b, _ := json.MarshalIndent(v, "", "  ")
	return string(b)
}
