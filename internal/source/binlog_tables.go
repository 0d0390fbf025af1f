package source

import (
	"fmt"
	"strings"

	"github.com/go-mysql-org/go-mysql/replication"

	"github.com/sluicedb/sluice/internal/schema"
)

type tableKey struct{ db, name string }

// selection is the set of tables a binlog stream reads. Row events are
// matched by the exact names the binlog carries; statements by the names
// as written, case-insensitively (which can only stop more often).
type selection struct {
	exact map[tableKey]*schema.Table
	fold  map[tableKey]*schema.Table
	dbs   map[string]bool // lower-case database names
}

func newSelection(tables []*schema.Table) *selection {
	s := &selection{
		exact: make(map[tableKey]*schema.Table, len(tables)),
		fold:  make(map[tableKey]*schema.Table, len(tables)),
		dbs:   map[string]bool{},
	}
	for _, t := range tables {
		s.exact[tableKey{t.Database, t.Name}] = t
		s.fold[tableKey{strings.ToLower(t.Database), strings.ToLower(t.Name)}] = t
		s.dbs[strings.ToLower(t.Database)] = true
	}
	return s
}

// table returns the selected table a TABLE_MAP names, or nil. It is called
// from go-mysql's reading goroutine too; the maps are never written after
// newSelection.
func (s *selection) table(db, name []byte) *schema.Table {
	return s.exact[tableKey{string(db), string(name)}]
}

// touched names a selected table (db.table) or database (db.*) that a DDL
// or DML statement run with default database defaultDB may change; ok is
// false when it changes none.
func (s *selection) touched(st statement, defaultDB string) (name string, ok bool) {
	for _, ref := range st.tables {
		db := ref.db
		if db == "" {
			db = defaultDB
		}
		if t := s.fold[tableKey{strings.ToLower(db), strings.ToLower(ref.name)}]; t != nil {
			return t.String(), true
		}
	}
	if st.class == stmtDDL {
		for _, db := range st.dbs { // DROP DATABASE
			if s.dbs[strings.ToLower(db)] {
				return db + ".*", true
			}
		}
		return "", false
	}
	if st.opaque {
		if defaultDB != "" && s.dbs[strings.ToLower(defaultDB)] {
			return defaultDB + ".*", true
		}
		for _, db := range st.dbs {
			if s.dbs[strings.ToLower(db)] {
				return db + ".*", true
			}
		}
	}
	return "", false
}

// checkTableMap compares a TABLE_MAP of a selected table with the table as
// the task read it: the column count always, the names when the server
// logs them (binlog_row_metadata=FULL). It returns what differs, or "".
func checkTableMap(t *schema.Table, tm *replication.TableMapEvent) string {
	cols := t.SourceColumns
	if cols == nil { // a table not read by Catalog (tests): every column
		for i := range t.Columns {
			cols = append(cols, t.Columns[i].Name)
		}
	}
	if int(tm.ColumnCount) != len(cols) {
		return fmt.Sprintf("the binlog row has %d columns but the table has %d", tm.ColumnCount, len(cols))
	}
	names := tm.ColumnNameString()
	if len(names) == 0 {
		return ""
	}
	if len(names) != len(cols) {
		return fmt.Sprintf("the binlog names %d columns but the table has %d", len(names), len(cols))
	}
	for i, n := range names {
		if n != cols[i] {
			return fmt.Sprintf("binlog column %d is %q but the table's column %d is %q", i+1, n, i+1, cols[i])
		}
	}
	return ""
}

// sourceColumns is the number of columns of the source table.
func sourceColumns(t *schema.Table) int {
	if t.SourceColumns != nil {
		return len(t.SourceColumns)
	}
	return len(t.Columns)
}

// fullImage reports whether every row image of a rows event holds every
// column (binlog_row_image=FULL); MINIMAL and NOBLOB leave bits unset.
// Updates carry a second bitmap, for the after image.
func fullImage(re *replication.RowsEvent, update bool) bool {
	n := int(re.ColumnCount)
	return allSet(re.ColumnBitmap1, n) && (!update || allSet(re.ColumnBitmap2, n))
}

// allSet reports whether the first n bits of bitmap are set.
func allSet(bitmap []byte, n int) bool {
	if len(bitmap) < (n+7)/8 {
		return false
	}
	for i := range n {
		if bitmap[i/8]&(1<<(i%8)) == 0 {
			return false
		}
	}
	return true
}
