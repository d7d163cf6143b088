// The audit log page for officers (and admins): every change of one entity, newest first, with who,
// when, the action, and before/after shown compactly as the fields that changed (the full records
// on request). The server decides who may read a log; its refusal is shown as it comes.
import { h, field, select } from "../dom";
import { api, AuditEntry, currentUser } from "../api";
import { t, getLocale, Key } from "../i18n";
import { Ctx, navigate } from "../router";
import { errorBox, setTitle } from "../feedback";
import { empty } from "./common";

const ENTITIES = ["challenge", "round", "proposal", "coalition", "experiment", "actor", "tie", "municipality", "user", "comment"];

export async function auditPage({ main, query: q }: Ctx): Promise<void> {
  const entity = ENTITIES.includes(q.get("entity") ?? "") ? (q.get("entity") as string) : "challenge";
  const id = Number(q.get("id") ?? "") || 0;
  setTitle(t("audit.title"));
  const kind = select("entity", ENTITIES.map((e): [string, string] => [e, entityLabel(e)]), entity);
  const num = h("input", { type: "number", name: "id", min: 1, step: 1, required: true, inputmode: "numeric", value: id || "" });
  main.append(h("h1", {}, t("audit.title")), h("p", { class: "lead" }, t("audit.lead")),
    h("form", { class: "filters", role: "search", "aria-label": t("audit.filter"), onsubmit: (e: Event) => {
      e.preventDefault();
      navigate(`/audit?entity=${encodeURIComponent(kind.value)}&id=${encodeURIComponent(num.value)}`);
    } }, field(t("audit.entity"), kind), field(t("audit.id"), num), h("button", { type: "submit" }, t("audit.show"))));
  if (!currentUser()) { main.append(h("p", {}, h("a", { href: "/login" }, t("audit.signIn")))); return; }
  if (!id) return;
  const back = entity === "challenge" ? `/challenges/${id}` : entity === "round" ? `/rounds/${id}` : entity === "proposal" ? `/proposals/${id}`
    : entity === "coalition" ? `/coalitions/${id}` : entity === "experiment" ? `/experiments/${id}` : entity === "actor" ? `/actors/${id}` : null;
  const sec = h("section", { "aria-labelledby": "h-log", class: "audit" },
    h("h2", { id: "h-log" }, t("audit.of", { entity: entityLabel(entity), id: String(id) })),
    back ? h("p", {}, h("a", { href: back }, t("audit.back", { entity: entityLabel(entity), id: String(id) }))) : null);
  main.append(sec);
  let items: AuditEntry[];
  try { items = (await api.get<{ items: AuditEntry[] }>(`/audit?entity=${encodeURIComponent(entity)}&id=${id}`)).items; }
  catch (e) { sec.append(errorBox(e)); return; }
  if (!items.length) { sec.append(empty(t("audit.none"))); return; }
  const me = currentUser()?.id;
  const rows = [...items].reverse();
  sec.append(h("p", { class: "meta" }, t("audit.count", { n: items.length })),
    h("table", { class: "table audit-log" }, h("caption", { class: "visually-hidden" }, t("audit.of", { entity: entityLabel(entity), id: String(id) })),
      h("thead", {}, h("tr", {}, [t("audit.when"), t("audit.who"), t("audit.action"), t("audit.changes")].map((x) => h("th", { scope: "col" }, x)))),
      h("tbody", {}, rows.map((e) => h("tr", { "data-action": e.action, "data-id": e.id },
        h("td", {}, h("time", { datetime: e.at }, dateTime(e.at))),
        h("td", {}, e.user == null ? t("audit.system") : e.user === me ? t("audit.you") : e.user_name || t("audit.account", { n: String(e.user) })),
        h("td", {}, actionLabel(e.action)),
        h("td", {}, changes(e)))))));
}

function entityLabel(e: string): string {
  const k = `audit.entity.${e}` as Parameters<typeof t>[0];
  const s = t(k);
  return s === k ? e : s;
}

