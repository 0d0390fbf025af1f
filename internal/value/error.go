package value

import (
	"fmt"
	"reflect"
)

// Error is a value (or a column definition) that cannot be converted. Reason
// says what is wrong and what to do about it; it never holds the value itself,
// only positions, lengths and Go types, because row values must not reach
// logs.
type Error struct {
	Column string // source column name
	Reason string
}

func (e *Error) Error() string {
	return "column " + e.Column + ": " + e.Reason
}

func (c *Converter) errorf(format string, args ...any) error {
	return &Error{Column: c.name, Reason: fmt.Sprintf(format, args...)}
}

// Remedies repeated by several messages.
const (
	snapshotContract = "the snapshot reader must scan go-sql-driver/mysql binary-protocol rows (prepared statement, parseTime=false) into *any"
	binlogContract   = "the binlog reader must decode with go-mysql ParseTime=false, UseDecimal=false, TimestampStringLocation=time.UTC"
)

// typeName names v's Go type for a message without formatting v.
func typeName(v any) string {
	if v == nil {
		return "nil"
	}
	return reflect.TypeOf(v).String()
}

// unexpected reports an input whose Go type this column's path never produces.
func (c *Converter) unexpected(p path, v any, want string) error {
	contract := snapshotContract
	if p == binlogPath {
		contract = binlogContract
	}
	return c.errorf("%s value has Go type %s, expected %s for a %s column; %s",
		p, typeName(v), want, c.typ, contract)
}

// path tells which decoder produced an input, for messages and for the few
// kinds whose two forms differ.
type path uint8

const (
	snapshotPath path = iota
	binlogPath
)

func (p path) String() string {
	if p == binlogPath {
		return "binlog"
	}
	return "snapshot"
}
