// Fund rounds: the list, and a round page with its phase, projects, a ballot that shows the budget
// and the ballot's limits as you vote (approval, cumulative, ordinal, scoring), phase controls for
// officers, and the results with "why funded / why not" when the server publishes them.
import { h, field, select } from "../dom";
import { api, Ballot, Challenge, Criterion, Page, Proposal, Review, Round, query, hasRole, hasRoute, currentUser, ApiError } from "../api";
import { t, euro, num, roundPhaseLabel, ballotLabel, Key, ROUND_PHASES_IN_ORDER as PHASES } from "../i18n";
import { Ctx, navigate } from "../router";
import { announce, errorBox, setTitle } from "../feedback";
import { matchSection } from "./match";
import { chosenMunicipality, empty, muniName, dl, notAvailable, stepper, phaseControl, officerMunicipalities, staleNotice } from "./common";
import { pagedList, offsetOf } from "./list";
import { useMunicipalityTheme } from "../theme";
import { Eligibility, eligibilityOf, eligibilityText, officerVotes, verificationStep } from "./votes";
import { receiptCard, receiptCheck } from "./receipt";

export async function rounds({ main, query: q }: Ctx): Promise<void> {
  const muni = q.get("municipality") ?? String(chosenMunicipality() ?? "");
  if (muni) void useMunicipalityTheme(Number(muni));
  main.append(h("h1", {}, t("rounds.title")), h("p", { class: "lead" }, t("rounds.lead")));
  await pagedList<Round>(main, {
    path: "/rounds", source: "/rounds", values: { municipality: muni }, limit: 20, offset: offsetOf(q), none: t("rounds.none"),
    render: async (items) => h("ul", { class: "cards" }, await Promise.all(items.map(async (r) => h("li", { class: "card" },
      h("h2", { class: "h3" }, h("a", { href: `/rounds/${r.id}` }, r.name)),
      h("p", { class: "meta" }, h("span", { class: "badge" }, roundPhaseLabel(r.phase)), " · ", await muniName(r.municipality), " · ", euro(r.budget_eur),
        " · ", t("round.projects", { n: r.projects.length })))))),
  });
  const form = await newRoundForm();
  if (form) main.append(form);
}

// Officers open a round: name, municipality, budget, the way of voting and how many projects a
// ballot may hold. It starts in the submission phase without projects; they are added on its page.
async function newRoundForm(): Promise<HTMLElement | null> {
  const ms = await officerMunicipalities();
  if (!ms.length || !(await hasRoute("POST", "/api/v1/rounds"))) return null;
  const name = h("input", { name: "name", required: true, maxlength: 500 });
  const muni = select("municipality", ms.map((m): [string, string] => [String(m.id), m.name]), String(chosenMunicipality() ?? ""));
  const budget = h("input", { type: "number", name: "budget_eur", min: 1, step: 1, required: true, inputmode: "numeric" });
  const kind = select("ballot_kind", (["approval", "cumulative", "ordinal", "scoring"]).map((k): [string, string] => [k, ballotLabel(k)]), "approval");
  const maxLength = h("input", { type: "number", name: "max_length", min: 0, step: 1, value: 0, inputmode: "numeric" });
  const status = h("div");
  return h("section", { "aria-labelledby": "h-new-round", class: "officer-tools new-round" }, h("h2", { id: "h-new-round" }, t("round.newTitle")),
    h("form", { class: "stack", onsubmit: async (e: Event) => {
      e.preventDefault();
      try {
        const r = await api.post<Round>("/rounds", { municipality: Number(muni.value), name: name.value, budget_eur: Number(budget.value),
          ballot_kind: kind.value, max_length: Number(maxLength.value) || 0, min_length: 1 });
        announce(t("round.created"));
        navigate(`/rounds/${r.id}`);
      } catch (err) { status.replaceChildren(errorBox(err)); }
    } }, field(t("round.f.name"), name), field(t("filter.municipality"), muni), field(t("round.f.budget"), budget),
      field(t("round.ballotKind"), kind), field(t("round.f.maxLength"), maxLength, t("round.f.maxLengthHint")), status,
      h("button", { type: "submit" }, t("round.create"))));
}

