// Export of the AR reports as CSV and XLSX (issue 11). The rows are the reports' own JSON answers (the same
// service functions, no second query path), read page after page at ONE as-of block, then laid out as tables of
// typed columns (text, label, amount, integer, decimal, date, yes/no) that the two encoders write:
//   - CSV: RFC 4180 (CRLF, fields with a comma, quote or line break quoted, quotes doubled), UTF-8 with a BOM,
//     amounts as plain integer digits, dates YYYY-MM-DD, text guarded against formula injection;
//   - XLSX (exceljs, streamed): an as-of sheet first, then a sheet per table with a bold, frozen header row;
//     numbers as numeric cells, dates as date cells, amounts as numbers when exact (≤ 2^53 − 1), else as text.
import type { Writable } from "node:stream";
import ExcelJS from "exceljs";
import { HttpError, conflict } from "../errors.ts";
import { BUCKETS } from "./service.ts";
import { EXPORT_CATALOGS, type ExportCatalog, type ExportLang } from "./export-labels.ts";
import type { ReceivableStatus } from "../../common/lifecycle.ts";

export const EXPORT_REPORTS = ["aging", "aging-items", "overdue", "kpis", "series"] as const;
export type ExportReport = (typeof EXPORT_REPORTS)[number];
export const EXPORT_FORMATS = ["csv", "xlsx"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** The most rows one export holds (a larger report is refused, naming the cap: narrow it by party or bucket). */
export const EXPORT_MAX_ROWS = 100_000;
/** Rows asked of the service per call while collecting an export. */
export const EXPORT_PAGE_ROWS = 10_000;

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: "text/csv; charset=utf-8; header=present",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
};

// ───────────────────────────────────────────────────────────── collecting ──

export interface AsOfJson {
  block: { number: number; hash: string; final: boolean };
  blockTime: string;
  reportDate: string;
  indexedHead: number;
}

export interface Pin {
  block: number;
  reportDay: number;
}

export const tooLarge = (rows: number, cap: number) =>
  new HttpError(
    400,
    "export_too_large",
    `the export holds at most ${cap.toLocaleString("en")} rows; this report has ${rows.toLocaleString("en")}: narrow it with seller, buyer or holder (or a bucket)`,
    { details: { rows, cap } },
  );

/**
 * Every row of a paged report, streamed: the first page is read now, as asked (it resolves the as-of block, gives
 * the total and fails the request with a proper 4xx before anything is sent); `rows` then yields its rows and
 * reads the next pages lazily, pinned to that block and report day, so only one page is held at a time. Refuses
 * more than `cap` rows before reading past the first page; a reorganisation that replaces the as-of block
 * half-way is a 409 (export again).
 */
export async function pagedRows<P extends { asOf: AsOfJson }, T>(
  fetch: (page: { limit: number; offset: number; pinned?: Pin }) => Promise<P>,
  rowsOf: (page: P) => { total: number; rows: T[] },
  cap = EXPORT_MAX_ROWS,
  pageRows = EXPORT_PAGE_ROWS,
): Promise<{ first: P; total: number; rows: AsyncIterable<T> }> {
  const first = await fetch({ limit: pageRows, offset: 0 });
  const { total, rows: firstRows } = rowsOf(first);
  if (total > cap) throw tooLarge(total, cap);
  const pinned = { block: first.asOf.block.number, reportDay: Math.floor(Date.parse(first.asOf.reportDate + "T00:00:00Z") / 86_400_000) };
  async function* all(): AsyncGenerator<T> {
    let read = 0;
    let page: T[] = firstRows;
    for (;;) {
      for (const r of page) yield r;
      read += page.length;
      if (read >= total || page.length === 0) break;
      const next = await fetch({ limit: pageRows, offset: read, pinned });
      if (next.asOf.block.hash !== first.asOf.block.hash) {
        throw conflict(
          `the chain reorganised during the export: block ${pinned.block} changed (${first.asOf.block.hash} → ${next.asOf.block.hash}); export again`,
        );
      }
      page = rowsOf(next).rows;
    }
    if (read !== total) throw conflict(`the report changed during the export (${total} rows announced, ${read} read); export again`);
  }
  return { first, total, rows: all() };
}

