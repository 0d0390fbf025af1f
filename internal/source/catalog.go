package source

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/sluicedb/sluice/internal/schema"
)

// Selector decides which tables are read; config.Selection implements it.
type Selector interface {
	Selects(db, table string) bool
	SelectsDatabase(db string) bool
}

// ColumnProblem is a column whose type sluice cannot map.
type ColumnProblem struct {
	Table  string // db.table
	Column string
	Err    error
}

// Catalog reads the selected tables from information_schema: columns with
// their types, keys, indexes, foreign keys, comments and row estimates.
// Columns whose type cannot be mapped are returned as problems, not errors,
// so a precheck can list all of them at once.
func (s *Source) Catalog(ctx context.Context, sel Selector) ([]*schema.Table, []ColumnProblem, error) {
	tables, dbs, err := s.listTables(ctx, sel)
	if err != nil || len(tables) == 0 {
		return nil, nil, err
	}
	byName := make(map[string]*schema.Table, len(tables))
	for _, t := range tables {
		byName[t.Database+"\x00"+t.Name] = t
	}
	steps := []func(context.Context, []any, map[string]*schema.Table) error{
		s.readColumns, s.readIndexes, s.readForeignKeys, s.readJSONChecks, s.readSRIDs,
	}
	for _, step := range steps {
		if err := step(ctx, dbs, byName); err != nil {
			return nil, nil, fmt.Errorf("reading the source catalog: %w", err)
		}
	}
	var problems []ColumnProblem
	for _, t := range tables {
		sortIndexes(t)
		t.SourceColumns = make([]string, len(t.Columns))
		for i := range t.Columns {
			c := &t.Columns[i]
			c.Position, t.SourceColumns[i] = i, c.Name
			c.TargetName = schema.TargetName(c.Name)
			if err := schema.Classify(c); err != nil {
				problems = append(problems, ColumnProblem{Table: t.String(), Column: c.Name, Err: err})
			}
		}
	}
	return tables, problems, nil
}

func (s *Source) listTables(ctx context.Context, sel Selector) ([]*schema.Table, []any, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT TABLE_SCHEMA, TABLE_NAME, TABLE_TYPE, COALESCE(ENGINE, ''),
		COALESCE(TABLE_ROWS, 0), COALESCE(AVG_ROW_LENGTH, 0), COALESCE(AUTO_INCREMENT, 0), COALESCE(TABLE_COMMENT, '')
		FROM information_schema.TABLES
		WHERE TABLE_TYPE IN ('BASE TABLE', 'SYSTEM VERSIONED')
		ORDER BY TABLE_SCHEMA, TABLE_NAME`)
	if err != nil {
		return nil, nil, fmt.Errorf("listing source tables: %w", err)
	}
	defer rows.Close()
	var tables []*schema.Table
	var dbs []any
	seen := map[string]bool{}
	for rows.Next() {
		t := &schema.Table{}
		var typ string
		if err := rows.Scan(&t.Database, &t.Name, &typ, &t.Engine, &t.Rows, &t.AvgRowLength, &t.AutoIncrement, &t.Comment); err != nil {
			return nil, nil, fmt.Errorf("listing source tables: %w", err)
		}
		if !sel.SelectsDatabase(t.Database) || !sel.Selects(t.Database, t.Name) {
			continue
		}
		t.SystemVersioned = typ == "SYSTEM VERSIONED"
		t.TargetSchema = schema.TargetName(t.Database)
		t.TargetName = schema.TargetName(t.Name)
		tables = append(tables, t)
		if !seen[t.Database] {
			seen[t.Database] = true
			dbs = append(dbs, t.Database)
		}
	}
	return tables, dbs, rows.Err()
}

// Databases lists the databases the account can see, system ones excluded.
func (s *Source) Databases(ctx context.Context) ([]string, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT SCHEMA_NAME FROM information_schema.SCHEMATA
		WHERE SCHEMA_NAME NOT IN ('mysql', 'information_schema', 'performance_schema', 'sys') ORDER BY 1`)
	if err != nil {
		return nil, fmt.Errorf("listing source databases: %w", err)
	}
	defer rows.Close()
	var dbs []string
	for rows.Next() {
		var db string
		if err := rows.Scan(&db); err != nil {
			return nil, err
		}
		dbs = append(dbs, db)
	}
	return dbs, rows.Err()
}

// inList renders "?, ?, ?" for n parameters.
func inList(n int) string { return strings.TrimSuffix(strings.Repeat("?, ", n), ", ") }

