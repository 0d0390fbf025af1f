package value

import (
	"time"

	"github.com/jackc/pgx/v5/pgtype"
)

// DATE, DATETIME and TIMESTAMP inputs are text on both paths, never time.Time:
//
//	snapshot: []byte from the driver's formatBinaryDateTime: "YYYY-MM-DD" for
//	          DATE, "YYYY-MM-DD HH:MM:SS" plus exactly Scale fraction digits
//	          for DATETIME/TIMESTAMP; the zero value is "0000-00-00..." with
//	          the same shape. TIMESTAMP is rendered in the session time zone,
//	          which the snapshot reader sets to '+00:00'.
//	binlog:   string from go-mysql: DATE "%04d-%02d-%02d"; DATETIME2 the same
//	          shape with Dec fraction digits, month/day 0 kept as they are;
//	          TIMESTAMP2 formatted in TimestampStringLocation (must be UTC),
//	          zero as "0000-00-00 00:00:00[.000…]".
//
// Output is the civil value in UTC with no shifting: pgtype.Date,
// pgtype.Timestamp (DATETIME) or pgtype.Timestamptz (TIMESTAMP). Zero and
// partial-zero dates (year, month or day 0) become NULL in a nullable column
// and -infinity or an *Error in a NOT NULL column. Nothing is normalised: a
// date such as 2021-02-31 (ALLOW_INVALID_DATES) is an error, never March 3.

// civil is a parsed MySQL date-time, fields exactly as written.
type civil struct {
	year, month, day  int
	hour, minute, sec int
	usec              int
}

func (c *Converter) temporal(p path, v any) (any, Fix, error) {
	b, ok := raw(v)
	if !ok {
		return nil, 0, c.unexpected(p, v, "[]byte or string")
	}
	t, ok := parseDateTime(b, c.op == opDate)
	if !ok {
		return nil, 0, c.errorf("%s value is not %s text (%d bytes)", p, c.temporalName(), len(b))
	}
	if t.year == 0 || t.month == 0 || t.day == 0 {
		return c.zeroDate()
	}
	if t.day > daysIn(t.month, t.year) {
		return nil, 0, c.errorf("%s value is not a calendar date (day %d of month %d, allowed by ALLOW_INVALID_DATES); fix the source value",
			p, t.day, t.month)
	}
	tm := time.Date(t.year, time.Month(t.month), t.day, t.hour, t.minute, t.sec, t.usec*1000, time.UTC)
	switch c.op {
	case opDate:
		return pgtype.Date{Time: tm, Valid: true}, 0, nil
	case opDatetime:
		return pgtype.Timestamp{Time: tm, Valid: true}, 0, nil
	}
	return pgtype.Timestamptz{Time: tm, Valid: true}, 0, nil
}

// zeroDate applies the zero-date policy.
func (c *Converter) zeroDate() (any, Fix, error) {
	if c.nullable {
		return nil, FixZeroDateNull, nil
	}
	if c.zeroFail {
		return nil, 0, c.errorf("zero or partial-zero date (year, month or day is 0) in a NOT NULL column, which PostgreSQL cannot store; " +
			"use --zero-date=-infinity to store -infinity, make the column nullable to store NULL, or fix the source value")
	}
	return c.negInf, FixZeroDateInfinity, nil
}

func (c *Converter) temporalName() string {
	switch c.op {
	case opDate:
		return "DATE"
	case opDatetime:
		return "DATETIME"
	}
	return "TIMESTAMP"
}

// parseDateTime parses "YYYY-MM-DD", then (unless dateOnly) an optional
// " HH:MM:SS" and an optional "." with 1 to 6 fraction digits. Fields are
// range-checked but month and day may be 0 (zero dates).
func parseDateTime[T ~string | ~[]byte](s T, dateOnly bool) (civil, bool) {
	var t civil
	if len(s) < 10 || s[4] != '-' || s[7] != '-' {
		return t, false
	}
	var ok1, ok2, ok3 bool
	t.year, ok1 = digits(s[0:4])
	t.month, ok2 = digits(s[5:7])
	t.day, ok3 = digits(s[8:10])
	if !ok1 || !ok2 || !ok3 || t.month > 12 || t.day > 31 {
		return t, false
	}
	if len(s) == 10 {
		return t, true
	}
	if dateOnly || len(s) < 19 || s[10] != ' ' || s[13] != ':' || s[16] != ':' {
		return t, false
	}
	t.hour, ok1 = digits(s[11:13])
	t.minute, ok2 = digits(s[14:16])
	t.sec, ok3 = digits(s[17:19])
	if !ok1 || !ok2 || !ok3 || t.hour > 23 || t.minute > 59 || t.sec > 59 {
		return t, false
	}
	var ok bool
	t.usec, ok = fraction(s[19:])
	return t, ok
}

// fraction parses "" or "." followed by 1 to 6 digits as microseconds.
func fraction[T ~string | ~[]byte](s T) (int, bool) {
	if len(s) == 0 {
		return 0, true
	}
	if s[0] != '.' || len(s) < 2 || len(s) > 7 {
		return 0, false
	}
	us, ok := digits(s[1:])
	if !ok {
		return 0, false
	}
	for n := len(s) - 1; n < 6; n++ {
		us *= 10
	}
	return us, true
}

// digits parses 1 to 9 ASCII digits.
func digits[T ~string | ~[]byte](s T) (int, bool) {
	if len(s) == 0 || len(s) > 9 {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		d := s[i] - '0'
		if d > 9 {
			return 0, false
		}
		n = n*10 + int(d)
	}
	return n, true
}

// daysIn is the length of month m of year y in the proleptic Gregorian
// calendar, which MySQL and PostgreSQL both use.
func daysIn(m, y int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}
