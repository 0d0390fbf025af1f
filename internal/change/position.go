package change

import "fmt"

// Position is a point in the source's binlog: file/offset always, and the
// GTID state when the server has GTIDs (MariaDB: gtid_binlog_pos, one
// domain-server-seq per domain; MySQL: the executed GTID set).
type Position struct {
	Flavor string // "mariadb" or "mysql"
	File   string
	Offset uint64
	GTID   string
}

// IsZero reports whether no position was recorded (binary log off).
func (p Position) IsZero() bool { return p.File == "" }

func (p Position) String() string {
	if p.IsZero() {
		return "none"
	}
	if p.GTID != "" {
		return fmt.Sprintf("%s:%d (gtid %s)", p.File, p.Offset, p.GTID)
	}
	return fmt.Sprintf("%s:%d", p.File, p.Offset)
}
