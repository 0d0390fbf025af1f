package config

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// fullTaskFile sets every key; wantFull is what each key becomes.
const fullTaskFile = `# every key
source: mysql://app:pw@db1:3306
target: postgres://sluice:pw@pg1:5432/app?sslmode=disable
include:
  - shop.*
  - crm.customers
exclude: shop.tmp_*
phases: [schema, full, incremental]
name: shop-to-pg
ack: [table-without-key, geometry-as-bytea]
conflict: error
case: default
zero_date: fail
bad_text: strip
server_id: 4242
scan_rows: 0
log_format: json
log_level: debug
parallel: 8
chunk_rows: 50_000
retry_for: 2h
stop_when_caught_up: true
metrics_listen: 127.0.0.1:9108
progress_interval: 1m30s
`

var wantFull = map[string][]string{
	"source":              {"mysql://app:pw@db1:3306"},
	"target":              {"postgres://sluice:pw@pg1:5432/app?sslmode=disable"},
	"include":             {"shop.*", "crm.customers"},
	"exclude":             {"shop.tmp_*"},
	"phases":              {"schema,full,incremental"},
	"name":                {"shop-to-pg"},
	"ack":                 {"table-without-key", "geometry-as-bytea"},
	"conflict":            {"error"},
	"case":                {"default"},
	"zero_date":           {"fail"},
	"bad_text":            {"strip"},
	"server_id":           {"4242"},
	"scan_rows":           {"0"},
	"log_format":          {"json"},
	"log_level":           {"debug"},
	"parallel":            {"8"},
	"chunk_rows":          {"50000"},
	"retry_for":           {"2h0m0s"},
	"stop_when_caught_up": {"true"},
	"metrics_listen":      {"127.0.0.1:9108"},
	"progress_interval":   {"1m30s"},
}

func TestTaskFileEveryKey(t *testing.T) {
	tf, err := ParseTaskFile("task.yaml", []byte(fullTaskFile))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]string{}
	for _, s := range tf.Settings {
		got[s.Key] = s.Values
	}
	if !reflect.DeepEqual(got, wantFull) {
		t.Errorf("settings\n got %v\nwant %v", got, wantFull)
	}
	if keys := TaskFileKeys(); len(keys) != len(wantFull) || !slices.IsSorted(keys) {
		t.Errorf("TaskFileKeys = %v: the test must cover every key", keys)
	}
	if s := tf.Settings[0]; s.Key != "source" || s.Line != 2 {
		t.Errorf("first setting %+v, want source at line 2", s)
	}
	if s := tf.Settings[9]; s.Flag() != "zero-date" || s.Line != 13 {
		t.Errorf("setting %+v: flag %s, want zero-date at line 13", s, s.Flag())
	}
}

