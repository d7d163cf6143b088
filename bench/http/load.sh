#!/usr/bin/env bash
# bench/http/load.sh: a mixed read/write load with wrk against the demo city, three runs of
# DURATION seconds (default 60) on one server process (docs/hardening.md).
#
# Usage: bench/http/load.sh [BUILD_DIR] [DURATION_SECONDS] [CONNECTIONS]   (defaults: build, 60, 32)
# Steps: the demo city (weefsel demo --seed 1, 4 municipalities, 1,500 actors) in a temp dir;
# `weefsel serve --demo-accounts`; API tokens for the demo officer, member and resident; a coalition,
# a proposal and a round in voting made through the API; then three wrk runs of bench/http/load.lua
# (70% reads, 30% writes: ballots, comments, ties). Per run: requests/s, p50/p99, non-2xx answers,
# socket errors, the server's RSS after the run (memory must stay flat) and the size of the database
# (file + WAL): the writes grow it, and SQLite's page cache (up to 64 MB, PRAGMA cache_size in
# src/storage/sqlite_store.cc) grows with it, so RSS that grows by about what the database grew is
# the page cache, not a leak. Fails when any request failed or got a 5xx, or when
# RSS grew from run 1 to run 3 by more than the database grew plus 16 MB. The table goes to stdout and to $OUT (default BUILD_DIR/load.md).
#
# Environment (bench/national/run.sh sets them):
#   DB=FILE     a copy of this SQLite database (e.g. `weefsel demo --national`) instead of the small
#               demo; the original is never written. LOAD_ACTOR_FIRST/COUNT come from its actors.
#   DB=postgresql://USER@HOST:PORT/NAME   the same on PostgreSQL: the copy is a database of its own,
#               `CREATE DATABASE weefsel_load_PID TEMPLATE NAME` on that server (NAME must have no
#               other connections meanwhile; the user needs CREATEDB), dropped at the end; the ids are
#               read with psql and the size in the table is pg_database_size.
#   IN_PLACE=1  with DB: use the database as given, without a copy (the load writes into it).
#   RUNS=N      runs (default 3; the memory check needs 3).
#   WIDE=1      adds match reads (GET /challenges/{id}/matches) and fabric reads (GET
#               /municipalities/{id}/fabric/map) over every challenge and municipality to the reads.
#   WARM=1      waits (up to 15 min) until the matcher has been built and a match answer is not stale,
#               and until /readyz reports no result waiting for its first build (engines.warming 0:
#               every municipality's fabric warmed after the start), so that the load measures serving
#               and not the engines' first builds. (A request for a result not built yet is answered
#               503 `building` with Retry-After after --engine-first-wait-ms; the warm-up time is printed.)
#   PROBE=1     runs bench/national/probe.py beside wrk: it times each route kind, one request at a time
#               (wrk cannot time single requests in Lua), and writes p50/p99 per kind to $PROBE_OUT.
set -euo pipefail
build=${1:-build}
duration=${2:-60}
conns=${3:-32}
here=$(cd "$(dirname "$0")" && pwd)
bin="$build/src/cli/weefsel"
out=${OUT:-$build/load.md}
[[ -x "$bin" ]] || { echo "load: $bin not found (build first)" >&2; exit 1; }
pg=
[[ ${DB:-} =~ ^postgres(ql)?:// ]] && pg=1
[[ -z $pg ]] || command -v psql >/dev/null || { echo "load: psql not installed (needed for DB=postgresql://...)" >&2; exit 1; }
command -v wrk >/dev/null || { echo "load: wrk not installed (scripts/install-deps --bench)" >&2; exit 1; }
tmp=$(mktemp -d /tmp/weefsel-load.XXXXXX)
server=
cleanup() {
  if [[ -n $server ]] && kill "$server" 2>/dev/null; then
    # SIGTERM lets requests in flight finish; a server still busy after 30 s is killed.
    for _ in $(seq 1 300); do kill -0 "$server" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
  fi
  if [[ -n ${pg_copy:-} ]]; then
    psql "$DB" -Xq -v ON_ERROR_STOP=1 -c "DROP DATABASE IF EXISTS $pg_copy WITH (FORCE)" >/dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

runs=${RUNS:-3}
pg_copy=
if [[ -n $pg ]]; then
  db=$DB
  if [[ -z ${IN_PLACE:-} ]]; then
    # The copy: a database of its own on the same server, made from DB as a template (a file copy).
    pg_copy=weefsel_load_$$
    src=$(psql "$DB" -XAtq -c "SELECT current_database()")
    psql "$DB" -Xq -v ON_ERROR_STOP=1 -c "CREATE DATABASE $pg_copy TEMPLATE \"$src\"" >/dev/null
    db=$(sed -E "s#^(postgres(ql)?://[^/?]*)(/[^?]*)?#\1/$pg_copy#" <<<"$DB")
  fi
  dbsize() { psql "$db" -XAtq -c "SELECT pg_database_size(current_database())"; }
  sql() { psql "$db" -XAtq -F ' ' -c "$1"; }
elif [[ -n ${DB:-} ]]; then
  db=$DB
  [[ -n ${IN_PLACE:-} ]] || { db=$tmp/demo.db; sqlite3 "$DB" ".backup $db"; }
else
  db=$tmp/demo.db
  "$bin" demo --db "$db" --seed 1 --municipalities 4 --actors 1500 >/dev/null
fi
if [[ -z $pg ]]; then
  dbsize() { du -cb "$db"* | awk 'END {print $1}'; }
  sql() { sqlite3 -separator ' ' "$db" "$1"; }
fi
# The ids the load walks over: every actor, challenge and municipality of the database.
read -r actor_first actor_count challenge_first challenge_count muni_first muni_count < <(sql \
  "SELECT (SELECT min(id) FROM actors), (SELECT count(*) FROM actors), (SELECT min(id) FROM challenges),
          (SELECT count(*) FROM challenges), (SELECT min(id) FROM municipalities), (SELECT count(*) FROM municipalities)")
port=$(free_port)
# SERVE_ARGS adds flags to `weefsel serve` (e.g. SERVE_ARGS="--readers 0" for reads on the writer's
# connection, to compare with the default pool of read-only connections).
# shellcheck disable=SC2086
"$bin" serve --db "$db" --listen "127.0.0.1:$port" --threads 64 --no-access-log --demo-accounts ${SERVE_ARGS:-} \
  >"$tmp/serve.log" 2>&1 &
server=$!
base="http://127.0.0.1:$port"
for _ in $(seq 1 1200); do curl -sf "$base/readyz" >/dev/null && break; sleep 0.1; done  # 2 min: a national database opens slower

# API tokens and the objects the writes need, made through the API as a user would.
setup=$(python3 - "$base" <<'PY'
import json, sys, urllib.request, http.cookiejar
base = sys.argv[1]
def call(method, path, body=None, token=None, opener=None, csrf=None):
    req = urllib.request.Request(base + path, method=method, data=json.dumps(body).encode() if body is not None else None)
    req.add_header("Content-Type", "application/json")
    if token: req.add_header("Authorization", "Bearer " + token)
    if csrf: req.add_header("X-CSRF-Token", csrf)
    with (opener or urllib.request.build_opener()).open(req) as r:
        text = r.read()
        return json.loads(text) if text else None
def token(email):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    login = call("POST", "/api/v1/auth/login", {"email": email, "password": "weefsel-demo"}, opener=opener)
    t = call("POST", "/api/v1/auth/tokens", {"name": "load", "scope": "write"}, opener=opener, csrf=login["csrf_token"])
    return t["token"], login["user"]
officer, who = token("officer@weefsel.test")
member, mwho = token("member@weefsel.test")
resident, _ = token("resident@weefsel.test")
grants = who.get("grants") or who.get("roles") or []
muni = next(g["municipality"] for g in grants if g.get("municipality"))
actors = call("GET", f"/api/v1/actors?municipality={muni}&limit=100")["items"]
ids = [a["id"] for a in actors]
member_actor = next(g["actor"] for g in (mwho.get("grants") or mwho.get("roles") or []) if g.get("actor"))
challenge = call("GET", f"/api/v1/challenges?municipality={muni}&limit=1")["items"][0]["id"]
other = next(i for i in ids if i != member_actor)
co = call("POST", f"/api/v1/challenges/{challenge}/coalitions",
          {"members": [{"actor": member_actor, "role": "lead"}, {"actor": other, "role": "member"}]}, token=officer)
prop = call("POST", f"/api/v1/coalitions/{co['id']}/proposals",
            {"title": "Buurtkamers", "plan": "Elke week een open buurtkamer.", "budget_eur": 25000}, token=member)
rnd = call("POST", "/api/v1/rounds", {"municipality": muni, "name": "Buurtbudget", "budget_eur": 100000,
           "ballot_kind": "approval", "projects": [{"project_id": "p1", "title": "Speeltuin", "cost_eur": 40000},
           {"project_id": "p2", "title": "Moestuin", "cost_eur": 30000}, {"project_id": "p3", "title": "Bankjes", "cost_eur": 20000}]},
           token=officer)
call("POST", f"/api/v1/rounds/{rnd['id']}/phase", {"phase": "voting"}, token=officer)
print(f"export LOAD_OFFICER_TOKEN={officer} LOAD_MEMBER_TOKEN={member} LOAD_RESIDENT_TOKEN={resident}")
admin, _ = token("admin@weefsel.test")
print(f"export LOAD_ADMIN_TOKEN={admin}")
print(f"export LOAD_CHALLENGE={challenge} LOAD_ROUND={rnd['id']} LOAD_PROPOSAL={prop['id']}")
PY
)
eval "$setup"
export LOAD_ACTOR_FIRST=$actor_first LOAD_ACTOR_COUNT=$actor_count
if [[ -n ${WARM:-} ]]; then
  t0=$(date +%s)
  python3 - "$base" "$LOAD_CHALLENGE" <<'PY'
import json, sys, time, urllib.request
base, challenge = sys.argv[1], sys.argv[2]
end = time.time() + 900
while time.time() < end:
    try:
        with urllib.request.urlopen(f"{base}/api/v1/challenges/{challenge}/matches?limit=10", timeout=60) as r:
            if not json.load(r).get("stale"):
                break
    except Exception:
        pass
    time.sleep(1)
t_matches = time.time()
while time.time() < end:
    try:
        with urllib.request.urlopen(f"{base}/readyz", timeout=60) as r:
            if json.load(r).get("engines", {}).get("warming", 0) == 0:
                break
    except Exception:
        pass
    time.sleep(1)
print(f"load: matcher fresh, then every fabric built {time.time() - t_matches:.0f} s later")
PY
  echo "load: engines warm after $(($(date +%s) - t0)) s"
fi
if [[ -n ${WIDE:-} ]]; then
  export LOAD_CHALLENGE_FIRST=$challenge_first LOAD_CHALLENGE_COUNT=$challenge_count
  export LOAD_MUNI_FIRST=$muni_first LOAD_MUNI_COUNT=$muni_count
fi

rss() { awk '/VmRSS/ {print $2}' "/proc/$server/status" 2>/dev/null || echo 0; }  # 0: the server is gone (reported below)
echo "load: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), server RSS $(rss) kB, database $(dbsize) bytes before the runs"
{
  echo "| run | requests | req/s | p50 ms | p99 ms | max ms | non-2xx | socket errors | RSS after (MB) | database (MB) |"
  echo "|---|---|---|---|---|---|---|---|---|---|"
} >"$tmp/table"
status=0
declare -A rss_kb db_b
probe_pid=
for run in $(seq 1 "$runs"); do
  if [[ -n ${PROBE:-} ]]; then
    LOAD_RUN=$run python3 "$here/../national/probe.py" "$base" "$duration" >"$tmp/probe-$run.txt" 2>&1 &
    probe_pid=$!
  fi
  LOAD_RUN=$run wrk -t2 -c"$conns" -d"${duration}s" --latency -s "$here/load.lua" "$base" >"$tmp/wrk-$run.txt" 2>&1 || status=1
  if [[ -n $probe_pid ]]; then
    wait "$probe_pid" || status=1
    probe_pid=
    cat "$tmp/probe-$run.txt" >"${PROBE_OUT:-$build/probe.md}"
  fi
  line=$(grep '^LOAD ' "$tmp/wrk-$run.txt" || true)
  [[ -n $line ]] || { cat "$tmp/wrk-$run.txt" >&2; status=1; continue; }
  get() { sed -E "s/.* $1=([^ ]*).*/\1/" <<<"$line"; }
  rss_kb[$run]=$(rss)
  db_b[$run]=$(dbsize)
  mb=$(awk -v k="${rss_kb[$run]}" 'BEGIN {printf "%.1f", k/1024}')
  dbmb=$(awk -v b="${db_b[$run]}" 'BEGIN {printf "%.1f", b/1048576}')
  echo "| $run | $(get requests) | $(get rps) | $(get p50_ms) | $(get p99_ms) | $(get max_ms) | $(get non2xx) | $(get socket_errors) | $mb | $dbmb |" >>"$tmp/table"
  [[ $(get non2xx) == 0 && $(get socket_errors) == 0 ]] || { status=1; grep -i 'load: HTTP' "$tmp/wrk-$run.txt" | head -5 >&2 || true; }
  kill -0 "$server" 2>/dev/null || { echo "load: the server died" >&2; tail -20 "$tmp/serve.log" >&2; exit 1; }
done
cat "$tmp/table" | tee "$out"
# Memory must stay flat: from the end of run 1 to the end of run 3 the server's RSS may grow by what
# the database grew (SQLite's page cache follows it, up to its 64 MB bound) plus a 16 MB allowance for
# allocator arenas and caches that fill up; a leak of even 100 bytes per request (over ~10^6 requests)
# would exceed it.
if [[ -n ${rss_kb[1]:-} && -n ${rss_kb[3]:-} ]]; then
  read -r grew allowed < <(awk -v r1="${rss_kb[1]}" -v r3="${rss_kb[3]}" -v d1="${db_b[1]}" -v d3="${db_b[3]}" \
    'BEGIN {printf "%.1f %.1f\n", (r3 - r1) / 1024, (d3 - d1) / 1048576 + 16}')
  echo "load: RSS grew ${grew} MB from run 1 to run 3 (allowed ${allowed} MB: database growth + 16 MB)"
  awk -v g="$grew" -v a="$allowed" 'BEGIN {exit !(g <= a)}' || { echo "load: memory is not flat" >&2; status=1; }
fi
echo "load: load average $(cut -d' ' -f1-3 /proc/loadavg) after the runs; status $status"
exit $status
