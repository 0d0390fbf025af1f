package filter

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/sluicedb/sluice/internal/schema"
)

// testTable has one column of each kind filters read, all nullable but dn.
var testTable = &schema.Table{Database: "shop", Name: "orders", Columns: []schema.Column{
	{Name: "id", Kind: schema.KindInt, IntBytes: 4},
	{Name: "i", Kind: schema.KindInt, IntBytes: 4, Nullable: true},
	{Name: "u", Kind: schema.KindInt, IntBytes: 4, Unsigned: true, Nullable: true},
	{Name: "bu", Kind: schema.KindInt, IntBytes: 8, Unsigned: true, Nullable: true},
	{Name: "bi", Kind: schema.KindInt, IntBytes: 8, Nullable: true},
	{Name: "d", Kind: schema.KindDecimal, Precision: 30, Scale: 20, Nullable: true},
	{Name: "f", Kind: schema.KindFloat, Nullable: true},
	{Name: "dbl", Kind: schema.KindDouble, Nullable: true},
	{Name: "vg", Kind: schema.KindText, Charset: "utf8mb4", Nullable: true},
	{Name: "vb", Kind: schema.KindText, Charset: "utf8mb4", Nullable: true},
	{Name: "vu", Kind: schema.KindText, Charset: "utf8mb4", Nullable: true},
	{Name: "vn", Kind: schema.KindText, Charset: "utf8mb4", Nullable: true},
	{Name: "c", Kind: schema.KindText, Charset: "utf8mb4", FixedLength: true, Length: 4, Nullable: true},
	{Name: "bin", Kind: schema.KindBinary, Length: 8, Nullable: true},
	{Name: "bn", Kind: schema.KindBinary, Length: 3, FixedLength: true, Nullable: true},
	{Name: "dt", Kind: schema.KindDate, Nullable: true},
	{Name: "dtm", Kind: schema.KindDatetime, Scale: 6, Nullable: true},
	{Name: "ts", Kind: schema.KindTimestamp, Scale: 3, Nullable: true},
	{Name: "e", Kind: schema.KindEnum, Charset: "utf8mb4", Members: []string{"draft", "paid", "Shipped"}, Nullable: true},
	{Name: "js", Kind: schema.KindJSON, Nullable: true},
	{Name: "dn", Kind: schema.KindDate},
	{Name: "m3", Kind: schema.KindText, Charset: "utf8mb3", Nullable: true},
	{Name: "lat", Kind: schema.KindText, Charset: "latin1", Nullable: true},
}}

var testOptions = Options{Collations: map[string]string{
	"vg": "utf8mb4_general_ci", "vb": "utf8mb4_bin", "vu": "utf8mb4_unicode_ci", "vn": "utf8mb4_general_nopad_ci",
	"c": "utf8mb4_general_ci", "e": "utf8mb4_general_ci", "m3": "utf8mb3_general_ci", "lat": "latin1_swedish_ci",
}}

// row builds a row of testTable from column values; unnamed ones are NULL.
func row(vals map[string]any) []any {
	r := make([]any, len(testTable.Columns))
	for name, v := range vals {
		i := testTable.ColumnIndex(name)
		if i < 0 {
			panic("no column " + name)
		}
		r[i] = v
	}
	return r
}

func mustCompile(t *testing.T, expr string) *Filter {
	t.Helper()
	f, err := Compile(testTable, expr, testOptions)
	if err != nil {
		t.Fatalf("Compile(%q): %v", expr, err)
	}
	return f
}

type evalCase struct {
	expr string
	row  map[string]any
	want Tri
}

func runEval(t *testing.T, cases []evalCase) {
	t.Helper()
	for _, tc := range cases {
		f := mustCompile(t, tc.expr)
		got, err := f.Eval(row(tc.row))
		if err != nil {
			t.Errorf("%s on %v: %v", tc.expr, tc.row, err)
			continue
		}
		if got != tc.want {
			t.Errorf("%s on %v = %s, want %s", tc.expr, tc.row, got, tc.want)
		}
	}
}

