// Browser-test plumbing: Debian's Chromium driven by playwright-core (never a downloaded browser), and the
// client build, rebuilt only when client/dist is missing or older than its sources.
import { chromium, type BrowserContext } from "playwright-core";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const ROOT = join(import.meta.dirname, "..", "..", "..");
export const CLIENT_DIST = join(ROOT, "client", "dist");
const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

const CLIENT_SOURCES = ["client/src", "client/index.html", "client/vite.config.ts", "common", "deployments/contracts.ts", "scripts/demo.ts"];

function collectFiles(path: string, out: string[]): string[] {
  if (!existsSync(path)) return out;
  if (!statSync(path).isDirectory()) out.push(path);
  else for (const name of readdirSync(path).sort()) collectFiles(join(path, name), out);
  return out;
}

/** A hash of the client's sources by content (deploys rewrite deployments/contracts.ts with the same text). */
function sourcesHash(): string {
  const h = createHash("sha256");
  for (const file of CLIENT_SOURCES.flatMap((p) => collectFiles(join(ROOT, p), []))) {
    h.update(file.slice(ROOT.length)).update("\0").update(readFileSync(file)).update("\0");
  }
  return h.digest("hex");
}

const BUILD_STAMP = join(CLIENT_DIST, ".sources-sha256");

/** Builds client/dist with Vite when it is missing or was built from other sources. Returns whether it built. */
export function buildClientIfStale(): boolean {
  const hash = sourcesHash();
  if (existsSync(join(CLIENT_DIST, "index.html")) && existsSync(BUILD_STAMP) && readFileSync(BUILD_STAMP, "utf8") === hash) return false;
  const res = spawnSync(
    process.execPath,
    [join(ROOT, "node_modules", "vite", "bin", "vite.js"), "build", "--config", "client/vite.config.ts", "--logLevel", "warn"],
    {
      cwd: ROOT,
      encoding: "utf8",
    },
  );
  if (res.status !== 0) throw new Error(`client build failed:\n${res.stdout}\n${res.stderr}`);
  writeFileSync(BUILD_STAMP, hash);
  return true;
}

export interface LaunchedBrowser {
  context: BrowserContext;
  close(): Promise<void>;
}

export async function launchChromium(): Promise<LaunchedBrowser> {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`Chromium not found at ${CHROMIUM_PATH}: apt-get install -y chromium`);
  const userDataDir = mkdtempSync(join(tmpdir(), "ledger-chromium-"));
  // A persistent context is how Playwright takes a fresh --user-data-dir; `headless` adds --headless.
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    viewport: { width: 1360, height: 900 },
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  return {
    context,
    async close() {
      await context.close().catch(() => undefined);
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
