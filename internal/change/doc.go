// Package change owns the values that flow from the source reader to the
// sink: binlog positions now, row changes and source transactions with the
// incremental phase. Pure, no I/O.
package change
