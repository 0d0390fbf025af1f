package main

import (
	"fmt"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/sluicedb/sluice/internal/config"
	"github.com/sluicedb/sluice/internal/pipeline"
)

func newVerify() *cobra.Command {
	f := config.Flags{RetryFor: 720 * time.Minute, ProgressEvery: 5 * time.Second}
	var output string
	var o pipeline.VerifyOptions
	c := &cobra.Command{
		Use:   "verify",
		Short: "Compare the target with the source key by key, and optionally repair it",
		Long: `Compare every selected table of the source with its copy in PostgreSQL.

Both servers render each value to the same canonical text and compute a
checksum per primary-key range (tables keyed by text: per hash bucket of the
key) inside the database; only ranges whose checksums differ are read row by
row, to name each key that is missing from the target, extra in it, or
changed (and which columns). FLOAT, DOUBLE, JSON and INET6 columns are
compared in sluice (exact bits, JSON by value, canonical address). Tables
without a key are compared as multisets of rows.

While sluice run applies the binlog to the target, a difference is reported
only once confirmed: the source row held still from before a source position
until after the target, past that position, was read — and the target's row
still differs (--settle bounds each wait, --rounds the re-checks).

--repair rewrites the differing rows from the source, in transactions that
hold the task's apply lock, then compares them again. A running sync then
replays the binlog idempotently past the position the repair read.

Exit codes: 0 equal (or repaired), 1 differences remain or a table could not
be compared, 2 bad usage.`,
		Example: `  sluice verify --source mysql://root:secret@127.0.0.1:3306 \
      --target postgres://postgres@127.0.0.1:5432/app --include shop.*

  # rewrite what differs, then re-check it
  sluice verify --source mysql://… --target postgres://… --include shop.* --repair

  # for scripts: the differing keys as JSON
  sluice verify … --output json | jq '.tables[] | select(.missing + .extra + .changed > 0)'`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			if output != "text" && output != "json" {
				return &config.UsageError{Msg: fmt.Sprintf("--output %q: use text or json", output)}
			}
			if o.Rounds < 0 || o.Settle <= 0 {
				return &config.UsageError{Msg: "--rounds must be 0 or more and --settle positive"}
			}
			task, log, err := setup(&f)
			if err != nil {
				return err
			}
			stop, err := startCPUProfile(f.CPUProfile)
			if err != nil {
				return err
			}
			defer stop()
			r := &pipeline.Runner{Task: task, Log: log, Out: os.Stderr}
			report, err := r.Verify(c.Context(), o)
			if err != nil {
				return err
			}
			if output == "json" {
				err = report.WriteJSON(c.OutOrStdout())
			} else {
				err = report.WriteText(c.OutOrStdout())
			}
			if err != nil {
				return err
			}
			if !report.OK {
				return exitCode(1)
			}
			return nil
		},
	}
	fl := c.Flags()
	f.RegisterTask(fl)
	fl.IntVar(&f.Parallel, "parallel", 4, "chunks compared at once")
	fl.Int64Var(&f.ChunkRows, "chunk-rows", 50000, "rows per checksum range")
	fl.BoolVar(&o.Repair, "repair", false, "rewrite differing rows from the source, then re-verify them")
	fl.DurationVar(&o.Settle, "settle", time.Minute, "how long to wait for a running sync to apply past a source position before reporting a difference")
	fl.IntVar(&o.Rounds, "rounds", 5, "re-checks of a differing row while a sync is running (a row changing in every one is not reported)")
	fl.StringVar(&output, "output", "text", "report format: text or json")
	fl.StringVar(&f.CPUProfile, "cpu-profile", "", "write a Go CPU profile to this file (for performance reports)")
	_ = fl.MarkHidden("cpu-profile")
	return c
}
