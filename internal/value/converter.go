package value

import (
	"golang.org/x/text/encoding"

	"github.com/jackc/pgx/v5/pgtype"

	"github.com/sluicedb/sluice/internal/schema"
)

// op is the precomputed conversion for a column: New decides it once, the
// per-value methods switch on it.
type op uint8

const (
	opInt       op = iota + 1 // integer that fits int64 → int64 (smallint/integer/bigint)
	opUint64                  // BIGINT UNSIGNED → pgtype.Numeric
	opYear                    // YEAR → int64
	opDecimal                 // DECIMAL(p,s) → pgtype.Numeric
	opFloat                   // FLOAT → float32
	opDouble                  // DOUBLE → float64
	opBit                     // BIT(n) → pgtype.Bits
	opText                    // CHAR/VARCHAR/TEXT → string
	opBinary                  // BINARY/VARBINARY/BLOB → []byte
	opDate                    // DATE → pgtype.Date
	opDatetime                // DATETIME(n) → pgtype.Timestamp
	opTimestamp               // TIMESTAMP(n) → pgtype.Timestamptz
	opTime                    // TIME(n) → pgtype.Interval
	opEnum                    // ENUM → string
	opSet                     // SET → string
	opJSON                    // JSON → string
	opGeometry                // GEOMETRY family → []byte (EWKB)
	opUUID                    // MariaDB UUID → pgtype.UUID
	opInet4                   // MariaDB INET4 → netip.Prefix /32
	opInet6                   // MariaDB INET6 → netip.Prefix /128
)

// Converter converts the values of one source column. It is immutable after
// New and safe for concurrent use.
//
// Invariant: Snapshot and Binlog take ownership of a []byte input — the
// result may share its memory — so the caller must not modify or reuse the
// slice afterwards. database/sql hands out a fresh copy per Scan into *any,
// and go-mysql a fresh buffer per event, so both readers satisfy this as long
// as they do not switch to sql.RawBytes.
type Converter struct {
	name     string // source column name, for errors
	typ      string // source column type, for errors
	op       op
	nullable bool
	zeroFail bool // Policy.ZeroDateNotNull == ZeroDateFail
	strip    bool // Policy.BadText == BadTextStrip

	unsigned bool              // opInt
	width    int               // opInt: bytes; opBit: bits; opBinary: fixed length (0 = variable); opDecimal: scale
	trim     bool              // opText: CHAR(n), trailing spaces are not part of the value
	cs       decode            // opText, opJSON: how binlog bytes become UTF-8
	csErr    error             // decNone: the error every binlog value of the column gets
	enc      encoding.Encoding // decOther: the column's charset
	csName   string            // decOther: its MySQL name, for messages

	members   []string       // opEnum, opSet: labels in definition order
	boxed     []any          // opEnum, opSet: 1-based index → label as any ("" at 0), returned without allocating
	memberIdx map[string]int // opEnum, opSet: label → 1-based index
	negInf    any            // date kinds: -infinity of the output type
}

// Snapshot converts v as go-sql-driver/mysql returns it from a binary-protocol
// (prepared statement) row scanned into *any, with parseTime=false, connection
// charset utf8mb4 and session time_zone '+00:00'. nil is NULL.
func (c *Converter) Snapshot(v any) (any, Fix, error) {
	if v == nil {
		return nil, 0, nil
	}
	return c.convert(snapshotPath, v)
}

// Binlog converts v as go-mysql's replication.RowsEvent decodes it with
// ParseTime=false, UseDecimal=false and TimestampStringLocation=time.UTC.
// nil is NULL.
func (c *Converter) Binlog(v any) (any, Fix, error) {
	if v == nil {
		return nil, 0, nil
	}
	return c.convert(binlogPath, v)
}

func (c *Converter) convert(p path, v any) (any, Fix, error) {
	var out any
	var err error
	switch c.op {
	case opInt:
		out, err = c.integer(p, v)
	case opUint64:
		out, err = c.uint64Numeric(p, v)
	case opYear:
		out, err = c.year(p, v)
	case opDecimal:
		out, err = c.decimal(p, v)
	case opFloat:
		if _, ok := v.(float32); !ok {
			return nil, 0, c.unexpected(p, v, "float32")
		}
		out = v
	case opDouble:
		if _, ok := v.(float64); !ok {
			return nil, 0, c.unexpected(p, v, "float64")
		}
		out = v
	case opBit:
		out, err = c.bit(p, v)
	case opText:
		return c.text(p, v)
	case opBinary:
		out, err = c.binary(p, v)
	case opDate, opDatetime, opTimestamp:
		return c.temporal(p, v)
	case opTime:
		out, err = c.duration(p, v)
	case opEnum:
		out, err = c.enum(p, v)
	case opSet:
		out, err = c.set(p, v)
	case opJSON:
		return c.json(p, v)
	case opGeometry:
		out, err = c.geometry(p, v)
	case opUUID:
		out, err = c.uuid(p, v)
	case opInet4, opInet6:
		out, err = c.inet(p, v)
	default:
		err = c.errorf("internal error: converter has no operation")
	}
	if err != nil {
		return nil, 0, err
	}
	return out, 0, nil
}

