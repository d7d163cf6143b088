#!/usr/bin/env python3
"""bench/national/probe.py BASE SECONDS: p50/p99 per route kind while wrk loads the server.

wrk's Lua cannot time single requests, so this client runs beside it (bench/http/load.sh with
PROBE=1) and asks each route kind of bench/http/load.lua in turn, one request at a time on one
keep-alive connection, for SECONDS (a request that takes over 10 s counts as failed, at 10 s; the
probe stops at SECONDS even within a round). Its requests are a small sample taken under the load, not
part of wrk's count. The environment is load.sh's (LOAD_* tokens and ids). Prints a Markdown
table: kind, requests, p50 ms, p99 ms, max ms, failed (non-2xx or no answer).
"""
import http.client, json, os, sys, time, urllib.parse

base = urllib.parse.urlparse(sys.argv[1])
seconds = float(sys.argv[2])
env = os.environ
run = int(env.get("LOAD_RUN", "0"))
actor_first, actor_count = int(env["LOAD_ACTOR_FIRST"]), int(env["LOAD_ACTOR_COUNT"])
ch_first, ch_count = int(env.get("LOAD_CHALLENGE_FIRST", env["LOAD_CHALLENGE"])), int(env.get("LOAD_CHALLENGE_COUNT", "1"))
mu_first, mu_count = int(env.get("LOAD_MUNI_FIRST", "1")), int(env.get("LOAD_MUNI_COUNT", "1"))
auth = lambda t: {"Authorization": "Bearer " + env[t], "Content-Type": "application/json"}


def tie(n):
    # Pairs far from wrk's (bench/http/load.lua starts at run * 1000003), so never a duplicate.
    i = 50_000_000 + run * 1_000_003 + n
    half = (actor_count - 1) // 2
    a, d = i % actor_count, 1 + (i // actor_count) % half
    return ("POST", f"/api/v1/actors/{actor_first + a}/ties", auth("LOAD_ADMIN_TOKEN"),
            json.dumps({"b": actor_first + (a + d) % actor_count, "weight": 0.5, "note": "probe"}))


kinds = {
    "read: challenge list": lambda n: ("GET", "/api/v1/challenges?limit=50", {}, None),
    "read: actor page": lambda n: ("GET", f"/api/v1/actors/{actor_first + (n * 7919) % actor_count}", {}, None),
    "read: challenge page": lambda n: ("GET", f"/api/v1/challenges/{env['LOAD_CHALLENGE']}", {}, None),
    "read: actor search": lambda n: ("GET", f"/api/v1/actors?limit=20&q={chr(97 + n % 26)}", {}, None),
    "read: matches": lambda n: ("GET", f"/api/v1/challenges/{ch_first + (n * 31) % ch_count}/matches?limit=10", {}, None),
    "read: fabric map": lambda n: ("GET", f"/api/v1/municipalities/{mu_first + (n * 37) % mu_count}/fabric/map", {}, None),
    "write: ballot": lambda n: ("PUT", f"/api/v1/rounds/{env['LOAD_ROUND']}/ballot", auth("LOAD_RESIDENT_TOKEN"),
                                json.dumps({"entries": [{"project_id": f"p{1 + n % 3}", "points": 1}]})),
    "write: comment": lambda n: ("POST", f"/api/v1/proposals/{env['LOAD_PROPOSAL']}/comments", auth("LOAD_MEMBER_TOKEN"),
                                 json.dumps({"text": f"probe {run}-{n}"})),
    "write: tie": tie,
}
if "LOAD_CHALLENGE_COUNT" not in env:
    del kinds["read: matches"], kinds["read: fabric map"]

lat = {k: [] for k in kinds}
failed = {k: 0 for k in kinds}
errors = {}
TIMEOUT = 10
conn = http.client.HTTPConnection(base.hostname, base.port, timeout=TIMEOUT)
end = time.monotonic() + seconds
n = 0
while time.monotonic() < end:
    for kind, make in kinds.items():
        if time.monotonic() >= end:
            break
        method, path, headers, body = make(n)
        t0 = time.perf_counter()
        try:
            conn.request(method, path, body=body, headers=headers)
            r = conn.getresponse()
            text = r.read()
            ok = 200 <= r.status < 300
            if not ok:
                errors.setdefault(kind, f"HTTP {r.status}: {text[:160]!r}")
        except Exception as e:  # a timeout or a dropped connection counts as a failure
            ok = False
            errors.setdefault(kind, repr(e))
            conn.close()
            conn = http.client.HTTPConnection(base.hostname, base.port, timeout=TIMEOUT)
        lat[kind].append(time.perf_counter() - t0)
        failed[kind] += 0 if ok else 1
    n += 1


def pct(xs, q):
    xs = sorted(xs)
    return 1000 * xs[min(len(xs) - 1, int(q * len(xs)))] if xs else float("nan")


print("| route kind (probe, one at a time) | requests | p50 ms | p99 ms | max ms | failed |")
print("|---|---|---|---|---|---|")
for k in kinds:
    print(f"| {k} | {len(lat[k])} | {pct(lat[k], 0.5):.1f} | {pct(lat[k], 0.99):.1f} | "
          f"{1000 * max(lat[k], default=float('nan')):.1f} | {failed[k]} |")
for k, e in errors.items():
    print(f"probe: first failure of {k}: {e}", file=sys.stderr)
sys.exit(1 if any(failed.values()) else 0)
