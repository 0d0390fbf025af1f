package value

import (
	"errors"
	"strings"
	"testing"

	"github.com/sluicedb/sluice/internal/schema"
)

func TestNewRejects(t *testing.T) {
	for _, tc := range []struct {
		name string
		col  schema.Column
		err  string
	}{
		{"unknown kind", schema.Column{Name: "x"}, "kind unknown has no conversion"},
		{"int width", schema.Column{Name: "x", Kind: schema.KindInt, IntBytes: 5}, "IntBytes 5"},
		{"decimal precision", schema.Column{Name: "x", Kind: schema.KindDecimal, Precision: 66, Scale: 0}, "DECIMAL(66,0)"},
		{"decimal scale", schema.Column{Name: "x", Kind: schema.KindDecimal, Precision: 10, Scale: 11}, "DECIMAL(10,11)"},
		{"bit 0", schema.Column{Name: "x", Kind: schema.KindBit, Length: 0}, "BIT(0)"},
		{"bit 65", schema.Column{Name: "x", Kind: schema.KindBit, Length: 65}, "BIT(65)"},
		{"binary 0", schema.Column{Name: "x", Kind: schema.KindBinary, FixedLength: true, Length: 0}, "BINARY(0)"},
		{"no charset", schema.Column{Name: "x", Kind: schema.KindText}, "no character set in the schema"},
		{"enum without members", schema.Column{Name: "x", Kind: schema.KindEnum}, "ENUM has 0 members"},
		{"set of 65", schema.Column{Name: "x", Kind: schema.KindSet, Members: labels("m", 65)}, "SET has 65 members, want 1..64"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := New(&tc.col, Policy{})
			var ve *Error
			if !errors.As(err, &ve) || !strings.Contains(err.Error(), tc.err) || ve.Column != "x" {
				t.Fatalf("New: err = %v, want *Error for column x containing %q", err, tc.err)
			}
		})
	}
	if _, err := New(nil, Policy{}); err == nil {
		t.Fatal("New(nil) succeeded")
	}
}

// TestUnsupportedCharsetOnlyFailsTheBinlog: the snapshot gets utf8mb4 from
// the server whatever the column's charset; only binlog bytes need decoding.
func TestUnsupportedCharsetOnlyFailsTheBinlog(t *testing.T) {
	for _, col := range []schema.Column{
		{Name: "x", Kind: schema.KindText, Charset: "armscii8"},
		{Name: "x", Kind: schema.KindText, Charset: "geostd8"},
		{Name: "x", Kind: schema.KindJSON, Charset: "swe7"},
	} {
		c, err := New(&col, Policy{})
		if err != nil {
			t.Fatalf("%s: New: %v", col.Charset, err)
		}
		if out, _, err := c.Snapshot([]byte(`"ok"`)); err != nil || out != `"ok"` {
			t.Errorf("%s %s: Snapshot = %v, %v", col.Kind, col.Charset, out, err)
		}
		_, _, err = c.Binlog([]byte(`"ok"`))
		var ve *Error
		if !errors.As(err, &ve) || !strings.Contains(err.Error(), "character set "+col.Charset+" is not supported on the binlog path") {
			t.Errorf("%s %s: Binlog err = %v", col.Kind, col.Charset, err)
		}
	}
}

// TestOtherCharsetsOnTheBinlog: x/text decodes the other common charsets,
// and bytes invalid in the charset are an error, never U+FFFD.
func TestOtherCharsetsOnTheBinlog(t *testing.T) {
	for _, tc := range []struct {
		charset string
		in      []byte
		want    string
	}{
		{"gbk", []byte{0xd6, 0xd0, 0xce, 0xc4}, "中文"},
		{"sjis", []byte{0x93, 0xfa, 0x96, 0x7b}, "日本"},
		{"utf16", []byte{0x00, 0x41, 0xd8, 0x3d, 0xde, 0x00}, "A😀"},
		{"cp1251", []byte{0xcf, 0xf0, 0xe8}, "При"},
		{"euckr", []byte{0xc7, 0xd1}, "한"},
	} {
		col := textCol(tc.charset, false)
		c, err := New(&col, Policy{})
		if err != nil {
			t.Fatalf("%s: %v", tc.charset, err)
		}
		if out, _, err := c.Binlog(tc.in); err != nil || out != tc.want {
			t.Errorf("%s: Binlog = %q, %v; want %q", tc.charset, out, err, tc.want)
		}
	}
	col := textCol("gbk", false)
	c, _ := New(&col, Policy{})
	if _, _, err := c.Binlog([]byte{0xd6}); err == nil || !strings.Contains(err.Error(), "not valid in its character set gbk") {
		t.Errorf("a truncated GBK sequence: err = %v", err)
	}
}

