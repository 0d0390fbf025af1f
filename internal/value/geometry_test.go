package value

import (
	"encoding/binary"
	"math"
	"testing"

	"github.com/sluicedb/sluice/internal/schema"
)

var geomCol = schema.Column{Name: "g", Kind: schema.KindGeometry, Geometry: "geometry", Nullable: true}

// mysqlGeom is MySQL's internal geometry value: SRID (4 bytes little-endian)
// and WKB.
func mysqlGeom(srid uint32, wkb []byte) []byte {
	return append(binary.LittleEndian.AppendUint32(nil, srid), wkb...)
}

// wkbPoint is a WKB POINT(x y) in the given byte order.
func wkbPoint(order binary.AppendByteOrder, typ uint32, x, y float64) []byte {
	b := []byte{1}
	if order == binary.AppendByteOrder(binary.BigEndian) {
		b[0] = 0
	}
	b = order.AppendUint32(b, typ)
	b = order.AppendUint64(b, math.Float64bits(x))
	return order.AppendUint64(b, math.Float64bits(y))
}

// ewkbPoint is the PostGIS EWKB of POINT(x y) with an SRID.
func ewkbPoint(order binary.AppendByteOrder, srid uint32, x, y float64) []byte {
	b := []byte{1}
	if order == binary.AppendByteOrder(binary.BigEndian) {
		b[0] = 0
	}
	b = order.AppendUint32(b, 1|0x20000000)
	b = order.AppendUint32(b, srid)
	b = order.AppendUint64(b, math.Float64bits(x))
	return order.AppendUint64(b, math.Float64bits(y))
}

// wkbLineString2 is a big-endian WKB LINESTRING(0 0, 1 1).
var wkbLineString2 = []byte{
	0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x02,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0x3f, 0xf0, 0, 0, 0, 0, 0, 0, 0x3f, 0xf0, 0, 0, 0, 0, 0, 0,
}

var (
	le, be      = binary.LittleEndian, binary.BigEndian
	point0      = mysqlGeom(0, wkbPoint(le, 1, 1, 2))
	point4326LE = mysqlGeom(4326, wkbPoint(le, 1, 13.4, 52.5))
	point4326BE = mysqlGeom(4326, wkbPoint(be, 1, 13.4, 52.5))
	line3857BE  = mysqlGeom(3857, wkbLineString2)
)

var geometryCases = []tcase{
	{name: "srid 0 is plain wkb", col: geomCol, snap: point0, bin: point0, image: imgGeometry(point0), want: wkbPoint(le, 1, 1, 2)},
	{name: "srid 4326 little-endian", col: geomCol, snap: point4326LE, bin: point4326LE, image: imgGeometry(point4326LE), want: ewkbPoint(le, 4326, 13.4, 52.5)},
	{name: "srid 4326 big-endian", col: geomCol, snap: point4326BE, bin: point4326BE, image: imgGeometry(point4326BE), want: ewkbPoint(be, 4326, 13.4, 52.5)},
	{name: "srid 3857 linestring big-endian", col: geomCol, snap: line3857BE, bin: line3857BE, image: imgGeometry(line3857BE),
		want: append([]byte{0x00, 0x20, 0x00, 0x00, 0x02, 0x00, 0x00, 0x0f, 0x11}, wkbLineString2[5:]...)},
	{name: "too short", col: geomCol, snap: []byte{0, 0, 0, 0, 1}, bin: []byte{0, 0, 0, 0, 1}, err: "too short"},
	{name: "bad byte order", col: geomCol, snap: mysqlGeom(4326, []byte{2, 1, 0, 0, 0}), bin: none, err: "byte order 2"},
	{name: "already extended", col: geomCol, snap: mysqlGeom(4326, wkbPoint(le, 1|0x20000000, 0, 0)), bin: none, err: "extended flags"},
	{name: "geometry as string", col: geomCol, snap: "x", bin: "x", err: "has Go type string"},
}

func TestGeometry(t *testing.T) { runCases(t, geometryCases) }
