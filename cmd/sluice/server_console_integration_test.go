//go:build integration

package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/sluicedb/sluice/internal/testdb"
)

// chromium is the browser of the console test: $SLUICE_CHROMIUM, else
// Debian's chromium (scripts/deps.sh installs it).
func chromium(t *testing.T) string {
	t.Helper()
	for _, p := range []string{os.Getenv("SLUICE_CHROMIUM"), "chromium", "/usr/bin/chromium"} {
		if p == "" {
			continue
		}
		if path, err := exec.LookPath(p); err == nil {
			return path
		}
	}
	t.Fatal("no Chromium: install Debian's chromium (scripts/deps.sh does), or set SLUICE_CHROMIUM")
	return ""
}

// browser starts a headless Chromium with a fresh profile for the test;
// it is stopped when the test ends.
func browser(t *testing.T) context.Context {
	t.Helper()
	// Not t.TempDir: Chromium's helpers may still write in the profile
	// for a moment after it stops, which fails TempDir's removal.
	profile, err := os.MkdirTemp("", "sluice-chromium")
	if err != nil {
		t.Fatal(err)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromium(t)),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(profile),
		// Offline: nothing may try to reach the internet (its connections
		// are refused here, and that slows Chromium down).
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.WindowSize(1280, 1000),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(t.Context(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	// The first action starts the browser, and its context's end would
	// stop it: start it on the test's context, before any with a deadline.
	if err := chromedp.Do(ctx); err != nil {
		cancel()
		cancelAlloc()
		t.Fatalf("starting Chromium: %v", err)
	}
	t.Cleanup(func() {
		cancel()
		cancelAlloc()
		for range 50 {
			if os.RemoveAll(profile) == nil {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
	})
	return ctx
}

// page drives the console in the browser, saving screenshots into dir.
type page struct {
	t   *testing.T
	ctx context.Context
	dir string
	n   int
	// html is every page's HTML seen, to look for a password.
	html []string
}

func (p *page) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		p.shot("failed")
		p.t.Fatalf("%s: %v", what, err)
	}
}

// waitJS waits until a JavaScript expression is true, for up to d.
func (p *page) waitJS(what, expr string, d time.Duration) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, d+5*time.Second)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](expr, chromedp.WithPollingInterval(100*time.Millisecond),
		chromedp.WithPollingTimeout(d))); err != nil {
		p.shot("failed")
		p.t.Fatalf("waiting for %s (%s): %v", what, expr, err)
	}
}

// eval evaluates a JavaScript expression to a boolean.
func (p *page) eval(expr string) bool {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, 30*time.Second)
	defer cancel()
	ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](expr))
	if err != nil {
		p.t.Fatalf("evaluating %s: %v", expr, err)
	}
	return ok
}

// text returns the text of the first element matching sel.
func (p *page) text(sel string) string {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, 30*time.Second)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		p.t.Fatalf("text of %s: %v", sel, err)
	}
	return s
}

// shot saves a screenshot of the whole page, and keeps the page's HTML.
func (p *page) shot(name string) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, 30*time.Second)
	defer cancel()
	html, err := chromedp.Run(ctx, chromedp.OuterHTML(chromedp.CSS("html")))
	if err == nil {
		p.html = append(p.html, html)
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)) // 100: PNG
	if err != nil {
		p.t.Errorf("screenshot %s: %v", name, err)
		return
	}
	p.n++
	if err := os.WriteFile(filepath.Join(p.dir, fmt.Sprintf("%02d-%s.png", p.n, name)), png, 0o644); err != nil {
		p.t.Errorf("screenshot %s: %v", name, err)
	}
}

