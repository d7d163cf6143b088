// Every page in Dutch and in English: axe-core finds no serious or critical WCAG 2.1 A/AA
// violation, the page has one h1 and a <main>, every form control has a label, a screenshot is
// saved under the build dir; and the keyboard reaches the content and the language switch.
// NL Design System themes (web/src/theme.ts): every page in the default theme, a representative
// set of pages in each other shipped theme (previewed with ?theme=ID), each run recorded with its
// theme; and each municipality's pages in its own theme.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { startServer, startBrowser, uiLogin, go, shot, axeRun, axe, apiAs, AXE_VERSION, SHOTS, setLocale, prerequisites, seedWorld, pageList } from "./harness.mjs";

const missing = prerequisites();
let server, browser, page;
const ids = {};

before(async () => {
  if (missing.length) return;
  server = await startServer();
  browser = await startBrowser();
  page = await browser.context.newPage();
  page.on("pageerror", (e) => console.error("pageerror:", e.message));
  Object.assign(ids, await seedWorld(server.base));
});
after(async () => { await browser?.close(); await server?.stop(); });

const PAGES = () => pageList(ids);
// The themes web/src/theme.ts ships, the default first; THEME_PAGES are the pages every other
// theme is checked on (forms, a ballot, tables, a diff, an alert).
const THEMES = ["voorbeeld", "denhaag", "utrecht"];
const THEME_PAGES = ["home", "challenge-officer", "round-ballot", "round-results", "proposal", "missing"];
const themePages = () => [...PAGES(), ["missing", "/challenges/99999", null]].filter(([name]) => THEME_PAGES.includes(name));

// Stores the theme preview (`auto`: the municipality's theme, as readers get it).
async function previewTheme(theme) {
  await page.goto(server.base + "/?theme=" + theme);
  await go(page, server.base, "/");
}

// Visits each of `pages` (signing in as each needs) in `locale`; checks one h1, labels and axe-core,
// records the run with the theme on <html>, saves a screenshot named by `prefix`; returns failures.
async function checkPages(pages, locale, prefix, theme) {
  const failures = [];
  let who = undefined;
  // The locale lives in localStorage, which signing in and out leaves alone: set it once.
  await setLocale(page, server.base, locale);
  for (const [name, path, as] of pages) {
    if (as !== who) {
      if (as) await uiLogin(page, server.base, as); else await page.context().clearCookies();
      who = as;
    }
    await go(page, server.base, path);
    if (path === "/fabric" || path === "/compare") await page.waitForFunction(() => !document.querySelector("[aria-busy=true]"));
    if (path === "/fabric") await page.locator("section[aria-labelledby=h-health] canvas, section[aria-labelledby=h-health] .notice, section[aria-labelledby=h-health] .error").first().waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.lang), locale, `${path}: html lang`);
    const onPage = await page.evaluate(() => document.documentElement.dataset.theme);
    if (theme) assert.equal(onPage, theme, `${path}: theme`);
    assert.equal(await page.locator("main h1").count(), 1, `${path}: one h1`);
    const unlabeled = await page.evaluate(() => [...document.querySelectorAll("main input, main select, main textarea")]
      .filter((el) => !(el.labels && el.labels.length) && !el.getAttribute("aria-label")).map((el) => el.name || el.id));
    assert.deepEqual(unlabeled, [], `${path}: every control has a label`);
    const all = await axeRun(page);
    const size = page.viewportSize();
    runs.push({ page: path, locale, theme: onPage ?? "", viewport: size ? `${size.width}x${size.height}` : "",
      violations: all.map((x) => ({ id: x.id, impact: x.impact ?? "", help: x.help, nodes: x.count })) });
    const v = all.filter((x) => x.impact === "serious" || x.impact === "critical");
    if (v.length) failures.push({ locale, theme: onPage, path, violations: v });
    await shot(page, `${prefix}-${name}`);
  }
  return failures;
}
// Every axe-core run, written after the tests as the results the accessibility statement attaches
// (weefsel serve --accessibility-results <build>/axe-results.json).
const runs = [];
after(() => {
  if (!runs.length) return;
  const at = new Date().toISOString().slice(0, 10);
  writeFileSync(join(SHOTS, "..", "axe-results.json"), JSON.stringify({ tool: "axe-core " + AXE_VERSION, at, rules: "wcag2a, wcag2aa, wcag21a, wcag21aa", runs }, null, 1));
});

