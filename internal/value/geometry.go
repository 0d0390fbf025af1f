package value

import "encoding/binary"

// GEOMETRY inputs are MySQL's internal format on both paths — a []byte of a
// 4-byte little-endian SRID followed by standard WKB (SELECT returns it as
// is; the binlog stores it as a BLOB).
//
// Output is PostGIS EWKB: the WKB with the SRID flag 0x20000000 set in the
// outer geometry's type and the SRID inserted after the type, both in the
// WKB's own byte order. SRID 0 is plain WKB. PostGIS geometry reads it with
// its SRID; without PostGIS the same bytes go to bytea.
const (
	ewkbSRIDFlag  = 0x20000000
	ewkbFlagsMask = 0xE0000000 // Z, M and SRID flags: MySQL writes none of them
	minWKB        = 1 + 4      // byte order + type
)

func (c *Converter) geometry(p path, v any) (any, error) {
	b, ok := v.([]byte)
	if !ok {
		return nil, c.unexpected(p, v, "[]byte")
	}
	if len(b) < 4+minWKB {
		return nil, c.errorf("%s geometry value has %d bytes, too short for SRID and WKB", p, len(b))
	}
	srid := binary.LittleEndian.Uint32(b[:4])
	wkb := b[4:]
	var order binary.ByteOrder
	switch wkb[0] {
	case 0:
		order = binary.BigEndian
	case 1:
		order = binary.LittleEndian
	default:
		return nil, c.errorf("%s geometry value has WKB byte order %d, want 0 or 1", p, wkb[0])
	}
	typ := order.Uint32(wkb[1:5])
	if typ&ewkbFlagsMask != 0 {
		return nil, c.errorf("%s geometry value has WKB type 0x%08x with extended flags already set", p, typ)
	}
	if srid == 0 {
		return wkb, nil
	}
	out := make([]byte, len(wkb)+4)
	out[0] = wkb[0]
	order.PutUint32(out[1:5], typ|ewkbSRIDFlag)
	order.PutUint32(out[5:9], srid)
	copy(out[9:], wkb[5:])
	return out, nil
}
