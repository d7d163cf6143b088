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


def timed(fn):
    t = time.perf_counter()
    r = fn()
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
    k = min(n, 50)
    t, _ = timed(lambda: nx.betweenness_centrality(G, k=k, normalized=False, seed=1))
    if t * n / k <= cap:
        out["betweenness"], _ = timed(lambda: nx.betweenness_centrality(G, normalized=False))
    else:
        out["betweenness"] = ("~", t * n / k)
    out["louvain"], _ = timed(lambda: nx.community.louvain_communities(G, seed=1))
    sample = list(range(min(n, 200)))
    t, _ = timed(lambda: nx.constraint(G, nodes=sample))
    if t * n / len(sample) <= cap:
        out["constraint"], _ = timed(lambda: nx.constraint(G))
    else:
        out["constraint"] = ("~", t * n / len(sample))
    return out


def secs(v):
    return v[1] if isinstance(v, tuple) else v


def fmt(v):
    return ("~%.2f" % v[1]) if isinstance(v, tuple) else "%.3f" % v


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bench", required=True)
    ap.add_argument("--data", default=DEFAULT_DATA)
    ap.add_argument("--cap", type=float, default=60.0)
    ap.add_argument("--no-networkx", action="store_true")
    ap.add_argument("names", nargs="*")
    a = ap.parse_args()
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
        pig = py_igraph(n, edges, weights)
        nxr = {} if a.no_networkx else py_networkx(n, edges, a.cap)
        pig_total = sum(v for k, v in pig.items() if k != "modularity")
        trio_w = cpp["betweenness_s"]
        row = dict(network=name, nodes=n, edges=len(edges), weefsel=cpp["report_s"], igraph_c=cpp["igraph_c_s"],
                   weefsel_cpu=cpp["report_cpu_s"], igraph_c_cpu=cpp["igraph_c_cpu_s"],
                   py_igraph=pig_total, py_btw=pig["betweenness"], py_leiden=pig["leiden"], py_constraint=pig["constraint"],
                   weave=cpp["weave_s"], mod=cpp["modularity"], py_mod=pig["modularity"], w_btw=trio_w,
                   nx=nxr)
        rows.append(row)
        print("python  %-16s igraph: betweenness %.3f  leiden x10 %.3f  constraint %.3f  all %.3f | networkx: %s"
              % (name, pig["betweenness"], pig["leiden"], pig["constraint"], pig_total,
                 "  ".join("%s %s" % (k, fmt(v)) for k, v in nxr.items())), flush=True)
    print()
    print("Wall seconds; 'x' = other / weefsel. CPU seconds (all threads) of the weefsel report and of igraph's C calls are in cpu.")
    print("| network | n | m | weefsel report s (cpu) | igraph C in sequence s (cpu) | x | python-igraph s | x | "
          "betweenness weefsel / py-igraph s | Leiden modularity weefsel / py-igraph | networkx (btw+louvain+constraint) s | x | weave k=10 s |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        nx_total = sum(secs(v) for v in r["nx"].values()) if r["nx"] else 0
        est = any(isinstance(v, tuple) for v in r["nx"].values())
        print("| %s | %d | %d | %.3f (%.3f) | %.3f (%.3f) | %.1f | %.3f | %.1f | %.3f / %.3f | %.4f / %.4f | %s%.1f | %s%.0f | %.3f |" % (
            r["network"], r["nodes"], r["edges"], r["weefsel"], r["weefsel_cpu"], r["igraph_c"], r["igraph_c_cpu"], r["igraph_c"] / r["weefsel"], r["py_igraph"],
            r["py_igraph"] / r["weefsel"], r["w_btw"], r["py_btw"], r["mod"], r["py_mod"], "~" if est else "", nx_total,
            "~" if est else "", nx_total / r["weefsel"] if nx_total else 0, r["weave"]))


if __name__ == "__main__":
    main()
