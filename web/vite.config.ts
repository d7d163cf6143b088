// Vite build of the weefsel web UI into web/dist (served by `weefsel serve`).
// Heavy libraries (sigma/graphology, chart.js) are split into their own chunks and loaded only by
// the pages that need them, so the challenge board loads a small bundle.
import { defineConfig } from "vite";
import type { Plugin as PostcssPlugin, Declaration } from "postcss";

// NL Design System token packages declare thousands of custom properties for components weefsel
// does not use (the example theme alone 2,780). This keeps the ones the stylesheet can reach: every
// `--utrecht-*` token (the components read those), every property a normal declaration reads with
// var(), and everything those read in turn; the rest is dropped. Each stylesheet is pruned on its
// own, which is safe because across files (a theme chunk and the main stylesheet) only `--utrecht-*`
// tokens are read: the @utrecht/*-css components read only those and their own `--_utrecht-*`, and
// style.css only those and its own. The main stylesheet goes from 321 kB to 193 kB, Den Haag's
// theme from 129 kB to 37 kB.
function pruneUnusedTokens(): PostcssPlugin {
  const refs = (value: string) => [...value.matchAll(/var\(\s*(--[\w-]+)/g)].map((m) => m[1]);
  return {
    postcssPlugin: "weefsel-prune-unused-tokens",
    OnceExit(root) {
      const custom: Declaration[] = [];
      const reads = new Map<string, string[]>();
      const keep = new Set<string>();
      root.walkDecls((d) => {
        if (d.prop.startsWith("--")) {
          custom.push(d);
          reads.set(d.prop, [...(reads.get(d.prop) ?? []), ...refs(d.value)]);
          if (d.prop.startsWith("--utrecht-")) keep.add(d.prop);
        } else for (const r of refs(d.value)) keep.add(r);
      });
      const todo = [...keep];
      while (todo.length) for (const r of reads.get(todo.pop()!) ?? []) if (!keep.has(r)) { keep.add(r); todo.push(r); }
      for (const d of custom) if (!keep.has(d.prop)) d.remove();
      root.walkRules((rule) => { if (!rule.nodes?.length) rule.remove(); });
    },
  };
}

export default defineConfig({
  base: "/",
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2020",
    sourcemap: false,
    chunkSizeWarningLimit: 800,
  },
  css: { postcss: { plugins: [pruneUnusedTokens()] } },
  server: {
    proxy: { "/api": process.env.WEEFSEL_API ?? "http://127.0.0.1:8080" },
  },
});
