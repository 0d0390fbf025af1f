package filter

import (
	"fmt"
	"unicode/utf8"
)

type likeOp uint8

const (
	likeChar likeOp = iota // one character equal under the collation
	likeOne                // _
	likeAny                // %
)

type likeTok struct {
	op likeOp
	r  rune // likeChar
}

// likePattern is a compiled LIKE pattern. Units are characters, or bytes
// under the binary collation.
type likePattern struct {
	coll *collation
	toks []likeTok
}

// units splits s into characters (bytes for binary strings).
func (c *collation) units(s string) ([]rune, error) {
	out := make([]rune, 0, len(s))
	if c.kind == collBinary {
		for i := 0; i < len(s); i++ {
			out = append(out, rune(s[i]))
		}
		return out, nil
	}
	for _, r := range s {
		out = append(out, r)
	}
	if !utf8.ValidString(s) {
		return nil, fmt.Errorf("text is not valid UTF-8; %s compares characters", c.name)
	}
	return out, nil
}

// compileLike reads pattern as MySQL's my_wildcmp does: escape followed by
// any character is that character, an escape at the very end stands for
// itself; % and _ are wildcards. hasEsc false means no escape character.
func compileLike(coll *collation, pattern string, esc rune, hasEsc bool) (*likePattern, error) {
	units, err := coll.units(pattern)
	if err != nil {
		return nil, err
	}
	p := &likePattern{coll: coll}
	for i := 0; i < len(units); i++ {
		u := units[i]
		switch {
		case hasEsc && u == esc && i+1 < len(units):
			i++
			p.toks = append(p.toks, likeTok{op: likeChar, r: units[i]})
		case u == '%':
			if n := len(p.toks); n == 0 || p.toks[n-1].op != likeAny {
				p.toks = append(p.toks, likeTok{op: likeAny})
			}
		case u == '_':
			p.toks = append(p.toks, likeTok{op: likeOne})
		default:
			p.toks = append(p.toks, likeTok{op: likeChar, r: u})
		}
	}
	return p, nil
}

// match runs the pattern over s: the classic wildcard walk that, on a
// mismatch, resumes after the last % one unit further along.
func (p *likePattern) match(s string) (bool, error) {
	units, err := p.coll.units(s)
	if err != nil {
		return false, err
	}
	ti, si := 0, 0
	star, mark := -1, 0
	for si < len(units) {
		if ti < len(p.toks) {
			switch t := p.toks[ti]; {
			case t.op == likeAny:
				star, mark = ti, si
				ti++
				continue
			case t.op == likeOne || p.coll.charEq(units[si], t.r):
				ti++
				si++
				continue
			}
		}
		if star < 0 {
			return false, nil
		}
		mark++
		ti, si = star+1, mark
	}
	for ti < len(p.toks) && p.toks[ti].op == likeAny {
		ti++
	}
	return ti == len(p.toks), nil
}
