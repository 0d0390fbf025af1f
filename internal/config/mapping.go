package config

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/sluicedb/sluice/internal/transform"
)

// Mapping says how source objects are named and shaped in the target: the
// case policy, database → schema renames, table rename rules, and options
// per table. The zero Mapping is the default: every database a schema of
// the same name, every table and column lower-cased.
type Mapping struct {
	Case    string            // default | source | target | upper (see Task.Case)
	Schemas map[string]string // source database → target schema, literal
	Rules   []RenameRule      // applied in order to each table name; the first that matches
	// SchemaRules rename databases (matched as db.*), ColumnRules the
	// columns of the tables they match; the first matching rule applies.
	SchemaRules, ColumnRules []RenameRule
	Tables                   map[string]*TableOptions
	// Merge lets several source tables (in this task or in others) share
	// one target table: each row carries its origin, and a key that two
	// origins both have is reported as a collision.
	Merge bool
}

// RenameRule renames the tables matching a db.table glob: a prefix, a
// suffix, and/or a regular-expression replacement of the table name (Go
// syntax, $1 for groups). The result then takes the case policy.
type RenameRule struct {
	Line           int
	Match          Pattern
	Prefix, Suffix string
	Replace        *regexp.Regexp
	With           string
}

// Apply renames a source table name by the rule.
func (r RenameRule) Apply(name string) string {
	if r.Replace != nil {
		name = r.Replace.ReplaceAllString(name, r.With)
	}
	return r.Prefix + name + r.Suffix
}

// TableOptions are the options of one source table (tables: db.table: …).
type TableOptions struct {
	Line int
	// Target is "schema.table" or "table" (the schema from the database's
	// mapping), literal; "" keeps the mapped name.
	Target string
	// Columns selects the columns, in the table's order; nil: all.
	Columns []string
	// Rename maps source column → target column, literal.
	Rename map[string]string
	// Transforms change a column's values on the way, by source column.
	Transforms map[string]*transform.Func
	// Add lists the columns added to the target table, in file order.
	Add []AddColumn
	// Filter keeps only the rows for which this MySQL WHERE condition is
	// true, in the full load and in the binlog apply ("" all rows).
	Filter string
	// Key is the target's primary key: the source key's columns plus added
	// columns (e.g. [id, shard]); nil keeps the source's.
	Key []string
}

// AddColumn is a column the target table gets that the source has not.
type AddColumn struct {
	Name  string // literal target name
	Value *transform.Added
}

// Table returns the options of db.table, or nil.
func (m *Mapping) Table(db, table string) *TableOptions {
	if m == nil {
		return nil
	}
	return m.Tables[db+"."+table]
}

// mappingKeys decode the task file keys that hold a Mapping's parts.
var mappingKeys = map[string]func(tf *TaskFile, at place, n *yaml.Node) error{
	"merge": func(tf *TaskFile, at place, n *yaml.Node) error {
		v, err := boolean(at, n)
		tf.Mapping.Merge = err == nil && v[0] == "true"
		return err
	},
	"schemas":        decodeSchemas,
	"rename_tables":  func(tf *TaskFile, at place, n *yaml.Node) error { return decodeRules(&tf.Mapping.Rules, at, n) },
	"rename_schemas": func(tf *TaskFile, at place, n *yaml.Node) error { return decodeRules(&tf.Mapping.SchemaRules, at, n) },
	"rename_columns": func(tf *TaskFile, at place, n *yaml.Node) error { return decodeRules(&tf.Mapping.ColumnRules, at, n) },
	"tables":         decodeTables,
}

// stringMap decodes a mapping of names to names.
func stringMap(at place, n *yaml.Node, what string) (map[string]string, error) {
	if n.Kind != yaml.MappingNode {
		return nil, usagef("%s: want a mapping of %s, found %s", at, what, kindName(n))
	}
	out := map[string]string{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], resolve(n.Content[i+1])
		kat := place{path: at.path, key: at.key + "." + k.Value, line: k.Line}
		if k.Kind != yaml.ScalarNode || k.Value == "" {
			return nil, usagef("%s: a key must be a name", kat)
		}
		if _, dup := out[k.Value]; dup {
			return nil, usagef("%s: %q is given twice", kat, k.Value)
		}
		s, err := scalar(kat, v, "a name")
		if err != nil {
			return nil, err
		}
		if s == "" {
			return nil, usagef("%s: an empty name", kat)
		}
		out[k.Value] = s
	}
	return out, nil
}

