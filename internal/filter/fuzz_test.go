package filter

import (
	"testing"
)

// fuzzRows are rows in both readers' forms, with NULLs and edge values.
var fuzzRows = [][]any{
	row(nil),
	row(map[string]any{"i": int64(5), "u": int32(-1), "bu": []byte("18446744073709551615"), "bi": int64(-1 << 63),
		"d": []byte("-0.00000000000000000001"), "f": float32(0.1), "dbl": -0.0, "vg": []byte("Aß😀 "), "vb": "a\t",
		"vu": "ǅ\x00", "vn": "", "c": "ab  ", "bin": []byte{0xff, 0}, "bn": "a", "dt": []byte("0000-00-00"),
		"dtm": "2024-01-01 10:00:00.500000", "ts": "2038-01-19 03:14:07.999", "e": int64(3), "js": "{}",
		"dn": "2021-02-31", "m3": "é", "lat": "x"}),
	row(map[string]any{"i": int8(-1), "u": uint32(7), "bu": int64(-1), "bi": int64(9007199254740993),
		"d": "99999999.99999999999999999999", "f": float32(16777216), "dbl": 1e300, "vg": "%_\\", "vb": []byte("é"),
		"vu": "ss", "vn": "A ", "c": "", "bin": "", "bn": []byte("abc"), "dt": "2024-02-29",
		"dtm": []byte("0000-00-00 00:00:00.000000"), "ts": []byte("1970-01-01 00:00:01.000"), "e": []byte("paid"),
		"dn": []byte("2024-00-00"), "m3": []byte("ß")}),
}

// FuzzCompile feeds arbitrary text to Compile: it must never panic, an
// accepted filter must evaluate every row without panicking, and its SQL()
// must compile again to the same SQL().
func FuzzCompile(f *testing.F) {
	for _, s := range []string{
		"i = 1", "i = 1 AND vg <> 'draft' OR dt >= '2024-01-01'", "i IN (1, NULL) XOR NOT d BETWEEN 0.1 AND 1e3",
		"vg LIKE 'a\\%_' ESCAPE '\\\\'", "vu NOT LIKE '%ß%'", "(i > 1) IS NOT TRUE", "e = 'paid' AND bu > -1",
		"dtm < TIMESTAMP '2024-01-01 00:00:00'", "{d '2024-01-01'} = dt", "bin = 'a' AND bn <=> NULL",
		"i = '5' OR f = '0.5'", "-(-(i)) = 1", "CONCAT(vg) = 1", "i = 1; DROP TABLE t", "((((i))))",
		"vg = \"x\" OR vb = 'y''z'", "i = 0x41", "NOT NOT NOT i", "i LIKE 1", "", "/*! i = 1 */",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, expr string) {
		flt, err := Compile(testTable, expr, testOptions)
		if err != nil {
			if _, ok := err.(*CompileError); !ok {
				t.Fatalf("Compile(%q) returned %T, want *CompileError", expr, err)
			}
			return
		}
		for _, r := range fuzzRows {
			flt.Eval(r) //nolint:errcheck // errors are fine here, panics are not
		}
		again, err := Compile(testTable, flt.SQL(), testOptions)
		if err != nil {
			t.Fatalf("SQL() of %q does not compile: %s: %v", expr, flt.SQL(), err)
		}
		if again.SQL() != flt.SQL() {
			t.Fatalf("SQL() is not stable for %q:\n%s\n%s", expr, flt.SQL(), again.SQL())
		}
		for _, r := range fuzzRows {
			a, errA := flt.Eval(r)
			b, errB := again.Eval(r)
			if a != b || (errA == nil) != (errB == nil) {
				t.Fatalf("%q and its SQL() %s disagree: %s/%v vs %s/%v", expr, flt.SQL(), a, errA, b, errB)
			}
		}
	})
}
