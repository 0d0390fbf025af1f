#!/usr/bin/env bash
# bench/cdc.sh — incremental (binlog) benchmark of sluice on the harness
# servers (scripts/dbs.sh): how fast it applies a backlog, next to what
# PostgreSQL itself can apply, and how far it lags behind a steady write
# load. Run it with `make bench-cdc`, which starts the servers and builds
# bin/sluice first. See bench/README.md.
#
#   bench/cdc.sh
#
# 1. Source: database cdcbench on MariaDB, rebuilt on every run:
#    CDC_TABLES sysbench oltp tables of CDC_ROWS rows (sysbench prepare,
#    outside the binlog) and the heartbeat table hb (id, ts DATETIME(6)).
#    Target: PostgreSQL database bench_cdc. sluice syncs it once with
#    --stop-when-caught-up (full load, then caught up), then runs
#    CDC_EMPTY_RUNS more times with nothing to apply: its fixed startup.
# 2. Catch-up: with sluice stopped, sysbench oltp_write_only writes a backlog
#    of at least CDC_CHANGES row changes; then `sluice run
#    --stop-when-caught-up` applies it, timed. The backlog's row images are
#    read back from the binlog (mariadb-binlog --verbose) and replayed into
#    two copies of the pre-backlog target, as PostgreSQL's own ceiling:
#    (1) single-row statements through psql, CDC_TXN_STATEMENTS per
#    transaction; (2) COPY into staging tables and one merge per table per
#    batch of CDC_MERGE_BATCH changes. All three targets must then equal the
#    source, table by table.
# 3. Steady state: sluice runs in the background with --metrics-listen; a
#    heartbeat row is updated on MariaDB every CDC_HB_INTERVAL s; PostgreSQL
#    is polled every CDC_POLL_INTERVAL s for the synced row's age, and the
#    metrics endpoint for sluice_cdc_lag_seconds and the change counter:
#    CDC_IDLE_SECONDS idle, then sysbench oltp_write_only with
#    CDC_STEADY_THREADS threads for CDC_STEADY_SECONDS, then until the last
#    heartbeat arrives. Then sluice is stopped (SIGINT) and every table
#    compared with the source (row count and checksum of an ordered dump).
# 4. The results, printed and written to bench/out/cdc-results-<stamp>.md;
#    logs and samples go to bench/out/cdc-<stamp>/.
#
# Environment [default]:
#   CDC_TABLES          sysbench tables                           [4]
#   CDC_ROWS            rows per table                            [100000]
#   CDC_CHANGES         backlog row changes, at least             [1000000]
#   CDC_WRITE_THREADS   sysbench threads writing the backlog      [4]
#   CDC_TXN_STATEMENTS  reference (1): statements per transaction [1000]
#   CDC_MERGE_BATCH     reference (2): row changes per batch      [10000]
#   CDC_REFS            references to run (sql, merge; may be "") [sql,merge]
#   CDC_EMPTY_RUNS      timed sluice runs with nothing to apply   [2]
#   CDC_STEPS           catchup and/or steady                     [catchup,steady]
#   CDC_STEADY_SECONDS  steady state: sysbench run time           [60]
#   CDC_STEADY_THREADS  steady state: sysbench threads            [4]
#   CDC_IDLE_SECONDS    steady state: idle lag sampling first     [10]
#   CDC_HB_INTERVAL     heartbeat update interval, seconds        [0.1]
#   CDC_POLL_INTERVAL   mean lag poll interval (jittered), s      [0.1]
#   CDC_KEEPUP_SECONDS  "kept up" when drained within this        [5]
#   CDC_DRAIN_TIMEOUT   seconds to wait for the last heartbeat    [300]
#   CDC_TIMEOUT         seconds before a sluice run is killed     [1800]
#   CDC_KEEP=1          keep the databases and replay scripts     [0: dropped after a good run]
#   SLUICE_MYSQL_PORT   harness MariaDB port                      [33061]
#   SLUICE_PG_PORT      harness PostgreSQL port                   [54321]
set -euo pipefail
SELF="$(realpath "$0")"
cd "$(dirname "$SELF")/.."

usage() { sed -n '2,/^set -euo/p' "$SELF" | sed '$d; s/^# \{0,1\}//'; }

for arg in "$@"; do
  case "$arg" in
    -h | --help) usage; exit 0 ;;
    *) echo "usage: $0   (--help explains)" >&2; exit 2 ;;
  esac
done

TABLES="${CDC_TABLES:-4}"
ROWS="${CDC_ROWS:-100000}"
CHANGES="${CDC_CHANGES:-1000000}"
WRITE_THREADS="${CDC_WRITE_THREADS:-4}"
TXN_STATEMENTS="${CDC_TXN_STATEMENTS:-1000}"
MERGE_BATCH="${CDC_MERGE_BATCH:-10000}"
REFS=",${CDC_REFS-sql,merge},"
EMPTY_RUNS="${CDC_EMPTY_RUNS:-2}"
STEPS=",${CDC_STEPS:-catchup,steady},"
STEADY_SECONDS="${CDC_STEADY_SECONDS:-60}"
STEADY_THREADS="${CDC_STEADY_THREADS:-4}"
IDLE_SECONDS="${CDC_IDLE_SECONDS:-10}"
HB_INTERVAL="${CDC_HB_INTERVAL:-0.1}"
POLL_INTERVAL="${CDC_POLL_INTERVAL:-0.1}"
KEEPUP_SECONDS="${CDC_KEEPUP_SECONDS:-5}"
DRAIN_TIMEOUT="${CDC_DRAIN_TIMEOUT:-300}"
TIMEOUT="${CDC_TIMEOUT:-1800}"
KEEP="${CDC_KEEP:-0}"
MYSQL_PORT="${SLUICE_MYSQL_PORT:-33061}"
PG_PORT="${SLUICE_PG_PORT:-54321}"

SRC_DB=cdcbench                     # MariaDB database (and target schema)
TARGET=bench_cdc                    # sluice's target database
REF_SQL=bench_cdc_sql               # reference (1)
REF_MERGE=bench_cdc_merge           # reference (2)
COLS=id,k,c,pad                     # sysbench's columns, the key first
# Row changes per oltp_write_only transaction with its default options: one
# index update, one non-index update, one delete and one insert. The backlog
# count is taken from the binlog, not from this.
PER_TXN=4

STAMP="$(date +%Y-%m-%d-%H%M%S)"
OUT=bench/out
LOGS="$OUT/cdc-$STAMP"
RESULTS="$OUT/cdc-results-$STAMP.md"

log() { printf '== %s\n' "$*" >&2; }
die() { printf 'bench-cdc: error: %s\n' "$*" >&2; exit 1; }
# shellcheck source=bench/lib.sh
source bench/lib.sh

