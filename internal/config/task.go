package config

import (
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
func ParsePhases(raw string) (Phases, error) {
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
			return p, usagef("--phases: unknown phase %q (use schema, full, incremental)", f)
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
	Case      string // default (only policy implemented so far)
	ZeroDate  string // -infinity | fail: zero dates in NOT NULL columns
	BadText   string // fail | strip: NUL bytes and invalid UTF-8
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

var namePattern = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_.-]{0,62}$`)

// Validate checks the fields that flags cannot check on their own.
func (t *Task) Validate() error {
	if !namePattern.MatchString(t.Name) {
		return usagef("--name %q: use 1-63 letters, digits, '_', '.', '-'", t.Name)
	}
	if t.Parallel < 1 || t.Parallel > 64 {
		return usagef("--parallel %d: use 1..64", t.Parallel)
	}
	if t.ScanRows < 0 {
		return usagef("--scan-rows %d: use 0 (no scan) or more", t.ScanRows)
	}
	if t.ChunkRows < 1000 {
		return usagef("--chunk-rows %d: use at least 1000", t.ChunkRows)
	}
	if !t.Phases.Schema && !t.Phases.Full && !t.Phases.Incremental {
		return usagef("--phases selects nothing")
	}
	if t.RetryFor < 10*time.Minute || t.RetryFor > 24*time.Hour {
		return usagef("--retry-for %s: use 10m to 24h", t.RetryFor)
	}
	if t.StopWhenCaughtUp && !t.Phases.Incremental {
		return usagef("--stop-when-caught-up needs the incremental phase (--phases …,incremental)")
	}
	switch t.Conflict {
	case "error":
	case "ignore":
		return usagef("--conflict ignore is not implemented yet; use --conflict error (the default)")
	default:
		return usagef("--conflict %q: use error or ignore", t.Conflict)
	}
	if t.Case != "default" {
		return usagef("--case %q is not implemented yet; only --case default (lower-case names) is", t.Case)
	}
	switch t.ZeroDate {
	case "-infinity", "fail":
	default:
		return usagef("--zero-date %q: use -infinity or fail", t.ZeroDate)
	}
	switch t.BadText {
	case "fail", "strip":
	default:
		return usagef("--bad-text %q: use fail or strip", t.BadText)
	}
	for id := range t.Acks {
		if id == "" {
			return usagef("--ack needs a check id, e.g. --ack table-without-key")
		}
	}
	return nil
}
