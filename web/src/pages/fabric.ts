// The fabric map: actors and ties drawn with sigma.js (WebGL) at the positions, communities and
// roles the server computed (src/fabric, GET /municipalities/{id}/fabric/map): communities
// coloured and numbered, brokers ◆, hubs ★ and isolates ○ marked (size and symbol as well as
// colour), filters by sector and theme, a click (or Enter in the list) opens an actor with its ties,
// the weave suggestions drawn as dashed lines with a list (reason and gain); a list view of the same
// data for keyboard and screen-reader users; the fabric's health over time as charts with a table;
// and the GraphML download.
import { h, field, select } from "../dom";
import { api, query, ApiError } from "../api";
import { t, num, pct, kindLabel, sectorLabel, sectorOptions, themeOptions, themeLabel, Key } from "../i18n";
import { Ctx, navigate } from "../router";
import { announce, setTitle, errorBox } from "../feedback";
import { municipalities, chosenMunicipality, notAvailable, officerMunicipalities, staleNotice } from "./common";
import { loadFabric, communityColour, Fabric, MapActor } from "./fabric-data";

declare global { interface Window { weefselFabric?: { sigma: unknown; nodes: number; edges: number; weave: number } } }

interface WeaveItem { from: { id: number; name: string }; to: { id: number; name: string }; gain: number;
  parts: { reach: number; bridging: number; redundancy: number; mix: number }; reason: string }
interface Weave { stale?: boolean; k: number; objective_before: number; objective_after: number; candidates: number; suggestions: WeaveItem[] }
interface HealthMonth { month: string; actors: number; ties: number; cross_sector_share: number; largest_component_share: number;
  isolates: number; components: number; modularity: number; mean_sector_distance?: number }
interface Health { stale?: boolean; dated: boolean; months: HealthMonth[] }

// Sigma's display data for a node: built once per node, reused by the reducer (no allocation per frame).
interface NodeLook { x: number; y: number; size: number; color: string; label: string; forceLabel: boolean; hidden: boolean; highlighted?: boolean; zIndex?: number }

