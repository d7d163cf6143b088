// The router's seam between the shell and the pages. A page renders into <main> from a Ctx and moves
// the reader on with navigate(); the shell (main.ts) holds the route table, imports the pages on
// demand, and registers here how a path is rendered. Pages import this module, never main.ts, so
// that no page and the shell import each other.
export interface Ctx { params: string[]; query: URLSearchParams; main: HTMLElement }
export type Page = (ctx: Ctx) => Promise<void> | void;

let renderer: () => Promise<void> = async () => {};

// The shell's render function: called on every navigation.
export function onNavigate(render: () => Promise<void>): void {
  renderer = render;
}

// Moves to `path` (a same-origin path with its query) and renders it.
export function navigate(path: string): void {
  history.pushState(null, "", path);
  void renderer();
}

// Renders the current path again (after a language switch, a retry).
export function rerender(): Promise<void> {
  return renderer();
}
