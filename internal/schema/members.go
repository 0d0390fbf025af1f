package schema

import (
	"errors"
	"fmt"
	"strings"
)

// parseMembers parses the label list of an ENUM or SET from COLUMN_TYPE,
// e.g. enum('a','b','x,y)'). MySQL and MariaDB print each label with
// append_unescaped: a single quote written twice, and \0 \n \r \\ for NUL,
// LF, CR and backslash. Commas and parentheses inside labels are plain
// characters.
func parseMembers(columnType string) ([]string, error) {
	open := strings.IndexByte(columnType, '(')
	if open < 0 {
		return nil, errors.New("no member list")
	}
	s := columnType[open+1:]
	var members []string
	for {
		s = strings.TrimLeft(s, " ")
		label, rest, err := readQuoted(s)
		if err != nil {
			return nil, fmt.Errorf("member %d: %w", len(members)+1, err)
		}
		members = append(members, label)
		rest = strings.TrimLeft(rest, " ")
		switch {
		case strings.HasPrefix(rest, ","):
			s = rest[1:]
		case strings.HasPrefix(rest, ")"):
			if strings.TrimSpace(rest[1:]) != "" {
				return nil, fmt.Errorf("unexpected %q after the member list", rest[1:])
			}
			return members, nil
		case rest == "":
			return nil, errors.New("member list not closed")
		default:
			return nil, fmt.Errorf("unexpected %q after member %d", rest, len(members))
		}
	}
}

// readQuoted reads one single-quoted MySQL string at the start of s and
// returns its value and the text after the closing quote. It undoes both
// doubled quotes and backslash escapes, by MySQL's lexer rules: \0 \b
// \n \r \t \Z are control characters, \% and \_ keep their backslash, and any
// other escaped character stands for itself.
func readQuoted(s string) (value, rest string, err error) {
	if !strings.HasPrefix(s, "'") {
		return "", "", errors.New("expected a quoted string")
	}
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		switch c := s[i]; c {
		case '\'':
			if i+1 < len(s) && s[i+1] == '\'' {
				b.WriteByte('\'')
				i++
				continue
			}
			return b.String(), s[i+1:], nil
		case '\\':
			if i+1 == len(s) {
				return "", "", errors.New("string ends inside an escape")
			}
			i++
			b.WriteString(unescapeByte(s[i]))
		default:
			b.WriteByte(c)
		}
	}
	return "", "", errors.New("unterminated string")
}

func unescapeByte(c byte) string {
	switch c {
	case '0':
		return "\x00"
	case 'b':
		return "\b"
	case 'n':
		return "\n"
	case 'r':
		return "\r"
	case 't':
		return "\t"
	case 'Z':
		return "\x1a"
	case '%', '_':
		return `\` + string([]byte{c})
	}
	return string([]byte{c})
}
