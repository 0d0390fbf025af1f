// Package pipeline runs one task end to end: precheck, schema sync, the
// parallel full load with per-chunk resume, and the post-load steps (indexes,
// identity sequences, foreign keys). It owns the order of the phases and the
// goroutines of the load; source and sink do the I/O.
package pipeline