export async function fabric({ main, query: q }: Ctx): Promise<void> {
  const ms = await municipalities();
  const muniParam = q.get("municipality");
  const muni = muniParam === "all" ? null : Number(muniParam ?? chosenMunicipality() ?? ms[0]?.id ?? 0) || null;
  const sector = q.get("sector") ?? "";
  const theme = q.get("theme") ?? "";
  setTitle(t("nav.fabric"));
  const form = h("form", { class: "filters", "aria-label": t("fabric.filters"), onsubmit: (e: Event) => {
    e.preventDefault();
    const fd = new FormData(form);
    navigate("/fabric" + query(Object.fromEntries([...fd.entries()].map(([k, v]) => [k, String(v)]))));
  } },
    field(t("filter.municipality"), select("municipality", [["all", t("filter.all")], ...ms.map((m): [string, string] => [String(m.id), m.name])], muni ? String(muni) : "all")),
    field(t("fabric.sector"), select("sector", [["", t("filter.all")], ...sectorOptions()], sector)),
    field(t("filter.theme"), select("theme", [["", t("filter.all")], ...themeOptions()], theme)),
    h("button", { type: "submit" }, t("filter.apply")));
  const status = h("p", { role: "status", "aria-busy": "true" }, t("fabric.loading"));
  main.append(h("h1", {}, t("fabric.title")), h("p", { class: "lead" }, t("fabric.lead")), form, status);

  const t0 = performance.now();
  let f: Fabric;
  try { f = await loadFabric(muni ? [muni] : ms.map((m) => m.id)); }
  catch (e) { status.removeAttribute("aria-busy"); status.replaceChildren(errorBox(e)); return; }
  const tLoaded = performance.now();
  const visible = (a: MapActor) => (!sector || a.sector === sector) && (!theme || a.themes.includes(theme));
  let shown = 0;
  for (const a of f.actors.values()) if (visible(a)) shown++;
  status.removeAttribute("aria-busy");
  status.textContent = t("fabric.summary", { actors: f.actors.size, ties: f.ties.length, communities: f.communities.length,
    brokers: f.brokers.size, isolates: f.isolates.size, shown });
  status.after(staleNotice({ stale: f.maps.some((m) => m.stale) }));

  const panel = h("aside", { class: "actor-panel", "aria-labelledby": "panel-h", id: "actor-panel", tabindex: "-1" },
    h("h2", { id: "panel-h" }, t("fabric.panelTitle")), h("p", {}, t("fabric.panelHint")));
  const container = h("div", { class: "map", id: "fabric-map", role: "img", "aria-label": t("fabric.mapLabel", { actors: f.actors.size, ties: f.ties.length }) });
  const zoom = (factor: number | null) => () => {
    const cam = (window.weefselFabric?.sigma as any)?.getCamera();
    if (!cam) return;
    if (factor === null) cam.animatedReset({ duration: 200 });
    else cam.animate({ ratio: cam.ratio / factor }, { duration: 200 });
  };
  const legend = h("ul", { class: "legend", "aria-label": t("fabric.legend") },
    f.communities.slice(0, 12).map((c, i) => h("li", {}, h("span", { class: "swatch", style: `background:${communityColour(i)}` }),
      t("fabric.community", { c: i + 1, n: c.size }), c.topTheme ? " · " + themeLabel(c.topTheme) : "")),
    h("li", {}, h("span", { class: "sym", "aria-hidden": "true" }, "◆"), t("fabric.brokerLegend", { n: f.brokers.size })),
    h("li", {}, h("span", { class: "sym", "aria-hidden": "true" }, "★"), t("fabric.hubLegend", { n: f.hubs.size })),
    h("li", {}, h("span", { class: "sym", "aria-hidden": "true" }, "○"), t("fabric.isolateLegend", { n: f.isolates.size })),
    muni ? h("li", {}, h("span", { class: "sym dash", "aria-hidden": "true" }, "┅"), t("fabric.weaveLegend")) : null);
  const graphml = muni ? h("a", { href: `/api/v1/municipalities/${muni}/fabric/graphml`, download: `weefsel-fabric-${muni}.graphml`, class: "button secondary" },
    t("fabric.graphml")) : null;
  main.append(h("div", { class: "map-layout" },
    h("div", {}, h("div", { class: "map-tools", role: "group", "aria-label": t("fabric.zoom") },
      h("button", { type: "button", onclick: zoom(1.5) }, t("fabric.zoomIn")), h("button", { type: "button", onclick: zoom(1 / 1.5) }, t("fabric.zoomOut")),
      h("button", { type: "button", onclick: zoom(null) }, t("fabric.zoomReset")),
      h("a", { href: "#fabric-list", class: "button secondary" }, t("fabric.toList")), graphml), container, legend,
      muni ? null : h("p", { class: "hint" }, t("fabric.allHint"))),
    panel));

  // Node and edge looks, once; the reducers only swap in the selected actor's look.
  const looks = new Map<string, NodeLook>();
  const fewBrokers = f.brokers.size + f.hubs.size < 60;
  f.graph.forEachNode((n, attrs) => {
    const id = Number(n), a = f.actors.get(id)!;
    const broker = f.brokers.has(id), hub = f.hubs.has(id), isolate = f.isolates.has(id);
    const look: NodeLook = {
      x: attrs.x as number, y: attrs.y as number,
      size: broker || hub ? 6 : isolate ? 2.5 : 2.5 + Math.min(3.5, Math.sqrt(a.degree) / 1.5),
      color: communityColour(f.community.get(id) ?? -1),
      label: (broker ? "◆ " : hub ? "★ " : isolate ? "○ " : "") + a.name,
      forceLabel: (broker || hub) && fewBrokers,
      hidden: !visible(a),
    };
    looks.set(n, look);
    f.graph.replaceNodeAttributes(n, look as unknown as Record<string, unknown>);
  });
  f.graph.forEachEdge((e, _a, s, tg) => f.graph.replaceEdgeAttributes(e, { color: "#cbd5e1", size: 0.5,
    hidden: looks.get(s)!.hidden || looks.get(tg)!.hidden }));
  const tLayout = performance.now();

  const { default: Sigma } = await import("sigma");
  const { NodePointProgram } = await import("sigma/rendering");
  let selected: string | null = null, selectedLook: NodeLook | null = null;
  const selectedEdge = { color: "#111827", size: 2, zIndex: 1, hidden: false };
  const renderer = new Sigma(f.graph, container, {
    renderEdgeLabels: false, labelDensity: 0.4, labelGridCellSize: 120, labelRenderedSizeThreshold: 7, defaultEdgeType: "line",
    hideEdgesOnMove: true, hideLabelsOnMove: true, enableEdgeEvents: false, zIndex: false,
    nodeProgramClasses: f.graph.order > 2000 ? { circle: NodePointProgram } : {},
    labelColor: { color: "#111827" },
    nodeReducer: (n, d) => (n === selected && selectedLook ? selectedLook : d),
    edgeReducer: (e, d) => (selected !== null && f.graph.hasExtremity(e, selected) ? selectedEdge : d),
  });
  // Hover picking reads a pixel back from the GPU on every mouse move, which stalls a software
  // renderer; while the map is dragged nothing can be hovered, so skip it then.
  const captor = renderer.getMouseCaptor();
  const pick = (renderer as any).getNodeAtPosition.bind(renderer);
  (renderer as any).getNodeAtPosition = (p: unknown) => (captor.isMouseDown ? null : pick(p));
  window.weefselFabric = { sigma: renderer, nodes: f.graph.order, edges: f.graph.size, weave: 0 };
  container.dataset.rendered = String(f.graph.order);
  container.dataset.loadMs = String(Math.round(tLoaded - t0));
  container.dataset.layoutMs = String(Math.round(tLayout - tLoaded));
  container.dataset.drawMs = String(Math.round(performance.now() - tLayout));

  const open = (id: number) => {
    const n = String(id);
    if (!f.graph.hasNode(n)) return;
    selected = n;
    selectedLook = { ...looks.get(n)!, highlighted: true, zIndex: 1, forceLabel: true, hidden: false };
    renderer.setSetting("zIndex", true);
    renderer.refresh();
    openActor(f, id, panel, open);
  };
  renderer.on("clickNode", ({ node }) => open(Number(node)));

  // Weave suggestions: dashed lines over the map (a 2D canvas redrawn after each frame) and a list.
  const weaveSec = h("section", { "aria-labelledby": "h-weave" }, h("h2", { id: "h-weave" }, t("fabric.weave")));
  main.append(weaveSec);
  if (!muni) weaveSec.append(notAvailable(t("fabric.weaveChooseMunicipality")));
  else {
    try {
      const w = await api.get<Weave>(`/municipalities/${muni}/fabric/weave?k=10`);
      const canIntroduce = (await officerMunicipalities()).some((m) => m.id === muni);
      const shownPairs = w.suggestions.filter((s) => f.graph.hasNode(String(s.from.id)) && f.graph.hasNode(String(s.to.id)));
      drawWeave(renderer, container, f, shownPairs);
      window.weefselFabric.weave = shownPairs.length;
      weaveSec.append(staleNotice(w), h("p", {}, t("fabric.weaveLead", { k: w.suggestions.length, before: num(w.objective_before, 3), after: num(w.objective_after, 3) })),
        w.suggestions.length ? h("ol", { class: "weave" }, w.suggestions.map((s) => h("li", {},
          h("button", { type: "button", class: "linklike", onclick: () => open(s.from.id) }, s.from.name), " — ",
          h("button", { type: "button", class: "linklike", onclick: () => open(s.to.id) }, s.to.name),
          h("span", { class: "meta" }, " · " + t("fabric.gain", { g: num(s.gain, 4) })),
          h("br"), h("span", { class: "reason" }, weaveReason(f, s)),
          canIntroduce ? introduceControl(muni, s, weaveReason(f, s)) : null)))
          : h("p", {}, t("fabric.noWeave")));
    } catch (e) { weaveSec.append(errorBox(e)); }
  }

  // The list view: the same data, reachable by keyboard.
  const listQ = h("input", { type: "search", name: "list-q", id: "list-q" });
  const tbody = h("tbody");
  const listCount = h("p", { role: "status" });
  const byDegree = [...f.actors.values()].sort((a, b) => b.degree - a.degree || a.name.localeCompare(b.name));
  const drawList = () => {
    const needle = listQ.value.trim().toLowerCase();
    const hits = byDegree.filter((a) => visible(a) && (!needle || a.name.toLowerCase().includes(needle)));
    tbody.replaceChildren(...hits.slice(0, 200).map((a) => h("tr", {},
      h("th", { scope: "row" }, h("button", { type: "button", class: "linklike", onclick: () => open(a.id) }, a.name)),
      h("td", {}, sectorLabel(a.sector)), h("td", {}, communityText(f, a.id)),
      h("td", { class: "num" }, num(a.degree)), h("td", {}, roleText(a.role)))));
    listCount.textContent = t("fabric.listCount", { shown: Math.min(200, hits.length), total: hits.length });
  };
  listQ.addEventListener("input", drawList);
  main.append(h("section", { id: "fabric-list", "aria-labelledby": "h-list" }, h("h2", { id: "h-list" }, t("fabric.list")),
    field(t("fabric.listSearch"), listQ), listCount,
    h("table", { class: "table" }, h("thead", {}, h("tr", {}, [t("actor.name"), t("fabric.sector"), t("fabric.communityH"), t("fabric.tiesH"), t("fabric.roleH")].map((x) => h("th", { scope: "col" }, x)))), tbody)));
  drawList();
  await health(main, muni);
  if (muni) {
    const snaps = await import("./fabric-snapshots").then((m) => m.snapshotsSection(muni));
    if (snaps) main.append(snaps);
  }
}

