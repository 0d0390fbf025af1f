package task

import (
	"maps"

	"github.com/sluicedb/sluice/internal/progress"
)

// Live is what the metrics read of a task when scraped.
type Live struct {
	Name  string
	State State
	// Phase is the phase running, or the last that ran ("" before the first).
	Phase string
	// Progress is the live state of the task's current or last run since
	// the server started; nil before its first. Its counters start at zero
	// with each start or resume.
	Progress *progress.Task
	// Errors counts the task's error events by kind (failed, verify, …)
	// since the server started.
	Errors map[string]int64
}

// Live returns every task's live state, by name.
func (m *Manager) Live() []Live {
	var out []Live
	for _, e := range m.entries() {
		e.mu.Lock()
		if !e.deleted {
			l := Live{Name: e.rec.Name, State: e.rec.State, Phase: e.rec.Phase, Progress: e.live, Errors: maps.Clone(e.errors)}
			if e.live != nil && e.rec.State == Running {
				if p := e.live.Phase(); p != "" {
					l.Phase = p
				}
			}
			out = append(out, l)
		}
		e.mu.Unlock()
	}
	return out
}
