// Package value converts one MySQL/MariaDB column value into the Go value that
// pgx v5 encodes, in binary format, for the column's PostgreSQL type (the type
// map is §4 of the spec).
//
// It owns the two decoders' input forms and nothing else: a Converter is built
// once per source column (New) and is then called per row, either with a value
// read by the full load (Snapshot: go-sql-driver/mysql, binary protocol,
// scanned into *any, parseTime=false, utf8mb4, time_zone '+00:00') or with a
// value decoded from a binlog row image (Binlog: go-mysql replication with
// ParseTime=false, UseDecimal=false, TimestampStringLocation=time.UTC).
//
// Invariant: for the same logical value both methods return identical output,
// so a row copied by the full load and the same row written later from the
// binlog land byte-identical in PostgreSQL. Every type's tests assert it.
//
// What a converter may change is decided by Policy (zero dates in NOT NULL
// columns, NUL bytes and invalid UTF-8 in text) and reported per value as Fix
// flags; anything it cannot represent exactly is an *Error naming the column
// and the remedy, never a silent loss. The package does no I/O and keeps no
// state between values.
package value
