// Package sink writes to PostgreSQL: connection and capability detection,
// sluice's own state schema (task, table and chunk progress, the snapshot
// position, the binlog checkpoint), DDL application, the COPY loader that
// commits each chunk's rows together with its progress mark, and the
// applier that commits groups of whole source transactions together with
// their checkpoint. It never imports source.
package sink