for v in TABLES ROWS CHANGES WRITE_THREADS TXN_STATEMENTS MERGE_BATCH STEADY_SECONDS STEADY_THREADS \
  KEEPUP_SECONDS DRAIN_TIMEOUT TIMEOUT; do
  [[ "${!v}" =~ ^[1-9][0-9]*$ ]] || die "CDC_$v must be a positive integer, not '${!v}'"
done
for v in EMPTY_RUNS IDLE_SECONDS; do
  [[ "${!v}" =~ ^[0-9]+$ ]] || die "CDC_$v must be a non-negative integer, not '${!v}'"
done
for v in HB_INTERVAL POLL_INTERVAL; do
  [[ "${!v}" =~ ^[0-9]*\.?[0-9]+$ ]] || die "CDC_$v must be a number of seconds, not '${!v}'"
done
[[ "$STEPS" =~ ^(,(catchup|steady))+,$ ]] || die "CDC_STEPS must list catchup and/or steady"
[[ "$REFS" =~ ^,((sql|merge)(,(sql|merge))*)?,$ ]] || die "CDC_REFS must list sql and/or merge (or be empty)"
step() { [[ "$STEPS" == *",$1,"* ]]; }
ref() { [[ "$REFS" == *",$1,"* ]]; }

# calc EXPR: floating-point arithmetic, 6 decimals (epoch seconds need
# them all); holds COND: a floating-point comparison as an exit status.
calc() { awk "BEGIN { printf \"%.6f\", $1 }"; }
holds() { awk "BEGIN { exit !($1) }"; }

SLUICE_ARGS=(run --source "mysql://root@127.0.0.1:$MYSQL_PORT"
  --target "postgres://postgres@127.0.0.1:$PG_PORT/$TARGET?sslmode=disable" --include "$SRC_DB.*")
SB_ARGS=(--db-driver=mysql --mysql-host=127.0.0.1 --mysql-port="$MYSQL_PORT" --mysql-user=root
  --mysql-db="$SRC_DB" --tables="$TABLES" --table-size="$ROWS")

# ------------------------------------------------------ background processes ---

# On exit, every background job of this script still running (sluice, the
# samplers) is ended by its pid; jobs -p lists only live children.
cleanup() {
  local pid
  jobs -p >"$LOGS/.jobs" 2>/dev/null || return 0
  while read -r pid; do kill "$pid" 2>/dev/null || true; done <"$LOGS/.jobs"
  rm -f "$LOGS/.jobs"
}
trap cleanup EXIT

# feed NAME INTERVAL JITTER LINE CLIENT...: starts CLIENT reading statements
# from a fifo, and a loop writing LINE into it every INTERVAL seconds (one
# connection for the whole run); with JITTER=1 each pause is drawn
# uniformly from 0.5 to 1.5 intervals, so that a poll does not lock onto
# the heartbeat's phase and always catch it at the same age. The loop alone
# holds the fifo's write end, so stopping it (unfeed NAME) ends the client
# with EOF.
declare -A FEED_LOOP=() FEED_CLIENT=()
feed() {
  local name="$1" interval="$2" jitter="$3" line="$4" us
  shift 4
  us="$(awk -v s="$interval" 'BEGIN { printf "%d", s * 1000000 }')"
  rm -f "$LOGS/$name.fifo"
  mkfifo "$LOGS/$name.fifo"
  "$@" <"$LOGS/$name.fifo" >"$LOGS/$name.out" 2>"$LOGS/$name.err" &
  FEED_CLIENT["$name"]=$!
  (
    pause="$interval"
    while :; do
      printf '%s\n' "$line"
      if ((jitter)); then
        p=$((us / 2 + (RANDOM * 32768 + RANDOM) % (us + 1)))
        printf -v pause '%d.%06d' $((p / 1000000)) $((p % 1000000))
      fi
      sleep "$pause"
    done
  ) >"$LOGS/$name.fifo" &
  FEED_LOOP["$name"]=$!
}
unfeed() {
  kill "${FEED_LOOP[$1]}" 2>/dev/null || true
  wait "${FEED_LOOP[$1]}" 2>/dev/null || true
  wait "${FEED_CLIENT[$1]}" 2>/dev/null || true
  rm -f "$LOGS/$1.fifo"
}

# ------------------------------------------------------------ CPU accounting ---

# CPU seconds of the servers, for the time spent in each step: mariadbd's
# own, and the postmaster's plus every child's (exited backends are in the
# postmaster's cutime, live ones in their own utime). Other sessions' work
# on the shared servers is counted too. "-" when the pids are unknown.
CLK_TCK="$(getconf CLK_TCK)"
MY_PID=""
PG_PID=""
find_server_pids() {
  local f dir
  f="$(my -N -e 'SELECT @@pid_file' 2>/dev/null)" && [[ -r "$f" ]] && MY_PID="$(head -n 1 "$f")"
  dir="$(pg -d postgres -At -c 'SHOW data_directory' 2>/dev/null)" && [[ -r "$dir/postmaster.pid" ]] &&
    PG_PID="$(head -n 1 "$dir/postmaster.pid")"
  [[ -n "$MY_PID" && -r "/proc/$MY_PID/stat" ]] || MY_PID=""
  [[ -n "$PG_PID" && -r "/proc/$PG_PID/stat" ]] || PG_PID=""
}
# server_cpu: "mariadbd_s postgres_s" now, cumulative.
server_cpu() {
  local m=- p=-
  if [[ -n "$MY_PID" ]]; then
    m="$(sed 's/^.*) //' "/proc/$MY_PID/stat" 2>/dev/null | awk -v hz="$CLK_TCK" '{ printf "%.2f", ($12 + $13) / hz }')" || m=-
  fi
  if [[ -n "$PG_PID" ]]; then
    # /proc/PID/stat after "pid (comm) ": $2 ppid, $12 utime, $13 stime,
    # $14 cutime, $15 cstime (comm may hold spaces, hence the sed).
    # Processes come and go meanwhile: cat's complaints about vanished
    # ones do not matter.
    p="$({ cat /proc/[0-9]*/stat 2>/dev/null || true; } | sed 's/^\([0-9]*\) (.*) /\1 /' |
      awk -v pm="$PG_PID" -v hz="$CLK_TCK" '
        $1 == pm { t += $13 + $14 + $15 + $16 }
        $3 == pm { t += $13 + $14 }
        END { printf "%.2f", t / hz }')" || p=-
  fi
  echo "$m $p"
}
# cpu_delta BEFORE AFTER: "mariadbd_s postgres_s" spent in between.
cpu_delta() {
  awk -v a="$1" -v b="$2" 'BEGIN {
    split(a, x, " "); split(b, y, " ")
    for (i = 1; i <= 2; i++) out = out (i > 1 ? " " : "") ((x[i] == "-" || y[i] == "-") ? "-" : sprintf("%.1f", y[i] - x[i]))
    print out }'
}

