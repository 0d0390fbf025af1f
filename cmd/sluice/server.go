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
	"github.com/spf13/cobra"
	"golang.org/x/sync/errgroup"

	"github.com/sluicedb/sluice/internal/api"
	"github.com/sluicedb/sluice/internal/config"
	"github.com/sluicedb/sluice/internal/task"
)

func newServer() *cobra.Command {
	var listen, dataDir, tokenFile, logFormat, logLevel string
	c := &cobra.Command{
		Use:   "server",
		Short: "Run many sync tasks, managed through a REST API",
		Long: `Run many sync tasks in one process, managed through a REST API under /api/v1
(docs/server.md, docs/api.yaml).

Tasks are kept in an embedded SQLite store in --data-dir (sluice.db, readable
by its owner only: it holds the tasks' passwords). Every API route needs the
header "Authorization: Bearer TOKEN": the token is read from --token-file, or
generated on the first start into DATA_DIR/token and printed once.

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
			log, err := newLogger(logFormat, logLevel)
			if err != nil {
				return err
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
			m, err := task.Open(ctx, task.Options{Dir: dataDir, Log: log})
			if err != nil {
				ln.Close()
				return err
			}
			defer m.Close()
			srv := &http.Server{Handler: api.New(m, token, log), ReadHeaderTimeout: 10 * time.Second}
			log.Info("serving the API", "address", "http://"+ln.Addr().String()+api.Prefix, "data_dir", dataDir)
			g, ctx := errgroup.WithContext(ctx)
			g.Go(func() error { return m.Run(ctx) })
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
	fl.StringVar(&logFormat, "log-format", "text", "log format: text or json")
	fl.StringVar(&logLevel, "log-level", "info", "log level: debug, info, warn, error")
	return c
}
