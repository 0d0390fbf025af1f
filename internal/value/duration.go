package value

import "github.com/jackc/pgx/v5/pgtype"

// TIME inputs are text on both paths:
//
//	snapshot: []byte from the driver's formatBinaryTime: "[-]HH:MM:SS" with
//	          hours = days*24 + hours (three digits past 99) and exactly Scale
//	          fraction digits; "-00:00:00.500000" keeps its sign.
//	binlog:   string from go-mysql's decodeTime2/timeFormat: the same shape,
//	          fraction cut to Dec digits, sign kept for negative values with
//	          zero hours.
//
// Output is an interval of microseconds only (no days or months, so that
// 24:00:00 and above stay hours), within MySQL's ±838:59:59.999999.
func (c *Converter) duration(p path, v any) (any, error) {
	b, ok := raw(v)
	if !ok {
		return nil, c.unexpected(p, v, "[]byte or string")
	}
	us, ok := parseTime(b)
	if !ok {
		return nil, c.errorf("%s value is not TIME text within ±838:59:59.999999 (%d bytes)", p, len(b))
	}
	return pgtype.Interval{Microseconds: us, Valid: true}, nil
}

const maxTimeHours = 838

// parseTime parses "[-]H..H:MM:SS[.f]" (1 to 3 hour digits, 1 to 6 fraction
// digits) into signed microseconds.
func parseTime[T ~string | ~[]byte](s T) (int64, bool) {
	neg := len(s) > 0 && s[0] == '-'
	if neg {
		s = s[1:]
	}
	colon := -1
	for i := 0; i < len(s) && i < 4; i++ {
		if s[i] == ':' {
			colon = i
			break
		}
	}
	if colon < 1 || len(s) < colon+6 || s[colon+3] != ':' {
		return 0, false
	}
	h, ok1 := digits(s[:colon])
	m, ok2 := digits(s[colon+1 : colon+3])
	sec, ok3 := digits(s[colon+4 : colon+6])
	us, ok4 := fraction(s[colon+6:])
	if !ok1 || !ok2 || !ok3 || !ok4 || h > maxTimeHours || m > 59 || sec > 59 {
		return 0, false
	}
	total := ((int64(h)*60+int64(m))*60+int64(sec))*1_000_000 + int64(us)
	if neg {
		total = -total
	}
	return total, true
}