# ------------------------------------------------------------------ helpers ---

ensure_deps() {
  local pkgs=()
  command -v sysbench >/dev/null 2>&1 || pkgs+=(sysbench)
  [[ -x /usr/bin/time ]] || pkgs+=(time)
  command -v curl >/dev/null 2>&1 || pkgs+=(curl)
  command -v psql >/dev/null 2>&1 || pkgs+=(postgresql-client)
  command -v mariadb >/dev/null 2>&1 && command -v mariadb-binlog >/dev/null 2>&1 || pkgs+=(mariadb-client)
  apt_install "${pkgs[@]}"
}

declare -A LOAD_BEFORE=() BUSY_BEFORE=()
STEP_NAMES=()

fresh_db() { pg -d postgres -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)" -c "CREATE DATABASE $1"; }
drop_db() { pg -d postgres -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)"; }

# vacuum_note NAME DB: autovacuum's work on DB's sbtest tables so far and
# whether a worker is busy there now (it competes with apply for the two
# cores), for the report; the details go to NAME-pgstat.txt.
declare -A VACUUM=()
vacuum_note() {
  pg -d "$2" -c "SELECT relname, n_live_tup, n_dead_tup, autovacuum_count, last_autovacuum, autoanalyze_count
                 FROM pg_stat_user_tables WHERE schemaname = '$SRC_DB' ORDER BY relname" \
    -c "SELECT pid, backend_start, query FROM pg_stat_activity WHERE backend_type = 'autovacuum worker' AND datname = '$2'" \
    >"$LOGS/$1-pgstat.txt" 2>&1 || true
  VACUUM["$1"]="$(pg -d "$2" -At -F ' ' -c "SELECT
      (SELECT COALESCE(sum(autovacuum_count), 0) FROM pg_stat_user_tables WHERE schemaname = '$SRC_DB'),
      (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'autovacuum worker' AND datname = '$2')" 2>/dev/null || echo '- -')"
}

master_status() { my -N -e 'SHOW MASTER STATUS' | cut -f1,2; }

# ----------------------------------------------------------------- source ---

build_source() {
  log "building $SRC_DB: $TABLES sysbench oltp tables × $ROWS rows + hb (outside the binlog)"
  my -e "SET SESSION sql_log_bin = 0; DROP DATABASE IF EXISTS $SRC_DB; CREATE DATABASE $SRC_DB CHARACTER SET utf8mb4;
         CREATE TABLE $SRC_DB.hb (id INT PRIMARY KEY, ts DATETIME(6) NOT NULL);
         INSERT INTO $SRC_DB.hb VALUES (1, NOW(6))"
  local threads
  threads="$(nproc)"
  ((threads > TABLES)) && threads="$TABLES"
  # bench/sysbench-prepare.lua: sysbench's prepare with sql_log_bin = 0.
  sysbench bench/sysbench-prepare.lua "${SB_ARGS[@]}" --threads="$threads" prepare >"$LOGS/prepare.log"
  local i list=()
  for ((i = 1; i <= TABLES; i++)); do list+=("sbtest$i"); done
  my -N "$SRC_DB" -e "ANALYZE TABLE $(IFS=,; echo "${list[*]}")" >/dev/null
}

TABLE_LIST=()
set_tables() {
  local i
  TABLE_LIST=()
  for ((i = 1; i <= TABLES; i++)); do TABLE_LIST+=("sbtest$i"); done
  TABLE_LIST+=(hb)
}

# dump_src TABLE / dump_pg DB TABLE: the table's rows in key order, as the
# same text on both sides (ints, digits-and-dashes strings; hb's DATETIME(6)
# with all six fractional digits).
dump_src() {
  if [[ "$1" == hb ]]; then
    my -N --batch --raw -e "SELECT id, DATE_FORMAT(ts, '%Y-%m-%d %H:%i:%s.%f') FROM $SRC_DB.hb ORDER BY id"
  else
    my -N --batch --raw -e "SELECT $COLS FROM $SRC_DB.$1 ORDER BY id"
  fi
}
dump_pg() {
  if [[ "$2" == hb ]]; then
    pg -d "$1" -c "COPY (SELECT id, to_char(ts, 'YYYY-MM-DD HH24:MI:SS.US') FROM $SRC_DB.hb ORDER BY id) TO STDOUT"
  else
    pg -d "$1" -c "COPY (SELECT $COLS FROM $SRC_DB.$2 ORDER BY id) TO STDOUT"
  fi
}
# sum_of: "rows md5" of a dump on stdin.
sum_of() {
  local f
  f="$(mktemp "$LOGS/.dump.XXXXXX")"
  cat >"$f"
  echo "$(wc -l <"$f") $(md5sum <"$f" | cut -c1-12)"
  rm -f "$f"
}

declare -A SRC_SUM=() SRC_COUNT=()
# source_sums: count and checksum of every source table, now.
source_sums() {
  local t
  for t in "${TABLE_LIST[@]}"; do
    read -r "SRC_COUNT[$t]" "SRC_SUM[$t]" < <(dump_src "$t" | sum_of)
  done
}

