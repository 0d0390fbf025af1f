// Command sluice keeps a PostgreSQL database in sync with a MySQL or
// MariaDB database: run (schema, full load, binlog), check (prechecks),
// verify (and repair), server (many tasks behind a REST API) and version.
// This package only turns flags and task files into a task and hands it to
// internal/pipeline (or internal/task for the server).
package main
