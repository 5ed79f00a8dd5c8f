// Receivables: list, one with its history, per-party balances, and the invoice document.
import express, { type Router } from "express";
import { z } from "zod";
import { route, type RouteSpec, type Handler } from "../http/route.ts";
import type { AppContext } from "../http/context.ts";
import { Address } from "../http/validate.ts";
import {
  ListReceivablesQuery,
  ReceivableParams,
  ReceivableDetailQuery,
  ReceivableListResponse,
  ReceivableDetailResponse,
  BlockStamp,
} from "./schemas.ts";
import { blockStamp } from "./service.ts";
import { canSeeReceivable } from "./visibility.ts";
import { Role } from "../../common/domain.ts";
import { documentHash } from "../../common/fingerprint.ts";
import { forbidden, notFound, unprocessable, HttpError, badRequest } from "../errors.ts";

export const MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;

const VISIBILITY =
  "seller: its own; buyer: those addressed to it; financier: those listed for financing and those it holds; auditor: all; anyone: what it holds. Others get 404.";

export function receivableRoutes(router: Router, ctx: AppContext) {
  const r = (spec: RouteSpec, h: Handler) => route(router, ctx.resolveViewer, spec, h);

  r({ method: "get", path: "/api/receivables", tag: "receivables", auth: "session", summary: "Receivables the viewer may see: filters, sort, cursor pagination, as of a block", query: ListReceivablesQuery, response: ReceivableListResponse, access: VISIBILITY },
    async ({ viewer, query }) => await ctx.receivables.list(viewer, query));

  r({ method: "get", path: "/api/receivables/:id", tag: "receivables", auth: "session", summary: "One receivable with its full event history (block, transaction)", params: ReceivableParams, query: ReceivableDetailQuery, response: ReceivableDetailResponse, access: VISIBILITY },
    async ({ viewer, params, query }) => await ctx.receivables.get(viewer, params.id, query.asOfBlock));

  r(
    {
      method: "get", path: "/api/balances/:address", tag: "receivables", auth: "session",
      summary: "Open balance and exposure of a party as buyer and as seller (aggregates kept at write time)",
      params: z.strictObject({ address: Address }),
      access: "the party itself, auditors, financiers (buyer exposure), the operator",
      response: z.object({ address: z.string(), buyer: z.unknown(), seller: z.unknown(), block: BlockStamp }),
    },
    async ({ viewer, params }) => {
      const v = viewer!;
      const allowed = v.address === params.address || v.isOperator || (v.active && (v.roles & (Role.Auditor | Role.Financier)) !== 0);
      if (!allowed) throw forbidden("balances are visible to the party itself, auditors, financiers and the operator");
      const { balances: b, block } = await ctx.receivableQueries.balanceWithBlock(params.address);
      const side = (x: (typeof b)["buyer"]) =>
        x
          ? { openBalance: x.openBalance.toString(), openCount: x.openCount, confirmedOpen: x.confirmedOpen.toString(), exposure: x.exposure.toString(), updatedBlock: x.updatedBlock }
          : { openBalance: "0", openCount: 0, confirmedOpen: "0", exposure: "0", updatedBlock: null };
      return { address: params.address, buyer: side(b.buyer), seller: side(b.seller), block: blockStamp(block, ctx.finalityDepth) };
    },
  );

  // Documents: the raw body parser runs only for this route, with its own size limit.
  router.post("/api/receivables/:id/document", express.raw({ type: () => true, limit: MAX_DOCUMENT_BYTES }));
  r(
    {
      method: "post", path: "/api/receivables/:id/document", tag: "documents", auth: "session",
      summary: "Upload the invoice document (raw body); accepted only when its keccak256 equals the on-chain document hash",
      params: ReceivableParams, rawBody: "application/octet-stream", access: "the receivable's seller",
      response: z.object({ receivableId: z.string(), hash: z.string(), bytes: z.number(), contentType: z.string() }),
    },
    async ({ req, viewer, params }) => {
      const state = await ctx.receivables.state(params.id);
      if (!state || !canSeeReceivable(viewer!, state)) throw notFound(`receivable ${params.id} not found`);
      if (state.seller !== viewer!.address) throw forbidden("only the receivable's seller uploads its document");
      const contentType = req.headers["content-type"] ?? "application/octet-stream";
      if (contentType.length > 200 || !/^[\w.+-]+\/[\w.+-]+(\s*;\s*[\w.+-]+=("[^"\\\r\n]*"|[\w.+-]+))*$/.test(contentType)) {
        throw badRequest(`Content-Type "${contentType.slice(0, 80)}" is not a media type (type/subtype[; parameter=value])`);
      }
      const bytes: unknown = req.body;
      if (!Buffer.isBuffer(bytes) || bytes.length === 0) throw badRequest("the request body must be the document's bytes (non-empty)");
      const hash = documentHash(new Uint8Array(bytes));
      if (hash !== state.documentHash) throw unprocessable(`document hash ${hash} does not match the on-chain document hash ${state.documentHash}`);
      await ctx.documents.put({ receivableId: params.id, contentType, bytes: new Uint8Array(bytes), hash, uploadedBy: viewer!.address, uploadedAt: new Date() });
      return { receivableId: params.id, hash, bytes: bytes.length, contentType };
    },
  );

  r(
    {
      method: "get", path: "/api/receivables/:id/document", tag: "documents", auth: "session",
      summary: "Download the invoice document, re-verified against the on-chain hash (X-Document-Hash header)",
      params: ReceivableParams, produces: "application/octet-stream", access: VISIBILITY,
    },
    async ({ res, viewer, params }) => {
      const state = await ctx.receivables.state(params.id);
      if (!state || !canSeeReceivable(viewer!, state)) throw notFound(`receivable ${params.id} not found`);
      const doc = await ctx.documents.get(params.id);
      if (!doc) throw notFound(`no document uploaded for receivable ${params.id}`);
      const hash = documentHash(doc.bytes);
      if (hash !== state.documentHash) throw new HttpError(500, "document_corrupted", `stored document hashes to ${hash}, the chain says ${state.documentHash}`);
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
