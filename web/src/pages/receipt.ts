// The receipt after voting (issue 18; docs/decisions/0007-ballot-receipt.md): what the ballot
// chose, their cost together, when, and a receipt code. Once voting has closed, the round page
// checks a code against the round's list of counted codes in the browser (the whole list is
// fetched, so the server does not learn which code was checked).
import { h, field } from "../dom";
import { api, ApiError, Round, currentUser, hasRoute } from "../api";
import { t, euro, getLocale } from "../i18n";
import { announce, errorBox } from "../feedback";
import { dl } from "./common";

interface Receipt { round: number; code: string; kind: string; entries: { project_id: string; points: number }[]; total_eur: number; cast_at: string }

function when(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(getLocale() === "en" ? "en-GB" : "nl-NL", { dateStyle: "long", timeStyle: "short", timeZone: "Europe/Amsterdam" }).format(d);
}

// The signed-in resident's receipt for their ballot in `r` (null: no ballot under the account, or
// the server has no receipts).
export async function receiptCard(r: Round): Promise<HTMLElement | null> {
  if (!currentUser() || !(await hasRoute("GET", "/api/v1/rounds/{id}/ballot/receipt"))) return null;
  let x: Receipt;
  try { x = await api.get<Receipt>(`/rounds/${r.id}/ballot/receipt`); }
  catch (e) { if (e instanceof ApiError && e.status === 404) return null; throw e; }
  const title = (pid: string) => r.projects.find((p) => p.project_id === pid)?.title || pid;
  const chosen = h("ul", { class: "receipt-choice" }, x.entries.map((e) => h("li", { "data-project": e.project_id }, title(e.project_id),
    x.kind === "approval" ? "" : x.kind === "ordinal" ? ` · ${t("receipt.rank", { n: e.points })}` : ` · ${t("receipt.points", { n: e.points })}`)));
  return h("section", { class: "card receipt", "aria-labelledby": "h-receipt" },
    h("h3", { id: "h-receipt" }, t("receipt.title")),
    dl([[t("receipt.chosen"), chosen], [t("receipt.total"), euro(x.total_eur)], [t("receipt.when"), when(x.cast_at)],
      [t("receipt.code"), h("code", { class: "receipt-code" }, x.code)]]),
    h("p", { class: "hint" }, t("receipt.keep")));
}

// Check a receipt code against the round's counted codes (from allocation on).
export async function receiptCheck(r: Round): Promise<HTMLElement | null> {
  if (r.phase !== "allocation" && r.phase !== "published") return null;
  if (!(await hasRoute("GET", "/api/v1/rounds/{id}/receipts"))) return null;
  const code = h("input", { name: "receipt-code", autocomplete: "off", spellcheck: false, maxlength: 40, placeholder: "XXXX-XXXX-XXXX-XXXX" });
  const own = currentUser() ? await api.get<Receipt>(`/rounds/${r.id}/ballot/receipt`).catch(() => null) : null;
  if (own) code.value = own.code;
  const out = h("div", { class: "receipt-result", role: "status" });
  const norm = (s: string) => s.toUpperCase().replace(/[^0-9A-F]/g, "");
  return h("section", { class: "receipt-check", "aria-labelledby": "h-receipt-check" },
    h("h2", { id: "h-receipt-check" }, t("receipt.checkTitle")), h("p", {}, t("receipt.checkLead")),
    h("form", { class: "stack", onsubmit: async (ev: Event) => {
      ev.preventDefault();
      try {
        const list = await api.get<{ codes: string[] }>(`/rounds/${r.id}/receipts`);
        const want = norm(code.value);
        const counted = want.length === 16 && list.codes.some((c) => norm(c) === want);
        const msg = counted ? "✔ " + t("receipt.counted", { n: list.codes.length }) : "✘ " + t("receipt.notCounted", { n: list.codes.length });
        out.replaceChildren(h("p", { class: counted ? "ok" : "error", "data-counted": String(counted) }, msg));
        announce(msg);
      } catch (e) { out.replaceChildren(errorBox(e)); }
    } }, field(t("receipt.code"), code), h("button", { type: "submit" }, t("receipt.check")), out),
    h("p", { class: "meta" }, t("receipt.listLink"), " ", h("a", { href: `/api/v1/rounds/${r.id}/receipts` }, t("receipt.list"))));
}
