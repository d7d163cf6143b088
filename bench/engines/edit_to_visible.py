#!/usr/bin/env python3
"""bench/engines/edit_to_visible.py: how long after an organisation edits its profile the matches
reflect it, and what match requests cost meanwhile (issue 16: engines off the request path).

Steps: `weefsel demo` with the given size in a temp dir (timed); `weefsel serve --demo-accounts
--engine-wait-ms W`; an admin API token; the first match request (the matcher is built at start on
the igraph worker; this waits for it); then EDITS times: an actor's description edited through the
API, and match requests for a challenge in a loop (one connection, no pause) until an answer is
fresh with a newer `as_of`. Per edit: edit-to-visible seconds, and the latency of every match
request in that window (p50, p99, max), and how many were stale. Also a fabric report request of
the largest municipality right after an edit (its fabric is rebuilt alone, on the same worker).

Usage: bench/engines/edit_to_visible.py [--bin build/src/cli/weefsel] [--actors 50000]
       [--municipalities 12] [--wait-ms 50] [--edits 5] [--db national.db] [--in-place] [--compare]
--db takes a SQLite file (copied with sqlite3 .backup) or a PostgreSQL URL postgresql://USER@HOST:PORT/NAME
(copied with psql: CREATE DATABASE weefsel_edit_PID TEMPLATE NAME on that server, dropped at the end;
NAME must have no other connections meanwhile); --in-place uses the database as given (the edits write
into it).
The peer in the same run: the same server with --engine-wait-ms -1 (every answer waits for the
rebuild, as before issue 16's item 2) when --compare is given.
"""
import argparse, json, os, re, socket, statistics, subprocess, sys, tempfile, time, urllib.request, http.cookiejar


def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p


def call(base, method, path, body=None, token=None, opener=None, csrf=None):
    req = urllib.request.Request(base + path, method=method, data=json.dumps(body).encode() if body is not None else None)
    req.add_header("Content-Type", "application/json")
    if token: req.add_header("Authorization", "Bearer " + token)
    if csrf: req.add_header("X-CSRF-Token", csrf)
    t0 = time.perf_counter()
    with (opener or urllib.request.build_opener()).open(req, timeout=600) as r:
        text = r.read()
        return (json.loads(text) if text else None), time.perf_counter() - t0, dict(r.headers)


def pct(xs, q):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))]


def is_pg(db):
    return re.match(r"postgres(ql)?://", db) is not None


def psql(url, sql):
    return subprocess.run(["psql", url, "-XAtq", "-v", "ON_ERROR_STOP=1", "-c", sql], check=True,
                          stdout=subprocess.PIPE, text=True).stdout.strip()


def with_database(url, name):
    """The URL of database `name` on the server of `url` (user, host, port and parameters kept)."""
    return re.sub(r"^(postgres(?:ql)?://[^/?]*)(/[^?]*)?", lambda m: m.group(1) + "/" + name, url)