func (s *Source) readColumns(ctx context.Context, dbs []any, tables map[string]*schema.Table) error {
	rows, err := s.DB.QueryContext(ctx, `SELECT TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME, COLUMN_DEFAULT, IS_NULLABLE,
		DATA_TYPE, COLUMN_TYPE, COALESCE(CHARACTER_MAXIMUM_LENGTH, 0), COALESCE(NUMERIC_PRECISION, 0),
		COALESCE(NUMERIC_SCALE, 0), COALESCE(DATETIME_PRECISION, 0), COALESCE(CHARACTER_SET_NAME, ''),
		EXTRA, COLUMN_COMMENT, COALESCE(GENERATION_EXPRESSION, ''), COALESCE(COLLATION_NAME, '')
		FROM information_schema.COLUMNS WHERE TABLE_SCHEMA IN (`+inList(len(dbs))+`)
		ORDER BY TABLE_SCHEMA, TABLE_NAME, ORDINAL_POSITION`, dbs...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var db, table, nullable, extra string
		var def sql.NullString
		var numPrec, numScale, dtPrec int
		var c schema.Column
		if err := rows.Scan(&db, &table, &c.Name, &def, &nullable, &c.DataType, &c.ColumnType, &c.Length,
			&numPrec, &numScale, &dtPrec, &c.Charset, &extra, &c.Comment, &c.Generated, &c.Collation); err != nil {
			return err
		}
		t := tables[db+"\x00"+table]
		if t == nil {
			continue
		}
		c.DataType = strings.ToLower(c.DataType)
		c.Nullable = nullable == "YES"
		c.Precision, c.Scale = numPrec, numScale
		switch c.DataType {
		case "datetime", "timestamp", "time":
			c.Scale = dtPrec
		}
		lextra := strings.ToLower(extra)
		c.AutoIncrement = strings.Contains(lextra, "auto_increment")
		c.Invisible = strings.Contains(lextra, "invisible")
		if !strings.Contains(lextra, "virtual") && !strings.Contains(lextra, "stored") {
			c.Generated = ""
		}
		if i := strings.Index(lextra, "on update "); i >= 0 {
			c.OnUpdate = strings.TrimSpace(extra[i+len("on update "):])
		}
		s.setDefault(&c, def, lextra)
		t.Columns = append(t.Columns, c)
	}
	return rows.Err()
}

var numericLiteral = regexp.MustCompile(`^[-+]?[0-9]*\.?[0-9]+([eE][-+]?[0-9]+)?$`)

// setDefault records COLUMN_DEFAULT. MariaDB (10.2.7+) prints literals
// quoted, NULL as the word NULL and expressions bare; MySQL prints literals
// unquoted and marks expression defaults with DEFAULT_GENERATED in EXTRA.
func (s *Source) setDefault(c *schema.Column, def sql.NullString, extra string) {
	if !def.Valid || c.Generated != "" {
		return
	}
	v := def.String
	if s.Flavor == "mariadb" {
		c.DefaultQuoted = true
		switch {
		case v == "NULL":
			return
		case strings.HasPrefix(v, "'"), numericLiteral.MatchString(v):
		default:
			c.DefaultIsExpr = true
		}
	} else {
		c.DefaultIsExpr = strings.Contains(extra, "default_generated")
	}
	c.Default = &v
}

func (s *Source) readIndexes(ctx context.Context, dbs []any, tables map[string]*schema.Table) error {
	rows, err := s.DB.QueryContext(ctx, `SELECT TABLE_SCHEMA, TABLE_NAME, INDEX_NAME, NON_UNIQUE,
		COALESCE(COLUMN_NAME, ''), COALESCE(SUB_PART, 0), COALESCE(COLLATION, 'A'), INDEX_TYPE
		FROM information_schema.STATISTICS WHERE TABLE_SCHEMA IN (`+inList(len(dbs))+`)
		ORDER BY TABLE_SCHEMA, TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX`, dbs...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var db, table, name, col, collation, typ string
		var nonUnique, subPart int
		if err := rows.Scan(&db, &table, &name, &nonUnique, &col, &subPart, &collation, &typ); err != nil {
			return err
		}
		t := tables[db+"\x00"+table]
		if t == nil {
			continue
		}
		n := len(t.Indexes)
		if n == 0 || t.Indexes[n-1].Name != name {
			t.Indexes = append(t.Indexes, schema.Index{Name: name, Primary: name == "PRIMARY", Unique: nonUnique == 0, Type: typ})
			n++
		}
		ix := &t.Indexes[n-1]
		ix.Columns = append(ix.Columns, schema.IndexColumn{Name: col, SubPart: subPart, Desc: collation == "D"})
	}
	return rows.Err()
}

