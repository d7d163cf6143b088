#!/usr/bin/env bash
# bench/national/run.sh: issue 16's benchmark on the national demo (`weefsel demo --national`: all
# 342 municipalities, ~250,000 actors, a round in the largest city with 100,000 resident ballots).
#
# Usage: bench/national/run.sh [BUILD_DIR]   (default build; run from the repository, as the demo
#   finds its CBS file at ../shared/data unless WEEFSEL_SHARED_DATA says otherwise)
#   SQLite (the default):  bench/national/run.sh build
#   PostgreSQL, a throwaway cluster made by scripts/with-postgres:
#                          STORE=postgres bench/national/run.sh build
#     with-postgres turns fsync off for tests; here PG_SERVER_OPTS (default "-c fsync=on
#     -c full_page_writes=on -c synchronous_commit=off") puts crash safety back and keeps the
#     durability SQLite has with WAL and synchronous=NORMAL: a commit is not flushed, so the last
#     ones may be lost at a power cut, nothing is corrupted. With synchronous_commit=on every commit
#     waits for a WAL flush on the server's one writing connection (4 ms on this machine's disk).
#   PostgreSQL, a server of your own: PG_URL=postgresql://USER@HOST:PORT/DB bench/national/run.sh build
#     (USER needs CREATEDB; DB is only connected to, to create and drop databases weefsel_national_PID*
#     beside it, which the run removes at the end).
# Environment: DB=FILE uses a copy of an existing national demo (SQLite) instead of generating one
#   (then no generation figures, and (d) needs a database made with --national-ballots > 0); on
#   PostgreSQL DB=postgresql://.../NAME copies the database NAME (CREATE DATABASE ... TEMPLATE NAME);
#   DEMO_ARGS adds flags to `weefsel demo --national` (a smoke test in a few minutes:
#   DEMO_ARGS="--actors 3500 --national-ballots 2000" DURATION=10 BALLOT_SECONDS=5 EDITS=1);
#   DURATION (60) and CONNS (256) for the mixed load; BALLOT_SECONDS (30), BALLOT_CONNS (64) and
#   BALLOT_TOKENS (20000 residents) for the ballots; EDITS (3) for edit-to-visible; OUT (BUILD_DIR/national.md,
#   or BUILD_DIR/national-pg.md on PostgreSQL).
# Steps, each on its own copy of the database (the original is never written): a copy is a file
# copy of SQLite's (sqlite3 .backup), or on PostgreSQL a database of its own made with
# `CREATE DATABASE copy TEMPLATE national` (a file copy on the server; the template then has no
# connections);
#   (a) generation: wall time and peak RSS (/usr/bin/time -v) of `weefsel demo --national`, and the
#       database's size (file + WAL; on PostgreSQL pg_database_size, and the peak RSS is weefsel's
#       alone, not the server's). On PostgreSQL the database then gets VACUUM (ANALYZE), outside the
#       time: autovacuum would do it soon after a bulk load, but a copy made from a template has
#       no activity counted that would trigger it, so the copies would go without planner statistics;
#   (b) the mixed load: bench/http/load.sh with DB=, RUNS=1, WARM=1 (after the matcher's first build and every fabric's: /readyz engines.warming 0), WIDE=1 (match reads and fabric-map reads
#       over every challenge and municipality beside its reads and writes, 70/30) and PROBE=1: wrk gives
#       requests/s and failures; p50/p99 per route kind come from bench/national/probe.py, a client that
#       asks each route kind in turn, one request at a time, during the load (wrk's Lua cannot time
#       single requests), so they are a sample of a few hundred requests per kind, not wrk's count;
#   (c) edit-to-visible: bench/engines/edit_to_visible.py --db (matches after a profile edit);
#   (d) the large round: BALLOT_TOKENS residents of it get an API token, written into the copy here
#       (as POST /auth/tokens would, hash and all: the demo's voters have no password to sign in
#       with; on PostgreSQL the same rows through psql COPY); once the server is warm (every engine's first
#       build done, as in (b)), wrk PUTs their ballots at BALLOT_CONNS connections for BALLOT_SECONDS. Every one
#       of them has voted already, so these are ballots replaced, which costs the store a delete more
#       than a first ballot. Then the demo officer (officer of the largest city) moves the round to
#       allocation and to published through the API: the time of each phase change (published runs
#       the round's rule, MES with completion, over 100,000 ballots);
#   (e) the server's RSS after the load (from (b)) and after publishing;
#   (f) the memory of each engine's state: a server started with --no-prewarm on the database of (d)
#       builds one kind of result at a time (the matcher; every municipality's fabric report and map;
#       their weave suggestions; their health histories; the large round's results), one request
#       after another with nothing else running, and /readyz?memory=1 gives the allocator's bytes
#       in use (glibc mallinfo2) and the RSS before and after each kind. The heap difference is
#       the state that kind keeps (plus the HTTP cache's copies of its answers, at most 64 MB in
#       all); the RSS difference also counts the build's temporaries that the allocator keeps.
# The machine may be shared: every figure carries the load average (1 min) when it was taken.
set -euo pipefail
build=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)
# DB=postgresql://... without PG_URL: the run's databases go beside it, on its server.
[[ -n ${PG_URL:-} || ! ${DB:-} =~ ^postgres(ql)?:// ]] || export PG_URL=$DB
case ${STORE:-sqlite} in
  sqlite) [[ -z ${PG_URL:-} ]] || STORE=postgres ;;
  postgres)
    if [[ -z ${PG_URL:-} ]]; then
      # A throwaway cluster for this run, crash-safe again (with-postgres is set for tests).
      export PG_SERVER_OPTS=${PG_SERVER_OPTS:--c fsync=on -c full_page_writes=on -c synchronous_commit=off}
      # shellcheck disable=SC2016  # $WEEFSEL_TEST_PG_URL is expanded by the inner bash, inside the cluster
      exec "$here/../../scripts/with-postgres" bash -c 'PG_URL=$WEEFSEL_TEST_PG_URL exec "$0" "$@"' "$0" "$@"
    fi ;;
  *) echo "national: STORE must be sqlite or postgres" >&2; exit 2 ;;
