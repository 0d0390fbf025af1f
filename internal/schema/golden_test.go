package schema

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

// goldenCase is one testdata/<case>.json: tables as the catalog reader fills
// them (Kind unset unless listed in JSONColumns), rendered into
// testdata/<case>.golden by every DDL builder.
type goldenCase struct {
	Options Options
	Tables  []goldenTable
}

type goldenTable struct {
	Table
	// JSONColumns are the columns the catalog presets to KindJSON (MariaDB
	// JSON: LONGTEXT with CHECK (json_valid(col))).
	JSONColumns []string
}

func TestGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/*.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no golden cases in testdata")
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".json")
		t.Run(name, func(t *testing.T) {
			got := renderCase(t, file)
			golden := strings.TrimSuffix(file, ".json") + ".golden"
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("output differs from %s (run go test -update and review the diff):\n%s", golden, got)
			}
		})
	}
}

// renderCase runs Classify, CreateSchema, Relations, CreateTable, PostLoad,
// ResetIdentity and ForeignKeyDDLs over a case and renders the result as text.
func renderCase(t *testing.T, file string) string {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var gc goldenCase
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&gc); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	var b strings.Builder
	tables := make([]*Table, len(gc.Tables))
	for i := range gc.Tables {
		tables[i] = &gc.Tables[i].Table
		for j := range tables[i].Columns {
			c := &tables[i].Columns[j]
			for _, jc := range gc.Tables[i].JSONColumns {
				if c.Name == jc {
					c.Kind = KindJSON
				}
			}
			if err := Classify(c); err != nil {
				fmt.Fprintf(&b, "-- classify error: %v\n", err)
			}
		}
	}
	ref := func(db, name string) *Table {
		for _, tb := range tables {
			if tb.Database == db && tb.Name == name {
				return tb
			}
		}
		return nil
	}
	seen := map[string]bool{}
	for _, tb := range tables {
		if s := targetSchema(tb); !seen[s] {
			seen[s] = true
			fmt.Fprintf(&b, "%s;\n", CreateSchema(s))
		}
	}
	for _, tb := range tables {
		fmt.Fprintf(&b, "\n-- ===== %s =====\n", tb)
		fmt.Fprintf(&b, "\n-- classified\n")
		for i := range tb.Columns {
			fmt.Fprintf(&b, "--   %s\n", describe(&tb.Columns[i]))
		}
		stmts, notes, err := CreateTable(tb, gc.Options)
		if err != nil {
			fmt.Fprintf(&b, "-- error: %v\n", err)
			continue
		}
		fmt.Fprintf(&b, "\n-- relations: %s\n", strings.Join(Relations(tb, gc.Options), ", "))
		section(&b, "create", stmts)
		post, postNotes := PostLoad(tb, gc.Options)
		section(&b, "post-load", post)
		section(&b, "reset identity", ResetIdentity(tb))
		fks, fkNotes := ForeignKeyDDLs(tb, ref)
		for _, fk := range fks {
			section(&b, "foreign key "+fk.Name, []string{fk.Add, fk.Validate, fk.Orphans})
		}
		var lines []string
		for _, n := range append(append(notes, postNotes...), fkNotes...) {
			lines = append(lines, "-- "+n.String())
		}
		if len(lines) > 0 {
			fmt.Fprintf(&b, "\n-- notes:\n%s\n", strings.Join(lines, "\n"))
		}
	}
	return b.String()
}

func section(b *strings.Builder, title string, stmts []string) {
	if len(stmts) == 0 {
		return
	}
	fmt.Fprintf(b, "\n-- %s\n", title)
	for _, s := range stmts {
		fmt.Fprintf(b, "%s;\n", s)
	}
}

// describe prints what Classify derived for a column.
func describe(c *Column) string {
	s := c.Name + ": " + c.Kind.String()
	if c.Unsigned {
		s += " unsigned"
	}
	if c.IntBytes != 0 {
		s += fmt.Sprintf(" bytes=%d", c.IntBytes)
	}
	if c.Length != 0 {
		s += fmt.Sprintf(" length=%d", c.Length)
	}
	if c.FixedLength {
		s += " fixed"
	}
	if c.Kind == KindDecimal {
		s += fmt.Sprintf(" precision=%d", c.Precision)
	}
	if c.Scale != 0 || c.Kind == KindDecimal {
		s += fmt.Sprintf(" scale=%d", c.Scale)
	}
	if c.Members != nil {
		s += fmt.Sprintf(" members=%q", c.Members)
	}
	if c.Geometry != "" {
		s += " geometry=" + c.Geometry
	}
	return s
}
