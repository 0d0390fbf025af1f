package precheck

import (
	"math"
	"testing"
	"time"
)

func TestEstimateLoad(t *testing.T) {
	rate := Rate{RowsPerSecond: 50_000, BytesPerSecond: 20 << 20}
	for _, c := range []struct {
		name        string
		rows, bytes int64
		rate        Rate
		want        time.Duration
	}{
		{"empty", 0, 0, rate, 0},
		{"rows dominate", 1_000_000, 100 << 20, rate, 20 * time.Second},
		{"bytes dominate", 1_000, 2 << 30, rate, 102400 * time.Millisecond},
		{"the bench's 5 M rows, 1.35 GiB", 5_000_000, 1449551462, rate, 100 * time.Second},
		{"negative estimates count as 0", -5, -1, rate, 0},
		{"rows only", 100, 1 << 40, Rate{RowsPerSecond: 10}, 10 * time.Second},
		{"bytes only", 1 << 40, 1000, Rate{BytesPerSecond: 100}, 10 * time.Second},
		{"no rate", 100, 100, Rate{}, 0},
		{"overflow saturates", math.MaxInt64, math.MaxInt64, Rate{RowsPerSecond: 1e-9}, math.MaxInt64},
	} {
		if got := estimateLoad(c.rows, c.bytes, c.rate); got != c.want {
			t.Errorf("%s: estimateLoad(%d, %d) = %v, want %v", c.name, c.rows, c.bytes, got, c.want)
		}
	}
	if assumedRate.RowsPerSecond != 50_000 || assumedRate.BytesPerSecond != 20<<20 {
		t.Errorf("assumedRate %+v differs from the rate docs/checks.md states", assumedRate)
	}
	if got := assumedRate.String(); got != "50000 rows/s or 20.0 MiB/s, whichever is slower" {
		t.Errorf("assumedRate.String() = %q", got)
	}
}

func TestLoadAtRisk(t *testing.T) {
	h := time.Hour
	for _, c := range []struct {
		load, retention time.Duration
		want            bool
	}{
		{10 * h, 0, false},       // kept forever
		{10 * h, 20 * h, false},  // exactly half
		{10*h + 1, 20 * h, true}, // just over half
		{1 * h, 7 * 24 * h, false},
		{4 * 24 * h, 7 * 24 * h, true},
		{0, 1, false},
	} {
		if got := loadAtRisk(c.load, c.retention); got != c.want {
			t.Errorf("loadAtRisk(%v, %v) = %v, want %v", c.load, c.retention, got, c.want)
		}
	}
}

func TestSuggestedRetention(t *testing.T) {
	day := 24 * time.Hour
	for _, c := range []struct {
		load, want time.Duration
	}{
		{0, 7 * day},
		{time.Second, 7 * day},
		{3 * day, 7 * day},
		{3*day + time.Hour, 7 * day},
		{4 * day, 8 * day},
		{4*day + time.Second, 9 * day},
		{math.MaxInt64, math.MaxInt64 / day * day},
	} {
		got := suggestedRetention(c.load)
		if got != c.want {
			t.Errorf("suggestedRetention(%v) = %v, want %v", c.load, got, c.want)
		}
		if c.load < math.MaxInt64/4 && loadAtRisk(c.load, got) {
			t.Errorf("the suggested retention %v still puts a load of %v at risk", got, c.load)
		}
	}
}

func TestRetention(t *testing.T) {
	for _, c := range []struct {
		vars map[string]string
		want time.Duration
	}{
		{map[string]string{"binlog_expire_logs_seconds": "86400", "expire_logs_days": "1"}, 24 * time.Hour},
		{map[string]string{"binlog_expire_logs_seconds": "0", "expire_logs_days": "7"}, 7 * 24 * time.Hour},
		{map[string]string{"binlog_expire_logs_seconds": "0", "expire_logs_days": "0"}, 0},
		{map[string]string{"expire_logs_days": "0.5"}, 12 * time.Hour}, // MariaDB 10.6+ takes fractions
		{map[string]string{"binlog_expire_logs_seconds": "1"}, time.Second},
		{map[string]string{}, 0},
	} {
		if got := retention(c.vars); got != c.want {
			t.Errorf("retention(%v) = %v, want %v", c.vars, got, c.want)
		}
	}
}

func TestHumanUnits(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0: "0 s", 1500 * time.Millisecond: "2 s", 59 * time.Second: "59 s", 90 * time.Second: "2 min",
		5*time.Hour + 30*time.Minute: "5.5 hours", 7 * 24 * time.Hour: "7.0 days",
	} {
		if got := humanDuration(d); got != want {
			t.Errorf("humanDuration(%v) = %q, want %q", d, got, want)
		}
	}
	for n, want := range map[int64]string{
		0: "0 bytes", 1023: "1023 bytes", 1536: "1.5 KiB", 20 << 20: "20.0 MiB", 1449551462: "1.3 GiB", 3 << 40: "3.0 TiB",
	} {
		if got := humanBytes(n); got != want {
			t.Errorf("humanBytes(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestLoadEstimateSize(t *testing.T) {
	e := newLoadEstimate(3, 1_000_000, 100<<20)
	if got := e.size(); got != "3 table(s), about 1000000 rows, 100.0 MiB" || e.Time != 20*time.Second {
		t.Errorf("size() = %q, Time %v", got, e.Time)
	}
}
