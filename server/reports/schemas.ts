// Request and response schemas of the AR reports (they validate and document the API).
import { z } from "zod";
import { Address, BlockNumber } from "../http/validate.ts";
import { BUCKETS, MAX_SERIES_MONTHS, LATE_BUCKETS, AMOUNT_BUCKETS } from "./service.ts";
import { EXPORT_LANGS } from "./export-labels.ts";

/** YYYY-MM-DD, a real calendar date; parsed to days since the epoch (UTC). */
export const DateOnly = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date YYYY-MM-DD")
  .refine((s) => {
    const t = Date.parse(s + "T00:00:00Z");
    return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === s;
  }, "is not a real calendar date")
  .transform((s) => Math.floor(Date.parse(s + "T00:00:00Z") / 86_400_000));

/** YYYY-MM, parsed to year and month index (0..11). */
export const MonthText = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, "must be a month YYYY-MM")
  .transform((s) => ({ y: Number(s.slice(0, 4)), m: Number(s.slice(5, 7)) - 1 }));

const Int = (min: number, max: number, what: string) =>
  z
    .string()
    .regex(/^\d{1,7}$/, `must be ${what}`)
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

const AsOfFields = {
  asOfBlock: BlockNumber.optional().describe("report as the ledger stood at this block (≤ the indexed head, ≥ the deployment block)"),
  asOfDate: DateOnly.optional().describe(
    "report as the ledger stood at the end of this UTC day (the last indexed block with timestamp ≤ 23:59:59), aged at this date",
  ),
  seller: Address.optional().describe("only receivables issued by this seller"),
  buyer: Address.optional().describe("only receivables owed by this buyer"),
  holder: Address.optional().describe("only receivables held by this holder"),
};
const Page = {
  limit: Int(1, 500, "a page size 1..500").optional().default(100),
  offset: Int(0, 10_000_000, "a non-negative offset").optional().default(0),
};

export const AgingQuery = z.strictObject({
  ...AsOfFields,
  groupBy: z
    .enum(["none", "buyer", "seller", "holder"])
    .optional()
    .default("none")
    .describe("one row per buyer, seller or holder (sorted by open balance, paged by limit/offset), or none"),
  ...Page,
});
export const AgingItemsQuery = z.strictObject({ ...AsOfFields, bucket: z.enum(BUCKETS), ...Page });
export const OverdueQuery = z.strictObject({
  ...AsOfFields,
  sort: z.enum(["-daysPastDue", "daysPastDue", "-outstanding", "outstanding", "dueDate", "-dueDate"]).optional().default("-daysPastDue"),
  ...Page,
});
export const BehaviourQuery = z.strictObject({
  asOfBlock: AsOfFields.asOfBlock,
  asOfDate: AsOfFields.asOfDate,
  buyer: z
    .string({ error: (i) => (i.input === undefined ? "required: the buyer whose payment behaviour is reported (an address)" : undefined) })
    .regex(/^0x[0-9a-fA-F]{40}$/, "must be a 0x-prefixed 20-byte hex address")
    .transform((s) => s.toLowerCase())
    .describe("the buyer (required): its payables in the viewer's scope"),
  seller: AsOfFields.seller,
  holder: AsOfFields.holder,
  from: DateOnly.optional().describe("first day of the period (with to; default: the 12 calendar months ending at the as-of date), at most 731 days"),
  to: DateOnly.optional().describe("last day of the period (with from)"),
});
export const MonthBasisField = z.enum(["30", "calendar"]).optional().describe("30: every month counts 30 days (a quarter 90); calendar (default): actual days");
export const KpiQuery = z.strictObject({
  ...AsOfFields,
  from: DateOnly.optional().describe("first day of a custom period (with to), at most 731 days"),
  to: DateOnly.optional().describe("last day of a custom period (with from)"),
  period: z.enum(["month", "quarter"]).optional().describe("a calendar month, or the calendar quarter containing `month`"),
  month: MonthText.optional().describe("YYYY-MM (default: the as-of date's month)"),
  monthBasis: MonthBasisField,
});
export const SeriesQuery = z.strictObject({
  ...AsOfFields,
  months: Int(1, MAX_SERIES_MONTHS, `a number of months 1..${MAX_SERIES_MONTHS}`).optional().default(12),
  month: MonthText.optional().describe("the last month of the series (default: the as-of date's month)"),
  monthBasis: MonthBasisField,
});

