// The social fabric as the browser sees it: every actor and tie of a municipality (or of all)
// fetched from the API, as a graphology graph with communities (Louvain), brokers (actors whose
// ties reach at least two communities other than their own) and isolates (no ties) computed
// here, on the real data.
import Graph from "graphology";
import louvain from "graphology-communities-louvain";
import { all, Actor, Tie } from "../api";

export interface Fabric {
  graph: Graph;
  actors: Map<number, Actor>;
  ties: Tie[];
  community: Map<number, number>;   // actor -> community (0 = largest; -1 for isolates)
  communitySizes: number[];
  brokers: Set<number>;
  isolates: Set<number>;
}

export async function loadFabric(municipality: number | null): Promise<Fabric> {
  const params = municipality ? { municipality } : {};
  const [actorList, ties] = await Promise.all([all<Actor>("/actors", params), all<Tie>("/ties", params)]);
  const actors = new Map(actorList.map((a) => [a.id, a]));
  const graph = new Graph({ type: "undirected", multi: false });
  for (const a of actorList) graph.addNode(String(a.id));
  const kept: Tie[] = [];
  for (const t of ties) {
    if (!actors.has(t.a) || !actors.has(t.b) || t.a === t.b) continue;
    const [x, y] = [String(t.a), String(t.b)];
    if (graph.hasEdge(x, y)) graph.updateEdgeAttribute(x, y, "weight", (w: number) => w + t.weight);
    else graph.addEdge(x, y, { weight: t.weight });
    kept.push(t);
  }
  const raw = graph.size ? louvain(graph, { getEdgeWeight: "weight", rng: mulberry(7) }) : {};
  // Renumber communities by size, largest first.
  // Isolates are no community of their own: they get -1 and the legend counts them apart.
  const counts = new Map<number, number>();
  for (const [n, c] of Object.entries(raw)) if (graph.degree(n) > 0) counts.set(c, (counts.get(c) ?? 0) + 1);
  const order = [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([c]) => c);
  const rank = new Map(order.map((c, i) => [c, i]));
  const community = new Map<number, number>();
  graph.forEachNode((n) => community.set(Number(n), graph.degree(n) > 0 ? rank.get(raw[n]) ?? 0 : -1));
  const communitySizes = order.map((c) => counts.get(c) ?? 0);
  const brokers = new Set<number>();
  const isolates = new Set<number>();
  graph.forEachNode((n) => {
    if (graph.degree(n) === 0) { isolates.add(Number(n)); return; }
    const own = community.get(Number(n));
    const reached = new Set<number>();
    graph.forEachNeighbor(n, (m) => { const c = community.get(Number(m))!; if (c !== own) reached.add(c); });
    if (reached.size >= 2) brokers.add(Number(n));
  });
  return { graph, actors, ties: kept, community, communitySizes, brokers, isolates };
}

export function mulberry(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Colour-blind-safe palette (Okabe–Ito plus darker tones); every colour is paired with a number in
// the legend and the list, so nothing depends on colour alone.
export const PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#8B4513", "#6A3D9A", "#B15928", "#1F78B4", "#33A02C", "#E31A1C"];
export function communityColour(c: number): string { return c < PALETTE.length ? PALETTE[c] : "#7a7a7a"; }
