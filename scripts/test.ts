// Runs every suite of the project — contract tests (mocha + Solidity fuzz/invariants), the checks (types,
// Solidity lint, gas snapshot, schema drift), the server tests together with the shared kernel's (test/common/)
// (SQLite, and PostgreSQL when TEST_DATABASE_URL_PG is set) and the browser test — and ends with one line
// `N passed, N failed`.
// Exits non-zero on any failure. `npm test -- server client` runs only the named suites.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";

const ROOT = join(import.meta.dirname, "..");

interface Suite {
  name: string;
  command: string[];
  /** "mocha": parse mocha/hardhat summaries; "check": the command is one test, passed when it exits 0. */
  kind: "mocha" | "check";
  /** Run only when this file or folder exists (suites grow with the product). */
  requires?: string;
}

const npmBin = (name: string) => join(ROOT, "node_modules", ".bin", name);

const SUITES: Suite[] = [
  { name: "typecheck", kind: "check", command: [npmBin("tsc"), "-p", "tsconfig.json"] },
  // Biome: lint (recommended rules less the ones the house style contradicts, biome.json) and the formatter's check.
  { name: "lint", kind: "check", command: [npmBin("biome"), "ci", "--colors=off", "."], requires: "biome.json" },
  { name: "solhint", kind: "check", command: [npmBin("solhint"), "--max-warnings", "0", "contracts/**/*.sol"], requires: ".solhint.json" },
  { name: "contracts", kind: "mocha", command: [npmBin("hardhat"), "test"] },
  { name: "gas-snapshot", kind: "check", command: [process.execPath, "scripts/bench/gas.ts", "--check"], requires: "snapshots/gas.json" },
  { name: "schema-drift", kind: "check", command: [process.execPath, "prisma/sync.ts", "--check"], requires: "prisma/sync.ts" },
  {
    name: "server",
    kind: "mocha",
    command: [
      npmBin("mocha"),
      "--parallel",
      "--jobs",
      "2",
      "--extension",
      "ts",
      "--timeout",
      "180000",
      "--exit",
      "test/common/**/*.test.ts",
      "test/server/**/*.test.ts",
    ],
    requires: "test/server",
  },
  {
    name: "client",
    kind: "mocha",
    command: [npmBin("mocha"), "--extension", "ts", "--timeout", "300000", "--exit", "test/client/**/*.test.ts"],
    requires: "test/client",
  },
];

const stripAnsi = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, "");

/** Counts from mocha's summary ("  12 passing (3s)", "  1 failing") or Hardhat's ("12 passing (8 mocha, 4 solidity)"). */
export function parseCounts(output: string): { passed: number; failed: number } | undefined {
  const lines = stripAnsi(output).split("\n");
  const hardhat = (label: string) => {
    const re = new RegExp(`^(\\d+) ${label} \\(([a-z-]+ ?(\\d+)?[, ]*)*[a-z][^)]*\\)\\s*$`);
    let found: number | undefined;
    for (const l of lines) {
      const m = re.exec(l.trim());
      if (m && !/\(\d+(ms|s|m)\)/.test(l)) found = Number(m[1]);
    }
    return found;
  };
  const hhPassed = hardhat("passing");
  const hhFailed = hardhat("failing");
  if (hhPassed !== undefined || hhFailed !== undefined) return { passed: hhPassed ?? 0, failed: hhFailed ?? 0 };
  let passed: number | undefined;
  let failed = 0;
  for (const l of lines) {
    const p = /^\s*(\d+) passing\b/.exec(l);
    if (p) passed = Number(p[1]);
    const f = /^\s*(\d+) failing\b/.exec(l);
    if (f) failed = Number(f[1]);
  }
  return passed === undefined && failed === 0 ? undefined : { passed: passed ?? 0, failed };
}

function run(suite: Suite): Promise<{ code: number; output: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    const [cmd, ...args] = suite.command;
    const child = spawn(cmd!, args, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, FORCE_COLOR: "0" } });
    let output = "";
    const onData = (stream: NodeJS.WriteStream) => (chunk: Buffer) => {
      output += chunk.toString();
      stream.write(chunk);
    };
    child.stdout.on("data", onData(process.stdout));
    child.stderr.on("data", onData(process.stderr));
    child.on("close", (code) => resolve({ code: code ?? 1, output, ms: Date.now() - started }));
    child.on("error", (err) => resolve({ code: 1, output: String(err), ms: Date.now() - started }));
  });
}

async function main() {
  const only = process.argv.slice(2);
  const results: { name: string; passed: number; failed: number; ms: number; note?: string }[] = [];
  for (const suite of SUITES) {
    if (only.length > 0 && !only.includes(suite.name)) continue;
    if (suite.requires && !existsSync(join(ROOT, suite.requires))) continue;
    console.log(`\n━━━ ${suite.name}: ${suite.command.map((c) => c.replace(ROOT + "/", "")).join(" ")}`);
    const { code, output, ms } = await run(suite);
    if (suite.kind === "check") {
      results.push({ name: suite.name, passed: code === 0 ? 1 : 0, failed: code === 0 ? 0 : 1, ms });
      continue;
    }
    const counts = parseCounts(output);
    if (!counts) {
      results.push({ name: suite.name, passed: 0, failed: 1, ms, note: `exited ${code} without a test summary` });
    } else if (code !== 0 && counts.failed === 0) {
      results.push({ name: suite.name, ...counts, failed: 1, ms, note: `exited ${code} although no test failed` });
    } else {
      results.push({ name: suite.name, ...counts, ms });
    }
  }
  console.log("\n━━━ summary");
  for (const r of results) {
    console.log(
      `${r.name.padEnd(14)} ${String(r.passed).padStart(5)} passed ${String(r.failed).padStart(4)} failed  ${(r.ms / 1000).toFixed(1).padStart(6)} s${r.note ? "  (" + r.note + ")" : ""}`,
    );
  }
  const passed = results.reduce((a, r) => a + r.passed, 0);
  const failed = results.reduce((a, r) => a + r.failed, 0);
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed > 0 || results.length === 0 ? 1 : 0;
}

if (process.argv[1] === import.meta.filename) await main();
