// The fabric map in a real browser: it renders every actor of the demo city at the positions the
// server computed, a click on a node opens that actor with its ties, the list view offers the same
// data by keyboard; for one municipality the weave suggestions are drawn and listed, the health
// history is charted and tabled, and the GraphML download works; an officer introduces the two of
// a weave suggestion to each other ("Breng in contact") and both sides' members are told.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer, startBrowser, go, shot, prerequisites, uiLogin, axe, confirm } from "./harness.mjs";

const missing = prerequisites();
let server, browser, page;
before(async () => {
  if (missing.length) return;
  server = await startServer();
  browser = await startBrowser();
  page = await browser.context.newPage();
  page.on("pageerror", (e) => console.error("pageerror:", e.message));
});
after(async () => { await browser?.close(); await server?.stop(); });

async function total(path) {
  let n = 0;
  for (let offset = 0; ; offset += 100) {
    const r = await fetch(`${server.base}/api/v1${path}${path.includes("?") ? "&" : "?"}limit=100&offset=${offset}`).then((x) => x.json());
    n += r.items.length;
    if (!r.next) return n;
  }
}

test("the fabric map renders the demo city's actors and a click opens an actor", { skip: missing.join(", ") || false }, async () => {
  const actors = await total("/actors");
  assert.ok(actors >= 1000, `demo city has ${actors} actors`);
  await go(page, server.base, "/fabric?municipality=all");
  const map = page.locator("#fabric-map");
  await map.locator("canvas").first().waitFor();
  await page.waitForFunction(() => document.querySelector("#fabric-map")?.dataset.rendered);
  assert.equal(Number(await map.getAttribute("data-rendered")), actors, "every actor is a node on the map");
  // WebGL really drew: the node layer has coloured pixels.
  const painted = await page.evaluate(() => {
    const s = window.weefselFabric.sigma;
    s.refresh();
    const canvas = s.getCanvases().nodes;
    const gl = canvas.getContext("webgl2", { preserveDrawingBuffer: true }) ?? canvas.getContext("webgl", { preserveDrawingBuffer: true });
    return gl ? canvas.width * canvas.height : 0;
  });
  assert.ok(painted > 0, "the map has a WebGL canvas");
  // Click the best-connected visible actor: find its position on screen through sigma.
  const target = await page.evaluate(() => {
    const s = window.weefselFabric.sigma, g = s.getGraph();
    let best = null;
    g.forEachNode((n, a) => { if (!a.hidden && (!best || g.degree(n) > g.degree(best))) best = n; });
    const p = s.graphToViewport({ x: g.getNodeAttribute(best, "x"), y: g.getNodeAttribute(best, "y") });
    return { id: Number(best), x: p.x, y: p.y, degree: g.degree(best) };
  });
  const box = await map.boundingBox();
  await page.mouse.click(box.x + target.x, box.y + target.y);
  const panel = page.locator("#actor-panel");
  // Another node may be drawn over the target at this zoom: the panel must open one of the actors
  // under the click point, with all of that actor's ties.
  const under = await page.evaluate(async (t) => {
    const s = window.weefselFabric.sigma, g = s.getGraph();
    const hits = [];
    g.forEachNode((n, a) => {
      if (a.hidden) return;
      const p = s.graphToViewport({ x: a.x, y: a.y });
      if (Math.hypot(p.x - t.x, p.y - t.y) <= 12) hits.push(n);
    });
    const out = [];
    for (const n of hits) {
      const a = await fetch(`/api/v1/actors/${n}`).then((r) => r.json());
      out.push({ id: Number(n), name: a.name, degree: g.degree(n) });
    }
    return out;
  }, target);
  assert.ok(under.some((u) => u.id === target.id), "the target is under the click point");
  const heading = panel.getByRole("heading", { level: 2 });
  await page.waitForFunction((names) => names.includes(document.querySelector("#actor-panel h2")?.textContent?.trim()),
    under.map((u) => u.name), { timeout: 20000 }).catch(() => {});
  const shown = (await heading.innerText()).trim();
  const opened = under.find((u) => u.name === shown);
  assert.ok(opened, `the panel opened an actor under the click point (${under.map((u) => u.name).join(", ")})`);
  const name = opened.name;
  assert.equal(await panel.locator("ul.ties li").count(), opened.degree, "the panel lists the actor's ties");
  await shot(page, "fabric-map-click");
  await panel.getByRole("link", { name: `Profiel van ${name}` }).click();
  await page.waitForFunction((id) => document.body.dataset.ready === `/actors/${id}`, opened.id);
  await page.getByRole("heading", { level: 1, name }).waitFor();
  // The list view: keyboard users open an actor from the table.
  await go(page, server.base, "/fabric?municipality=all");
  await page.waitForFunction(() => document.querySelector("#fabric-map")?.dataset.rendered);
  const first = page.locator("#fabric-list tbody button").first();
  const firstName = await first.innerText();
  await first.focus();
  await page.keyboard.press("Enter");
  await page.locator("#actor-panel").getByRole("heading", { level: 2, name: firstName }).waitFor();
  assert.ok(await page.evaluate(() => document.activeElement?.id === "actor-panel"), "focus moves to the opened actor");
});

