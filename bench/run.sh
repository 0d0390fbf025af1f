#!/usr/bin/env bash
# bench/run.sh — full-load benchmark of sluice against the raw pipe and
# pgloader, on the harness servers (scripts/dbs.sh). Run it with `make bench`,
# which starts the servers and builds bin/sluice first. See bench/README.md.
#
#   bench/run.sh [--rebuild]
#
# 1. Dataset on MariaDB, built once and reused while it has the asked-for
#    size (--rebuild forces a rebuild): database sbtest with BENCH_TABLES
#    sysbench oltp tables of BENCH_ROWS rows, and database widedb with one
#    wide table (bench/widedb.sql) of BENCH_WIDE_ROWS rows.
# 2. Timed copies of sbtest.* and widedb.*, each into a fresh PostgreSQL
#    database:
#      bench_sluice          bin/sluice run --phases schema,full (one run)
#      bench_pipe            mariadb --batch --raw | psql COPY, one table at
#                            a time, into tables created beforehand
#                            (untimed) from sluice's DDL without secondary
#                            indexes; then those indexes, timed apart
#      bench_pgloader        pgloader, default settings, once per database
#      bench_pgloader_tuned  the same with a bigger Lisp heap (Debian's
#                            pgloader runs out of its 1 GiB heap here)
# 3. Row counts of every target table against the source; a mismatch for
#    sluice or the raw pipe fails the run (exit 1) after the table is
#    printed. The values in sluice's and the pipe's targets are compared
#    too (a checksum per table).
# 4. The results, printed and written to bench/out/results-<stamp>.md; the
#    tools' logs go to bench/out/<stamp>/.
#
# Environment [default]:
#   BENCH_ROWS            rows per sysbench table              [1000000]
#   BENCH_TABLES          number of sysbench tables            [4]
#   BENCH_WIDE_ROWS       rows of widedb.wide                  [BENCH_ROWS]
#   BENCH_PARALLEL        sluice --parallel                    [sluice's default]
#   BENCH_TOOLS           the copies to run, comma-separated   [sluice,pipe,pgloader,pgloader_tuned]
#   BENCH_PGLOADER_TUNED  pgloader options of pgloader_tuned   [--dynamic-space-size 4096]
#   BENCH_PGLOADER_MYSQL  pgloader's source URL, no database   [mysql://root@127.0.0.1:33061]
#   BENCH_TIMEOUT         seconds before a tool run is killed  [3600]
#   BENCH_KEEP=1          keep the target databases            [0: dropped after a good run]
#   BENCH_STRICT=1        a failed pgloader run fails the run  [0: flagged only]
#   SLUICE_MYSQL_PORT     harness MariaDB port                 [33061]
#   SLUICE_PG_PORT        harness PostgreSQL port              [54321]
set -euo pipefail
SELF="$(realpath "$0")"
cd "$(dirname "$SELF")/.."

usage() { sed -n '2,/^set -euo/p' "$SELF" | sed '$d; s/^# \{0,1\}//'; }

REBUILD=0
for arg in "$@"; do
  case "$arg" in
    --rebuild) REBUILD=1 ;;
    -h | --help) usage; exit 0 ;;
    *) echo "usage: $0 [--rebuild]   (--help explains)" >&2; exit 2 ;;
  esac
done

ROWS="${BENCH_ROWS:-1000000}"
TABLES="${BENCH_TABLES:-4}"
WIDE_ROWS="${BENCH_WIDE_ROWS:-$ROWS}"
PARALLEL="${BENCH_PARALLEL:-}"
TOOLS=",${BENCH_TOOLS:-sluice,pipe,pgloader,pgloader_tuned},"
TIMEOUT="${BENCH_TIMEOUT:-3600}"
KEEP="${BENCH_KEEP:-0}"
MYSQL_PORT="${SLUICE_MYSQL_PORT:-33061}"
PG_PORT="${SLUICE_PG_PORT:-54321}"

