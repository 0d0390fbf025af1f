// Package verify compares a source table with its copy in PostgreSQL, key
// range by key range, and repairs the rows that differ.
//
// Each value is rendered by both servers to the same canonical text (see
// render.go): a checksum per key range — row count and the sum of 60 bits
// of each row's MD5 — is computed inside each database, and only ranges
// whose checksums differ are fetched row by row to name the keys that are
// missing, extra or changed, and which columns. FLOAT, DOUBLE, JSON and
// INET6 values have no text both servers print alike; they are fetched and
// compared here (IEEE bits, semantic JSON, canonical address).
//
// While a sync task runs, a difference is reported only if it is still
// there once the target's checkpoint has passed the source position at which
// it was seen. Repair rewrites the differing rows from the source under the
// task's apply lock and moves the task's idempotent window past the source
// position it read, so the running apply converges on top of it.
package verify
