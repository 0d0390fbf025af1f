package filter

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/pingcap/tidb/pkg/parser/ast"
	"github.com/pingcap/tidb/pkg/parser/mysql"
	"github.com/pingcap/tidb/pkg/parser/test_driver"
)

// literal is a constant of the filter.
type literal struct {
	typ  typ
	x    exact   // tInt, tDec
	f    float64 // tDouble
	s    string  // tStr
	t    civil   // tTemporal
	date bool    // tTemporal: a DATE literal, else TIMESTAMP
	sql  string  // as printed into SQL()
}

// MySQL's DECIMAL limits: a literal beyond them is not an exact decimal.
const (
	maxDecDigits = 65
	maxDecFrac   = 30
)

func (c *compiler) value(n ast.ValueExpr) (*literal, error) {
	v, ok := n.(*test_driver.ValueExpr)
	if !ok {
		return nil, c.errAt(n, "%s is not supported in filters", describe(n))
	}
	switch v.Kind() {
	case test_driver.KindNull:
		return &literal{typ: tNull, sql: "NULL"}, nil
	case test_driver.KindInt64:
		i := v.GetInt64()
		lit := &literal{typ: tInt, x: exactInt(i), sql: strconv.FormatInt(i, 10)}
		if v.Type.GetFlag()&mysql.IsBooleanFlag != 0 {
			lit.sql = map[bool]string{true: "TRUE", false: "FALSE"}[i != 0]
		}
		return lit, nil
	case test_driver.KindUint64:
		u := v.GetUint64()
		return &literal{typ: tInt, x: exactUint(u), sql: strconv.FormatUint(u, 10)}, nil
	case test_driver.KindMysqlDecimal:
		text := v.GetMysqlDecimal().String()
		d, ok := parseDec(text)
		if !ok {
			return nil, c.errAt(n, "cannot read the decimal literal %s", text)
		}
		_, frac, _ := strings.Cut(strings.TrimPrefix(text, "-"), ".")
		if d.digits() > maxDecDigits || len(frac) > maxDecFrac {
			return nil, c.errAt(n, "the decimal literal has more than %d digits or %d fraction digits, MySQL's DECIMAL limits", maxDecDigits, maxDecFrac)
		}
		return &literal{typ: tDec, x: exactDec(d), sql: text}, nil
	case test_driver.KindFloat64, test_driver.KindFloat32:
		f := v.GetFloat64()
		return &literal{typ: tDouble, f: f, sql: formatFloat(f)}, nil
	case test_driver.KindString:
		if v.Type.GetFlag()&mysql.UnderScoreCharsetFlag != 0 {
			return nil, c.errAt(n, "character set introducers (_utf8mb4'...', N'...') are not supported in filters; write a plain string literal")
		}
		s := v.GetString()
		if !utf8.ValidString(s) {
			return nil, c.errAt(n, "the string literal is not valid UTF-8")
		}
		return &literal{typ: tStr, s: s, sql: quoteString(s)}, nil
	case test_driver.KindBinaryLiteral:
		return nil, c.errAt(n, "hexadecimal and bit literals are not supported in filters")
	}
	return nil, c.errAt(n, "this kind of literal is not supported in filters")
}

// typedLiteral reads DATE 'YYYY-MM-DD' and TIMESTAMP 'YYYY-MM-DD HH:MM:SS'
// (and the ODBC {d '...'} and {ts '...'} forms, which the parser gives the
// same way); any other function call is rejected.
func (c *compiler) typedLiteral(x *ast.FuncCallExpr) (*literal, error) {
	isDate := x.FnName.L == ast.DateLiteral
	if !isDate && x.FnName.L != ast.TimestampLiteral {
		if x.FnName.L == ast.TimeLiteral {
			return nil, c.errAt(x, "TIME literals are not supported in filters")
		}
		return nil, c.errAt(x, "%s is not supported in filters", describe(x))
	}
	var v *test_driver.ValueExpr
	if len(x.Args) == 1 {
		v, _ = x.Args[0].(*test_driver.ValueExpr)
	}
	if v == nil || v.Kind() != test_driver.KindString {
		return nil, c.errAt(x, "a DATE or TIMESTAMP literal takes a string")
	}
	s := v.GetString()
	t, err := parseTemporalLiteral(s)
	if err != nil {
		return nil, c.errAt(x, "%v", err)
	}
	hasTime := len(s) > len("YYYY-MM-DD")
	switch {
	case isDate && hasTime:
		return nil, c.errAt(x, "a DATE literal takes 'YYYY-MM-DD' only")
	case !isDate && !hasTime:
		return nil, c.errAt(x, "a TIMESTAMP literal takes 'YYYY-MM-DD HH:MM:SS[.ffffff]'")
	}
	lit := &literal{typ: tTemporal, t: t, date: isDate}
	if isDate {
		lit.sql = "DATE '" + t.String() + "'"
	} else {
		lit.sql = "TIMESTAMP '" + t.String()
		if !t.hasTime() {
			lit.sql += " 00:00:00"
		}
		lit.sql += "'"
	}
	return lit, nil
}

// negate is -lit for a numeric literal (or NULL).
func (l *literal) negate() *literal {
	n := *l
	switch l.typ {
	case tInt, tDec:
		n.x = l.x.neg()
		if strings.HasPrefix(l.sql, "-") {
			n.sql = l.sql[1:]
		} else {
			n.sql = "-" + l.sql
		}
		if l.x.isZero() {
			n.sql = strings.TrimPrefix(n.sql, "-")
		}
	case tDouble:
		n.f = -l.f
		n.sql = formatFloat(n.f)
	}
	return &n
}

// formatFloat prints a double as an approximate-value literal MySQL reads
// back to the same double.
func formatFloat(f float64) string {
	return strconv.FormatFloat(f, 'e', -1, 64)
}

// quoteString prints s as a MySQL string literal. Only ' and \ (and NUL,
// which a line protocol would not carry) are escaped, so a string without a
// backslash reads the same under NO_BACKSLASH_ESCAPES.
func quoteString(s string) string {
	var b strings.Builder
	b.WriteByte('\'')
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\'':
			b.WriteString("''")
		case '\\':
			b.WriteString(`\\`)
		case 0:
			b.WriteString(`\0`)
		default:
			b.WriteByte(s[i])
		}
	}
	b.WriteByte('\'')
	return b.String()
}