# pgloader's source: the harness root over TCP, no password. pgloader's MySQL
# driver logs in fine with it (root@127.0.0.1 uses mysql_native_password with
# an empty password); a server whose accounts use another plugin needs an
# account with mysql_native_password and a password, given here.
PGL_MYSQL="${BENCH_PGLOADER_MYSQL:-mysql://root@127.0.0.1:$MYSQL_PORT}"
# The extra pgloader run: Debian's pgloader is built with a 1 GiB SBCL heap,
# and with its default batch and prefetch sizes it dies with "Heap exhausted,
# game over" on tables of a million sysbench rows. A larger heap is the
# usual fix (pgloader issues #327, #962).
read -ra PGL_TUNED <<<"${BENCH_PGLOADER_TUNED---dynamic-space-size 4096}"
TARGETS=(bench_sluice bench_pipe bench_pgloader bench_pgloader_tuned)

STAMP="$(date +%Y-%m-%d-%H%M%S)"
OUT=bench/out
LOGS="$OUT/$STAMP"
RESULTS="$OUT/results-$STAMP.md"

log() { printf '== %s\n' "$*" >&2; }
die() { printf 'bench: error: %s\n' "$*" >&2; exit 1; }
# shellcheck source=bench/lib.sh
source bench/lib.sh

for v in ROWS TABLES WIDE_ROWS TIMEOUT; do
  [[ "${!v}" =~ ^[1-9][0-9]*$ ]] || die "BENCH_$v must be a positive integer, not '${!v}'"
done
[[ -z "$PARALLEL" || "$PARALLEL" =~ ^[1-9][0-9]*$ ]] || die "BENCH_PARALLEL must be a positive integer"
wants() { [[ "$TOOLS" == *",$1,"* ]]; }

# calc EXPR: floating-point arithmetic.
calc() { awk "BEGIN { printf \"%s\", $1 }" ; }

# ------------------------------------------------------------ dependencies ---

# ensure_deps installs what the benchmark needs beyond the harness (sysbench,
# pgloader, GNU time) with apt-get, the way scripts/deps.sh does.
ensure_deps() {
  local pkgs=()
  command -v sysbench >/dev/null 2>&1 || pkgs+=(sysbench)
  command -v pgloader >/dev/null 2>&1 || pkgs+=(pgloader)
  [[ -x /usr/bin/time ]] || pkgs+=(time)
  command -v psql >/dev/null 2>&1 && command -v pg_dump >/dev/null 2>&1 || pkgs+=(postgresql-client)
  command -v mariadb >/dev/null 2>&1 || pkgs+=(mariadb-client)
  apt_install "${pkgs[@]}"
}

# ----------------------------------------------------------------- dataset ---

count_rows() { my -N -e "SELECT COUNT(*) FROM \`$1\`.\`$2\`"; }

# sbtest_ok: sbtest holds exactly sbtest1..BENCH_TABLES, each of BENCH_ROWS rows.
sbtest_ok() {
  local have want i
  have="$(my -N -e "SELECT GROUP_CONCAT(TABLE_NAME ORDER BY TABLE_NAME) FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'sbtest'")"
  want="$(for ((i = 1; i <= TABLES; i++)); do echo "sbtest$i"; done | sort | paste -sd,)"
  [[ "$have" == "$want" ]] || return 1
  for ((i = 1; i <= TABLES; i++)); do
    [[ "$(count_rows sbtest "sbtest$i")" == "$ROWS" ]] || return 1
  done
}

# widedb_ok: widedb holds only the current version of the wide table (its
# comment names the version of widedb.sql), with BENCH_WIDE_ROWS rows.
widedb_ok() {
  local have
  have="$(my -N -e "SELECT GROUP_CONCAT(CONCAT(TABLE_NAME, ':', TABLE_COMMENT)) FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'widedb'")"
  [[ "$have" == "wide:$(sed -n "s/.*COMMENT='\([^']*\)'.*/\1/p" bench/widedb.sql)" ]] || return 1
  [[ "$(count_rows widedb wide)" == "$WIDE_ROWS" ]]
}

build_sbtest() {
  log "building sbtest: $TABLES sysbench oltp tables × $ROWS rows (sysbench prepare)"
  my -e "SET SESSION sql_log_bin = 0; DROP DATABASE IF EXISTS sbtest; CREATE DATABASE sbtest CHARACTER SET utf8mb4"
  local threads
  threads="$(nproc)"
  ((threads > TABLES)) && threads="$TABLES"
  # bench/sysbench-prepare.lua is oltp_read_write's prepare with the binlog
  # off for its sessions.
  sysbench bench/sysbench-prepare.lua --db-driver=mysql \
    --mysql-host=127.0.0.1 --mysql-port="$MYSQL_PORT" --mysql-user=root --mysql-db=sbtest \
    --tables="$TABLES" --table-size="$ROWS" --threads="$threads" prepare
  local i list=()
  for ((i = 1; i <= TABLES; i++)); do list+=("sbtest$i"); done
  my -N sbtest -e "ANALYZE TABLE $(IFS=,; echo "${list[*]}")" >/dev/null
}

