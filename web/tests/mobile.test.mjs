// Mobile first (issue 18): on a phone (390×844, and the narrowest common width, 320×640) no page
// scrolls sideways (wide tables scroll inside their own box), the menu is collapsed behind one
// button, and the header with the navigation takes a small part of the first screen.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer, startBrowser, setLocale, visit, switchUser, shot, prerequisites, seedWorld, pageList } from "./harness.mjs";

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

// The page's width against the viewport, and the widest elements that stick out (for the message).
async function overflow(page) {
  return page.evaluate(() => {
    const width = document.scrollingElement.scrollWidth, inner = window.innerWidth;
    const culprits = width <= inner ? [] : [...document.querySelectorAll("body *")]
      .filter((el) => el.getBoundingClientRect().right > inner + 0.5 && !el.closest(".table-scroll"))
      .slice(-5).map((el) => `${el.tagName.toLowerCase()}${el.className ? "." + String(el.className).split(" ").join(".") : ""} (${Math.round(el.getBoundingClientRect().right)} px)`);
    return { width, inner, culprits, lang: document.documentElement.lang };
  });
}

for (const [w, hgt] of [[390, 844], [320, 640]]) {
  for (const locale of ["nl", "en"]) {
    test(`no page scrolls sideways at ${w}×${hgt} (${locale})`, { skip: missing.join(", ") || false }, async () => {
      await page.setViewportSize({ width: w, height: hgt });
      const failures = [];
      let who;
      await setLocale(page, server.base, locale);  // kept in localStorage while users switch
      for (const [name, path, as] of pageList(ids)) {
        who = await switchUser(page, server.base, who, as);
        await visit(page, server.base, path);
        const o = await overflow(page);
        if (o.lang !== locale) failures.push(`${path}: html lang ${o.lang}, expected ${locale}`);
        if (o.width > o.inner) failures.push(`${path}: ${o.width} px wide in ${o.inner} px; ${o.culprits.join(", ")}`);
        if (w === 390 && locale === "nl") await shot(page, `mobile-${name}`);
      }
      assert.deepEqual(failures, []);
    });
  }
}

test("on a phone the menu is collapsed behind one button and the header is compact", { skip: missing.join(", ") || false }, async () => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.context().clearCookies();
  await setLocale(page, server.base, "nl");
  await visit(page, server.base, "/challenges");
  const menu = page.getByRole("button", { name: "Menu" });
  assert.equal(await menu.getAttribute("aria-expanded"), "false");
  assert.equal(await page.getByRole("link", { name: "Netwerkkaart" }).isVisible(), false, "menu links hidden while collapsed");
  // Header plus navigation take at most 15% of the first screen (was 40%).
  const top = await page.evaluate(() => document.querySelector("main").getBoundingClientRect().top);
  assert.ok(top <= 0.15 * 844, `main starts at ${top} px`);
  await menu.click();
  assert.equal(await menu.getAttribute("aria-expanded"), "true");
  await page.getByRole("link", { name: "Netwerkkaart" }).click();
  await page.waitForFunction(() => document.body.dataset.ready === "/fabric");
  // A new page starts with the menu collapsed again.
  assert.equal(await page.getByRole("button", { name: "Menu" }).getAttribute("aria-expanded"), "false");
  // On a desktop there is no menu button and every link shows.
  await page.setViewportSize({ width: 1280, height: 900 });
  assert.equal(await page.getByRole("button", { name: "Menu" }).isVisible(), false);
  assert.equal(await page.getByRole("link", { name: "Netwerkkaart" }).isVisible(), true);
});
