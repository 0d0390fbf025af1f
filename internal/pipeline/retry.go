package pipeline

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/sluicedb/sluice/internal/config"
	"github.com/sluicedb/sluice/internal/precheck"
	"github.com/sluicedb/sluice/internal/sink"
	"github.com/sluicedb/sluice/internal/source"
	"github.com/sluicedb/sluice/internal/value"
)

// Backoff between attempts: doubling from retryFirst up to retryMax.
const (
	retryFirst = time.Second
	retryMax   = 30 * time.Second
)

// withRetry runs phase until it succeeds, fails permanently, or keeps
// failing transiently for longer than --retry-for since the last attempt
// that made progress. Each failed attempt is logged once with its cause;
// phase resumes from its checkpoint.
func (t *task) withRetry(ctx context.Context, name string, phase func(context.Context) (progressed bool, err error)) error {
	backoff := retryFirst
	failingSince := time.Time{}
	for attempt := 1; ; attempt++ {
		progressed, err := phase(ctx)
		if errors.Is(err, errReplay) {
			t.Log.Info("a source transaction rolled back inside a group; replaying the group from the checkpoint")
			continue
		}
		if err == nil || ctx.Err() != nil || !retriable(err) {
			return err
		}
		if progressed || failingSince.IsZero() {
			failingSince, backoff = time.Now(), retryFirst
		}
		if time.Since(failingSince) > t.Task.RetryFor {
			return fmt.Errorf("%s: gave up after retrying for %s (--retry-for): %w", name, t.Task.RetryFor, err)
		}
		t.State.Retry()
		t.Log.Warn("connection lost; retrying from the checkpoint", "phase", name, "attempt", attempt, "in", backoff, "err", err)
		select {
		case <-time.After(backoff):
		case <-ctx.Done():
			return ctx.Err()
		}
		backoff = min(2*backoff, retryMax)
	}
}

// retriable decides, in one place, whether an error is transient (a lost or
// refused connection, a server restarting, a deadlock) or permanent (bad data,
// divergence, a source condition that needs the user).
func retriable(err error) bool {
	var (
		stop   *source.StopError
		purged *source.PurgedError
		div    *sink.DivergenceError
		clash  *sink.CollisionError
		row    *RowError
		val    *value.Error
		usage  *config.UsageError
		pre    *precheck.FailedError
		pg     *pgconn.PgError
		my     *mysql.MySQLError
	)
	switch {
	case errors.As(err, &stop), errors.As(err, &purged), errors.As(err, &div), errors.As(err, &clash), errors.As(err, &row),
		errors.As(err, &val), errors.As(err, &usage), errors.As(err, &pre):
		return false
	case errors.As(err, &pg):
		switch pg.Code[:2] {
		case "08", "57", "53", "40": // connection, operator intervention, resources, rollback (deadlock)
			return true
		}
		return false
	case errors.As(err, &my):
		switch my.Number {
		case 1040, 1053, 1205, 1213, 1927, 2006, 2013: // too many connections, shutdown, lock timeout, deadlock, killed, gone, lost
			return true
		}
		return false
	}
	// Everything else is I/O: refused or reset connections, EOF, timeouts,
	// the binlog stream ending.
	return true
}
