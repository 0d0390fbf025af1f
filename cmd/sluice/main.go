package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/sluicedb/sluice/internal/pipeline"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	root := newRoot()
	err := root.ExecuteContext(ctx)
	var quiet exitCode
	if errors.As(err, &quiet) { // the command printed its own report
		os.Exit(int(quiet))
	}
	code := pipeline.ExitCode(err)
	if err != nil && code != 0 {
		fmt.Fprintln(os.Stderr, "error:", err)
	}
	if errors.Is(err, context.Canceled) {
		fmt.Fprintln(os.Stderr, "stopped; run the same command again to resume")
	}
	os.Exit(code)
}