func TestComparisonOperators(t *testing.T) {
	five := map[string]any{"i": int64(5)}
	runEval(t, []evalCase{
		{"i = 5", five, True}, {"i = 6", five, False},
		{"i <> 5", five, False}, {"i != 6", five, True},
		{"i < 6", five, True}, {"i < 5", five, False},
		{"i <= 5", five, True}, {"i > 5", five, False},
		{"i >= 5", five, True}, {"6 > i", five, True},
		{"i <=> 5", five, True}, {"i <=> NULL", five, False},
		{"i <=> NULL", nil, True}, {"i = NULL", five, Unknown},
		{"i = 5", nil, Unknown}, {"i <> 5", nil, Unknown},
		{"NULL <=> NULL", nil, True},
		{"(i = 5) = TRUE", five, True}, {"(i = 4) = FALSE", five, True},
		{"(i = 5) = 1", five, True}, {"(i > 1) < (i > 9)", five, False},
	})
}

func TestLogic(t *testing.T) {
	five := map[string]any{"i": int64(5)}
	runEval(t, []evalCase{
		{"i = 5 AND i > 1", five, True}, {"i = 5 AND i > 9", five, False},
		{"i = 5 AND NULL", five, Unknown}, {"i = 4 AND NULL", five, False},
		{"i = 5 OR NULL", five, True}, {"i = 4 OR NULL", five, Unknown},
		{"i = 4 OR i = 5", five, True}, {"i = 5 && i = 5 || FALSE", five, True},
		{"NOT i = 4", five, True}, {"NOT NULL", five, Unknown}, {"!(i = 5)", five, False},
		{"i = 5 XOR i = 4", five, True}, {"i = 5 XOR i = 5", five, False}, {"i = 5 XOR NULL", five, Unknown},
		{"(i = 5 AND (i = 4 OR i = 5))", five, True},
		{"i", five, True}, {"i", map[string]any{"i": int64(0)}, False}, {"i", nil, Unknown},
		{"NOT i", map[string]any{"i": int64(0)}, True},
		{"d", map[string]any{"d": []byte("0.00000000000000000001")}, True},
		{"dbl", map[string]any{"dbl": math.Copysign(0, -1)}, False},
		{"TRUE", nil, True}, {"0", nil, False}, {"NULL", nil, Unknown}, {"0.1", nil, True},
	})
}

func TestIsTests(t *testing.T) {
	runEval(t, []evalCase{
		{"i IS NULL", nil, True}, {"i IS NOT NULL", nil, False},
		{"i IS NULL", map[string]any{"i": int64(0)}, False},
		{"js IS NOT NULL", map[string]any{"js": `{}`}, True},
		{"(i = 1) IS NULL", nil, True},
		{"i = 1 IS TRUE", nil, False}, {"i = 1 IS NOT TRUE", nil, True},
		{"(i = 1) IS FALSE", nil, False}, {"(i = 1) IS NOT FALSE", nil, True},
		{"i IS TRUE", map[string]any{"i": int64(-3)}, True},
		{"i IS FALSE", map[string]any{"i": int64(0)}, True},
		{"f IS TRUE", map[string]any{"f": float32(0.5)}, True},
	})
}

func TestIn(t *testing.T) {
	five := map[string]any{"i": int64(5)}
	runEval(t, []evalCase{
		{"i IN (1, 5)", five, True}, {"i IN (1, 2)", five, False},
		{"i IN (1, NULL)", five, Unknown}, {"i IN (5, NULL)", five, True},
		{"i NOT IN (1, NULL)", five, Unknown}, {"i NOT IN (5, NULL)", five, False},
		{"i NOT IN (1, 2)", five, True}, {"i IN (1, 5)", nil, Unknown},
		{"i IN (NULL)", nil, Unknown}, {"i IN ('5', 7)", five, True},
		{"vg IN ('A', 'b')", map[string]any{"vg": "a "}, True},
		{"e IN ('PAID')", map[string]any{"e": []byte("paid")}, True},
		{"e IN ('PAID')", map[string]any{"e": int64(2)}, True},
	})
}

