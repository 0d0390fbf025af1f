package filter

import (
	"fmt"
	"time"
)

// civil is a MySQL date-time, fields as written. MySQL compares DATE,
// DATETIME and TIMESTAMP values (a DATE at midnight) field by field, zero and
// partial-zero dates included, so pack orders them as MySQL does.
type civil struct {
	year, month, day, hour, minute, sec, usec int
}

func (c civil) pack() int64 {
	n := int64(c.year)*13 + int64(c.month)
	n = n*32 + int64(c.day)
	n = n*24 + int64(c.hour)
	n = n*60 + int64(c.minute)
	n = n*60 + int64(c.sec)
	return n*1_000_000 + int64(c.usec)
}

func (c civil) hasTime() bool { return c.hour != 0 || c.minute != 0 || c.sec != 0 || c.usec != 0 }

func (c civil) String() string {
	s := fmt.Sprintf("%04d-%02d-%02d", c.year, c.month, c.day)
	if c.hasTime() {
		s += fmt.Sprintf(" %02d:%02d:%02d", c.hour, c.minute, c.sec)
		if c.usec != 0 {
			s += fmt.Sprintf(".%06d", c.usec)
		}
	}
	return s
}

// parseCivil parses "YYYY-MM-DD", optionally followed by sep and
// "HH:MM:SS" with an optional "." and 1 to 6 fraction digits. seps lists the
// accepted separators between date and time. Fields are range-checked, but
// month and day may be 0 (zero dates) and the day is not checked against
// the month (ALLOW_INVALID_DATES); callers that need a calendar date check.
func parseCivil(s string, seps string) (civil, bool) {
	var c civil
	if len(s) < 10 || s[4] != '-' || s[7] != '-' {
		return c, false
	}
	var ok [3]bool
	c.year, ok[0] = num(s[0:4])
	c.month, ok[1] = num(s[5:7])
	c.day, ok[2] = num(s[8:10])
	if !ok[0] || !ok[1] || !ok[2] || c.month > 12 || c.day > 31 {
		return c, false
	}
	if len(s) == 10 {
		return c, true
	}
	if len(s) < 19 || !containsByte(seps, s[10]) || s[13] != ':' || s[16] != ':' {
		return c, false
	}
	c.hour, ok[0] = num(s[11:13])
	c.minute, ok[1] = num(s[14:16])
	c.sec, ok[2] = num(s[17:19])
	if !ok[0] || !ok[1] || !ok[2] || c.hour > 23 || c.minute > 59 || c.sec > 59 {
		return c, false
	}
	frac := s[19:]
	if frac == "" {
		return c, true
	}
	if frac[0] != '.' || len(frac) < 2 || len(frac) > 7 {
		return c, false
	}
	us, good := num(frac[1:])
	if !good {
		return c, false
	}
	for n := len(frac) - 1; n < 6; n++ {
		us *= 10
	}
	c.usec = us
	return c, true
}

func containsByte(s string, b byte) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == b {
			return true
		}
	}
	return false
}

// num parses 1 to 9 ASCII digits.
func num(s string) (int, bool) {
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

// parseTemporalLiteral parses a string or DATE/TIMESTAMP literal compared
// with a temporal column. Only the unambiguous forms are accepted —
// 'YYYY-MM-DD' and 'YYYY-MM-DD HH:MM:SS[.ffffff]' (or with T) — and only a
// real calendar date from year 1: MySQL reads other forms ('2024-1-1',
// '20240101', two-digit years, zero dates) by rules that depend on the
// server and its sql_mode.
func parseTemporalLiteral(s string) (civil, error) {
	c, ok := parseCivil(s, " T")
	if !ok {
		return c, fmt.Errorf("'%s' is not a date 'YYYY-MM-DD' or date-time 'YYYY-MM-DD HH:MM:SS[.ffffff]'", s)
	}
	if c.year == 0 || c.month == 0 || c.day == 0 || c.day > daysIn(c.month, c.year) {
		return c, fmt.Errorf("'%s' is not a calendar date (zero and invalid dates are not supported in filters)", s)
	}
	return c, nil
}

// civilOf converts a column value: the text both paths deliver (parseTime
// off) or a time.Time, whose wall clock in its own location is taken.
func civilOf(v any) (civil, bool) {
	switch t := v.(type) {
	case []byte:
		return parseCivil(view(t), " ")
	case string:
		return parseCivil(t, " ")
	case time.Time:
		return civil{t.Year(), int(t.Month()), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond() / 1000}, true
	}
	return civil{}, false
}

// daysIn is the length of month m of year y (proleptic Gregorian).
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
