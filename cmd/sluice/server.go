package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"path/filepath"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/spf13/cobra"
	"golang.org/x/sync/errgroup"

	"github.com/sluicedb/sluice/internal/alert"
	"github.com/sluicedb/sluice/internal/api"
	"github.com/sluicedb/sluice/internal/config"
	"github.com/sluicedb/sluice/internal/console"
	"github.com/sluicedb/sluice/internal/metrics"
	"github.com/sluicedb/sluice/internal/task"
)

func newServer() *cobra.Command {
	var listen, dataDir, tokenFile, logFormat, logLevel string
	var webhooks []string
	var lagEvery time.Duration
	c := &cobra.Command{
		Use:   "server",
		Short: "Run many sync tasks, managed through a REST API",
		Long: `Run many sync tasks in one process, managed through a REST API under /api/v1
(docs/server.md, docs/api.yaml).

Tasks are kept in an embedded SQLite store in --data-dir (sluice.db, readable
by its owner only: it holds the tasks' passwords). Every API route needs the
header "Authorization: Bearer TOKEN": the token is read from --token-file, or
generated on the first start into DATA_DIR/token and printed once.

The same address serves the web console at / (it asks for the token) and
Prometheus metrics at /metrics (with the same token). --alert-webhook URLs
get a JSON POST when a task fails, and when a task's lag stays above its
alert_lag_seconds for its alert_lag_for (docs/server.md).

A restart resumes every task that was running, from its checkpoint.
SIGINT or SIGTERM stops every task at a transaction boundary, then exits 0.`,
		Example: `  sluice server --listen 127.0.0.1:8080 --data-dir /var/lib/sluice

  TOKEN=$(cat /var/lib/sluice/token)
  curl -H "Authorization: Bearer $TOKEN" -d @shop.json http://127.0.0.1:8080/api/v1/tasks
  curl -H "Authorization: Bearer $TOKEN" -X POST http://127.0.0.1:8080/api/v1/tasks/shop/start`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			if listen == "" || dataDir == "" {
				return &config.UsageError{Msg: "--listen and --data-dir are required\nsee: sluice server --help"}
			}
			if lagEvery < 100*time.Millisecond {
				return &config.UsageError{Msg: "--lag-interval must be at least 100ms\nsee: sluice server --help"}
			}
			log, err := newLogger(logFormat, logLevel)
			if err != nil {
				return err
			}
			hooks, err := alert.New(webhooks, alert.Options{}, log)
			if err != nil {
				return &config.UsageError{Msg: "--alert-webhook: " + err.Error()}
			}
			mysql.SetLogger(driverLog{log})
			token, created, err := api.LoadToken(dataDir, tokenFile)
			if err != nil {
				return &config.UsageError{Msg: "sluice server: " + err.Error()}
			}
			if created {
				fmt.Fprintf(c.OutOrStdout(), "API token (saved in %s, not shown again): %s\n", filepath.Join(dataDir, api.TokenFile), token)
			}
			ln, err := net.Listen("tcp", listen)
			if err != nil {
				return &config.UsageError{Msg: fmt.Sprintf("--listen %s: %v", listen, err)}
			}
			ctx := c.Context()
			m, err := task.Open(ctx, task.Options{Dir: dataDir, Log: log, LagEvery: lagEvery, Alerts: hooks})
			if err != nil {
				ln.Close()
				return err
			}
			defer m.Close()
			reg := prometheus.NewRegistry()
			if err := metrics.RegisterServer(reg, m, hooks); err != nil {
				ln.Close()
				return fmt.Errorf("registering the metrics: %w", err)
			}
			reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
			site := api.New(m, token, log).Site(promhttp.HandlerFor(reg, promhttp.HandlerOpts{}), console.Handler())
			srv := &http.Server{Handler: site, ReadHeaderTimeout: 10 * time.Second}
			log.Info("serving the API", "address", "http://"+ln.Addr().String()+api.Prefix, "data_dir", dataDir,
				"console", "http://"+ln.Addr().String()+"/", "alert_webhooks", len(webhooks))
			g, ctx := errgroup.WithContext(ctx)
			g.Go(func() error { return m.Run(ctx) })
			g.Go(func() error { return hooks.Run(ctx) })
			g.Go(func() error {
				if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
					return fmt.Errorf("serving the API: %w", err)
				}
				return nil
			})
			g.Go(func() error {
				<-ctx.Done()
				// Requests in flight (a pause waits for its task) get a while.
				sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
				defer cancel()
				return srv.Shutdown(sctx)
			})
			err = g.Wait()
			log.Info("server stopped")
			return err
		},
	}
	fl := c.Flags()
	fl.StringVar(&listen, "listen", "", "address of the API, e.g. 127.0.0.1:8080")
	fl.StringVar(&dataDir, "data-dir", "", "directory of the task store (sluice.db) and the generated token")
	fl.StringVar(&tokenFile, "token-file", "", "file holding the API token (default: DATA_DIR/token, generated on the first start)")
	fl.StringArrayVar(&webhooks, "alert-webhook", nil, "URL to POST alerts to as JSON (repeatable)")
	fl.DurationVar(&lagEvery, "lag-interval", task.DefaultLagEvery, "how often each task's lag is sampled, for its history and its lag alert")
	fl.StringVar(&logFormat, "log-format", "text", "log format: text or json")
	fl.StringVar(&logLevel, "log-level", "info", "log level: debug, info, warn, error")
	return c
}
