package main

import (
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/spf13/pflag"

	"github.com/sluicedb/sluice/internal/config"
)

// runFlags are the flags of sluice run.
type runFlags struct {
	// flags holds the task flags, registered by registerTask; the task file
	// fills those the command line did not give.
	flags                        *pflag.FlagSet
	taskFile                     string
	source, target, name, phases string
	include, exclude, acks       []string
	parallel                     int
	chunkRows                    int64
	conflict, caseP              string
	zeroDate, badText            string
	logFormat, logLevel          string
	progressEvery                time.Duration
	stopWhenCaughtUp             bool
	serverID                     uint32
	retryFor                     time.Duration
	metricsListen                string
	cpuProfile                   string
	scanRows                     int64
}

// registerTask adds the flags every task command shares: the task file,
// connections, selection, naming, acknowledgements and logging.
func (f *runFlags) registerTask(fl *pflag.FlagSet) {
	f.flags = fl
	fl.StringVar(&f.taskFile, "task", "", "YAML task file holding these settings, keys named like the flags in snake_case (zero_date); flags given override it (docs/task-file.md)")
	fl.StringVar(&f.source, "source", "", "source URL: mysql://user:password@host:port (password also from $SLUICE_SOURCE_PASSWORD)")
	fl.StringVar(&f.target, "target", "", "target URL: postgres://user:password@host:port/dbname?sslmode=… (password also from $SLUICE_TARGET_PASSWORD)")
	fl.StringArrayVar(&f.include, "include", nil, "db.table pattern to sync, * and ? globs (repeatable; default: every non-system database)")
	fl.StringArrayVar(&f.exclude, "exclude", nil, "db.table pattern to leave out (repeatable)")
	fl.StringVar(&f.phases, "phases", "", "phases to run, comma-separated: schema,full,incremental (default all)")
	fl.StringVar(&f.name, "name", "default", "task name: keys the task's state in the target's sluice schema")
	fl.StringArrayVar(&f.acks, "ack", nil, "acknowledge a precheck warning by id, e.g. table-without-key (repeatable)")
	fl.StringVar(&f.conflict, "conflict", "error", "when target tables exist: error")
	fl.StringVar(&f.caseP, "case", "default", "target name case policy: default (lower-case)")
	fl.StringVar(&f.zeroDate, "zero-date", "-infinity", "zero dates in NOT NULL columns: -infinity or fail (nullable columns get NULL)")
	fl.StringVar(&f.badText, "bad-text", "fail", "NUL bytes and invalid UTF-8 in text: fail (name the row) or strip (and count)")
	fl.Uint32Var(&f.serverID, "server-id", 0, "server_id of sluice's binlog reader; must be unique among the source's replicas (default: derived from --name and the target)")
	fl.Int64Var(&f.scanRows, "scan-rows", 100000, "prechecks scan this many rows of each table for values PostgreSQL cannot store (0: no scan)")
	fl.StringVar(&f.logFormat, "log-format", "text", "log format: text or json")
	fl.StringVar(&f.logLevel, "log-level", "info", "log level: debug, info, warn, error")
}

// applyTaskFile sets each flag the command line did not give from the task
// file, if there is one. A key without a flag on this command (run's
// parallel for check) is left out: one file serves every task command.
func (f *runFlags) applyTaskFile() error {
	if f.taskFile == "" {
		return nil
	}
	tf, err := config.LoadTaskFile(f.taskFile)
	if err != nil {
		return err
	}
	for _, s := range tf.Settings {
		fl := f.flags.Lookup(s.Flag())
		if fl == nil || fl.Changed {
			continue
		}
		for _, v := range s.Values {
			// The file's values are checked; this fails only if a key and its
			// flag disagree on the type.
			if err := fl.Value.Set(v); err != nil {
				return &config.UsageError{Msg: fmt.Sprintf("%s:%d: %s: %v", tf.Path, s.Line, s.Key, err)}
			}
		}
	}
	return nil
}

// registerRun adds the flags of sluice run only: load tuning, retries,
// the end of the incremental phase, metrics and progress.
func (f *runFlags) registerRun(fl *pflag.FlagSet) {
	fl.IntVar(&f.parallel, "parallel", 4, "snapshot readers and COPY writers")
	fl.Int64Var(&f.chunkRows, "chunk-rows", 100000, "rows per primary-key range of a big table")
	fl.StringVar(&f.cpuProfile, "cpu-profile", "", "write a Go CPU profile to this file (for performance reports)")
	_ = fl.MarkHidden("cpu-profile")
	fl.StringVar(&f.metricsListen, "metrics-listen", "", "serve Prometheus metrics on this address, e.g. 127.0.0.1:9108 (path /metrics)")
	fl.DurationVar(&f.retryFor, "retry-for", 720*time.Minute, "retry lost source or target connections this long (10m..24h) before the task fails")
	fl.BoolVar(&f.stopWhenCaughtUp, "stop-when-caught-up", false, "incremental: apply the binlog up to the position read when the phase starts, then exit 0")
	fl.DurationVar(&f.progressEvery, "progress-interval", 5*time.Second, "interval of progress lines when stderr is not a terminal")
}

func (f *runFlags) task() (*config.Task, error) {
	src, err := config.ParseSource(f.source)
	if err != nil {
		return nil, err
	}
	dst, err := config.ParseTarget(f.target)
	if err != nil {
		return nil, err
	}
	sel, err := config.NewSelection(f.include, f.exclude)
	if err != nil {
		return nil, err
	}
	phases, err := config.ParsePhases(f.phases)
	if err != nil {
		return nil, err
	}
	acks := map[string]bool{}
	for _, a := range f.acks {
		for _, id := range strings.Split(a, ",") {
			acks[strings.TrimSpace(id)] = true
		}
	}
	t := &config.Task{Name: f.name, Source: src, Target: dst, Selection: sel, Phases: phases,
		Parallel: f.parallel, ChunkRows: f.chunkRows, Acks: acks, Conflict: f.conflict, Case: f.caseP,
		ZeroDate: f.zeroDate, BadText: f.badText, ProgressEvery: f.progressEvery,
		ScanRows: f.scanRows, StopWhenCaughtUp: f.stopWhenCaughtUp, ServerID: f.serverID, RetryFor: f.retryFor}
	return t, t.Validate()
}

// driverLog adapts slog to go-sql-driver/mysql's logger.
type driverLog struct{ log *slog.Logger }

func (d driverLog) Print(v ...any) { d.log.Debug("mysql driver", "msg", fmt.Sprint(v...)) }

// setup fills the flags from the task file, validates them into a task and
// makes the logger, which also takes the MySQL driver's own messages (e.g.
// "closing bad idle connection") at debug level.
func (f *runFlags) setup() (*config.Task, *slog.Logger, error) {
	if err := f.applyTaskFile(); err != nil {
		return nil, nil, err
	}
	task, err := f.task()
	if err != nil {
		return nil, nil, err
	}
	log, err := newLogger(f.logFormat, f.logLevel)
	if err != nil {
		return nil, nil, err
	}
	mysql.SetLogger(driverLog{log})
	return task, log, nil
}

func newLogger(format, level string) (*slog.Logger, error) {
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(level)); err != nil {
		return nil, &config.UsageError{Msg: fmt.Sprintf("--log-level %q: use debug, info, warn or error", level)}
	}
	opts := &slog.HandlerOptions{Level: lv}
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(os.Stderr, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(os.Stderr, opts)), nil
	}
	return nil, &config.UsageError{Msg: fmt.Sprintf("--log-format %q: use text or json", format)}
}