for (const locale of ["nl", "en"]) {
  test(`every page passes axe-core in ${locale === "nl" ? "Dutch" : "English"} (default theme)`, { skip: missing.join(", ") || false }, async () => {
    await previewTheme("auto");
    // The demo pages belong to municipality 1 (Amsterdam), which has the default theme.
    const failures = await checkPages(PAGES(), locale, locale, THEMES[0]);
    assert.deepEqual(failures, [], JSON.stringify(failures, null, 1));
  });
}

for (const theme of THEMES.slice(1)) {
  test(`representative pages pass axe-core in Dutch in the ${theme} theme`, { skip: missing.join(", ") || false }, async () => {
    await page.context().clearCookies();
    await previewTheme(theme);
    try {
      const failures = await checkPages(themePages(), "nl", `theme-${theme}`, theme);
      assert.deepEqual(failures, [], JSON.stringify(failures, null, 1));
    } finally {
      await previewTheme("auto");
    }
  });
}

test("each municipality's pages are in its own theme, the others in the default", { skip: missing.join(", ") || false }, async () => {
  await page.context().clearCookies();
  await previewTheme("auto");
  await setLocale(page, server.base, "nl");
  const munis = (await (await fetch(server.base + "/api/v1/municipalities?limit=100")).json()).items;
  const expected = { GM0363: "voorbeeld", GM0344: "utrecht", GM0518: "denhaag" };  // Den Haag last: chosen on the home page at the end
  const themeOn = () => page.evaluate(() => document.documentElement.dataset.theme);
  // The theme's primary colour, as the header's bottom border shows it.
  const looks = () => page.evaluate(() => getComputedStyle(document.querySelector("header.top")).borderBottomColor);
  const seen = new Map();
  for (const [cbs, theme] of Object.entries(expected)) {
    const m = munis.find((x) => x.cbs_code === cbs);
    assert.ok(m, `the demo has ${cbs}`);
    const ch = (await (await fetch(server.base + `/api/v1/challenges?municipality=${m.id}&limit=1`)).json()).items[0];
    assert.ok(ch, `${m.name} has a challenge`);
    // A challenge's page, an actor of the municipality, its rounds list and its overview.
    await go(page, server.base, `/challenges/${ch.id}`);
    assert.equal(await themeOn(), theme, `${m.name}: challenge ${ch.id}`);
    seen.set(theme, await looks());
    const actor = (await (await fetch(server.base + `/api/v1/actors?municipality=${m.id}&limit=1`)).json()).items[0];
    await go(page, server.base, `/actors/${actor.id}`);
    assert.equal(await themeOn(), theme, `${m.name}: actor ${actor.id}`);
    await go(page, server.base, `/challenges?municipality=${m.id}`);
    assert.equal(await themeOn(), theme, `${m.name}: the board filtered on it`);
    // The home page follows the municipality the reader chooses there.
    await go(page, server.base, "/");
    await page.locator("#home-muni").selectOption(String(m.id));
    await page.waitForFunction((t) => document.documentElement.dataset.theme === t, theme);
    await shot(page, `theme-municipality-${theme}`);
  }
  // A page of no municipality, after the reader chose Den Haag, is in Den Haag's theme; the themes
  // really differ on the page (the primary button's colour).
  await go(page, server.base, "/rounds?municipality=");
  assert.equal(await themeOn(), "denhaag");
  assert.equal(new Set(seen.values()).size, 3, `three themes, three primary colours: ${JSON.stringify([...seen])}`);
  await page.evaluate(() => localStorage.removeItem("weefsel.municipality"));
});

