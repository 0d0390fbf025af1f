//go:build integration

package api

import (
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/sluicedb/sluice/internal/alert"
	"github.com/sluicedb/sluice/internal/task"
	"github.com/sluicedb/sluice/internal/testdb"
)

// TestAlertsEndToEnd: a real task whose source writes carry commit times
// 100 s in the past lags above its threshold, and its lag webhook fires,
// then resolves once the writes stop; the same task then fails (its target
// table dropped under it) and its failure webhook fires. /metrics shows
// its series. No webhook, response or log line shows the password.
func TestAlertsEndToEnd(t *testing.T) {
	src := testdb.MySQL(t)
	src.Exec(t, "CREATE TABLE items (id INT PRIMARY KEY, v VARCHAR(20))", "INSERT INTO items VALUES (1, 'a')")
	dst := testdb.Postgres(t)
	var logs lockedBuffer
	hook := newWebhook(t)
	c, _ := serveSite(t, task.Options{Log: slog.New(slog.NewTextHandler(&logs, nil)), LagEvery: 50 * time.Millisecond}, hook)
	spec := map[string]any{"name": "alerts", "source": sourceAccount(t, src), "target": withPassword(t, dst.URL),
		"include": src.Name + ".*", "alert_lag_seconds": 30, "alert_lag_for": "200ms"}
	c.want(http.StatusCreated, "POST", "/api/v1/tasks", specJSON(t, spec), nil)
	c.want(http.StatusOK, "POST", "/api/v1/tasks/alerts/start", "", nil)
	c.waitFor("alerts", "the incremental phase", 30*time.Second, func(s *task.Status) bool { return s.Phase == "incremental" })

	// Transactions that say they committed 100 s ago: their lag is ~100 s
	// until a heartbeat of the idle source brings it back.
	conn, err := src.DB.Conn(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(t.Context(), "SET TIMESTAMP = UNIX_TIMESTAMP() - 100"); err != nil {
		t.Fatal(err)
	}
	var fired alert.Alert
	for id := 2; ; id++ {
		if _, err := conn.ExecContext(t.Context(), fmt.Sprintf("INSERT INTO items VALUES (%d, 'old')", id)); err != nil {
			t.Fatal(err)
		}
		if a := find(hook.alerts(t), alert.KindLag, alert.Firing); a != nil {
			fired = *a
			break
		}
		if id > 300 {
			t.Fatalf("no lag alert after %d late transactions; alerts %+v", id, hook.alerts(t))
		}
		time.Sleep(50 * time.Millisecond)
	}
	if fired.Task != "alerts" || fired.LagSeconds == nil || *fired.LagSeconds < 30 {
		t.Errorf("lag alert: %+v", fired)
	}
	hook.waitAlert(t, "alerts", alert.KindLag, alert.Resolved, 20*time.Second)

	dst.Exec(t, fmt.Sprintf("DROP TABLE %s.items", src.Name))
	src.Exec(t, "INSERT INTO items VALUES (1000, 'fails')")
	a := hook.waitAlert(t, "alerts", alert.KindFailed, alert.Firing, 30*time.Second)
	if !strings.Contains(a.Message, "items") {
		t.Errorf("failure alert: %+v", a)
	}
	if s := c.status("alerts"); s.State != task.Failed {
		t.Errorf("state %s", s.State)
	}
	// The webhook got the failure before its sender counted it sent.
	var missing []string
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		out := string(c.want(http.StatusOK, "GET", "/metrics", "", nil))
		missing = missing[:0]
		for _, want := range []string{`sluice_task_state{state="failed",task="alerts"} 1`, `sluice_task_errors_total{kind="failed",task="alerts"} 1`,
			`sluice_full_rows_total{table="` + src.Name + `.items",task="alerts"} 1`, `sluice_alert_deliveries_total{result="sent"} 3`} {
			if !strings.Contains(out, want) {
				missing = append(missing, want)
			}
		}
		if len(missing) == 0 || time.Now().After(deadline) {
			break
		}
	}
	if len(missing) > 0 {
		t.Errorf("/metrics lacks %s", strings.Join(missing, ", "))
	}
	for range 6 {
		c.want(http.StatusOK, "GET", "/api/v1/tasks/alerts/events", "", nil)
	}
	c.noSecret(apiPassword)
	hook.noSecret(t, apiPassword)
	if strings.Contains(logs.String(), apiPassword) {
		t.Errorf("a log line shows the password")
	}
}

// find returns the first alert of kind and status, or nil.
func find(alerts []alert.Alert, kind, status string) *alert.Alert {
	for i, a := range alerts {
		if a.Kind == kind && a.Status == status {
			return &alerts[i]
		}
	}
	return nil
}
