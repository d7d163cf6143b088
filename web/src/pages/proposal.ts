// The proposal page: the latest version, every version with a line diff between any two (added and
// removed lines marked with + and − as well as colour), the comments as threads with replies, and
// the residents' support button with its count. Text from the API goes in through textContent only.
import { h, field, select } from "../dom";
import { api, all, ApiError, Challenge, Coalition, Comment, Diff, Experiment, Page, Proposal, currentUser, hasRole, hasRoute, myActors } from "../api";
import { t, euro, date, Key } from "../i18n";
import { Ctx, navigate } from "../router";
import { announce, errorBox, setTitle } from "../feedback";
import { empty, confirmDialog } from "./common";
import { reportControl } from "./moderation";
import { useMunicipalityTheme } from "../theme";

export async function proposalPage({ main, params }: Ctx): Promise<void> {
  const id = Number(params[0]);
  // A proposal a moderator hid is gone; only its public reason is shown.
  const p = await api.get<Proposal>(`/proposals/${id}`).catch(async (e) => {
    const m = e instanceof ApiError && e.status === 404 ? await publicHidden(id) : null;
    if (!m?.proposal) throw e;
    setTitle(t("moderation.hiddenProposal"));
    main.append(h("h1", {}, t("moderation.hiddenProposal")),
      h("p", { class: "notice hidden-state" }, t("moderation.publicReasonIs", { reason: m.proposal.reason })));
    return null;
  });
  if (!p) return;
  const ch = await api.get<Challenge>(`/challenges/${p.challenge}`).catch(() => null);
  const latest = p.versions[p.versions.length - 1];
  setTitle(latest?.title ?? t("proposal.named", { id }));
  void useMunicipalityTheme(ch?.municipality);
  main.append(
    h("p", { class: "crumbs" }, ch ? h("a", { href: `/challenges/${ch.id}` }, ch.title) : "", ch ? " · " : "",
      h("a", { href: `/coalitions/${p.coalition}` }, t("coalition.named", { id: p.coalition }))),
    h("h1", {}, latest?.title ?? t("proposal.named", { id })),
    h("p", { class: "meta" }, t("proposal.metaPage", { v: latest?.number ?? 0, status: statusText(p.status) }), " · ", euro(latest?.budget_eur ?? 0),
      latest ? " · " + date(latest.created_at) : ""),
    reportControl("proposal", id, latest?.author ?? null, t("moderation.reportProposal")) ?? "",
    await supportBox(p),
    h("section", { "aria-labelledby": "h-plan" }, h("h2", { id: "h-plan" }, t("proposal.plan")), h("div", { class: "plan" }, latest?.plan ?? "")));
  if (hasRole("officer", { municipality: ch?.municipality ?? null }))
    main.append(h("p", {}, h("a", { href: `/audit?entity=proposal&id=${id}`, class: "audit-link" }, t("audit.linkProposal"))));
  const funding = await fundingSection(p, ch);
  if (funding) main.append(funding);
  main.append(versionsSection(p));
  main.append(await commentsSection(p));
}

