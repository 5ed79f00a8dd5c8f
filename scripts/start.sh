#!/usr/bin/env bash
# Sets up (Node 22 if needed, dependencies, build) and runs the whole product on its embedded default.
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"
npm run --silent build
exec node scripts/start.ts
