// Pieces the report sections share: the as-of stamp, the export links, the aging bucket table and chart, a pager.
import { useMemo } from "react";
import { useTranslation } from "../i18n/index.ts";
import { displayDate, money, shortHex } from "../format.ts";
import { BarChart } from "../components/charts/index.tsx";
import { exportUrl, type AsOfStamp, type BucketName, type BucketRow, type ExportReport } from "./api.ts";
import { BUCKET_COLORS, bucketLabel, bucketShortLabel, chartUnits, wholeUnits } from "./format.ts";

/** "As of block 42 (0x12…ab, final) · 3 Dec 2026 09:15 UTC · aged at 3 Dec 2026". */
export function AsOfLine(props: { asOf: AsOfStamp | null | undefined }) {
  const { t } = useTranslation();
  const a = props.asOf;
  if (!a) return null;
  return (
    <p className="as-of" data-testid="as-of-stamp" data-block={a.block.number} data-report-date={a.reportDate}>
      {t("reports.asOf.stamp", { block: a.block.number, hash: shortHex(a.block.hash), date: displayDate(a.reportDate), time: a.blockTime.slice(11, 16) })}{" "}
      <span className={a.block.final ? "badge badge-ok" : "badge badge-muted"}>{a.block.final ? t("reports.asOf.final") : t("reports.asOf.notFinal")}</span>
      {a.block.number !== a.indexedHead && <span className="muted"> · {t("reports.asOf.head", { head: a.indexedHead })}</span>}
    </p>
  );
}

/** CSV and XLSX downloads of one report table, with the query on screen and the chosen language. */
export function ExportLinks(props: { report: ExportReport; query: string; label: string }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language === "zh-CN" ? "zh-CN" : "en";
  return (
    // biome-ignore lint/a11y/useSemanticElements: a group of download links, not form controls (fieldset)
    <span className="export-links" role="group" aria-label={t("reports.export.label", { table: props.label })}>
      {(["csv", "xlsx"] as const).map((f) => (
        <a key={f} className="button small" href={exportUrl(props.report, f, props.query, lang)} download data-export={`${props.report}.${f}`}>
          {t(`reports.export.${f}`)}
        </a>
      ))}
    </span>
  );
}

export function Pager(props: { offset: number; limit: number; total: number; onChange(offset: number): void }) {
  const { t } = useTranslation();
  const { offset, limit, total } = props;
  if (total <= limit) return null;
  return (
    <div className="pager">
      <span>{t("reports.pager.range", { from: offset + 1, to: Math.min(total, offset + limit), total })}</span>
      <button type="button" className="small" disabled={offset === 0} onClick={() => props.onChange(Math.max(0, offset - limit))}>
        {t("reports.pager.previous")}
      </button>
      <button type="button" className="small" disabled={offset + limit >= total} onClick={() => props.onChange(offset + limit)}>
        {t("reports.pager.next")}
      </button>
    </div>
  );
}

/** The six buckets by amount as bars (the table beside it carries the same numbers for screen readers). */
export function AgingChart(props: { buckets: BucketRow[]; height?: number }) {
  const { t, i18n } = useTranslation();
  const chart = useMemo(
    () => ({
      categories: props.buckets.map((b) => bucketShortLabel(b.bucket)),
      series: [{ name: t("reports.aging.chartSeries"), values: props.buckets.map((b) => chartUnits(b.amount)) }],
    }),
    [props.buckets, t, i18n.language],
  );
  return (
    <BarChart
      {...chart}
      perCategoryColors={BUCKET_COLORS}
      format={wholeUnits}
      height={props.height ?? 220}
      locale={i18n.language === "zh-CN" ? "zh-CN" : "en"}
    />
  );
}

/** Buckets with count, amount and share; a bucket's name opens its receivables when `onOpen` is given. */
export function BucketTable(props: {
  buckets: BucketRow[];
  openBalance: string;
  openCount: number;
  selected?: BucketName | null;
  onOpen?(b: BucketName): void;
  className?: string;
}) {
  const { t } = useTranslation();
  const total = BigInt(props.openBalance);
  return (
    <div className="table-wrap">
      <table className={`data-table compact aging-table ${props.className ?? ""}`}>
        <thead>
          <tr>
            <th scope="col">{t("reports.aging.col.bucket")}</th>
            <th scope="col" className="num">
              {t("reports.aging.col.count")}
            </th>
            <th scope="col" className="num">
              {t("reports.aging.col.amount")}
            </th>
            <th scope="col" className="num">
              {t("reports.aging.col.share")}
            </th>
          </tr>
        </thead>
        <tbody>
          {props.buckets.map((b) => (
            <tr
              key={b.bucket}
              data-bucket={b.bucket}
              aria-selected={props.selected === b.bucket ? true : undefined}
              className={props.selected === b.bucket ? "row-selected" : ""}
            >
              <th scope="row">
                {props.onOpen && b.count > 0 ? (
                  <button type="button" className="link" onClick={() => props.onOpen!(b.bucket)} aria-pressed={props.selected === b.bucket}>
                    {bucketLabel(b.bucket)}
                  </button>
                ) : (
                  bucketLabel(b.bucket)
                )}
              </th>
              <td className="num">{b.count}</td>
              <td className="num" data-amount={b.amount}>
                {money(b.amount)}
              </td>
              <td className="num">{total === 0n ? "—" : `${(Number((BigInt(b.amount) * 1000n) / total) / 10).toFixed(1)}%`}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr data-bucket="total">
            <th scope="row">{t("reports.aging.total")}</th>
            <td className="num">{props.openCount}</td>
            <td className="num" data-amount={props.openBalance}>
              {money(props.openBalance)}
            </td>
            <td className="num">{total === 0n ? "—" : "100.0%"}</td>
          </tr>
        </tfoot>
      </table>
    </div>
  );
}
