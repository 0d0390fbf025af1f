package value

import (
	"strings"
	"unicode/utf8"
)

// decode is how a binlog text value's bytes, which are in the column's
// character set, become UTF-8. The snapshot needs none of this: the server
// converts every text column to the connection charset, utf8mb4.
type decode uint8

const (
	decUTF8   decode = iota // utf8mb4, utf8mb3, utf8, binary: already UTF-8, validated
	decASCII                // ascii: a byte above 0x7F is invalid
	decLatin1               // latin1: MySQL's cp1252 table (latin1Table)
	decNone                 // a charset the binlog path cannot decode: binlog values are an error
)

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
	// The snapshot still works (the server converts to utf8mb4); only a
	// binlog value of this column is an error, raised when it arrives.
	c.csErr = c.errorf("character set %s is not supported on the binlog path (supported: utf8mb4, utf8mb3, utf8, latin1, ascii, binary); "+
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
