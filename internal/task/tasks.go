package task

import (
	"context"
	"fmt"
	"time"
)

// Create checks a spec (a JSON body, see ParseSpec) and stores the new
// task, in state created.
func (m *Manager) Create(ctx context.Context, body []byte) (*Status, error) {
	spec, err := ParseSpec(body)
	if err != nil {
		return nil, err
	}
	data, err := spec.JSON()
	if err != nil {
		return nil, fmt.Errorf("encoding the spec of task %s: %w", spec.Name, err)
	}
	now := time.Now().UTC()
	e := &entry{spec: spec, log: m.log.With("task", spec.Name),
		rec: record{Name: spec.Name, Spec: data, Desired: Created, State: Created, CreatedAt: now, UpdatedAt: now}}
	e.mu.Lock() // a new mutex: nobody else can hold it yet
	defer e.mu.Unlock()
	m.mu.Lock()
	switch {
	case m.closed:
		m.mu.Unlock()
		return nil, ErrClosed
	case m.tasks[spec.Name] != nil:
		m.mu.Unlock()
		return nil, fmt.Errorf("task %q: %w", spec.Name, ErrExists)
	}
	m.tasks[spec.Name] = e
	m.mu.Unlock()
	if err := m.store.insert(ctx, &e.rec); err != nil {
		e.deleted = true
		m.mu.Lock()
		delete(m.tasks, spec.Name)
		m.mu.Unlock()
		return nil, err
	}
	m.event(ctx, e, levelInfo, "created", "task created")
	return e.status(true), nil
}

// Update replaces a task's spec (the body as for Create; the name cannot
// change). A running task must be paused or stopped first; the new spec
// applies from the next start or resume.
func (m *Manager) Update(ctx context.Context, name string, body []byte) (*Status, error) {
	e, err := m.lookup(name)
	if err != nil {
		return nil, err
	}
	spec, err := ParseSpec(body)
	if err != nil {
		return nil, err
	}
	if spec.Name != name {
		return nil, &FieldError{Field: "name", Msg: fmt.Sprintf("%q differs from the task's name %q, which cannot change", spec.Name, name)}
	}
	data, err := spec.JSON()
	if err != nil {
		return nil, fmt.Errorf("encoding the spec of task %s: %w", name, err)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if _, err := e.next(ActUpdate); err != nil {
		return nil, err
	}
	old, oldErr, oldData := e.spec, e.specErr, e.rec.Spec
	e.spec, e.specErr, e.rec.Spec = spec, "", data
	if err := m.save(ctx, e); err != nil {
		e.spec, e.specErr, e.rec.Spec = old, oldErr, oldData
		return nil, err
	}
	m.event(ctx, e, levelInfo, "updated", "spec replaced")
	return e.status(true), nil
}

// List returns every task's status, without details, by name.
func (m *Manager) List() []*Status {
	out := []*Status{}
	for _, e := range m.entries() {
		e.mu.Lock()
		if !e.deleted {
			out = append(out, e.status(false))
		}
		e.mu.Unlock()
	}
	return out
}

// Get returns a task's status with its progress, last precheck and spec.
func (m *Manager) Get(name string) (*Status, error) {
	e, err := m.lookup(name)
	if err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.status(true), nil
}

// Delete stops a task (at a transaction boundary, and any verification)
// and removes it and its history from the store. The target's data and
// sluice's state in it are left: a new task of the same name and target
// resumes from that state.
func (m *Manager) Delete(ctx context.Context, name string) error {
	e, err := m.entry(name)
	if err != nil {
		return err
	}
	e.mu.Lock()
	if e.deleted {
		e.mu.Unlock()
		return fmt.Errorf("task %q: %w", name, ErrNotFound)
	}
	e.deleted = true
	e.rec.Desired = Stopped
	m.watchLag(e, nil, time.Now()) // resolves its lag alert
	var jobs []*job
	for _, j := range []*job{e.run, e.verify} {
		if j != nil {
			j.cancel()
			jobs = append(jobs, j)
		}
	}
	e.mu.Unlock()
	// Invariant: the task's row outlives its jobs, which store their outcome.
	for _, j := range jobs {
		<-j.done
	}
	if err := m.store.remove(context.WithoutCancel(ctx), name); err != nil {
		return err
	}
	m.mu.Lock()
	delete(m.tasks, name)
	m.mu.Unlock()
	e.log.Info("task deleted")
	return nil
}

// Events returns up to limit events of a task older than event before
// (0: the newest), newest first.
func (m *Manager) Events(ctx context.Context, name string, limit int, before int64) ([]Event, error) {
	if _, err := m.lookup(name); err != nil {
		return nil, err
	}
	return m.store.events(ctx, name, limit, before)
}

// Lag returns a task's lag samples since since, oldest first.
func (m *Manager) Lag(ctx context.Context, name string, since time.Time) ([]LagSample, error) {
	if _, err := m.lookup(name); err != nil {
		return nil, err
	}
	return m.store.lag(ctx, name, since)
}
