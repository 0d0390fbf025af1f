package value

import (
	"fmt"
	"math/big"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/jackc/pgx/v5/pgtype"

	"github.com/sluicedb/sluice/internal/schema"
)

// The parsers must never panic, and whatever they accept they must read
// exactly: a date is never normalised, a decimal never rounded.

func FuzzParseDateTime(f *testing.F) {
	for _, s := range []string{"2020-01-02", "0000-00-00 00:00:00.000000", "2020-00-15 10:11:12.5", "9999-12-31 23:59:59.999999",
		"2021-02-31", "0001-01-01 00:00:00", "2020-01-02 03:04:05.", "2020-01-02T03:04:05", "-001-01-01", "2020-01-02 03:04:05.1234567"} {
		f.Add(s)
	}
	col := notNull(scaled(schema.KindDatetime, 6))
	conv, err := New(&col, Policy{})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string) {
		parseDateTime(s, true)
		c, ok := parseDateTime(s, false)
		if !ok {
			return
		}
		if got := fmt.Sprintf("%04d-%02d-%02d", c.year, c.month, c.day); got != s[:10] {
			t.Fatalf("%q parsed as date %s", s, got)
		}
		if c.month > 12 || c.day > 31 || c.hour > 23 || c.minute > 59 || c.sec > 59 || c.usec > 999999 {
			t.Fatalf("%q parsed out of range: %+v", s, c)
		}
		out, _, err := conv.Snapshot([]byte(s))
		if err != nil {
			return
		}
		v := out.(pgtype.Timestamp)
		if v.InfinityModifier != pgtype.Finite {
			if c.year != 0 && c.month != 0 && c.day != 0 {
				t.Fatalf("%q became %v", s, v.InfinityModifier)
			}
			return
		}
		tm := v.Time
		if tm.Year() != c.year || int(tm.Month()) != c.month || tm.Day() != c.day || tm.Hour() != c.hour ||
			tm.Minute() != c.minute || tm.Second() != c.sec || tm.Nanosecond() != c.usec*1000 {
			t.Fatalf("%q normalised to %v", s, tm)
		}
	})
}

func FuzzParseTime(f *testing.F) {
	for _, s := range []string{"838:59:59", "-838:59:59.999999", "-00:00:00.5", "24:00:00", "00:00:00", "1:00:00", "839:00:00", "-:00:00", "12:34:56."} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		us, ok := parseTime(s)
		if !ok {
			return
		}
		const limit = ((838*60+59)*60+59)*1_000_000 + 999_999
		if us > limit || us < -limit {
			t.Fatalf("%q parsed to %d µs, beyond ±838:59:59.999999", s, us)
		}
		abs, sign := us, ""
		if abs < 0 {
			abs, sign = -abs, "-"
		}
		again := fmt.Sprintf("%s%02d:%02d:%02d.%06d", sign, abs/3_600_000_000, abs/60_000_000%60, abs/1_000_000%60, abs%1_000_000)
		if back, ok := parseTime(again); !ok || back != us {
			t.Fatalf("%q → %d µs → %q → %d, %v", s, us, again, back, ok)
		}
	})
}

func FuzzParseDecimal(f *testing.F) {
	for _, s := range []string{"0", "-0.00", "123.45", dec65Max, "-" + dec65Max, "1.", ".5", "+7", "1e5", "--1", "00012.3400", "1.2.3"} {
		f.Add(s, uint8(2))
	}
	f.Fuzz(func(t *testing.T, s string, scale uint8) {
		sc := int(scale % 31)
		n, errText := parseDecimal(s, sc)
		if errText != "" {
			return
		}
		want, ok := new(big.Rat).SetString(s)
		if !ok {
			t.Fatalf("%q accepted but is not a number", s)
		}
		got := new(big.Rat).SetFrac(n.Int, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(-n.Exp)), nil))
		if got.Cmp(want) != 0 || n.Exp != -int32(sc) {
			t.Fatalf("%q (scale %d) parsed to %s·10^%d", s, sc, n.Int, n.Exp)
		}
	})
}

// FuzzConvert throws arbitrary bytes at every kind on both paths: errors are
// fine, panics are not, and text results are always storable.
func FuzzConvert(f *testing.F) {
	f.Add([]byte("2020-01-01"), uint8(0))
	f.Add([]byte("a\x00\xff"), uint8(1))
	f.Add([]byte(`"\u0000\\`), uint8(2))
	cols := []schema.Column{
		textCol("utf8mb4", true), textCol("latin1", false), textCol("ascii", false), mysqlJSON, decCol(65, 30), decCol(5, 0),
		dateCol, notNull(scaled(schema.KindTimestamp, 3)), scaled(schema.KindTime, 6), bitCol(64), bitCol(3),
		binCol(16, true), binCol(10, false), memberCol(schema.KindEnum, abc...), memberCol(schema.KindSet, abc...),
		geomCol, uuidCol, inet4Col, inet6Col, intCol(8, true), kindCol(schema.KindYear), kindCol(schema.KindFloat),
	}
	var convs [2][]*Converter
	for i, p := range []Policy{{}, {BadText: BadTextStrip, ZeroDateNotNull: ZeroDateFail}} {
		for j := range cols {
			c, err := New(&cols[j], p)
			if err != nil {
				f.Fatal(err)
			}
			convs[i] = append(convs[i], c)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte, pick uint8) {
		for _, cs := range convs {
			c := cs[int(pick)%len(cs)]
			for _, in := range []any{data, string(data), int64(len(data))} {
				for _, fn := range []func(any) (any, Fix, error){c.Snapshot, c.Binlog} {
					out, _, err := fn(in)
					if err != nil {
						continue
					}
					if s, ok := out.(string); ok && (!utf8.ValidString(s) || strings.IndexByte(s, 0) >= 0 || c.op == opJSON && nulEscape(s) >= 0) {
						t.Fatalf("column %s returned unstorable text %q", c.typ, s)
					}
				}
			}
		}
	})
}
