package task

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"sync"
	"time"

	"github.com/sluicedb/sluice/internal/config"
	"github.com/sluicedb/sluice/internal/pipeline"
	"github.com/sluicedb/sluice/internal/precheck"
	"github.com/sluicedb/sluice/internal/progress"
	"github.com/sluicedb/sluice/internal/verify"
)

// Pipeline is what the manager needs of one task's pipeline: a
// *pipeline.Runner, or a fake in tests.
type Pipeline interface {
	Run(ctx context.Context) error
	Check(ctx context.Context) (*precheck.Report, error)
	Verify(ctx context.Context, o pipeline.VerifyOptions) (*verify.Report, error)
}

// NewPipelineFunc makes the pipeline of a task, logging to log and
// reporting its live state into state.
type NewPipelineFunc func(t *config.Task, log *slog.Logger, state *progress.Task) Pipeline

// Options configure a Manager.
type Options struct {
	Dir string // the data directory, holding the store
	Log *slog.Logger
	// NewPipeline makes each task's pipeline; nil: a pipeline.Runner.
	NewPipeline NewPipelineFunc
	// LagEvery is the interval of lag samples (default 10 s); LagKeep how
	// long they are kept (default 24 h).
	LagEvery, LagKeep time.Duration
	// Verify are the settle time and rounds of verifications (default: as
	// sluice verify, 1 min and 3).
	Verify pipeline.VerifyOptions
	// Alerts is told when a task fails and when its lag alert (LagRule)
	// fires or resolves, checked at each lag sample; nil: no alerts.
	Alerts Notifier
}

// Defaults of Options.
const (
	DefaultLagEvery = 10 * time.Second
	DefaultLagKeep  = 24 * time.Hour
)

// Manager keeps the tasks of a server and supervises each: its prechecks,
// its run and its verifications each run on a goroutine of their own,
// which the manager waits for (Run returns once every one has ended).
type Manager struct {
	store   *Store
	log     *slog.Logger
	opts    Options
	devnull *os.File // the progress display of every pipeline.Runner

	mu     sync.Mutex
	tasks  map[string]*entry
	closed bool
	wg     sync.WaitGroup // every precheck, run and verification
}

// entry is one task in memory; mu guards the fields below it.
type entry struct {
	log *slog.Logger

	mu   sync.Mutex
	spec *Spec // replaced by Update; jobs keep the one they started with
	// specErr says why a stored spec no longer builds a task (after an
	// upgrade); such a task can only be shown, updated, stopped or deleted.
	specErr string
	rec     record
	live    *progress.Task // the live state of the last run; nil before
	run     *job           // the precheck or run going on; nil when idle
	// back and backDesired are where a precheck returns to when it ends
	// without starting the task.
	back, backDesired State
	verify            *job // the verification going on; nil when idle
	deleted           bool
	lag               lagWatch
	failAlerted       bool             // a failure alert fired and is not resolved
	errors            map[string]int64 // error events by kind since the server started
}

// job is a goroutine the manager started and can cancel.
type job struct {
	cancel context.CancelFunc
	done   chan struct{} // closed when it has ended and stored its outcome
}

// Open opens the store in o.Dir and loads its tasks. Run then resumes
// those that were running and supervises them; Close, after Run has
// returned, closes the store.
func Open(ctx context.Context, o Options) (*Manager, error) {
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.LagEvery <= 0 {
		o.LagEvery = DefaultLagEvery
	}
	if o.LagKeep <= 0 {
		o.LagKeep = DefaultLagKeep
	}
	if o.Verify.Settle <= 0 {
		o.Verify.Settle = time.Minute
	}
	if o.Verify.Rounds <= 0 {
		o.Verify.Rounds = 3
	}
	store, err := OpenStore(ctx, o.Dir)
	if err != nil {
		return nil, err
	}
	m := &Manager{store: store, log: o.Log, opts: o, tasks: map[string]*entry{}}
	if m.opts.NewPipeline == nil {
		if m.devnull, err = os.OpenFile(os.DevNull, os.O_WRONLY, 0); err != nil {
			store.Close()
			return nil, fmt.Errorf("opening %s for the progress display: %w", os.DevNull, err)
		}
		m.opts.NewPipeline = m.runner
	}
	if err := store.abandonVerifications(ctx, time.Now().UTC()); err != nil {
		m.Close()
		return nil, err
	}
	recs, err := store.records(ctx)
	if err != nil {
		m.Close()
		return nil, err
	}
	for _, r := range recs {
		e := &entry{rec: *r, log: o.Log.With("task", r.Name)}
		e.spec, err = loadSpec(r.Name, r.Spec)
		if err != nil {
			e.specErr = err.Error()
		}
		// A precheck or run that the server's end interrupted, and that
		// the user had asked to stop: it ends where they asked.
		if (r.State == Running || r.State == Prechecking) && r.Desired != Running {
			e.rec.State = r.Desired
			if err := m.save(ctx, e); err != nil {
				m.Close()
				return nil, err
			}
		}
		m.tasks[r.Name] = e
	}
	return m, nil
}

// loadSpec rebuilds a stored spec. When it no longer builds a task, the
// spec returned still shows (without passwords) what was stored.
func loadSpec(name string, data []byte) (*Spec, error) {
	var keys map[string]any
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&keys); err != nil {
		return &Spec{Name: name, keys: map[string]any{}}, fmt.Errorf("the stored spec is not JSON: %w", err)
	}
	s, err := specOf(keys)
	if err != nil {
		s = &Spec{Name: name, keys: keys}
		s.secret = s.secrets()
		return s, fmt.Errorf("the stored spec is no longer valid: %w", err)
	}
	return s, nil
}

