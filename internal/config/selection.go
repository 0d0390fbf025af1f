package config

import (
	"path"
	"strings"
)

// systemDatabases are never selected by a pattern.
var systemDatabases = map[string]bool{
	"mysql": true, "information_schema": true, "performance_schema": true, "sys": true,
}

// Pattern is one include or exclude pattern: db.table with * and ? globs.
// A pattern without a dot selects every table of the matching databases.
type Pattern struct {
	Raw, DB, Table string
}

// ParsePattern validates a db.table glob.
func ParsePattern(raw string) (Pattern, error) {
	db, table, ok := strings.Cut(raw, ".")
	if !ok {
		table = "*"
	}
	if db == "" || table == "" || strings.Contains(table, ".") {
		return Pattern{}, usagef("pattern %q: expected db.table, e.g. shop.* or shop.order_*", raw)
	}
	for _, p := range []string{db, table} {
		if _, err := path.Match(p, ""); err != nil {
			return Pattern{}, usagef("pattern %q: bad glob %q: %v", raw, p, err)
		}
	}
	return Pattern{Raw: raw, DB: db, Table: table}, nil
}

// Match reports whether the pattern selects db.table.
func (p Pattern) Match(db, table string) bool {
	okDB, _ := path.Match(p.DB, db)
	okT, _ := path.Match(p.Table, table)
	return okDB && okT
}

// Selection is the set of tables a task syncs.
type Selection struct {
	Include []Pattern // empty = every non-system database
	Exclude []Pattern
}

// NewSelection parses include and exclude patterns.
func NewSelection(include, exclude []string) (Selection, error) {
	var s Selection
	for _, raw := range include {
		p, err := ParsePattern(raw)
		if err != nil {
			return s, err
		}
		s.Include = append(s.Include, p)
	}
	for _, raw := range exclude {
		p, err := ParsePattern(raw)
		if err != nil {
			return s, err
		}
		s.Exclude = append(s.Exclude, p)
	}
	return s, nil
}

// Selects reports whether db.table is selected.
func (s Selection) Selects(db, table string) bool {
	if systemDatabases[strings.ToLower(db)] {
		return false
	}
	in := len(s.Include) == 0
	for _, p := range s.Include {
		if p.Match(db, table) {
			in = true
			break
		}
	}
	if !in {
		return false
	}
	for _, p := range s.Exclude {
		if p.Match(db, table) {
			return false
		}
	}
	return true
}

// SelectsDatabase reports whether some table of db could be selected.
func (s Selection) SelectsDatabase(db string) bool {
	if systemDatabases[strings.ToLower(db)] {
		return false
	}
	if len(s.Include) == 0 {
		return true
	}
	for _, p := range s.Include {
		if ok, _ := path.Match(p.DB, db); ok {
			return true
		}
	}
	return false
}
