package value

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"

	"github.com/sluicedb/sluice/internal/schema"
)

var strip = Policy{BadText: BadTextStrip}

var textCases = []tcase{
	{name: "utf8mb4 emoji varchar", col: textCol("utf8mb4", false), snap: []byte("a😀b"), bin: "a😀b", image: imgVarchar(1020, "a😀b"), want: "a😀b"},
	{name: "utf8mb4 emoji text", col: textCol("utf8mb4", false), snap: []byte("😀"), bin: []byte("😀"), image: imgBlob([]byte("😀")), want: "😀"},
	{name: "utf8mb3 text", col: textCol("utf8mb3", false), snap: []byte("é"), bin: "é", image: imgVarchar(765, "é"), want: "é"},
	{name: "empty", col: textCol("utf8mb4", false), snap: []byte{}, bin: "", image: imgVarchar(1020, ""), want: ""},
	{name: "U+FFFD is valid", col: textCol("utf8mb4", false), snap: []byte("\uFFFD"), bin: "\uFFFD", want: "\uFFFD"},
	// latin1 is cp1252 on MySQL: the server converts it for the snapshot, the
	// binlog carries the column's bytes.
	{name: "latin1 euro e-acute", col: textCol("latin1", false), snap: []byte("€é"), bin: "\x80\xe9", image: imgVarchar(255, "\x80\xe9"), want: "€é"},
	{name: "latin1 cp1252 holes", col: textCol("latin1", false), snap: []byte("\u0081\u008d\u008f\u0090\u009d"), bin: "\x81\x8d\x8f\x90\x9d", want: "\u0081\u008d\u008f\u0090\u009d"},
	{name: "latin1 text column", col: textCol("latin1", false), snap: []byte("Œuvre ÿ"), bin: []byte("\x8cuvre \xff"), image: imgBlob([]byte("\x8cuvre \xff")), want: "Œuvre ÿ"},
	{name: "ascii", col: textCol("ascii", false), snap: []byte("abc"), bin: "abc", want: "abc"},
	{name: "ascii high byte", col: textCol("ascii", false), snap: none, bin: "ab\xe9", err: "non-ASCII byte in an ascii column at byte offset 2"},
	{name: "ascii high byte stripped", col: textCol("ascii", false), pol: strip, snap: none, bin: "ab\xe9", want: "ab", fix: FixStrippedInvalidUTF8},
	{name: "binary charset text", col: textCol("binary", false), snap: []byte("x"), bin: "x", want: "x"},
	// CHAR(n): the binlog drops trailing spaces (Field_string::pack), SELECT does
	// too unless PAD_CHAR_TO_FULL_LENGTH; both paths trim.
	{name: "char trailing spaces", col: textCol("utf8mb4", true), snap: []byte("ab"), bin: "ab", image: imgChar(40, "ab  ", ' '), want: "ab"},
	{name: "char padded snapshot", col: textCol("utf8mb4", true), snap: []byte("ab        "), bin: "ab", want: "ab"},
	{name: "char leading spaces kept", col: textCol("utf8mb4", true), snap: []byte("  x"), bin: "  x", image: imgChar(40, "  x", ' '), want: "  x"},
	{name: "varchar trailing spaces kept", col: textCol("utf8mb4", false), snap: []byte("x  "), bin: "x  ", image: imgVarchar(40, "x  "), want: "x  "},
	{name: "nul fails", col: textCol("utf8mb4", false), snap: []byte("a\x00b"), bin: "a\x00b", err: "NUL byte at offset 1"},
	{name: "nul stripped", col: textCol("utf8mb4", false), pol: strip, snap: []byte("a\x00b\x00"), bin: "a\x00b\x00", want: "ab", fix: FixStrippedNUL},
	{name: "invalid utf8 fails", col: textCol("utf8mb4", false), snap: []byte("ab\xffc"), bin: "ab\xffc", err: "invalid UTF-8 at byte offset 2"},
	{name: "invalid utf8 stripped", col: textCol("utf8mb4", false), pol: strip, snap: []byte("ab\xffc"), bin: []byte("ab\xffc"), want: "abc", fix: FixStrippedInvalidUTF8},
	{name: "surrogate is invalid", col: textCol("utf8mb4", false), snap: []byte("\xed\xa0\x80"), bin: "\xed\xa0\x80", err: "invalid UTF-8 at byte offset 0"},
	{name: "truncated sequence", col: textCol("utf8mb4", false), snap: []byte("é\xf0\x9f"), bin: "é\xf0\x9f", err: "invalid UTF-8 at byte offset 2"},
	{name: "nul and invalid stripped", col: textCol("utf8mb4", false), pol: strip, snap: []byte("\x00é\xc3"), bin: "\x00é\xc3", want: "é", fix: FixStrippedNUL | FixStrippedInvalidUTF8},
	{name: "first problem reported", col: textCol("utf8mb4", false), snap: []byte("\xff\x00"), bin: "\xff\x00", err: "invalid UTF-8 at byte offset 0"},
	{name: "latin1 nul", col: textCol("latin1", false), snap: none, bin: "\xe9\x00", err: "NUL byte at offset 2"},
	{name: "text given int", col: textCol("utf8mb4", false), snap: int64(1), bin: int64(1), err: "has Go type int64"},
}

func binCol(n int64, fixed bool) schema.Column {
	return schema.Column{Name: "b", Kind: schema.KindBinary, Length: n, FixedLength: fixed, Nullable: true}
}

var uuidInBinary = "\x12\x34\x56\x78\x9a\xbc\xde\xf0\x12\x34\x56\x78\x9a\xbc\xde\x00"