func TestNewAcceptsCharsets(t *testing.T) {
	for _, cs := range []string{"utf8mb4", "UTF8MB4", "utf8mb3", "utf8", "latin1", "ascii", "binary"} {
		col := textCol(cs, false)
		if _, err := New(&col, Policy{}); err != nil {
			t.Errorf("charset %s: %v", cs, err)
		}
	}
}

// TestErrorsNeverHoldTheValue feeds distinctive values that fail and checks
// no message repeats them.
func TestErrorsNeverHoldTheValue(t *testing.T) {
	const secret = "s3cr3t-value"
	for _, tc := range []struct {
		col schema.Column
		in  any
	}{
		{textCol("utf8mb4", false), []byte(secret + "\x00")},
		{textCol("utf8mb4", false), []byte(secret + "\xff")},
		{mysqlJSON, []byte(`"` + secret + `\u0000"`)},
		{decCol(10, 2), []byte(secret)},
		{dateCol, []byte(secret)},
		{scaled(schema.KindTime, 0), []byte(secret)},
		{uuidCol, []byte(secret)},
		{inet6Col, []byte(secret)},
		{memberCol(schema.KindEnum, "a"), []byte(secret)},
		{memberCol(schema.KindSet, "a"), []byte(secret)},
		{intCol(8, true), []byte(secret)},
	} {
		conv, err := New(&tc.col, Policy{})
		if err != nil {
			t.Fatal(err)
		}
		_, _, err = conv.Snapshot(tc.in)
		if err == nil {
			t.Fatalf("%s: no error", tc.col.Kind)
		}
		if strings.Contains(err.Error(), secret) {
			t.Errorf("%s: message holds the value: %v", tc.col.Kind, err)
		}
	}
}

func TestErrorMessage(t *testing.T) {
	col := schema.Column{Name: "note", Kind: schema.KindText, Charset: "utf8mb4"}
	conv, err := New(&col, Policy{})
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = conv.Snapshot([]byte("hello world \x00"))
	want := "column note: text contains a NUL byte at offset 12, which PostgreSQL text cannot store; " +
		"use --bad-text=strip to strip NUL bytes and invalid UTF-8, or fix the source value"
	if err == nil || err.Error() != want {
		t.Fatalf("err = %v\nwant  %s", err, want)
	}
}

func TestPolicyNames(t *testing.T) {
	for _, s := range []string{"-infinity", "fail"} {
		p, err := ParseZeroDatePolicy(s)
		if err != nil || p.String() != s {
			t.Errorf("zero-date %q → %v, %v", s, p, err)
		}
	}
	for _, s := range []string{"fail", "strip"} {
		p, err := ParseBadTextPolicy(s)
		if err != nil || p.String() != s {
			t.Errorf("bad-text %q → %v, %v", s, p, err)
		}
	}
	if _, err := ParseZeroDatePolicy("null"); err == nil {
		t.Error("zero-date null accepted")
	}
	if _, err := ParseBadTextPolicy("ignore"); err == nil {
		t.Error("bad-text ignore accepted")
	}
	var zero Policy
	if zero.ZeroDateNotNull != ZeroDateNegInfinity || zero.BadText != BadTextFail {
		t.Error("the zero Policy is not the documented default")
	}
}

func TestFixString(t *testing.T) {
	for f, want := range map[Fix]string{
		0:                                       "none",
		FixZeroDateNull:                         "zero-date-null",
		FixStrippedNUL | FixStrippedInvalidUTF8: "stripped-nul+stripped-invalid-utf8",
		FixZeroDateInfinity | 0x80:              "zero-date-infinity+0x80",
		FixZeroDateNull | FixZeroDateInfinity:   "zero-date-null+zero-date-infinity",
	} {
		if got := f.String(); got != want {
			t.Errorf("Fix(%d) = %q, want %q", uint8(f), got, want)
		}
	}
}

func TestColumnName(t *testing.T) {
	col := intCol(4, false)
	conv, err := New(&col, Policy{})
	if err != nil || conv.Column() != "n" {
		t.Fatalf("Column() = %q, %v", conv.Column(), err)
	}
}
