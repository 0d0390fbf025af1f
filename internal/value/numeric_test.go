package value

import (
	"math"
	"math/big"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgtype"

	"github.com/sluicedb/sluice/internal/schema"
)

func num(digits string, exp int32) pgtype.Numeric {
	z, ok := new(big.Int).SetString(digits, 10)
	if !ok {
		panic("bad test digits " + digits)
	}
	return pgtype.Numeric{Int: z, Exp: exp, Valid: true}
}

var integerCases = []tcase{
	{name: "tinyint min", col: intCol(1, false), snap: int64(-128), bin: int8(-128), image: imgInt(1, 0x80, false, false), want: int64(-128)},
	{name: "tinyint max", col: intCol(1, false), snap: int64(127), bin: int8(127), image: imgInt(1, 0x7f, false, false), want: int64(127)},
	{name: "tinyint unsigned max", col: intCol(1, true), snap: int64(255), bin: uint8(255), image: imgInt(1, 0xff, true, false), want: int64(255)},
	{name: "tinyint unsigned max no signedness", col: intCol(1, true), snap: none, bin: int8(-1), image: imgInt(1, 0xff, false, true), want: int64(255)},
	{name: "smallint min", col: intCol(2, false), snap: int64(-32768), bin: int16(-32768), image: imgInt(2, 0x8000, false, false), want: int64(-32768)},
	{name: "smallint max", col: intCol(2, false), snap: int64(32767), bin: int16(32767), image: imgInt(2, 0x7fff, false, false), want: int64(32767)},
	{name: "smallint unsigned max", col: intCol(2, true), snap: int64(65535), bin: uint16(65535), image: imgInt(2, 0xffff, true, false), want: int64(65535)},
	{name: "smallint unsigned max no signedness", col: intCol(2, true), snap: none, bin: int16(-1), image: imgInt(2, 0xffff, false, true), want: int64(65535)},
	{name: "mediumint min", col: intCol(3, false), snap: int64(-8388608), bin: int32(-8388608), image: imgInt(3, 0x800000, false, false), want: int64(-8388608)},
	{name: "mediumint max", col: intCol(3, false), snap: int64(8388607), bin: int32(8388607), image: imgInt(3, 0x7fffff, false, false), want: int64(8388607)},
	{name: "mediumint unsigned max", col: intCol(3, true), snap: int64(16777215), bin: uint32(16777215), image: imgInt(3, 0xffffff, true, false), want: int64(16777215)},
	{name: "mediumint unsigned max no signedness", col: intCol(3, true), snap: none, bin: int32(-1), image: imgInt(3, 0xffffff, false, true), want: int64(16777215)},
	{name: "int min", col: intCol(4, false), snap: int64(math.MinInt32), bin: int32(math.MinInt32), image: imgInt(4, 0x80000000, false, false), want: int64(math.MinInt32)},
	{name: "int max", col: intCol(4, false), snap: int64(math.MaxInt32), bin: int32(math.MaxInt32), image: imgInt(4, 0x7fffffff, false, false), want: int64(math.MaxInt32)},
	{name: "int unsigned max", col: intCol(4, true), snap: int64(math.MaxUint32), bin: uint32(math.MaxUint32), image: imgInt(4, math.MaxUint32, true, false), want: int64(math.MaxUint32)},
	{name: "int unsigned max no signedness", col: intCol(4, true), snap: none, bin: int32(-1), image: imgInt(4, math.MaxUint32, false, true), want: int64(math.MaxUint32)},
	{name: "bigint min", col: intCol(8, false), snap: int64(math.MinInt64), bin: int64(math.MinInt64), image: imgInt(8, 1<<63, false, false), want: int64(math.MinInt64)},
	{name: "bigint max", col: intCol(8, false), snap: int64(math.MaxInt64), bin: int64(math.MaxInt64), image: imgInt(8, math.MaxInt64, false, false), want: int64(math.MaxInt64)},
	{name: "bigint unsigned 0", col: intCol(8, true), snap: int64(0), bin: uint64(0), image: imgInt(8, 0, true, false), want: num("0", 0)},
	{name: "bigint unsigned 2^63-1", col: intCol(8, true), snap: int64(math.MaxInt64), bin: uint64(math.MaxInt64), image: imgInt(8, math.MaxInt64, true, false), want: num("9223372036854775807", 0)},
	// Above 2^63 the driver hands out the decimal text.
	{name: "bigint unsigned 2^63", col: intCol(8, true), snap: []byte("9223372036854775808"), bin: uint64(1 << 63), image: imgInt(8, 1<<63, true, false), want: num("9223372036854775808", 0)},
	{name: "bigint unsigned max", col: intCol(8, true), snap: []byte("18446744073709551615"), bin: uint64(math.MaxUint64), image: imgInt(8, math.MaxUint64, true, false), want: num("18446744073709551615", 0)},
	{name: "bigint unsigned max no signedness", col: intCol(8, true), snap: none, bin: int64(-1), image: imgInt(8, math.MaxUint64, false, true), want: num("18446744073709551615", 0)},
	{name: "bigint unsigned 2^63 no signedness", col: intCol(8, true), snap: none, bin: int64(math.MinInt64), image: imgInt(8, 1<<63, false, true), want: num("9223372036854775808", 0)},
	{name: "bigint unsigned text overflow", col: intCol(8, true), snap: []byte("18446744073709551616"), bin: none, err: "not a decimal unsigned 64-bit integer"},
	{name: "year 0", col: kindCol(schema.KindYear), snap: int64(0), bin: 0, image: imgYear(0), want: int64(0)},
	{name: "year 1901", col: kindCol(schema.KindYear), snap: int64(1901), bin: 1901, image: imgYear(1901), want: int64(1901)},
	{name: "year 2155", col: kindCol(schema.KindYear), snap: int64(2155), bin: 2155, image: imgYear(2155), want: int64(2155)},
	{name: "int wrong snapshot type", col: intCol(4, false), snap: []byte("1"), bin: none, err: "expected int64"},
	{name: "int width mismatch", col: intCol(4, false), snap: none, bin: int8(1), err: "1 bytes wide but the column is 4"},
	{name: "signed column unsigned value", col: intCol(4, false), snap: none, bin: uint32(math.MaxUint32), err: "exceeds the signed 4-byte range"},
	{name: "unsigned column negative snapshot", col: intCol(4, true), snap: int64(-1), bin: none, err: "negative in an UNSIGNED column"},
	{name: "year wrong binlog type", col: kindCol(schema.KindYear), snap: none, bin: int64(2000), err: "expected int"},
}

