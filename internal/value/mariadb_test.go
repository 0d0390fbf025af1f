package value

import (
	"net/netip"
	"testing"

	"github.com/jackc/pgx/v5/pgtype"

	"github.com/sluicedb/sluice/internal/schema"
)

// A time-based (version 1) UUID, which MariaDB swaps in its record format,
// ending in 0x00 so the binlog drops its last byte.
const (
	uuidV1Text  = "123e4567-e89b-12d3-a456-426614174000"
	uuidV1Bytes = "\x12\x3e\x45\x67\xe8\x9b\x12\xd3\xa4\x56\x42\x66\x14\x17\x40\x00"
	uuidV4Text  = "F47AC10B-58CC-4372-A567-0E02B2C3D479"
	uuidV4Bytes = "\xf4\x7a\xc1\x0b\x58\xcc\x43\x72\xa5\x67\x0e\x02\xb2\xc3\xd4\x79"
)

func pguuid(b string) pgtype.UUID { return pgtype.UUID{Bytes: [16]byte([]byte(b)), Valid: true} }

var (
	uuidCol  = kindCol(schema.KindUUID)
	inet4Col = kindCol(schema.KindInet4)
	inet6Col = kindCol(schema.KindInet6)
	mapped   = "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\xff\xff\x01\x02\x03\x04"
)

var mariadbCases = []tcase{
	{name: "uuid v1 trailing zero", col: uuidCol, snap: []byte(uuidV1Text), bin: uuidV1Bytes[:15], image: imgChar(16, uuidV1Bytes, 0), want: pguuid(uuidV1Bytes)},
	{name: "uuid v4 upper case", col: uuidCol, snap: []byte(uuidV4Text), bin: uuidV4Bytes, image: imgChar(16, uuidV4Bytes, 0), want: pguuid(uuidV4Bytes)},
	{name: "uuid nil", col: uuidCol, snap: []byte("00000000-0000-0000-0000-000000000000"), bin: "", image: imgChar(16, string(make([]byte, 16)), 0), want: pguuid(string(make([]byte, 16)))},
	{name: "uuid without hyphens", col: uuidCol, snap: []byte("123e4567e89b12d3a456426614174000"), bin: none, err: "not UUID text"},
	{name: "uuid bad digit", col: uuidCol, snap: []byte("123e4567-e89b-12d3-a456-42661417400g"), bin: none, err: "not UUID text"},
	{name: "uuid binlog too long", col: uuidCol, snap: none, bin: uuidV4Bytes + "x", err: "want at most 16"},
	{name: "inet4 trailing zeros", col: inet4Col, snap: []byte("192.168.0.0"), bin: "\xc0\xa8", image: imgChar(4, "\xc0\xa8\x00\x00", 0), want: netip.MustParsePrefix("192.168.0.0/32")},
	{name: "inet4 zero", col: inet4Col, snap: []byte("0.0.0.0"), bin: "", image: imgChar(4, "\x00\x00\x00\x00", 0), want: netip.MustParsePrefix("0.0.0.0/32")},
	{name: "inet4 broadcast", col: inet4Col, snap: []byte("255.255.255.255"), bin: "\xff\xff\xff\xff", image: imgChar(4, "\xff\xff\xff\xff", 0), want: netip.MustParsePrefix("255.255.255.255/32")},
	{name: "inet6", col: inet6Col, snap: []byte("2001:db8::"), bin: "\x20\x01\x0d\xb8", image: imgChar(16, "\x20\x01\x0d\xb8"+string(make([]byte, 12)), 0), want: netip.MustParsePrefix("2001:db8::/128")},
	{name: "inet6 zero", col: inet6Col, snap: []byte("::"), bin: "", image: imgChar(16, string(make([]byte, 16)), 0), want: netip.MustParsePrefix("::/128")},
	// An IPv4-mapped address stays an IPv6 inet, on both paths.
	{name: "inet6 ipv4-mapped", col: inet6Col, snap: []byte("::ffff:1.2.3.4"), bin: mapped, image: imgChar(16, mapped, 0), want: netip.PrefixFrom(netip.AddrFrom16([16]byte([]byte(mapped))), 128)},
	{name: "inet4 given ipv6 text", col: inet4Col, snap: []byte("::1"), bin: none, err: "family does not match"},
	{name: "inet6 given ipv4 text", col: inet6Col, snap: []byte("1.2.3.4"), bin: none, err: "family does not match"},
	{name: "inet6 zone", col: inet6Col, snap: []byte("fe80::1%eth0"), bin: none, err: "not an IP address"},
	{name: "inet4 binlog too long", col: inet4Col, snap: none, bin: "\x01\x02\x03\x04\x05", err: "want at most 4"},
}

func TestMariaDBTypes(t *testing.T) { runCases(t, mariadbCases) }

func TestIPv4MappedStaysIPv6OnTheWire(t *testing.T) {
	b := pgEncode(t, &inet6Col, netip.PrefixFrom(netip.AddrFrom16([16]byte([]byte(mapped))), 128))
	if len(b) != 4+16 || b[0] != 3 || b[1] != 128 {
		t.Fatalf("mapped address encodes as %x, want family 3 (inet6), /128, 16 bytes", b)
	}
}
