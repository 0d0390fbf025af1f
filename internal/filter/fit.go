package filter

import (
	"math"
	"strconv"
	"strings"

	"github.com/pingcap/tidb/pkg/parser/ast"

	"github.com/sluicedb/sluice/internal/schema"
)

// checkFit rejects what MariaDB answers differently with and without an
// index on the column: an equality test (=, <=>, <>, IN) of a numeric or
// temporal column with a literal the column cannot hold exactly — an index
// lookup stores the literal into the column's type first, rounding or
// truncating it (i = 0.5 finds i = 1, a DATETIME = '... 10:00:00.4' finds
// 10:00:00), while a scan compares the values themselves — and an integer
// column compared with an approximate number beyond 2^53, which the server
// compares as integers or as doubles depending on the plan.
func (c *compiler) checkFit(n ast.Node, ops []*operand, eq bool) error {
	for _, o := range ops {
		if o.col == nil {
			continue
		}
		for _, l := range ops {
			if l.lit == nil || l.typ == tNull {
				continue
			}
			if why := fits(o.col.col, l, eq); why != "" {
				return c.errAt(n, "compares the %s column %s with %s: %s", o.col.col.Kind, quoteIdent(o.col.col.Name), l.text, why)
			}
		}
	}
	return nil
}

const fitIndexNote = "MariaDB's index lookups round or truncate the literal to the column's type and then find rows a scan does not, so the answer depends on the plan; "

// fits says why literal l cannot be compared with column col, or "".
func fits(col *schema.Column, l *operand, eq bool) string {
	switch col.Kind {
	case schema.KindInt:
		if l.typ == tDouble && math.Abs(l.lit.f) >= maxSafeInt {
			return "an approximate number of 2^53 or more compares as an integer or as a double depending on the plan; write it as an integer"
		}
		if eq && fraction(l) > 0 {
			return fitIndexNote + "an integer never equals a fraction, so drop the test"
		}
	case schema.KindDecimal:
		if eq && fraction(l) > col.Scale {
			return fitIndexNote + "the literal has more fraction digits than the column's scale " + strconv.Itoa(col.Scale) + ", so drop the test"
		}
	case schema.KindDatetime, schema.KindTimestamp:
		if !eq {
			return ""
		}
		t := l.lit.t
		if l.typ == tStr {
			t, _ = parseTemporalLiteral(l.lit.s) // resolve has parsed it
		}
		if col.Scale >= 0 && col.Scale < 6 && t.usec%pow10(6-col.Scale) != 0 {
			return fitIndexNote + "the literal has more fraction-of-second digits than the column's " + strconv.Itoa(col.Scale) + ", so drop the test"
		}
	}
	return ""
}

// fraction is the number of significant fraction digits of a numeric
// literal.
func fraction(l *operand) int {
	switch l.typ {
	case tInt, tDec:
		return len(l.lit.x.dec().fp)
	case tStr:
		num, _ := parseNumeral(l.lit.s)
		return len(num.x.dec().fp)
	case tDouble:
		s := strconv.FormatFloat(l.lit.f, 'f', -1, 64)
		if _, fp, ok := strings.Cut(s, "."); ok {
			return len(fp)
		}
	}
	return 0
}

func pow10(n int) int {
	p := 1
	for range n {
		p *= 10
	}
	return p
}
