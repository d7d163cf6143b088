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
  append(el, children);
  return el;
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
