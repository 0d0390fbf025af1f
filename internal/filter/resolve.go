package filter

import (
	"strings"

	"github.com/pingcap/tidb/pkg/parser/ast"
	"github.com/pingcap/tidb/pkg/parser/opcode"

	"github.com/sluicedb/sluice/internal/schema"
)

// family is how the operands of one comparison compare.
type family uint8

const (
	famExact    family = iota // integers and decimals, exactly
	famDouble                 // as IEEE doubles
	famString                 // as strings under one collation
	famTemporal               // as date-times
)

// maxSafeDigits and maxSafeInt bound the string literals compared with
// numbers: MySQL compares an integer with a string as doubles and MariaDB as
// decimals; for numbers of at most 15 significant digits below 2^53 both
// give the same answer (15 digits survive a round trip through a double).
const (
	maxSafeDigits = 15
	maxSafeInt    = 1 << 53
)

// resolve chooses how a comparison's operands (both sides of =, or all of
// IN and BETWEEN) compare: MySQL aggregates one comparison type over all of
// them. It rejects every mix whose MySQL result sluice cannot reproduce.
func (c *compiler) resolve(n ast.Node, ops []*operand) (family, *collation, error) {
	var count [tOther + 1]int
	for _, o := range ops {
		if o.typ == tOther {
			return 0, nil, c.errAt(n, "column %s is of type %s, which filters compare with nothing (IS [NOT] NULL only)", quoteIdent(o.col.col.Name), o.col.col.Kind)
		}
		count[o.typ]++
	}
	nonNull := len(ops) - count[tNull]
	texts := count[tText] + count[tBinary]
	nums := count[tInt] + count[tDec] + count[tDouble]
	switch {
	case nonNull == 0:
		return famExact, nil, nil
	case count[tTemporal] > 0:
		return famTemporal, nil, c.checkTemporal(n, ops, nums+texts > 0)
	case texts+count[tStr] == nonNull:
		coll, err := c.stringCollation(n, ops, count)
		return famString, coll, err
	case texts > 0:
		o := firstOf(ops, tText, tBinary)
		return 0, nil, c.errAt(n, "compares the string column %s with a number: MySQL converts each value to a number for that, by rules that differ between MySQL and MariaDB; compare with a string literal ('5') instead", quoteIdent(o.col.col.Name))
	}
	if count[tStr] > 0 {
		if err := c.checkNumerals(n, ops); err != nil {
			return 0, nil, err
		}
	}
	if count[tDouble] > 0 {
		if len(ops) > 2 && (ops[0].typ == tInt || ops[0].typ == tDec) && firstOf(ops[1:], tInt, tDec) != nil {
			return 0, nil, c.errAt(n, "mixes exact numbers (%s) and approximate ones (%s) against the exact %s: MariaDB compares each pair by its own type, MySQL all as doubles; write them all as exact numbers",
				firstOf(ops[1:], tInt, tDec).text, firstOf(ops[1:], tDouble).text, ops[0].text)
		}
		return famDouble, nil, nil
	}
	return famExact, nil, nil
}

func firstOf(ops []*operand, ts ...typ) *operand {
	for _, o := range ops {
		for _, t := range ts {
			if o.typ == t {
				return o
			}
		}
	}
	return nil
}

// checkTemporal accepts dates compared with dates and date strings.
func (c *compiler) checkTemporal(n ast.Node, ops []*operand, mixed bool) error {
	if mixed {
		return c.errAt(n, "compares a date/time with a number or a string column; dates compare only with date/time columns, DATE/TIMESTAMP literals and date strings ('2024-01-31')")
	}
	var dateCol *column
	for _, o := range ops {
		if o.col != nil && o.col.col.Kind == schema.KindDate {
			dateCol = o.col
		}
	}
	for _, o := range ops {
		if o.lit == nil || o.typ == tNull {
			continue
		}
		t := o.lit.t
		if o.typ == tStr {
			var err error
			if t, err = parseTemporalLiteral(o.lit.s); err != nil {
				return c.errAt(n, "%v", err)
			}
		}
		if dateCol != nil && t.hasTime() {
			return c.errAt(n, "compares the DATE column %s with a time of day (%s): MySQL and MariaDB convert that differently; compare with a date, or with a time of 00:00:00", quoteIdent(dateCol.col.Name), o.text)
		}
	}
	return nil
}

