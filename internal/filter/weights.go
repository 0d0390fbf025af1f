package filter

import (
	_ "embed"
	"fmt"
	"strconv"
	"strings"
	"sync"
)

// The weight tables of the two Unicode collation families, as MariaDB's
// WEIGHT_STRING prints them for every BMP code point (U+0000..U+FFFF less the
// surrogates). They are generated from a server, not typed in:
//
//	go test -tags integration -run TestWeightTables ./internal/filter/ -update
//
// and the same test, without -update, checks every code point against the
// server. Both files are text, one entry per line:
//
//	0041 0E33        one code point and its weights (none: an ignorable)
//	0061-007A +0041  a range whose single weights count up from 0041
//	4E00-9FA5 *FB40  a range with UCA implicit weights on base FB40
//
// general_ci.txt lists only the code points whose weight is not the code
// point itself; unicode_ci.txt lists every code point whose weights are not
// the implicit ones on base FBC0 (unassigned code points).

//go:embed general_ci.txt
var generalCIData string

//go:embed unicode_ci.txt
var unicodeCIData string

// generalCI is utf8mb4_general_ci's weight (its "sort" table) per BMP code
// point. Supplementary characters all weigh 0xFFFD.
var generalCI = sync.OnceValue(func() *[0x10000]uint16 {
	var w [0x10000]uint16
	for i := range w {
		w[i] = uint16(i)
	}
	mustParseWeights(generalCIData, "general_ci.txt", func(cp rune, ws []uint16, implicit int) {
		if len(ws) != 1 || implicit != 0 {
			panic(fmt.Sprintf("filter: general_ci.txt: U+%04X has %d weights", cp, len(ws)))
		}
		w[cp] = ws[0]
	})
	return &w
})

// ucaTable is utf8mb4_unicode_ci's (UCA 4.0.0) primary weights per BMP code
// point: index[cp] is offset<<4 | count into weights, or implicitFlag|base
// for a code point with implicit weights.
type ucaTable struct {
	index   [0x10000]uint32
	weights []uint16
}

const implicitFlag = 1 << 31

var unicodeCI = sync.OnceValue(func() *ucaTable {
	t := &ucaTable{}
	for i := range t.index {
		t.index[i] = implicitFlag | 0xFBC0
	}
	mustParseWeights(unicodeCIData, "unicode_ci.txt", func(cp rune, ws []uint16, implicit int) {
		if implicit != 0 {
			t.index[cp] = implicitFlag | uint32(implicit)
			return
		}
		t.index[cp] = uint32(len(t.weights))<<4 | uint32(len(ws))
		t.weights = append(t.weights, ws...)
	})
	return t
})

// appendWeights appends the primary weights of BMP code point r.
func (t *ucaTable) appendWeights(dst []uint16, r rune) []uint16 {
	x := t.index[r]
	if x&implicitFlag != 0 {
		base := uint16(x &^ implicitFlag)
		return append(dst, base+uint16(r>>15), uint16(r&0x7FFF)|0x8000)
	}
	off, n := x>>4, x&0xF
	return append(dst, t.weights[off:off+n]...)
}

func mustParseWeights(data, name string, set func(cp rune, ws []uint16, implicit int)) {
	if err := parseWeights(data, set); err != nil {
		panic(fmt.Sprintf("filter: %s: %v", name, err))
	}
}

// parseWeights reads the format described above and calls set per code
// point.
func parseWeights(data string, set func(cp rune, ws []uint16, implicit int)) error {
	for n, line := range strings.Split(data, "\n") {
		if line == "" || line[0] == '#' {
			continue
		}
		fields := strings.Fields(line)
		first, last, err := parseRange(fields[0])
		if err != nil {
			return fmt.Errorf("line %d: %w", n+1, err)
		}
		var ws []uint16
		mode := byte(0)
		for i, f := range fields[1:] {
			if i == 0 && (f[0] == '+' || f[0] == '*') {
				mode, f = f[0], f[1:]
			}
			w, err := strconv.ParseUint(f, 16, 16)
			if err != nil {
				return fmt.Errorf("line %d: %w", n+1, err)
			}
			ws = append(ws, uint16(w))
		}
		if (mode != 0 || first != last) && len(ws) != 1 || mode == 0 && first != last {
			return fmt.Errorf("line %d: a range takes one +weight or *base", n+1)
		}
		for cp := first; cp <= last; cp++ {
			switch mode {
			case '+':
				set(cp, []uint16{ws[0] + uint16(cp-first)}, 0)
			case '*':
				set(cp, nil, int(ws[0]))
			default:
				set(cp, ws, 0)
			}
		}
	}
	return nil
}

func parseRange(s string) (rune, rune, error) {
	a, b, isRange := strings.Cut(s, "-")
	first, err := strconv.ParseUint(a, 16, 16)
	if err != nil {
		return 0, 0, err
	}
	last := first
	if isRange {
		if last, err = strconv.ParseUint(b, 16, 16); err != nil {
			return 0, 0, err
		}
	}
	if last < first {
		return 0, 0, fmt.Errorf("range %s runs backwards", s)
	}
	return rune(first), rune(last), nil
}
