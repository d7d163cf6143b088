// The social fabric as the server computes it (src/fabric): one bulk response per municipality
// (GET /municipalities/{id}/fabric/map) with every actor's community, role, degree and layout
// position in [0, 1], and every tie. Nothing is computed in the browser but the arrangement of
// several municipalities side by side and the graphology graph sigma.js draws.
import Graph from "graphology";
import { api } from "../api";

export interface MapActor {
  id: number; name: string; kind: string; sector: string; themes: string[];
  community: number; role: string; degree: number; x: number; y: number;
}
export interface MapResponse {
  municipality: number; layout: string; modularity: number; stale?: boolean;
  communities: { id: number; size: number; top_theme: string | null; top_sector: string | null }[];
  actors: MapActor[];
  ties: { from: number; to: number; weight: number }[];
}
export interface CommunityInfo { municipality: number; size: number; topTheme: string | null; topSector: string | null }

export interface Fabric {
  graph: Graph;
  actors: Map<number, MapActor & { municipality: number }>;
  ties: { a: number; b: number; weight: number }[];
  community: Map<number, number>;  // actor -> community number (0 = largest), -1 for isolates
  communities: CommunityInfo[];     // by community number
  brokers: Set<number>;
  hubs: Set<number>;
  isolates: Set<number>;
  maps: MapResponse[];
}

// Fetches the maps of the given municipalities (in parallel) and joins them: each municipality's
// layout is a square tile whose side grows with the square root of its actor count, tiles in rows.
export async function loadFabric(municipalities: number[]): Promise<Fabric> {
  const single = municipalities.length === 1;
  const maps = (await Promise.all(municipalities.map((m) => api.get<MapResponse>(`/municipalities/${m}/fabric/map`)
    .catch((e) => { if (single) throw e; return null; }))))
    .filter((m): m is MapResponse => m !== null && m.actors.length > 0)
    .sort((a, b) => b.actors.length - a.actors.length);
  const graph = new Graph({ type: "undirected", multi: false, allowSelfLoops: false });
  const actors: Fabric["actors"] = new Map();
  const ties: Fabric["ties"] = [];
  const brokers = new Set<number>(), hubs = new Set<number>(), isolates = new Set<number>();
  const cols = Math.max(1, Math.ceil(Math.sqrt(maps.length)));
  const cell = maps.length ? Math.sqrt(maps[0].actors.length) * 1.15 : 1;
  // Communities keyed by municipality and the server's community id, numbered by size afterwards.
  const keyed = new Map<string, { municipality: number; id: number; size: number; topTheme: string | null; topSector: string | null }>();
  const keyOf = new Map<number, string>();
  maps.forEach((m, k) => {
    const side = Math.sqrt(m.actors.length);
    const ox = (k % cols) * cell + (cell - side) / 2, oy = -Math.floor(k / cols) * cell - (cell - side) / 2;
    const info = new Map(m.communities.map((c) => [c.id, c]));
    for (const a of m.actors) {
      if (actors.has(a.id)) continue;
      actors.set(a.id, { ...a, municipality: m.municipality });
      graph.addNode(String(a.id), { x: ox + a.x * side, y: oy - a.y * side });
      if (a.role === "isolate" || a.degree === 0) { isolates.add(a.id); continue; }
      if (a.role === "broker") brokers.add(a.id);
      if (a.role === "hub") hubs.add(a.id);
      const key = m.municipality + ":" + a.community;
      let c = keyed.get(key);
      if (!c) {
        const i = info.get(a.community);
        c = { municipality: m.municipality, id: a.community, size: 0, topTheme: i?.top_theme ?? null, topSector: i?.top_sector ?? null };
        keyed.set(key, c);
      }
      c.size++;
      keyOf.set(a.id, key);
    }
    for (const e of m.ties) {
      const [x, y] = [String(e.from), String(e.to)];
      if (x === y || !graph.hasNode(x) || !graph.hasNode(y) || graph.hasEdge(x, y)) continue;
      graph.addEdge(x, y, { weight: e.weight });
      ties.push({ a: e.from, b: e.to, weight: e.weight });
    }
  });
  const order = [...keyed.entries()].sort((a, b) => b[1].size - a[1].size || a[0].localeCompare(b[0]));
  const rank = new Map(order.map(([k], i) => [k, i]));
  const community = new Map<number, number>();
  for (const id of actors.keys()) community.set(id, isolates.has(id) ? -1 : rank.get(keyOf.get(id)!) ?? -1);
  const communities = order.map(([, c]) => ({ municipality: c.municipality, size: c.size, topTheme: c.topTheme, topSector: c.topSector }));
  return { graph, actors, ties, community, communities, brokers, hubs, isolates, maps };
}

// Colour-blind-safe palette (Okabe–Ito plus darker tones); every colour is paired with a number in
// the legend and the list, so nothing depends on colour alone.
export const PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#8B4513", "#6A3D9A", "#B15928", "#1F78B4", "#33A02C", "#E31A1C"];
export function communityColour(c: number): string { return c < 0 ? "#9ca3af" : c < PALETTE.length ? PALETTE[c] : "#7a7a7a"; }
