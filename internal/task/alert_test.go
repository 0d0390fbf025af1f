package task_test

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sluicedb/sluice/internal/alert"
	"github.com/sluicedb/sluice/internal/task"
	"github.com/sluicedb/sluice/internal/task/tasktest"
)

// alerts records the alerts a manager sends.
type alerts struct {
	mu  sync.Mutex
	got []alert.Alert
}

func (a *alerts) Notify(al alert.Alert) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.got = append(a.got, al)
}

// list returns the alerts so far as "task kind status" lines.
func (a *alerts) list() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	var out []string
	for _, al := range a.got {
		out = append(out, al.Task+" "+al.Kind+" "+al.Status)
	}
	return out
}

// TestAlerts: a task that fails sends a failure alert (its message
// scrubbed of the password), resolved when it runs again; a task whose
// lag (1.5 s, the fake's) stays above its threshold sends a lag alert,
// resolved when its lag is no longer measured (paused).
func TestAlerts(t *testing.T) {
	ctx := t.Context()
	p := tasktest.New()
	rec := &alerts{}
	m, err := task.Open(ctx, task.Options{Dir: t.TempDir(), NewPipeline: p.New, LagEvery: 10 * time.Millisecond, Alerts: rec})
	if err != nil {
		t.Fatal(err)
	}
	runManager(t, m)

	if _, err := m.Create(ctx, spec("f")); err != nil {
		t.Fatal(err)
	}
	p.Fail("f", errors.New("applying: the target refused u:"+password+"@db"))
	if _, err := m.Start(ctx, "f"); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the failure alert", func() bool { return len(rec.list()) == 1 })
	rec.mu.Lock()
	got := rec.got[0]
	rec.mu.Unlock()
	if got.Kind != alert.KindFailed || got.Status != alert.Firing || !strings.Contains(got.Message, "the target refused u:xxxxx@db") ||
		strings.Contains(got.Message, password) || got.Time.IsZero() {
		t.Errorf("failure alert: %+v", got)
	}
	p.Fail("f", nil)
	if _, err := m.Start(ctx, "f"); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the failure resolved", func() bool { return len(rec.list()) == 2 })

	if _, err := m.Create(ctx, spec("l", `"alert_lag_seconds": 1`, `"alert_lag_for": "30ms"`)); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Start(ctx, "l"); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the lag alert", func() bool { return len(rec.list()) == 3 })
	time.Sleep(50 * time.Millisecond) // no second alert while it stays high
	if _, err := m.Pause(ctx, "l"); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the lag alert resolved", func() bool { return len(rec.list()) == 4 })
	if got, want := strings.Join(rec.list(), ","), "f failed firing,f failed resolved,l lag firing,l lag resolved"; got != want {
		t.Errorf("alerts: %s, want %s", got, want)
	}
	rec.mu.Lock()
	lag := rec.got[2]
	rec.mu.Unlock()
	if lag.LagSeconds == nil || *lag.LagSeconds != 1.5 || !strings.Contains(lag.Message, "above 1s for 30ms: 1.5s") {
		t.Errorf("lag alert: %+v", lag)
	}

	live := m.Live()
	if len(live) != 2 || live[0].Name != "f" || live[0].Errors["failed"] != 1 || live[0].Progress == nil ||
		live[1].State != task.Paused || live[1].Phase != "incremental" {
		t.Errorf("live: %+v", live)
	}
}

// TestAlertSpec: the lag alert's keys are checked, kept and shown; they
// are not task file keys.
func TestAlertSpec(t *testing.T) {
	s, err := task.ParseSpec(spec("a", `"alert_lag_seconds": 30`))
	if err != nil {
		t.Fatal(err)
	}
	if s.Alert != (task.LagRule{Seconds: 30, For: 5 * time.Minute}) || s.Redacted()["alert_lag_seconds"] == nil {
		t.Errorf("rule %+v, spec %v", s.Alert, s.Redacted())
	}
	s, err = task.ParseSpec(spec("a", `"alert_lag_seconds": 2.5`, `"alert_lag_for": "0s"`))
	if err != nil || s.Alert != (task.LagRule{Seconds: 2.5}) {
		t.Errorf("rule %+v, %v", s, err)
	}
	for _, tc := range []struct{ extra, field string }{
		{`"alert_lag_seconds": "many"`, "alert_lag_seconds"},
		{`"alert_lag_seconds": 0`, "alert_lag_seconds"},
		{`"alert_lag_seconds": 5, "alert_lag_for": "soon"`, "alert_lag_for"},
		{`"alert_lag_for": "1m"`, "alert_lag_for"},
	} {
		_, err := task.ParseSpec(spec("a", tc.extra))
		var fe *task.FieldError
		if !errors.As(err, &fe) || fe.Field != tc.field {
			t.Errorf("%s: %v, want a FieldError on %s", tc.extra, err, tc.field)
		}
	}
}
