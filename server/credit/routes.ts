// Credit API: profiles per counterparty (score, tier, limit, exposure, limit use) and limits set by the operator.
import type { Router } from "express";
import { z } from "zod";
import { routesOn } from "../http/route.ts";
import { readStamped } from "../http/stamp.ts";
import type { AppContext } from "../http/context.ts";
import { Address, BaseUnits } from "../http/validate.ts";
import { BlockStamp } from "../receivables/schemas.ts";
import { creditProfileJson, type CreditService } from "./service.ts";
import { SCORE_FORMULA } from "./scoring.ts";

export { CreditProfileJson } from "../../common/api/credit.ts";
import { CreditProfileJson } from "../../common/api/credit.ts";

export const SetLimitBody = z.strictObject({
  limit: BaseUnits.describe("credit limit in base units (6 decimals)"),
  externalRating: z.string().min(1).max(40).optional().describe("bureau rating entered by the analyst, e.g. BBB+"),
  note: z.string().max(500).optional(),
});

const ACCESS = "the party itself, active financiers, insurers and auditors, and the operator; others 403";

/** The services these routes use (and nothing else of the context). */
export function creditRoutes(router: Router, ctx: Pick<AppContext, "finalityDepth" | "receivableQueries" | "resolveViewer"> & { credit: CreditService }) {
  const r = routesOn(router, ctx.resolveViewer);
  // The profile and its "current to block" from one consistent read (see http/stamp.ts).
  const stamped = <T>(read: () => Promise<T>) => readStamped(ctx.receivableQueries.indexedBlock, ctx.finalityDepth, read);

  r(
    {
      method: "get",
      path: "/api/credit/profiles",
      tag: "credit",
      auth: "session",
      summary: `Credit profiles of every buyer (and every party with a limit). ${SCORE_FORMULA}`,
      access: "active financiers, insurers, auditors and the operator; others 403",
      response: z.object({ items: z.array(CreditProfileJson), block: BlockStamp }),
    },
    async ({ viewer }) => {
      const { data, block } = await stamped(() => ctx.credit.list(viewer));
      return { items: data.map(creditProfileJson), block };
    },
  );

  r(
    {
      method: "get",
      path: "/api/credit/profiles/:address",
      tag: "credit",
      auth: "session",
      summary: `A counterparty's credit profile as a debtor. ${SCORE_FORMULA}`,
      params: z.strictObject({ address: Address }),
      access: ACCESS,
      response: CreditProfileJson.extend({ block: BlockStamp }),
    },
    async ({ viewer, params }) => {
      const { data, block } = await stamped(() => ctx.credit.profileFor(viewer, params.address));
      return { ...creditProfileJson(data), block };
    },
  );

  r(
    {
      method: "put",
      path: "/api/credit/limits/:address",
      tag: "credit",
      auth: "session",
      summary: "Set a buyer's credit limit (and external rating); answers the updated profile",
      params: z.strictObject({ address: Address }),
      body: SetLimitBody,
      access: "the operator (credit analyst); others 403",
      response: CreditProfileJson.extend({ block: BlockStamp }),
    },
    async ({ viewer, params, body }) => {
      await ctx.credit.setLimit(viewer, params.address, { limit: BigInt(body.limit), externalRating: body.externalRating, note: body.note });
      const { data, block } = await stamped(() => ctx.credit.profileFor(viewer, params.address));
      return { ...creditProfileJson(data), block };
    },
  );
}
