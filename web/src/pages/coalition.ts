// Coalition workspace: members (accept or decline an invitation for your organisation), the
// proposal editor with versions, and comments.
import { h, field } from "../dom";
import { api, Challenge, Coalition, Comment, Page, Proposal, Tie, currentUser, hasRole, hasRoute, myActors } from "../api";
import { t, euro, date, kindLabel, statusLabel, memberRoleLabel, tieKindLabel, proposalStatusLabel } from "../i18n";
import { Ctx, navigate } from "../router";
import { announce, errorBox, setTitle } from "../feedback";
import { actor, empty } from "./common";
import { useMunicipalityTheme } from "../theme";

export async function workspace({ main, params }: Ctx): Promise<void> {
  const id = Number(params[0]);
  const co = await api.get<Coalition>(`/coalitions/${id}`);
  const ch = await api.get<Challenge>(`/challenges/${co.challenge}`);
  setTitle(t("coalition.named", { id }));
  void useMunicipalityTheme(ch.municipality);
  const mine = new Set(myActors());
  const officer = hasRole("officer", { municipality: ch.municipality });
  const memberOf = co.members.some((m) => mine.has(m.actor) && m.status === "accepted");
  main.append(
    h("p", { class: "crumbs" }, h("a", { href: `/challenges/${ch.id}` }, ch.title)),
    h("h1", {}, t("coalition.named", { id }), " ", h("span", { class: "badge" }, statusLabel(co.status))),
    h("p", { class: "explanation" }, h("strong", {}, t("coalition.why") + " "), co.explanation || t("coalition.noExplanation")));

  const rows = await Promise.all(co.members.map(async (m) => {
    const a = await actor(m.actor).catch(() => null);
    const answer = mine.has(m.actor) && m.status === "invited" ? [
      h("button", { type: "button", onclick: () => respond("accept", m.actor, a?.name ?? "") }, t("coalition.accept", { name: a?.name ?? "" })), " ",
      h("button", { type: "button", class: "secondary", onclick: () => respond("decline", m.actor, a?.name ?? "") }, t("coalition.decline", { name: a?.name ?? "" }))]
      : officer && m.status === "proposed" ? [h("button", { type: "button", class: "small", onclick: () => respond("invite", m.actor, a?.name ?? "") },
        t("coalition.invite", { name: a?.name ?? String(m.actor) }))] : null;
    return h("tr", {}, h("th", { scope: "row" }, h("a", { href: `/actors/${m.actor}` }, a?.name ?? String(m.actor))),
      h("td", {}, a ? kindLabel(a.kind) : ""), h("td", {}, m.role ? memberRoleLabel(m.role) : "—"), h("td", {}, m.covers.join(", ") || "—"),
      h("td", {}, h("span", { class: `status st-${m.status}` }, statusLabel(m.status)), answer ? h("div", { class: "answer" }, answer) : null));
  }));
  const status = h("div");
  async function respond(verb: "accept" | "decline" | "invite", actorId: number, name: string) {
    try {
      await api.post(`/coalitions/${id}/${verb}`, { actor: actorId });
      announce(t(verb === "accept" ? "coalition.accepted" : verb === "invite" ? "coalition.invited" : "coalition.declined", { name }));
      navigate(location.pathname);
    } catch (e) { status.replaceChildren(errorBox(e)); }
  }
  main.append(h("section", { "aria-labelledby": "h-members" }, h("h2", { id: "h-members" }, t("coalition.members")), status,
    h("table", { class: "table" }, h("thead", {}, h("tr", {}, [t("actor.name"), t("filter.kind"), t("coalition.role"), t("coalition.coversH"), t("coalition.status")]
      .map((x) => h("th", { scope: "col" }, x)))), h("tbody", {}, rows))));

  const added = await tiesAdded(id);
  if (added) main.append(added);

  const all = await api.get<Page<Proposal>>(`/challenges/${co.challenge}/proposals?limit=100`);
  const proposals = all.items.filter((p) => p.coalition === id);
  const sec = h("section", { "aria-labelledby": "h-props" }, h("h2", { id: "h-props" }, t("coalition.proposals")));
  main.append(sec);
  if (!proposals.length) sec.append(empty(t("challenge.noProposals")));
  for (const p of proposals) sec.append(await proposalView(p, memberOf));
  if (memberOf && !proposals.length) sec.append(versionForm(t("proposal.new"), null, async (body) => {
    await api.post(`/coalitions/${id}/proposals`, body);
    announce(t("proposal.saved"));
  }));
  if (!currentUser()) sec.append(h("p", {}, h("a", { href: "/login" }, t("proposal.signInToEdit"))));
}

