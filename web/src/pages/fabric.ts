// The fabric map: actors and ties drawn with sigma.js (WebGL), communities coloured, brokers and
// isolates marked (size and symbol as well as colour), filters by sector and theme, a click (or
// Enter in the list) opens an actor with its ties, weave suggestions as dashed lines when the
// server offers them; a list view of the same data for keyboard and screen-reader users; and the
// fabric's health over time (ties active per year) as a chart with a table.
import { h, field, select } from "../dom";
import { api, hasRoute, query } from "../api";
import { t, num, kindLabel, sectorLabel, sectorOptions, themeOptions, themeLabel, getLocale } from "../i18n";
import { Ctx, navigate, announce, setTitle } from "../main";
import { municipalities, chosenMunicipality, notAvailable } from "./common";
import { loadFabric, communityColour, Fabric } from "./fabric-data";

declare global { interface Window { weefselFabric?: { sigma: unknown; nodes: number; edges: number } } }

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
  const f = await loadFabric(muni);
  const tLoaded = performance.now();
  const visible = (id: number) => {
    const a = f.actors.get(id)!;
    return (!sector || a.sector === sector) && (!theme || a.themes.includes(theme));
  };
  let shown = 0;
  for (const id of f.actors.keys()) if (visible(id)) shown++;
  status.removeAttribute("aria-busy");
  status.textContent = t("fabric.summary", { actors: f.actors.size, ties: f.ties.length, communities: f.communitySizes.length,
    brokers: f.brokers.size, isolates: f.isolates.size, shown });

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
    f.communitySizes.slice(0, 12).map((n, c) => h("li", {}, h("span", { class: "swatch", style: `background:${communityColour(c)}` }), t("fabric.community", { c: c + 1, n }))),
    h("li", {}, h("span", { class: "sym", "aria-hidden": "true" }, "◆"), t("fabric.brokerLegend", { n: f.brokers.size })),
    h("li", {}, h("span", { class: "sym", "aria-hidden": "true" }, "○"), t("fabric.isolateLegend", { n: f.isolates.size })));
  main.append(h("div", { class: "map-layout" },
    h("div", {}, h("div", { class: "map-tools", role: "group", "aria-label": t("fabric.zoom") },
      h("button", { type: "button", onclick: zoom(1.5) }, t("fabric.zoomIn")), h("button", { type: "button", onclick: zoom(1 / 1.5) }, t("fabric.zoomOut")),
      h("button", { type: "button", onclick: zoom(null) }, t("fabric.zoomReset")),
      h("a", { href: "#fabric-list", class: "button secondary" }, t("fabric.toList"))), container, legend),
    panel));

  // Layout: each community a sunflower (phyllotaxis) disc, best-connected actors in the middle,
  // the discs on a spiral by size, isolates in a ring outside; O(n), so 5,000 actors lay out at
  // once. Small networks are then refined with a few ForceAtlas2 iterations.
  const members = new Map<number, number[]>();
  for (const id of f.actors.keys()) {
    const c = f.community.get(id) ?? -1;
    if (!members.has(c)) members.set(c, []);
    members.get(c)!.push(id);
  }
  const golden = Math.PI * (3 - Math.sqrt(5));
  const centres = new Map<number, [number, number]>();
  let k = 0;
  for (const c of [...members.keys()].filter((c) => c >= 0).sort((a, b) => a - b)) {
    const r = 3.2 * Math.sqrt(k) * Math.sqrt(1 + Math.sqrt(members.get(c)!.length));
    centres.set(c, [r * Math.cos(k * golden), r * Math.sin(k * golden)]);
    k++;
  }
  let outer = 0;
  for (const [x, y] of centres.values()) outer = Math.max(outer, Math.hypot(x, y));
  for (const [c, ids] of members) {
    ids.sort((a, b) => f.graph.degree(String(b)) - f.graph.degree(String(a)));
    ids.forEach((id, i) => {
      let x: number, y: number;
      if (c < 0) {
        const a = (2 * Math.PI * i) / ids.length;
        x = (outer + 6) * Math.cos(a); y = (outer + 6) * Math.sin(a);
      } else {
        const [cx, cy] = centres.get(c)!;
        const r = 0.45 * Math.sqrt(i);
        x = cx + r * Math.cos(i * golden); y = cy + r * Math.sin(i * golden);
      }
      const a = f.actors.get(id)!;
      const n = String(id), broker = f.brokers.has(id), isolate = f.isolates.has(id);
      f.graph.mergeNodeAttributes(n, {
        x, y,
        size: broker ? 7 : isolate ? 3 : 3 + Math.min(4, Math.sqrt(f.graph.degree(n))),
        color: isolate ? "#9ca3af" : communityColour(c),
        label: (broker ? "◆ " : isolate ? "○ " : "") + a.name,
        forceLabel: broker && f.brokers.size < 60,
        hidden: !visible(id),
      });
    });
  }
  if (f.graph.size && f.graph.order <= 2000) {
    const { default: forceAtlas2 } = await import("graphology-layout-forceatlas2");
    forceAtlas2.assign(f.graph, { iterations: 30, settings: { ...forceAtlas2.inferSettings(f.graph), barnesHutOptimize: f.graph.order > 800, gravity: 1 } });
  }
  const tLayout = performance.now();
  f.graph.forEachEdge((e, _a, s, tg) => f.graph.mergeEdgeAttributes(e, { color: "#c7c7c7", size: 0.6, hidden: !visible(Number(s)) || !visible(Number(tg)) }));

  // Weave suggestions (dashed) when the server offers them.
  const weaveSec = h("section", { "aria-labelledby": "h-weave" }, h("h2", { id: "h-weave" }, t("fabric.weave")));
  main.append(weaveSec);
  const weaveRoute = await hasRoute("GET", "/api/v1/fabric/weave");
  let suggestions: { a: number; b: number; gain?: number; reason?: string }[] = [];
  if (weaveRoute) {
    try { suggestions = (await api.get<{ items: typeof suggestions }>("/fabric/weave" + query({ municipality: muni }))).items ?? []; }
    catch { suggestions = []; }
  }
  if (!weaveRoute) weaveSec.append(notAvailable(t("fabric.weaveUnavailable")));
  else weaveSec.append(suggestions.length ? h("ol", {}, suggestions.map((s) => h("li", {}, `${f.actors.get(s.a)?.name ?? s.a} — ${f.actors.get(s.b)?.name ?? s.b}`, s.reason ? `: ${s.reason}` : ""))) : h("p", {}, t("fabric.noWeave")));

  const { default: Sigma } = await import("sigma");
  const { EdgeLineProgram } = await import("sigma/rendering");
  for (const s of suggestions) {
    const [x, y] = [String(s.a), String(s.b)];
    if (f.graph.hasNode(x) && f.graph.hasNode(y) && !f.graph.hasEdge(x, y)) f.graph.addEdge(x, y, { color: "#b91c1c", size: 2, type: "dashed", weave: true });
  }
  const renderer = new Sigma(f.graph, container, {
    renderEdgeLabels: false, labelDensity: 0.5, labelRenderedSizeThreshold: 9, defaultEdgeType: "line",
    hideEdgesOnMove: f.graph.size > 3000, hideLabelsOnMove: true,
    edgeProgramClasses: { line: EdgeLineProgram, dashed: EdgeLineProgram },
    labelColor: { color: "#111827" },
  });
  window.weefselFabric = { sigma: renderer, nodes: f.graph.order, edges: f.graph.size };
  container.dataset.rendered = String(f.graph.order);
  container.dataset.loadMs = String(Math.round(tLoaded - t0));
  container.dataset.layoutMs = String(Math.round(tLayout - tLoaded));
  container.dataset.drawMs = String(Math.round(performance.now() - tLayout));
  renderer.on("clickNode", ({ node }) => openActor(f, Number(node), panel, renderer));

  // The list view: the same data, reachable by keyboard.
  const listQ = h("input", { type: "search", name: "list-q", id: "list-q" });
  const tbody = h("tbody");
  const drawList = () => {
    const needle = listQ.value.trim().toLowerCase();
    const ids = [...f.actors.keys()].filter((id) => visible(id) && (!needle || f.actors.get(id)!.name.toLowerCase().includes(needle)))
      .sort((a, b) => f.graph.degree(String(b)) - f.graph.degree(String(a)));
    tbody.replaceChildren(...ids.slice(0, 200).map((id) => {
      const a = f.actors.get(id)!;
      const role = f.brokers.has(id) ? t("fabric.broker") : f.isolates.has(id) ? t("fabric.isolate") : "";
      return h("tr", {}, h("th", { scope: "row" }, h("button", { type: "button", class: "linklike", onclick: () => openActor(f, id, panel, renderer) }, a.name)),
        h("td", {}, sectorLabel(a.sector)), h("td", {}, communityText(f, id)),
        h("td", { class: "num" }, num(f.graph.degree(String(id)))), h("td", {}, role));
    }));
    listCount.textContent = t("fabric.listCount", { shown: Math.min(200, ids.length), total: ids.length });
  };
  const listCount = h("p", { role: "status" });
  listQ.addEventListener("input", drawList);
  main.append(h("section", { id: "fabric-list", "aria-labelledby": "h-list" }, h("h2", { id: "h-list" }, t("fabric.list")),
    field(t("fabric.listSearch"), listQ), listCount,
    h("table", { class: "table" }, h("thead", {}, h("tr", {}, [t("actor.name"), t("fabric.sector"), t("fabric.communityH"), t("fabric.tiesH"), t("fabric.roleH")].map((x) => h("th", { scope: "col" }, x)))), tbody)));
  drawList();
  await health(main, f);
  void getLocale;
}

