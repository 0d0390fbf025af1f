// Package schema owns the model of a source table (columns, keys, indexes,
// foreign keys), the MySQL/MariaDB → PostgreSQL type map, and the pure
// builders that render PostgreSQL DDL text. It does no I/O.
package schema