var floatCases = []tcase{
	{name: "float -0", col: kindCol(schema.KindFloat), snap: float32(math.Copysign(0, -1)), bin: float32(math.Copysign(0, -1)), image: imgFloat(float32(math.Copysign(0, -1))), want: float32(math.Copysign(0, -1))},
	{name: "float smallest subnormal", col: kindCol(schema.KindFloat), snap: float32(math.SmallestNonzeroFloat32), bin: float32(math.SmallestNonzeroFloat32), image: imgFloat(math.SmallestNonzeroFloat32), want: float32(math.SmallestNonzeroFloat32)},
	{name: "float max", col: kindCol(schema.KindFloat), snap: float32(math.MaxFloat32), bin: float32(math.MaxFloat32), image: imgFloat(math.MaxFloat32), want: float32(math.MaxFloat32)},
	{name: "float 0.1", col: kindCol(schema.KindFloat), snap: float32(0.1), bin: float32(0.1), image: imgFloat(0.1), want: float32(0.1)},
	{name: "double -0", col: kindCol(schema.KindDouble), snap: math.Copysign(0, -1), bin: math.Copysign(0, -1), image: imgDouble(math.Copysign(0, -1)), want: math.Copysign(0, -1)},
	{name: "double smallest subnormal", col: kindCol(schema.KindDouble), snap: math.SmallestNonzeroFloat64, bin: math.SmallestNonzeroFloat64, image: imgDouble(math.SmallestNonzeroFloat64), want: math.SmallestNonzeroFloat64},
	{name: "double max", col: kindCol(schema.KindDouble), snap: math.MaxFloat64, bin: math.MaxFloat64, image: imgDouble(math.MaxFloat64), want: math.MaxFloat64},
	{name: "float given float64", col: kindCol(schema.KindFloat), snap: 0.1, bin: 0.1, err: "expected float32"},
	{name: "double given float32", col: kindCol(schema.KindDouble), snap: float32(0.1), bin: float32(0.1), err: "expected float64"},
}

func decCol(p, s int) schema.Column {
	return schema.Column{Name: "d", Kind: schema.KindDecimal, Precision: p, Scale: s, Nullable: true}
}

var (
	dec65Max = strings.Repeat("9", 35) + "." + strings.Repeat("9", 30)
	dec65Min = "0." + strings.Repeat("0", 29) + "1"
)

