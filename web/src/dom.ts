// Tiny DOM helpers. Text always goes in through textContent (never innerHTML), so data from the
// API can never inject markup.
type Attrs = Record<string, string | number | boolean | null | undefined | EventListener>;
export type Child = Node | string | number | null | undefined | false | Child[];

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith("on") && typeof v === "function") el.addEventListener(k.slice(2), v as EventListener);
    else if (k === "class") el.className = String(v);
    else if (v === true) el.setAttribute(k, "");
    else el.setAttribute(k, String(v));
  }
  utrecht(el);
  append(el, children);
  return el;
}

// NL Design System: every element h() makes gets the class of its Utrecht component (the look
// comes from @utrecht/*-css and the theme's design tokens), next to the classes pages give it.
const UTRECHT: Partial<Record<string, string>> = {
  h1: "utrecht-heading-1", h2: "utrecht-heading-2", h3: "utrecht-heading-3", h4: "utrecht-heading-4",
  a: "utrecht-link utrecht-link--html-a", label: "utrecht-form-label",
  textarea: "utrecht-textarea utrecht-textarea--html-textarea", select: "utrecht-select utrecht-select--html-select",
  table: "utrecht-table utrecht-table--html-table", caption: "utrecht-table__caption", thead: "utrecht-table__header",
  tbody: "utrecht-table__body", tr: "utrecht-table__row", th: "utrecht-table__header-cell", td: "utrecht-table__cell",
};
const TEXT_INPUTS = new Set(["text", "email", "password", "number", "search", "url", "tel", "date"]);

function utrecht(el: HTMLElement): void {
  const tag = el.tagName.toLowerCase();
  const cls = el.classList;
  let add = UTRECHT[tag];
  if (tag === "button") {
    if (cls.contains("linklike")) add = "utrecht-link-button utrecht-link-button--html-button";
    else add = "utrecht-button " + (cls.contains("secondary") || cls.contains("lang") ? "utrecht-button--secondary-action" : "utrecht-button--primary-action");
  } else if (tag === "input") {
    const type = (el.getAttribute("type") ?? "text").toLowerCase();
    if (type === "checkbox") add = "utrecht-checkbox utrecht-checkbox--html-input";
    else if (type === "radio") add = "utrecht-radio-button utrecht-radio-button--html-input";
    else if (TEXT_INPUTS.has(type)) add = "utrecht-textbox utrecht-textbox--html-input";
  } else if (tag === "a" && cls.contains("button")) {
    add = "utrecht-button " + (cls.contains("secondary") ? "utrecht-button--secondary-action" : "utrecht-button--primary-action");
  } else if ((tag === "div" || tag === "p") && (cls.contains("error") || cls.contains("notice"))) {
    add = "utrecht-alert " + (cls.contains("error") ? "utrecht-alert--error" : "utrecht-alert--warning");
  }
  if (add) cls.add(...add.split(" "));
}

export function append(el: Node, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.appendChild(typeof c === "object" ? c : document.createTextNode(String(c)));
  }
}

export function clear(el: Element): void {
  while (el.firstChild) el.removeChild(el.firstChild);
}

let uid = 0;
export function newId(prefix: string): string {
  return `${prefix}-${++uid}`;
}

// A labelled form field: <div class="field"><label for=id>..</label> control [hint]</div>.
export function field(label: string, control: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement, hint?: string): HTMLElement {
  if (!control.id) control.id = newId("f");
  const wrap = h("div", { class: "field" }, h("label", { for: control.id }, label), control);
  if (hint) {
    const hid = newId("hint");
    control.setAttribute("aria-describedby", hid);
    wrap.appendChild(h("p", { class: "hint", id: hid }, hint));
  }
  return wrap;
}

export function select(name: string, options: [string, string][], value = ""): HTMLSelectElement {
  const s = h("select", { name });
  for (const [v, label] of options) {
    const o = h("option", { value: v }, label);
    if (v === value) o.selected = true;
    s.appendChild(o);
  }
  return s;
}