func decodeSchemas(tf *TaskFile, at place, n *yaml.Node) error {
	m, err := stringMap(at, n, "source database to PostgreSQL schema, e.g. shop: sales")
	tf.Mapping.Schemas = m
	return err
}

// decodeRules decodes a list of rename rules {match, prefix, suffix,
// replace: [regexp, replacement]} into rules.
func decodeRules(rules *[]RenameRule, at place, n *yaml.Node) error {
	if n.Kind != yaml.SequenceNode {
		return usagef("%s: want a list of rules such as - {match: shop.*, prefix: old_}, found %s", at, kindName(n))
	}
	for _, item := range n.Content {
		item = resolve(item)
		iat := place{path: at.path, key: at.key, line: item.Line}
		if item.Kind != yaml.MappingNode {
			return usagef("%s: a rule is a mapping with match and prefix, suffix or replace", iat)
		}
		r := RenameRule{Line: item.Line}
		for i := 0; i+1 < len(item.Content); i += 2 {
			k, v := item.Content[i], resolve(item.Content[i+1])
			kat := place{path: at.path, key: at.key + "." + k.Value, line: k.Line}
			var err error
			switch k.Value {
			case "match":
				var s string
				if s, err = scalar(kat, v, "a db.table glob"); err == nil {
					if r.Match, err = ParsePattern(s); err != nil {
						err = usagef("%s: %v", kat, err)
					}
				}
			case "prefix":
				r.Prefix, err = scalar(kat, v, "text")
			case "suffix":
				r.Suffix, err = scalar(kat, v, "text")
			case "replace":
				if v.Kind != yaml.SequenceNode || len(v.Content) != 2 {
					return usagef("%s: want [regexp, replacement], e.g. [\"^tmp_(.*)$\", \"t_$1\"]", kat)
				}
				var re, with string
				if re, err = scalar(kat, resolve(v.Content[0]), "a regular expression"); err == nil {
					if with, err = scalar(kat, resolve(v.Content[1]), "a replacement"); err == nil {
						r.With = with
						if r.Replace, err = regexp.Compile(re); err != nil {
							err = usagef("%s: %v", kat, err)
						}
					}
				}
			default:
				return usagef("%s: unknown key %q in a rename rule (known: match, prefix, suffix, replace)", kat, k.Value)
			}
			if err != nil {
				return err
			}
		}
		if r.Match.Raw == "" {
			return usagef("%s: a rename rule needs match: db.table glob", iat)
		}
		if r.Prefix == "" && r.Suffix == "" && r.Replace == nil {
			return usagef("%s: a rename rule needs prefix, suffix or replace", iat)
		}
		*rules = append(*rules, r)
	}
	return nil
}

// tableKeys are the keys of one table's options.
var tableKeys = []string{"add_columns", "columns", "filter", "key", "rename_columns", "target", "transforms"}

