package pipeline

import (
	"context"
	"fmt"
	"sort"

	"golang.org/x/sync/errgroup"

	"github.com/sluicedb/sluice/internal/change"
	"github.com/sluicedb/sluice/internal/progress"
	"github.com/sluicedb/sluice/internal/schema"
	"github.com/sluicedb/sluice/internal/sink"
	"github.com/sluicedb/sluice/internal/source"
	"github.com/sluicedb/sluice/internal/value"
)

// job is one chunk to copy.
type job struct {
	lt    *loadTable
	chunk source.Chunk
}

// fullPhase copies every selected row: it opens the snapshot, plans the
// chunks (first run) or reads the stored plan (resumed run), copies the
// chunks not done yet in parallel, then runs the post-load steps.
func (t *task) fullPhase(ctx context.Context) error {
	if t.state.FullDone {
		t.Log.Info("full load already done for this task; nothing to copy", "task", t.Task.Name)
		return nil
	}
	plan, err := t.dst.Chunks(ctx, t.Task.Name)
	if err != nil {
		return err
	}
	snap, err := t.src.OpenSnapshot(ctx, t.Task.Parallel, t.Log)
	if err != nil {
		return err
	}
	defer snap.Close()
	if len(plan) == 0 {
		if plan, err = t.planChunks(ctx, snap); err != nil {
			return err
		}
	} else {
		t.Log.Info("resuming the full load from its stored chunk plan", "snapshot_position", t.state.Snapshot.String())
	}
	tracker := progress.NewTracker()
	t.State.SetFull(tracker)
	jobs, loads, err := t.jobs(plan, tracker)
	if err != nil {
		return err
	}
	showCtx, stopShow := context.WithCancel(ctx)
	shown := make(chan struct{})
	go func() {
		defer close(shown)
		progress.Show(showCtx, tracker, t.Out, t.Task.ProgressEvery)
	}()
	err = t.copyChunks(ctx, snap, jobs)
	stopShow()
	<-shown
	snap.Close()
	if err != nil {
		return err
	}
	t.reportFixes(loads)
	if err := t.postLoad(ctx); err != nil {
		return err
	}
	end, err := t.src.CurrentPosition(ctx)
	if err != nil {
		return err
	}
	if err := t.dst.MarkFullDone(ctx, t.Task.Name, end); err != nil {
		return err
	}
	for _, tb := range tracker.Tables() {
		t.Log.Debug("table copied", "table", tb.Name, "rows", tb.Rows(), "bytes", tb.Bytes())
	}
	progress.Summary(t.Out, tracker, len(t.tables))
	return nil
}

// planChunks splits every table into key ranges and stores the plan with
// the snapshot position in one transaction.
func (t *task) planChunks(ctx context.Context, snap *source.Snapshot) ([]sink.ChunkPlan, error) {
	var plan []sink.ChunkPlan
	for _, tb := range t.tables {
		chunks, err := t.src.PlanChunks(ctx, tb, t.Task.ChunkRows)
		if err != nil {
			return nil, err
		}
		for _, c := range chunks {
			lo, err := source.EncodeBounds(c.Lo)
			if err != nil {
				return nil, fmt.Errorf("planning %s: %w", tb, err)
			}
			hi, err := source.EncodeBounds(c.Hi)
			if err != nil {
				return nil, fmt.Errorf("planning %s: %w", tb, err)
			}
			plan = append(plan, sink.ChunkPlan{Table: ref(tb), Seq: c.Seq, Lo: lo, Hi: hi})
		}
	}
	if err := t.dst.SaveSnapshot(ctx, t.Task.Name, snap.Position, snap.Consistent, plan); err != nil {
		return nil, err
	}
	t.state.Snapshot, t.state.SnapshotConsistent = snap.Position, snap.Consistent
	t.Log.Info("snapshot opened", "position", snap.Position.String(), "consistent", snap.Consistent, "chunks", len(plan))
	return plan, nil
}

