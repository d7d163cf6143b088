#!/usr/bin/env bash
# Every answer of the API test suite validates against its schema in the OpenAPI document
# (issue 19 item 4): runs the API tests (SQLite) with WEEFSEL_RECORD_RESPONSES set, so that
# tests/api_kit.h records each JSON answer with its route template and status, prints the document
# with `weefsel openapi`, and validates every recorded answer with Ajv (JSON Schema 2020-12;
# web/scripts/validate-responses.mjs). Needs web/node_modules (scripts/build-web installs it):
# skips (77) without it, except under CI=true.
# Usage: tests/api_schema_check.sh WEEFSEL_BIN WEB_DIR TEST_BIN...
set -euo pipefail
weefsel=$1
web=$2
shift 2
if [[ ! -f $web/node_modules/ajv/dist/2020.js ]] || ! command -v node >/dev/null 2>&1; then
  if [[ ${CI:-} == true ]]; then
    echo "api_schema_check: web/node_modules/ajv is missing under CI (run scripts/build-web first)" >&2
    exit 1
  fi
  echo "api_schema_check: skipped: no node or web/node_modules/ajv (run scripts/build-web)" >&2
  exit 77
fi
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$weefsel" openapi > "$dir/openapi.json"
mkdir "$dir/answers"
for t in "$@"; do
  WEEFSEL_RECORD_RESPONSES="$dir/answers" "$t" --gtest_filter='-Postgres/*' --gtest_brief=1 >"$dir/log" 2>&1 ||
    { cat "$dir/log" >&2; echo "api_schema_check: $t failed" >&2; exit 1; }
done
node "$web/scripts/validate-responses.mjs" "$dir/openapi.json" "$dir"/answers/*.jsonl
