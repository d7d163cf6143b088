// Challenge board (filters: theme, municipality, phase; search), challenge page (matched actors
// when the server offers matching, proposed coalitions with their explanation, proposals,
// inviting), and the form for officers to post a challenge.
import { h, field, select } from "../dom";
import { api, Challenge, Coalition, Page, Proposal, query, hasRole, hasRoute, ApiError, Actor, currentUser, loadVocabulary } from "../api";
import { t, euro, date, num, themeLabel, themeOptions, phaseOptions, phaseLabel, sectorLabel, statusLabel, kindLabel, proposalStatusLabel, capabilityLabel, getLocale, CHALLENGE_PHASES } from "../i18n";
import { Ctx, navigate } from "../router";
import { announce, errorBox, setTitle } from "../feedback";
import { municipalities, chosenMunicipality, phaseBadge, empty, muniName, actor, dl, notAvailable, stepper, phaseControl, staleNotice } from "./common";
import { pagedList, offsetOf } from "./list";
import { Reason, reasonText, contributionText } from "./reasons";
import { useMunicipalityTheme } from "../theme";

export async function board({ main, query: q }: Ctx): Promise<void> {
  const ms = await municipalities();
  const muni = q.get("municipality") ?? (q.toString() ? "" : String(chosenMunicipality() ?? ""));
  const filters = { q: q.get("q") ?? "", municipality: muni, theme: q.get("theme") ?? "", phase: q.get("phase") ?? "" };
  if (muni) void useMunicipalityTheme(Number(muni));
  main.append(h("h1", {}, t("challenges.title")));
  const names = new Map(ms.map((m) => [m.id, m.name]));
  await pagedList<Challenge>(main, {
    path: "/challenges", source: "/challenges", values: filters, limit: 20, offset: offsetOf(q),
    filters: { label: t("challenges.filters"), fields: [
      { name: "q", label: t("filter.search"), control: h("input", { type: "search", name: "q", value: filters.q, maxlength: 200 }) },
      { name: "municipality", label: t("filter.municipality"),
        control: select("municipality", [["", t("filter.all")], ...ms.map((m): [string, string] => [String(m.id), m.name])], filters.municipality) },
      { name: "theme", label: t("filter.theme"), control: select("theme", [["", t("filter.all")], ...themeOptions()], filters.theme) },
      { name: "phase", label: t("filter.phase"), control: select("phase", [["", t("filter.all")], ...phaseOptions()], filters.phase) }] },
    afterFilters: hasRole("officer") ? h("p", {}, h("a", { class: "button", href: "/challenges/new" }, t("challenge.new"))) : null,
    none: t("challenges.none"),
    heading: (page) => h("p", { class: "count", role: "status" }, t("challenges.count", { n: page.items.length + page.offset })),
    render: (items) => h("ul", { class: "cards", "aria-label": t("challenges.title") }, items.map((c) => h("li", { class: "card" },
      h("h2", { class: "h3" }, h("a", { href: `/challenges/${c.id}` }, c.title)),
      h("p", { class: "meta" }, phaseBadge(c.phase), " ", names.get(c.municipality ?? 0) ?? "", " · ", c.themes.map(themeLabel).join(", ")),
      h("p", { class: "clip" }, c.text),
      h("p", { class: "meta" }, t("challenge.budgetDeadline", { budget: euro(c.budget_eur), deadline: date(c.deadline) }))))),
  });
}