// The proposal's way to money and an experiment: members of the coalition submit a draft; officers
// of the municipality fund a submitted proposal outside a round, confirm a round winner's funding,
// or reject it (each after a confirmation); for a funded proposal they start its experiment.
async function fundingSection(p: Proposal, ch: Challenge | null): Promise<HTMLElement | null> {
  if (!currentUser() || !(await hasRoute("POST", "/api/v1/proposals/{id}/status"))) return null;
  const officer = hasRole("officer", { municipality: ch?.municipality ?? null });
  const co = await api.get<Coalition>(`/coalitions/${p.coalition}`).catch(() => null);
  const mine = new Set(myActors());
  const member = !!co?.members.some((m) => m.status !== "declined" && mine.has(m.actor));
  if (!officer && !member) return null;
  const latest = p.versions.at(-1);
  const sec = h("section", { "aria-labelledby": "h-funding", id: "funding", class: "officer-tools funding" }, h("h2", { id: "h-funding" }, t("funding.title")),
    h("p", {}, t("funding.state", { status: statusText(p.status) })));
  const status = h("div");
  const act = (label: string, next: string, confirmText: string | null, cls = "") => h("button", { type: "button", class: cls || null, "data-status": next, onclick: async () => {
    if (confirmText && !(await confirmDialog(confirmText, label))) return;
    status.replaceChildren();
    try {
      await api.post(`/proposals/${p.id}/status`, { status: next });
      announce(t("funding.changed", { status: statusText(next) }));
      navigate(location.pathname + "#funding");
    } catch (e) { status.replaceChildren(errorBox(e)); }
  } }, label);
  const amount = euro(latest?.budget_eur ?? 0);
  const buttons: HTMLElement[] = [];
  if (member && p.status === "draft") buttons.push(act(t("funding.submit"), "submitted", t("funding.confirmSubmit")));
  if (officer && p.status === "submitted") buttons.push(act(t("funding.fund", { amount }), "funded", t("funding.confirmFund", { amount })));
  if (officer && p.status === "in_round") buttons.push(act(t("funding.fundWinner"), "funded", t("funding.confirmWinner")));
  if (officer && (p.status === "submitted" || p.status === "in_round")) buttons.push(act(t("funding.reject"), "rejected", t("funding.confirmReject"), "secondary"));
  if (buttons.length) sec.append(h("div", { class: "inline" }, buttons), status);
  if (p.status === "in_round" && officer) sec.append(h("p", { class: "hint" }, t("funding.inRoundHint")));
  if (p.status === "funded") {
    const exps = await all<Experiment>("/experiments").catch(() => [] as Experiment[]);
    const exp = exps.find((x) => x.proposal === p.id);
    if (exp) sec.append(h("p", {}, h("a", { href: `/experiments/${exp.id}` }, t("funding.toExperiment", { id: exp.id }))));
    else if (officer && (await hasRoute("POST", "/api/v1/experiments"))) sec.append(experimentForm(p));
  }
  return sec;
}

// Start the experiment of a funded proposal: hypotheses, and optionally a first indicator and
// milestone (more can be added on the experiment's page).
function experimentForm(p: Proposal): HTMLElement {
  const hyp = h("textarea", { name: "hypotheses", rows: 3, required: true, maxlength: 20000 });
  const ind = h("input", { name: "indicator", maxlength: 500 });
  const unit = h("input", { name: "unit", maxlength: 100 });
  const baseline = h("input", { type: "number", name: "baseline", step: "any", inputmode: "decimal" });
  const target = h("input", { type: "number", name: "target", step: "any", inputmode: "decimal" });
  const ms = h("input", { name: "milestone", maxlength: 500 });
  const due = h("input", { type: "date", name: "due" });
  const amount = h("input", { type: "number", name: "amount_eur", min: 0, step: 1, inputmode: "numeric" });
  const status = h("div");
  return h("form", { class: "stack experiment-form", onsubmit: async (e: Event) => {
    e.preventDefault();
    const body: Record<string, unknown> = { proposal: p.id, hypotheses: hyp.value.split("\n").map((x) => x.trim()).filter(Boolean) };
    if (ind.value.trim()) body.indicators = [{ name: ind.value.trim(), unit: unit.value.trim(), baseline: Number(baseline.value) || 0, target: Number(target.value) || 0 }];
    if (ms.value.trim()) body.milestones = [{ title: ms.value.trim(), due: due.value, amount_eur: Number(amount.value) || 0, status: "planned" }];
    try {
      const x = await api.post<Experiment>("/experiments", body);
      announce(t("funding.experimentStarted"));
      navigate(`/experiments/${x.id}`);
    } catch (err) { status.replaceChildren(errorBox(err)); }
  } }, h("h3", {}, t("funding.startExperiment")),
    field(t("funding.hypotheses"), hyp, t("funding.hypothesesHint")),
    h("fieldset", {}, h("legend", {}, t("funding.firstIndicator")), field(t("indicator.name"), ind), field(t("indicator.unit"), unit),
      field(t("indicator.baseline"), baseline), field(t("indicator.target"), target)),
    h("fieldset", {}, h("legend", {}, t("funding.firstMilestone")), field(t("milestone.title"), ms), field(t("milestone.due"), due),
      field(t("milestone.amountEur"), amount)),
    status, h("button", { type: "submit" }, t("funding.startButton")));
}

