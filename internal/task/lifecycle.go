package task

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/sluicedb/sluice/internal/precheck"
	"github.com/sluicedb/sluice/internal/progress"
)

// mode is what a launched job does.
type mode int

const (
	modeCheck   mode = iota // a precheck alone
	modeStart               // a start: the precheck, then the run
	modeResume              // a resume: the same
	modeRestart             // a resume after the server's restart
)

// verb names the mode in events.
func (md mode) verb() string {
	switch md {
	case modeStart:
		return "started"
	case modeResume:
		return "resumed"
	case modeRestart:
		return "resumed after a server restart"
	}
	return "prechecked"
}

// outcome is what a launched job tells the caller waiting for it: the
// precheck's report, and why the task did not start (nil: it runs).
type outcome struct {
	report *PrecheckReport
	err    error
}

// Precheck runs the task's prechecks and returns their report, which the
// task keeps. The task returns to the state it was in.
func (m *Manager) Precheck(ctx context.Context, name string) (*PrecheckReport, error) {
	o, err := m.begin(ctx, name, ActPrecheck, modeCheck)
	if err != nil {
		return nil, err
	}
	return o.report, o.err
}

// Start runs the precheck and, when nothing blocks, starts the task: the
// pipeline runs schema, full and incremental as selected, continuing from
// the task's checkpoint in the target. A blocked precheck is a
// *PrecheckError and leaves the task as it was.
func (m *Manager) Start(ctx context.Context, name string) (*Status, error) {
	return m.beginRun(ctx, name, ActStart, modeStart)
}

// Resume starts a paused task again, from its checkpoint, as Start does.
func (m *Manager) Resume(ctx context.Context, name string) (*Status, error) {
	return m.beginRun(ctx, name, ActResume, modeResume)
}

func (m *Manager) beginRun(ctx context.Context, name string, a Action, md mode) (*Status, error) {
	o, err := m.begin(ctx, name, a, md)
	if err == nil {
		err = o.err
	}
	if err != nil {
		return nil, err
	}
	return m.Get(name)
}

// begin launches a precheck (and run) and waits for the precheck's outcome.
func (m *Manager) begin(ctx context.Context, name string, a Action, md mode) (outcome, error) {
	e, err := m.entry(name)
	if err != nil {
		return outcome{}, err
	}
	e.mu.Lock()
	if _, err := e.next(a); err != nil {
		e.mu.Unlock()
		return outcome{}, err
	}
	out, err := m.launch(ctx, e, md)
	e.mu.Unlock()
	if err != nil {
		return outcome{}, err
	}
	select {
	case o := <-out:
		return o, nil
	case <-ctx.Done():
		return outcome{}, ctx.Err()
	}
}

// next checks an action against the state machine; the caller holds e.mu.
func (e *entry) next(a Action) (State, error) {
	if e.deleted {
		return e.rec.State, fmt.Errorf("task %q: %w", e.rec.Name, ErrNotFound)
	}
	if e.specErr != "" && a != ActStop && a != ActDelete && a != ActUpdate {
		return e.rec.State, &TransitionError{Task: e.rec.Name, State: e.rec.State, Action: a,
			Reason: e.specErr + "; replace the spec (PUT) or delete the task"}
	}
	if a == ActVerify && e.verify != nil {
		return e.rec.State, &TransitionError{Task: e.rec.Name, State: e.rec.State, Action: a,
			Reason: "a verification is running; GET its report when it ends"}
	}
	return Next(e.rec.Name, e.rec.State, a)
}

// Pause stops a running task at a transaction boundary; Resume continues it.
func (m *Manager) Pause(ctx context.Context, name string) (*Status, error) {
	return m.halt(ctx, name, ActPause, Paused)
}

// Stop stops a task at a transaction boundary for good: a server restart
// does not resume it and Resume refuses; Start runs it again (from its
// checkpoint).
func (m *Manager) Stop(ctx context.Context, name string) (*Status, error) {
	return m.halt(ctx, name, ActStop, Stopped)
}

