package task

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"time"

	_ "modernc.org/sqlite" // the "sqlite" database/sql driver, pure Go
)

// StoreFile is the store's file in the data directory.
const StoreFile = "sluice.db"

// migrations build the store's schema, one step per entry; PRAGMA
// user_version counts the steps applied. Append, never edit.
var migrations = []string{
	// 1: tasks, their events, lag samples and verification reports.
	`CREATE TABLE tasks (
		name          TEXT PRIMARY KEY,
		spec          TEXT NOT NULL,    -- the JSON body, passwords included
		desired_state TEXT NOT NULL,    -- what the user asked for: created, running, paused or stopped
		state         TEXT NOT NULL,    -- where the task is
		phase         TEXT NOT NULL DEFAULT '',
		last_error    TEXT NOT NULL DEFAULT '',
		precheck      TEXT,             -- the last precheck report, JSON
		created_at    INTEGER NOT NULL, -- Unix milliseconds
		updated_at    INTEGER NOT NULL,
		started_at    INTEGER           -- the last start or resume
	);
	CREATE TABLE events (
		id      INTEGER PRIMARY KEY AUTOINCREMENT,
		task    TEXT NOT NULL REFERENCES tasks (name) ON DELETE CASCADE,
		at      INTEGER NOT NULL,
		level   TEXT NOT NULL,
		kind    TEXT NOT NULL,
		message TEXT NOT NULL
	);
	CREATE INDEX events_task ON events (task, id);
	CREATE TABLE lag_samples (
		task        TEXT NOT NULL REFERENCES tasks (name) ON DELETE CASCADE,
		at          INTEGER NOT NULL,
		lag_seconds REAL NOT NULL,
		PRIMARY KEY (task, at)
	) WITHOUT ROWID;
	CREATE TABLE verifications (
		task        TEXT PRIMARY KEY REFERENCES tasks (name) ON DELETE CASCADE,
		state       TEXT NOT NULL,
		repair      INTEGER NOT NULL,
		started_at  INTEGER NOT NULL,
		finished_at INTEGER,
		report      TEXT,               -- verify.Report, JSON
		error       TEXT NOT NULL DEFAULT ''
	);`,
}

// Store keeps tasks and their history in SQLite. Its file holds the
// passwords of the tasks: it is created readable by its owner only, in a
// directory only the owner may enter (SQLite gives its -wal and -shm files
// the database file's mode).
type Store struct {
	db *sql.DB
}

// OpenStore opens (creating it and dir when missing) the store in dir and
// brings its schema up to date.
func OpenStore(ctx context.Context, dir string) (*Store, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("creating the data directory: %w", err)
	}
	path := filepath.Join(dir, StoreFile)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("opening the store %s: %w", path, err)
	}
	f.Close()
	if err := os.Chmod(path, 0o600); err != nil {
		return nil, fmt.Errorf("making the store %s private: %w", path, err)
	}
	db, err := sql.Open("sqlite", "file:"+path+
		"?_pragma=busy_timeout(5000)&_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)")
	if err != nil {
		return nil, fmt.Errorf("opening the store %s: %w", path, err)
	}
	// One connection: writes are serialized anyway, and reads are short.
	db.SetMaxOpenConns(1)
	s := &Store{db: db}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("migrating the store %s: %w", path, err)
	}
	return s, nil
}

// Close closes the store.
func (s *Store) Close() error { return s.db.Close() }

func (s *Store) migrate(ctx context.Context) error {
	var version int
	if err := s.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return err
	}
	if version > len(migrations) {
		return fmt.Errorf("the store is at version %d, newer than this sluice knows (%d); use a newer sluice", version, len(migrations))
	}
	for v := version; v < len(migrations); v++ {
		tx, err := s.db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, migrations[v]); err != nil {
			tx.Rollback()
			return fmt.Errorf("step %d: %w", v+1, err)
		}
		// PRAGMA takes no parameters; v+1 is a number.
		if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", v+1)); err != nil {
			tx.Rollback()
			return fmt.Errorf("step %d: %w", v+1, err)
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("step %d: %w", v+1, err)
		}
	}
	return nil
}

