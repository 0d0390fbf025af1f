package alert

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"time"
)

// Kinds of alert.
const (
	KindFailed = "failed" // the task failed: its pipeline gave up
	KindLag    = "lag"    // the task's lag stayed above its threshold
)

// Statuses of an alert.
const (
	Firing   = "firing"
	Resolved = "resolved"
)

// Alert is one webhook's JSON body.
type Alert struct {
	Task   string `json:"task"`
	Kind   string `json:"kind"`   // failed or lag
	Status string `json:"status"` // firing or resolved
	// Message says what happened, with the task's passwords scrubbed.
	Message string    `json:"message"`
	Time    time.Time `json:"time"`
	// LagSeconds is the lag measured (lag alerts only).
	LagSeconds *float64 `json:"lag_seconds,omitempty"`
	// Text repeats it all in a line, for chat webhooks that show "text".
	Text string `json:"text"`
}

// Options tune delivery; the zero value means the defaults.
type Options struct {
	// Attempts per alert and webhook (default 6), waiting First (default
	// 1 s) after the first failure, doubling up to Max (default 30 s).
	Attempts   int
	First, Max time.Duration
	// Timeout of one attempt (default 10 s).
	Timeout time.Duration
	// Queue is how many alerts wait per webhook (default 100); more are
	// dropped, and counted.
	Queue int
}

// Webhooks sends alerts to a set of URLs. Notify queues; Run delivers.
type Webhooks struct {
	hooks  []*hook
	opts   Options
	client *http.Client
	log    *slog.Logger

	sent, failed, dropped atomic.Int64
}

// hook is one webhook with its queue.
type hook struct {
	url   string
	shown string // the URL without its user information and query, for logs
	queue chan Alert
}

// New returns webhooks to urls (http or https), which must parse.
func New(urls []string, o Options, log *slog.Logger) (*Webhooks, error) {
	if o.Attempts <= 0 {
		o.Attempts = 6
	}
	if o.First <= 0 {
		o.First = time.Second
	}
	if o.Max <= 0 {
		o.Max = 30 * time.Second
	}
	if o.Timeout <= 0 {
		o.Timeout = 10 * time.Second
	}
	if o.Queue <= 0 {
		o.Queue = 100
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	w := &Webhooks{opts: o, log: log, client: &http.Client{Timeout: o.Timeout}}
	for _, raw := range urls {
		u, err := url.Parse(raw)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("alert webhook %q: give an http:// or https:// URL", shown(raw))
		}
		// A queue per webhook, so that one slow receiver delays only its
		// own alerts, which reach it in order.
		w.hooks = append(w.hooks, &hook{url: raw, shown: shown(raw), queue: make(chan Alert, o.Queue)})
	}
	return w, nil
}

// shown is a URL fit for a message: without user information, query or
// fragment (a webhook's secret is often in its path, so that is cut too).
func shown(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "(not shown)"
	}
	return u.Scheme + "://" + u.Host + "/…"
}

// Notify queues an alert for every webhook. It never blocks: an alert
// that finds a queue full is dropped for that webhook (and counted).
func (w *Webhooks) Notify(a Alert) {
	if a.Time.IsZero() {
		a.Time = time.Now().UTC()
	}
	if a.Text == "" {
		a.Text = fmt.Sprintf("sluice task %s: %s %s: %s", a.Task, a.Kind, a.Status, a.Message)
	}
	for _, h := range w.hooks {
		select {
		case h.queue <- a:
		default:
			w.dropped.Add(1)
			w.log.Warn("alert dropped: its webhook's queue is full", "task", a.Task, "kind", a.Kind, "webhook", h.shown)
		}
	}
}

// Run delivers queued alerts until ctx ends (alerts still queued then are
// not sent).
func (w *Webhooks) Run(ctx context.Context) error {
	var wg sync.WaitGroup
	for _, h := range w.hooks {
		wg.Go(func() {
			for {
				select {
				case <-ctx.Done():
					return
				case a := <-h.queue:
					w.deliver(ctx, h, a)
				}
			}
		})
	}
	wg.Wait()
	return nil
}

// Counts are the deliveries so far: alerts a webhook accepted, alerts
// given up on after every attempt, alerts dropped from a full queue.
func (w *Webhooks) Counts() (sent, failed, dropped int64) {
	return w.sent.Load(), w.failed.Load(), w.dropped.Load()
}

// deliver posts an alert to a webhook, retrying with backoff.
func (w *Webhooks) deliver(ctx context.Context, h *hook, a Alert) {
	body, err := json.Marshal(a)
	if err != nil {
		w.failed.Add(1)
		w.log.Error("encoding an alert", "task", a.Task, "err", err)
		return
	}
	wait := w.opts.First
	for attempt := 1; ; attempt++ {
		err := w.post(ctx, h, body)
		if err == nil {
			w.sent.Add(1)
			return
		}
		var perm *permanentError
		if ctx.Err() != nil || errors.As(err, &perm) || attempt >= w.opts.Attempts {
			w.failed.Add(1)
			w.log.Error("alert not delivered", "task", a.Task, "kind", a.Kind, "webhook", h.shown, "attempts", attempt, "err", err)
			return
		}
		w.log.Warn("alert delivery failed; retrying", "task", a.Task, "kind", a.Kind, "webhook", h.shown, "attempt", attempt, "in", wait, "err", err)
		select {
		case <-time.After(wait):
		case <-ctx.Done():
		}
		wait = min(2*wait, w.opts.Max)
	}
}

// permanentError is a webhook's answer that a retry would not change (a
// 4xx other than 408 and 429).
type permanentError struct{ status string }

func (e *permanentError) Error() string { return "the webhook answered " + e.status }

// post sends one attempt.
func (w *Webhooks) post(ctx context.Context, h *hook, body []byte) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.url, bytes.NewReader(body))
	if err != nil {
		return &permanentError{status: "nothing: the request cannot be built"}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "sluice-alert")
	resp, err := w.client.Do(req)
	if err != nil {
		// The error names the URL, which may hold a secret: keep its kind only.
		var uerr *url.Error
		if errors.As(err, &uerr) {
			err = uerr.Err
		}
		return fmt.Errorf("posting to the webhook: %w", err)
	}
	// Read a little of the answer, so that the connection is reused.
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	switch {
	case resp.StatusCode >= 200 && resp.StatusCode < 300:
		return nil
	case resp.StatusCode == http.StatusRequestTimeout, resp.StatusCode == http.StatusTooManyRequests, resp.StatusCode >= 500:
		return fmt.Errorf("the webhook answered %s", resp.Status)
	}
	return &permanentError{status: resp.Status}
}
