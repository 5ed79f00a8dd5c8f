// The Express application: system endpoints (health, readiness, config, OpenAPI, docs, live stream, JSON-RPC
// proxy, the built client) around the route modules, and the one error middleware.
import express, { type Request, type Response, type NextFunction } from "express";
import helmet from "helmet";
import { rateLimit } from "express-rate-limit";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { HttpError, forbidden } from "../errors.ts";
import { route, ROUTES, type RouteSpec, type Handler } from "./route.ts";
import { openApiDocument, docsPage } from "./openapi.ts";
import type { AppContext } from "./context.ts";
import { authRoutes } from "../auth/routes.ts";
import { receivableRoutes } from "../receivables/routes.ts";
import { detailRoutes } from "../receivables/details-routes.ts";
import { memberRoutes } from "../members/routes.ts";
import { staffRoutes } from "../members/staff-routes.ts";
import { financingRoutes } from "../financing/routes.ts";
import { creditRoutes } from "../credit/routes.ts";
import { reportRoutes } from "../reports/routes.ts";
import { collectionRoutes } from "../collections/routes.ts";
import { handoverRoutes } from "../collections/handover-routes.ts";
import { notificationRoutes } from "../notifications/routes.ts";
import { riskRoutes } from "../risk/routes.ts";
import type { IndexerStatus } from "../indexer/indexer.ts";
import { isMember, type Viewer } from "../receivables/visibility.ts";
import { rpcProxy } from "./rpc-proxy.ts";

export const JSON_BODY_LIMIT = "64kb";

export interface SystemDeps {
  config: () => Record<string, unknown>;
  indexerStatus: () => IndexerStatus;
  /** Registers an SSE client; returns an unsubscribe function. */
  subscribe: (viewer: Viewer, send: (event: string, data: unknown) => void, close: () => void) => () => void;
  rpcUrl: string;
  rpcProxy: boolean;
  clientDir?: string | undefined;
  /** host[:port] values a SIWE sign-in message may name (from the server's public origins). */
  siweDomains: () => readonly string[];
  rateLimits: RateLimits;
  /** Express's "trust proxy" (behind a load balancer, so rate limits see the client's address). */
  trustProxy?: string | number | boolean | undefined;
  log: (line: string) => void;
}

/** Requests per client IP per window; a request over the limit is answered 429 with Retry-After. */
export interface RateLimits {
  windowMs: number;
  /** GET /api/auth/nonce and POST /api/auth/login together. */
  signIn: number;
  /** Every other POST, PUT, PATCH and DELETE under /api. */
  writes: number;
  /** POST /rpc (a browser polls receipts and blocks while it waits for a transaction). */
  rpc: number;
}

export const DEFAULT_RATE_LIMITS: RateLimits = { windowMs: 60_000, signIn: 60, writes: 600, rpc: 1_200 };

/** Content-Security-Policy of the app: its own scripts only, no frames, no plugins; the JSON-RPC node when not proxied. */
function contentSecurityPolicy(rpcUrl: string, proxied: boolean) {
  const connect = ["'self'"];
  if (!proxied && /^https?:\/\//.test(rpcUrl)) connect.push(new URL(rpcUrl).origin);
  return {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", "data:"],
      fontSrc: ["'self'", "data:"],
      connectSrc: connect,
      objectSrc: ["'none'"],
      frameAncestors: ["'none'"],
      baseUri: ["'self'"],
      formAction: ["'self'"],
    },
  };
}

