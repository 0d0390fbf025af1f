// Package task runs many sync tasks in one process (sluice server): their
// definitions and lifecycle, kept in an embedded SQLite store, and the
// manager that supervises each task's pipeline on a goroutine of its own.
//
// It owns the state machine (created, prechecking, running, paused,
// stopped, failed), the store's schema and migrations, the history the API
// shows (events, lag samples, verification reports) and the rule that a
// task's passwords are stored but never shown: Status, events and errors
// carry the spec with its passwords removed and messages scrubbed of them.
package task
