package verify

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/sluicedb/sluice/internal/schema"
)

// canonical renders a value of a fetched kind, as either driver returns it,
// to the text both sides must agree on:
//   - FLOAT, DOUBLE: the shortest decimal that reads back to the same
//     float32/float64 (so one ULP and the sign of zero differ)
//   - JSON: keys sorted, numbers as exact decimals without redundant zeros,
//     duplicate keys resolved as jsonb does (the last wins)
//   - INET6: the address in RFC 5952 form
//
// Rendered kinds arrive as text and are returned as they are.
func canonical(k schema.Kind, v any) (*string, error) {
	if v == nil {
		return nil, nil
	}
	var s string
	switch x := v.(type) {
	case float32:
		s = formatFloat(float64(x), 32)
	case float64:
		bits := 64
		if k == schema.KindFloat {
			bits = 32
		}
		s = formatFloat(x, bits)
	case []byte:
		s = string(x)
	case string:
		s = x
	default:
		return nil, fmt.Errorf("unexpected %T value", v)
	}
	var err error
	switch k {
	case schema.KindJSON:
		s, err = canonicalJSON(s)
	case schema.KindInet6:
		s, err = canonicalInet(s)
	case schema.KindFloat, schema.KindDouble:
		if _, ok := v.(string); ok { // never expected: both drivers send binary floats
			return nil, fmt.Errorf("float value %q arrived as text", s)
		}
	}
	return &s, err
}

func formatFloat(f float64, bits int) string {
	if f == 0 && math.Signbit(f) {
		return "-0"
	}
	return strconv.FormatFloat(f, 'g', -1, bits)
}

func canonicalInet(s string) (string, error) {
	if a, err := netip.ParseAddr(s); err == nil {
		return a.String(), nil
	}
	p, err := netip.ParsePrefix(s)
	if err != nil {
		return "", fmt.Errorf("address %q: %w", s, err)
	}
	return p.String(), nil
}

// canonicalJSON re-encodes a JSON text canonically.
func canonicalJSON(s string) (string, error) {
	d := json.NewDecoder(strings.NewReader(s))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return "", fmt.Errorf("JSON value: %w", err)
	}
	var b bytes.Buffer
	writeJSON(&b, v)
	return b.String(), nil
}

func writeJSON(b *bytes.Buffer, v any) {
	switch x := v.(type) {
	case map[string]any: // encoding/json keeps the last of duplicate keys
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		b.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				b.WriteByte(',')
			}
			writeString(b, k)
			b.WriteByte(':')
			writeJSON(b, x[k])
		}
		b.WriteByte('}')
	case []any:
		b.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				b.WriteByte(',')
			}
			writeJSON(b, e)
		}
		b.WriteByte(']')
	case json.Number:
		b.WriteString(canonicalNumber(string(x)))
	case string:
		writeString(b, x)
	default: // bool, nil
		out, _ := json.Marshal(x)
		b.Write(out)
	}
}

func writeString(b *bytes.Buffer, s string) {
	e := json.NewEncoder(b)
	e.SetEscapeHTML(false)
	_ = e.Encode(s) // a string always encodes
	b.Truncate(b.Len() - 1)
}

// canonicalNumber writes a JSON number as digits and a decimal exponent,
// the same for every spelling of one value: 1, 1.0, 10e-1 → 1e0; 0 → 0.
func canonicalNumber(n string) string {
	neg := strings.HasPrefix(n, "-")
	n = strings.TrimPrefix(n, "-")
	mant, exp := n, 0
	if i := strings.IndexAny(n, "eE"); i >= 0 {
		mant = n[:i]
		e, err := strconv.Atoi(strings.TrimPrefix(n[i+1:], "+"))
		if err != nil {
			return n // out of int range: keep the spelling
		}
		exp = e
	}
	if i := strings.IndexByte(mant, '.'); i >= 0 {
		exp -= len(mant) - i - 1
		mant = mant[:i] + mant[i+1:]
	}
	mant = strings.TrimLeft(mant, "0")
	if mant == "" {
		return "0"
	}
	for strings.HasSuffix(mant, "0") {
		mant, exp = mant[:len(mant)-1], exp+1
	}
	if neg {
		mant = "-" + mant
	}
	return mant + "e" + strconv.Itoa(exp)
}
