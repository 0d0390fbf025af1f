package schema

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/bits"
	"net/netip"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Default translates the source default of a classified column into a
// PostgreSQL DEFAULT expression that yields what the converter would store
// for the same source value.
//
//   - ok && expr != "": use DEFAULT expr.
//   - ok && expr == "": no DEFAULT clause (no default, a NULL default, an
//     AUTO_INCREMENT or generated column, or a zero date in a nullable column).
//   - !ok: not translated; note says why and what to do. Nothing is guessed.
//
// note may also be set with ok to report a change of meaning (zero dates).
// COLUMN_DEFAULT is read in MariaDB's form when c.DefaultQuoted, else in
// MySQL's (see Column.DefaultQuoted).
func Default(c *Column) (expr string, ok bool, note string) {
	if c.Default == nil || c.AutoIncrement || c.Generated != "" {
		return "", true, ""
	}
	raw := *c.Default
	var why string
	switch {
	case c.DefaultIsExpr:
		expr, ok, why = defaultExpr(c, raw)
	case c.DefaultQuoted:
		expr, ok, why = defaultMariaDB(c, raw)
	default:
		expr, ok, why = defaultMySQL(c, raw)
	}
	switch {
	case !ok:
		return "", false, fmt.Sprintf("default %s not translated (%s); the column has no default in PostgreSQL: set one with ALTER TABLE … ALTER COLUMN … SET DEFAULT … if rows are inserted there directly", showValue(raw), why)
	case why != "":
		return expr, true, fmt.Sprintf("default %s: %s", showValue(raw), why)
	}
	return expr, true, ""
}

// showValue prints a source default for a note: as it is, or Go-quoted when
// it holds control characters or invalid UTF-8.
func showValue(v string) string {
	if !utf8.ValidString(v) || strings.ContainsFunc(v, unicode.IsControl) {
		return strconv.Quote(v)
	}
	return v
}

// The translators below return (expr, ok, why): why says why a default was
// not translated (!ok), or what a translated one changes (ok).

// defaultMariaDB reads MariaDB 10.2.7+ COLUMN_DEFAULT: 'quoted' literals,
// NULL, bare numbers and bit/hex literals, anything else an expression.
func defaultMariaDB(c *Column, raw string) (string, bool, string) {
	v := strings.TrimSpace(raw)
	switch {
	case strings.EqualFold(v, "NULL"):
		return "", true, ""
	case strings.HasPrefix(v, "'"):
		s, rest, err := readQuoted(v)
		if err != nil || rest != "" {
			return "", false, "unreadable quoted literal"
		}
		return defaultLiteral(c, s, false)
	case numberRE.MatchString(v), bitRE.MatchString(v), hexRE.MatchString(v):
		return defaultLiteral(c, v, true)
	}
	return defaultExpr(c, v)
}

// defaultMySQL reads MySQL COLUMN_DEFAULT, where a literal is printed bare.
// For string kinds the text is the value, byte for byte. For other kinds a
// quoted value (a MariaDB catalog that did not set DefaultQuoted) and the
// word NULL are unambiguous, and a value that is not a literal of the kind is
// an expression MySQL 5.7 did not mark (CURRENT_TIMESTAMP).
func defaultMySQL(c *Column, raw string) (string, bool, string) {
	switch c.Kind {
	case KindText, KindEnum, KindSet, KindJSON, KindBinary:
		return defaultLiteral(c, raw, true)
	}
	v := strings.TrimSpace(raw)
	if s, rest, err := readQuoted(v); err == nil && rest == "" {
		return defaultLiteral(c, s, false)
	}
	if strings.EqualFold(v, "NULL") {
		return "", true, ""
	}
	expr, ok, why := defaultLiteral(c, v, true)
	if ok {
		return expr, ok, why
	}
	if expr, ok, exprWhy := defaultExpr(c, v); ok {
		return expr, ok, exprWhy
	}
	return "", false, why
}

var (
	numberRE   = regexp.MustCompile(`^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$`)
	integerRE  = regexp.MustCompile(`^[+-]?\d+$`)
	bitRE      = regexp.MustCompile(`^[bB]'[01]*'$`)
	hexRE      = regexp.MustCompile(`^(0x[0-9a-fA-F]+|[xX]'([0-9a-fA-F]{2})*')$`)
	dateRE     = regexp.MustCompile(`^(\d{4})-(\d{2})-(\d{2})$`)
	datetimeRE = regexp.MustCompile(`^(\d{4})-(\d{2})-(\d{2})( \d{2}:\d{2}:\d{2}(\.\d{1,6})?)?$`)
	timeRE     = regexp.MustCompile(`^-?\d{1,3}:\d{2}:\d{2}(\.\d{1,6})?$`)
	uuidRE     = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
)

