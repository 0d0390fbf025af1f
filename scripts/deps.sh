#!/usr/bin/env bash
# scripts/deps.sh — make sure this machine has what the test harness
# (scripts/dbs.sh) needs: MariaDB, PostgreSQL 15 and PostGIS, from Debian's
# packages, and Chromium for the web console's browser test. Installs them
# with apt-get when any is missing (with sudo when not root); otherwise says
# what is missing and how to install it. Go is expected at /usr/local/go/bin
# or on PATH; it is checked, not installed.
set -euo pipefail

PG_BIN="${SLUICE_PG_BIN:-/usr/lib/postgresql/15/bin}"
PACKAGES=(mariadb-server postgresql postgresql-15-postgis-3 chromium)

log() { printf 'deps: %s\n' "$*" >&2; }

# missing prints each thing the harness needs that is not on this machine.
missing() {
  local b
  for b in mariadbd mariadb mariadb-admin mariadb-install-db mariadb-tzinfo-to-sql; do
    # mariadbd is in /usr/sbin, which a non-root PATH lacks.
    command -v "$b" >/dev/null 2>&1 || [[ -x "/usr/sbin/$b" ]] || echo "$b"
  done
  for b in initdb pg_ctl pg_isready pg_config postgres; do
    [[ -x "$PG_BIN/$b" ]] || echo "$PG_BIN/$b"
  done
  if [[ -x "$PG_BIN/pg_config" ]]; then
    local control
    control="$("$PG_BIN/pg_config" --sharedir)/extension/postgis.control"
    [[ -f "$control" ]] || echo "$control"
  fi
  [[ -d /usr/share/zoneinfo ]] || echo /usr/share/zoneinfo
  # The console test drives it headless (chromedp; no chromium-driver needed).
  command -v chromium >/dev/null 2>&1 || echo chromium
}

mapfile -t gone < <(missing)
if ((${#gone[@]})); then
  log "missing: ${gone[*]}"
  sudo=()
  if [[ "$(id -u)" != 0 ]]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
      sudo=(sudo)
    else
      log "error: not root and no password-less sudo; run as root:"
      log "  apt-get update && apt-get install -y ${PACKAGES[*]}"
      exit 1
    fi
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    log "error: no apt-get; install MariaDB, PostgreSQL 15, PostGIS 3 and Chromium for it by hand"
    exit 1
  fi
  # Named zones for MariaDB's time zone tables; usually already present, and
  # asked for only when not, so that nothing else gets upgraded.
  [[ -d /usr/share/zoneinfo ]] || PACKAGES+=(tzdata)
  # Chromium alone missing: install it alone (the database servers stay as they are).
  [[ "${gone[*]}" == chromium ]] && PACKAGES=(chromium)
  log "installing ${PACKAGES[*]}"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y "${PACKAGES[@]}"
  mapfile -t gone < <(missing)
  if ((${#gone[@]})); then
    log "error: still missing after apt-get install: ${gone[*]}"
    exit 1
  fi
fi

if ! PATH="/usr/local/go/bin:$PATH" command -v go >/dev/null 2>&1; then
  log "error: no Go toolchain at /usr/local/go/bin or on PATH; install Go (see go.mod for the version)"
  exit 1
fi
log "ok: MariaDB, PostgreSQL 15, PostGIS, Chromium and Go are present"
