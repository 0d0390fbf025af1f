package sink

import (
	"fmt"
	"strings"

	"github.com/sluicedb/sluice/internal/schema"
)

// Target describes one target table for change apply.
type Target struct {
	Ref  TableRef
	Cols []string // target column names, in source column order
	// Key holds the positions of the key columns (primary key, else a NOT
	// NULL unique key); empty for a keyless table.
	Key []int
	// Uniques holds the other unique keys (positions), whose conflicts
	// idempotent apply resolves.
	Uniques [][]int
	// Geometry marks columns compared as bytes (PostGIS = compares boxes).
	Geometry []bool
	// Origin is 1 + the position of the merge origin column
	// (schema.OriginColumn); 0 when the table is not merged.
	Origin int
}

// DML is the set of statements apply uses for one table. Pure text, built
// once per table, pinned by tests; values are always parameters.
type DML struct {
	Insert string // $1..$n: the new row
	Upsert string // $1..$n: the new row; insert or overwrite by key
	Update string // $1..$n: the new row, $n+1..: the old key
	Delete string // $1..: the old key
	// Keyless tables: the whole old row ($1..$n) picks exactly one row.
	DeleteRow string
	UpdateRow string // $1..$n: the new row, $n+1..$2n: the old row
	// Conflicts[i] deletes the rows that hold the new row's values of
	// Uniques[i] under another key: $1..$n the new row.
	Conflicts []string
	// Merged tables (Origin > 0): Merge inserts or overwrites the row of
	// the same key only when it has the same origin ($1..$n the new row;
	// no row affected: another origin holds the key); Update and Delete
	// touch only rows of the change's origin (Delete: $k+1 the origin).
	Merge string
}

// BuildDML renders the statements of t.
func BuildDML(t Target) DML {
	q := schema.QualifiedName(t.Ref.TargetSchema, t.Ref.TargetTable)
	n := len(t.Cols)
	cols := make([]string, n)
	params := make([]string, n)
	sets := make([]string, n)
	for i, c := range t.Cols {
		cols[i] = schema.Ident(c)
		params[i] = fmt.Sprintf("$%d", i+1)
		sets[i] = fmt.Sprintf("%s = $%d", cols[i], i+1)
	}
	d := DML{Insert: fmt.Sprintf("INSERT INTO %s (%s) VALUES (%s)", q, strings.Join(cols, ", "), strings.Join(params, ", "))}
	if len(t.Key) == 0 {
		match := func(offset int) string {
			conds := make([]string, n)
			for i := range t.Cols {
				col, p := cols[i], fmt.Sprintf("$%d", offset+i+1)
				if t.Geometry != nil && t.Geometry[i] {
					col, p = col+"::bytea", p+"::bytea"
				}
				conds[i] = fmt.Sprintf("%s IS NOT DISTINCT FROM %s", col, p)
			}
			return fmt.Sprintf("ctid = (SELECT ctid FROM %s WHERE %s LIMIT 1)", q, strings.Join(conds, " AND "))
		}
		d.DeleteRow = fmt.Sprintf("DELETE FROM %s WHERE %s", q, match(0))
		d.UpdateRow = fmt.Sprintf("UPDATE %s SET %s WHERE %s", q, strings.Join(sets, ", "), match(n))
		return d
	}
	keyCols := make([]string, len(t.Key))
	isKey := map[int]bool{}
	for i, k := range t.Key {
		keyCols[i] = cols[k]
		isKey[k] = true
	}
	var excluded []string
	for i := range t.Cols {
		if !isKey[i] {
			excluded = append(excluded, fmt.Sprintf("%s = EXCLUDED.%s", cols[i], cols[i]))
		}
	}
	action := "DO NOTHING"
	if len(excluded) > 0 {
		action = "DO UPDATE SET " + strings.Join(excluded, ", ")
	}
	d.Upsert = fmt.Sprintf("%s ON CONFLICT (%s) %s", d.Insert, strings.Join(keyCols, ", "), action)
	where := func(offset int, idx []int) string {
		conds := make([]string, len(idx))
		for i, k := range idx {
			conds[i] = fmt.Sprintf("%s = $%d", cols[k], offset+i+1)
		}
		return strings.Join(conds, " AND ")
	}
	d.Update = fmt.Sprintf("UPDATE %s SET %s WHERE %s", q, strings.Join(sets, ", "), where(n, t.Key))
	d.Delete = fmt.Sprintf("DELETE FROM %s WHERE %s", q, where(0, t.Key))
	if t.Origin > 0 {
		origin := cols[t.Origin-1]
		if len(excluded) == 0 { // a key-only table: touch the row so that it counts
			excluded = []string{fmt.Sprintf("%s = EXCLUDED.%s", origin, origin)}
		}
		d.Merge = fmt.Sprintf("%s ON CONFLICT (%s) DO UPDATE SET %s WHERE %s.%s = EXCLUDED.%s",
			d.Insert, strings.Join(keyCols, ", "), strings.Join(excluded, ", "), q, origin, origin)
		d.Update += fmt.Sprintf(" AND %s = $%d", origin, t.Origin)
		d.Delete += fmt.Sprintf(" AND %s = $%d", origin, len(t.Key)+1)
		return d // other unique keys' conflicts are another origin's rows: not removed
	}
	for _, u := range t.Uniques {
		conds := make([]string, len(u))
		for i, k := range u {
			conds[i] = fmt.Sprintf("%s = $%d", cols[k], k+1)
		}
		keyNe := make([]string, len(t.Key))
		for i, k := range t.Key {
			keyNe[i] = fmt.Sprintf("$%d", k+1)
		}
		d.Conflicts = append(d.Conflicts, fmt.Sprintf("DELETE FROM %s WHERE %s AND (%s) IS DISTINCT FROM (%s)",
			q, strings.Join(conds, " AND "), strings.Join(keyCols, ", "), strings.Join(keyNe, ", ")))
	}
	return d
}

