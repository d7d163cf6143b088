// Moderation (issue 20): the "Melden" control residents use to report a comment, a proposal or a
// profile with a reason, and the "Moderatie" page where moderators and officers of a municipality
// work its queue: hide an item with a public reason, restore it, dismiss a report, block or unblock
// the author's account. The server decides every right; its refusals are shown as they come.
// Text from the API goes in through textContent only.
import { h, field, select } from "../dom";
import { api, ApiError, currentUser, HiddenItem, Municipality, Page, Report } from "../api";
import { t, date } from "../i18n";
import { Ctx, navigate } from "../router";
import { announce, errorBox, setTitle } from "../feedback";
import { empty, municipalities, confirmDialog, pager } from "./common";
import { useMunicipalityTheme } from "../theme";

export interface QueueItem {
  target: string; target_id: number; municipality: number; excerpt: string; proposal: number | null; author: number | null;
  author_name: string; author_blocked: boolean; reports: Report[]; hidden: HiddenItem | null;
}

// The municipalities whose queue the signed-in person may work (every one for a platform admin).
export async function moderatedMunicipalities(): Promise<Municipality[]> {
  const me = currentUser();
  if (!me) return [];
  const all = await municipalities();
  if (me.grants.some((g) => g.role === "platform_admin")) return all;
  const mine = new Set(me.grants.filter((g) => g.role === "officer" || g.role === "moderator").map((g) => g.municipality));
  return all.filter((m) => mine.has(m.id));
}

export function isModerator(): boolean {
  return !!currentUser()?.grants.some((g) => g.role === "platform_admin" || g.role === "officer" || g.role === "moderator");
}

// A "Melden" button that opens a small form with a reason; null for anonymous readers and for one's
// own writing (the server refuses that as well).
export function reportControl(target: "comment" | "proposal" | "profile", id: number, author: number | null, label: string): HTMLElement | null {
  const me = currentUser();
  if (!me || (author != null && author === me.id)) return null;
  const box = h("div", { class: "report-box" });
  const button = h("button", { type: "button", class: "linklike report", "aria-expanded": "false", "data-target": target, "data-id": id, onclick: () => {
    if (box.firstChild) { box.replaceChildren(); button.setAttribute("aria-expanded", "false"); return; }
    const reason = h("textarea", { name: "reason", rows: 2, required: true, maxlength: 1000 });
    const status = h("div");
    box.append(h("form", { class: "stack report-form", onsubmit: async (e: Event) => {
      e.preventDefault();
      status.replaceChildren();
      try {
        await api.post("/reports", { target, id, reason: reason.value });
        box.replaceChildren(h("p", { class: "ok", role: "status" }, "✔ " + t("moderation.reported")));
        announce(t("moderation.reported"));
        button.remove();
      } catch (err) { status.replaceChildren(errorBox(err)); }
    } }, field(t("moderation.reasonReport"), reason, t("moderation.reasonReportHint")), status,
      h("button", { type: "submit" }, t("moderation.send"))));
    button.setAttribute("aria-expanded", "true");
    reason.focus();
  } }, label);
  return h("span", { class: "report-control" }, button, box);
}

function targetLabel(target: string): string {
  return target === "comment" ? t("moderation.kind.comment") : target === "proposal" ? t("moderation.kind.proposal") : t("moderation.kind.profile");
}

export async function moderationPage({ main, query }: Ctx): Promise<void> {
  setTitle(t("moderation.title"));
  main.append(h("h1", {}, t("moderation.title")), h("p", { class: "lead" }, t("moderation.lead")));
  if (!currentUser()) { main.append(h("p", {}, h("a", { href: "/login" }, t("moderation.signIn")))); return; }
  const munis = await moderatedMunicipalities();
  if (!munis.length) { main.append(errorBox(new ApiError(403, t("moderation.notYours"), undefined, true))); return; }
  const chosen = Number(query.get("municipality") ?? "") || munis[0].id;
  void useMunicipalityTheme(chosen);
  const pick = select("municipality", munis.map((m): [string, string] => [String(m.id), m.name]), String(chosen));
  main.append(h("form", { class: "filters", "aria-label": t("moderation.choose"), onsubmit: (e: Event) => {
    e.preventDefault();
    navigate(`/moderation?municipality=${encodeURIComponent(pick.value)}`);
  } }, field(t("moderation.municipality"), pick), h("button", { type: "submit" }, t("moderation.show"))));
  const sec = h("section", { "aria-labelledby": "h-queue", class: "moderation-queue" }, h("h2", { id: "h-queue" }, t("moderation.queue")));
  main.append(sec);
  const offset = Math.max(0, Number(query.get("offset") ?? "") || 0);
  let page: Page<QueueItem> & { total: number };
  try { page = await api.get<Page<QueueItem> & { total: number }>(`/municipalities/${chosen}/moderation?limit=20&offset=${offset}`); }
  catch (e) { sec.append(errorBox(e)); return; }
  if (!page.items.length && offset === 0) { sec.append(empty(t("moderation.empty"))); return; }
  const at = (o: number) => `/moderation?municipality=${chosen}${o ? `&offset=${o}` : ""}`;
  const reload = () => navigate(at(offset));
  sec.append(h("p", { class: "meta" }, t("moderation.total", { n: page.total })),
    h("ul", { class: "moderation-items" }, page.items.map((it) => itemCard(it, reload))));
  if (page.offset > 0 || page.next) sec.append(pager(page, at));
}

