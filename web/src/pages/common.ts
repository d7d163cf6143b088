// Helpers shared by pages: the chosen municipality, cached look-ups, pagers, badges.
import { h } from "../dom";
import { api, Actor, Municipality, Page } from "../api";
import { t, phaseLabel } from "../i18n";

let munis: Promise<Municipality[]> | null = null;
export function municipalities(): Promise<Municipality[]> {
  if (!munis) munis = api.get<Page<Municipality>>("/municipalities?limit=100&sort=name").then((p) => p.items);
  return munis;
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

export function empty(text: string): HTMLElement {
  return h("p", { class: "empty" }, text);
}

export function notAvailable(text: string): HTMLElement {
  return h("p", { class: "notice" }, text);
}

export function dl(rows: [string, string | Node][]): HTMLElement {
  return h("dl", { class: "facts" }, rows.map(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]));
}
