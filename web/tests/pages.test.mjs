// Every page in Dutch and in English: axe-core finds no serious or critical WCAG 2.1 A/AA
// violation, the page has one h1 and a <main>, every form control has a label, a screenshot is
// saved under the build dir; and the keyboard reaches the content and the language switch.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer, startBrowser, uiLogin, go, shot, axe, setLocale, prerequisites, seedWorld, pageList } from "./harness.mjs";

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
      const v = await axe(page);
      if (v.length) failures.push({ locale, path, violations: v });
      await shot(page, `${locale}-${name}`);
    }
    assert.deepEqual(failures, [], JSON.stringify(failures, null, 1));
  });
}

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
