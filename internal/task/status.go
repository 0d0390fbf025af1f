package task

import (
	"encoding/json"
	"time"

	"github.com/sluicedb/sluice/internal/precheck"
	"github.com/sluicedb/sluice/internal/progress"
)

// Status is what the API shows of a task. List leaves out the details
// (Progress, Precheck, Spec); Get fills them.
type Status struct {
	Name         string `json:"name"`
	State        State  `json:"state"`
	DesiredState State  `json:"desired_state"`
	// Phase is the phase running, or the last one that ran: schema, full,
	// incremental, or "" before the first.
	Phase string `json:"phase"`
	// LagSeconds is the lag of the last applied transaction while the
	// incremental phase runs; null otherwise.
	LagSeconds *float64   `json:"lag_seconds"`
	LastError  string     `json:"last_error"`
	Verifying  bool       `json:"verifying"`
	CreatedAt  time.Time  `json:"created_at"`
	UpdatedAt  time.Time  `json:"updated_at"`
	StartedAt  *time.Time `json:"started_at,omitempty"`

	Progress *Progress       `json:"progress,omitempty"`
	Precheck *PrecheckReport `json:"precheck,omitempty"`
	// Spec is the task's settings without their passwords.
	Spec map[string]any `json:"spec,omitempty"`
}

// Progress is the live progress of a task's last run since the server
// started it (nothing after a server restart until the task runs again).
type Progress struct {
	// Tables are the full load's tables; empty outside a full load.
	Tables       []TableProgress `json:"tables"`
	Rows         int64           `json:"rows"`
	Bytes        int64           `json:"bytes"`
	Transactions int64           `json:"transactions"`
	RowChanges   int64           `json:"row_changes"`
	Position     string          `json:"position,omitempty"`
	Retries      int64           `json:"retries"`
}

// TableProgress is one table of a full load.
type TableProgress struct {
	Table         string `json:"table"`
	Rows          int64  `json:"rows"`
	EstimatedRows int64  `json:"estimated_rows"`
	Bytes         int64  `json:"bytes"`
	Done          bool   `json:"done"`
}

// PrecheckReport is the outcome of a task's last precheck. OK is false
// when an error or an unacknowledged warning blocks the start.
type PrecheckReport struct {
	At      time.Time         `json:"at"`
	OK      bool              `json:"ok"`
	Results []precheck.Result `json:"results"`
	// Names are the selected tables' names in the source and the target.
	Names []precheck.Name `json:"names"`
}

// newPrecheckReport keeps a precheck's report, its messages scrubbed.
func newPrecheckReport(r *precheck.Report, at time.Time, spec *Spec) *PrecheckReport {
	out := &PrecheckReport{At: at, OK: len(r.Blocking()) == 0, Results: []precheck.Result{}, Names: r.Names}
	if out.Names == nil {
		out.Names = []precheck.Name{}
	}
	for _, res := range r.Results {
		res.Message, res.Instruction = spec.Scrub(res.Message), spec.Scrub(res.Instruction)
		out.Results = append(out.Results, res)
	}
	return out
}

// blocking returns the results that stop a start.
func (p *PrecheckReport) blocking() []precheck.Result {
	r := precheck.Report{Results: p.Results}
	return r.Blocking()
}

// status builds the task's status; detail adds progress, precheck and spec.
// The caller holds e.mu.
func (e *entry) status(detail bool) *Status {
	r := &e.rec
	s := &Status{Name: r.Name, State: r.State, DesiredState: r.Desired, Phase: r.Phase, LastError: r.LastError,
		Verifying: e.verify != nil, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
	if !r.StartedAt.IsZero() {
		t := r.StartedAt
		s.StartedAt = &t
	}
	live := e.live
	if live != nil && r.State == Running {
		if p := live.Phase(); p != "" {
			s.Phase = p
		}
		if s.Phase == "incremental" {
			lag := live.Stream.Lag().Seconds()
			s.LagSeconds = &lag
		}
	}
	if !detail {
		return s
	}
	s.Progress = progressOf(live)
	if r.Precheck != nil {
		var p PrecheckReport
		if json.Unmarshal(r.Precheck, &p) == nil {
			s.Precheck = &p
		}
	}
	s.Spec = e.spec.Redacted()
	return s
}

// progressOf reads a run's live state; nil: no run since the server started.
func progressOf(live *progress.Task) *Progress {
	if live == nil {
		return nil
	}
	p := &Progress{Tables: []TableProgress{}, Transactions: live.Stream.Txns(), RowChanges: live.Stream.Changes(),
		Position: live.Stream.Pos(), Retries: live.Retries()}
	if tr := live.Full(); tr != nil {
		for _, t := range tr.Tables() {
			p.Tables = append(p.Tables, TableProgress{Table: t.Name, Rows: t.Rows(), EstimatedRows: t.Estimate,
				Bytes: t.Bytes(), Done: t.Done()})
			p.Rows += t.Rows()
			p.Bytes += t.Bytes()
		}
	}
	return p
}
