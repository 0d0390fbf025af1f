package config

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/pflag"
)

// Flags are a task's settings as command-line flags. The CLI parses them
// from its arguments; a task file (--task, or the server's JSON body, which
// is YAML too) fills those not given. One set of names, defaults and checks
// for every way a task is described.
type Flags struct {
	// Set holds the flags registered by RegisterTask and RegisterRun.
	Set                          *pflag.FlagSet
	TaskFile                     string
	Source, Target, Name, Phases string
	Include, Exclude, Acks       []string
	Parallel                     int
	ChunkRows                    int64
	Conflict, Case               string
	ZeroDate, BadText            string
	LogFormat, LogLevel          string
	ProgressEvery                time.Duration
	StopWhenCaughtUp             bool
	ServerID                     uint32
	RetryFor                     time.Duration
	MetricsListen                string
	CPUProfile                   string
	ScanRows                     int64
	// Mapping comes from the task file only (it has no flags).
	Mapping Mapping
}

// NewFlags returns the flags of sluice run, registered on a set of their
// own: how a task is built from a task file alone (sluice server).
func NewFlags() *Flags {
	f := &Flags{}
	fl := pflag.NewFlagSet("task", pflag.ContinueOnError)
	f.RegisterTask(fl)
	f.RegisterRun(fl)
	return f
}

// RegisterTask adds the flags every task command shares: the task file,
// connections, selection, naming, acknowledgements and logging.
func (f *Flags) RegisterTask(fl *pflag.FlagSet) {
	f.Set = fl
	fl.StringVar(&f.TaskFile, "task", "", "YAML task file holding these settings, keys named like the flags in snake_case (zero_date); flags given override it (docs/task-file.md)")
	fl.StringVar(&f.Source, "source", "", "source URL: mysql://user:password@host:port (password also from $SLUICE_SOURCE_PASSWORD)")
	fl.StringVar(&f.Target, "target", "", "target URL: postgres://user:password@host:port/dbname?sslmode=… (password also from $SLUICE_TARGET_PASSWORD)")
	fl.StringArrayVar(&f.Include, "include", nil, "db.table pattern to sync, * and ? globs (repeatable; default: every non-system database)")
	fl.StringArrayVar(&f.Exclude, "exclude", nil, "db.table pattern to leave out (repeatable)")
	fl.StringVar(&f.Phases, "phases", "", "phases to run, comma-separated: schema,full,incremental (default all)")
	fl.StringVar(&f.Name, "name", "default", "task name: keys the task's state in the target's sluice schema")
	fl.StringArrayVar(&f.Acks, "ack", nil, "acknowledge a precheck warning by id, e.g. table-without-key (repeatable)")
	fl.StringVar(&f.Conflict, "conflict", "error", "when target tables exist: error (refuse to start) or ignore (load into them: the full load keeps a row the target has, the binlog overwrites it)")
	fl.StringVar(&f.Case, "case", "default", "target name case policy: default or target (lower-case), source (as in MySQL), upper")
	fl.StringVar(&f.ZeroDate, "zero-date", "-infinity", "zero dates in NOT NULL columns: -infinity or fail (nullable columns get NULL)")
	fl.StringVar(&f.BadText, "bad-text", "fail", "NUL bytes and invalid UTF-8 in text: fail (name the row) or strip (and count)")
	fl.Uint32Var(&f.ServerID, "server-id", 0, "server_id of sluice's binlog reader; must be unique among the source's replicas (default: derived from --name and the target)")
	fl.Int64Var(&f.ScanRows, "scan-rows", 100000, "prechecks scan this many rows of each table for values PostgreSQL cannot store (0: no scan)")
	fl.StringVar(&f.LogFormat, "log-format", "text", "log format: text or json")
	fl.StringVar(&f.LogLevel, "log-level", "info", "log level: debug, info, warn, error")
}

// ApplyTaskFile sets each flag the command line did not give from the task
// file named by --task, if there is one.
func (f *Flags) ApplyTaskFile() error {
	if f.TaskFile == "" {
		return nil
	}
	tf, err := LoadTaskFile(f.TaskFile)
	if err != nil {
		return err
	}
	return f.Apply(tf)
}

// Apply sets each flag not given on the command line from tf. A key without
// a flag on this command (run's parallel for check) is left out: one file
// serves every task command.
func (f *Flags) Apply(tf *TaskFile) error {
	f.Mapping = tf.Mapping
	for _, s := range tf.Settings {
		fl := f.Set.Lookup(s.Flag())
		if fl == nil || fl.Changed {
			continue
		}
		for _, v := range s.Values {
			// The file's values are checked; this fails only if a key and its
			// flag disagree on the type.
			if err := fl.Value.Set(v); err != nil {
				return &UsageError{Msg: fmt.Sprintf("%s:%d: %s: %v", tf.Path, s.Line, s.Key, err)}
			}
		}
	}
	return nil
}

// RegisterRun adds the flags of sluice run only: load tuning, retries,
// the end of the incremental phase, metrics and progress.
func (f *Flags) RegisterRun(fl *pflag.FlagSet) {
	fl.IntVar(&f.Parallel, "parallel", 4, "snapshot readers and COPY writers")
	fl.Int64Var(&f.ChunkRows, "chunk-rows", 100000, "rows per primary-key range of a big table")
	fl.StringVar(&f.CPUProfile, "cpu-profile", "", "write a Go CPU profile to this file (for performance reports)")
	_ = fl.MarkHidden("cpu-profile")
	fl.StringVar(&f.MetricsListen, "metrics-listen", "", "serve Prometheus metrics on this address, e.g. 127.0.0.1:9108 (path /metrics)")
	fl.DurationVar(&f.RetryFor, "retry-for", 720*time.Minute, "retry lost source or target connections this long (10m..24h) before the task fails")
	fl.BoolVar(&f.StopWhenCaughtUp, "stop-when-caught-up", false, "incremental: apply the binlog up to the position read when the phase starts, then exit 0")
	fl.DurationVar(&f.ProgressEvery, "progress-interval", 5*time.Second, "interval of progress lines when stderr is not a terminal")
}

// Task validates the flags into a task.
func (f *Flags) Task() (*Task, error) {
	src, err := ParseSource(f.Source)
	if err != nil {
		return nil, err
	}
	dst, err := ParseTarget(f.Target)
	if err != nil {
		return nil, err
	}
	sel, err := NewSelection(f.Include, f.Exclude)
	if err != nil {
		return nil, err
	}
	phases, err := ParsePhases(f.Phases)
	if err != nil {
		return nil, err
	}
	acks := map[string]bool{}
	for _, a := range f.Acks {
		for _, id := range strings.Split(a, ",") {
			acks[strings.TrimSpace(id)] = true
		}
	}
	t := &Task{Name: f.Name, Source: src, Target: dst, Selection: sel, Phases: phases,
		Parallel: f.Parallel, ChunkRows: f.ChunkRows, Acks: acks, Conflict: f.Conflict, Case: f.Case,
		ZeroDate: f.ZeroDate, BadText: f.BadText, ProgressEvery: f.ProgressEvery,
		ScanRows: f.ScanRows, StopWhenCaughtUp: f.StopWhenCaughtUp, ServerID: f.ServerID, RetryFor: f.RetryFor,
		Mapping: f.Mapping}
	t.Mapping.Case = f.Case
	return t, t.Validate()
}
