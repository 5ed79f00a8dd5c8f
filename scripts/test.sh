#!/usr/bin/env bash
# Sets up (Node 22 if needed, dependencies, build, Chromium and PostgreSQL for the tests) and runs every test
# suite; ends with `N passed, N failed` and exits non-zero on any failure.
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"
bash scripts/ci/chromium.sh
bash scripts/ci/fonts.sh
if [ -z "${TEST_DATABASE_URL_PG:-}" ] && [ -f scripts/ci/postgres.sh ]; then
  # Prints the DATABASE_URL of a local PostgreSQL it installed/started; the server tests then also run on it.
  if TEST_DATABASE_URL_PG="$(bash scripts/ci/postgres.sh | tail -1)"; then
    export TEST_DATABASE_URL_PG
  elif [ "${CI:-}" = "true" ]; then
    echo "[test] PostgreSQL could not be installed or started: CI runs the server tests on both databases" >&2
    exit 1
  else
    echo "[test] PostgreSQL unavailable (needs root for apt-get): server tests run on SQLite only" >&2
  fi
fi
npm run --silent build
exec npm test --silent -- "$@"