// Column returns the source column name the converter was built for.
func (c *Converter) Column() string { return c.name }

// New builds the converter for column col under policy p. It fails when the
// column definition cannot be converted on both paths (unknown kind, a
// binlog charset sluice cannot decode, impossible lengths).
func New(col *schema.Column, p Policy) (*Converter, error) {
	if col == nil {
		return nil, &Error{Column: "?", Reason: "no column definition"}
	}
	c := &Converter{
		name:     col.Name,
		typ:      col.ColumnType,
		nullable: col.Nullable,
		zeroFail: p.ZeroDateNotNull == ZeroDateFail,
		strip:    p.BadText == BadTextStrip,
	}
	if c.typ == "" {
		c.typ = col.DataType
	}
	if c.typ == "" {
		c.typ = col.Kind.String()
	}
	if err := c.setup(col); err != nil {
		return nil, err
	}
	return c, nil
}

func (c *Converter) setup(col *schema.Column) error {
	switch col.Kind {
	case schema.KindInt:
		switch col.IntBytes {
		case 1, 2, 3, 4, 8:
		default:
			return c.errorf("integer column has IntBytes %d, want 1, 2, 3, 4 or 8", col.IntBytes)
		}
		c.op, c.unsigned, c.width = opInt, col.Unsigned, col.IntBytes
		if col.Unsigned && col.IntBytes == 8 {
			c.op = opUint64
		}
	case schema.KindYear:
		c.op = opYear
	case schema.KindDecimal:
		if col.Precision < 1 || col.Precision > 65 || col.Scale < 0 || col.Scale > 30 || col.Scale > col.Precision {
			return c.errorf("DECIMAL(%d,%d) is outside MySQL's limits (precision 1..65, scale 0..30)", col.Precision, col.Scale)
		}
		c.op, c.width = opDecimal, col.Scale
	case schema.KindFloat:
		c.op = opFloat
	case schema.KindDouble:
		c.op = opDouble
	case schema.KindBit:
		if col.Length < 1 || col.Length > 64 {
			return c.errorf("BIT(%d) is outside 1..64", col.Length)
		}
		c.op, c.width = opBit, int(col.Length)
	case schema.KindText:
		d, err := c.charset(col.Charset, true)
		if err != nil {
			return err
		}
		c.op, c.cs, c.trim = opText, d, col.FixedLength
	case schema.KindBinary:
		c.op = opBinary
		if col.FixedLength {
			if col.Length < 1 || col.Length > 255 {
				return c.errorf("BINARY(%d) is outside 1..255", col.Length)
			}
			c.width = int(col.Length)
		}
	case schema.KindDate:
		c.op, c.negInf = opDate, pgtype.Date{InfinityModifier: pgtype.NegativeInfinity, Valid: true}
	case schema.KindDatetime:
		c.op, c.negInf = opDatetime, pgtype.Timestamp{InfinityModifier: pgtype.NegativeInfinity, Valid: true}
	case schema.KindTimestamp:
		c.op, c.negInf = opTimestamp, pgtype.Timestamptz{InfinityModifier: pgtype.NegativeInfinity, Valid: true}
	case schema.KindTime:
		c.op = opTime
	case schema.KindEnum:
		return c.setupMembers(opEnum, col.Members)
	case schema.KindSet:
		return c.setupMembers(opSet, col.Members)
	case schema.KindJSON:
		d, err := c.charset(col.Charset, false)
		if err != nil {
			return err
		}
		c.op, c.cs = opJSON, d
	case schema.KindGeometry:
		c.op = opGeometry
	case schema.KindUUID:
		c.op = opUUID
	case schema.KindInet4:
		c.op = opInet4
	case schema.KindInet6:
		c.op = opInet6
	default:
		return c.errorf("column kind %s has no conversion; the catalog reader must map or exclude this type", col.Kind)
	}
	return nil
}
