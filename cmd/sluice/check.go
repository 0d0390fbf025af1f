package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/sluicedb/sluice/internal/config"
	"github.com/sluicedb/sluice/internal/pipeline"
	"github.com/sluicedb/sluice/internal/precheck"
)

// exitCode ends the process with a code after the command printed its own
// report (main prints nothing more).
type exitCode int

func (e exitCode) Error() string { return fmt.Sprintf("exit %d", int(e)) }

func newCheck() *cobra.Command {
	// The run-only settings keep their defaults: check needs valid values.
	f := config.Flags{Parallel: 4, ChunkRows: 100000, ZeroDate: "-infinity", BadText: "fail",
		RetryFor: 720 * time.Minute, ProgressEvery: 5 * time.Second}
	var output string
	c := &cobra.Command{
		Use:   "check",
		Short: "Run the prechecks of a task and say, item by item, what to fix",
		Long: `Run the prechecks of a task without writing anything: connections, the
selection, types, keys, names, target rights and conflicting tables, and, when
the incremental phase is selected (the default), the source's binlog settings.

Each item has a stable id, a severity (an error blocks the start; a warning
blocks it until acknowledged with --ack ID), the object, what is wrong and
how to fix it. sluice run runs the same checks first.

Exit codes: 0 nothing blocks, 2 bad usage, 3 an error or an unacknowledged
warning remains.`,
		Example: `  sluice check --source mysql://root:secret@127.0.0.1:3306 \
      --target postgres://postgres@127.0.0.1:5432/app --include shop.*

  sluice check … --output json | jq '.results[] | select(.severity == "error")'

  # the task file that sluice run --task takes
  sluice check --task shop.yaml`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			if output != "text" && output != "json" {
				return &config.UsageError{Msg: fmt.Sprintf("--output %q: use text or json", output)}
			}
			task, log, err := setup(&f)
			if err != nil {
				return err
			}
			r := &pipeline.Runner{Task: task, Log: log, Out: os.Stderr}
			report, err := r.Check(c.Context())
			if err != nil {
				return err
			}
			if output == "json" {
				err = printJSON(c.OutOrStdout(), report)
			} else {
				err = printText(c.OutOrStdout(), report)
			}
			if err != nil {
				return err
			}
			if len(report.Blocking()) > 0 {
				return exitCode(3)
			}
			return nil
		},
	}
	f.RegisterTask(c.Flags())
	c.Flags().StringVar(&output, "output", "text", "report format: text or json")
	return c
}

func printText(w io.Writer, r *precheck.Report) error {
	if err := printNames(w, r.Names); err != nil {
		return err
	}
	if len(r.Results) == 0 {
		_, err := fmt.Fprintln(w, "all checks passed")
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SEVERITY\tCHECK\tOBJECT\tPROBLEM")
	for _, res := range r.Results {
		sev := string(res.Severity)
		if res.Acked {
			sev += " (acknowledged)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", sev, res.ID, orDash(res.Object), oneLine(res.Message))
		fmt.Fprintf(tw, "\t\t\tfix: %s\n", oneLine(res.Instruction))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	blocking := r.Blocking()
	switch {
	case len(blocking) == 0:
		_, err := fmt.Fprintln(w, "nothing blocks the start")
		return err
	default:
		_, err := fmt.Fprintf(w, "%d item(s) block the start; warnings can be acknowledged with --ack ID\n", len(blocking))
		return err
	}
}

func printJSON(w io.Writer, r *precheck.Report) error {
	results := r.Results
	if results == nil {
		results = []precheck.Result{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	names := r.Names
	if names == nil {
		names = []precheck.Name{}
	}
	return enc.Encode(struct {
		OK      bool              `json:"ok"`
		Results []precheck.Result `json:"results"`
		Names   []precheck.Name   `json:"names"`
	}{OK: len(r.Blocking()) == 0, Results: results, Names: names})
}

// printNames shows where each table goes: source → target, renamed
// columns, columns left out.
func printNames(w io.Writer, names []precheck.Name) error {
	if len(names) == 0 {
		return nil
	}
	fmt.Fprintln(w, "NAMES (source → target)")
	for _, n := range names {
		line := "  " + n.Source + " → " + n.Target
		var cols []string
		for _, c := range n.Columns {
			cols = append(cols, c.Source+" → "+c.Target)
		}
		if len(cols) > 0 {
			line += "; columns " + strings.Join(cols, ", ")
		}
		if len(n.Omitted) > 0 {
			line += "; left out " + strings.Join(n.Omitted, ", ")
		}
		if _, err := fmt.Fprintln(w, line); err != nil {
			return err
		}
	}
	_, err := fmt.Fprintln(w)
	return err
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
