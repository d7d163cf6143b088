// The fabric map in a real browser: it renders every actor of the demo city, a click on a node
// opens that actor with its ties, and the list view offers the same data by keyboard.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer, startBrowser, go, shot, prerequisites } from "./harness.mjs";

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
  const name = await page.evaluate((id) => fetch(`/api/v1/actors/${id}`).then((r) => r.json()).then((a) => a.name), target.id);
  await panel.getByRole("heading", { level: 2, name }).waitFor();
  assert.equal(await panel.locator("ul.ties li").count(), target.degree, "the panel lists the actor's ties");
  await shot(page, "fabric-map-click");
  await panel.getByRole("link", { name: `Profiel van ${name}` }).click();
  await page.waitForFunction((id) => document.body.dataset.ready === `/actors/${id}`, target.id);
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