build_widedb() {
  log "building widedb.wide: $WIDE_ROWS rows (bench/widedb.sql)"
  sed "s/@ROWS@/$WIDE_ROWS/g" bench/widedb.sql | my -N >/dev/null
}

prepare_dataset() {
  local t0
  t0="$(now)"
  if ((REBUILD)) || ! sbtest_ok; then build_sbtest; else log "reusing sbtest ($TABLES × $ROWS rows)"; fi
  if ((REBUILD)) || ! widedb_ok; then build_widedb; else log "reusing widedb.wide ($WIDE_ROWS rows)"; fi
  sbtest_ok || die "sbtest does not have $TABLES tables of $ROWS rows after building it"
  widedb_ok || die "widedb.wide does not have $WIDE_ROWS rows after building it"
  DATASET_SECONDS="$(calc "$(now) - $t0")"
}

# ---------------------------------------------------------- source tables ---

# SRC_TABLES lists db.table of every table copied; SRC_ROWS[db.table] is
# its row count on MariaDB.
declare -a SRC_TABLES=()
declare -A SRC_ROWS=()
SRC_TOTAL=0

read_source() {
  local db t
  while IFS=$'\t' read -r db t; do
    SRC_TABLES+=("$db.$t")
    SRC_ROWS["$db.$t"]="$(count_rows "$db" "$t")"
    SRC_TOTAL=$((SRC_TOTAL + SRC_ROWS["$db.$t"]))
  done < <(my -N -e "SELECT TABLE_SCHEMA, TABLE_NAME FROM information_schema.TABLES
                     WHERE TABLE_SCHEMA IN ('sbtest', 'widedb') ORDER BY TABLE_SCHEMA, TABLE_NAME")
  SRC_MB="$(my -N -e "SELECT ROUND(SUM(DATA_LENGTH + INDEX_LENGTH) / 1048576) FROM information_schema.TABLES
                      WHERE TABLE_SCHEMA IN ('sbtest', 'widedb')")"
}

# ------------------------------------------------------------ the targets ---

fresh_db() {
  pg -d postgres -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)" -c "CREATE DATABASE $1"
}

