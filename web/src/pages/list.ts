// The one paged list of the UI: an optional filter form (role=search; applying it navigates, so a
// filtered list is a link), the page of items the API returns, and the previous/next pager. The
// directory of actors, the challenge board, the rounds and the experiments are each one call.
import { h, field } from "../dom";
import { api, Page, query } from "../api";
import { t } from "../i18n";
import { navigate } from "../router";
import { empty, pager } from "./common";

export interface Filter { name: string; label: string; control: HTMLInputElement | HTMLSelectElement }

export interface ListSpec<T> {
  path: string;                              // the page's path: "/actors" (filters and offsets go in its query)
  source: string;                            // the API collection: "/actors"
  values: Record<string, string>;            // the filters' current values (also sent to the API)
  fixed?: Record<string, string | number>;   // sent to the API only: sort, ...
  limit: number;
  offset: number;
  filters?: { label: string; fields: Filter[] };  // the filter form; none for a plain list
  afterFilters?: HTMLElement | null;         // e.g. the officer's "new" link, between form and list
  none: string;                              // shown when nothing matches
  heading?: (page: Page<T>) => HTMLElement | null;  // e.g. a count above the list
  render: (items: T[]) => HTMLElement | Promise<HTMLElement>;
}

// Appends the filter form, the list and its pager to `main`; returns the page shown.
export async function pagedList<T>(main: HTMLElement, spec: ListSpec<T>): Promise<Page<T>> {
  if (spec.filters) {
    const form = h("form", { class: "filters", role: "search", "aria-label": spec.filters.label, onsubmit: (e: Event) => {
      e.preventDefault();
      const fd = new FormData(form);
      navigate(spec.path + query(Object.fromEntries(spec.filters!.fields.map((f) => [f.name, String(fd.get(f.name) ?? "")]))));
    } },
      spec.filters.fields.map((f) => field(f.label, f.control)),
      h("button", { type: "submit" }, t("filter.apply")));
    main.append(form);
  }
  if (spec.afterFilters) main.append(spec.afterFilters);
  const page = await api.get<Page<T>>(spec.source + query({ ...spec.values, ...spec.fixed, limit: spec.limit, offset: spec.offset }));
  const heading = spec.heading?.(page);
  if (heading) main.append(heading);
  main.append(page.items.length ? await spec.render(page.items) : empty(spec.none),
    pager(page, (o) => spec.path + query({ ...spec.values, offset: o })));
  return page;
}

// The offset of a list from its page's query (?offset=40); 0 when absent or not a number.
export function offsetOf(q: URLSearchParams): number {
  return Math.max(0, Number(q.get("offset") ?? 0) || 0);
}
