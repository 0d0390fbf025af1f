package task

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"time"

	"github.com/sluicedb/sluice/internal/alert"
)

// Notifier is told of alerts: an *alert.Webhooks, or a recorder in tests.
// Notify must not block: the manager calls it holding a task's lock.
type Notifier interface {
	Notify(a alert.Alert)
}

// LagRule is a task's lag alert: it fires once the lag has stayed above
// Seconds for For, and resolves when the lag falls back (or is no longer
// measured: the task paused, stopped or failed). Seconds 0: no lag alert.
type LagRule struct {
	Seconds float64
	For     time.Duration
}

// Keys of a spec that the server reads itself, never given to the task
// file's parser (sluice run has no such settings).
const (
	keyAlertLagSeconds = "alert_lag_seconds"
	keyAlertLagFor     = "alert_lag_for"
)

// defaultLagFor is alert_lag_for when only alert_lag_seconds is given.
const defaultLagFor = 5 * time.Minute

// lagRule reads the lag alert's keys of a spec.
func lagRule(keys map[string]any) (LagRule, error) {
	var r LagRule
	if v, ok := keys[keyAlertLagSeconds]; ok && v != nil {
		n, isNum := v.(json.Number)
		f, err := n.Float64()
		if !isNum || err != nil || f <= 0 {
			return r, &FieldError{Field: keyAlertLagSeconds, Msg: fmt.Sprintf("%v is not a number of seconds above 0, e.g. 60", v)}
		}
		r.Seconds, r.For = f, defaultLagFor
	}
	if v, ok := keys[keyAlertLagFor]; ok && v != nil {
		str, _ := v.(string)
		d, err := time.ParseDuration(str)
		if err != nil || d < 0 {
			return r, &FieldError{Field: keyAlertLagFor, Msg: fmt.Sprintf("%v is not a duration, e.g. \"5m\" or \"30s\"", v)}
		}
		if r.Seconds == 0 {
			return r, &FieldError{Field: keyAlertLagFor, Msg: "needs " + keyAlertLagSeconds + ", the threshold it applies to"}
		}
		r.For = d
	}
	return r, nil
}

// taskKeys are a spec's keys without those the server reads itself.
func taskKeys(keys map[string]any) map[string]any {
	out := maps.Clone(keys)
	delete(out, keyAlertLagSeconds)
	delete(out, keyAlertLagFor)
	return out
}

// lagWatch follows one task's lag against its rule.
type lagWatch struct {
	over   time.Time // since when the lag has been above the threshold; zero: it is not
	firing bool
}

// observe takes a lag sample (nil: not measured, the task is not in its
// incremental phase) and says which alert to send: alert.Firing,
// alert.Resolved, or "" for none.
func (w *lagWatch) observe(r LagRule, lag *float64, now time.Time) string {
	if r.Seconds <= 0 || lag == nil || *lag <= r.Seconds {
		w.over = time.Time{}
		if w.firing {
			w.firing = false
			return alert.Resolved
		}
		return ""
	}
	if w.over.IsZero() {
		w.over = now
	}
	if !w.firing && now.Sub(w.over) >= r.For {
		w.firing = true
		return alert.Firing
	}
	return ""
}

// watchLag checks a task's lag sample against its rule and sends the alert
// due, if any; the caller holds e.mu.
func (m *Manager) watchLag(e *entry, lag *float64, now time.Time) {
	rule := e.spec.Alert
	status := e.lag.observe(rule, lag, now)
	if status == "" || m.opts.Alerts == nil {
		return
	}
	a := alert.Alert{Task: e.rec.Name, Kind: alert.KindLag, Status: status, Time: now.UTC(), LagSeconds: lag}
	switch {
	case status == alert.Firing:
		a.Message = fmt.Sprintf("the lag has been above %gs for %s: %.1fs", rule.Seconds, rule.For, *lag)
	case lag == nil && e.deleted:
		a.Message = "the lag is no longer measured: the task was deleted"
	case lag == nil:
		a.Message = fmt.Sprintf("the lag is no longer measured: the task is %s", e.rec.State)
	default:
		a.Message = fmt.Sprintf("the lag is back under %gs: %.1fs", rule.Seconds, *lag)
	}
	m.opts.Alerts.Notify(a)
}

// failed records that a task gave up: its state, last error, an event
// and an alert; the caller holds e.mu.
func (m *Manager) failed(ctx context.Context, e *entry, why string) {
	why = e.spec.Scrub(why)
	e.rec.State, e.rec.LastError = Failed, why
	m.saveOrLog(ctx, e)
	m.event(ctx, e, levelError, "failed", why)
	m.alertFailed(e, why)
}

// alertFailed sends the alert of a task that failed (and resolves its lag
// alert, no longer measured); the caller holds e.mu.
func (m *Manager) alertFailed(e *entry, why string) {
	m.watchLag(e, nil, time.Now())
	if m.opts.Alerts != nil {
		e.failAlerted = true
		m.opts.Alerts.Notify(alert.Alert{Task: e.rec.Name, Kind: alert.KindFailed, Status: alert.Firing,
			Message: why, Time: time.Now().UTC()})
	}
}

// runsAgain resolves the failure alert of a task that runs again; the
// caller holds e.mu.
func (m *Manager) runsAgain(e *entry) {
	if e.failAlerted && m.opts.Alerts != nil {
		m.opts.Alerts.Notify(alert.Alert{Task: e.rec.Name, Kind: alert.KindFailed, Status: alert.Resolved,
			Message: "the task runs again", Time: time.Now().UTC()})
	}
	e.failAlerted = false
}
