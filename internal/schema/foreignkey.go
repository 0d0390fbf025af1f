package schema

import (
	"fmt"
	"slices"
	"strings"
)

// ForeignKeyDDL is the DDL of one foreign key, run after the full load.
type ForeignKeyDDL struct {
	Name string // constraint name in PostgreSQL
	// Add creates the constraint NOT VALID: it checks rows written from now
	// on, not the rows already there, so it cannot fail on orphans.
	Add string
	// Validate checks the existing rows. When it fails (SQLSTATE 23503) the
	// source has orphan rows (written with foreign_key_checks=0): report
	// them, with Orphans, instead of failing the task.
	Validate string
	// Orphans counts the child rows whose parent is missing (MATCH SIMPLE:
	// rows with a NULL in the key are not checked).
	Orphans string
}

// fkActions are the referential actions MySQL reports, all of which
// PostgreSQL has with the same name. MySQL checks NO ACTION immediately,
// like RESTRICT; PostgreSQL checks it at the end of the statement.
var fkActions = map[string]bool{"RESTRICT": true, "CASCADE": true, "SET NULL": true, "NO ACTION": true, "SET DEFAULT": true}

// ForeignKeyDDLs returns the foreign keys of t. lookup finds a synced table
// by source database and name (nil when it is not synced) and so gives the
// target names of the referenced table and columns. A foreign key that
// PostgreSQL cannot have is reported instead of returned: one to a table or
// column that is not synced, or to columns without a primary key or unique
// constraint in PostgreSQL (MySQL only needs an index there; PostgreSQL would
// reject the ADD CONSTRAINT).
func ForeignKeyDDLs(t *Table, lookup func(db, table string) *Table) ([]ForeignKeyDDL, []Note) {
	var fks []ForeignKeyDDL
	var notes []Note
	for i := range t.ForeignKeys {
		fk := &t.ForeignKeys[i]
		ddl, why := foreignKey(t, fk, lookup(fk.RefDatabase, fk.RefTable))
		if why != "" {
			notes = append(notes, Note{Table: t.String(), Message: fmt.Sprintf("foreign key %s not created: %s", fk.Name, why)})
			continue
		}
		fks = append(fks, ddl)
	}
	return fks, notes
}

func foreignKey(t *Table, fk *ForeignKey, parent *Table) (ForeignKeyDDL, string) {
	if parent == nil {
		return ForeignKeyDDL{}, fmt.Sprintf("it references %s.%s, which is not synced", fk.RefDatabase, fk.RefTable)
	}
	if len(fk.Columns) == 0 || len(fk.Columns) != len(fk.RefColumns) {
		return ForeignKeyDDL{}, "its column lists do not match"
	}
	cols, why := fkColumns(t, fk.Columns)
	if why != "" {
		return ForeignKeyDDL{}, why
	}
	refCols, why := fkColumns(parent, fk.RefColumns)
	if why != "" {
		return ForeignKeyDDL{}, why
	}
	if !hasUniqueKey(parent, fk.RefColumns) {
		return ForeignKeyDDL{}, fmt.Sprintf("PostgreSQL needs a primary key or unique constraint on exactly (%s) of %s, which has none", strings.Join(fk.RefColumns, ", "), parent)
	}
	actions := ""
	for _, a := range []struct{ on, action string }{{"DELETE", fk.OnDelete}, {"UPDATE", fk.OnUpdate}} {
		action := strings.ToUpper(strings.TrimSpace(a.action))
		switch {
		case action == "":
		case fkActions[action]:
			actions += " ON " + a.on + " " + action
		default:
			return ForeignKeyDDL{}, fmt.Sprintf("unknown ON %s action %q", a.on, a.action)
		}
	}
	name := fkName(t, fk.Name)
	table, parentTable := tableIdent(t), tableIdent(parent)
	ddl := ForeignKeyDDL{
		Name: name,
		Add: fmt.Sprintf("ALTER TABLE %s ADD CONSTRAINT %s FOREIGN KEY (%s) REFERENCES %s (%s)%s NOT VALID",
			table, Ident(name), strings.Join(cols, ", "), parentTable, strings.Join(refCols, ", "), actions),
		Validate: fmt.Sprintf("ALTER TABLE %s VALIDATE CONSTRAINT %s", table, Ident(name)),
	}
	var notNull, match []string
	for i := range cols {
		notNull = append(notNull, "c."+cols[i]+" IS NOT NULL")
		match = append(match, "p."+refCols[i]+" = c."+cols[i])
	}
	ddl.Orphans = fmt.Sprintf("SELECT count(*) FROM %s AS c WHERE %s AND NOT EXISTS (SELECT 1 FROM %s AS p WHERE %s)",
		table, strings.Join(notNull, " AND "), parentTable, strings.Join(match, " AND "))
	return ddl, ""
}

// fkColumns returns the quoted target names of source columns of t.
func fkColumns(t *Table, names []string) ([]string, string) {
	var cols []string
	for _, n := range names {
		c := t.Column(n)
		if c == nil {
			return nil, fmt.Sprintf("column %s of %s is not synced", n, t)
		}
		cols = append(cols, Ident(columnName(c)))
	}
	return cols, ""
}

// hasUniqueKey reports whether t gets a PRIMARY KEY or UNIQUE constraint
// (see CreateTable) on exactly the columns names, in any order.
func hasUniqueKey(t *Table, names []string) bool {
	want := slices.Sorted(slices.Values(names))
	for i := range t.Indexes {
		ix := &t.Indexes[i]
		if !isConstraint(t, ix) || len(ix.Columns) != len(want) {
			continue
		}
		var got []string
		for _, p := range ix.Columns {
			got = append(got, p.Name)
		}
		slices.Sort(got)
		if slices.Equal(got, want) {
			return true
		}
	}
	return false
}

// fkName is ConstraintName, moved aside with a "_fkey" suffix when it equals
// the name of an index of the same table (a MySQL unique key and foreign key
// may share a name; in PostgreSQL both are constraints of the table).
func fkName(t *Table, fk string) string {
	name := ConstraintName(targetTable(t), fk)
	for i := range t.Indexes {
		if IndexName(targetTable(t), t.Indexes[i].Name) == name {
			return ConstraintName(targetTable(t), fk+"_fkey")
		}
	}
	return name
}