// Officers add a project of their own (not from a proposal) while the round takes submissions.
function addProjectForm(r: Round): HTMLElement {
  const title = h("input", { name: "title", required: true, maxlength: 500 });
  const cost = h("input", { type: "number", name: "cost_eur", min: 1, step: 1, required: true, inputmode: "numeric" });
  const category = h("input", { name: "category", maxlength: 200 });
  const area = h("input", { name: "neighbourhood", maxlength: 200 });
  const status = h("div");
  return h("section", { "aria-labelledby": "h-add-project", class: "officer-tools add-project" }, h("h2", { id: "h-add-project" }, t("round.addProjectTitle")),
    h("form", { class: "stack", onsubmit: async (e: Event) => {
      e.preventDefault();
      const taken = new Set(r.projects.map((p) => p.project_id));
      let n = r.projects.length + 1;
      while (taken.has(`project-${n}`)) n++;
      const projects = [...r.projects.map(({ project_id, proposal, title, cost_eur, category, neighbourhood }) =>
        ({ project_id, proposal, title, cost_eur, category, neighbourhood })),
        { project_id: `project-${n}`, title: title.value, cost_eur: Number(cost.value), category: category.value, neighbourhood: area.value }];
      try {
        await api.patch(`/rounds/${r.id}`, { projects });
        announce(t("round.projectAdded"));
        navigate(location.pathname);
      } catch (err) { status.replaceChildren(errorBox(err)); }
    } }, field(t("round.f.projectTitle"), title), field(t("round.f.cost"), cost), field(t("round.category"), category),
      field(t("round.neighbourhood"), area), status, h("button", { type: "submit" }, t("round.addProject"))));
}

// GET /rounds/{id}/results (docs/api.md): per project whether it was funded and why, as a verdict
// code with its numbers (worded here in the reader's language) and the server's English sentence.
interface Verdict { code: string; params: { cost_eur?: number; supporters?: number; utility?: number; step?: number; money_left_eur?: number;
  rho?: number; supporters_money_eur?: number; load?: number } }
interface Outcome { project_id: string; title?: string; cost_eur?: number; funded: boolean; step?: number | null; supporters?: number; verdict?: Verdict; text?: string }
interface Results { stale?: boolean; rule: string; budget_eur: number; spent_eur: number; ballots: number; winners: string[]; projects: Outcome[]; budget_increments?: number }

