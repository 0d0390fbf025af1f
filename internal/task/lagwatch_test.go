package task

import (
	"strings"
	"testing"
	"time"

	"github.com/sluicedb/sluice/internal/alert"
)

// TestLagWatch: a lag alert fires once the lag has stayed above the
// threshold for the duration, once, and resolves when it falls back or is
// no longer measured; no rule, no alert.
func TestLagWatch(t *testing.T) {
	rule := LagRule{Seconds: 10, For: 30 * time.Second}
	at := func(s int) time.Time { return time.Unix(1_000_000+int64(s), 0) }
	lag := func(v float64) *float64 { return &v }
	for _, tc := range []struct {
		name  string
		rule  LagRule
		lags  []*float64 // one sample every 10 s
		alert string     // the statuses sent, one letter a sample: f firing, r resolved, . none
	}{
		{"stays high", rule, []*float64{lag(11), lag(12), lag(30), lag(40), lag(50)}, "...f."},
		{"dips before the duration", rule, []*float64{lag(11), lag(12), lag(5), lag(11), lag(12), lag(13)}, "......"},
		{"at the threshold is not above", rule, []*float64{lag(10), lag(10), lag(10), lag(10), lag(10)}, "....."},
		{"falls back", rule, []*float64{lag(20), lag(20), lag(20), lag(20), lag(1), lag(1)}, "...fr."},
		{"no longer measured", rule, []*float64{lag(20), lag(20), lag(20), lag(20), nil, nil}, "...fr."},
		{"fires again", LagRule{Seconds: 1}, []*float64{lag(2), lag(0), lag(2)}, "frf"},
		{"no rule", LagRule{}, []*float64{lag(1e6), lag(1e6), lag(1e6), lag(1e6)}, "...."},
	} {
		var w lagWatch
		var got strings.Builder
		for i, l := range tc.lags {
			switch w.observe(tc.rule, l, at(10*i)) {
			case alert.Firing:
				got.WriteByte('f')
			case alert.Resolved:
				got.WriteByte('r')
			default:
				got.WriteByte('.')
			}
		}
		if got.String() != tc.alert {
			t.Errorf("%s: %s, want %s", tc.name, got.String(), tc.alert)
		}
	}
}
