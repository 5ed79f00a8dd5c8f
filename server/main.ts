// Composition root: migrates the database, starts the indexer and the HTTP API.
//   startServer(config) — used by scripts/start.ts and the tests;
//   node server/main.ts — production-style run configured by environment:
//     DATABASE_URL (file:/abs/path.db or postgresql://…, default file:./data/ledger.db), RPC_URL,
//     DEPLOYMENT_FILE (deployments/<network>.json), PORT, HOST, CLIENT_DIR, FINALITY_DEPTH, CONSORTIUM_SALT,
//     POLL_INTERVAL_MS, MAX_LOG_RANGE_BLOCKS, DEFER_INDEXES_MIN_BLOCKS, DUNNING_INTERVAL_MS, RISK_GRACE_DAYS, RPC_PROXY=1, SERVER_ROLE=api (serve only; another process indexes),
//     SMTP_URL, MAIL_FROM, MAILBOX_PORT, OUTBOX_POLL_INTERVAL_MS, OUTBOX_RETRY_BASE_MS, OUTBOX_MAX_ATTEMPTS, OUTBOX_LEASE_MS,
//     WEBHOOK_TIMEOUT_MS, WEBHOOK_ALLOW_PRIVATE (see server/notifications/service.ts and the README).
import { createServer, type Server } from "node:http";
import type { Socket } from "node:net";
import { readFileSync, mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { encodeFunctionData, decodeFunctionResult } from "viem";
import { memberRegistryAbi, receivableLedgerAbi, type Deployment } from "../deployments/contracts.ts";
import { currencyFromBytes3, currencyToBytes3 } from "../common/money.ts";
import { DEMO_CONSORTIUM_SALT } from "../common/fingerprint.ts";
import { SETTLEMENT_DECIMALS } from "../common/money.ts";
import { applyMigrations, assertMigrated } from "./database/migrate.ts";
import { openDatabase } from "./database/client.ts";
import { providerOf } from "./database/provider.ts";
import { createIndexerStore } from "./indexer/store.ts";
import type { ProjectionHandler } from "./indexer/handlers.ts";
import { PROJECTIONS } from "./projections.ts";
import { createReceivableQueries, receivableStates, changedBetween } from "./receivables/store.ts";
import { createCheckpointFollower } from "./indexer/follower.ts";
import { createMemberQueries, createCompanyStore } from "./members/store.ts";
import { createSessionStore } from "./auth/store.ts";
import { createDocumentStore } from "./receivables/documents-store.ts";
import { createChainClient } from "./chain/client.ts";
import { createIndexer } from "./indexer/indexer.ts";
import { createAuthService } from "./auth/service.ts";
import { createReceivableService } from "./receivables/service.ts";
import { createFinancingQueries } from "./financing/store.ts";
import { createFinancingService } from "./financing/service.ts";
import { createChainReader } from "./financing/chain.ts";
import { createCreditQueries } from "./credit/store.ts";
import { createCreditService } from "./credit/service.ts";
import { createReportStore } from "./reports/store.ts";
import { createReportService } from "./reports/service.ts";
import { createBlockReader } from "./reports/blocks.ts";
import { createRiskStore } from "./risk/store.ts";
import { createRiskService } from "./risk/service.ts";
import { DEFAULT_MODEL } from "./risk/coefficients.ts";
import { DEFAULT_GRACE_DAYS } from "./risk/features.ts";
import { canSeeReceivable, NO_INVOLVEMENT, type Viewer } from "./receivables/visibility.ts";
import { createApp, DEFAULT_RATE_LIMITS, type RateLimits } from "./http/app.ts";
import { createInvoiceDetailStore } from "./receivables/invoice-details-store.ts";
import { createStaffStore } from "./members/store.ts";
import { createInvoiceDetailService } from "./receivables/invoice-details.ts";
import { sessionToken, type AppContext } from "./http/context.ts";
import { ServerError } from "./errors.ts";
import { createCollectionStore } from "./collections/store.ts";
import { createDunningEngine } from "./collections/engine.ts";
import { createCollectionService } from "./collections/service.ts";
import { createHandoverService } from "./collections/handover.ts";
import { createHandoverStore } from "./collections/handover-store.ts";
import { openAsOf, statesAsOf } from "./receivables/store.ts";
import { createNotifications, type NotificationConfig, type Notifications } from "./notifications/service.ts";

export interface ServerConfig {
  databaseUrl: string;
  rpcUrl: string;
  deployment: Deployment;
  port?: number;
  host?: string;
  clientDir?: string;
  rpcProxy?: boolean;
  finalityDepth?: number;
  consortiumSalt?: `0x${string}`;
  pollIntervalMs?: number;
  /**
   * "all" (default): index and serve. "api": serve only, following the checkpoint another process (the one
   * indexer writer) keeps in the same database — for several stateless API processes behind a load balancer.
   */
  role?: "all" | "api";
  /** Upper bound of the eth_getLogs block range (the indexer adapts below it); default 100,000. */
  maxLogRangeBlocks?: number;
  /** A cold backfill of at least this many blocks defers the secondary indexes until caught up (default 1,000). */
  deferIndexesMinBlocks?: number;
  /**
   * The origins users reach the server at (scheme://host[:port]); a SIWE sign-in must name one. Default: the
   * address it listens on (and http://localhost:<port> when that is 127.0.0.1).
   */
  publicOrigins?: string[];
  /** Requests per IP per window (default DEFAULT_RATE_LIMITS). */
  rateLimits?: Partial<RateLimits>;
  /** Express's "trust proxy" setting, e.g. 1 behind one load balancer (TRUST_PROXY). */
  trustProxy?: string | number | boolean;
  log?: (line: string) => void;
  /** The most rows one report export (CSV/XLSX) holds; default 100,000. */
  reportExportMaxRows?: number;
  /** Rows a report export reads from the service per call; default 10,000 (smaller in tests, to page). */
  reportExportPageRows?: number;
  /** How often the dunning run goes (default 60,000 ms; 0: only when asked, POST /api/collections/runs). Writer only. */
  dunningIntervalMs?: number;
  /** The domain of outgoing Message-IDs (MESSAGE_ID_DOMAIN; default the MAIL_FROM address's domain). */
  messageIdDomain?: string;
  /** Early warning: days after the due date a payment still counts as on time (RISK_GRACE_DAYS, default 5). */
  riskGraceDays?: number;
  /** Early warning: how many latest invoices of a buyer its trend calls recent (default 8). */
  riskRecentInvoices?: number;
  /** Projections beyond the domains' own (PROJECTIONS), called after them in each batch. */
  projections?: ProjectionHandler[];
  /** Outbox delivery: SMTP (else the embedded receiver), retries, webhook targets. The writer delivers. */
  notifications?: NotificationConfig;
}

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
  waitForBlock(n: number): Promise<void>;
  /** The outbox (the collections engine enqueues through it), the channels' rows, the embedded mailbox. */
  notifications: Notifications;
}

