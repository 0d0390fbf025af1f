package value

import (
	"math"
	"strconv"
	"strings"
)

// MySQL row-image encoders for the tests: each returns the bytes a server
// writes for one column value in a binlog row event, with the TABLE_MAP type
// and metadata. Under -tags gomysql (binlog_harness_test.go) every case's
// image is decoded by go-mysql and must equal the case's binlog input, which
// proves the inputs the other tests feed to Binlog are the decoder's real
// output. The encoders follow MySQL's my_*_packed_to_binary, decimal2bin and
// Field_*::pack.

// MySQL column type codes (include/field_types.h).
const (
	tTiny       = 1
	tShort      = 2
	tLong       = 3
	tFloat      = 4
	tDouble     = 5
	tLongLong   = 8
	tInt24      = 9
	tDate       = 10
	tYear       = 13
	tVarchar    = 15
	tBit        = 16
	tTimestamp2 = 17
	tDatetime2  = 18
	tTime2      = 19
	tJSON       = 0xf5
	tNewDecimal = 0xf6
	tEnum       = 0xf7
	tSet        = 0xf8
	tBlob       = 0xfc
	tString     = 0xfe
	tGeometry   = 0xff
)

// binlogCol is one column of a TABLE_MAP event.
type binlogCol struct {
	typ      byte   // MySQL type code
	meta     []byte // TABLE_MAP metadata bytes for the type
	unsigned bool   // SIGNEDNESS metadata marks the column unsigned
	noSign   bool   // numeric column without SIGNEDNESS metadata (binlog_row_metadata absent)
}

// rowImage is one column value as a server writes it to the binlog.
type rowImage struct {
	col       binlogCol
	data      []byte
	mysqlText bool // decode with go-mysql RenderJSONAsMySQLText
}

func leBytes(v uint64, n int) []byte {
	b := make([]byte, n)
	for i := range n {
		b[i] = byte(v >> (8 * i))
	}
	return b
}

func beBytes(v uint64, n int) []byte {
	b := make([]byte, n)
	for i := n - 1; i >= 0; i-- {
		b[i] = byte(v)
		v >>= 8
	}
	return b
}

// imgInt encodes an integer of width bytes; sign selects the metadata.
func imgInt(width int, bits uint64, unsigned, noSign bool) *rowImage {
	typ := map[int]byte{1: tTiny, 2: tShort, 3: tInt24, 4: tLong, 8: tLongLong}[width]
	return &rowImage{col: binlogCol{typ: typ, unsigned: unsigned, noSign: noSign}, data: leBytes(bits, width)}
}

func imgFloat(f float32) *rowImage {
	return &rowImage{col: binlogCol{typ: tFloat, meta: []byte{4}}, data: leBytes(uint64(math.Float32bits(f)), 4)}
}

func imgDouble(f float64) *rowImage {
	return &rowImage{col: binlogCol{typ: tDouble, meta: []byte{8}}, data: leBytes(math.Float64bits(f), 8)}
}

func imgYear(y int) *rowImage {
	b := byte(0)
	if y != 0 {
		b = byte(y - 1900)
	}
	return &rowImage{col: binlogCol{typ: tYear}, data: []byte{b}}
}

// imgDecimal encodes decimal text as DECIMAL(p,s) (decimal2bin).
func imgDecimal(text string, p, s int) *rowImage {
	dig2bytes := [10]int{0, 1, 1, 2, 2, 3, 3, 4, 4, 4}
	neg := strings.HasPrefix(text, "-")
	ip, fp, _ := strings.Cut(strings.TrimPrefix(text, "-"), ".")
	intg := p - s
	ip = strings.Repeat("0", intg-len(ip)) + ip
	fp += strings.Repeat("0", s-len(fp))
	var out []byte
	put := func(digits string) {
		v, _ := strconv.ParseUint(digits, 10, 32)
		out = append(out, beBytes(v, dig2bytes[len(digits)])...)
	}
	if x := intg % 9; x > 0 {
		put(ip[:x])
	}
	for i := intg % 9; i < len(ip); i += 9 {
		put(ip[i : i+9])
	}
	for i := 0; i+9 <= len(fp); i += 9 {
		put(fp[i : i+9])
	}
	if x := s % 9; x > 0 {
		put(fp[len(fp)-x:])
	}
	if neg {
		for i := range out {
			out[i] ^= 0xff
		}
	}
	out[0] ^= 0x80
	return &rowImage{col: binlogCol{typ: tNewDecimal, meta: []byte{byte(p), byte(s)}}, data: out}
}

func imgBit(n int, u uint64) *rowImage {
	return &rowImage{col: binlogCol{typ: tBit, meta: []byte{byte(n % 8), byte(n / 8)}}, data: beBytes(u, (n+7)/8)}
}

// imgChar encodes CHAR/BINARY(n) (n bytes at most 255) the way
// Field_string::pack does: without trailing pad bytes (pad is ' ' for text,
// 0x00 for binary).
func imgChar(n int, v string, pad byte) *rowImage {
	v = strings.TrimRight(v, string(pad))
	return &rowImage{col: binlogCol{typ: tString, meta: []byte{tString, byte(n)}}, data: append([]byte{byte(len(v))}, v...)}
}