// stringCollation picks the collation of a string comparison: the columns'
// (literals are coercible to it), or binary when a binary column takes part.
func (c *compiler) stringCollation(n ast.Node, ops []*operand, count [tOther + 1]int) (*collation, error) {
	if count[tText]+count[tBinary] == 0 {
		return nil, c.errAt(n, "compares string literals only: the result would depend on the session's collation")
	}
	if count[tBinary] > 0 {
		if count[tText] > 0 {
			return nil, c.errAt(n, "compares a text column with a binary column, which filters do not support")
		}
		return binaryCollation, nil
	}
	var coll *collation
	for _, o := range ops {
		if o.typ != tText {
			continue
		}
		cl, err := c.collation(n, o.col)
		if err != nil {
			return nil, err
		}
		if coll != nil && cl != coll {
			return nil, c.errAt(n, "compares columns of different collations (%s and %s): MySQL rejects that as an illegal mix of collations", coll.name, cl.name)
		}
		coll = cl
	}
	for _, o := range ops {
		if o.typ == tStr && coll.bmp && !isBMP(o.lit.s) {
			return nil, c.errAt(n, "the string %s holds characters outside the BMP, which the %s column cannot hold", o.text, coll.name)
		}
	}
	return coll, nil
}

func isBMP(s string) bool {
	for _, r := range s {
		if r > 0xFFFF {
			return false
		}
	}
	return true
}

// checkNumerals accepts string literals compared with numbers only where
// MySQL's and MariaDB's conversions cannot differ: clean numerals of at most
// 15 significant digits below 2^53, against at most one column that is an
// integer, a DECIMAL of at most 15 digits or a FLOAT/DOUBLE, with every other
// number literal as small.
func (c *compiler) checkNumerals(n ast.Node, ops []*operand) error {
	columns := 0
	for _, o := range ops {
		switch {
		case o.typ == tNull:
		case o.lit == nil:
			columns++
			if o.col != nil && o.col.col.Kind == schema.KindDecimal && o.col.col.Precision > maxSafeDigits {
				return c.errAt(n, "compares the DECIMAL(%d,%d) column %s with a string: MySQL and MariaDB convert that differently beyond %d digits; write the number without quotes",
					o.col.col.Precision, o.col.col.Scale, quoteIdent(o.col.col.Name), maxSafeDigits)
			}
		case o.typ == tStr:
			num, ok := parseNumeral(o.lit.s)
			if !ok {
				return c.errAt(n, "compares the string %s with a number: only a plain numeral ('12.5', '-3', '1e3') is supported there", o.text)
			}
			if !safeExact(num.x) {
				return c.errAt(n, "compares the string %s with a number: beyond %d significant digits or 2^53 MySQL and MariaDB convert it differently; write the number without quotes", o.text, maxSafeDigits)
			}
		case o.typ == tInt || o.typ == tDec:
			if !safeExact(o.lit.x) {
				return c.errAt(n, "mixes a string with the number %s, which has more than %d significant digits or exceeds 2^53: MySQL and MariaDB compare that mix differently", o.text, maxSafeDigits)
			}
		}
	}
	if columns > 1 {
		return c.errAt(n, "compares a string literal with more than one column: MySQL and MariaDB compare that mix differently")
	}
	return nil
}

func safeExact(x exact) bool {
	d := x.dec()
	d.neg = false
	return d.digits() <= maxSafeDigits && cmpExact(exactDec(d), exactInt(maxSafeInt)) < 0
}

// getter reads operand o in family fam.
func (c *compiler) getter(n ast.Node, o *operand, fam family, coll *collation) (getter, error) {
	switch {
	case o.lit != nil:
		v, err := c.literalVal(n, o, fam)
		if err != nil {
			return nil, err
		}
		return func([]any) (val, error) { return v, nil }, nil
	case o.cond != nil:
		cond := o.cond
		return func(row []any) (val, error) {
			t, err := cond.eval(row)
			if err != nil || t == Unknown {
				return val{null: true}, err
			}
			i := int64(0)
			if t == True {
				i = 1
			}
			return val{x: exactInt(i), f: float64(i)}, nil
		}, nil
	}
	col := o.col
	if fam == famString && col.coll == nil {
		if _, err := c.collation(n, col); err != nil {
			return nil, err
		}
	}
	return func(row []any) (val, error) {
		if col.idx >= len(row) {
			return val{}, errShortRow(col.idx, row)
		}
		raw := row[col.idx]
		if raw == nil {
			return val{null: true}, nil
		}
		var v val
		var err error
		switch fam {
		case famExact:
			v.x, err = col.exact(raw)
		case famDouble:
			v.f, err = col.float(raw)
		case famString:
			v.s, err = col.str(raw)
		default:
			v.t, err = col.temporal(raw)
		}
		return v, err
	}, nil
}

// literalVal is a literal's value in family fam; resolve has checked that it
// converts.
func (c *compiler) literalVal(n ast.Node, o *operand, fam family) (val, error) {
	l := o.lit
	if l.typ == tNull {
		return val{null: true}, nil
	}
	switch fam {
	case famExact, famDouble:
		x, f := l.x, l.f
		switch l.typ {
		case tStr:
			num, _ := parseNumeral(l.s)
			x, f = num.x, num.f
		case tInt, tDec:
			f = x.float()
		}
		return val{x: x, f: f}, nil
	case famString:
		return val{s: l.s}, nil
	}
	t := l.t
	if l.typ == tStr {
		var err error
		if t, err = parseTemporalLiteral(l.s); err != nil {
			return val{}, c.errAt(n, "%v", err)
		}
	}
	return val{t: t.pack()}, nil
}

