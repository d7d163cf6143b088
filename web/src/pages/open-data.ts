// Open data: the Frictionless data package of every public entity (GET /open-data), each resource
// with its download link (CSV, JSON, rounds as .pb with anonymous ballots, the fabric as GraphML).
// No personal data is in it (the server's export decides; docs/privacy in the server's docs).
import { h } from "../dom";
import { api, hasRoute } from "../api";
import { t } from "../i18n";
import { Ctx } from "../router";
import { setTitle } from "../feedback";
import { empty } from "./common";

interface Resource { name?: string; path: string; format?: string; mediatype?: string; title?: string; url?: string; bytes?: number }

export async function openDataPage({ main }: Ctx): Promise<void> {
  setTitle(t("open.title"));
  main.append(h("h1", {}, t("open.title")), h("p", { class: "lead" }, t("open.lead")));
  if (!(await hasRoute("GET", "/api/v1/open-data"))) { main.append(h("p", { class: "notice" }, t("open.unavailable"))); return; }
  const pkg = await api.get<{ name?: string; title?: string; created?: string; resources?: Resource[] }>("/open-data");
  const resources = pkg.resources ?? [];
  main.append(h("p", {}, h("a", { href: "/api/v1/open-data", download: "datapackage.json" }, t("open.package"))));
  if (!resources.length) { main.append(empty(t("open.none"))); return; }
  main.append(h("table", { class: "table open-data" }, h("caption", { class: "visually-hidden" }, t("open.title")),
    h("thead", {}, h("tr", {}, [t("open.file"), t("open.format")].map((x) => h("th", { scope: "col" }, x)))),
    h("tbody", {}, resources.map((r) => {
      const url = r.url && r.url.startsWith("/") && !r.url.startsWith("//") ? r.url : null;
      return h("tr", { "data-path": r.path }, h("th", { scope: "row" }, url ? h("a", { href: url, download: r.path.split("/").pop() ?? r.path }, r.title || r.path) : r.title || r.path),
        h("td", {}, r.format ?? r.mediatype ?? ""));
    }))));
}