function statusText(status: string): string {
  const k = `proposal.status.${status}` as Parameters<typeof t>[0];
  const s = t(k);
  return s === k ? status : s;
}

// The count of supports and, for signed-in users, the button; the server decides who may support
// (residents of the municipality, once) and its refusal is shown as it comes. Someone who supports
// the proposal sees that, with a button to withdraw the support (and to give it again).
async function supportBox(p: Proposal): Promise<HTMLElement> {
  const count = h("span", { class: "support-count", "data-count": p.supports }, t("proposal.supports", { n: p.supports }));
  const status = h("div");
  const box = h("div", { class: "support" }, h("p", { role: "status" }, "♥ ", count));
  if (!currentUser()) { box.append(h("p", {}, h("a", { href: "/login" }, t("proposal.signInToSupport")))); return box; }
  const canWithdraw = await hasRoute("DELETE", "/api/v1/proposals/{id}/supports");
  const mine = canWithdraw ? await api.get<{ supported: boolean }>(`/proposals/${p.id}/supports/mine`).then((x) => x.supported).catch(() => false) : false;
  const control = h("div", { class: "support-control" });
  const setCount = (after: Proposal) => {
    count.textContent = t("proposal.supports", { n: after.supports });
    count.dataset.count = String(after.supports);
  };
  // The state of this reader's support: the button to give it, or (when given) the words and the
  // button to withdraw it.
  const show = (supported: boolean) => {
    box.dataset.supported = supported ? "true" : "false";
    if (!supported) { control.replaceChildren(giveButton()); return; }
    control.replaceChildren(h("p", { class: "ok" }, "✔ " + t("proposal.supported")), ...(canWithdraw ? [withdrawButton()] : []));
  };
  const giveButton = () => {
    const button = h("button", { type: "button", class: "support-button", onclick: async () => {
      button.disabled = true;
      status.replaceChildren();
      try {
        setCount(await api.post<Proposal>(`/proposals/${p.id}/supports`));
        show(true);
        announce(t("proposal.supported"));
        control.querySelector<HTMLButtonElement>("button")?.focus();
      } catch (e) {
        // 409: this person supports it already (the server keeps one support per person).
        if (e instanceof ApiError && e.status === 409) { show(true); status.replaceChildren(h("p", {}, t("proposal.alreadySupported"))); return; }
        status.replaceChildren(errorBox(e));
        button.disabled = false;
      }
    } }, t("proposal.support"));
    return button;
  };
  const withdrawButton = () => {
    const button = h("button", { type: "button", class: "secondary withdraw-support", onclick: async () => {
      button.disabled = true;
      status.replaceChildren();
      try {
        setCount(await api.del<Proposal>(`/proposals/${p.id}/supports`));
        show(false);
        status.replaceChildren(h("p", {}, t("proposal.supportWithdrawn")));
        announce(t("proposal.supportWithdrawn"));
        control.querySelector<HTMLButtonElement>("button")?.focus();
      } catch (e) {
        // 404: the support was withdrawn already (in another tab).
        if (e instanceof ApiError && e.status === 404) { show(false); return; }
        status.replaceChildren(errorBox(e));
        button.disabled = false;
      }
    } }, t("proposal.withdrawSupport"));
    return button;
  };
  show(mine);
  box.append(control, status);
  return box;
}

