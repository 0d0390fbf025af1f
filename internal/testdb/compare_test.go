package testdb

import (
	"math"
	"strings"
	"testing"
)

func TestCanonical(t *testing.T) {
	for _, c := range []struct {
		name   string
		col    column
		v      any
		source bool
		want   string
	}{
		{"zerofill int", column{kind: "int"}, []byte("00000042"), true, "42"},
		{"unsigned max", column{kind: "int"}, "18446744073709551615", false, "18446744073709551615"},
		{"decimal scale", column{kind: "decimal"}, []byte("-0012.3400"), true, "-12.34"},
		{"decimal negative zero", column{kind: "decimal"}, "-0.000", false, "0"},
		{"decimal tiny", column{kind: "decimal"}, "-0.000000000000000000000000000001", false, "-0.000000000000000000000000000001"},
		{"decimal integer", column{kind: "decimal"}, "100", false, "100"},
		{"bit from MySQL", column{kind: "bit", bits: 8}, []byte("128"), true, "10000000"},
		{"bit 64", column{kind: "bit", bits: 64}, []byte("18446744073709551615"), true, strings.Repeat("1", 64)},
		{"bit from PostgreSQL", column{kind: "bit", bits: 8}, "00000001", false, "00000001"},
		{"float32 widened", column{kind: "float"}, float32(0.1), true, "0.10000000149011612 [3fb99999a0000000]"},
		{"float32 subnormal", column{kind: "float"}, math.Float32frombits(1), true, "1.401298464324817e-45 [36a0000000000000]"},
		{"negative zero", column{kind: "float"}, math.Copysign(0, -1), false, "-0 [8000000000000000]"},
		{"datetime no fraction", column{kind: "datetime"}, []byte("2020-01-01 10:00:00"), true, "2020-01-01 10:00:00.000000"},
		{"datetime fraction", column{kind: "timestamp"}, "2020-01-01 10:00:00.5", false, "2020-01-01 10:00:00.500000"},
		{"datetime BC", column{kind: "datetime"}, "0001-12-31 00:00:00 BC", false, "0001-12-31 00:00:00.000000 BC"},
		{"datetime infinity", column{kind: "datetime"}, "-infinity", false, "-infinity"},
		{"time max", column{kind: "time"}, []byte("838:59:59"), true, "3020399000000"},
		{"time min", column{kind: "time"}, []byte("-838:59:59.000000"), true, "-3020399000000"},
		{"time half second", column{kind: "time"}, []byte("-00:00:00.5"), true, "-500000"},
		{"time 24h", column{kind: "time"}, []byte("24:00:00"), true, "86400000000"},
		{"time zero", column{kind: "time"}, []byte("00:00:00"), true, "0"},
		{"interval epoch", column{kind: "time"}, "-500000", false, "-500000"},
		{"inet host", column{kind: "inet"}, "192.168.0.1/32", false, "192.168.0.1"},
		{"inet network", column{kind: "inet"}, "10.0.0.0/8", false, "10.0.0.0/8"},
		{"inet6 case", column{kind: "inet"}, []byte("2001:DB8::1"), true, "2001:db8::1"},
		{"inet6 mapped", column{kind: "inet"}, "::ffff:1.2.3.4", false, "::ffff:1.2.3.4"},
		{"bytes kept", column{kind: "bytes"}, []byte("a\x00\x00"), true, "a\x00\x00"},
	} {
		got := canonical(c.col, c.v, c.source)
		if got == nil || *got != c.want {
			t.Errorf("%s: canonical(%#v) = %v, want %q", c.name, c.v, render("text", got, nil), c.want)
		}
	}
	if canonical(column{kind: "text"}, nil, true) != nil {
		t.Error("NULL is not nil")
	}
}

func TestIsZeroDate(t *testing.T) {
	for s, want := range map[string]bool{
		"0000-00-00": true, "0000-00-00 00:00:00": true, "2020-00-15": true, "2020-05-00": true,
		"0000-01-01": true, "2020-00-00 10:00:00": true, "0001-01-01": false, "0999-12-31": false,
		"2020-01-01 00:00:00.000000": false, "-infinity": false, "": false,
	} {
		if got := isZeroDate(s); got != want {
			t.Errorf("isZeroDate(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestRowKey(t *testing.T) {
	cols := []column{{name: "a"}, {name: "b"}}
	one, x := "1", "x\"y"
	if got, want := rowKey([]*string{&one, &x}, []int{0}, cols), `(a="1")`; got != want {
		t.Errorf("primary key: %s, want %s", got, want)
	}
	if got, want := rowKey([]*string{&one, nil}, nil, cols), `(a="1", b=NULL)`; got != want {
		t.Errorf("whole row: %s, want %s", got, want)
	}
}

func TestRender(t *testing.T) {
	long := strings.Repeat("a", 300) + "b" + strings.Repeat("a", 99)
	other := strings.Repeat("a", 400)
	got := render("text", &long, &other)
	for _, want := range []string{"(400 bytes", "from byte 300: \"baaa"} {
		if !strings.Contains(got, want) {
			t.Errorf("render = %s, want it to contain %s", got, want)
		}
	}
	b := "\x00\xff"
	if got := render("bytes", &b, nil); got != "x'00FF'" {
		t.Errorf("render bytes = %s", got)
	}
	if got := render("text", nil, &b); got != "NULL" {
		t.Errorf("render NULL = %s", got)
	}
}
