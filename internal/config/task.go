package config

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Phases of a task, each optional, always run in this order.
type Phases struct {
	Schema, Full, Incremental bool
}

func (p Phases) String() string {
	var s []string
	if p.Schema {
		s = append(s, "schema")
	}
	if p.Full {
		s = append(s, "full")
	}
	if p.Incremental {
		s = append(s, "incremental")
	}
	return strings.Join(s, ",")
}

// ParsePhases parses --phases, e.g. "schema,full".
func ParsePhases(raw string) (Phases, error) { return parsePhases(raw, "--phases") }

// parsePhases is ParsePhases with label naming the setting in messages.
func parsePhases(raw, label string) (Phases, error) {
	var p Phases
	if strings.TrimSpace(raw) == "" {
		return Phases{Schema: true, Full: true, Incremental: true}, nil
	}
	for _, f := range strings.Split(raw, ",") {
		switch strings.TrimSpace(f) {
		case "schema":
			p.Schema = true
		case "full":
			p.Full = true
		case "incremental":
			p.Incremental = true
		default:
			return p, usagef("%s: unknown phase %q (use schema, full, incremental)", label, f)
		}
	}
	return p, nil
}

// Task is one validated sync task.
type Task struct {
	Name      string
	Source    *mysql.Config
	Target    *pgxpool.Config
	Selection Selection
	Phases    Phases
	Parallel  int   // snapshot readers and COPY writers
	ChunkRows int64 // target rows per primary-key range
	Acks      map[string]bool
	Conflict  string // error | ignore
	Case      string // default | target (lower-case), source (as is), upper
	// Mapping renames and shapes target objects (task file only).
	Mapping  Mapping
	ZeroDate string // -infinity | fail: zero dates in NOT NULL columns
	BadText  string // fail | strip: NUL bytes and invalid UTF-8
	// StopWhenCaughtUp ends the incremental phase at the binlog position read
	// when it starts (after the full load).
	StopWhenCaughtUp bool
	// RetryFor is how long lost connections are retried before the task fails.
	RetryFor time.Duration
	// ScanRows bounds the precheck's scan of each table for problem values.
	ScanRows int64
	// ServerID is the replica server_id of the binlog reader; 0 derives one.
	ServerID uint32
	// ProgressEvery is the interval of plain progress lines when stderr is not a terminal.
	ProgressEvery time.Duration
}

// Limits of the numeric settings, kept by Validate and by the task file.
const (
	minParallel, maxParallel = 1, 64
	minChunkRows             = 1000
	minRetryFor, maxRetryFor = 10 * time.Minute, 24 * time.Hour
)

var namePattern = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_.-]{0,62}$`)

// Validate checks the fields that flags cannot check on their own.
func (t *Task) Validate() error {
	for _, c := range []struct{ flag, problem string }{
		{"name", nameProblem(t.Name)},
		{"parallel", parallelProblem(int64(t.Parallel))},
		{"scan-rows", scanRowsProblem(t.ScanRows)},
		{"chunk-rows", chunkRowsProblem(t.ChunkRows)},
		{"retry-for", retryForProblem(t.RetryFor)},
		{"progress-interval", progressProblem(t.ProgressEvery)},
		{"conflict", conflictProblem(t.Conflict)},
		{"case", caseProblem(t.Case)},
		{"zero-date", zeroDateProblem(t.ZeroDate)},
		{"bad-text", badTextProblem(t.BadText)},
	} {
		if c.problem != "" {
			return usagef("--%s: %s", c.flag, c.problem)
		}
	}
	if !t.Phases.Schema && !t.Phases.Full && !t.Phases.Incremental {
		return usagef("--phases selects nothing")
	}
	if t.StopWhenCaughtUp && !t.Phases.Incremental {
		return usagef("--stop-when-caught-up needs the incremental phase (--phases …,incremental)")
	}
	for id := range t.Acks {
		if id == "" {
			return usagef("--ack needs a check id, e.g. --ack table-without-key")
		}
	}
	return nil
}

// The problem functions say what is wrong with a setting's value and what
// to use instead, in words that follow the setting's name ("--parallel: …",
// "task.yaml:5: parallel: …"); "" when the value is good. Validate and the
// task file share them, so both accept the same values.

func nameProblem(name string) string {
	if namePattern.MatchString(name) {
		return ""
	}
	return fmt.Sprintf("%q is not a valid task name; use 1-63 letters, digits, '_', '.', '-'", name)
}

func parallelProblem(n int64) string {
	if n >= minParallel && n <= maxParallel {
		return ""
	}
	return fmt.Sprintf("%d is out of range; use %d..%d", n, minParallel, maxParallel)
}

func scanRowsProblem(n int64) string {
	if n >= 0 {
		return ""
	}
	return fmt.Sprintf("%d is negative; use 0 (no scan) or more", n)
}

func chunkRowsProblem(n int64) string {
	if n >= minChunkRows {
		return ""
	}
	return fmt.Sprintf("%d is too small; use at least %d", n, minChunkRows)
}

func retryForProblem(d time.Duration) string {
	if d >= minRetryFor && d <= maxRetryFor {
		return ""
	}
	return fmt.Sprintf("%s is out of range; use 10m to 24h", d)
}

func progressProblem(d time.Duration) string {
	if d > 0 {
		return ""
	}
	return fmt.Sprintf("%s is not positive; use e.g. 5s", d)
}

func conflictProblem(s string) string {
	switch s {
	case "error", "ignore":
		return ""
	}
	return fmt.Sprintf("%q is not a policy; use error or ignore", s)
}

func caseProblem(s string) string {
	switch s {
	case "default", "target", "source", "upper":
		return ""
	}
	return fmt.Sprintf("%q is not a case policy; use default (lower-case), target (PostgreSQL's folding: lower-case), source (as in MySQL) or upper", s)
}

func zeroDateProblem(s string) string {
	if s == "-infinity" || s == "fail" {
		return ""
	}
	return fmt.Sprintf("%q is not a policy; use -infinity or fail", s)
}

func badTextProblem(s string) string {
	if s == "fail" || s == "strip" {
		return ""
	}
	return fmt.Sprintf("%q is not a policy; use fail or strip", s)
}
