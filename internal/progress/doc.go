// Package progress shows what a running task is doing: per-table progress
// bars with rows/s and ETA on a terminal, periodic plain lines otherwise,
// and the final summary. Counters are updated lock-free by the loaders.
package progress