// runner is the default NewPipelineFunc.
func (m *Manager) runner(t *config.Task, log *slog.Logger, state *progress.Task) Pipeline {
	return &pipeline.Runner{Task: t, Log: log, Out: m.devnull, State: state}
}

// Run resumes every task whose desired state is running (and that had not
// failed), samples their lag every Options.LagEvery until ctx ends, then
// stops every task at a transaction boundary (their desired state kept,
// so that the next Run resumes them) and waits for them.
func (m *Manager) Run(ctx context.Context) error {
	m.resumeAll(ctx)
	tick := time.NewTicker(m.opts.LagEvery)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			m.stopAll()
			return nil
		case now := <-tick.C:
			m.sample(ctx, now)
		}
	}
}

// Close closes the store; call it after Run has returned.
func (m *Manager) Close() error {
	if m.devnull != nil {
		m.devnull.Close()
	}
	return m.store.Close()
}

func (m *Manager) resumeAll(ctx context.Context) {
	for _, e := range m.entries() {
		e.mu.Lock()
		switch {
		case e.deleted || e.run != nil || e.rec.Desired != Running || e.rec.State == Failed:
		case e.specErr != "":
			m.failed(ctx, e, "not resumed: "+e.specErr)
		default:
			if _, err := m.launch(ctx, e, modeRestart); err != nil {
				e.log.Error("resuming the task", "err", err)
			}
		}
		e.mu.Unlock()
	}
}

// stopAll cancels every job and waits for them all.
func (m *Manager) stopAll() {
	m.mu.Lock()
	m.closed = true
	m.mu.Unlock()
	for _, e := range m.entries() {
		e.mu.Lock()
		for _, j := range []*job{e.run, e.verify} {
			if j != nil {
				j.cancel()
			}
		}
		e.mu.Unlock()
	}
	m.wg.Wait()
}

// track counts a job the manager starts, unless it is stopping.
func (m *Manager) track() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return ErrClosed
	}
	m.wg.Add(1)
	return nil
}

// sample stores the lag of each task in its incremental phase, and the
// phase a running task reached, and checks the lag alerts.
func (m *Manager) sample(ctx context.Context, now time.Time) {
	for _, e := range m.entries() {
		e.mu.Lock()
		var lag *float64
		if e.rec.State == Running && e.live != nil && !e.deleted {
			if p := e.live.Phase(); p != "" && p != e.rec.Phase {
				e.rec.Phase = p
				m.saveOrLog(ctx, e)
			}
			if e.rec.Phase == "incremental" {
				l := e.live.Stream.Lag().Seconds()
				lag = &l
			}
		}
		if !e.deleted {
			m.watchLag(e, lag, now)
		}
		e.mu.Unlock()
		if lag == nil {
			continue
		}
		if err := m.store.addLag(ctx, e.rec.Name, LagSample{At: now.UTC(), LagSeconds: *lag}, m.opts.LagKeep); err != nil && ctx.Err() == nil {
			e.log.Warn("storing a lag sample", "err", err)
		}
	}
}

// entries returns the tasks, by name.
func (m *Manager) entries() []*entry {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]*entry, 0, len(m.tasks))
	for _, e := range m.tasks {
		out = append(out, e)
	}
	slices.SortFunc(out, func(a, b *entry) int {
		switch {
		case a.rec.Name < b.rec.Name:
			return -1
		case a.rec.Name > b.rec.Name:
			return 1
		}
		return 0
	})
	return out
}

// entry returns the task called name.
func (m *Manager) entry(name string) (*entry, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if e := m.tasks[name]; e != nil {
		return e, nil
	}
	return nil, fmt.Errorf("task %q: %w", name, ErrNotFound)
}

// lookup returns the task called name, unless it is being deleted, for
// reading its history.
func (m *Manager) lookup(name string) (*entry, error) {
	e, err := m.entry(name)
	if err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.deleted {
		return nil, fmt.Errorf("task %q: %w", name, ErrNotFound)
	}
	return e, nil
}

// LagEvery is the interval of lag samples.
func (m *Manager) LagEvery() time.Duration { return m.opts.LagEvery }

// save stores the task's row; the caller holds e.mu.
func (m *Manager) save(ctx context.Context, e *entry) error {
	e.rec.UpdatedAt = time.Now().UTC()
	return m.store.update(ctx, &e.rec)
}

// saveOrLog saves where no caller can be told of a failure.
func (m *Manager) saveOrLog(ctx context.Context, e *entry) {
	if err := m.save(ctx, e); err != nil {
		e.log.Error("storing the task's state", "err", err)
	}
}

// event records and logs a lifecycle event; its message is scrubbed of the
// task's passwords first. The caller holds e.mu.
func (m *Manager) event(ctx context.Context, e *entry, level, kind, msg string) {
	msg = e.spec.Scrub(msg)
	lv := slog.LevelInfo
	switch level {
	case levelWarn:
		lv = slog.LevelWarn
	case levelError:
		lv = slog.LevelError
	}
	e.log.Log(ctx, lv, "task event", "event", kind, "detail", msg)
	if level == levelError {
		if e.errors == nil {
			e.errors = map[string]int64{}
		}
		e.errors[kind]++
	}
	err := m.store.addEvent(ctx, e.rec.Name, Event{At: time.Now().UTC(), Level: level, Kind: kind, Message: msg})
	if err != nil && !errors.Is(err, context.Canceled) {
		e.log.Error("storing an event", "event", kind, "err", err)
	}
}
