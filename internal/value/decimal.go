package value

import (
	"math/big"
	"math/bits"

	"github.com/jackc/pgx/v5/pgtype"
)

// DECIMAL inputs: the decimal text on both paths — a []byte from the snapshot
// (the server's own rendering, exactly Scale fraction digits) and a string
// from the binlog (go-mysql's decodeDecimal with UseDecimal=false, also
// exactly Scale fraction digits). Never a float.

// maxDecimalDigits bounds the digits parseDecimal accepts: DECIMAL(65,30)
// prints at most 65 digits plus a leading "0" before the point.
const maxDecimalDigits = 66

func (c *Converter) decimal(p path, v any) (any, error) {
	b, ok := raw(v)
	if !ok {
		want := "[]byte"
		if p == binlogPath {
			want = "string"
		}
		return nil, c.unexpected(p, v, want)
	}
	n, err := parseDecimal(b, c.width)
	if err != "" {
		return nil, c.errorf("%s value %s (%d bytes)", p, err, len(b))
	}
	return n, nil
}

// parseDecimal parses [-+]digits[.digits] exactly into a numeric with
// exponent -scale. Fewer fraction digits than scale are padded; more are
// accepted only when the extra ones are zeros, since anything else would be
// rounded by PostgreSQL. The error is a reason without the value, "" if none.
func parseDecimal[T ~string | ~[]byte](s T, scale int) (pgtype.Numeric, string) {
	var buf [maxDecimalDigits + 32]byte // digits without point, leading zeros dropped
	nd := 0
	i := 0
	neg := false
	if len(s) > 0 && (s[0] == '-' || s[0] == '+') {
		neg = s[0] == '-'
		i++
	}
	digits, frac, point := 0, 0, false
	for ; i < len(s); i++ {
		ch := s[i]
		if ch == '.' {
			if point {
				return pgtype.Numeric{}, "is not decimal text: two points"
			}
			point = true
			continue
		}
		if ch < '0' || ch > '9' {
			return pgtype.Numeric{}, "is not decimal text: unexpected character"
		}
		digits++
		if digits > maxDecimalDigits {
			return pgtype.Numeric{}, "has more digits than DECIMAL(65,30) allows"
		}
		if point {
			frac++
			if frac > scale {
				if ch != '0' {
					return pgtype.Numeric{}, "has more fraction digits than the column scale"
				}
				continue // a trailing zero beyond the scale: same value
			}
		}
		if nd == 0 && ch == '0' {
			continue
		}
		buf[nd] = ch
		nd++
	}
	if digits == 0 {
		return pgtype.Numeric{}, "is not decimal text: no digits"
	}
	for ; frac < scale; frac++ {
		if nd > 0 {
			buf[nd] = '0'
			nd++
		}
	}
	var z *big.Int
	if nd <= 19 {
		var u uint64
		for _, ch := range buf[:nd] {
			u = u*10 + uint64(ch-'0')
		}
		z = smallInt(u)
	} else if z, _ = new(big.Int).SetString(string(buf[:nd]), 10); z == nil {
		return pgtype.Numeric{}, "is not decimal text"
	}
	if neg {
		z.Neg(z)
	}
	return pgtype.Numeric{Int: z, Exp: -int32(scale), Valid: true}, ""
}

// smallInt returns u as a big.Int whose digits live in the same allocation,
// one allocation instead of two (big.Int.SetUint64 allocates its words).
func smallInt(u uint64) *big.Int {
	h := new(struct {
		z big.Int
		w [2]big.Word
	})
	if bits.UintSize == 64 {
		h.w[0] = big.Word(u)
		return h.z.SetBits(h.w[:1])
	}
	h.w[0], h.w[1] = big.Word(u), big.Word(u>>32)
	return h.z.SetBits(h.w[:2])
}
