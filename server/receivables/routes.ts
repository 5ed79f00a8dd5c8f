// Receivables: list, one with its history, per-party balances, and the invoice document.
import express, { type Router } from "express";
import { z } from "zod";
import { routesOn } from "../http/route.ts";
import type { AppContext } from "../http/context.ts";
import { Address } from "../http/validate.ts";
import { ListReceivablesQuery, ReceivableParams, ReceivableDetailQuery, ReceivableListResponse, ReceivableDetailResponse, BlockStamp } from "./schemas.ts";
import { blockStamp } from "./service.ts";
import type { Viewer } from "./visibility.ts";
import { Role } from "../../common/roles.ts";
import { requireDesk } from "../members/desk.ts";
import { documentHash } from "../../common/fingerprint.ts";
import { forbidden, notFound, unprocessable, HttpError, badRequest } from "../errors.ts";

export const MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;

const VISIBILITY =
  "seller: its own; buyer: those addressed to it; financier: those listed for factoring, those whose holder asked for loan offers, those it lent against; insurer: those it offered a policy on; operator: those it can attest a bank payment on (Confirmed, Defaulted) or attested on; auditor: all; anyone: what it holds. Others get 404.";

const BALANCE_ACCESS =
  "the party itself and active auditors: both sides; active financiers and insurers (credit exposure on a debtor) and the operator (consortium quotas per buyer): the buyer side only, `seller` is null; others 403";

/** Which sides of `address`'s balances the viewer may read (null: none). */
export function balanceSides(v: Viewer, address: string): "both" | "buyer" | null {
  if (v.member === address || (v.active && (v.roles & Role.Auditor) !== 0)) return "both";
  if (v.isOperator || (v.active && (v.roles & (Role.Financier | Role.Insurer)) !== 0)) return "buyer";
  return null;
}

