// AR reports API (issue 11): aging with drill-down, the overdue ledger, period KPIs and their monthly series, a buyer's
// payment behaviour, every one as of a block or a date. Definitions in each route's description (OpenAPI).
import type { Router } from "express";
import { routesOn, route, type RouteSpec, type Handler } from "../http/route.ts";
import type { AppContext } from "../http/context.ts";
import type { Viewer } from "../receivables/visibility.ts";
import {
  AgingQuery,
  AgingItemsQuery,
  OverdueQuery,
  KpiQuery,
  SeriesQuery,
  BehaviourQuery,
  AgingResponse,
  ItemsResponse,
  KpiResponse,
  SeriesResponse,
  BehaviourResponse,
  ExportFormatParams,
  AgingExportQuery,
  AgingItemsExportQuery,
  OverdueExportQuery,
  KpiExportQuery,
  SeriesExportQuery,
} from "./schemas.ts";
import { EXPORT_CATALOGS, type ExportCatalog, type ExportLang } from "./export-labels.ts";
import {
  CONTENT_TYPES,
  EXPORT_MAX_ROWS,
  EXPORT_PAGE_ROWS,
  agingTables,
  pagedRows,
  contentDisposition,
  itemsTable,
  periodsTable,
  writeCsv,
  writeXlsx,
  type AsOfJson,
  type ExportDoc,
  type ExportFormat,
  type ExportReport,
  type Table,
} from "./export.ts";

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

export const BEHAVIOUR =
  "Payment behaviour of `buyer`: its receivables (as debtor) in the viewer's scope as of the as-of block, narrowed by seller/holder when given. " +
  "Period: `from`+`to` (≤ 731 days; an end before the start is refused), default the 12 calendar months ending at the as-of date (the day after the same date a year earlier, through the as-of date); a period running past the as-of date closes at the as-of block. " +
  "Events count when their block is after the last block before the period's first day and at most the last block of its last day (or the as-of block): block times are the chain's, days are UTC calendar days. " +
  "Settlement: the ReceivablePaid or BankPaymentAttested event that left nothing outstanding (outstanding = 0; a partial payment before it does not settle); a receivable closed by an accepted credit note without a payment is not a settlement. Split parents are not settled (their parts are). " +
  "Days to pay = settlement day − floor(issueDate / 86400); days late = settlement day − floor(dueDate / 86400) (days beyond terms); on time = days late ≤ 0 (settled by the due day). The settled amount is the face amount after accepted credit notes (the principal settled in all, an early-payment discount included). " +
  "Buckets of days late: on-time (≤ 0), 1-30, 31-60, 61-90, over-90, by count and amount. averageDaysToPay = mean days to pay over the settled receivables; medianDaysToPay = their median (even count: mean of the two middle values); weightedAverageDaysLate = Σ(amount × max(0, days late)) / Σ amount (the amount-weighted days beyond terms, early payment counting 0). " +
  "On-time share by month: per calendar month of settlement, on-time count / count × 100 and on-time amount / amount × 100; null when nothing settled that month. " +
  "Invoice amounts: invoices issued (issueDate) in the period and registered by the as-of block, not cancelled as of it, split parts excluded (as credit sales), by registered face amount (ReceivableRegistered.amount) in whole tokens (6 decimals): under 1,000; 1,000–10,000; 10,000–100,000; 100,000–1,000,000; 1,000,000–10,000,000; 10,000,000 and over (lower edge included). " +
  "Disputes raised: ReceivableDisputed events in the period; resolved: a disputed receivable's ReceivableConfirmed (by confirmation) or ReceivableCancelled (by cancellation) in the period; both with the receivable's registered face amount. Open at the as-of block: receivables then in status Disputed, with their outstanding amount. " +
  "Credit notes: CreditNoteIssued events in the period (their amount) and CreditNoteAccepted events (the accepted note's amount as issued). " +
  "Every figure is a GROUP BY over the as-of state and the events in blocks ≤ the as-of block; ratios in percent and days rounded to 4 decimals, null when the denominator is 0.";

