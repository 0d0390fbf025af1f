package change

import (
	"fmt"
	"strconv"
	"strings"
)

// Reached reports whether p is at or after q in the source's history.
//
// With GTIDs on both (MariaDB: one domain-server-seq per domain), p has
// reached q when, for every domain of q, p's sequence number is at least
// q's. Otherwise the binlog file (by its numeric suffix) and offset decide.
func (p Position) Reached(q Position) (bool, error) {
	if q.IsZero() && q.GTID == "" {
		return true, nil
	}
	if p.GTID != "" && q.GTID != "" && p.Flavor == "mariadb" && q.Flavor == "mariadb" {
		ps, err := ParseMariaDBGTIDs(p.GTID)
		if err != nil {
			return false, err
		}
		qs, err := ParseMariaDBGTIDs(q.GTID)
		if err != nil {
			return false, err
		}
		for domain, qg := range qs {
			if pg, ok := ps[domain]; !ok || pg.Seq < qg.Seq {
				return false, nil
			}
		}
		return true, nil
	}
	pf, err := fileIndex(p.File)
	if err != nil {
		return false, err
	}
	qf, err := fileIndex(q.File)
	if err != nil {
		return false, err
	}
	if pf != qf {
		return pf > qf, nil
	}
	return p.Offset >= q.Offset, nil
}

// fileIndex is the numeric suffix of a binlog file name: mysql-bin.000042 → 42.
func fileIndex(name string) (uint64, error) {
	i := strings.LastIndexByte(name, '.')
	n, err := strconv.ParseUint(name[i+1:], 10, 64)
	if i < 0 || err != nil {
		return 0, fmt.Errorf("binlog file name %q has no numeric suffix", name)
	}
	return n, nil
}

// MariaDBGTID is one domain's last transaction: domain-server-seq.
type MariaDBGTID struct {
	Domain, Server uint32
	Seq            uint64
}

// ParseMariaDBGTIDs parses a gtid_binlog_pos list, e.g. "0-1001-68,1-1002-5",
// into one GTID per domain; when a domain repeats, the highest sequence
// number wins.
func ParseMariaDBGTIDs(s string) (map[uint32]MariaDBGTID, error) {
	out := map[uint32]MariaDBGTID{}
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		f := strings.Split(part, "-")
		if len(f) != 3 {
			return nil, fmt.Errorf("MariaDB GTID %q: want domain-server-sequence", part)
		}
		d, err1 := strconv.ParseUint(f[0], 10, 32)
		sv, err2 := strconv.ParseUint(f[1], 10, 32)
		seq, err3 := strconv.ParseUint(f[2], 10, 64)
		if err1 != nil || err2 != nil || err3 != nil {
			return nil, fmt.Errorf("GTID %q is not domain-server-seq", part)
		}
		if old, ok := out[uint32(d)]; !ok || seq > old.Seq {
			out[uint32(d)] = MariaDBGTID{Domain: uint32(d), Server: uint32(sv), Seq: seq}
		}
	}
	return out, nil
}
