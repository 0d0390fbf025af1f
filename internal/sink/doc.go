// Package sink writes to PostgreSQL: connection and capability detection,
// sluice's own state schema (task, table and chunk progress, the snapshot
// position), DDL application, and the COPY loader that commits each chunk's
// rows together with its progress marker. It never imports source.
package sink
