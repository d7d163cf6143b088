// Helpers shared by pages: the chosen municipality, cached look-ups, pagers, badges.
import { h } from "../dom";
import { api, Actor, ApiError, Municipality, Page, currentUser, municipalityList } from "../api";
import { t, phaseLabel } from "../i18n";
import { navigate } from "../router";
import { announce, errorBox } from "../feedback";

export function municipalities(): Promise<Municipality[]> {
  return municipalityList();
}
export function chosenMunicipality(): number | null {
  const v = Number(localStorage.getItem("weefsel.municipality"));
  return v > 0 ? v : null;
}
export function chooseMunicipality(id: number | null): void {
  if (id) localStorage.setItem("weefsel.municipality", String(id));
  else localStorage.removeItem("weefsel.municipality");
}
export async function muniName(id: number | null): Promise<string> {
  if (!id) return "";
  return (await municipalities()).find((m) => m.id === id)?.name ?? String(id);
}

const actorCache = new Map<number, Promise<Actor>>();
export function actor(id: number): Promise<Actor> {
  let p = actorCache.get(id);
  if (!p) { p = api.get<Actor>(`/actors/${id}`); actorCache.set(id, p); }
  return p;
}
export function forgetActor(id: number): void { actorCache.delete(id); }

export function phaseBadge(phase: string): HTMLElement {
  return h("span", { class: `badge phase-${phase}` }, phaseLabel(phase));
}

// Previous/next links for a paged list; `make` builds the URL for an offset.
export function pager(page: Page<unknown>, make: (offset: number) => string): HTMLElement {
  const prev = page.offset > 0 ? h("a", { href: make(Math.max(0, page.offset - page.limit)), rel: "prev" }, t("list.prev")) : null;
  const next = page.next ? h("a", { href: make(page.offset + page.limit), rel: "next" }, t("list.next")) : null;
  return h("nav", { class: "pager", "aria-label": t("list.pages") },
    prev, h("span", {}, t("list.showing", { from: page.items.length ? page.offset + 1 : 0, to: page.offset + page.items.length })), next);
}

// The municipalities where the signed-in person is an officer (every one for a platform admin).
export async function officerMunicipalities(): Promise<Municipality[]> {
  const me = currentUser();
  if (!me) return [];
  const all = await municipalities();
  if (me.grants.some((g) => g.role === "platform_admin")) return all;
  const mine = new Set(me.grants.filter((g) => g.role === "officer").map((g) => g.municipality));
  return all.filter((m) => mine.has(m.id));
}

export function empty(text: string): HTMLElement {
  return h("p", { class: "empty" }, text);
}

export function notAvailable(text: string): HTMLElement {
  return h("p", { class: "notice" }, text);
}

// An engine's answer (matches, fabric, round results) says `stale` when the server served its
// previous result while it computes the next one (docs/api.md, "Stamped"): the page says so, with
// a link that asks again. Nothing when the answer is fresh.
export function staleNotice(answer: { stale?: boolean } | null | undefined): HTMLElement | "" {
  if (!answer?.stale) return "";
  return h("p", { class: "notice stale", role: "status" }, t("engine.stale") + " ",
    h("a", { href: location.pathname + location.search }, t("engine.refresh")));
}

export function dl(rows: [string, string | Node][]): HTMLElement {
  return h("dl", { class: "facts" }, rows.map(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]));
}

// The phases of a challenge or round as a stepper: an ordered list where the current phase carries
// aria-current="step", earlier phases a ✔ and later ones a number (drawn by CSS) and a hidden word
// for screen readers, so the state is not told by colour alone. `closed` (a challenge taken off the path) shows the path with a note instead of a current step.
export function stepper(phases: readonly string[], current: string, label: string, labelOf: (p: string) => string): HTMLElement {
  const at = phases.indexOf(current);
  return h("ol", { class: "phases stepper", "aria-label": label, "data-phase": current },
    phases.map((p, i) => {
      const state = at < 0 ? "todo" : i < at ? "done" : i === at ? "current" : "todo";
      return h("li", { class: state, "aria-current": state === "current" ? "step" : null, "data-phase": p },
        labelOf(p),
        state === "current" ? h("span", { class: "visually-hidden" }, " " + t("phase.current"))
          : state === "done" ? h("span", { class: "visually-hidden" }, " " + t("phase.done")) : null);
    }));
}

// The officer's control to move a challenge or round one phase on: a button naming the next phase;
// when the server refuses (the phase moved meanwhile, or the role does not allow it) its reason is
// shown in an alert next to the button and the page stays as it is.
// A modal confirmation (<dialog>): `message` says what will happen, `yes` names the act. Resolves
// true only when that button is pressed (Escape and "Annuleren" cancel).
export function confirmDialog(message: string, yes: string): Promise<boolean> {
  return new Promise((resolve) => {
    const dialog = h("dialog", { class: "confirm", "aria-labelledby": "confirm-text" },
      h("form", { method: "dialog" }, h("p", { id: "confirm-text" }, message),
        h("div", { class: "inline" }, h("button", { type: "submit", value: "yes", class: "confirm-yes" }, yes),
          h("button", { type: "submit", value: "no", class: "secondary", autofocus: true }, t("confirm.cancel")))));
    dialog.addEventListener("close", () => { resolve(dialog.returnValue === "yes"); dialog.remove(); });
    document.body.append(dialog);
    dialog.showModal();
  });
}

export function phaseControl(next: string | undefined, nextLabel: string, post: () => Promise<unknown>, movedText: string,
  confirmText = t("phase.confirm", { phase: nextLabel })): HTMLElement | null {
  if (!next) return null;  // the last phase: nothing to move to
  const status = h("div", { class: "phase-status" });
  const button = h("button", { type: "button", class: "phase-next", "data-next": next, onclick: async () => {
    if (!(await confirmDialog(confirmText, t("phase.confirmYes", { phase: nextLabel })))) return;
    button.disabled = true;
    status.replaceChildren();
    try {
      await post();
      announce(movedText);
      navigate(location.pathname + location.search);
    } catch (e) {
      status.replaceChildren(errorBox(e));
      if (e instanceof ApiError && e.status === 409)
        status.append(h("p", {}, t("phase.refused"), " ", h("a", { href: location.pathname }, t("phase.reload"))));
      button.disabled = false;
    }
  } }, t("phase.moveTo", { phase: nextLabel }));
  return h("div", { class: "phase-control" }, button, status);
}