// record is a task's row.
type record struct {
	Name      string
	Spec      []byte
	Desired   State
	State     State
	Phase     string
	LastError string
	Precheck  []byte // nil: none yet
	CreatedAt time.Time
	UpdatedAt time.Time
	StartedAt time.Time // zero: never
}

// insert adds a new task.
func (s *Store) insert(ctx context.Context, r *record) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO tasks
		(name, spec, desired_state, state, phase, last_error, precheck, created_at, updated_at, started_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.Name, string(r.Spec), r.Desired, r.State, r.Phase, r.LastError, nullText(r.Precheck),
		millis(r.CreatedAt), millis(r.UpdatedAt), nullMillis(r.StartedAt))
	if err != nil {
		return fmt.Errorf("storing task %s: %w", r.Name, err)
	}
	return nil
}

// update writes a task's spec, state, error, precheck report and times.
func (s *Store) update(ctx context.Context, r *record) error {
	_, err := s.db.ExecContext(ctx, `UPDATE tasks SET spec = ?, desired_state = ?, state = ?, phase = ?, last_error = ?,
		precheck = ?, updated_at = ?, started_at = ? WHERE name = ?`,
		string(r.Spec), r.Desired, r.State, r.Phase, r.LastError, nullText(r.Precheck), millis(r.UpdatedAt), nullMillis(r.StartedAt), r.Name)
	if err != nil {
		return fmt.Errorf("storing the state of task %s: %w", r.Name, err)
	}
	return nil
}

// remove deletes a task and its history.
func (s *Store) remove(ctx context.Context, name string) error {
	if _, err := s.db.ExecContext(ctx, "DELETE FROM tasks WHERE name = ?", name); err != nil {
		return fmt.Errorf("deleting task %s: %w", name, err)
	}
	return nil
}

// records returns every task, by name.
func (s *Store) records(ctx context.Context) ([]*record, error) {
	return queryAll(ctx, s.db, "the tasks", func(rows *sql.Rows) (*record, error) {
		var r record
		var spec string
		var precheck sql.NullString
		var created, updated int64
		var started sql.NullInt64
		if err := rows.Scan(&r.Name, &spec, &r.Desired, &r.State, &r.Phase, &r.LastError, &precheck,
			&created, &updated, &started); err != nil {
			return nil, err
		}
		r.Spec = []byte(spec)
		if precheck.Valid {
			r.Precheck = []byte(precheck.String)
		}
		r.CreatedAt, r.UpdatedAt = fromMillis(created), fromMillis(updated)
		if started.Valid {
			r.StartedAt = fromMillis(started.Int64)
		}
		return &r, nil
	}, `SELECT name, spec, desired_state, state, phase, last_error, precheck, created_at, updated_at, started_at
		FROM tasks ORDER BY name`)
}

// queryAll runs a query and returns its rows, each read by scan; what
// names them in errors. No row is an empty, non-nil slice.
func queryAll[T any](ctx context.Context, db *sql.DB, what string, scan func(*sql.Rows) (T, error), query string, args ...any) ([]T, error) {
	rows, err := db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", what, err)
	}
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", what, err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading %s: %w", what, err)
	}
	return out, nil
}

// Times are stored as Unix milliseconds.
func millis(t time.Time) int64 { return t.UnixMilli() }

func fromMillis(ms int64) time.Time { return time.UnixMilli(ms).UTC() }

func nullMillis(t time.Time) sql.NullInt64 {
	return sql.NullInt64{Int64: t.UnixMilli(), Valid: !t.IsZero()}
}

func nullText(b []byte) sql.NullString { return sql.NullString{String: string(b), Valid: b != nil} }
