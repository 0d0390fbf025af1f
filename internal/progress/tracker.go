package progress

import (
	"sync"
	"sync/atomic"
	"time"
)

// Table counts one table's progress.
type Table struct {
	Name     string
	Estimate int64 // expected rows (an estimate from the source's statistics)
	rows     atomic.Int64
	bytes    atomic.Int64
	chunks   atomic.Int64
	Chunks   int64 // chunks in the plan
	done     atomic.Bool
}

// Add counts rows and bytes copied.
func (t *Table) Add(rows, bytes int64) {
	t.rows.Add(rows)
	t.bytes.Add(bytes)
}

// ChunkDone counts a finished chunk; the table is done when all are.
func (t *Table) ChunkDone() {
	if t.chunks.Add(1) >= t.Chunks {
		t.done.Store(true)
	}
}

// Rows returns the rows copied so far.
func (t *Table) Rows() int64 { return t.rows.Load() }

// Bytes returns the bytes copied so far.
func (t *Table) Bytes() int64 { return t.bytes.Load() }

// Done reports whether every chunk of the table is copied.
func (t *Table) Done() bool { return t.done.Load() }

// Tracker holds the tables of one full load.
type Tracker struct {
	mu     sync.Mutex
	tables []*Table
	Start  time.Time
}

// NewTracker starts the clock.
func NewTracker() *Tracker { return &Tracker{Start: time.Now()} }

// Table registers a table; rows and chunks already done (a resumed run)
// are counted from the start.
func (tr *Tracker) Table(name string, estimate, chunks, doneChunks, doneRows, doneBytes int64) *Table {
	t := &Table{Name: name, Estimate: estimate, Chunks: chunks}
	t.rows.Store(doneRows)
	t.bytes.Store(doneBytes)
	t.chunks.Store(doneChunks)
	t.done.Store(doneChunks >= chunks)
	tr.mu.Lock()
	tr.tables = append(tr.tables, t)
	tr.mu.Unlock()
	return t
}

// Tables returns the registered tables.
func (tr *Tracker) Tables() []*Table {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	return append([]*Table(nil), tr.tables...)
}

// Totals sums rows and bytes over all tables.
func (tr *Tracker) Totals() (rows, bytes int64) {
	for _, t := range tr.Tables() {
		rows += t.Rows()
		bytes += t.Bytes()
	}
	return rows, bytes
}
