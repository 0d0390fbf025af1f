package precheck

import "testing"

func TestCheckVersion(t *testing.T) {
	for _, c := range []struct {
		flavor, version string
		fails           bool
	}{
		{"mariadb", "10.11.19-MariaDB-0+deb12u1-log", false},
		{"mariadb", "10.3.39-MariaDB", false},
		{"mariadb", "10.2.44-MariaDB", true},
		{"mariadb", "5.5.5-10.1.48-MariaDB", true}, // an old MariaDB's protocol prefix reads as 5.5
		{"mysql", "8.0.36", false},
		{"mysql", "5.7.44-log", false},
		{"mysql", "5.6.51", true},
		{"mysql", "8.0.11-TiDB-v7.5.0", true},
		{"mysql", "garbage", true},
	} {
		r := &Report{}
		checkVersion(r, c.flavor, c.version)
		if failed := len(r.Results) > 0; failed != c.fails {
			t.Errorf("%s %s: failed=%v, want %v (%+v)", c.flavor, c.version, failed, c.fails, r.Results)
		}
		for _, res := range r.Results {
			if res.ID != IDSourceVersion || res.Severity != Error || res.Instruction == "" {
				t.Errorf("%s: %+v", c.version, res)
			}
		}
	}
}
