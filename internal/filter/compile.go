package filter

import (
	"fmt"
	"strings"

	"github.com/pingcap/tidb/pkg/parser/ast"
	"github.com/pingcap/tidb/pkg/parser/opcode"

	"github.com/sluicedb/sluice/internal/schema"
)

// typ is what an operand is, for choosing how a comparison compares.
type typ uint8

const (
	tNull     typ = iota // the NULL literal
	tInt                 // integer column or literal, TRUE/FALSE, a condition used as a value
	tDec                 // DECIMAL column, decimal literal
	tDouble              // FLOAT/DOUBLE column, approximate literal (1e3)
	tText                // text or ENUM column (with a collation)
	tBinary              // binary string column
	tStr                 // string literal
	tTemporal            // DATE/DATETIME/TIMESTAMP column, DATE/TIMESTAMP literal
	tOther               // a column of a kind filters do not compare (JSON, SET, BIT, TIME, ...)
)

// operand is a value in an expression: a column, a literal or a condition.
type operand struct {
	typ  typ
	col  *column
	lit  *literal
	cond node
	pos  int    // offset in the filter, -1 unknown
	text string // as MySQL text, for messages
}

func (o *operand) sql(b *strings.Builder) {
	switch {
	case o.col != nil:
		b.WriteString(quoteIdent(o.col.col.Name))
	case o.lit != nil:
		b.WriteString(o.lit.sql)
	default:
		o.cond.sql(b)
	}
}

// compiler turns the parser's AST into nodes for one table.
type compiler struct {
	t     *schema.Table
	expr  string
	opts  Options
	cols  map[int]*column
	used  []string
	depth int
}

// maxDepth bounds the nesting of the expression, so that a hostile filter
// cannot exhaust the stack.
const maxDepth = 200

func newCompiler(t *schema.Table, expr string, opts Options) *compiler {
	return &compiler{t: t, expr: expr, opts: opts, cols: map[int]*column{}}
}

// errAt is a CompileError pointing at n.
func (c *compiler) errAt(n ast.Node, format string, args ...any) error {
	e := &CompileError{Table: c.t.String(), Offset: -1, Reason: fmt.Sprintf(format, args...)}
	if x, ok := n.(ast.ExprNode); ok {
		if off := x.OriginTextPosition() - len(wherePrefix); off >= 0 && off < len(c.expr) {
			e.Offset = off
		}
	}
	if s, err := restore(n); err == nil {
		e.Expr = s
	}
	return e
}

// cond compiles n in a boolean context.
func (c *compiler) cond(n ast.ExprNode) (node, error) {
	if c.depth++; c.depth > maxDepth {
		return nil, c.errAt(n, "the expression nests deeper than %d levels", maxDepth)
	}
	defer func() { c.depth-- }()
	switch x := n.(type) {
	case *ast.ParenthesesExpr:
		return c.cond(x.Expr)
	case *ast.BinaryOperationExpr:
		switch x.Op {
		case opcode.LogicAnd, opcode.LogicOr, opcode.LogicXor:
			l, err := c.cond(x.L)
			if err != nil {
				return nil, err
			}
			r, err := c.cond(x.R)
			if err != nil {
				return nil, err
			}
			return &logicNode{op: x.Op, l: l, r: r}, nil
		case opcode.EQ, opcode.NE, opcode.LT, opcode.LE, opcode.GT, opcode.GE, opcode.NullEQ:
			return c.compare(x)
		}
		return nil, c.errAt(n, "operator %s is not supported in filters", opName(x.Op))
	case *ast.UnaryOperationExpr:
		if x.Op == opcode.Not || x.Op == opcode.Not2 {
			v, err := c.cond(x.V)
			if err != nil {
				return nil, err
			}
			return &notNode{x: v}, nil
		}
	case *ast.PatternInExpr:
		return c.in(x)
	case *ast.BetweenExpr:
		return c.between(x)
	case *ast.PatternLikeOrIlikeExpr:
		return c.like(x)
	case *ast.IsNullExpr:
		return c.isNull(x)
	case *ast.IsTruthExpr:
		v, err := c.cond(x.Expr)
		if err != nil {
			return nil, err
		}
		return &isTruthNode{x: v, want: x.True != 0, not: x.Not}, nil
	}
	o, err := c.operand(n)
	if err != nil {
		return nil, err
	}
	return c.truth(n, o)
}

