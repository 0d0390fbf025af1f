package api

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sluicedb/sluice/internal/task"
)

const testToken = "test-token-0123456789"

// client calls the API of a test server and keeps every response body, so
// that a test can look through all of them for a password.
type client struct {
	t     *testing.T
	url   string
	token string
	mu    sync.Mutex
	seen  []string // "METHOD path → status: body"
}

// newServer serves the API over a manager with opts (Dir and Log set
// here) until the test ends.
func newServer(t *testing.T, opts task.Options) (*client, *task.Manager) {
	t.Helper()
	return serve(t, opts, func(s *Server, _ *task.Manager) http.Handler { return s })
}

// serve is newServer serving what handler makes of the API.
func serve(t *testing.T, opts task.Options, handler func(*Server, *task.Manager) http.Handler) (*client, *task.Manager) {
	t.Helper()
	opts.Dir = t.TempDir()
	m, err := task.Open(t.Context(), opts)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.WithoutCancel(t.Context()))
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx) }()
	srv := httptest.NewServer(handler(New(m, testToken, opts.Log), m))
	t.Cleanup(func() {
		srv.Close()
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
		m.Close()
	})
	return &client{t: t, url: srv.URL, token: testToken}, m
}

// do sends a request (body: JSON text, or "") and returns the status and
// the body.
func (c *client) do(method, path, body string) (int, []byte) {
	c.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(c.t.Context(), method, c.url+path, rd)
	if err != nil {
		c.t.Fatal(err)
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatalf("%s %s: reading the body: %v", method, path, err)
	}
	c.mu.Lock()
	c.seen = append(c.seen, method+" "+path+" → "+resp.Status+": "+string(out))
	c.mu.Unlock()
	return resp.StatusCode, out
}

// want sends a request, fails the test unless it is answered with status,
// and decodes the body into v (when not nil).
func (c *client) want(status int, method, path, body string, v any) []byte {
	c.t.Helper()
	got, out := c.do(method, path, body)
	if got != status {
		c.t.Fatalf("%s %s: %d, want %d: %s", method, path, got, status, out)
	}
	if v != nil {
		if err := json.Unmarshal(out, v); err != nil {
			c.t.Fatalf("%s %s: %v: %s", method, path, err, out)
		}
	}
	return out
}

// wantError checks an error answer: status, and the message and field.
func (c *client) wantError(status int, method, path, body, msg, field string) errorBody {
	c.t.Helper()
	var e errorBody
	c.want(status, method, path, body, &e)
	if !strings.Contains(e.Error, msg) || e.Field != field {
		c.t.Errorf("%s %s: error %q, field %q; want %q and field %q", method, path, e.Error, e.Field, msg, field)
	}
	return e
}

// status returns a task's status.
func (c *client) status(name string) *task.Status {
	c.t.Helper()
	var s task.Status
	c.want(http.StatusOK, "GET", "/api/v1/tasks/"+name, "", &s)
	return &s
}

// waitFor polls a task's status until cond holds, for up to d.
func (c *client) waitFor(name, what string, d time.Duration, cond func(*task.Status) bool) *task.Status {
	c.t.Helper()
	deadline := time.Now().Add(d)
	for {
		s := c.status(name)
		if cond(s) {
			return s
		}
		if time.Now().After(deadline) {
			c.t.Fatalf("task %s: timed out waiting for %s; last status: %+v", name, what, s)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// noSecret fails the test if any response seen holds secret.
func (c *client) noSecret(secret string) {
	c.t.Helper()
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, s := range c.seen {
		if strings.Contains(s, secret) {
			c.t.Errorf("a response shows the password: %s", s)
		}
	}
	if len(c.seen) < 10 {
		c.t.Errorf("only %d responses seen", len(c.seen))
	}
}

// specJSON is a task's spec as a request body.
func specJSON(t *testing.T, keys map[string]any) string {
	t.Helper()
	var b bytes.Buffer
	if err := json.NewEncoder(&b).Encode(keys); err != nil {
		t.Fatal(err)
	}
	return b.String()
}
