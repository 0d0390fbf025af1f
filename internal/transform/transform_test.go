package transform

import (
	"strings"
	"testing"
)

func TestApply(t *testing.T) {
	for _, c := range []struct {
		expr string
		in   any
		want any
	}{
		{"lower", "ÀbC", "àbc"}, {"upper", "straße", "STRAßE"}, {"trim", "  x \t", "x"},
		{"substring(2)", "héllo", "éllo"}, {"substring(2, 3)", "héllo", "éll"}, {"substring(9, 3)", "abc", ""},
		{"sha256", "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
		{"sha256", []byte("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
		{"redact", "secret", "******"}, {"redact(4)", "4111111111111111", "************1111"}, {"redact(9)", "abc", "abc"},
		{"const('n/a')", "x", "n/a"}, {"const('it''s')", nil, "it's"}, {"null", "x", nil},
		{"concat('id-', $value, ', x')", "7", "id-7, x"}, {"lower", nil, nil},
	} {
		f, err := Parse(c.expr)
		if err != nil {
			t.Errorf("%s: %v", c.expr, err)
			continue
		}
		got, err := f.Apply(c.in)
		if err != nil || got != c.want {
			t.Errorf("%s(%v) = %v, %v; want %v", c.expr, c.in, got, err, c.want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	for expr, want := range map[string]string{
		"md5": "unknown transform", "lower(1)": "no arguments", "substring": "(start[, length])",
		"substring(0)": "start from 1", "redact(a)": "whole numbers", "const(x)": "one quoted text",
		"concat(a)": "not a", "concat('a": "a ( without", "concat('a)": "unterminated quote",
	} {
		if _, err := Parse(expr); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", expr, err, want)
		}
	}
	if _, err := ParseAdded("$schema"); err == nil {
		t.Error("$schema accepted")
	}
	a, err := ParseAdded("'eu-1'")
	if err != nil || a.Value("d", "t", nil) != "eu-1" || a.PGType() != "text" {
		t.Errorf("constant: %v %v", a, err)
	}
}
