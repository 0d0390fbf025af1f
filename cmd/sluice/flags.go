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

// registerTask adds the flags every task command shares: connections,
// selection, naming, acknowledgements and logging.
func (f *runFlags) registerTask(fl *pflag.FlagSet) {
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
	if f.progressEvery <= 0 {
		return nil, &config.UsageError{Msg: "--progress-interval must be positive"}
	}
	return t, t.Validate()
}

// driverLog adapts slog to go-sql-driver/mysql's logger.
type driverLog struct{ log *slog.Logger }

func (d driverLog) Print(v ...any) { d.log.Debug("mysql driver", "msg", fmt.Sprint(v...)) }

// setup validates the flags into a task and makes the logger, which also
// takes the MySQL driver's own messages (e.g. "closing bad idle connection")
// at debug level.
func (f *runFlags) setup() (*config.Task, *slog.Logger, error) {
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