/** The services these routes use (and nothing else of the context). */
export function receivableRoutes(router: Router, ctx: Pick<AppContext, "documents" | "finalityDepth" | "receivableQueries" | "receivables" | "resolveViewer">) {
  const r = routesOn(router, ctx.resolveViewer);

  r(
    {
      method: "get",
      path: "/api/receivables",
      tag: "receivables",
      auth: "session",
      summary: "Receivables the viewer may see: filters, sort, cursor pagination, as of a block",
      query: ListReceivablesQuery,
      response: ReceivableListResponse,
      access: VISIBILITY,
    },
    async ({ viewer, query }) => await ctx.receivables.list(viewer, query),
  );

  r(
    {
      method: "get",
      path: "/api/receivables/:id",
      tag: "receivables",
      auth: "session",
      summary: "One receivable with its full event history (block, transaction)",
      params: ReceivableParams,
      query: ReceivableDetailQuery,
      response: ReceivableDetailResponse,
      access: VISIBILITY,
    },
    async ({ viewer, params, query }) => await ctx.receivables.get(viewer, params.id, query.asOfBlock),
  );

  r(
    {
      method: "get",
      path: "/api/balances/:address",
      tag: "receivables",
      auth: "session",
      summary:
        "Open balance and exposure of a party as buyer and as seller (aggregates kept at write time); `seller` is null where the viewer gets the buyer side only",
      params: z.strictObject({ address: Address }),
      access: BALANCE_ACCESS,
      response: z.object({ address: z.string(), buyer: z.unknown(), seller: z.unknown(), block: BlockStamp }),
    },
    async ({ viewer, params }) => {
      const sides = balanceSides(viewer, params.address);
      if (!sides)
        throw forbidden(`balances are visible to the party itself and auditors (both sides), and to financiers, insurers and the operator (buyer side only)`);
      const { balances: b, block } = await ctx.receivableQueries.balanceWithBlock(params.address);
      const side = (x: (typeof b)["buyer"]) =>
        x
          ? {
              openBalance: x.openBalance.toString(),
              openCount: x.openCount,
              confirmedOpen: x.confirmedOpen.toString(),
              exposure: x.exposure.toString(),
              updatedBlock: x.updatedBlock,
            }
          : { openBalance: "0", openCount: 0, confirmedOpen: "0", exposure: "0", updatedBlock: null };
      return { address: params.address, buyer: side(b.buyer), seller: sides === "both" ? side(b.seller) : null, block: blockStamp(block, ctx.finalityDepth) };
    },
  );

  // Documents: the raw body parser runs only for this route, with its own size limit.
  router.post("/api/receivables/:id/document", express.raw({ type: () => true, limit: MAX_DOCUMENT_BYTES }));
  r(
    {
      method: "post",
      path: "/api/receivables/:id/document",
      tag: "documents",
      auth: "session",
      summary: "Upload the invoice document (raw body); accepted only when its keccak256 equals the on-chain document hash",
      params: ReceivableParams,
      rawBody: "application/octet-stream",
      access: "the receivable's seller",
      response: z.object({ receivableId: z.string(), hash: z.string(), bytes: z.number(), contentType: z.string() }),
    },
    async ({ req, viewer, params }) => {
      const seen = await ctx.receivables.visibleState(viewer, params.id);
      if (!seen) throw notFound(`receivable ${params.id} not found`);
      const state = seen.state;
      if (state.seller !== viewer.member) throw forbidden("only the receivable's seller uploads its document");
      requireDesk(viewer, "invoiceDetails", "uploading an invoice document");
      const contentType = req.headers["content-type"] ?? "application/octet-stream";
      if (contentType.length > 200 || !/^[\w.+-]+\/[\w.+-]+(\s*;\s*[\w.+-]+=("[^"\\\r\n]*"|[\w.+-]+))*$/.test(contentType)) {
        throw badRequest(`Content-Type "${contentType.slice(0, 80)}" is not a media type (type/subtype[; parameter=value])`);
      }
      const bytes: unknown = req.body;
      if (!Buffer.isBuffer(bytes) || bytes.length === 0) throw badRequest("the request body must be the document's bytes (non-empty)");
      const hash = documentHash(new Uint8Array(bytes));
      if (hash !== state.documentHash) throw unprocessable(`document hash ${hash} does not match the on-chain document hash ${state.documentHash}`);
      await ctx.documents.put({
        receivableId: params.id,
        contentType,
        bytes: new Uint8Array(bytes),
        hash,
        uploadedBy: viewer.member,
        actor: viewer.address,
        uploadedAt: new Date(),
      });
      return { receivableId: params.id, hash, bytes: bytes.length, contentType };
    },
  );

  r(
    {
      method: "get",
      path: "/api/receivables/:id/document",
      tag: "documents",
      auth: "session",
      summary: "Download the invoice document, re-verified against the on-chain hash (X-Document-Hash header)",
      params: ReceivableParams,
      produces: "application/octet-stream",
      access: VISIBILITY,
    },
    async ({ res, viewer, params }) => {
      const seen = await ctx.receivables.visibleState(viewer, params.id);
      if (!seen) throw notFound(`receivable ${params.id} not found`);
      if (!seen.document) throw forbidden("the operator sees a receivable to attest bank payments, not its invoice document");
      const state = seen.state;
      const doc = await ctx.documents.get(params.id);
      if (!doc) throw notFound(`no document uploaded for receivable ${params.id}`);
      const hash = documentHash(doc.bytes);
      if (hash !== state.documentHash)
        throw new HttpError(500, "document_corrupted", `stored document hashes to ${hash}, the chain says ${state.documentHash}`);
      // Never active content on the app's origin: a download, not sniffed, and sandboxed if opened anyway.
      res.setHeader("content-type", doc.contentType);
      res.setHeader("content-disposition", `attachment; filename="invoice-${params.id.slice(2, 18)}"`);
      res.setHeader("x-content-type-options", "nosniff");
      res.setHeader("content-security-policy", "default-src 'none'; sandbox");
      res.setHeader("cache-control", "private, no-store");
      res.setHeader("x-document-hash", hash);
      res.end(Buffer.from(doc.bytes));
      return undefined;
    },
  );
}