// artifacts is the directory of the test's screenshots: under
// $SLUICE_TEST_ARTIFACTS when set, else bench/out (not committed).
func artifacts(t *testing.T, name string) string {
	t.Helper()
	base := os.Getenv("SLUICE_TEST_ARTIFACTS")
	if base == "" {
		base = filepath.Join("..", "..", "bench", "out")
	}
	dir, err := filepath.Abs(filepath.Join(base, name+"-"+time.Now().UTC().Format("2006-01-02-150405")))
	if err == nil {
		err = os.MkdirAll(dir, 0o755)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshots in %s", dir)
	return dir
}

// TestConsole drives the web console in a headless Chromium against a
// sluice server and the harness databases: log in with the token, create a
// task from the form, acknowledge the precheck's warning and start it, see
// it reach the incremental phase, see source writes' lag on the chart,
// pause and resume it, verify it and read the result, stop and delete it.
// No page, response or output shows the password.
func TestConsole(t *testing.T) {
	src, dst := testdb.MySQL(t), testdb.Postgres(t)
	src.Exec(t, "CREATE TABLE items (id INT PRIMARY KEY, v VARCHAR(40))",
		"INSERT INTO items SELECT seq, CONCAT('v', seq) FROM seq_1_to_500",
		"CREATE TABLE notes (v VARCHAR(40))") // no key: a warning to acknowledge
	source, err := url.Parse(mysqlAccount(t, src, "console_"+src.Name[len(src.Name)-8:]))
	if err != nil {
		t.Fatal(err)
	}
	source.User = url.User(source.User.Username()) // the password goes in its own field
	target, err := url.Parse(dst.URL)
	if err != nil {
		t.Fatal(err)
	}
	target.User = url.User(target.User.Username())

	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) }))
	defer hook.Close()
	dir := t.TempDir()
	tokenFile := filepath.Join(dir, "token")
	writeTaskFile(t, tokenFile, "console-token\n")
	s := startServer(t, "--data-dir", filepath.Join(dir, "data"), "--token-file", tokenFile,
		"--lag-interval", "200ms", "--alert-webhook", hook.URL+"/hook")
	s.token = "console-token"

	p := &page{t: t, ctx: browser(t), dir: artifacts(t, "console")}
	p.do("opening the console", chromedp.Navigate(s.url+"/"), chromedp.WaitVisible(chromedp.ID("token")))
	p.do("a wrong token", chromedp.SendKeys(chromedp.ID("token"), "wrong"), chromedp.Click(chromedp.ID("login-submit")),
		chromedp.WaitVisible(chromedp.ID("login-error")))
	if !p.eval(`getComputedStyle(document.getElementById('nav')).display === 'none'`) {
		t.Error("the navigation shows before the login")
	}
	p.shot("login-refused")
	p.do("logging in", chromedp.SetValue(chromedp.ID("token"), "console-token"), chromedp.Click(chromedp.ID("login-submit")),
		chromedp.WaitVisible(chromedp.ID("tasks")))
	p.shot("no-tasks")

	p.do("filling the form", chromedp.Click(chromedp.ID("new-task")), chromedp.WaitVisible(chromedp.ID("create")),
		chromedp.SendKeys(chromedp.ID("f-name"), "web"),
		chromedp.SendKeys(chromedp.ID("f-source"), source.String()),
		chromedp.SendKeys(chromedp.ID("f-source-password"), leakPassword),
		chromedp.SendKeys(chromedp.ID("f-target"), target.String()),
		chromedp.SendKeys(chromedp.ID("f-target-password"), leakPassword),
		chromedp.SendKeys(chromedp.ID("f-include"), src.Name+".*"),
		chromedp.Click(chromedp.ID("check")),
		chromedp.WaitVisible(chromedp.ID("precheck-summary")))
	p.waitJS("the warning to acknowledge", `!!document.querySelector('[data-check="table-without-key"] input.ack')`, 5*time.Second)
	p.shot("precheck")
	p.do("acknowledging and starting", chromedp.Click(chromedp.CSS(`[data-check="table-without-key"] input.ack`)),
		chromedp.Click(chromedp.ID("start")))
	p.waitJS("the task page", `location.hash === '#/task/web' && !!document.querySelector('#task-state')`, 30*time.Second)
	p.waitJS("the incremental phase", `document.querySelector('#task-state')?.dataset.state === 'running' &&
		document.querySelector('#task-phase')?.dataset.phase === 'incremental'`, 60*time.Second)
	p.waitJS("the full load's progress", `!!document.querySelector('#tables tr[data-table="`+src.Name+`.items"]')`, 10*time.Second)

	// Source writes whose commit time is 5 s old, until the chart shows
	// their lag (a sample every 200 ms; the source's next heartbeat or
	// transaction brings the lag back).
	conn, err := src.DB.Conn(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(t.Context(), "SET TIMESTAMP = UNIX_TIMESTAMP() - 5"); err != nil {
		t.Fatal(err)
	}
	for id := 1001; !p.eval(`Number(document.querySelector('#lag-chart')?.dataset.max) >= 4 && !!document.querySelector('#lag-chart polyline')`); id++ {
		if id > 1200 {
			p.shot("failed")
			t.Fatal("the chart does not show the lag of late source writes")
		}
		if _, err := conn.ExecContext(t.Context(), fmt.Sprintf("INSERT INTO items VALUES (%d, 'late')", id)); err != nil {
			t.Fatal(err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	p.waitJS("the changes applied", `(document.querySelector('#stat-changes .v')?.textContent ?? '0') !== '0'`, 10*time.Second)
	p.shot("lag")

	p.do("pausing", chromedp.Click(chromedp.CSS(`button[data-action="pause"]`)))
	p.waitJS("paused", `document.querySelector('#task-state')?.dataset.state === 'paused'`, 30*time.Second)
	src.Exec(t, "INSERT INTO items VALUES (9999, 'while paused')")
	p.shot("paused")
	p.do("resuming", chromedp.Click(chromedp.CSS(`button[data-action="resume"]`)))
	p.waitJS("running again", `document.querySelector('#task-state')?.dataset.state === 'running' &&
		!!document.querySelector('#events tr[data-kind="paused"]')`, 30*time.Second)
	q := fmt.Sprintf("SELECT count(*) FROM %s.items WHERE id = 9999", src.Name)
	for deadline := time.Now().Add(30 * time.Second); dst.QueryValue(t, q) != int64(1); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the row written while paused did not arrive after the resume")
		}
	}

	p.do("verifying", chromedp.Click(chromedp.CSS(`button[data-action="verify"]`)))
	p.waitJS("the verification's result", `['done', 'failed', 'cancelled'].includes(document.querySelector('#verify-state')?.dataset.state)`, 60*time.Second)
	if got := p.text("#verify-summary"); !strings.Contains(got, "The target equals the source (2 tables)") {
		t.Errorf("verification: %q", got)
	}
	p.shot("verified")

	for _, path := range []string{"/api/v1/tasks/web", "/api/v1/tasks/web/events", "/api/v1/tasks/web/verify"} {
		s.must(http.StatusOK, "GET", path, "")
	}
	metrics := s.must(http.StatusOK, "GET", "/metrics", "")
	for _, want := range []string{`sluice_task_state{state="running",task="web"} 1`, `sluice_task_phase{phase="incremental",task="web"} 1`,
		`sluice_cdc_lag_seconds{task="web"}`, `sluice_alert_deliveries_total{result="sent"} 0`} {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}

	p.do("stopping", chromedp.Click(chromedp.CSS(`button[data-action="stop"]`)))
	p.waitJS("stopped", `document.querySelector('#task-state')?.dataset.state === 'stopped'`, 30*time.Second)
	p.do("back to the list", chromedp.Click(chromedp.CSS(`nav a[href="#/"]`)), chromedp.WaitVisible(chromedp.CSS(`#tasks tr[data-task="web"]`)))
	p.shot("tasks")
	p.do("opening the task", chromedp.Click(chromedp.CSS(`#tasks tr[data-task="web"] a`)), chromedp.WaitVisible(chromedp.CSS(`button[data-action="delete"]`)))
	p.waitJS("the task page", `document.querySelector('#task-state')?.dataset.state === 'stopped'`, 10*time.Second)
	p.do("deleting (two clicks)", chromedp.Click(chromedp.CSS(`button[data-action="delete"]`)),
		chromedp.Click(chromedp.CSS(`button[data-action="delete"]`)))
	p.waitJS("an empty list", `location.hash === '#/' && !document.querySelector('#tasks tr[data-task]') &&
		document.querySelector('#tasks tbody')?.textContent.includes('No tasks yet')`, 30*time.Second)
	p.do("a deleted task's page", chromedp.Navigate(s.url+"/#/task/web"))
	p.waitJS("no such task", `document.querySelector('main')?.textContent.includes('There is no task web')`, 10*time.Second)
	s.stop()
	s.noPassword(leakPassword)
	for _, html := range p.html {
		if strings.Contains(html, leakPassword) {
			t.Errorf("a page shows the password")
		}
	}
}
