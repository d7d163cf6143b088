// Experiments: the list and one experiment with its indicators as line charts (with the baseline
// and target), a table of the same numbers, and its milestones.
import { h } from "../dom";
import { api, Experiment, Page, Proposal, query } from "../api";
import { t, num, date, getLocale } from "../i18n";
import { Ctx, setTitle } from "../main";
import { empty, pager } from "./common";

export async function experiments({ main, query: q }: Ctx): Promise<void> {
  const offset = Number(q.get("offset") ?? 0) || 0;
  main.append(h("h1", {}, t("experiments.title")), h("p", { class: "lead" }, t("experiments.lead")));
  const page = await api.get<Page<Experiment>>("/experiments" + query({ limit: 20, offset }));
  main.append(page.items.length ? h("ul", { class: "cards" }, page.items.map((e) => h("li", { class: "card" },
    h("h2", { class: "h3" }, h("a", { href: `/experiments/${e.id}` }, t("experiment.named", { id: e.id }))),
    h("p", { class: "meta" }, e.status, " · ", t("experiment.indicators", { n: e.indicators.length })))))
    : empty(t("experiments.none")), pager(page, (o) => "/experiments" + query({ offset: o })));
}

export async function experiment({ main, params }: Ctx): Promise<void> {
  const id = Number(params[0]);
  const e = await api.get<Experiment>(`/experiments/${id}`);
  const p = await api.get<Proposal>(`/proposals/${e.proposal}`).catch(() => null);
  setTitle(t("experiment.named", { id }));
  main.append(h("p", { class: "crumbs" }, h("a", { href: "/experiments" }, t("experiments.title"))),
    h("h1", {}, t("experiment.named", { id })),
    p ? h("p", {}, t("experiment.forProposal"), " ", h("a", { href: `/coalitions/${p.coalition}#proposal-${p.id}` }, p.versions.at(-1)?.title ?? `#${p.id}`)) : "",
    h("p", {}, h("strong", {}, t("experiment.status") + ": "), e.status, e.outcome ? ` · ${e.outcome}` : ""),
    e.hypotheses.length ? h("section", {}, h("h2", {}, t("experiment.hypotheses")), h("ul", {}, e.hypotheses.map((x) => h("li", {}, x)))) : "");
  const { Chart, registerables } = await import("chart.js");
  Chart.register(...registerables);
  const sec = h("section", { "aria-labelledby": "h-ind" }, h("h2", { id: "h-ind" }, t("experiment.indicatorsTitle")));
  main.append(sec);
  if (!e.indicators.length) sec.append(empty(t("experiment.noIndicators")));
  for (const ind of e.indicators) {
    const canvas = h("canvas", { role: "img", "aria-label": t("experiment.chartLabel", { name: ind.name }) });
    const ms = [...ind.measurements].sort((a, b) => a.date.localeCompare(b.date));
    sec.append(h("figure", { class: "chart" }, h("figcaption", {}, h("h3", {}, ind.name), ` (${ind.unit}) · ${t("experiment.baseline")} ${num(ind.baseline, 2)} · ${t("experiment.target")} ${num(ind.target, 2)}`),
      h("div", { class: "canvas-wrap" }, canvas),
      h("table", { class: "table small" }, h("caption", {}, t("experiment.tableOf", { name: ind.name })),
        h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("experiment.date")), h("th", { scope: "col" }, t("experiment.value")), h("th", { scope: "col" }, t("experiment.source")))),
        h("tbody", {}, ms.map((m) => h("tr", {}, h("td", {}, date(m.date)), h("td", { class: "num" }, num(m.value, 2)), h("td", {}, m.source)))))));
    new Chart(canvas, {
      type: "line",
      data: {
        labels: ms.map((m) => date(m.date)),
        datasets: [
          { label: ind.name, data: ms.map((m) => m.value), borderColor: "#14532d", backgroundColor: "#14532d", pointStyle: "circle" },
          { label: t("experiment.baseline"), data: ms.map(() => ind.baseline), borderColor: "#6b7280", borderDash: [6, 4], pointStyle: false },
          { label: t("experiment.target"), data: ms.map(() => ind.target), borderColor: "#1d4ed8", borderDash: [2, 3], pointStyle: false },
        ],
      },
      options: { animation: false, responsive: true, maintainAspectRatio: false, locale: getLocale() === "nl" ? "nl-NL" : "en-GB" },
    });
  }
  main.append(h("section", { "aria-labelledby": "h-ms" }, h("h2", { id: "h-ms" }, t("experiment.milestones")),
    e.milestones.length ? h("ul", {}, e.milestones.map((m) => h("li", {}, m.done ? "✔ " : "○ ", String(m.title ?? m["name"] ?? ""), m.due ? ` · ${date(String(m.due))}` : "",
      h("span", { class: "visually-hidden" }, m.done ? t("experiment.done") : t("experiment.open"))))) : empty(t("experiment.noMilestones"))));
}