export async function round({ main, params }: Ctx): Promise<void> {
  const id = Number(params[0]);
  const r = await api.get<Round>(`/rounds/${id}`);
  setTitle(r.name);
  void useMunicipalityTheme(r.municipality);
  const officer = hasRole("officer", { municipality: r.municipality });
  const resident = hasRole("resident", { municipality: r.municipality });
  const elig: Eligibility | null = (await hasRoute("GET", "/api/v1/rounds/{id}/eligibility")) ? await eligibilityOf(r) : null;
  main.append(
    h("p", { class: "crumbs" }, h("a", { href: "/rounds" }, t("rounds.title"))),
    h("h1", {}, r.name),
    stepper(PHASES, r.phase, t("round.phase"), roundPhaseLabel),
    dl([[t("filter.municipality"), await muniName(r.municipality)], [t("round.budget"), euro(r.budget_eur)], [t("round.ballotKind"), ballotLabel(r.ballot_kind)],
      [t("round.limits"), limitsText(r)], ...(elig ? [[t("votes.who"), eligibilityText(elig)] as [string, string]] : [])]));
  if (officer) {
    // A round without review criteria goes from submission straight to voting (docs/api.md).
    const next = r.phase === "submission" && !(r.criteria ?? []).length ? "voting" : PHASES[PHASES.indexOf(r.phase) + 1];
    main.append(phaseControl(next, roundPhaseLabel(next ?? ""), () => api.post(`/rounds/${id}/phase`, { phase: next }),
      t("round.moved", { phase: roundPhaseLabel(next ?? "") }),
      next === "published" ? t("round.confirmPublish") : next === "voting" ? t("round.confirmVoting") : undefined) ?? "",
    h("p", {}, h("a", { href: `/audit?entity=round&id=${id}`, class: "audit-link" }, t("audit.linkRound"))));
  }
  if (officer && elig && r.phase !== "published" && (await hasRoute("PUT", "/api/v1/rounds/{id}/eligibility"))) main.append(await officerVotes(r, elig));
  if (officer && r.phase === "submission") {
    const add = await addProposalForm(r);
    if (add) main.append(add);
    main.append(addProjectForm(r));
  }
  const criteria = r.criteria ?? [];
  if (criteria.length) main.append(criteriaSection(criteria));
  if (criteria.length && (officer || r.phase === "published")) main.append(await reviewsSection(r, officer && r.phase === "review"));

  if (r.phase === "voting") {
    const sec = h("section", { "aria-labelledby": "h-ballot" }, h("h2", { id: "h-ballot" }, t("round.ballot")));
    main.append(sec);
    if (!currentUser()) sec.append(h("p", {}, h("a", { href: "/login" }, t("round.signInToVote"))));
    else if (!resident) sec.append(notAvailable(t("round.residentsOnly")));
    else if (elig && elig.verification !== "open") {
      // A restricted round: first the proof (a voting code or census details), then the sealed ballot.
      sec.append(ballotForm(r, null, await projectDetails(r), verificationStep(r, elig)));
    } else {
      const own = await api.get<Ballot>(`/rounds/${id}/ballot`).catch((e) => (e instanceof ApiError && e.status === 404 ? null : Promise.reject(e)));
      sec.append(ballotForm(r, own, await projectDetails(r)));
      const receipt = own ? await receiptCard(r).catch(() => null) : null;
      if (receipt) sec.append(receipt);
    }
  } else {
    main.append(h("section", { "aria-labelledby": "h-proj" }, h("h2", { id: "h-proj" }, t("round.projectsTitle")), projectTable(r)));
  }

  if (r.phase === "allocation" || r.phase === "published" || officer) {
    const sec = h("section", { "aria-labelledby": "h-res" }, h("h2", { id: "h-res" }, t("round.results")));
    if (await hasRoute("GET", "/api/v1/rounds/{id}/results")) {
      try {
        const res = await api.get<Results>(`/rounds/${id}/results`);
        sec.append(staleNotice(res));
        // No ballots yet: there is no outcome to show, provisional or not (a rule could still "fund"
        // projects on zero votes, which would read as a result).
        if (res.ballots === 0) sec.append(empty(r.phase === "allocation" || r.phase === "published" ? t("round.noBallotsFinal") : t("round.noBallotsYet")));
        else {
          if (r.phase !== "allocation" && r.phase !== "published") sec.append(h("p", { class: "notice" }, t("round.provisional")));
          sec.append(resultsSummary(res), resultsTable(res, r));
          if (officer && r.phase === "published") sec.append(winnersFollowUp(r, res));
        }
        if (await hasRoute("GET", "/api/v1/rounds/{id}/export.pb"))
          sec.append(h("p", {}, h("a", { href: `/api/v1/rounds/${id}/export.pb`, download: `round-${id}.pb`, class: "export-pb" }, t("round.exportPb"))));
        main.append(sec);
      } catch (e) {
        if (r.phase === "allocation" || r.phase === "published") { sec.append(errorBox(e)); main.append(sec); }
      }
    } else if (r.phase === "allocation" || r.phase === "published") {
      sec.append(notAvailable(t("round.resultsUnavailable")), projectTable(r));
      main.append(sec);
    }
  }
  const check = await receiptCheck(r).catch(() => null);
  if (check) main.append(check);
  const match = await matchSection(r, officer);
  if (match) main.append(match);
}

// The published review criteria: what officers score each project on, visible to everybody.
function criteriaSection(criteria: Criterion[]): HTMLElement {
  return h("section", { "aria-labelledby": "h-crit", class: "criteria" }, h("h2", { id: "h-crit" }, t("review.criteria")),
    h("p", {}, t("review.criteriaLead")),
    h("ul", {}, criteria.map((c) => h("li", { "data-criterion": c.name }, h("strong", {}, c.name), " · ", t("review.maxScore", { n: c.max_score }),
      c.description ? h("span", { class: "meta" }, " · " + c.description) : ""))));
}

