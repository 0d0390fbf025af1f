//go:build integration

package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/sluicedb/sluice/internal/testdb"
)

// serverProc is a running sluice server.
type serverProc struct {
	t      *testing.T
	cmd    *exec.Cmd
	url    string // http://host:port
	token  string
	done   chan error
	mu     sync.Mutex
	stdout strings.Builder
	stderr strings.Builder
	seen   []string // every response: "METHOD path → status: body"
}

var servingAt = regexp.MustCompile(`address=(http://\S+)/api/v1`)

// startServer starts sluice server on a free port and waits until it serves.
func startServer(t *testing.T, args ...string) *serverProc {
	t.Helper()
	s := &serverProc{t: t, done: make(chan error, 1)}
	s.cmd = exec.Command(binary, append([]string{"server", "--listen", "127.0.0.1:0"}, args...)...)
	errPipe, err := s.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	outPipe, err := s.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	addr := make(chan string, 1)
	var copied sync.WaitGroup
	copied.Go(func() { s.copy(outPipe, &s.stdout, nil) })
	copied.Go(func() { s.copy(errPipe, &s.stderr, addr) })
	go func() {
		copied.Wait() // Wait closes the pipes: read them to their end first
		s.done <- s.cmd.Wait()
	}()
	t.Cleanup(func() {
		if s.cmd.ProcessState == nil {
			s.cmd.Process.Kill()
			<-s.done
		}
	})
	select {
	case s.url = <-addr:
	case err := <-s.done:
		t.Fatalf("sluice server exited: %v\n%s", err, s.output())
	case <-time.After(30 * time.Second):
		t.Fatalf("sluice server did not start serving\n%s", s.output())
	}
	return s
}

// copy copies a pipe into b, sending the API's address to addr when seen.
func (s *serverProc) copy(r io.Reader, b *strings.Builder, addr chan<- string) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		s.mu.Lock()
		b.WriteString(line + "\n")
		s.mu.Unlock()
		if m := servingAt.FindStringSubmatch(line); m != nil && addr != nil {
			addr <- m[1]
			addr = nil
		}
	}
}

func (s *serverProc) output() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return "stdout:\n" + s.stdout.String() + "stderr:\n" + s.stderr.String()
}

