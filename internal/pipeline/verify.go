package pipeline

import (
	"context"
	"fmt"
	"time"

	"github.com/sluicedb/sluice/internal/sink"
	"github.com/sluicedb/sluice/internal/source"
	"github.com/sluicedb/sluice/internal/value"
	"github.com/sluicedb/sluice/internal/verify"
)

// VerifyOptions are what sluice verify adds to a task.
type VerifyOptions struct {
	Repair bool
	Settle time.Duration
	Rounds int
}

// Verify compares the task's selected tables in the source and the target
// and, with Repair, rewrites the rows that differ. A sync of the task may
// be running meanwhile.
func (r *Runner) Verify(ctx context.Context, o VerifyOptions) (*verify.Report, error) {
	src, err := source.Open(ctx, r.Task.Source)
	if err != nil {
		return nil, err
	}
	defer src.Close()
	dst, err := sink.Open(ctx, r.Task.Target, r.Task.Parallel+2)
	if err != nil {
		return nil, err
	}
	defer dst.Close()
	tables, problems, err := src.Catalog(ctx, r.Task.Selection)
	if err != nil {
		return nil, err
	}
	m, err := applyMapping(tables, r.Task.Mapping, r.Task.Source.Addr)
	if err != nil {
		return nil, err
	}
	if len(m.problems) > 0 {
		return nil, m.problems[0]
	}
	for _, p := range problems {
		return nil, fmt.Errorf("%s.%s: %w (exclude the table with --exclude %s)", p.Table, p.Column, p.Err, p.Table)
	}
	if len(tables) == 0 {
		return nil, fmt.Errorf("no table on the source matches the selection; check --include and --exclude")
	}
	zd, _ := value.ParseZeroDatePolicy(r.Task.ZeroDate)
	bt, _ := value.ParseBadTextPolicy(r.Task.BadText)
	v, err := verify.New(ctx, src, dst, verify.Options{
		ChunkRows: r.Task.ChunkRows, Parallel: r.Task.Parallel, Repair: o.Repair,
		Policy:  value.Policy{ZeroDateNotNull: zd, BadText: bt, PostGIS: dst.PostGIS},
		PostGIS: dst.PostGIS, Task: r.Task.Name, Settle: o.Settle, Rounds: o.Rounds, Log: r.Log,
	})
	if err != nil {
		return nil, err
	}
	start := time.Now()
	rep, err := v.Run(ctx, tables)
	if err == nil {
		r.Log.Info("verification done", "tables", len(tables), "ok", rep.OK, "elapsed", time.Since(start).Round(time.Millisecond))
	}
	return rep, err
}