export async function newChallenge({ main }: Ctx): Promise<void> {
  main.append(h("h1", {}, t("challenge.new")));
  if (!hasRole("officer")) { main.append(errorBox(new ApiError(403, t("challenge.officersOnly"), undefined, true))); return; }
  const ms = await municipalities();
  const title = h("input", { name: "title", required: true, maxlength: 200 });
  const text = h("textarea", { name: "text", required: true, rows: 6 });
  const themes = h("select", { name: "themes", multiple: true, size: 6 }, themeOptions().map(([v, l]) => h("option", { value: v }, l)));
  const caps = h("input", { name: "capabilities", placeholder: "budgetcoaching, data-analysis" });
  const budget = h("input", { name: "budget_eur", type: "number", min: 0, step: 1000, value: 50000, inputmode: "numeric" });
  const deadline = h("input", { name: "deadline", type: "date" });
  const muni = select("municipality", ms.filter((m) => hasRole("officer", { municipality: m.id })).map((m): [string, string] => [String(m.id), m.name]));
  // The lead: one of the municipality's own (government) organisations, which every suggested
  // coalition then has as its lead (coalition/pool.h).
  const owner = h("select", { name: "owner" }, h("option", { value: "" }, t("challenge.f.noOwner")));
  const fillOwners = async () => {
    const r = await api.get<Page<Actor>>("/actors" + query({ municipality: muni.value, kind: "government", limit: 100 })).catch(() => null);
    owner.replaceChildren(h("option", { value: "" }, t("challenge.f.noOwner")), ...(r?.items ?? []).map((a) => h("option", { value: String(a.id) }, a.name)));
  };
  muni.addEventListener("change", () => void fillOwners());
  await fillOwners();
  const status = h("div");
  const form = h("form", { class: "stack", onsubmit: async (e: Event) => {
    e.preventDefault();
    status.replaceChildren();
    try {
      const body = {
        municipality: Number(muni.value), title: title.value, text: text.value, language: "nl",
        themes: Array.from(themes.selectedOptions).map((o) => o.value),
        capabilities: caps.value.split(",").map((s) => s.trim()).filter(Boolean).map((c) => ({ capability: c, weight: 1 })),
        budget_eur: Number(budget.value), deadline: deadline.value,
        ...(owner.value ? { owner: Number(owner.value) } : {}),
      };
      const made = await api.post<Challenge>("/challenges", body);
      announce(t("challenge.posted"));
      navigate(`/challenges/${made.id}`);
    } catch (err) { status.replaceChildren(errorBox(err)); }
  } },
    field(t("challenge.f.municipality"), muni), field(t("challenge.f.title"), title), field(t("challenge.f.text"), text),
    field(t("challenge.f.themes"), themes, t("challenge.f.themesHint")), field(t("challenge.f.capabilities"), caps, t("challenge.f.capabilitiesHint")),
    field(t("challenge.f.budget"), budget), field(t("challenge.f.deadline"), deadline),
    field(t("challenge.f.owner"), owner, t("challenge.f.ownerHint")),
    status, h("button", { type: "submit" }, t("challenge.post")));
  main.append(form);
}


interface Match { actor: number; name?: string; sector?: string; score?: number; community?: number; unexpected?: boolean; reasons?: (Reason & { primary?: boolean })[];
  rank?: number; score_rank?: number; moved_up?: boolean }