async function proposalView(p: Proposal, canEdit: boolean): Promise<HTMLElement> {
  const latest = p.versions[p.versions.length - 1];
  const art = h("article", { class: "card proposal", id: `proposal-${p.id}`, "aria-labelledby": `ph-${p.id}` },
    h("h3", { id: `ph-${p.id}` }, h("a", { href: `/proposals/${p.id}` }, latest?.title ?? `#${p.id}`)),
    h("p", { class: "meta" }, t("proposal.meta", { v: latest?.number ?? 0, status: proposalStatusLabel(p.status), n: p.supports }), " · ", euro(latest?.budget_eur ?? 0)),
    h("div", { class: "plan" }, latest?.plan ?? ""));
  if (p.versions.length > 1) art.append(h("details", {}, h("summary", {}, t("proposal.history", { n: p.versions.length })),
    h("ol", { reversed: true }, [...p.versions].reverse().map((v) => h("li", {}, h("strong", {}, `v${v.number}: ${v.title}`), ` · ${euro(v.budget_eur)} · ${date(v.created_at)}`,
      h("p", { class: "plan" }, v.plan))))));
  if (canEdit) art.append(versionForm(t("proposal.newVersion"), latest ?? null, async (body) => {
    await api.post(`/proposals/${p.id}/versions`, body);
    announce(t("proposal.saved"));
  }));
  const comments = await api.get<Page<Comment>>(`/proposals/${p.id}/comments?limit=100`);
  const text = h("textarea", { name: "comment", rows: 3, required: true, maxlength: 5000 });
  const status = h("div");
  art.append(h("section", { "aria-label": t("proposal.comments") }, h("h4", {}, t("proposal.comments")),
    comments.items.length ? h("ul", { class: "comments" }, comments.items.map((c) => h("li", {}, h("strong", {}, c.author_name), " · ", date(c.created_at), h("p", {}, c.text))))
      : empty(t("proposal.noComments")),
    currentUser() ? h("form", { class: "stack", onsubmit: async (e: Event) => {
      e.preventDefault();
      try { await api.post(`/proposals/${p.id}/comments`, { text: text.value }); announce(t("proposal.commented")); navigate(location.pathname); }
      catch (err) { status.replaceChildren(errorBox(err)); }
    } }, field(t("proposal.comment"), text), status, h("button", { type: "submit" }, t("proposal.postComment"))) : null));
  return art;
}

function versionForm(legend: string, from: { title: string; plan: string; budget_eur: number } | null,
  save: (body: { title: string; plan: string; budget_eur: number }) => Promise<void>): HTMLElement {
  const title = h("input", { name: "title", required: true, value: from?.title ?? "" });
  const plan = h("textarea", { name: "plan", rows: 8 }, from?.plan ?? "");
  const budget = h("input", { name: "budget_eur", type: "number", min: 0, step: 100, value: from?.budget_eur ?? 0, inputmode: "numeric" });
  const status = h("div");
  return h("form", { class: "stack editor", onsubmit: async (e: Event) => {
    e.preventDefault();
    try { await save({ title: title.value, plan: plan.value, budget_eur: Number(budget.value) }); navigate(location.pathname); }
    catch (err) { status.replaceChildren(errorBox(err)); }
  } }, h("fieldset", {}, h("legend", {}, legend), field(t("proposal.title"), title), field(t("proposal.plan"), plan),
    field(t("proposal.budget"), budget), status, h("button", { type: "submit" }, t("form.save"))));
}

// The ties this coalition added to the fabric: ties between its accepted members that began on or
// after the day it formed (GET /coalitions/{id}/ties), when the server offers the route.
async function tiesAdded(id: number): Promise<HTMLElement | null> {
  if (!(await hasRoute("GET", "/api/v1/coalitions/{id}/ties"))) return null;
  const sec = h("section", { "aria-labelledby": "h-ties-added", class: "ties-added" }, h("h2", { id: "h-ties-added" }, t("coalition.tiesAdded")));
  try {
    const r = await api.get<{ coalition: number; since: string; ties: Tie[] }>(`/coalitions/${id}/ties`);
    sec.append(h("p", {}, r.since ? t("coalition.tiesSince", { date: date(r.since), n: r.ties.length }) : t("coalition.tiesNotFormed")));
    if (r.ties.length) sec.append(h("ul", {}, await Promise.all(r.ties.map(async (x) => {
      const [a, b] = await Promise.all([actor(x.a).catch(() => null), actor(x.b).catch(() => null)]);
      return h("li", { "data-tie": x.id }, h("a", { href: `/actors/${x.a}` }, a?.name ?? String(x.a)), " — ", h("a", { href: `/actors/${x.b}` }, b?.name ?? String(x.b)),
        h("span", { class: "meta" }, ` · ${tieKindLabel(x.kind)}${x.from ? " · " + date(x.from) : ""}`));
    }))));
  } catch (e) { sec.append(errorBox(e)); }
  return sec;
}
