// Home: choose a municipality; highlights (open challenges, rounds, the numbers of the city).
import { h } from "../dom";
import { api, Challenge, Page, Round, query } from "../api";
import { t, num, euro, date } from "../i18n";
import { Ctx } from "../router";
import { municipalities, chosenMunicipality, chooseMunicipality, phaseBadge, empty } from "./common";
import { useMunicipalityTheme } from "../theme";

export async function home({ main }: Ctx): Promise<void> {
  const ms = await municipalities();
  const chosen = chosenMunicipality() ?? ms[0]?.id ?? null;
  const sel = h("select", { id: "home-muni", name: "municipality" },
    ms.map((m) => h("option", { value: String(m.id), selected: m.id === chosen }, m.name)));
  const highlights = h("div", { class: "highlights" });
  main.append(
    h("h1", {}, t("home.title")),
    h("p", { class: "lead" }, t("home.lead")),
    h("form", { class: "inline", onsubmit: (e: Event) => e.preventDefault() },
      h("label", { for: "home-muni" }, t("home.choose")), sel),
    highlights);
  const show = async (id: number | null) => {
    highlights.replaceChildren(h("p", { "aria-busy": "true" }, t("list.loading")));
    const m = ms.find((x) => x.id === id);
    void useMunicipalityTheme(id);
    const [ch, rounds] = await Promise.all([
      api.get<Page<Challenge>>("/challenges" + query({ municipality: id, limit: 6, sort: "-created_at" })).catch(() =>
        api.get<Page<Challenge>>("/challenges" + query({ municipality: id, limit: 6 }))),
      api.get<Page<Round>>("/rounds" + query({ municipality: id, limit: 5 })),
    ]);
    highlights.replaceChildren(
      m ? h("section", { "aria-labelledby": "h-city" }, h("h2", { id: "h-city" }, m.name),
        h("p", {}, t("home.cityFacts", { province: m.province, population: num(m.population) }))) : "",
      h("section", { "aria-labelledby": "h-ch" }, h("h2", { id: "h-ch" }, t("home.challenges")),
        ch.items.length ? h("ul", { class: "cards" }, ch.items.map((c) => h("li", { class: "card" },
          h("h3", {}, h("a", { href: `/challenges/${c.id}` }, c.title)), phaseBadge(c.phase),
          h("p", {}, t("challenge.budgetDeadline", { budget: euro(c.budget_eur), deadline: date(c.deadline) })))))
          : empty(t("challenges.none")),
        h("p", {}, h("a", { href: "/challenges" + query({ municipality: id }) }, t("home.allChallenges")))),
      h("section", { "aria-labelledby": "h-rounds" }, h("h2", { id: "h-rounds" }, t("home.rounds")),
        rounds.items.length ? h("ul", {}, rounds.items.map((r) => h("li", {}, h("a", { href: `/rounds/${r.id}` }, r.name), " · ", euro(r.budget_eur))))
          : empty(t("rounds.none"))),
      h("section", { "aria-labelledby": "h-more" }, h("h2", { id: "h-more" }, t("home.explore")),
        h("ul", {}, h("li", {}, h("a", { href: "/fabric" }, t("nav.fabric"))), h("li", {}, h("a", { href: "/actors" }, t("nav.actors"))),
          h("li", {}, h("a", { href: "/compare" }, t("nav.compare"))))),
    );
  };
  sel.addEventListener("change", () => { const id = Number(sel.value); chooseMunicipality(id); void show(id); });
  await show(chosen);
}
