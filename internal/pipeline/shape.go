package pipeline

import (
	"fmt"

	"github.com/sluicedb/sluice/internal/config"
	"github.com/sluicedb/sluice/internal/schema"
	"github.com/sluicedb/sluice/internal/transform"
)

// shaper applies a table's transforms and fills its added columns, on the
// full-load path and the binlog path alike, after each value's conversion.
type shaper struct {
	funcs     []*transform.Func // by column of Table.Columns; nil: none
	added     []*transform.Added
	db, table string
}

// newShaper is nil for a table without transforms or added columns.
func newShaper(t *schema.Table, o *config.TableOptions) *shaper {
	if (o == nil || (len(o.Transforms) == 0 && len(o.Add) == 0)) && t.Origin == "" {
		return nil
	}
	s := &shaper{funcs: make([]*transform.Func, len(t.Columns)), db: t.Database, table: t.Name}
	if o != nil {
		for i := range t.Columns {
			s.funcs[i] = o.Transforms[t.Columns[i].Name]
		}
		for _, a := range o.Add {
			s.added = append(s.added, a.Value)
		}
	}
	if t.Origin != "" {
		s.added = append(s.added, transform.Constant(t.Origin))
	}
	return s
}

// width is the number of target values of a row: columns and added ones.
func (s *shaper) width(cols int) int {
	if s == nil {
		return cols
	}
	return cols + len(s.added)
}

// apply transforms row in place and writes the added values after it;
// row has room for them (width). commit is the change's source commit
// time, nil during the full load.
func (s *shaper) apply(t *schema.Table, row []any, commit any) error {
	if s == nil {
		return nil
	}
	for i, f := range s.funcs {
		if f == nil {
			continue
		}
		v, err := f.Apply(row[i])
		if err != nil {
			return fmt.Errorf("%s column %s: transform %s: %w", t, t.Columns[i].Name, t.Columns[i].Transform, err)
		}
		row[i] = v
	}
	n := len(s.funcs)
	for j, a := range s.added {
		row[n+j] = a.Value(s.db, s.table, commit)
	}
	return nil
}

// shapeColumns records a table's transforms and added columns in the model
// (types, names, the DDL's columns) and checks them against the table.
func shapeColumns(t *schema.Table, o *config.TableOptions) error {
	if o == nil {
		return nil
	}
	bad := func(format string, args ...any) error {
		return &config.UsageError{Msg: fmt.Sprintf("task file line %d: tables.%s: ", o.Line, t) + fmt.Sprintf(format, args...)}
	}
	key := map[string]bool{}
	if k := t.Key(); k != nil {
		for _, c := range k.Columns {
			key[c.Name] = true
		}
	}
	for i := range t.Columns {
		c := &t.Columns[i]
		f := o.Transforms[c.Name]
		if f == nil {
			continue
		}
		switch {
		case key[c.Name]:
			return bad("transforms: %s is a column of the key that identifies rows; its values must stay the source's", c.Name)
		case f.NeedsText() && c.Kind != schema.KindText && c.Kind != schema.KindEnum && c.Kind != schema.KindSet &&
			!(f.Name == "sha256" && c.Kind == schema.KindBinary):
			return bad("transforms: %s takes text columns; %s is %s", f.Name, c.Name, c.ColumnType)
		}
		c.Transform = f.Name
		if !f.KeepsType() {
			c.TargetType, c.Default, c.AutoIncrement = "text", nil, false
		}
		if f.Name == "null" {
			c.Nullable = true
		}
	}
	names := map[string]bool{}
	for _, c := range t.Columns {
		names[c.TargetName] = true
	}
	for _, a := range o.Add {
		if names[a.Name] {
			return bad("add_columns: %s is already a column of the target table", a.Name)
		}
		if a.Value.Expr == "$commit_ts" && t.Key() == nil {
			return bad("add_columns: $commit_ts needs a table with a key (without one, a change finds its row by every column's value)")
		}
		names[a.Name] = true
		t.Added = append(t.Added, schema.AddedColumn{Name: a.Name, Type: a.Value.PGType()})
	}
	return targetKey(t, o, bad)
}

// targetKey sets the target's primary key from the table's key option: the
// source key's columns (every one) and added columns, by their names.
func targetKey(t *schema.Table, o *config.TableOptions, bad func(string, ...any) error) error {
	if o.Key == nil {
		return nil
	}
	k := t.Key()
	if k == nil || !k.Primary {
		return bad("key: the source table has no primary key to extend")
	}
	added := map[string]bool{}
	for _, a := range o.Add {
		added[a.Name] = true
	}
	var names []string
	has := map[string]bool{}
	for _, n := range o.Key {
		switch c := t.Column(n); {
		case c != nil:
			names = append(names, c.TargetName)
		case added[n]:
			if v := addedValue(o, n); v == "$commit_ts" {
				return bad("key: %s changes with every change; a key column must not", n)
			}
			names = append(names, n)
		default:
			return bad("key: %s is neither a column of the table nor one of add_columns", n)
		}
		has[n] = true
	}
	for _, kc := range k.Columns {
		if !has[kc.Name] {
			return bad("key: it must hold the source key's columns (%s is missing): they identify the row in the source", kc.Name)
		}
	}
	t.TargetKey = names
	return nil
}

func addedValue(o *config.TableOptions, name string) string {
	for _, a := range o.Add {
		if a.Name == name {
			return a.Value.Expr
		}
	}
	return ""
}
