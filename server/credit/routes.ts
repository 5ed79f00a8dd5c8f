// Credit API: profiles per counterparty (score, tier, limit, exposure, limit use) and limits set by the operator.
import type { Router } from "express";
import { z } from "zod";
import { route, type RouteSpec, type Handler } from "../http/route.ts";
import type { AppContext } from "../http/context.ts";
import { Address, BaseUnits } from "../http/validate.ts";
import { BlockStamp } from "../receivables/schemas.ts";
import { blockStamp } from "../receivables/service.ts";
import { creditProfileJson, type CreditService } from "./service.ts";
import { SCORE_FORMULA } from "./scoring.ts";

export const CreditProfileJson = z.object({
  address: z.string(),
  score: z.number().int().nullable().describe("0..100; null without payment history"),
  tier: z.enum(["A", "B", "C"]),
  onTimeRatio: z.number().nullable(),
  averageDaysLate: z.number().nullable(),
  decided: z.number().int().describe("receivables settled or past due (the base of the ratios)"),
  disputes: z.number().int(),
  defaults: z.number().int(),
  overdueOpen: z.number().int(),
  reasons: z.array(z.string()),
  limit: z.string().nullable().describe("credit limit in base units; null when none is set"),
  externalRating: z.string().nullable(),
  note: z.string().nullable(),
  limitSetBy: z.string().nullable(),
  limitSetByPerson: z.string().nullable().describe("the person who set the limit (the operator's own key or one of its staff)"),
  limitSetAt: z.string().nullable(),
  exposure: z.string().describe("open confirmed + registered (not yet confirmed) receivables of this buyer, base units"),
  openBalance: z.string(),
  confirmedOpen: z.string(),
  openCount: z.number().int(),
  limitUsePct: z.number().nullable().describe("exposure / limit × 100"),
  dsoDays: z.number().nullable().describe("simple DSO: open balance / face issued in the last 90 days × 90"),
});

export const SetLimitBody = z.strictObject({
  limit: BaseUnits.describe("credit limit in base units (6 decimals)"),
  externalRating: z.string().min(1).max(40).optional().describe("bureau rating entered by the analyst, e.g. BBB+"),
  note: z.string().max(500).optional(),
});

const ACCESS = "the party itself, active financiers, insurers and auditors, and the operator; others 403";

export function creditRoutes(router: Router, ctx: AppContext & { credit: CreditService }) {
  const r = (spec: RouteSpec, h: Handler) => route(router, ctx.resolveViewer, spec, h);
  const stamp = async () => blockStamp(await ctx.receivableQueries.indexedBlock(), ctx.finalityDepth);

  r({ method: "get", path: "/api/credit/profiles", tag: "credit", auth: "session", summary: `Credit profiles of every buyer (and every party with a limit). ${SCORE_FORMULA}`,
      access: "active financiers, insurers, auditors and the operator; others 403",
      response: z.object({ items: z.array(CreditProfileJson), block: BlockStamp }) },
    async ({ viewer }) => ({ items: (await ctx.credit.list(viewer!)).map(creditProfileJson), block: await stamp() }));

  r({ method: "get", path: "/api/credit/profiles/:address", tag: "credit", auth: "session", summary: `A counterparty's credit profile as a debtor. ${SCORE_FORMULA}`,
      params: z.strictObject({ address: Address }), access: ACCESS, response: CreditProfileJson.extend({ block: BlockStamp }) },
    async ({ viewer, params }) => ({ ...creditProfileJson(await ctx.credit.profileFor(viewer!, params.address)), block: await stamp() }));

  r({ method: "put", path: "/api/credit/limits/:address", tag: "credit", auth: "session", summary: "Set a buyer's credit limit (and external rating); answers the updated profile",
      params: z.strictObject({ address: Address }), body: SetLimitBody, access: "the operator (credit analyst); others 403",
      response: CreditProfileJson.extend({ block: BlockStamp }) },
    async ({ viewer, params, body }) => {
      const b = body as z.infer<typeof SetLimitBody>;
      const p = await ctx.credit.setLimit(viewer!, params.address, { limit: BigInt(b.limit), externalRating: b.externalRating, note: b.note });
      return { ...creditProfileJson(p), block: await stamp() };
    });
}
