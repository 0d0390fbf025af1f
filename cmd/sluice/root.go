package main

import (
	"fmt"
	"os"
	"runtime"
	"time"

	"github.com/spf13/cobra"

	"github.com/sluicedb/sluice/internal/config"
	"github.com/sluicedb/sluice/internal/pipeline"
	"github.com/sluicedb/sluice/internal/progress"
)

func newRoot() *cobra.Command {
	root := &cobra.Command{
		Use:           "sluice",
		Short:         "Keep a PostgreSQL database in sync with MySQL or MariaDB",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return &config.UsageError{Msg: err.Error() + "\nsee: " + c.CommandPath() + " --help"}
	})
	root.AddCommand(newRun(), newCheck(), newVersion())
	return root
}

func newVersion() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version",
		Args:  cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			fmt.Fprintf(c.OutOrStdout(), "sluice %s (%s, %s/%s)\n", version, runtime.Version(), runtime.GOOS, runtime.GOARCH)
			return nil
		},
	}
}

func newRun() *cobra.Command {
	var f runFlags
	c := &cobra.Command{
		Use:   "run",
		Short: "Run a sync task in the foreground: schema, full load, then the binlog",
		Long: `Run a sync task in the foreground.

Each source database becomes a PostgreSQL schema of the same name (lower-cased)
in the target database. The schema phase creates tables, keys and comments; the
full phase copies every selected row from one consistent snapshot, tables in
parallel and big tables in primary-key ranges, then builds secondary indexes,
sets identity sequences and adds foreign keys. The incremental phase then
follows the binlog from the snapshot position and applies every change in
source commit order, each source transaction atomically, with the checkpoint
in the same PostgreSQL transaction. Ctrl-C stops at a transaction boundary.
sluice's own state lives in the schema "sluice" of the target: a killed run
resumes where it stopped, without redoing finished work.

Exit codes: 0 success or clean stop, 1 runtime failure, 2 bad usage,
3 precheck failed (the report says what to fix).`,
		Example: `  sluice run --source mysql://root:secret@127.0.0.1:3306 \
      --target postgres://postgres@127.0.0.1:5432/app --include shop.* --phases schema,full

  # migrate: copy, catch up with the binlog, exit when caught up
  sluice run --source mysql://… --target postgres://… --include shop.* --stop-when-caught-up

  # a table without a primary key must be acknowledged
  sluice run --source mysql://… --target postgres://… --include logs.* \
      --phases schema,full --ack table-without-key`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			task, log, err := f.setup()
			if err != nil {
				return err
			}
			if f.cpuProfile != "" {
				stop, err := startCPUProfile(f.cpuProfile)
				if err != nil {
					return err
				}
				defer stop()
			}
			state := progress.NewTask(task.Name)
			if f.metricsListen != "" {
				stop, err := serveMetrics(f.metricsListen, state, log)
				if err != nil {
					return err
				}
				defer stop()
			}
			r := &pipeline.Runner{Task: task, Log: log, Out: os.Stderr, State: state}
			return r.Run(c.Context())
		},
	}
	fl := c.Flags()
	f.registerTask(fl)
	fl.IntVar(&f.parallel, "parallel", 4, "snapshot readers and COPY writers")
	fl.Int64Var(&f.chunkRows, "chunk-rows", 100000, "rows per primary-key range of a big table")
	fl.StringVar(&f.cpuProfile, "cpu-profile", "", "write a Go CPU profile to this file (for performance reports)")
	_ = fl.MarkHidden("cpu-profile")
	fl.StringVar(&f.metricsListen, "metrics-listen", "", "serve Prometheus metrics on this address, e.g. 127.0.0.1:9108 (path /metrics)")
	fl.DurationVar(&f.retryFor, "retry-for", 720*time.Minute, "retry lost source or target connections this long (10m..24h) before the task fails")
	fl.BoolVar(&f.stopWhenCaughtUp, "stop-when-caught-up", false, "incremental: apply the binlog up to the position read when the phase starts, then exit 0")
	fl.DurationVar(&f.progressEvery, "progress-interval", 5*time.Second, "interval of progress lines when stderr is not a terminal")
	return c
}
