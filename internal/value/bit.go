package value

import "github.com/jackc/pgx/v5/pgtype"

// BIT(n) inputs:
//
//	snapshot: []byte of ceil(n/8) bytes, the value big-endian, right-aligned
//	          (b'101' in BIT(3) is 0x05).
//	binlog:   int64 holding the value right-aligned; BIT(64) with the top
//	          bit set is negative.
//
// Output: pgtype.Bits with Len n. PostgreSQL bit(n) is MSB-first and
// left-aligned in its bytes (b'101' is 0xA0), so the value is shifted left by
// the unused low bits of the last byte.
func (c *Converter) bit(p path, v any) (any, error) {
	var u uint64
	if p == snapshotPath {
		b, ok := v.([]byte)
		if !ok {
			return nil, c.unexpected(p, v, "[]byte")
		}
		if len(b) != (c.width+7)/8 {
			return nil, c.errorf("snapshot BIT value has %d bytes, want %d", len(b), (c.width+7)/8)
		}
		for _, x := range b {
			u = u<<8 | uint64(x)
		}
	} else {
		i, ok := v.(int64)
		if !ok {
			return nil, c.unexpected(p, v, "int64")
		}
		u = uint64(i)
	}
	if c.width < 64 && u>>c.width != 0 {
		return nil, c.errorf("%s BIT value has bits set above bit %d", p, c.width)
	}
	return bitsOf(u, c.width), nil
}

// bitsOf renders the n-bit value u as PostgreSQL bit(n).
func bitsOf(u uint64, n int) pgtype.Bits {
	nb := (n + 7) / 8
	u <<= uint(nb*8 - n)
	out := make([]byte, nb)
	for i := nb - 1; i >= 0; i-- {
		out[i] = byte(u)
		u >>= 8
	}
	return pgtype.Bits{Bytes: out, Len: int32(n), Valid: true}
}
