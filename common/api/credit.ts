// Response schemas of the credit API (/api/credit…): a counterparty's score, tier, limit and exposure. The server
// documents its responses with them; the client infers its types from them.
import { z } from "zod";
import { AddressJson } from "./json.ts";

export const CreditProfileJson = z.object({
  address: AddressJson,
  score: z.number().int().nullable().describe("0..100; null without payment history"),
  tier: z.enum(["A", "B", "C"]),
  onTimeRatio: z.number().nullable(),
  averageDaysLate: z.number().nullable(),
  decided: z.number().int().describe("receivables settled or past due (the base of the ratios)"),
  disputes: z.number().int(),
  defaults: z.number().int(),
  overdueOpen: z.number().int(),
  reasons: z.array(z.string()),
  limit: z.string().nullable().describe("credit limit in base units; null when none is set"),
  externalRating: z.string().nullable(),
  note: z.string().nullable(),
  limitSetBy: z.string().nullable(),
  limitSetByPerson: z.string().nullable().describe("the person who set the limit (the operator's own key or one of its staff)"),
  limitSetAt: z.string().nullable(),
  exposure: z.string().describe("open confirmed + registered (not yet confirmed) receivables of this buyer, base units"),
  openBalance: z.string(),
  confirmedOpen: z.string(),
  openCount: z.number().int(),
  limitUsePct: z.number().nullable().describe("exposure / limit × 100"),
  dsoDays: z.number().nullable().describe("simple DSO: open balance / face issued in the last 90 days × 90"),
});
