#!/usr/bin/env bash
# scripts/dbs.sh — private MariaDB and PostgreSQL servers for sluice's
# integration tests. No Docker: the servers run from the distribution's
# binaries, on private ports bound to 127.0.0.1, with all their state under
# one directory. The system instances (3306/5432) are never used or touched.
#
#   scripts/dbs.sh start    start the servers (a no-op for those already up)
#   scripts/dbs.sh stop     stop them (a no-op for those already down)
#   scripts/dbs.sh start|stop mysql|pg   only that server (fault tests)
#   scripts/dbs.sh status   say which are up; exit 1 unless all are
#   scripts/dbs.sh env      print the export lines the tests read
#   scripts/dbs.sh clean    stop them and remove the state directory
#
# Environment:
#   SLUICE_DBS_DIR      state directory               (default <repo>/.dbs)
#   SLUICE_MYSQL_PORT   MariaDB port                  (default 33061)
#   SLUICE_MYSQL2=1     also run a second MariaDB     (default off)
#   SLUICE_MYSQL2_PORT  second MariaDB port           (default 33062)
#   SLUICE_PG_PORT      PostgreSQL port               (default 54321)
#   SLUICE_PG_BIN       PostgreSQL 15 binaries        (default /usr/lib/postgresql/15/bin)
#   SLUICE_MYSQL_EXTRA_OPTS  MariaDB options in option-file syntax, separated
#                       by whitespace (e.g. "log_slave_updates=OFF"), appended
#                       to [mysqld] where they override the settings below;
#                       for tests of a misconfigured source on a state
#                       directory of their own                 (default none)
#   SLUICE_DBS_TIMEOUT  seconds to wait for a server  (default 60)
#
# Layout of the state directory:
#   mysql/   my.cnf, data/, mysqld.sock, mysqld.pid, mysqld.log
#   mysql2/  the same for the second MariaDB
#   pg/      data/, run/ (unix socket), postgres.log — owned by the postgres
#            OS user when this script runs as root
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="$(realpath -m "${SLUICE_DBS_DIR:-$ROOT/.dbs}")"
MYSQL_PORT="${SLUICE_MYSQL_PORT:-33061}"
MYSQL2_PORT="${SLUICE_MYSQL2_PORT:-33062}"
MYSQL2="${SLUICE_MYSQL2:-0}"
PG_PORT="${SLUICE_PG_PORT:-54321}"
PG_BIN="${SLUICE_PG_BIN:-/usr/lib/postgresql/15/bin}"
TIMEOUT="${SLUICE_DBS_TIMEOUT:-60}"
MYSQL_EXTRA_OPTS="${SLUICE_MYSQL_EXTRA_OPTS:-}"

# MariaDB binaries: mariadbd lives in /usr/sbin, which a non-root PATH lacks.
MARIADBD="$(command -v mariadbd || echo /usr/sbin/mariadbd)"

# A file that marks a directory as ours, so `clean` never removes anything else.
MARKER=".sluice-dbs"