export async function challenge({ main, params }: Ctx): Promise<void> {
  const id = Number(params[0]);
  const c = await api.get<Challenge>(`/challenges/${id}`);
  await loadVocabulary();
  setTitle(c.title);
  void useMunicipalityTheme(c.municipality);
  const officer = hasRole("officer", { municipality: c.municipality });
  const at = CHALLENGE_PHASES.indexOf(c.phase);
  const next = at >= 0 ? CHALLENGE_PHASES[at + 1] : undefined;
  main.append(
    h("p", { class: "crumbs" }, h("a", { href: "/challenges" }, t("challenges.title"))),
    h("h1", {}, c.title),
    h("section", { "aria-labelledby": "h-phase", class: "phase-section" }, h("h2", { id: "h-phase", class: "visually-hidden" }, t("challenge.phases")),
      stepper(CHALLENGE_PHASES, c.phase, t("challenge.phases"), phaseLabel),
      c.phase === "closed" ? h("p", { class: "notice" }, t("challenge.closed")) : null,
      officer && next ? phaseControl(next, phaseLabel(next), () => api.post(`/challenges/${id}/phase`, { phase: next }),
        t("challenge.moved", { phase: phaseLabel(next) })) : null,
      officer ? h("p", {}, h("a", { href: `/audit?entity=challenge&id=${id}`, class: "audit-link" }, t("audit.linkChallenge"))) : null),
    h("p", { class: "lead" }, c.text),
    dl([[t("filter.municipality"), await muniName(c.municipality)], [t("challenge.f.themes"), c.themes.map(themeLabel).join(", ")],
      [t("challenge.f.budget"), euro(c.budget_eur)], [t("challenge.f.deadline"), date(c.deadline)],
      [t("challenge.capabilities"), c.capabilities.map((x) => capabilityLabel(x.capability)).join(", ")],
      [t("challenge.sectorMix"), Object.entries(c.sector_mix).map(([s, n]) => `${sectorLabel(s)} ≥ ${num(n)}`).join(", ")],
      [t("challenge.maxSize"), num(c.max_coalition_size)],
      ...(c.owner ? [[t("challenge.owner"), (await actor(c.owner).catch(() => null))?.name ?? String(c.owner)] as [string, string]] : [])]));

  // Matched actors, when the server offers matching.
  const matchSec = h("section", { "aria-labelledby": "h-match" }, h("h2", { id: "h-match" }, t("challenge.matches")));
  main.append(matchSec);
  if (await hasRoute("GET", "/api/v1/challenges/{id}/matches")) {
    try {
      const r = await api.get<{ items: Match[]; stale?: boolean }>(`/challenges/${id}/matches?limit=10`);
      matchSec.append(staleNotice(r), h("p", {}, t("challenge.matchesLead")), r.items.length ? h("ol", { class: "matches" }, r.items.map((m) => h("li", {},
        h("a", { href: `/actors/${m.actor}` }, m.name ?? String(m.actor)), m.sector ? ` · ${sectorLabel(m.sector)}` : "",
        m.score !== undefined ? " · " + t("challenge.score", { s: num(Number(m.score), 2) }) : "",
        m.moved_up ? h("span", { class: "badge moved-up", "data-score-rank": m.score_rank ?? null }, " " + t("challenge.movedUp", { n: m.score_rank ?? 0 })) : "",
        m.unexpected ? h("span", { class: "badge" }, " " + t("challenge.unexpected")) : "",
        reasonList(m))))
        : empty(t("challenge.noMatches")));
    } catch (e) { matchSec.append(errorBox(e)); }
  } else {
    matchSec.append(notAvailable(t("challenge.matchingUnavailable")));
  }

  // Coalitions suggested by the team engine (signed-in officers and organisation members).
  if (await hasRoute("GET", "/api/v1/challenges/{id}/coalition-suggestions")) main.append(await suggestions(c, officer));

  // Coalitions proposed for this challenge.
  const coalitions = await api.get<Page<Coalition>>(`/challenges/${id}/coalitions?limit=100`);
  const coSec = h("section", { "aria-labelledby": "h-co" }, h("h2", { id: "h-co" }, t("challenge.coalitions")));
  main.append(coSec);
  if (!coalitions.items.length) coSec.append(empty(t("challenge.noCoalitions")));
  for (const co of coalitions.items) {
    const members = await Promise.all(co.members.map(async (m) => {
      const a = await actor(m.actor).catch(() => null);
      const invite = officer && m.status === "proposed"
        ? h("button", { type: "button", class: "small", onclick: async (ev: Event) => {
          const b = ev.currentTarget as HTMLButtonElement;
          b.disabled = true;
          try { await api.post(`/coalitions/${co.id}/invite`, { actor: m.actor }); announce(t("coalition.invited", { name: a?.name ?? "" })); navigate(location.pathname); }
          catch (e) { b.after(errorBox(e)); b.disabled = false; }
        } }, t("coalition.invite", { name: a?.name ?? String(m.actor) })) : null;
      return h("li", {}, h("a", { href: `/actors/${m.actor}` }, a?.name ?? String(m.actor)),
        a ? ` · ${kindLabel(a.kind)}` : "", m.role ? ` · ${m.role}` : "", " · ", h("span", { class: `status st-${m.status}` }, statusLabel(m.status)),
        m.covers.length ? h("span", { class: "covers" }, " · " + t("coalition.covers", { list: m.covers.join(", ") })) : "", " ", invite);
    }));
    coSec.append(h("article", { class: "card coalition" },
      h("h3", {}, h("a", { href: `/coalitions/${co.id}` }, t("coalition.named", { id: co.id })), " ", h("span", { class: "badge" }, statusLabel(co.status)),
        co.score ? h("span", { class: "meta" }, " · " + t("challenge.score", { s: num(co.score, 2) })) : ""),
      h("p", { class: "explanation" }, h("strong", {}, t("coalition.why") + " "), co.explanation || t("coalition.noExplanation")),
      h("ul", { class: "members" }, members)));
  }
  if (officer) coSec.append(await proposeForm(c));

  // Proposals.
  const props = await api.get<Page<Proposal>>(`/challenges/${id}/proposals?limit=100`);
  main.append(h("section", { "aria-labelledby": "h-prop" }, h("h2", { id: "h-prop" }, t("challenge.proposals")),
    props.items.length ? h("ul", {}, props.items.map((p) => {
      const v = p.versions[p.versions.length - 1];
      return h("li", {}, h("a", { href: `/proposals/${p.id}` }, v?.title ?? `#${p.id}`),
        " · ", proposalStatusLabel(p.status), " · ", v ? euro(v.budget_eur) : "", " · ", t("proposal.supports", { n: p.supports }));
    })) : empty(t("challenge.noProposals"))));
}

