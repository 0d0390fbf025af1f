package verify

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/sluicedb/sluice/internal/schema"
	"github.com/sluicedb/sluice/internal/value"
)

// column is how one column is compared: two expressions, one per server,
// that render the same value to the same text (NULL stays NULL), or, for
// the kinds neither server prints exactly, the raw column read on both
// sides and made canonical here (fetch).
type column struct {
	name   string // source name
	kind   schema.Kind
	my, pg string // MySQL and PostgreSQL expressions
	fetch  bool   // compared in Go (see canonical)
	// prefix marks text that may hold the row text's separator: it is
	// length-prefixed there.
	prefix bool
	// myRow is the MySQL expression in the row text when cheaper than my
	// (UTF-8 text needs no CONVERT inside CONCAT_WS); notNull drops the
	// NULL test there. MariaDB spends most of a checksum on these calls.
	myRow   string
	notNull bool
}

// columns renders every column of t. A zero date in a NOT NULL column is
// expected as -infinity, in a nullable one as NULL (the default policy; with
// --zero-date fail such a row never loads and shows as missing); with
// --bad-text strip, NUL characters are expected gone.
func columns(t *schema.Table, p value.Policy, postgis bool) []column {
	cols := make([]column, len(t.Columns))
	for i := range t.Columns {
		cols[i] = render(&t.Columns[i], p, postgis)
	}
	return cols
}

func render(c *schema.Column, p value.Policy, postgis bool) column {
	q, Q := schema.MySQL.Quote(c.Name), schema.Ident(c.TargetName)
	r := column{name: c.Name, kind: c.Kind, my: q, pg: Q + "::text", notNull: !c.Nullable}
	if c.Transform != "" { // the task file changes its values: not compared
		r.my, r.pg, r.kind, r.notNull = "'-'", "'-'", schema.KindText, true
		return r
	}
	zerofill := strings.Contains(strings.ToLower(c.ColumnType), "zerofill")
	switch c.Kind {
	case schema.KindInt, schema.KindDecimal, schema.KindYear:
		if zerofill || c.Kind == schema.KindYear {
			r.my = "(" + q + " + 0)" // no ZEROFILL padding; YEAR as a number
		}
	case schema.KindBit:
		r.my = fmt.Sprintf("LPAD(BIN(%s + 0), %d, '0')", q, c.Length)
	case schema.KindText, schema.KindEnum, schema.KindSet:
		r.my, r.prefix = "CONVERT("+q+" USING utf8mb4)", true
		switch strings.ToLower(c.Charset) {
		case "utf8mb4", "utf8mb3", "utf8", "ascii":
			r.myRow = q // the same bytes; CONCAT_WS makes the result utf8mb4
		}
		if p.BadText == value.BadTextStrip && c.Kind == schema.KindText {
			r.my, r.myRow = "REPLACE("+r.my+", CHAR(0 USING utf8mb4), '')", ""
		}
	case schema.KindBinary:
		r.my, r.pg = "HEX("+q+")", "upper(encode("+Q+", 'hex'))"
	case schema.KindDate:
		r.my = zeroDate(c, q, "DATE_FORMAT("+q+", '%Y-%m-%d')")
		r.pg = finite(Q, "to_char("+Q+", 'YYYY-MM-DD')")
	case schema.KindDatetime, schema.KindTimestamp:
		r.my = zeroDate(c, q, "DATE_FORMAT("+q+", '%Y-%m-%d %H:%i:%s.%f')")
		at := Q
		if c.Kind == schema.KindTimestamp {
			at = "(" + Q + " AT TIME ZONE 'UTC')"
		}
		r.pg = finite(Q, "to_char("+at+", 'YYYY-MM-DD HH24:MI:SS.US')")
	case schema.KindTime: // as signed seconds with 6 digits
		r.my = "CAST(TIME_TO_SEC(" + q + ") AS DECIMAL(20,6))"
		r.pg = "extract(epoch FROM " + Q + ")::numeric(20,6)::text"
	case schema.KindUUID:
		r.my = "CAST(" + q + " AS CHAR)"
	case schema.KindInet4:
		r.my, r.pg = "CAST("+q+" AS CHAR)", "host("+Q+")"
	case schema.KindGeometry:
		r.my = "CONCAT(ST_SRID(" + q + "), ';', HEX(ST_AsBinary(" + q + ")))"
		if postgis {
			r.pg = "ST_SRID(" + Q + ") || ';' || upper(encode(ST_AsBinary(" + Q + "), 'hex'))"
		} else { // EWKB-less bytea: MySQL's internal 4-byte little-endian SRID, then WKB
			r.pg = "(get_byte(" + Q + ", 0) + (get_byte(" + Q + ", 1) << 8) + (get_byte(" + Q + ", 2) << 16) + " +
				"(get_byte(" + Q + ", 3)::bigint << 24)) || ';' || upper(encode(substr(" + Q + ", 5), 'hex'))"
		}
	case schema.KindFloat, schema.KindDouble:
		r.pg, r.fetch = Q, true
	case schema.KindJSON:
		r.fetch = true
	case schema.KindInet6:
		r.my, r.pg, r.fetch = "CAST("+q+" AS CHAR)", "host("+Q+")", true
	}
	return r
}