esac
pg=
[[ -n ${PG_URL:-} ]] && pg=1
bin="$build/src/cli/weefsel"
out=${OUT:-$build/national${pg:+-pg}.md}
duration=${DURATION:-60}
conns=${CONNS:-256}
ballot_secs=${BALLOT_SECONDS:-30}
ballot_conns=${BALLOT_CONNS:-64}
ballot_tokens=${BALLOT_TOKENS:-20000}
[[ -x "$bin" ]] || { echo "national: $bin not found (build first)" >&2; exit 1; }
[[ -z $pg ]] || command -v psql >/dev/null || { echo "national: psql not installed" >&2; exit 1; }
command -v wrk >/dev/null || { echo "national: wrk not installed (scripts/install-deps --bench)" >&2; exit 1; }
tmp=$(mktemp -d /tmp/weefsel-national.XXXXXX)
server=
cleanup() {
  if [[ -n $server ]] && kill "$server" 2>/dev/null; then
    # SIGTERM lets requests in flight finish; a server still busy after 30 s is killed.
    for _ in $(seq 1 300); do kill -0 "$server" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
  fi
  if [[ -n $pg ]]; then
    psql "$PG_URL" -Xq -c "DROP DATABASE IF EXISTS ${pg_national:-weefsel_national_$$} WITH (FORCE)" >/dev/null 2>&1 || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
la() { cut -d' ' -f1 /proc/loadavg; }
row() { echo "| $1 | $2 | $3 | $(la) |" >>"$tmp/table"; }
if [[ -n $pg ]]; then
  # The database of this run on the server of PG_URL; PG_URL's own database is only connected to.
  pg_national=weefsel_national_$$
  pg_db() { sed -E "s#^(postgres(ql)?://[^/?]*)(/[^?]*)?#\1/$1#" <<<"$PG_URL"; }
  dbsize() { psql "$1" -XAtq -c "SELECT pg_database_size(current_database())" | awk '{printf "%.0f MB", $1 / 1048576}'; }
  sql() { psql "$db" -XAtq -F ' ' -v ON_ERROR_STOP=1 -c "$1"; }
  version=$(psql "$PG_URL" -XAtq -c "SHOW server_version" | cut -d' ' -f1)
  settings=$(psql "$PG_URL" -XAtq -c "SELECT string_agg(name || '=' || setting, ', ' ORDER BY name) FROM pg_settings
    WHERE name IN ('fsync', 'synchronous_commit', 'full_page_writes', 'shared_buffers', 'max_connections')")
  store="PostgreSQL $version at $(sed -E 's#://([^:@/]*):[^@/]*@#://\1:***@#' <<<"$PG_URL") ($settings)"
else
  dbsize() { du -cb "$1"* | awk 'END {printf "%.0f MB", $1 / 1048576}'; }
  sql() { sqlite3 -separator ' ' "$db" "$1"; }
  store="SQLite (WAL, synchronous NORMAL)"
fi
{
  echo "| measure | figure | target (issue 16) | load avg |"
  echo "|---|---|---|---|"
} >"$tmp/table"
status=0
echo "national: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); store: $store"

# (a) generation
db="$tmp/national.db"
if [[ -n $pg ]]; then
  db=$(pg_db "$pg_national")
  if [[ -n ${DB:-} ]]; then
    src=$(psql "$DB" -XAtq -c "SELECT current_database()")
    psql "$PG_URL" -Xq -v ON_ERROR_STOP=1 -c "CREATE DATABASE $pg_national TEMPLATE \"$src\"" >/dev/null
  else
    psql "$PG_URL" -Xq -v ON_ERROR_STOP=1 -c "CREATE DATABASE $pg_national" >/dev/null
  fi
fi
if [[ -n ${DB:-} ]]; then
  [[ -n $pg ]] || sqlite3 "$DB" ".backup $db"
  row "generation" "not measured (a copy of $DB)" "minutes, not hours"
else
  # shellcheck disable=SC2086
  /usr/bin/time -v "$bin" demo --national ${DEMO_ARGS:-} --db "$db" >"$tmp/gen.log" 2>"$tmp/gen.time" ||
    { cat "$tmp/gen.log" "$tmp/gen.time" >&2; exit 1; }
  cat "$tmp/gen.log"
  wall=$(sed -n 's/.*Elapsed (wall clock) time.*: //p' "$tmp/gen.time")
  peak=$(awk '/Maximum resident set size/ {printf "%.0f MB", $NF / 1024}' "$tmp/gen.time")
  cpu=$(awk '/User time|System time/ {s += $NF} END {printf "%.0f s", s}' "$tmp/gen.time")
  row "generation: wall time" "$wall (h:mm:ss or m:ss; CPU user + sys $cpu)" "minutes, not hours"
  row "generation: peak RSS${pg:+ (weefsel alone, not the PostgreSQL server)}" "$peak" "-"
fi
if [[ -n $pg ]]; then
  row "database size (pg_database_size)" "$(dbsize "$db")" "-"
  t0=$(date +%s.%N)
  psql "$db" -Xq -v ON_ERROR_STOP=1 -c "VACUUM (ANALYZE)" >/dev/null
  echo "national: VACUUM (ANALYZE) in $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN {printf "%.1f", b - a}') s"
else
  row "database size (file + WAL)" "$(dbsize "$db")" "-"
fi
echo "national: database ready, $(dbsize "$db")"

# (b) the mixed load, with p50/p99 per route kind from the probe; (e) RSS after it
load_status=0
# The probe is connection CONNS + 1 from 127.0.0.1: the server's per-address limit (256) must allow it.
SERVE_ARGS="--max-connections-per-address $((conns + 16)) ${SERVE_ARGS:-}" \
  DB="$db" RUNS=1 WIDE=1 WARM=1 PROBE=1 PROBE_OUT="$tmp/probe.md" OUT="$tmp/load.md" \
  "$here/../http/load.sh" "$build" "$duration" "$conns" 2>&1 | tee "$tmp/load.log" || load_status=$?
warm=$(sed -n 's/^load: engines warm after \([0-9]*\) s.*/\1/p' "$tmp/load.log")
[[ -z $warm ]] || row "warm-up after a start: the matcher and all $(sql "SELECT count(*) FROM municipalities") fabric reports built (before the load)" "$warm s" "-"
if [[ -s $tmp/load.md ]]; then
  IFS='|' read -r _ _ requests rps p50 p99 _ non2xx sockerr rss _ < <(sed -n 3p "$tmp/load.md")
  row "mixed load ($conns connections, ${duration} s): requests/s" "$(xargs <<<"$rps") ($(xargs <<<"$requests") requests; all kinds p50 $(xargs <<<"$p50") ms, p99 $(xargs <<<"$p99") ms)" "-"
  row "mixed load: failed requests" "$(xargs <<<"$non2xx") non-2xx, $(xargs <<<"$sockerr") socket errors" "0"
  row "server RSS after the load" "$(xargs <<<"$rss") MB" "< 4 GB"
fi
if [[ -s $tmp/probe.md ]]; then
  while IFS='|' read -r _ kind n p50 p99 _ failed _; do
    [[ $kind =~ (read|write): ]] || continue
    target="-"
    [[ $kind =~ read: ]] && target="p99 < 100 ms, 0 failed"
    row "p50 / p99 $(xargs <<<"$kind") (probe, $(xargs <<<"$n") requests)" "$(xargs <<<"$p50") / $(xargs <<<"$p99") ms, $(xargs <<<"$failed") failed" "$target"
  done <"$tmp/probe.md"
fi
((load_status == 0)) || { echo "national: the mixed load failed (status $load_status)" >&2; status=1; }

# (c) edit-to-visible
if python3 "$here/../engines/edit_to_visible.py" --bin "$bin" --db "$db" --edits "${EDITS:-3}" >"$tmp/edit.txt" 2>&1; then
  cat "$tmp/edit.txt"
  IFS='|' read -r _ _ first visible during stale _ < <(grep -E '^\| -?[0-9]' "$tmp/edit.txt" | head -1)
  row "edit-to-visible (median of ${EDITS:-3} edits)" "$(xargs <<<"$visible") s (first match request $(xargs <<<"$first") s; stale answers $(xargs <<<"$stale"))" "< 1 s"
  row "match requests meanwhile, p50 / p99 / max" "$(xargs <<<"$during") ms" "p99 < 100 ms"
else
  cat "$tmp/edit.txt" >&2
  row "edit-to-visible" "failed (see the log above)" "< 1 s"
  status=1
fi

# (d) the large round: API tokens for its residents, ballots at $ballot_conns connections, publication
read -r round _ < <(sql \
  "SELECT r.id, count(b.id) FROM rounds r JOIN ballots b ON b.round_id = r.id
   WHERE r.name LIKE 'Stadsbudget %' AND r.phase = 'voting' GROUP BY r.id ORDER BY r.id LIMIT 1" || true)
if [[ -z ${round:-} ]]; then
  echo "national: no large round in voting (generate with --national-ballots > 0)" >&2
  row "publishing the 100,000-ballot round" "not measured: no large round" "< 2 s"
  status=1
else
  if [[ -n $pg ]]; then
    projects=$(sql "SELECT string_agg(project_id, ',' ORDER BY position) FROM round_projects WHERE round_id = $round")
  else
    projects=$(sqlite3 "$db" "SELECT group_concat(project_id) FROM (SELECT project_id FROM round_projects WHERE round_id = $round ORDER BY position)")
  fi
  python3 - "$db" "$round" "$ballot_tokens" "$tmp/tokens" <<'PY'
# Tokens as Platform::CreateToken writes them: "wf_" + 64 hex, stored as the hex BLAKE2b-256 of the token.
# On PostgreSQL the same rows go in through psql (one COPY, in one transaction).
import csv, datetime, hashlib, io, secrets, sqlite3, subprocess, sys
db, rnd, n, path = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
now = datetime.datetime.now(datetime.timezone.utc)
fmt = lambda t: t.strftime("%Y-%m-%dT%H:%M:%SZ")
def row(user):
    token = "wf_" + secrets.token_hex(32)
    return token, (hashlib.blake2b(token.encode(), digest_size=32).hexdigest(), user, "bench",
                   fmt(now), fmt(now + datetime.timedelta(days=7)))
if db.startswith(("postgres://", "postgresql://")):
    psql = lambda *a, **k: subprocess.run(["psql", db, "-XAtq", "-v", "ON_ERROR_STOP=1", *a], check=True, text=True, **k)
    voters = psql("-c", f"SELECT voter_user_id FROM ballots WHERE round_id = {rnd} ORDER BY id LIMIT {n}",
                  stdout=subprocess.PIPE).stdout.split()
    rows = io.StringIO()
    w = csv.writer(rows)
    with open(path, "w") as f:
        for user in voters:
            token, values = row(int(user))
            w.writerow(values + ("write",))
            f.write(token + "\n")
    psql("-c", "COPY api_tokens (token_hash, user_id, name, created_at, expires_at, scope) FROM STDIN WITH (FORMAT csv)",
         input=rows.getvalue())
    sys.exit(0)
con = sqlite3.connect(db)
voters = [r[0] for r in con.execute("SELECT voter_user_id FROM ballots WHERE round_id = ? ORDER BY id LIMIT ?", (rnd, n))]
with open(path, "w") as f, con:
    for user in voters:
        token, values = row(user)
        con.execute("INSERT INTO api_tokens (token_hash, user_id, name, created_at, expires_at, scope) VALUES (?, ?, ?, ?, ?, 'write')",
                    values)
        f.write(token + "\n")
PY
  free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
  port=$(free_port)
  "$bin" serve --db "$db" --listen "127.0.0.1:$port" --threads 64 --no-access-log --demo-accounts >"$tmp/serve.log" 2>&1 &
  server=$!
  base="http://127.0.0.1:$port"
  for _ in $(seq 1 1200); do curl -sf "$base/readyz" >/dev/null && break; sleep 0.1; done
  # The ballots are written to a warm server, as in (b): not beside every fabric's first build.
  python3 - "$base" <<'PY'
import json, sys, time, urllib.request
end = time.time() + 900
while time.time() < end:
    try:
        with urllib.request.urlopen(sys.argv[1] + "/readyz", timeout=60) as r:
            if json.load(r).get("engines", {}).get("warming", 0) == 0:
                break
    except Exception:
        pass
    time.sleep(1)
PY
  BALLOT_ROUND=$round BALLOT_TOKENS="$tmp/tokens" BALLOT_PROJECTS=$projects \
    wrk -t2 -c"$ballot_conns" -d"${ballot_secs}s" --latency -s "$here/ballots.lua" "$base" >"$tmp/ballots.txt" 2>&1 || status=1
  line=$(grep '^BALLOTS ' "$tmp/ballots.txt" || true)
  get() { sed -E "s/.* $1=([^ ]*).*/\1/" <<<"$line"; }
  if [[ -n $line ]]; then
    row "ballots written per second ($ballot_conns connections, ${ballot_secs} s, $(wc -l <"$tmp/tokens") residents replacing their ballots)" \
      "$(get rps)/s (p50 $(get p50_ms) ms, p99 $(get p99_ms) ms; $(get non2xx) non-2xx, $(get socket_errors) socket errors)" ">= 2,000/s"
    [[ $(get non2xx) == 0 && $(get socket_errors) == 0 ]] || { grep 'ballots: HTTP' "$tmp/ballots.txt" | head -3 >&2; status=1; }
  else
    cat "$tmp/ballots.txt" >&2
    status=1
  fi
  publish=$(python3 - "$base" "$round" <<'PY'
import http.cookiejar, json, sys, time, urllib.request
base, rnd = sys.argv[1], sys.argv[2]
def call(method, path, body=None, token=None, opener=None, csrf=None):
    req = urllib.request.Request(base + path, method=method, data=json.dumps(body).encode() if body is not None else None)
    req.add_header("Content-Type", "application/json")
    if token: req.add_header("Authorization", "Bearer " + token)
    if csrf: req.add_header("X-CSRF-Token", csrf)
    t0 = time.perf_counter()
    with (opener or urllib.request.build_opener()).open(req, timeout=600) as r:
        text = r.read()
        return (json.loads(text) if text else None), time.perf_counter() - t0
jar = http.cookiejar.CookieJar()
opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
login, _ = call("POST", "/api/v1/auth/login", {"email": "officer@weefsel.test", "password": "weefsel-demo"}, opener=opener)
tok, _ = call("POST", "/api/v1/auth/tokens", {"name": "bench", "scope": "write"}, opener=opener, csrf=login["csrf_token"])
_, alloc = call("POST", f"/api/v1/rounds/{rnd}/phase", {"phase": "allocation"}, token=tok["token"])
_, pub = call("POST", f"/api/v1/rounds/{rnd}/phase", {"phase": "published"}, token=tok["token"])
funded, _ = call("GET", f"/api/v1/rounds/{rnd}/allocation")
items = funded.get("items", funded) if isinstance(funded, dict) else funded
print(f"{alloc:.3f} {pub:.3f} {len(items)}")
PY
  ) || { echo "national: publishing failed" >&2; status=1; }
  if [[ -n $publish ]]; then
    read -r alloc_s pub_s funded <<<"$publish"
    voters_now=$(sql "SELECT count(*) FROM ballots WHERE round_id = $round")
    row "publishing the round ($voters_now ballots, API as officer): phase to published" "$pub_s s ($funded projects funded; voting to allocation $alloc_s s)" "< 2 s"
  fi
  row "server RSS after the ballots and publishing" "$(awk '/VmRSS/ {printf "%.0f MB", $2 / 1024}' "/proc/$server/status")" "< 4 GB"
fi

# (f) each engine's state, built one kind at a time on a server that does not warm up by itself
if [[ -n $server ]]; then
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  server=
fi
challenge=$(sql "SELECT min(id) FROM challenges")
municipalities=$(sql "SELECT id FROM municipalities ORDER BY id" | xargs | tr ' ' ',')
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
"$bin" serve --db "$db" --listen "127.0.0.1:$port" --threads 8 --no-access-log --no-prewarm \
  --engine-first-wait-ms -1 --engine-wait-ms -1 >"$tmp/serve-memory.log" 2>&1 &
server=$!
if python3 - "http://127.0.0.1:$port" "$challenge" "$municipalities" "${round:-}" >"$tmp/memory.txt" 2>&1 <<'PY'
# One kind of result at a time; each request waits for its build (--engine-first-wait-ms -1).
import json, sys, time, urllib.request
base, challenge, municipalities, rnd = sys.argv[1], sys.argv[2], sys.argv[3].split(","), sys.argv[4]
def get(path):
    with urllib.request.urlopen(base + path, timeout=900) as r:
        return r.read()
for _ in range(1200):
    try:
        get("/readyz"); break
    except Exception:
        time.sleep(0.1)
def memory():
    time.sleep(1)  # answers in flight are done
    return json.loads(get("/readyz?memory=1"))["memory"]
steps = [("the matcher (all actors; one challenge ranked)", [f"/api/v1/challenges/{challenge}/matches"]),
         (f"fabric reports and maps ({len(municipalities)} municipalities)",
          [f"/api/v1/municipalities/{m}/fabric/report" for m in municipalities]),
         ("weave suggestions (the same municipalities, default k)",
          [f"/api/v1/municipalities/{m}/fabric/weave" for m in municipalities]),
         ("fabric health histories (the same municipalities)",
          [f"/api/v1/municipalities/{m}/fabric/health" for m in municipalities])]
if rnd:
    steps.append((f"round results (round {rnd}, MES with completion)", [f"/api/v1/rounds/{rnd}/results"]))
before = memory()
print(f"| start, nothing built | - | {before['heap_bytes'] / 2**20:.0f} MB | {before['rss_bytes'] / 2**20:.0f} MB |")
for name, paths in steps:
    t0 = time.perf_counter()
    for p in paths:
        get(p)
    seconds = time.perf_counter() - t0
    now = memory()
    print(f"| {name} | {seconds:.1f} s | +{(now['heap_bytes'] - before['heap_bytes']) / 2**20:.0f} MB "
          f"| +{(now['rss_bytes'] - before['rss_bytes']) / 2**20:.0f} MB |")
    before = now
print(f"| all built | - | {now['heap_bytes'] / 2**20:.0f} MB | {now['rss_bytes'] / 2**20:.0f} MB |")
PY
then
  cat "$tmp/memory.txt"
  while IFS='|' read -r _ name secs heap rss _; do
    name=$(xargs <<<"$name")
    case $name in
      start*) row "server memory at the start of (f), $name (heap in use / RSS)" "$(xargs <<<"$heap") / $(xargs <<<"$rss")" "-" ;;
      all*) row "server memory, $name (heap in use / RSS)" "$(xargs <<<"$heap") / $(xargs <<<"$rss")" "< 4 GB" ;;
      *) row "engine state: $name (heap in use / RSS growth; build time)" "$(xargs <<<"$heap") / $(xargs <<<"$rss"); $(xargs <<<"$secs")" "-" ;;
    esac
  done < <(grep '^| ' "$tmp/memory.txt")
else
  cat "$tmp/memory.txt" "$tmp/serve-memory.log" >&2
  row "engine state" "failed (see the log above)" "-"
  status=1
fi

echo
{
  echo "Store: $store"
  echo
  cat "$tmp/table"
} | tee "$out"
echo "national: load average $(cut -d' ' -f1-3 /proc/loadavg) at the end; status $status; table in $out"
exit $status
