package source

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"

	"github.com/sluicedb/sluice/internal/change"
)

// Snapshot is a set of reader connections that see the same consistent state
// of the source, and the binlog position of that state.
//
// Invariant: every reader opens its read view while FLUSH TABLES WITH READ
// LOCK is held, and the position is read under the same lock, so the rows
// read and the binlog after Position never overlap or leave a gap.
//
// Fallback when the account may not take the global read lock (no RELOAD
// privilege): the position is read first, then each reader opens its view.
// The views are then later than Position and may differ from each other; the
// incremental phase replays the binlog from Position idempotently until it
// passes the end of the load, so the target still converges. Consistent is
// false in that case.
type Snapshot struct {
	Readers    []*sql.Conn
	Position   change.Position
	Consistent bool
}

// sessionSetup runs on every snapshot connection: UTC for TIMESTAMP values,
// utf8mb4 for every text, long network timeouts for long scans.
var sessionSetup = []string{
	"SET NAMES utf8mb4",
	"SET SESSION time_zone = '+00:00'",
	"SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ",
}

// OpenSnapshot opens n reader connections on one consistent snapshot.
func (s *Source) OpenSnapshot(ctx context.Context, n int, log *slog.Logger) (_ *Snapshot, err error) {
	snap := &Snapshot{}
	defer func() {
		if err != nil {
			snap.Close()
		}
	}()
	ctl, err := s.DB.Conn(ctx)
	if err != nil {
		return nil, connectError(s.cfg, err)
	}
	defer ctl.Close()
	if _, err := ctl.ExecContext(ctx, "SET SESSION lock_wait_timeout = 60"); err != nil {
		return nil, fmt.Errorf("setting lock_wait_timeout: %w", err)
	}
	// Connections and session settings first, so the lock is held only while
	// the read views open and the position is read.
	for i := 0; i < n; i++ {
		c, err := s.DB.Conn(ctx)
		if err != nil {
			return nil, connectError(s.cfg, err)
		}
		snap.Readers = append(snap.Readers, c)
		for _, q := range sessionSetup {
			if _, err := c.ExecContext(ctx, q); err != nil {
				return nil, fmt.Errorf("setting up snapshot reader %d (%s): %w", i, q, err)
			}
		}
	}
	_, lockErr := ctl.ExecContext(ctx, "FLUSH TABLES WITH READ LOCK")
	switch {
	case lockErr == nil:
		snap.Consistent = true
		defer ctl.ExecContext(context.WithoutCancel(ctx), "UNLOCK TABLES") //nolint:errcheck // also released by closing ctl
	case isMySQLError(lockErr, errSpecificAccessDenied, errAccessDenied):
		log.Warn("no global read lock; reading the binlog position before the read views (grant RELOAD for a single consistent snapshot)",
			"err", lockErr)
		if snap.Position, err = s.position(ctx, ctl); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("taking the global read lock for the snapshot: %w", lockErr)
	}
	for i, c := range snap.Readers {
		if _, err := c.ExecContext(ctx, "START TRANSACTION WITH CONSISTENT SNAPSHOT"); err != nil {
			return nil, fmt.Errorf("opening the read view of snapshot reader %d: %w", i, err)
		}
	}
	if snap.Consistent {
		if snap.Position, err = s.position(ctx, ctl); err != nil {
			return nil, err
		}
	}
	return snap, nil
}

// Close ends the read views and returns the connections.
func (snap *Snapshot) Close() {
	for _, c := range snap.Readers {
		c.ExecContext(context.Background(), "ROLLBACK") //nolint:errcheck // closing anyway
		c.Close()
	}
	snap.Readers = nil
}

// position reads the current binlog position. A server without a binary log
// gives the zero position: the full load still works, the incremental phase
// cannot start from it.
func (s *Source) position(ctx context.Context, c *sql.Conn) (change.Position, error) {
	p := change.Position{Flavor: s.Flavor}
	rows, err := c.QueryContext(ctx, "SHOW MASTER STATUS")
	if err != nil && isMySQLError(err, 1064) { // MySQL 8.4 removed SHOW MASTER STATUS
		rows, err = c.QueryContext(ctx, "SHOW BINARY LOG STATUS")
	}
	if err != nil {
		return p, fmt.Errorf("reading the binlog position (needs REPLICATION CLIENT or BINLOG MONITOR): %w", err)
	}
	cols, _ := rows.Columns()
	found := false
	for rows.Next() {
		vals, err := scanStrings(rows, len(cols))
		if err != nil {
			rows.Close()
			return p, fmt.Errorf("reading the binlog position: %w", err)
		}
		p.File = vals[0].String
		fmt.Sscan(vals[1].String, &p.Offset)
		if len(cols) >= 5 { // MySQL: Executed_Gtid_Set
			p.GTID = vals[4].String
		}
		found = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return p, fmt.Errorf("reading the binlog position: %w", err)
	}
	if !found {
		return change.Position{}, nil // binary log off
	}
	if s.Flavor == "mariadb" {
		if err := c.QueryRowContext(ctx, "SELECT @@GLOBAL.gtid_binlog_pos").Scan(&p.GTID); err != nil {
			return p, fmt.Errorf("reading gtid_binlog_pos: %w", err)
		}
	}
	return p, nil
}

// CurrentPosition reads the binlog position now, outside any snapshot: the
// point the incremental phase must pass before it applies strictly.
func (s *Source) CurrentPosition(ctx context.Context) (change.Position, error) {
	c, err := s.DB.Conn(ctx)
	if err != nil {
		return change.Position{}, connectError(s.cfg, err)
	}
	defer c.Close()
	return s.position(ctx, c)
}
