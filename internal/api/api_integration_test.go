//go:build integration

package api

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sluicedb/sluice/internal/pipeline"
	"github.com/sluicedb/sluice/internal/task"
	"github.com/sluicedb/sluice/internal/testdb"
)

// apiPassword is the password of the account TestAPIEndToEnd syncs with:
// distinctive, so that a response or log line showing it is found.
const apiPassword = "Api-S3cret-QUUX"

// TestAPIEndToEnd drives a task against real servers through the API only:
// create, precheck (a warning refused, then acknowledged by a new spec),
// start, the incremental phase applying source changes, lag history,
// pause and resume, a verification, events, delete. No response and no
// log line shows the password.
func TestAPIEndToEnd(t *testing.T) {
	src := testdb.MySQL(t)
	src.Exec(t, "CREATE TABLE items (id INT PRIMARY KEY, v VARCHAR(20))",
		"INSERT INTO items VALUES (1, 'a'), (2, 'b')",
		"CREATE TABLE notes (v VARCHAR(20))") // no key: a warning to acknowledge
	dst := testdb.Postgres(t)
	var logs lockedBuffer
	log := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c, _ := newServer(t, task.Options{Log: log, LagEvery: 100 * time.Millisecond,
		Verify: pipeline.VerifyOptions{Settle: 20 * time.Second, Rounds: 3}})
	const base = "/api/v1/tasks/e2e"

	spec := map[string]any{"name": "e2e", "source": sourceAccount(t, src), "target": withPassword(t, dst.URL),
		"include": []string{src.Name + ".*"}, "parallel": 2, "progress_interval": "100ms"}
	var s task.Status
	c.want(http.StatusCreated, "POST", "/api/v1/tasks", specJSON(t, spec), &s)
	var rep task.PrecheckReport
	c.want(http.StatusOK, "POST", base+"/precheck", "", &rep)
	if rep.OK || len(rep.Results) != 1 || rep.Results[0].ID != "table-without-key" || len(rep.Names) != 2 {
		t.Fatalf("precheck: %+v", rep)
	}
	c.wantError(http.StatusUnprocessableEntity, "POST", base+"/start", "", "table-without-key", "")
	spec["ack"] = "table-without-key"
	c.want(http.StatusOK, "PUT", base, specJSON(t, spec), &s)
	c.want(http.StatusOK, "POST", base+"/start", "", &s)
	if s.State != task.Running || !s.Precheck.OK {
		t.Fatalf("start: %+v", s)
	}
	s = *c.waitFor("e2e", "the incremental phase", 30*time.Second, func(s *task.Status) bool { return s.Phase == "incremental" })
	if s.Progress == nil || len(s.Progress.Tables) != 2 {
		t.Errorf("progress in the incremental phase: %+v", s.Progress)
	}

	// A source change reaches the target; the lag is sampled.
	src.Exec(t, "INSERT INTO items VALUES (3, 'c')", "UPDATE items SET v = 'a2' WHERE id = 1")
	waitRows(t, dst, src.Name+".items", "id = 3")
	var lag struct{ Samples []task.LagSample }
	for deadline := time.Now().Add(10 * time.Second); len(lag.Samples) == 0 && time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		c.want(http.StatusOK, "GET", base+"/lag", "", &lag)
	}
	if len(lag.Samples) == 0 {
		t.Errorf("no lag sample")
	}
	s = *c.status("e2e")
	if s.LagSeconds == nil || s.Progress.RowChanges < 2 {
		t.Errorf("running: lag %v, progress %+v", s.LagSeconds, s.Progress)
	}

	// Pause: changes wait; resume applies them.
	c.want(http.StatusOK, "POST", base+"/pause", "", &s)
	if s.State != task.Paused {
		t.Fatalf("pause: %+v", s)
	}
	src.Exec(t, "INSERT INTO items VALUES (4, 'd')", "DELETE FROM items WHERE id = 2")
	time.Sleep(300 * time.Millisecond)
	if n := dst.QueryValue(t, fmt.Sprintf("SELECT count(*) FROM %s.items WHERE id = 4", src.Name)); n != int64(0) {
		t.Errorf("a paused task applied a change")
	}
	c.want(http.StatusOK, "POST", base+"/resume", "", &s)
	waitRows(t, dst, src.Name+".items", "id = 4")
	testdb.CompareTable(t, src, dst, "items")

	// Verify while the sync runs.
	var v task.Verification
	c.want(http.StatusAccepted, "POST", base+"/verify", "", &v)
	for deadline := time.Now().Add(40 * time.Second); v.State == "running" && time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		c.want(http.StatusOK, "GET", base+"/verify", "", &v)
	}
	if v.State != "done" || v.Report == nil || !v.Report.OK || len(v.Report.Tables) != 2 {
		t.Errorf("verification: %+v (report %+v)", v, v.Report)
	}

	var ev struct{ Events []task.Event }
	c.want(http.StatusOK, "GET", base+"/events", "", &ev)
	var kinds []string
	for _, e := range ev.Events {
		kinds = append(kinds, e.Kind)
	}
	if got, want := strings.Join(kinds, ","), "verify,verify,started,paused,started,updated,precheck,precheck,created"; got != want {
		t.Errorf("events: %s, want %s", got, want)
	}
	c.want(http.StatusNoContent, "DELETE", base, "", nil)
	c.want(http.StatusOK, "GET", "/api/v1/tasks", "", nil)

	c.noSecret(apiPassword)
	for _, line := range strings.Split(logs.String(), "\n") {
		if strings.Contains(line, apiPassword) {
			t.Errorf("a log line shows the password: %s", line)
		}
	}
}

// waitRows waits until table has a row matching cond.
func waitRows(t *testing.T, dst *testdb.PGDB, table, cond string) {
	t.Helper()
	q := fmt.Sprintf("SELECT count(*) FROM %s WHERE %s", table, cond)
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if dst.QueryValue(t, q) != int64(0) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", q)
		}
	}
}

// sourceAccount creates a MariaDB account with apiPassword and the grants
// sluice needs, drops it when t ends, and returns its source URL.
func sourceAccount(t *testing.T, src *testdb.MySQLDB) string {
	t.Helper()
	return src.Account(t, "api_"+src.Name[len(src.Name)-8:], apiPassword)
}

// withPassword is a PostgreSQL URL with apiPassword (the harness server
// trusts local connections and does not check it).
func withPassword(t *testing.T, raw string) string {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return withUser(t, raw, u.User.Username())
}

func withUser(t *testing.T, raw, user string) string {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	u.User = url.UserPassword(user, apiPassword)
	return u.String()
}

// lockedBuffer is a log destination that goroutines share.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
