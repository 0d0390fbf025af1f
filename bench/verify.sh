#!/usr/bin/env bash
# bench/verify.sh — throughput of sluice verify against the reference way of
# checking a copy, fetching both sides row by row (bench/rowcompare), on the
# full-load benchmark's dataset and sluice's copy of it. Run it with
# `make bench-verify`, which starts the servers and builds bin/sluice first.
# See bench/README.md.
#
#   bench/verify.sh
#
# 1. The dataset and its copy: bench/run.sh's sbtest and widedb on MariaDB,
#    copied by sluice into the PostgreSQL database bench_sluice. When that
#    database is missing or incomplete, bench/run.sh makes it
#    (BENCH_TOOLS=sluice BENCH_KEEP=1).
# 2. Timed, one after the other, each after a CHECKPOINT:
#      verify       bin/sluice verify (checksums per key range in both
#                   databases, rows only where they differ)
#      rowcompare   every row of both sides fetched in key order and
#                   compared in the client (go build ./bench/rowcompare)
#      damaged      BENCH_DAMAGE rows of sbtest.sbtest1 changed in the
#                   target, then bin/sluice verify (must report exactly
#                   them) and bin/sluice verify --repair (must fix them)
# 3. The results, printed and written to bench/out/verify-<stamp>.md; logs
#    in bench/out/<stamp>/.
#
# Environment [default]:
#   BENCH_PARALLEL   --parallel of both tools        [4]
#   BENCH_DAMAGE     rows damaged in the third step  [100]
#   SLUICE_MYSQL_PORT, SLUICE_PG_PORT                [33061, 54321]
set -euo pipefail
SELF="$(realpath "$0")"
cd "$(dirname "$SELF")/.."

usage() { sed -n '2,/^set -euo/p' "$SELF" | sed '$d; s/^# \{0,1\}//'; }
case "${1:-}" in
  -h | --help) usage; exit 0 ;;
  "") ;;
  *) echo "usage: $0   (--help explains)" >&2; exit 2 ;;
esac

PARALLEL="${BENCH_PARALLEL:-4}"
DAMAGE="${BENCH_DAMAGE:-100}"
MYSQL_PORT="${SLUICE_MYSQL_PORT:-33061}"
PG_PORT="${SLUICE_PG_PORT:-54321}"
STAMP="$(date +%Y-%m-%d-%H%M%S)"
OUT=bench/out
LOGS="$OUT/$STAMP"
RESULTS="$OUT/verify-$STAMP.md"
log() { printf '== %s\n' "$*" >&2; }
die() { printf 'bench-verify: error: %s\n' "$*" >&2; exit 1; }
# shellcheck source=bench/lib.sh
source bench/lib.sh
calc() { awk "BEGIN { printf \"%s\", $1 }"; }
for v in PARALLEL DAMAGE; do
  [[ "${!v}" =~ ^[1-9][0-9]*$ ]] || die "BENCH_$v must be a positive integer, not '${!v}'"
done
mkdir -p "$LOGS"
[[ -x bin/sluice ]] || die "bin/sluice is missing; run make build (make bench-verify does)"
[[ -x /usr/bin/time ]] || apt_install time

SRC="mysql://root@127.0.0.1:$MYSQL_PORT"
DST="postgres://postgres@127.0.0.1:$PG_PORT/bench_sluice?sslmode=disable"
SEL=(--include 'sbtest.*' --include 'widedb.*')

# copy_ok: bench_sluice holds as many rows as the source's sbtest and widedb.
copy_ok() {
  local want have
  want="$(my -N -e "SELECT SUM(TABLE_ROWS) > 0 FROM information_schema.TABLES WHERE TABLE_SCHEMA IN ('sbtest', 'widedb')")"
  [[ "$want" == 1 ]] || return 1
  want="$(my -N -e "SELECT (SELECT COUNT(*) FROM sbtest.sbtest1) + (SELECT COUNT(*) FROM widedb.wide)")"
  have="$(pg -d bench_sluice -At -c "SELECT (SELECT count(*) FROM sbtest.sbtest1) + (SELECT count(*) FROM widedb.wide)" 2>/dev/null)" || return 1
  [[ "$want" == "$have" ]] && pg -d bench_sluice -At -c "SELECT 1 FROM sluice.task WHERE full_done_at IS NOT NULL" 2>/dev/null | grep -q 1
}
if ! copy_ok; then
  log "no complete copy in bench_sluice: making one with bench/run.sh"
  BENCH_TOOLS=sluice BENCH_KEEP=1 bench/run.sh >&2
  copy_ok || die "bench/run.sh did not leave a complete copy in bench_sluice"
fi
TOTAL="$(my -N -e "SELECT (SELECT COUNT(*) FROM sbtest.sbtest1) * (SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'sbtest') + (SELECT COUNT(*) FROM widedb.wide)")"
log "building bench/rowcompare"
go build -o "$LOGS/rowcompare" ./bench/rowcompare

