#!/usr/bin/env python3
"""bench/fabric/compare.py: the fabric report of weefsel against python3-igraph and python3-networkx.

Runs, in one go and on the same networks (../shared/data/networks, read in place):
  1. fabric_bench (C++): weefsel's full report, and igraph's own C functions called in sequence;
  2. python-igraph: exact betweenness, Leiden (10 seeded runs, modularity, as leidenalg's
     comparison in issue 4), constraint; plus the rest of the report (components, Louvain x10,
     diameter, coreness, articulation points, bridges, local clustering);
  3. networkx: exact betweenness, Louvain (networkx has no Leiden; 1 run), constraint.
     Over --cap seconds per analysis, networkx's figure is an extrapolation from a timed part
     (betweenness from k sampled sources, constraint from a node sample), marked with '~'.
Prints one row per network with seconds and the ratios  igraph/weefsel  and  networkx/weefsel.
Usage: bench/fabric/compare.py --bench BUILD/bench/fabric/fabric_bench [--cap 60] [NAME ...]
       bench/fabric/compare.py --table LOG [LOG ...]   (the table again from saved runs' ROW lines)
Use Debian's python (/usr/bin/python3) for python3-igraph and python3-networkx.
"""
import argparse, json, os, subprocess, sys, time

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_DATA = os.environ.get("WEEFSEL_SHARED_DATA", os.path.join(HERE, "..", "..", "..", "shared", "data"))
ALL = ["florentine", "davis_women_projection", "davis_bipartite", "karate", "dolphins", "lesmis", "football",
       "email-Eu-core", "h2020_nl_orgs", "h2020_sc6_orgs", "ca-GrQc", "ca-HepTh", "ca-AstroPh-lcc", "ca-CondMat"]


def load(data, name):
    with open(os.path.join(data, "networks", name + ".nodes")) as f:
        ids = [int(l.split("\t")[0]) for l in f.read().splitlines()[1:] if l.strip()]
    idx = {v: i for i, v in enumerate(ids)}
    edges, weights = [], []
    with open(os.path.join(data, "networks", name + ".edges")) as f:
        for l in f:
            if l.startswith("#") or not l.strip():
                continue
            p = l.split()
            edges.append((idx[int(p[0])], idx[int(p[1])]))
            weights.append(float(p[2]) if len(p) > 2 else 1.0)
    return len(ids), edges, weights


CPU = {"s": 0.0}  # CPU seconds of this process spent inside timed() calls, summed per library


def timed(fn):
    t, c = time.perf_counter(), time.process_time()
    r = fn()
    CPU["s"] += time.process_time() - c
    return time.perf_counter() - t, r


def py_igraph(n, edges, weights):
    import igraph as ig
    g = ig.Graph(n=n, edges=edges)
    weighted = any(w != 1 for w in weights)
    out = {}
    out["components"], _ = timed(lambda: g.connected_components())
    def leiden(w):
        best = -1
        for s in range(10):
            ig.set_random_number_generator(__import__("random").Random(s))
            c = g.community_leiden(objective_function="modularity", weights=w, n_iterations=2)
            best = max(best, g.modularity(c.membership, weights=w))
        return best
    out["leiden"], out["modularity"] = timed(lambda: leiden(None))
    out["louvain"], _ = timed(lambda: [g.community_multilevel() for _ in range(10)])
    out["betweenness"], _ = timed(lambda: g.betweenness(directed=False))
    out["constraint"], _ = timed(lambda: g.constraint())
    lcc = g.connected_components().giant()
    out["diameter"], _ = timed(lambda: lcc.diameter(directed=False))
    if weighted:
        lengths = [1.0 / w for w in weights]
        out["leiden_weighted"], _ = timed(lambda: leiden(weights))
        out["louvain_weighted"], _ = timed(lambda: [g.community_multilevel(weights=weights) for _ in range(10)])
        out["betweenness_weighted"], _ = timed(lambda: g.betweenness(directed=False, weights=lengths))
        out["constraint_weighted"], _ = timed(lambda: g.constraint(weights=weights))
    out["structure"], _ = timed(lambda: (g.coreness(), g.articulation_points(), g.bridges(),
                                         g.transitivity_local_undirected(mode="zero")))
    return out


def py_networkx(n, edges, cap):
    import networkx as nx
    G = nx.Graph()
    G.add_nodes_from(range(n))
    G.add_edges_from(edges)
    out = {}
    # Betweenness: time k sources first; extrapolate when the whole would pass the cap.
    # Extrapolated parts add their extrapolated CPU to CPU["s"] as well (sample's CPU x the same factor).
    k = min(n, 50)
    c0 = CPU["s"]
    t, _ = timed(lambda: nx.betweenness_centrality(G, k=k, normalized=False, seed=1))
    if t * n / k <= cap:
        CPU["s"] = c0
        out["betweenness"], _ = timed(lambda: nx.betweenness_centrality(G, normalized=False))
    else:
        CPU["s"] = c0 + (CPU["s"] - c0) * n / k
        out["betweenness"] = ("~", t * n / k)
    out["louvain"], _ = timed(lambda: nx.community.louvain_communities(G, seed=1))
    sample = list(range(min(n, 200)))
    c0 = CPU["s"]
    t, _ = timed(lambda: nx.constraint(G, nodes=sample))
    if t * n / len(sample) <= cap:
        CPU["s"] = c0
        out["constraint"], _ = timed(lambda: nx.constraint(G))
    else:
        CPU["s"] = c0 + (CPU["s"] - c0) * n / len(sample)
        out["constraint"] = ("~", t * n / len(sample))
    return out


