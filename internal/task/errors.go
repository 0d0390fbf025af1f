package task

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors, wrapped with the task's name; the API maps them to
// status codes (404, 409, 503).
var (
	ErrNotFound = errors.New("no such task")
	ErrExists   = errors.New("a task of that name exists")
	ErrClosed   = errors.New("the server is stopping")
	// ErrNoVerification: the task was never verified.
	ErrNoVerification = errors.New("the task has not been verified yet; POST …/verify runs a verification")
)

// PrecheckError is a start or resume refused by the precheck: its report
// lists the items that block, each with how to fix it.
type PrecheckError struct {
	Task   string
	Report *PrecheckReport
}

func (e *PrecheckError) Error() string {
	var b strings.Builder
	blocking := e.Report.blocking()
	fmt.Fprintf(&b, "task %s: precheck failed: %d item(s) block the start", e.Task, len(blocking))
	for _, r := range blocking {
		fmt.Fprintf(&b, "; %s [%s]", r.Severity, r.ID)
		if r.Object != "" {
			fmt.Fprintf(&b, " %s", r.Object)
		}
		fmt.Fprintf(&b, ": %s", r.Message)
	}
	return b.String()
}
