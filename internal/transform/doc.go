// Package transform holds the per-column transforms and added columns of a
// task file (tables: db.table: transforms / add_columns): a small language
// parsed once, applied to each value after its conversion for PostgreSQL,
// the same way on the full-load path and the binlog path.
package transform
