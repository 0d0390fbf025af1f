package testdb

import (
	"fmt"
	"strings"
)

// maxNameLen bounds database names: PostgreSQL truncates identifiers past 63
// bytes (NAMEDATALEN-1); MariaDB allows 64 characters.
const maxNameLen = 63

// dbName returns the name of a test's database: "t_", then the test's name
// lowercased with every run of characters other than [a-z0-9] turned into
// one "_", then "_" and rnd as eight hex digits; the test's part is cut so
// the whole fits in maxNameLen bytes. The result needs no quoting in either
// dialect.
func dbName(testName string, rnd uint32) string {
	var b strings.Builder
	for _, r := range strings.ToLower(testName) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "_"):
			b.WriteByte('_')
		}
	}
	suffix := fmt.Sprintf("_%08x", rnd)
	base := b.String()
	if room := maxNameLen - len("t_") - len(suffix); len(base) > room {
		base = base[:room] // ASCII only, so any cut is a valid string
	}
	base = strings.TrimRight(base, "_")
	if base == "" {
		return "t" + suffix
	}
	return "t_" + base + suffix
}
