package tasktest

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/sluicedb/sluice/internal/config"
	"github.com/sluicedb/sluice/internal/pipeline"
	"github.com/sluicedb/sluice/internal/precheck"
	"github.com/sluicedb/sluice/internal/progress"
	"github.com/sluicedb/sluice/internal/task"
	"github.com/sluicedb/sluice/internal/verify"
)

// Pipelines makes fake pipelines. By default a precheck passes, a run
// reaches the incremental phase (lag 1.5 s) and waits until it is
// cancelled, and a verification finds the target equal to the source.
type Pipelines struct {
	mu      sync.Mutex
	results map[string][]precheck.Result // per task: precheck items
	fail    map[string]error             // per task: what Run returns at once
	runs    map[string]int               // per task: runs started
	hold    map[string]chan struct{}     // per task: verifications wait for its close
}

// New returns fake pipelines with the defaults.
func New() *Pipelines {
	return &Pipelines{results: map[string][]precheck.Result{}, fail: map[string]error{}, runs: map[string]int{}, hold: map[string]chan struct{}{}}
}

// Report makes the prechecks of a task report an item (acknowledged when
// the task's ack names a warning, as the real precheck does).
func (p *Pipelines) Report(task, id string, sev precheck.Severity) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.results[task] = append(p.results[task], precheck.Result{ID: id, Severity: sev, Message: id + " found", Instruction: "fix " + id})
}

// Clear makes the prechecks of a task pass again.
func (p *Pipelines) Clear(task string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.results, task)
}

// Fail makes the runs of a task return err at once (nil: run until cancelled).
func (p *Pipelines) Fail(task string, err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.fail[task] = err
}

// HoldVerify makes the verifications of a task wait until release is called.
func (p *Pipelines) HoldVerify(task string) (release func()) {
	p.mu.Lock()
	defer p.mu.Unlock()
	ch := make(chan struct{})
	p.hold[task] = ch
	return sync.OnceFunc(func() { close(ch) })
}

// Runs counts the runs of a task started so far.
func (p *Pipelines) Runs(task string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.runs[task]
}

// New is a task.NewPipelineFunc.
func (p *Pipelines) New(t *config.Task, _ *slog.Logger, state *progress.Task) task.Pipeline {
	return &fake{p: p, t: t, state: state}
}

type fake struct {
	p     *Pipelines
	t     *config.Task
	state *progress.Task
}

func (f *fake) Check(ctx context.Context) (*precheck.Report, error) {
	f.p.mu.Lock()
	r := &precheck.Report{Results: append([]precheck.Result(nil), f.p.results[f.t.Name]...)}
	f.p.mu.Unlock()
	r.Ack(f.t.Acks)
	return r, ctx.Err()
}

func (f *fake) Run(ctx context.Context) error {
	f.p.mu.Lock()
	f.p.runs[f.t.Name]++
	err := f.p.fail[f.t.Name]
	f.p.mu.Unlock()
	f.state.SetPhase("schema")
	if err != nil {
		return err
	}
	f.state.SetPhase("full")
	tr := progress.NewTracker()
	tr.Table("db.items", 10, 1, 1, 10, 100)
	f.state.SetFull(tr)
	// The lag first, so that no sample of the incremental phase reads 0.
	f.state.Stream.Applied(1, 2, 1500*time.Millisecond, "binlog.000001:4")
	f.state.SetPhase("incremental")
	<-ctx.Done()
	return nil
}

func (f *fake) Verify(ctx context.Context, o pipeline.VerifyOptions) (*verify.Report, error) {
	f.p.mu.Lock()
	hold := f.p.hold[f.t.Name]
	f.p.mu.Unlock()
	if hold != nil {
		select {
		case <-hold:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return &verify.Report{OK: true, Tables: []*verify.TableReport{{Table: "db.items", Target: "db.items", Mode: "key-range", Rows: 10}}}, ctx.Err()
}
