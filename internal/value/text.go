package value

import (
	"bytes"
	"unicode/utf8"
	"unsafe"
)

// Text inputs:
//
//	snapshot: []byte, already utf8mb4 (the server converts from the column
//	          charset), CHAR(n) without its trailing spaces.
//	binlog:   string for CHAR/VARCHAR (go-mysql decodeString) and []byte for
//	          TINYTEXT..LONGTEXT (decodeBlob), in the column's charset, with
//	          no conversion. CHAR(n) is written without trailing spaces
//	          (Field_string::pack), but both paths trim them again so that
//	          PAD_CHAR_TO_FULL_LENGTH in a session cannot make them differ.
//
// PostgreSQL text holds neither NUL nor invalid UTF-8: both are rejected, or
// stripped under BadTextStrip.
func (c *Converter) text(p path, v any) (any, Fix, error) {
	b, ok := raw(v)
	if !ok {
		return nil, 0, c.unexpected(p, v, "[]byte or string")
	}
	ascii := false
	if p == binlogPath {
		switch c.cs {
		case decLatin1:
			if !isASCII(b) {
				b = latin1ToUTF8(b)
			}
		case decASCII:
			ascii = true
		case decOther:
			var err error
			if b, err = c.decodeOther(b); err != nil {
				return nil, 0, err
			}
		case decNone:
			return nil, 0, c.csErr
		}
	}
	if c.trim {
		b = bytes.TrimRight(b, " ")
	}
	s, fix, err := c.clean(b, ascii)
	if err != nil {
		return nil, 0, err
	}
	if in, ok := v.(string); ok && len(s) == len(in) && unsafe.StringData(s) == unsafe.StringData(in) {
		return v, 0, nil // the input string unchanged: the same interface, no allocation
	}
	return s, fix, nil
}

// clean returns b as a string when it holds neither NUL nor invalid UTF-8
// (with ascii, nor any byte above 0x7F); otherwise it fails or strips by
// policy.
func (c *Converter) clean(b []byte, ascii bool) (string, Fix, error) {
	nul := bytes.IndexByte(b, 0)
	if nul < 0 && (ascii && isASCII(b) || !ascii && utf8.Valid(b)) {
		return str(b), 0, nil
	}
	bad := invalidAt(b, ascii)
	if !c.strip {
		if nul >= 0 && (bad < 0 || nul < bad) {
			return "", 0, c.errorf("text contains a NUL byte at offset %d, which PostgreSQL text cannot store; "+
				"use --bad-text=strip to strip NUL bytes and invalid UTF-8, or fix the source value", nul)
		}
		what := "invalid UTF-8"
		if ascii {
			what = "a non-ASCII byte in an ascii column"
		}
		return "", 0, c.errorf("text contains %s at byte offset %d; "+
			"use --bad-text=strip to strip NUL bytes and invalid UTF-8, or fix the source value", what, bad)
	}
	out, fix := stripBad(b, ascii)
	return str(out), fix, nil
}

// invalidAt returns the offset of the first invalid UTF-8 sequence (with
// ascii, of the first byte above 0x7F), or -1.
func invalidAt(b []byte, ascii bool) int {
	for i := 0; i < len(b); {
		if b[i] < utf8.RuneSelf {
			i++
			continue
		}
		if ascii {
			return i
		}
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 {
			return i
		}
		i += n
	}
	return -1
}

// stripBad copies b without NUL bytes and invalid sequences.
func stripBad(b []byte, ascii bool) ([]byte, Fix) {
	var fix Fix
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); {
		x := b[i]
		if x == 0 {
			fix |= FixStrippedNUL
			i++
			continue
		}
		if x < utf8.RuneSelf {
			out = append(out, x)
			i++
			continue
		}
		if ascii {
			fix |= FixStrippedInvalidUTF8
			i++
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 {
			fix |= FixStrippedInvalidUTF8
			i++
			continue
		}
		out = append(out, b[i:i+n]...)
		i += n
	}
	return out, fix
}