// zeroDate renders a MySQL date column through format, with zero and
// partial-zero dates as the policy stores them.
func zeroDate(c *schema.Column, q, format string) string {
	zero := "'-infinity'"
	if c.Nullable {
		zero = "NULL"
	}
	return fmt.Sprintf("CASE WHEN %[1]s IS NULL THEN NULL WHEN YEAR(%[1]s) = 0 OR MONTH(%[1]s) = 0 OR DAY(%[1]s) = 0 THEN %[2]s ELSE %[3]s END",
		q, zero, format)
}

// finite renders a PostgreSQL date or timestamp through format, and
// ±infinity as PostgreSQL spells it.
func finite(Q, format string) string {
	return "CASE WHEN isfinite(" + Q + ") THEN " + format + " ELSE " + Q + "::text END"
}

// item is one column's part of the row text on one side: 'N' for NULL (no
// rendering is the bare letter N), and text that may hold the separator
// prefixed with its length in bytes and a comma. MySQL tests NULL only in
// nullable columns; PostgreSQL always (a target NULL then still differs).
func item(c column, pg bool) string {
	if pg {
		if c.prefix {
			return "coalesce(octet_length(" + c.pg + ")::text || ',' || " + c.pg + ", 'N')"
		}
		return "coalesce(" + c.pg + ", 'N')"
	}
	e := c.my
	if c.myRow != "" {
		e = c.myRow
	}
	switch {
	case c.notNull && c.prefix:
		return "LENGTH(" + e + "), " + e // two CONCAT_WS arguments: "len,text"
	case c.notNull:
		return e
	case c.prefix:
		return "IFNULL(CONCAT(LENGTH(" + e + "), ',', " + e + "), 'N')"
	}
	return "IFNULL(" + e + ", 'N')"
}

// rowText joins the items of cols (fetched ones left out) with commas.
func rowText(cols []column, pg bool) string {
	var items []string
	for _, c := range cols {
		if !c.fetch {
			items = append(items, item(c, pg))
		}
	}
	if len(items) == 0 {
		return "''"
	}
	if pg {
		return "concat_ws(',', " + strings.Join(items, ", ") + ")"
	}
	return "CONCAT_WS(',', " + strings.Join(items, ", ") + ")"
}

// hashBits is a number made of the first n hex digits of the MD5 of text:
// the same unsigned value on both servers.
func hashBits(text string, digits int, pg bool) string {
	if pg {
		return fmt.Sprintf("('x' || substr(md5(%s), 1, %d))::bit(%d)::bigint", text, digits, digits*4)
	}
	return fmt.Sprintf("CAST(CONV(SUBSTRING(MD5(%s), 1, %d), 16, 10) AS UNSIGNED)", text, digits)
}

// rowHashDigits makes each row's hash 60 bits: the sum of a chunk's hashes
// then fits both servers' exact arithmetic, and a changed row goes unseen
// with probability 2^-60.
const rowHashDigits = 15

// sumExpr is the checksum of a set of rows: count and sum of row hashes, as
// text.
func sumExpr(cols []column, pg bool) string {
	h := hashBits(rowText(cols, pg), rowHashDigits, pg)
	if pg {
		return "count(*)::text, coalesce(sum(" + h + "), 0)::text"
	}
	return "CAST(COUNT(*) AS CHAR), CAST(COALESCE(SUM(" + h + "), 0) AS CHAR)"
}

// bucketExpr assigns a row to one of n buckets by the hash of its key text.
func bucketExpr(key []column, n int, pg bool) string {
	return "(" + hashBits(rowText(key, pg), 8, pg) + " % " + strconv.Itoa(n) + ")"
}
