// Invoice details, near-duplicate pre-check, reason texts and the dispute thread (issue 9, items 15–17).
import express, { type Router } from "express";
import { z } from "zod";
import { keccak256, toHex } from "viem";
import { routesOn } from "../http/route.ts";
import type { AppContext } from "../http/context.ts";
import { BaseUnits, TaxId, InvoiceNumber, FreeText, Name } from "../http/validate.ts";
import { ReceivableParams } from "./schemas.ts";
import { canSeeReceivable, NO_INVOLVEMENT, type Viewer } from "./visibility.ts";
import { factsOf } from "./invoice-details.ts";
import { requireDesk } from "../members/desk.ts";
import { documentHash } from "../../common/fingerprint.ts";
import { HttpError, badRequest, forbidden, notFound } from "../errors.ts";

export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

const Currency = z
  .string()
  .regex(/^[A-Za-z]{3}$/, "must be a 3-letter ISO 4217 code")
  .transform((s) => s.toUpperCase());
const IssueDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "must be YYYY-MM-DD")
  .refine((s) => !Number.isNaN(Date.parse(s + "T00:00:00Z")), "is not a real date");
const DetailsBody = z.strictObject({
  sellerTaxId: TaxId,
  buyerTaxId: TaxId,
  invoiceNumber: InvoiceNumber,
  currency: Currency,
  amount: BaseUnits.describe("face amount in base units"),
  issueDate: IssueDate,
});
const SimilarBody = DetailsBody.extend({
  documentHash: z
    .string()
    .regex(/^0x[0-9a-fA-F]{64}$/, "must be a 32-byte hex hash")
    .transform((s) => s.toLowerCase())
    .optional(),
});

/** Which on-chain field each kind of text is the preimage of. */
const REASON_SOURCES = {
  dispute: { event: "ReceivableDisputed", arg: "reasonHash" },
  creditNote: { event: "CreditNoteIssued", arg: "reasonHash" },
  bankPayment: { event: "BankPaymentAttested", arg: "bankReference" },
} as const;
const ReasonBody = z.strictObject({ kind: z.enum(["dispute", "creditNote", "bankPayment"]), text: z.string().min(1, "must not be empty").max(4000) });

