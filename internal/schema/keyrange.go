package schema

import (
	"strconv"
	"strings"
)

// Dialect is how one server spells identifiers and parameters, for the few
// statements sluice builds for both MySQL and PostgreSQL.
type Dialect struct {
	Quote func(string) string
	// Param renders the n-th parameter (1-based) of a statement.
	Param func(n int) string
}

// MySQL quotes with backticks and uses ? parameters.
var MySQL = Dialect{
	Quote: func(name string) string { return "`" + strings.ReplaceAll(name, "`", "``") + "`" },
	Param: func(int) string { return "?" },
}

// PostgreSQL quotes with double quotes (Ident) and uses $n parameters.
var PostgreSQL = Dialect{
	Quote: Ident,
	Param: func(n int) string { return "$" + strconv.Itoa(n) },
}

// KeyAfter renders key > vals lexicographically, led by a plain bound on the
// first column so the optimizer uses a range scan:
// k1 >= ? AND (k1 > ? OR (k1 = ? AND k2 > ?) ...). Parameters are numbered
// from first; args are the values in parameter order.
func (d Dialect) KeyAfter(cols []string, vals []any, first int) (string, []any) {
	return d.compareKey(cols, vals, ">", ">", first)
}

// KeyUpTo renders key <= vals lexicographically (see KeyAfter).
func (d Dialect) KeyUpTo(cols []string, vals []any, first int) (string, []any) {
	return d.compareKey(cols, vals, "<", "<=", first)
}

func (d Dialect) compareKey(cols []string, vals []any, strict, last string, first int) (string, []any) {
	var args []any
	param := func(v any) string {
		args = append(args, v)
		return d.Param(first + len(args) - 1)
	}
	if len(cols) == 1 {
		return d.Quote(cols[0]) + " " + last + " " + param(vals[0]), args
	}
	lead := d.Quote(cols[0]) + " " + strict + "= " + param(vals[0])
	var ors []string
	for i := range cols {
		var ands []string
		for j := 0; j < i; j++ {
			ands = append(ands, d.Quote(cols[j])+" = "+param(vals[j]))
		}
		op := strict
		if i == len(cols)-1 {
			op = last
		}
		ands = append(ands, d.Quote(cols[i])+" "+op+" "+param(vals[i]))
		ors = append(ors, "("+strings.Join(ands, " AND ")+")")
	}
	return lead + " AND (" + strings.Join(ors, " OR ") + ")", args
}

// KeyRange renders lo < key <= hi (either bound nil: open on that side) as
// a condition, "" when both are nil.
func (d Dialect) KeyRange(cols []string, lo, hi []any, first int) (string, []any) {
	var conds []string
	var args []any
	if lo != nil {
		w, a := d.KeyAfter(cols, lo, first)
		conds, args = append(conds, "("+w+")"), append(args, a...)
	}
	if hi != nil {
		w, a := d.KeyUpTo(cols, hi, first+len(args))
		conds, args = append(conds, "("+w+")"), append(args, a...)
	}
	return strings.Join(conds, " AND "), args
}