func TestBetween(t *testing.T) {
	five := map[string]any{"i": int64(5)}
	runEval(t, []evalCase{
		{"i BETWEEN 1 AND 5", five, True}, {"i BETWEEN 6 AND 9", five, False},
		{"i BETWEEN 9 AND 1", five, False}, {"i NOT BETWEEN 6 AND 9", five, True},
		{"i BETWEEN NULL AND 9", five, Unknown}, {"i BETWEEN NULL AND 4", five, False},
		{"i BETWEEN 6 AND NULL", five, False}, {"i NOT BETWEEN NULL AND 4", five, True},
		{"i BETWEEN 1 AND 9", nil, Unknown},
		{"dt BETWEEN '2024-01-01' AND '2024-12-31'", map[string]any{"dt": []byte("2024-06-30")}, True},
		{"vg BETWEEN 'a' AND 'b'", map[string]any{"vg": "B"}, True},
	})
}

func TestNumbers(t *testing.T) {
	runEval(t, []evalCase{
		// exact decimals: no rounding anywhere
		{"d = 0.3", map[string]any{"d": []byte("0.30000000000000000000")}, True},
		{"d = 0.30000000000000004", map[string]any{"d": "0.30000000000000004000"}, True},
		{"d > 0.1", map[string]any{"d": "0.10000000000000000001"}, True},
		{"d = 0", map[string]any{"d": []byte("-0.00000000000000000000")}, True},
		{"d = -0.0", map[string]any{"d": []byte("0.00000000000000000000")}, True},
		{"d < 100000000000000000000", map[string]any{"d": "9999999999.99999999999999999999"}, True},
		// approximate: as doubles
		{"d = 0.1e0", map[string]any{"d": "0.10000000000000000001"}, True},
		{"dbl = 0.3", map[string]any{"dbl": math.Nextafter(0.3, 1)}, False},
		{"dbl = 0.30000000000000004", map[string]any{"dbl": math.Nextafter(0.3, 1)}, True},
		{"dbl = 0", map[string]any{"dbl": math.Copysign(0, -1)}, True},
		{"dbl < 0", map[string]any{"dbl": math.Copysign(0, -1)}, False},
		{"dbl = -0e0", map[string]any{"dbl": 0.0}, True},
		{"f = 0.1", map[string]any{"f": float32(0.1)}, False},
		{"f = 0.5", map[string]any{"f": float32(0.5)}, True},
		{"f = '0.5'", map[string]any{"f": float32(0.5)}, True},
		{"dbl > i", map[string]any{"dbl": 5.5, "i": int64(5)}, True},
		// unsigned extremes on both paths
		{"bu = 18446744073709551615", map[string]any{"bu": []byte("18446744073709551615")}, True},
		{"bu = 18446744073709551615", map[string]any{"bu": int64(-1)}, True},
		{"bu = 18446744073709551615", map[string]any{"bu": uint64(math.MaxUint64)}, True},
		{"bu > 9223372036854775807", map[string]any{"bu": int64(math.MinInt64)}, True},
		{"bu > -1", map[string]any{"bu": int64(0)}, True},
		{"bu > bi", map[string]any{"bu": uint64(1 << 63), "bi": int64(math.MaxInt64)}, True},
		{"bi = -9223372036854775808", map[string]any{"bi": int64(math.MinInt64)}, True},
		{"bi < 9223372036854775808", map[string]any{"bi": int64(math.MaxInt64)}, True},
		{"bi = 9007199254740993", map[string]any{"bi": int64(9007199254740992)}, False},
		{"u = 4294967295", map[string]any{"u": int32(-1)}, True},
		{"u = 4294967295", map[string]any{"u": uint32(math.MaxUint32)}, True},
		{"u = 4294967295", map[string]any{"u": int64(4294967295)}, True},
		{"i = -1", map[string]any{"i": int32(-1)}, True},
		// strings as numbers: clean numerals only
		{"i = '5'", map[string]any{"i": int64(5)}, True},
		{"i = '5.0'", map[string]any{"i": int64(5)}, True},
		{"i = '1e1'", map[string]any{"i": int64(10)}, True},
		{"i < '-2.5'", map[string]any{"i": int64(-3)}, True},
	})
}

