// The AR reports API (server/reports/routes.ts, issue 11) as the client reads it: the answers' shapes (written
// here after server/reports/schemas.ts; amounts are decimal strings in base units), the query each report takes,
// the export links, and one hook that fetches an answer and keeps the previous one while the next loads.
import { useEffect, useState } from "react";
import { request } from "../api.ts";
import { useSession } from "../session.tsx";

export const BUCKETS = ["not-due", "1-30", "31-60", "61-90", "91-120", "over-120"] as const;
export type BucketName = (typeof BUCKETS)[number];

export interface AsOfStamp {
  block: { number: number; hash: string; final: boolean };
  blockTime: string;
  reportDate: string;
  indexedHead: number;
}
export interface BucketRow {
  bucket: BucketName;
  count: number;
  amount: string;
}
export interface AgingTotals {
  buckets: BucketRow[];
  openBalance: string;
  openCount: number;
}
export interface AgingResponse extends AgingTotals {
  asOf: AsOfStamp;
  groupBy: string;
  groups: (AgingTotals & { party: string })[];
  groupCount: number;
}
export interface ReportItem {
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
  bucket: BucketName;
  parentId: string | null;
}
export interface ItemsResponse {
  asOf: AsOfStamp;
  bucket?: BucketName;
  total: number;
  items: ReportItem[];
}
type Pct = number | null;
export interface PeriodKpis {
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
  dsoSimple: Pct;
  dsoCountback: number;
  countbackExhausted: boolean;
  bpdso: Pct;
  add: Pct;
  cei: Pct;
  collectionRate: Pct;
  overdueRatio: { amount: Pct; count: Pct };
  atRiskRate: { amount: Pct; count: Pct };
}
export interface KpiResponse extends PeriodKpis {
  asOf: AsOfStamp;
}
export interface SeriesResponse {
  asOf: AsOfStamp;
  months: PeriodKpis[];
}

/** As of the indexed head, the end of a UTC day, or a block. */
export type AsOfChoice = { kind: "head" } | { kind: "date"; date: string } | { kind: "block"; block: string };
export type PartySide = "seller" | "buyer" | "holder";
export type PeriodChoice =
  | { kind: "month" | "quarter"; month: string; monthBasis: "30" | "calendar" }
  | { kind: "custom"; from: string; to: string; monthBasis: "30" | "calendar" };

/** What every report of the page is asked for: the as-of point and the party it is narrowed to. */
export interface ReportFilter {
  asOf: AsOfChoice;
  party: { side: PartySide; address: string } | null;
}

export type Params = Record<string, string | number | undefined>;

/** The query string of the filter and a report's own parameters (empty values left out). */
export function reportQuery(filter: ReportFilter, extra: Params = {}): string {
  const p = new URLSearchParams();
  if (filter.asOf.kind === "date" && filter.asOf.date) p.set("asOfDate", filter.asOf.date);
  if (filter.asOf.kind === "block" && filter.asOf.block) p.set("asOfBlock", filter.asOf.block.trim());
  if (filter.party?.address) p.set(filter.party.side, filter.party.address.trim().toLowerCase());
  for (const [k, v] of Object.entries(extra)) if (v !== undefined && v !== "") p.set(k, String(v));
  return p.toString();
}

/** A KPI request's period parameters (month or quarter by YYYY-MM, or a custom from–to). */
export function periodParams(p: PeriodChoice): Params {
  if (p.kind === "custom") return { from: p.from, to: p.to, monthBasis: p.monthBasis };
  return { period: p.kind, month: p.month || undefined, monthBasis: p.monthBasis };
}

export type ExportReport = "aging" | "aging-items" | "overdue" | "kpis" | "series";

/** The server's export of a report table, with the same query and the language the user reads. */
export function exportUrl(report: ExportReport, format: "csv" | "xlsx", query: string, lang: string): string {
  const q = new URLSearchParams(query);
  q.set("lang", lang);
  return `/api/reports/export/${report}.${format}?${q.toString()}`;
}

export interface Loaded<T> {
  data: T | null;
  error: string | null;
  loading: boolean;
}

/**
 * GET `/api/reports/${path}?${query}` once the session is ready, again when the query or the ledger changes
 * (null path: nothing is fetched). The last answer stays on screen while the next one loads.
 */
export function useReport<T>(path: string | null, query: string): Loaded<T> {
  const { ready, revision, account, reportUnauthorized } = useSession();
  const [state, setState] = useState<Loaded<T>>({ data: null, error: null, loading: !!path });
  useEffect(() => {
    if (!path || !ready || !account) return;
    let cancelled = false;
    setState((s) => ({ ...s, loading: true }));
    request<T>("GET", `/api/reports/${path}${query ? `?${query}` : ""}`)
      .then((data) => !cancelled && setState({ data, error: null, loading: false }))
      .catch((e: unknown) => {
        if (cancelled) return;
        if ((e as { status?: number }).status === 401) reportUnauthorized();
        setState({ data: null, error: e instanceof Error ? e.message : String(e), loading: false });
      });
    return () => {
      cancelled = true;
    };
  }, [path, query, ready, revision, account?.address]);
  return state;
}
