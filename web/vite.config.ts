// Vite build of the weefsel web UI into web/dist (served by `weefsel serve`).
// Heavy libraries (sigma/graphology, chart.js) are split into their own chunks and loaded only by
// the pages that need them, so the challenge board loads a small bundle.
import { defineConfig } from "vite";

export default defineConfig({
  base: "/",
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2020",
    sourcemap: false,
    chunkSizeWarningLimit: 800,
  },
  server: {
    proxy: { "/api": process.env.WEEFSEL_API ?? "http://127.0.0.1:8080" },
  },
});
