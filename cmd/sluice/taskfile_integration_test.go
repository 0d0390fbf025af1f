//go:build integration

package main

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sluicedb/sluice/internal/testdb"
)

// TestTaskFile: check and run take every setting from --task FILE; a flag
// given on the command line overrides the file's key; a bad file is bad
// usage (exit 2) that names the file and line.
func TestTaskFile(t *testing.T) {
	src := testdb.MySQL(t)
	src.Exec(t, "CREATE TABLE items (id INT PRIMARY KEY, v VARCHAR(20))",
		"INSERT INTO items SELECT seq, CONCAT('v', seq) FROM seq_1_to_3000",
		"CREATE TABLE skip (id INT PRIMARY KEY)", "INSERT INTO skip VALUES (1)")
	dst, other := testdb.Postgres(t), testdb.Postgres(t)
	dir := t.TempDir()
	task := filepath.Join(dir, "task.yaml")
	writeTaskFile(t, task, fmt.Sprintf(`# a schema-only task
source: %s
target: %s
include:
  - %s.items
  - %s.skip
phases: schema
name: from-file
parallel: 2           # run only: check leaves it out
chunk_rows: 1000
progress_interval: 100ms
log_format: json
`, src.URL, dst.URL, src.Name, src.Name))

	if r := mustRun(t, "check", "--task", task); !strings.Contains(r.stdout, "all checks passed") {
		t.Errorf("check --task:\n%s", r.stdout)
	}
	tables := func(db *testdb.PGDB) int64 {
		return db.QueryValue(t, "SELECT count(*) FROM pg_tables WHERE schemaname = $1", src.Name).(int64)
	}

	// Flags override the file: another target, one table, the full phase too.
	r := mustRun(t, "run", "--task", task, "--target", other.URL, "--include", src.Name+".items", "--phases", "schema,full")
	if !strings.Contains(r.stderr, `"task":"from-file"`) || !strings.Contains(r.stderr, `"phases":"schema,full"`) {
		t.Errorf("the run did not take the file's name and log format, or not the flag's phases:\n%s", r.stderr)
	}
	if rows := testdb.CompareTable(t, src, other, "items"); rows != 3000 {
		t.Errorf("compared %d rows of items, want 3000", rows)
	}
	if n := tables(other); n != 1 {
		t.Errorf("the run with --include items created %d tables, want 1", n)
	}
	if n := tables(dst); n != 0 {
		t.Errorf("the run with --target wrote %d tables to the file's target", n)
	}

	// The file alone: the schema phase of both tables into the file's target.
	mustRun(t, "run", "--task", task)
	if n := tables(dst); n != 2 {
		t.Errorf("the file's run created %d tables, want 2", n)
	}
	if n := dst.QueryValue(t, fmt.Sprintf("SELECT count(*) FROM %s.items", src.Name)); n != int64(0) {
		t.Errorf("the schema-only run copied %v rows", n)
	}

	bad := filepath.Join(dir, "bad.yaml")
	for _, tc := range []struct{ name, text, want string }{
		{"bad value", fmt.Sprintf("source: %s\nparallel: 0\n", src.URL), bad + ":2: parallel: 0 is out of range; use 1..64"},
		{"unknown key", "exclde: x.y\n", bad + `:1: unknown key "exclde"; did you mean exclude?`},
		{"missing file", "", "--task: reading the task file: open " + filepath.Join(dir, "none.yaml")},
	} {
		path := bad
		if tc.text == "" {
			path = filepath.Join(dir, "none.yaml")
		} else {
			writeTaskFile(t, bad, tc.text)
		}
		for _, cmd := range []string{"check", "run"} {
			r := sluice(t, cmd, "--task", path, "--target", dst.URL)
			if r.code != 2 || !strings.Contains(r.stderr, tc.want) {
				t.Errorf("%s with a %s: exit %d, want 2 and %q\n%s", cmd, tc.name, r.code, tc.want, r.stderr)
			}
		}
	}
}
