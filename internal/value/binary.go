package value

// Binary inputs:
//
//	snapshot: []byte; BINARY(n) complete with its trailing 0x00 padding.
//	binlog:   string for BINARY/VARBINARY (go-mysql decodeString) and []byte
//	          for TINYBLOB..LONGBLOB (decodeBlob). BINARY(n) is written with
//	          its trailing 0x00 bytes stripped, like CHAR's spaces
//	          (Field_string::pack with pad char 0x00), so it is re-padded here
//	          to n bytes; VARBINARY and BLOB keep exactly what they hold.
func (c *Converter) binary(p path, v any) (any, error) {
	if b, ok := v.([]byte); ok && (c.width == 0 || len(b) == c.width) {
		return v, nil // owned bytes of the right length: the same interface, no allocation
	}
	b, ok := raw(v)
	if !ok {
		return nil, c.unexpected(p, v, "[]byte or string")
	}
	if c.width == 0 {
		return []byte(str(b)), nil // a string: copy, never hand out a string's memory
	}
	if len(b) > c.width {
		return nil, c.errorf("%s value has %d bytes, more than the column's fixed length %d", p, len(b), c.width)
	}
	out := make([]byte, c.width)
	copy(out, b)
	return out, nil
}
