package schema

// Note is something schema sync reports to the user instead of failing: a
// default not translated, an index skipped, a foreign key left out.
type Note struct {
	Table   string // source table, db.table
	Column  string // source column, "" when the note is about the table
	Message string
}

func (n Note) String() string {
	if n.Column == "" {
		return n.Table + ": " + n.Message
	}
	return n.Table + "." + n.Column + ": " + n.Message
}
