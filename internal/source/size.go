package source

import (
	"context"
	"fmt"

	"github.com/sluicedb/sluice/internal/schema"
)

// DataSize sums the server's estimates of the tables' rows and data bytes
// (information_schema.TABLES TABLE_ROWS and DATA_LENGTH; InnoDB's are
// sampled, so both are approximate).
func (s *Source) DataSize(ctx context.Context, tables []*schema.Table) (rows, bytes int64, err error) {
	if len(tables) == 0 {
		return 0, 0, nil
	}
	want := make(map[string]bool, len(tables))
	seen := map[string]bool{}
	var dbs []any
	for _, t := range tables {
		want[t.Database+"\x00"+t.Name] = true
		if !seen[t.Database] {
			seen[t.Database] = true
			dbs = append(dbs, t.Database)
		}
	}
	q, err := s.DB.QueryContext(ctx, `SELECT TABLE_SCHEMA, TABLE_NAME, COALESCE(TABLE_ROWS, 0), COALESCE(DATA_LENGTH, 0)
		FROM information_schema.TABLES WHERE TABLE_SCHEMA IN (`+inList(len(dbs))+`)`, dbs...)
	if err != nil {
		return 0, 0, fmt.Errorf("reading the size of the source tables: %w", err)
	}
	defer q.Close()
	for q.Next() {
		var db, name string
		var n, b int64
		if err := q.Scan(&db, &name, &n, &b); err != nil {
			return 0, 0, fmt.Errorf("reading the size of the source tables: %w", err)
		}
		if want[db+"\x00"+name] {
			rows += n
			bytes += b
		}
	}
	if err := q.Err(); err != nil {
		return 0, 0, fmt.Errorf("reading the size of the source tables: %w", err)
	}
	return rows, bytes, nil
}