export function createApp(ctx: AppContext, sys: SystemDeps) {
  const app = express();
  app.disable("x-powered-by");
  app.set("query parser", "simple");
  if (sys.trustProxy !== undefined) app.set("trust proxy", sys.trustProxy);
  app.use(helmet({ contentSecurityPolicy: contentSecurityPolicy(sys.rpcUrl, sys.rpcProxy), crossOriginEmbedderPolicy: false, hsts: false }));
  const limited = (limit: number, what: string) =>
    rateLimit({
      windowMs: sys.rateLimits.windowMs,
      limit,
      standardHeaders: "draft-7",
      legacyHeaders: false,
      handler: (req, res, _next, options) => {
        const reset = (req as Request & { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
        const seconds = reset ? Math.ceil((reset.getTime() - Date.now()) / 1000) : Math.ceil(options.windowMs / 1000);
        res.setHeader("retry-after", String(Math.max(1, seconds)));
        res.status(429).json({
          error: {
            code: "rate_limited",
            message: `too many ${what} from this address: at most ${limit} per ${Math.round(options.windowMs / 1000)} s; retry after the Retry-After seconds`,
          },
        });
      },
    });
  const signInLimit = limited(sys.rateLimits.signIn, "sign-in requests");
  const writeLimit = limited(sys.rateLimits.writes, "write requests");
  app.use(["/api/auth/nonce", "/api/auth/login"], signInLimit);
  app.use("/api", (req, res, next) =>
    req.method === "GET" || req.method === "HEAD" || req.method === "OPTIONS" || req.path === "/auth/login" ? next() : writeLimit(req, res, next),
  );
  app.use("/rpc", limited(sys.rateLimits.rpc, "JSON-RPC requests"));
  const r = (spec: RouteSpec, h: Handler) => route(app as any, ctx.resolveViewer, spec, h);

  const json = express.json({ limit: JSON_BODY_LIMIT, strict: true, type: ["application/json", "application/*+json"] });
  // Documents are raw uploads of any content type (their route has its own parser).
  app.use(["/api", "/rpc"], (req, res, next) => (req.path.endsWith("/document") || req.path.endsWith("/dispute/attachments") ? next() : json(req, res, next)));

  r(
    { method: "get", path: "/health", tag: "system", auth: "public", summary: "Liveness and indexer progress (blocks done/total, rate, time left, head)" },
    async () => {
      const s = sys.indexerStatus();
      return {
        status: s.lastError && !s.running ? "error" : s.caughtUp ? "ok" : "catching-up",
        indexer: {
          running: s.running,
          caughtUp: s.caughtUp,
          blocksDone: s.blocksDone,
          blocksTotal: s.blocksTotal,
          blocksPerSecond: s.blocksPerSecond,
          eventsPerSecond: s.eventsPerSecond,
          etaSeconds: s.etaSeconds,
          eventsIndexed: s.eventsIndexed,
          reorgs: s.reorgs,
          rangeBlocks: s.rangeBlocks,
          deferredIndexes: s.deferredIndexes,
          timing: s.timing,
          lastError: s.lastError,
          checkpoint: s.checkpoint && { number: s.checkpoint.blockNumber, hash: s.checkpoint.blockHash },
        },
        headBlock: s.headBlock,
        chainId: s.chainId,
      };
    },
  );

  r(
    { method: "get", path: "/ready", tag: "system", auth: "public", summary: "200 only when the indexer has caught up with the chain, else 503" },
    async ({ res }) => {
      const s = sys.indexerStatus();
      res.status(s.caughtUp ? 200 : 503);
      return { ready: s.caughtUp, checkpoint: s.checkpoint?.blockNumber ?? null, headBlock: s.headBlock };
    },
  );

  r(
    {
      method: "get",
      path: "/api/config",
      tag: "system",
      auth: "public",
      summary: "Chain, contract addresses and settings the client needs (not the consortium salt: see /api/config/consortium)",
      response: z.object({
        chainId: z.number(),
        rpcUrl: z.string(),
        contracts: z.record(z.string(), z.string()),
        deploymentBlock: z.number(),
        settlementDecimals: z.number(),
        settlementCurrency: z.string().describe("ISO 4217 code the ledger registers and settles in"),
      }),
    },
    async () => {
      // The salt keeps outsiders from computing receivable ids from invoice details: never in the public config.
      const { consortiumSalt: _salt, ...config } = sys.config();
      return config;
    },
  );

  r(
    {
      method: "get",
      path: "/api/config/consortium",
      tag: "system",
      auth: "session",
      summary: "The consortium salt of invoice fingerprints (to compute a receivable id from an invoice's details)",
      access: "members of the consortium (admitted, not suspended or expired) and the operator; any other session 403",
      response: z.object({ consortiumSalt: z.string() }),
    },
    async ({ viewer }) => {
      if (!isMember(viewer!)) throw forbidden("the consortium salt is for members of the consortium");
      return { consortiumSalt: String(sys.config()["consortiumSalt"]) };
    },
  );

  authRoutes(app as any, ctx);
  receivableRoutes(app as any, ctx);
  detailRoutes(app as any, ctx);
  memberRoutes(app as any, ctx);
  staffRoutes(app as any, ctx);
  financingRoutes(app as any, ctx);
  creditRoutes(app as any, ctx);
  reportRoutes(app as any, ctx);
  collectionRoutes(app as any, ctx);
  handoverRoutes(app as any, ctx);
  notificationRoutes(app as any, ctx);
  riskRoutes(app as any, ctx);

  r(
    {
      method: "get",
      path: "/api/stream",
      tag: "system",
      auth: "session",
      summary: "Server-sent events: block (number, hash, final), receivables (ids the viewer may see that changed), reorg",
      produces: "text/event-stream",
    },
    async ({ req, res, viewer }) => {
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive", "x-accel-buffering": "no" });
      res.flushHeaders();
      const send = (event: string, data: unknown) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      const s = sys.indexerStatus();
      send("hello", { checkpoint: s.checkpoint?.blockNumber ?? null, address: viewer!.address, member: viewer!.member });
      const unsubscribe = sys.subscribe(viewer!, send, () => res.end());
      const keepAlive = setInterval(() => res.write(": keep-alive\n\n"), 15_000);
      req.on("close", () => {
        clearInterval(keepAlive);
        unsubscribe();
      });
      return undefined;
    },
  );

  const doc = () => openApiDocument(ROUTES, { title: "Receivables Ledger", version: "0.1.0" });
  r(
    { method: "get", path: "/api/openapi.json", tag: "system", auth: "public", summary: "This description (OpenAPI 3.1, generated from the request schemas)" },
    async () => doc(),
  );
  r({ method: "get", path: "/api/docs", tag: "system", auth: "public", summary: "Browsable API documentation", produces: "text/html" }, async ({ res }) => {
    res.type("html").send(docsPage(doc()));
    return undefined;
  });

  if (sys.rpcProxy) app.post("/rpc", rpcProxy({ rpcUrl: sys.rpcUrl, siweDomains: sys.siweDomains, resolveViewer: ctx.resolveViewer }));

  app.use("/api", (req, _res, next) =>
    next(new HttpError(404, "not_found", `no such endpoint: ${req.method} ${req.path === "/" ? "/api" : "/api" + req.path}`)),
  );

  if (sys.clientDir && existsSync(sys.clientDir)) {
    const dir = sys.clientDir;
    app.use(express.static(dir, { index: "index.html" }));
    app.get("/{*splat}", (req, res, next) => {
      if (req.path.startsWith("/api") || req.path === "/rpc") return next();
      res.sendFile(join(dir, "index.html"));
    });
  }

  app.use((req: Request, _res: Response, next: NextFunction) => next(new HttpError(404, "not_found", `no such endpoint: ${req.method} ${req.path}`)));

  // The one error middleware.
  app.use((err: any, req: Request, res: Response, _next: NextFunction) => {
    let status = 500;
    let code = "internal";
    let message = "internal error";
    let details: unknown;
    if (err instanceof HttpError) {
      ({ status, code, message, details } = err);
    } else if (err?.type === "entity.parse.failed") {
      status = 400;
      code = "malformed_json";
      message = `malformed JSON body: ${err.message}`;
    } else if (err?.type === "entity.too.large") {
      status = 413;
      code = "too_large";
      message = `request body too large (limit ${err.limit} bytes)`;
    } else if (typeof err?.status === "number" && err.status >= 400 && err.status < 500) {
      status = err.status;
      code = err.type ?? "bad_request";
      message = err.message;
    } else if (err instanceof URIError) {
      status = 400;
      code = "bad_request";
      message = `malformed URL: ${err.message}`;
    } else {
      sys.log(`error ${req.method} ${req.path}: ${err?.stack ?? err}`);
    }
    if (res.headersSent) return res.end();
    res.status(status).json({ error: { code, message, ...(details === undefined ? {} : { details }) } });
  });

  return app;
}
