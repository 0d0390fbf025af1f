package filter

import (
	"strings"

	"github.com/pingcap/tidb/pkg/parser/opcode"
)

// Tri is a three-valued truth value: a WHERE keeps a row only when True.
type Tri int8

const (
	False   Tri = iota
	True        // the condition holds
	Unknown     // SQL NULL: the condition could not be decided
)

func (t Tri) String() string {
	switch t {
	case False:
		return "FALSE"
	case True:
		return "TRUE"
	}
	return "UNKNOWN"
}

func triOf(b bool) Tri {
	if b {
		return True
	}
	return False
}

func (t Tri) not() Tri {
	switch t {
	case True:
		return False
	case False:
		return True
	}
	return Unknown
}

// node is a compiled condition.
type node interface {
	eval(row []any) (Tri, error)
	sql(b *strings.Builder)
}

// val is one operand's value in the comparison family chosen for it.
type val struct {
	null bool
	x    exact   // famExact
	f    float64 // famDouble
	s    string  // famString
	t    int64   // famTemporal (civil.pack)
}

type getter func(row []any) (val, error)

type logicNode struct {
	op   opcode.Op // LogicAnd, LogicOr, LogicXor
	l, r node
}

func (n *logicNode) eval(row []any) (Tri, error) {
	a, err := n.l.eval(row)
	if err != nil {
		return Unknown, err
	}
	// The right side is evaluated even when the left decides, so that a value
	// the filter cannot read is an error on every row, not on some.
	b, err := n.r.eval(row)
	if err != nil {
		return Unknown, err
	}
	switch n.op {
	case opcode.LogicAnd:
		if a == False || b == False {
			return False, nil
		}
		if a == True && b == True {
			return True, nil
		}
	case opcode.LogicOr:
		if a == True || b == True {
			return True, nil
		}
		if a == False && b == False {
			return False, nil
		}
	default: // XOR
		if a != Unknown && b != Unknown {
			return triOf(a != b), nil
		}
	}
	return Unknown, nil
}

func (n *logicNode) sql(b *strings.Builder) {
	b.WriteByte('(')
	n.l.sql(b)
	b.WriteString(map[opcode.Op]string{opcode.LogicAnd: " AND ", opcode.LogicOr: " OR ", opcode.LogicXor: " XOR "}[n.op])
	n.r.sql(b)
	b.WriteByte(')')
}

type notNode struct{ x node }

func (n *notNode) eval(row []any) (Tri, error) {
	t, err := n.x.eval(row)
	return t.not(), err
}

func (n *notNode) sql(b *strings.Builder) {
	b.WriteString("(NOT ")
	n.x.sql(b)
	b.WriteByte(')')
}

// truthNode is a number in a boolean context: true when not zero.
type truthNode struct {
	op  *operand
	get getter
	fam family
}

func (n *truthNode) eval(row []any) (Tri, error) {
	v, err := n.get(row)
	if err != nil || v.null {
		return Unknown, err
	}
	if n.fam == famDouble {
		return triOf(v.f != 0), nil
	}
	return triOf(!v.x.isZero()), nil
}

func (n *truthNode) sql(b *strings.Builder) { n.op.sql(b) }

// isTruthNode is x IS [NOT] TRUE|FALSE: never UNKNOWN.
type isTruthNode struct {
	x         node
	want, not bool
}

func (n *isTruthNode) eval(row []any) (Tri, error) {
	t, err := n.x.eval(row)
	if err != nil {
		return Unknown, err
	}
	return triOf((t == triOf(n.want)) != n.not), nil
}

func (n *isTruthNode) sql(b *strings.Builder) {
	b.WriteByte('(')
	n.x.sql(b)
	b.WriteString(" IS ")
	if n.not {
		b.WriteString("NOT ")
	}
	if n.want {
		b.WriteString("TRUE)")
	} else {
		b.WriteString("FALSE)")
	}
}

// isNullNode is x IS [NOT] NULL.
type isNullNode struct {
	op  *operand
	get func(row []any) (bool, error)
	not bool
}

func (n *isNullNode) eval(row []any) (Tri, error) {
	null, err := n.get(row)
	if err != nil {
		return Unknown, err
	}
	return triOf(null != n.not), nil
}

func (n *isNullNode) sql(b *strings.Builder) {
	b.WriteByte('(')
	n.op.sql(b)
	if n.not {
		b.WriteString(" IS NOT NULL)")
	} else {
		b.WriteString(" IS NULL)")
	}
}

// comparison is how two values of one family order.
type comparison func(a, b val) (int, error)

// cmpNode is l op r for = <> < <= > >= <=>.
type cmpNode struct {
	op   opcode.Op
	l, r *operand
	gl   getter
	gr   getter
	cmp  comparison
}