const Amount = z.string().describe("integer token units, decimal string");
export const AsOfStamp = z.object({
  block: z.object({ number: z.number().int(), hash: z.string(), final: z.boolean() }).describe("the block the report is as of"),
  blockTime: z.string().describe("that block's timestamp (ISO 8601)"),
  reportDate: z.string().describe("the UTC day the receivables are aged at: the as-of date, else the block's day"),
  indexedHead: z.number().int(),
});
const BucketRow = z.object({ bucket: z.enum(BUCKETS), count: z.number().int(), amount: Amount });
const AgingTotals = { buckets: z.array(BucketRow), openBalance: Amount, openCount: z.number().int() };
export const AgingResponse = z.object({
  asOf: AsOfStamp,
  groupBy: z.string(),
  ...AgingTotals,
  groups: z.array(z.object({ party: z.string(), ...AgingTotals })),
  groupCount: z.number().int(),
});
export const ReportItemJson = z.object({
  id: z.string(),
  seller: z.string(),
  buyer: z.string(),
  holder: z.string(),
  status: z.string(),
  faceAmount: Amount,
  outstanding: Amount,
  issueDate: z.string(),
  dueDate: z.string(),
  daysPastDue: z.number().int().describe("report day − due day (UTC calendar days), 0 when not due"),
  bucket: z.enum(BUCKETS),
  parentId: z.string().nullable(),
});
export const ItemsResponse = z.object({ asOf: AsOfStamp, bucket: z.enum(BUCKETS).optional(), total: z.number().int(), items: z.array(ReportItemJson) });
const Pct = z.number().nullable();
export const PeriodKpis = z.object({
  period: z.object({ label: z.string(), from: z.string(), to: z.string(), monthBasis: z.string(), days: z.number().int(), complete: z.boolean() }),
  openingBlock: z.number().int(),
  closingBlock: z.number().int(),
  closingDate: z.string(),
  openingAr: Amount,
  closingAr: Amount,
  closingCount: z.number().int(),
  currentAr: Amount,
  pastDueAr: Amount,
  pastDueCount: z.number().int(),
  atRiskAr: Amount,
  atRiskCount: z.number().int(),
  creditSales: Amount,
  cashApplied: Amount,
  dsoSimple: Pct.describe("closing AR / credit sales × days"),
  dsoCountback: z.number().describe("countback DSO (DOMAIN.md), windows of 30 days or calendar months back from the close"),
  countbackExhausted: z.boolean().describe("the AR was larger than 24 windows of sales"),
  bpdso: Pct.describe("current (not yet due) AR / credit sales × days"),
  add: Pct.describe("average days delinquent = simple DSO − BPDSO"),
  cei: Pct.describe("(opening AR + credit sales − closing AR) / (opening AR + credit sales − closing current AR) × 100"),
  collectionRate: Pct.describe("cash applied / (opening AR + credit sales) × 100"),
  overdueRatio: z.object({ amount: Pct, count: Pct }).describe("past-due AR / AR × 100, by amount and count, at the close"),
  atRiskRate: z.object({ amount: Pct, count: Pct }).describe("AR more than 90 days past due / AR × 100, by amount and count, at the close"),
});
export const KpiResponse = PeriodKpis.extend({ asOf: AsOfStamp });
export const SeriesResponse = z.object({ asOf: AsOfStamp, months: z.array(PeriodKpis) });

const CountAmount = z.object({ count: z.number().int(), amount: Amount });
export const BehaviourResponse = z.object({
  asOf: AsOfStamp,
  buyer: z.string(),
  seller: z.string().nullable(),
  holder: z.string().nullable(),
  period: z.object({
    from: z.string(),
    to: z.string(),
    days: z.number().int(),
    closingDate: z.string().describe("the period's last day, or the as-of date when the period runs past it"),
    complete: z.boolean(),
    openingBlock: z.number().int().describe("the last block before the period's first day (events after it count)"),
    closingBlock: z.number().int().describe("the last block of the period's last day, or the as-of block"),
  }),
  daysToPay: z.object({
    settledCount: z.number().int(),
    settledAmount: Amount.describe("face amounts (after accepted credit notes) of the receivables settled in the period"),
    buckets: z
      .array(z.object({ bucket: z.enum(LATE_BUCKETS), count: z.number().int(), amount: Amount }))
      .describe("by days late: on-time (≤ 0), 1-30, 31-60, 61-90, over-90"),
    averageDaysToPay: Pct.describe("mean of settlement day − issue day over the settled receivables"),
    medianDaysToPay: Pct.describe("median of the same (an even count: the mean of the two middle values)"),
    weightedAverageDaysLate: Pct.describe("Σ(face amount × max(0, settlement day − due day)) / Σ face amount"),
  }),
  onTimeByMonth: z.array(
    z.object({
      month: z.string().describe("YYYY-MM, calendar month of settlement"),
      count: z.number().int(),
      amount: Amount,
      onTimeCount: z.number().int(),
      onTimeAmount: Amount,
      onTimeShare: z
        .object({ count: Pct, amount: Pct })
        .describe("settled on or before the due day / settled × 100, by count and by amount; null when nothing settled"),
    }),
  ),
  invoiceAmounts: z
    .object({
      count: z.number().int(),
      amount: Amount,
      buckets: z.array(
        z.object({
          bucket: z.enum(AMOUNT_BUCKETS),
          from: Amount.describe("lower edge, included"),
          to: Amount.nullable().describe("upper edge, excluded"),
          count: z.number().int(),
          amount: Amount,
        }),
      ),
    })
    .describe("invoices issued in the period, by registered face amount"),
  disputes: z.object({
    raised: CountAmount,
    resolved: z.object({ count: z.number().int(), amount: Amount, byConfirmation: CountAmount, byCancellation: CountAmount }),
    openAtAsOf: CountAmount.describe("receivables in status Disputed at the as-of block"),
  }),
  creditNotes: z.object({ issued: CountAmount, accepted: CountAmount }),
});
// ───────────────────────────────────────────────────────────── export ──
// Each export takes its report's query (the same fields and messages) without paging, plus the language.
const Lang = {
  lang: z.enum(EXPORT_LANGS).optional().default("en").describe("language of the column headers and the labels (buckets, statuses): en (default) or zh-CN"),
};
export const ExportFormatParams = z.strictObject({ format: z.enum(["csv", "xlsx"]).describe("csv (RFC 4180, UTF-8 with BOM) or xlsx") });
export const AgingExportQuery = AgingQuery.omit({ limit: true, offset: true }).extend(Lang);
export const AgingItemsExportQuery = AgingItemsQuery.omit({ limit: true, offset: true }).extend(Lang);
export const OverdueExportQuery = OverdueQuery.omit({ limit: true, offset: true }).extend(Lang);
export const KpiExportQuery = KpiQuery.extend(Lang);
export const SeriesExportQuery = SeriesQuery.extend(Lang);