/** The services these routes use (and nothing else of the context). */
export function detailRoutes(
  router: Router,
  ctx: Pick<AppContext, "companies" | "invoiceDetailStore" | "invoiceDetails" | "receivableQueries" | "resolveViewer" | "staff">,
) {
  const r = routesOn(router, ctx.resolveViewer);

  /** The receivable with its events, or 404 when unknown or not visible (the operator may pass for bank references). */
  async function visible(viewer: Viewer, id: string, opts: { operatorToo?: boolean } = {}) {
    const got = await ctx.receivableQueries.get(id);
    const involvement = (await ctx.receivableQueries.involvement([id])).get(id) ?? NO_INVOLVEMENT;
    if (!got.state || !(canSeeReceivable(viewer, got.state, involvement) || (opts.operatorToo && viewer.isOperator)))
      throw notFound(`receivable ${id} not found`);
    return { state: got.state, events: got.events };
  }

  r(
    {
      method: "post",
      path: "/api/receivables/:id/details",
      tag: "receivables",
      auth: "session",
      summary: "Submit the invoice behind a receivable; stored only when its salted fingerprint equals the id",
      params: ReceivableParams,
      body: DetailsBody,
      access: "the receivable's seller",
      response: z.object({ number: z.string(), similar: z.array(z.unknown()) }).passthrough(),
    },
    async ({ viewer, params, body }) => {
      const b = body as z.infer<typeof DetailsBody>;
      return await ctx.invoiceDetails.submit(viewer, params.id, { ...b, amount: BigInt(b.amount) });
    },
  );

  r(
    {
      method: "post",
      path: "/api/invoices/similar",
      tag: "receivables",
      auth: "session",
      summary:
        "Before registering: receivables similar to these invoice details (same document, same seller + invoice number, or same parties, date and amount within 0.01)",
      body: SimilarBody,
      access: "admitted members (others 403); a similar receivable is named only to who may see it, otherwise 'a similar invoice exists'",
      response: z.object({ similar: z.array(z.unknown()) }),
    },
    async ({ viewer, body }) => {
      // Even "a similar invoice exists" tells something about another member's invoices: members only.
      if (!viewer.active || viewer.roles === 0) throw forbidden("the similar-invoice check is for admitted members");
      const b = body as z.infer<typeof SimilarBody>;
      return { similar: await ctx.invoiceDetails.similarTo(viewer, factsOf({ ...b, amount: BigInt(b.amount) }, b.documentHash)) };
    },
  );

  r(
    {
      method: "post",
      path: "/api/receivables/:id/reasons",
      tag: "disputes",
      auth: "session",
      summary:
        "Keep the text of a dispute reason, credit-note reason or bank reference; accepted only when keccak256 of its UTF-8 bytes is the hash in one of the receivable's events",
      params: ReceivableParams,
      body: ReasonBody,
      access: "who may see the receivable (the operator too, for bank references)",
    },
    async ({ viewer, params, body }) => {
      const b = body as z.infer<typeof ReasonBody>;
      const { events } = await visible(viewer, params.id, { operatorToo: b.kind === "bankPayment" });
      const src = REASON_SOURCES[b.kind];
      const text = b.kind === "bankPayment" ? b.text.trim() : b.text;
      const hash = keccak256(toHex(text));
      const onChain = events.filter((e) => e.name === src.event).map((e) => String(e.args[src.arg]).toLowerCase());
      if (onChain.length === 0) throw new HttpError(409, "no_such_event", `receivable ${params.id} has no ${src.event} event`);
      if (!onChain.includes(hash)) throw new HttpError(422, "hash_mismatch", `keccak256 of the text is ${hash}; the chain has ${onChain.join(", ")}`);
      if (!viewer.isOperator) requireDesk(viewer, "invoiceDetails", "keeping a reason text");
      await ctx.invoiceDetailStore.putReason({
        receivableId: params.id,
        kind: b.kind,
        hash,
        text,
        submittedBy: viewer.member,
        actor: viewer.address,
        submittedAt: new Date(),
      });
      return { receivableId: params.id, kind: b.kind, hash, text, submittedBy: viewer.member, actor: viewer.address };
    },
  );

  r(
    {
      method: "get",
      path: "/api/receivables/:id/discussion",
      tag: "disputes",
      auth: "session",
      summary: "Reason texts (verified against the chain), the dispute's reply thread and its attachments",
      params: ReceivableParams,
      access: "who may see the receivable",
    },
    async ({ viewer, params }) => {
      await visible(viewer, params.id);
      const [reasons, messages, attachments, companies] = await Promise.all([
        ctx.invoiceDetailStore.reasons(params.id),
        ctx.invoiceDetailStore.messages(params.id),
        ctx.invoiceDetailStore.attachments(params.id),
        ctx.companies.all(),
      ]);
      const name = new Map(companies.map((c) => [c.address, c.legalName]));
      // The people of the thread's two parties (seller and buyer), by key, for "who wrote it".
      const parties = [...new Set(messages.map((m) => m.author))];
      const staffName = new Map((await Promise.all(parties.map((p) => ctx.staff.ofMember(p)))).flat().map((s) => [s.address, s.name]));
      return {
        reasons: reasons.map((x) => ({
          kind: x.kind,
          hash: x.hash,
          text: x.text,
          submittedBy: x.submittedBy,
          actor: x.actor ?? x.submittedBy,
          submittedAt: x.submittedAt.toISOString(),
        })),
        messages: messages.map((m) => ({
          id: m.id,
          author: m.author,
          authorName: name.get(m.author) ?? null,
          actor: m.actor ?? m.author,
          actorName: staffName.get(m.actor ?? m.author) ?? null,
          body: m.body,
          createdAt: m.createdAt.toISOString(),
        })),
        attachments: attachments.map((a) => ({
          id: a.id,
          fileName: a.fileName,
          contentType: a.contentType,
          hash: a.hash,
          uploadedBy: a.uploadedBy,
          actor: a.actor ?? a.uploadedBy,
          uploadedAt: a.uploadedAt.toISOString(),
        })),
      };
    },
  );

  /** Seller and buyer of a disputed receivable. */
  async function disputeParty(viewer: Viewer, id: string) {
    const { state, events } = await visible(viewer, id);
    if (viewer.member !== state.seller && viewer.member !== state.buyer) throw forbidden("only the seller and the buyer take part in a dispute");
    requireDesk(viewer, "disputeReplies", "replying in a dispute");
    if (!events.some((e) => e.name === "ReceivableDisputed")) throw new HttpError(409, "not_disputed", `receivable ${id} has not been disputed`);
    return state;
  }

  r(
    {
      method: "post",
      path: "/api/receivables/:id/dispute/messages",
      tag: "disputes",
      auth: "session",
      summary: "Post a message to the dispute's thread (who and when are recorded)",
      params: ReceivableParams,
      body: z.strictObject({ body: FreeText(4000) }),
      access: "the receivable's seller and buyer, once it was disputed",
    },
    async ({ viewer, params, body }) => {
      await disputeParty(viewer, params.id);
      const m = await ctx.invoiceDetailStore.addMessage({
        receivableId: params.id,
        author: viewer.member,
        actor: viewer.address,
        body: (body as { body: string }).body,
        createdAt: new Date(),
      });
      return { id: m.id, author: m.author, actor: m.actor, body: m.body, createdAt: m.createdAt.toISOString() };
    },
  );

  router.post("/api/receivables/:id/dispute/attachments", express.raw({ type: () => true, limit: MAX_ATTACHMENT_BYTES }));
  r(
    {
      method: "post",
      path: "/api/receivables/:id/dispute/attachments",
      tag: "disputes",
      auth: "session",
      summary: "Attach a file to the dispute (raw body; file name in X-File-Name); its keccak256 is recorded",
      params: ReceivableParams,
      rawBody: "application/octet-stream",
      access: "the receivable's seller and buyer, once it was disputed",
    },
    async ({ req, viewer, params }) => {
      await disputeParty(viewer, params.id);
      const bytes: unknown = req.body;
      if (!Buffer.isBuffer(bytes) || bytes.length === 0) throw badRequest("the request body must be the file's bytes (non-empty)");
      const rawName = decodeURIComponent(String(req.headers["x-file-name"] ?? "attachment"));
      const parsed = Name(200).safeParse(rawName.replace(/[\\/]/g, "_"));
      if (!parsed.success) throw badRequest(`invalid X-File-Name: ${parsed.error.issues[0]?.message}`);
      const a = await ctx.invoiceDetailStore.addAttachment({
        receivableId: params.id,
        fileName: parsed.data,
        contentType: String(req.headers["content-type"] ?? "application/octet-stream").slice(0, 200),
        bytes: new Uint8Array(bytes),
        hash: documentHash(new Uint8Array(bytes)),
        uploadedBy: viewer.member,
        actor: viewer.address,
        uploadedAt: new Date(),
      });
      return {
        id: a.id,
        fileName: a.fileName,
        contentType: a.contentType,
        hash: a.hash,
        bytes: bytes.length,
        uploadedBy: a.uploadedBy,
        actor: a.actor,
        uploadedAt: a.uploadedAt.toISOString(),
      };
    },
  );

  r(
    {
      method: "get",
      path: "/api/receivables/:id/dispute/attachments/:attachmentId",
      tag: "disputes",
      auth: "session",
      summary: "Download a dispute attachment (always as a download, never rendered)",
      params: ReceivableParams.extend({ attachmentId: z.uuid("must be an attachment id") }),
      produces: "application/octet-stream",
      access: "who may see the receivable",
    },
    async ({ res, viewer, params }) => {
      await visible(viewer, params.id);
      const a = await ctx.invoiceDetailStore.attachment(params.id, params.attachmentId);
      if (!a) throw notFound(`no attachment ${params.attachmentId} on receivable ${params.id}`);
      res.setHeader("content-type", "application/octet-stream");
      res.setHeader("content-disposition", `attachment; filename*=UTF-8''${encodeURIComponent(a.fileName)}`);
      res.setHeader("x-content-type-options", "nosniff");
      res.setHeader("content-security-policy", "default-src 'none'; sandbox");
      res.setHeader("x-document-hash", a.hash);
      res.end(Buffer.from(a.bytes));
      return undefined;
    },
  );
}
