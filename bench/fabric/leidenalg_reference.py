#!/usr/bin/env python3
# bench/fabric/leidenalg_reference.py: leidenalg 0.9.1 (Debian python3-leidenalg), as issue 21 states it:
# la.find_partition(g, la.ModularityVertexPartition, n_iterations=-1, seed=s) for s = 0..9 on the
# unweighted graph; prints the best modularity (and the seed giving it), and the wall and CPU seconds of
# the 10 runs together. These are the references of the modularity tests (analysis_slow_test.cc,
# fabric_test.cc) and the leidenalg columns of the table in docs/fabric.md.
# Usage: /usr/bin/python3 bench/fabric/leidenalg_reference.py [--weighted] [NAME ...]
#        (reads $WEEFSEL_SHARED_DATA/networks, default ../shared/data/networks; no NAME = all 14)
# --weighted also runs the 10 seeds with weights=w (leidenalg's weighted modularity; not used by the tests).
import os, sys, time
import igraph as ig, leidenalg as la

D = os.path.join(os.environ.get('WEEFSEL_SHARED_DATA', os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                                  '..', '..', '..', 'shared', 'data')), 'networks')
ALL = ["florentine", "davis_women_projection", "davis_bipartite", "karate", "dolphins", "lesmis", "football",
       "email-Eu-core", "h2020_nl_orgs", "h2020_sc6_orgs", "ca-GrQc", "ca-HepTh", "ca-AstroPh-lcc", "ca-CondMat"]


def load(name):
    with open(os.path.join(D, name + '.nodes')) as f:
        ids = [int(l.split('\t')[0]) for l in f.read().splitlines()[1:] if l.strip()]
    idx = {v: i for i, v in enumerate(ids)}
    E, W = [], []
    with open(os.path.join(D, name + '.edges')) as f:
        for l in f:
            if l.startswith('#') or not l.strip():
                continue
            p = l.split()
            E.append((idx[int(p[0])], idx[int(p[1])]))
            W.append(float(p[2]) if len(p) > 2 else 1.0)
    return ig.Graph(n=len(ids), edges=E), W


def best_of_10(g, weights=None):
    t, c = time.perf_counter(), time.process_time()
    qs = [la.find_partition(g, la.ModularityVertexPartition, weights=weights, n_iterations=-1, seed=s).modularity
          for s in range(10)]
    wall, cpu = time.perf_counter() - t, time.process_time() - c
    best = max(qs)
    return best, qs.index(best), wall, cpu


def main():
    args = [a for a in sys.argv[1:] if a != '--weighted']
    weighted = '--weighted' in sys.argv[1:]
    print('# leidenalg n_iterations=-1 seeds 0..9; load %s' % open('/proc/loadavg').read().split()[:3], flush=True)
    for name in args or ALL:
        g, W = load(name)
        q, s, wall, cpu = best_of_10(g)
        line = '%-24s unweighted %.6f (seed %d)  10 runs wall %.2f s cpu %.2f s' % (name, q, s, wall, cpu)
        if weighted and any(w != 1 for w in W):
            qw, sw, wallw, cpuw = best_of_10(g, W)
            line += '  weighted %.6f (seed %d) wall %.2f cpu %.2f' % (qw, sw, wallw, cpuw)
        print(line, flush=True)


if __name__ == '__main__':
    main()