func decodeTables(tf *TaskFile, at place, n *yaml.Node) error {
	if n.Kind != yaml.MappingNode {
		return usagef("%s: want a mapping of db.table to its options, found %s", at, kindName(n))
	}
	tf.Mapping.Tables = map[string]*TableOptions{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], resolve(n.Content[i+1])
		tat := place{path: at.path, key: at.key + "." + k.Value, line: k.Line}
		db, table, ok := strings.Cut(k.Value, ".")
		if k.Kind != yaml.ScalarNode || !ok || db == "" || table == "" || strings.ContainsAny(k.Value, "*?") {
			return usagef("%s: a table is named db.table, exactly (no globs)", tat)
		}
		if _, dup := tf.Mapping.Tables[k.Value]; dup {
			return usagef("%s: the table is given twice", tat)
		}
		if v.Kind != yaml.MappingNode {
			return usagef("%s: want the table's options (%s), found %s", tat, strings.Join(tableKeys, ", "), kindName(v))
		}
		o := &TableOptions{Line: k.Line}
		for j := 0; j+1 < len(v.Content); j += 2 {
			ok, ov := v.Content[j], resolve(v.Content[j+1])
			oat := place{path: at.path, key: tat.key + "." + ok.Value, line: ok.Line}
			var err error
			switch ok.Value {
			case "target":
				if o.Target, err = scalar(oat, ov, "schema.table or table"); err == nil {
					if parts := strings.Split(o.Target, "."); len(parts) > 2 || slices.Contains(parts, "") {
						err = usagef("%s: %q: want schema.table or table", oat, o.Target)
					}
				}
			case "columns":
				o.Columns, err = list(func(label, s string) error {
					if s == "" {
						return usagef("%s: an empty column name", label)
					}
					return nil
				})(oat, ov)
			case "rename_columns":
				o.Rename, err = stringMap(oat, ov, "source column to target column, e.g. total: amount")
			case "key":
				o.Key, err = list(func(label, s string) error {
					if s == "" {
						return usagef("%s: an empty column name", label)
					}
					return nil
				})(oat, ov)
			case "filter":
				o.Filter, err = scalar(oat, ov, "a MySQL WHERE condition, e.g. \"status <> 'draft'\"")
			case "transforms":
				if ov.Kind == yaml.MappingNode { // `note: null` is the null transform, not a missing value
					for j := 1; j < len(ov.Content); j += 2 {
						if v := resolve(ov.Content[j]); v.Kind == yaml.ScalarNode && v.ShortTag() == "!!null" {
							v.Value, v.Tag = "null", "!!str"
						}
					}
				}
				var m map[string]string
				if m, err = stringMap(oat, ov, "column to transform, e.g. email: sha256"); err == nil {
					o.Transforms = map[string]*transform.Func{}
					for c, expr := range m {
						if o.Transforms[c], err = transform.Parse(expr); err != nil {
							return usagef("%s.%s: %v", oat, c, err)
						}
					}
				}
			case "add_columns":
				if o.Add, err = decodeAdded(oat, ov); err != nil {
					return err
				}
			default:
				return usagef("%s: unknown table option %q (known: %s)", oat, ok.Value, strings.Join(tableKeys, ", "))
			}
			if err != nil {
				return err
			}
		}
		tf.Mapping.Tables[k.Value] = o
	}
	return nil
}

// decodeAdded decodes add_columns, keeping the file's order.
func decodeAdded(at place, n *yaml.Node) ([]AddColumn, error) {
	m, err := stringMap(at, n, "new column to its value, e.g. source_db: $database")
	if err != nil {
		return nil, err
	}
	var out []AddColumn
	for i := 0; i+1 < len(n.Content); i += 2 {
		name := n.Content[i].Value
		v, err := transform.ParseAdded(m[name])
		if err != nil {
			return nil, usagef("%s.%s: %v", at, name, err)
		}
		out = append(out, AddColumn{Name: name, Value: v})
	}
	return out, nil
}

// CheckNames reports a table option that names a column the table does
// not have: called with the source's columns once the catalog is read.
func (o *TableOptions) CheckNames(table string, has func(string) bool) error {
	for _, c := range o.Columns {
		if !has(c) {
			return usagef("task file line %d: tables.%s.columns: the table has no column %q", o.Line, table, c)
		}
	}
	for c := range o.Rename {
		if !has(c) {
			return usagef("task file line %d: tables.%s.rename_columns: the table has no column %q", o.Line, table, c)
		}
	}
	for c := range o.Transforms {
		if !has(c) {
			return usagef("task file line %d: tables.%s.transforms: the table has no column %q", o.Line, table, c)
		}
		if o.Columns != nil && !slices.Contains(o.Columns, c) {
			return usagef("task file line %d: tables.%s.transforms: column %q is left out by columns", o.Line, table, c)
		}
	}
	return nil
}

func (m Mapping) String() string {
	return fmt.Sprintf("case %s, %d schema renames, %d rules, %d tables", m.Case, len(m.Schemas), len(m.Rules), len(m.Tables))
}
