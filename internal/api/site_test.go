package api

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/sluicedb/sluice/internal/alert"
	"github.com/sluicedb/sluice/internal/console"
	"github.com/sluicedb/sluice/internal/metrics"
	"github.com/sluicedb/sluice/internal/task"
	"github.com/sluicedb/sluice/internal/task/tasktest"
)

const sitePassword = "Site-Pw-31337"

// webhook is a local alert receiver: it keeps every body it gets.
type webhook struct {
	mu     sync.Mutex
	bodies []string
	url    string
}

func newWebhook(t *testing.T) *webhook {
	t.Helper()
	h := &webhook{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		h.mu.Lock()
		h.bodies = append(h.bodies, string(b))
		h.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(srv.Close)
	h.url = srv.URL + "/alerts"
	return h
}

// alerts decodes what the receiver got.
func (h *webhook) alerts(t *testing.T) []alert.Alert {
	t.Helper()
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []alert.Alert
	for _, b := range h.bodies {
		var a alert.Alert
		if err := json.Unmarshal([]byte(b), &a); err != nil {
			t.Fatalf("webhook body %s: %v", b, err)
		}
		out = append(out, a)
	}
	return out
}

// waitAlert waits up to d for an alert of task, kind and status.
func (h *webhook) waitAlert(t *testing.T, name, kind, status string, d time.Duration) alert.Alert {
	t.Helper()
	for deadline := time.Now().Add(d); ; time.Sleep(20 * time.Millisecond) {
		for _, a := range h.alerts(t) {
			if a.Task == name && a.Kind == kind && a.Status == status {
				return a
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no %s %s alert of task %s; got %+v", kind, status, name, h.alerts(t))
		}
	}
}

// noSecret fails the test if a webhook body holds secret.
func (h *webhook) noSecret(t *testing.T, secret string) {
	t.Helper()
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, b := range h.bodies {
		if strings.Contains(b, secret) {
			t.Errorf("an alert shows the password: %s", b)
		}
	}
}

// serveSite serves everything sluice server serves (API, metrics, console)
// with alerts to hook.
func serveSite(t *testing.T, opts task.Options, hook *webhook) (*client, *task.Manager) {
	t.Helper()
	hooks, err := alert.New([]string{hook.url}, alert.Options{First: 10 * time.Millisecond}, opts.Log)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.WithoutCancel(t.Context()))
	done := make(chan struct{})
	go func() { hooks.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	opts.Alerts = hooks
	return serve(t, opts, func(s *Server, m *task.Manager) http.Handler {
		reg := prometheus.NewRegistry()
		if err := metrics.RegisterServer(reg, m, hooks); err != nil {
			t.Fatal(err)
		}
		return s.Site(promhttp.HandlerFor(reg, promhttp.HandlerOpts{}), console.Handler())
	})
}

// TestSiteAlertsAndMetrics: a failing task and a lagging one (fake
// pipelines) send their webhooks; /metrics needs the token and shows each
// task's series with its label; the console needs no token. No response
// and no alert shows the password.
func TestSiteAlertsAndMetrics(t *testing.T) {
	p := tasktest.New()
	hook := newWebhook(t)
	c, _ := serveSite(t, task.Options{NewPipeline: p.New, LagEvery: 20 * time.Millisecond}, hook)
	body := func(name string, extra map[string]any) string {
		keys := map[string]any{"name": name, "source": "mysql://u:" + sitePassword + "@127.0.0.1:1",
			"target": "postgres://u:" + sitePassword + "@127.0.0.1:1/db"}
		for k, v := range extra {
			keys[k] = v
		}
		return specJSON(t, keys)
	}

	c.want(http.StatusCreated, "POST", "/api/v1/tasks", body("bad", nil), nil)
	p.Fail("bad", errors.New("applying: the target refused u:"+sitePassword+"@127.0.0.1:1"))
	c.want(http.StatusOK, "POST", "/api/v1/tasks/bad/start", "", nil)
	a := hook.waitAlert(t, "bad", alert.KindFailed, alert.Firing, 5*time.Second)
	if !strings.Contains(a.Message, "the target refused") || a.Time.IsZero() {
		t.Errorf("failure alert: %+v", a)
	}

	c.want(http.StatusCreated, "POST", "/api/v1/tasks", body("slow", map[string]any{"alert_lag_seconds": 1, "alert_lag_for": "50ms"}), nil)
	c.want(http.StatusOK, "POST", "/api/v1/tasks/slow/start", "", nil)
	a = hook.waitAlert(t, "slow", alert.KindLag, alert.Firing, 5*time.Second)
	if a.LagSeconds == nil || *a.LagSeconds != 1.5 {
		t.Errorf("lag alert: %+v", a)
	}
	c.want(http.StatusOK, "POST", "/api/v1/tasks/slow/stop", "", nil)
	hook.waitAlert(t, "slow", alert.KindLag, alert.Resolved, 5*time.Second)
	if s := c.status("slow"); s.Spec["alert_lag_seconds"] == nil {
		t.Errorf("the spec does not show the alert's keys: %v", s.Spec)
	}

	token := c.token
	c.token = ""
	c.want(http.StatusUnauthorized, "GET", "/metrics", "", nil)
	page := string(c.want(http.StatusOK, "GET", "/", "", nil))
	if !strings.Contains(page, "<title>sluice") {
		t.Errorf("the console: %s", page)
	}
	c.token = token
	out := c.want(http.StatusOK, "GET", "/metrics", "", nil)
	p2 := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p2.TextToMetricFamilies(strings.NewReader(string(out)))
	if err != nil {
		t.Fatal(err)
	}
	states := map[string]string{}
	for _, m := range fams["sluice_task_state"].GetMetric() {
		labels := map[string]string{}
		for _, l := range m.GetLabel() {
			labels[l.GetName()] = l.GetValue()
		}
		if m.GetGauge().GetValue() == 1 {
			states[labels["task"]] = labels["state"]
		}
	}
	if states["bad"] != "failed" || states["slow"] != "stopped" {
		t.Errorf("sluice_task_state: %v", states)
	}
	if fams["sluice_task_errors_total"] == nil || fams["sluice_alert_deliveries_total"] == nil || fams["go_goroutines"] != nil {
		t.Errorf("families: %v", fams)
	}
	c.want(http.StatusOK, "GET", "/api/v1/tasks/bad/events", "", nil)
	c.want(http.StatusOK, "GET", "/api/v1/tasks", "", nil)
	c.noSecret(sitePassword)
	hook.noSecret(t, sitePassword)
}