// call sends an API request with the server's token and returns the
// status and the body.
func (s *serverProc) call(method, path, body string) (int, string) {
	s.t.Helper()
	req, err := http.NewRequestWithContext(s.t.Context(), method, s.url+path, strings.NewReader(body))
	if err != nil {
		s.t.Fatal(err)
	}
	if s.token != "" {
		req.Header.Set("Authorization", "Bearer "+s.token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	s.mu.Lock()
	s.seen = append(s.seen, fmt.Sprintf("%s %s → %d: %s", method, path, resp.StatusCode, out))
	s.mu.Unlock()
	return resp.StatusCode, string(out)
}

// must sends a request and fails the test unless it is answered with want.
func (s *serverProc) must(want int, method, path, body string) string {
	s.t.Helper()
	got, out := s.call(method, path, body)
	if got != want {
		s.t.Fatalf("%s %s: %d, want %d: %s", method, path, got, want, out)
	}
	return out
}

// state returns a task's state and phase.
func (s *serverProc) state(name string) (state, phase string) {
	s.t.Helper()
	var st struct{ State, Phase string }
	if err := json.Unmarshal([]byte(s.must(http.StatusOK, "GET", "/api/v1/tasks/"+name, "")), &st); err != nil {
		s.t.Fatal(err)
	}
	return st.State, st.Phase
}

// waitIncremental waits until every task runs its incremental phase.
func (s *serverProc) waitIncremental(names ...string) {
	s.t.Helper()
	for _, name := range names {
		for deadline := time.Now().Add(time.Minute); ; time.Sleep(50 * time.Millisecond) {
			state, phase := s.state(name)
			if state == "running" && phase == "incremental" {
				break
			}
			if state == "failed" || time.Now().After(deadline) {
				s.t.Fatalf("task %s: %s, phase %q\n%s", name, state, phase, s.must(http.StatusOK, "GET", "/api/v1/tasks/"+name+"/events", ""))
			}
		}
	}
}

// stop sends SIGTERM and checks that the server exits 0.
func (s *serverProc) stop() {
	s.t.Helper()
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-s.done:
		if err != nil {
			s.t.Errorf("sluice server exited with %v after SIGTERM\n%s", err, s.output())
		}
	case <-time.After(time.Minute):
		s.t.Errorf("sluice server did not exit within a minute of SIGTERM\n%s", s.output())
	}
}

// kill sends SIGKILL and waits for the process to end.
func (s *serverProc) kill() {
	s.cmd.Process.Signal(syscall.SIGKILL)
	<-s.done
}

// noPassword fails the test if a response or the output shows password.
func (s *serverProc) noPassword(password string) {
	s.t.Helper()
	s.mu.Lock()
	seen := append([]string{s.stdout.String(), s.stderr.String()}, s.seen...)
	s.mu.Unlock()
	for _, text := range seen {
		for _, line := range strings.Split(text, "\n") {
			if strings.Contains(line, password) {
				s.t.Errorf("the server shows the password: %s", line)
			}
		}
	}
}

// TestServerToken: a token is generated on the first start, printed once
// and kept private; every route needs it; SIGTERM exits 0.
func TestServerToken(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	s := startServer(t, "--data-dir", dir)
	b, err := os.ReadFile(filepath.Join(dir, "token"))
	if err != nil {
		t.Fatal(err)
	}
	s.token = strings.TrimSpace(string(b))
	if fi, _ := os.Stat(filepath.Join(dir, "token")); fi.Mode().Perm() != 0o600 {
		t.Errorf("token file mode %s", fi.Mode())
	}
	if !strings.Contains(s.output(), "API token (saved in "+filepath.Join(dir, "token")+", not shown again): "+s.token+"\n") {
		t.Errorf("the token is not printed:\n%s", s.output())
	}
	s.must(http.StatusOK, "GET", "/api/v1/tasks", "")
	s.token = "wrong"
	s.must(http.StatusUnauthorized, "GET", "/api/v1/tasks", "")
	s.stop()

	s2 := startServer(t, "--data-dir", dir)
	if strings.Contains(s2.output(), "API token") {
		t.Errorf("the token is printed again:\n%s", s2.output())
	}
	s2.token = strings.TrimSpace(string(b))
	s2.must(http.StatusOK, "GET", "/api/v1/tasks", "")
	s2.stop()

	if r := sluice(t, "server", "--listen", "127.0.0.1:0", "--data-dir", dir, "--token-file", filepath.Join(dir, "none")); r.code != 2 {
		t.Errorf("a missing --token-file: exit %d, want 2\n%s", r.code, r.stderr)
	}
}

// TestServerRestart: a server with three running tasks is killed (-9)
// while the sources change, and started again; all three resume from
// their checkpoints and end equal to their sources. Nothing the server
// prints or answers shows a password.
func TestServerRestart(t *testing.T) {
	dir := t.TempDir()
	tokenFile := filepath.Join(dir, "token.txt")
	writeTaskFile(t, tokenFile, "restart-token\n")
	data := filepath.Join(dir, "data")
	s := startServer(t, "--data-dir", data, "--token-file", tokenFile)
	s.token = "restart-token"

	type pair struct {
		src *testdb.MySQLDB
		dst *testdb.PGDB
	}
	var pairs []pair
	names := []string{"r1", "r2", "r3"}
	for i, name := range names {
		src, dst := testdb.MySQL(t), testdb.Postgres(t)
		src.Exec(t, "CREATE TABLE items (id INT PRIMARY KEY, v VARCHAR(40))",
			"INSERT INTO items SELECT seq, CONCAT('v', seq) FROM seq_1_to_1000")
		pairs = append(pairs, pair{src, dst})
		u, err := url.Parse(dst.URL)
		if err != nil {
			t.Fatal(err)
		}
		u.User = url.UserPassword(u.User.Username(), leakPassword) // trusted: not checked
		spec, _ := json.Marshal(map[string]any{"name": name, "include": src.Name + ".*", "target": u.String(),
			"source": mysqlAccount(t, src, fmt.Sprintf("rs%d_%s", i, src.Name[len(src.Name)-8:]))})
		s.must(http.StatusCreated, "POST", "/api/v1/tasks", string(spec))
		s.must(http.StatusOK, "POST", "/api/v1/tasks/"+name+"/start", "")
	}
	s.waitIncremental(names...)
	change := func(from, to int) {
		for _, p := range pairs {
			p.src.Exec(t, fmt.Sprintf("INSERT INTO items SELECT seq, 'new' FROM seq_%d_to_%d", from, to),
				fmt.Sprintf("UPDATE items SET v = CONCAT(v, '+') WHERE id %% 7 = %d", from%7),
				fmt.Sprintf("DELETE FROM items WHERE id = %d", from/2))
		}
	}
	change(1001, 1100)
	time.Sleep(200 * time.Millisecond)
	s.kill()
	change(1101, 1200) // while the server is down

	s2 := startServer(t, "--data-dir", data, "--token-file", tokenFile)
	s2.token = "restart-token"
	s2.waitIncremental(names...)
	change(1201, 1300)
	for i, p := range pairs {
		// Changes apply in commit order: once the last is there, all are.
		p.src.Exec(t, "INSERT INTO items VALUES (1000000, 'last')")
		q := fmt.Sprintf("SELECT count(*) FROM %s.items WHERE id = 1000000", p.src.Name)
		for deadline := time.Now().Add(time.Minute); p.dst.QueryValue(t, q) != int64(1); time.Sleep(50 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("task %s did not catch up\n%s", names[i], s2.output())
			}
		}
		testdb.CompareTable(t, p.src, p.dst, "items")
		if ev := s2.must(http.StatusOK, "GET", "/api/v1/tasks/"+names[i]+"/events", ""); !strings.Contains(ev, "resumed after a server restart") {
			t.Errorf("events of %s: %s", names[i], ev)
		}
	}
	s2.stop()
	s.noPassword(leakPassword)
	s2.noPassword(leakPassword)
}

// TestServerBadFlags: a webhook that is not an http(s) URL, or a lag
// interval under 100ms, is a usage error (exit 2) that names the flag.
func TestServerBadFlags(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct{ flag, value, want string }{
		{"--alert-webhook", "ftp://hooks.example/x", "--alert-webhook"},
		{"--lag-interval", "10ms", "--lag-interval"},
	} {
		r := sluice(t, "server", "--listen", "127.0.0.1:0", "--data-dir", dir, tc.flag, tc.value)
		if r.code != 2 || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("%s %s: exit %d\n%s", tc.flag, tc.value, r.code, r.stderr)
		}
	}
}
