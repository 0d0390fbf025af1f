package precheck

import (
	"fmt"
	"strings"

	"github.com/sluicedb/sluice/internal/schema"
	"github.com/sluicedb/sluice/internal/sink"
)

// checkMapping reports what schema sync creates differently from the
// source: prefix indexes and invisible columns. Tables this task already
// created (a resumed run) are not reported again.
func checkMapping(r *Report, in Input) {
	for _, t := range in.Tables {
		if in.Created[sink.TableRef{SourceDB: t.Database, SourceTable: t.Name, TargetSchema: t.TargetSchema, TargetTable: t.TargetName}] {
			continue
		}
		for i := range t.Indexes {
			if msg, fix, ok := prefixIndex(t, &t.Indexes[i]); ok {
				r.Add(IDPrefixIndex, Warning, t.String()+"."+t.Indexes[i].Name, msg, fix)
			}
		}
		for _, c := range t.Columns {
			if c.Invisible {
				r.Add(IDInvisibleColumn, Warning, t.String()+"."+c.Name,
					fmt.Sprintf("column %s of %s is INVISIBLE on the source; PostgreSQL has no invisible columns, so it is created as an ordinary column (its values copied) and SELECT * on the target returns it", c.Name, t),
					"acknowledge: --ack invisible-column; queries on the target that must not see it name their columns, or read a view without it")
			}
		}
	}
}

// prefixIndex describes an index with a prefix key part (KEY (name(10)))
// and the full-column index to create instead; ok is false for other
// indexes. Schema sync maps a text prefix to left(col, n) and a binary one
// to substring(col from 1 for n) (see schema.PostLoad), expressions that a
// query on the plain column does not match.
func prefixIndex(t *schema.Table, ix *schema.Index) (msg, fix string, ok bool) {
	var src, target, whole []string
	created := true // schema sync creates the index (see schema.PostLoad)
	for _, p := range ix.Columns {
		if p.Name == "" {
			src = append(src, "(expression)")
			created = false
			continue
		}
		c := t.Column(p.Name)
		name := p.Name
		tname := schema.TargetName(p.Name)
		if c != nil {
			tname = c.TargetName
		}
		whole = append(whole, schema.Ident(tname))
		if p.SubPart == 0 {
			src = append(src, name)
			target = append(target, tname)
			continue
		}
		ok = true
		src = append(src, fmt.Sprintf("%s(%d)", name, p.SubPart))
		switch {
		case c != nil && c.Kind == schema.KindText:
			target = append(target, fmt.Sprintf("left(%s, %d)", tname, p.SubPart))
		case c != nil && c.Kind == schema.KindBinary:
			target = append(target, fmt.Sprintf("substring(%s from 1 for %d)", tname, p.SubPart))
		default:
			created = false
		}
	}
	if !ok {
		return "", "", false
	}
	what := "index"
	if ix.Unique || ix.Primary {
		what = "unique index"
	}
	becomes := fmt.Sprintf("it becomes an expression index on (%s) in PostgreSQL, which queries on the plain column (WHERE col = …, ORDER BY col, joins) do not use", strings.Join(target, ", "))
	if !created {
		becomes = "schema sync does not create it in PostgreSQL (see its notes)"
	}
	msg = fmt.Sprintf("%s %s (%s) of %s is a prefix index: %s", what, ix.Name, strings.Join(src, ", "), t, becomes)
	table := schema.QualifiedName(t.TargetSchema, t.TargetName)
	fix = fmt.Sprintf("acknowledge: --ack prefix-index; and if queries need it, after the load create a full-column index on the target: CREATE INDEX ON %s (%s);",
		table, strings.Join(whole, ", "))
	if len(whole) == 1 {
		fix += fmt.Sprintf(" (for equality lookups on values longer than a btree entry's 2,700 bytes: CREATE INDEX ON %s USING hash (%s);)", table, whole[0])
	}
	return msg, fix, true
}
