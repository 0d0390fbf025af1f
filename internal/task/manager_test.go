package task_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sluicedb/sluice/internal/precheck"
	"github.com/sluicedb/sluice/internal/task"
	"github.com/sluicedb/sluice/internal/task/tasktest"
)

const password = "Pw-Manager-4242"

func spec(name string, extra ...string) []byte {
	s := `{"name": "` + name + `", "source": "mysql://u:` + password + `@127.0.0.1:1", "target": "postgres://u:` +
		password + `@127.0.0.1:1/db"`
	for _, e := range extra {
		s += ", " + e
	}
	return []byte(s + "}")
}

// open starts a manager on dir with fake pipelines; it is stopped and
// closed when the test ends, or by the returned stop.
func open(t *testing.T, dir string, p *tasktest.Pipelines) (*task.Manager, func()) {
	t.Helper()
	m, err := task.Open(t.Context(), task.Options{Dir: dir, NewPipeline: p.New, LagEvery: 20 * time.Millisecond, LagKeep: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	return m, runManager(t, m)
}

// runManager runs m until the test ends, or until the returned stop, and
// closes it.
func runManager(t *testing.T, m *task.Manager) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx) }()
	stopped := false
	stop = func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
		if err := m.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	}
	t.Cleanup(stop)
	return stop
}

// eventually waits up to 5 s for cond.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); !cond(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

func state(t *testing.T, m *task.Manager, name string) task.State {
	t.Helper()
	s, err := m.Get(name)
	if err != nil {
		t.Fatal(err)
	}
	return s.State
}

func wantTransitionError(t *testing.T, err error, reason string) {
	t.Helper()
	var te *task.TransitionError
	if !errors.As(err, &te) || !strings.Contains(te.Reason, reason) {
		t.Errorf("got %v, want a *TransitionError saying %q", err, reason)
	}
}

func TestTaskLifecycle(t *testing.T) {
	ctx := t.Context()
	m, _ := open(t, t.TempDir(), tasktest.New())
	s, err := m.Create(ctx, spec("a"))
	if err != nil {
		t.Fatal(err)
	}
	if s.State != task.Created || s.DesiredState != task.Created || s.Spec["source"] != "mysql://u@127.0.0.1:1" {
		t.Errorf("created: %+v", s)
	}
	if _, err := m.Create(ctx, spec("a")); !errors.Is(err, task.ErrExists) {
		t.Errorf("a second task a: %v, want ErrExists", err)
	}
	_, err = m.Pause(ctx, "a")
	wantTransitionError(t, err, "not running")

	s, err = m.Start(ctx, "a")
	if err != nil {
		t.Fatal(err)
	}
	if s.State != task.Running || s.StartedAt == nil || s.Precheck == nil || !s.Precheck.OK {
		t.Errorf("started: %+v", s)
	}
	eventually(t, "the incremental phase", func() bool {
		s, _ := m.Get("a")
		return s.Phase == "incremental" && s.LagSeconds != nil && len(s.Progress.Tables) == 1
	})
	s, _ = m.Get("a")
	if *s.LagSeconds != 1.5 || s.Progress.Tables[0].Rows != 10 || s.Progress.RowChanges != 2 {
		t.Errorf("progress: lag %v, %+v", *s.LagSeconds, s.Progress)
	}
	eventually(t, "lag samples", func() bool {
		l, err := m.Lag(ctx, "a", time.Now().Add(-time.Minute))
		return err == nil && len(l) > 1 && l[0].LagSeconds == 1.5
	})
	_, err = m.Start(ctx, "a")
	wantTransitionError(t, err, "already running")

	if s, err = m.Pause(ctx, "a"); err != nil || s.State != task.Paused || s.LagSeconds != nil {
		t.Fatalf("pause: %+v, %v", s, err)
	}
	_, err = m.Start(ctx, "a")
	wantTransitionError(t, err, "resume it")
	if s, err = m.Resume(ctx, "a"); err != nil || s.State != task.Running {
		t.Fatalf("resume: %+v, %v", s, err)
	}
	if s, err = m.Stop(ctx, "a"); err != nil || s.State != task.Stopped || s.DesiredState != task.Stopped {
		t.Fatalf("stop: %+v, %v", s, err)
	}
	_, err = m.Resume(ctx, "a")
	wantTransitionError(t, err, "a stopped task cannot be resumed")
	if s, err = m.Start(ctx, "a"); err != nil || s.State != task.Running {
		t.Fatalf("start again: %+v, %v", s, err)
	}

	events, err := m.Events(ctx, "a", 100, 0)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, e := range events {
		kinds = append(kinds, e.Kind)
	}
	if got, want := strings.Join(kinds, ","), "started,stopped,started,paused,started,created"; got != want {
		t.Errorf("events newest first: %s, want %s", got, want)
	}
	if older, err := m.Events(ctx, "a", 2, events[1].ID); err != nil || len(older) != 2 || older[0].ID != events[2].ID {
		t.Errorf("events before %d: %+v, %v", events[1].ID, older, err)
	}

	if err := m.Delete(ctx, "a"); err != nil {
		t.Fatal(err)
	}
	for _, err := range []error{
		func() error { _, err := m.Get("a"); return err }(),
		m.Delete(ctx, "a"),
		func() error { _, err := m.Events(ctx, "a", 10, 0); return err }(),
	} {
		if !errors.Is(err, task.ErrNotFound) {
			t.Errorf("after delete: %v, want ErrNotFound", err)
		}
	}
	if len(m.List()) != 0 {
		t.Errorf("list after delete: %+v", m.List())
	}
}

