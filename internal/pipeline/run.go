package pipeline

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/sluicedb/sluice/internal/change"
	"github.com/sluicedb/sluice/internal/config"
	"github.com/sluicedb/sluice/internal/precheck"
	"github.com/sluicedb/sluice/internal/progress"
	"github.com/sluicedb/sluice/internal/schema"
	"github.com/sluicedb/sluice/internal/sink"
	"github.com/sluicedb/sluice/internal/source"
	"github.com/sluicedb/sluice/internal/value"
)

// Runner runs one task. Out receives the progress display and the summary;
// State, when set, is the live state the caller watches (metrics).
type Runner struct {
	Task  *config.Task
	Log   *slog.Logger
	Out   *os.File
	State *progress.Task
	// passedAt is when Check last found nothing blocking: a Run right
	// after it (sluice server's start) does not repeat the checks.
	passedAt time.Time
}

// recheckAfter is how old a passed precheck may be for Run to rely on it.
const recheckAfter = time.Minute

// task holds what the phases share once connected.
type task struct {
	*Runner
	src    *source.Source
	dst    *sink.Sink
	tables []*schema.Table
	state  *sink.Task
	policy value.Policy
	// createPostGIS is set when the schema phase must CREATE EXTENSION postgis.
	createPostGIS bool
	// stopAt is where --stop-when-caught-up ends the incremental phase.
	stopAt change.Position
	// cutAt is where a replayed group must commit (see sink.ErrGroupLost).
	cutAt change.Position
	// mapped holds what the task file's mapping leaves beside the tables.
	mapped mapped
	// adopted are the tables the task found in the target, not created.
	adopted map[sink.TableRef]bool
}

// Run connects, prechecks and runs the selected phases. A failed precheck
// is a *precheck.FailedError; bad configuration a *config.UsageError.
func (r *Runner) Run(ctx context.Context) error {
	if r.State == nil {
		r.State = progress.NewTask(r.Task.Name)
	}
	t, err := r.prepare(ctx)
	if t != nil {
		defer t.close()
	}
	if err != nil {
		return err
	}
	r.Log.Info("task starting", "task", r.Task.Name, "phases", r.Task.Phases.String(), "tables", len(t.tables),
		"source", t.src.Addr(), "source_version", t.src.Version, "target", t.dst.Addr())
	if r.Task.Phases.Schema {
		r.State.SetPhase("schema")
		if err := t.schemaPhase(ctx); err != nil {
			return err
		}
	} else if err := t.adoptTables(ctx); err != nil {
		return err
	}
	if err := t.loadAdopted(ctx); err != nil {
		return err
	}
	if r.Task.Phases.Full {
		r.State.SetPhase("full")
		if err := t.fullPhase(ctx); err != nil {
			return err
		}
	}
	if r.Task.Phases.Incremental {
		r.State.SetPhase("incremental")
		return t.withRetry(ctx, "incremental", func(ctx context.Context) (bool, error) {
			var err error
			if t.state, err = t.dst.LoadTask(ctx, r.Task.Name); err != nil {
				return false, err
			}
			return t.incrementalPhase(ctx)
		})
	}
	return nil
}

// prepare connects to both sides, reads the catalog and runs the prechecks.
func (r *Runner) prepare(ctx context.Context) (*task, error) {
	fresh := !r.passedAt.IsZero() && time.Since(r.passedAt) < recheckAfter
	r.passedAt = time.Time{} // used once
	t, report, err := r.precheck(ctx, !fresh)
	if err != nil {
		return t, err
	}
	for _, n := range t.mapped.notes {
		r.Log.Warn("mapping", "note", n)
	}
	for _, res := range report.Results {
		if res.Acked {
			r.Log.Warn("acknowledged precheck warning", "check", res.ID, "object", res.Object, "message", res.Message)
		}
	}
	if err := report.Err(); err != nil {
		return t, err
	}
	if t.state, err = t.dst.EnsureTask(ctx, r.Task.Name, t.src.Addr()); err != nil {
		return t, err
	}
	zd, _ := value.ParseZeroDatePolicy(r.Task.ZeroDate)
	bt, _ := value.ParseBadTextPolicy(r.Task.BadText)
	t.policy = value.Policy{ZeroDateNotNull: zd, BadText: bt, PostGIS: t.dst.PostGIS}
	return t, nil
}

// Check runs the prechecks of the task and returns their report, with
// acknowledged warnings marked; it writes nothing anywhere.
func (r *Runner) Check(ctx context.Context) (*precheck.Report, error) {
	t, report, err := r.precheck(ctx, true)
	t.close()
	if err == nil && len(report.Blocking()) == 0 {
		r.passedAt = time.Now()
	}
	return report, err
}

