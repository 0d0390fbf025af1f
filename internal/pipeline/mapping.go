package pipeline

import (
	"fmt"
	"slices"
	"strings"

	"github.com/sluicedb/sluice/internal/config"
	"github.com/sluicedb/sluice/internal/filter"
	"github.com/sluicedb/sluice/internal/schema"
)

// caseName applies a case policy to a source name (not to names the task
// file gives literally).
func caseName(policy, name string) string {
	switch policy {
	case "source":
		return name
	case "upper":
		return strings.Map(func(r rune) rune {
			if 'a' <= r && r <= 'z' {
				return r - ('a' - 'A')
			}
			return r
		}, name)
	}
	return schema.TargetName(name) // default and target: PostgreSQL's folding of unquoted names
}

// applyMapping names every table and column in the target and keeps the
// selected columns, as the task's mapping says: the case policy for names
// the task file does not give, schemas renamed by database, tables by rule
// or by their own target, columns selected and renamed. A task-file option
// that names something the source does not have is a usage error.
//
// origin names the source server (host:port) for a merge task's rows.
func applyMapping(tables []*schema.Table, m config.Mapping, origin string) (res mapped, err error) {
	known := map[string]bool{}
	res.filters = map[*schema.Table]*filter.Filter{}
	for _, t := range tables {
		known[t.Database+"."+t.Name] = true
		t.TargetSchema = caseName(m.Case, firstRule(m.SchemaRules, t.Database, "*", t.Database))
		if s, ok := m.Schemas[t.Database]; ok {
			t.TargetSchema = s
		}
		t.TargetName = caseName(m.Case, firstRule(m.Rules, t.Database, t.Name, t.Name))
		o := m.Table(t.Database, t.Name)
		if o != nil && o.Target != "" {
			if s, tn, ok := strings.Cut(o.Target, "."); ok {
				t.TargetSchema, t.TargetName = s, tn
			} else {
				t.TargetName = o.Target
			}
		}
		full := *t // every source column: a filter may read one the target leaves out
		full.Columns = slices.Clone(t.Columns)
		n, err := mapColumns(t, o, m.Case, m.ColumnRules)
		if err != nil {
			return res, err
		}
		if o != nil && o.Filter != "" {
			f, err := compileFilter(&full, o.Filter)
			if err != nil {
				res.problems = append(res.problems, err)
			} else {
				res.filters[t], t.Filter = f, f.SQL()
			}
		}
		if err := shapeColumns(t, o); err != nil {
			return res, err
		}
		if m.Merge { // every row says where it comes from
			t.Origin = origin + "/" + t.String()
			t.Added = append(t.Added, schema.AddedColumn{Name: schema.OriginColumn, Type: "text"})
		}
		res.notes = append(res.notes, n...)
	}
	for name, o := range m.Tables {
		if !known[name] {
			return res, &config.UsageError{Msg: fmt.Sprintf("task file line %d: tables.%s: no such table among the selected ones; "+
				"check the name (db.table, as in MySQL) and --include/--exclude", o.Line, name)}
		}
	}
	return res, nil
}

// firstRule renames name by the first rule that matches db.table.
func firstRule(rules []config.RenameRule, db, table, name string) string {
	for _, r := range rules {
		if r.Match.Match(db, table) {
			return r.Apply(name)
		}
	}
	return name
}

// mapped is what applying the mapping leaves beside the tables.
type mapped struct {
	notes    []string                         // indexes left out
	filters  map[*schema.Table]*filter.Filter // row filters, for the binlog path
	problems []error                          // filters that cannot be evaluated exactly
}

// compileFilter compiles a table's row filter against every source column.
func compileFilter(t *schema.Table, expr string) (*filter.Filter, error) {
	coll := map[string]string{}
	for _, c := range t.Columns {
		if c.Collation != "" {
			coll[c.Name] = c.Collation
		}
	}
	return filter.Compile(t, expr, filter.Options{Collations: coll})
}

// mapColumns keeps the selected columns of t and names them. Indexes and
// foreign keys over a column left out are left out too, each with a note
// (foreign keys are noted by the schema phase); the key that identifies
// rows must stay.
func mapColumns(t *schema.Table, o *config.TableOptions, policy string, rules []config.RenameRule) ([]string, error) {
	if o != nil {
		if err := o.CheckNames(t.String(), func(c string) bool { return t.Column(c) != nil }); err != nil {
			return nil, err
		}
	}
	keep := t.Columns[:0:0]
	for _, c := range t.Columns {
		if o != nil && o.Columns != nil && !slices.Contains(o.Columns, c.Name) {
			continue
		}
		if o != nil && o.Transforms[c.Name] != nil && o.Transforms[c.Name].Name == "drop" {
			continue
		}
		c.TargetName = caseName(policy, firstRule(rules, t.Database, t.Name, c.Name))
		if o != nil && o.Rename[c.Name] != "" {
			c.TargetName = o.Rename[c.Name]
		}
		keep = append(keep, c)
	}
	if len(keep) == len(t.Columns) {
		t.Columns = keep
		return nil, nil
	}
	if k := t.Key(); k != nil {
		for _, kc := range k.Columns {
			if slices.IndexFunc(keep, func(c schema.Column) bool { return c.Name == kc.Name }) < 0 {
				return nil, &config.UsageError{Msg: fmt.Sprintf("task file line %d: tables.%s: columns or a drop transform leave out %s, a column of the key "+
					"that identifies rows (%s); add it", o.Line, t, kc.Name, k.Name)}
			}
		}
	}
	t.Columns = keep
	has := func(name string) bool { return t.Column(name) != nil }
	var notes []string
	t.Indexes = slices.DeleteFunc(t.Indexes, func(ix schema.Index) bool {
		drop := slices.ContainsFunc(ix.Columns, func(c schema.IndexColumn) bool { return c.Name != "" && !has(c.Name) })
		if drop {
			notes = append(notes, fmt.Sprintf("%s: index %s is not created: it covers a column the task file leaves out", t, ix.Name))
		}
		return drop
	})
	return notes, nil
}
