#!/usr/bin/env python3
# bench/fabric/leidenalg_reference.py: leidenalg 0.9.1 (Debian python3-leidenalg) best modularity of seeds
# 0..9 (ModularityVertexPartition), unweighted and weighted, for the references in analysis_slow_test.cc.
# Usage: /usr/bin/python3 bench/fabric/leidenalg_reference.py NAME... (reads ../shared/data/networks)
import os
import igraph as ig, leidenalg as la, time, sys
D=os.path.join(os.environ.get('WEEFSEL_SHARED_DATA', os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'shared', 'data')), 'networks') + '/'
for name in sys.argv[1:]:
    ids=[int(l.split('\t')[0]) for l in open(D+name+'.nodes').read().splitlines()[1:] if l.strip()]
    idx={v:i for i,v in enumerate(ids)}
    E=[]; W=[]
    for l in open(D+name+'.edges'):
        if l.startswith('#') or not l.strip(): continue
        p=l.split(); E.append((idx[int(p[0])],idx[int(p[1])])); W.append(float(p[2]) if len(p)>2 else 1.0)
    g=ig.Graph(n=len(ids),edges=E)
    t=time.time()
    best=max(la.find_partition(g, la.ModularityVertexPartition, seed=s).modularity for s in range(10))
    t1=time.time()-t
    bw=None
    if any(w!=1 for w in W):
        bw=max(la.find_partition(g, la.ModularityVertexPartition, weights=W, seed=s).modularity for s in range(10))
    print(name, 'unweighted %.6f'%best, 'weighted', bw, 'secs %.1f'%t1, flush=True)
