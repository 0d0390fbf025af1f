package value

import "unsafe"

// raw returns the bytes of a []byte or string input without copying. A string
// is viewed through unsafe: the slice must only be read, never written.
func raw(v any) ([]byte, bool) {
	switch t := v.(type) {
	case []byte:
		return t, true
	case string:
		return unsafe.Slice(unsafe.StringData(t), len(t)), true
	}
	return nil, false
}

// str returns b as a string without copying. b must be owned by the converter
// (see the Converter invariant) or be a view of a string.
func str(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}