// truth is a value used as a condition: numbers are true when not zero.
func (c *compiler) truth(n ast.ExprNode, o *operand) (node, error) {
	if o.cond != nil {
		return o.cond, nil
	}
	fam := famExact
	switch o.typ {
	case tNull, tInt, tDec:
	case tDouble:
		fam = famDouble
	default:
		return nil, c.errAt(n, "%s is not a condition; MySQL would convert it to a number to test it, which filters do not do (compare it instead, e.g. %s <> '')", o.text, o.text)
	}
	g, err := c.getter(n, o, fam, nil)
	if err != nil {
		return nil, err
	}
	return &truthNode{op: o, get: g, fam: fam}, nil
}

func (c *compiler) isNull(x *ast.IsNullExpr) (node, error) {
	o, err := c.operand(x.Expr)
	if err != nil {
		return nil, err
	}
	switch {
	case o.col != nil:
		col := o.col.col
		if !col.Nullable && (col.Kind == schema.KindDate || col.Kind == schema.KindDatetime || col.Kind == schema.KindTimestamp) {
			return nil, c.errAt(x, "IS NULL on the NOT NULL %s column %s is not supported: MySQL's WHERE treats its zero date '0000-00-00' as NULL there", col.Kind, quoteIdent(col.Name))
		}
		idx := o.col.idx
		return &isNullNode{op: o, not: x.Not, get: func(row []any) (bool, error) {
			if idx >= len(row) {
				return false, errShortRow(idx, row)
			}
			return row[idx] == nil, nil
		}}, nil
	case o.cond != nil:
		cond := o.cond
		return &isNullNode{op: o, not: x.Not, get: func(row []any) (bool, error) {
			t, err := cond.eval(row)
			return t == Unknown, err
		}}, nil
	}
	null := o.typ == tNull
	return &isNullNode{op: o, not: x.Not, get: func([]any) (bool, error) { return null, nil }}, nil
}

func errShortRow(idx int, row []any) error {
	return fmt.Errorf("the row has %d values, the filter reads column %d", len(row), idx+1)
}

// operand compiles n in a value context.
func (c *compiler) operand(n ast.ExprNode) (*operand, error) {
	if c.depth++; c.depth > maxDepth {
		return nil, c.errAt(n, "the expression nests deeper than %d levels", maxDepth)
	}
	defer func() { c.depth-- }()
	text, _ := restore(n)
	o := &operand{pos: -1, text: text}
	if off := n.OriginTextPosition() - len(wherePrefix); off >= 0 {
		o.pos = off
	}
	switch x := n.(type) {
	case *ast.ParenthesesExpr:
		return c.operand(x.Expr)
	case *ast.ColumnNameExpr:
		col, err := c.column(x)
		if err != nil {
			return nil, err
		}
		o.col, o.typ = col, col.typ
		return o, nil
	case ast.ValueExpr:
		lit, err := c.value(x)
		if err != nil {
			return nil, err
		}
		o.lit, o.typ = lit, lit.typ
		return o, nil
	case *ast.FuncCallExpr:
		lit, err := c.typedLiteral(x)
		if err != nil {
			return nil, err
		}
		o.lit, o.typ = lit, tTemporal
		return o, nil
	case *ast.UnaryOperationExpr:
		if x.Op == opcode.Minus || x.Op == opcode.Plus {
			return c.signed(x, o)
		}
		if x.Op != opcode.Not && x.Op != opcode.Not2 {
			return nil, c.errAt(n, "operator %s is not supported in filters", opName(x.Op))
		}
	case *ast.BinaryOperationExpr:
		if !isCondOp(x.Op) {
			return nil, c.errAt(n, "operator %s is not supported in filters (no arithmetic)", opName(x.Op))
		}
	case *ast.PatternInExpr, *ast.BetweenExpr, *ast.PatternLikeOrIlikeExpr, *ast.IsNullExpr, *ast.IsTruthExpr:
	default:
		return nil, c.errAt(n, "%s is not supported in filters", describe(n))
	}
	// A condition used as a value is the integer 1, 0 or NULL.
	cond, err := c.cond(n)
	if err != nil {
		return nil, err
	}
	o.cond, o.typ = cond, tInt
	return o, nil
}

func isCondOp(op opcode.Op) bool {
	switch op {
	case opcode.LogicAnd, opcode.LogicOr, opcode.LogicXor, opcode.EQ, opcode.NE, opcode.LT,
		opcode.LE, opcode.GT, opcode.GE, opcode.NullEQ:
		return true
	}
	return false
}

// signed folds a unary minus or plus on a numeric literal.
func (c *compiler) signed(x *ast.UnaryOperationExpr, o *operand) (*operand, error) {
	v, err := c.operand(x.V)
	if err != nil {
		return nil, err
	}
	if v.lit == nil || (v.typ != tInt && v.typ != tDec && v.typ != tDouble && v.typ != tNull) {
		return nil, c.errAt(x, "operator %s is only supported on number literals (no arithmetic)", opName(x.Op))
	}
	if x.Op == opcode.Plus {
		return v, nil
	}
	o.lit, o.typ = v.lit.negate(), v.typ
	return o, nil
}