// defaultLiteral renders the literal value v as a constant of the target
// type, in the form the converter stores. bare is set when v was printed
// without quotes, where 0x… is hex notation rather than text.
func defaultLiteral(c *Column, v string, bare bool) (string, bool, string) {
	switch c.Kind {
	case KindInt, KindYear:
		if integerRE.MatchString(v) {
			return normalizeInteger(v), true, ""
		}
	case KindDecimal, KindFloat, KindDouble:
		if numberRE.MatchString(v) {
			return strings.TrimPrefix(v, "+"), true, ""
		}
	case KindBit:
		if b, ok := bitString(v, c.Length); ok {
			return "B'" + b + "'", true, ""
		}
	case KindText, KindEnum, KindSet:
		if strings.IndexByte(v, 0) >= 0 {
			return "", false, "PostgreSQL text cannot hold a NUL byte"
		}
		if c.Kind == KindText && c.FixedLength {
			v = strings.TrimRight(v, " ") // CHAR values are read without their pad
		}
		return Literal(v), true, ""
	case KindJSON:
		if json.Valid([]byte(v)) && !strings.Contains(v, `\u0000`) {
			return Literal(v) + "::jsonb", true, ""
		}
	case KindBinary:
		expr, cut := binaryDefault(c, v, bare)
		if cut {
			return expr, true, "MySQL prints a binary default only up to its first zero byte (in hex since 8.0): if the source default has a zero byte followed by other bytes, correct the PostgreSQL default"
		}
		return expr, true, ""
	case KindDate:
		if m := dateRE.FindStringSubmatch(v); m != nil {
			if isZeroDate(m[1], m[2], m[3]) {
				return zeroDateDefault(c, "date")
			}
			if validDatetime(v) {
				return Literal(v) + "::date", true, ""
			}
		}
	case KindDatetime, KindTimestamp:
		if m := datetimeRE.FindStringSubmatch(v); m != nil {
			typ, lit := "timestamp", v
			if c.Kind == KindTimestamp {
				// The catalog reads with time_zone '+00:00', so TIMESTAMP
				// defaults are printed in UTC.
				typ, lit = "timestamptz", v+"+00"
			}
			if isZeroDate(m[1], m[2], m[3]) {
				return zeroDateDefault(c, typ)
			}
			if validDatetime(v) {
				return Literal(lit) + "::" + typ, true, ""
			}
		}
	case KindTime:
		if timeRE.MatchString(v) {
			return Literal(v) + "::interval", true, ""
		}
	case KindUUID:
		if uuidRE.MatchString(v) {
			return Literal(strings.ToLower(v)) + "::uuid", true, ""
		}
	case KindInet4, KindInet6:
		if a, err := netip.ParseAddr(v); err == nil {
			return Literal(a.String()) + "::inet", true, ""
		}
	}
	return "", false, "not a valid " + c.Kind.String() + " value for " + c.ColumnType
}

// normalizeInteger drops a plus sign and leading zeros ("0000" → "0").
func normalizeInteger(v string) string {
	neg := strings.HasPrefix(v, "-")
	d := strings.TrimLeft(strings.TrimLeft(v, "+-"), "0")
	switch {
	case d == "":
		return "0"
	case neg:
		return "-" + d
	}
	return d
}

// bitString renders a BIT default (b'101', 0x05 or 5) as width binary digits.
func bitString(v string, width int64) (string, bool) {
	var n uint64
	var err error
	switch {
	case bitRE.MatchString(v):
		digits := v[2 : len(v)-1]
		if digits == "" {
			digits = "0"
		}
		n, err = strconv.ParseUint(digits, 2, 64)
	case strings.HasPrefix(v, "0x") && hexRE.MatchString(v):
		n, err = strconv.ParseUint(v[2:], 16, 64)
	case integerRE.MatchString(v) && !strings.HasPrefix(v, "-"):
		n, err = strconv.ParseUint(strings.TrimPrefix(v, "+"), 10, 64)
	default:
		return "", false
	}
	if err != nil || width < 1 || int64(bits.Len64(n)) > width {
		return "", false
	}
	return fmt.Sprintf("%0*b", int(width), n), true
}

// binaryDefault renders a BINARY/VARBINARY/BLOB default as a bytea constant.
// A bare 0x… or X'…' is hex (MySQL 8 prints binary defaults so); anything
// else is the bytes themselves. BINARY(n) values are padded with zero bytes
// to n, as the converter stores them. cut reports a bare (MySQL) value that
// may have been cut at a zero byte: MySQL prints binary defaults only up to
// the first one, while MariaDB prints them whole, escaped.
func binaryDefault(c *Column, v string, bare bool) (expr string, cut bool) {
	b := []byte(v)
	if bare && hexRE.MatchString(v) {
		digits := strings.TrimSuffix(v[2:], "'")
		if len(digits)%2 == 1 {
			digits = "0" + digits // 0x5 is the byte 0x05
		}
		b, _ = hex.DecodeString(digits) // hexRE admits hex digits only
	}
	cut = bare && (!c.FixedLength || int64(len(b)) < c.Length)
	if c.FixedLength && int64(len(b)) < c.Length {
		b = append(b, make([]byte, c.Length-int64(len(b)))...)
	}
	return Literal(`\x`+hex.EncodeToString(b)) + "::bytea", cut
}

// isZeroDate reports a date PostgreSQL cannot hold: year, month or day 0.
func isZeroDate(y, m, d string) bool {
	return y == "0000" || m == "00" || d == "00"
}

// zeroDateDefault applies the zero-date policy to a default: NULL when the
// column is nullable (no DEFAULT clause needed), -infinity when NOT NULL.
func zeroDateDefault(c *Column, typ string) (string, bool, string) {
	if c.Nullable {
		return "", true, "a zero date, which PostgreSQL cannot store: the column has no default, so NULL is stored, as for zero dates copied from the source"
	}
	return "'-infinity'::" + typ, true, "a zero date, which PostgreSQL cannot store: the NOT NULL column defaults to -infinity, as zero dates copied from the source become -infinity"
}

// validDatetime reports whether "YYYY-MM-DD[ hh:mm:ss[.ffffff]]" is a real
// calendar date and time. MySQL's ALLOW_INVALID_DATES admits 2020-02-31,
// which PostgreSQL rejects when the table is created.
func validDatetime(v string) bool {
	layout := time.DateTime // the fraction, when present, is accepted too
	if len(v) == len(time.DateOnly) {
		layout = time.DateOnly
	}
	_, err := time.Parse(layout, v)
	return err == nil
}