func (n *cmpNode) eval(row []any) (Tri, error) {
	a, err := n.gl(row)
	if err != nil {
		return Unknown, err
	}
	b, err := n.gr(row)
	if err != nil {
		return Unknown, err
	}
	if a.null || b.null {
		if n.op == opcode.NullEQ {
			return triOf(a.null && b.null), nil
		}
		return Unknown, nil
	}
	c, err := n.cmp(a, b)
	if err != nil {
		return Unknown, err
	}
	switch n.op {
	case opcode.EQ, opcode.NullEQ:
		return triOf(c == 0), nil
	case opcode.NE:
		return triOf(c != 0), nil
	case opcode.LT:
		return triOf(c < 0), nil
	case opcode.LE:
		return triOf(c <= 0), nil
	case opcode.GT:
		return triOf(c > 0), nil
	}
	return triOf(c >= 0), nil
}

var cmpSQL = map[opcode.Op]string{
	opcode.EQ: " = ", opcode.NE: " <> ", opcode.LT: " < ", opcode.LE: " <= ",
	opcode.GT: " > ", opcode.GE: " >= ", opcode.NullEQ: " <=> ",
}

func (n *cmpNode) sql(b *strings.Builder) {
	b.WriteByte('(')
	n.l.sql(b)
	b.WriteString(cmpSQL[n.op])
	n.r.sql(b)
	b.WriteByte(')')
}

// inNode is x [NOT] IN (list): TRUE when an item equals x, else UNKNOWN
// when x or an item is NULL, else FALSE.
type inNode struct {
	x    *operand
	list []*operand
	gx   getter
	gl   []getter
	cmp  comparison
	not  bool
}

func (n *inNode) eval(row []any) (Tri, error) {
	t, err := n.in(row)
	if n.not {
		t = t.not()
	}
	return t, err
}

func (n *inNode) in(row []any) (Tri, error) {
	x, err := n.gx(row)
	if err != nil {
		return Unknown, err
	}
	found, null := false, x.null
	for _, g := range n.gl {
		v, err := g(row)
		if err != nil {
			return Unknown, err
		}
		if x.null || v.null {
			null = true
			continue
		}
		c, err := n.cmp(x, v)
		if err != nil {
			return Unknown, err
		}
		found = found || c == 0
	}
	switch {
	case x.null:
		return Unknown, nil
	case found:
		return True, nil
	case null:
		return Unknown, nil
	}
	return False, nil
}

// openPredicate writes "(x [NOT] op " for IN, BETWEEN and LIKE.
func openPredicate(b *strings.Builder, x *operand, not bool, op string) {
	b.WriteByte('(')
	x.sql(b)
	if not {
		b.WriteString(" NOT")
	}
	b.WriteString(" " + op + " ")
}

func (n *inNode) sql(b *strings.Builder) {
	openPredicate(b, n.x, n.not, "IN")
	b.WriteByte('(')
	for i, o := range n.list {
		if i > 0 {
			b.WriteString(", ")
		}
		o.sql(b)
	}
	b.WriteString("))")
}

// betweenNode is x [NOT] BETWEEN lo AND hi, that is x >= lo AND x <= hi in
// three-valued logic.
type betweenNode struct {
	x, lo, hi    *operand
	gx, glo, ghi getter
	cmp          comparison
	not          bool
}

func (n *betweenNode) eval(row []any) (Tri, error) {
	var v [3]val
	for i, g := range []getter{n.gx, n.glo, n.ghi} {
		var err error
		if v[i], err = g(row); err != nil {
			return Unknown, err
		}
	}
	side := func(lo, hi val) (Tri, error) {
		if lo.null || hi.null {
			return Unknown, nil
		}
		c, err := n.cmp(lo, hi)
		return triOf(c <= 0), err
	}
	a, err := side(v[1], v[0])
	if err != nil {
		return Unknown, err
	}
	b, err := side(v[0], v[2])
	if err != nil {
		return Unknown, err
	}
	t := Unknown
	switch {
	case a == False || b == False:
		t = False
	case a == True && b == True:
		t = True
	}
	if n.not {
		t = t.not()
	}
	return t, nil
}

func (n *betweenNode) sql(b *strings.Builder) {
	openPredicate(b, n.x, n.not, "BETWEEN")
	n.lo.sql(b)
	b.WriteString(" AND ")
	n.hi.sql(b)
	b.WriteByte(')')
}

// likeNode is x [NOT] LIKE pattern [ESCAPE c].
type likeNode struct {
	x       *operand
	gx      getter
	pattern *operand // a string literal, or NULL
	p       *likePattern
	escape  string // printed ESCAPE clause, "" when the pattern needs none
	not     bool
}

func (n *likeNode) eval(row []any) (Tri, error) {
	v, err := n.gx(row)
	if err != nil || v.null || n.p == nil {
		return Unknown, err
	}
	ok, err := n.p.match(v.s)
	if err != nil {
		return Unknown, err
	}
	return triOf(ok != n.not), nil
}

func (n *likeNode) sql(b *strings.Builder) {
	openPredicate(b, n.x, n.not, "LIKE")
	n.pattern.sql(b)
	b.WriteString(n.escape)
	b.WriteByte(')')
}
