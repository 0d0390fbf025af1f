package schema

import (
	"fmt"
	"strings"
)

// PostLoad returns the indexes created after the full load: every index that
// CreateTable did not make a constraint. Non-unique BTREE and HASH indexes
// become btree indexes with their key part order. A prefix key part becomes
// the expression left(col, n) (characters) or substring(col from 1 for n)
// (bytes), and a unique index with one becomes a unique index on those
// expressions: the same rule as MySQL, unique prefixes. SPATIAL becomes gist
// with PostGIS. FULLTEXT and functional key parts are reported, not created.
func PostLoad(t *Table, o Options) ([]string, []Note) {
	indexes, notes := postLoadIndexes(t, o)
	var stmts []string
	for _, ix := range indexes {
		stmts = append(stmts, ix.create)
	}
	return stmts, notes
}

// Relations returns the name of every relation schema sync creates for t in
// its target schema: the table, then each index, including those behind the
// PRIMARY KEY and UNIQUE constraints. PostgreSQL keeps tables and indexes in
// one namespace per schema, and CREATE … IF NOT EXISTS silently skips a name
// that is taken, so the precheck compares these across the tables of a
// schema and with the relations already in the target.
func Relations(t *Table, o Options) []string {
	names := []string{targetTable(t)}
	for i := range t.Indexes {
		if isConstraint(t, &t.Indexes[i]) {
			names = append(names, IndexName(targetTable(t), t.Indexes[i].Name))
		}
	}
	indexes, _ := postLoadIndexes(t, o)
	for _, ix := range indexes {
		names = append(names, ix.name)
	}
	return names
}

// postLoadIndex is one index PostLoad creates.
type postLoadIndex struct {
	name   string // PostgreSQL index name
	create string // CREATE [UNIQUE] INDEX IF NOT EXISTS …
}

func postLoadIndexes(t *Table, o Options) ([]postLoadIndex, []Note) {
	var indexes []postLoadIndex
	var notes []Note
	note := func(format string, args ...any) {
		notes = append(notes, Note{Table: t.String(), Message: fmt.Sprintf(format, args...)})
	}
	table := tableIdent(t)
	for i := range t.Indexes {
		ix := &t.Indexes[i]
		if isConstraint(t, ix) {
			continue
		}
		name := IndexName(targetTable(t), ix.Name)
		add := func(create string) {
			indexes = append(indexes, postLoadIndex{name: name, create: create})
		}
		switch ix.Type {
		case "FULLTEXT":
			note("FULLTEXT index %s not created: PostgreSQL full-text search works differently; if you need it, create a GIN index yourself, e.g. CREATE INDEX %s ON %s USING gin (%s)", ix.Name, Ident(name), table, tsvector(t, ix))
			continue
		case "SPATIAL":
			if !o.PostGIS {
				note("SPATIAL index %s not created: without PostGIS the geometry is stored as bytea, which has no spatial index; install PostGIS in the target to get a gist index", ix.Name)
				continue
			}
			// A SPATIAL key part has no order, and its SUB_PART (MariaDB
			// reports 32) is not a prefix.
			spatial := *ix
			spatial.Columns = nil
			for _, p := range ix.Columns {
				spatial.Columns = append(spatial.Columns, IndexColumn{Name: p.Name})
			}
			elems, why := indexElems(t, &spatial)
			if why != "" {
				note("SPATIAL index %s not created (%s)", ix.Name, why)
				continue
			}
			add("CREATE INDEX IF NOT EXISTS " + Ident(name) + " ON " + table + " USING gist (" + strings.Join(elems, ", ") + ")")
			continue
		}
		elems, why := indexElems(t, ix)
		switch {
		case why != "" && (ix.Unique || ix.Primary):
			note("unique index %s not created (%s): PostgreSQL does not enforce this uniqueness; create the index yourself if you need it", ix.Name, why)
		case why != "":
			note("index %s not created (%s): create it yourself if you need it", ix.Name, why)
		case ix.Unique || ix.Primary:
			add("CREATE UNIQUE INDEX IF NOT EXISTS " + Ident(name) + " ON " + table + " (" + strings.Join(elems, ", ") + ")")
		default:
			add("CREATE INDEX IF NOT EXISTS " + Ident(name) + " ON " + table + " (" + strings.Join(elems, ", ") + ")")
		}
	}
	return indexes, notes
}

// indexElems renders the key parts of ix, or says why it cannot.
func indexElems(t *Table, ix *Index) ([]string, string) {
	if len(ix.Columns) == 0 {
		return nil, "it has no key parts"
	}
	var elems []string
	for _, p := range ix.Columns {
		if p.Name == "" {
			return nil, "it has a functional key part, which sluice does not translate"
		}
		c := t.Column(p.Name)
		if c == nil {
			return nil, "column " + p.Name + " is not synced"
		}
		col := Ident(columnName(c))
		elem := col
		if p.SubPart > 0 {
			switch c.Kind {
			case KindText:
				elem = fmt.Sprintf("(left(%s, %d))", col, p.SubPart)
			case KindBinary:
				elem = fmt.Sprintf("(substring(%s from 1 for %d))", col, p.SubPart)
			default:
				return nil, fmt.Sprintf("prefix key part on %s, a %s column", p.Name, c.Kind)
			}
		}
		if p.Desc {
			elem += " DESC"
		}
		elems = append(elems, elem)
	}
	return elems, ""
}

// tsvector renders the to_tsvector expression suggested for a FULLTEXT index.
func tsvector(t *Table, ix *Index) string {
	var parts []string
	for _, p := range ix.Columns {
		name := p.Name
		if c := t.Column(p.Name); c != nil {
			name = columnName(c)
		}
		parts = append(parts, "coalesce("+Ident(name)+", '')")
	}
	return "to_tsvector('simple', " + strings.Join(parts, " || ' ' || ") + ")"
}
