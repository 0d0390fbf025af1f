package api

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sluicedb/sluice/internal/precheck"
	"github.com/sluicedb/sluice/internal/task"
	"github.com/sluicedb/sluice/internal/task/tasktest"
)

const fakePassword = "Fake-Pw-31337"

func fakeSpec(t *testing.T, name string) string {
	return specJSON(t, map[string]any{"name": name, "include": "shop.*",
		"source": "mysql://u:" + fakePassword + "@127.0.0.1:1",
		"target": "postgres://u:" + fakePassword + "@127.0.0.1:1/db?sslmode=disable"})
}

// TestAPIAuth: every route answers 401 without the token or with a wrong one.
func TestAPIAuth(t *testing.T) {
	c, _ := newServer(t, task.Options{NewPipeline: tasktest.New().New})
	for _, token := range []string{"", "wrong", testToken + "x"} {
		c.token = token
		for _, rt := range routes {
			path := strings.ReplaceAll(rt.Path, "{name}", "shop")
			c.wantError(http.StatusUnauthorized, rt.Method, path, "{}", "a valid token is required", "")
		}
		c.wantError(http.StatusUnauthorized, "GET", "/api/v1/nothing", "", "a valid token is required", "")
	}
	c.token = testToken
	c.want(http.StatusOK, "GET", "/api/v1/tasks", "", nil)
	c.want(http.StatusNotFound, "GET", "/api/v1/nothing", "", nil)
}