function versionsSection(p: Proposal): HTMLElement {
  const sec = h("section", { "aria-labelledby": "h-versions", class: "versions" }, h("h2", { id: "h-versions" }, t("proposal.versions")));
  sec.append(h("table", { class: "table" }, h("caption", { class: "visually-hidden" }, t("proposal.versions")),
    h("thead", {}, h("tr", {}, [t("proposal.version"), t("proposal.title"), t("proposal.budget"), t("proposal.date")].map((x) => h("th", { scope: "col" }, x)))),
    h("tbody", {}, [...p.versions].reverse().map((v) => h("tr", { "data-version": v.number }, h("th", { scope: "row" }, `v${v.number}`), h("td", {}, v.title),
      h("td", { class: "num" }, euro(v.budget_eur)), h("td", {}, date(v.created_at)))))));
  if (p.versions.length < 2) { sec.append(h("p", { class: "notice" }, t("proposal.oneVersion"))); return sec; }
  const opts = p.versions.map((v): [string, string] => [String(v.number), `v${v.number}: ${v.title}`]);
  const from = select("from", opts, String(p.versions.length - 1));
  const to = select("to", opts, String(p.versions.length));
  const out = h("div", { class: "diff-out", "aria-live": "polite" });
  const show = async () => {
    try {
      const d = await api.get<Diff>(`/proposals/${p.id}/diff?from=${encodeURIComponent(from.value)}&to=${encodeURIComponent(to.value)}`);
      out.replaceChildren(diffView(d));
    } catch (e) { out.replaceChildren(errorBox(e)); }
  };
  sec.append(h("form", { class: "filters diff-form", "aria-label": t("proposal.compare"), onsubmit: (e: Event) => { e.preventDefault(); void show(); } },
    field(t("proposal.from"), from), field(t("proposal.to"), to), h("button", { type: "submit" }, t("proposal.compareButton"))), out);
  void show();
  return sec;
}

function diffView(d: Diff): HTMLElement {
  const word = (op: string) => (op === "+" ? t("proposal.lineAdded") : op === "-" ? t("proposal.lineRemoved") : t("proposal.lineSame"));
  return h("div", {},
    h("p", { class: "diff-summary" }, t("proposal.diffSummary", { from: d.from, to: d.to, added: d.added, removed: d.removed })),
    d.lines.length ? h("ol", { class: "diff", "aria-label": t("proposal.diffLabel", { from: d.from, to: d.to }) }, d.lines.map((l) =>
      h("li", { class: l.op === "+" ? "add" : l.op === "-" ? "del" : "same", "data-op": l.op },
        h("span", { class: "op", "aria-hidden": "true" }, l.op === "-" ? "−" : l.op === "+" ? "+" : " "),
        h("span", { class: "visually-hidden" }, word(l.op) + ": "), diffLine(l.text)))) : empty(t("proposal.noDiff")));
}

// A diff line names its part with the server's field code ("budget_eur: 92000"): in words, with
// the amount as money.
function diffLine(text: string): string {
  const m = /^(title|budget_eur|plan|milestone|indicator):\s?(.*)$/.exec(text);
  if (!m) return text;
  const label = t(("proposal.part." + m[1]) as Key);
  const value = m[1] === "budget_eur" && /^\d+$/.test(m[2]) ? euro(Number(m[2])) : m[2];
  return `${label}: ${value}`;
}

