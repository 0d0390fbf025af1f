// Package source reads MySQL and MariaDB: the catalog (tables, columns, keys,
// indexes, foreign keys) from information_schema, the consistent snapshot
// (reader connections that open their read views together under a brief
// global read lock, with the binlog position read under it), primary-key
// range planning, and the streaming chunk reader. It never imports sink.
package source