async function* mapRows<T>(rows: Iterable<T> | AsyncIterable<T>, f: (x: T) => CellValue[], last?: CellValue[]): AsyncGenerator<CellValue[]> {
  for await (const x of rows) yield f(x);
  if (last) yield last;
}

// ───────────────────────────────────────────────────────────── tables ──

/** How a column's values are written: see the file's header. */
export type ColumnKind = "text" | "label" | "amount" | "int" | "decimal" | "date" | "bool";
export type CellValue = string | number | bigint | boolean | null;

export interface Column {
  header: string;
  kind: ColumnKind;
  width?: number;
}

export interface Table {
  sheet: string;
  columns: Column[];
  /** Read once, in order (an export's large tables stream from the service page by page). */
  rows: Iterable<CellValue[]> | AsyncIterable<CellValue[]>;
}

export interface ExportDoc {
  report: ExportReport;
  lang: ExportLang;
  title: string;
  asOf: AsOfJson;
  /** The request's filters as text (`seller=0x…; groupBy=buyer`), shown on the as-of sheet. */
  filters: string;
  /** In sheet order; the CSV holds the last (the most detailed) one. */
  tables: Table[];
}

interface BucketJson {
  bucket: (typeof BUCKETS)[number];
  count: number;
  amount: string;
}
interface AgingJson {
  asOf: AsOfJson;
  groupBy: string;
  buckets: BucketJson[];
  openBalance: string;
  openCount: number;
  groups: { party: string; buckets: BucketJson[]; openBalance: string; openCount: number }[];
  groupCount: number;
}
export interface ItemJson {
  id: string;
  seller: string;
  buyer: string;
  holder: string;
  status: string;
  faceAmount: string;
  outstanding: string;
  issueDate: string;
  dueDate: string;
  daysPastDue: number;
  bucket: (typeof BUCKETS)[number];
  parentId: string | null;
}
export interface PeriodJson {
  period: { label: string; from: string; to: string; monthBasis: string; days: number; complete: boolean };
  openingBlock: number;
  closingBlock: number;
  closingDate: string;
  openingAr: string;
  closingAr: string;
  closingCount: number;
  currentAr: string;
  pastDueAr: string;
  pastDueCount: number;
  atRiskAr: string;
  atRiskCount: number;
  creditSales: string;
  cashApplied: string;
  dsoSimple: number | null;
  dsoCountback: number;
  countbackExhausted: boolean;
  bpdso: number | null;
  add: number | null;
  cei: number | null;
  collectionRate: number | null;
  overdueRatio: { amount: number | null; count: number | null };
  atRiskRate: { amount: number | null; count: number | null };
}

const W = { address: 44, id: 68, amount: 22, date: 12, label: 16, int: 12, decimal: 16 } as const;
const col = (header: string, kind: ColumnKind, width?: number): Column => ({
  header,
  kind,
  width: width ?? (kind === "amount" ? W.amount : kind === "date" ? W.date : kind === "int" ? W.int : kind === "decimal" ? W.decimal : W.label),
});

/** The aging report: a totals table (a row per bucket, then the total) and, when grouped, a row per party. */
export function agingTables(
  c: ExportCatalog,
  a: AgingJson,
  groups: Iterable<AgingJson["groups"][number]> | AsyncIterable<AgingJson["groups"][number]>,
): Table[] {
  const totals: Table = {
    sheet: c.sheet.totals,
    columns: [col(c.col.bucket, "label", 18), col(c.col.count, "int"), col(c.col.amount, "amount")],
    rows: [...a.buckets.map((b) => [c.bucket[b.bucket], b.count, BigInt(b.amount)]), [c.total, a.openCount, BigInt(a.openBalance)]],
  };
  if (a.groupBy === "none") return [totals];
  const g = a.groupBy as "buyer" | "seller" | "holder";
  const bucketRow = (bs: BucketJson[]) =>
    BUCKETS.flatMap((name) => {
      const b = bs.find((x) => x.bucket === name)!;
      return [b.count, BigInt(b.amount)];
    });
  const byParty: Table = {
    sheet: c.sheet.groups,
    columns: [
      col(c.col.party[g], "text", W.address),
      col(c.col.openCount, "int"),
      col(c.col.openBalance, "amount"),
      ...BUCKETS.flatMap((name) => [col(`${c.bucket[name]} (${c.count})`, "int"), col(`${c.bucket[name]} (${c.amount})`, "amount")]),
    ],
    rows: mapRows(groups, (x) => [x.party, x.openCount, BigInt(x.openBalance), ...bucketRow(x.buckets)], [
      c.total,
      a.openCount,
      BigInt(a.openBalance),
      ...bucketRow(a.buckets),
    ]),
  };
  return [totals, byParty];
}

