// Plain Dutch (issue 18): in the Dutch UI no visible element shows a raw code the server sends
// (snake_case such as worked_together, in_round, budget_eur) or an English server sentence; a
// refusal is worded in Dutch from its stable code and parameters (docs/api.md, "Refusal codes"),
// or from its HTTP status when the code says no more (the English UI adds the server's detail
// then); a wrong password says so; numbers, percentages and plurals follow the locale.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer, startBrowser, apiAs, setLocale, visit, switchUser, uiLogin, go, prerequisites, seedWorld, pageList, PASSWORD } from "./harness.mjs";

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

const CODE = /\b[a-z]+_[a-z_]+\b/;
// Phrases of the server's English problem details and of the browser's own errors.
const ENGLISH = [/does not exist/i, /is not an id/i, /\bonly officers\b/i, /\bonly members\b/i, /\bmay not\b/i, /\balready\b/i, /Failed to fetch/,
  /\bcannot go from\b/i, /\bmust be\b/i, /\bnot allowed\b/i, /\bno route\b/i, /\bis for officers\b/i, /\bmoved to phase\b/i, /\bin de fase [a-z]+\b/];

// Every visible text and accessible name on the page (closed <details> and hidden parts excluded).
async function visibleTexts(page) {
  return page.evaluate(() => {
    const out = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      const text = n.textContent.trim();
      if (!text || !el || el.closest("script, style") || !el.checkVisibility({ visibilityProperty: true })) continue;
      out.push(text);
    }
    for (const el of document.querySelectorAll("[aria-label]")) if (el.checkVisibility()) out.push(el.getAttribute("aria-label"));
    return out;
  });
}

function offending(texts) {
  const bad = [];
  for (const x of texts) {
    const m = CODE.exec(x);
    if (m && !/@|https?:|\.(pb|graphml|json|csv)\b/.test(x)) bad.push(`code ${m[0]} in "${x.slice(0, 80)}"`);
    for (const re of ENGLISH) if (re.test(x)) bad.push(`English "${x.slice(0, 80)}"`);
  }
  return bad;
}

test("no page of the Dutch UI shows a raw code or an English server sentence", { skip: missing.join(", ") || false }, async () => {
  // A notification of a round's phase change (the server's title carries the phase code).
  const officer = await apiAs(server.base, "officer");
  await officer.post("/challenges/1/phase", { phase: "matching" }).catch(() => {});
  const failures = [];
  let who;
  await setLocale(page, server.base, "nl");  // kept in localStorage while users switch
  for (const [, path, as] of pageList(ids)) {
    if (path === "/fabric" || path === "/compare") continue;  // map labels are organisation names; the compare page is all numbers
    who = await switchUser(page, server.base, who, as);
    await visit(page, server.base, path);
    for (const b of offending(await visibleTexts(page))) failures.push(`${path} (${as ?? "visitor"}): ${b}`);
  }
  assert.deepEqual(failures, []);
});

test("refusals are Dutch in the Dutch UI and English in the English UI", { skip: missing.join(", ") || false }, async () => {
  await page.context().clearCookies();
  await setLocale(page, server.base, "nl");
  await go(page, server.base, "/challenges/99999");
  const nl = await page.locator("main .error").innerText();
  assert.match(nl, /Uitdaging 99999 bestaat niet/);  // the code not_found with what and id
  assert.doesNotMatch(nl, /does not exist|challenge 99999/);
  // A resident may not read the audit log: Dutch words, no English sentence.
  await uiLogin(page, server.base, "resident");
  await setLocale(page, server.base, "nl");
  await go(page, server.base, "/audit?entity=challenge&id=1");
  const refused = await page.locator("main .error").first().innerText();
  assert.match(refused, /Dit mag alleen een ambtenaar van deze gemeente/);  // not_officer_of_municipality
  assert.deepEqual(offending([refused]), []);
  await setLocale(page, server.base, "en");
  await go(page, server.base, "/challenges/99999");
  assert.match(await page.locator("main .error").innerText(), /Challenge 99999 does not exist \(any more\)/);
});

test("a refused phase move names both phases in Dutch", { skip: missing.join(", ") || false }, async () => {
  // The officer's page offers "matching"; meanwhile the challenge moved on twice: the server
  // refuses (phase_move_not_allowed {from: forming, to: matching, next: proposals}).
  const officer = await apiAs(server.base, "officer");
  const c = await officer.post("/challenges", { municipality: 1, title: "Stille straten", text: "Minder verkeer in de wijk." });
  await uiLogin(page, server.base, "officer");
  await setLocale(page, server.base, "nl");
  await go(page, server.base, `/challenges/${c.id}`);
  await officer.post(`/challenges/${c.id}/phase`, { phase: "matching" });
  await officer.post(`/challenges/${c.id}/phase`, { phase: "forming" });
  await page.locator(".phase-next").click();
  await page.locator("dialog.confirm .confirm-yes").click();
  const msg = await page.locator(".phase-status .error").innerText();
  assert.match(msg, /De uitdaging staat in de fase ‘Coalitie vormen’ en kan niet naar ‘Matchen’; de volgende fase is ‘Voorstellen’/);
  assert.deepEqual(offending([msg]), []);
  await setLocale(page, server.base, "en");
  await go(page, server.base, `/challenges/${c.id}`);
  await officer.post(`/challenges/${c.id}/phase`, { phase: "proposals" });
  await page.locator(".phase-next").click();
  await page.locator("dialog.confirm .confirm-yes").click();
  assert.match(await page.locator(".phase-status .error").innerText(),
    /The challenge is in the phase ‘Proposals’ already\./);
});

test("a wrong password says so", { skip: missing.join(", ") || false }, async () => {
  await page.context().clearCookies();
  await setLocale(page, server.base, "nl");
  await go(page, server.base, "/login");
  await page.getByLabel("E-mailadres").fill("resident@weefsel.test");
  await page.getByLabel(/^Wachtwoord$/).fill(PASSWORD + "-fout");
  await page.getByRole("button", { name: "Inloggen" }).click();
  const msg = await page.locator("main .error").innerText();
  assert.match(msg, /wachtwoord klopt niet/);
  assert.doesNotMatch(msg, /Log eerst in/);
});

test("plurals and percentages follow the Dutch rules", { skip: missing.join(", ") || false }, async () => {
  // One support: "1 steunbetuiging" (not "1 steunbetuigingen").
  await uiLogin(page, server.base, "resident");
  await setLocale(page, server.base, "nl");
  await go(page, server.base, `/proposals/${ids.proposal}`);
  assert.equal(await page.locator(".support-count").innerText(), "0 steunbetuigingen");
  const resident = await apiAs(server.base, "resident");
  await resident.post(`/proposals/${ids.proposal}/supports`);
  await go(page, server.base, `/proposals/${ids.proposal}`);
  assert.equal(await page.locator(".support-count").innerText(), "1 steunbetuiging");
  assert.match(await page.locator(".comment-section").innerText(), /\b2 reacties\b/);
  // The overview's progress: (10,4 − 12) / (9 − 12) = 53,3%, with a decimal comma.
  await visit(page, server.base, "/overview?municipality=1");
  const progress = await page.locator("table.indicators").innerText();
  assert.match(progress, /53,3\s?%/);
  assert.doesNotMatch(progress, /\d\.\d\s?%/);
  await setLocale(page, server.base, "en");
  await visit(page, server.base, "/overview?municipality=1");
  assert.match(await page.locator("table.indicators").innerText(), /53\.3%/);
});
