package filter

import (
	"fmt"
	"strings"

	"github.com/pingcap/tidb/pkg/parser"
	"github.com/pingcap/tidb/pkg/parser/ast"
	"github.com/pingcap/tidb/pkg/parser/format"
	_ "github.com/pingcap/tidb/pkg/parser/test_driver" // the parser's value expressions

	"github.com/sluicedb/sluice/internal/schema"
)

// Options is what Compile needs beyond the table model.
type Options struct {
	// Collations maps a column name to its COLLATION_NAME from
	// information_schema.COLUMNS. Text and ENUM columns that a filter
	// compares or matches with LIKE need one (schema.Column has no collation
	// yet); a missing or unsupported one rejects the filter.
	Collations map[string]string
}

// Filter is a compiled row filter. It is immutable and safe for concurrent
// use.
type Filter struct {
	table string
	text  string
	root  node
	sql   string
	cols  []string
}

// CompileError is a filter that cannot be evaluated exactly: a syntax error,
// or something outside the supported grammar and semantics.
type CompileError struct {
	Table  string // db.table
	Offset int    // byte offset of the offending sub-expression in the filter, -1 when unknown
	Expr   string // that sub-expression as MySQL text, "" when unknown
	Reason string
}

func (e *CompileError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "row filter on %s: ", e.Table)
	switch {
	case e.Offset >= 0 && e.Expr != "":
		fmt.Fprintf(&b, "at offset %d (%s): ", e.Offset, e.Expr)
	case e.Offset >= 0:
		fmt.Fprintf(&b, "at offset %d: ", e.Offset)
	case e.Expr != "":
		fmt.Fprintf(&b, "in %s: ", e.Expr)
	}
	b.WriteString(e.Reason)
	return b.String()
}

// wherePrefix turns a filter into a statement the parser takes.
const wherePrefix = "SELECT * FROM t WHERE "

// Compile parses expr, a MySQL WHERE condition, and compiles it against t:
// the columns it names must be t's, and every comparison must be one whose
// result sluice computes exactly as MySQL does (see the package doc). Any
// other expression is a *CompileError naming the part and the reason.
func Compile(t *schema.Table, expr string, opts Options) (*Filter, error) {
	fail := func(reason string) error {
		return &CompileError{Table: t.String(), Offset: -1, Reason: reason}
	}
	if strings.TrimSpace(expr) == "" {
		return nil, fail("the filter is empty")
	}
	where, err := parseWhere(expr)
	if err != nil {
		return nil, fail(err.Error())
	}
	c := newCompiler(t, expr, opts)
	root, err := c.cond(where)
	if err != nil {
		return nil, err
	}
	var b strings.Builder
	root.sql(&b)
	return &Filter{table: t.String(), text: expr, root: root, sql: b.String(), cols: c.used}, nil
}

// parseWhere parses expr as the WHERE of a SELECT and returns it, rejecting
// anything that is not a single condition (a second statement, an ORDER BY
// or LIMIT smuggled after it).
func parseWhere(expr string) (where ast.ExprNode, err error) {
	defer func() {
		if r := recover(); r != nil {
			where, err = nil, fmt.Errorf("the SQL parser failed on it: %v", r)
		}
	}()
	stmts, _, err := parser.New().Parse(wherePrefix+expr, "", "")
	if err != nil {
		return nil, syntaxError(err)
	}
	if len(stmts) != 1 {
		return nil, fmt.Errorf("syntax error: the filter must be one condition, it holds %d statements", len(stmts))
	}
	sel, ok := stmts[0].(*ast.SelectStmt)
	if !ok || sel.Where == nil {
		return nil, fmt.Errorf("syntax error: the filter must be one condition")
	}
	whole, err1 := restore(sel)
	cond, err2 := restore(sel.Where)
	if err1 != nil || err2 != nil || whole != "SELECT * FROM `t` WHERE "+cond {
		return nil, fmt.Errorf("syntax error: the filter must be one condition, not %q", strings.TrimPrefix(whole, "SELECT * FROM `t` WHERE "))
	}
	return sel.Where, nil
}

// syntaxError rewrites the parser's message, which counts columns from the
// start of the wrapping SELECT, to point into the filter.
func syntaxError(err error) error {
	msg := err.Error()
	if i := strings.Index(msg, " near "); i >= 0 {
		return fmt.Errorf("syntax error near %s", msg[i+len(" near "):])
	}
	if i := strings.Index(msg, "line 1 column "); i >= 0 {
		var col int
		if _, scanErr := fmt.Sscanf(msg[i:], "line 1 column %d", &col); scanErr == nil && col >= len(wherePrefix) {
			return fmt.Errorf("syntax error at offset %d (the end of the filter?)", col-len(wherePrefix))
		}
	}
	return fmt.Errorf("syntax error: %s", msg)
}

// restore prints a node as MySQL text, for messages and the shape check.
func restore(n ast.Node) (string, error) {
	var b strings.Builder
	err := n.Restore(newRestoreCtx(&b))
	return b.String(), err
}

func newRestoreCtx(b *strings.Builder) *format.RestoreCtx {
	return format.NewRestoreCtx(format.DefaultRestoreFlags|format.RestoreStringWithoutCharset, b)
}

// Eval evaluates the filter on one row: row holds the table's columns in
// schema order (t.Columns), each as the snapshot or the binlog reader
// delivers it (see column.go), nil for NULL. A row is kept only when the
// result is True. An error means a value of unexpected type or shape: the
// schema and the row disagree.
func (f *Filter) Eval(row []any) (Tri, error) {
	t, err := f.root.eval(row)
	if err != nil {
		return Unknown, fmt.Errorf("evaluating the row filter on %s: %w", f.table, err)
	}
	return t, nil
}

// SQL is the filter as MySQL text for the full load's WHERE: printed from
// the compiled expression, every operation parenthesized, identifiers in
// backticks, literals in canonical form. It assumes a session whose
// sql_mode lacks NO_BACKSLASH_ESCAPES (a backslash in a literal is written
// \\), whose time_zone is '+00:00' (TIMESTAMP literals are UTC) and whose
// character set is utf8mb4.
func (f *Filter) SQL() string { return f.sql }

// String is the filter as written.
func (f *Filter) String() string { return f.text }

// Columns are the names of the columns the filter reads, in order of first
// use. Both readers must deliver them, selected for sync or not.
func (f *Filter) Columns() []string { return f.cols }
