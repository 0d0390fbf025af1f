package testdb

import "os"

// Environment variables read by this package, and the harness's defaults.
const (
	EnvMySQL = "SLUICE_TEST_MYSQL"
	EnvPG    = "SLUICE_TEST_PG"
	EnvKeep  = "SLUICE_KEEP_TEST_DBS"

	DefaultMySQLURL = "mysql://root@127.0.0.1:33061"
	DefaultPGURL    = "postgres://postgres@127.0.0.1:54321/postgres?sslmode=disable"
)

// MySQLURL returns the URL of the MariaDB server under test:
// $SLUICE_TEST_MYSQL, else [DefaultMySQLURL].
func MySQLURL() string { return envOr(EnvMySQL, DefaultMySQLURL) }

// PGURL returns the URL of the PostgreSQL server under test, naming its
// maintenance database: $SLUICE_TEST_PG, else [DefaultPGURL].
func PGURL() string { return envOr(EnvPG, DefaultPGURL) }

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// keep reports whether test databases are to outlive their tests.
func keep() bool { return os.Getenv(EnvKeep) == "1" }

// startHint ends every "cannot reach the server" failure.
const startHint = "is the test harness running? run scripts/dbs.sh start"
