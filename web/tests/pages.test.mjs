// Every page in Dutch and in English: axe-core finds no serious or critical WCAG 2.1 A/AA
// violation, the page has one h1 and a <main>, every form control has a label, a screenshot is
// saved under the build dir; and the keyboard reaches the content and the language switch.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { startServer, startBrowser, uiLogin, go, shot, axeRun, AXE_VERSION, SHOTS, setLocale, prerequisites, seedWorld, pageList } from "./harness.mjs";

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
// Every axe-core run, written after the tests as the results the accessibility statement attaches
// (weefsel serve --accessibility-results <build>/axe-results.json).
const runs = [];
after(() => {
  if (!runs.length) return;
  const at = new Date().toISOString().slice(0, 10);
  writeFileSync(join(SHOTS, "..", "axe-results.json"), JSON.stringify({ tool: "axe-core " + AXE_VERSION, at, rules: "wcag2a, wcag2aa, wcag21a, wcag21aa", runs }, null, 1));
});

for (const locale of ["nl", "en"]) {
  test(`every page passes axe-core in ${locale === "nl" ? "Dutch" : "English"}`, { skip: missing.join(", ") || false }, async () => {
    const failures = [];
    let who = undefined;
    for (const [name, path, as] of PAGES()) {
      if (as !== who) {
        if (as) await uiLogin(page, server.base, as); else await page.context().clearCookies();
        who = as;
      }
      await setLocale(page, server.base, locale);
      await go(page, server.base, path);
      if (path === "/fabric" || path === "/compare") await page.waitForFunction(() => !document.querySelector("[aria-busy=true]"));
      if (path === "/fabric") await page.locator("section[aria-labelledby=h-health] canvas, section[aria-labelledby=h-health] .notice, section[aria-labelledby=h-health] .error").first().waitFor();
      assert.equal(await page.evaluate(() => document.documentElement.lang), locale, `${path}: html lang`);
      assert.equal(await page.locator("main h1").count(), 1, `${path}: one h1`);
      const unlabeled = await page.evaluate(() => [...document.querySelectorAll("main input, main select, main textarea")]
        .filter((el) => !(el.labels && el.labels.length) && !el.getAttribute("aria-label")).map((el) => el.name || el.id));
      assert.deepEqual(unlabeled, [], `${path}: every control has a label`);
      const all = await axeRun(page);
      const size = page.viewportSize();
      runs.push({ page: path, locale, theme: "weefsel", viewport: size ? `${size.width}x${size.height}` : "",
        violations: all.map((x) => ({ id: x.id, impact: x.impact ?? "", help: x.help, nodes: x.count })) });
      const v = all.filter((x) => x.impact === "serious" || x.impact === "critical");
      if (v.length) failures.push({ locale, path, violations: v });
      await shot(page, `${locale}-${name}`);
    }
    assert.deepEqual(failures, [], JSON.stringify(failures, null, 1));
  });
}

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