// TargetOf describes a source table's target for apply.
func TargetOf(t *schema.Table) Target {
	tg := Target{Ref: TableRef{SourceDB: t.Database, SourceTable: t.Name, TargetSchema: t.TargetSchema, TargetTable: t.TargetName}}
	pos := map[string]int{}
	for i, c := range t.Columns {
		tg.Cols = append(tg.Cols, c.TargetName)
		tg.Geometry = append(tg.Geometry, c.Kind == schema.KindGeometry)
		pos[c.Name] = i
	}
	for _, a := range t.Added { // filled by sluice, after the source's columns
		if a.Name == schema.OriginColumn && t.Origin != "" {
			tg.Origin = len(tg.Cols) + 1
		}
		tg.Cols = append(tg.Cols, a.Name)
		tg.Geometry = append(tg.Geometry, false)
	}
	key := t.Key()
	switch {
	case t.TargetKey != nil: // target names: columns, then added columns
		at := map[string]int{}
		for i, c := range tg.Cols {
			at[c] = i
		}
		for _, c := range t.TargetKey {
			tg.Key = append(tg.Key, at[c])
		}
	case key != nil:
		for _, c := range key.Columns {
			tg.Key = append(tg.Key, pos[c.Name])
		}
	}
	for i := range t.Indexes {
		ix := &t.Indexes[i]
		if !ix.Unique || ix == key || hasPrefix(ix) {
			continue
		}
		var u []int
		for _, c := range ix.Columns {
			u = append(u, pos[c.Name])
		}
		tg.Uniques = append(tg.Uniques, u)
	}
	return tg
}

func hasPrefix(ix *schema.Index) bool {
	for _, c := range ix.Columns {
		if c.SubPart > 0 || c.Name == "" {
			return true
		}
	}
	return false
}
