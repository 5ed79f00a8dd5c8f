// Vite build of the web client. Root is client/; the app imports ABIs from deployments/contracts.ts and domain
// code from common/ (outside the root), so the dev server is allowed to read the whole repository.
// `npm run build:client` writes client/dist/, which the API server serves at `/`.
// `npx vite --config client/vite.config.ts` serves it in development; set API_URL (the server, which also
// proxies JSON-RPC at /rpc) to forward /api and /rpc there.
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";
import { fileURLToPath } from "node:url";

const clientRoot = fileURLToPath(new URL(".", import.meta.url));
const repoRoot = fileURLToPath(new URL("..", import.meta.url));
const apiUrl = process.env.API_URL ?? "http://127.0.0.1:3000";

export default defineConfig({
  root: clientRoot,
  base: "/",
  plugins: [react()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    sourcemap: true,
    // scripts/client-size.ts reads it to size the first route (entry, its static imports, the first page's chunk).
    manifest: true,
    chunkSizeWarningLimit: 1500,
  },
  server: {
    fs: { allow: [repoRoot] },
    proxy: {
      "/api": { target: apiUrl, changeOrigin: true },
      "/rpc": { target: apiUrl, changeOrigin: true },
    },
  },
});