export const DEFAULT_POLL_INTERVAL_MS = 200;

export async function startServer(config: ServerConfig): Promise<RunningServer> {
  const log = config.log ?? ((line: string) => console.log(`[server] ${line}`));
  const finalityDepth = config.finalityDepth ?? 0;
  const provider = providerOf(config.databaseUrl);
  if (provider === "sqlite") mkdirSync(dirname(config.databaseUrl.slice("file:".length)), { recursive: true });

  // Only the writer migrates; API-only processes check that it has.
  if (config.role !== "api") await applyMigrations(config.databaseUrl, log);
  const db = await openDatabase(config.databaseUrl);
  if (config.role === "api") await assertMigrated(db, provider);
  const rpc = createChainClient(config.rpcUrl); // the one chain client: indexer, readers, chain time
  const chainId = await rpc.chainId();
  if (chainId !== config.deployment.chainId) {
    await db.close();
    throw new ServerError(`RPC_URL serves chain ${chainId} but the deployment is for chain ${config.deployment.chainId}`);
  }
  const { MemberRegistry, ReceivableLedger } = config.deployment.contracts;
  // The operator is the registry's (transferable) operator; re-read whenever registry events arrive.
  const readOperator = async () => {
    const raw = await rpc.ethCall(MemberRegistry, encodeFunctionData({ abi: memberRegistryAbi, functionName: "operator" }));
    return (decodeFunctionResult({ abi: memberRegistryAbi, functionName: "operator", data: raw as `0x${string}` }) as string).toLowerCase();
  };
  let operator = await readOperator();
  // The one currency the ledger registers and settles in (ISO 4217, bytes3 ASCII on chain).
  const settlementCurrency = currencyFromBytes3(
    decodeFunctionResult({
      abi: receivableLedgerAbi,
      functionName: "settlementCurrency",
      data: (await rpc.ethCall(ReceivableLedger, encodeFunctionData({ abi: receivableLedgerAbi, functionName: "settlementCurrency" }))) as `0x${string}`,
    }) as string,
  );

  // Financing modules (issue 5), when the deployment has them.
  const { FactoringMarket, PledgeLoans, CreditInsurance } = config.deployment.contracts;
  const financingAddresses = [FactoringMarket, PledgeLoans, CreditInsurance].filter((a): a is `0x${string}` => !!a);
  const store = createIndexerStore(db, [...PROJECTIONS, ...(config.projections ?? [])]);
  const indexer =
    config.role === "api"
      ? createCheckpointFollower({
          rpc,
          chainId,
          deploymentBlock: config.deployment.deploymentBlock,
          finalityDepthBlocks: finalityDepth,
          pollIntervalMs: config.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS,
          checkpoint: () => store.checkpoint(),
          deferredIndexes: async () => (await store.deferredIndexes()).length,
          changedBetween: (from, to) => changedBetween(db, chainId, from, to),
          log,
        })
      : createIndexer({
          rpc,
          store,
          chainId,
          deploymentBlock: config.deployment.deploymentBlock,
          addresses: [MemberRegistry, ReceivableLedger, ...financingAddresses].map((a) => a.toLowerCase()),
          finalityDepthBlocks: finalityDepth,
          pollIntervalMs: config.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS,
          log,
          // Registrations logged before the issue-9 upgrade carry no currency: the ledger's settlement currency.
          legacyDefaults: { currency: currencyToBytes3(settlementCurrency) },
          ...(config.maxLogRangeBlocks ? { maxRangeBlocks: config.maxLogRangeBlocks, initialRangeBlocks: Math.min(100, config.maxLogRangeBlocks) } : {}),
          ...(config.deferIndexesMinBlocks !== undefined ? { deferIndexesMinBlocks: config.deferIndexesMinBlocks } : {}),
        });

  const receivableQueries = createReceivableQueries(db);
  const members = createMemberQueries(db);
  const companies = createCompanyStore(db);
  const chainReader = createChainReader({
    chain: rpc,
    chainId,
    contracts: { FactoringMarket, PledgeLoans, CreditInsurance },
    indexedBlock: () => receivableQueries.indexedBlock(),
  });
  // Known once the server listens (port 0 picks one).
  let origins: string[] = config.publicOrigins ?? [];
  const staff = createStaffStore(db);
  // The outbox in every process; its dispatcher (and the embedded SMTP receiver) only in the writer.
  const notifications = await createNotifications({
    db,
    writer: config.role !== "api",
    config: config.notifications ?? {},
    memberOfStaff: async (address) => (await staff.activeByAddress(address))?.member ?? null,
    log,
    messageIdDomain: config.messageIdDomain,
  });
  const auth = createAuthService({
    sessions: createSessionStore(db),
    members,
    companies,
    staff,
    chainId,
    operator: () => operator,
    origins: () => origins,
    chainNow: () => chainReader.now(),
  });
  const credit = createCreditService({ queries: createCreditQueries(db), clock: chainReader });
  const financing = createFinancingService({
    queries: createFinancingQueries(db),
    chain: chainReader,
    credit,
    contracts: { FactoringMarket, PledgeLoans, CreditInsurance },
  });
  const invoiceDetailStore = createInvoiceDetailStore(db);
  const invoiceDetails = createInvoiceDetailService({
    store: invoiceDetailStore,
    salt: () => config.consortiumSalt ?? DEMO_CONSORTIUM_SALT,
    state: async (id) => (await receivableQueries.get(id)).state,
    states: (ids) => receivableStates(db, ids),
    companies: () => companies.all(),
    involvement: (ids) => receivableQueries.involvement(ids),
  });
  // Collections (issue 12): the dunning engine decides on the final block and hands messages to the outbox.
  const readBlock = createBlockReader(rpc);
  const blockTimes = new Map<string, number>();
  const blockTime = async (n: number) => {
    const b = await readBlock(n);
    if (!b) throw new ServerError(`block ${n} is not on the chain node`, { retryable: true });
    const key = `${n}:${b.hash}`;
    if (!blockTimes.has(key)) {
      if (blockTimes.size > 10_000) blockTimes.clear();
      blockTimes.set(key, b.timestamp);
    }
    return blockTimes.get(key)!;
  };
  const collectionStore = createCollectionStore(db);
  // One outbox: the notifications' (its dispatcher delivers every channel, in the writer).
  const outbox = notifications.outbox;
  const finalBlockOf = (cp: { number: number; headBlock: number } | null) => (cp ? Math.min(cp.number, cp.headBlock - finalityDepth) : -1);
  const dunning = createDunningEngine({
    store: collectionStore,
    outbox,
    checkpoint: () => receivableQueries.indexedBlock(),
    finalityDepth,
    deploymentBlock: config.deployment.deploymentBlock,
    blockTime,
    openAsOf: (block, q) => openAsOf(db, block, q),
    statesAsOf: (block, ids) => statesAsOf(db, block, ids),
    invoiceNumber: async (id) => (await invoiceDetailStore.get(id))?.invoiceNumber ?? null,
    creditorName: async (a) => (await companies.get(a))?.legalName ?? a,
    currency: settlementCurrency,
    log,
  });
  const finalFacts = async () => {
    const f = finalBlockOf(await receivableQueries.indexedBlock());
    return f < config.deployment.deploymentBlock ? null : { block: f, day: Math.floor((await blockTime(f)) / 86_400) };
  };
  const collections = createCollectionService({
    store: collectionStore,
    outbox,
    staff,
    engine: dunning,
    finalFacts,
    statesAsOf: (block, ids) => statesAsOf(db, block, ids),
  });

  const documents = createDocumentStore(db);
  const handovers = createHandoverService({
    store: createHandoverStore(db),
    cases: collectionStore,
    collections,
    engine: dunning,
    finalFacts,
    receivable: (id, asOfBlock) => receivableQueries.get(id, asOfBlock),
    invoiceNumber: async (id) => (await invoiceDetailStore.get(id))?.invoiceNumber ?? null,
    document: (id) => documents.get(id),
    blockTime,
    nameOf: async (a) => (await companies.get(a))?.legalName ?? (await staff.activeByAddress(a))?.name ?? a,
    currency: settlementCurrency,
  });

  const blockReader = createBlockReader(rpc);
  let stopRisk = () => {};
  const risk = createRiskService({
    store: createRiskStore(db),
    model: DEFAULT_MODEL,
    graceDays: config.riskGraceDays ?? DEFAULT_GRACE_DAYS,
    ...(config.riskRecentInvoices ? { recentInvoices: config.riskRecentInvoices } : {}),
    head: async () => (await receivableQueries.indexedBlock())?.number ?? null,
    blockTime: async (n) => {
      const b = await blockReader(n);
      if (!b) throw new ServerError(`block ${n} not found on the node`, { retryable: true });
      return b.timestamp;
    },
    limits: async () => new Map((await createCreditQueries(db).limits()).map((l) => [l.buyer, l.limitAmount])),
    outbox: notifications.outbox,
    contactEmail: async (member) => {
      const c = await companies.get(member);
      const list = Array.isArray(c?.contacts) ? (c!.contacts as { email?: string }[]) : [];
      return list.find((x) => typeof x?.email === "string" && x.email.length > 0)?.email ?? null;
    },
    log,
  });
  const ctx: AppContext = {
    collections,
    handovers,
    auth,
    receivables: createReceivableService({
      queries: receivableQueries,
      finalityDepth,
      currency: settlementCurrency,
      clock: chainReader,
      details: () => invoiceDetails,
    }),
    invoiceDetails,
    invoiceDetailStore,
    receivableQueries,
    members,
    companies,
    staff,
    documents,
    finalityDepth,
    financing,
    credit,
    chainNow: () => chainReader.now(),
    reports: createReportService({
      store: createReportStore(db),
      block: createBlockReader(rpc),
      deploymentBlock: config.deployment.deploymentBlock,
      finalityDepth,
    }),
    reportExportMaxRows: config.reportExportMaxRows,
    reportExportPageRows: config.reportExportPageRows,
    notifications,
    risk,
    resolveViewer: async (req) => await auth.sessionViewer(sessionToken(req)),
  };

  // Live stream: each subscriber gets block/reorg notices and the changed receivables it may see.
  const subscribers = new Set<{ viewer: Viewer; send: (event: string, data: unknown) => void; close: () => void }>();
  // A removed staff member's open streams end with its sessions.
  auth.onSessionsEnded((address) => {
    for (const s of subscribers) if (s.viewer.address === address) s.close();
  });
  indexer.onChange((change) => {
    if (change.type === "reorg" || change.events > 0) {
      readOperator().then(
        (o) => {
          if (o !== operator) auth.invalidate();
          operator = o;
        },
        (err) => log(`reading the operator failed: ${(err as Error).message}`),
      );
    }
    if (change.type === "reorg" || change.members.length) auth.invalidate();
    // Early warning: re-score the buyers the batch marked dirty, after it committed (not during a backfill: the
    // marks wait until the indexer has caught up, so scoring never competes with it for the database).
    if (config.role !== "api" && (change.type === "reorg" || change.events > 0) && indexer.status().caughtUp) void risk.kick();
    if (subscribers.size === 0) return;
    void (async () => {
      const states = change.receivables.length ? await receivableStates(db, change.receivables) : [];
      const involvement = states.length ? await receivableQueries.involvement(states.map((r) => r.id)) : new Map();
      for (const s of subscribers) {
        if (change.type === "block") s.send("block", { number: change.checkpoint.blockNumber, hash: change.checkpoint.blockHash, final: change.final });
        else s.send("reorg", { from: change.from, ancestor: { number: change.ancestor.blockNumber, hash: change.ancestor.blockHash } });
        const visible = states.filter((r) => canSeeReceivable(s.viewer, r, involvement.get(r.id) ?? NO_INVOLVEMENT)).map((r) => r.id);
        // After a reorg a receivable may no longer exist: the ids that vanished are sent to everyone who saw them (unknowable now), so send them to auditors only.
        if (visible.length)
          s.send("receivables", { ids: visible, block: change.type === "block" ? change.checkpoint.blockNumber : change.ancestor.blockNumber });
        if (change.members.length && s.viewer.isOperator) s.send("members", { addresses: change.members });
      }
    })().catch((err) => log(`stream notify failed: ${(err as Error).message}`));
  });

  const app = createApp(ctx, {
    config: () => ({
      chainId,
      rpcUrl: config.rpcProxy ? "/rpc" : config.rpcUrl,
      contracts: config.deployment.contracts,
      deploymentBlock: config.deployment.deploymentBlock,
      consortiumSalt: config.consortiumSalt ?? DEMO_CONSORTIUM_SALT,
      settlementDecimals: SETTLEMENT_DECIMALS,
      settlementCurrency,
      operator,
      finalityDepth,
    }),
    indexerStatus: () => indexer.status(),
    subscribe: (viewer, send, close) => {
      const sub = { viewer, send, close };
      subscribers.add(sub);
      return () => subscribers.delete(sub);
    },
    rpcUrl: config.rpcUrl,
    rpcProxy: config.rpcProxy ?? false,
    clientDir: config.clientDir,
    siweDomains: () => origins.map((o) => new URL(o).host),
    rateLimits: { ...DEFAULT_RATE_LIMITS, ...config.rateLimits },
    trustProxy: config.trustProxy,
    log,
  });

  await indexer.start();
  const dunningIntervalMs = config.dunningIntervalMs ?? 60_000;
  if (config.role !== "api" && dunningIntervalMs > 0) dunning.start(dunningIntervalMs);
  notifications.start();
  if (config.role !== "api") {
    // Buyers left dirty by a backfill (or a crash) are re-scored once caught up.
    const catchUp = setInterval(() => {
      if (indexer.status().caughtUp) void risk.kick();
    }, 1_000);
    catchUp.unref();
    stopRisk = () => clearInterval(catchUp);
  }
  const server: Server = createServer(app);
  // Idle keep-alive connections live longer than a load balancer's (60 s) and than a client's pause between
  // requests: with Node's 5 s default, a client reusing a connection just as the server closes it gets ECONNRESET.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  const sockets = new Set<Socket>();
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  const host = config.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  const url = `http://${host}:${port}`;
  if (!config.publicOrigins?.length) origins = host === "127.0.0.1" ? [url, `http://localhost:${port}`] : [url];
  log(`listening on ${url} (database: ${provider}, chain ${chainId}, finality depth ${finalityDepth})`);

  return {
    url,
    port,
    waitForBlock: (n) => indexer.waitForBlock(n),
    notifications,
    async close() {
      await dunning.stop();
      await indexer.stop();
      await notifications.close();
      stopRisk();
      await indexer.stop();
      await risk.idle();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sockets) s.destroy();
      await closed;
      await db.close();
    },
  };
}

