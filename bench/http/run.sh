#!/usr/bin/env bash
# bench/http/run.sh: weefsel's HTTP API under wrk, next to nginx serving the same JSON bytes.
#
# Usage: bench/http/run.sh [BUILD_DIR] [DURATION_SECONDS] [CONNECTIONS]
#   (defaults: build, 10, 64). Environment: WRK_THREADS (default 2), WEEFSEL_THREADS (default = CONNECTIONS).
#
# What it does, all on 127.0.0.1 of this machine:
#   1. generates the demo city (weefsel demo --seed 1 --municipalities 4 --actors 1500) in a temp dir;
#   2. starts `weefsel serve --no-access-log` on it;
#   3. saves the bytes of GET /api/v1/challenges?limit=50 and serves them with nginx as a static file
#      (worker_processes auto, access_log off, keep-alive as weefsel's);
#   4. runs wrk (--latency) against: the cached challenge list, one actor's page, actor pages
#      rotating over all actors (a mix of cache misses and hits), the matches of a challenge when the
#      server has that route, and nginx's static copy of the list;
#   5. prints a table of requests/s, p50 and p99 latency, and writes it to $OUT (default
#      BUILD_DIR/bench-http.md).
set -euo pipefail
build=${1:-build}
duration=${2:-10}
conns=${3:-64}
wrk_threads=${WRK_THREADS:-2}
server_threads=${WEEFSEL_THREADS:-$conns}
here=$(cd "$(dirname "$0")" && pwd)
bin="$build/src/cli/weefsel"
out=${OUT:-$build/bench-http.md}
[[ -x "$bin" ]] || { echo "bench/http: $bin not found (build first)" >&2; exit 1; }
command -v wrk >/dev/null || { echo "bench/http: wrk not installed (apt-get install wrk)" >&2; exit 1; }
command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] || { echo "bench/http: nginx not installed" >&2; exit 1; }
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

tmp=$(mktemp -d /tmp/weefsel-bench-http.XXXXXX)
chmod 755 "$tmp"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  [[ -f "$tmp/nginx.pid" ]] && kill "$(cat "$tmp/nginx.pid")" 2>/dev/null || true
  sleep 0.3
  rm -rf "$tmp"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

echo "== demo city"
"$bin" demo --db "$tmp/demo.db" --seed 1 --municipalities 4 --actors 1500
wport=$(free_port)
"$bin" serve --db "$tmp/demo.db" --listen "127.0.0.1:$wport" --threads "$server_threads" --no-access-log >"$tmp/serve.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$wport/readyz" >/dev/null && break; sleep 0.1; done
base="http://127.0.0.1:$wport"

mkdir -p "$tmp/www"
chmod 755 "$tmp/www"
curl -sf "$base/api/v1/challenges?limit=50" -o "$tmp/www/challenges.json"
chmod 644 "$tmp/www/challenges.json"
bytes=$(wc -c <"$tmp/www/challenges.json")
actors=$(sqlite3 "$tmp/demo.db" 'SELECT COUNT(*) FROM actors' 2>/dev/null || echo 1500)
first_challenge=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["items"][0]["id"])' "$tmp/www/challenges.json")

nport=$(free_port)
cat >"$tmp/nginx.conf" <<EOF
worker_processes auto;
pid $tmp/nginx.pid;
error_log $tmp/nginx-error.log warn;
daemon on;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nodelay on;
  keepalive_timeout 5;
  keepalive_requests 10000;
  types { application/json json; }
  server {
    listen 127.0.0.1:$nport;
    root $tmp/www;
    location / { add_header ETag-Mirror "static"; }
  }
}
EOF
"$NGINX" -c "$tmp/nginx.conf" -p "$tmp" 2>/dev/null || "$NGINX" -c "$tmp/nginx.conf" -p "$tmp" -g "user root;" 
sleep 0.3
curl -sf "http://127.0.0.1:$nport/challenges.json" | cmp - "$tmp/www/challenges.json" || { echo "bench/http: nginx does not serve the same bytes" >&2; exit 1; }

cat >"$tmp/rotate.lua" <<EOF
counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", "/api/v1/actors/" .. ((counter % $actors) + 1))
end
EOF

rows=()
run() {  # name url [script]
  local name=$1 url=$2 script=${3:-}
  local args=(-t "$wrk_threads" -c "$conns" -d "${duration}s" --latency)
  [[ -n "$script" ]] && args+=(-s "$script")
  curl -sf "$url" >/dev/null   # warm the cache
  local text
  text=$(wrk "${args[@]}" "$url")
  local rps p50 p99 errors
  rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$text")
  p50=$(awk '$1=="50%" {print $2}' <<<"$text")
  p99=$(awk '$1=="99%" {print $2}' <<<"$text")
  errors=$(grep -E "Non-2xx|Socket errors" <<<"$text" | tr '\n' ' ' || true)
  echo "-- $name: $rps req/s, p50 $p50, p99 $p99 ${errors}"
  rows+=("| $name | \`${url#http://127.0.0.1:*/}\` | $rps | $p50 | $p99 | ${errors:-none} |")
}

echo "== wrk -t$wrk_threads -c$conns -d${duration}s (weefsel: $server_threads threads; list = $bytes bytes)"
run "weefsel: challenge list (cached)" "$base/api/v1/challenges?limit=50"
run "nginx: same bytes, static file" "http://127.0.0.1:$nport/challenges.json"
run "weefsel: one actor's page" "$base/api/v1/actors/1"
run "weefsel: actor pages, rotating over $actors" "$base/api/v1/actors/1" "$tmp/rotate.lua"
if curl -sf "$base/api/v1/openapi.json" | grep -q '/api/v1/challenges/{id}/matches'; then
  run "weefsel: matches of a challenge" "$base/api/v1/challenges/$first_challenge/matches"
else
  echo "-- matches of a challenge: the server has no /matches route yet (it comes with the match engine)"
fi

{
  echo "# bench/http: $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores"
  echo
  echo "Command: \`bench/http/run.sh $build $duration $conns\` (wrk -t$wrk_threads -c$conns -d${duration}s --latency; weefsel --threads $server_threads, no access log; demo city seed 1, 4 municipalities, 1500 actors; list body $bytes bytes)"
  echo
  echo "| target | path | requests/s | p50 | p99 | errors |"
  echo "|---|---|---|---|---|---|"
  printf '%s\n' "${rows[@]}"
} | tee "$out"
