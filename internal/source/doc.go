// Package source reads MySQL and MariaDB: the catalog (tables, columns, keys,
// indexes, foreign keys) from information_schema, the consistent snapshot
// (reader connections that open their read views together under a brief
// global read lock, with the binlog position read under it), primary-key
// range planning, the streaming chunk reader, and the binlog reader, which
// turns the replication stream into source transactions of the selected
// tables (change.Event) and stops on what it cannot replicate. It never
// imports sink.
package source
