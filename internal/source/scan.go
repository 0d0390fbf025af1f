package source

import (
	"context"
	"fmt"
	"strings"

	"github.com/sluicedb/sluice/internal/schema"
)

// ValueProblems counts, in the first limit rows of a table, the values
// PostgreSQL cannot store as they are.
type ValueProblems struct {
	Scanned   int64            // rows looked at
	ZeroDates map[string]int64 // NOT NULL date columns: zero or partial-zero dates
	NULs      map[string]int64 // text columns: values with a NUL byte
	BadUTF8   map[string]int64 // utf8 text columns: values that are not valid UTF-8
}

// ScanValues looks for problem values in the first limit rows of t (in
// storage order), in one query per table.
func (s *Source) ScanValues(ctx context.Context, t *schema.Table, limit int64) (*ValueProblems, error) {
	p := &ValueProblems{ZeroDates: map[string]int64{}, NULs: map[string]int64{}, BadUTF8: map[string]int64{}}
	type probe struct {
		expr string
		into map[string]int64
		col  string
	}
	var probes []probe
	for _, c := range t.Columns {
		q := quote(c.Name)
		switch {
		case !c.Nullable && (c.Kind == schema.KindDate || c.Kind == schema.KindDatetime || c.Kind == schema.KindTimestamp):
			// MONTH()/DAYOFMONTH() are 0 for zero and partial-zero dates.
			probes = append(probes, probe{fmt.Sprintf("SUM(YEAR(%[1]s) = 0 OR MONTH(%[1]s) = 0 OR DAYOFMONTH(%[1]s) = 0)", q), p.ZeroDates, c.Name})
		case c.Kind == schema.KindText || c.Kind == schema.KindJSON:
			// Compared as characters in the column's own charset (utf16 text
			// holds 0x00 bytes that are no NUL characters).
			probes = append(probes, probe{fmt.Sprintf("SUM(LOCATE(CHAR(0 USING utf8mb4), %s) > 0)", q), p.NULs, c.Name})
			if strings.HasPrefix(c.Charset, "utf8") {
				// Bytes that do not survive a round trip through utf8mb4 are not UTF-8.
				probes = append(probes, probe{fmt.Sprintf("SUM(CAST(%[1]s AS BINARY) <> CAST(CONVERT(CAST(%[1]s AS BINARY) USING utf8mb4) AS BINARY))", q), p.BadUTF8, c.Name})
			}
		}
	}
	exprs := []string{"COUNT(*)"}
	for _, pr := range probes {
		exprs = append(exprs, "COALESCE("+pr.expr+", 0)")
	}
	cols := make([]string, len(t.Columns))
	for i := range t.Columns {
		cols[i] = t.Columns[i].Name
	}
	q := fmt.Sprintf("SELECT %s FROM (SELECT %s FROM %s LIMIT %d) AS sample", strings.Join(exprs, ", "), quoteList(cols), qualified(t), limit)
	vals := make([]int64, len(exprs))
	ptrs := make([]any, len(exprs))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	if err := s.DB.QueryRowContext(ctx, q).Scan(ptrs...); err != nil {
		return nil, fmt.Errorf("scanning %s for problem values: %w", t, err)
	}
	p.Scanned = vals[0]
	for i, pr := range probes {
		if n := vals[i+1]; n > 0 {
			pr.into[pr.col] = n
		}
	}
	return p, nil
}
