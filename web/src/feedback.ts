// The reader's feedback, shared by the shell and the pages: the live region that announces a
// change to screen readers, a refusal worded in the reader's language, the page title.
import { h } from "./dom";
import { t, getLocale, Key, refusalText } from "./i18n";
import { ApiError } from "./api";

let live: HTMLElement | null = null;

// The shell's live region (role=status), set once it is drawn.
export function setLiveRegion(el: HTMLElement): void {
  live = el;
}

// Announces a message to screen readers (and shows it in the status bar).
export function announce(msg: string): void {
  const region = live;
  if (!region) return;
  region.textContent = "";
  window.setTimeout(() => { region.textContent = msg; }, 30);
}

// The reader's words for a refusal: the server's problem (RFC 9457) is worded from its stable
// `code` and `params` (refusalText, i18n.ts); a code the server derived from the status alone
// (GENERIC) or one unknown here is worded from the HTTP status and the field at fault, and its
// English `detail` is added in the English UI only (the Dutch UI never shows an English server
// sentence). Text the UI made itself (`localized`) is shown as is.
export function errorText(e: unknown): string {
  if (e instanceof ApiError) {
    if (e.localized) return e.detail;
    const byField = e.fieldName ? FIELD_REFUSALS[e.fieldName] : undefined;
    const generic = !e.code || GENERIC.has(e.code);
    const worded = e.code && !(generic && byField) ? refusalText(e.code, e.params) : undefined;
    if (worded) return getLocale() === "en" && generic && e.detail && e.status !== 401 ? `${worded} (${e.detail})` : worded;
    const byStatus: Record<number, Key> = { 400: "error.invalid", 401: "error.signin", 403: "error.forbidden", 404: "error.missing",
      405: "error.invalid", 409: "error.conflict", 413: "error.tooLarge", 415: "error.invalid", 422: "error.invalid", 429: "error.tooMany",
      503: "error.unavailable" };
    const key: Key = (e.status === 409 || e.status === 400) && byField ? byField : byStatus[e.status] ?? "error.server";
    const words = t(key);
    return getLocale() === "en" && e.detail && e.status !== 401 ? `${words} (${e.detail})` : words;
  }
  if (e instanceof TypeError) return t("error.network");  // fetch failed: offline or the server is unreachable
  return getLocale() === "en" && e instanceof Error ? e.message : t("error.server");
}
// Codes the server derives from the HTTP status and the field (docs/api.md, "Refusal codes").
const GENERIC = new Set(["invalid_request", "invalid_field", "forbidden", "conflict", "already_exists", "too_large"]);
const FIELD_REFUSALS: Record<string, Key> = {
  phase: "error.phase", "proposal.status": "error.proposalStatus", amount_eur: "error.overCommitted",
  "milestone.status": "error.milestoneDone", proposal: "error.proposalChoice",
};

export function errorBox(e: unknown): HTMLElement {
  return h("div", { class: "error", role: "alert" }, h("strong", {}, t("error.title") + " "), errorText(e));
}

export function setTitle(title: string): void {
  document.title = title + " · weefsel";
}
