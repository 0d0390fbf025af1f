package value

import (
	"net/netip"

	"github.com/jackc/pgx/v5/pgtype"
)

// MariaDB UUID, INET4 and INET6 inputs:
//
//	snapshot: []byte with the text form the server sends for these types
//	          (PROTOCOL_SEND_STRING): "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx",
//	          "a.b.c.d", and RFC 5952 IPv6 text ("::ffff:1.2.3.4" for a
//	          mapped address).
//	binlog:   string, go-mysql decodeString of a MYSQL_TYPE_STRING column:
//	          the in-memory binary form (UUID in RFC 4122 byte order, the
//	          address in network byte order) packed like BINARY(n), so
//	          trailing 0x00 bytes are stripped and must be restored.
//
// UUID byte order: MariaDB stores UUIDs in the record with their segments
// swapped so that time-based ones sort by time (all of them for tables made
// before MDEV-29959, versions 1-5 after it), but UUID::pack converts the record
// to the in-memory form before writing the binlog ("We transfer UUID values in
// binlog by compressing in-memory representation", plugin/type_uuid/
// sql_type_uuid.h; mysql-test rpl_row_binary_to_uuid replicates BINARY(16)
// into UUID unchanged), so binlog bytes are plain RFC order: no swap here.
// dualpath_integration_test.go confirms it on MariaDB 10.11 for a v1 UUID.
const (
	uuidLen  = 16
	inet4Len = 4
	inet6Len = 16
)

func (c *Converter) uuid(p path, v any) (any, error) {
	b, ok := raw(v)
	if !ok {
		return nil, c.unexpected(p, v, "[]byte or string")
	}
	var u pgtype.UUID
	if p == snapshotPath {
		if !parseUUID(b, &u.Bytes) {
			return nil, c.errorf("snapshot value is not UUID text (%d bytes)", len(b))
		}
	} else {
		if len(b) > uuidLen {
			return nil, c.errorf("binlog UUID value has %d bytes, want at most 16", len(b))
		}
		copy(u.Bytes[:], b) // the rest stays 0x00: the stripped padding
	}
	u.Valid = true
	return u, nil
}

func (c *Converter) inet(p path, v any) (any, error) {
	b, ok := raw(v)
	if !ok {
		return nil, c.unexpected(p, v, "[]byte or string")
	}
	var addr netip.Addr
	if p == snapshotPath {
		var err error
		if addr, err = netip.ParseAddr(string(b)); err != nil || addr.Zone() != "" {
			return nil, c.errorf("snapshot value is not an IP address (%d bytes)", len(b))
		}
		// INET4 text parses to a 4-byte address, INET6 text (even "::ffff:1.2.3.4") to a
		// 16-byte one: the family must match the column.
		if addr.Is4() != (c.op == opInet4) {
			return nil, c.errorf("snapshot address family does not match the column type")
		}
	} else {
		n := inet6Len
		if c.op == opInet4 {
			n = inet4Len
		}
		if len(b) > n {
			return nil, c.errorf("binlog address has %d bytes, want at most %d", len(b), n)
		}
		var a [16]byte
		copy(a[:], b)
		if n == inet4Len {
			addr = netip.AddrFrom4([4]byte(a[:4]))
		} else {
			addr = netip.AddrFrom16(a) // an IPv4-mapped address stays IPv6
		}
	}
	return netip.PrefixFrom(addr, addr.BitLen()), nil
}

// parseUUID parses the 36-character hyphenated form, either case.
func parseUUID(b []byte, dst *[16]byte) bool {
	if len(b) != 36 || b[8] != '-' || b[13] != '-' || b[18] != '-' || b[23] != '-' {
		return false
	}
	j := 0
	for i := 0; i < 36; {
		if i == 8 || i == 13 || i == 18 || i == 23 {
			i++
			continue
		}
		hi, ok1 := unhex(b[i])
		lo, ok2 := unhex(b[i+1])
		if !ok1 || !ok2 {
			return false
		}
		dst[j] = hi<<4 | lo
		j++
		i += 2
	}
	return true
}

func unhex(x byte) (byte, bool) {
	switch {
	case x >= '0' && x <= '9':
		return x - '0', true
	case x >= 'a' && x <= 'f':
		return x - 'a' + 10, true
	case x >= 'A' && x <= 'F':
		return x - 'A' + 10, true
	}
	return 0, false
}
