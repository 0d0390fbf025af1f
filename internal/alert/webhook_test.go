package alert

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// receiver is a webhook that records what it gets; it answers the first
// fail requests 503.
type receiver struct {
	mu     sync.Mutex
	fail   int
	status int // the answer once fail is spent (default 204)
	got    []Alert
	calls  int
	srv    *httptest.Server
}

func newReceiver(t *testing.T, fail int) *receiver {
	r := &receiver{fail: fail, status: http.StatusNoContent}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		defer r.mu.Unlock()
		r.calls++
		if req.Method != http.MethodPost || req.Header.Get("Content-Type") != "application/json" {
			t.Errorf("webhook request: %s %s", req.Method, req.Header.Get("Content-Type"))
		}
		if r.fail > 0 {
			r.fail--
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		var a Alert
		if err := json.Unmarshal(body, &a); err != nil {
			t.Errorf("webhook body: %v: %s", err, body)
		}
		r.got = append(r.got, a)
		w.WriteHeader(r.status)
	}))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *receiver) alerts() ([]Alert, int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Alert(nil), r.got...), r.calls
}

func run(t *testing.T, w *Webhooks) {
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() { w.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); !cond(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

var fast = Options{First: time.Millisecond, Max: 4 * time.Millisecond, Attempts: 4}

// TestDeliverRetried: an alert reaches every webhook, after retries where
// the webhook answers 503 at first, in order, with its fields and text.
func TestDeliverRetried(t *testing.T) {
	r1, r2 := newReceiver(t, 2), newReceiver(t, 0)
	w, err := New([]string{r1.srv.URL + "/hook", r2.srv.URL}, fast, nil)
	if err != nil {
		t.Fatal(err)
	}
	run(t, w)
	w.Notify(Alert{Task: "shop", Kind: KindFailed, Status: Firing, Message: "boom"})
	w.Notify(Alert{Task: "shop", Kind: KindFailed, Status: Resolved, Message: "started again"})
	waitFor(t, "two alerts at each webhook", func() bool {
		a1, _ := r1.alerts()
		a2, _ := r2.alerts()
		return len(a1) == 2 && len(a2) == 2
	})
	// A delivery is counted when its answer is back, after the receiver
	// recorded it.
	waitFor(t, "four deliveries counted", func() bool { sent, _, _ := w.Counts(); return sent == 4 })
	got, calls := r1.alerts()
	if calls != 4 {
		t.Errorf("webhook 1: %d calls, want 4 (2 refused, 2 delivered)", calls)
	}
	a := got[0]
	if a.Task != "shop" || a.Kind != KindFailed || a.Status != Firing || a.Message != "boom" || a.Time.IsZero() ||
		a.Text != "sluice task shop: failed firing: boom" || got[1].Status != Resolved {
		t.Errorf("alerts: %+v", got)
	}
	if sent, failed, dropped := w.Counts(); sent != 4 || failed != 0 || dropped != 0 {
		t.Errorf("counts: sent %d, failed %d, dropped %d", sent, failed, dropped)
	}
}

// TestDeliverGivesUp: a webhook that keeps failing gets Attempts tries; one
// that answers 4xx gets one. Either way the next alert is delivered.
func TestDeliverGivesUp(t *testing.T) {
	r := newReceiver(t, 4) // exactly Attempts refusals
	w, err := New([]string{r.srv.URL}, fast, nil)
	if err != nil {
		t.Fatal(err)
	}
	run(t, w)
	w.Notify(Alert{Task: "a", Kind: KindLag, Status: Firing})
	w.Notify(Alert{Task: "b", Kind: KindLag, Status: Firing})
	waitFor(t, "the second alert", func() bool { got, _ := r.alerts(); return len(got) == 1 })
	if got, calls := r.alerts(); got[0].Task != "b" || calls != 5 {
		t.Errorf("got %+v after %d calls", got, calls)
	}
	r.mu.Lock()
	r.status = http.StatusBadRequest
	r.mu.Unlock()
	w.Notify(Alert{Task: "c", Kind: KindLag, Status: Firing})
	waitFor(t, "the refused alert", func() bool { _, calls := r.alerts(); return calls == 6 })
	time.Sleep(20 * time.Millisecond)
	if _, calls := r.alerts(); calls != 6 {
		t.Errorf("a 400 was retried: %d calls", calls)
	}
	waitFor(t, "the counts", func() bool { _, failed, _ := w.Counts(); return failed == 2 })
}

// TestNotifyNeverBlocks: with nothing delivering, Notify drops what does
// not fit the queue instead of waiting.
func TestNotifyNeverBlocks(t *testing.T) {
	w, err := New([]string{"http://127.0.0.1:1/x"}, Options{Queue: 2}, nil)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		for range 5 {
			w.Notify(Alert{Task: "a", Kind: KindFailed, Status: Firing})
		}
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Notify blocked")
	}
	if _, _, dropped := w.Counts(); dropped != 3 {
		t.Errorf("dropped %d, want 3", dropped)
	}
}

// TestNewRefusesBadURL: a webhook must be an http(s) URL; the message does
// not show the URL's secret parts.
func TestNewRefusesBadURL(t *testing.T) {
	for _, u := range []string{"ftp://h/x", "hooks.example/abc", "http://"} {
		if _, err := New([]string{u}, Options{}, nil); err == nil {
			t.Errorf("%q accepted", u)
		}
	}
	_, err := New([]string{"smtp://user:S3cret@h/path-secret"}, Options{}, nil)
	if err == nil || strings.Contains(err.Error(), "S3cret") || strings.Contains(err.Error(), "path-secret") {
		t.Errorf("error %v", err)
	}
}