var decimalCases = []tcase{
	{name: "decimal(65,30) max", col: decCol(65, 30), snap: []byte(dec65Max), bin: dec65Max, image: imgDecimal(dec65Max, 65, 30), want: num(strings.Repeat("9", 65), -30)},
	{name: "decimal(65,30) -max", col: decCol(65, 30), snap: []byte("-" + dec65Max), bin: "-" + dec65Max, image: imgDecimal("-"+dec65Max, 65, 30), want: num("-"+strings.Repeat("9", 65), -30)},
	{name: "decimal(65,30) smallest", col: decCol(65, 30), snap: []byte(dec65Min), bin: dec65Min, image: imgDecimal(dec65Min, 65, 30), want: num("1", -30)},
	{name: "decimal(65,30) mixed groups", col: decCol(65, 30), snap: []byte("-12345678901234567890.000000000000000000000000000123"), bin: "-12345678901234567890.000000000000000000000000000123",
		image: imgDecimal("-12345678901234567890.000000000000000000000000000123", 65, 30), want: num("-12345678901234567890000000000000000000000000000123", -30)},
	{name: "decimal(10,2) zero", col: decCol(10, 2), snap: []byte("0.00"), bin: "0.00", image: imgDecimal("0.00", 10, 2), want: num("0", -2)},
	{name: "decimal(10,2) -0.05", col: decCol(10, 2), snap: []byte("-0.05"), bin: "-0.05", image: imgDecimal("-0.05", 10, 2), want: num("-5", -2)},
	{name: "decimal(10,2) max", col: decCol(10, 2), snap: []byte("99999999.99"), bin: "99999999.99", image: imgDecimal("99999999.99", 10, 2), want: num("9999999999", -2)},
	{name: "decimal(5,0)", col: decCol(5, 0), snap: []byte("-99999"), bin: "-99999", image: imgDecimal("-99999", 5, 0), want: num("-99999", 0)},
	{name: "decimal(20,0) past uint64", col: decCol(20, 0), snap: []byte("99999999999999999999"), bin: "99999999999999999999", image: imgDecimal("99999999999999999999", 20, 0), want: num("99999999999999999999", 0)},
	{name: "decimal short scale padded", col: decCol(10, 3), snap: []byte("1.5"), bin: "1.5", want: num("1500", -3)},
	{name: "decimal extra zero digit", col: decCol(10, 2), snap: []byte("1.230"), bin: "1.230", want: num("123", -2)},
	{name: "decimal extra nonzero digit", col: decCol(10, 2), snap: []byte("1.234"), bin: "1.234", err: "more fraction digits"},
	{name: "decimal two points", col: decCol(10, 2), snap: []byte("1.2.3"), bin: "1.2.3", err: "two points"},
	{name: "decimal exponent", col: decCol(10, 2), snap: []byte("1e5"), bin: "1e5", err: "unexpected character"},
	{name: "decimal empty", col: decCol(10, 2), snap: []byte(""), bin: "-", err: "no digits"},
	{name: "decimal as float", col: decCol(10, 2), snap: 1.5, bin: 1.5, err: "has Go type float64"},
}

var bitCases = []tcase{
	{name: "bit(1) 1", col: bitCol(1), snap: []byte{0x01}, bin: int64(1), image: imgBit(1, 1), want: pgtype.Bits{Bytes: []byte{0x80}, Len: 1, Valid: true}},
	{name: "bit(1) 0", col: bitCol(1), snap: []byte{0x00}, bin: int64(0), image: imgBit(1, 0), want: pgtype.Bits{Bytes: []byte{0x00}, Len: 1, Valid: true}},
	{name: "bit(3) 101", col: bitCol(3), snap: []byte{0x05}, bin: int64(5), image: imgBit(3, 5), want: pgtype.Bits{Bytes: []byte{0xa0}, Len: 3, Valid: true}},
	{name: "bit(10) all ones", col: bitCol(10), snap: []byte{0x03, 0xff}, bin: int64(1023), image: imgBit(10, 1023), want: pgtype.Bits{Bytes: []byte{0xff, 0xc0}, Len: 10, Valid: true}},
	{name: "bit(64) top bit", col: bitCol(64), snap: []byte{0x80, 0, 0, 0, 0, 0, 0, 0}, bin: int64(math.MinInt64), image: imgBit(64, 1<<63),
		want: pgtype.Bits{Bytes: []byte{0x80, 0, 0, 0, 0, 0, 0, 0}, Len: 64, Valid: true}},
	{name: "bit(64) all ones", col: bitCol(64), snap: []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, bin: int64(-1), image: imgBit(64, math.MaxUint64),
		want: pgtype.Bits{Bytes: []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, Len: 64, Valid: true}},
	{name: "bit(3) value too wide", col: bitCol(3), snap: []byte{0x08}, bin: int64(8), err: "bits set above bit 3"},
	{name: "bit(10) short snapshot", col: bitCol(10), snap: []byte{0x01}, bin: none, err: "has 1 bytes, want 2"},
}

func bitCol(n int64) schema.Column {
	return schema.Column{Name: "b", Kind: schema.KindBit, Length: n, Nullable: true}
}

func TestIntegers(t *testing.T) { runCases(t, integerCases) }
func TestFloats(t *testing.T)   { runCases(t, floatCases) }
func TestDecimals(t *testing.T) { runCases(t, decimalCases) }
func TestBits(t *testing.T)     { runCases(t, bitCases) }
