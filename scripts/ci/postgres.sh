#!/usr/bin/env bash
# Installs (from Debian's packages) and starts PostgreSQL for the server tests, idempotently, then prints a
# DATABASE_URL on stdout (the last line) for a role that may create databases:
#   export TEST_DATABASE_URL_PG="$(bash scripts/ci/postgres.sh | tail -1)"
# Needs root (apt-get, pg_ctlcluster). Everything else it prints goes to stderr.
set -euo pipefail
PG_USER="${PG_USER:-ledger}"
PG_PASSWORD="${PG_PASSWORD:-ledger}"
PG_PORT="${PG_PORT:-5432}"
log() { echo "[postgres.sh] $*" >&2; }

if ! command -v pg_ctlcluster >/dev/null 2>&1 || ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  log "installing postgresql from Debian"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
fi

VERSION="$(ls /usr/lib/postgresql | sort -n | tail -1)"
if ! pg_lsclusters -h 2>/dev/null | awk '{print $1" "$2}' | grep -q "^${VERSION} main$"; then
  log "creating cluster ${VERSION}/main"
  pg_createcluster "${VERSION}" main --port "${PG_PORT}" >&2
fi
if ! pg_lsclusters -h | awk -v v="${VERSION}" '$1==v && $2=="main" {print $4}' | grep -q online; then
  log "starting cluster ${VERSION}/main"
  pg_ctlcluster "${VERSION}" main start >&2
fi
PORT="$(pg_lsclusters -h | awk -v v="${VERSION}" '$1==v && $2=="main" {print $3}')"

for _ in $(seq 1 30); do
  if su postgres -c "psql -p ${PORT} -Atqc 'select 1'" >/dev/null 2>&1; then break; fi
  sleep 1
done
su postgres -c "psql -p ${PORT} -v ON_ERROR_STOP=1 -Atq" >&2 <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${PG_USER}') THEN
    CREATE ROLE ${PG_USER} LOGIN CREATEDB PASSWORD '${PG_PASSWORD}';
  ELSE
    ALTER ROLE ${PG_USER} LOGIN CREATEDB PASSWORD '${PG_PASSWORD}';
  END IF;
END \$\$;
SQL
if ! su postgres -c "psql -p ${PORT} -Atqc \"select 1 from pg_database where datname='${PG_USER}'\"" | grep -q 1; then
  su postgres -c "createdb -p ${PORT} -O ${PG_USER} ${PG_USER}" >&2
fi
log "PostgreSQL ${VERSION} ready on 127.0.0.1:${PORT}"
echo "postgresql://${PG_USER}:${PG_PASSWORD}@127.0.0.1:${PORT}/${PG_USER}"
