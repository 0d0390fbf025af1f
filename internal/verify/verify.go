package verify

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"math/big"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/sluicedb/sluice/internal/change"
	"github.com/sluicedb/sluice/internal/schema"
	"github.com/sluicedb/sluice/internal/sink"
	"github.com/sluicedb/sluice/internal/source"
	"github.com/sluicedb/sluice/internal/value"
)

// Options tune a verification.
type Options struct {
	ChunkRows int64 // rows per key range (and per hash bucket)
	Parallel  int   // chunks compared at once
	Repair    bool
	Policy    value.Policy // the task's value policies: what the target is expected to hold
	PostGIS   bool         // geometry columns are PostGIS geometry (else bytea)
	// Task is the sync task whose checkpoint says how far the target has
	// applied the source's binlog.
	Task string
	// Settle bounds the wait for the target's checkpoint to pass a source
	// position; Rounds bounds the re-comparisons of a still-differing row.
	Settle time.Duration
	Rounds int
	Log    *slog.Logger
}

// Verifier compares selected tables of a source with their target copies.
type Verifier struct {
	src  *source.Source
	dst  *sink.Sink
	opts Options
	// follow is set when the task has applied the binlog: differences are
	// then re-checked once the target has passed the source position.
	follow bool
	// hasState is set when the task has a row in the target's sluice schema.
	hasState bool
	// stalled is set once the target failed to reach a position in time:
	// later differences are reported without waiting again.
	stalled atomic.Bool
	notes   sync.Map // note text → struct{}
}

// New makes a verifier; it reads the task's state to decide whether a sync
// is applying changes to the target.
func New(ctx context.Context, src *source.Source, dst *sink.Sink, opts Options) (*Verifier, error) {
	v := &Verifier{src: src, dst: dst, opts: opts}
	if v.opts.Parallel < 1 {
		v.opts.Parallel = 1
	}
	if v.opts.ChunkRows < 1 {
		v.opts.ChunkRows = 50000
	}
	if v.opts.Task != "" {
		p, err := v.positions(ctx)
		if err != nil {
			return nil, err
		}
		// A task that has applied the binlog may be applying it now; one
		// whose full load just ended may be about to (the first checkpoint
		// comes within a second of the phase's start). waitFor finds out
		// when it is not.
		justLoaded := !p.LoadEnd.IsZero() && time.Since(p.FullDoneAt) < time.Minute
		v.follow, v.hasState = !p.Checkpoint.IsZero() || justLoaded, p.Exists
	}
	return v, nil
}

// Run compares every table and, with Repair, rewrites the differing rows.
// The error is for a comparison that could not run at all; a table that
// could not be compared is reported in its TableReport.
func (v *Verifier) Run(ctx context.Context, tables []*schema.Table) (*Report, error) {
	r := &Report{}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(v.opts.Parallel)
	for _, t := range tables {
		tr := &TableReport{Table: t.String(), Target: t.TargetSchema + "." + t.TargetName}
		r.Tables = append(r.Tables, tr)
		if err := v.table(gctx, g, t, tr); err != nil {
			tr.Error = err.Error()
		}
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	v.notes.Range(func(k, _ any) bool {
		r.Notes = append(r.Notes, k.(string))
		return true
	})
	r.finish()
	return r, nil
}

// tableRun is one table's comparison in progress; its chunks run in
// parallel and add to the report under mu.
type tableRun struct {
	t  *table
	mu sync.Mutex
	r  *TableReport
}

func (tr *tableRun) add(rows int64, diffs []rowDiff, repaired int64) {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	tr.r.Rows += rows
	tr.r.Repaired += repaired
	for _, d := range diffs {
		switch d.Kind {
		case Missing:
			tr.r.Missing++
		case Extra:
			tr.r.Extra++
		default:
			tr.r.Changed++
		}
		if len(tr.r.Diffs) < MaxDiffs {
			tr.r.Diffs = append(tr.r.Diffs, d.Diff)
		}
	}
}

func (tr *tableRun) fail(err error) {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	if tr.r.Error == "" {
		tr.r.Error = err.Error()
	}
}

var modeNames = [...]string{byRange: "key-range", byHash: "key-hash", whole: "whole-row"}

// table plans one table and queues its chunks on g.
func (v *Verifier) table(ctx context.Context, g *errgroup.Group, t *schema.Table, r *TableReport) error {
	tb, err := newTable(t, v.opts.Policy, v.opts.PostGIS, v.opts.ChunkRows)
	if err != nil {
		return err
	}
	r.Mode = modeNames[tb.mode]
	for _, c := range t.Columns {
		if c.Transform != "" {
			v.notes.Store(fmt.Sprintf("%s.%s is transformed (%s) by the task file: its values are not compared", t, c.Name, c.Transform), struct{}{})
		}
	}
	run := &tableRun{t: tb, r: r}
	switch tb.mode {
	case byRange:
		plan, err := v.src.PlanChunks(ctx, t, v.opts.ChunkRows)
		if err != nil {
			return err
		}
		r.Chunks = len(plan)
		for _, p := range plan {
			c := &chunk{t: tb, seq: p.Seq, lo: p.Lo, hi: p.Hi}
			g.Go(func() error { return v.guard(ctx, run, func() error { return v.rangeChunk(ctx, run, c) }) })
		}
	case byHash:
		r.Chunks = tb.buckets
		g.Go(func() error { return v.guard(ctx, run, func() error { return v.hashTable(ctx, run) }) })
	case whole:
		r.Chunks = 1
		g.Go(func() error { return v.guard(ctx, run, func() error { return v.rowChunk(ctx, run, &chunk{t: tb}) }) })
	}
	return nil
}

// guard records a chunk's failure in its table's report, so one table that
// cannot be compared (e.g. missing from the target) does not stop the
// others; only a cancelled context ends the run.
func (v *Verifier) guard(ctx context.Context, run *tableRun, f func() error) error {
	if err := f(); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		run.fail(err)
	}
	return nil
}

