#!/usr/bin/env bash
# The documents the web build reads from the server, checked in so that a clean clone builds the web
# UI without the C++ build: web/src/generated/openapi.json (the OpenAPI document its TypeScript types
# are generated from) and web/src/generated/vocabulary.json (themes, kinds, sectors, phase orders).
# Each must be what the server publishes: fails when one drifts.
# Usage: tests/openapi_current.sh WEEFSEL_BIN CHECKED_IN_JSON [SUBCOMMAND (default openapi)]
set -euo pipefail
cmd=${3:-openapi}
if ! diff -u "$2" <("$1" "$cmd") >/dev/null; then
  diff -u "$2" <("$1" "$cmd") | head -40 >&2
  echo "${cmd}_current: $2 is out of date; run: make openapi (weefsel $cmd > $2)" >&2
  exit 1
fi
echo "${cmd}_current: $2 matches \`weefsel $cmd\`"