// Officers propose a coalition: pick actors through a search, give the explanation.
async function proposeForm(c: Challenge): Promise<HTMLElement> {
  const chosen = new Map<number, Actor>();
  const list = h("ul", { class: "chosen", "aria-live": "polite" });
  const results = h("ul", { class: "results" });
  const q = h("input", { type: "search", name: "actor-q" });
  const explanation = h("textarea", { name: "explanation", rows: 3 });
  const status = h("div");
  const redraw = () => list.replaceChildren(...[...chosen.values()].map((a) => h("li", {}, a.name, " ",
    h("button", { type: "button", class: "small", onclick: () => { chosen.delete(a.id); redraw(); } }, t("coalition.remove", { name: a.name })))));
  const find = async () => {
    const r = await api.get<Page<Actor>>("/actors" + query({ municipality: c.municipality, q: q.value, limit: 8 }));
    results.replaceChildren(...r.items.map((a) => h("li", {}, a.name, ` (${kindLabel(a.kind)}) `,
      h("button", { type: "button", class: "small", onclick: () => { chosen.set(a.id, a); redraw(); announce(t("coalition.added", { name: a.name })); } },
        t("coalition.add", { name: a.name })))));
  };
  return h("details", { class: "propose" }, h("summary", {}, t("coalition.propose")),
    h("form", { class: "stack", onsubmit: async (e: Event) => {
      e.preventDefault();
      try {
        const made = await api.post<Coalition>(`/challenges/${c.id}/coalitions`, {
          members: [...chosen.keys()].map((a) => ({ actor: a })), explanation: explanation.value });
        announce(t("coalition.proposed"));
        navigate(`/coalitions/${made.id}`);
      } catch (err) { status.replaceChildren(errorBox(err)); }
    } },
      h("div", { class: "inline" }, field(t("coalition.findActor"), q), h("button", { type: "button", onclick: () => void find() }, t("filter.searchButton"))),
      results, h("h3", { class: "h4" }, t("coalition.chosen")), list,
      field(t("coalition.explanation"), explanation), status, h("button", { type: "submit" }, t("coalition.proposeButton"))));
}

// GET /challenges/{id}/coalition-suggestions (docs/api.md): the engine's best teams, each member
// with the capabilities it covers, the ties between them; or (422) the requirement that cannot be met.
interface SuggestedMember { actor: number; name: string; sector: string; covers: string[]; lead: boolean; relevance: number;
  municipality_name?: string | null; area?: string; local?: boolean; why?: string }
interface Team { rank: number; members: SuggestedMember[]; covers: { capability: string; actor: number }[]; ties: { from: number; to: number; strength: number }[];
  communication_cost: number; relevance: number; objective: number; explanation: string }
interface Suggestions { rules: { needs: { capability: string; weight: number }[]; sector_mix: Record<string, number>; max_size: number; lead: number | null };
  candidates: number; teams: Team[]; stale?: boolean }

// The first unmet requirement of an infeasible coalition (params.requirement: "capability:<tag>",
// "sector_mix:<sector>", "max_size"): in words in the Dutch UI, the server's sentence in English.
function unmet(e: ApiError): string {
  if (getLocale() === "en") return e.detail;
  const req = e.params.requirement ?? "";
  const at = req.indexOf(":");
  const [k, v] = at < 0 ? [req, ""] : [req.slice(0, at), req.slice(at + 1)];
  return k === "capability" ? capabilityLabel(v) : k === "sector_mix" ? sectorLabel(v) : "";
}