declare -A WALL=() RSS=() CPU=() RC=() OUTL=() NET=()
# lo_bytes: bytes received on the loopback interface so far (every byte
# between the tool and the servers crosses it once).
lo_bytes() { awk -F'[: ]+' '$2 == "lo" { print $3 }' /proc/net/dev; }
# timed NAME CMD...: runs CMD after settle, under /usr/bin/time.
timed() {
  local name="$1" t0 rc=0
  shift
  settle "$name"
  log "$name: $*"
  local b0
  b0="$(lo_bytes)"
  t0="$(now)"
  /usr/bin/time -v -o "$LOGS/$name.time" "$@" >"$LOGS/$name.out" 2>"$LOGS/$name.log" || rc=$?
  WALL[$name]="$(calc "$(now) - $t0")"
  NET[$name]="$(calc "($(lo_bytes) - $b0) / 1048576")"
  RC[$name]="$rc"
  RSS[$name]="$(rss_mib "$LOGS/$name.time")"
  CPU[$name]="$(cpu_s "$LOGS/$name.time")"
  OUTL[$name]="$(tail -n 1 "$LOGS/$name.out")"
  log "$name: ${WALL[$name]} s, exit $rc: ${OUTL[$name]}"
}

timed verify bin/sluice verify --source "$SRC" --target "$DST" "${SEL[@]}" --parallel "$PARALLEL"
timed rowcompare "$LOGS/rowcompare" --source "$SRC" --target "$DST" "${SEL[@]}" --parallel "$PARALLEL"

log "damaging $DAMAGE rows of sbtest.sbtest1 in the target"
STEP=$(($(my -N -e "SELECT COUNT(*) FROM sbtest.sbtest1") / DAMAGE))
pg -d bench_sluice -c "UPDATE sbtest.sbtest1 SET c = 'damaged' WHERE id % $STEP = 0 AND id <= $((STEP * DAMAGE))"
timed damaged bin/sluice verify --source "$SRC" --target "$DST" "${SEL[@]}" --parallel "$PARALLEL" --output json
FOUND="$(grep -o '"changed": [0-9]*' "$LOGS/damaged.out" | awk '{ s += $2 } END { print s + 0 }')"
OUTL[damaged]="$FOUND changed rows reported"
timed repair bin/sluice verify --source "$SRC" --target "$DST" "${SEL[@]}" --parallel "$PARALLEL" --repair
timed after bin/sluice verify --source "$SRC" --target "$DST" "${SEL[@]}" --parallel "$PARALLEL"

FAIL=0
[[ "${RC[verify]}" == 0 ]] || { log "verify of the copy failed (exit ${RC[verify]})"; FAIL=1; }
[[ "${RC[rowcompare]}" == 0 ]] || { log "rowcompare of the copy failed (exit ${RC[rowcompare]})"; FAIL=1; }
[[ "${RC[damaged]}" == 1 && "$FOUND" == "$DAMAGE" ]] || { log "damaged: exit ${RC[damaged]}, $FOUND changed rows found, want 1 and $DAMAGE"; FAIL=1; }
[[ "${RC[repair]}" == 0 && "${RC[after]}" == 0 ]] || { log "repair: exit ${RC[repair]}, verify after: exit ${RC[after]}"; FAIL=1; }

{
  echo "# sluice verify benchmark, $(date '+%Y-%m-%d %H:%M %Z')"
  echo
  echo "- dataset: bench/run.sh's sbtest + widedb, $TOTAL rows, and sluice's copy in bench_sluice"
  echo "- machine: $(nproc) cores; MariaDB $(my -N -e 'SELECT VERSION()'); PostgreSQL $(pg -d postgres -At -c 'SHOW server_version' | cut -d' ' -f1); --parallel $PARALLEL"
  echo "- sluice $(git rev-parse --short HEAD 2>/dev/null)$(git diff --quiet HEAD -- 2>/dev/null || echo ' (work tree with changes)')"
  echo
  echo "| step | wall s | rows/s | network MiB | peak RSS MiB | client CPU s | exit | outcome |"
  echo "|---|---:|---:|---:|---:|---:|---:|---|"
  for s in verify rowcompare damaged repair after; do
    case "$s" in
      verify) label="sluice verify (equal copy)" ;;
      rowcompare) label="rowcompare: both sides fetched row by row" ;;
      damaged) label="sluice verify, $DAMAGE rows damaged" ;;
      repair) label="sluice verify --repair" ;;
      after) label="sluice verify after the repair" ;;
    esac
    printf '| %s | %.1f | %.0f | %.0f | %s | %s | %s | %s |\n' "$label" "${WALL[$s]}" "$(calc "$TOTAL / ${WALL[$s]}")" \
      "${NET[$s]}" "${RSS[$s]}" "${CPU[$s]}" "${RC[$s]}" "${OUTL[$s]//|/\\|}"
  done
  echo
  printf -- '- sluice verify / rowcompare, wall time (below 1: verify is faster): **%.2f**\n' "$(calc "${WALL[verify]} / ${WALL[rowcompare]}")"
  printf -- '- sluice verify / rowcompare, bytes between client and servers: **%.3f**\n' "$(calc "${NET[verify]} / ${NET[rowcompare]}")"
  printf -- '- sluice verify / rowcompare, client CPU: **%.2f**\n' "$(calc "${CPU[verify]} / ${CPU[rowcompare]}")"
  echo "- damaged rows reported: $FOUND of $DAMAGE"
} | tee "$RESULTS"
log "results: $RESULTS"
exit "$FAIL"