// rangeChunk compares one key range: checksums first, rows if they differ.
func (v *Verifier) rangeChunk(ctx context.Context, run *tableRun, c *chunk) error {
	if !c.t.fetch {
		my, pg, err := v.sums(ctx, c)
		if err != nil {
			return err
		}
		if my == pg {
			run.add(my.rows, nil, 0)
			return nil
		}
		// A range far bigger than planned (stale table statistics) is cut
		// again before its rows are read, to bound memory; a differing
		// range of more than bisectRows rows is cut in eight, so that only
		// the pieces that differ are read row by row.
		n := max(my.rows, pg.rows)
		pieces := int64(0)
		switch {
		case n > 4*v.opts.ChunkRows:
			pieces = (n + v.opts.ChunkRows - 1) / v.opts.ChunkRows
		case n > bisectRows:
			pieces = 8
		}
		if pieces > 1 {
			subs, err := v.split(ctx, c, pieces)
			if err != nil {
				return err
			}
			if len(subs) > 1 {
				run.mu.Lock()
				run.r.Chunks += len(subs) - 1
				run.mu.Unlock()
				for _, sc := range subs {
					if err := v.rangeChunk(ctx, run, sc); err != nil {
						return err
					}
				}
				return nil
			}
		}
	}
	return v.rowChunk(ctx, run, c)
}

// bisectRows is the size under which a differing range is read row by row
// rather than cut again.
const bisectRows = 4096

// split cuts a range of a single integer key into n pieces, evenly between
// the source's smallest and largest key in it; the pieces tile the whole
// range, so rows only in the target are still inside one. Other keys are
// not cut.
func (v *Verifier) split(ctx context.Context, c *chunk, n int64) ([]*chunk, error) {
	t := c.t
	if len(t.key) != 1 || t.src.Columns[t.key[0]].Kind != schema.KindInt {
		return []*chunk{c}, nil
	}
	w, args, err := c.where(false, nil)
	if err != nil {
		return nil, err
	}
	k := schema.MySQL.Quote(t.keyNames[0])
	var lo, hi sql.NullString
	q := "SELECT CAST(MIN(" + k + ") AS CHAR), CAST(MAX(" + k + ") AS CHAR) FROM " + t.myFrom + w
	if err := v.src.DB.QueryRowContext(ctx, q, args...).Scan(&lo, &hi); err != nil {
		return nil, fmt.Errorf("splitting a range of %s: %w", t.src, err)
	}
	min, ok1 := new(big.Int).SetString(lo.String, 10)
	max, ok2 := new(big.Int).SetString(hi.String, 10)
	if !lo.Valid || !ok1 || !ok2 {
		return []*chunk{c}, nil
	}
	step := new(big.Int).Div(new(big.Int).Sub(max, min), big.NewInt(n))
	if step.Sign() == 0 {
		return []*chunk{c}, nil
	}
	var out []*chunk
	prev := c.lo
	b := new(big.Int).Set(min)
	for i := int64(1); i < n; i++ {
		b.Add(b, step)
		var bound []any
		if b.IsInt64() {
			bound = []any{b.Int64()}
		} else {
			bound = []any{b.Uint64()}
		}
		out = append(out, &chunk{t: t, seq: c.seq, lo: prev, hi: bound})
		prev = bound
	}
	return append(out, &chunk{t: t, seq: c.seq, lo: prev, hi: c.hi}), nil
}

// hashTable compares the buckets of a table keyed by text: one scan per side
// for every bucket's checksum, then rows of the buckets that differ.
func (v *Verifier) hashTable(ctx context.Context, run *tableRun) error {
	tb := run.t
	my, err := v.mysqlBuckets(ctx, tb)
	if err != nil {
		return err
	}
	pg, err := v.pgBuckets(ctx, tb)
	if err != nil {
		return err
	}
	for b := 0; b < tb.buckets; b++ {
		if tb.fetch || my[b] != pg[b] {
			if err := v.rowChunk(ctx, run, &chunk{t: tb, bucket: b}); err != nil {
				return err
			}
			continue
		}
		run.add(my[b].rows, nil, 0)
	}
	return nil
}