// Comments as threads: top-level comments in order, each with its replies under it (any depth).
async function commentsSection(p: Proposal): Promise<HTMLElement> {
  const sec = h("section", { "aria-labelledby": "h-comments", class: "comment-section" }, h("h2", { id: "h-comments" }, t("proposal.comments")));
  let comments: Comment[];
  try { comments = (await api.get<Page<Comment>>(`/proposals/${p.id}/comments?limit=100`)).items; }
  catch (e) {
    sec.append(e instanceof ApiError && e.status === 401 ? h("p", {}, h("a", { href: "/login" }, t("proposal.signInToRead"))) : errorBox(e));
    return sec;
  }
  const children = new Map<number, Comment[]>();
  const ids = new Set(comments.map((c) => c.id));
  for (const c of comments) {
    const parent = c.parent && ids.has(c.parent) ? c.parent : 0;
    if (!children.has(parent)) children.set(parent, []);
    children.get(parent)!.push(c);
  }
  const signedIn = !!currentUser();
  const thread = (parent: number, depth: number): HTMLElement =>
    h("ul", { class: depth === 0 ? "comments" : "replies" }, (children.get(parent) ?? []).map((c) => {
      const replyBox = h("div");
      const replyButton = signedIn ? h("button", { type: "button", class: "linklike reply", "aria-expanded": "false", onclick: () => {
        if (replyBox.firstChild) { replyBox.replaceChildren(); replyButton!.setAttribute("aria-expanded", "false"); return; }
        replyBox.append(commentForm(p.id, c.id, t("proposal.replyTo", { name: authorName(c) })));
        replyButton!.setAttribute("aria-expanded", "true");
        replyBox.querySelector("textarea")?.focus();
      } }, t("proposal.reply")) : null;
      return h("li", { class: "comment", id: `comment-${c.id}`, "data-id": c.id },
        h("p", { class: "meta" }, h("strong", {}, authorName(c)), " · ", date(c.created_at),
          c.parent ? h("span", { class: "visually-hidden" }, " · " + t("proposal.isReply")) : ""),
        h("p", { class: "text" }, c.text), replyButton, replyBox,
        h("div", { class: "report-links" }, reportControl("comment", c.id, c.author, t("moderation.reportComment")),
          c.author != null && c.author_name !== "hidden profile" ? reportControl("profile", c.author, c.author, t("moderation.reportProfile", { name: authorName(c) })) : null),
        children.has(c.id) && depth < 20 ? thread(c.id, depth + 1) : null);
    }));
  sec.append(h("p", { class: "meta" }, t("proposal.commentCount", { n: comments.length })));
  sec.append(comments.length ? thread(0, 0) : empty(t("proposal.noComments")));
  const hidden = (await publicHidden(p.id))?.comments ?? [];
  if (hidden.length)
    sec.append(h("ul", { class: "hidden-comments" }, hidden.map((x) =>
      h("li", { class: "notice hidden-state", "data-id": x.id }, t("moderation.commentHidden", { reason: x.reason })))));
  if (signedIn) sec.append(commentForm(p.id, 0, t("proposal.comment")));
  else sec.append(h("p", {}, h("a", { href: "/login" }, t("proposal.signInToEdit"))));
  return sec;
}

// The server's words for an author without a name to show, in the reader's language.
function authorName(c: Comment): string {
  return c.author_name === "hidden profile" ? t("moderation.hiddenProfile") : c.author_name === "removed user" ? t("proposal.removedUser") : c.author_name;
}

interface PublicHidden { proposal: { id: number; reason: string } | null; comments: { id: number; reason: string }[] }
function publicHidden(id: number): Promise<PublicHidden | null> {
  return api.get<PublicHidden>(`/proposals/${id}/moderation`).catch(() => null);
}

function commentForm(proposal: number, parent: number, label: string): HTMLElement {
  const text = h("textarea", { name: "comment", rows: 3, required: true, maxlength: 5000 });
  const status = h("div");
  return h("form", { class: "stack comment-form", onsubmit: async (e: Event) => {
    e.preventDefault();
    try {
      await api.post(`/proposals/${proposal}/comments`, parent ? { text: text.value, parent } : { text: text.value });
      announce(t("proposal.commented"));
      navigate(location.pathname);
    } catch (err) { status.replaceChildren(errorBox(err)); }
  } }, field(label, text), status, h("button", { type: "submit" }, parent ? t("proposal.postReply") : t("proposal.postComment")));
}