// precheck connects to both sides, reads the catalog and, when checks is
// set, runs the checks.
func (r *Runner) precheck(ctx context.Context, checks bool) (*task, *precheck.Report, error) {
	t := &task{Runner: r}
	var in precheck.Input
	t.src, in.SourceErr = source.Open(ctx, r.Task.Source)
	t.dst, in.SinkErr = sink.Open(ctx, r.Task.Target, r.Task.Parallel+2)
	in.Source, in.Sink = t.src, t.dst
	for _, p := range r.Task.Selection.Include {
		in.Include = append(in.Include, p.Raw)
	}
	if t.src != nil && t.dst != nil {
		var err error
		t.tables, in.Problems, err = t.src.Catalog(ctx, r.Task.Selection)
		if err != nil {
			return t, nil, err
		}
		if t.mapped, err = applyMapping(t.tables, r.Task.Mapping, r.Task.Source.Addr); err != nil {
			return t, nil, err
		}
		in.FilterProblems = t.mapped.problems
		in.Tables = t.tables
		if t.state, err = t.dst.LoadTask(ctx, r.Task.Name); err != nil && !isMissingState(err) {
			return t, nil, err
		}
		if t.state != nil {
			if in.Created, err = t.dst.CreatedTables(ctx, r.Task.Name); err != nil {
				return t, nil, err
			}
		}
		in.CreatesTables = r.Task.Phases.Schema
		in.IgnoreConflicts = r.Task.Conflict == "ignore" || r.Task.Mapping.Merge
		in.Merge = r.Task.Mapping.Merge
		in.ReadsBinlog = r.Task.Phases.Incremental
		in.LoadsData = r.Task.Phases.Full && (t.state == nil || !t.state.FullDone)
		in.ScanRows = r.Task.ScanRows
		in.ServerID, in.ReaderName = t.serverID(), t.readerName()
		if t.state != nil {
			in.Resume = t.state.Checkpoint
			if in.Resume.IsZero() {
				in.Resume = t.state.Snapshot
			}
		}
		in.StripBadText, in.FailZeroDates = r.Task.BadText == "strip", r.Task.ZeroDate == "fail"
		if err := t.maybePostGIS(ctx); err != nil {
			return t, nil, err
		}
	}
	report := &precheck.Report{}
	if checks || in.Source == nil || in.Sink == nil {
		var err error
		if report, err = precheck.Run(ctx, in); err != nil {
			return t, nil, err
		}
	}
	report.Names = precheck.NamesOf(t.tables)
	report.Ack(r.Task.Acks)
	return t, report, nil
}

// isMissingState reports the error of reading state before sluice's schema exists.
func isMissingState(err error) bool { return sink.IsCode(err, "42P01") || sink.IsCode(err, "3F000") }

// maybePostGIS notes whether geometry columns can become PostGIS geometry:
// the extension is installed, or available and will be created by the schema phase.
func (t *task) maybePostGIS(ctx context.Context) error {
	if t.dst.PostGIS || !t.Task.Phases.Schema || !hasGeometry(t.tables) {
		return nil
	}
	ok, err := t.dst.PostGISAvailable(ctx)
	if err != nil {
		return fmt.Errorf("looking for PostGIS in the target: %w", err)
	}
	t.dst.PostGIS = ok
	t.createPostGIS = ok
	return nil
}

func hasGeometry(tables []*schema.Table) bool {
	for _, tb := range tables {
		for _, c := range tb.Columns {
			if c.Kind == schema.KindGeometry {
				return true
			}
		}
	}
	return false
}

func (t *task) close() {
	if t.src != nil {
		t.src.Close()
	}
	if t.dst != nil {
		t.dst.Close()
	}
}

func ref(tb *schema.Table) sink.TableRef {
	return sink.TableRef{SourceDB: tb.Database, SourceTable: tb.Name, TargetSchema: tb.TargetSchema, TargetTable: tb.TargetName}
}

// ExitCode maps an error from Run to the CLI contract: 0 success, 1 runtime
// failure, 2 bad usage or configuration, 3 precheck failed.
func ExitCode(err error) int {
	var ue *config.UsageError
	var pf *precheck.FailedError
	switch {
	case err == nil || errors.Is(err, context.Canceled):
		return 0
	case errors.As(err, &ue):
		return 2
	case errors.As(err, &pf):
		return 3
	}
	return 1
}