// halt asks a task's job to end in state to, and waits until it has.
func (m *Manager) halt(ctx context.Context, name string, a Action, to State) (*Status, error) {
	e, err := m.entry(name)
	if err != nil {
		return nil, err
	}
	e.mu.Lock()
	if _, err := e.next(a); err != nil {
		e.mu.Unlock()
		return nil, err
	}
	e.rec.Desired = to
	j := e.run
	if j != nil {
		j.cancel() // the job stores the state it ends in
	} else {
		// Paused or failed, or running but not resumed yet after a restart.
		e.rec.State = to
	}
	err = m.save(ctx, e)
	if j == nil && err == nil {
		m.event(ctx, e, levelInfo, string(to), "task "+string(to))
	}
	e.mu.Unlock()
	if err != nil {
		return nil, err
	}
	if j != nil {
		select {
		case <-j.done:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return m.Get(name)
}

// launch starts a task's precheck (and, unless md is modeCheck, its run)
// on a goroutine of its own; the caller holds e.mu. The channel gets the
// precheck's outcome.
func (m *Manager) launch(ctx context.Context, e *entry, md mode) (<-chan outcome, error) {
	if err := m.track(); err != nil {
		return nil, err
	}
	// The job outlives the request that launched it; stop, delete and the
	// server's end cancel it.
	runCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	j := &job{cancel: cancel, done: make(chan struct{})}
	e.back, e.backDesired = e.rec.State, e.rec.Desired
	if md == modeRestart {
		e.back = Failed // a restart has no caller to refuse: the task fails
	}
	e.rec.State = Prechecking
	live := e.live
	if md != modeCheck {
		// Invariant: a task whose stored desired state is running is
		// resumed by the next server start.
		e.rec.Desired = Running
		if err := m.save(ctx, e); err != nil {
			e.rec.State, e.rec.Desired = e.back, e.backDesired
			cancel()
			m.wg.Done()
			return nil, err
		}
		live = progress.NewTask(e.rec.Name)
		e.live = live
	} else if live == nil {
		live = progress.NewTask(e.rec.Name)
	}
	e.run = j
	out := make(chan outcome, 1) // the caller may have gone: never block
	go m.supervise(runCtx, e, j, md, e.spec, live, out)
	return out, nil
}

// supervise runs a launched job to its end and stores where it left the
// task: the precheck, then (unless md is modeCheck) the pipeline until it
// ends, fails or is cancelled.
func (m *Manager) supervise(ctx context.Context, e *entry, j *job, md mode, spec *Spec, live *progress.Task, out chan<- outcome) {
	defer m.wg.Done()
	defer close(j.done)
	defer j.cancel()
	// The store outlives the job's cancellation: its outcome is stored.
	bg := context.WithoutCancel(ctx)
	p := m.opts.NewPipeline(spec.Task, e.log, live)

	report, err := p.Check(ctx)
	if md == modeRestart {
		report, err = m.awaitServers(ctx, e, p, spec, report, err)
	}
	e.mu.Lock()
	var o outcome
	if err == nil {
		o.report = newPrecheckReport(report, time.Now().UTC(), spec)
		if data, merr := json.Marshal(o.report); merr == nil {
			e.rec.Precheck = data
		}
	}
	switch {
	case ctx.Err() != nil:
		o.err = &TransitionError{Task: e.rec.Name, State: e.rec.State, Action: ActStart,
			Reason: "it was stopped while its precheck ran"}
		m.halted(bg, e, md)
	case err != nil:
		o.err = fmt.Errorf("task %s: running the precheck: %w", e.rec.Name, err)
		m.refused(bg, e, md, spec.Scrub(o.err.Error()))
	case md == modeCheck:
		e.rec.State = e.back
		m.saveOrLog(bg, e)
		level, msg := levelInfo, "precheck passed"
		if !o.report.OK {
			level, msg = levelWarn, fmt.Sprintf("precheck: %d item(s) block the start", len(o.report.blocking()))
		}
		m.event(bg, e, level, "precheck", msg)
	case !o.report.OK:
		o.err = &PrecheckError{Task: e.rec.Name, Report: o.report}
		m.refused(bg, e, md, o.err.Error())
	default:
		e.rec.State, e.rec.LastError, e.rec.StartedAt = Running, "", time.Now().UTC()
		m.saveOrLog(bg, e)
		m.event(bg, e, levelInfo, "started", "task "+md.verb())
		m.runsAgain(e)
	}
	running := e.rec.State == Running && ctx.Err() == nil
	if !running {
		e.run = nil
	}
	e.mu.Unlock()
	out <- o
	if !running {
		return
	}

	err = p.Run(ctx)
	e.mu.Lock()
	defer e.mu.Unlock()
	e.run = nil
	if ph := live.Phase(); ph != "" {
		e.rec.Phase = ph
	}
	switch {
	case ctx.Err() != nil:
		m.halted(bg, e, md)
	case err != nil:
		m.failed(bg, e, spec.Scrub(err.Error()))
	default:
		e.rec.State, e.rec.Desired = Stopped, Stopped
		m.saveOrLog(bg, e)
		m.event(bg, e, levelInfo, "finished", "every selected phase is done; the task stopped")
	}
}

// refused returns a task whose precheck blocked its start to where it was
// (a restart's task fails instead); the caller holds e.mu.
func (m *Manager) refused(ctx context.Context, e *entry, md mode, why string) {
	e.rec.State, e.rec.Desired = e.back, e.backDesired
	if e.back == Failed {
		e.rec.LastError = why
	}
	m.saveOrLog(ctx, e)
	if md != modeCheck {
		m.event(ctx, e, levelWarn, "precheck", "not "+md.verb()+": "+why)
	}
	if md == modeRestart {
		m.alertFailed(e, "not "+md.verb()+": "+why)
	}
}

// halted stores where a task ends whose job was cancelled: where the user
// asked (pause, stop, delete), or, when the server is stopping, where it
// was (a running task stays running, to be resumed by the next start);
// the caller holds e.mu.
func (m *Manager) halted(ctx context.Context, e *entry, md mode) {
	kind, msg := "", ""
	switch {
	case md == modeCheck && e.rec.Desired == e.backDesired:
		e.rec.State = e.back
	case e.rec.Desired == Running:
		kind, msg = "server-stop", "the server is stopping: stopped at a transaction boundary; it resumes when the server starts again"
	default:
		e.rec.State = e.rec.Desired
		kind, msg = string(e.rec.State), "task "+string(e.rec.State)+" at a transaction boundary"
	}
	m.saveOrLog(ctx, e)
	if msg != "" {
		m.event(ctx, e, levelInfo, kind, msg)
	}
}

// awaitServers retries the precheck of a task resumed after the server's
// restart while it fails only because the source or the target cannot be
// reached (they may be restarting too), with backoff from 1 s to 30 s, for
// the task's retry_for — as a running task retries a lost connection —
// instead of failing the task at once.
func (m *Manager) awaitServers(ctx context.Context, e *entry, p Pipeline, spec *Spec, report *precheck.Report, err error) (*precheck.Report, error) {
	start, wait := time.Now(), time.Second
	for waited := false; err == nil && unreachable(report) && ctx.Err() == nil && time.Since(start) < spec.Task.RetryFor; waited = true {
		if !waited {
			e.mu.Lock()
			m.event(context.WithoutCancel(ctx), e, levelWarn, "waiting",
				"after the server's restart the source or the target cannot be reached; retrying for "+spec.Task.RetryFor.String())
			e.mu.Unlock()
		}
		select {
		case <-ctx.Done():
		case <-time.After(wait):
		}
		wait = min(2*wait, 30*time.Second)
		report, err = p.Check(ctx)
	}
	return report, err
}

// unreachable reports whether what blocks a precheck is only that a server
// cannot be reached.
func unreachable(r *precheck.Report) bool {
	blocking := r.Blocking()
	for _, res := range blocking {
		if res.ID != precheck.IDSourceConnect && res.ID != precheck.IDTargetConnect {
			return false
		}
	}
	return len(blocking) > 0
}