var binaryCases = []tcase{
	// The binlog drops BINARY(n)'s trailing 0x00 bytes: 1 key in 256 ends in one.
	{name: "binary(16) ending in 00", col: binCol(16, true), snap: []byte(uuidInBinary), bin: uuidInBinary[:15], image: imgChar(16, uuidInBinary, 0), want: []byte(uuidInBinary)},
	{name: "binary(4) all zero", col: binCol(4, true), snap: []byte{0, 0, 0, 0}, bin: "", image: imgChar(4, "\x00\x00\x00\x00", 0), want: []byte{0, 0, 0, 0}},
	{name: "binary(4) inner zero kept", col: binCol(4, true), snap: []byte{1, 0, 2, 0}, bin: "\x01\x00\x02", image: imgChar(4, "\x01\x00\x02\x00", 0), want: []byte{1, 0, 2, 0}},
	{name: "varbinary keeps trailing zeros", col: binCol(10, false), snap: []byte{1, 0, 0}, bin: "\x01\x00\x00", image: imgVarchar(10, "\x01\x00\x00"), want: []byte{1, 0, 0}},
	{name: "blob", col: binCol(65535, false), snap: []byte{0xff, 0, 0xfe}, bin: []byte{0xff, 0, 0xfe}, image: imgBlob([]byte{0xff, 0, 0xfe}), want: []byte{0xff, 0, 0xfe}},
	{name: "empty blob", col: binCol(65535, false), snap: []byte{}, bin: []byte{}, image: imgBlob(nil), want: []byte{}},
	{name: "binary(2) too long", col: binCol(2, true), snap: []byte{1, 2, 3}, bin: "\x01\x02\x03", err: "more than the column's fixed length 2"},
}

func memberCol(k schema.Kind, members ...string) schema.Column {
	return schema.Column{Name: "e", Kind: k, Members: members, Nullable: true}
}

var (
	abc        = []string{"a", "b", "c"}
	members300 = labels("e", 300)
	members64  = labels("m", 64)
)

func labels(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s%d", prefix, i)
	}
	return out
}

var enumSetCases = []tcase{
	{name: "enum b", col: memberCol(schema.KindEnum, abc...), snap: []byte("b"), bin: int64(2), image: imgEnum(1, 2), want: "b"},
	{name: "enum index 0", col: memberCol(schema.KindEnum, abc...), snap: []byte(""), bin: int64(0), image: imgEnum(1, 0), want: ""},
	{name: "enum 300 members last", col: memberCol(schema.KindEnum, members300...), snap: []byte("e299"), bin: int64(300), image: imgEnum(2, 300), want: "e299"},
	{name: "enum emoji label", col: memberCol(schema.KindEnum, "x", "😀"), snap: []byte("😀"), bin: int64(2), image: imgEnum(1, 2), want: "😀"},
	{name: "enum unknown label", col: memberCol(schema.KindEnum, abc...), snap: []byte("z"), bin: none, err: "not one of the column's 3 members"},
	{name: "enum index out of range", col: memberCol(schema.KindEnum, abc...), snap: none, bin: int64(4), err: "outside 0..3"},
	{name: "set a,c", col: memberCol(schema.KindSet, abc...), snap: []byte("a,c"), bin: int64(5), image: imgSet(1, 5), want: "a,c"},
	{name: "set empty", col: memberCol(schema.KindSet, abc...), snap: []byte(""), bin: int64(0), image: imgSet(1, 0), want: ""},
	{name: "set single", col: memberCol(schema.KindSet, abc...), snap: []byte("b"), bin: int64(2), image: imgSet(1, 2), want: "b"},
	{name: "set 64 members all", col: memberCol(schema.KindSet, members64...), snap: []byte(strings.Join(members64, ",")), bin: int64(-1), image: imgSet(8, math.MaxUint64), want: strings.Join(members64, ",")},
	{name: "set 64 members last", col: memberCol(schema.KindSet, members64...), snap: []byte("m63"), bin: int64(math.MinInt64), image: imgSet(8, 1<<63), want: "m63"},
	{name: "set 64 members first and last", col: memberCol(schema.KindSet, members64...), snap: []byte("m0,m63"), bin: int64(math.MinInt64 + 1), image: imgSet(8, 1<<63|1), want: "m0,m63"},
	{name: "set bit beyond members", col: memberCol(schema.KindSet, abc...), snap: none, bin: int64(8), err: "bits set above member 3"},
	{name: "set out of order", col: memberCol(schema.KindSet, abc...), snap: []byte("c,a"), bin: none, err: "not a list of the column's members"},
	{name: "set duplicate", col: memberCol(schema.KindSet, abc...), snap: []byte("a,a"), bin: none, err: "not a list of the column's members"},
}

func TestText(t *testing.T)    { runCases(t, textCases) }
func TestBinary(t *testing.T)  { runCases(t, binaryCases) }
func TestEnumSet(t *testing.T) { runCases(t, enumSetCases) }

// TestLatin1IsMySQLsCp1252 pins the latin1 table: Windows-1252 for every byte
// cp1252 defines, and the C1 control for the five it leaves undefined, as in
// MySQL's strings/ctype-latin1.cc.
func TestLatin1IsMySQLsCp1252(t *testing.T) {
	holes := map[byte]bool{0x81: true, 0x8d: true, 0x8f: true, 0x90: true, 0x9d: true}
	dec := charmap.Windows1252.NewDecoder()
	for i := range 256 {
		x := byte(i)
		got := latin1Rune(x)
		if holes[x] {
			if got != rune(x) {
				t.Errorf("byte 0x%02x → U+%04X, want the C1 control U+%04X", x, got, x)
			}
			continue
		}
		want, err := dec.Bytes([]byte{x})
		if err != nil {
			t.Fatal(err)
		}
		if string(want) != string(got) {
			t.Errorf("byte 0x%02x → %q, Windows-1252 says %q", x, string(got), want)
		}
	}
}