func TestStrings(t *testing.T) {
	runEval(t, []evalCase{
		{"vg = 'A'", map[string]any{"vg": "a"}, True},
		{"vg = 'é'", map[string]any{"vg": []byte("E")}, True},
		{"vg = 'a'", map[string]any{"vg": "a   "}, True},
		{"vg < 'a'", map[string]any{"vg": "a\t"}, True},
		{"vg = 'ß'", map[string]any{"vg": "s"}, True},
		{"vg = '😀'", map[string]any{"vg": "🙂"}, True},
		{"vu = 'ss'", map[string]any{"vu": "ß"}, True},
		{"vu = 'a'", map[string]any{"vu": "a\x00"}, True},
		{"vu = 'Å'", map[string]any{"vu": "a "}, True},
		{"vb = 'A'", map[string]any{"vb": "a"}, False},
		{"vb = 'a'", map[string]any{"vb": "a  "}, True},
		{"vb < 'b'", map[string]any{"vb": "a😀"}, True},
		{"vn = 'a'", map[string]any{"vn": "a "}, False},
		{"vn = 'A'", map[string]any{"vn": "a"}, True},
		{"c = 'ab'", map[string]any{"c": "ab  "}, True},
		{"m3 = 'A'", map[string]any{"m3": "a"}, True},
		{"bin = 'a'", map[string]any{"bin": []byte("a")}, True},
		{"bin = 'a'", map[string]any{"bin": []byte("a ")}, False},
		{"bin = 'A'", map[string]any{"bin": []byte("a")}, False},
		{"bn = 'ab'", map[string]any{"bn": "ab"}, False},
		{"bn = 'ab\\0'", map[string]any{"bn": "ab"}, True},
		{"bn = 'ab\\0'", map[string]any{"bn": []byte("ab\x00")}, True},
		{"e = 'PAID'", map[string]any{"e": int64(2)}, True},
		{"e = ''", map[string]any{"e": int64(0)}, True},
		{"e < 'q'", map[string]any{"e": int64(2)}, True},
		{"e > 'q'", map[string]any{"e": []byte("Shipped")}, True},
		{"vg = \"it's\"", map[string]any{"vg": "IT'S"}, True},
		{"vg = c", map[string]any{"vg": "AB", "c": "ab"}, True},
	})
}

func TestLike(t *testing.T) {
	runEval(t, []evalCase{
		{"vg LIKE 'a%'", map[string]any{"vg": "ABC"}, True},
		{"vg LIKE 'a_c'", map[string]any{"vg": "abc"}, True},
		{"vg LIKE 'a_c'", map[string]any{"vg": "ac"}, False},
		{"vg LIKE 'a'", map[string]any{"vg": "a "}, False}, // no PAD SPACE in LIKE
		{"vg LIKE '%'", map[string]any{"vg": ""}, True},
		{"vg LIKE '%b%'", map[string]any{"vg": "aaab"}, True},
		{"vg LIKE '%a%b%c'", map[string]any{"vg": "xaybzc"}, True},
		{"vg LIKE '%a%b%c'", map[string]any{"vg": "xaybzcd"}, False},
		{"vg LIKE 's'", map[string]any{"vg": "ß"}, True},   // general_ci: ß weighs as s
		{"vu LIKE 's'", map[string]any{"vu": "ß"}, False},  // unicode_ci: ß is two weights
		{"vu LIKE 'ss'", map[string]any{"vu": "ß"}, False}, // LIKE goes character by character
		{"vu LIKE '_'", map[string]any{"vu": "😀"}, True},
		{"vu LIKE '🙂'", map[string]any{"vu": "😀"}, False},
		{"vg LIKE '🙂'", map[string]any{"vg": "😀"}, True},
		{"vb LIKE 'A%'", map[string]any{"vb": "abc"}, False},
		{"vg LIKE 'a\\%'", map[string]any{"vg": "a%"}, True},
		{"vg LIKE 'a\\%'", map[string]any{"vg": "ab"}, False},
		{"vg LIKE 'a\\_'", map[string]any{"vg": "ab"}, False},
		{"vg LIKE 'a\\\\'", map[string]any{"vg": "a\\"}, True}, // pattern a\ : a trailing escape is literal
		{"vg LIKE 'a|%' ESCAPE '|'", map[string]any{"vg": "a%"}, True},
		{"vg LIKE 'a|%' ESCAPE '|'", map[string]any{"vg": "ab"}, False},
		{"vg LIKE 'a\\\\%' ESCAPE '|'", map[string]any{"vg": "a\\x"}, True},
		{"vg NOT LIKE 'a%'", map[string]any{"vg": "b"}, True},
		{"vg LIKE 'a%'", nil, Unknown},
		{"vg LIKE NULL", map[string]any{"vg": "a"}, Unknown},
		{"bin LIKE 'a_'", map[string]any{"bin": []byte("a\xff")}, True},
		{"bin LIKE 'A%'", map[string]any{"bin": []byte("a")}, False},
		{"e LIKE 'p%'", map[string]any{"e": int64(2)}, True},
		{"c LIKE 'ab'", map[string]any{"c": "ab  "}, True},
	})
}