/** The services these routes use (and nothing else of the context). */
export function reportRoutes(router: Router, ctx: ExportContext) {
  const r = routesOn(router, ctx.resolveViewer);

  r(
    {
      method: "get",
      path: "/api/reports/aging",
      tag: "reports",
      auth: "session",
      summary: "Aging of the open balance by days past due, for the viewer's scope or one party, grouped by buyer, seller or holder",
      query: AgingQuery,
      response: AgingResponse,
      access: REPORT_ACCESS,
      description: [AS_OF, OPEN, AGING].join("\n\n"),
    },
    async ({ viewer, query }) => await ctx.reports.aging(viewer, query),
  );

  r(
    {
      method: "get",
      path: "/api/reports/aging/items",
      tag: "reports",
      auth: "session",
      summary: "The open receivables of one aging bucket (drill-down), by due date, paged",
      query: AgingItemsQuery,
      response: ItemsResponse,
      access: REPORT_ACCESS,
      description: [AS_OF, OPEN, AGING].join("\n\n"),
    },
    async ({ viewer, query }) => await ctx.reports.agingItems(viewer, query),
  );

  r(
    {
      method: "get",
      path: "/api/reports/overdue",
      tag: "reports",
      auth: "session",
      summary: "Overdue ledger: every open receivable past due, with days past due, bucket, amount, holder, seller and buyer; sortable, paged",
      query: OverdueQuery,
      response: ItemsResponse,
      access: REPORT_ACCESS,
      description: [
        AS_OF,
        OPEN,
        AGING,
        "Overdue = open with days past due ≥ 1. sort: -daysPastDue (default), daysPastDue, ±outstanding, ±dueDate; ties by id.",
      ].join("\n\n"),
    },
    async ({ viewer, query }) => await ctx.reports.overdue(viewer, query),
  );

  r(
    {
      method: "get",
      path: "/api/reports/kpis",
      tag: "reports",
      auth: "session",
      summary: "DSO (simple, countback), BPDSO, ADD, CEI, collection rate, overdue ratio and at-risk rate over a period",
      query: KpiQuery,
      response: KpiResponse,
      access: REPORT_ACCESS,
      description: [AS_OF, OPEN, KPIS].join("\n\n"),
    },
    async ({ viewer, query }) => await ctx.reports.kpis(viewer, query),
  );

  r(
    {
      method: "get",
      path: "/api/reports/kpis/series",
      tag: "reports",
      auth: "session",
      summary: "The period KPIs month by month (up to 24 calendar months ending at `month`)",
      query: SeriesQuery,
      response: SeriesResponse,
      access: REPORT_ACCESS,
      description: [AS_OF, OPEN, KPIS].join("\n\n"),
    },
    async ({ viewer, query }) => await ctx.reports.series(viewer, query),
  );

  r(
    {
      method: "get",
      path: "/api/reports/payment-behaviour",
      tag: "reports",
      auth: "session",
      summary: "Payment behaviour of a buyer: days-to-pay distribution, on-time share by month, invoice amount distribution, disputes and credit notes",
      query: BehaviourQuery,
      response: BehaviourResponse,
      access: REPORT_ACCESS,
      description: [AS_OF, BEHAVIOUR].join("\n\n"),
    },
    async ({ viewer, query }) => await ctx.reports.paymentBehaviour(viewer, query),
  );

  reportExportRoutes(router, ctx);
}

export const EXPORT =
  "`GET /api/reports/export/{report}.{csv|xlsx}`: the report's rows in a file, as an attachment named after the report, the as-of block and the report date (`ar-overdue_block-1234_2026-12-03.csv`, with the `lang` name in `filename*`); `X-Report-Block`, `X-Report-Block-Hash` and `X-Report-Date` repeat the as-of stamp. " +
  "The same query parameters, validation, scope and service as the report's own route, except paging: the file holds every row (read page by page at the one as-of block of the first page; a reorganisation of that block meanwhile is a 409), at most 100,000 rows — a larger report is a 400 `export_too_large` naming the cap (narrow it with seller, buyer, holder or a bucket). " +
  "`lang=en|zh-CN` (default en) chooses the headers and the labels (buckets, statuses, yes/no). " +
  "CSV: RFC 4180 (CRLF, fields with a comma, quote or line break quoted, quotes doubled), UTF-8 with a byte order mark; amounts as integer token units in plain digits, dates YYYY-MM-DD, ratios in percent as decimals; a text cell starting with = + - @ tab or CR gets a leading apostrophe (formula injection), numbers never. " +
  "Aging: one row per bucket and the total, or with groupBy one row per party (open count and balance, count and amount per bucket) and the total last. " +
  "XLSX: a first sheet with the as-of stamp (block number, hash, final, block time, report date, indexed head, filters, export time), then a sheet per table (aging: the totals sheet and, grouped, the by-party sheet; kpis: one row of figures; series: a row per month; items: a row per receivable) with a bold, frozen header row and the as-of stamp in the printed page header. " +
  "Numbers are numeric cells, dates date cells (yyyy-mm-dd), ratios numbers in percent; amounts are numeric cells when exactly representable (≤ 9007199254740991 = 2^53 − 1) and otherwise TEXT cells holding the exact digits (token units can exceed what a spreadsheet's double holds; Excel also shows at most 15 significant digits).";

/** The request's filters as text for the as-of sheet (already validated; lang left out). */
const filtersText = (raw: Record<string, unknown>) =>
  Object.entries(raw)
    .filter(([k]) => k !== "lang")
    .map(([k, v]) => `${k}=${String(v)}`)
    .join("; ") || "—";

type ExportContext = Pick<AppContext, "reports" | "resolveViewer" | "reportExportMaxRows" | "reportExportPageRows">;

