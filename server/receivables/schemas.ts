// Request schemas of the receivables API (zod): they validate requests and generate OpenAPI.
import { z } from "zod";
import { STATUSES } from "../../common/lifecycle.ts";
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
  limit: z
    .string()
    .regex(/^\d{1,4}$/, "must be an integer")
    .transform(Number)
    .pipe(z.number().int().min(1).max(500))
    .optional()
    .describe("1..500, default 50"),
  asOfBlock: BlockNumber.optional().describe("state as of this block"),
  q: z
    .string()
    .trim()
    .min(1, "must not be empty")
    .max(100)
    .optional()
    .describe("search: invoice number (prefix), counterparty name or tax id, or a face amount (e.g. 125,000.00)"),
});

export const ReceivableParams = z.strictObject({
  id: z
    .string()
    .regex(/^0x[0-9a-fA-F]{64}$/, "must be 0x followed by 64 hex digits (the invoice fingerprint)")
    .transform((s) => s.toLowerCase()),
});
export const ReceivableDetailQuery = z.strictObject({ asOfBlock: BlockNumber.optional() });

// Response schemas live in common/api/ (the client infers its types from them).
export { BlockStamp } from "../../common/api/json.ts";
export {
  InvoiceJson,
  SimilarWarningJson,
  ReceivableJson,
  ReceivableEventJson,
  ReceivableListResponse,
  ReceivableDetailResponse,
} from "../../common/api/receivables.ts";