function communityText(f: Fabric, id: number): string {
  const c = f.community.get(id) ?? -1;
  return c < 0 ? "—" : t("fabric.communityShort", { c: c + 1 });
}

function roleText(role: string): string {
  const k = ({ hub: "fabric.role.hub", broker: "fabric.role.broker", peripheral: "fabric.role.peripheral", member: "fabric.role.member",
    isolate: "fabric.role.isolate" } as Record<string, Key>)[role];
  const sym = role === "broker" ? "◆ " : role === "hub" ? "★ " : role === "isolate" ? "○ " : "";
  return k ? sym + t(k) : role;
}

// The weave suggestion's reason in the reader's language: what the two share (themes, area is in
// the server's text) and what the new tie would do (the parts of its gain).
function weaveReason(f: Fabric, s: WeaveItem): string {
  const a = f.actors.get(s.from.id), b = f.actors.get(s.to.id);
  const why: string[] = [];
  if (a && b) {
    const shared = a.themes.filter((x) => b.themes.includes(x)).slice(0, 3);
    if (shared.length) why.push(t("fabric.weave.shareThemes", { list: shared.map(themeLabel).join(", ") }));
  }
  const effect: string[] = [];
  if (s.parts.reach > 0) effect.push(t("fabric.weave.reach"));
  if (s.parts.bridging > 0) effect.push(t("fabric.weave.bridging"));
  if (s.parts.redundancy > 0) effect.push(t("fabric.weave.redundancy"));
  if (s.parts.mix > 0 && a && b && a.sector !== b.sector) effect.push(t("fabric.weave.mix", { a: sectorLabel(a.sector), b: sectorLabel(b.sector) }));
  const first = why.length ? why.join("; ") : t("fabric.weave.plausible");
  return effect.length ? `${first}: ${effect.join("; ")}.` : first + ".";
}