// rowChunk compares a chunk row by row, re-checks what differs while the
// target catches up, and repairs what is left when asked to.
func (v *Verifier) rowChunk(ctx context.Context, run *tableRun, c *chunk) error {
	run.mu.Lock()
	run.r.Suspect++
	run.mu.Unlock()
	res, err := v.compare(ctx, c, nil)
	if err != nil {
		return err
	}
	rows := res.rows
	res, err = v.settle(ctx, c, res)
	if err != nil {
		return err
	}
	var repaired int64
	if v.opts.Repair && len(res.diffs) > 0 {
		before := len(res.diffs)
		if res, err = v.repair(ctx, c, res); err != nil {
			return fmt.Errorf("repairing %s: %w", c.t.src, err)
		}
		repaired = int64(before - len(res.diffs))
	}
	run.add(rows, res.diffs, repaired)
	return nil
}

// settle confirms a chunk's differences while a sync runs. In a round the
// differing keys' source rows are read, then the source position P; once
// the target's checkpoint has passed P its rows are read, then the source
// rows again. A row differs if its source row was the same in both reads
// (it held still from before P until after the target's read, so the
// target, at or past P, must hold it) and the target's row is not that. A
// row that changed meanwhile is re-checked next round, up to Rounds; one
// that never held still is not reported as a difference, only counted in a
// note. Without a running sync (or when the target does not catch up in
// time) the differences are reported as first seen.
func (v *Verifier) settle(ctx context.Context, c *chunk, res *result) (*result, error) {
	if !v.follow || len(res.diffs) == 0 {
		return res, nil
	}
	out := &result{rows: res.rows, pos: res.pos}
	pending := res.keys()
	for round := 0; round < v.opts.Rounds && len(pending) > 0; round++ {
		before, err := v.mysqlRows(ctx, c, pending)
		if err != nil {
			return nil, err
		}
		pos, err := v.src.CurrentPosition(ctx)
		if err != nil {
			return nil, err
		}
		if !v.waitFor(ctx, pos) {
			return res, nil // the target does not catch up: as seen, with waitFor's note
		}
		target, err := v.pgRows(ctx, c, pending)
		if err != nil {
			return nil, err
		}
		after, err := v.mysqlRows(ctx, c, pending)
		if err != nil {
			return nil, err
		}
		still := stableKeys(before, after)
		pending = pending[:0:0]
		for _, d := range diffRows(c.t, before, target) {
			if still(d.keyText) {
				out.diffs = append(out.diffs, d)
			} else {
				pending = append(pending, d.keyText)
			}
		}
		slices.Sort(pending)
		pending = slices.Compact(pending)
		out.pos = pos
	}
	if len(pending) > 0 {
		v.notes.Store(fmt.Sprintf("%s: %d row(s) changed on the source in every one of %d re-checks and were not confirmed; run verify again",
			c.t.src, len(pending), v.opts.Rounds), struct{}{})
	}
	return out, nil
}

// stableKeys reports, by key text, whether the source rows are the same
// in both reads (the same values, or absent from both).
func stableKeys(before, after []row) func(key string) bool {
	rows := func(rs []row) map[string]string {
		m := map[string]string{}
		for _, r := range rs {
			m[r.key] += "\x00" + r.text // a keyless table may hold one text twice
		}
		return m
	}
	was, now := rows(before), rows(after)
	return func(key string) bool { return was[key] == now[key] }
}

// waitFor waits until the target's checkpoint reaches pos, at most Settle;
// false (and a note) when it does not.
func (v *Verifier) waitFor(ctx context.Context, pos change.Position) bool {
	if v.stalled.Load() || pos.IsZero() {
		return false
	}
	start := time.Now()
	deadline := start.Add(v.opts.Settle)
	for {
		p, err := v.positions(ctx)
		if err == nil {
			if ok, err := p.Checkpoint.Reached(pos); err == nil && ok {
				return true
			}
		}
		if err == nil && p.Checkpoint.IsZero() && time.Since(start) > noApplyAfter {
			v.stalled.Store(true)
			v.notes.Store(fmt.Sprintf("task %q has not applied the binlog (no checkpoint): differences are reported as seen", v.opts.Task), struct{}{})
			return false
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			v.stalled.Store(true)
			v.notes.Store(fmt.Sprintf("the target's checkpoint (%s) did not reach the source position %s within %s: "+
				"differences are reported as seen, some may be changes not yet applied (is sluice run for task %q running?)",
				p.Checkpoint, pos, v.opts.Settle, v.opts.Task), struct{}{})
			return false
		}
		select {
		case <-ctx.Done():
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// noApplyAfter is how long a task past its full load may take to save
// its first checkpoint before verify decides no sync is applying.
const noApplyAfter = 5 * time.Second

// positions reads the task's positions in the target.
func (v *Verifier) positions(ctx context.Context) (sink.Positions, error) {
	tx, err := v.dst.Pool.Begin(ctx)
	if err != nil {
		return sink.Positions{}, err
	}
	defer tx.Rollback(ctx) //nolint:errcheck // read only
	p, err := sink.ReadPositions(ctx, tx, v.opts.Task)
	if sink.IsCode(err, "42P01") || sink.IsCode(err, "3F000") { // no state schema: no task
		return sink.Positions{}, nil
	}
	return p, err
}
