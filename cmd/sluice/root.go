package main

import (
	"fmt"
	"os"
	"runtime"

	"github.com/spf13/cobra"

	"github.com/sluicedb/sluice/internal/config"
	"github.com/sluicedb/sluice/internal/pipeline"
	"github.com/sluicedb/sluice/internal/progress"
)

func newRoot() *cobra.Command {
	root := &cobra.Command{
		Use:   "sluice",
		Short: "Keep a PostgreSQL database in sync with MySQL or MariaDB",
		Example: `  # say what blocks a sync of the shop database, item by item
  sluice check --source mysql://root:secret@127.0.0.1:3306 \
      --target postgres://postgres@127.0.0.1:5432/app --include 'shop.*'

  # copy it, then follow the binlog until Ctrl-C
  sluice run --source mysql://root:secret@127.0.0.1:3306 \
      --target postgres://postgres@127.0.0.1:5432/app --include 'shop.*'

  # the same settings from a task file (docs/task-file.md)
  sluice run --task shop.yaml`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return &config.UsageError{Msg: err.Error() + "\nsee: " + c.CommandPath() + " --help"}
	})
	root.AddCommand(newRun(), newCheck(), newVerify(), newServer(), newVersion())
	return root
}

func newVersion() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version",
		Example: `  sluice version
  sluice version | cut -d' ' -f2   # the version alone`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			fmt.Fprintf(c.OutOrStdout(), "sluice %s (%s, %s/%s)\n", version, runtime.Version(), runtime.GOOS, runtime.GOARCH)
			return nil
		},
	}
}

func newRun() *cobra.Command {
	var f config.Flags
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
      --phases schema,full --ack table-without-key

  # settings from a task file; a flag given overrides the file's key
  sluice run --task shop.yaml --log-level debug`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			task, log, err := setup(&f)
			if err != nil {
				return err
			}
			stop, err := startCPUProfile(f.CPUProfile)
			if err != nil {
				return err
			}
			defer stop()
			state := progress.NewTask(task.Name)
			if f.MetricsListen != "" {
				stop, err := serveMetrics(f.MetricsListen, state, log)
				if err != nil {
					return err
				}
				defer stop()
			}
			r := &pipeline.Runner{Task: task, Log: log, Out: os.Stderr, State: state}
			return r.Run(c.Context())
		},
	}
	f.RegisterTask(c.Flags())
	f.RegisterRun(c.Flags())
	return c
}
