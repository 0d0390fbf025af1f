package schema

import (
	"fmt"
	"math"
)

// ResetIdentity returns, for each identity column of t (an AUTO_INCREMENT
// column whose target type is smallint, integer or bigint), a SELECT setval
// that moves its sequence so that the next nextval() returns
// max(max(col)+1, t.AutoIncrement, 1): past both the rows loaded and the
// source's AUTO_INCREMENT counter (which is ahead of max(col) when the newest
// rows were deleted). Run it after the full load and again at cutover.
//
// setval(seq, v, true) makes nextval return v+1, setval(seq, 1, false) makes
// it return 1; the statement picks the first when v, the highest value
// already used, is at least 1, and the second for an empty table.
func ResetIdentity(t *Table) []string {
	var stmts []string
	table := tableIdent(t)
	for i := range t.Columns {
		c := &t.Columns[i]
		if !c.AutoIncrement {
			continue
		}
		if typ, err := PGType(c, Options{}); err != nil || !isIdentityType(typ) {
			continue
		}
		// The highest value the source has handed out, as far as its
		// counter tells: AUTO_INCREMENT - 1 (0 when unknown).
		var used uint64
		if t.AutoIncrement > 0 {
			used = min(t.AutoIncrement-1, math.MaxInt64)
		}
		col := columnName(c)
		stmts = append(stmts, fmt.Sprintf(
			"SELECT setval(pg_get_serial_sequence(%s, %s), GREATEST(m.v, 1), m.v >= 1) FROM (SELECT GREATEST(COALESCE(max(%s), 0)::bigint, %d::bigint) AS v FROM %s) AS m",
			Literal(table), Literal(col), Ident(col), used, table))
	}
	return stmts
}
