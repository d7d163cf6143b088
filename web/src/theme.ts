// NL Design System themes: each municipality's pages in its own design tokens. A theme is a class
// on <html> (`voorbeeld-theme`, `denhaag-theme`, `utrecht-theme`) that sets the `--utrecht-*`
// custom properties the Utrecht component CSS (and style.css) read. The example theme is the
// default and is part of the main stylesheet; the others are loaded when a page first needs them.
//
// Which theme a page gets: a preview chosen with `?theme=ID` (stored; `?theme=auto` forgets it),
// else the theme of the municipality the page belongs to (a challenge's, a round's, an actor's...,
// which the page reports with `useMunicipalityTheme`), else that of the municipality the reader
// chose, else the default. A municipality's theme is the one its officers set
// (GET /municipalities/{id}/appearance, with its logo and name shown in the header); one that set
// none gets the theme of its CBS code in THEME_BY_CBS below.
import "@nl-design-system-unstable/voorbeeld-design-tokens/dist/theme.css";
import { api, municipalityList, Appearance } from "./api";

export type ThemeId = "voorbeeld" | "denhaag" | "utrecht";

export interface Theme {
  id: ThemeId;
  name: string;         // shown to admins and in docs
  className: string;    // the class the token package scopes its custom properties to
  pkg: string;          // the npm package the tokens come from
  load: () => Promise<unknown>;
}

export const THEMES: Record<ThemeId, Theme> = {
  voorbeeld: { id: "voorbeeld", name: "NL Design System voorbeeldthema", className: "voorbeeld-theme",
    pkg: "@nl-design-system-unstable/voorbeeld-design-tokens", load: () => Promise.resolve() },
  denhaag: { id: "denhaag", name: "Gemeente Den Haag", className: "denhaag-theme",
    pkg: "@gemeente-denhaag/design-tokens-components", load: () => import("./themes/denhaag.css") },
  utrecht: { id: "utrecht", name: "Gemeente Utrecht", className: "utrecht-theme",
    pkg: "@utrecht/design-tokens", load: () => import("./themes/utrecht.css") },
};
export const DEFAULT_THEME: ThemeId = "voorbeeld";

// A municipality's theme by its CBS code; every other municipality gets the default. Utrecht's
// tokens may only be used by (or for) the Municipality of Utrecht (docs/ui.md, licences).
export const THEME_BY_CBS: Readonly<Record<string, ThemeId>> = {
  GM0518: "denhaag",  // 's-Gravenhage
  GM0344: "utrecht",  // Utrecht
};

export function themeForCbs(cbs: string | null | undefined): ThemeId {
  return (cbs && THEME_BY_CBS[cbs.toUpperCase()]) || DEFAULT_THEME;
}

const isTheme = (v: string | null): v is ThemeId => v !== null && Object.prototype.hasOwnProperty.call(THEMES, v);

// The preview (`?theme=`), kept for the session's later pages like the language.
const PREVIEW_KEY = "weefsel.theme";
const fromUrl = new URLSearchParams(location.search).get("theme");
if (fromUrl === "auto") localStorage.removeItem(PREVIEW_KEY);
else if (isTheme(fromUrl)) localStorage.setItem(PREVIEW_KEY, fromUrl);
export function previewTheme(): ThemeId | null {
  const v = localStorage.getItem(PREVIEW_KEY);
  return isTheme(v) ? v : null;
}

let current: ThemeId | null = null;
let pending: Promise<void> = Promise.resolve();

async function put(id: ThemeId): Promise<void> {
  const want = previewTheme() ?? id;
  if (want === current) return;
  await THEMES[want].load().catch(() => undefined);  // a chunk that fails to load leaves the look as it was
  const root = document.documentElement;
  for (const th of Object.values(THEMES)) root.classList.toggle(th.className, th.id === want);
  root.dataset.theme = want;
  current = want;
}

// Requests are applied one after another, so the last one wins; the theme goes on <html> only once
// its stylesheet has loaded (no page in half a theme).
function enqueue(step: () => Promise<void>): Promise<void> {
  pending = pending.then(step, step);
  return pending;
}

export function applyTheme(id: ThemeId): Promise<void> {
  return enqueue(() => put(id));
}

// The theme of municipality `id` (null: the default), looked up by its CBS code. `id` may be a
// promise (a page that finds its municipality through another record), still applied in turn.
export function useMunicipalityTheme(which: number | null | undefined | Promise<number | null | undefined>): Promise<void> {
  return enqueue(async () => {
    const id = await Promise.resolve(which).catch(() => null);
    if (!id) { showBrand(null); return put(DEFAULT_THEME); }
    const look = await appearanceOf(id);
    showBrand(look);
    if (look && isTheme(look.theme)) return put(look.theme);
    const ms = await municipalityList().catch(() => []);
    return put(themeForCbs(ms.find((m) => m.id === id)?.cbs_code));
  });
}

// What the municipality's officers set (GET /municipalities/{id}/appearance): a theme, the name its
// pages show and a logo; a municipality that set no theme gets the one of THEME_BY_CBS.
export type { Appearance };
const looks = new Map<number, Promise<Appearance | null>>();
export function appearanceOf(id: number): Promise<Appearance | null> {
  let p = looks.get(id);
  if (!p) { p = api.get<Appearance>(`/municipalities/${id}/appearance`).catch(() => null); looks.set(id, p); }
  return p;
}
export function forgetAppearance(id: number): void { looks.delete(id); }

// The municipality's logo and name beside weefsel's in the page header (#muni-brand).
function showBrand(look: Appearance | null): void {
  const slot = document.getElementById("muni-brand");
  if (!slot) return;
  slot.replaceChildren();
  if (!look || (!look.logo && !look.display_name)) { slot.hidden = true; return; }
  if (look.logo) {
    const img = document.createElement("img");
    img.src = look.logo;
    img.alt = look.display_name ? "" : "logo";  // the name beside it says whose it is
    img.className = "muni-logo";
    slot.append(img);
  }
  if (look.display_name) slot.append(document.createTextNode(look.display_name));
  slot.hidden = false;
}

// The theme of a page that belongs to no municipality: that of the municipality the reader chose
// (home page; the same key as pages/common.ts chosenMunicipality), else the default.
export function useReaderTheme(): Promise<void> {
  const chosen = Number(localStorage.getItem("weefsel.municipality"));
  return useMunicipalityTheme(chosen > 0 ? chosen : null);
}

// Resolves when every theme requested so far is on the page (the router marks a page ready after it).
export function themeSettled(): Promise<void> {
  return pending;
}