def run(args, db, wait_ms, tmp):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = open(os.path.join(tmp, f"serve-{wait_ms}.log"), "w")
    server = subprocess.Popen([args.bin, "serve", "--db", db, "--listen", f"127.0.0.1:{port}", "--demo-accounts",
                               "--no-access-log", "--engine-wait-ms", str(wait_ms),
                               # the first match request waits for the matcher's first build (its time
                               # is a figure here), instead of 503 `building` after 2 s
                               "--engine-first-wait-ms", "-1"], stdout=log, stderr=log)
    try:
        for _ in range(600):
            try:
                call(base, "GET", "/readyz"); break
            except Exception:
                time.sleep(0.1)
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        login, _, _ = call(base, "POST", "/api/v1/auth/login", {"email": "admin@weefsel.test", "password": "weefsel-demo"}, opener=opener)
        tok, _, _ = call(base, "POST", "/api/v1/auth/tokens", {"name": "bench", "scope": "write"}, opener=opener, csrf=login["csrf_token"])
        token = tok["token"]
        challenge = call(base, "GET", "/api/v1/challenges?limit=1")[0]["items"][0]["id"]
        munis = call(base, "GET", "/api/v1/municipalities?limit=100")[0]["items"]
        actors = call(base, "GET", "/api/v1/actors?limit=50")[0]["items"]
        first, first_s, _ = call(base, "GET", f"/api/v1/challenges/{challenge}/matches?limit=10")
        out = {"wait_ms": wait_ms, "first_matches_s": first_s, "edits": []}
        as_of = first["as_of"]
        for e in range(args.edits):
            actor = actors[e % len(actors)]["id"]
            t0 = time.perf_counter()
            call(base, "PATCH", f"/api/v1/actors/{actor}", {"description": f"Bewerkt {e} {time.time()}"}, token=token)
            lat, stale = [], 0
            while True:
                j, s, h = call(base, "GET", f"/api/v1/challenges/{challenge}/matches?limit=10")
                lat.append(s)
                if j["stale"]:
                    stale += 1
                if not j["stale"] and j["as_of"] > as_of:
                    as_of = j["as_of"]
                    break
                if time.perf_counter() - t0 > 600:
                    raise SystemExit("no fresh answer within 600 s")
            out["edits"].append({"visible_s": time.perf_counter() - t0, "requests": len(lat), "stale": stale,
                                 "p50_ms": 1000 * pct(lat, 0.5), "p99_ms": 1000 * pct(lat, 0.99), "max_ms": 1000 * max(lat)})
        return out
    finally:
        server.terminate(); server.wait()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default="build/src/cli/weefsel")
    ap.add_argument("--actors", type=int, default=50000)
    ap.add_argument("--municipalities", type=int, default=12)
    ap.add_argument("--wait-ms", type=int, default=50)
    ap.add_argument("--edits", type=int, default=5)
    ap.add_argument("--db", help="use a copy of this database (SQLite file or postgresql:// URL) instead of generating one (e.g. weefsel demo --national)")
    ap.add_argument("--in-place", action="store_true", help="with --db: use the database as given, without a copy (the edits write into it)")
    ap.add_argument("--compare", action="store_true", help="also run with --engine-wait-ms -1 (wait for every rebuild)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "demo.db")
        copy = None  # the PostgreSQL database made here, dropped at the end
        if args.db and is_pg(args.db):
            db = args.db
            if not args.in_place:
                copy = f"weefsel_edit_{os.getpid()}"
                source = psql(args.db, "SELECT current_database()")
                psql(args.db, f'CREATE DATABASE {copy} TEMPLATE "{source}"')
                db = with_database(args.db, copy)
            size = int(psql(db, "SELECT pg_database_size(current_database())"))
            print(f"database: {'a copy of ' if copy else ''}PostgreSQL database {source if copy else args.db}, {size / 1e6:.0f} MB")
        elif args.db and args.in_place:
            db = args.db
            print(f"database: {args.db} in place, {os.path.getsize(db) / 1e6:.0f} MB")
        elif args.db:
            subprocess.run(["sqlite3", args.db, f".backup {db}"], check=True)
            print(f"database: a copy of {args.db}, {os.path.getsize(db) / 1e6:.0f} MB")
        else:
            t0 = time.perf_counter()
            subprocess.run([args.bin, "demo", "--db", db, "--seed", "1", "--actors", str(args.actors),
                            "--municipalities", str(args.municipalities)], check=True, stdout=subprocess.DEVNULL)
            gen = time.perf_counter() - t0
            print(f"demo: {args.actors} actors, {args.municipalities} municipalities, generated in {gen:.1f} s, "
                  f"{os.path.getsize(db) / 1e6:.0f} MB")
        try:
            runs = [run(args, db, args.wait_ms, tmp)] + ([run(args, db, -1, tmp)] if args.compare else [])
        finally:
            if copy:
                psql(args.db, f"DROP DATABASE IF EXISTS {copy} WITH (FORCE)")
        print("| --engine-wait-ms | first matches (s) | edit-to-visible median (s) | match p50 / p99 / max during (ms) | stale answers |")
        print("|---|---|---|---|---|")
        for r in runs:
            ed = r["edits"]
            print(f"| {r['wait_ms']} | {r['first_matches_s']:.2f} | {statistics.median(e['visible_s'] for e in ed):.2f} | "
                  f"{statistics.median(e['p50_ms'] for e in ed):.1f} / {max(e['p99_ms'] for e in ed):.1f} / "
                  f"{max(e['max_ms'] for e in ed):.1f} | {sum(e['stale'] for e in ed)} of {sum(e['requests'] for e in ed)} |")


if __name__ == "__main__":
    main()