// Dashed lines for the weave suggestions on a 2D canvas over sigma's WebGL layers, redrawn after
// every sigma frame (so they follow pans and zooms); pointer events pass through to the map.
function drawWeave(renderer: any, container: HTMLElement, f: Fabric, items: WeaveItem[]): void {
  if (!items.length) return;
  const canvas = h("canvas", { class: "weave-layer", "aria-hidden": "true" });
  container.appendChild(canvas);
  const ctx = canvas.getContext("2d")!;
  const paint = () => {
    const { width, height } = renderer.getDimensions();
    const dpr = window.devicePixelRatio || 1;
    if (canvas.width !== Math.round(width * dpr) || canvas.height !== Math.round(height * dpr)) {
      canvas.width = Math.round(width * dpr); canvas.height = Math.round(height * dpr);
      canvas.style.width = width + "px"; canvas.style.height = height + "px";
    }
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, width, height);
    ctx.lineWidth = 2.5;
    ctx.setLineDash([7, 5]);
    ctx.strokeStyle = "#b91c1c";
    ctx.beginPath();
    for (const s of items) {
      const p = renderer.graphToViewport(f.graph.getNodeAttributes(String(s.from.id)));
      const q = renderer.graphToViewport(f.graph.getNodeAttributes(String(s.to.id)));
      ctx.moveTo(p.x, p.y); ctx.lineTo(q.x, q.y);
    }
    ctx.stroke();
  };
  renderer.on("afterRender", paint);
  paint();
}