declare -A CHECK=() COUNTS=()
# compare_target NAME DB: compares every table of DB with the source sums
# (source_sums first). Sets CHECK[NAME] and COUNTS[NAME:table].
compare_target() {
  local name="$1" db="$2" t n s bad=()
  for t in "${TABLE_LIST[@]}"; do
    read -r n s < <(dump_pg "$db" "$t" 2>>"$LOGS/compare.err" | sum_of)
    COUNTS["$name:$t"]="$n"
    [[ "$n" == "${SRC_COUNT[$t]}" && "$s" == "${SRC_SUM[$t]}" ]] ||
      bad+=("$t: $n rows$([[ "$s" != "${SRC_SUM[$t]}" ]] && echo ', checksum differs')")
  done
  if ((${#bad[@]})); then
    CHECK["$name"]="MISMATCH ($(printf '%s; ' "${bad[@]}" | sed 's/; $//'))"
    return 1
  fi
  CHECK["$name"]="ok"
}

# ------------------------------------------------------------------ sluice ---

declare -A WALL=() RSS=() CPU=() SRV_CPU=()
# run_sluice NAME: one timed `sluice run --stop-when-caught-up`.
run_sluice() {
  local name="$1" t0 c0 rc=0
  log "$name: bin/sluice ${SLUICE_ARGS[*]} --stop-when-caught-up  (log: $LOGS/$name.log)"
  c0="$(server_cpu)"
  t0="$(now)"
  timeout "$TIMEOUT" /usr/bin/time -v -o "$LOGS/$name.time" bin/sluice "${SLUICE_ARGS[@]}" --stop-when-caught-up \
    >"$LOGS/$name.log" 2>&1 || rc=$?
  WALL["$name"]="$(calc "$(now) - $t0")"
  sleep 0.2 # let the postmaster reap sluice's backends
  SRV_CPU["$name"]="$(cpu_delta "$c0" "$(server_cpu)")"
  RSS["$name"]="$(rss_mib "$LOGS/$name.time")"
  CPU["$name"]="$(cpu_s "$LOGS/$name.time")"
  if ((rc)); then
    log "$name: exit code $rc; last lines of its log:"
    tail -n 20 "$LOGS/$name.log" >&2
    return 1
  fi
}

# log_seconds LOG FROM_MSG TO_MSG: seconds between two of sluice's log lines
# (text format: time=2006-01-02T15:04:05.000Z level=… msg="…").
log_seconds() {
  local a b
  a="$(grep -m1 "msg=\"$2\"" "$1" | sed -n 's/^time=\([^ ]*\) .*/\1/p' || true)"
  b="$(grep "msg=\"$3\"" "$1" | tail -n 1 | sed -n 's/^time=\([^ ]*\) .*/\1/p' || true)"
  [[ -n "$a" && -n "$b" ]] || { echo -; return; }
  calc "$(date -d "$b" +%s.%N) - $(date -d "$a" +%s.%N)"
}

# applied LOG: "transactions changes" from sluice's closing line
# "incremental: N transactions, M row changes applied, …".
applied() { sed -n 's/^incremental: \([0-9]*\) transactions, \([0-9]*\) row changes applied.*/\1 \2/p' "$1" | tail -n 1; }

# ----------------------------------------------------------------- catch-up ---

INITIAL_WALL=0
EMPTY_WALLS=()
EMPTY_MIN=0
initial_sync() {
  fresh_db "$TARGET"
  settle initial
  run_sluice initial || die "the initial sync failed (log: $LOGS/initial.log)"
  INITIAL_WALL="${WALL[initial]}"
  local i
  for ((i = 1; i <= EMPTY_RUNS; i++)); do
    run_sluice "empty$i" || die "a run with nothing to apply failed (log: $LOGS/empty$i.log)"
    EMPTY_WALLS+=("${WALL[empty$i]}")
  done
  EMPTY_MIN="$(printf '%s\n' "${EMPTY_WALLS[@]:-0}" | sort -g | head -n 1)"
}

BACKLOG_CHANGES=0
BACKLOG_TXNS=0
BACKLOG_SUMMARY=""
BACKLOG_BYTES=0
BACKLOG_FILES=""
SB_BACKLOG_RATE="-"
DECODE_WALL=0
catchup() {
  local f0 p0 f1 p1 files=() events t0 c0 summary
  # The references replay into copies of the target as it is now: after
  # the full load, before the backlog.
  if ref sql; then pg -d postgres -c "DROP DATABASE IF EXISTS $REF_SQL WITH (FORCE)" -c "CREATE DATABASE $REF_SQL TEMPLATE $TARGET"; fi
  if ref merge; then pg -d postgres -c "DROP DATABASE IF EXISTS $REF_MERGE WITH (FORCE)" -c "CREATE DATABASE $REF_MERGE TEMPLATE $TARGET"; fi

  # The backlog: 1% more transactions than CHANGES / 4, so that the odd
  # transaction sysbench gives up on (deadlock) does not leave it short.
  events=$((CHANGES * 101 / 100 / PER_TXN + 1))
  read -r f0 p0 < <(master_status)
  settle backlog
  log "backlog: sysbench oltp_write_only, $WRITE_THREADS threads, $events transactions, from $f0:$p0"
  c0="$(server_cpu)"
  t0="$(now)"
  sysbench oltp_write_only "${SB_ARGS[@]}" --threads="$WRITE_THREADS" --events="$events" --time=0 \
    --report-interval=10 run >"$LOGS/backlog-sysbench.log" 2>&1 ||
    { tail -n 20 "$LOGS/backlog-sysbench.log" >&2; die "sysbench run failed (log: $LOGS/backlog-sysbench.log)"; }
  WALL[backlog]="$(calc "$(now) - $t0")"
  SRV_CPU[backlog]="$(cpu_delta "$c0" "$(server_cpu)")"
  read -r f1 p1 < <(master_status)

  # The binlog files from f0 to f1; mariadb-binlog applies --start-position
  # to the first and --stop-position to the last.
  mapfile -t files < <(my -N -e 'SHOW BINARY LOGS' | cut -f1 | awk -v a="$f0" -v b="$f1" '$1 == a { on = 1 } on { print } $1 == b { exit }')
  BACKLOG_FILES="$f0:$p0 … $f1:$p1"
  BACKLOG_BYTES="$(my -N -e 'SHOW BINARY LOGS' | awk -v a="$f0" -v pa="$p0" -v b="$f1" -v pb="$p1" '
    $1 == a { on = 1; s -= pa } on { s += ($1 == b ? pb : $2) } $1 == b { exit } END { print s }')"
  log "backlog: decoding $BACKLOG_FILES ($((BACKLOG_BYTES / 1048576)) MiB of binlog) into the reference replays"
  t0="$(now)"
  summary="$(mariadb-binlog --no-defaults --read-from-remote-server --protocol=tcp -h127.0.0.1 -P"$MYSQL_PORT" -uroot \
    --verbose --base64-output=DECODE-ROWS --start-position="$p0" --stop-position="$p1" "${files[@]}" 2>"$LOGS/decode.err" |
    awk -f bench/cdc-binlog.awk -v db="$SRC_DB" -v cols="$COLS" -v sql="$LOGS/replay-sql.sql" \
      -v merge="$LOGS/replay-merge.sql" -v txn="$TXN_STATEMENTS" -v batch="$MERGE_BATCH")" ||
    { cat "$LOGS/decode.err" >&2; die "decoding the backlog failed"; }
  DECODE_WALL="$(calc "$(now) - $t0")"
  BACKLOG_SUMMARY="$summary"
  # inserts=N updates=N deletes=N transactions=N other=N
  local kv parts=()
  local -A got=()
  read -ra parts <<<"$summary"
  for kv in "${parts[@]}"; do got["${kv%%=*}"]="${kv#*=}"; done
  BACKLOG_TXNS="${got[transactions]}"
  BACKLOG_CHANGES=$((got[inserts] + got[updates] + got[deletes]))
  BACKLOG_MERGED="${got[merged]}"
  log "backlog: $summary (in ${DECODE_WALL%.*} s)"
  ((BACKLOG_CHANGES >= CHANGES)) || log "warning: the backlog has $BACKLOG_CHANGES row changes, fewer than CDC_CHANGES=$CHANGES"
  SB_BACKLOG_RATE="$(calc "$BACKLOG_CHANGES / ${WALL[backlog]}")"

  # sluice applies it.
  settle catchup
  run_sluice catchup || die "the catch-up run failed (log: $LOGS/catchup.log)"
  vacuum_note catchup "$TARGET"
  read -r CATCHUP_TXNS CATCHUP_APPLIED < <(applied "$LOGS/catchup.log") || true
  CATCHUP_LOGSPAN="$(log_seconds "$LOGS/catchup.log" "incremental sync starting" "caught up")"

  # PostgreSQL's own ceiling, on the same server, from the same changes.
  if ref sql; then
    settle ref_sql
    log "reference (1): psql -f $LOGS/replay-sql.sql ($TXN_STATEMENTS statements per transaction) into $REF_SQL"
    c0="$(server_cpu)"
    t0="$(now)"
    pg -d "$REF_SQL" -f "$LOGS/replay-sql.sql" >/dev/null 2>"$LOGS/ref_sql.err" ||
      { tail -n 5 "$LOGS/ref_sql.err" >&2; die "reference (1) failed"; }
    WALL[ref_sql]="$(calc "$(now) - $t0")"
    sleep 0.2
    SRV_CPU[ref_sql]="$(cpu_delta "$c0" "$(server_cpu)")"
  fi
  if ref merge; then
    settle ref_merge
    log "reference (2): psql -f $LOGS/replay-merge.sql (COPY + merge, $MERGE_BATCH changes per batch) into $REF_MERGE"
    c0="$(server_cpu)"
    t0="$(now)"
    pg -d "$REF_MERGE" -f "$LOGS/replay-merge.sql" >/dev/null 2>"$LOGS/ref_merge.err" ||
      { tail -n 5 "$LOGS/ref_merge.err" >&2; die "reference (2) failed"; }
    WALL[ref_merge]="$(calc "$(now) - $t0")"
    sleep 0.2
    SRV_CPU[ref_merge]="$(cpu_delta "$c0" "$(server_cpu)")"
  fi

  log "comparing the targets with the source"
  source_sums
  compare_target catchup "$TARGET" || true
  if ref sql; then compare_target ref_sql "$REF_SQL" || true; fi
  if ref merge; then compare_target ref_merge "$REF_MERGE" || true; fi
}

