package precheck

import (
	"github.com/sluicedb/sluice/internal/schema"
)

// Name is one table's name in the source and in the target, with the
// columns whose name changes and those left out: what sluice check shows
// before a start.
type Name struct {
	Source  string         `json:"source"` // db.table
	Target  string         `json:"target"` // schema.table
	Columns []ColumnRename `json:"renamed_columns,omitempty"`
	Omitted []string       `json:"omitted_columns,omitempty"`
}

// ColumnRename is a column whose target name differs from its source name.
type ColumnRename struct {
	Source string `json:"source"`
	Target string `json:"target"`
}

// NamesOf lists the target names of tables as the mapping left them.
func NamesOf(tables []*schema.Table) []Name {
	out := make([]Name, 0, len(tables))
	for _, t := range tables {
		n := Name{Source: t.String(), Target: t.TargetSchema + "." + t.TargetName}
		kept := map[string]bool{}
		for _, c := range t.Columns {
			kept[c.Name] = true
			if c.TargetName != c.Name {
				n.Columns = append(n.Columns, ColumnRename{Source: c.Name, Target: c.TargetName})
			}
		}
		for _, c := range t.SourceColumns {
			if !kept[c] {
				n.Omitted = append(n.Omitted, c)
			}
		}
		out = append(out, n)
	}
	return out
}
