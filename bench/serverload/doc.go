// Command serverload is the load benchmark of sluice server (make
// bench-server): it starts a server, gives it --tasks tasks, each syncing a
// small MariaDB database of its own into a PostgreSQL database of its own
// while a writer changes the source, and meanwhile calls the API at --rate
// requests per second (open loop: a request is sent on time whatever the
// earlier ones took). It reports the API's latency percentiles, per route
// and overall, the time until every task reached its incremental phase, and
// whether every target converged to its source once the writers stopped
// (row count, sum of keys and of a changed counter), into --out.
//
//	eval "$(scripts/dbs.sh env)"
//	go run ./bench/serverload --sluice bin/sluice --tasks 20 --rate 50 --duration 30s
package main
