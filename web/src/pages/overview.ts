// A municipality's programme at a glance (GET /municipalities/{id}/overview): money committed by
// published rounds, released on approved milestones and remaining; challenges per phase; each
// experiment's indicators against baseline and target with the latest measurement. Public
// aggregate figures only; the page computes nothing but percentages for display.
import { h, field, select } from "../dom";
import { api, hasRoute, CommitmentLine, MunicipalityOverview } from "../api";
import { t, euro, num, pct, date, phaseLabel, experimentStatusLabel, CHALLENGE_PHASES } from "../i18n";
import { Ctx, navigate } from "../router";
import { setTitle } from "../feedback";
import { municipalities, chosenMunicipality, chooseMunicipality, empty } from "./common";
import { useMunicipalityTheme } from "../theme";
import { TaskBudget, taskBudgetsSection } from "./rtc";

// One line of the committed money: a winner of a published round, or a proposal funded outside a
// round (a Right to Challenge agreement's with the bid's id).
type Commitment = CommitmentLine & { task_challenge?: number };
type Overview = MunicipalityOverview & {
  task_budgets?: TaskBudget[];  // the Right to Challenge: task budgets moved to an initiative
};

// Each euro committed, traced to its source, adding up to the committed total.
function commitmentsTable(lines: Commitment[], total: number): HTMLElement {
  if (!lines.length) return empty(t("overview.noCommitments"));
  return h("table", { class: "table commitments" }, h("caption", {}, t("overview.commitments")),
    h("thead", {}, h("tr", {}, [t("overview.source"), t("overview.what"), t("milestone.amount")].map((x, i) => h("th", { scope: "col", class: i === 2 ? "num" : null }, x)))),
    h("tbody", {}, lines.map((l) => h("tr", { "data-source": l.source, "data-amount": l.amount_eur },
      h("td", {}, l.source === "round" && l.round ? h("a", { href: `/rounds/${l.round}` }, t("overview.fromRound", { name: l.round_name ?? "" }))
        : l.source === "task_challenge" && l.task_challenge ? h("a", { href: `/right-to-challenge/${l.task_challenge}` }, t("rtc.fromTask", { name: l.title })) : t("overview.fromProposal")),
      h("th", { scope: "row" }, l.hidden ? t("overview.hiddenProposal") : l.proposal ? h("a", { href: `/proposals/${l.proposal}` }, l.title || t("proposal.named", { id: l.proposal })) : l.title || l.project_id),
      h("td", { class: "num" }, euro(l.amount_eur))))),
    h("tfoot", {}, h("tr", {}, h("th", { scope: "row", colspan: 2 }, t("overview.total")), h("td", { class: "num", "data-total": total }, euro(total)))));
}

export async function overviewPage({ main, query: q }: Ctx): Promise<void> {
  const ms = await municipalities();
  const id = Number(q.get("municipality") ?? "") || chosenMunicipality() || ms[0]?.id || 0;
  const m = ms.find((x) => x.id === id);
  setTitle(t("overview.title"));
  void useMunicipalityTheme(id);
  const choice = select("municipality", ms.map((x): [string, string] => [String(x.id), x.name]), String(id));
  main.append(h("h1", {}, m ? t("overview.titleOf", { name: m.name }) : t("overview.title")), h("p", { class: "lead" }, t("overview.lead")),
    h("form", { class: "filters", "aria-label": t("overview.choose"), onsubmit: (e: Event) => {
      e.preventDefault();
      chooseMunicipality(Number(choice.value));
      navigate(`/overview?municipality=${encodeURIComponent(choice.value)}`);
    } }, field(t("filter.municipality"), choice), h("button", { type: "submit" }, t("filter.apply"))));
  if (!(await hasRoute("GET", "/api/v1/municipalities/{id}/overview"))) { main.append(h("p", { class: "notice" }, t("overview.unavailable"))); return; }
  if (!id) return;
  const o = await api.get<Overview>(`/municipalities/${id}/overview`);
  const money = o.money;
  const share = money.committed_eur > 0 ? money.released_eur / money.committed_eur : 0;
  main.append(h("section", { "aria-labelledby": "h-money", class: "money" }, h("h2", { id: "h-money" }, t("overview.money")),
    h("dl", { class: "facts money-facts" },
      [["committed", t("overview.committed"), euro(money.committed_eur)], ["released", t("overview.released"), euro(money.released_eur)],
        ["remaining", t("overview.remaining"), euro(money.remaining_eur)], ["rounds", t("overview.rounds"), num(money.published_rounds)]]
        .map(([k, label, v]) => [h("dt", {}, label), h("dd", { "data-figure": k }, v)])),
    h("p", {}, h("meter", { min: 0, max: 1, value: Math.min(1, share), "aria-label": t("overview.releasedShare") }), " ",
      t("overview.releasedOf", { pct: pct(share) })),
    commitmentsTable(money.commitments ?? [], money.committed_eur)), taskBudgetsSection(o.task_budgets ?? []) ?? "");
  main.append(h("section", { "aria-labelledby": "h-phases" }, h("h2", { id: "h-phases" }, t("overview.phases")),
    h("table", { class: "table phase-counts" }, h("caption", { class: "visually-hidden" }, t("overview.phases")),
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("filter.phase")), h("th", { scope: "col" }, t("overview.count")))),
      h("tbody", {}, [...CHALLENGE_PHASES, ...Object.keys(o.challenges_per_phase).filter((p) => !CHALLENGE_PHASES.includes(p))].map((p) =>
        h("tr", { "data-phase": p }, h("th", { scope: "row" }, h("a", { href: `/challenges?municipality=${id}&phase=${p}` }, phaseLabel(p))),
          h("td", { class: "num" }, num(o.challenges_per_phase[p] ?? 0))))))));
  const sec = h("section", { "aria-labelledby": "h-exp" }, h("h2", { id: "h-exp" }, t("overview.experiments")));
  main.append(sec);
  if (!o.experiments.length) { sec.append(empty(t("experiments.none"))); return; }
  for (const e of o.experiments) {
    sec.append(h("article", { class: "card experiment-overview", "data-experiment": e.id },
      h("h3", {}, h("a", { href: `/experiments/${e.id}` }, e.hidden ? t("overview.hiddenProposal") : e.title || t("experiment.named", { id: e.id }))),
      h("p", { class: "meta" }, experimentStatusLabel(e.status), " · ", t("overview.fundedReleased", { funded: euro(e.funded_eur), released: euro(e.released_eur) })),
      e.indicators.length ? h("table", { class: "table small indicators" }, h("caption", { class: "visually-hidden" }, t("overview.indicatorsOf", { title: e.title })),
        h("thead", {}, h("tr", {}, [t("overview.indicator"), t("experiment.baseline"), t("overview.latest"), t("experiment.target"), t("overview.progress")]
          .map((x) => h("th", { scope: "col" }, x)))),
        h("tbody", {}, e.indicators.map((i) => h("tr", { "data-indicator": i.id },
          h("th", { scope: "row" }, `${i.name} (${i.unit})`), h("td", { class: "num" }, num(i.baseline, 2)),
          h("td", { class: "num" }, i.latest ? `${num(i.latest.value, 2)} · ${date(i.latest.date)}` : "—"),
          h("td", { class: "num" }, num(i.target, 2)),
          h("td", {}, i.progress == null ? t("overview.noProgress")
            : [h("meter", { min: 0, max: 1, value: Math.max(0, Math.min(1, i.progress)), "aria-label": t("overview.progressOf", { name: i.name }) }), " ", pct(i.progress)])))))
        : empty(t("experiment.noIndicators"))));
  }
}