func TestTaskPrecheck(t *testing.T) {
	ctx := t.Context()
	p := tasktest.New()
	m, _ := open(t, t.TempDir(), p)
	for _, name := range []string{"blocked", "warned", "acked"} {
		ack := `"ack": "other"`
		if name == "acked" {
			ack = `"ack": ["table-without-key"]`
		}
		if _, err := m.Create(ctx, spec(name, ack)); err != nil {
			t.Fatal(err)
		}
	}
	p.Report("blocked", "binlog-format", precheck.Error)
	p.Report("warned", "table-without-key", precheck.Warning)
	p.Report("acked", "table-without-key", precheck.Warning)

	rep, err := m.Precheck(ctx, "blocked")
	if err != nil || rep.OK || len(rep.Results) != 1 || rep.Results[0].ID != "binlog-format" {
		t.Errorf("precheck: %+v, %v", rep, err)
	}
	for _, name := range []string{"blocked", "warned"} {
		_, err := m.Start(ctx, name)
		var pe *task.PrecheckError
		if !errors.As(err, &pe) || pe.Report.OK || !strings.Contains(err.Error(), "1 item(s) block the start") {
			t.Errorf("start %s: %v, want a *PrecheckError", name, err)
		}
		if s, _ := m.Get(name); s.State != task.Created || s.DesiredState != task.Created || s.Precheck == nil || s.Precheck.OK {
			t.Errorf("%s after a refused start: %+v", name, s)
		}
	}
	if s, err := m.Start(ctx, "acked"); err != nil || s.State != task.Running || !s.Precheck.Results[0].Acked {
		t.Errorf("start acked: %+v, %v", s, err)
	}
	p.Clear("blocked")
	if s, err := m.Start(ctx, "blocked"); err != nil || s.State != task.Running {
		t.Errorf("start once fixed: %+v, %v", s, err)
	}
	_, err = m.Update(ctx, "blocked", spec("blocked"))
	wantTransitionError(t, err, "pause or stop it first")

	// The warning acknowledged by a new spec.
	var fe *task.FieldError
	if _, err := m.Update(ctx, "warned", spec("other")); !errors.As(err, &fe) || fe.Field != "name" {
		t.Errorf("update with another name: %v, want a *FieldError on name", err)
	}
	s, err := m.Update(ctx, "warned", spec("warned", `"ack": "table-without-key"`, `"parallel": 2`))
	if err != nil || fmt.Sprint(s.Spec["parallel"]) != "2" {
		t.Fatalf("update: %+v, %v", s, err)
	}
	if s, err := m.Start(ctx, "warned"); err != nil || s.State != task.Running {
		t.Errorf("start once acknowledged: %+v, %v", s, err)
	}
}

