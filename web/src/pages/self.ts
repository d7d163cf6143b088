// What a signed-in person manages about themselves: the notifications page (unread first, mark
// read), and on the account page the daily-digest setting, the download of everything stored about
// them, and deleting the account. Each part appears only when the server offers its route.
import { h, field } from "../dom";
import { api, hasRoute, logout, ApiError } from "../api";
import { t, getLocale, phaseLabel, roundPhaseLabel } from "../i18n";
import { Ctx, navigate } from "../router";
import { announce, errorBox, setTitle } from "../feedback";
import { empty } from "./common";

export interface Notification { id: number; at: string; kind: string; title: string; title_nl: string; title_en: string; link: string; read: boolean; read_at: string | null }
interface NotificationPage { items: Notification[]; unread: number; limit: number; offset: number }

function dateTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(getLocale() === "nl" ? "nl-NL" : "en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "Europe/Amsterdam" }).format(d);
}

// The notification's title in the reader's language. The server words its titles itself; titles
// stored before it did carry a raw phase code ("… is nu in de fase voting") and an older word
// ("uitdaging"): the code is worded with the phase labels (a round's or a challenge's, from the
// link) and the word made "opgave".
export function notificationTitle(n: Notification): string {
  let title = (getLocale() === "en" ? n.title_en : n.title_nl) || n.title;
  const label = n.link.startsWith("/rounds/") ? roundPhaseLabel : phaseLabel;
  title = title.replace(/(is nu in de fase|moved to phase) ([a-z_]+)$/, (_, words: string, code: string) => `${words} ${label(code)}`);
  return title.replace(/^Nieuwe uitdaging:/, "Nieuwe opgave:");
}

// Only a path on this site becomes a link (never javascript: or another host).
function safeLink(link: string): string | null {
  return link.startsWith("/") && !link.startsWith("//") && !link.startsWith("/\\") ? link : null;
}

export async function notificationsPage({ main, query: q }: Ctx): Promise<void> {
  setTitle(t("notify.title"));
  main.append(h("h1", {}, t("notify.title")));
  if (!(await hasRoute("GET", "/api/v1/notifications"))) { main.append(h("p", { class: "notice" }, t("notify.unavailable"))); return; }
  const offset = Math.max(0, Number(q.get("offset") ?? 0) || 0);
  let page: NotificationPage;
  try { page = await api.get<NotificationPage>(`/notifications?limit=50&offset=${offset}`); }
  catch (e) {
    if (e instanceof ApiError && e.status === 401) { main.append(h("p", {}, h("a", { href: "/login?next=/notifications" }, t("notify.signIn")))); return; }
    throw e;
  }
  const status = h("div", { "aria-live": "polite" });
  main.append(h("p", { class: "lead", id: "unread-count", "data-unread": page.unread }, t("notify.unreadCount", { n: page.unread })), status);
  if (page.unread > 0) main.append(h("p", {}, h("button", { type: "button", class: "mark-all", onclick: async () => {
    try { await api.post("/notifications/read", { all: true }); announce(t("notify.allRead")); navigate(location.pathname); }
    catch (e) { status.replaceChildren(errorBox(e)); }
  } }, t("notify.markAll"))));
  if (!page.items.length) { main.append(empty(t("notify.none"))); return; }
  main.append(h("ul", { class: "notifications" }, page.items.map((n) => {
    const title = notificationTitle(n);
    const link = safeLink(n.link);
    const markOne = n.read ? null : h("button", { type: "button", class: "small secondary", onclick: async () => {
      try { await api.post("/notifications/read", { ids: [n.id] }); announce(t("notify.read")); navigate(location.pathname + location.search); }
      catch (e) { status.replaceChildren(errorBox(e)); }
    } }, t("notify.markRead", { title }));
    return h("li", { class: n.read ? "read" : "unread", "data-id": n.id, "data-kind": n.kind },
      h("span", { class: "mark", "aria-hidden": "true" }, n.read ? "○ " : "● "),
      h("span", { class: "visually-hidden" }, (n.read ? t("notify.isRead") : t("notify.isUnread")) + ": "),
      link ? h("a", { href: link, onclick: n.read ? null : (ev: Event) => openUnread(ev as MouseEvent, n.id, link) }, title) : h("span", {}, title), " ", h("span", { class: "meta" }, "· " + dateTime(n.at)), " ", markOne);
  })));
  if (page.items.length === page.limit) main.append(h("p", {}, h("a", { href: `/notifications?offset=${offset + page.limit}`, rel: "next" }, t("list.next"))));
}

