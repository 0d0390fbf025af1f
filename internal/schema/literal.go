package schema

import "strings"

// Literal renders s as a PostgreSQL string constant. A string without a
// backslash is written '…' with quotes doubled; a string with a backslash is
// written E'…' with backslashes and quotes doubled. Both forms mean the same
// text whatever standard_conforming_strings is set to.
//
// s must not contain a NUL byte (PostgreSQL text cannot hold one); callers
// that may see one check first.
func Literal(s string) string {
	q := strings.ReplaceAll(s, `'`, `''`)
	if !strings.Contains(s, `\`) {
		return "'" + q + "'"
	}
	return "E'" + strings.ReplaceAll(q, `\`, `\\`) + "'"
}
