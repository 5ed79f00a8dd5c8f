// Early warning API (issue 12): a receivable's late-payment risk with its reasons, the viewer's open receivables by
// risk, the creditor's alert thresholds and the alerts they raised.
import type { Router } from "express";
import { z } from "zod";
import { route, type RouteSpec, type Handler } from "../http/route.ts";
import type { AppContext } from "../http/context.ts";
import { Address, ReceivableId } from "../http/validate.ts";
import { BlockStamp } from "../receivables/schemas.ts";
import { blockStamp } from "../receivables/service.ts";
import { FEATURES } from "./model.ts";
import { FEATURE_DEFINITIONS } from "./features.ts";
import type { RiskService } from "./service.ts";

const Reason = z.object({
  feature: z.enum(FEATURES),
  value: z.number(),
  contribution: z.number().describe("coefficient × standardized value: its share of the log-odds (> 0 raises the risk)"),
  text: z.object({ en: z.string(), "zh-CN": z.string() }),
});
const ScoreJson = z.object({
  receivableId: z.string(),
  buyer: z.string(),
  probability: z.number().describe("probability (0..1) that it is paid more than graceDays after its due date; 1 when already that late"),
  reasons: z.array(Reason).describe("the three contributions that weigh most (largest absolute value)"),
  features: z.record(z.string(), z.number()),
  model: z.string(),
  scoredBlock: z.number(),
  seller: z.string(),
  holder: z.string(),
});

export const MODEL =
  "Logistic regression: P(late) = 1 / (1 + e^−(b0 + Σ wᵢ zᵢ)) with zᵢ = (xᵢ − meanᵢ) / stdᵢ; each reason's contribution is wᵢ zᵢ. A receivable already more than grace days past due has probability 1. " +
  "Coefficients: server/risk/coefficients.ts (fitted by npm run bench:risk; retrain from the ledger with node scripts/risk-train.ts). " +
  FEATURE_DEFINITIONS;

const ACCESS =
  "a session; auditors (active) and the operator see every score, anyone else the receivables it issued (seller) or holds; another's receivable is 404";

export const ThresholdBody = z.strictObject({
  probability: z.number().gt(0).lt(1).describe("alert when a receivable's probability reaches it (0 < p < 1)"),
  trendDays: z
    .number()
    .min(0)
    .max(365)
    .optional()
    .describe("alert when a buyer's trend (recent − older mean days beyond terms) worsens by at least this many days (default 5)"),
});

export function riskRoutes(router: Router, ctx: AppContext & { risk: RiskService }) {
  const r = (spec: RouteSpec, h: Handler) => route(router, ctx.resolveViewer, spec, h);
  const stamp = async () => blockStamp(await ctx.receivableQueries.indexedBlock(), ctx.finalityDepth);

  r(
    {
      method: "get",
      path: "/api/risk/receivables/:id",
      tag: "risk",
      auth: "session",
      summary: "A receivable's late-payment risk: probability, the top three reasons (en, zh-CN) and its features",
      params: z.strictObject({ id: ReceivableId }),
      access: ACCESS,
      description: MODEL,
      response: ScoreJson.extend({ graceDays: z.number(), block: BlockStamp }),
    },
    async ({ viewer, params }) => ({ ...(await ctx.risk.receivableScore(viewer!, params.id)), block: await stamp() }),
  );

  r(
    {
      method: "get",
      path: "/api/risk/scores",
      tag: "risk",
      auth: "session",
      summary: "The viewer's open receivables by late-payment risk, highest first, paged",
      query: z.strictObject({
        buyer: Address.optional(),
        minProbability: z
          .string()
          .regex(/^(0(\.\d+)?|1(\.0+)?)$/, "must be a probability between 0 and 1")
          .transform(Number)
          .optional(),
        limit: z
          .string()
          .regex(/^\d{1,4}$/, "must be an integer 1..500")
          .transform(Number)
          .pipe(z.number().int().min(1).max(500))
          .optional(),
        offset: z
          .string()
          .regex(/^\d{1,9}$/, "must be a non-negative integer")
          .transform(Number)
          .optional(),
      }),
      access: ACCESS,
      description: MODEL,
      response: z.object({
        total: z.number(),
        graceDays: z.number(),
        items: z.array(ScoreJson.extend({ outstanding: z.string(), dueDate: z.number() })),
        block: BlockStamp,
      }),
    },
    async ({ viewer, query }) => ({
      ...(await ctx.risk.scores(viewer!, { buyer: query.buyer, minProbability: query.minProbability, limit: query.limit ?? 50, offset: query.offset ?? 0 })),
      block: await stamp(),
    }),
  );

  r(
    {
      method: "put",
      path: "/api/risk/thresholds",
      tag: "risk",
      auth: "session",
      summary: "Set the viewer's (as creditor) alert thresholds: a probability, and a worsening of a buyer's trend in days",
      body: ThresholdBody,
      access: "active sellers, financiers and insurers (creditors) and the operator, for their own member; others 403",
      response: z.object({ creditor: z.string(), probability: z.number(), trendDays: z.number(), updatedAt: z.string() }),
    },
    async ({ viewer, body }) => await ctx.risk.setThreshold(viewer!, body as z.infer<typeof ThresholdBody>),
  );

  r(
    {
      method: "get",
      path: "/api/risk/thresholds",
      tag: "risk",
      auth: "session",
      summary: "The viewer's alert thresholds (null when none are set: no alerts)",
      access: "a session; its own member's thresholds",
      response: z.object({ threshold: z.object({ creditor: z.string(), probability: z.number(), trendDays: z.number(), updatedAt: z.string() }).nullable() }),
    },
    async ({ viewer }) => ({ threshold: await ctx.risk.threshold(viewer!) }),
  );

  r(
    {
      method: "get",
      path: "/api/risk/alerts",
      tag: "risk",
      auth: "session",
      summary: "Alerts raised for the viewer as creditor (a score reached its threshold; a buyer's trend worsened), newest first",
      query: z.strictObject({
        limit: z
          .string()
          .regex(/^\d{1,3}$/, "must be an integer 1..500")
          .transform(Number)
          .pipe(z.number().int().min(1).max(500))
          .optional(),
      }),
      access: "a session; a creditor its own alerts, auditors (active) and the operator every alert",
      description:
        "An alert is raised once per creditor, receivable and threshold (dedupe key risk:<creditor>:<receivable>:<threshold>) when a re-score moves the probability from below the threshold to at or above it; and once per creditor, buyer and block when the buyer's trendDays rose by at least the creditor's trendDays since the last re-score. Each is also enqueued in the outbox with the same key (e-mail to the creditor's company profile contact, when it has one).",
      response: z.object({
        items: z.array(
          z.object({
            id: z.number(),
            dedupeKey: z.string(),
            creditor: z.string(),
            kind: z.enum(["threshold", "trend"]),
            receivableId: z.string().nullable(),
            buyer: z.string(),
            probability: z.number().nullable(),
            threshold: z.number(),
            before: z.number().nullable(),
            after: z.number(),
            block: z.number(),
            createdAt: z.string(),
          }),
        ),
      }),
    },
    async ({ viewer, query }) => ({ items: await ctx.risk.alerts(viewer!, query.limit ?? 100) }),
  );
}
