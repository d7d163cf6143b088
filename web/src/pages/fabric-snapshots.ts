// Snapshots of a municipality's fabric over time (GET/POST /municipalities/{id}/fabric/snapshots):
// one per month and on demand, each with the fabric engine's health indicators and typology, and the
// typology's stability against the previous snapshot (adjusted Rand index, normalised mutual
// information). Officers take a snapshot now. Shown only when the server offers the route.
import { h } from "../dom";
import { api, hasRoute, hasRole } from "../api";
import { t, num, pct, date, featureLabel } from "../i18n";
import { announce, errorBox } from "../feedback";
import { empty } from "./common";

interface Snapshot {
  id: number; municipality: number; taken_at: string; period: string; trigger: string;
  health: { actors: number; ties: number; cross_sector_share: number; largest_component_share: number; isolates: number; components: number; modularity: number };
  typology: { groups: { id: number; name: string; features: string[]; size: number }[] };
  stability: null | { common_actors: number; ari: number; nmi: number };
}

export async function snapshotsSection(muni: number): Promise<HTMLElement | null> {
  if (!(await hasRoute("GET", "/api/v1/municipalities/{id}/fabric/snapshots"))) return null;
  const sec = h("section", { "aria-labelledby": "h-snapshots", class: "snapshots" }, h("h2", { id: "h-snapshots" }, t("snap.title")), h("p", {}, t("snap.lead")));
  const body = h("div", { "aria-live": "polite" });
  sec.append(body);
  const draw = async () => {
    let items: Snapshot[];
    try { items = (await api.get<{ items: Snapshot[] }>(`/municipalities/${muni}/fabric/snapshots`)).items; }
    catch (e) { body.replaceChildren(errorBox(e)); return; }
    if (!items.length) { body.replaceChildren(empty(t("snap.none"))); return; }
    const last = items[items.length - 1];
    body.replaceChildren(
      h("table", { class: "table small snapshot-table" }, h("caption", { class: "visually-hidden" }, t("snap.title")),
        h("thead", {}, h("tr", {}, [t("snap.period"), t("snap.trigger"), t("fabric.connected"), t("fabric.activeTies"), t("fabric.crossShare"),
          t("fabric.largestShare"), t("fabric.isolatedH"), t("fabric.modularityH"), t("snap.groups"), t("snap.stability")].map((x) => h("th", { scope: "col" }, x)))),
        h("tbody", {}, items.map((s) => h("tr", { "data-snapshot": s.id, "data-trigger": s.trigger },
          h("th", { scope: "row" }, s.period, h("span", { class: "meta" }, " · " + date(s.taken_at))),
          h("td", {}, s.trigger === "on_demand" ? t("snap.onDemand") : t("snap.monthly")),
          h("td", { class: "num" }, num(s.health.actors)), h("td", { class: "num" }, num(s.health.ties)),
          h("td", { class: "num" }, pct(s.health.cross_sector_share)), h("td", { class: "num" }, pct(s.health.largest_component_share)),
          h("td", { class: "num" }, num(s.health.isolates)), h("td", { class: "num" }, num(s.health.modularity, 3)),
          h("td", { class: "num" }, num(s.typology?.groups?.length ?? 0)),
          h("td", {}, s.stability ? t("snap.stabilityText", { ari: num(s.stability.ari, 2), nmi: num(s.stability.nmi, 2), n: s.stability.common_actors }) : "—"))))),
      h("h3", {}, t("snap.typologyOf", { period: last.period })),
      (last.typology?.groups ?? []).length ? h("ul", { class: "typology" }, last.typology.groups.map((g) => h("li", {},
        h("strong", {}, featureLabel(g.name)), " · ", t("snap.groupSize", { n: g.size }), g.features.length ? h("span", { class: "meta" }, " · " + g.features.map(featureLabel).join(", ")) : "")))
        : empty(t("snap.noTypology")));
  };
  await draw();
  if (hasRole("officer", { municipality: muni }) && (await hasRoute("POST", "/api/v1/municipalities/{id}/fabric/snapshots"))) {
    const status = h("div");
    const button = h("button", { type: "button", class: "take-snapshot", onclick: async () => {
      button.disabled = true;
      status.replaceChildren();
      try {
        await api.post(`/municipalities/${muni}/fabric/snapshots`);
        announce(t("snap.taken"));
        await draw();
      } catch (e) { status.replaceChildren(errorBox(e)); }
      button.disabled = false;
    } }, t("snap.take"));
    sec.append(h("p", {}, button), status);
  }
  return sec;
}