# verify TOOL DB SCHEMA_PREFIX: compares every target table's row count
# with the source. The target schema of db is SCHEMA_PREFIX + db (all three
# tools name the schema after the source database). Sets ROWS_OUT[TOOL] and
# CHECK[TOOL]; returns 1 on any difference.
verify() {
  local tool="$1" db="$2" key schema table n total=0 bad=()
  for key in "${SRC_TABLES[@]}"; do
    schema="${key%%.*}"; schema="${schema,,}"
    table="${key#*.}"; table="${table,,}"
    n="$(pg -d "$db" -At -c "SELECT count(*) FROM \"$schema\".\"$table\"" 2>/dev/null)" || n="missing"
    COUNTS["$tool:$key"]="$n"
    if [[ "$n" == "${SRC_ROWS[$key]}" ]]; then
      total=$((total + n))
    else
      bad+=("$key: $n of ${SRC_ROWS[$key]}")
      [[ "$n" =~ ^[0-9]+$ ]] && total=$((total + n))
    fi
  done
  ROWS_OUT["$tool"]="$total"
  if ((${#bad[@]})); then
    CHECK["$tool"]="MISMATCH ($(printf '%s; ' "${bad[@]}" | sed 's/; $//'))"
    return 1
  fi
  CHECK["$tool"]="ok"
}

declare -A WALL=() RSS=() CPU=() RC=() ROWS_OUT=() CHECK=() COUNTS=() LOAD_BEFORE=() BUSY_BEFORE=() NOTE=()

# ------------------------------------------------------------------ sluice ---

run_sluice() {
  local t0 rc=0 args=()
  fresh_db bench_sluice
  settle sluice
  args=(run --source "mysql://root@127.0.0.1:$MYSQL_PORT"
    --target "postgres://postgres@127.0.0.1:$PG_PORT/bench_sluice?sslmode=disable"
    --include 'sbtest.*' --include 'widedb.*' --phases 'schema,full')
  [[ -n "$PARALLEL" ]] && args+=(--parallel "$PARALLEL")
  log "sluice: bin/sluice ${args[*]}  (log: $LOGS/sluice.log)"
  t0="$(now)"
  timeout "$TIMEOUT" /usr/bin/time -v -o "$LOGS/sluice.time" bin/sluice "${args[@]}" \
    >"$LOGS/sluice.log" 2>&1 || rc=$?
  WALL[sluice]="$(calc "$(now) - $t0")"
  RC[sluice]="$rc"
  RSS[sluice]="$(rss_mib "$LOGS/sluice.time")"
  CPU[sluice]="$(cpu_s "$LOGS/sluice.time")"
  if ((rc)); then
    log "sluice: exit code $rc; last lines of its log:"
    tail -n 20 "$LOGS/sluice.log" >&2
  fi
  verify sluice bench_sluice || true
}

# ---------------------------------------------------------------- raw pipe ---

# The conversion of MariaDB values to PostgreSQL's COPY text format, done in
# the SELECT: with --raw the client prints values unescaped, NULL as the word
# NULL, so the query escapes what COPY treats specially (backslash, tab,
# newline, carriage return), writes NULL as \N, bytes as \\x<hex> (COPY
# unescapes it to bytea's \x<hex>), BIT(n) as n binary digits and FLOAT as a
# DOUBLE (the client prints FLOAT with 6 significant digits only, which loses
# precision; the DOUBLE's digits round back to the same FLOAT). Other types
# print in a form PostgreSQL's input functions accept (TIME as an interval,
# TIMESTAMP in the UTC session zone). The templates are verbatim SQL; COL
# stands for the column.
read -r -d '' SQL_TEXT <<'SQL' || true
REPLACE(REPLACE(REPLACE(REPLACE(COL, '\\', '\\\\'), '\t', '\\t'), '\n', '\\n'), '\r', '\\r')
SQL
read -r -d '' SQL_BYTES <<'SQL' || true
CONCAT('\\\\x', HEX(COL))
SQL
read -r -d '' SQL_NULL <<'SQL' || true
IFNULL(COL, '\\N')
SQL

# pipe_columns DB TABLE sets PIPE_SELECT (the SELECT list) and PIPE_COLS
# (the COPY column list) for the table.
pipe_columns() {
  local db="$1" t="$2" name type nullable prec c expr sel=() cols=()
  while IFS=$'\t' read -r name type nullable prec; do
    c="\`$name\`"
    case "$type" in
      char | varchar | tinytext | text | mediumtext | longtext | enum | set | json) expr="${SQL_TEXT//COL/"$c"}" ;;
      binary | varbinary | tinyblob | blob | mediumblob | longblob) expr="${SQL_BYTES//COL/"$c"}" ;;
      bit) expr="LPAD(BIN($c), $prec, '0')" ;;
      float) expr="CAST($c AS DOUBLE)" ;;
      tinyint | smallint | mediumint | int | bigint | decimal | double | date | datetime | timestamp | time | year) expr="$c" ;;
      *) die "raw pipe: no COPY text conversion for $db.$t.$name of type $type" ;;
    esac
    [[ "$nullable" == YES ]] && expr="${SQL_NULL//COL/"$expr"}"
    sel+=("$expr")
    cols+=("\"${name,,}\"")
  done < <(my -N -e "SELECT COLUMN_NAME, DATA_TYPE, IS_NULLABLE, IFNULL(NUMERIC_PRECISION, 0)
                     FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = '$db' AND TABLE_NAME = '$t'
                     ORDER BY ORDINAL_POSITION")
  PIPE_SELECT="$(IFS=,; echo "${sel[*]}")"
  PIPE_COLS="$(IFS=,; echo "${cols[*]}")"
}

