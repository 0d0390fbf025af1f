package schema

import (
	"slices"
	"strings"
	"testing"
)

// printMembers renders labels the way MySQL's Field_enum::sql_type does,
// through append_unescaped.
func printMembers(kind string, labels []string) string {
	var b strings.Builder
	b.WriteString(kind + "(")
	for i, l := range labels {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('\'')
		for j := 0; j < len(l); j++ {
			switch c := l[j]; c {
			case 0:
				b.WriteString(`\0`)
			case '\n':
				b.WriteString(`\n`)
			case '\r':
				b.WriteString(`\r`)
			case '\\':
				b.WriteString(`\\`)
			case '\'':
				b.WriteString(`''`)
			default:
				b.WriteByte(c)
			}
		}
		b.WriteByte('\'')
	}
	b.WriteString(")")
	return b.String()
}

func FuzzParseMembers(f *testing.F) {
	f.Add("a", "it's", "x,y)")
	f.Add(`back\slash`, "nl\nx\r\x00", "")
	f.Add("''", "(", "\\'")
	f.Add("ünï", "日本", " ")
	f.Fuzz(func(t *testing.T, a, b, c string) {
		// Whatever the input, parsing returns or fails; it never panics.
		_, _ = parseMembers(a)
		_, _ = parseMembers("enum(" + a + ")")

		labels := []string{a, b, c}
		printed := printMembers("enum", labels)
		got, err := parseMembers(printed)
		if err != nil {
			t.Fatalf("parseMembers(%q): %v", printed, err)
		}
		if !slices.Equal(got, labels) {
			t.Fatalf("parseMembers(%q) = %q, want %q", printed, got, labels)
		}
	})
}
