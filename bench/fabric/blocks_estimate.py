#!/usr/bin/env python3
# bench/fabric/blocks_estimate.py: what splitting at articulation points could save in exact Brandes,
# after leaves are stripped (the 2-core; stripped trees are solved in closed form already).
# Brandes from every vertex costs about n * m per component; split into biconnected blocks it costs
# about the sum over blocks of n_b * m_b. Prints that ratio per network (python3-igraph).
# Usage: /usr/bin/python3 bench/fabric/blocks_estimate.py NAME ...   (reads $WEEFSEL_SHARED_DATA/networks)
import os, sys
import igraph as ig

D = os.path.join(os.environ.get('WEEFSEL_SHARED_DATA', os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                                  '..', '..', '..', 'shared', 'data')), 'networks')
for name in sys.argv[1:]:
    with open(os.path.join(D, name + '.nodes')) as f:
        ids = [int(l.split('\t')[0]) for l in f.read().splitlines()[1:] if l.strip()]
    idx = {v: i for i, v in enumerate(ids)}
    with open(os.path.join(D, name + '.edges')) as f:
        E = [(idx[int(l.split()[0])], idx[int(l.split()[1])]) for l in f if l.strip() and not l.startswith('#')]
    g = ig.Graph(n=len(ids), edges=E)
    g.simplify()
    core = g.induced_subgraph([v for v, c in enumerate(g.coreness()) if c >= 2])
    whole = sum(c.vcount() * c.ecount() for c in core.connected_components().subgraphs())
    blocks = core.biconnected_components()
    split, big = 0, 0
    for b in blocks:
        sg = core.induced_subgraph(b)
        split += sg.vcount() * sg.ecount()
        big = max(big, sg.vcount())
    print('%-16s 2-core n=%d m=%d  cut vertices %d  blocks %d  largest block %d (%.1f%%)  '
          'sum n_b m_b / sum n_c m_c = %.3f' % (name, core.vcount(), core.ecount(), len(core.articulation_points()),
                                                 len(blocks), big, 100.0 * big / core.vcount(), split / whole))
