package schema

import (
	"regexp"
	"strings"
)

var (
	// nowRE matches the functions that read the current date and time.
	nowRE = regexp.MustCompile(`^(current_timestamp|now|localtimestamp|localtime)(\([0-6]?\))?$`)
	// curdateRE matches the functions that read the current date.
	curdateRE = regexp.MustCompile(`^(curdate\(\)|current_date(\(\))?)$`)
	// introducedRE matches a string constant as MySQL 8 prints it inside an
	// expression default: _utf8mb4\'abc\' (or without the backslashes).
	introducedRE = regexp.MustCompile(`^(_[a-z0-9]+)?(\\?')(.*?)(\\?')$`)
)

// defaultExpr translates a default expression. Only expressions whose
// PostgreSQL counterpart gives the same value are translated; anything else
// is reported, never guessed.
func defaultExpr(c *Column, v string) (string, bool, string) {
	e := strings.ToLower(stripParens(strings.TrimSpace(v)))
	switch {
	case nowRE.MatchString(e):
		switch c.Kind {
		case KindTimestamp:
			return "CURRENT_TIMESTAMP", true, ""
		case KindDatetime:
			return "LOCALTIMESTAMP", true, ""
		case KindDate:
			return "CURRENT_DATE", true, ""
		}
	case curdateRE.MatchString(e):
		if c.Kind == KindDate {
			return "CURRENT_DATE", true, ""
		}
	case e == "uuid()" || e == "uuid_v4()":
		if c.Kind == KindUUID {
			return "gen_random_uuid()", true, ""
		}
		if c.Kind == KindText {
			return "", false, "PostgreSQL has no uuid() for text; gen_random_uuid()::text gives the same format, version 4 instead of MySQL's version 1"
		}
	case e == "json_object()" || e == "json_array()":
		if c.Kind == KindJSON {
			return map[string]string{"json_object()": "'{}'::jsonb", "json_array()": "'[]'::jsonb"}[e], true, ""
		}
	case numberRE.MatchString(e):
		switch c.Kind {
		case KindInt, KindYear, KindDecimal, KindFloat, KindDouble:
			return defaultLiteral(c, e, true)
		}
	case bitRE.MatchString(e), hexRE.MatchString(e):
		// A catalog that marks every unquoted MariaDB default an expression
		// sends BIT and hex literals here.
		switch c.Kind {
		case KindBit, KindBinary:
			return defaultLiteral(c, stripParens(strings.TrimSpace(v)), true)
		}
	}
	if s, ok := stringConstant(stripParens(strings.TrimSpace(v))); ok {
		switch c.Kind {
		case KindText, KindEnum, KindSet, KindJSON:
			return defaultLiteral(c, s, false)
		}
	}
	return "", false, "an expression sluice does not translate"
}

// stringConstant recognises an expression that is only a string constant,
// with or without a character set introducer. Constants with quotes or
// backslashes inside are not recognised: how MySQL escapes them in this
// position is not pinned down, so they are reported instead.
func stringConstant(e string) (string, bool) {
	m := introducedRE.FindStringSubmatch(e)
	if m == nil || m[2] != m[4] || strings.ContainsAny(m[3], `'\`) {
		return "", false
	}
	return m[3], true
}

// stripParens removes parentheses that enclose the whole expression:
// "((1+2))" → "1+2", but "(1)+(2)" stays.
func stripParens(e string) string {
	for len(e) >= 2 && e[0] == '(' && e[len(e)-1] == ')' && closes(e) == len(e)-1 {
		e = strings.TrimSpace(e[1 : len(e)-1])
	}
	return e
}

// closes returns the index of the parenthesis that closes e[0], or -1.
// Quoted text is skipped.
func closes(e string) int {
	depth := 0
	var quote byte
	for i := 0; i < len(e); i++ {
		c := e[i]
		switch {
		case quote != 0:
			if c == '\\' {
				i++
			} else if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"' || c == '`':
			quote = c
		case c == '(':
			depth++
		case c == ')':
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}