# pipe_ddl creates the target tables in bench_pipe (untimed) with sluice's
# DDL minus secondary indexes (primary keys stay: sluice creates them before
# its load too), and writes those secondary indexes to pipe-indexes.sql. The
# DDL is pg_dump's of sluice's target from this run; when sluice did not run
# or did not get that far, of a schema-only sluice run into a scratch
# database (which has no secondary indexes to build afterwards).
pipe_ddl() {
  local from=bench_sluice n
  n="$(pg -d bench_sluice -At -c "SELECT count(*) FROM pg_tables WHERE schemaname IN ('sbtest', 'widedb')" 2>/dev/null)" || n=0
  if ! wants sluice || [[ "$n" != "${#SRC_TABLES[@]}" ]]; then
    from=bench_pipe_ddl
    log "raw pipe: taking the DDL from a schema-only sluice run"
    fresh_db "$from"
    bin/sluice run --source "mysql://root@127.0.0.1:$MYSQL_PORT" \
      --target "postgres://postgres@127.0.0.1:$PG_PORT/$from?sslmode=disable" \
      --include 'sbtest.*' --include 'widedb.*' --phases schema >"$LOGS/pipe-ddl.log" 2>&1 ||
      { tail -n 20 "$LOGS/pipe-ddl.log" >&2; die "raw pipe: sluice --phases schema failed (log: $LOGS/pipe-ddl.log)"; }
  fi
  pg_dump -h127.0.0.1 -p"$PG_PORT" -U postgres --schema-only --no-owner -n sbtest -n widedb "$from" \
    >"$LOGS/pipe-dump.sql"
  [[ "$from" == bench_pipe_ddl ]] && pg -d postgres -c "DROP DATABASE bench_pipe_ddl WITH (FORCE)"
  # pg_dump writes each CREATE INDEX on one line.
  grep -Ev '^CREATE (UNIQUE )?INDEX ' "$LOGS/pipe-dump.sql" >"$LOGS/pipe-ddl.sql" || true
  grep -E '^CREATE (UNIQUE )?INDEX ' "$LOGS/pipe-dump.sql" >"$LOGS/pipe-indexes.sql" || true
  fresh_db bench_pipe
  pg -d bench_pipe -f "$LOGS/pipe-ddl.sql" >/dev/null
  n="$(pg -d bench_pipe -At -c "SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
        JOIN pg_namespace s ON s.oid = c.relnamespace WHERE s.nspname IN ('sbtest', 'widedb') AND NOT i.indisprimary")"
  [[ "$n" == 0 ]] || die "raw pipe: $n secondary indexes left in bench_pipe's DDL ($LOGS/pipe-ddl.sql)"
}

declare -A PIPE_WALL=() PIPE_COPIED=()
IDX_COUNT=0
IDX_WALL=0