function communityText(f: Fabric, id: number): string {
  const c = f.community.get(id) ?? -1;
  return c < 0 ? "—" : t("fabric.communityShort", { c: c + 1 });
}

function openActor(f: Fabric, id: number, panel: HTMLElement, renderer: any): void {
  const a = f.actors.get(id);
  if (!a) return;
  const neighbours = f.graph.neighbors(String(id)).map(Number);
  f.graph.forEachNode((n) => f.graph.setNodeAttribute(n, "highlighted", n === String(id)));
  renderer.setSetting("edgeReducer", (e: string, d: Record<string, unknown>) => {
    const [s, tg] = f.graph.extremities(e);
    return s === String(id) || tg === String(id) ? { ...d, color: "#111827", size: 2, zIndex: 1 } : d;
  });
  renderer.refresh();
  panel.replaceChildren(
    h("h2", { id: "panel-h" }, a.name),
    h("p", {}, kindLabel(a.kind), " · ", sectorLabel(a.sector), " · ", communityText(f, id),
      f.brokers.has(id) ? " · ◆ " + t("fabric.broker") : "", f.isolates.has(id) ? " · ○ " + t("fabric.isolate") : ""),
    h("p", {}, a.themes.map(themeLabel).join(", ")),
    h("p", {}, h("a", { href: `/actors/${id}` }, t("fabric.openProfile", { name: a.name }))),
    h("h3", {}, t("actor.ties", { n: neighbours.length })),
    neighbours.length ? h("ul", { class: "ties" }, neighbours.map((m) => h("li", {},
      h("button", { type: "button", class: "linklike", onclick: () => openActor(f, m, panel, renderer) }, f.actors.get(m)?.name ?? String(m)))))
      : h("p", {}, t("actor.noTies")));
  panel.focus();
  announce(t("fabric.opened", { name: a.name, n: neighbours.length }));
}

