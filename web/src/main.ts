// weefsel web UI: the shell (skip link, header, navigation, language switch, live region) and a
// small client-side router. Each page is a function that renders into <main>; heavy pages (map,
// charts) are loaded on demand so the first load stays small.
import "./style.css";
import { h, clear } from "./dom";
import { t, getLocale, setLocale, Key } from "./i18n";
import { loadMe, currentUser, logout } from "./api";
import { useReaderTheme, themeSettled } from "./theme";
import { Page, navigate, onNavigate } from "./router";
import { announce, errorBox, setLiveRegion, setTitle } from "./feedback";

type Loader = () => Promise<Page>;

const routes: [RegExp, Key, Loader][] = [
  [/^\/$/, "nav.home", () => import("./pages/home").then((m) => m.home)],
  [/^\/challenges$/, "nav.challenges", () => import("./pages/challenges").then((m) => m.board)],
  [/^\/challenges\/new$/, "challenge.new", () => import("./pages/challenges").then((m) => m.newChallenge)],
  [/^\/challenges\/(\d+)$/, "nav.challenges", () => import("./pages/challenges").then((m) => m.challenge)],
  [/^\/actors$/, "nav.actors", () => import("./pages/actors").then((m) => m.directory)],
  [/^\/actors\/(\d+)$/, "nav.actors", () => import("./pages/actors").then((m) => m.profile)],
  [/^\/coalitions\/(\d+)$/, "coalition.title", () => import("./pages/coalition").then((m) => m.workspace)],
  [/^\/proposals\/(\d+)$/, "proposal.page", () => import("./pages/proposal").then((m) => m.proposalPage)],
  [/^\/audit$/, "audit.title", () => import("./pages/audit").then((m) => m.auditPage)],
  [/^\/moderation$/, "moderation.title", () => import("./pages/moderation").then((m) => m.moderationPage)],
  [/^\/rounds$/, "nav.rounds", () => import("./pages/rounds").then((m) => m.rounds)],
  [/^\/rounds\/(\d+)$/, "nav.rounds", () => import("./pages/rounds").then((m) => m.round)],
  [/^\/experiments$/, "nav.experiments", () => import("./pages/experiments").then((m) => m.experiments)],
  [/^\/experiments\/(\d+)$/, "nav.experiments", () => import("./pages/experiments").then((m) => m.experiment)],
  [/^\/fabric$/, "nav.fabric", () => import("./pages/fabric").then((m) => m.fabric)],
  [/^\/compare$/, "nav.compare", () => import("./pages/compare").then((m) => m.compare)],
  [/^\/right-to-challenge$/, "rtc.title", () => import("./pages/rtc").then((m) => m.rtcIndex)],
  [/^\/right-to-challenge\/new$/, "rtc.new", () => import("./pages/rtc").then((m) => m.rtcNew)],
  [/^\/right-to-challenge\/(\d+)$/, "rtc.title", () => import("./pages/rtc").then((m) => m.rtcPage)],
  [/^\/overview$/, "overview.title", () => import("./pages/overview").then((m) => m.overviewPage)],
  [/^\/open-data$/, "open.title", () => import("./pages/open-data").then((m) => m.openDataPage)],
  [/^\/notifications$/, "notify.title", () => import("./pages/self").then((m) => m.notificationsPage)],
  [/^\/login$/, "nav.login", () => import("./pages/account").then((m) => m.loginPage)],
  [/^\/register$/, "nav.register", () => import("./pages/account").then((m) => m.registerPage)],
  [/^\/account$/, "nav.account", () => import("./pages/account").then((m) => m.accountPage)],
  [/^\/admin$/, "nav.admin", () => import("./pages/account").then((m) => m.adminPage)],
];

const app = document.getElementById("app")!;
document.body.classList.add("utrecht-document", "utrecht-document--surface");
app.classList.add("utrecht-page-body");
let main: HTMLElement;
let nav: HTMLElement;
let accountList: HTMLElement;
let firstRender = true;

function link(path: string, key: Key): HTMLElement {
  const here = location.pathname === path || (path !== "/" && location.pathname.startsWith(path + "/"));
  return h("li", {}, h("a", { href: path, "aria-current": here ? "page" : null }, t(key)));
}