log() { printf 'dbs: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

is_root() { [[ "$(id -u)" == 0 ]]; }

# require_bins NAME... fails naming every missing binary and the fix.
require_bins() {
  local missing=() b
  for b in "$@"; do
    if [[ "$b" == /* ]]; then [[ -x "$b" ]] || missing+=("$b")
    else command -v "$b" >/dev/null 2>&1 || missing+=("$b"); fi
  done
  if ((${#missing[@]})); then
    die "missing ${missing[*]}; run scripts/deps.sh (or: apt-get install -y mariadb-server postgresql postgresql-15-postgis-3)"
  fi
}

# check_socket_path PATH: unix socket paths are limited to 107 bytes.
check_socket_path() {
  ((${#1} <= 100)) || die "socket path $1 is too long for a unix socket; set SLUICE_DBS_DIR to a shorter path"
}

# pid_matches PID NEEDLE: PID is alive and its command line contains NEEDLE.
# After a reboot a pid file may name an unrelated process that reused the pid,
# so being alive is not enough.
pid_matches() {
  local pid="$1" needle="$2" cmdline
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  cmdline="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" || return 1
  [[ "$cmdline" == *"$needle"* ]]
}

pid_gone() { ! kill -0 "$1" 2>/dev/null; }

# wait_until SECONDS CMD...: run CMD every half second until it succeeds.
wait_until() {
  local deadline=$((SECONDS + $1)); shift
  until "$@"; do
    ((SECONDS < deadline)) || return 1
    sleep 0.5
  done
}

show_log() {
  local file="$1"
  [[ -f "$file" ]] || return 0
  log "last lines of $file:"
  tail -n 30 "$file" >&2
}

# ---------------------------------------------------------------- MariaDB ---

# my_vars NAME sets the per-instance variables of MariaDB instance NAME.
my_vars() {
  MY_NAME="$1"
  MY_DIR="$DIR/$1"
  MY_CNF="$MY_DIR/my.cnf"
  MY_DATA="$MY_DIR/data"
  MY_SOCK="$MY_DIR/mysqld.sock"
  MY_PID="$MY_DIR/mysqld.pid"
  MY_LOG="$MY_DIR/mysqld.log"
  case "$1" in
    mysql)  MY_PORT="$MYSQL_PORT";  MY_SERVER_ID=1001; MY_DOMAIN_ID=0 ;;
    mysql2) MY_PORT="$MYSQL2_PORT"; MY_SERVER_ID=1002; MY_DOMAIN_ID=1 ;;
    *) die "unknown MariaDB instance $1" ;;
  esac
}

# my_client runs the mariadb client against the instance's socket as root.
# --no-defaults keeps /etc/mysql/my.cnf (the system instance) out of it.
my_client() { mariadb --no-defaults --protocol=socket --socket="$MY_SOCK" -uroot "$@"; }

my_running() { [[ -f "$MY_PID" ]] && pid_matches "$(cat "$MY_PID")" "--defaults-file=$MY_CNF"; }

# mariadb-admin ping succeeds as soon as the server answers, even before the
# TCP root accounts exist. It pings our socket, not the port, so another
# server on the same port is never mistaken for ours.
my_ready() {
  mariadb-admin --no-defaults --protocol=socket --socket="$MY_SOCK" -uroot \
    --connect-timeout=2 ping >/dev/null 2>&1
}

# my_write_cnf writes the instance's option file; it is rewritten on every
# start so that edits here take effect on the next start.
my_write_cnf() {
  local user_line=""
  # mariadbd refuses to run as root unless told to.
  is_root && user_line="user = root"
  cat >"$MY_CNF" <<EOF
# Written by scripts/dbs.sh; rewritten on every start.
[mysqld]
$user_line
datadir = $MY_DATA
socket = $MY_SOCK
pid-file = $MY_PID
log-error = $MY_LOG
port = $MY_PORT
bind-address = 127.0.0.1
skip-name-resolve

# What sluice's binlog reader needs: row events with full images and column
# metadata, GTIDs.
log_bin = mysql-bin
binlog_format = ROW
binlog_row_image = FULL
binlog_row_metadata = FULL
gtid_strict_mode = ON
server_id = $MY_SERVER_ID
gtid_domain_id = $MY_DOMAIN_ID
log_slave_updates = ON
expire_logs_days = 7

max_allowed_packet = 1G
character-set-server = utf8mb4
collation-server = utf8mb4_general_ci
mysql56_temporal_format = ON

# Speed over durability: this is a test harness.
innodb_buffer_pool_size = 512M
innodb_flush_log_at_trx_commit = 2
# Parallel tests each hold a few connections.
max_connections = 500
EOF
  if [[ -n "$MYSQL_EXTRA_OPTS" ]]; then
    local opts
    read -ra opts <<<"$MYSQL_EXTRA_OPTS"
    { echo "# SLUICE_MYSQL_EXTRA_OPTS"; printf '%s\n' "${opts[@]}"; } >>"$MY_CNF"
  fi
}

# my_setup runs once per data directory, after the first start: root accounts
# for TCP (the tests connect as root@127.0.0.1 without a password) and the
# time zone tables (tests use named zones). sql_log_bin=0 keeps this out of
# the binlog, so a test reading the binlog from the start sees only its own
# changes. A marker file records that it is done; every statement is
# idempotent, so an interrupted setup is simply redone.
my_setup() {
  [[ -f "$MY_DIR/.setup-done" ]] && return 0
  log "$MY_NAME: creating root accounts and loading time zones"
  my_client <<'EOF'
SET SESSION sql_log_bin = 0;
CREATE USER IF NOT EXISTS 'root'@'127.0.0.1';
CREATE USER IF NOT EXISTS 'root'@'%';
GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION;
GRANT ALL PRIVILEGES ON *.* TO 'root'@'%' WITH GRANT OPTION;
EOF
  { echo "SET SESSION sql_log_bin = 0;"
    mariadb-tzinfo-to-sql /usr/share/zoneinfo 2>>"$MY_LOG"
  } | my_client mysql
  touch "$MY_DIR/.setup-done"
}

my_start() {
  my_vars "$1"
  check_socket_path "$MY_SOCK"
  if my_running; then
    wait_until "$TIMEOUT" my_ready || { show_log "$MY_LOG"; die "$MY_NAME: running (pid $(cat "$MY_PID")) but not answering within ${TIMEOUT}s"; }
    my_setup
    log "$MY_NAME: already running on 127.0.0.1:$MY_PORT"
    return 0
  fi

  mkdir -p "$MY_DIR"
  # Left behind by a crash or a reboot; the server is not running.
  rm -f "$MY_PID" "$MY_SOCK" "$MY_SOCK.lock"
  my_write_cnf

  if [[ ! -f "$MY_DIR/.installed" ]]; then
    log "$MY_NAME: initialising $MY_DATA"
    rm -rf "$MY_DATA" "$MY_DIR/.setup-done"
    # normal: root@localhost logs in over the socket without a password, for
    # any OS user running this script.
    if ! mariadb-install-db --defaults-file="$MY_CNF" --auth-root-authentication-method=normal \
      --skip-test-db >"$MY_DIR/install.log" 2>&1; then
      show_log "$MY_DIR/install.log"
      die "$MY_NAME: mariadb-install-db failed"
    fi
    touch "$MY_DIR/.installed"
  fi

  log "$MY_NAME: starting on 127.0.0.1:$MY_PORT"
  # setsid detaches the server from this shell's session, so it outlives the
  # script and the make run; in a non-interactive shell it execs without
  # forking, so $! is the server's pid.
  # 9>&- : the server must not inherit the lock (see lock below).
  setsid "$MARIADBD" --defaults-file="$MY_CNF" </dev/null >>"$MY_LOG" 2>&1 9>&- &
  local pid=$!
  local deadline=$((SECONDS + TIMEOUT))
  until my_ready; do
    if ! kill -0 "$pid" 2>/dev/null; then
      show_log "$MY_LOG"
      die "$MY_NAME: mariadbd exited during start-up (is port $MY_PORT in use?)"
    fi
    if ((SECONDS >= deadline)); then
      show_log "$MY_LOG"
      die "$MY_NAME: not ready after ${TIMEOUT}s (pid $pid still running; scripts/dbs.sh stop to end it)"
    fi
    sleep 0.5
  done
  my_setup
  log "$MY_NAME: ready on 127.0.0.1:$MY_PORT"
}

my_stop() {
  my_vars "$1"
  if ! my_running; then
    rm -f "$MY_PID"
    return 0
  fi
  local pid
  pid="$(cat "$MY_PID")"
  log "$MY_NAME: stopping (pid $pid)"
  # SIGTERM is mariadbd's clean shutdown and needs no credentials.
  kill -TERM "$pid"
  if ! wait_until "$TIMEOUT" pid_gone "$pid"; then
    log "$MY_NAME: still running after ${TIMEOUT}s; killing it"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$MY_PID" "$MY_SOCK"
}

my_status() {
  my_vars "$1"
  if my_running && my_ready; then
    echo "$MY_NAME: up on 127.0.0.1:$MY_PORT (pid $(cat "$MY_PID"), $MY_DIR)"
  else
    echo "$MY_NAME: down (127.0.0.1:$MY_PORT, $MY_DIR)"
    return 1
  fi
}

# ------------------------------------------------------------- PostgreSQL ---

PG_DIR="$DIR/pg"
PG_DATA="$PG_DIR/data"
PG_RUN="$PG_DIR/run"
PG_LOG="$PG_DIR/postgres.log"

# PostgreSQL refuses to run as root: as root, every server-side command runs
# as the postgres OS user, which owns $PG_DIR.
as_pg() {
  if is_root; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_running() {
  [[ -f "$PG_DATA/postmaster.pid" ]] && pid_matches "$(head -n 1 "$PG_DATA/postmaster.pid")" "$PG_DATA"
}

pg_ready() { "$PG_BIN/pg_isready" -q -h "$PG_RUN" -p "$PG_PORT" -t 2; }

pg_check_postgis() {
  local share
  share="$("$PG_BIN/pg_config" --sharedir)"
  [[ -f "$share/extension/postgis.control" ]] ||
    die "PostGIS is not installed for PostgreSQL 15 ($share/extension/postgis.control is missing); run: apt-get install -y postgresql-15-postgis-3"
}

# pg_write_conf writes the settings the harness owns; postgresql.conf
# includes the file, which is rewritten on every start.
pg_write_conf() {
  as_pg tee "$PG_DATA/sluice.conf" >/dev/null <<EOF
# Written by scripts/dbs.sh; rewritten on every start.
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$PG_RUN'
max_connections = 300
shared_buffers = 512MB
# Speed over durability: this is a test harness.
fsync = off
synchronous_commit = off
full_page_writes = off
max_wal_size = 8GB
checkpoint_timeout = 30min
EOF
}

# pg_make_reachable lets the postgres OS user traverse every parent of
# $PG_DIR (a checkout under /root, mode 700, is the usual case). It grants
# search (x) only, never read: to postgres alone with an ACL where setfacl
# exists, else to everyone with chmod o+x, and it says so.
pg_make_reachable() {
  local d parents=()
  # Outermost first: a directory is searchable only if its parents are.
  d="$(dirname "$PG_DIR")"
  while [[ "$d" != / ]]; do parents=("$d" "${parents[@]}"); d="$(dirname "$d")"; done
  for d in "${parents[@]}"; do
    runuser -u postgres -- test -x "$d" && continue
    if command -v setfacl >/dev/null 2>&1; then
      log "pg: granting the postgres user search (x) on $d (setfacl) so it can reach $PG_DIR"
      setfacl -m u:postgres:x "$d"
    else
      log "pg: granting search (x) on $d (chmod o+x) so the postgres user can reach $PG_DIR"
      chmod o+x "$d"
    fi
  done
  runuser -u postgres -- test -w "$PG_DIR" ||
    die "the postgres OS user cannot write $PG_DIR; set SLUICE_DBS_DIR to a path such as /tmp/sluice-dbs"
}

pg_init() {
  log "pg: initialising $PG_DATA"
  rm -rf "$PG_DATA"
  mkdir -p "$PG_DATA" "$PG_RUN"
  chmod 700 "$PG_DATA"
  if is_root; then
    id postgres >/dev/null 2>&1 || die "no postgres OS user to run PostgreSQL as (PostgreSQL refuses root); install the postgresql package or run as a non-root user"
    chown -R postgres: "$PG_DIR"
    pg_make_reachable
  fi
  # C.UTF-8 sorts bytewise and is always built into glibc 2.35+; fall back
  # to C where it is missing.
  local locale=C
  locale -a 2>/dev/null | grep -qiE '^c\.utf-?8$' && locale=C.UTF-8
  if ! as_pg "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --auth=trust -E UTF8 --locale="$locale" \
    >"$PG_DIR/initdb.log" 2>&1; then
    show_log "$PG_DIR/initdb.log"
    die "pg: initdb failed"
  fi
  echo "include_if_exists = 'sluice.conf'" | as_pg tee -a "$PG_DATA/postgresql.conf" >/dev/null
}

pg_start() {
  check_socket_path "$PG_RUN/.s.PGSQL.$PG_PORT"
  if pg_running; then
    wait_until "$TIMEOUT" pg_ready || { show_log "$PG_LOG"; die "pg: running but not answering within ${TIMEOUT}s"; }
    log "pg: already running on 127.0.0.1:$PG_PORT"
    return 0
  fi
  pg_check_postgis

  mkdir -p "$PG_DIR"
  [[ -f "$PG_DATA/PG_VERSION" ]] || pg_init
  # Left behind by a crash or a reboot; the server is not running. Both would
  # make a start fail if their pid has been reused by another process.
  rm -f "$PG_DATA/postmaster.pid" "$PG_RUN/.s.PGSQL.$PG_PORT" "$PG_RUN/.s.PGSQL.$PG_PORT.lock"
  as_pg mkdir -p "$PG_RUN"
  pg_write_conf

  log "pg: starting on 127.0.0.1:$PG_PORT"
  if ! as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w -t "$TIMEOUT" start >/dev/null 9>&-; then
    show_log "$PG_LOG"
    die "pg: pg_ctl start failed (is port $PG_PORT in use?)"
  fi
  log "pg: ready on 127.0.0.1:$PG_PORT"
}

pg_stop() {
  pg_running || return 0
  log "pg: stopping"
  as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w -t "$TIMEOUT" stop >/dev/null
}

pg_status() {
  if pg_running && pg_ready; then
    echo "pg: up on 127.0.0.1:$PG_PORT (pid $(head -n 1 "$PG_DATA/postmaster.pid"), $PG_DIR)"
  else
    echo "pg: down (127.0.0.1:$PG_PORT, $PG_DIR)"
    return 1
  fi
}

# ------------------------------------------------------------------- main ---

# lock serialises start, stop and clean, so parallel make jobs or CI steps do
# not race on the same state directory. The lock is held on fd 9 until the
# script exits; servers are started with fd 9 closed, or they would hold it.
lock() {
  mkdir -p "$DIR"
  touch "$DIR/$MARKER"
  exec 9>"$DIR/.lock"
  flock -w $((TIMEOUT * 3)) 9 || die "another scripts/dbs.sh holds $DIR/.lock"
}

mysql2_wanted() { [[ "$MYSQL2" == 1 ]]; }

cmd_start() {
  require_bins "$MARIADBD" mariadb mariadb-admin mariadb-install-db mariadb-tzinfo-to-sql \
    setsid flock "$PG_BIN/initdb" "$PG_BIN/pg_ctl" "$PG_BIN/pg_isready" "$PG_BIN/pg_config"
  lock
  case "${1:-all}" in
    all) my_start mysql; mysql2_wanted && my_start mysql2; pg_start ;;
    mysql) my_start mysql ;;
    pg) pg_start ;;
    *) die "unknown server ${1}: use mysql or pg" ;;
  esac
}

cmd_stop() {
  [[ -d "$DIR" ]] || return 0
  lock
  case "${1:-all}" in
    all) my_stop mysql; my_stop mysql2; pg_stop ;;
    mysql) my_stop mysql ;;
    pg) pg_stop ;;
    *) die "unknown server ${1}: use mysql or pg" ;;
  esac
}

cmd_status() {
  local rc=0
  my_status mysql || rc=1
  # The second MariaDB counts only when asked for, but is shown when up.
  if mysql2_wanted; then
    my_status mysql2 || rc=1
  elif my_vars mysql2 && my_running; then
    my_status mysql2 || true
  fi
  pg_status || rc=1
  return "$rc"
}

cmd_env() {
  echo "export SLUICE_TEST_MYSQL=mysql://root@127.0.0.1:$MYSQL_PORT"
  mysql2_wanted && echo "export SLUICE_TEST_MYSQL2=mysql://root@127.0.0.1:$MYSQL2_PORT"
  echo "export SLUICE_TEST_PG='postgres://postgres@127.0.0.1:$PG_PORT/postgres?sslmode=disable'"
}

cmd_clean() {
  [[ -d "$DIR" ]] || return 0
  [[ -f "$DIR/$MARKER" ]] || die "$DIR has no $MARKER file; not removing a directory this script did not create"
  cmd_stop
  rm -rf "$DIR"
  log "removed $DIR"
}

case "${1:-}" in
  start) cmd_start "${2:-all}" ;;
  stop) cmd_stop "${2:-all}" ;;
  status) cmd_status ;;
  env) cmd_env ;;
  clean) cmd_clean ;;
  *) echo "usage: $0 start|stop|status|env|clean" >&2; exit 2 ;;
esac