func TestTaskFileShapes(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		want       map[string][]string
	}{
		{"empty", "", map[string][]string{}},
		{"only comments", "# nothing yet\n", map[string][]string{}},
		{"lone document marker", "---\n", map[string][]string{}},
		{"include scalar", "include: shop.*", map[string][]string{"include": {"shop.*"}}},
		{"include list", "include: [shop.*, crm.x]", map[string][]string{"include": {"shop.*", "crm.x"}}},
		{"include empty list", "include: []", map[string][]string{"include": {}}},
		{"phases text", "phases: schema,full", map[string][]string{"phases": {"schema,full"}}},
		{"ack text", "ack: a,b", map[string][]string{"ack": {"a,b"}}},
		{"number as name", "name: 2024", map[string][]string{"name": {"2024"}}},
		{"anchor", "include: &x shop.*\nexclude: *x", map[string][]string{"include": {"shop.*"}, "exclude": {"shop.*"}}},
		{"quoted glob", `include: "*.orders"`, map[string][]string{"include": {"*.orders"}}},
		{"bool false", "stop_when_caught_up: false", map[string][]string{"stop_when_caught_up": {"false"}}},
		{"server id max", "server_id: 4294967295", map[string][]string{"server_id": {"4294967295"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tf, err := ParseTaskFile("task.yaml", []byte(tc.text))
			if err != nil {
				t.Fatal(err)
			}
			got := map[string][]string{}
			for _, s := range tf.Settings {
				got[s.Key] = s.Values
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestTaskFileErrors(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		want       []string // all in the message
	}{
		{"unknown key", "source: mysql://u@h\n\ninclde: shop.*",
			[]string{`task.yaml:3: unknown key "inclde"`, "did you mean include?", "known keys: ack, bad_text,"}},
		{"flag spelling", "zero-date: fail", []string{`task.yaml:1: unknown key "zero-date"`, "did you mean zero_date?"}},
		{"far off key", "colour: red", []string{`unknown key "colour" (known keys:`}},
		{"tables", "tables:\n  shop.orders: {parallel: 2}", []string{`task.yaml:2: tables.shop.orders.parallel: unknown table option "parallel"`}},
		{"repeated key", "include: a.*\nname: x\ninclude: b.*", []string{`task.yaml:3: key "include" repeats line 1`}},
		{"int as text", `parallel: "8"`, []string{`task.yaml:1: parallel: want a whole number, found "8"`}},
		{"int as word", "parallel: four", []string{`parallel: want a whole number, found "four"`}},
		{"int as fraction", "chunk_rows: 1.5", []string{`chunk_rows: want a whole number, found "1.5"`}},
		{"int as list", "parallel: [1]", []string{"parallel: want a whole number, found a list"}},
		{"parallel range", "parallel: 100", []string{"task.yaml:1: parallel: 100 is out of range; use 1..64"}},
		{"negative scan", "scan_rows: -1", []string{"scan_rows: -1 is negative"}},
		{"negative server id", "server_id: -1", []string{"server_id: -1 is out of range"}},
		{"server id too big", "server_id: 4294967296", []string{"server_id: 4294967296 is out of range"}},
		{"small chunks", "chunk_rows: 10", []string{"chunk_rows: 10 is too small; use at least 1000"}},
		{"bad duration", "\nretry_for: 5x", []string{`task.yaml:2: retry_for: want a duration with a unit, such as 90s, 30m or 2h; found "5x"`}},
		{"duration without unit", "retry_for: 30", []string{`retry_for: want a duration with a unit`, `found "30"`}},
		{"duration range", "retry_for: 1m", []string{"retry_for: 1m0s is out of range; use 10m to 24h"}},
		{"zero interval", "progress_interval: 0s", []string{"progress_interval: 0s is not positive"}},
		{"negative interval", "progress_interval: -5s", []string{"progress_interval: -5s is not positive"}},
		{"bool as word", "stop_when_caught_up: yes", []string{`stop_when_caught_up: want true or false, found "yes"`}},
		{"string as list", "name: [a, b]", []string{"task.yaml:1: name: want a single value, found a list"}},
		{"string as mapping", "source:\n  host: h", []string{"task.yaml:1: source: want a single value, found a mapping"}},
		{"no value", "target:", []string{"task.yaml:1: target: no value; give a single value, or remove the key"}},
		{"include mapping", "include: {shop: x}", []string{"include: want a single value or a list of them, found a mapping"}},
		{"nested list", "include:\n  - shop.*\n  - [a, b]", []string{"task.yaml:3: include: want a single value or a list of them, found a list"}},
		{"bad pattern in list", "include:\n  - shop.*\n  - a.b.c", []string{`task.yaml:3: include: pattern "a.b.c"`}},
		{"bad phase", "phases: [schema, copy]", []string{`task.yaml:1: phases: unknown phase "copy"`}},
		{"empty ack", "ack: [a, '']", []string{"ack: an empty check id"}},
		{"bad name", "name: bad name!", []string{`name: "bad name!" is not a valid task name`}},
		{"conflict other", "conflict: overwrite", []string{`conflict: "overwrite" is not a policy; use error or ignore`}},
		{"bad case", "case: lower", []string{`case: "lower" is not a case policy`}},
		{"bad zero date", "zero_date: epoch", []string{`zero_date: "epoch" is not a policy; use -infinity or fail`}},
		{"bad text policy", "bad_text: ignore", []string{`bad_text: "ignore" is not a policy; use fail or strip`}},
		{"bad log format", "log_format: xml", []string{`log_format: "xml" is not a log format`}},
		{"bad log level", "log_level: verbose", []string{`log_level: "verbose" is not a log level`}},
		{"bad source", "source: postgres://u@h/db", []string{"task.yaml:1: source must start with mysql://"}},
		{"bad target", "\ntarget: postgres://u@h", []string{"task.yaml:2: target must name a database"}},
		{"not a mapping", "- source: x", []string{"task.yaml:1: a task file is a mapping of keys to values", "found a list"}},
		{"scalar document", "hello", []string{"task.yaml:1: a task file is a mapping", "found a single value"}},
		{"list key", "[a]: b", []string{"task.yaml:1: a key must be a name"}},
		{"syntax", "source: x\n  include: y", []string{"task.yaml:2: not valid YAML:"}},
		{"unquoted glob", "include: *.orders", []string{"task.yaml:1: not valid YAML:"}},
		{"two documents", "name: a\n---\nname: b", []string{"task.yaml:2: a second YAML document"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseTaskFile("task.yaml", []byte(tc.text))
			var ue *UsageError
			if !errors.As(err, &ue) {
				t.Fatalf("err = %v, want a UsageError", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}

// TestTaskFileHidesPasswords: a message about a key never shows the value
// of source or target, which may hold a password.
func TestTaskFileHidesPasswords(t *testing.T) {
	for _, text := range []string{
		"source: [mysql://u:S3cr3tPw@h]",
		"source:\n  url: mysql://u:S3cr3tPw@h",
		"source: mysql://u:S3cr3tPw@h:bad",
		"source: mysql://u:S3cr3tPw@h/shop",
		"target: postgres://u:S3cr3tPw@h:5432",
		"target: postgres://u:S3cr3tPw@h/db?sslmode=bogus",
		"target: mysql://u:S3cr3tPw@h/db",
		"source: mysql://u:S3cr3tPw@h\nsource: mysql://u:S3cr3tPw@h",
		"source: mysql://u:S3cr3tPw@h\n  target: x",
	} {
		_, err := ParseTaskFile("task.yaml", []byte(text))
		if err == nil || strings.Contains(err.Error(), "S3c") {
			t.Errorf("%q: %v", text, err)
		}
	}
}

func TestLoadTaskFile(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "nope.yaml")
	_, err := LoadTaskFile(missing)
	var ue *UsageError
	if !errors.As(err, &ue) || !strings.Contains(err.Error(), missing) || !strings.Contains(err.Error(), "no such file") {
		t.Errorf("missing file: %v", err)
	}
	path := filepath.Join(dir, "task.yaml")
	if err := os.WriteFile(path, []byte("name: x\nparallel: 0\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadTaskFile(path); err == nil || !strings.HasPrefix(err.Error(), path+":2: parallel: 0") {
		t.Errorf("bad value: %v, want it to start with %s:2", err, path)
	}
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if tf, err := LoadTaskFile(path); err != nil || len(tf.Settings) != 0 || tf.Path != path {
		t.Errorf("empty file: %+v, %v", tf, err)
	}
}

// FuzzParseTaskFile: any text is a task file or a UsageError, never a panic.
func FuzzParseTaskFile(f *testing.F) {
	f.Add(fullTaskFile)
	f.Add("include: [a.*, {b: c}]\ntables:\n  x.y: {}")
	f.Add("a: &x [*x]")
	f.Fuzz(func(t *testing.T, text string) {
		_, err := ParseTaskFile("task.yaml", []byte(text))
		var ue *UsageError
		if err != nil && !errors.As(err, &ue) {
			t.Errorf("%q: %v is not a UsageError", text, err)
		}
	})
}