// Reviews: the table of every review (officers of the municipality; everybody once published) and,
// for officers in the review phase, a form per project with a score per criterion.
async function reviewsSection(r: Round, canReview: boolean): Promise<HTMLElement> {
  const criteria = r.criteria ?? [];
  const sec = h("section", { "aria-labelledby": "h-rev", class: "reviews" }, h("h2", { id: "h-rev" }, t("review.title")));
  const tableBox = h("div");
  let reviews: Review[] = [];
  const load = async () => {
    try {
      reviews = (await api.get<{ items: Review[] }>(`/rounds/${r.id}/reviews`)).items;
      tableBox.replaceChildren(reviewsTable(r, reviews));
    } catch (e) { tableBox.replaceChildren(errorBox(e)); }
  };
  await load();
  sec.append(tableBox);
  if (!canReview) return sec;
  const me = currentUser()?.id;
  sec.append(h("h3", {}, t("review.scoreTitle")), h("p", {}, t("review.scoreLead")));
  r.projects.forEach((p, pi) => {
    const mine = reviews.find((x) => x.project_id === p.project_id && x.reviewer === me);
    const inputs = criteria.map((c, ci) => h("input", { type: "number", id: `rv-${pi}-${ci}`, name: c.name, min: 0, max: c.max_score, step: 1, required: true,
      inputmode: "numeric", value: mine?.scores[c.name] ?? "" }));
    const comment = h("textarea", { id: `rv-${pi}-comment`, name: "comment", rows: 2, maxlength: 5000 }, mine?.comment ?? "");
    const status = h("div");
    const form = h("form", { class: "stack review-form", "data-project": p.project_id, onsubmit: async (e: Event) => {
      e.preventDefault();
      status.replaceChildren();
      const scores: Record<string, number> = {};
      criteria.forEach((c, ci) => { scores[c.name] = Number(inputs[ci].value); });
      try {
        await api.post(`/rounds/${r.id}/reviews`, { project_id: p.project_id, scores, comment: comment.value });
        status.replaceChildren(h("p", { class: "ok", role: "status" }, "✔ " + t("review.saved", { project: projectName(p) })));
        announce(t("review.saved", { project: projectName(p) }));
        await load();
      } catch (err) { status.replaceChildren(errorBox(err)); }
    } }, h("fieldset", {}, h("legend", {}, projectName(p)),
      h("div", { class: "inline" }, criteria.map((c, ci) => h("div", { class: "field" },
        h("label", { for: `rv-${pi}-${ci}` }, t("review.scoreLabel", { criterion: c.name, max: c.max_score })), inputs[ci]))),
      h("div", { class: "field" }, h("label", { for: `rv-${pi}-comment` }, t("review.comment")), comment),
      status, h("button", { type: "submit" }, t("review.save", { project: projectName(p) }))));
    sec.append(form);
  });
  return sec;
}

function reviewsTable(r: Round, reviews: Review[]): HTMLElement {
  if (!reviews.length) return empty(t("review.none"));
  const criteria = r.criteria ?? [];
  const title = (pid: string) => projectName({ project_id: pid }, r);
  return h("table", { class: "table scores" }, h("caption", { class: "visually-hidden" }, t("review.title")),
    h("thead", {}, h("tr", {}, [t("round.project"), t("review.reviewer"), ...criteria.map((c) => `${c.name} (≤ ${num(c.max_score)})`), t("review.comment")]
      .map((x) => h("th", { scope: "col" }, x)))),
    h("tbody", {}, reviews.map((v) => h("tr", { "data-project": v.project_id },
      h("th", { scope: "row" }, title(v.project_id)), h("td", {}, v.reviewer ? v.reviewer_name || t("review.reviewerN", { n: String(v.reviewer) }) : "—"),
      criteria.map((c) => h("td", { class: "num" }, v.scores[c.name] !== undefined ? num(v.scores[c.name]) : "—")),
      h("td", {}, v.comment)))));
}