// column resolves a column reference, [[db.]table.]column.
func (c *compiler) column(x *ast.ColumnNameExpr) (*column, error) {
	name := x.Name
	if name.Table.O != "" && !strings.EqualFold(name.Table.O, c.t.Name) ||
		name.Schema.O != "" && !strings.EqualFold(name.Schema.O, c.t.Database) {
		return nil, c.errAt(x, "the column is qualified with another table than %s", c.t)
	}
	idx := -1
	for i := range c.t.Columns {
		if strings.EqualFold(c.t.Columns[i].Name, name.Name.O) {
			idx = i
			break
		}
	}
	if idx < 0 {
		return nil, c.errAt(x, "unknown column %s in %s", quoteIdent(name.Name.O), c.t)
	}
	if col, ok := c.cols[idx]; ok {
		return col, nil
	}
	col := &column{idx: idx, col: &c.t.Columns[idx], typ: tOther}
	switch col.col.Kind {
	case schema.KindInt:
		col.typ = tInt
	case schema.KindDecimal:
		col.typ = tDec
	case schema.KindFloat, schema.KindDouble:
		col.typ = tDouble
	case schema.KindText, schema.KindEnum:
		col.typ = tText
	case schema.KindBinary:
		col.typ, col.coll = tBinary, binaryCollation
	case schema.KindDate, schema.KindDatetime, schema.KindTimestamp:
		col.typ = tTemporal
	}
	c.cols[idx] = col
	c.used = append(c.used, col.col.Name)
	return col, nil
}

// collation returns a text or ENUM column's collation, or an error saying
// why the filter cannot compare it.
func (c *compiler) collation(n ast.Node, col *column) (*collation, error) {
	if col.coll != nil {
		return col.coll, nil
	}
	name := ""
	for k, v := range c.opts.Collations {
		if strings.EqualFold(k, col.col.Name) {
			name = v
		}
	}
	if name == "" {
		return nil, c.errAt(n, "column %s has no known collation; the catalog must read COLLATION_NAME for filters to compare text", quoteIdent(col.col.Name))
	}
	coll, ok := lookupCollation(name)
	if !ok || coll.kind == collBinary {
		return nil, c.errAt(n, "column %s has collation %s, which filters do not implement exactly (supported: utf8mb4/utf8mb3 _general_ci, _unicode_ci, _bin and their _nopad_ forms, utf8mb4_0900_bin)", quoteIdent(col.col.Name), name)
	}
	if cs := strings.ToLower(col.col.Charset); cs != "" && !strings.HasPrefix(coll.name, cs+"_") {
		return nil, c.errAt(n, "column %s has character set %s but collation %s", quoteIdent(col.col.Name), col.col.Charset, name)
	}
	col.coll = coll
	return coll, nil
}

// opName names an operator as MySQL writes it.
func opName(op opcode.Op) string {
	var b strings.Builder
	if err := op.Restore(newRestoreCtx(&b)); err != nil || b.Len() == 0 {
		return op.String()
	}
	return strings.TrimSpace(b.String())
}

// describe names an unsupported expression for messages.
func describe(n ast.ExprNode) string {
	switch x := n.(type) {
	case *ast.FuncCallExpr:
		return "function " + strings.ToUpper(x.FnName.O)
	case *ast.AggregateFuncExpr:
		return "aggregate function " + strings.ToUpper(x.F)
	case *ast.WindowFuncExpr:
		return "window function " + strings.ToUpper(x.Name)
	case *ast.FuncCastExpr:
		return "CAST/CONVERT"
	case *ast.CaseExpr:
		return "CASE"
	case *ast.SubqueryExpr, *ast.ExistsSubqueryExpr, *ast.CompareSubqueryExpr:
		return "a subquery"
	case *ast.VariableExpr:
		return "a variable"
	case ast.ParamMarkerExpr:
		return "a parameter marker"
	case *ast.RowExpr:
		return "a row constructor"
	case *ast.PatternRegexpExpr:
		return "REGEXP"
	case *ast.SetCollationExpr:
		return "COLLATE"
	case *ast.DefaultExpr:
		return "DEFAULT"
	case *ast.ValuesExpr:
		return "VALUES()"
	case *ast.MatchAgainst:
		return "MATCH ... AGAINST"
	}
	return fmt.Sprintf("expression %T", n)
}
