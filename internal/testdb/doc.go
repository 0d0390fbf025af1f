// Package testdb gives integration tests their own databases on the real
// MariaDB and PostgreSQL servers that scripts/dbs.sh runs on private ports.
//
// It owns the test-side view of that harness: where the servers are, how a
// test gets a fresh, uniquely named database on each, and how that database
// is dropped when the test ends. It knows nothing of sluice itself.
//
// # Servers
//
// The servers are read from the environment, with the harness's defaults:
//
//	SLUICE_TEST_MYSQL  mysql://root@127.0.0.1:33061
//	SLUICE_TEST_PG     postgres://postgres@127.0.0.1:54321/postgres?sslmode=disable
//
// `scripts/dbs.sh env` prints both for non-default ports. When a server
// cannot be reached the test fails (never skips) with the URL, the error and
// the command that starts the harness: scripts/dbs.sh start.
//
// # Databases
//
// [MySQL] creates a source database and [Postgres] a target database (with
// PostGIS installed) for one test. Both are named from the test's name plus
// a random suffix, so parallel tests and parallel packages never collide,
// and both are dropped in t.Cleanup, connections forced out first. Set
// SLUICE_KEEP_TEST_DBS=1 to keep them for inspection; the test log names
// them.
//
//	func TestCopy(t *testing.T) {
//		src := testdb.MySQL(t)
//		dst := testdb.Postgres(t)
//		src.Exec(t, "CREATE TABLE t (id INT PRIMARY KEY, v TEXT)",
//			"INSERT INTO t VALUES (1, 'a')")
//		// run sluice from src.URL (with --include src.Name) into dst.URL
//		got := dst.QueryRows(t, "SELECT id, v FROM t ORDER BY id")
//		...
//	}
//
// [MySQLDB.URL] is the server's URL without a database, the form sluice's
// source takes (databases are chosen with --include); [MySQLDB.DB] is a
// database/sql handle on the test's database. [PGDB.URL] names the test's
// database; [PGDB.Pool] is a pgx pool on it.
//
// Exec, QueryRows and QueryValue on both fail the test on error, so test
// bodies read as the SQL they run. They use t.Context(): call them from the
// test, not from its Cleanup functions.
package testdb