# ------------------------------------------------------------ steady state ---

# pct FILE P: the P-th percentile (nearest rank) of FILE's numbers.
pct() {
  sort -g "$1" | awk -v p="$2" '{ v[NR] = $1 } END {
    if (!NR) { print "-"; exit } i = int(p / 100 * NR + 0.999999); if (i < 1) i = 1; if (i > NR) i = NR; print v[i] }'
}
# window FILE COL FROM TO OUT: column COL of the samples (epoch in column 1)
# taken between FROM and TO, into OUT.
window() { awk -v c="$2" -v a="$3" -v b="$4" '$1 >= a && $1 <= b && $c != "-" && $c != "" { print $c }' "$1" >"$5"; }
# stats FILE: "p50 p99 max n" in milliseconds of seconds values.
stats() {
  local n
  n="$(grep -c . "$1" || true)"
  if ((n == 0)); then echo "- - - 0"; return; fi
  printf '%.0f %.0f %.0f %s\n' "$(calc "$(pct "$1" 50) * 1000")" "$(calc "$(pct "$1" 99) * 1000")" \
    "$(calc "$(pct "$1" 100) * 1000")" "$n"
}

CLOCK_CHECK=""
# clock_check: MariaDB's NOW(6) in the UTC session (what the heartbeat
# writes) and PostgreSQL's clock_timestamp() AT TIME ZONE 'UTC' (what the
# lag poll subtracts from) against the local clock, each within its
# client's round trip.
clock_check() {
  local a b m p om op
  a="$(now)"; m="$(my -N -e 'SELECT NOW(6)')"; b="$(now)"
  om="$(calc "($(date -u -d "$m" +%s.%N) - ($a + $b) / 2) * 1000")"
  local rm; rm="$(calc "($b - $a) * 1000")"
  a="$(now)"; p="$(pg -d postgres -At -c "SELECT clock_timestamp() AT TIME ZONE 'UTC'")"; b="$(now)"
  op="$(calc "($(date -u -d "$p" +%s.%N) - ($a + $b) / 2) * 1000")"
  local rp; rp="$(calc "($b - $a) * 1000")"
  CLOCK_CHECK="$(printf "MariaDB NOW(6) (UTC session) − local clock %+.0f ms (round trip %.0f ms); PostgreSQL clock_timestamp() AT TIME ZONE 'UTC' − local clock %+.0f ms (round trip %.0f ms)" "$om" "$rm" "$op" "$rp")"
  log "clock check: $CLOCK_CHECK"
}

