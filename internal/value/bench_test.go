package value

import (
	"testing"

	"github.com/sluicedb/sluice/internal/schema"
)

// benchRow is a typical row of an orders table as the snapshot reader scans
// it, and the same row as go-mysql decodes it from the binlog.
var (
	benchCols = []schema.Column{
		{Name: "id", Kind: schema.KindInt, IntBytes: 8},
		{Name: "customer", Kind: schema.KindText, Charset: "utf8mb4", Length: 100},
		{Name: "total", Kind: schema.KindDecimal, Precision: 10, Scale: 2},
		{Name: "created", Kind: schema.KindDatetime},
		{Name: "qty", Kind: schema.KindInt, IntBytes: 2},
		{Name: "weight", Kind: schema.KindDouble},
		{Name: "note", Kind: schema.KindText, Charset: "utf8mb4", Length: 65535, Nullable: true},
		{Name: "status", Kind: schema.KindEnum, Members: []string{"new", "paid", "shipped"}},
		{Name: "flags", Kind: schema.KindInt, IntBytes: 1, Unsigned: true},
		{Name: "ref", Kind: schema.KindBinary, Length: 16, FixedLength: true},
	}
	benchSnapshot = []any{int64(1234567), []byte("Zoë Example"), []byte("1234.50"), []byte("2024-05-06 07:08:09"),
		int64(3), 12.75, nil, []byte("paid"), int64(1), []byte(uuidV4Bytes)}
	benchBinlog = []any{int64(1234567), "Zoë Example", "1234.50", "2024-05-06 07:08:09",
		int16(3), 12.75, nil, int64(2), uint8(1), uuidV4Bytes}
)

func benchConverters(b *testing.B) []*Converter {
	convs := make([]*Converter, len(benchCols))
	for i := range benchCols {
		c, err := New(&benchCols[i], Policy{})
		if err != nil {
			b.Fatal(err)
		}
		convs[i] = c
	}
	return convs
}

// BenchmarkSnapshot converts one typical row per iteration. The allocations
// are the values pgx needs as new Go objects: the numeric (its big.Int with
// the digits inline, and the boxed pgtype.Numeric), the boxed
// pgtype.Timestamp and the boxed text string. Integers, floats, ENUM labels
// and BINARY bytes pass through without allocating.
func BenchmarkSnapshot(b *testing.B) {
	convs := benchConverters(b)
	out := make([]any, len(convs))
	b.ReportAllocs()
	for b.Loop() {
		for i, c := range convs {
			v, _, err := c.Snapshot(benchSnapshot[i])
			if err != nil {
				b.Fatal(err)
			}
			out[i] = v
		}
	}
}

func BenchmarkBinlog(b *testing.B) {
	convs := benchConverters(b)
	out := make([]any, len(convs))
	b.ReportAllocs()
	for b.Loop() {
		for i, c := range convs {
			v, _, err := c.Binlog(benchBinlog[i])
			if err != nil {
				b.Fatal(err)
			}
			out[i] = v
		}
	}
}

func TestBenchRowsAgree(t *testing.T) {
	for i := range benchCols {
		conv, err := New(&benchCols[i], Policy{})
		if err != nil {
			t.Fatal(err)
		}
		s, _, err1 := conv.Snapshot(benchSnapshot[i])
		bl, _, err2 := conv.Binlog(benchBinlog[i])
		if err1 != nil || err2 != nil {
			t.Fatalf("%s: %v, %v", benchCols[i].Name, err1, err2)
		}
		sameValue(t, benchCols[i].Name, &benchCols[i], bl, s)
	}
}
