package source

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
)

// EncodeBounds renders chunk boundary values (as the MySQL driver returned
// them) as JSON text, so a chunk plan can be stored and resumed exactly.
func EncodeBounds(vals []any) (string, error) {
	if vals == nil {
		return "", nil
	}
	enc := make([]string, len(vals))
	for i, v := range vals {
		switch v := v.(type) {
		case int64:
			enc[i] = "i" + strconv.FormatInt(v, 10)
		case uint64:
			enc[i] = "u" + strconv.FormatUint(v, 10)
		case float64:
			enc[i] = "d" + strconv.FormatUint(math.Float64bits(v), 16)
		case float32:
			enc[i] = "f" + strconv.FormatUint(uint64(math.Float32bits(v)), 16)
		case []byte:
			enc[i] = "b" + base64.StdEncoding.EncodeToString(v)
		case string:
			enc[i] = "b" + base64.StdEncoding.EncodeToString([]byte(v))
		default:
			return "", fmt.Errorf("chunk boundary value of type %T cannot be stored", v)
		}
	}
	b, err := json.Marshal(enc)
	return string(b), err
}

// DecodeBounds is the inverse of EncodeBounds.
func DecodeBounds(s string) ([]any, error) {
	if s == "" {
		return nil, nil
	}
	var enc []string
	if err := json.Unmarshal([]byte(s), &enc); err != nil {
		return nil, fmt.Errorf("stored chunk boundary %q: %w", s, err)
	}
	vals := make([]any, len(enc))
	for i, e := range enc {
		if e == "" {
			return nil, fmt.Errorf("stored chunk boundary %q: empty value", s)
		}
		var err error
		body := e[1:]
		switch e[0] {
		case 'i':
			vals[i], err = strconv.ParseInt(body, 10, 64)
		case 'u':
			vals[i], err = strconv.ParseUint(body, 10, 64)
		case 'd':
			var bits uint64
			bits, err = strconv.ParseUint(body, 16, 64)
			vals[i] = math.Float64frombits(bits)
		case 'f':
			var bits uint64
			bits, err = strconv.ParseUint(body, 16, 32)
			vals[i] = math.Float32frombits(uint32(bits))
		case 'b':
			vals[i], err = base64.StdEncoding.DecodeString(body)
		default:
			err = fmt.Errorf("unknown tag %q", e[0])
		}
		if err != nil {
			return nil, fmt.Errorf("stored chunk boundary %q: %w", s, err)
		}
	}
	return vals, nil
}