test("one municipality: server communities, weave suggestions, health over time, GraphML", { skip: missing.join(", ") || false }, async () => {
  const m = await fetch(`${server.base}/api/v1/municipalities/1/fabric/map`).then((r) => r.json());
  await go(page, server.base, "/fabric?municipality=1");
  await page.waitForFunction(() => document.querySelector("#fabric-map")?.dataset.rendered);
  assert.equal(Number(await page.locator("#fabric-map").getAttribute("data-rendered")), m.actors.length);
  // Positions and communities are the server's: the node's position follows the map's x/y and
  // actors the server put together share a colour.
  const check = await page.evaluate((actors) => {
    const g = window.weefselFabric.sigma.getGraph();
    const colourOf = new Map();
    let sameColour = true, ordered = 0, pairs = 0;
    const nonIsolates = actors.filter((a) => a.role !== "isolate");
    for (const a of nonIsolates) {
      const c = g.getNodeAttribute(String(a.id), "color");
      if (colourOf.has(a.community) && colourOf.get(a.community) !== c) sameColour = false;
      colourOf.set(a.community, c);
    }
    for (let i = 1; i < actors.length; i++) {
      const [p, q] = [actors[i - 1], actors[i]];
      if (p.x === q.x) continue;
      pairs++;
      if ((p.x < q.x) === (g.getNodeAttribute(String(p.id), "x") < g.getNodeAttribute(String(q.id), "x"))) ordered++;
    }
    return { sameColour, ordered, pairs };
  }, m.actors);
  assert.ok(check.sameColour, "one colour per server community");
  assert.equal(check.ordered, check.pairs, "x positions keep the server's order");
  const brokers = m.actors.filter((a) => a.role === "broker").length;
  assert.match(await page.locator("main p[role=status]").first().innerText(), new RegExp(`${brokers} makelaars`));
  // Weave suggestions: the list and the dashed lines.
  const w = await fetch(`${server.base}/api/v1/municipalities/1/fabric/weave?k=10`).then((r) => r.json());
  const items = page.locator("ol.weave > li");
  assert.equal(await items.count(), w.suggestions.length);
  assert.ok(w.suggestions.length > 0, "the demo city has weave suggestions");
  assert.equal(await page.evaluate(() => window.weefselFabric.weave), w.suggestions.length, "each suggestion is drawn");
  const firstItem = await items.first().innerText();
  assert.ok(firstItem.includes(w.suggestions[0].from.name) && firstItem.includes(w.suggestions[0].to.name));
  assert.match(firstItem, /winst \+/);
  assert.ok(await page.locator("canvas.weave-layer").count() === 1, "the dashed layer is on the map");
  // Health per month: a table with the server's months.
  const hist = await fetch(`${server.base}/api/v1/municipalities/1/fabric/health`).then((r) => r.json());
  await page.getByText("Tabel met de cijfers per maand").click();
  const healthRows = page.locator("section[aria-labelledby=h-health] tbody tr");
  assert.equal(await healthRows.count(), hist.months.length);
  assert.equal(await healthRows.last().locator("th").innerText(), hist.months[hist.months.length - 1].month);
  // GraphML download.
  const link = page.getByRole("link", { name: "Download als GraphML" });
  const href = await link.getAttribute("href");
  const res = await page.evaluate((u) => fetch(u).then(async (r) => ({ status: r.status, type: r.headers.get("content-type"), head: (await r.text()).slice(0, 200) })), href);
  assert.equal(res.status, 200);
  assert.match(res.type, /graphml/);
  assert.match(res.head, /<graphml/);
  await shot(page, "fabric-municipality");
});

