package value

import (
	"math/bits"
	"strings"
)

// ENUM and SET inputs:
//
//	snapshot: []byte with the label text (SET: the labels of the set bits in
//	          definition order, joined by ","; the empty set is "").
//	binlog:   int64 — ENUM the 1-based member index (0 is the "" that MySQL
//	          stores for an invalid value), SET the member bitmask, bit 0 the
//	          first member, 64-member sets negative when the last bit is set.
//
// Output is the label text. The index and bitmask are resolved against the
// members in the schema, which must be the definition in force at the binlog
// position (an ALTER that reorders members changes their meaning).

// setupMembers prepares an ENUM (max 65535 members) or SET (max 64).
func (c *Converter) setupMembers(o op, members []string) error {
	name, max := "ENUM", 65535
	if o == opSet {
		name, max = "SET", 64
	}
	if len(members) < 1 || len(members) > max {
		return c.errorf("%s has %d members, want 1..%d", name, len(members), max)
	}
	c.op, c.members = o, members
	c.boxed = make([]any, len(members)+1)
	c.boxed[0] = ""
	c.memberIdx = make(map[string]int, len(members)+1)
	c.memberIdx[""] = 0
	for i, m := range members {
		c.boxed[i+1] = m
		if _, dup := c.memberIdx[m]; !dup {
			c.memberIdx[m] = i + 1
		}
	}
	return nil
}

func (c *Converter) enum(p path, v any) (any, error) {
	if p == snapshotPath {
		b, ok := raw(v)
		if !ok {
			return nil, c.unexpected(p, v, "[]byte")
		}
		i, ok := c.memberIdx[string(b)] // no allocation: map lookup by converted []byte
		if !ok {
			return nil, c.errorf("snapshot label (%d bytes) is not one of the column's %d members; the schema is out of date", len(b), len(c.members))
		}
		return c.boxed[i], nil
	}
	i, ok := v.(int64)
	if !ok {
		return nil, c.unexpected(p, v, "int64")
	}
	if i < 0 || i > int64(len(c.members)) {
		return nil, c.errorf("binlog ENUM index %d is outside 0..%d; the schema is out of date", i, len(c.members))
	}
	return c.boxed[i], nil
}

func (c *Converter) set(p path, v any) (any, error) {
	if p == snapshotPath {
		b, ok := raw(v)
		if !ok {
			return nil, c.unexpected(p, v, "[]byte")
		}
		s, ok := c.canonicalSet(b)
		if !ok {
			return nil, c.errorf("snapshot SET text (%d bytes) is not a list of the column's members in definition order; the schema is out of date", len(b))
		}
		return s, nil
	}
	i, ok := v.(int64)
	if !ok {
		return nil, c.unexpected(p, v, "int64")
	}
	mask := uint64(i)
	if n := len(c.members); n < 64 && mask>>n != 0 {
		return nil, c.errorf("binlog SET bitmask has bits set above member %d; the schema is out of date", n)
	}
	switch bits.OnesCount64(mask) {
	case 0:
		return "", nil
	case 1:
		return c.boxed[bits.TrailingZeros64(mask)+1], nil
	}
	var sb strings.Builder
	for mask != 0 {
		k := bits.TrailingZeros64(mask)
		mask &= mask - 1
		if sb.Len() > 0 {
			sb.WriteByte(',')
		}
		sb.WriteString(c.members[k])
	}
	return sb.String(), nil
}

// canonicalSet checks that b lists members in definition order, each once,
// and returns it as a string. A member containing "," cannot exist (MySQL
// rejects it), so splitting on "," is exact.
func (c *Converter) canonicalSet(b []byte) (string, bool) {
	s := str(b)
	if s == "" {
		return "", true
	}
	next := 0 // members before next are used or skipped
	for rest := s; ; {
		label, tail, more := strings.Cut(rest, ",")
		found := false
		for next < len(c.members) {
			next++
			if c.members[next-1] == label {
				found = true
				break
			}
		}
		if !found {
			return "", false
		}
		if !more {
			return s, true
		}
		rest = tail
	}
}
