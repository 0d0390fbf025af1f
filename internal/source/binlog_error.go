package source

import (
	"errors"
	"fmt"

	gomysql "github.com/go-mysql-org/go-mysql/mysql"

	"github.com/sluicedb/sluice/internal/change"
)

// StopError is a condition of the source or of its binlog that reading again
// from the same checkpoint cannot fix: a schema change on a selected table,
// statement-format or partial row images, a source whose binary log history
// no longer matches the checkpoint, a server_id clash. Reason says what
// happened, where, and what to do; Pos is the last transaction boundary
// before the problem (the checkpoint a fixed source would resume from).
type StopError struct {
	Reason string
	Pos    change.Position
}

func (e *StopError) Error() string {
	return fmt.Sprintf("binlog reader stopped (last transaction boundary %s): %s", e.Pos, e.Reason)
}

// PurgedError is a start position the source no longer has in its binary
// log: purged, expired, or reset. Only a new full load can recover.
type PurgedError struct {
	Pos change.Position
	Err error
}

func (e *PurgedError) Error() string {
	return fmt.Sprintf("binlog position %s: %v: the position is no longer in the source's binlog; "+
		"reload the task (run again with a new --name or after dropping the target tables)", e.Pos, e.Err)
}

func (e *PurgedError) Unwrap() error { return e.Err }

// errMasterFatalReadingBinlog (ER_MASTER_FATAL_ERROR_READING_BINLOG) is how
// both servers refuse a dump position: purged or missing file, GTID no
// longer (or never) in the binlog, offset past the end of the file.
const errMasterFatalReadingBinlog = 1236

// dumpError classifies an error of the binlog dump connection. A refused
// start position (1236 before any transaction arrived) is a *PurgedError;
// everything else (connection loss, EOF, read timeout, a 1236 later on) is
// returned wrapped, for the caller to retry from its checkpoint.
func dumpError(err error, started bool, pos change.Position, addr string) error {
	var me *gomysql.MyError
	if errors.As(err, &me) && me.Code == errMasterFatalReadingBinlog && !started {
		return &PurgedError{Pos: pos, Err: err}
	}
	return fmt.Errorf("reading the binlog of %s after %s: %w", addr, pos, err)
}