// Officers add submitted proposals of the municipality's challenges (in their proposals phase) as
// projects of a round in submission; the server takes the title and budget from the proposal.
async function addProposalForm(r: Round): Promise<HTMLElement | null> {
  if (!(await hasRoute("POST", "/api/v1/rounds/{id}/proposals"))) return null;
  const challenges = await api.get<Page<Challenge>>("/challenges" + query({ municipality: r.municipality, phase: "proposals", limit: 100 })).catch(() => null);
  const inRound = new Set(r.projects.map((p) => p.proposal).filter((x) => x != null));
  const options: [string, string][] = [];
  for (const c of challenges?.items ?? []) {
    const props = await api.get<Page<Proposal>>(`/challenges/${c.id}/proposals?limit=100`).catch(() => null);
    for (const p of props?.items ?? []) if (p.status === "submitted" && !inRound.has(p.id))
      options.push([String(p.id), `${p.versions.at(-1)?.title ?? "#" + p.id} · ${euro(p.versions.at(-1)?.budget_eur ?? 0)} (${c.title})`]);
  }
  const sec = h("section", { "aria-labelledby": "h-add-prop", class: "add-proposal" }, h("h2", { id: "h-add-prop" }, t("round.addProposalTitle")));
  if (!options.length) { sec.append(empty(t("round.noSubmitted"))); return sec; }
  const choice = select("proposal", options);
  const status = h("div");
  sec.append(h("form", { class: "filters", onsubmit: async (e: Event) => {
    e.preventDefault();
    try {
      await api.post(`/rounds/${r.id}/proposals`, { proposal: Number(choice.value) });
      announce(t("round.proposalAdded"));
      navigate(location.pathname);
    } catch (err) { status.replaceChildren(errorBox(err)); }
  } }, field(t("round.proposalToAdd"), choice), h("button", { type: "submit" }, t("round.addProposal")), status));
  return sec;
}

// After publication: each winner that came from a proposal goes on to its funding and experiment
// (on the proposal's page); a winner without a proposal has no coalition to run an experiment.
function winnersFollowUp(r: Round, res: Results): HTMLElement {
  const winners = res.projects.filter((o) => o.funded);
  return h("div", { class: "officer-tools winners" }, h("h3", {}, t("round.followUp")), h("p", {}, t("round.followUpLead")),
    h("ul", {}, winners.map((o) => {
      const p = r.projects.find((x) => x.project_id === o.project_id);
      return h("li", { "data-project": o.project_id }, projectName(o, r), " · ", o.cost_eur !== undefined ? euro(o.cost_eur) : "", " · ",
        p?.proposal ? h("a", { href: `/proposals/${p.proposal}#funding` }, t("round.toFunding", { title: projectName(o, r) }))
          : h("span", { class: "meta" }, t("round.noProposal")));
    })));
}

// The description and proposal of each project that came from a proposal (its latest version).
async function projectDetails(r: Round): Promise<Map<string, { plan: string; proposal: number }>> {
  const out = new Map<string, { plan: string; proposal: number }>();
  await Promise.all(r.projects.filter((p) => p.proposal).map(async (p) => {
    const prop = await api.get<Proposal>(`/proposals/${p.proposal}`).catch(() => null);
    if (prop) out.set(p.project_id, { plan: prop.versions.at(-1)?.plan ?? "", proposal: prop.id });
  }));
  return out;
}

function limitsText(r: Round): string {
  const parts: string[] = [];
  if (r.min_length) parts.push(t("round.minLength", { n: r.min_length }));
  if (r.max_length) parts.push(t("round.maxLength", { n: r.max_length }));
  if (r.max_points) parts.push(t("round.maxPoints", { n: r.max_points }));
  if (r.max_points_per_project) parts.push(t("round.maxPerProject", { n: r.max_points_per_project }));
  return parts.join("; ") || t("round.noLimits");
}

// A project's name: its title, or, when a moderator hid its proposal (issue 20), words saying so
// (the server leaves the title out and marks the project `hidden`; `r` finds that mark for a
// result line).
function projectName(p: { project_id: string; title?: string; hidden?: boolean }, r?: Round): string {
  const own = r?.projects.find((x) => x.project_id === p.project_id);
  if (p.hidden || own?.hidden) return t("round.hiddenProject");
  return p.title || own?.title || p.project_id;
}