# run_pipe copies one table at a time; WALL[pipe] is the sum. Afterwards it
# builds the secondary indexes sluice built, one after the other, timed
# apart: WALL[pipe_idx] is the pipe plus that build, the same end state as
# sluice's (IDX_COUNT indexes).
run_pipe() {
  local key db t t0 t1 rc=0 out
  pipe_ddl
  settle pipe
  t0="$(now)"
  for key in "${SRC_TABLES[@]}"; do
    db="${key%%.*}"; t="${key#*.}"
    pipe_columns "$db" "$t"
    log "raw pipe: $key"
    t1="$(now)"
    # psql prints "COPY <rows>"; its output is kept to cross-check the count.
    if ! out="$(timeout "$TIMEOUT" mariadb --no-defaults --default-character-set=utf8mb4 --protocol=tcp \
      -h127.0.0.1 -P"$MYSQL_PORT" -uroot --init-command="SET time_zone = '+00:00'" \
      --quick --batch --raw --skip-column-names -e "SELECT $PIPE_SELECT FROM \`$db\`.\`$t\`" 2>>"$LOGS/pipe.log" |
      PGTZ=UTC PGCLIENTENCODING=UTF8 timeout "$TIMEOUT" psql -X -v ON_ERROR_STOP=1 -h127.0.0.1 -p"$PG_PORT" -U postgres \
        -d bench_pipe -c "COPY \"${db,,}\".\"${t,,}\" ($PIPE_COLS) FROM STDIN" 2>>"$LOGS/pipe.log")"; then
      rc=1
      log "raw pipe: $key failed (log: $LOGS/pipe.log)"
      tail -n 5 "$LOGS/pipe.log" >&2
    fi
    PIPE_WALL["$key"]="$(calc "$(now) - $t1")"
    PIPE_COPIED["$key"]="${out#COPY }"
    echo "$key: $out in ${PIPE_WALL[$key]} s" >>"$LOGS/pipe.log"
  done
  WALL[pipe]="$(calc "$(now) - $t0")"
  RC[pipe]="$rc"
  RSS[pipe]="-"
  CPU[pipe]="-"
  verify pipe bench_pipe || true

  IDX_COUNT="$(grep -c . "$LOGS/pipe-indexes.sql" || true)"
  ((IDX_COUNT)) || return 0
  log "raw pipe: building the $IDX_COUNT secondary indexes"
  t1="$(now)"
  pg -d bench_pipe -f "$LOGS/pipe-indexes.sql" >/dev/null || rc=1
  IDX_WALL="$(calc "$(now) - $t1")"
  WALL[pipe_idx]="$(calc "${WALL[pipe]} + $IDX_WALL")"
  RC[pipe_idx]="$rc"
  RSS[pipe_idx]="-"
  CPU[pipe_idx]="-"
  ROWS_OUT[pipe_idx]="${ROWS_OUT[pipe]}"
  CHECK[pipe_idx]="${CHECK[pipe]}"
}

# ---------------------------------------------------------------- pgloader ---

# pgloader_summary LOG: the errors and rows of pgloader's summary line
# "Total import time  <errors or ✓>  <rows>  <bytes>  <time>"; "no summary"
# when there is none (pgloader died).
pgloader_summary() {
  awk '/Total import time/ { printf "reports %s rows, errors %s", $5, ($4 == "✓" ? "none" : $4); f = 1; exit }
       END { if (!f) print "no summary" }' "$1"
}

# run_pgloader TOOL TARGET_DB [PGLOADER_OPTION...] runs pgloader once per
# source database (its command line takes one) into TARGET_DB; both runs
# are timed together. pgloader names the target schema after the database.
run_pgloader() {
  local tool="$1" target="$2" db t0 rc=0 one reported=() rss=0 cpu=0 r c
  shift 2
  fresh_db "$target"
  settle "$tool"
  t0="$(now)"
  for db in sbtest widedb; do
    log "$tool: pgloader $* $PGL_MYSQL/$db …/$target  (log: $LOGS/$tool-$db.log)"
    one=0
    timeout "$TIMEOUT" /usr/bin/time -v -o "$LOGS/$tool-$db.time" \
      pgloader "$@" "$PGL_MYSQL/$db" "postgresql://postgres@127.0.0.1:$PG_PORT/$target" \
      >"$LOGS/$tool-$db.log" 2>&1 || one=$?
    if ((one)); then
      rc="$one"
      log "$tool: $db: exit code $one:"
      grep -E 'ERROR|FATAL|Heap exhausted' "$LOGS/$tool-$db.log" | head -n 5 >&2 || tail -n 5 "$LOGS/$tool-$db.log" >&2
    fi
    reported+=("$db: exit $one, $(pgloader_summary "$LOGS/$tool-$db.log")")
    r="$(rss_mib "$LOGS/$tool-$db.time")"; [[ "$r" != - ]] && ((r > rss)) && rss="$r"
    c="$(cpu_s "$LOGS/$tool-$db.time")"; [[ "$c" != - ]] && cpu="$(calc "$cpu + $c")"
  done
  WALL["$tool"]="$(calc "$(now) - $t0")"
  RC["$tool"]="$rc"
  RSS["$tool"]="$rss"
  CPU["$tool"]="$cpu"
  NOTE["$tool"]="$(printf '%s; ' "${reported[@]}")"
  verify "$tool" "$target" || true
}

# compare: after the timed runs, checks that sluice's and the raw pipe's
# targets hold the same values: each table is dumped from both in primary
# key order (the first column, in this dataset) and the checksums compared.
# Both convert independently (sluice in Go, the pipe in MariaDB's SQL), so
# a difference means one of them changed a value. Sets CONTENT.
CONTENT="not compared"
compare() {
  wants sluice && wants pipe || return 0
  [[ "${CHECK[sluice]}" == ok && "${CHECK[pipe]}" == ok ]] || return 0
  local key q a b diff=()
  log "comparing the values in bench_sluice and bench_pipe"
  for key in "${SRC_TABLES[@]}"; do
    q="COPY (SELECT * FROM \"${key%%.*}\".\"${key#*.}\" ORDER BY 1) TO STDOUT"
    a="$(pg -d bench_sluice -c "$q" | md5sum)"
    b="$(pg -d bench_pipe -c "$q" | md5sum)"
    [[ "$a" == "$b" ]] || diff+=("$key")
  done
  if ((${#diff[@]})); then
    CONTENT="DIFFERENT in ${diff[*]}"
    CHECK[sluice]="values differ from the raw pipe's (${diff[*]})"
  else
    CONTENT="identical in all ${#SRC_TABLES[@]} tables"
  fi
}

# ----------------------------------------------------------------- results ---

# results prints the markdown report; it is also what lands in $RESULTS.
results() {
  local tool label key ratio busy_end tools=() rows=()
  for tool in sluice pipe pgloader pgloader_tuned; do wants "$tool" && tools+=("$tool"); done
  # The rows of the main table: the tools, and the pipe with its index build.
  for tool in "${tools[@]}"; do
    rows+=("$tool")
    [[ "$tool" == pipe && -n "${WALL[pipe_idx]:-}" ]] && rows+=(pipe_idx)
  done
  echo "# sluice full-load benchmark, $(date '+%Y-%m-%d %H:%M %Z')"
  echo
  echo "- dataset: sbtest $TABLES × $ROWS rows (sysbench oltp) + widedb.wide $WIDE_ROWS rows (18 mixed columns);" \
    "$SRC_TOTAL rows, $SRC_MB MiB in InnoDB (data + indexes)"
  echo "- machine: $(nproc) cores, $(free -g | awk '/^Mem:/ { print $2 }') GiB RAM;" \
    "MariaDB $(my -N -e 'SELECT VERSION()'); PostgreSQL $(pg -d postgres -At -c 'SHOW server_version' | cut -d' ' -f1)"
  echo "- sluice $(git rev-parse --short HEAD 2>/dev/null)$(git diff --quiet HEAD -- 2>/dev/null || echo ' (work tree with changes)')," \
    "--parallel ${PARALLEL:-default}; $(pgloader --version 2>/dev/null | head -n 1)"
  for tool in "${tools[@]}"; do
    echo "- before $tool: load average ${LOAD_BEFORE[$tool]:--} (1, 5, 15 min);" \
      "processes over 5% CPU: ${BUSY_BEFORE[$tool]:-none}"
  done
  busy_end="$(busy "$LOGS/top-end.txt")"
  echo "- at the end: load average $(loadavg); processes over 5% CPU: ${busy_end:-none}"
  echo
  echo "| tool | wall s | rows | rows/s | peak RSS MiB | client CPU s | exit | row check |"
  echo "|---|---:|---:|---:|---:|---:|---:|---|"
  for tool in "${rows[@]}"; do
    case "$tool" in
      sluice) label="sluice run --phases schema,full" ;;
      pipe) label="raw pipe (mariadb \\| psql COPY), no secondary indexes" ;;
      pipe_idx) label="$(printf 'raw pipe + CREATE INDEX of the %s secondary indexes (%.1f s)' "$IDX_COUNT" "$IDX_WALL")" ;;
      pgloader) label="pgloader, default settings" ;;
      pgloader_tuned) label="pgloader ${PGL_TUNED[*]}" ;;
    esac
    printf '| %s | %.1f | %s | %.0f | %s | %s | %s | %s |\n' "$label" "${WALL[$tool]}" "${ROWS_OUT[$tool]}" \
      "$(calc "${ROWS_OUT[$tool]} / ${WALL[$tool]}")" "${RSS[$tool]}" "${CPU[$tool]}" "${RC[$tool]}" "${CHECK[$tool]}"
  done
  echo
  if wants sluice; then
    echo "Ratios of wall time (below 1: sluice is faster):"
    echo
    for tool in "${rows[@]}"; do
      [[ "$tool" == sluice ]] && continue
      case "$tool" in
        pipe) label="raw pipe" ;;
        pipe_idx) label="raw pipe + indexes" ;;
        pgloader) label="pgloader (defaults)" ;;
        pgloader_tuned) label="pgloader ${PGL_TUNED[*]}" ;;
      esac
      if [[ "${CHECK[$tool]}" != ok || "${RC[$tool]}" != 0 ]]; then
        echo "- sluice / $label: n/a ($label failed: exit ${RC[$tool]}, row check ${CHECK[$tool]%% (*})"
        continue
      fi
      ratio="$(calc "${WALL[sluice]} / ${WALL[$tool]}")"
      printf -- '- sluice / %s: **%.2f**\n' "$label" "$ratio"
    done
    echo
  fi
  echo "Row counts, source vs each target:"
  echo
  printf '| table | source |'; printf ' %s |' "${tools[@]}"; echo
  printf '|---|---:|'; printf -- '---:|%.0s' "${tools[@]}"; echo
  for key in "${SRC_TABLES[@]}"; do
    printf '| %s | %s |' "$key" "${SRC_ROWS[$key]}"
    for tool in "${tools[@]}"; do printf ' %s |' "${COUNTS[$tool:$key]:--}"; done
    echo
  done
  echo
  if wants pipe; then
    echo "Raw pipe, per table:"
    echo
    for key in "${SRC_TABLES[@]}"; do
      printf -- '- %s: %.1f s, COPY %s\n' "$key" "${PIPE_WALL[$key]:-0}" "${PIPE_COPIED[$key]:--}"
    done
    echo
  fi
  if wants sluice && wants pipe; then
    echo "Values, sluice's target vs the raw pipe's (COPY TO of each table, md5): $CONTENT."
    echo
  fi
  for tool in pgloader pgloader_tuned; do
    wants "$tool" && printf '%s: %s.\n\n' "${tool/_/ }" "${NOTE[$tool]%; }"
  done
  echo "Wall time is each tool's whole run, client start to exit. sluice: prechecks, schema, snapshot," \
    "load, secondary indexes, identity sequences. Raw pipe: the sum of the per-table pipes into tables" \
    "created beforehand (untimed) with primary keys only. pgloader: its two runs (one per database)," \
    "each creating tables, loading, and building indexes. Peak RSS and client CPU are the client" \
    "processes' (GNU time), not the servers'. Logs: $LOGS/."
}

# -------------------------------------------------------------------- main ---

mkdir -p "$LOGS"
ensure_deps
scripts/dbs.sh start
[[ -x bin/sluice ]] || die "bin/sluice is missing; run make build (make bench does)"

log "load average $(loadavg); logs in $LOGS/"
prepare_dataset
read_source
log "source: ${#SRC_TABLES[@]} tables, $SRC_TOTAL rows, $SRC_MB MiB (dataset ready in ${DATASET_SECONDS%.*} s)"

wants sluice && run_sluice
wants pipe && run_pipe
wants pgloader && run_pgloader pgloader bench_pgloader
wants pgloader_tuned && run_pgloader pgloader_tuned bench_pgloader_tuned "${PGL_TUNED[@]}"
compare

results | tee "$RESULTS"
log "results written to $RESULTS"

# sluice and the raw pipe must have copied every row, or the run fails:
# a fast copy of nothing must not look good. pgloader's failures are results
# about pgloader (shown in the table, its ratio n/a); they are flagged here
# but fail the run only with BENCH_STRICT=1.
failed=() warned=()
for tool in sluice pipe pgloader pgloader_tuned; do
  wants "$tool" || continue
  problems=()
  [[ "${CHECK[$tool]}" == ok ]] || problems+=("$tool: ${CHECK[$tool]}")
  [[ "${RC[$tool]}" == 0 ]] || problems+=("$tool: exit code ${RC[$tool]}")
  ((${#problems[@]})) || continue
  if [[ "$tool" == pgloader* && "${BENCH_STRICT:-0}" != 1 ]]; then
    warned+=("${problems[@]}")
  else
    failed+=("${problems[@]}")
  fi
done
if ((${#warned[@]})); then
  printf '\n!!! pgloader did not copy everything (see the table; BENCH_STRICT=1 makes this fail the run):\n' >&2
  printf '  %s\n' "${warned[@]}" >&2
fi
if ((${#failed[@]})); then
  printf '\n!!!!!!!!!! BENCHMARK FAILED: a target does not match the source or a tool failed !!!!!!!!!!\n' >&2
  printf '  %s\n' "${failed[@]}" >&2
  echo "  the target databases (${TARGETS[*]}) are kept for inspection" >&2
  exit 1
fi

if [[ "$KEEP" != 1 ]]; then
  for db in "${TARGETS[@]}"; do pg -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)"; done
  log "dropped the target databases (BENCH_KEEP=1 keeps them)"
fi
