package testdb

import (
	"regexp"
	"strings"
	"testing"
)

func TestDBName(t *testing.T) {
	tests := []struct {
		test string
		want string
	}{
		{"TestCopy", "t_testcopy_0000002a"},
		{"TestCopy/int_types#01", "t_testcopy_int_types_01_0000002a"},
		{"TestÉté/a--b", "t_test_t_a_b_0000002a"},
		{"__", "t_0000002a"},
		{"", "t_0000002a"},
		{strings.Repeat("x", 100), "t_" + strings.Repeat("x", 52) + "_0000002a"},
		// A cut that ends in a separator drops it.
		{strings.Repeat("x", 51) + "/yy", "t_" + strings.Repeat("x", 51) + "_0000002a"},
	}
	valid := regexp.MustCompile(`^[a-z0-9_]{1,63}$`)
	for _, tt := range tests {
		got := dbName(tt.test, 42)
		if got != tt.want {
			t.Errorf("dbName(%q) = %q, want %q", tt.test, got, tt.want)
		}
		if !valid.MatchString(got) {
			t.Errorf("dbName(%q) = %q: not a 1-63 character [a-z0-9_] name", tt.test, got)
		}
	}
}
