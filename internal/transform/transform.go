package transform

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Func is a parsed transform such as lower, substring(1, 10), sha256,
// redact(4), const('x'), null or concat('id-', $value).
type Func struct {
	Name string
	ints []int
	strs []part // concat parts; const: one literal
}

// part is a literal, or the value itself ($value).
type part struct {
	lit   string
	value bool
}

// KeepsType reports whether the transformed column keeps its PostgreSQL
// type (the function maps text to shorter or equal text); the others make
// it text.
func (f *Func) KeepsType() bool {
	switch f.Name {
	case "lower", "upper", "trim", "substring", "redact":
		return true
	}
	return false
}

// NeedsText reports whether the function only takes text (and binary, for
// sha256) values.
func (f *Func) NeedsText() bool { return f.Name != "const" && f.Name != "null" }

// Functions lists the transforms, for messages.
const Functions = "drop, lower, upper, trim, substring(start[, length]), sha256, redact[(keep_last)], const('text'), null, concat('text' | $value, …)"

// Parse reads a transform.
func Parse(expr string) (*Func, error) {
	s := strings.TrimSpace(expr)
	name, rest := s, ""
	if i := strings.IndexByte(s, '('); i >= 0 {
		if !strings.HasSuffix(s, ")") {
			return nil, fmt.Errorf("%q: a ( without its closing )", expr)
		}
		name, rest = strings.TrimSpace(s[:i]), s[i+1:len(s)-1]
	}
	args, err := splitArgs(rest)
	if err != nil {
		return nil, fmt.Errorf("%q: %v", expr, err)
	}
	f := &Func{Name: strings.ToLower(name)}
	bad := func(want string) error { return fmt.Errorf("%q: %s takes %s", expr, f.Name, want) }
	switch f.Name {
	case "lower", "upper", "trim", "sha256", "null", "drop":
		if len(args) != 0 {
			return nil, bad("no arguments")
		}
	case "substring", "redact":
		max := map[string]int{"substring": 2, "redact": 1}[f.Name]
		if (f.Name == "substring" && len(args) == 0) || len(args) > max {
			return nil, bad(map[string]string{"substring": "(start[, length]) counted in characters from 1", "redact": "an optional number of last characters to keep"}[f.Name])
		}
		for _, a := range args {
			n, err := strconv.Atoi(a)
			if err != nil || n < 0 || (f.Name == "substring" && len(f.ints) == 0 && n < 1) {
				return nil, bad("whole numbers (start from 1)")
			}
			f.ints = append(f.ints, n)
		}
	case "const":
		if len(args) != 1 || !quoted(args[0]) {
			return nil, bad("one quoted text, e.g. const('n/a')")
		}
		f.strs = []part{{lit: unquote(args[0])}}
	case "concat":
		if len(args) == 0 {
			return nil, bad("quoted texts and $value")
		}
		for _, a := range args {
			switch {
			case a == "$value":
				f.strs = append(f.strs, part{value: true})
			case quoted(a):
				f.strs = append(f.strs, part{lit: unquote(a)})
			default:
				return nil, bad("quoted texts and $value, not " + a)
			}
		}
	default:
		return nil, fmt.Errorf("%q: unknown transform %q; use one of %s", expr, name, Functions)
	}
	return f, nil
}

// splitArgs splits a,b,'c,d' at top-level commas.
func splitArgs(s string) ([]string, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	var out []string
	var cur strings.Builder
	inQuote := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\'' && inQuote && i+1 < len(s) && s[i+1] == '\'':
			cur.WriteString("''")
			i++
		case c == '\'':
			inQuote = !inQuote
			cur.WriteByte(c)
		case c == ',' && !inQuote:
			out = append(out, strings.TrimSpace(cur.String()))
			cur.Reset()
		default:
			cur.WriteByte(c)
		}
	}
	if inQuote {
		return nil, fmt.Errorf("an unterminated quote")
	}
	return append(out, strings.TrimSpace(cur.String())), nil
}

func quoted(a string) bool { return len(a) >= 2 && a[0] == '\'' && a[len(a)-1] == '\'' }

func unquote(a string) string { return strings.ReplaceAll(a[1:len(a)-1], "''", "'") }

// Apply transforms one value as converted for PostgreSQL (nil is NULL).
func (f *Func) Apply(v any) (any, error) {
	switch f.Name {
	case "null":
		return nil, nil
	case "const":
		return f.strs[0].lit, nil
	}
	if v == nil {
		return nil, nil
	}
	var s string
	switch x := v.(type) {
	case string:
		s = x
	case []byte:
		if f.Name != "sha256" {
			return nil, fmt.Errorf("%s takes text, not bytes", f.Name)
		}
		sum := sha256.Sum256(x)
		return hex.EncodeToString(sum[:]), nil
	default:
		return nil, fmt.Errorf("%s takes text, not %T", f.Name, v)
	}
	switch f.Name {
	case "lower":
		return strings.ToLower(s), nil
	case "upper":
		return strings.ToUpper(s), nil
	case "trim":
		return strings.TrimFunc(s, unicode.IsSpace), nil
	case "sha256":
		sum := sha256.Sum256([]byte(s))
		return hex.EncodeToString(sum[:]), nil
	case "substring":
		r := []rune(s)
		start := min(f.ints[0]-1, len(r))
		end := len(r)
		if len(f.ints) == 2 {
			end = min(start+f.ints[1], len(r))
		}
		return string(r[start:end]), nil
	case "redact":
		keep := 0
		if len(f.ints) == 1 {
			keep = f.ints[0]
		}
		n := utf8.RuneCountInString(s)
		if keep >= n {
			return s, nil
		}
		r := []rune(s)
		return strings.Repeat("*", n-keep) + string(r[n-keep:]), nil
	case "concat":
		var b strings.Builder
		for _, p := range f.strs {
			if p.value {
				b.WriteString(s)
			} else {
				b.WriteString(p.lit)
			}
		}
		return b.String(), nil
	}
	return nil, fmt.Errorf("transform %s cannot be applied", f.Name)
}

// Added is a column a task file adds: $database, $table, $commit_ts (the
// source commit time of the change; NULL for rows of the full load, whose
// commit time MySQL does not keep) or a quoted constant.
type Added struct {
	Expr string
	lit  string
}

// Constant is an added column holding text.
func Constant(text string) *Added { return &Added{Expr: "const", lit: text} }

// ParseAdded reads an added column's expression.
func ParseAdded(expr string) (*Added, error) {
	e := strings.TrimSpace(expr)
	switch {
	case e == "$database", e == "$table", e == "$commit_ts":
		return &Added{Expr: e}, nil
	case quoted(e):
		return &Added{Expr: "const", lit: unquote(e)}, nil
	}
	return nil, fmt.Errorf("%q: an added column is $database, $table, $commit_ts or a quoted text such as 'eu-1'", expr)
}

// PGType is the added column's PostgreSQL type.
func (a *Added) PGType() string {
	if a.Expr == "$commit_ts" {
		return "timestamptz"
	}
	return "text"
}

// Value is the added column's value for a row of db.table; commit is the
// source commit time of the change (nil during the full load).
func (a *Added) Value(db, table string, commit any) any {
	switch a.Expr {
	case "$database":
		return db
	case "$table":
		return table
	case "$commit_ts":
		return commit
	}
	return a.lit
}
