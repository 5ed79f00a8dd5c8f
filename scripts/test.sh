#!/usr/bin/env bash
# Sets up (Node 22 if needed, dependencies, build, Chromium and PostgreSQL for the tests) and runs every test
# suite; ends with `N passed, N failed` and exits non-zero on any failure.
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"
bash scripts/ci/chromium.sh
if [ -z "${TEST_DATABASE_URL_PG:-}" ] && [ -f scripts/ci/postgres.sh ]; then
  # Prints the DATABASE_URL of a local PostgreSQL it installed/started; the server tests then also run on it.
  TEST_DATABASE_URL_PG="$(bash scripts/ci/postgres.sh)" && export TEST_DATABASE_URL_PG || echo "[test] PostgreSQL unavailable: server tests run on SQLite only" >&2
fi
npm run --silent build
exec node scripts/test.ts "$@"