export function reportExportRoutes(router: Router, ctx: ExportContext) {
  // One declaration for five routes whose query schemas differ: the handler's query is the report's, read by `build`.
  const r = (spec: RouteSpec, h: Handler) => route(router, ctx.resolveViewer, spec, h);
  const cap = () => ctx.reportExportMaxRows ?? EXPORT_MAX_ROWS;
  const pageRows = () => ctx.reportExportPageRows ?? EXPORT_PAGE_ROWS;
  type Build = (viewer: Viewer, q: any, c: ExportCatalog) => Promise<{ asOf: AsOfJson; tables: Table[] }>;

  const exportRoute = (report: ExportReport, summary: string, query: RouteSpec["query"], base: string[], build: Build) =>
    r(
      {
        method: "get",
        path: `/api/reports/export/${report}.:format`,
        tag: "reports",
        auth: "session",
        summary,
        params: ExportFormatParams,
        query,
        produces: [CONTENT_TYPES.csv, CONTENT_TYPES.xlsx],
        access: REPORT_ACCESS,
        description: [EXPORT, ...base].join("\n\n"),
      },
      async ({ req, res, viewer, params, query: q }) => {
        const lang = q.lang as ExportLang;
        const c = EXPORT_CATALOGS[lang];
        const { asOf, tables } = await build(viewer!, q, c);
        const doc: ExportDoc = { report, lang, title: c.report[report], asOf, filters: filtersText(req.query as Record<string, unknown>), tables };
        const format = params.format as ExportFormat;
        res.status(200);
        res.setHeader("content-type", CONTENT_TYPES[format]);
        res.setHeader("content-disposition", contentDisposition(doc, format));
        res.setHeader("cache-control", "private, no-store");
        res.setHeader("x-content-type-options", "nosniff");
        res.setHeader("x-report-block", String(asOf.block.number));
        res.setHeader("x-report-block-hash", asOf.block.hash);
        res.setHeader("x-report-date", asOf.reportDate);
        try {
          if (format === "csv") await writeCsv(doc, res);
          else await writeXlsx(doc, res);
        } catch (err) {
          // Failing half-way (a reorganisation of the as-of block, a database error): before the first byte the
          // error is an ordinary JSON answer; after it the connection is cut, so a truncated file never looks whole.
          if (!res.headersSent) {
            for (const h of ["content-type", "content-disposition", "x-report-block", "x-report-block-hash", "x-report-date"]) res.removeHeader(h);
            throw err;
          }
          res.destroy(err as Error);
        }
        return undefined;
      },
    );

  exportRoute(
    "aging",
    "Export the aging (totals, and with groupBy a row per party) as CSV or XLSX",
    AgingExportQuery,
    [AS_OF, OPEN, AGING],
    async (viewer, q, c) => {
      const { first, rows } = await pagedRows(
        (p) => ctx.reports.aging(viewer, { ...q, ...p }),
        (a) => ({ total: a.groupCount, rows: a.groups }),
        cap(),
        pageRows(),
      );
      return { asOf: first.asOf, tables: agingTables(c, first, rows) };
    },
  );
  exportRoute(
    "aging-items",
    "Export the open receivables of one aging bucket (every row) as CSV or XLSX",
    AgingItemsExportQuery,
    [AS_OF, OPEN, AGING],
    async (viewer, q, c) => {
      const { first, rows } = await pagedRows(
        (p) => ctx.reports.agingItems(viewer, { ...q, ...p }),
        (x) => ({ total: x.total, rows: x.items }),
        cap(),
        pageRows(),
      );
      return { asOf: first.asOf, tables: [itemsTable(c, rows)] };
    },
  );
  exportRoute(
    "overdue",
    "Export the overdue ledger (every row, in the chosen sort) as CSV or XLSX",
    OverdueExportQuery,
    [AS_OF, OPEN, AGING],
    async (viewer, q, c) => {
      const { first, rows } = await pagedRows(
        (p) => ctx.reports.overdue(viewer, { ...q, ...p }),
        (x) => ({ total: x.total, rows: x.items }),
        cap(),
        pageRows(),
      );
      return { asOf: first.asOf, tables: [itemsTable(c, rows)] };
    },
  );
  exportRoute("kpis", "Export the period KPIs (one row of figures) as CSV or XLSX", KpiExportQuery, [AS_OF, OPEN, KPIS], async (viewer, q, c) => {
    const k = await ctx.reports.kpis(viewer, q);
    return { asOf: k.asOf, tables: [periodsTable(c, c.sheet.kpis, [k])] };
  });
  exportRoute("series", "Export the monthly KPI series (a row per month) as CSV or XLSX", SeriesExportQuery, [AS_OF, OPEN, KPIS], async (viewer, q, c) => {
    const s = await ctx.reports.series(viewer, q);
    return { asOf: s.asOf, tables: [periodsTable(c, c.sheet.series, s.months)] };
  });
}
