#!/usr/bin/env bash
# The OpenAPI document the web build generates its TypeScript types from
# (web/src/generated/openapi.json, checked in so that a clean clone builds the web UI without the
# C++ build) is the one the server publishes: fails when it drifts.
# Usage: tests/openapi_current.sh WEEFSEL_BIN CHECKED_IN_JSON
set -euo pipefail
if ! diff -u "$2" <("$1" openapi) >/dev/null; then
  diff -u "$2" <("$1" openapi) | head -40 >&2
  echo "openapi_current: $2 is out of date; run: make openapi (weefsel openapi > web/src/generated/openapi.json)" >&2
  exit 1
fi
echo "openapi_current: web/src/generated/openapi.json matches \`weefsel openapi\`"
