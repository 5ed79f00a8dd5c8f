// The first route's JavaScript, gzipped: what a browser must fetch before the default page (#/receivables) can
// show. Run after `vite build` (npm run build:client does): reads client/dist/index.html for the entry script,
// then Vite's manifest for the entry's static imports and the first route's lazily loaded chunk with its own
// static imports, and sums their gzipped sizes. Other routes' chunks load only when visited and do not count.
//
//   node scripts/client-size.ts           print the sizes
//   node scripts/client-size.ts --check   also exit 1 when the first route is over FIRST_ROUTE_BUDGET_BYTES
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

/** 200 kB (issue 10, client item 5): the target. */
export const FIRST_ROUTE_BUDGET_BYTES = 200 * 1000;
/**
 * What the first route may not grow beyond: the target itself since 2026-12-03, when the chain client stopped
 * building viem's full public and wallet clients (every action, SIWE verification and secp256k1) and took only the
 * actions it uses from viem/actions: 220.2 kB → 173.2 kB.
 */
export const FIRST_ROUTE_CEILING_BYTES = FIRST_ROUTE_BUDGET_BYTES;
/** The module the first route (the receivables list, at `/`) is lazily loaded from (client/src/routes.tsx). */
const FIRST_ROUTE_SOURCE = "src/pages/receivables-page.tsx";

const DIST = fileURLToPath(new URL("../client/dist/", import.meta.url));

interface ManifestChunk {
  file: string;
  src?: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
}

export function firstRouteSize(dist = DIST): { files: { file: string; bytes: number; gzipBytes: number }[]; gzipBytes: number; entry: string } {
  const html = readFileSync(join(dist, "index.html"), "utf8");
  const entryFile = /<script[^>]*type="module"[^>]*src="\/([^"]+\.js)"/.exec(html)?.[1];
  if (!entryFile) throw new Error("client/dist/index.html has no module script: run `npm run build:client` first");
  const manifest = JSON.parse(readFileSync(join(dist, ".vite", "manifest.json"), "utf8")) as Record<string, ManifestChunk>;
  const entryKey = Object.keys(manifest).find((k) => manifest[k]!.file === entryFile);
  if (!entryKey) throw new Error(`the manifest does not list the entry ${entryFile}`);
  const routeKey = Object.keys(manifest).find((k) => k === FIRST_ROUTE_SOURCE || manifest[k]!.src === FIRST_ROUTE_SOURCE);

  // The entry and the first route, each with everything they import statically (dynamic imports load later).
  const keys = new Set<string>();
  const visit = (key: string) => {
    if (keys.has(key) || !manifest[key]) return;
    keys.add(key);
    for (const k of manifest[key]!.imports ?? []) visit(k);
  };
  visit(entryKey);
  if (routeKey) visit(routeKey);
  const files = [...keys].map((k) => {
    const bytes = readFileSync(join(dist, manifest[k]!.file));
    return { file: manifest[k]!.file, bytes: bytes.length, gzipBytes: gzipSync(bytes).length };
  });
  return { files, gzipBytes: files.reduce((t, f) => t + f.gzipBytes, 0), entry: entryFile };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { files, gzipBytes } = firstRouteSize();
  const kB = (n: number) => `${(n / 1000).toFixed(1)} kB`;
  for (const f of files.sort((a, b) => b.gzipBytes - a.gzipBytes))
    console.log(`  ${f.file.padEnd(44)} ${kB(f.bytes).padStart(10)}  gzip ${kB(f.gzipBytes).padStart(9)}`);
  const over = gzipBytes > FIRST_ROUTE_BUDGET_BYTES;
  console.log(
    `first route JavaScript: ${kB(gzipBytes)} gzipped in ${files.length} file${files.length === 1 ? "" : "s"} (budget ${kB(FIRST_ROUTE_BUDGET_BYTES)})${over ? " — OVER BUDGET" : ""}`,
  );
  if (over && process.argv.includes("--check")) process.exit(1);
}