// jobs turns the plan into copy jobs, biggest tables first so the long
// tails overlap, and registers every table with the progress tracker.
func (t *task) jobs(plan []sink.ChunkPlan, tracker *progress.Tracker) ([]job, []*loadTable, error) {
	byRef := map[sink.TableRef]*loadTable{}
	var loads []*loadTable
	for _, tb := range t.tables {
		lt, err := t.loadTable(tb)
		if err != nil {
			return nil, nil, err
		}
		byRef[ref(tb)] = lt
		loads = append(loads, lt)
	}
	type counts struct{ chunks, done, rows, bytes int64 }
	per := map[*loadTable]*counts{}
	var jobs []job
	for _, p := range plan {
		lt := byRef[p.Table]
		if lt == nil {
			return nil, nil, fmt.Errorf("the stored chunk plan of task %s has table %s.%s, which is no longer selected; run with the same --include/--exclude as before, or use a new --name",
				t.Task.Name, p.Table.SourceDB, p.Table.SourceTable)
		}
		c := per[lt]
		if c == nil {
			c = &counts{}
			per[lt] = c
		}
		c.chunks++
		if p.Done {
			c.done++
			c.rows += p.Rows
			c.bytes += p.Bytes
			continue
		}
		lo, err := source.DecodeBounds(p.Lo)
		if err != nil {
			return nil, nil, err
		}
		hi, err := source.DecodeBounds(p.Hi)
		if err != nil {
			return nil, nil, err
		}
		jobs = append(jobs, job{lt: lt, chunk: source.Chunk{Seq: p.Seq, Lo: lo, Hi: hi}})
	}
	for _, tb := range t.tables {
		lt := byRef[ref(tb)]
		c := per[lt]
		if c == nil {
			return nil, nil, fmt.Errorf("table %s is selected but not in the stored chunk plan of task %s; use a new --name for a new selection", tb, t.Task.Name)
		}
		lt.progress = tracker.Table(tb.String(), max(tb.Rows, c.rows), c.chunks, c.done, c.rows, c.bytes)
	}
	sort.SliceStable(jobs, func(i, j int) bool { return jobs[i].lt.table.Rows > jobs[j].lt.table.Rows })
	return jobs, loads, nil
}

// reportFixes logs, per table, the values a policy changed (zero dates,
// stripped text), so nothing is changed silently.
func (t *task) reportFixes(loads []*loadTable) {
	for _, lt := range loads {
		for i := range lt.fixes {
			if n := lt.fixes[i].Load(); n > 0 {
				t.Log.Warn("values changed by policy", "table", lt.table.String(), "what", fixNames[i], "values", n)
			}
		}
	}
}

func (t *task) loadTable(tb *schema.Table) (*loadTable, error) {
	lt := &loadTable{table: tb}
	for i := range tb.Columns {
		c := &tb.Columns[i]
		conv, err := value.New(c, t.policy)
		if err != nil {
			return nil, fmt.Errorf("table %s: %w", tb, err)
		}
		lt.convs = append(lt.convs, conv)
		lt.cols = append(lt.cols, c.TargetName)
	}
	lt.shape = newShaper(tb, t.Task.Mapping.Table(tb.Database, tb.Name))
	for _, a := range tb.Added {
		lt.cols = append(lt.cols, a.Name)
	}
	if key := tb.Key(); key != nil {
		for _, kc := range key.Columns {
			for i := range tb.Columns {
				if tb.Columns[i].Name == kc.Name {
					lt.keyIdx = append(lt.keyIdx, i)
				}
			}
		}
	}
	return lt, nil
}

// copyChunks runs one worker per snapshot reader; each takes the next chunk
// and streams it from its reader into COPY.
func (t *task) copyChunks(ctx context.Context, snap *source.Snapshot, jobs []job) error {
	// Sized to hold the whole plan: only descriptors, and the producer
	// never blocks.
	queue := make(chan job, len(jobs))
	for _, j := range jobs {
		queue <- j
	}
	close(queue)
	var pos *change.Position // chunks remember the consistent snapshot they come from
	if snap.Consistent {
		pos = &snap.Position
	}
	g, ctx := errgroup.WithContext(ctx)
	for _, reader := range snap.Readers {
		g.Go(func() error {
			for j := range queue {
				if err := t.copyChunk(ctx, reader, pos, j); err != nil {
					return err
				}
			}
			return nil
		})
	}
	return g.Wait()
}