/** SMTP_URL, MAIL_FROM, MAILBOX_PORT, OUTBOX_*, WEBHOOK_TIMEOUT_MS, WEBHOOK_ALLOW_PRIVATE ("1" or hosts). */
export function notificationConfigFromEnv(env: NodeJS.ProcessEnv): NotificationConfig {
  const num = (k: string) => (env[k] ? Number(env[k]) : undefined);
  const allow = env["WEBHOOK_ALLOW_PRIVATE"]?.trim();
  return {
    smtpUrl: env["SMTP_URL"] || undefined,
    mailFrom: env["MAIL_FROM"] || undefined,
    mailboxPort: num("MAILBOX_PORT"),
    dispatch: env["OUTBOX_DISPATCH"] === "0" ? false : undefined,
    pollIntervalMs: num("OUTBOX_POLL_INTERVAL_MS"),
    retryBaseMs: num("OUTBOX_RETRY_BASE_MS"),
    maxAttempts: num("OUTBOX_MAX_ATTEMPTS"),
    leaseMs: num("OUTBOX_LEASE_MS"),
    webhookTimeoutMs: num("WEBHOOK_TIMEOUT_MS"),
    webhookTargets:
      allow === "1"
        ? { allowPrivate: true }
        : allow
          ? {
              allowHosts: allow
                .split(",")
                .map((h) => h.trim())
                .filter(Boolean),
            }
          : {},
  };
}

