// Actor directory (filters: municipality, kind, theme; search) and profile (ties; edit your own).
import { h, field, select } from "../dom";
import { api, Actor, Page, Tie, hasRole, myActors, loadVocabulary } from "../api";
import { t, num, date, themeLabel, themeOptions, kindLabel, kindOptions, sectorLabel, tieKindLabel, capabilityLabel } from "../i18n";
import { Ctx, navigate } from "../router";
import { announce, errorBox, setTitle } from "../feedback";
import { municipalities, chosenMunicipality, muniName, actor, forgetActor, dl, empty } from "./common";
import { pagedList, offsetOf } from "./list";
import { useMunicipalityTheme } from "../theme";

export async function directory({ main, query: q }: Ctx): Promise<void> {
  const ms = await municipalities();
  const f = { q: q.get("q") ?? "", municipality: q.get("municipality") ?? (q.toString() ? "" : String(chosenMunicipality() ?? "")),
    kind: q.get("kind") ?? "", theme: q.get("theme") ?? "" };
  if (f.municipality) void useMunicipalityTheme(Number(f.municipality));
  main.append(h("h1", {}, t("actors.title")));
  const names = new Map(ms.map((m) => [m.id, m.name]));
  await pagedList<Actor>(main, {
    path: "/actors", source: "/actors", values: f, fixed: { sort: "name" }, limit: 25, offset: offsetOf(q),
    filters: { label: t("actors.filters"), fields: [
      { name: "q", label: t("filter.search"), control: h("input", { type: "search", name: "q", value: f.q, maxlength: 200 }) },
      { name: "municipality", label: t("filter.municipality"),
        control: select("municipality", [["", t("filter.all")], ...ms.map((m): [string, string] => [String(m.id), m.name])], f.municipality) },
      { name: "kind", label: t("filter.kind"), control: select("kind", [["", t("filter.all")], ...kindOptions()], f.kind) },
      { name: "theme", label: t("filter.theme"), control: select("theme", [["", t("filter.all")], ...themeOptions()], f.theme) }] },
    none: t("actors.none"),
    render: (items) => h("table", { class: "table" },
      h("caption", { class: "visually-hidden" }, t("actors.title")),
      h("thead", {}, h("tr", {}, [t("actor.name"), t("filter.kind"), t("filter.municipality"), t("filter.theme")].map((x) => h("th", { scope: "col" }, x)))),
      h("tbody", {}, items.map((a) => h("tr", {},
        h("th", { scope: "row" }, h("a", { href: `/actors/${a.id}` }, a.name)), h("td", {}, kindLabel(a.kind)),
        h("td", {}, names.get(a.municipality ?? 0) ?? ""), h("td", {}, a.themes.map(themeLabel).join(", ")))))),
  });
}

export async function profile({ main, params }: Ctx): Promise<void> {
  const id = Number(params[0]);
  const a = await api.get<Actor>(`/actors/${id}`);
  await loadVocabulary();
  setTitle(a.name);
  void useMunicipalityTheme(a.municipality);
  const mine = myActors().includes(id);
  const canEdit = mine || hasRole("officer", { municipality: a.municipality });
  main.append(
    h("p", { class: "crumbs" }, h("a", { href: "/actors" }, t("actors.title"))),
    h("h1", {}, a.name),
    mine ? h("p", { class: "badge" }, t("actor.yours")) : "",
    h("p", { class: "lead" }, a.description),
    dl([[t("filter.kind"), kindLabel(a.kind)], [t("actor.sector"), sectorLabel(a.sector)], [t("filter.municipality"), await muniName(a.municipality)],
      [t("actor.area"), a.area], [t("filter.theme"), a.themes.map(themeLabel).join(", ")], [t("actor.capabilities"), a.capabilities.map(capabilityLabel).join(", ")],
      [t("actor.size"), num(a.size)], [t("actor.website"), !a.website ? "—"
        // Only http(s) becomes a link: a stored "javascript:" URL would run on click (docs/hardening.md).
        : /^https?:\/\//i.test(a.website) ? h("a", { href: a.website, rel: "noopener" }, a.website) : a.website]]));
  if (canEdit) main.append(editForm(a));
  const ties = await api.get<Page<Tie>>(`/actors/${id}/ties?limit=100`);
  const rows = await Promise.all(ties.items.map(async (tie) => {
    const other = tie.a === id ? tie.b : tie.a;
    const o = await actor(other).catch(() => null);
    return h("tr", {}, h("th", { scope: "row" }, h("a", { href: `/actors/${other}` }, o?.name ?? String(other))),
      h("td", {}, o ? kindLabel(o.kind) : ""), h("td", {}, tieKindLabel(tie.kind)), h("td", {}, num(tie.weight, 2)), h("td", {}, date(tie.from)));
  }));
  main.append(h("section", { "aria-labelledby": "h-ties" }, h("h2", { id: "h-ties" }, t("actor.ties", { n: ties.items.length })),
    rows.length ? h("table", { class: "table" }, h("thead", {}, h("tr", {},
      [t("actor.other"), t("filter.kind"), t("actor.tieKind"), t("actor.weight"), t("actor.since")].map((x) => h("th", { scope: "col" }, x)))),
      h("tbody", {}, rows)) : empty(t("actor.noTies"))));
}

function editForm(a: Actor): HTMLElement {
  const description = h("textarea", { name: "description", rows: 5 }, a.description);
  const area = h("input", { name: "area", value: a.area });
  const website = h("input", { name: "website", type: "url", value: a.website });
  const caps = h("input", { name: "capabilities", value: a.capabilities.join(", ") });
  const status = h("div");
  return h("details", { class: "edit" }, h("summary", {}, t("actor.edit")),
    h("form", { class: "stack", onsubmit: async (e: Event) => {
      e.preventDefault();
      try {
        await api.patch(`/actors/${a.id}`, { description: description.value, area: area.value, website: website.value,
          capabilities: caps.value.split(",").map((s) => s.trim()).filter(Boolean) });
        forgetActor(a.id);
        announce(t("actor.saved"));
        navigate(`/actors/${a.id}`);
      } catch (err) { status.replaceChildren(errorBox(err)); }
    } }, field(t("actor.description"), description), field(t("actor.area"), area), field(t("actor.website"), website),
      field(t("actor.capabilities"), caps, t("challenge.f.capabilitiesHint")), status, h("button", { type: "submit" }, t("form.save"))));
}
