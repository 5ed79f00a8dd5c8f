// Request validation with zod: every failure becomes a 400 that names the fields and what is wrong.
import { z } from "zod";
import { badRequest } from "../errors.ts";

export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((i) => {
      const where = i.path.length ? i.path.join(".") : "request";
      if (i.code === "unrecognized_keys")
        return `unknown field${i.keys.length > 1 ? "s" : ""} ${i.keys.map((k) => `"${k}"`).join(", ")}${i.path.length ? ` in ${where}` : ""}`;
      return `${where}: ${i.message}`;
    })
    .join("; ");
}

export function parse<S extends z.ZodType>(schema: S, input: unknown, what: string): z.infer<S> {
  const r = schema.safeParse(input);
  if (!r.success)
    throw badRequest(
      `invalid ${what}: ${describeIssues(r.error)}`,
      r.error.issues.map((i) => ({ path: i.path, message: i.message, code: i.code })),
    );
  return r.data;
}

// Reusable field schemas (also feed the OpenAPI description).
export const Address = z
  .string()
  .regex(/^0x[0-9a-fA-F]{40}$/, "must be a 0x-prefixed 20-byte hex address")
  .transform((s) => s.toLowerCase());
export const ReceivableId = z
  .string()
  .regex(/^0x[0-9a-fA-F]{64}$/, "must be 0x followed by 64 hex digits (the invoice fingerprint)")
  .transform((s) => s.toLowerCase());
export const BaseUnits = z.string().regex(/^\d{1,39}$/, "must be a non-negative integer amount in base units (decimal string, at most 39 digits)");
export const BlockNumber = z
  .string()
  .regex(/^\d{1,10}$/, "must be a block number (non-negative integer)")
  .transform(Number)
  .pipe(z.number().int().min(0).max(2_147_483_647));
export const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?$/, "must be an ISO 8601 date (YYYY-MM-DD or a date-time)")
  .refine((s) => !Number.isNaN(Date.parse(s.length === 10 ? s + "T00:00:00Z" : s)), "is not a real date")
  .transform((s) => Math.floor(Date.parse(s.length === 10 ? s + "T00:00:00Z" : s) / 1000));

// Identifiers and free text (issue 9, item 14): refused with a 400 naming the field; identifiers come out canonical.
import { checkTaxId, checkInvoiceNumber, checkText, PHONE_PATTERN, type Checked } from "../../common/identifiers.ts";

const checked = (check: (s: string) => Checked) =>
  z.string().transform((s, ctx) => {
    const r = check(s);
    if (!r.ok) {
      ctx.addIssue({ code: "custom", message: r.message });
      return z.NEVER;
    }
    return r.value;
  });

export const TaxId = checked(checkTaxId).describe(
  "tax id: ^[A-Z0-9][A-Z0-9-]{1,39}$ after NFKC, dash/space look-alikes mapped, invisibles removed, upper-cased",
);
export const InvoiceNumber = checked(checkInvoiceNumber).describe("invoice number: ^[A-Z0-9][A-Z0-9 ./_-]{0,63}$ after the same normalisation");
/** A single-line name or label: no control or bidi-override characters, 1..max characters. */
export const Name = (max: number) => checked((s) => checkText(s)).pipe(z.string().min(1, "must not be empty").max(max));
/** Multi-line free text (tab and line breaks allowed). */
export const FreeText = (max: number) => checked((s) => checkText(s, { multiLine: true })).pipe(z.string().min(1, "must not be empty").max(max));
export const Phone = z.string().regex(PHONE_PATTERN, "must be a phone number: digits, spaces and + ( ) . / -");
