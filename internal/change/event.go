package change

import (
	"time"

	"github.com/sluicedb/sluice/internal/schema"
)

// Kind is what an Event carries.
type Kind uint8

// Event kinds, in the order a source transaction produces them:
// Begin, then Rows events, then Commit or Rollback.
const (
	Begin    Kind = iota + 1 // a source transaction starts
	Rows                     // row changes of one table inside the open transaction
	Commit                   // the open transaction committed; Pos is the position after it
	Rollback                 // the open transaction rolled back: discard what it applied
	// Progress is a position reached outside any transaction (a heartbeat,
	// a rotation, a transaction on unselected tables): the checkpoint may
	// advance to Pos without applying anything.
	Progress
)

func (k Kind) String() string {
	switch k {
	case Begin:
		return "begin"
	case Rows:
		return "rows"
	case Commit:
		return "commit"
	case Rollback:
		return "rollback"
	case Progress:
		return "progress"
	}
	return "unknown"
}

// Op is the kind of a row change.
type Op uint8

// Row change operations.
const (
	Insert Op = iota + 1
	Update
	Delete
)

func (o Op) String() string {
	switch o {
	case Insert:
		return "insert"
	case Update:
		return "update"
	case Delete:
		return "delete"
	}
	return "unknown"
}

// Event is one item of the ordered stream the binlog reader produces.
//
// Invariant: the stream is in source commit order; a Commit or Rollback
// always closes the transaction opened by the preceding Begin, and row events
// only appear between them.
type Event struct {
	Kind Kind
	// Table is the selected source table of a Rows event.
	Table *schema.Table
	Op    Op
	// Images holds the row images of a Rows event, each a full row in the
	// table's column order, values as go-mysql decoded them (convert them with
	// value.Converter.Binlog). Insert: the new rows. Delete: the old rows.
	// Update: before and after images alternating: before0, after0, before1, ...
	Images [][]any
	// Pos is the position after the event: for Commit, Rollback and
	// Progress, where a restart resumes. A Begin carries only the GTID state
	// including its own transaction (MariaDB; empty otherwise), to tell
	// whether a snapshot already holds the transaction.
	Pos Position
	// Time is the source commit timestamp (event header, seconds).
	Time time.Time
}
