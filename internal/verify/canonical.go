package verify

import (
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

// canonicalJSON re-encodes a JSON text canonically: object keys sorted
// (by their decoded text) with the last of duplicate keys kept, as jsonb
// keeps it; strings re-quoted by strconv.Quote (escapes decoded, so every
// spelling of one string is one form); numbers by canonicalNumber; no
// spaces. A hand-written parser: verify runs it on every JSON value.
func canonicalJSON(s string) (string, error) {
	p := jsonParser{s: s}
	out, err := p.value(nil)
	if err != nil {
		return "", fmt.Errorf("JSON value: %w", err)
	}
	if p.skip(); p.i != len(s) {
		return "", fmt.Errorf("JSON value: text after the value at offset %d", p.i)
	}
	return string(out), nil
}

type jsonParser struct {
	s string
	i int
}

func (p *jsonParser) skip() {
	for p.i < len(p.s) && (p.s[p.i] == ' ' || p.s[p.i] == '\t' || p.s[p.i] == '\n' || p.s[p.i] == '\r') {
		p.i++
	}
}

func (p *jsonParser) errf(what string) error {
	return fmt.Errorf("%s at offset %d", what, p.i)
}

// value appends the canonical form of the value at p.i to out.
func (p *jsonParser) value(out []byte) ([]byte, error) {
	p.skip()
	if p.i >= len(p.s) {
		return nil, p.errf("unexpected end")
	}
	switch c := p.s[p.i]; {
	case c == '{':
		return p.object(out)
	case c == '[':
		p.i++
		out = append(out, '[')
		for n := 0; ; n++ {
			p.skip()
			if p.i < len(p.s) && p.s[p.i] == ']' && n == 0 {
				p.i++
				return append(out, ']'), nil
			}
			if n > 0 {
				out = append(out, ',')
			}
			var err error
			if out, err = p.value(out); err != nil {
				return nil, err
			}
			p.skip()
			if p.i < len(p.s) && p.s[p.i] == ',' {
				p.i++
				continue
			}
			if p.i < len(p.s) && p.s[p.i] == ']' {
				p.i++
				return append(out, ']'), nil
			}
			return nil, p.errf("expected , or ]")
		}
	case c == '"':
		str, err := p.str()
		if err != nil {
			return nil, err
		}
		return strconv.AppendQuote(out, str), nil
	case c == '-' || (c >= '0' && c <= '9'):
		j := p.i
		for p.i < len(p.s) && strings.IndexByte("+-.eE0123456789", p.s[p.i]) >= 0 {
			p.i++
		}
		return append(out, canonicalNumber(p.s[j:p.i])...), nil
	}
	for _, lit := range []string{"true", "false", "null"} {
		if strings.HasPrefix(p.s[p.i:], lit) {
			p.i += len(lit)
			return append(out, lit...), nil
		}
	}
	return nil, p.errf("unexpected character")
}

func (p *jsonParser) object(out []byte) ([]byte, error) {
	p.i++
	type member struct {
		key string
		val []byte
	}
	var ms []member
	for {
		p.skip()
		if p.i < len(p.s) && p.s[p.i] == '}' && len(ms) == 0 {
			p.i++
			break
		}
		if p.i >= len(p.s) || p.s[p.i] != '"' {
			return nil, p.errf("expected a key")
		}
		key, err := p.str()
		if err != nil {
			return nil, err
		}
		p.skip()
		if p.i >= len(p.s) || p.s[p.i] != ':' {
			return nil, p.errf("expected :")
		}
		p.i++
		val, err := p.value(nil)
		if err != nil {
			return nil, err
		}
		ms = append(ms, member{key, val})
		p.skip()
		if p.i < len(p.s) && p.s[p.i] == ',' {
			p.i++
			continue
		}
		if p.i < len(p.s) && p.s[p.i] == '}' {
			p.i++
			break
		}
		return nil, p.errf("expected , or }")
	}
	// Stable: of duplicate keys the last stays last and wins below.
	slices.SortStableFunc(ms, func(a, b member) int { return strings.Compare(a.key, b.key) })
	out = append(out, '{')
	first := true
	for i, m := range ms {
		if i+1 < len(ms) && ms[i+1].key == m.key {
			continue
		}
		if !first {
			out = append(out, ',')
		}
		first = false
		out = strconv.AppendQuote(out, m.key)
		out = append(out, ':')
		out = append(out, m.val...)
	}
	return append(out, '}'), nil
}

// str decodes the string at p.i (escapes included).
func (p *jsonParser) str() (string, error) {
	p.i++
	j := p.i
	for p.i < len(p.s) && p.s[p.i] != '"' && p.s[p.i] != '\\' {
		p.i++
	}
	if p.i < len(p.s) && p.s[p.i] == '"' { // no escapes: the text itself
		p.i++
		return p.s[j : p.i-1], nil
	}
	// Escapes: find the closing quote, let strconv-compatible JSON decoding
	// of encoding/json do the rest.
	for p.i < len(p.s) && p.s[p.i] != '"' {
		if p.s[p.i] == '\\' {
			p.i++
		}
		p.i++
	}
	if p.i >= len(p.s) {
		return "", p.errf("unterminated string")
	}
	p.i++
	var str string
	if err := json.Unmarshal([]byte(p.s[j-1:p.i]), &str); err != nil {
		return "", p.errf("bad string")
	}
	return str, nil
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
