// Starts a real Hardhat JSON-RPC node on a free loopback port and deploys a fresh ledger to it.
// Used by `npm start` (scripts/start.ts), the benchmarks and the server and browser tests.
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deploy } from "./deploy.ts";

const ROOT = join(import.meta.dirname, "..");
const NODE_START_TIMEOUT_MS = 30_000;

export async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export interface LocalChain {
  rpcUrl: string;
  port: number;
  process: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Spawns `hardhat node` on `port` (a free one by default) and resolves when it serves JSON-RPC.
 * A free port is only free when asked: another process (or an outgoing connection's ephemeral port) can take it in the
 * seconds hardhat needs to start, so without an explicit port a start that finds it taken tries again on a new one.
 */
export async function startChain(opts: { port?: number; quiet?: boolean } = {}): Promise<LocalChain> {
  if (opts.port !== undefined) return await startChainOn(opts.port);
  for (let attempt = 1; ; attempt++) {
    try {
      return await startChainOn(await freePort());
    } catch (err) {
      if (attempt >= PORT_ATTEMPTS || !String((err as Error).message).includes("EADDRINUSE")) throw err;
    }
  }
}

const PORT_ATTEMPTS = 4;

async function startChainOn(port: number): Promise<LocalChain> {
  const child = spawn(
    process.execPath,
    [join(ROOT, "node_modules", "hardhat", "dist", "src", "cli.js"), "node", "--hostname", "127.0.0.1", "--port", String(port)],
    { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, FORCE_COLOR: "0" } },
  );
  let output = "";
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`hardhat node did not start in ${NODE_START_TIMEOUT_MS} ms:\n${output}`)), NODE_START_TIMEOUT_MS);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("Started HTTP")) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`hardhat node exited with ${code}:\n${output}`));
    });
  });
  // Keep draining its output so the pipe never fills and blocks the node.
  child.stdout!.removeAllListeners("data").resume();
  child.stderr!.removeAllListeners("data").resume();
  return {
    rpcUrl: `http://127.0.0.1:${port}`,
    port,
    process: child,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      child.kill("SIGTERM");
      await exited;
    },
  };
}

/** Deploys a fresh ledger to `rpcUrl`; the record goes to a temp file, never to deployments/. */
export async function deployFresh(rpcUrl: string, opts: { legacyLedger?: { abi: any[]; bytecode: string } } = {}) {
  const outFile = join(mkdtempSync(join(tmpdir(), "ledger-deploy-")), "deployment.json");
  const record = await deploy({ network: "test", rpcUrl, outFile, legacyLedger: opts.legacyLedger });
  return { ...record, file: outFile };
}
