package main

import (
	"fmt"
	"log/slog"
	"os"

	"github.com/go-sql-driver/mysql"

	"github.com/sluicedb/sluice/internal/config"
)

// driverLog adapts slog to go-sql-driver/mysql's logger.
type driverLog struct{ log *slog.Logger }

func (d driverLog) Print(v ...any) { d.log.Debug("mysql driver", "msg", fmt.Sprint(v...)) }

// setup fills the flags from the task file, validates them into a task and
// makes the logger, which also takes the MySQL driver's own messages (e.g.
// "closing bad idle connection") at debug level.
func setup(f *config.Flags) (*config.Task, *slog.Logger, error) {
	if err := f.ApplyTaskFile(); err != nil {
		return nil, nil, err
	}
	task, err := f.Task()
	if err != nil {
		return nil, nil, err
	}
	log, err := newLogger(f.LogFormat, f.LogLevel)
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