if (process.argv[1] === import.meta.filename) {
  const env = process.env;
  const deploymentFile = resolve(env["DEPLOYMENT_FILE"] ?? "deployments/localhost.json");
  const deployment = JSON.parse(readFileSync(deploymentFile, "utf8")) as Deployment;
  const running = await startServer({
    databaseUrl: env["DATABASE_URL"] ?? `file:${resolve("data/ledger.db")}`,
    rpcUrl: env["RPC_URL"] ?? "http://127.0.0.1:8545",
    deployment,
    port: env["PORT"] ? Number(env["PORT"]) : 3000,
    host: env["HOST"] ?? "127.0.0.1",
    ...(env["CLIENT_DIR"] ? { clientDir: resolve(env["CLIENT_DIR"]) } : {}),
    rpcProxy: env["RPC_PROXY"] === "1",
    finalityDepth: env["FINALITY_DEPTH"] ? Number(env["FINALITY_DEPTH"]) : 0,
    ...(env["CONSORTIUM_SALT"] ? { consortiumSalt: env["CONSORTIUM_SALT"] as `0x${string}` } : {}),
    ...(env["POLL_INTERVAL_MS"] ? { pollIntervalMs: Number(env["POLL_INTERVAL_MS"]) } : {}),
    ...(env["MAX_LOG_RANGE_BLOCKS"] ? { maxLogRangeBlocks: Number(env["MAX_LOG_RANGE_BLOCKS"]) } : {}),
    ...(env["DEFER_INDEXES_MIN_BLOCKS"] ? { deferIndexesMinBlocks: Number(env["DEFER_INDEXES_MIN_BLOCKS"]) } : {}),
    ...(env["DUNNING_INTERVAL_MS"] ? { dunningIntervalMs: Number(env["DUNNING_INTERVAL_MS"]) } : {}),
    ...(env["MESSAGE_ID_DOMAIN"] ? { messageIdDomain: env["MESSAGE_ID_DOMAIN"] } : {}),
    ...(env["RISK_GRACE_DAYS"] ? { riskGraceDays: Number(env["RISK_GRACE_DAYS"]) } : {}),
    ...(env["SERVER_ROLE"] === "api" ? { role: "api" as const } : {}),
    ...(env["TRUST_PROXY"] ? { trustProxy: /^\d+$/.test(env["TRUST_PROXY"]) ? Number(env["TRUST_PROXY"]) : env["TRUST_PROXY"] } : {}),
    ...(env["PUBLIC_ORIGINS"] ? { publicOrigins: env["PUBLIC_ORIGINS"].split(",").map((o) => new URL(o.trim()).origin) } : {}),
    notifications: notificationConfigFromEnv(env),
    ...(env["RATE_LIMIT_SIGN_IN"] || env["RATE_LIMIT_WRITES"]
      ? {
          rateLimits: {
            ...(env["RATE_LIMIT_SIGN_IN"] ? { signIn: Number(env["RATE_LIMIT_SIGN_IN"]) } : {}),
            ...(env["RATE_LIMIT_WRITES"] ? { writes: Number(env["RATE_LIMIT_WRITES"]) } : {}),
          },
        }
      : {}),
  });
  console.log(`Receivables ledger API on ${running.url}`);
  const stop = async () => {
    await running.close();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