// Opening an unread notification's target marks it read first (issue 18: an opened invitation
// stayed unread), so the next page's bell already counts one less. A modified click (new tab) is
// left to the browser and marks nothing.
async function openUnread(ev: MouseEvent, id: number, link: string): Promise<void> {
  if (ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
  ev.preventDefault();
  await api.post("/notifications/read", { ids: [id] }).catch(() => null);
  navigate(link);
}

// The header's bell: a link to the notifications page with the unread count in its name.
export async function bell(): Promise<HTMLElement | null> {
  if (!(await hasRoute("GET", "/api/v1/notifications"))) return null;
  try {
    const p = await api.get<NotificationPage>("/notifications?limit=1");
    // The name is the visible text plus hidden words: "Meldingen 3 ongelezen" (WCAG label in name).
    return h("li", { class: "bell" }, h("a", { href: "/notifications", "data-unread": p.unread,
      "aria-current": location.pathname === "/notifications" ? "page" : null },
      h("span", { "aria-hidden": "true" }, "✉ "), t("notify.title"), " ",
      p.unread ? h("span", { class: "count" }, String(p.unread)) : h("span", { class: "visually-hidden" }, "0"),
      h("span", { class: "visually-hidden" }, " " + t("notify.unreadWord"))));
  } catch { return null; }
}

// Account page sections: the daily digest setting, "my data", deleting the account.
export async function selfSections(): Promise<HTMLElement[]> {
  const out: HTMLElement[] = [];
  if (await hasRoute("GET", "/api/v1/me/settings")) {
    try {
      const s = await api.get<{ digest: boolean; language: string }>("/me/settings");
      const box = h("input", { type: "checkbox", id: "digest", name: "digest", checked: s.digest });
      const status = h("div", { "aria-live": "polite" });
      box.addEventListener("change", async () => {
        try {
          const after = await api.patch<{ digest: boolean }>("/me/settings", { digest: box.checked });
          box.checked = after.digest;
          status.replaceChildren(h("p", { class: "ok" }, "✔ " + (after.digest ? t("self.digestOn") : t("self.digestOff"))));
        } catch (e) { status.replaceChildren(errorBox(e)); box.checked = !box.checked; }
      });
      out.push(h("section", { "aria-labelledby": "h-digest" }, h("h2", { id: "h-digest" }, t("self.digestTitle")),
        h("p", { class: "check" }, box, " ", h("label", { for: "digest" }, t("self.digest"))), status));
    } catch (e) { out.push(errorBox(e)); }
  }
  if (await hasRoute("GET", "/api/v1/me/data"))
    out.push(h("section", { "aria-labelledby": "h-mydata" }, h("h2", { id: "h-mydata" }, t("self.dataTitle")), h("p", {}, t("self.dataLead")),
      h("p", {}, h("a", { href: "/api/v1/me/data", download: "weefsel-my-data.json", class: "button secondary my-data" }, t("self.download")))));
  if (await hasRoute("DELETE", "/api/v1/me")) {
    const password = h("input", { type: "password", name: "confirm-password", autocomplete: "current-password", required: true });
    const sure = h("input", { type: "checkbox", id: "delete-sure", name: "delete-sure", required: true });
    const status = h("div");
    out.push(h("section", { "aria-labelledby": "h-delete", class: "danger" }, h("h2", { id: "h-delete" }, t("self.deleteTitle")), h("p", {}, t("self.deleteLead")),
      h("form", { class: "stack narrow delete-account", onsubmit: async (e: Event) => {
        e.preventDefault();
        status.replaceChildren();
        try {
          await api.del("/me", { password: password.value });
          await logout().catch(() => undefined);
          announce(t("self.deleted"));
          navigate("/?deleted=1");
        } catch (err) { status.replaceChildren(errorBox(err)); password.focus(); }
      } }, field(t("self.confirmPassword"), password),
        h("p", { class: "check" }, sure, " ", h("label", { for: "delete-sure" }, t("self.deleteSure"))), status,
        h("button", { type: "submit", class: "danger" }, t("self.deleteButton")))));
  }
  return out;
}
