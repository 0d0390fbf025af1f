package schema

// Kind is the family of a MySQL/MariaDB column type. It decides the
// PostgreSQL type (see PGType) and how values are converted (package value).
type Kind int

// Source type families. The zero value is KindUnknown, which is never valid
// for a loaded column: the catalog reader rejects types it cannot map.
const (
	KindUnknown   Kind = iota
	KindInt            // TINYINT, SMALLINT, MEDIUMINT, INT, BIGINT (IntBytes, Unsigned)
	KindDecimal        // DECIMAL/NUMERIC(Precision, Scale)
	KindFloat          // FLOAT (4-byte IEEE)
	KindDouble         // DOUBLE / REAL (8-byte IEEE)
	KindBit            // BIT(Length) — Length in bits, 1..64
	KindText           // CHAR, VARCHAR, TINYTEXT..LONGTEXT (non-binary charset)
	KindBinary         // BINARY, VARBINARY, TINYBLOB..LONGBLOB
	KindDate           // DATE
	KindDatetime       // DATETIME(Scale) — wall clock, no zone
	KindTimestamp      // TIMESTAMP(Scale) — an instant
	KindTime           // TIME(Scale) — a duration, ±838:59:59
	KindYear           // YEAR
	KindEnum           // ENUM(Members...)
	KindSet            // SET(Members...)
	KindJSON           // MySQL JSON, or MariaDB LONGTEXT with CHECK (json_valid(col))
	KindGeometry       // GEOMETRY family (GeometryType, SRID)
	KindUUID           // MariaDB UUID
	KindInet4          // MariaDB INET4
	KindInet6          // MariaDB INET6
)

var kindNames = [...]string{
	"unknown", "int", "decimal", "float", "double", "bit", "text", "binary",
	"date", "datetime", "timestamp", "time", "year", "enum", "set", "json",
	"geometry", "uuid", "inet4", "inet6",
}

func (k Kind) String() string {
	if k < 0 || int(k) >= len(kindNames) {
		return "unknown"
	}
	return kindNames[k]
}

// Column is one source column as read from information_schema.
type Column struct {
	Name       string // source name, as in MySQL
	TargetName string // name in PostgreSQL, after the case policy
	DataType   string // information_schema DATA_TYPE, lower case: "bigint", "varchar"
	ColumnType string // information_schema COLUMN_TYPE: "bigint(20) unsigned"
	Kind       Kind

	Unsigned    bool     // KindInt, KindDecimal, KindFloat, KindDouble
	IntBytes    int      // KindInt: 1, 2, 3, 4 or 8
	Length      int64    // KindText: max characters; KindBinary: max bytes; KindBit: bits
	FixedLength bool     // CHAR(n) or BINARY(n)
	Precision   int      // KindDecimal: total digits
	Scale       int      // KindDecimal: fraction digits; temporal kinds: fractional-second digits
	Charset     string   // KindText, KindEnum, KindSet: MySQL character set name
	Collation   string   // KindText, KindEnum, KindSet: COLLATION_NAME
	Members     []string // KindEnum, KindSet: labels in definition order
	Geometry    string   // KindGeometry: "geometry", "point", "linestring", "polygon", "multipoint", ...
	SRID        int      // KindGeometry: column SRID, 0 when unconstrained

	Nullable      bool
	Default       *string // information_schema COLUMN_DEFAULT as the server prints it; nil = no default
	DefaultIsExpr bool    // the default is an expression (CURRENT_TIMESTAMP, uuid(), ...), not a literal
	AutoIncrement bool
	Generated     string // generation expression of a VIRTUAL/STORED column, "" otherwise
	Invisible     bool
	Comment       string

	// DefaultQuoted is set (by the catalog, for MariaDB 10.2.7+) when Default is
	// printed in MariaDB's form: string literals in single quotes with quotes
	// doubled, a NULL default as the word NULL, numbers and expressions bare.
	// Unset means MySQL's form: literals unquoted, expressions marked by
	// DefaultIsExpr, a NULL default as a nil Default. Added for schema.Default,
	// which cannot otherwise tell the text 'NULL' from the NULL default.
	DefaultQuoted bool
	// OnUpdate is the ON UPDATE expression from EXTRA ("current_timestamp()"),
	// "" when there is none. Added so that CreateTable can report it.
	OnUpdate string
	// Position is the column's index among the source table's columns
	// (Table.SourceColumns): where its value is in a binlog row image.
	Position int
	// Transform names the task file's transform of the column's values
	// ("" none); TargetType, when set, replaces the mapped PostgreSQL type
	// (a transform whose result is text).
	Transform  string
	TargetType string
}

