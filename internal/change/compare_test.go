package change

import "testing"

func TestReached(t *testing.T) {
	m := func(file string, off uint64, gtid string) Position {
		return Position{Flavor: "mariadb", File: file, Offset: off, GTID: gtid}
	}
	for _, tc := range []struct {
		name string
		p, q Position
		want bool
	}{
		{"same", m("b.000001", 100, "0-1-5"), m("b.000001", 100, "0-1-5"), true},
		{"gtid behind", m("b.000002", 900, "0-1-4"), m("b.000001", 100, "0-1-5"), false},
		{"gtid ahead", m("b.000001", 100, "0-1-6"), m("b.000001", 900, "0-1-5"), true},
		{"missing domain", m("b.000001", 100, "0-1-6"), m("b.000001", 100, "0-1-5,1-2-1"), false},
		{"all domains", m("b.000001", 100, "0-1-6,1-2-3"), m("b.000001", 100, "0-1-5,1-2-3"), true},
		{"file order", m("b.000010", 4, ""), m("b.000009", 9000, ""), true},
		{"offset order", m("b.000009", 100, ""), m("b.000009", 9000, ""), false},
		{"zero target", m("b.000001", 4, ""), Position{}, true},
	} {
		got, err := tc.p.Reached(tc.q)
		if err != nil || got != tc.want {
			t.Errorf("%s: Reached = %v, %v; want %v", tc.name, got, err, tc.want)
		}
	}
	if _, err := m("nosuffix", 1, "").Reached(m("b.000001", 1, "")); err == nil {
		t.Error("a file without a numeric suffix must be an error")
	}
}

func TestParseMariaDBGTIDs(t *testing.T) {
	g, err := ParseMariaDBGTIDs("0-1001-68, 1-1002-5")
	if err != nil || len(g) != 2 || g[1].Seq != 5 || g[0].Server != 1001 {
		t.Fatalf("got %v, %v", g, err)
	}
	if g, _ := ParseMariaDBGTIDs("0-1-2,0-1-3"); g[0].Seq != 3 {
		t.Errorf("a repeated domain keeps the highest sequence number: %v", g)
	}
	for _, bad := range []string{"0-1", "a-b-c", "1-2-x"} {
		if _, err := ParseMariaDBGTIDs(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
