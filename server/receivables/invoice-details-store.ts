// Data access for invoice details, reason texts and dispute threads (issue 9, items 15–17). The only file that
// reads these tables.
import { randomUUID } from "node:crypto";
import type { Database } from "../database/client.ts";
import { toDbAmount, fromDbAmount } from "../database/client.ts";

export interface InvoiceDetailRecord {
  receivableId: string;
  sellerTaxId: string;
  sellerTaxIdKey: string;
  buyerTaxId: string;
  buyerTaxIdKey: string;
  invoiceNumber: string;
  invoiceNumberKey: string;
  currency: string;
  amount: bigint;
  issueDate: string;
  documentHash: string;
  /** the member (company) */
  submittedBy: string;
  /** the person (the member's own key or one of its staff); null on rows from before staff existed */
  actor: string | null;
  submittedAt: Date;
}

export interface ReasonTextRecord {
  receivableId: string;
  kind: "dispute" | "creditNote" | "bankPayment";
  hash: string;
  text: string;
  submittedBy: string;
  actor: string | null;
  submittedAt: Date;
}

export interface DisputeMessageRecord {
  id: string;
  receivableId: string;
  /** the member (company) */
  author: string;
  /** the person who wrote it */
  actor: string | null;
  body: string;
  createdAt: Date;
}

export interface DisputeAttachmentRecord {
  id: string;
  receivableId: string;
  fileName: string;
  contentType: string;
  bytes: Uint8Array;
  hash: string;
  uploadedBy: string;
  actor: string | null;
  uploadedAt: Date;
}

const fromRow = (r: any): InvoiceDetailRecord => ({ ...r, amount: fromDbAmount(r.amount) });
/** Bound of the id lists a search or duplicate check works with (a clerk's search, not an export). */
export const MAX_MATCHES = 1000;

const KEY_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

/**
 * Invoice-number keys are [0-9A-Z]+ (validated, then normalised). A prefix search as a range [key, successor(key)),
 * which a plain B-tree index serves under any collation (LIKE 'x%' needs the C collation or text_pattern_ops on
 * PostgreSQL). A key with other characters can only match exactly.
 */
export function prefixRange(key: string): { gte: string; lt?: string } | { equals: string } {
  if (!/^[0-9A-Z]+$/.test(key)) return { equals: key };
  let k = key;
  while (k.length && k[k.length - 1] === "Z") k = k.slice(0, -1);
  if (!k.length) return { gte: key };
  return { gte: key, lt: k.slice(0, -1) + KEY_ALPHABET[KEY_ALPHABET.indexOf(k[k.length - 1]!) + 1] };
}

export function createInvoiceDetailStore(db: Database) {
  const prisma = db.prisma;
  return {
    async put(d: InvoiceDetailRecord): Promise<InvoiceDetailRecord> {
      const { receivableId, ...rest } = d;
      const data = { ...rest, amount: toDbAmount(d.amount) };
      return fromRow(await prisma.invoiceDetail.upsert({ where: { receivableId }, create: { receivableId, ...data }, update: data }));
    },
    async get(receivableId: string): Promise<InvoiceDetailRecord | null> {
      const r = await prisma.invoiceDetail.findUnique({ where: { receivableId } });
      return r && fromRow(r);
    },
    async many(ids: string[]): Promise<Map<string, InvoiceDetailRecord>> {
      if (ids.length === 0) return new Map();
      const rows = await prisma.invoiceDetail.findMany({ where: { receivableId: { in: ids } } });
      return new Map(rows.map((r) => [r.receivableId, fromRow(r)]));
    },
    /** Receivables whose invoice number starts with `key` or whose seller/buyer tax id equals it (indexed lookups). */
    async search(key: string): Promise<string[]> {
      if (!key) return [];
      const rows = await prisma.invoiceDetail.findMany({
        where: { OR: [{ invoiceNumberKey: prefixRange(key) }, { sellerTaxIdKey: key }, { buyerTaxIdKey: key }] },
        select: { receivableId: true },
        take: MAX_MATCHES,
      });
      return rows.map((r) => r.receivableId);
    },
    /** Other receivables of the same seller with the same invoice number (index sellerTaxIdKey, invoiceNumberKey). */
    async sameSellerAndNumber(sellerTaxIdKey: string, invoiceNumberKey: string, exceptId?: string): Promise<InvoiceDetailRecord[]> {
      const rows = await prisma.invoiceDetail.findMany({
        where: { sellerTaxIdKey, invoiceNumberKey, ...(exceptId ? { receivableId: { not: exceptId } } : {}) },
        take: 50,
      });
      return rows.map(fromRow);
    },

    /** Other receivables whose invoice document has this hash (index documentHash). */
    async sameDocument(documentHash: string, exceptId?: string): Promise<InvoiceDetailRecord[]> {
      const rows = await prisma.invoiceDetail.findMany({ where: { documentHash, ...(exceptId ? { receivableId: { not: exceptId } } : {}) }, take: 50 });
      return rows.map(fromRow);
    },

    /** Other receivables of the same seller and buyer issued on the same day (candidates for an invoice-number typo). */
    async sameParties(sellerTaxIdKey: string, buyerTaxIdKey: string, issueDate: string, exceptId?: string): Promise<InvoiceDetailRecord[]> {
      const rows = await prisma.invoiceDetail.findMany({
        where: { sellerTaxIdKey, buyerTaxIdKey, issueDate, ...(exceptId ? { receivableId: { not: exceptId } } : {}) },
        take: 50,
      });
      return rows.map(fromRow);
    },

    // ── reason texts ──
    async putReason(r: ReasonTextRecord) {
      const { receivableId, kind, hash, ...data } = r;
      await prisma.reasonText.upsert({ where: { receivableId_kind_hash: { receivableId, kind, hash } }, create: r, update: data });
    },
    async reasons(receivableId: string): Promise<ReasonTextRecord[]> {
      return (await prisma.reasonText.findMany({ where: { receivableId }, orderBy: { submittedAt: "asc" } })) as ReasonTextRecord[];
    },

    // ── dispute thread ──
    async addMessage(m: Omit<DisputeMessageRecord, "id">): Promise<DisputeMessageRecord> {
      return await prisma.disputeMessage.create({ data: { id: randomUUID(), ...m } });
    },
    async messages(receivableId: string): Promise<DisputeMessageRecord[]> {
      return await prisma.disputeMessage.findMany({ where: { receivableId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
    },
    async addAttachment(a: Omit<DisputeAttachmentRecord, "id">): Promise<Omit<DisputeAttachmentRecord, "bytes">> {
      const row = await prisma.disputeAttachment.create({ data: { id: randomUUID(), ...a, bytes: Buffer.from(a.bytes) as any } });
      const { bytes: _bytes, ...meta } = row;
      return meta;
    },
    async attachments(receivableId: string): Promise<Omit<DisputeAttachmentRecord, "bytes">[]> {
      return await prisma.disputeAttachment.findMany({
        where: { receivableId },
        select: { id: true, receivableId: true, fileName: true, contentType: true, hash: true, uploadedBy: true, actor: true, uploadedAt: true },
        orderBy: [{ uploadedAt: "asc" }, { id: "asc" }],
      });
    },
    async attachment(receivableId: string, id: string): Promise<DisputeAttachmentRecord | null> {
      return await prisma.disputeAttachment.findFirst({ where: { id, receivableId } });
    },
  };
}

export type InvoiceDetailStore = ReturnType<typeof createInvoiceDetailStore>;