// Health over time: ties active at the end of each year (from/until) and actors with a tie.
async function health(main: HTMLElement, f: Fabric): Promise<void> {
  const years = f.ties.map((x) => Number(x.from.slice(0, 4))).filter((y) => y > 1900);
  const sec = h("section", { "aria-labelledby": "h-health" }, h("h2", { id: "h-health" }, t("fabric.health")));
  main.append(sec);
  if (!years.length) { sec.append(h("p", {}, t("fabric.noHistory"))); return; }
  const first = Math.min(...years), last = Math.max(new Date().getFullYear(), Math.max(...years));
  const rows: { year: number; ties: number; actors: number; isolated: number }[] = [];
  for (let y = Math.max(first, last - 15); y <= last; y++) {
    const active = f.ties.filter((x) => x.from && Number(x.from.slice(0, 4)) <= y && (!x.until || Number(x.until.slice(0, 4)) >= y));
    const connected = new Set<number>();
    for (const x of active) { connected.add(x.a); connected.add(x.b); }
    rows.push({ year: y, ties: active.length, actors: connected.size, isolated: f.actors.size - connected.size });
  }
  const canvas = h("canvas", { role: "img", "aria-label": t("fabric.healthChart") });
  sec.append(h("p", {}, t("fabric.healthLead")), h("div", { class: "canvas-wrap" }, canvas),
    h("details", {}, h("summary", {}, t("fabric.healthTable")), h("table", { class: "table small" },
      h("thead", {}, h("tr", {}, [t("fabric.year"), t("fabric.activeTies"), t("fabric.connected"), t("fabric.isolatedH")].map((x) => h("th", { scope: "col" }, x)))),
      h("tbody", {}, rows.map((r) => h("tr", {}, h("th", { scope: "row" }, String(r.year)), h("td", { class: "num" }, num(r.ties)), h("td", { class: "num" }, num(r.actors)), h("td", { class: "num" }, num(r.isolated))))))));
  const { Chart, registerables } = await import("chart.js");
  Chart.register(...registerables);
  new Chart(canvas, { type: "line", data: { labels: rows.map((r) => String(r.year)), datasets: [
    { label: t("fabric.activeTies"), data: rows.map((r) => r.ties), borderColor: "#0072B2", backgroundColor: "#0072B2" },
    { label: t("fabric.connected"), data: rows.map((r) => r.actors), borderColor: "#D55E00", backgroundColor: "#D55E00", borderDash: [6, 3] },
  ] }, options: { animation: false, responsive: true, maintainAspectRatio: false } });
}