def secs(v):
    return v[1] if isinstance(v, (list, tuple)) else v  # ("~", s) becomes a list through --table


def fmt(v):
    return ("~%.2f" % v[1]) if isinstance(v, (list, tuple)) else "%.3f" % v


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bench")
    ap.add_argument("--table", nargs="+", metavar="LOG",
                    help="print the table from the ROW lines of saved logs of earlier runs (in network order)")
    ap.add_argument("--data", default=DEFAULT_DATA)
    ap.add_argument("--cap", type=float, default=60.0)
    ap.add_argument("--no-networkx", action="store_true")
    ap.add_argument("names", nargs="*")
    a = ap.parse_args()
    if a.table:
        rows = [json.loads(l[4:]) for f in a.table for l in open(f) if l.startswith("ROW ")]
        rows.sort(key=lambda r: ALL.index(r["network"]) if r["network"] in ALL else len(ALL))
        print_table(rows)
        return
    if not a.bench:
        ap.error("--bench is required")
    names = a.names or ALL
    rows = []
    for name in names:
        env = dict(os.environ, WEEFSEL_SHARED_DATA=a.data)
        p = subprocess.run([a.bench, name], capture_output=True, text=True, env=env)
        if p.returncode != 0:
            print(p.stdout, p.stderr, file=sys.stderr)
            sys.exit(1)
        sys.stdout.write("".join(l + "\n" for l in p.stdout.splitlines() if not l.startswith("JSON") and not l.startswith("network ")))
        cpp = json.loads([l for l in p.stdout.splitlines() if l.startswith("JSON")][0][5:])
        n, edges, weights = load(a.data, name)
        CPU["s"] = 0.0
        pig = py_igraph(n, edges, weights)
        pig_cpu = CPU["s"]
        CPU["s"] = 0.0
        nxr = {} if a.no_networkx else py_networkx(n, edges, a.cap)
        nx_cpu = CPU["s"]
        pig_total = sum(v for k, v in pig.items() if k != "modularity")
        trio_w = cpp["betweenness_s"]
        row = dict(network=name, nodes=n, edges=len(edges), weefsel=cpp["report_s"], igraph_c=cpp["igraph_c_s"],
                   weefsel_cpu=cpp["report_cpu_s"], igraph_c_cpu=cpp["igraph_c_cpu_s"],
                   py_igraph=pig_total, py_btw=pig["betweenness"], py_leiden=pig["leiden"], py_constraint=pig["constraint"],
                   weave=cpp["weave_s"], mod=cpp["modularity"], py_mod=pig["modularity"], w_btw=trio_w,
                   nx=nxr, py_igraph_cpu=pig_cpu, nx_cpu=nx_cpu)
        rows.append(row)
        print("python  %-16s igraph: betweenness %.3f  leiden x10 %.3f  constraint %.3f  all %.3f (cpu %.3f) | networkx: %s (cpu %.3f)"
              % (name, pig["betweenness"], pig["leiden"], pig["constraint"], pig_total, pig_cpu,
                 "  ".join("%s %s" % (k, fmt(v)) for k, v in nxr.items()), nx_cpu), flush=True)
        print("ROW " + json.dumps(row), flush=True)
    print()
    print_table(rows)


def print_table(rows):
    """The markdown table; rows are the ROW lines' objects (also re-printable from a saved log with --table LOG)."""
    print("Seconds as wall (cpu); 'x' = other / weefsel, by wall and by CPU. CPU seconds count every thread.")
    print("| network | n | m | weefsel report | igraph C in sequence | x wall / cpu | python-igraph | x wall / cpu | "
          "betweenness weefsel / py-igraph (wall) | Leiden modularity weefsel / py-igraph | networkx btw+louvain+constraint | x wall / cpu | weave k=10 (wall) |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        nx_total = sum(secs(v) for v in r["nx"].values()) if r["nx"] else 0
        est = any(isinstance(v, (list, tuple)) for v in r["nx"].values())
        # An extrapolated networkx figure (wall and CPU) is the sampled part's scaled by the same factor.
        nx_cpu = r.get("nx_cpu", 0)
        line = ("| %s | %d | %d | %.3f (%.3f) | %.3f (%.3f) | %.1f / %.1f | %.3f (%.3f) | %.1f / %.1f | %.3f / %.3f | %.4f / %.4f | %s%.1f (%.1f) | %s%.0f / %.0f | %.3f |" % (
            r["network"], r["nodes"], r["edges"], r["weefsel"], r["weefsel_cpu"], r["igraph_c"], r["igraph_c_cpu"],
            r["igraph_c"] / r["weefsel"], r["igraph_c_cpu"] / r["weefsel_cpu"], r["py_igraph"], r.get("py_igraph_cpu", 0),
            r["py_igraph"] / r["weefsel"], r.get("py_igraph_cpu", 0) / r["weefsel_cpu"], r["w_btw"], r["py_btw"], r["mod"], r["py_mod"],
            "~" if est else "", nx_total, nx_cpu, "~" if est else "", nx_total / r["weefsel"] if nx_total else 0,
            nx_cpu / r["weefsel_cpu"] if r["weefsel_cpu"] else 0, r["weave"]))
        print(line.replace("| 0.0 (0.0) | 0 / 0 |", "| not run | - |"))


if __name__ == "__main__":
    main()
