#!/usr/bin/env bash
# bench/http/front.sh: the HTTP front of issue 15 beside nginx, in one run on this machine.
#
# Usage: [IO_THREADS=n] bench/http/front.sh [BUILD_DIR] [SECONDS]   (defaults: build, 15; IO_THREADS 1)
# Both servers get the same bytes (the cached challenge list of the demo city; nginx serves a copy
# as a static file) and, in turn:
#   1. wrk -t2 -c64 and wrk -t2 -c1000: requests/s (and its ratio to nginx), p50, p99;
#   2. the same -c64 while 10,000 half-sent requests are held open by bench/http/slow_clients.py
#      (from 50 source addresses; reopened when the server closes them);
#   3. the threads and resident memory of weefsel while the 10,000 are open.
# Prints a markdown table; writes it to $OUT (default BUILD_DIR/bench-front.md).
set -euo pipefail
build=${1:-build}
duration=${2:-15}
here=$(cd "$(dirname "$0")" && pwd)
bin="$build/src/cli/weefsel"
out=${OUT:-$build/bench-front.md}
[[ -x "$bin" ]] || { echo "bench/http: $bin not found (build first)" >&2; exit 1; }
command -v wrk >/dev/null || { echo "bench/http: wrk not installed (scripts/install-deps --bench)" >&2; exit 1; }
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
ulimit -n "$(ulimit -Hn)"

tmp=$(mktemp -d /tmp/weefsel-bench-front.XXXXXX)
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

"$bin" demo --db "$tmp/demo.db" --seed 1 --municipalities 4 --actors 1500 >/dev/null
wport=$(free_port)
# wrk connects from one address: allow its 1,000 connections (the default cap is 256 per address).
"$bin" serve --db "$tmp/demo.db" --listen "127.0.0.1:$wport" --no-access-log --max-connections-per-address 2000 --io-threads "${IO_THREADS:-1}" >"$tmp/serve.log" 2>&1 &
wpid=$!
pids+=($wpid)
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$wport/readyz" >/dev/null && break; sleep 0.1; done
mkdir -p "$tmp/www"
chmod 755 "$tmp/www"
curl -sf "http://127.0.0.1:$wport/api/v1/challenges?limit=50" -o "$tmp/www/challenges.json"
chmod 644 "$tmp/www/challenges.json"
nport=$(free_port)
cat >"$tmp/nginx.conf" <<CONF
worker_processes auto;
worker_rlimit_nofile 30000;
pid $tmp/nginx.pid;
error_log $tmp/nginx-error.log warn;
daemon on;
events { worker_connections 16384; }
http {
  access_log off;
  sendfile on;
  tcp_nodelay on;
  keepalive_timeout 5;
  keepalive_requests 10000;
  client_header_timeout 10s;
  types { application/json json; }
  server { listen 127.0.0.1:$nport backlog=1024; root $tmp/www; }
}
CONF
"$NGINX" -c "$tmp/nginx.conf" -p "$tmp" 2>/dev/null || "$NGINX" -c "$tmp/nginx.conf" -p "$tmp" -g "user root;"
sleep 0.3
W="http://127.0.0.1:$wport/api/v1/challenges?limit=50"
N="http://127.0.0.1:$nport/challenges.json"
curl -sf "$N" | cmp - "$tmp/www/challenges.json"

declare -A RPS P50 P99 ERR
bench() {  # key url connections
  local text
  curl -sf "$2" >/dev/null
  text=$(wrk -t2 -c"$3" -d"${duration}s" --latency "$2")
  RPS[$1]=$(awk '/^Requests\/sec:/ {print $2}' <<<"$text")
  P50[$1]=$(awk '$1=="50%" {print $2}' <<<"$text")
  P99[$1]=$(awk '$1=="99%" {print $2}' <<<"$text")
  ERR[$1]=$(grep -E "Non-2xx|Socket errors" <<<"$text" | tr -s ' ' | tr '\n' ' ' || true)
  echo "-- $1: ${RPS[$1]} req/s, p50 ${P50[$1]}, p99 ${P99[$1]} ${ERR[$1]}" >&2
}
for c in 64 1000; do
  bench "weefsel c$c" "$W" "$c"
  bench "nginx c$c" "$N" "$c"
done
for who in weefsel nginx; do
  port=$wport
  [[ $who == nginx ]] && port=$nport
  python3 "$here/slow_clients.py" "$port" 10000 200 >"$tmp/slow-$who.log" 2>&1 &
  spid=$!
  sleep 8
  if [[ $who == weefsel ]]; then
    THREADS=$(awk '/^Threads:/ {print $2}' "/proc/$wpid/status")
    RSS=$(awk '/^VmRSS:/ {printf "%.1f MB", $2/1024}' "/proc/$wpid/status")
    OPEN=$(ls "/proc/$wpid/fd" | wc -l)
  fi
  bench "$who c64 + 10k slow" "$([[ $who == nginx ]] && echo "$N" || echo "$W")" 64
  kill $spid 2>/dev/null || true
  wait $spid 2>/dev/null || true
  sleep 1
done
ratio() { python3 -c "print(f'{float(\"$1\")/float(\"$2\"):.2f}')"; }
{
  echo "| run | weefsel req/s | nginx req/s | ratio | weefsel p50 / p99 | nginx p50 / p99 | errors (weefsel; nginx) |"
  echo "|---|---|---|---|---|---|---|"
  for k in c64 c1000 "c64 + 10k slow"; do
    echo "| $k | ${RPS[weefsel $k]} | ${RPS[nginx $k]} | $(ratio "${RPS[weefsel $k]}" "${RPS[nginx $k]}") | ${P50[weefsel $k]} / ${P99[weefsel $k]} | ${P50[nginx $k]} / ${P99[nginx $k]} | ${ERR[weefsel $k]:-none}; ${ERR[nginx $k]:-none} |"
  done
  echo
  echo "weefsel with 10,000 half-sent requests open: $THREADS threads, $RSS resident, $OPEN open descriptors."
} | tee "$out"
