// Request and response schemas of the receivables API (zod). They validate requests and generate OpenAPI.
import { z } from "zod";
import { STATUSES } from "../../common/domain.ts";
import { Address, BaseUnits, BlockNumber, IsoDate } from "../http/validate.ts";

const StatusName = z.enum(STATUSES.filter((s) => s !== "None") as [string, ...string[]]);

export const ListReceivablesQuery = z.strictObject({
  seller: Address.optional(),
  buyer: Address.optional(),
  holder: Address.optional(),
  status: z
    .string()
    .transform((s) => s.split(",").map((x) => x.trim()))
    .pipe(z.array(StatusName, { error: `must be a comma-separated list of ${STATUSES.slice(1).join(", ")}` }))
    .optional()
    .describe(`comma-separated statuses: ${STATUSES.slice(1).join(", ")}`),
  dueFrom: IsoDate.optional(),
  dueTo: IsoDate.optional(),
  minAmount: BaseUnits.optional().describe("minimum face amount in base units"),
  maxAmount: BaseUnits.optional().describe("maximum face amount in base units"),
  sort: z
    .enum(["registeredAt", "-registeredAt", "dueDate", "-dueDate", "faceAmount", "-faceAmount", "outstanding", "-outstanding"])
    .optional()
    .describe("sort key; a leading - sorts descending (default -registeredAt)"),
  cursor: z.string().max(512).optional().describe("nextCursor of the previous page"),
  limit: z.string().regex(/^\d{1,4}$/, "must be an integer").transform(Number).pipe(z.number().int().min(1).max(500)).optional().describe("1..500, default 50"),
  asOfBlock: BlockNumber.optional().describe("state as of this block"),
  q: z.string().trim().min(1, "must not be empty").max(100).optional().describe("search: invoice number (prefix), counterparty name or tax id, or a face amount (e.g. 125,000.00)"),
});

export const ReceivableParams = z.strictObject({
  id: z.string().regex(/^0x[0-9a-fA-F]{64}$/, "must be 0x followed by 64 hex digits (the invoice fingerprint)").transform((s) => s.toLowerCase()),
});
export const ReceivableDetailQuery = z.strictObject({ asOfBlock: BlockNumber.optional() });

export const BlockStamp = z.object({
  number: z.number().int(),
  hash: z.string(),
  final: z.boolean(),
});

export const InvoiceJson = z.object({
  number: z.string(), sellerTaxId: z.string(), buyerTaxId: z.string(), currency: z.string(), amount: z.string(), amountText: z.string(),
  issueDate: z.string(), submittedBy: z.string().describe("the seller (member) that submitted them"), actor: z.string().describe("the person who submitted them (the member's own key or one of its staff)"), submittedAt: z.string(), ofParent: z.boolean(),
});
export const SimilarWarningJson = z.object({
  visible: z.boolean(), id: z.string().optional(), invoiceNumber: z.string().optional(), reasons: z.array(z.string()), message: z.string(),
});

export const ReceivableJson = z.object({
  id: z.string(),
  currency: z.string().describe("ISO 4217 code of every amount of this receivable (the ledger's settlement currency)"),
  seller: z.string(),
  buyer: z.string(),
  holder: z.string(),
  status: z.enum(STATUSES as unknown as [string, ...string[]]),
  faceAmount: z.string().describe("base units, decimal string"),
  paid: z.string(),
  outstanding: z.string(),
  issueDate: z.string().describe("ISO 8601"),
  dueDate: z.string(),
  documentHash: z.string(),
  terms: z.object({ discountBps: z.number(), discountDays: z.number(), lateInterestBps: z.number(), graceDays: z.number() }),
  parentId: z.string().nullable(),
  lockedBy: z.string().nullable(),
  listed: z.boolean(),
  registeredAt: z.object({ blockNumber: z.number(), transactionHash: z.string() }),
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
  blockHash: z.string(),
  transactionHash: z.string(),
  logIndex: z.number(),
  args: z.record(z.string(), z.unknown()),
});

export const ReceivableListResponse = z.object({ items: z.array(ReceivableJson), nextCursor: z.string().nullable(), block: BlockStamp });
export const ReceivableDetailResponse = ReceivableJson.extend({ similar: z.array(SimilarWarningJson), events: z.array(ReceivableEventJson), block: BlockStamp });
