package value

import (
	"bytes"
	"errors"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/encoding/unicode/utf32"
)

// decode is how a binlog text value's bytes, which are in the column's
// character set, become UTF-8. The snapshot needs none of this: the server
// converts every text column to the connection charset, utf8mb4.
type decode uint8

const (
	decUTF8   decode = iota // utf8mb4, utf8mb3, utf8, binary: already UTF-8, validated
	decASCII                // ascii: a byte above 0x7F is invalid
	decLatin1               // latin1: MySQL's cp1252 table (latin1Table)
	decOther                // another charset, decoded with golang.org/x/text (Converter.enc)
	decNone                 // a charset the binlog path cannot decode: binlog values are an error
)

// otherCharsets are the MySQL character sets decoded with x/text. MySQL's
// utf16, ucs2 and utf32 are big-endian.
var otherCharsets = map[string]encoding.Encoding{
	"gbk": simplifiedchinese.GBK, "gb2312": simplifiedchinese.HZGB2312, "gb18030": simplifiedchinese.GB18030,
	"big5": traditionalchinese.Big5, "sjis": japanese.ShiftJIS, "cp932": japanese.ShiftJIS,
	"ujis": japanese.EUCJP, "eucjpms": japanese.EUCJP, "euckr": korean.EUCKR,
	"utf16":   unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM),
	"utf16le": unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM),
	"ucs2":    unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM),
	"utf32":   utf32.UTF32(utf32.BigEndian, utf32.IgnoreBOM),
	"cp1250":  charmap.Windows1250, "cp1251": charmap.Windows1251, "cp1256": charmap.Windows1256,
	"cp1257": charmap.Windows1257, "latin2": charmap.ISO8859_2, "latin5": charmap.ISO8859_9,
	"latin7": charmap.ISO8859_13, "greek": charmap.ISO8859_7, "hebrew": charmap.ISO8859_8,
	"koi8r": charmap.KOI8R, "koi8u": charmap.KOI8U, "cp866": charmap.CodePage866,
	"cp852": charmap.CodePage852, "cp850": charmap.CodePage850, "macroman": charmap.Macintosh,
}

// decodeOther turns bytes in c.enc into UTF-8, exactly: the result must
// encode back to the same bytes, else the value holds bytes invalid in its
// charset (x/text would silently turn them into U+FFFD).
func (c *Converter) decodeOther(b []byte) ([]byte, error) {
	out, err := c.enc.NewDecoder().Bytes(b)
	if err == nil {
		var back []byte
		back, err = c.enc.NewEncoder().Bytes(out)
		if err == nil && !bytes.Equal(back, b) {
			err = errors.New("round trip differs")
		}
	}
	if err != nil {
		return nil, c.errorf("holds bytes that are not valid in its character set %s; fix the value on the source", c.csName)
	}
	return out, nil
}

// charset maps a MySQL character set name to its binlog decoding. An empty
// name is an error for text (the catalog must say) and UTF-8 for JSON (MySQL
// JSON has no charset and is always utf8mb4).
func (c *Converter) charset(name string, required bool) (decode, error) {
	switch strings.ToLower(name) {
	case "utf8mb4", "utf8mb3", "utf8", "binary":
		return decUTF8, nil
	case "ascii":
		return decASCII, nil
	case "latin1":
		return decLatin1, nil
	case "":
		if !required {
			return decUTF8, nil
		}
		return 0, c.errorf("the column has no character set in the schema; the catalog reader must fill Charset from information_schema")
	}
	if enc, ok := otherCharsets[strings.ToLower(name)]; ok {
		c.enc, c.csName = enc, strings.ToLower(name)
		return decOther, nil
	}
	// The snapshot still works (the server converts to utf8mb4); only a
	// binlog value of this column is an error, raised when it arrives.
	c.csErr = c.errorf("character set %s is not supported on the binlog path; "+
		"convert the column to utf8mb4 (ALTER TABLE ... CONVERT TO CHARACTER SET utf8mb4) or exclude it", name)
	return decNone, nil
}

// latin1High is MySQL's latin1 (strings/ctype-latin1.cc, cs_to_uni) for bytes
// 0x80..0x9F: Windows-1252, except that the five bytes cp1252 leaves undefined
// (0x81, 0x8D, 0x8F, 0x90, 0x9D) map to the C1 controls U+0081 etc., as in
// ISO-8859-1. Bytes below 0x80 are ASCII and 0xA0..0xFF are U+00A0..U+00FF.
var latin1High = [32]rune{
	0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
	0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
}

// latin1Rune decodes one MySQL latin1 byte.
func latin1Rune(x byte) rune {
	if x >= 0x80 && x < 0xA0 {
		return latin1High[x-0x80]
	}
	return rune(x)
}

// latin1ToUTF8 decodes MySQL latin1 bytes into a new UTF-8 slice.
func latin1ToUTF8(b []byte) []byte {
	out := make([]byte, 0, len(b)+len(b)/2)
	for _, x := range b {
		if x < utf8.RuneSelf {
			out = append(out, x)
			continue
		}
		out = utf8.AppendRune(out, latin1Rune(x))
	}
	return out
}

func isASCII(b []byte) bool {
	for _, x := range b {
		if x >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