// AddedColumn is a target column the source table has not (a task file's
// add_columns): nullable, of type Type.
type AddedColumn struct {
	Name, Type string
}

// IndexColumn is one key part of an index.
type IndexColumn struct {
	Name    string // source column name; "" for a functional key part
	SubPart int    // prefix length (characters or bytes), 0 = whole column
	Desc    bool
}

// Index is a primary key, unique key or secondary index.
type Index struct {
	Name    string // source name ("PRIMARY" for the primary key)
	Primary bool
	Unique  bool
	Type    string // BTREE, HASH, FULLTEXT, SPATIAL
	Columns []IndexColumn
}

// ForeignKey is a FOREIGN KEY constraint with its actions.
type ForeignKey struct {
	Name        string
	Columns     []string
	RefDatabase string
	RefTable    string
	RefColumns  []string
	OnDelete    string // RESTRICT, CASCADE, SET NULL, NO ACTION, SET DEFAULT
	OnUpdate    string
}

// Table is one source table with everything schema sync and the loaders need.
type Table struct {
	Database     string // source database
	Name         string // source table
	TargetSchema string // PostgreSQL schema, after the case policy
	TargetName   string // PostgreSQL table, after the case policy
	Columns      []Column
	Indexes      []Index // the primary key first when there is one
	ForeignKeys  []ForeignKey
	Comment      string
	Engine       string
	Rows         int64 // information_schema TABLE_ROWS: an estimate
	AvgRowLength int64
	// AutoIncrement is the table's next AUTO_INCREMENT value (0 when none).
	AutoIncrement uint64
	// SystemVersioned is set for MariaDB tables WITH SYSTEM VERSIONING.
	SystemVersioned bool
	// SourceColumns names every column of the source table in order, also
	// those a task file leaves out of Columns: a binlog row holds them all.
	SourceColumns []string
	// Added are target columns after Columns, filled by sluice (add_columns).
	Added []AddedColumn
	// TargetKey, when set (a task file's key), lists the target names of
	// the target's primary key: the source key's columns and added
	// columns; the source key still identifies rows on the source side.
	TargetKey []string
	// Filter is a task file's row filter as MySQL evaluates it in the full
	// load's SELECT ("" none); the binlog path evaluates the same
	// expression (package filter).
	Filter string
	// Origin, when set (a merge task), names the source of the table's
	// rows: the last Added column, OriginColumn, holds it in every row.
	Origin string
}

// OriginColumn is the column of a merged table that names each row's source.
const OriginColumn = "_sluice_origin"

// Project picks the selected columns' values out of a full source row
// image (one value per SourceColumns entry), in Columns order. A table
// that keeps every column in place returns the image itself.
func (t *Table) Project(image []any) []any {
	if t.SourceColumns == nil || len(t.Columns) == 0 ||
		len(t.Columns) == len(image) && t.Columns[len(t.Columns)-1].Position == len(image)-1 {
		return image // no selection (positions only grow: the last in place means all are)
	}
	out := make([]any, len(t.Columns))
	for i := range t.Columns {
		out[i] = image[t.Columns[i].Position]
	}
	return out
}

// String names the table as db.table, for messages.
func (t *Table) String() string { return t.Database + "." + t.Name }

// Column returns the named column, or nil.
func (t *Table) Column(name string) *Column {
	for i := range t.Columns {
		if t.Columns[i].Name == name {
			return &t.Columns[i]
		}
	}
	return nil
}

// Key returns the key that identifies a row: the primary key, else the first
// unique index whose columns are all NOT NULL and not prefixes. Nil when the
// table has no such key (a keyless table: copied by one reader, no ranges).
func (t *Table) Key() *Index {
	for i := range t.Indexes {
		if t.Indexes[i].Primary {
			return &t.Indexes[i]
		}
	}
	for i := range t.Indexes {
		ix := &t.Indexes[i]
		if !ix.Unique || ix.Type == "FULLTEXT" || ix.Type == "SPATIAL" {
			continue
		}
		usable := true
		for _, p := range ix.Columns {
			c := t.Column(p.Name)
			if p.Name == "" || p.SubPart > 0 || c == nil || c.Nullable {
				usable = false
				break
			}
		}
		if usable {
			return ix
		}
	}
	return nil
}

// ColumnIndex returns the position of the named column, or -1.
func (t *Table) ColumnIndex(name string) int {
	for i := range t.Columns {
		if t.Columns[i].Name == name {
			return i
		}
	}
	return -1
}