async function suggestions(c: Challenge, officer: boolean): Promise<HTMLElement> {
  const sec = h("section", { "aria-labelledby": "h-suggest", class: "suggestions" }, h("h2", { id: "h-suggest" }, t("suggest.title")));
  if (!currentUser()) { sec.append(h("p", {}, h("a", { href: `/login?next=/challenges/${c.id}` }, t("suggest.signIn")))); return sec; }
  let s: Suggestions;
  try { s = await api.get<Suggestions>(`/challenges/${c.id}/coalition-suggestions?top=3`); }
  catch (e) {
    if (e instanceof ApiError && e.status === 422) sec.append(h("div", { class: "notice infeasible", role: "status" }, h("strong", {}, t("suggest.infeasible") + " "), unmet(e)));
    else if (e instanceof ApiError && (e.status === 401 || e.status === 403)) sec.append(notAvailable(t("suggest.forbidden")));
    else sec.append(errorBox(e));
    return sec;
  }
  const needed = s.rules.needs.map((n) => n.capability);
  sec.append(staleNotice(s), h("p", {}, t("suggest.lead", { n: s.candidates, size: s.rules.max_size })));
  if (!s.teams.length) { sec.append(empty(t("suggest.none"))); return sec; }
  for (const team of s.teams) {
    const covered = new Set(team.covers.map((x) => x.capability));
    const missing = needed.filter((x) => !covered.has(x));
    const sectors = [...new Set(team.members.map((m) => m.sector))].map(sectorLabel);
    const names = new Map(team.members.map((m) => [m.actor, m.name]));
    const status = h("div");
    sec.append(h("article", { class: "card suggestion", "data-rank": team.rank },
      h("h3", {}, t("suggest.team", { n: team.rank })),
      h("p", { class: "explanation" }, t("suggest.summary", { covered: covered.size, needed: needed.length, members: team.members.length,
        sectors: sectors.join(", "), ties: team.ties.length }), missing.length ? " " + t("suggest.missing", { list: missing.map(capabilityLabel).join(", ") }) : ""),
      h("table", { class: "table small" }, h("caption", { class: "visually-hidden" }, t("suggest.team", { n: team.rank })),
        h("thead", {}, h("tr", {}, [t("suggest.member"), t("actor.sector"), t("suggest.place"), t("suggest.covers")].map((x) => h("th", { scope: "col" }, x)))),
        h("tbody", {}, team.members.map((m) => h("tr", {},
          h("th", { scope: "row" }, h("a", { href: `/actors/${m.actor}` }, m.name), m.lead ? " ★ " + t("suggest.leadMark") : ""),
          h("td", {}, sectorLabel(m.sector)),
          h("td", { class: "place", "data-local": m.local === false ? "no" : "yes" }, [m.municipality_name, m.area].filter(Boolean).join(", ") || "—",
            m.local === false ? h("span", { class: "meta", title: m.why ?? "" }, " · " + t("suggest.elsewhere")) : ""),
          h("td", {}, m.covers.length ? m.covers.map(capabilityLabel).join(", ") : "—"))))),
      team.ties.length ? h("p", { class: "meta" }, t("suggest.ties"), " ", team.ties.map((x) => `${names.get(x.from) ?? x.from} – ${names.get(x.to) ?? x.to}`).join("; ")) : "",
      officer ? h("p", {}, h("button", { type: "button", class: "small", onclick: async (ev: Event) => {
        const b = ev.currentTarget as HTMLButtonElement;
        b.disabled = true;
        try {
          const made = await api.post<Coalition>(`/challenges/${c.id}/coalitions`, {
            members: team.members.map((m) => ({ actor: m.actor, covers: m.covers, role: m.lead ? "lead" : "member" })),
            explanation: t("suggest.proposedExplanation", { n: team.rank }) + " " + t("suggest.summary", { covered: covered.size, needed: needed.length,
              members: team.members.length, sectors: sectors.join(", "), ties: team.ties.length }) });
          announce(t("coalition.proposed"));
          navigate(`/coalitions/${made.id}`);
        } catch (e) { status.replaceChildren(errorBox(e)); b.disabled = false; }
      } }, t("suggest.propose", { n: team.rank })), status) : ""));
  }
  return sec;
}

// The reasons that matter most (primary) in plain words; the rest behind "more reasons".
interface RankedMatch { name?: string; reasons?: (Reason & { primary?: boolean })[] }
function reasonList(m: RankedMatch): HTMLElement | string {
  const all = m.reasons ?? [];
  if (!all.length) return "";
  const marked = all.some((x) => x.primary !== undefined);
  const main = marked ? all.filter((x) => x.primary) : all;
  const rest = marked ? all.filter((x) => !x.primary) : [];
  const item = (x: Reason) => h("li", { class: "reason", "data-code": x.code ?? null }, reasonText(x), contributionText(x));
  return h("div", { class: "reason-block" },
    h("ul", { class: "reasons", "aria-label": t("challenge.reasonsFor", { name: m.name ?? "" }) }, main.map(item)),
    rest.length ? h("details", { class: "more-reasons" }, h("summary", {}, t("challenge.moreReasons", { n: rest.length })),
      h("ul", { class: "reasons" }, rest.map(item))) : "");
}
