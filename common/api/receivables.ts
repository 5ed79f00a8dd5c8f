// Response schemas of the receivables API (/api/receivables…). The server documents its responses with them
// (OpenAPI) and the client infers its types from them (`z.infer`, type-only: no zod in the bundle for these).
import { z } from "zod";
import { STATUSES } from "../lifecycle.ts";
import { AddressJson, AmountJson, BlockStamp, HexJson } from "./json.ts";

export const InvoiceJson = z.object({
  number: z.string(),
  sellerTaxId: z.string(),
  buyerTaxId: z.string(),
  currency: z.string(),
  amount: AmountJson,
  amountText: z.string(),
  issueDate: z.string(),
  submittedBy: z.string().describe("the seller (member) that submitted them"),
  actor: z.string().describe("the person who submitted them (the member's own key or one of its staff)"),
  submittedAt: z.string(),
  ofParent: z.boolean(),
});

/** A near-duplicate warning (issue 9, item 16): the other receivable is named only to who may see it. */
export const SimilarWarningJson = z.object({
  visible: z.boolean(),
  id: HexJson.optional(),
  invoiceNumber: z.string().optional(),
  reasons: z.array(z.string()),
  message: z.string(),
});

export const PaymentTermsJson = z.object({ discountBps: z.number(), discountDays: z.number(), lateInterestBps: z.number(), graceDays: z.number() });

export const ReceivableJson = z.object({
  id: HexJson,
  currency: z.string().describe("ISO 4217 code of every amount of this receivable (the ledger's settlement currency)"),
  seller: AddressJson,
  buyer: AddressJson,
  holder: AddressJson,
  status: z.enum(STATUSES),
  faceAmount: AmountJson,
  paid: AmountJson,
  outstanding: AmountJson,
  issueDate: z.string().describe("ISO 8601"),
  dueDate: z.string(),
  documentHash: HexJson,
  terms: PaymentTermsJson,
  parentId: HexJson.nullable(),
  lockedBy: AddressJson.nullable(),
  listed: z.boolean(),
  registeredAt: z.object({ blockNumber: z.number(), transactionHash: HexJson }),
  updatedBlock: z.number(),
  invoice: InvoiceJson.nullable().optional().describe("the invoice's details as submitted by the seller (split parts: the parent's)"),
  sellerName: z.string().nullable().optional(),
  buyerName: z.string().nullable().optional(),
  overdue: z.boolean().describe("confirmed or defaulted, something outstanding, due date before the chain's time (the one definition every view uses)"),
  daysOverdue: z.number().int().describe("whole days past the due date at the chain's time, rounded up; 0 when not overdue"),
});

export const ReceivableEventJson = z.object({
  type: z.string(),
  blockNumber: z.number(),
  blockHash: HexJson,
  transactionHash: HexJson,
  logIndex: z.number(),
  args: z.record(z.string(), z.unknown()),
});

export const ReceivableListResponse = z.object({ items: z.array(ReceivableJson), nextCursor: z.string().nullable(), block: BlockStamp });
export const ReceivableDetailResponse = ReceivableJson.extend({
  similar: z.array(SimilarWarningJson),
  events: z.array(ReceivableEventJson),
  block: BlockStamp,
});
