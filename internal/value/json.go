package value

import "strings"

// JSON inputs:
//
//	snapshot: []byte — MySQL renders its binary JSON as text; MariaDB JSON is
//	          a LONGTEXT holding the text as inserted.
//	binlog:   MySQL: a string, go-mysql's decoding of the binary JSON
//	          re-rendered with encoding/json (keys sorted, "<>&" escaped as
//	          \u003c…, doubles such as 1.0 printed as 1 unless the reader sets
//	          RenderJSONAsMySQLText); an empty value is []byte{}; a partial
//	          update (binlog_row_value_options=PARTIAL_JSON) is a
//	          *replication.JsonDiff, which cannot be applied and is an error.
//	          MariaDB: []byte of the LONGTEXT, in the column charset.
//
// Output is the JSON text as a string, which pgx sends to jsonb as it is;
// jsonb parses and normalises it, so the two renderings land as the same
// jsonb value — provided the binlog reader sets RenderJSONAsMySQLText, since
// jsonb keeps 1.0 and 1 apart. An empty value becomes "null" — MySQL itself reads an empty
// binary JSON value as the JSON null literal. jsonb cannot store U+0000, so a
// \u0000 escape is rejected like a NUL byte in text (stripped under
// BadTextStrip).
func (c *Converter) json(p path, v any) (any, Fix, error) {
	b, ok := raw(v)
	if !ok {
		if typeName(v) == "*replication.JsonDiff" {
			return nil, 0, c.errorf("binlog holds a partial JSON update, which cannot be applied without the full document; " +
				"set binlog_row_value_options='' on the source")
		}
		return nil, 0, c.unexpected(p, v, "[]byte or string")
	}
	if len(b) == 0 {
		return "null", 0, nil
	}
	if p == binlogPath && c.cs == decNone {
		return nil, 0, c.csErr
	}
	if p == binlogPath && c.cs == decOther {
		var err error
		if b, err = c.decodeOther(b); err != nil {
			return nil, 0, err
		}
	}
	if p == binlogPath && c.cs == decLatin1 && !isASCII(b) {
		b = latin1ToUTF8(b)
	}
	s, fix, err := c.clean(b, p == binlogPath && c.cs == decASCII)
	if err != nil {
		return nil, 0, err
	}
	at := nulEscape(s)
	if at < 0 {
		return s, fix, nil
	}
	if !c.strip {
		return nil, 0, c.errorf("JSON contains the escape \\u0000 at offset %d, which jsonb cannot store; "+
			"use --bad-text=strip to strip it, map the column to json or text, or fix the source value", at)
	}
	return stripNulEscapes(s, at), fix | FixStrippedNUL, nil
}

// nulEscape returns the offset of the first \u0000 escape in JSON text, or
// -1. An escaped backslash followed by "u0000" is not one.
func nulEscape(s string) int {
	for i := 0; i < len(s); {
		j := strings.IndexByte(s[i:], '\\')
		if j < 0 {
			return -1
		}
		i += j
		if len(s)-i >= 6 && s[i+1] == 'u' && s[i+2:i+6] == "0000" {
			return i
		}
		i += 2 // the backslash and the character it escapes
	}
	return -1
}

// stripNulEscapes removes every \u0000 escape from s, the first being at.
func stripNulEscapes(s string, at int) string {
	out := make([]byte, 0, len(s))
	out = append(out, s[:at]...)
	for i := at; i < len(s); {
		if s[i] != '\\' {
			out = append(out, s[i])
			i++
			continue
		}
		if len(s)-i >= 6 && s[i+1] == 'u' && s[i+2:i+6] == "0000" {
			i += 6
			continue
		}
		end := min(i+2, len(s))
		out = append(out, s[i:end]...)
		i = end
	}
	return str(out)
}
