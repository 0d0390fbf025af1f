package precheck

import (
	"fmt"
	"strconv"
	"strings"
)

// IDSourceVersion is the check of the source's server and version.
const IDSourceVersion = "source-version"

// Oldest supported versions: MariaDB 10.3 (GTID positions, invisible
// columns, system versioning as the catalog reads them), MySQL 5.7 (JSON,
// generated columns, binlog_row_image). Older servers are refused rather
// than half-served.
var minVersion = map[string][2]int{"mariadb": {10, 3}, "mysql": {5, 7}}

// checkVersion reports a source whose flavor or version sluice does not
// support. version is SELECT VERSION(), flavor "mariadb" or "mysql".
func checkVersion(r *Report, flavor, version string) {
	lower := strings.ToLower(version)
	if strings.Contains(lower, "tidb") {
		r.Add(IDSourceVersion, Error, version, "the source is TiDB, whose binlog is not MySQL's (it has none; changes come from TiCDC)",
			"point --source at a MySQL 5.7+ or MariaDB 10.3+ server")
		return
	}
	major, minor, ok := parseVersion(version)
	want := minVersion[flavor]
	switch {
	case !ok:
		r.Add(IDSourceVersion, Error, version, fmt.Sprintf("cannot read the version of the %s source from %q", flavor, version),
			"point --source at a MySQL 5.7+ or MariaDB 10.3+ server")
	case major < want[0] || major == want[0] && minor < want[1]:
		r.Add(IDSourceVersion, Error, version, fmt.Sprintf("%s %d.%d is older than the oldest supported, %d.%d", flavor, major, minor, want[0], want[1]),
			fmt.Sprintf("upgrade the source to %s %d.%d or later", flavor, want[0], want[1]))
	}
}

// parseVersion reads "10.11.19-MariaDB-0+deb12u1-log" → 10, 11.
func parseVersion(v string) (major, minor int, ok bool) {
	parts := strings.SplitN(v, ".", 3)
	if len(parts) < 2 {
		return 0, 0, false
	}
	major, err1 := strconv.Atoi(parts[0])
	minor, err2 := strconv.Atoi(strings.TrimRightFunc(parts[1], func(r rune) bool { return r < '0' || r > '9' }))
	return major, minor, err1 == nil && err2 == nil
}