function actionLabel(a: string): string {
  const k = `audit.action.${a}` as Parameters<typeof t>[0];
  const s = t(k);
  return s === k ? a : s;
}

function dateTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(getLocale() === "nl" ? "nl-NL" : "en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "Europe/Amsterdam" }).format(d);
}

function compact(v: unknown): string {
  const s = v === undefined ? "—" : typeof v === "string" ? v : JSON.stringify(v);
  return s.length > 80 ? s.slice(0, 77) + "…" : s;
}

const kMaxLines = 12;

// Nested records as flat paths ("members[0].status" -> "accepted"), so a change deep inside a list
// shows as the one value that changed.
function flatten(v: unknown, prefix = "", out: Record<string, unknown> = {}, depth = 0): Record<string, unknown> {
  const entries = Array.isArray(v) ? v.map((x, i): [string, unknown] => [`${prefix}[${i}]`, x])
    : v && typeof v === "object" ? Object.entries(v as Record<string, unknown>).map(([k, x]): [string, unknown] => [prefix ? `${prefix}.${k}` : k, x]) : null;
  if (!entries || !entries.length || depth > 4) { out[prefix] = v; return out; }
  for (const [k, x] of entries) flatten(x, k, out, depth + 1);
  return out;
}

// A field's name in the reader's language where the catalogue has one ("created_at" → "aangemaakt
// op", in a nested name each part: "versions.0.budget_eur"); a part without a label as it comes.
function fieldName(k: string): string {
  return k.split(".").map((part) => {
    const key = ("audit.field." + part) as Key;
    const label = t(key);
    return label === key ? part : label;
  }).join(".");
}

// The fields that differ between before and after ("phase: open → matching"); for a record that was
// created or removed, its fields in a short list. The full before and after sit in a <details>.
function changes(e: AuditEntry): HTMLElement {
  const before = e.before && typeof e.before === "object" && !Array.isArray(e.before) ? (e.before as Record<string, unknown>) : null;
  const after = e.after && typeof e.after === "object" && !Array.isArray(e.after) ? (e.after as Record<string, unknown>) : null;
  const lines: HTMLElement[] = [];
  if (before && after) {
    const b = flatten(before), a = flatten(after);
    const changed = [...new Set([...Object.keys(b), ...Object.keys(a)])].filter((k) => JSON.stringify(b[k]) !== JSON.stringify(a[k]));
    for (const k of changed.slice(0, kMaxLines))
      lines.push(h("li", { "data-field": k }, h("strong", {}, fieldName(k) + ": "), h("del", {}, compact(b[k])), " → ", h("ins", {}, compact(a[k]))));
    if (changed.length > kMaxLines) lines.push(h("li", {}, t("audit.more", { n: changed.length - kMaxLines })));
    if (!lines.length) lines.push(h("li", {}, t("audit.noChange")));
  } else if (after || before) {
    const rec = (after ?? before)!;
    lines.push(h("li", {}, h("strong", {}, (after ? t("audit.created") : t("audit.removed")) + " ")));
    const first = ["title", "name", "display_name", "phase", "status"];
    const keys = [...first.filter((k) => k in rec), ...Object.keys(rec).filter((k) => !first.includes(k))];
    for (const k of keys.slice(0, 6)) lines.push(h("li", { "data-field": k }, h("strong", {}, fieldName(k) + ": "), compact(rec[k])));
  } else {
    lines.push(h("li", {}, compact(e.after ?? e.before ?? "")));
  }
  return h("div", {}, h("ul", { class: "change" }, lines),
    h("details", {}, h("summary", {}, t("audit.full")),
      h("p", {}, h("strong", {}, t("audit.before") + " ")), h("pre", { class: "json" }, e.before == null ? "—" : JSON.stringify(e.before, null, 1)),
      h("p", {}, h("strong", {}, t("audit.after") + " ")), h("pre", { class: "json" }, e.after == null ? "—" : JSON.stringify(e.after, null, 1))));
}