function projectTable(r: Round): HTMLElement {
  if (!r.projects.length) return empty(t("round.noProjects"));
  return h("table", { class: "table" }, h("thead", {}, h("tr", {}, [t("round.project"), t("round.cost"), t("round.category"), t("round.neighbourhood")].map((x) => h("th", { scope: "col" }, x)))),
    h("tbody", {}, r.projects.map((p) => h("tr", {}, h("th", { scope: "row" }, projectName(p)), h("td", { class: "num" }, euro(p.cost_eur)),
      h("td", {}, p.category), h("td", {}, p.neighbourhood)))));
}

function resultsSummary(res: Results): HTMLElement {
  return h("p", { class: "lead" }, t("round.resultsLead", { n: res.winners.length, spent: euro(res.spent_eur), budget: euro(res.budget_eur),
    ballots: res.ballots, rule: ruleLabel(res.rule) }));
}

function resultsTable(res: Results, r: Round): HTMLElement {
  const order = [...res.projects].sort((a, b) => Number(b.funded) - Number(a.funded) || (a.step ?? 1e9) - (b.step ?? 1e9));
  return h("table", { class: "table results" },
    h("caption", { class: "visually-hidden" }, t("round.results")),
    h("thead", {}, h("tr", {}, [t("round.project"), t("round.cost"), t("round.supporters"), t("round.outcome"), t("round.why")].map((x) => h("th", { scope: "col" }, x)))),
    h("tbody", {}, order.map((o) => h("tr", { "data-project": o.project_id },
      h("th", { scope: "row" }, projectName(o, r)), h("td", { class: "num" }, o.cost_eur !== undefined ? euro(o.cost_eur) : ""),
      h("td", { class: "num" }, o.supporters !== undefined ? num(o.supporters) : ""),
      h("td", {}, h("span", { class: o.funded ? "funded" : "notfunded" }, o.funded ? "✔ " + t("round.funded") : "✘ " + t("round.notFunded"))),
      h("td", { class: "why", "data-verdict": o.verdict?.code ?? null }, verdictText(o))))));
}

function ruleLabel(rule: string): string {
  const k = ({ mes: "rule.mes", mes_add1_greedy: "rule.mesAdd1", mes_add1_until_infeasible_greedy: "rule.mesAdd1", greedy: "rule.greedy",
    phragmen: "rule.phragmen", max_welfare: "rule.maxWelfare" } as Record<string, Key>)[rule.toLowerCase().replace(/[^a-z0-9_]/g, "_")];
  return k ? t(k) : rule;
}

// "Why funded / why not" in the reader's language, from the verdict's code and numbers.
export function verdictText(o: Outcome): string {
  const v = o.verdict;
  if (!v) return o.text ?? "";
  const p = v.params ?? {};
  const vars = { step: p.step ?? o.step ?? 0, supporters: p.supporters ?? o.supporters ?? 0, cost: euro(p.cost_eur ?? o.cost_eur ?? 0),
    left: euro(p.money_left_eur ?? 0), had: euro(p.supporters_money_eur ?? 0) };
  const key = ({ funded_equal_shares: "verdict.fundedEqualShares", funded_completion: "verdict.fundedCompletion", funded_greedy: "verdict.fundedGreedy",
    funded_phragmen: "verdict.fundedPhragmen", funded_optimal: "verdict.fundedOptimal", did_not_fit: "verdict.didNotFit",
    supporters_money_ran_out: "verdict.supportersRanOut", no_support: "verdict.noSupport", rule_stopped: "verdict.ruleStopped",
    cap_exceeded: "verdict.capExceeded" } as Record<string, Key>)[v.code];
  if (!key) return o.text ?? v.code;
  let s = t(key, vars);
  if (v.code === "did_not_fit" && p.money_left_eur === undefined) s = t("verdict.didNotFitPlain", vars);
  return s;
}