/** Receivable rows (the drill-down and the overdue ledger). */
export function itemsTable(c: ExportCatalog, items: Iterable<ItemJson> | AsyncIterable<ItemJson>): Table {
  return {
    sheet: c.sheet.items,
    columns: [
      col(c.col.id, "text", W.id),
      col(c.col.seller, "text", W.address),
      col(c.col.buyer, "text", W.address),
      col(c.col.holder, "text", W.address),
      col(c.col.status, "label"),
      col(c.col.faceAmount, "amount"),
      col(c.col.outstanding, "amount"),
      col(c.col.issueDate, "date"),
      col(c.col.dueDate, "date"),
      col(c.col.daysPastDue, "int"),
      col(c.col.bucket, "label", 18),
      col(c.col.parentId, "text", W.id),
    ],
    rows: mapRows(items, (i) => [
      i.id,
      i.seller,
      i.buyer,
      i.holder,
      c.status[i.status as ReceivableStatus] ?? i.status,
      BigInt(i.faceAmount),
      BigInt(i.outstanding),
      i.issueDate.slice(0, 10),
      i.dueDate.slice(0, 10),
      i.daysPastDue,
      c.bucket[i.bucket],
      i.parentId,
    ]),
  };
}

/** Period KPIs: one row per period (one for the KPIs, one per month for the series). */
export function periodsTable(c: ExportCatalog, sheet: string, periods: PeriodJson[]): Table {
  const k = c.col;
  return {
    sheet,
    columns: [
      col(k.period, "text", 24),
      col(k.from, "date"),
      col(k.to, "date"),
      col(k.monthBasis, "text", 10),
      col(k.days, "int"),
      col(k.complete, "bool"),
      col(k.openingBlock, "int"),
      col(k.closingBlock, "int"),
      col(k.closingDate, "date"),
      col(k.openingAr, "amount"),
      col(k.closingAr, "amount"),
      col(k.closingCount, "int"),
      col(k.currentAr, "amount"),
      col(k.pastDueAr, "amount"),
      col(k.pastDueCount, "int"),
      col(k.atRiskAr, "amount"),
      col(k.atRiskCount, "int"),
      col(k.creditSales, "amount"),
      col(k.cashApplied, "amount"),
      col(k.dsoSimple, "decimal"),
      col(k.dsoCountback, "decimal"),
      col(k.countbackExhausted, "bool"),
      col(k.bpdso, "decimal"),
      col(k.add, "decimal"),
      col(k.cei, "decimal"),
      col(k.collectionRate, "decimal"),
      col(k.overdueRatioAmount, "decimal"),
      col(k.overdueRatioCount, "decimal"),
      col(k.atRiskRateAmount, "decimal"),
      col(k.atRiskRateCount, "decimal"),
    ],
    rows: periods.map((p) => [
      p.period.label,
      p.period.from,
      p.period.to,
      p.period.monthBasis,
      p.period.days,
      p.period.complete,
      p.openingBlock,
      p.closingBlock,
      p.closingDate,
      BigInt(p.openingAr),
      BigInt(p.closingAr),
      p.closingCount,
      BigInt(p.currentAr),
      BigInt(p.pastDueAr),
      p.pastDueCount,
      BigInt(p.atRiskAr),
      p.atRiskCount,
      BigInt(p.creditSales),
      BigInt(p.cashApplied),
      p.dsoSimple,
      p.dsoCountback,
      p.countbackExhausted,
      p.bpdso,
      p.add,
      p.cei,
      p.collectionRate,
      p.overdueRatio.amount,
      p.overdueRatio.count,
      p.atRiskRate.amount,
      p.atRiskRate.count,
    ]),
  };
}