func TestTemporal(t *testing.T) {
	runEval(t, []evalCase{
		{"dt = '2024-01-01'", map[string]any{"dt": []byte("2024-01-01")}, True},
		{"dt >= '2024-01-01'", map[string]any{"dt": "2023-12-31"}, False},
		{"dt = '2024-01-01 00:00:00'", map[string]any{"dt": "2024-01-01"}, True},
		{"dt < '2024-01-01'", map[string]any{"dt": "0000-00-00"}, True},
		{"dt < '2024-01-01'", map[string]any{"dt": "2024-00-15"}, True},
		{"dt > '2021-02-28'", map[string]any{"dt": "2021-02-31"}, True},
		{"dtm > '2024-01-01'", map[string]any{"dtm": "2024-01-01 00:00:00.000001"}, True},
		{"dtm = '2024-01-01 10:00:00.5'", map[string]any{"dtm": []byte("2024-01-01 10:00:00.500000")}, True},
		{"dtm = '2024-01-01T10:00:00.5'", map[string]any{"dtm": "2024-01-01 10:00:00.500000"}, True},
		{"dtm = TIMESTAMP '2024-01-01 10:00:00'", map[string]any{"dtm": "2024-01-01 10:00:00.000000"}, True},
		{"dtm > DATE '2024-01-01'", map[string]any{"dtm": "2024-01-01 00:00:00.000000"}, False},
		{"ts >= '2024-01-01'", map[string]any{"ts": "2024-01-01 00:00:00.000"}, True},
		{"dt < dtm", map[string]any{"dt": "2024-01-01", "dtm": "2024-01-01 00:00:01.000000"}, True},
		{"dn = '2024-01-01'", map[string]any{"dn": "2024-01-01"}, True},
	})
}

func TestValueErrors(t *testing.T) {
	for _, tc := range []struct {
		expr string
		row  map[string]any
		want string
	}{
		{"i = 1", map[string]any{"i": "1"}, "unexpected Go type string"},
		{"d = 1", map[string]any{"d": "1e3"}, "not decimal text"},
		{"dt = '2024-01-01'", map[string]any{"dt": "yesterday"}, "not date text"},
		{"e = 'paid'", map[string]any{"e": int64(7)}, "outside 0..3"},
		{"vg = 'a'", map[string]any{"vg": "\xff"}, "not valid UTF-8"},
		{"u = 1", map[string]any{"u": int64(-1)}, "negative int64"},
	} {
		_, err := mustCompile(t, tc.expr).Eval(row(tc.row))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s on %v: error %v, want one containing %q", tc.expr, tc.row, err, tc.want)
		}
	}
	if _, err := mustCompile(t, "m3 = 'a'").Eval([]any{1}); err == nil {
		t.Errorf("a short row evaluated without error")
	}
}