function itemCard(it: QueueItem, reload: () => void): HTMLElement {
  const status = h("div");
  const act = async (run: () => Promise<unknown>, done: string) => {
    status.replaceChildren();
    try { await run(); announce(done); reload(); } catch (e) { status.replaceChildren(errorBox(e)); }
  };
  const headingId = `item-${it.target}-${it.target_id}`;
  const where = it.target === "profile" ? null
    : it.proposal != null && !(it.target === "proposal" && it.hidden) ? h("a", { href: `/proposals/${it.proposal}${it.target === "comment" ? `#comment-${it.target_id}` : ""}` }, t("moderation.where")) : null;
  const card = h("li", { class: "moderation-item card", "data-target": it.target, "data-id": it.target_id, "data-hidden": it.hidden ? "true" : "false", "aria-labelledby": headingId },
    h("h3", { id: headingId }, t("moderation.itemTitle", { kind: targetLabel(it.target), id: it.target_id })),
    h("blockquote", { class: "excerpt" }, it.excerpt || "—"),
    h("p", { class: "meta" }, t("moderation.author", { name: it.author_name || "—" }),
      it.author_blocked ? h("strong", { class: "blocked" }, " · " + t("moderation.blocked")) : "", where ? " · " : "", where),
    it.hidden ? h("p", { class: "notice hidden-state" }, t("moderation.hiddenBecause", { reason: it.hidden.reason, when: date(it.hidden.hidden_at) })) : null);
  if (it.reports.length) {
    card.append(h("h4", {}, t("moderation.reports", { n: it.reports.length })),
      h("ul", { class: "reports" }, it.reports.map((r) => h("li", { "data-report": r.id }, h("span", {}, r.reason), " · ", date(r.created_at), " ",
        h("button", { type: "button", class: "secondary dismiss", onclick: () => act(() => api.post(`/reports/${r.id}/dismiss`), t("moderation.dismissed")) },
          t("moderation.dismiss"))))));
  }
  if (it.hidden) {
    card.append(h("div", { class: "inline" }, h("button", { type: "button", class: "restore", onclick: async () => {
      if (!(await confirmDialog(t("moderation.confirmRestore"), t("moderation.restore")))) return;
      await act(() => api.post("/moderation/restore", { target: it.target, id: it.target_id }), t("moderation.restored"));
    } }, t("moderation.restore"))));
  } else {
    const reason = h("textarea", { name: "public_reason", rows: 2, required: true, maxlength: 1000 });
    card.append(h("form", { class: "stack hide-form", onsubmit: async (e: Event) => {
      e.preventDefault();
      await act(() => api.post("/moderation/hide", { target: it.target, id: it.target_id, reason: reason.value }), t("moderation.hidden"));
    } }, field(t("moderation.publicReason"), reason, t("moderation.publicReasonHint")), h("button", { type: "submit", class: "hide" }, t("moderation.hide"))));
  }
  if (it.author != null) {
    if (it.author_blocked) {
      card.append(h("div", { class: "inline" }, h("button", { type: "button", class: "secondary unblock", onclick: () =>
        act(() => api.post(`/users/${it.author}/unblock`), t("moderation.unblocked")) }, t("moderation.unblock"))));
    } else {
      const why = h("textarea", { name: "block_reason", rows: 2, required: true, maxlength: 1000 });
      card.append(h("details", { class: "block" }, h("summary", {}, t("moderation.blockAuthor")),
        h("form", { class: "stack block-form", onsubmit: async (e: Event) => {
          e.preventDefault();
          if (!(await confirmDialog(t("moderation.confirmBlock", { name: it.author_name }), t("moderation.block")))) return;
          await act(() => api.post(`/users/${it.author}/block`, { reason: why.value }), t("moderation.blockedNow"));
        } }, field(t("moderation.blockReason"), why), h("button", { type: "submit", class: "danger block-button" }, t("moderation.block")))));
    }
  }
  card.append(status);
  return card;
}
