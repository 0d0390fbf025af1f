package main

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/sluicedb/sluice/internal/config"
)

// commands returns c and every command under it.
func commands(c *cobra.Command) []*cobra.Command {
	all := []*cobra.Command{c}
	for _, sub := range c.Commands() {
		all = append(all, commands(sub)...)
	}
	return all
}

// TestHelp: --help of every command of ours says what it does and shows
// examples; every task command takes --task.
func TestHelp(t *testing.T) {
	root := newRoot()
	root.InitDefaultHelpCmd()
	root.InitDefaultCompletionCmd()
	var seen []string
	for _, c := range commands(root) {
		if c.Name() == "help" || c.Name() == "completion" || c.HasParent() && c.Parent().Name() == "completion" {
			continue // cobra's own
		}
		seen = append(seen, c.Name())
		if c.Short == "" {
			t.Errorf("%s: no Short description", c.CommandPath())
		}
		if strings.TrimSpace(c.Example) == "" {
			t.Errorf("%s: no Example", c.CommandPath())
		}
		if c.Flags().Lookup("source") != nil && c.Flags().Lookup("task") == nil {
			t.Errorf("%s takes --source but not --task: register its flags with registerTask", c.CommandPath())
		}
	}
	for _, want := range []string{"sluice", "run", "check", "version"} {
		if !slices.Contains(seen, want) {
			t.Errorf("command %s not found among %v", want, seen)
		}
	}
}

// TestTaskFileKeysAreFlags: every task file key is a flag of sluice run,
// and every flag of run but --task, --cpu-profile and --help is a key.
func TestTaskFileKeysAreFlags(t *testing.T) {
	run, _, err := newRoot().Find([]string{"run"})
	if err != nil {
		t.Fatal(err)
	}
	var flags []string
	run.Flags().VisitAll(func(f *pflag.Flag) {
		if f.Name != "task" && f.Name != "cpu-profile" && f.Name != "help" {
			flags = append(flags, strings.ReplaceAll(f.Name, "-", "_"))
		}
	})
	slices.Sort(flags)
	if keys := config.TaskFileKeys(); !slices.Equal(keys, flags) {
		t.Errorf("task file keys %v\n  != run's flags %v", keys, flags)
	}
}

// parseRun parses run's flags from args, the task file included.
func parseRun(t *testing.T, args ...string) (*config.Task, *config.Flags) {
	t.Helper()
	var f config.Flags
	fl := pflag.NewFlagSet("run", pflag.ContinueOnError)
	f.RegisterTask(fl)
	f.RegisterRun(fl)
	if err := fl.Parse(args); err != nil {
		t.Fatal(err)
	}
	task, _, err := setup(&f)
	if err != nil {
		t.Fatal(err)
	}
	return task, &f
}

func writeFile(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "task.yaml")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestTaskFileUnderFlags: every key of a task file reaches the task, and a
// flag given on the command line overrides its key.
func TestTaskFileUnderFlags(t *testing.T) {
	t.Setenv(config.EnvSourcePassword, "")
	t.Setenv(config.EnvTargetPassword, "")
	path := writeFile(t, `source: mysql://app:pw1@db1:3307
target: postgres://sluice:pw2@pg1:5433/app?sslmode=disable
include: [shop.*, crm.customers]
exclude: shop.tmp_*
phases: schema,full,incremental
name: shop-to-pg
ack: [table-without-key, geometry-as-bytea]
conflict: error
case: default
zero_date: fail
bad_text: strip
server_id: 4242
scan_rows: 0
log_format: json
log_level: warn
parallel: 8
chunk_rows: 50000
retry_for: 2h
stop_when_caught_up: true
metrics_listen: 127.0.0.1:9108
progress_interval: 1m30s
`)
	task, f := parseRun(t, "--task", path)
	if task.Source.Addr != "db1:3307" || task.Source.Passwd != "pw1" || task.Target.ConnConfig.Port != 5433 ||
		task.Target.ConnConfig.Password != "pw2" {
		t.Errorf("connections %s %s", task.Source.Addr, task.Target.ConnConfig.Host)
	}
	if got := []string{task.Selection.Include[0].Raw, task.Selection.Include[1].Raw, task.Selection.Exclude[0].Raw}; !slices.Equal(got, []string{"shop.*", "crm.customers", "shop.tmp_*"}) {
		t.Errorf("selection %v", got)
	}
	want := config.Task{Name: "shop-to-pg", Phases: config.Phases{Schema: true, Full: true, Incremental: true},
		Parallel: 8, ChunkRows: 50000, Acks: map[string]bool{"table-without-key": true, "geometry-as-bytea": true},
		Conflict: "error", Case: "default", Mapping: config.Mapping{Case: "default"}, ZeroDate: "fail", BadText: "strip", StopWhenCaughtUp: true,
		RetryFor: 2 * time.Hour, ScanRows: 0, ServerID: 4242, ProgressEvery: 90 * time.Second}
	got := *task
	got.Source, got.Target, got.Selection = nil, nil, config.Selection{}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("task\n got %+v\nwant %+v", got, want)
	}
	if f.LogFormat != "json" || f.LogLevel != "warn" || f.MetricsListen != "127.0.0.1:9108" {
		t.Errorf("log %s %s, metrics %s", f.LogFormat, f.LogLevel, f.MetricsListen)
	}

	task, f = parseRun(t, "--parallel", "2", "--task", path, "--include", "other.*", "--log-level", "error",
		"--stop-when-caught-up=false", "--source", "mysql://app@db2")
	if task.Parallel != 2 || len(task.Selection.Include) != 1 || task.Selection.Include[0].Raw != "other.*" ||
		f.LogLevel != "error" || task.StopWhenCaughtUp || task.Source.Addr != "db2:3306" || task.Source.Passwd != "" {
		t.Errorf("flags do not override the file: %+v", task)
	}
	if task.ChunkRows != 50000 || task.Name != "shop-to-pg" {
		t.Errorf("the file's other keys are lost: %+v", task)
	}
}

// TestTaskFilePasswordFromEnv: a task file's URLs without a password take
// it from the environment, as the flags do.
func TestTaskFilePasswordFromEnv(t *testing.T) {
	t.Setenv(config.EnvSourcePassword, "envpw1")
	t.Setenv(config.EnvTargetPassword, "envpw2")
	path := writeFile(t, "source: mysql://app@db1\ntarget: postgres://sluice@pg1/app\n")
	task, _ := parseRun(t, "--task", path)
	if task.Source.Passwd != "envpw1" || task.Target.ConnConfig.Password != "envpw2" {
		t.Errorf("passwords %q %q", task.Source.Passwd, task.Target.ConnConfig.Password)
	}
}

// TestTaskFileErrorsAreUsage: a bad task file is bad usage (exit 2) that
// names the file and line.
func TestTaskFileErrorsAreUsage(t *testing.T) {
	path := writeFile(t, "source: mysql://app@db1\ntarget: postgres://sluice@pg1/app\nparallel: lots\n")
	var f config.Flags
	fl := pflag.NewFlagSet("run", pflag.ContinueOnError)
	f.RegisterTask(fl)
	f.RegisterRun(fl)
	if err := fl.Parse([]string{"--task", path}); err != nil {
		t.Fatal(err)
	}
	_, _, err := setup(&f)
	var ue *config.UsageError
	if !errors.As(err, &ue) || !strings.HasPrefix(err.Error(), path+":3: parallel:") {
		t.Errorf("err = %v", err)
	}
}