// The ballot: inputs per project and a live summary of the limits; the submit stays possible but
// the summary names every broken limit, and the server checks them again.
function ballotForm(r: Round, own: Ballot | null, details: Map<string, { plan: string; proposal: number }>,
  verify?: ReturnType<typeof verificationStep>): HTMLElement {
  const points = new Map((own?.entries ?? []).map((e) => [e.project_id, e.points]));
  const summary = h("div", { class: "summary", role: "status", "aria-live": "polite", id: "ballot-summary" });
  const status = h("div");
  const inputs = new Map<string, HTMLInputElement | HTMLSelectElement>();
  const rows = r.projects.map((p, i) => {
    const iid = `proj-${i}`;
    let control: HTMLInputElement | HTMLSelectElement;
    if (r.ballot_kind === "approval") {
      control = h("input", { type: "checkbox", id: iid, name: p.project_id, checked: points.has(p.project_id), "aria-describedby": "ballot-summary" });
    } else if (r.ballot_kind === "ordinal") {
      control = h("select", { id: iid, name: p.project_id }, h("option", { value: "" }, t("round.notRanked")),
        r.projects.map((_, k) => h("option", { value: String(k + 1), selected: points.get(p.project_id) === k + 1 }, t("round.rank", { n: k + 1 }))));
    } else {
      control = h("input", { type: "number", id: iid, name: p.project_id, min: 0, step: 1, inputmode: "numeric",
        max: r.max_points_per_project || null, value: points.get(p.project_id) ?? 0, "aria-describedby": "ballot-summary" });
    }
    inputs.set(p.project_id, control);
    control.addEventListener("input", () => update());
    control.addEventListener("change", () => update());
    const d = details.get(p.project_id);
    const plan = d?.plan.trim() ?? "";
    return h("li", { class: "project", "data-project": p.project_id }, h("div", { class: "pinfo" },
      h("label", { for: iid }, h("span", { class: "ptitle" }, projectName(p)),
        h("span", { class: "meta" }, ` · ${euro(p.cost_eur)}${p.category ? " · " + p.category : ""}${p.neighbourhood ? " · " + p.neighbourhood : ""}`)),
      plan ? h("span", { class: "pdesc" }, plan.length > 240 ? plan.slice(0, 240).trimEnd() + "…" : plan) : null,
      d ? h("a", { href: `/proposals/${d.proposal}`, class: "plink" }, t("round.readProposal", { title: projectName(p) })) : null,
      h("span", { class: "hint nofit", hidden: true }, t("round.doesNotFit"))), control);
  });
  const costOf = (pid: string) => r.projects.find((p) => p.project_id === pid)?.cost_eur ?? 0;
  // Approval: the meter stops at the budget. A project that would take the choice over the budget
  // is not added; the reader is told why and what to do.
  if (r.ballot_kind === "approval" && r.budget_eur > 0) for (const [pid, c] of inputs) c.addEventListener("change", () => {
    if (!(c instanceof HTMLInputElement) || !c.checked) return;
    const cost = entries().reduce((s, x) => s + costOf(x.project_id), 0);
    if (cost <= r.budget_eur) return;
    c.checked = false;
    const title = r.projects.find((p) => p.project_id === pid)?.title || pid;
    const msg = t("round.wouldExceed", { title, cost: euro(cost), budget: euro(r.budget_eur), left: euro(r.budget_eur - (cost - costOf(pid))) });
    status.replaceChildren(h("div", { class: "error over-budget", role: "alert" }, msg));
    update(false);
  });
  const submit = h("button", { type: "submit" }, own || verify?.voted() ? t("round.replaceBallot") : t("round.castBallot"));

  function entries(): { project_id: string; points: number }[] {
    const out: { project_id: string; points: number }[] = [];
    for (const [pid, c] of inputs) {
      if (c instanceof HTMLInputElement && c.type === "checkbox") { if (c.checked) out.push({ project_id: pid, points: 1 }); }
      else if (c.value.trim() !== "") { const v = Number(c.value); if (v !== 0) out.push({ project_id: pid, points: v }); }
    }
    return out;
  }
  function problems(e: { project_id: string; points: number }[]): string[] {
    const out: string[] = [];
    if (r.min_length && e.length < r.min_length) out.push(t("round.needMore", { n: r.min_length }));
    if (r.max_length && e.length > r.max_length) out.push(t("round.tooMany", { n: r.max_length }));
    if (r.ballot_kind === "approval" && r.budget_eur > 0) {
      const cost = e.reduce((s, x) => s + costOf(x.project_id), 0);
      if (cost > r.budget_eur) out.push(t("round.overBudgetApproval", { cost: euro(cost), budget: euro(r.budget_eur) }));
    }
    const total = e.reduce((s, x) => s + x.points, 0);
    if (r.ballot_kind === "cumulative" && r.max_points && total > r.max_points) out.push(t("round.tooManyPoints", { n: total, max: r.max_points }));
    if (r.max_points_per_project && r.ballot_kind !== "approval" && r.ballot_kind !== "ordinal" && e.some((x) => x.points > r.max_points_per_project))
      out.push(t("round.perProject", { n: r.max_points_per_project }));
    if (e.some((x) => !Number.isInteger(x.points) || x.points < 0)) out.push(t("round.wholePoints"));
    if (r.ballot_kind === "ordinal") {
      if (new Set(e.map((x) => x.points)).size !== e.length) out.push(t("round.sharedRank"));
      else if (e.some((x) => x.points > e.length)) out.push(t("round.rankGap", { n: e.length }));
    }
    return out;
  }
  function update(clearStatus = true) {
    const e = entries();
    const cost = e.reduce((s, x) => s + (r.projects.find((p) => p.project_id === x.project_id)?.cost_eur ?? 0), 0);
    const total = e.reduce((s, x) => s + x.points, 0);
    const issues = problems(e);
    summary.replaceChildren(
      h("p", {}, t("round.chosen", { n: e.length }), r.max_length ? " " + t("round.ofMax", { n: r.max_length }) : ""),
      r.ballot_kind === "cumulative" || r.ballot_kind === "scoring"
        ? h("p", {}, t("round.pointsUsed", { n: total }), r.ballot_kind === "cumulative" && r.max_points ? " " + t("round.pointsLeft", { n: Math.max(0, r.max_points - total) }) : "") : "",
      h("p", {}, t("round.costChosen", { cost: euro(cost), budget: euro(r.budget_eur) })),
      h("meter", { min: 0, max: r.budget_eur || 1, value: Math.min(cost, r.budget_eur), "aria-label": t("round.budgetMeter") }),
      cost > r.budget_eur && r.ballot_kind !== "approval" ? h("p", { class: "hint" }, t("round.overBudget")) : "",
      issues.length ? h("ul", { class: "problems" }, issues.map((x) => h("li", {}, "⚠ " + x))) : h("p", { class: "ok" }, "✔ " + t("round.withinLimits")));
    submit.setAttribute("aria-disabled", issues.length ? "true" : "false");
    if (r.ballot_kind === "approval") for (const [pid, c] of inputs) {
      const nofit = !(c as HTMLInputElement).checked && r.budget_eur > 0 && cost + costOf(pid) > r.budget_eur;
      const row = c.closest("li")!;
      row.classList.toggle("blocked", nofit);
      (row.querySelector(".nofit") as HTMLElement).hidden = !nofit;
    }
    if (clearStatus && status.querySelector(".error, .ok")) status.replaceChildren();
  }
  const form = h("form", { class: "ballot", novalidate: true, onsubmit: async (ev: Event) => {
    ev.preventDefault();
    const e = entries();
    const issues = problems(e);
    if (issues.length) { status.replaceChildren(h("div", { class: "error", role: "alert" }, issues.join(" "))); return; }
    try {
      if (verify) await verify.cast(e);
      else await api.put(`/rounds/${r.id}/ballot`, { entries: e });
      status.replaceChildren(h("p", { class: "ok", role: "status" }, "✔ " + t("round.saved")));
      // The receipt of the ballot just cast (an account's ballot; a sealed one has its token).
      if (!verify) {
        const receipt = await receiptCard(r).catch(() => null);
        form.parentElement?.querySelector(".receipt")?.remove();
        if (receipt) form.after(receipt);
      }
      announce(t("round.saved"));
      submit.textContent = t("round.replaceBallot");
    } catch (err) { status.replaceChildren(errorBox(err)); }
  } }, verify?.el ?? "", h("fieldset", {}, h("legend", {}, (verify ? t("votes.ballotStep") + " · " : "") + ballotLabel(r.ballot_kind) + ": " + limitsText(r)),
    h("ul", { class: "projects" }, rows)), summary, status, submit);
  update();
  void num;
  return form;
}
