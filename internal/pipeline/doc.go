// Package pipeline runs one task end to end: precheck, schema sync, the
// parallel full load with per-chunk resume, the post-load steps (indexes,
// identity sequences, foreign keys), and the incremental phase (binlog
// events converted and applied in commit order, with retries). It owns the
// order of the phases and their goroutines; source and sink do the I/O.
package pipeline