// ───────────────────────────────────────────────────────────── file name ──

/** RFC 5987 ext-value of a UTF-8 string (attr-char kept, everything else percent-encoded). */
const rfc5987 = (s: string) => encodeURIComponent(s).replace(/['()*]/g, (ch) => "%" + ch.charCodeAt(0).toString(16).toUpperCase());

/** Content-Disposition naming the report, the as-of block and the report date: ASCII `filename` and UTF-8 `filename*`. */
export function contentDisposition(doc: Pick<ExportDoc, "report" | "lang" | "asOf">, format: ExportFormat): string {
  const { number } = doc.asOf.block;
  const date = doc.asOf.reportDate;
  const ascii = `ar-${doc.report}_block-${number}_${date}.${format}`;
  const local = doc.lang === "en" ? ascii : `${EXPORT_CATALOGS[doc.lang].report[doc.report]}_区块-${number}_${date}.${format}`;
  return `attachment; filename="${ascii}"; filename*=UTF-8''${rfc5987(local)}`;
}

// ───────────────────────────────────────────────────────────── CSV ──

/** A text cell Excel or LibreOffice could take for a formula (= + - @ tab CR first) gets a leading apostrophe. */
export function guardText(s: string): string {
  return /^[=+\-@\t\r]/.test(s) ? "'" + s : s;
}

/** One RFC 4180 field: quoted when it holds a comma, a quote or a line break; quotes doubled. */
export function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A cell as CSV text: numbers and amounts as plain digits (never touched by the guard), text guarded. */
export function csvCell(kind: ColumnKind, v: CellValue, c: ExportCatalog): string {
  if (v === null || v === undefined) return "";
  switch (kind) {
    case "amount":
    case "int":
    case "decimal":
      return typeof v === "bigint" ? v.toString() : typeof v === "number" ? numberText(v) : csvField(guardText(String(v)));
    case "bool":
      return v === true ? c.yes : v === false ? c.no : csvField(guardText(String(v)));
    default:
      return csvField(guardText(String(v)));
  }
}

/** A number in plain decimal notation (no exponent). */
function numberText(n: number): string {
  const s = String(n);
  if (!/e/i.test(s)) return s;
  return n.toFixed(Math.min(20, Math.max(0, -Math.floor(Math.log10(Math.abs(n))) + 15))).replace(/\.?0+$/, "");
}

export const csvHeader = (t: Table) => t.columns.map((x) => csvField(guardText(x.header))).join(",") + "\r\n";
export const csvRow = (t: Table, row: CellValue[], c: ExportCatalog) => row.map((v, i) => csvCell(t.columns[i]!.kind, v, c)).join(",") + "\r\n";

/** The CSV lines of a table (header first), each ending with CRLF. */
export async function* csvLines(t: Table, c: ExportCatalog): AsyncGenerator<string> {
  yield csvHeader(t);
  for await (const row of t.rows) yield csvRow(t, row, c);
}

const BOM = "\uFEFF";

const drainOrClose = (out: Writable) =>
  new Promise<void>((resolve) => {
    const done = () => {
      out.off("drain", done);
      out.off("close", done);
      resolve();
    };
    out.once("drain", done);
    out.once("close", done);
  });

/** Writes the CSV (BOM, then the last table's lines) to `out` in chunks, waiting for the stream when it is full. */
export async function writeCsv(doc: ExportDoc, out: Writable): Promise<void> {
  const c = EXPORT_CATALOGS[doc.lang];
  const table = doc.tables[doc.tables.length - 1]!;
  let chunk = BOM;
  for await (const line of csvLines(table, c)) {
    chunk += line;
    if (chunk.length >= 64 * 1024) {
      if (!out.write(chunk)) await drainOrClose(out);
      if (out.destroyed) return; // the client went away: stop reading pages
      chunk = "";
    }
  }
  await new Promise<void>((resolve, reject) => out.end(chunk, (err?: Error | null) => (err ? reject(err) : resolve())));
}

// ───────────────────────────────────────────────────────────── XLSX ──

const NUM_FMT: Partial<Record<ColumnKind, string>> = { amount: "0", int: "0", decimal: "0.0000", date: "yyyy-mm-dd" };
// One style object per kind, shared by every cell of that kind: exceljs caches a style's id by object identity,
// so a shared object is looked up once instead of serialised per cell (about a fifth of the writer's time).
const STYLE: Record<ColumnKind, Partial<ExcelJS.Style>> = {
  text: {},
  label: {},
  bool: {},
  amount: { numFmt: NUM_FMT.amount! },
  int: { numFmt: NUM_FMT.int! },
  decimal: { numFmt: NUM_FMT.decimal! },
  date: { numFmt: NUM_FMT.date! },
};
const TEXT_STYLE: Partial<ExcelJS.Style> = {};

/** Amounts as numeric cells when a double holds them exactly, else as text (digits): never a rounded amount. */
export function amountCell(v: bigint): number | string {
  return v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= -BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
}

const dateCell = (iso: string) => new Date(iso.slice(0, 10) + "T00:00:00Z");

function xlsxCell(kind: ColumnKind, v: CellValue): ExcelJS.CellValue {
  if (v === null || v === undefined) return null;
  if (kind === "amount" && typeof v === "bigint") return amountCell(v);
  if (kind === "date" && typeof v === "string") return dateCell(v);
  if (typeof v === "bigint") return amountCell(v);
  return v;
}

/** Writes the workbook to `out` (streamed): the as-of sheet, then one sheet per table. */
export async function writeXlsx(doc: ExportDoc, out: Writable, now = new Date()): Promise<void> {
  const c = EXPORT_CATALOGS[doc.lang];
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  wb.creator = "receivables-ledger";
  wb.created = now;
  const a = doc.asOf;
  const stamp = `${doc.title} · ${c.about.block} ${a.block.number} (${a.block.hash}) · ${c.about.reportDate} ${a.reportDate}`;
  // Printed pages say what they are as of: the same stamp in every sheet's page header.
  const headerFooter = { oddHeader: `&L${stamp.replace(/&/g, "&&")}`, oddFooter: "&R&P / &N" };

  const about = wb.addWorksheet(c.sheet.asOf, { headerFooter });
  about.columns = [{ width: 24 }, { width: 72 }];
  const aboutRows: [string, ExcelJS.CellValue, string?][] = [
    [c.about.report, doc.title],
    [c.about.block, a.block.number, "0"],
    [c.about.blockHash, a.block.hash],
    [c.about.final, a.block.final],
    [c.about.blockTime, new Date(a.blockTime), "yyyy-mm-dd hh:mm:ss"],
    [c.about.reportDate, dateCell(a.reportDate), "yyyy-mm-dd"],
    [c.about.indexedHead, a.indexedHead, "0"],
    [c.about.filters, doc.filters],
    [c.about.generatedAt, new Date(Math.floor(now.getTime() / 1000) * 1000), "yyyy-mm-dd hh:mm:ss"],
    [c.about.amounts, c.about.amountsNote],
  ];
  for (const [caption, value, fmt] of aboutRows) {
    const row = about.addRow([caption, value]);
    row.getCell(1).font = { bold: true };
    if (fmt) row.getCell(2).numFmt = fmt;
    row.getCell(2).alignment = { horizontal: "left" };
    row.commit();
  }
  about.commit();

  for (const t of doc.tables) {
    const ws = wb.addWorksheet(t.sheet, { views: [{ state: "frozen", ySplit: 1 }], headerFooter });
    ws.columns = t.columns.map((x) => ({ width: x.width ?? 16 }));
    const header = ws.addRow(t.columns.map((x) => x.header));
    header.font = { bold: true };
    header.commit();
    for await (const values of t.rows) {
      const row = ws.addRow(values.map((v, i) => xlsxCell(t.columns[i]!.kind, v)));
      for (let i = 0; i < t.columns.length; i++) {
        const kind = t.columns[i]!.kind;
        const v = values[i];
        // an amount written as text keeps the General format (a numFmt on a string cell is harmless but misleading)
        row.getCell(i + 1).style = v === null || (typeof v === "bigint" && typeof amountCell(v) === "string") ? TEXT_STYLE : STYLE[kind];
      }
      row.commit();
    }
    ws.commit();
  }
  await wb.commit();
}