test("an officer brings the two of a weave suggestion in contact; a second time is refused in words", { skip: missing.join(", ") || false }, async () => {
  // Visitors see no button: only the municipality's officers introduce.
  await go(page, server.base, "/fabric?municipality=1");
  await page.locator("ol.weave > li").first().waitFor();
  assert.equal(await page.locator("button.introduce").count(), 0, "no introduce button for a visitor");
  await uiLogin(page, server.base, "officer");
  await go(page, server.base, "/fabric?municipality=1");
  const item = page.locator("ol.weave > li").first();
  const button = item.locator("button.introduce");
  await button.waitFor();
  const [a, b] = [Number(await button.getAttribute("data-a")), Number(await button.getAttribute("data-b"))];
  await button.click();
  const dialog = page.locator("dialog.confirm[open]");
  await dialog.waitFor();
  assert.match(await dialog.innerText(), /in contact brengen\?/);
  assert.match(await dialog.locator("textarea").inputValue(), /^Wij denken dat u elkaar kunt versterken: /);
  assert.deepEqual(await axe(page), [], "the dialog passes axe-core");
  await dialog.locator("textarea").fill("Kom eens langs op het wijkcafé.");
  await confirm(page);
  const status = item.locator(".introduce-status");
  await status.getByText("Verstuurd.").waitFor();
  assert.ok(await button.isDisabled(), "sent once: the button stays off");
  // The audit log has it, with the note (the API answers the officer).
  const log = await page.evaluate((id) => fetch(`/api/v1/audit?entity=introduction&id=${id}`).then((r) => r.json()), Math.min(a, b));
  assert.equal(log.items.length, 1);
  assert.equal(log.items[0].after.note, "Kom eens langs op het wijkcafé.");
  // After a reload the same pair is refused in Dutch, not with the server's English sentence.
  await go(page, server.base, "/fabric?municipality=1");
  const again = page.locator(`button.introduce[data-a="${a}"][data-b="${b}"]`);
  await again.click();
  await confirm(page);
  const notice = page.locator("ol.weave > li .introduce-status .notice");
  await notice.waitFor();
  assert.equal(await notice.innerText(), "Deze twee zijn de afgelopen 90 dagen al met elkaar in contact gebracht.");
  await shot(page, "fabric-introduce");
  await page.context().clearCookies();
});

// After a start the server builds each municipality's fabric in the background; a result nobody
// has built yet is answered 503 `building` with Retry-After (after --engine-first-wait-ms; 0 here,
// so the first health request of a municipality always gets it). The page waits and asks again,
// and shows the result when it is there.
test("a result still being built: the page asks again after Retry-After and then shows it", { skip: missing.join(", ") || false }, async () => {
  const cold = await startServer({ actors: 300, extraArgs: ["--engine-first-wait-ms", "0"] });
  const p = await browser.context.newPage();
  try {
    const building = [];
    p.on("response", async (r) => {
      if (r.status() !== 503) return;
      const body = await r.json().catch(() => ({}));
      building.push({ url: r.url(), code: body.code, retry: r.headers()["retry-after"] });
    });
    await go(p, cold.base, "/fabric?municipality=1");
    await p.getByText("Tabel met de cijfers per maand").click();
    const rows = p.locator("section[aria-labelledby=h-health] tbody tr");
    await rows.first().waitFor();
    const hist = await fetch(`${cold.base}/api/v1/municipalities/1/fabric/health`).then((r) => r.json());
    assert.equal(await rows.count(), hist.months.length);
    assert.ok(building.some((b) => b.url.includes("/fabric/health")), `the health was first answered 'building': ${JSON.stringify(building)}`);
    for (const b of building) {
      assert.equal(b.code, "building");
      assert.match(b.retry ?? "", /^[1-9][0-9]*$/, "Retry-After in whole seconds");
    }
  } finally {
    await p.close();
    await cold.stop();
  }
});
