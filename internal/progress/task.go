package progress

import (
	"context"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"
)

// Task is the live state of one running task, read by the progress display
// and the metrics collector while the pipeline updates it.
type Task struct {
	Name    string
	phase   atomic.Pointer[string]
	full    atomic.Pointer[Tracker]
	Stream  Stream
	retries atomic.Int64
}

// NewTask starts the state of a task.
func NewTask(name string) *Task { return &Task{Name: name} }

// SetPhase records the phase running now: schema, full or incremental.
func (t *Task) SetPhase(p string) { t.phase.Store(&p) }

// Phase returns the phase running now ("" before the first).
func (t *Task) Phase() string {
	if p := t.phase.Load(); p != nil {
		return *p
	}
	return ""
}

// SetFull publishes the full load's tracker.
func (t *Task) SetFull(tr *Tracker) { t.full.Store(tr) }

// Full returns the full load's tracker, or nil.
func (t *Task) Full() *Tracker { return t.full.Load() }

// Retry counts a retried connection loss.
func (t *Task) Retry() { t.retries.Add(1) }

// Retries returns the retries so far.
func (t *Task) Retries() int64 { return t.retries.Load() }

// Stream counts the incremental phase.
type Stream struct {
	txns    atomic.Int64
	changes atomic.Int64
	lag     atomic.Int64 // nanoseconds
	pos     atomic.Pointer[string]
	tables  sync.Map // source db.table → *atomic.Int64 row changes applied
}

// AppliedTable adds committed row changes of one table.
func (s *Stream) AppliedTable(table string, changes int64) {
	c, _ := s.tables.LoadOrStore(table, new(atomic.Int64))
	c.(*atomic.Int64).Add(changes)
}

// Tables returns the row changes applied per table.
func (s *Stream) Tables() map[string]int64 {
	out := map[string]int64{}
	s.tables.Range(func(k, v any) bool {
		out[k.(string)] = v.(*atomic.Int64).Load()
		return true
	})
	return out
}

// Applied records committed source transactions and row changes, the lag of
// the last one (source commit → target commit) and the position reached.
func (s *Stream) Applied(txns, changes int64, lag time.Duration, pos string) {
	s.txns.Add(txns)
	s.changes.Add(changes)
	s.lag.Store(int64(lag))
	s.pos.Store(&pos)
}

// Txns, Changes and Lag read the counters.
func (s *Stream) Txns() int64 { return s.txns.Load() }

// Changes is the number of row changes applied.
func (s *Stream) Changes() int64 { return s.changes.Load() }

// Lag is the last measured lag.
func (s *Stream) Lag() time.Duration { return time.Duration(s.lag.Load()) }

// Pos is the last position reached.
func (s *Stream) Pos() string {
	if p := s.pos.Load(); p != nil {
		return *p
	}
	return ""
}

// ShowStream prints a line every interval while the incremental phase runs.
func ShowStream(ctx context.Context, s *Stream, out io.Writer, interval time.Duration) {
	tick := time.NewTicker(interval)
	defer tick.Stop()
	last, lastAt := s.Changes(), time.Now()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-tick.C:
			changes := s.Changes()
			rate := float64(changes-last) / now.Sub(lastAt).Seconds()
			last, lastAt = changes, now
			fmt.Fprintf(out, "incremental transactions=%d changes=%d changes_per_s=%.0f lag=%s position=%s\n",
				s.Txns(), changes, rate, s.Lag().Round(time.Millisecond), s.Pos())
		}
	}
}
