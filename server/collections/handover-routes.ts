// Hand-over API (issue 12, Collections item 6): escalate a case to a collection agency or to legal with its
// evidence pack, list a case's hand-overs, recall, and download the pack (PDF, ZIP of the originals).
import type { Router } from "express";
import { z } from "zod";
import { route, type RouteSpec, type Handler } from "../http/route.ts";
import type { AppContext } from "../http/context.ts";
import { FreeText, Name } from "../http/validate.ts";
import { LANGUAGES } from "./policy.ts";

export const HANDOVER_ACCESS =
  "a session of the creditor's administrator or of its staff with the collector or collections-manager desk role: a collector on the cases assigned to it, the collections manager on any of its member's. " +
  "Another creditor's case or hand-over is 404; a staff key without a collections desk role 403.";

export const HANDOVER =
  'A hand-over marks the case handed over (suppressed handedOver): the dunning runs decide nothing for it and cancel what the outbox has not sent yet (reason "handed over"). ' +
  "It produces the evidence pack from the facts final at that moment, kept as produced: a PDF (the invoice and its document's on-chain hash, the buyer's confirmation transaction and block, " +
  "the statement of the balance — face, credit notes, paid, outstanding — and the full ledger, dunning, contact, promise and charge history with dates and persons) and a ZIP of the originals " +
  "(evidence.pdf, history.json, and the stored invoice document when there is one). A case already handed over is 409 already_handed_over; a closed case 409 case_closed. " +
  "A recall ends it: the next level decided is the one due now, never the ones passed while handed over; recalling a case not handed over is 409 not_handed_over.";

const CaseParams = z.strictObject({ id: z.string().uuid("must be a case id") });
const HandoverParams = z.strictObject({ id: z.string().uuid("must be a hand-over id") });

const HandoverBody = z.strictObject({
  kind: z.enum(["agency", "legal"], { error: "must be agency or legal" }),
  agency: Name(200).describe("the collection agency's or the law firm's name"),
  note: FreeText(4000).optional().default(""),
  language: z.enum(LANGUAGES).optional().default("en").describe("the evidence PDF's language"),
});
const RecallBody = z.strictObject({ note: FreeText(4000).optional().default("") });

export function handoverRoutes(router: Router, ctx: AppContext) {
  const r = (spec: RouteSpec, h: Handler) => route(router, ctx.resolveViewer, spec, h);
  const h = ctx.handovers;
  const tag = "collections";

  r(
    {
      method: "get",
      path: "/api/collections/cases/:id/handovers",
      tag,
      auth: "session",
      summary: "A case's hand-overs (oldest first) and whether it is handed over now",
      params: CaseParams,
      access: HANDOVER_ACCESS,
      description: HANDOVER,
    },
    async ({ viewer, params }) => await h.list(viewer!, params.id),
  );
  r(
    {
      method: "post",
      path: "/api/collections/cases/:id/handover",
      tag,
      auth: "session",
      summary: "Hands a case over to a collection agency or to legal (the person is the signed-in one): dunning stops, the evidence pack is produced",
      params: CaseParams,
      body: HandoverBody,
      access: HANDOVER_ACCESS,
      description: HANDOVER,
    },
    async ({ viewer, params, body }) => await h.handOver(viewer!, params.id, body),
  );
  r(
    {
      method: "post",
      path: "/api/collections/cases/:id/recall",
      tag,
      auth: "session",
      summary: "Recalls a handed-over case: dunning resumes from the level due now",
      params: CaseParams,
      body: RecallBody,
      access: HANDOVER_ACCESS,
      description: HANDOVER,
    },
    async ({ viewer, params, body }) => await h.recall(viewer!, params.id, body),
  );
  for (const part of ["pdf", "zip"] as const) {
    r(
      {
        method: "get",
        path: `/api/collections/handovers/:id/evidence.${part}`,
        tag,
        auth: "session",
        summary:
          part === "pdf" ? "The hand-over's evidence pack as PDF" : "The hand-over's evidence pack: a ZIP of the PDF, history.json and the invoice document",
        params: HandoverParams,
        produces: part === "pdf" ? "application/pdf" : "application/zip",
        access: HANDOVER_ACCESS,
        description: HANDOVER,
      },
      async ({ viewer, params, res }) => {
        const { handover, bytes } = await h.evidence(viewer!, params.id, part);
        res
          .status(200)
          .type(part === "pdf" ? "application/pdf" : "application/zip")
          .set("Content-Disposition", `attachment; filename="evidence-${handover.receivableId.slice(0, 10)}-${handover.id.slice(0, 8)}.${part}"`)
          .set(part === "zip" ? { "X-Evidence-Sha256": handover.zipSha256 } : {})
          .send(Buffer.from(bytes));
        return undefined;
      },
    );
  }
}