// sortIndexes puts the primary key first, then the others by name.
func sortIndexes(t *schema.Table) {
	sort.SliceStable(t.Indexes, func(i, j int) bool {
		a, b := t.Indexes[i], t.Indexes[j]
		if a.Primary != b.Primary {
			return a.Primary
		}
		return a.Name < b.Name
	})
}

func (s *Source) readForeignKeys(ctx context.Context, dbs []any, tables map[string]*schema.Table) error {
	rows, err := s.DB.QueryContext(ctx, `SELECT rc.CONSTRAINT_SCHEMA, rc.TABLE_NAME, rc.CONSTRAINT_NAME,
		rc.UPDATE_RULE, rc.DELETE_RULE, k.COLUMN_NAME, k.REFERENCED_TABLE_SCHEMA, k.REFERENCED_TABLE_NAME,
		k.REFERENCED_COLUMN_NAME
		FROM information_schema.REFERENTIAL_CONSTRAINTS rc
		JOIN information_schema.KEY_COLUMN_USAGE k ON k.CONSTRAINT_SCHEMA = rc.CONSTRAINT_SCHEMA
			AND k.TABLE_NAME = rc.TABLE_NAME AND k.CONSTRAINT_NAME = rc.CONSTRAINT_NAME
		WHERE rc.CONSTRAINT_SCHEMA IN (`+inList(len(dbs))+`)
		ORDER BY rc.CONSTRAINT_SCHEMA, rc.TABLE_NAME, rc.CONSTRAINT_NAME, k.ORDINAL_POSITION`, dbs...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var db, table, name, onUpdate, onDelete, col, refDB, refTable, refCol string
		if err := rows.Scan(&db, &table, &name, &onUpdate, &onDelete, &col, &refDB, &refTable, &refCol); err != nil {
			return err
		}
		t := tables[db+"\x00"+table]
		if t == nil {
			continue
		}
		n := len(t.ForeignKeys)
		if n == 0 || t.ForeignKeys[n-1].Name != name {
			t.ForeignKeys = append(t.ForeignKeys, schema.ForeignKey{Name: name, RefDatabase: refDB,
				RefTable: refTable, OnDelete: onDelete, OnUpdate: onUpdate})
			n++
		}
		fk := &t.ForeignKeys[n-1]
		fk.Columns = append(fk.Columns, col)
		fk.RefColumns = append(fk.RefColumns, refCol)
	}
	return rows.Err()
}

var jsonValidCheck = regexp.MustCompile("^json_valid\\(`((?:[^`]|``)+)`\\)$")

// readJSONChecks recognises MariaDB JSON columns: LONGTEXT with a
// CHECK (json_valid(col)) constraint.
func (s *Source) readJSONChecks(ctx context.Context, dbs []any, tables map[string]*schema.Table) error {
	if s.Flavor != "mariadb" {
		return nil
	}
	rows, err := s.DB.QueryContext(ctx, `SELECT CONSTRAINT_SCHEMA, TABLE_NAME, CHECK_CLAUSE
		FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA IN (`+inList(len(dbs))+`)`, dbs...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var db, table, clause string
		if err := rows.Scan(&db, &table, &clause); err != nil {
			return err
		}
		m := jsonValidCheck.FindStringSubmatch(strings.TrimSpace(clause))
		t := tables[db+"\x00"+table]
		if m == nil || t == nil {
			continue
		}
		if c := t.Column(strings.ReplaceAll(m[1], "``", "`")); c != nil && strings.HasSuffix(c.DataType, "text") {
			c.Kind = schema.KindJSON
		}
	}
	return rows.Err()
}

// readSRIDs reads the SRID each geometry column is restricted to.
func (s *Source) readSRIDs(ctx context.Context, dbs []any, tables map[string]*schema.Table) error {
	q := `SELECT G_TABLE_SCHEMA, G_TABLE_NAME, G_GEOMETRY_COLUMN, SRID FROM information_schema.GEOMETRY_COLUMNS
		WHERE G_TABLE_SCHEMA IN (` + inList(len(dbs)) + `)`
	if s.Flavor == "mysql" {
		q = `SELECT TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME, SRS_ID FROM information_schema.COLUMNS
			WHERE SRS_ID IS NOT NULL AND TABLE_SCHEMA IN (` + inList(len(dbs)) + `)`
	}
	rows, err := s.DB.QueryContext(ctx, q, dbs...)
	if err != nil {
		if isMySQLError(err, 1109, 1054) { // unknown table or column: a server without SRIDs
			return nil
		}
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var db, table, col string
		var srid int
		if err := rows.Scan(&db, &table, &col, &srid); err != nil {
			return err
		}
		if t := tables[db+"\x00"+table]; t != nil {
			if c := t.Column(col); c != nil {
				c.SRID = srid
			}
		}
	}
	return rows.Err()
}