func TestTaskFailure(t *testing.T) {
	ctx := t.Context()
	p := tasktest.New()
	m, _ := open(t, t.TempDir(), p)
	if _, err := m.Create(ctx, spec("f")); err != nil {
		t.Fatal(err)
	}
	p.Fail("f", errors.New("applying: connecting as u:"+password+": refused"))
	if _, err := m.Start(ctx, "f"); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the failure", func() bool { return state(t, m, "f") == task.Failed })
	s, _ := m.Get("f")
	if s.LastError != "applying: connecting as u:xxxxx: refused" {
		t.Errorf("last error %q", s.LastError)
	}
	events, _ := m.Events(ctx, "f", 1, 0)
	if len(events) != 1 || events[0].Kind != "failed" || events[0].Level != "error" || strings.Contains(events[0].Message, password) {
		t.Errorf("events: %+v", events)
	}
	_, err := m.Resume(ctx, "f")
	wantTransitionError(t, err, "it failed")
	if s, err := m.Stop(ctx, "f"); err != nil || s.State != task.Stopped {
		t.Errorf("stop a failed task: %+v, %v", s, err)
	}
	p.Fail("f", nil)
	if s, err := m.Start(ctx, "f"); err != nil || s.State != task.Running || s.LastError != "" {
		t.Errorf("start once fixed: %+v, %v", s, err)
	}
}

