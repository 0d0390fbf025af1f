package precheck

import (
	"fmt"
	"sort"
	"strings"
)

// Severity of a check result.
type Severity string

// Severities.
const (
	Error   Severity = "error"
	Warning Severity = "warning"
)

// Result is one failed check about one object.
type Result struct {
	ID          string   `json:"id"`
	Severity    Severity `json:"severity"`
	Object      string   `json:"object,omitempty"`
	Message     string   `json:"message"`
	Instruction string   `json:"instruction"`
	Acked       bool     `json:"acknowledged,omitempty"`
}

// Report collects results, and the target names the checks saw.
type Report struct {
	Results []Result
	Names   []Name
}

// Add records a result.
func (r *Report) Add(id string, sev Severity, object, message, instruction string) {
	r.Results = append(r.Results, Result{ID: id, Severity: sev, Object: object, Message: message, Instruction: instruction})
}

// Ack marks warnings with the given ids as acknowledged.
func (r *Report) Ack(ids map[string]bool) {
	for i := range r.Results {
		if r.Results[i].Severity == Warning && ids[r.Results[i].ID] {
			r.Results[i].Acked = true
		}
	}
}

// Blocking returns the results that stop a start: errors and warnings not acknowledged.
func (r *Report) Blocking() []Result {
	var out []Result
	for _, res := range r.Results {
		if res.Severity == Error || !res.Acked {
			out = append(out, res)
		}
	}
	return out
}

// FailedError is returned when blocking results remain; the CLI exits 3.
type FailedError struct {
	Results []Result
}

func (e *FailedError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "precheck failed (%d item(s)):", len(e.Results))
	res := append([]Result(nil), e.Results...)
	sort.SliceStable(res, func(i, j int) bool { return res[i].Severity == Error && res[j].Severity != Error })
	for _, r := range res {
		obj := ""
		if r.Object != "" {
			obj = " " + r.Object
		}
		fmt.Fprintf(&b, "\n  %s [%s]%s: %s\n    fix: %s", r.Severity, r.ID, obj, r.Message, r.Instruction)
		if r.Severity == Warning {
			fmt.Fprintf(&b, "\n    or acknowledge it with --ack %s", r.ID)
		}
	}
	return b.String()
}

// Err returns a *FailedError when blocking results remain, else nil.
func (r *Report) Err() error {
	if b := r.Blocking(); len(b) > 0 {
		return &FailedError{Results: b}
	}
	return nil
}