function openActor(f: Fabric, id: number, panel: HTMLElement, open: (id: number) => void): void {
  const a = f.actors.get(id);
  if (!a) return;
  const neighbours = f.graph.neighbors(String(id)).map(Number);
  panel.replaceChildren(
    h("h2", { id: "panel-h" }, a.name),
    h("p", {}, kindLabel(a.kind), " · ", sectorLabel(a.sector), " · ", communityText(f, id), a.role !== "member" ? " · " + roleText(a.role) : ""),
    h("p", {}, a.themes.map(themeLabel).join(", ")),
    h("p", {}, h("a", { href: `/actors/${id}` }, t("fabric.openProfile", { name: a.name }))),
    h("h3", {}, t("actor.ties", { n: neighbours.length })),
    neighbours.length ? h("ul", { class: "ties" }, neighbours.map((m) => h("li", {},
      h("button", { type: "button", class: "linklike", onclick: () => open(m) }, f.actors.get(m)?.name ?? String(m)))))
      : h("p", {}, t("actor.noTies")));
  panel.focus();
  announce(t("fabric.opened", { name: a.name, n: neighbours.length }));
}

// The fabric's health per month (GET /municipalities/{id}/fabric/health): ties and connected
// actors, and the shares that say how well the fabric holds together, as charts and a table.
async function health(main: HTMLElement, muni: number | null): Promise<void> {
  const sec = h("section", { "aria-labelledby": "h-health" }, h("h2", { id: "h-health" }, t("fabric.health")));
  main.append(sec);
  if (!muni) { sec.append(notAvailable(t("fabric.healthChooseMunicipality"))); return; }
  let hist: Health;
  try { hist = await api.get<Health>(`/municipalities/${muni}/fabric/health`); }
  catch (e) { sec.append(errorBox(e)); return; }
  sec.append(staleNotice(hist));
  const rows = hist.months;
  if (!rows.length) { sec.append(h("p", {}, t("fabric.noHistory"))); return; }
  const counts = h("canvas", { role: "img", "aria-label": t("fabric.healthChart") });
  const shares = h("canvas", { role: "img", "aria-label": t("fabric.healthShareChart") });
  const last = rows[rows.length - 1];
  sec.append(h("p", {}, hist.dated ? t("fabric.healthLead") : t("fabric.healthUndated")),
    h("p", {}, t("fabric.healthNow", { month: last.month, ties: last.ties, actors: last.actors, cross: pct(last.cross_sector_share),
      largest: pct(last.largest_component_share), isolates: last.isolates })),
    h("div", { class: "charts" }, h("div", { class: "canvas-wrap" }, counts), h("div", { class: "canvas-wrap" }, shares)),
    h("details", {}, h("summary", {}, t("fabric.healthTable")), h("table", { class: "table small" },
      h("thead", {}, h("tr", {}, [t("fabric.month"), t("fabric.activeTies"), t("fabric.connected"), t("fabric.isolatedH"), t("fabric.componentsH"),
        t("fabric.largestShare"), t("fabric.crossShare"), t("fabric.modularityH")].map((x) => h("th", { scope: "col" }, x)))),
      h("tbody", {}, rows.map((r) => h("tr", {}, h("th", { scope: "row" }, r.month), h("td", { class: "num" }, num(r.ties)), h("td", { class: "num" }, num(r.actors)),
        h("td", { class: "num" }, num(r.isolates)), h("td", { class: "num" }, num(r.components)), h("td", { class: "num" }, pct(r.largest_component_share)),
        h("td", { class: "num" }, pct(r.cross_sector_share)), h("td", { class: "num" }, num(r.modularity, 3))))))));
  const { Chart, registerables } = await import("chart.js");
  Chart.register(...registerables);
  const labels = rows.map((r) => r.month);
  new Chart(counts, { type: "line", data: { labels, datasets: [
    { label: t("fabric.activeTies"), data: rows.map((r) => r.ties), borderColor: "#0072B2", backgroundColor: "#0072B2", pointRadius: 0 },
    { label: t("fabric.connected"), data: rows.map((r) => r.actors), borderColor: "#D55E00", backgroundColor: "#D55E00", borderDash: [6, 3], pointRadius: 0 },
  ] }, options: { animation: false, responsive: true, maintainAspectRatio: false } });
  new Chart(shares, { type: "line", data: { labels, datasets: [
    { label: t("fabric.largestShare"), data: rows.map((r) => 100 * r.largest_component_share), borderColor: "#009E73", backgroundColor: "#009E73", pointRadius: 0 },
    { label: t("fabric.crossShare"), data: rows.map((r) => 100 * r.cross_sector_share), borderColor: "#CC79A7", backgroundColor: "#CC79A7", borderDash: [6, 3], pointRadius: 0 },
  ] }, options: { animation: false, responsive: true, maintainAspectRatio: false, scales: { y: { min: 0, max: 100, title: { display: true, text: "%" } } } } });
}