function shell(): void {
  clear(app);
  const user = currentUser();
  const other = getLocale() === "nl" ? "en" : "nl";
  const langButton = h("button", {
    type: "button", class: "lang", lang: other, "aria-label": t("lang.switchLabel"),
    onclick: () => { setLocale(other); void render(); announce(t("lang.switched")); },
  }, t("lang.switch"));
  const accountLinks = user
    ? [link("/account", "nav.account"), user.grants.some((g) => g.role === "platform_admin") ? link("/admin", "nav.admin") : null,
       user.grants.some((g) => ["platform_admin", "officer", "moderator"].includes(g.role)) ? link("/moderation", "nav.moderation") : null,
       h("li", {}, h("button", { type: "button", class: "linklike", onclick: async () => { await logout(); announce(t("account.loggedOut")); navigate("/"); } }, t("nav.logout")))]
    : [link("/login", "nav.login"), link("/register", "nav.register")];
  nav = h("nav", { "aria-label": t("nav.label"), id: "menu", class: "menu" },
    h("ul", {},
      link("/", "nav.home"), link("/challenges", "nav.challenges"), link("/actors", "nav.actors"), link("/rounds", "nav.rounds"),
      link("/experiments", "nav.experiments"), link("/right-to-challenge", "nav.rtc"), link("/overview", "nav.overview"), link("/fabric", "nav.fabric"), link("/compare", "nav.compare")),
    accountList = h("ul", { class: "account" }, accountLinks));
  main = h("main", { id: "main", tabindex: "-1" });
  // On a narrow screen the menu is collapsed behind this button (CSS shows it below 48rem).
  const menuButton = h("button", { type: "button", class: "menu-toggle secondary", "aria-expanded": "false", "aria-controls": "menu",
    onclick: () => {
      const open = menuButton.getAttribute("aria-expanded") !== "true";
      menuButton.setAttribute("aria-expanded", String(open));
      nav.classList.toggle("open", open);
    } }, h("span", { "aria-hidden": "true" }, "☰ "), t("nav.menu"));
  const live = h("div", { class: "visually-hidden", role: "status", "aria-live": "polite", id: "live" });
  setLiveRegion(live);
  app.append(
    h("a", { class: "skip utrecht-skip-link utrecht-skip-link--visible-on-focus", href: "#main" }, t("nav.skip")),
    h("header", { class: "top utrecht-page-header" },
      h("a", { href: "/", class: "brand" }, h("span", { "aria-hidden": "true", class: "logo" }, "▦"), " weefsel"),
      h("span", { class: "muni-brand", id: "muni-brand", hidden: true }),
      h("p", { class: "tagline" }, t("app.tagline")),
      user ? h("p", { class: "who" }, t("account.signedInAs", { name: user.display_name })) : null,
      langButton, menuButton),
    nav, main, live,
    h("footer", { class: "utrecht-page-footer" }, h("p", {}, t("app.footer"), " · ", h("a", { href: "/open-data" }, t("open.title")),
      " · ", h("a", { href: "/toegankelijkheid", "data-server-page": true }, t("app.accessibility")))),
  );
}

async function render(): Promise<void> {
  await loadMe();
  shell();
  // The reader's municipality's theme; a page that belongs to a municipality asks for its own.
  void useReaderTheme();
  // The notifications bell (signed in, when the server offers notifications), before the page.
  if (currentUser()) {
    const b = await import("./pages/self").then((m) => m.bell()).catch(() => null);
    if (b) accountList.prepend(b);
  }
  const path = location.pathname.replace(/\/+$/, "") || "/";
  const hit = routes.find(([re]) => re.test(path));
  const query = new URLSearchParams(location.search);
  if (!hit) {
    setTitle(t("error.notFound"));
    main.append(h("h1", {}, t("error.notFound")), h("p", {}, h("a", { href: "/" }, t("nav.home"))));
  } else {
    setTitle(t(hit[1]));
    const params = (path.match(hit[0]) ?? []).slice(1);
    // A slow answer shows "loading" (after a moment, so fast pages do not flicker), never a blank page.
    const loading = h("p", { class: "loading", role: "status" }, t("list.loading"));
    const slow = window.setTimeout(() => main.prepend(loading), 400);
    try {
      const page = await hit[2]();
      await page({ params, query, main });
    } catch (e) {
      // A page that could not be shown still has its one heading (the alert says what went wrong).
      if (!main.querySelector("h1")) main.append(h("h1", {}, t("error.title")));
      main.append(errorBox(e));
      // Offline or the server unreachable: one click tries again.
      if (e instanceof TypeError) main.append(h("p", {}, h("button", { type: "button", class: "retry", onclick: () => void render() }, t("error.retry"))));
    } finally {
      window.clearTimeout(slow);
      loading.remove();
    }
  }
  await themeSettled();
  document.body.dataset.ready = path;
  performance.mark("weefsel:ready:" + path);
  if (!firstRender) main.focus();
  firstRender = false;
}

// Wide tables scroll inside their own box, never the page: every table the pages render is
// wrapped in a focusable, labelled region (keyboard users can scroll it too).
function wrapTables(root: ParentNode): void {
  for (const table of root.querySelectorAll("table")) {
    if (table.parentElement?.classList.contains("table-scroll")) continue;
    const caption = table.querySelector("caption")?.textContent?.trim();
    const box = h("div", { class: "table-scroll", tabindex: "0", role: "region", "aria-label": caption || t("table.scroll") });
    table.replaceWith(box);
    box.append(table);
  }
}
new MutationObserver(() => wrapTables(app)).observe(app, { childList: true, subtree: true });

// Same-origin links are routed on the client.
document.addEventListener("click", (ev) => {
  const a = (ev.target as Element).closest?.("a");
  if (!a || ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
  const href = a.getAttribute("href");
  // Pages the server renders itself (data-server-page, e.g. the accessibility statement) load in full.
  if (!href || !href.startsWith("/") || href.startsWith("//") || a.target || href.startsWith("/api/") || a.hasAttribute("data-server-page")) return;
  ev.preventDefault();
  navigate(href);
});
addEventListener("popstate", () => void render());
onNavigate(render);
void render();
