package value

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgtype"

	"github.com/sluicedb/sluice/internal/schema"
)

// tcase is one logical source value: its snapshot form, its binlog form (and
// the row image go-mysql decodes it from), and what both must become.
type tcase struct {
	name  string
	col   schema.Column
	pol   Policy
	snap  any       // snapshot input (go-sql-driver); none to skip the path
	bin   any       // binlog input (go-mysql); none to skip the path
	image *rowImage // the binlog row image bin is decoded from, checked under -tags gomysql
	want  any       // output on every path that is not skipped; nil = NULL
	fix   Fix
	err   string // when set, every path must fail with an *Error containing it
}

// none marks a path a case does not exercise.
type noInput struct{}

var none = noInput{}

// allCases is every case table, for the go-mysql cross-check.
func allCases() []tcase {
	var all []tcase
	for _, cs := range [][]tcase{integerCases, decimalCases, floatCases, bitCases, textCases, binaryCases,
		temporalCases, timeCases, enumSetCases, jsonCases, geometryCases, mariadbCases} {
		all = append(all, cs...)
	}
	return all
}

func runCases(t *testing.T, cases []tcase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			conv, err := New(&tc.col, tc.pol)
			if err != nil {
				t.Fatalf("New: %v", err)
			}
			var outs []any
			for _, p := range []path{snapshotPath, binlogPath} {
				in, fn := tc.snap, conv.Snapshot
				if p == binlogPath {
					in, fn = tc.bin, conv.Binlog
				}
				if _, skip := in.(noInput); skip {
					continue
				}
				got, fix, err := fn(in)
				if tc.err != "" {
					var ve *Error
					if !errors.As(err, &ve) || !strings.Contains(err.Error(), tc.err) {
						t.Fatalf("%s: err = %v, want *Error containing %q", p, err, tc.err)
					}
					if ve.Column != tc.col.Name {
						t.Fatalf("%s: Error.Column = %q, want %q", p, ve.Column, tc.col.Name)
					}
					continue
				}
				if err != nil {
					t.Fatalf("%s: %v", p, err)
				}
				if fix != tc.fix {
					t.Fatalf("%s: fix = %v, want %v", p, fix, tc.fix)
				}
				sameValue(t, p.String(), &tc.col, got, tc.want)
				outs = append(outs, got)
			}
			if len(outs) == 2 {
				// The invariant itself: both paths encode to the same bytes.
				a, b := pgEncode(t, &tc.col, outs[0]), pgEncode(t, &tc.col, outs[1])
				if !bytes.Equal(a, b) {
					t.Fatalf("snapshot and binlog outputs differ on the wire:\n%x\n%x", a, b)
				}
			}
		})
	}
}

// sameValue checks got has want's Go type and encodes to the same
// PostgreSQL binary bytes (which makes float comparison bit-exact).
func sameValue(t *testing.T, where string, col *schema.Column, got, want any) {
	t.Helper()
	if want == nil || got == nil {
		if want != nil || got != nil {
			t.Fatalf("%s: got %#v, want %#v", where, got, want)
		}
		return
	}
	if reflect.TypeOf(got) != reflect.TypeOf(want) {
		t.Fatalf("%s: got Go type %T, want %T", where, got, want)
	}
	g, w := pgEncode(t, col, got), pgEncode(t, col, want)
	if !bytes.Equal(g, w) {
		t.Fatalf("%s: got %#v\n(wire %x), want %#v\n(wire %x)", where, got, g, want, w)
	}
}

var typeMap = pgtype.NewMap()

// pgEncode encodes v as pgx would for the column's PostgreSQL type (§4).
func pgEncode(t *testing.T, col *schema.Column, v any) []byte {
	t.Helper()
	if v == nil {
		return nil
	}
	b, err := typeMap.Encode(targetOID(col), pgtype.BinaryFormatCode, v, nil)
	if err != nil {
		t.Fatalf("pgx cannot encode %T %#v for OID %d: %v", v, v, targetOID(col), err)
	}
	return b
}

// targetOID is the type map of SPEC §4, for the tests.
func targetOID(c *schema.Column) uint32 {
	switch c.Kind {
	case schema.KindInt:
		switch {
		case c.IntBytes == 8 && c.Unsigned:
			return pgtype.NumericOID
		case c.IntBytes == 8 || c.IntBytes == 4 && c.Unsigned:
			return pgtype.Int8OID
		case c.IntBytes >= 3 || c.IntBytes == 2 && c.Unsigned:
			return pgtype.Int4OID
		}
		return pgtype.Int2OID
	case schema.KindYear:
		return pgtype.Int2OID
	case schema.KindDecimal:
		return pgtype.NumericOID
	case schema.KindFloat:
		return pgtype.Float4OID
	case schema.KindDouble:
		return pgtype.Float8OID
	case schema.KindBit:
		return pgtype.BitOID
	case schema.KindText, schema.KindEnum, schema.KindSet:
		return pgtype.TextOID
	case schema.KindBinary, schema.KindGeometry:
		return pgtype.ByteaOID
	case schema.KindDate:
		return pgtype.DateOID
	case schema.KindDatetime:
		return pgtype.TimestampOID
	case schema.KindTimestamp:
		return pgtype.TimestamptzOID
	case schema.KindTime:
		return pgtype.IntervalOID
	case schema.KindJSON:
		return pgtype.JSONBOID
	case schema.KindUUID:
		return pgtype.UUIDOID
	case schema.KindInet4, schema.KindInet6:
		return pgtype.InetOID
	}
	return 0
}

// Column builders for the case tables.
func intCol(bytes int, unsigned bool) schema.Column {
	return schema.Column{Name: "n", Kind: schema.KindInt, IntBytes: bytes, Unsigned: unsigned, Nullable: true}
}

func textCol(charset string, fixed bool) schema.Column {
	return schema.Column{Name: "s", Kind: schema.KindText, Charset: charset, FixedLength: fixed, Length: 255, Nullable: true}
}

func kindCol(k schema.Kind) schema.Column {
	return schema.Column{Name: "c", Kind: k, Nullable: true}
}

func notNull(c schema.Column) schema.Column {
	c.Nullable = false
	return c
}

func TestNull(t *testing.T) {
	for _, tc := range allCases() {
		conv, err := New(&tc.col, tc.pol)
		if err != nil {
			t.Fatalf("%s: New: %v", tc.name, err)
		}
		for _, fn := range []func(any) (any, Fix, error){conv.Snapshot, conv.Binlog} {
			if v, fix, err := fn(nil); v != nil || fix != 0 || err != nil {
				t.Fatalf("%s: nil → %#v, %v, %v; want NULL", tc.name, v, fix, err)
			}
		}
	}
}
