// Compare municipalities: the fabric of each (actors, ties, density, average ties per actor,
// isolates, communities, modularity, brokers, cohesion, ties across sectors: the server's fabric report)
// and its challenges, as a table and a bar chart.
import { h } from "../dom";
import { api, Challenge, Page } from "../api";
import { t, num, pct } from "../i18n";
import { Ctx } from "../router";
import { municipalities } from "./common";

// The parts of GET /municipalities/{id}/fabric/report this page shows (docs/api.md).
interface Report { actors: number; ties: number; community_count: number; modularity: number; roles: Record<string, number>;
  health: { largest_component_share: number; cross_sector_share: number; isolates: number } }

export async function compare({ main }: Ctx): Promise<void> {
  main.append(h("h1", {}, t("compare.title")), h("p", { class: "lead" }, t("compare.lead")));
  const status = h("p", { role: "status", "aria-busy": "true" }, t("fabric.loading"));
  main.append(status);
  const ms = (await municipalities()).slice(0, 12);
  const rows = await Promise.all(ms.map(async (m) => {
    const [rep, ch] = await Promise.all([api.get<Report>(`/municipalities/${m.id}/fabric/report`).catch(() => null),
      api.get<Page<Challenge>>(`/challenges?municipality=${m.id}&limit=100`)]);
    const n = rep?.actors ?? 0, e = rep?.ties ?? 0;
    return { m, n, e, density: n > 1 ? (2 * e) / (n * (n - 1)) : 0, avg: n ? (2 * e) / n : 0, isolates: rep?.health.isolates ?? 0,
      communities: rep?.community_count ?? 0, brokers: rep?.roles.broker ?? 0, modularity: rep?.modularity ?? 0,
      cross: rep?.health.cross_sector_share ?? 0, largest: rep?.health.largest_component_share ?? 0, challenges: ch.items.length };
  }));
  status.removeAttribute("aria-busy");
  status.textContent = t("compare.done", { n: rows.length });
  const canvas = h("canvas", { role: "img", "aria-label": t("compare.chart") });
  main.append(h("table", { class: "table" }, h("caption", {}, t("compare.caption")),
    h("thead", {}, h("tr", {}, [t("filter.municipality"), t("compare.actors"), t("compare.ties"), t("compare.avg"), t("compare.density"), t("compare.isolates"),
      t("compare.communities"), t("fabric.modularityH"), t("compare.brokers"), t("fabric.largestShare"), t("fabric.crossShare"), t("compare.challenges")].map((x) => h("th", { scope: "col" }, x)))),
    h("tbody", {}, rows.map((r) => h("tr", {}, h("th", { scope: "row" }, r.m.name), h("td", { class: "num" }, num(r.n)), h("td", { class: "num" }, num(r.e)),
      h("td", { class: "num" }, num(r.avg, 2)), h("td", { class: "num" }, num(r.density, 4)), h("td", { class: "num" }, `${num(r.isolates)} (${pct(r.n ? r.isolates / r.n : 0)})`),
      h("td", { class: "num" }, num(r.communities)), h("td", { class: "num" }, num(r.modularity, 3)), h("td", { class: "num" }, num(r.brokers)),
      h("td", { class: "num" }, pct(r.largest)), h("td", { class: "num" }, pct(r.cross)), h("td", { class: "num" }, num(r.challenges)))))),
    h("div", { class: "canvas-wrap" }, canvas));
  const { Chart, registerables } = await import("chart.js");
  Chart.register(...registerables);
  new Chart(canvas, { type: "bar", data: { labels: rows.map((r) => r.m.name), datasets: [
    { label: t("compare.avg"), data: rows.map((r) => r.avg), backgroundColor: "#0072B2" },
    { label: t("compare.isolatesShare"), data: rows.map((r) => (r.n ? (100 * r.isolates) / r.n : 0)), backgroundColor: "#D55E00" },
  ] }, options: { animation: false, responsive: true, maintainAspectRatio: false } });
}