func TestRejected(t *testing.T) {
	for _, tc := range []struct{ expr, want string }{
		{"", "empty"},
		{"i = ", "syntax error"},
		{"i = 1; DELETE FROM t", "one condition"},
		{"i = 1 ORDER BY i", "one condition"},
		{"i = 1 LIMIT 1", "one condition"},
		{"nope = 1", "unknown column `nope`"},
		{"other.i = 1", "another table"},
		{"CONCAT(vg, 'x') = 'a'", "function CONCAT"},
		{"LOWER(vg) = 'a'", "function LOWER"},
		{"i + 1 = 2", "operator +"},
		{"-i = 2", "only supported on number literals"},
		{"i = (SELECT 1)", "subquery"},
		{"i IN (SELECT 1)", "subquery"},
		{"i = @v", "variable"},
		{"i = ?", "parameter marker"},
		{"vg REGEXP 'a'", "REGEXP"},
		{"vg = 'a' COLLATE utf8mb4_bin", "COLLATE"},
		{"CAST(vg AS SIGNED) = 1", "CAST"},
		{"CASE WHEN i THEN 1 END", "CASE"},
		{"vg ILIKE 'a'", "ILIKE"},
		{"vg = 5", "string column `vg` with a number"},
		{"e = 1", "string column `e` with a number"},
		{"vg = vb", "different collations"},
		{"vg = bin", "binary column"},
		{"'a' = 'A'", "string literals only"},
		{"vg", "not a condition"},
		{"js = '{}'", "json"},
		{"lat = 'a'", "latin1_swedish_ci"},
		{"vg = _utf8mb4'a'", "introducers"},
		{"vg = x'41'", "hexadecimal"},
		{"m3 = '😀'", "outside the BMP"},
		{"dt = '2024-1-1'", "is not a date"},
		{"dt = '2024-02-30'", "not a calendar date"},
		{"dt = '0000-00-00'", "not a calendar date"},
		{"dt = 20240101", "date/time with a number"},
		{"dt = '2024-01-01 10:00:00'", "time of day"},
		{"dt = TIME '10:00:00'", "TIME literals"},
		{"dn IS NULL", "zero date"},
		{"dt = DATE '2024-01-01 10:00:00'", "DATE literal takes"},
		{"i = '9007199254740993'", "15 significant digits"},
		{"i = ' 5'", "plain numeral"},
		{"i = 'abc'", "plain numeral"},
		{"d = '0.5'", "DECIMAL(30,20)"},
		{"i IN ('5', 9007199254740993)", "more than 15"},
		{"i = 0.5", "never equals a fraction"},
		{"i IN (1, 0.5)", "never equals a fraction"},
		{"i = 1e19", "2^53"},
		{"i IN (1, 2e0)", "exact numbers"},
		{"ts = '2024-01-01 10:00:00.0001'", "fraction-of-second"},
		{"i LIKE '1%'", "LIKE is supported on text"},
		{"vg LIKE vb", "pattern must be a string literal"},
		{"vg LIKE 'a' ESCAPE ''", "ESCAPE takes one ASCII"},
		{"i = 1e400", "syntax error"},
		{strings.Repeat("(", 300) + "i = 1" + strings.Repeat(")", 300), "nests deeper"},
	} {
		_, err := Compile(testTable, tc.expr, testOptions)
		var ce *CompileError
		if !errors.As(err, &ce) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Compile(%q) = %v, want a *CompileError containing %q", tc.expr, err, tc.want)
		}
	}
}

func TestMissingCollation(t *testing.T) {
	_, err := Compile(testTable, "vg = 'a'", Options{})
	if err == nil || !strings.Contains(err.Error(), "COLLATION_NAME") {
		t.Fatalf("err = %v, want one asking for COLLATION_NAME", err)
	}
	// A column only tested for NULL needs no collation.
	if _, err := Compile(testTable, "vg IS NULL", Options{}); err != nil {
		t.Fatal(err)
	}
}

func TestErrorPosition(t *testing.T) {
	_, err := Compile(testTable, "i = 1 AND LOWER(vg) = 'a'", testOptions)
	var ce *CompileError
	if !errors.As(err, &ce) || ce.Offset != 10 || ce.Expr != "LOWER(`vg`)" || ce.Table != "shop.orders" {
		t.Fatalf("err = %#v, want offset 10, LOWER(`vg`), shop.orders", err)
	}
}

