// Command rowcompare is the reference of bench/verify.sh: it fetches every
// row of each selected table from both servers, in key order, and compares
// them in the client — the way to check a copy without checksums computed
// in the databases. Each MySQL value goes through sluice's converter and is
// encoded as PostgreSQL's binary form, which must equal the bytes the
// target sends (jsonb: equal as decoded JSON). Tables run in parallel, one
// stream per side each. Integer keys only (the benchmark's tables).
//
//	go run ./bench/rowcompare --source mysql://… --target postgres://… --include 'sbtest.*'
package main