test("an officer sets the municipality's theme, name and logo; its pages show them", { skip: missing.join(", ") || false }, async () => {
  await previewTheme("auto");
  await setLocale(page, server.base, "nl");
  const officer = await apiAs(server.base, "officer");
  const muni = officer.user.grants.find((g) => g.role === "officer").municipality;
  const ch = (await (await fetch(server.base + `/api/v1/challenges?municipality=${muni}&limit=1`)).json()).items[0];
  await uiLogin(page, server.base, "officer");
  await go(page, server.base, "/account");
  const form = page.locator("form.look");
  await form.waitFor();
  await form.getByLabel("Gemeente").selectOption(String(muni));
  await form.getByLabel("Thema").selectOption("denhaag");
  await form.getByLabel("Naam in de kop").fill("Gemeente Proefstad");
  const png = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "base64");
  await form.getByLabel("Logo", { exact: true }).setInputFiles({ name: "logo.png", mimeType: "image/png", buffer: png });
  await form.getByRole("button", { name: "Uiterlijk opslaan" }).click();
  await form.getByText("Het uiterlijk is opgeslagen.").waitFor();
  assert.deepEqual(await axe(page), [], "the account page with the look form passes axe-core");
  // An SVG is refused in Dutch and changes nothing.
  await form.getByLabel("Logo", { exact: true }).setInputFiles({ name: "x.svg", mimeType: "image/svg+xml", buffer: Buffer.from("<svg xmlns='http://www.w3.org/2000/svg'/>") });
  await form.getByRole("button", { name: "Uiterlijk opslaan" }).click();
  await form.locator(".error").waitFor();
  assert.match(await form.locator(".error").innerText(), /moet een PNG-, JPEG- of WebP-afbeelding zijn/);
  // The municipality's pages: its theme, its name and logo in the header; visitors see them too.
  await page.context().clearCookies();
  await go(page, server.base, `/challenges/${ch.id}`);
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), "denhaag");
  const brand = page.locator("#muni-brand");
  assert.equal((await brand.innerText()).trim(), "Gemeente Proefstad");
  await page.waitForFunction(() => document.querySelector("#muni-brand img")?.naturalWidth === 1);
  await shot(page, "appearance-header");
  // Back to how it was, for the other tests.
  await officer.put(`/municipalities/${muni}/appearance`, { theme: "", display_name: "" });
  await officer.put(`/municipalities/${muni}/logo`, { image: "" });
});

test("the accessibility statement is a page of its own that passes axe-core", { skip: missing.join(", ") || false }, async () => {
  await page.goto(server.base + "/toegankelijkheid");
  assert.equal(await page.locator("main h1").innerText(), "Toegankelijkheidsverklaring");
  assert.equal(await page.evaluate(() => document.documentElement.lang), "nl");
  const all = await axeRun(page);
  assert.deepEqual(all.map((x) => x.id), [], JSON.stringify(all, null, 1));
  // The web app's footer links to it, in both languages.
  await setLocale(page, server.base, "nl");
  await go(page, server.base, "/challenges");
  await page.locator("footer a[href='/toegankelijkheid']").click();
  await page.locator("main h1", { hasText: "Toegankelijkheidsverklaring" }).waitFor();
});

test("the keyboard reaches the main content and the language switch", { skip: missing.join(", ") || false }, async () => {
  await page.context().clearCookies();
  await setLocale(page, server.base, "nl");
  await go(page, server.base, "/challenges");
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), "Naar de inhoud");
  await page.keyboard.press("Enter");
  assert.ok(await page.evaluate(() => location.hash === "#main"));
  await page.getByRole("button", { name: "Switch to English" }).click();
  await page.getByRole("heading", { level: 1, name: "Challenges" }).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.lang), "en");
  // Euros and dates follow the locale.
  assert.match(await page.locator(".cards").first().innerText(), /€981,000/);
  await page.getByRole("button", { name: "Wissel naar Nederlands" }).click();
  await page.getByRole("heading", { level: 1, name: "Opgaven" }).waitFor();
  assert.match(await page.locator(".cards").first().innerText(), /€\s981\.000/);
});
