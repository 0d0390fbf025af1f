package verify

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/sluicedb/sluice/internal/schema"
)

func TestCanonicalNumber(t *testing.T) {
	for in, want := range map[string]string{
		"0": "0", "-0": "0", "0.000": "0", "1": "1e0", "1.0": "1e0", "10e-1": "1e0", "100": "1e2",
		"1E2": "1e2", "1e+2": "1e2", "-2.50": "-25e-1", "0.001": "1e-3", "9007199254740993": "9007199254740993e0",
		"123456789012345678901234567890": "12345678901234567890123456789e1", "1.5e300": "15e299",
	} {
		if got := canonicalNumber(in); got != want {
			t.Errorf("canonicalNumber(%s) = %s, want %s", in, got, want)
		}
	}
}

func TestCanonicalJSON(t *testing.T) {
	same := [][2]string{
		{`{"b": 1, "a": [1.0, "x"]}`, `{"a":[1,"x"],"b":1}`},
		{`{"a": 1, "a": 2}`, `{"a":2}`}, // the last duplicate wins, as in jsonb
		{`"ü\u00e9/"`, `"üé\/"`},
		{`{"s": "<&>"}`, `{"s":"\u003c\u0026\u003e"}`},
	}
	for _, c := range same {
		a, err1 := canonicalJSON(c[0])
		b, err2 := canonicalJSON(c[1])
		if err1 != nil || err2 != nil || a != b {
			t.Errorf("%s and %s: %q, %q (%v, %v)", c[0], c[1], a, b, err1, err2)
		}
	}
	differ := [][2]string{{`{"a": 1}`, `{"a": "1"}`}, {`[1, 2]`, `[2, 1]`}, {`{"a": null}`, `{}`}, {`1.5`, `1.50001`}}
	for _, c := range differ {
		a, _ := canonicalJSON(c[0])
		b, _ := canonicalJSON(c[1])
		if a == b {
			t.Errorf("%s and %s both render %q", c[0], c[1], a)
		}
	}
	if _, err := canonicalJSON(`{"a": `); err == nil {
		t.Error("broken JSON accepted")
	}
}

func TestCanonicalFloat(t *testing.T) {
	f := float32(16777216)
	next := math.Nextafter32(f, 1e9)
	a, _ := canonical(schema.KindFloat, f)
	b, _ := canonical(schema.KindFloat, next)
	w, _ := canonical(schema.KindFloat, float64(f)) // a float32 widened
	if *a == *b || *a != *w {
		t.Errorf("float: %s, next %s, widened %s", *a, *b, *w)
	}
	d := 0.1
	c, _ := canonical(schema.KindDouble, d)
	n, _ := canonical(schema.KindDouble, math.Nextafter(d, 1))
	z, _ := canonical(schema.KindDouble, math.Copysign(0, -1))
	p, _ := canonical(schema.KindDouble, 0.0)
	if *c == *n || *z == *p || *z != "-0" {
		t.Errorf("double: %s, next %s, -0 %s, +0 %s", *c, *n, *z, *p)
	}
	if _, err := canonical(schema.KindDouble, "0.1"); err == nil {
		t.Error("a float as text accepted")
	}
}

func TestCanonicalInet(t *testing.T) {
	for in, want := range map[string]string{"::ffff:1.2.3.4": "::ffff:1.2.3.4", "2001:DB8:0:0:0:0:0:1": "2001:db8::1", "::": "::"} {
		got, err := canonical(schema.KindInet6, in)
		if err != nil || *got != want {
			t.Errorf("%s: %v %v", in, got, err)
		}
	}
}

// FuzzCanonicalJSON checks that a JSON text and encoding/json's
// re-encoding of it (keys reordered, spacing and escapes changed, the last
// duplicate kept) have one canonical form.
func FuzzCanonicalJSON(f *testing.F) {
	for _, s := range []string{`{"b": 1, "a": [1.0, "x\u00e9\n"], "a": null}`, `[]`, `{}`, `"\ud83d\ude00"`,
		`{"v": 1, "tag": "say \"hi\"", "ok": true, "tags": ["x", 2]}`, `-0.0e+10`, `[{"": {"": []}}]`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return // both servers hold valid UTF-8 only
		}
		if !json.Valid([]byte(s)) {
			if _, err := canonicalJSON(s); err == nil && strings.TrimSpace(s) != "" {
				t.Skip() // lenient on what jsonb rejects anyway
			}
			return
		}
		d := json.NewDecoder(strings.NewReader(s))
		d.UseNumber()
		var v any
		if err := d.Decode(&v); err != nil {
			return
		}
		re, err := json.Marshal(v)
		if err != nil {
			return
		}
		a, err1 := canonicalJSON(s)
		b, err2 := canonicalJSON(string(re))
		if err1 != nil || err2 != nil || a != b {
			t.Errorf("%q → %q (%v)\n%q → %q (%v)", s, a, err1, re, b, err2)
		}
	})
}
