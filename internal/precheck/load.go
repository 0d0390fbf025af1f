package precheck

import (
	"fmt"
	"math"
	"time"
)

// Rate is a full-load throughput.
type Rate struct {
	RowsPerSecond  float64
	BytesPerSecond float64
}

func (r Rate) String() string {
	return fmt.Sprintf("%.0f rows/s or %s/s, whichever is slower", r.RowsPerSecond, humanBytes(int64(r.BytesPerSecond)))
}

// assumedRate is the throughput the full-load estimate assumes. `make bench`
// measured 375,000 rows/s, about 100 MiB/s (5 M rows, 1.35 GiB of InnoDB
// data in 13.3 s), on 2 cores with both servers on the same machine; a
// remote or busy source, wide rows and index builds are slower, and an
// estimate that is too short is the dangerous one, so it assumes about a
// seventh of the row rate and a fifth of the byte rate.
var assumedRate = Rate{RowsPerSecond: 50_000, BytesPerSecond: 20 << 20}

// loadEstimate is the size of the selected tables and how long their full
// load is expected to take.
type loadEstimate struct {
	Tables      int
	Rows, Bytes int64 // the server's estimates (TABLE_ROWS, DATA_LENGTH)
	Time        time.Duration
}

func newLoadEstimate(tables int, rows, bytes int64) *loadEstimate {
	return &loadEstimate{Tables: tables, Rows: rows, Bytes: bytes, Time: estimateLoad(rows, bytes, assumedRate)}
}

// size describes the estimated data: "3 table(s), about 1200000 rows, 1.3 GiB".
func (e *loadEstimate) size() string {
	return fmt.Sprintf("%d table(s), about %d rows, %s", e.Tables, e.Rows, humanBytes(e.Bytes))
}

// estimateLoad is how long copying rows and bytes takes at rate r: the
// longer of the time for the rows and the time for the bytes. A zero
// component of the rate is ignored.
func estimateLoad(rows, bytes int64, r Rate) time.Duration {
	var secs float64
	if r.RowsPerSecond > 0 {
		secs = float64(max(rows, 0)) / r.RowsPerSecond
	}
	if r.BytesPerSecond > 0 {
		secs = math.Max(secs, float64(max(bytes, 0))/r.BytesPerSecond)
	}
	if secs >= math.MaxInt64/float64(time.Second) {
		return time.Duration(math.MaxInt64)
	}
	return time.Duration(secs * float64(time.Second))
}

// loadAtRisk reports whether a full load of duration load risks outliving
// the binary logs it starts from: it takes more than half of the retention
// (0: logs are kept forever), leaving too little for the catch-up and for
// an outage on the way.
func loadAtRisk(load, retention time.Duration) bool {
	return retention > 0 && load > retention/2
}

// suggestedRetention is the retention to recommend for a load of duration
// load: twice the load, rounded up to whole days, and at least 7 days.
func suggestedRetention(load time.Duration) time.Duration {
	const day = 24 * time.Hour
	if load >= (math.MaxInt64-day)/2 {
		return time.Duration(math.MaxInt64 / day * day)
	}
	days := (2*load + day - 1) / day
	return max(days, 7) * day
}

// humanDuration renders d for messages: "40 s", "12 min", "5.5 hours", "3.2 days".
func humanDuration(d time.Duration) string {
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%d s", int64(math.Ceil(d.Seconds())))
	case d < time.Hour:
		return fmt.Sprintf("%d min", int64(math.Ceil(d.Minutes())))
	case d < 48*time.Hour:
		return fmt.Sprintf("%.1f hours", d.Hours())
	}
	return fmt.Sprintf("%.1f days", d.Hours()/24)
}

// humanBytes renders n bytes for messages: "512 bytes", "1.5 MiB", "2.0 GiB".
func humanBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d bytes", n)
	}
	v, i := float64(n)/unit, 0
	for ; v >= unit && i < 4; i++ {
		v /= unit
	}
	return fmt.Sprintf("%.1f %ciB", v, "KMGTP"[i])
}
