package source

import (
	"strings"
	"testing"

	gomysql "github.com/go-mysql-org/go-mysql/mysql"
)

func TestMariaGTIDState(t *testing.T) {
	cases := []struct{ in, want string }{
		{"", ""},
		{"0-1001-68,1-1002-5", "0-1001-68,1-1002-5"},
		{"10-1-5,2-1-3", "2-1-3,10-1-5"}, // sorted by domain number, not as text
		{"0-1-5,0-2-7", "0-2-7"},         // one entry per domain: the highest sequence
		{"0-2-7,0-1-5", "0-2-7"},
		{" 0-1-5,\n1-1-2 ", "0-1-5,1-1-2"},
	}
	for _, c := range cases {
		g, err := parseGTIDState("mariadb", c.in)
		if err != nil {
			t.Errorf("parseGTIDState(%q): %v", c.in, err)
			continue
		}
		if got := g.String(); got != c.want {
			t.Errorf("parseGTIDState(%q) = %q; want %q", c.in, got, c.want)
		}
		if g.IsEmpty() != (c.want == "") {
			t.Errorf("parseGTIDState(%q).IsEmpty() = %v", c.in, g.IsEmpty())
		}
	}
	for _, bad := range []string{"0-1", "a-b-c", "0-1-2-3", "-1-1-1", "4294967296-1-1"} {
		if _, err := parseGTIDState("mariadb", bad); err == nil {
			t.Errorf("parseGTIDState(%q): no error", bad)
		}
	}
}

func TestMariaGTIDAdd(t *testing.T) {
	g, _ := parseGTIDState("mariadb", "0-1001-68,1-1002-5")
	steps := []struct {
		gtid gomysql.MariadbGTID
		want string
	}{
		{gomysql.MariadbGTID{DomainID: 1, ServerID: 1003, SequenceNumber: 6}, "0-1001-68,1-1003-6"},
		{gomysql.MariadbGTID{DomainID: 0, ServerID: 1001, SequenceNumber: 69}, "0-1001-69,1-1003-6"},
		{gomysql.MariadbGTID{DomainID: 12, ServerID: 1, SequenceNumber: 1}, "0-1001-69,1-1003-6,12-1-1"},
		{gomysql.MariadbGTID{DomainID: 2, ServerID: 1, SequenceNumber: 1}, "0-1001-69,1-1003-6,2-1-1,12-1-1"},
	}
	for _, s := range steps {
		if err := g.add(groupGTID{set: true, maria: s.gtid}); err != nil {
			t.Fatal(err)
		}
		if got := g.String(); got != s.want {
			t.Errorf("after %v: %q; want %q", s.gtid, got, s.want)
		}
	}
	if err := g.add(groupGTID{}); err != nil || g.String() != steps[len(steps)-1].want {
		t.Errorf("adding no GTID changed the state to %q (%v)", g.String(), err)
	}
	set, err := g.syncSet()
	if err != nil {
		t.Fatal(err)
	}
	if set.(*gomysql.MariadbGTIDSet).Sets[12].SequenceNumber != 1 || len(set.(*gomysql.MariadbGTIDSet).Sets) != 4 {
		t.Errorf("syncSet = %v", set)
	}
}

func TestMariaBehind(t *testing.T) {
	cp, _ := parseGTIDState("mariadb", "0-1001-68,1-1002-5")
	cases := []struct{ server, want string }{
		{"0-1001-68,1-1002-5", ""},
		{"0-1001-90,1-1002-5,2-1-1", ""},
		{"0-1001-3,1-1002-5", "domain 0: the checkpoint is at 0-1001-68, the server only at 0-1001-3"},
		{"0-1001-68", "domain 1: the checkpoint is at 1-1002-5, the server has no GTID of that domain"},
		{"", "domain 0: the checkpoint is at 0-1001-68, the server has no GTID of that domain"},
	}
	for _, c := range cases {
		srv, _ := parseGTIDState("mariadb", c.server)
		if got := cp.mariaBehind(srv); got != c.want {
			t.Errorf("server %q: %q; want %q", c.server, got, c.want)
		}
	}
}

func TestMySQLGTIDState(t *testing.T) {
	const u = "3e11fa47-71ca-11e1-9e33-c80aa9429562"
	g, err := parseGTIDState("mysql", u+":1-5,\n"+strings.ToUpper("4e11fa47-71ca-11e1-9e33-c80aa9429562")+":1-2")
	if err != nil {
		t.Fatal(err)
	}
	sid := []byte{0x3e, 0x11, 0xfa, 0x47, 0x71, 0xca, 0x11, 0xe1, 0x9e, 0x33, 0xc8, 0x0a, 0xa9, 0x42, 0x95, 0x62}
	id, ok := mysqlGroupGTID(sid, "", 6)
	if !ok || id.String() != u+":6" {
		t.Fatalf("mysqlGroupGTID = %v, %v", id, ok)
	}
	if err := g.add(id); err != nil {
		t.Fatal(err)
	}
	if got, want := g.String(), u+":1-6,4e11fa47-71ca-11e1-9e33-c80aa9429562:1-2"; got != want {
		t.Errorf("after adding %s: %q; want %q", id, got, want)
	}
	tagged, _ := mysqlGroupGTID(sid, "blue", 1)
	if err := g.add(tagged); err != nil {
		t.Fatal(err)
	}
	if got, want := g.String(), u+":1-6:blue:1,4e11fa47-71ca-11e1-9e33-c80aa9429562:1-2"; got != want {
		t.Errorf("after adding %s: %q; want %q", tagged, got, want)
	}
	if _, ok := mysqlGroupGTID(make([]byte, 16), "", 0); ok {
		t.Error("an anonymous GTID (gno 0) was accepted")
	}
	empty, _ := parseGTIDState("mysql", "")
	if !empty.IsEmpty() || empty.String() != "" {
		t.Errorf("empty MySQL state: %q", empty.String())
	}
	if err := empty.add(id); err != nil || empty.String() != u+":6" {
		t.Errorf("adding to an empty MySQL state: %q (%v)", empty.String(), err)
	}
}
