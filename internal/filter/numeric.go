package filter

import (
	"cmp"
	"strconv"
	"strings"
)

// dec is an exact decimal number in canonical form: ip holds the digits of
// the integer part without leading zeros, fp those of the fraction without
// trailing zeros. Zero is the zero value and is never negative, so -0.0 and
// 0 are the same number, as in MySQL's DECIMAL.
type dec struct {
	neg    bool
	ip, fp string
}

// parseDec parses [+-]digits[.digits] (or [+-].digits): a DECIMAL column's
// text on both paths, a decimal literal. No exponent, no spaces.
func parseDec(s string) (dec, bool) {
	var d dec
	if s != "" && (s[0] == '-' || s[0] == '+') {
		d.neg = s[0] == '-'
		s = s[1:]
	}
	ip, fp, _ := strings.Cut(s, ".")
	if ip == "" && fp == "" || !allDigits(ip) || !allDigits(fp) {
		return dec{}, false
	}
	d.ip = strings.TrimLeft(ip, "0")
	d.fp = strings.TrimRight(fp, "0")
	if d.ip == "" && d.fp == "" {
		d.neg = false
	}
	return d, true
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// digits is the number of significant digits.
func (d dec) digits() int {
	if d.ip == "" {
		return len(strings.TrimLeft(d.fp, "0"))
	}
	return len(d.ip) + len(d.fp)
}

func (d dec) isZero() bool { return d.ip == "" && d.fp == "" }

func (d dec) String() string {
	var b strings.Builder
	if d.neg {
		b.WriteByte('-')
	}
	if d.ip == "" {
		b.WriteByte('0')
	}
	b.WriteString(d.ip)
	if d.fp != "" {
		b.WriteByte('.')
		b.WriteString(d.fp)
	}
	return b.String()
}

// float is the double nearest to d, as MySQL's decimal2double (my_strtod of
// the decimal's text, correctly rounded) gives it.
func (d dec) float() float64 {
	f, _ := strconv.ParseFloat(d.String(), 64) // a canonical decimal always parses; huge ones give ±Inf, which DECIMAL(65) never reaches
	return f
}

func (d dec) cmp(e dec) int {
	if d.neg != e.neg {
		if d.neg {
			return -1
		}
		return 1
	}
	c := cmpMagnitude(d, e)
	if d.neg {
		return -c
	}
	return c
}

func cmpMagnitude(d, e dec) int {
	if len(d.ip) != len(e.ip) {
		return cmpInt(len(d.ip), len(e.ip))
	}
	if c := strings.Compare(d.ip, e.ip); c != 0 {
		return c
	}
	return strings.Compare(d.fp, e.fp) // no trailing zeros: lexicographic order is numeric order
}

func cmpInt[T cmp.Ordered](a, b T) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// exactKind tells which field of an exact holds the number.
type exactKind uint8

const (
	exInt  exactKind = iota // i
	exUint                  // u
	exDec                   // d
)

// exact is an integer or decimal value, compared without rounding (MySQL's
// INT_RESULT and DECIMAL_RESULT comparisons).
type exact struct {
	kind exactKind
	i    int64
	u    uint64
	d    dec
}

func exactInt(i int64) exact   { return exact{kind: exInt, i: i} }
func exactUint(u uint64) exact { return exact{kind: exUint, u: u} }
func exactDec(d dec) exact     { return exact{kind: exDec, d: d} }

func (x exact) dec() dec {
	switch x.kind {
	case exInt:
		if x.i < 0 {
			return dec{neg: true, ip: strconv.FormatUint(-uint64(x.i), 10)}
		}
		return dec{ip: strings.TrimLeft(strconv.FormatInt(x.i, 10), "0")}
	case exUint:
		return dec{ip: strings.TrimLeft(strconv.FormatUint(x.u, 10), "0")}
	}
	return x.d
}

func (x exact) float() float64 {
	switch x.kind {
	case exInt:
		return float64(x.i)
	case exUint:
		return float64(x.u)
	}
	return x.d.float()
}

func (x exact) isZero() bool {
	switch x.kind {
	case exInt:
		return x.i == 0
	case exUint:
		return x.u == 0
	}
	return x.d.isZero()
}

func (x exact) neg() exact {
	switch {
	case x.kind == exInt && x.i != -1<<63:
		return exactInt(-x.i)
	case x.kind == exUint && x.u <= 1<<63:
		return exactInt(int64(-x.u)) // -(1<<63) wraps to math.MinInt64, as wanted
	}
	d := x.dec()
	if !d.isZero() {
		d.neg = !d.neg
	}
	return exactDec(d)
}

func cmpExact(a, b exact) int {
	switch {
	case a.kind == exInt && b.kind == exInt:
		return cmpInt(a.i, b.i)
	case a.kind == exUint && b.kind == exUint:
		return cmpInt(a.u, b.u)
	case a.kind == exInt && b.kind == exUint:
		if a.i < 0 {
			return -1
		}
		return cmpInt(uint64(a.i), b.u)
	case a.kind == exUint && b.kind == exInt:
		if b.i < 0 {
			return 1
		}
		return cmpInt(a.u, uint64(b.i))
	}
	return a.dec().cmp(b.dec())
}

// numeral is a string literal that reads as a number: its exact value and
// the double MySQL converts it to.
type numeral struct {
	x exact
	f float64
}

// maxNumeralExp bounds the exponent of a numeral string; far beyond it the
// exact value would be a huge digit string for no use.
const maxNumeralExp = 400

// parseNumeral reads a string literal used as a number. It accepts only a
// clean numeral — [+-]digits[.digits][e[+-]digits], digits on at least one
// side of the point — since MySQL's conversion of anything else (leading
// spaces, trailing garbage, hex) differs between its string-to-double and
// string-to-decimal paths.
func parseNumeral(s string) (numeral, bool) {
	mant, exp := s, 0
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		mant = s[:i]
		e := s[i+1:]
		if e != "" && (e[0] == '+' || e[0] == '-') {
			if !allDigits(e[1:]) || len(e) == 1 {
				return numeral{}, false
			}
		} else if e == "" || !allDigits(e) {
			return numeral{}, false
		}
		n, err := strconv.Atoi(e)
		if err != nil || n > maxNumeralExp || n < -maxNumeralExp {
			return numeral{}, false
		}
		exp = n
	}
	d, ok := parseDec(mant)
	if !ok {
		return numeral{}, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return numeral{}, false
	}
	return numeral{x: exactDec(shift(d, exp)), f: f}, true
}

// shift returns d × 10^exp.
func shift(d dec, exp int) dec {
	if d.isZero() || exp == 0 {
		return d
	}
	all := d.ip + d.fp
	point := len(d.ip) + exp // position of the point in all
	var ip, fp string
	switch {
	case point <= 0:
		ip, fp = "", strings.Repeat("0", -point)+all
	case point >= len(all):
		ip, fp = all+strings.Repeat("0", point-len(all)), ""
	default:
		ip, fp = all[:point], all[point:]
	}
	return dec{neg: d.neg, ip: strings.TrimLeft(ip, "0"), fp: strings.TrimRight(fp, "0")}
}