func TestSQL(t *testing.T) {
	for _, tc := range []struct{ expr, want string }{
		{"i = 1 AND vg <> 'draft' OR dt >= '2024-01-01'", "(((`i` = 1) AND (`vg` <> 'draft')) OR (`dt` >= '2024-01-01'))"},
		{"NOT i BETWEEN -5 AND 5 XOR i IN (1, NULL)", "((NOT (`i` BETWEEN -5 AND 5)) XOR (`i` IN (1, NULL)))"},
		{"i != -(-5) && d = - 0.0 || f = 1e3", "(((`i` <> 5) AND (`d` = 0.0)) OR (`f` = 1e+03))"},
		{"vg LIKE 'it''s\\\\%' AND vb LIKE 'a|%' ESCAPE '|' AND vu LIKE 'a%'",
			"(((`vg` LIKE 'it''s\\\\%' ESCAPE '\\\\') AND (`vb` LIKE 'a|%' ESCAPE '|')) AND (`vu` LIKE 'a%'))"},
		{"dt = DATE '2024-01-01' OR dtm < {ts '2024-01-01 10:00:00.5'}", "((`dt` = DATE '2024-01-01') OR (`dtm` < TIMESTAMP '2024-01-01 10:00:00.500000'))"},
		{"i IS NOT NULL AND (i > 1) IS NOT TRUE AND TRUE", "(((`i` IS NOT NULL) AND ((`i` > 1) IS NOT TRUE)) AND TRUE)"},
		{"shop.orders.i = 1 AND orders.I = 2", "((`i` = 1) AND (`i` = 2))"},
		{"vg = \"a\\\"b\"", "(`vg` = 'a\"b')"},
	} {
		if got := mustCompile(t, tc.expr).SQL(); got != tc.want {
			t.Errorf("SQL(%q)\n got %s\nwant %s", tc.expr, got, tc.want)
		}
	}
}

func TestIssueExample(t *testing.T) {
	tb := &schema.Table{Database: "shop", Name: "orders", Columns: []schema.Column{
		{Name: "id", Kind: schema.KindInt, IntBytes: 8},
		{Name: "status", Kind: schema.KindEnum, Charset: "utf8mb4", Members: []string{"draft", "paid"}},
		{Name: "created_at", Kind: schema.KindDatetime, Nullable: true},
	}}
	f, err := Compile(tb, "status <> 'draft' AND created_at >= '2024-01-01'", Options{Collations: map[string]string{"status": "utf8mb4_0900_ai_ci"}})
	if err == nil || !strings.Contains(err.Error(), "utf8mb4_0900_ai_ci") {
		t.Fatalf("0900_ai_ci: err = %v, want it named as unsupported", err)
	}
	f, err = Compile(tb, "status <> 'draft' AND created_at >= '2024-01-01'", Options{Collations: map[string]string{"status": "utf8mb4_general_ci"}})
	if err != nil {
		t.Fatal(err)
	}
	if want := "((`status` <> 'draft') AND (`created_at` >= '2024-01-01'))"; f.SQL() != want {
		t.Errorf("SQL() = %s, want %s", f.SQL(), want)
	}
	if got := f.Columns(); strings.Join(got, ",") != "status,created_at" {
		t.Errorf("Columns() = %v", got)
	}
	for _, tc := range []struct {
		row  []any
		want Tri
	}{
		{[]any{int64(1), []byte("paid"), []byte("2024-03-01 00:00:00")}, True}, // snapshot
		{[]any{int64(1), int64(2), "2024-03-01 00:00:00"}, True},               // binlog
		{[]any{int64(1), int64(1), "2024-03-01 00:00:00"}, False},
		{[]any{int64(1), int64(2), nil}, Unknown},
		{[]any{int64(1), int64(2), "2023-12-31 23:59:59"}, False},
	} {
		if got, err := f.Eval(tc.row); err != nil || got != tc.want {
			t.Errorf("Eval(%v) = %s, %v; want %s", tc.row, got, err, tc.want)
		}
	}
}
