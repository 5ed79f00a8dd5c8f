// How the reports show their figures: days and percentages by the chosen language ("—" for a figure the server
// answers null, i.e. one whose denominator is 0), bucket names from the catalog, amounts for charts.
import { SETTLEMENT_DECIMALS } from "../../../common/money.ts";
import { formatNumber, i18n } from "../i18n/index.ts";
import type { BucketName, BucketRow } from "./api.ts";

export const NONE = "—";

export function daysText(v: number | null | undefined): string {
  return v === null || v === undefined ? NONE : i18n.t("reports.unit.days", { value: formatNumber(v, undefined, 1) });
}

export function pctText(v: number | null | undefined): string {
  return v === null || v === undefined ? NONE : `${formatNumber(v, undefined, 1)}%`;
}

export const bucketLabel = (b: BucketName) => i18n.t(`reports.bucket.${b}`);
/** The short name, for a chart's axis ("1–30 days"). */
export const bucketShortLabel = (b: BucketName) => i18n.t(`reports.bucketShort.${b}`);

/** An amount in whole currency units, for a chart's scale (the tables show exact amounts). */
export const chartUnits = (amount: string | bigint) => Number(BigInt(amount)) / 10 ** SETTLEMENT_DECIMALS;

export const wholeUnits = (v: number) => formatNumber(v);

/** Colours of the aging buckets in charts: not due blue, then amber to deep red by age. */
export const BUCKET_COLORS = ["#1d4ed8", "#f59e0b", "#ea580c", "#dc2626", "#b91c1c", "#7f1d1d"];

/** Past due = every bucket but not-due. */
export const pastDueOf = (buckets: BucketRow[]) => buckets.filter((b) => b.bucket !== "not-due").reduce((s, b) => s + BigInt(b.amount), 0n);

/** Days since the epoch of a YYYY-MM-DD (UTC). */
export const dayNumber = (iso: string) => Math.floor(Date.parse(`${iso.slice(0, 10)}T00:00:00Z`) / 86_400_000);
export const dayIso = (day: number) => new Date(day * 86_400_000).toISOString().slice(0, 10);