func imgVarchar(maxBytes int, v string) *rowImage {
	data := leBytes(uint64(len(v)), 1)
	if maxBytes > 255 {
		data = leBytes(uint64(len(v)), 2)
	}
	return &rowImage{col: binlogCol{typ: tVarchar, meta: leBytes(uint64(maxBytes), 2)}, data: append(data, v...)}
}

// imgBlob encodes TEXT/BLOB with a 2-byte length (TEXT, BLOB).
func imgBlob(v []byte) *rowImage {
	return &rowImage{col: binlogCol{typ: tBlob, meta: []byte{2}}, data: append(leBytes(uint64(len(v)), 2), v...)}
}

func imgGeometry(v []byte) *rowImage {
	return &rowImage{col: binlogCol{typ: tGeometry, meta: []byte{4}}, data: append(leBytes(uint64(len(v)), 4), v...)}
}

func imgJSON(jsonb []byte) *rowImage {
	return &rowImage{col: binlogCol{typ: tJSON, meta: []byte{4}}, data: append(leBytes(uint64(len(jsonb)), 4), jsonb...)}
}

func imgEnum(packLen int, idx uint64) *rowImage {
	return &rowImage{col: binlogCol{typ: tString, meta: []byte{tEnum, byte(packLen)}}, data: leBytes(idx, packLen)}
}

func imgSet(nBytes int, mask uint64) *rowImage {
	return &rowImage{col: binlogCol{typ: tString, meta: []byte{tSet, byte(nBytes)}}, data: leBytes(mask, nBytes)}
}

func imgDate(y, m, d int) *rowImage {
	return &rowImage{col: binlogCol{typ: tDate}, data: leBytes(uint64(d|m<<5|y<<9), 3)}
}

// fracBytes is the fractional-second part of DATETIME2/TIMESTAMP2.
func fracBytes(dec, us int) []byte {
	switch dec {
	case 1, 2:
		return []byte{byte(us / 10000)}
	case 3, 4:
		return beBytes(uint64(us/100), 2)
	case 5, 6:
		return beBytes(uint64(us), 3)
	}
	return nil
}

func imgDatetime2(dec, y, mo, d, h, mi, s, us int) *rowImage {
	ymd := int64((y*13+mo)<<5 | d)
	hms := int64(h<<12 | mi<<6 | s)
	data := beBytes(uint64(ymd<<17|hms)+0x8000000000, 5)
	return &rowImage{col: binlogCol{typ: tDatetime2, meta: []byte{byte(dec)}}, data: append(data, fracBytes(dec, us)...)}
}

func imgTimestamp2(dec int, sec int64, us int) *rowImage {
	data := beBytes(uint64(sec), 4)
	return &rowImage{col: binlogCol{typ: tTimestamp2, meta: []byte{byte(dec)}}, data: append(data, fracBytes(dec, us)...)}
}

// imgTime2 encodes TIME2 (my_time_packed_to_binary): the packed value is
// negated as a whole for negative times, and the fraction keeps C's
// truncating remainder.
func imgTime2(dec int, neg bool, h, m, s, us int) *rowImage {
	packed := int64(h<<12|m<<6|s)<<24 + int64(us)
	if neg {
		packed = -packed
	}
	const intOfs, ofs = 0x800000, 0x800000000000
	var data []byte
	switch dec {
	case 0:
		data = beBytes(uint64(packed>>24+intOfs), 3)
	case 1, 2:
		data = append(beBytes(uint64(packed>>24+intOfs), 3), byte(int8(packed%(1<<24)/10000)))
	case 3, 4:
		data = append(beBytes(uint64(packed>>24+intOfs), 3), beBytes(uint64(uint16(int16(packed%(1<<24)/100))), 2)...)
	default:
		data = beBytes(uint64(packed+ofs), 6)
	}
	return &rowImage{col: binlogCol{typ: tTime2, meta: []byte{byte(dec)}}, data: data}
}

// MySQL binary JSON (json_binary.cc) pieces.
func jsonbInt64(v int64) []byte { return append([]byte{0x09}, leBytes(uint64(v), 8)...) }

func jsonbUint64(v uint64) []byte { return append([]byte{0x0a}, leBytes(v, 8)...) }

func jsonbString(s string) []byte {
	b := []byte{0x0c}
	n := len(s)
	for n >= 0x80 {
		b = append(b, byte(n)|0x80)
		n >>= 7
	}
	return append(append(b, byte(n)), s...)
}

// jsonbObjectDouble is the small object {key: f}.
func jsonbObjectDouble(key string, f float64) []byte {
	const header = 2 + 2 + 4 + 3 // count, size, one key entry, one value entry
	size := header + len(key) + 8
	b := []byte{0x00}
	b = append(b, leBytes(1, 2)...)
	b = append(b, leBytes(uint64(size), 2)...)
	b = append(b, leBytes(header, 2)...)
	b = append(b, leBytes(uint64(len(key)), 2)...)
	b = append(b, 0x0b)
	b = append(b, leBytes(uint64(header+len(key)), 2)...)
	b = append(b, key...)
	return append(b, leBytes(math.Float64bits(f), 8)...)
}
