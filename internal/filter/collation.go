package filter

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// collKind is how a collation weighs characters.
type collKind uint8

const (
	collBinary  collKind = iota // binary strings: bytes, NO PAD
	collBin                     // *_bin: code points
	collGeneral                 // *_general_ci: one weight per character (general_ci.txt)
	collUCA                     // *_unicode_ci: UCA 4.0.0 primary weights (unicode_ci.txt)
)

// collation is a MySQL collation sluice compares exactly.
type collation struct {
	name string
	kind collKind
	pad  bool // PAD SPACE: trailing spaces do not count in = and <
	bmp  bool // utf8mb3: holds no supplementary characters
}

var binaryCollation = &collation{name: "binary", kind: collBinary}

// collations are the ones implemented. Their weights and padding are MySQL's
// and MariaDB's alike: general_ci and unicode_ci (UCA 4.0.0) weigh every
// supplementary character 0xFFFD; the _bin ones compare code points.
var collations = func() map[string]*collation {
	m := map[string]*collation{"binary": binaryCollation}
	for _, cs := range []string{"utf8mb4", "utf8mb3", "utf8"} {
		bmp := cs != "utf8mb4"
		for _, c := range []struct {
			suffix string
			kind   collKind
			pad    bool
		}{
			{"_general_ci", collGeneral, true},
			{"_general_nopad_ci", collGeneral, false},
			{"_unicode_ci", collUCA, true},
			{"_unicode_nopad_ci", collUCA, false},
			{"_bin", collBin, true},
			{"_nopad_bin", collBin, false},
		} {
			m[cs+c.suffix] = &collation{name: cs + c.suffix, kind: c.kind, pad: c.pad, bmp: bmp}
		}
	}
	// MySQL 8: NO PAD, code point order.
	m["utf8mb4_0900_bin"] = &collation{name: "utf8mb4_0900_bin", kind: collBin}
	return m
}()

func lookupCollation(name string) (*collation, bool) {
	c, ok := collations[strings.ToLower(name)]
	return c, ok
}

// spaceWeight is the weight of ' ' that PAD SPACE pads the shorter string
// with, in UCA collations (in the others trailing characters are compared
// with ' ' byte by byte).
const ucaSpaceWeight = 0x0209

// compare orders a and b (UTF-8, or bytes for binary) as MySQL does.
func (c *collation) compare(a, b string) (int, error) {
	if c.kind == collBinary {
		return strings.Compare(a, b), nil
	}
	if !utf8.ValidString(a) || !utf8.ValidString(b) {
		return 0, fmt.Errorf("text is not valid UTF-8; %s compares characters", c.name)
	}
	if c.kind == collUCA {
		return c.compareUCA(a, b), nil
	}
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		ra, na := utf8.DecodeRuneInString(a[i:])
		rb, nb := utf8.DecodeRuneInString(b[j:])
		if wa, wb := c.weight(ra), c.weight(rb); wa != wb {
			return cmpInt(wa, wb), nil
		}
		i, j = i+na, j+nb
	}
	switch {
	case i == len(a) && j == len(b):
		return 0, nil
	case !c.pad && i == len(a):
		return -1, nil
	case !c.pad:
		return 1, nil
	case i == len(a):
		return -tailVsSpace(b[j:]), nil
	}
	return tailVsSpace(a[i:]), nil
}

// weight is a character's single weight in general_ci and _bin collations.
func (c *collation) weight(r rune) rune {
	if c.kind != collGeneral {
		return r
	}
	if r > 0xFFFF {
		return 0xFFFD
	}
	return rune(generalCI()[r])
}

// tailVsSpace compares what is left of the longer string with spaces, byte
// by byte (MariaDB's my_strnncollsp_padspace_bin, MySQL's equivalent).
func tailVsSpace(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] != ' ' {
			return cmpInt(s[i], ' ')
		}
	}
	return 0
}

func (c *collation) compareUCA(a, b string) int {
	sa, sb := ucaScanner{s: a}, ucaScanner{s: b}
	for {
		wa, oka := sa.next()
		wb, okb := sb.next()
		switch {
		case oka && okb:
			if wa != wb {
				return cmpInt(wa, wb)
			}
			continue
		case !oka && !okb:
			return 0
		case !c.pad:
			if oka {
				return 1
			}
			return -1
		}
		// One string ended: the rest of the other weighs against spaces.
		rest, w, sign := &sa, wa, 1
		if okb {
			rest, w, sign = &sb, wb, -1
		}
		for ok := true; ok; w, ok = rest.next() {
			if w != ucaSpaceWeight {
				return sign * cmpInt(w, ucaSpaceWeight)
			}
		}
		return 0
	}
}

// ucaScanner yields the primary weights of a valid UTF-8 string, skipping
// ignorable characters; a supplementary character weighs 0xFFFD.
type ucaScanner struct {
	s       string
	i       int
	pending [8]uint16
	p, n    int
}

func (u *ucaScanner) next() (uint16, bool) {
	for u.p == u.n {
		if u.i >= len(u.s) {
			return 0, false
		}
		r, size := utf8.DecodeRuneInString(u.s[u.i:])
		u.i += size
		if r > 0xFFFF {
			return 0xFFFD, true
		}
		u.p, u.n = 0, len(unicodeCI().appendWeights(u.pending[:0], r))
	}
	u.p++
	return u.pending[u.p-1], true
}

// charEq tells whether LIKE matches character a in the value with b in the
// pattern: by code point in _bin, by weight in general_ci, and in
// unicode_ci by the whole weight list of each character (so 'ß' does not
// match 's', and two ignorable characters match each other but nothing
// else), supplementary characters by code point.
func (c *collation) charEq(a, b rune) bool {
	if a == b {
		return true
	}
	switch c.kind {
	case collGeneral:
		return c.weight(a) == c.weight(b)
	case collUCA:
		if a > 0xFFFF || b > 0xFFFF {
			return false
		}
		var wa, wb [8]uint16
		t := unicodeCI()
		x, y := t.appendWeights(wa[:0], a), t.appendWeights(wb[:0], b)
		if len(x) != len(y) {
			return false
		}
		for i := range x {
			if x[i] != y[i] {
				return false
			}
		}
		return true
	}
	return false
}
