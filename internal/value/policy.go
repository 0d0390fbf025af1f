package value

import (
	"fmt"
	"strings"
)

// Policy holds the user's choices for values PostgreSQL cannot store as they
// are. The zero value is the safe default: -infinity for zero dates in NOT NULL
// columns, and fail on bad text.
type Policy struct {
	// ZeroDateNotNull decides what a zero or partial-zero date becomes in a
	// NOT NULL column. In a nullable column it always becomes NULL.
	ZeroDateNotNull ZeroDatePolicy
	// BadText decides what happens to NUL bytes and invalid UTF-8 in text
	// and JSON values.
	BadText BadTextPolicy
	// PostGIS is informational: geometry values are EWKB bytes either way,
	// which a PostGIS geometry column and a bytea column both accept.
	PostGIS bool
}

// ZeroDatePolicy is what a zero date becomes in a NOT NULL column.
type ZeroDatePolicy uint8

const (
	// ZeroDateNegInfinity stores -infinity, which PostgreSQL date and
	// timestamp types accept and which no real date can collide with.
	ZeroDateNegInfinity ZeroDatePolicy = iota
	// ZeroDateFail rejects the value with an *Error.
	ZeroDateFail
)

// BadTextPolicy is what happens to a NUL byte or invalid UTF-8 in text.
type BadTextPolicy uint8

const (
	// BadTextFail rejects the value with an *Error that gives the offset.
	BadTextFail BadTextPolicy = iota
	// BadTextStrip removes NUL bytes and invalid UTF-8 byte sequences and
	// reports it with FixStrippedNUL / FixStrippedInvalidUTF8.
	BadTextStrip
)

// String returns the policy name as the command line spells it.
func (p ZeroDatePolicy) String() string {
	switch p {
	case ZeroDateNegInfinity:
		return "-infinity"
	case ZeroDateFail:
		return "fail"
	}
	return fmt.Sprintf("ZeroDatePolicy(%d)", uint8(p))
}

// String returns the policy name as the command line spells it.
func (p BadTextPolicy) String() string {
	switch p {
	case BadTextFail:
		return "fail"
	case BadTextStrip:
		return "strip"
	}
	return fmt.Sprintf("BadTextPolicy(%d)", uint8(p))
}

// ParseZeroDatePolicy parses "-infinity" or "fail".
func ParseZeroDatePolicy(s string) (ZeroDatePolicy, error) {
	switch strings.ToLower(s) {
	case "-infinity":
		return ZeroDateNegInfinity, nil
	case "fail":
		return ZeroDateFail, nil
	}
	return 0, fmt.Errorf("unknown zero-date policy %q (want -infinity or fail)", s)
}

// ParseBadTextPolicy parses "fail" or "strip".
func ParseBadTextPolicy(s string) (BadTextPolicy, error) {
	switch strings.ToLower(s) {
	case "fail":
		return BadTextFail, nil
	case "strip":
		return BadTextStrip, nil
	}
	return 0, fmt.Errorf("unknown bad-text policy %q (want fail or strip)", s)
}

// Fix records what a converter changed in one value, as bit flags, so that the
// caller can count it per table. Zero means the value passed unchanged.
type Fix uint8

const (
	// FixZeroDateNull: a zero or partial-zero date became NULL.
	FixZeroDateNull Fix = 1 << iota
	// FixZeroDateInfinity: a zero or partial-zero date became -infinity.
	FixZeroDateInfinity
	// FixStrippedNUL: NUL bytes (or \u0000 escapes in JSON) were removed.
	FixStrippedNUL
	// FixStrippedInvalidUTF8: invalid UTF-8 byte sequences were removed.
	FixStrippedInvalidUTF8
)

var fixNames = [...]string{"zero-date-null", "zero-date-infinity", "stripped-nul", "stripped-invalid-utf8"}

// String lists the set flags, "+"-separated; "none" for zero.
func (f Fix) String() string {
	if f == 0 {
		return "none"
	}
	var b strings.Builder
	for i, name := range fixNames {
		if f&(1<<i) == 0 {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('+')
		}
		b.WriteString(name)
	}
	if rest := f &^ (1<<len(fixNames) - 1); rest != 0 {
		if b.Len() > 0 {
			b.WriteByte('+')
		}
		fmt.Fprintf(&b, "0x%x", uint8(rest))
	}
	return b.String()
}
