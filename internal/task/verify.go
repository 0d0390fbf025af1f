package task

import (
	"context"
	"fmt"
	"time"

	"github.com/sluicedb/sluice/internal/progress"
	"github.com/sluicedb/sluice/internal/verify"
)

// Verify starts a verification of the task in the background (with
// repair, rewriting the rows that differ) and returns it, running; its
// report replaces the last one when it ends. A sync of the task may run
// meanwhile. One verification of a task runs at a time.
func (m *Manager) Verify(ctx context.Context, name string, repair bool) (*Verification, error) {
	e, err := m.entry(name)
	if err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if _, err := e.next(ActVerify); err != nil {
		return nil, err
	}
	if err := m.track(); err != nil {
		return nil, err
	}
	v := &Verification{State: verifyRunning, Repair: repair, StartedAt: time.Now().UTC()}
	if err := m.store.saveVerification(ctx, name, v); err != nil {
		m.wg.Done()
		return nil, err
	}
	vctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	j := &job{cancel: cancel, done: make(chan struct{})}
	e.verify = j
	msg := "verification started"
	if repair {
		msg += " (with repair)"
	}
	m.event(ctx, e, levelInfo, "verify", msg)
	started := *v
	go m.verify(vctx, e, j, e.spec, v)
	return &started, nil
}

// verify runs a verification and stores its outcome.
func (m *Manager) verify(ctx context.Context, e *entry, j *job, spec *Spec, v *Verification) {
	defer m.wg.Done()
	defer close(j.done)
	defer j.cancel()
	p := m.opts.NewPipeline(spec.Task, e.log.With("op", "verify"), progress.NewTask(e.rec.Name))
	opts := m.opts.Verify
	opts.Repair = v.Repair
	report, err := p.Verify(ctx, opts)
	bg := context.WithoutCancel(ctx)
	now := time.Now().UTC()
	v.FinishedAt = &now
	level, msg := levelInfo, ""
	switch {
	case ctx.Err() != nil:
		v.State, v.Error = verifyCancelled, "stopped before it ended: the task was deleted or the server stopped"
		level, msg = levelWarn, "verification "+v.Error
	case err != nil:
		v.State, v.Error = verifyFailed, spec.Scrub(err.Error())
		level, msg = levelError, "verification failed: "+v.Error
	default:
		v.State, v.Report = verifyDone, report
		if !report.OK {
			level = levelWarn
		}
		msg = "verification done: " + verdict(report)
	}
	if err := m.store.saveVerification(bg, e.rec.Name, v); err != nil {
		e.log.Error("storing the verification", "err", err)
	}
	e.mu.Lock()
	m.event(bg, e, level, "verify", msg)
	e.verify = nil
	e.mu.Unlock()
}

// verdict sums up a verification report in words.
func verdict(r *verify.Report) string {
	if r.OK {
		return fmt.Sprintf("the target equals the source (%d tables)", len(r.Tables))
	}
	var rows int64
	tables := 0
	for _, t := range r.Tables {
		if t.Differs() {
			tables++
			rows += t.Missing + t.Extra + t.Changed
		}
	}
	return fmt.Sprintf("the target DIFFERS from the source: %d rows in %d of %d tables", rows, tables, len(r.Tables))
}

// Verification returns a task's last verification, running or ended.
func (m *Manager) Verification(ctx context.Context, name string) (*Verification, error) {
	if _, err := m.lookup(name); err != nil {
		return nil, err
	}
	v, err := m.store.verification(ctx, name)
	if err != nil {
		return nil, err
	}
	if v == nil {
		return nil, fmt.Errorf("task %q: %w", name, ErrNoVerification)
	}
	return v, nil
}
