package task

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/sluicedb/sluice/internal/verify"
)

// Event is one lifecycle event or error of a task.
type Event struct {
	ID      int64     `json:"id"`
	At      time.Time `json:"at"`
	Level   string    `json:"level"` // info, warn or error
	Kind    string    `json:"kind"`  // created, precheck, started, paused, resumed, stopped, finished, failed, verify, …
	Message string    `json:"message"`
}

// Event levels.
const (
	levelInfo  = "info"
	levelWarn  = "warn"
	levelError = "error"
)

// MaxEvents is how many events of a task the store keeps, the newest.
const MaxEvents = 1000

// addEvent stores an event and drops the task's oldest beyond MaxEvents.
func (s *Store) addEvent(ctx context.Context, task string, e Event) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("storing an event of task %s: %w", task, err)
	}
	defer tx.Rollback() //nolint:errcheck // after Commit, a no-op
	if _, err := tx.ExecContext(ctx, "INSERT INTO events (task, at, level, kind, message) VALUES (?, ?, ?, ?, ?)",
		task, millis(e.At), e.Level, e.Kind, e.Message); err != nil {
		return fmt.Errorf("storing an event of task %s: %w", task, err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM events WHERE task = ? AND id <=
		(SELECT id FROM events WHERE task = ? ORDER BY id DESC LIMIT 1 OFFSET ?)`, task, task, MaxEvents); err != nil {
		return fmt.Errorf("pruning the events of task %s: %w", task, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("storing an event of task %s: %w", task, err)
	}
	return nil
}

// events returns up to limit events of a task older than before (0: the
// newest), newest first.
func (s *Store) events(ctx context.Context, task string, limit int, before int64) ([]Event, error) {
	if before <= 0 {
		before = 1<<63 - 1
	}
	return queryAll(ctx, s.db, "the events of task "+task, func(rows *sql.Rows) (Event, error) {
		var e Event
		var at int64
		err := rows.Scan(&e.ID, &at, &e.Level, &e.Kind, &e.Message)
		e.At = fromMillis(at)
		return e, err
	}, "SELECT id, at, level, kind, message FROM events WHERE task = ? AND id < ? ORDER BY id DESC LIMIT ?", task, before, limit)
}

// LagSample is a task's replication lag at one moment.
type LagSample struct {
	At         time.Time `json:"at"`
	LagSeconds float64   `json:"lag_seconds"`
}

// addLag stores a lag sample and drops the task's samples older than keep.
func (s *Store) addLag(ctx context.Context, task string, sample LagSample, keep time.Duration) error {
	if _, err := s.db.ExecContext(ctx, "INSERT OR REPLACE INTO lag_samples (task, at, lag_seconds) VALUES (?, ?, ?)",
		task, millis(sample.At), sample.LagSeconds); err != nil {
		return fmt.Errorf("storing a lag sample of task %s: %w", task, err)
	}
	if _, err := s.db.ExecContext(ctx, "DELETE FROM lag_samples WHERE task = ? AND at < ?",
		task, millis(sample.At.Add(-keep))); err != nil {
		return fmt.Errorf("pruning the lag samples of task %s: %w", task, err)
	}
	return nil
}

// lag returns a task's lag samples taken since since, oldest first.
func (s *Store) lag(ctx context.Context, task string, since time.Time) ([]LagSample, error) {
	return queryAll(ctx, s.db, "the lag of task "+task, func(rows *sql.Rows) (LagSample, error) {
		var ls LagSample
		var at int64
		err := rows.Scan(&at, &ls.LagSeconds)
		ls.At = fromMillis(at)
		return ls, err
	}, "SELECT at, lag_seconds FROM lag_samples WHERE task = ? AND at >= ? ORDER BY at", task, millis(since))
}

// Verification is a task's last verification: running, or its outcome.
type Verification struct {
	State      string         `json:"state"` // running, done, failed or cancelled
	Repair     bool           `json:"repair"`
	StartedAt  time.Time      `json:"started_at"`
	FinishedAt *time.Time     `json:"finished_at,omitempty"`
	Report     *verify.Report `json:"report,omitempty"` // done: the tables compared
	Error      string         `json:"error,omitempty"`  // failed or cancelled: why
}

// Verification states.
const (
	verifyRunning   = "running"
	verifyDone      = "done"
	verifyFailed    = "failed"
	verifyCancelled = "cancelled"
)

// saveVerification stores a task's verification, replacing the last.
func (s *Store) saveVerification(ctx context.Context, task string, v *Verification) error {
	var report []byte
	if v.Report != nil {
		var err error
		if report, err = json.Marshal(v.Report); err != nil {
			return fmt.Errorf("encoding the verification report of task %s: %w", task, err)
		}
	}
	var finished time.Time
	if v.FinishedAt != nil {
		finished = *v.FinishedAt
	}
	if _, err := s.db.ExecContext(ctx, `INSERT OR REPLACE INTO verifications
		(task, state, repair, started_at, finished_at, report, error) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		task, v.State, v.Repair, millis(v.StartedAt), nullMillis(finished), nullText(report), v.Error); err != nil {
		return fmt.Errorf("storing the verification of task %s: %w", task, err)
	}
	return nil
}

// abandonVerifications marks the verifications that a server's end
// interrupted (killed: it could not store their outcome).
func (s *Store) abandonVerifications(ctx context.Context, at time.Time) error {
	if _, err := s.db.ExecContext(ctx, "UPDATE verifications SET state = ?, finished_at = ?, error = ? WHERE state = ?",
		verifyCancelled, millis(at), "stopped before it ended: the server stopped", verifyRunning); err != nil {
		return fmt.Errorf("marking interrupted verifications: %w", err)
	}
	return nil
}

// verification returns a task's last verification, or nil.
func (s *Store) verification(ctx context.Context, task string) (*Verification, error) {
	var v Verification
	var started int64
	var finished sql.NullInt64
	var report sql.NullString
	err := s.db.QueryRowContext(ctx, `SELECT state, repair, started_at, finished_at, report, error
		FROM verifications WHERE task = ?`, task).Scan(&v.State, &v.Repair, &started, &finished, &report, &v.Error)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading the verification of task %s: %w", task, err)
	}
	v.StartedAt = fromMillis(started)
	if finished.Valid {
		t := fromMillis(finished.Int64)
		v.FinishedAt = &t
	}
	if report.Valid {
		v.Report = &verify.Report{}
		if err := json.Unmarshal([]byte(report.String), v.Report); err != nil {
			return nil, fmt.Errorf("decoding the verification report of task %s: %w", task, err)
		}
	}
	return &v, nil
}