func TestTaskRestart(t *testing.T) {
	ctx := t.Context()
	dir := t.TempDir()
	p := tasktest.New()
	m, stop := open(t, dir, p)
	for _, name := range []string{"run1", "run2", "paused", "stopped", "failed", "created"} {
		if _, err := m.Create(ctx, spec(name)); err != nil {
			t.Fatal(err)
		}
		if name != "created" {
			if _, err := m.Start(ctx, name); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, err := m.Pause(ctx, "paused"); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Stop(ctx, "stopped"); err != nil {
		t.Fatal(err)
	}
	p.Fail("failed", errors.New("boom"))
	if _, err := m.Stop(ctx, "failed"); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Start(ctx, "failed"); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the failure", func() bool { return state(t, m, "failed") == task.Failed })
	if _, err := m.Verify(ctx, "run1", false); err != nil {
		t.Fatal(err)
	}
	stop()
	if _, err := m.Create(ctx, spec("late")); !errors.Is(err, task.ErrClosed) {
		t.Errorf("create after Run ended: %v, want ErrClosed", err)
	}

	p2 := tasktest.New()
	m2, _ := open(t, dir, p2)
	eventually(t, "the resumed runs", func() bool { return p2.Runs("run1") == 1 && p2.Runs("run2") == 1 })
	want := map[string]task.State{"run1": task.Running, "run2": task.Running, "paused": task.Paused,
		"stopped": task.Stopped, "failed": task.Failed, "created": task.Created}
	for _, s := range m2.List() {
		if s.State != want[s.Name] {
			t.Errorf("%s after the restart: %s, want %s", s.Name, s.State, want[s.Name])
		}
	}
	if p2.Runs("paused")+p2.Runs("stopped")+p2.Runs("failed")+p2.Runs("created") != 0 {
		t.Errorf("a task not running was run after the restart")
	}
	events, _ := m2.Events(ctx, "run1", 3, 0)
	var kinds []string
	for _, e := range events {
		kinds = append(kinds, e.Kind)
	}
	if len(events) != 3 || events[0].Message != "task resumed after a server restart" || !strings.Contains(strings.Join(kinds, ","), "server-stop") {
		t.Errorf("events of run1: %+v", events)
	}
}

func TestTaskVerify(t *testing.T) {
	ctx := t.Context()
	p := tasktest.New()
	m, _ := open(t, t.TempDir(), p)
	if _, err := m.Create(ctx, spec("v")); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Verification(ctx, "v"); !errors.Is(err, task.ErrNoVerification) {
		t.Errorf("before a verification: %v, want ErrNoVerification", err)
	}
	release := p.HoldVerify("v")
	v, err := m.Verify(ctx, "v", true)
	if err != nil || v.State != "running" || !v.Repair {
		t.Fatalf("verify: %+v, %v", v, err)
	}
	_, err = m.Verify(ctx, "v", false)
	wantTransitionError(t, err, "a verification is running")
	if s, _ := m.Get("v"); !s.Verifying {
		t.Errorf("status while verifying: %+v", s)
	}
	release()
	eventually(t, "the report", func() bool {
		v, err := m.Verification(ctx, "v")
		return err == nil && v.State == "done" && v.Report != nil && v.Report.OK && v.FinishedAt != nil
	})
	events, _ := m.Events(ctx, "v", 1, 0)
	if len(events) != 1 || events[0].Message != "verification done: the target equals the source (1 tables)" {
		t.Errorf("events: %+v", events)
	}

	// Deleting the task cancels a verification that runs.
	p.HoldVerify("v")
	if _, err := m.Verify(ctx, "v", false); err != nil {
		t.Fatal(err)
	}
	if err := m.Delete(ctx, "v"); err != nil {
		t.Fatal(err)
	}
}

// TestStoreIsPrivate: the store holds passwords; only its owner may read it.
func TestStoreIsPrivate(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	m, stop := open(t, dir, tasktest.New())
	if _, err := m.Create(t.Context(), spec("p")); err != nil {
		t.Fatal(err)
	}
	stop()
	for path, want := range map[string]os.FileMode{dir: 0o700 | os.ModeDir, filepath.Join(dir, task.StoreFile): 0o600} {
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode() != want {
			t.Errorf("%s: mode %s, want %s", path, fi.Mode(), want)
		}
	}
	files, _ := filepath.Glob(filepath.Join(dir, task.StoreFile+"-*"))
	for _, f := range files {
		if fi, err := os.Stat(f); err == nil && fi.Mode().Perm()&0o077 != 0 {
			t.Errorf("%s: mode %s, readable by others", f, fi.Mode())
		}
	}
}

// TestTaskRestartWaitsForServers: a task resumed after the server's restart
// whose source cannot be reached yet waits (and says so) instead of
// failing, and runs once the source answers.
func TestTaskRestartWaitsForServers(t *testing.T) {
	ctx := t.Context()
	dir := t.TempDir()
	p := tasktest.New()
	m, stop := open(t, dir, p)
	if _, err := m.Create(ctx, spec("r")); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Start(ctx, "r"); err != nil {
		t.Fatal(err)
	}
	stop()

	p2 := tasktest.New()
	p2.Report("r", precheck.IDSourceConnect, precheck.Error)
	m2, _ := open(t, dir, p2)
	eventually(t, "the waiting event", func() bool {
		events, _ := m2.Events(ctx, "r", 5, 0)
		return len(events) > 0 && events[0].Kind == "waiting"
	})
	if s := state(t, m2, "r"); s == task.Failed || p2.Runs("r") != 0 {
		t.Fatalf("while the source is unreachable: %s, %d runs", s, p2.Runs("r"))
	}
	p2.Clear("r")
	eventually(t, "the run once the source answers", func() bool { return p2.Runs("r") == 1 && state(t, m2, "r") == task.Running })
}