// comparator orders two values of family fam.
func comparator(fam family, coll *collation) comparison {
	switch fam {
	case famExact:
		return func(a, b val) (int, error) { return cmpExact(a.x, b.x), nil }
	case famDouble:
		return func(a, b val) (int, error) { return cmpInt(a.f, b.f), nil }
	case famString:
		return func(a, b val) (int, error) { return coll.compare(a.s, b.s) }
	}
	return func(a, b val) (int, error) { return cmpInt(a.t, b.t), nil }
}

// operands compiles the operands of one comparison and their getters; eq
// tells an equality test (=, <=>, <>, IN: a NOT turns <> into =).
func (c *compiler) operands(n ast.Node, eq bool, exprs ...ast.ExprNode) ([]*operand, []getter, comparison, error) {
	ops := make([]*operand, len(exprs))
	for i, e := range exprs {
		o, err := c.operand(e)
		if err != nil {
			return nil, nil, nil, err
		}
		ops[i] = o
	}
	fam, coll, err := c.resolve(n, ops)
	if err == nil {
		err = c.checkFit(n, ops, eq)
	}
	if err != nil {
		return nil, nil, nil, err
	}
	gets := make([]getter, len(ops))
	for i, o := range ops {
		if gets[i], err = c.getter(n, o, fam, coll); err != nil {
			return nil, nil, nil, err
		}
	}
	return ops, gets, comparator(fam, coll), nil
}

func (c *compiler) compare(x *ast.BinaryOperationExpr) (node, error) {
	ops, gets, cmp, err := c.operands(x, x.Op == opcode.EQ || x.Op == opcode.NullEQ || x.Op == opcode.NE, x.L, x.R)
	if err != nil {
		return nil, err
	}
	return &cmpNode{op: x.Op, l: ops[0], r: ops[1], gl: gets[0], gr: gets[1], cmp: cmp}, nil
}

func (c *compiler) in(x *ast.PatternInExpr) (node, error) {
	if x.Sel != nil {
		return nil, c.errAt(x, "IN with a subquery is not supported in filters")
	}
	ops, gets, cmp, err := c.operands(x, true, append([]ast.ExprNode{x.Expr}, x.List...)...)
	if err != nil {
		return nil, err
	}
	return &inNode{x: ops[0], list: ops[1:], gx: gets[0], gl: gets[1:], cmp: cmp, not: x.Not}, nil
}

func (c *compiler) between(x *ast.BetweenExpr) (node, error) {
	ops, gets, cmp, err := c.operands(x, false, x.Expr, x.Left, x.Right)
	if err != nil {
		return nil, err
	}
	return &betweenNode{x: ops[0], lo: ops[1], hi: ops[2], gx: gets[0], glo: gets[1], ghi: gets[2], cmp: cmp, not: x.Not}, nil
}

func (c *compiler) like(x *ast.PatternLikeOrIlikeExpr) (node, error) {
	if !x.IsLike {
		return nil, c.errAt(x, "ILIKE is not supported in filters")
	}
	v, err := c.operand(x.Expr)
	if err != nil {
		return nil, err
	}
	if v.col == nil || v.typ != tText && v.typ != tBinary {
		return nil, c.errAt(x, "LIKE is supported on text, ENUM and binary columns only, not on %s", v.text)
	}
	p, err := c.operand(x.Pattern)
	if err != nil {
		return nil, err
	}
	if p.typ != tStr && p.typ != tNull {
		return nil, c.errAt(x, "the LIKE pattern must be a string literal, not %s", p.text)
	}
	if x.Escape == 0 || x.Escape >= 0x80 {
		return nil, c.errAt(x, "LIKE ... ESCAPE takes one ASCII character")
	}
	ops := []*operand{v, p}
	fam, coll, err := c.resolve(x, ops)
	if err != nil {
		return nil, err
	}
	gx, err := c.getter(x, v, fam, coll)
	if err != nil {
		return nil, err
	}
	n := &likeNode{x: v, gx: gx, pattern: p, not: x.Not}
	if p.typ == tNull {
		return n, nil
	}
	esc := rune(x.Escape)
	if n.p, err = compileLike(coll, p.lit.s, esc, true); err != nil {
		return nil, c.errAt(x, "%v", err)
	}
	// The default escape is the backslash: say so only when it matters, and
	// always name another one, since the pattern may hold backslashes.
	if esc != '\\' || strings.ContainsRune(p.lit.s, esc) {
		n.escape = " ESCAPE " + quoteString(string(esc))
	}
	return n, nil
}
