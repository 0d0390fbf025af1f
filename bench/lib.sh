# Helpers shared by bench/run.sh and bench/cdc.sh; sourced, not run.
# They expect MYSQL_PORT, PG_PORT and LOGS, the log() and die() functions and
# the associative arrays LOAD_BEFORE and BUSY_BEFORE of the sourcing script.
# shellcheck shell=bash

# Clients. --no-defaults keeps the system's /etc/mysql option files out; both
# sessions in UTC, so TIMESTAMP values and clocks compare.
my() {
  mariadb --no-defaults --default-character-set=utf8mb4 --protocol=tcp -h127.0.0.1 -P"$MYSQL_PORT" -uroot \
    --init-command="SET time_zone = '+00:00'" "$@"
}
pg() { PGTZ=UTC PGCLIENTENCODING=UTF8 PGOPTIONS='-c client_min_messages=warning' psql -X -q -v ON_ERROR_STOP=1 -h127.0.0.1 -p"$PG_PORT" -U postgres "$@"; }

now() { echo "$EPOCHREALTIME"; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

# rss_mib / cpu_s FILE: peak RSS and CPU seconds from a GNU time -v log.
rss_mib() { awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024; f = 1 } END { if (!f) print "-" }' "$1" 2>/dev/null || echo -; }
cpu_s() { awk -F': ' '/User time|System time/ { s += $2; f = 1 } END { if (f) printf "%.1f", s; else print "-" }' "$1" 2>/dev/null || echo -; }

# busy: processes over 5% of a CPU during one second (this script idles).
busy() {
  top -b -n 2 -d 1 -w 200 2>/dev/null | tee "$1" |
    awk '/^top -/ { n++ } n == 2 && $1 ~ /^[0-9]+$/ && $9 + 0 >= 5 { printf "%s %.0f%%, ", $12, $9 }' |
    sed 's/, $//'
}

declare -A LOAD_BEFORE=() BUSY_BEFORE=()
STEP_NAMES=()
# settle STEP: checkpoint PostgreSQL and sync, so one step's writes are not
# paid by the next; note the load average and what else is running.
settle() {
  pg -d postgres -c CHECKPOINT
  sync
  STEP_NAMES+=("$1")
  LOAD_BEFORE["$1"]="$(loadavg)"
  BUSY_BEFORE["$1"]="$(busy "$LOGS/$1.top-before.txt")"
  log "$1: load average ${LOAD_BEFORE[$1]}; busy: ${BUSY_BEFORE[$1]:-nothing}"
}

# apt_install PKG...: install what is missing with apt-get, as root or
# through password-less sudo, the way scripts/deps.sh does.
apt_install() {
  (($#)) || return 0
  local sudo=()
  log "installing $*"
  if [[ "$(id -u)" != 0 ]]; then
    if ! command -v sudo >/dev/null 2>&1 || ! sudo -n true 2>/dev/null; then
      die "not root and no password-less sudo; run as root: apt-get install -y $*"
    fi
    sudo=(sudo)
  fi
  command -v apt-get >/dev/null 2>&1 || die "no apt-get; install $* by hand"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y "$@"
}
