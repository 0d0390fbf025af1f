// Package precheck owns the checks run before a task starts: each has a
// stable id, a severity (an error blocks the start; a warning blocks it until
// acknowledged with --ack ID), a message naming the object, and an
// instruction saying exactly what to do about it.
package precheck