interface Introduced { at: string; a: { id: number; name: string; notified: number }; b: { id: number; name: string; notified: number } }

// "Breng in contact" (officers of the municipality): a dialog with an optional note to both, then
// POST /municipalities/{id}/introductions; the members of each side get a notification naming the
// other (and it is in their daily mail). Says who was reached, and who has nobody on weefsel yet.
function introduceControl(muni: number, s: WeaveItem, reason: string): HTMLElement {
  const status = h("div", { class: "introduce-status", role: "status" });
  const button = h("button", { type: "button", class: "secondary introduce", "data-a": String(s.from.id), "data-b": String(s.to.id),
    onclick: async () => {
      const note = await introduceDialog(s.from.name, s.to.name, reason);
      if (note === null) return;
      button.disabled = true;
      status.replaceChildren();
      try {
        const r = await api.post<Introduced>(`/municipalities/${muni}/introductions`, { a: s.from.id, b: s.to.id, note });
        const reached = (p: Introduced["a"]) => p.notified > 0
          ? t("fabric.introduce.reached", { name: p.name, n: p.notified })
          : t("fabric.introduce.nobody", { name: p.name });
        status.replaceChildren(h("p", { class: "done" }, t("fabric.introduce.sent"), " ", reached(r.a), " ", reached(r.b)));
        announce(t("fabric.introduce.sent"));
      } catch (e) {
        status.replaceChildren(e instanceof ApiError && e.status === 409
          ? h("p", { class: "notice" }, t("fabric.introduce.already"))
          : errorBox(e));
        button.disabled = false;
      }
    } }, t("fabric.introduce.button"));
  return h("div", { class: "introduce-control" }, button, status);
}

// Resolves to the note (maybe empty) or null when cancelled.
function introduceDialog(a: string, b: string, reason: string): Promise<string | null> {
  return new Promise((resolve) => {
    const note = h("textarea", { name: "note", id: "introduce-note", maxlength: "1000", rows: "3" }) as HTMLTextAreaElement;
    note.value = reason ? t("fabric.introduce.defaultNote", { reason }) : "";
    const dialog = h("dialog", { class: "confirm", "aria-labelledby": "introduce-text" },
      h("form", { method: "dialog" },
        h("p", { id: "introduce-text" }, t("fabric.introduce.confirm", { a, b })),
        h("label", { for: "introduce-note" }, t("fabric.introduce.note")), note,
        h("div", { class: "inline" }, h("button", { type: "submit", value: "yes", class: "confirm-yes" }, t("fabric.introduce.yes")),
          h("button", { type: "submit", value: "no", class: "secondary", autofocus: true }, t("confirm.cancel")))));
    dialog.addEventListener("close", () => { resolve(dialog.returnValue === "yes" ? note.value.trim() : null); dialog.remove(); });
    document.body.append(dialog);
    dialog.showModal();
  });
}