// TestAPITasks goes through every route and error code with fake pipelines.
func TestAPITasks(t *testing.T) {
	p := tasktest.New()
	c, _ := newServer(t, task.Options{NewPipeline: p.New, LagEvery: 10 * time.Millisecond})
	const base = "/api/v1/tasks"

	var s task.Status
	c.want(http.StatusCreated, "POST", base, fakeSpec(t, "shop"), &s)
	if s.Name != "shop" || s.State != task.Created || s.Spec["source"] != "mysql://u@127.0.0.1:1" {
		t.Errorf("created: %+v", s)
	}
	c.wantError(http.StatusConflict, "POST", base, fakeSpec(t, "shop"), "a task of that name exists", "")
	for _, tc := range []struct{ body, msg, field string }{
		{`not json`, "must be a JSON object", ""},
		{`{"name": "x", "source": "mysql://u@h:3306"}`, "required", "target"},
		{`{"name": "x", "source": "mysql://u@h:3306", "target": "postgres://u@h/db", "parallel": 100}`, "out of range", "parallel"},
		{`{"name": "x", "source": "mysql://u:` + fakePassword + `@h:port", "target": "postgres://u@h/db"}`, "not a URL", "source"},
		{`{"name": "x", "source": "mysql://u@h:3306", "target": "postgres://u@h/db", "includes": "a.*"}`, "unknown key", "includes"},
	} {
		c.wantError(http.StatusBadRequest, "POST", base, tc.body, tc.msg, tc.field)
	}
	var list struct{ Tasks []task.Status }
	c.want(http.StatusOK, "GET", base, "", &list)
	if len(list.Tasks) != 1 || list.Tasks[0].Name != "shop" || list.Tasks[0].Spec != nil {
		t.Errorf("list: %+v", list)
	}

	// 404 on every route of a task that does not exist.
	for _, rt := range routes {
		if strings.Contains(rt.Path, "{name}") {
			c.wantError(http.StatusNotFound, rt.Method, strings.ReplaceAll(rt.Path, "{name}", "nope"), "", "no such task", "")
		}
	}

	// Illegal transitions, and a start the precheck refuses.
	e := c.wantError(http.StatusConflict, "POST", base+"/shop/resume", "", "it was never started; start it", "")
	if e.State != task.Created {
		t.Errorf("409 state %q", e.State)
	}
	c.wantError(http.StatusConflict, "POST", base+"/shop/pause", "", "not running", "")
	c.wantError(http.StatusConflict, "POST", base+"/shop/stop", "", "never started", "")
	p.Report("shop", "binlog-format", precheck.Error)
	var rep task.PrecheckReport
	c.want(http.StatusOK, "POST", base+"/shop/precheck", "", &rep)
	if rep.OK || len(rep.Results) != 1 {
		t.Errorf("precheck report: %+v", rep)
	}
	e = c.wantError(http.StatusUnprocessableEntity, "POST", base+"/shop/start", "", "precheck failed", "")
	if e.Precheck == nil || e.Precheck.Results[0].ID != "binlog-format" || e.Precheck.Results[0].Instruction == "" {
		t.Errorf("422 body: %+v", e)
	}
	c.wantError(http.StatusBadRequest, "PUT", base+"/shop", fakeSpec(t, "shop2"), "cannot change", "name")
	c.want(http.StatusOK, "PUT", base+"/shop", fakeSpec(t, "shop"), &s)
	p.Clear("shop")

	// The lifecycle.
	c.want(http.StatusOK, "POST", base+"/shop/start", "", &s)
	if s.State != task.Running || !s.Precheck.OK {
		t.Errorf("started: %+v", s)
	}
	c.wantError(http.StatusConflict, "POST", base+"/shop/precheck", "", "pause it first", "")
	c.wantError(http.StatusConflict, "PUT", base+"/shop", fakeSpec(t, "shop"), "pause or stop it first", "")
	st := c.waitFor("shop", "lag", 5*time.Second, func(s *task.Status) bool { return s.LagSeconds != nil })
	if st.Phase != "incremental" || *st.LagSeconds != 1.5 || len(st.Progress.Tables) != 1 || st.Progress.Tables[0].Table != "db.items" {
		t.Errorf("running: %+v", st)
	}
	var lag struct {
		IntervalSeconds float64          `json:"interval_seconds"`
		Samples         []task.LagSample `json:"samples"`
	}
	for deadline := time.Now().Add(5 * time.Second); len(lag.Samples) < 2 && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		c.want(http.StatusOK, "GET", base+"/shop/lag?since="+time.Now().Add(-time.Hour).UTC().Format(time.RFC3339), "", &lag)
	}
	if len(lag.Samples) < 2 || lag.Samples[0].LagSeconds != 1.5 || lag.IntervalSeconds != 0.01 {
		t.Errorf("lag: %+v", lag)
	}
	c.wantError(http.StatusBadRequest, "GET", base+"/shop/lag?since=yesterday", "", "not a time", "since")
	c.want(http.StatusOK, "POST", base+"/shop/pause", "", &s)
	if s.State != task.Paused {
		t.Errorf("paused: %+v", s)
	}
	c.want(http.StatusOK, "POST", base+"/shop/resume", "", &s)
	if s.State != task.Running {
		t.Errorf("resumed: %+v", s)
	}
	c.want(http.StatusOK, "POST", base+"/shop/stop", "", &s)
	if s.State != task.Stopped {
		t.Errorf("stopped: %+v", s)
	}
	e = c.wantError(http.StatusConflict, "POST", base+"/shop/resume", "", "a stopped task cannot be resumed", "")
	if e.State != task.Stopped {
		t.Errorf("409 state %q", e.State)
	}

	// Verification.
	c.wantError(http.StatusNotFound, "GET", base+"/shop/verify", "", "not been verified yet", "")
	c.wantError(http.StatusBadRequest, "POST", base+"/shop/verify", `{"repiar": true}`, "unknown field", "repair")
	release := p.HoldVerify("shop")
	var v task.Verification
	c.want(http.StatusAccepted, "POST", base+"/shop/verify", `{"repair": true}`, &v)
	if v.State != "running" || !v.Repair {
		t.Errorf("verification: %+v", v)
	}
	c.wantError(http.StatusConflict, "POST", base+"/shop/verify", "", "a verification is running", "")
	release()
	for deadline := time.Now().Add(5 * time.Second); v.State == "running" && time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		c.want(http.StatusOK, "GET", base+"/shop/verify", "", &v)
	}
	if v.State != "done" || v.Report == nil || !v.Report.OK {
		t.Errorf("verification: %+v", v)
	}

	// Events.
	var ev struct{ Events []task.Event }
	c.want(http.StatusOK, "GET", base+"/shop/events?limit=3", "", &ev)
	if len(ev.Events) != 3 || ev.Events[0].Kind != "verify" {
		t.Errorf("events: %+v", ev)
	}
	c.want(http.StatusOK, "GET", base+"/shop/events?before="+itoa(ev.Events[2].ID), "", &ev)
	if len(ev.Events) == 0 || ev.Events[len(ev.Events)-1].Kind != "created" {
		t.Errorf("older events: %+v", ev)
	}
	c.wantError(http.StatusBadRequest, "GET", base+"/shop/events?limit=0", "", "not a whole number", "limit")
	c.wantError(http.StatusBadRequest, "GET", base+"/shop/events?before=x", "", "not a whole number", "before")

	// Delete.
	c.want(http.StatusNoContent, "DELETE", base+"/shop", "", nil)
	c.wantError(http.StatusNotFound, "GET", base+"/shop", "", "no such task", "")
	c.noSecret(fakePassword)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// TestAPIStopping: once the manager has stopped, actions answer 503.
func TestAPIStopping(t *testing.T) {
	m, err := task.Open(t.Context(), task.Options{Dir: t.TempDir(), NewPipeline: tasktest.New().New})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if err := m.Run(ctx); err != nil {
		t.Fatal(err)
	}
	s := New(m, testToken, nil)
	req := httptest.NewRequest("POST", "/api/v1/tasks", strings.NewReader(fakeSpec(t, "late")))
	req.Header.Set("Authorization", "Bearer "+testToken)
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	if rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), "the server is stopping") {
		t.Errorf("create after the stop: %d %s", rec.Code, rec.Body)
	}
}
