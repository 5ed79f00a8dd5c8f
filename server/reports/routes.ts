// AR reports API (issue 11): aging with drill-down, the overdue ledger, period KPIs and their monthly series,
// every one as of a block or a date. Definitions in each route's description (OpenAPI).
import type { Router } from "express";
import { routesOn } from "../http/route.ts";
import type { AppContext } from "../http/context.ts";
import { AgingQuery, AgingItemsQuery, OverdueQuery, KpiQuery, SeriesQuery, AgingResponse, ItemsResponse, KpiResponse, SeriesResponse } from "./schemas.ts";

export const REPORT_ACCESS =
  "a session. Scope: auditors (active) and the operator the whole ledger; anyone else what it holds (its AR as creditor), plus with the seller role the receivables it issued and with the buyer role its payables. " +
  "seller/buyer/holder narrow the report to one party: 400 when it is not a member of the consortium, 404 when none of its receivables is in the viewer's scope.";

export const AS_OF =
  "As of: `asOfBlock` (≤ the indexed head, ≥ the deployment block) or `asOfDate` (YYYY-MM-DD: the last indexed block with timestamp ≤ 23:59:59 UTC that day; not before the deployment block's day nor after the head's), default the indexed head. " +
  "The state as of block B is each receivable's version valid at B (current row if unchanged since B, else the undo log's version); receivables registered after B are absent and payments after B not counted. " +
  "The head and any past block go through the same queries. Every answer is stamped with its block (number, hash, final), that block's time and the report date (the as-of date, else the block's UTC day).";

export const OPEN =
  "Open AR: receivables in status Registered, Confirmed, Disputed or Defaulted with outstanding > 0 (the set PartyBalance.openBalance uses): Split parents count through their parts, Paid, Cancelled and WrittenOff are not open. Amounts are outstanding face amounts in integer token units (decimal strings).";

export const AGING =
  "Days past due = report day − floor(dueDate / 86400), in UTC calendar days; buckets: not-due (≤ 0), 1-30, 31-60, 61-90, 91-120, over-120. The buckets sum to the open balance by amount and count. Computed in SQL (GROUP BY over a CASE on the due date).";

export const KPIS =
  "Period: `from`+`to` (≤ 731 days), or `period=month|quarter` with `month=YYYY-MM` (a quarter is the calendar quarter containing it), default the as-of date's month; `monthBasis=30` counts 30 days a month (90 a quarter), `calendar` (default) actual days; a custom period counts its actual days; a period still running at the as-of date closes at the as-of block and counts the days elapsed. " +
  "Opening AR: open AR as of the last block before the period's first day (0 before deployment). Closing AR: open AR as of the last block of the period's last day (or the as-of block), aged at that day; current = not yet due. " +
  "Credit sales: the registered face amount (ReceivableRegistered.amount) of receivables issued (issueDate) in the period and registered by the as-of block; split parts are not new sales (their parent was the sale); an invoice cancelled by the as-of block is not a sale; an accepted credit note does not restate the sale, it reduces AR (outstanding). " +
  "Cash applied: principal (face amount settled) of ReceivablePaid and BankPaymentAttested events in the period's blocks (opening block, closing block], recoveries of subrogated receivables included (they are ReceivablePaid; RecoveryShared only splits them); the receivables in scope as of the closing block. " +
  "Simple DSO = closing AR / credit sales × days. Countback DSO: from the closing AR subtract the latest window's credit sales and count its days, repeat backwards (windows of 30 days or calendar months ending at the close, up to 24); the last window counts the fraction left. BPDSO = current AR / credit sales × days. ADD = simple DSO − BPDSO. " +
  "CEI = (opening AR + credit sales − closing AR) / (opening AR + credit sales − closing current AR) × 100. Collection rate = cash applied / (opening AR + credit sales) × 100. Overdue ratio = past-due AR / AR × 100 at the close, by amount and by count. At-risk rate = AR more than 90 days past due / AR × 100, by amount and count. " +
  "A figure whose denominator is 0 is null. Ratios in percent and days are rounded to 4 decimals.";

/** The services these routes use (and nothing else of the context). */
export function reportRoutes(router: Router, ctx: Pick<AppContext, "reports" | "resolveViewer">) {
  const r = routesOn(router, ctx.resolveViewer);

  r({ method: "get", path: "/api/reports/aging", tag: "reports", auth: "session", summary: "Aging of the open balance by days past due, for the viewer's scope or one party, grouped by buyer, seller or holder", query: AgingQuery, response: AgingResponse, access: REPORT_ACCESS, description: [AS_OF, OPEN, AGING].join("\n\n") },
    async ({ viewer, query }) => await ctx.reports.aging(viewer, query));

  r({ method: "get", path: "/api/reports/aging/items", tag: "reports", auth: "session", summary: "The open receivables of one aging bucket (drill-down), by due date, paged", query: AgingItemsQuery, response: ItemsResponse, access: REPORT_ACCESS, description: [AS_OF, OPEN, AGING].join("\n\n") },
    async ({ viewer, query }) => await ctx.reports.agingItems(viewer, query));

  r({ method: "get", path: "/api/reports/overdue", tag: "reports", auth: "session", summary: "Overdue ledger: every open receivable past due, with days past due, bucket, amount, holder, seller and buyer; sortable, paged", query: OverdueQuery, response: ItemsResponse, access: REPORT_ACCESS, description: [AS_OF, OPEN, AGING, "Overdue = open with days past due ≥ 1. sort: -daysPastDue (default), daysPastDue, ±outstanding, ±dueDate; ties by id."].join("\n\n") },
    async ({ viewer, query }) => await ctx.reports.overdue(viewer, query));

  r({ method: "get", path: "/api/reports/kpis", tag: "reports", auth: "session", summary: "DSO (simple, countback), BPDSO, ADD, CEI, collection rate, overdue ratio and at-risk rate over a period", query: KpiQuery, response: KpiResponse, access: REPORT_ACCESS, description: [AS_OF, OPEN, KPIS].join("\n\n") },
    async ({ viewer, query }) => await ctx.reports.kpis(viewer, query));

  r({ method: "get", path: "/api/reports/kpis/series", tag: "reports", auth: "session", summary: "The period KPIs month by month (up to 24 calendar months ending at `month`)", query: SeriesQuery, response: SeriesResponse, access: REPORT_ACCESS, description: [AS_OF, OPEN, KPIS].join("\n\n") },
    async ({ viewer, query }) => await ctx.reports.series(viewer, query));
}
