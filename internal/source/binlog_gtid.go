package source

import (
	"fmt"
	"slices"
	"strings"

	gomysql "github.com/go-mysql-org/go-mysql/mysql"

	"github.com/sluicedb/sluice/internal/change"
)

// gtidState is the GTID part of a binlog position: for MariaDB the last
// GTID of each replication domain (gtid_binlog_pos), for MySQL the set of
// executed GTIDs (gtid_executed). The zero value is not usable; see
// parseGTIDState.
type gtidState struct {
	flavor string
	maria  map[uint32]gomysql.MariadbGTID // MariaDB: domain → last GTID
	mysql  *gomysql.MysqlGTIDSet          // MySQL
}

// groupGTID is the GTID of one event group, applied to the state when the
// group ends.
type groupGTID struct {
	set   bool
	maria gomysql.MariadbGTID // MariaDB
	mysql string              // MySQL: uuid[:tag]:gno
}

func (g groupGTID) String() string {
	switch {
	case !g.set:
		return "none"
	case g.mysql != "":
		return g.mysql
	}
	return formatMariaGTID(g.maria)
}

// mysqlGroupGTID formats a MySQL GTID event's identity; ok is false for an
// anonymous GTID (gtid_mode=OFF), which belongs to no set.
func mysqlGroupGTID(sid []byte, tag string, gno int64) (groupGTID, bool) {
	if len(sid) != 16 || gno <= 0 {
		return groupGTID{}, false
	}
	u := fmt.Sprintf("%x-%x-%x-%x-%x", sid[0:4], sid[4:6], sid[6:8], sid[8:10], sid[10:16])
	if tag != "" {
		return groupGTID{set: true, mysql: fmt.Sprintf("%s:%s:%d", u, tag, gno)}, true
	}
	return groupGTID{set: true, mysql: fmt.Sprintf("%s:%d", u, gno)}, true
}

// parseGTIDState parses a position's GTID text for flavor: MariaDB
// "0-1001-68,1-1002-5" (one entry per domain; when a domain repeats, the
// highest sequence number wins), MySQL "uuid:1-100[:tag:1-5],...".
func parseGTIDState(flavor, text string) (gtidState, error) {
	g := gtidState{flavor: flavor}
	if flavor == "mariadb" {
		ids, err := change.ParseMariaDBGTIDs(text)
		if err != nil {
			return g, err
		}
		g.maria = make(map[uint32]gomysql.MariadbGTID, len(ids))
		for d, id := range ids {
			g.maria[d] = gomysql.MariadbGTID{DomainID: id.Domain, ServerID: id.Server, SequenceNumber: id.Seq}
		}
		return g, nil
	}
	set, err := gomysql.ParseMysqlGTIDSet(strings.ReplaceAll(text, "\n", ""))
	if err != nil {
		return g, fmt.Errorf("GTID set %q: %w", text, err)
	}
	g.mysql = set.(*gomysql.MysqlGTIDSet)
	return g, nil
}

func formatMariaGTID(id gomysql.MariadbGTID) string {
	return fmt.Sprintf("%d-%d-%d", id.DomainID, id.ServerID, id.SequenceNumber)
}

// String formats the state: MariaDB entries sorted by domain, MySQL as
// go-mysql prints a set (UUIDs sorted).
func (g gtidState) String() string {
	if g.flavor != "mariadb" {
		if g.mysql == nil {
			return ""
		}
		return g.mysql.String()
	}
	domains := make([]uint32, 0, len(g.maria))
	for d := range g.maria {
		domains = append(domains, d)
	}
	slices.Sort(domains)
	parts := make([]string, len(domains))
	for i, d := range domains {
		parts[i] = formatMariaGTID(g.maria[d])
	}
	return strings.Join(parts, ",")
}

// IsEmpty reports whether the state holds no GTID at all.
func (g gtidState) IsEmpty() bool {
	if g.flavor == "mariadb" {
		return len(g.maria) == 0
	}
	return g.mysql == nil || g.mysql.IsEmpty()
}

// add records a finished group's GTID.
// withGroup renders the MariaDB state as it will be once the group id
// commits ("" for MySQL, or a group without a GTID): the position a Begin
// carries, so that a consumer can tell which snapshot already holds it.
func (g gtidState) withGroup(id groupGTID) string {
	if g.flavor != "mariadb" || !id.set {
		return ""
	}
	next := gtidState{flavor: g.flavor, maria: make(map[uint32]gomysql.MariadbGTID, len(g.maria)+1)}
	for d, v := range g.maria {
		next.maria[d] = v
	}
	next.maria[id.maria.DomainID] = id.maria
	return next.String()
}

func (g *gtidState) add(id groupGTID) error {
	switch {
	case !id.set:
	case g.flavor == "mariadb":
		g.maria[id.maria.DomainID] = id.maria
	default:
		if g.mysql == nil {
			s := gomysql.NewMysqlGTIDSet()
			g.mysql = &s
		}
		if err := g.mysql.Update(id.mysql); err != nil {
			return fmt.Errorf("adding GTID %s: %w", id.mysql, err)
		}
	}
	return nil
}

// syncSet is the state as go-mysql's StartSyncGTID takes it.
func (g gtidState) syncSet() (gomysql.GTIDSet, error) {
	if g.flavor == "mariadb" {
		return gomysql.ParseMariadbGTIDSet(g.String())
	}
	return g.mysql.Clone(), nil
}

// mariaBehind compares the checkpoint g with the server's gtid_binlog_pos
// and describes the first domain whose server history is behind the
// checkpoint or missing ("" when the server has every domain at least as
// far as the checkpoint).
func (g gtidState) mariaBehind(server gtidState) string {
	domains := make([]uint32, 0, len(g.maria))
	for d := range g.maria {
		domains = append(domains, d)
	}
	slices.Sort(domains)
	for _, d := range domains {
		want := g.maria[d]
		have, ok := server.maria[d]
		switch {
		case !ok:
			return fmt.Sprintf("domain %d: the checkpoint is at %s, the server has no GTID of that domain", d, formatMariaGTID(want))
		case have.SequenceNumber < want.SequenceNumber:
			return fmt.Sprintf("domain %d: the checkpoint is at %s, the server only at %s", d, formatMariaGTID(want), formatMariaGTID(have))
		}
	}
	return ""
}