declare -A LAG=()
steady() {
  local url="" pid t0 i c0 marker seen=""
  find_server_pids
  clock_check
  settle steady_start
  log "steady: starting sluice in the background (log: $LOGS/steady-sluice.log)"
  bin/sluice "${SLUICE_ARGS[@]}" --metrics-listen 127.0.0.1:0 --progress-interval 1s >"$LOGS/steady-sluice.log" 2>&1 &
  pid=$!
  for ((i = 0; i < 600; i++)); do
    kill -0 "$pid" 2>/dev/null || { tail -n 20 "$LOGS/steady-sluice.log" >&2; die "sluice exited at startup"; }
    [[ -z "$url" ]] && url="$(sed -n 's/.*msg="serving metrics" address=\(http[^ ]*\).*/\1/p' "$LOGS/steady-sluice.log")"
    [[ -n "$url" ]] && grep -q 'msg="incremental sync starting"' "$LOGS/steady-sluice.log" && break
    sleep 0.1
  done
  if [[ -z "$url" ]] || ! grep -q 'msg="incremental sync starting"' "$LOGS/steady-sluice.log"; then
    die "sluice did not reach its incremental phase within 60 s (log: $LOGS/steady-sluice.log)"
  fi
  log "steady: sluice is following the binlog; metrics at $url"

  # Samples: heartbeat age on PostgreSQL ("epoch age_s"), sluice's metrics
  # ("epoch lag_s changes txns").
  feed hb "$HB_INTERVAL" 0 "UPDATE $SRC_DB.hb SET ts = NOW(6) WHERE id = 1;" my -N --force
  feed lagpg "$POLL_INTERVAL" 1 \
    "SELECT extract(epoch FROM clock_timestamp()), extract(epoch FROM (clock_timestamp() AT TIME ZONE 'UTC') - ts) FROM $SRC_DB.hb WHERE id = 1;" \
    pg -d "$TARGET" -At -F ' '
  # The same age on MariaDB: how old the newest heartbeat is at the source
  # (0 to one interval), the part of the age above that sluice cannot help.
  feed lagsrc "$POLL_INTERVAL" 1 \
    "SELECT UNIX_TIMESTAMP(NOW(6)), TIMESTAMPDIFF(MICROSECOND, ts, NOW(6)) / 1000000 FROM $SRC_DB.hb WHERE id = 1;" \
    my -N
  (while :; do
    printf '%s ' "$EPOCHREALTIME"
    curl -s --max-time 1 "$url" | awk '
      /^sluice_cdc_lag_seconds\{/ { l = $2 } /^sluice_cdc_row_changes_total\{/ { c = $2 } /^sluice_cdc_transactions_total\{/ { t = $2 }
      END { if (l == "") print "- - -"; else printf "%s %.0f %.0f\n", l, c, t }'
    sleep "$POLL_INTERVAL"
  done) >"$LOGS/lag-metrics.txt" &
  METRICS_LOOP=$!

  STEADY_IDLE_FROM="$(calc "$(now) + 1")" # the first heartbeat has arrived by then
  sleep "$IDLE_SECONDS"
  STEADY_IDLE_TO="$(now)"

  settle steady_load
  log "steady: sysbench oltp_write_only, $STEADY_THREADS threads, $STEADY_SECONDS s"
  c0="$(server_cpu)"
  STEADY_FROM="$(now)"
  sysbench oltp_write_only "${SB_ARGS[@]}" --threads="$STEADY_THREADS" --time="$STEADY_SECONDS" --events=0 \
    --report-interval=10 run >"$LOGS/steady-sysbench.log" 2>&1 ||
    { tail -n 20 "$LOGS/steady-sysbench.log" >&2; die "sysbench run failed (log: $LOGS/steady-sysbench.log)"; }
  STEADY_TO="$(now)"

  # The last heartbeat, written after sysbench stopped: once PostgreSQL has
  # it, sluice has applied everything before it.
  unfeed hb
  marker="$(my -N -e "UPDATE $SRC_DB.hb SET ts = NOW(6) WHERE id = 1; SELECT DATE_FORMAT(ts, '%Y-%m-%d %H:%i:%s.%f') FROM $SRC_DB.hb")"
  log "steady: sysbench done; waiting for the last heartbeat ($marker) on PostgreSQL"
  t0="$(now)"
  while holds "$(now) - $t0 < $DRAIN_TIMEOUT"; do
    seen="$(pg -d "$TARGET" -At -c "SELECT to_char(ts, 'YYYY-MM-DD HH24:MI:SS.US') FROM $SRC_DB.hb WHERE id = 1" 2>/dev/null || true)"
    [[ "$seen" == "$marker" ]] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  STEADY_DRAINED="$(now)"
  vacuum_note steady "$TARGET"
  SRV_CPU[steady]="$(cpu_delta "$c0" "$(server_cpu)")"
  STEADY_DRAIN="$(calc "$STEADY_DRAINED - $STEADY_TO")"
  DRAINED=0
  if [[ "$seen" == "$marker" ]]; then DRAINED=1; fi
  sleep 3 # a few more samples after the drain: what the metric says when caught up
  kill "$METRICS_LOOP" 2>/dev/null || true
  wait "$METRICS_LOOP" 2>/dev/null || true
  unfeed lagpg
  unfeed lagsrc

  log "steady: stopping sluice (SIGINT)"
  STEADY_RC=0
  if kill -0 "$pid" 2>/dev/null; then
    kill -INT "$pid"
    wait "$pid" || STEADY_RC=$?
  else
    wait "$pid" || STEADY_RC=$?
  fi
  STEADY_WARNINGS="$(grep -cE 'level=(WARN|ERROR)' "$LOGS/steady-sluice.log" || true)"

  # Lag statistics: idle, and under load (the sysbench run).
  local f="$LOGS/lagpg.out" g="$LOGS/lag-metrics.txt" h="$LOGS/lagsrc.out" w="$LOGS/.window"
  window "$f" 2 "$STEADY_IDLE_FROM" "$STEADY_IDLE_TO" "$w"; LAG[hb_idle]="$(stats "$w")"
  window "$f" 2 "$STEADY_FROM" "$STEADY_TO" "$w"; LAG[hb_load]="$(stats "$w")"
  window "$h" 2 "$STEADY_IDLE_FROM" "$STEADY_IDLE_TO" "$w"; LAG[src_idle]="$(stats "$w")"
  window "$h" 2 "$STEADY_FROM" "$STEADY_TO" "$w"; LAG[src_load]="$(stats "$w")"
  window "$g" 2 "$STEADY_IDLE_FROM" "$STEADY_IDLE_TO" "$w"; LAG[m_idle]="$(stats "$w")"
  window "$g" 2 "$STEADY_FROM" "$STEADY_TO" "$w"; LAG[m_load]="$(stats "$w")"
  # The heartbeat's age at the end of the load and its maximum in the last
  # 10 s of it: bounded lag does not grow towards the end.
  window "$f" 2 "$(calc "$STEADY_TO - 10")" "$STEADY_TO" "$w"
  LAG_LAST10="$(pct "$w" 100)"
  [[ "$LAG_LAST10" == - ]] && LAG_LAST10=0
  window "$f" 2 "$STEADY_FROM" "$(calc "$STEADY_FROM + 10")" "$w"
  LAG_FIRST10="$(pct "$w" 100)"
  [[ "$LAG_FIRST10" == - ]] && LAG_FIRST10=0

  # Rates: sysbench's transactions, and sluice's change counter between the
  # samples nearest to the start and the end of the load.
  SB_TXNS="$(awk '/transactions:/ { print $2; exit }' "$LOGS/steady-sysbench.log")"
  SB_TIME="$(awk '/total time:/ { sub(/s$/, "", $3); print $3; exit }' "$LOGS/steady-sysbench.log")"
  SB_IGNORED="$(awk '/ignored errors:/ { print $3; exit }' "$LOGS/steady-sysbench.log")"
  SB_RATE="$(calc "$SB_TXNS * $PER_TXN / $SB_TIME")"
  read -r APPLY_C0 APPLY_T0 APPLY_C1 APPLY_T1 < <(awk -v a="$STEADY_FROM" -v b="$STEADY_TO" '
    $2 == "-" { next }
    $1 <= a { c0 = $3; t0 = $1 } $1 <= b { c1 = $3; t1 = $1 }
    END { printf "%d %.6f %d %.6f\n", c0, t0, c1, t1 }' "$g")
  APPLY_RATE=0
  if holds "$APPLY_T1 > $APPLY_T0"; then APPLY_RATE="$(calc "($APPLY_C1 - $APPLY_C0) / ($APPLY_T1 - $APPLY_T0)")"; fi
  APPLY_TOTAL="$(awk '$2 != "-" { c = $3 } END { printf "%d", c }' "$g")"
  printf 'idle %s .. %s\nload %s .. %s\ndrained %s (%s s)\napply counter %s at %s, %s at %s\n' \
    "$STEADY_IDLE_FROM" "$STEADY_IDLE_TO" "$STEADY_FROM" "$STEADY_TO" "$STEADY_DRAINED" "$STEADY_DRAIN" \
    "$APPLY_C0" "$APPLY_T0" "$APPLY_C1" "$APPLY_T1" >"$LOGS/steady-times.txt"
  PROGRESS_MAX="$(sed -n 's/^incremental .*changes_per_s=\([0-9]*\) .*/\1/p' "$LOGS/steady-sluice.log" | sort -n | tail -n 1)"

  log "steady: comparing $TARGET with the source"
  source_sums
  compare_target steady "$TARGET" || true
}

# ----------------------------------------------------------------- results ---

median_diff() {
  local a b
  a="${1%% *}"; b="${2%% *}"
  if [[ "$a" == - || "$b" == - ]]; then echo -; else echo $((a - b)); fi
}
ms_cols() { read -r p50 p99 mx n <<<"$1"; printf '%s | %s | %s | %s' "$p50" "$p99" "$mx" "$n"; }

results() {
  local s line
  echo "# sluice incremental (CDC) benchmark, $(date '+%Y-%m-%d %H:%M %Z')"
  echo
  echo "- source: MariaDB $(my -N -e 'SELECT VERSION()'), database $SRC_DB: $TABLES sysbench oltp tables × $ROWS rows + hb;" \
    "target: PostgreSQL $(pg -d postgres -At -c 'SHOW server_version' | cut -d' ' -f1) database $TARGET" \
    "(fsync $(pg -d postgres -At -c 'SHOW fsync'), synchronous_commit $(pg -d postgres -At -c 'SHOW synchronous_commit'))"
  echo "- machine: $(nproc) cores, $(free -g | awk '/^Mem:/ { print $2 }') GiB RAM; sluice $(git rev-parse --short HEAD 2>/dev/null)$(git diff --quiet HEAD -- 2>/dev/null || echo ' (work tree with changes)'); $(sysbench --version)"
  for s in "${STEP_NAMES[@]}"; do
    echo "- before $s: load average ${LOAD_BEFORE[$s]} (1, 5, 15 min); processes over 5% CPU: ${BUSY_BEFORE[$s]:-none}"
  done
  echo "- at the end: load average $(loadavg)"
  echo
  if step catchup; then
    local rate_s
    echo "## (a) Catch-up of a backlog"
    echo
    echo "Backlog: $BACKLOG_CHANGES row changes in $BACKLOG_TXNS transactions (binlog $BACKLOG_FILES," \
      "$((BACKLOG_BYTES / 1048576)) MiB; counted from its row images: $BACKLOG_SUMMARY; the other= changes are" \
      "other sessions' databases, skipped by sluice and left out of the replays)." \
      "sluice's own count: ${CATCHUP_APPLIED:-?} row changes in ${CATCHUP_TXNS:-?} transactions."
    echo
    echo "| step | row changes | wall s | row changes/s | sluice / this | client CPU s | peak RSS MiB | CPU s postgres | CPU s mariadbd | target = source |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"
    read -r my_c pg_c <<<"${SRV_CPU[backlog]}"
    printf '| sysbench oltp_write_only writing the backlog (%s threads; sluice stopped) | %s | %.1f | %.0f | | - | - | %s | %s | |\n' \
      "$WRITE_THREADS" "$BACKLOG_CHANGES" "${WALL[backlog]}" "$SB_BACKLOG_RATE" "$pg_c" "$my_c"
    read -r my_c pg_c <<<"${SRV_CPU[catchup]}"
    printf '| sluice run --stop-when-caught-up, whole run | %s | %.1f | %.0f | | %s | %s | %s | %s | %s |\n' \
      "$BACKLOG_CHANGES" "${WALL[catchup]}" "$(calc "$BACKLOG_CHANGES / ${WALL[catchup]}")" "${CPU[catchup]}" \
      "${RSS[catchup]}" "$pg_c" "$my_c" "${CHECK[catchup]}"
    SLUICE_NET="$(calc "${WALL[catchup]} - $EMPTY_MIN")"
    rate_s="$(calc "$BACKLOG_CHANGES / $SLUICE_NET")"
    printf '| **sluice catch-up** (whole run − %.2f s startup of an empty run) | %s | %.1f | **%.0f** | 1 | | | | | |\n' \
      "$EMPTY_MIN" "$BACKLOG_CHANGES" "$SLUICE_NET" "$rate_s"
    if [[ "$CATCHUP_LOGSPAN" != - ]]; then
      printf '| sluice, its log from "incremental sync starting" to "caught up" | %s | %.1f | %.0f | | | | | | |\n' \
        "$BACKLOG_CHANGES" "$CATCHUP_LOGSPAN" "$(calc "$BACKLOG_CHANGES / $CATCHUP_LOGSPAN")"
    fi
    if ref sql; then
      read -r my_c pg_c <<<"${SRV_CPU[ref_sql]}"
      printf '| (1) psql, single-row UPDATE/DELETE/INSERT, %s per transaction | %s | %.1f | %.0f | **%.2f** | - | - | %s | %s | %s |\n' \
        "$TXN_STATEMENTS" "$BACKLOG_CHANGES" "${WALL[ref_sql]}" "$(calc "$BACKLOG_CHANGES / ${WALL[ref_sql]}")" \
        "$(calc "${WALL[ref_sql]} / $SLUICE_NET")" "$pg_c" "$my_c" "${CHECK[ref_sql]}"
    fi
    if ref merge; then
      read -r my_c pg_c <<<"${SRV_CPU[ref_merge]}"
      printf '| (2) psql, COPY into staging + one merge per table, %s changes per batch (%s row writes after collapsing each key'"'"'s changes per batch) | %s | %.1f | %.0f | **%.2f** | - | - | %s | %s | %s |\n' \
        "$MERGE_BATCH" "$BACKLOG_MERGED" "$BACKLOG_CHANGES" "${WALL[ref_merge]}" "$(calc "$BACKLOG_CHANGES / ${WALL[ref_merge]}")" \
        "$(calc "${WALL[ref_merge]} / $SLUICE_NET")" "$pg_c" "$my_c" "${CHECK[ref_merge]}"
    fi
    echo
    echo "\"sluice / this\" is sluice's catch-up rate divided by the row's rate (above 1: sluice is faster)."
    printf 'Initial sync (full load of %s rows, then caught up): %.1f s. Runs with nothing to apply: %s s (the smallest is subtracted).' \
      "$((TABLES * ROWS + 1))" "$INITIAL_WALL" "$(printf '%.2f ' "${EMPTY_WALLS[@]:-0}" | sed 's/ $//; s/ /, /g')"
    printf ' Decoding the backlog (mariadb-binlog | bench/cdc-binlog.awk) took %.1f s, untimed.' "$DECODE_WALL"
    read -r vac_done vac_busy <<<"${VACUUM[catchup]}"
    printf ' Autovacuum on the target after the catch-up: %s runs completed, %s workers busy.\n' "$vac_done" "$vac_busy"
    echo
  fi
  if step steady; then
    echo "## (b) Steady state"
    echo
    echo "sluice running; sysbench oltp_write_only, $STEADY_THREADS threads, ${SB_TIME:-?} s: $SB_TXNS transactions" \
      "(ignored errors: ${SB_IGNORED:-?}); heartbeat every $HB_INTERVAL s, lag polled every $POLL_INTERVAL s."
    echo "Clock check: $CLOCK_CHECK."
    echo
    echo "| lag, ms | p50 | p99 | max | samples |"
    echo "|---|---:|---:|---:|---:|"
    echo "| heartbeat age on PostgreSQL, idle (${IDLE_SECONDS} s before the load) | $(ms_cols "${LAG[hb_idle]}") |"
    echo "| **heartbeat age on PostgreSQL, under load** | $(ms_cols "${LAG[hb_load]}") |"
    echo "| heartbeat age on MariaDB itself (its staleness, 0 to one interval), idle | $(ms_cols "${LAG[src_idle]}") |"
    echo "| heartbeat age on MariaDB itself, under load | $(ms_cols "${LAG[src_load]}") |"
    echo "| sluice_cdc_lag_seconds, idle | $(ms_cols "${LAG[m_idle]}") |"
    echo "| sluice_cdc_lag_seconds, under load | $(ms_cols "${LAG[m_load]}") |"
    echo
    echo "Heartbeat age on PostgreSQL minus on MariaDB, medians (≈ the delay sluice adds; both polls are jittered," \
      "so each sees the heartbeat at a uniformly random point of its interval):" \
      "idle $(median_diff "${LAG[hb_idle]}" "${LAG[src_idle]}") ms, under load $(median_diff "${LAG[hb_load]}" "${LAG[src_load]}") ms." \
      "sluice_cdc_lag_seconds subtracts binlog event times, which have whole-second resolution."
    echo
    echo "| measure | value |"
    echo "|---|---|"
    printf '| sysbench rate (transactions × %s) | %.0f row changes/s (%.1f transactions/s) |\n' "$PER_TXN" "$SB_RATE" "$(calc "$SB_TXNS / $SB_TIME")"
    printf '| sluice apply rate under load (sluice_cdc_row_changes_total) | %.0f row changes/s (peak progress line: %s/s) |\n' \
      "$APPLY_RATE" "${PROGRESS_MAX:--}"
    printf '| row changes applied by sluice in the whole run (incl. heartbeats) | %s |\n' "$APPLY_TOTAL"
    printf '| heartbeat age, max in the first / last 10 s of the load | %.0f / %.0f ms |\n' \
      "$(calc "$LAG_FIRST10 * 1000")" "$(calc "$LAG_LAST10 * 1000")"
    if ((DRAINED)); then
      printf '| caught up after sysbench stopped (last heartbeat on PostgreSQL) | %.2f s |\n' "$STEADY_DRAIN"
    else
      printf '| caught up after sysbench stopped | **NOT within %s s** |\n' "$DRAIN_TIMEOUT"
    fi
    read -r my_c pg_c <<<"${SRV_CPU[steady]}"
    printf '| server CPU s during load + drain: postgres / mariadbd | %s / %s |\n' "$pg_c" "$my_c"
    read -r vac_done vac_busy <<<"${VACUUM[steady]}"
    printf '| autovacuum on the target'"'"'s tables: runs completed since the initial sync; workers busy at the drain | %s; %s |\n' \
      "$vac_done" "$vac_busy"
    printf '| sluice exit after SIGINT; WARN/ERROR lines in its log | %s; %s |\n' "$STEADY_RC" "$STEADY_WARNINGS"
    printf '| target = source after the drain (count + checksum per table) | %s |\n' "${CHECK[steady]}"
    local kept
    if ((DRAINED)) && holds "$STEADY_DRAIN <= $KEEPUP_SECONDS" && [[ "${CHECK[steady]}" == ok ]]; then
      kept="**yes**: lag stayed bounded and it caught up within ${KEEPUP_SECONDS} s of the load's end"
    else
      kept="**no**: see the drain time and the check"
    fi
    printf '| kept up | %s |\n' "$kept"
    echo
  fi
  echo "Tables, rows in the source and in each target (each compared by checksum of the ordered rows):"
  echo
  local names=() n t
  step catchup && names+=(catchup)
  step catchup && ref sql && names+=(ref_sql)
  step catchup && ref merge && names+=(ref_merge)
  step steady && names+=(steady)
  printf '| table | source |'; printf ' %s |' "${names[@]}"; echo
  printf '|---|---:|'; printf -- '---:|%.0s' "${names[@]}"; echo
  for t in "${TABLE_LIST[@]}"; do
    printf '| %s | %s |' "$t" "${SRC_COUNT[$t]:--}"
    for n in "${names[@]}"; do printf ' %s |' "${COUNTS[$n:$t]:--}"; done
    echo
  done
  echo
  echo "(source counts: at the end of the run; the catch-up targets were compared with the source as it was after the backlog.)"
  echo "Logs, samples and the replay scripts: $LOGS/."
}

# -------------------------------------------------------------------- main ---

mkdir -p "$LOGS"
ensure_deps
scripts/dbs.sh start
[[ -x bin/sluice ]] || die "bin/sluice is missing; run make build (make bench-cdc does)"
find_server_pids
set_tables
log "load average $(loadavg); logs in $LOGS/"

build_source
initial_sync
step catchup && catchup
step steady && steady

results | tee "$RESULTS"
log "results written to $RESULTS"

failed=()
for n in "${!CHECK[@]}"; do [[ "${CHECK[$n]}" == ok ]] || failed+=("$n: ${CHECK[$n]}"); done
step steady && { ((DRAINED)) || failed+=("steady: sluice did not catch up within $DRAIN_TIMEOUT s"); }
step steady && { ((STEADY_RC == 0)) || failed+=("steady: sluice exited with $STEADY_RC after SIGINT"); }
if ((${#failed[@]})); then
  printf '\n!!!!!!!!!! CDC BENCHMARK FAILED: a target does not match the source or sluice failed !!!!!!!!!!\n' >&2
  printf '  %s\n' "${failed[@]}" >&2
  echo "  the databases ($SRC_DB on MariaDB; $TARGET, $REF_SQL, $REF_MERGE on PostgreSQL) are kept for inspection" >&2
  exit 1
fi

rm -f "$LOGS/.window"
if [[ "$KEEP" != 1 ]]; then
  rm -f "$LOGS/replay-sql.sql" "$LOGS/replay-merge.sql"
  for db in "$TARGET" "$REF_SQL" "$REF_MERGE"; do drop_db "$db"; done
  my -e "SET SESSION sql_log_bin = 0; DROP DATABASE IF EXISTS $SRC_DB"
  log "dropped $SRC_DB and the target databases (CDC_KEEP=1 keeps them and the replay scripts)"
fi
