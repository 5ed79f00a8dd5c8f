// What the selected account holds: receivables it will collect (a financier's purchased receivables, or a
// seller's own), expected collections by week, and what is overdue.
import { useEffect, useMemo, useState } from "react";
import type { ReceivableJson } from "../api.ts";
import { describeError } from "../chain.ts";
import { listAll } from "../data.ts";
import { DAY_MS, daysUntil, displayDate, isoDay, money, relativeDue } from "../format.ts";
import { useSession } from "../session.tsx";
import { COLLECTABLE, OPEN } from "../../../common/lifecycle.ts";
import { Notice, Party, Spinner, StatusBadge } from "../components/bits.tsx";
import { FinancierPortfolio, SellerFinancing } from "./financing-portfolio.tsx";
import { InvoiceNumber } from "../components/invoice.tsx";
import { BarChart } from "../components/charts/index.tsx";
import { SETTLEMENT_DECIMALS } from "../../../common/money.ts";
import { formatNumber, i18n, useTranslation } from "../i18n/index.ts";

const WEEKS_AHEAD = 8;
const wholeUnits = (v: number) => formatNumber(v);

interface Bucket {
  label: string;
  amount: bigint;
  count: number;
  tone: "overdue" | "normal" | "later";
}

function weekStart(ms: number): number {
  const d = new Date(ms);
  const day = (d.getUTCDay() + 6) % 7; // Monday = 0
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - day);
}

export function collectionBuckets(items: ReceivableJson[], now: number = Date.now()): Bucket[] {
  const thisWeek = weekStart(now);
  const buckets: Bucket[] = [{ label: i18n.t("portfolio.bucket.overdue"), amount: 0n, count: 0, tone: "overdue" }];
  for (let i = 0; i < WEEKS_AHEAD; i++) {
    const from = thisWeek + i * 7 * DAY_MS;
    const label = i === 0 ? i18n.t("portfolio.bucket.thisWeek") : i18n.t("portfolio.bucket.weekOf", { date: displayDate(isoDay(new Date(from))) });
    buckets.push({ label, amount: 0n, count: 0, tone: "normal" });
  }
  buckets.push({ label: i18n.t("portfolio.bucket.later"), amount: 0n, count: 0, tone: "later" });
  for (const r of items) {
    const due = new Date(r.dueDate).getTime();
    const outstanding = BigInt(r.outstanding);
    let b: Bucket;
    if (due < now) b = buckets[0]!;
    else {
      const week = Math.floor((weekStart(due) - thisWeek) / (7 * DAY_MS));
      b = week < WEEKS_AHEAD ? buckets[1 + week]! : buckets[buckets.length - 1]!;
    }
    b.amount += outstanding;
    b.count += 1;
  }
  return buckets;
}

export function PortfolioPage() {
  const { source, account, actingFor, revision, ready, tokenSymbol, roles } = useSession();
  const {
    t,
    i18n: { language },
  } = useTranslation();
  const [items, setItems] = useState<ReceivableJson[] | null>(null);
  const [complete, setComplete] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const me = actingFor ?? undefined; // a staff key reads as its member

  useEffect(() => {
    let cancelled = false;
    if (!me || !ready) return;
    listAll(source, { holder: me })
      .then((res) => {
        if (cancelled) return;
        setItems(res.items);
        setComplete(res.complete);
        setError(null);
      })
      .catch((e) => !cancelled && setError(describeError(e)));
    return () => {
      cancelled = true;
    };
  }, [source, me, revision, ready]);

  const open = useMemo(() => (items ?? []).filter((r) => OPEN.has(r.status) && BigInt(r.outstanding) > 0n), [items]);
  // The bucket labels are in the chosen language: recomputed when it changes.
  const buckets = useMemo(() => collectionBuckets(open.filter((r) => COLLECTABLE.has(r.status))), [open, language]);
  const chart = useMemo(
    () => ({
      categories: buckets.map((b) => b.label),
      series: [{ name: t("portfolio.chartSeries"), values: buckets.map((b) => Number(b.amount) / 10 ** SETTLEMENT_DECIMALS) }],
      perCategoryColors: buckets.map((b) => (b.tone === "overdue" ? "#b91c1c" : b.tone === "later" ? "#94a3b8" : "#1d4ed8")),
    }),
    [buckets, t],
  );
  const max = buckets.reduce((m, b) => (b.amount > m ? b.amount : m), 1n);
  const total = open.reduce((t, r) => t + BigInt(r.outstanding), 0n);
  const overdue = buckets[0]!;
  const collected = (items ?? []).filter((r) => r.status === "Paid").reduce((t, r) => t + BigInt(r.paid), 0n);
  const sorted = [...open].sort((a, b) => a.dueDate.localeCompare(b.dueDate));

  if (!account) return <Notice tone="info">{t("portfolio.noAccount")}</Notice>;
  if (roles.includes("Financier") && source.kind === "api")
    return (
      <section aria-labelledby="portfolio-title">
        <div className="page-head">
          <div>
            <h1 id="portfolio-title">{t("portfolio.title")}</h1>
            <p className="lede">{t("portfolio.ledeFinancier")}</p>
          </div>
        </div>
        <FinancierPortfolio />
      </section>
    );
  return (
    <section aria-labelledby="portfolio-title">
      <div className="page-head">
        <div>
          <h1 id="portfolio-title">{t("portfolio.title")}</h1>
          <p className="lede">{t("portfolio.ledeHolder")}</p>
        </div>
      </div>
      {error && <Notice tone="error">{t("portfolio.loadError", { error })}</Notice>}
      {!items && !error && <Spinner label={t("common.loading")} />}
      {items && (
        <>
          <ul className="summary" aria-label={t("portfolio.summaryLabel")}>
            <li className="card stat">
              <span className="stat-label">{t("portfolio.outstandingHeld")}</span>
              <span className="stat-value">{money(total)}</span>
              <span className="stat-hint">
                {t("portfolio.openReceivables", { count: open.length })} {tokenSymbol && `· ${tokenSymbol}`}
              </span>
            </li>
            <li className="card stat">
              <span className="stat-label">{t("portfolio.overdue")}</span>
              <span className={`stat-value ${overdue.amount > 0n ? "error-text" : ""}`}>{money(overdue.amount)}</span>
              <span className="stat-hint">{t("portfolio.pastDueCount", { n: overdue.count })}</span>
            </li>
            <li className="card stat">
              <span className="stat-label">{t("portfolio.dueNext30")}</span>
              <span className="stat-value">
                {money(open.filter((r) => daysUntil(r.dueDate) >= 0 && daysUntil(r.dueDate) <= 30).reduce((t, r) => t + BigInt(r.outstanding), 0n))}
              </span>
              <span className="stat-hint">{t("portfolio.dueNext30Hint")}</span>
            </li>
            <li className="card stat">
              <span className="stat-label">{t("portfolio.collected")}</span>
              <span className="stat-value">{money(collected)}</span>
              <span className="stat-hint">{t("portfolio.collectedHint")}</span>
            </li>
          </ul>
          {!complete && <Notice tone="warn">{t("portfolio.firstOnly")}</Notice>}

          <section className="card" aria-labelledby="collections-h">
            <h2 id="collections-h">{t("portfolio.collectionsTitle")}</h2>
            <p className="muted small">{t("portfolio.collectionsHint")}</p>
            <BarChart {...chart} format={wholeUnits} />
            <table className="data-table compact buckets">
              <thead>
                <tr>
                  <th scope="col">{t("portfolio.col.week")}</th>
                  <th scope="col" className="num">
                    {t("portfolio.col.receivables")}
                  </th>
                  <th scope="col" className="num">
                    {t("portfolio.col.amount")}
                  </th>
                  <th scope="col" className="bar-col">
                    <span className="sr-only">{t("portfolio.col.share")}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {buckets.map((b) => (
                  <tr key={b.label} className={b.tone === "overdue" && b.amount > 0n ? "row-overdue" : ""}>
                    <th scope="row">{b.label}</th>
                    <td className="num">{b.count}</td>
                    <td className="num">{money(b.amount)}</td>
                    <td className="bar-col" aria-hidden="true">
                      <span className={`bar bar-${b.tone}`} style={{ width: `${Number((b.amount * 1000n) / max) / 10}%` }} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>

          <section className="card" aria-labelledby="holdings-h">
            <h2 id="holdings-h">{t("portfolio.holdingsTitle")}</h2>
            <div className="table-wrap">
              <table className="data-table compact">
                <thead>
                  <tr>
                    <th scope="col">{t("portfolio.col.receivable")}</th>
                    <th scope="col">{t("portfolio.col.seller")}</th>
                    <th scope="col">{t("portfolio.col.buyerDebtor")}</th>
                    <th scope="col" className="num">
                      {t("portfolio.col.outstanding")}
                    </th>
                    <th scope="col">{t("portfolio.col.due")}</th>
                    <th scope="col">{t("portfolio.col.status")}</th>
                  </tr>
                </thead>
                <tbody>
                  {sorted.map((r) => (
                    <tr key={r.id} data-id={r.id}>
                      <td>
                        <a className="id-link" href={`#/receivables/${r.id}`}>
                          <InvoiceNumber r={r} />
                        </a>
                      </td>
                      <td>
                        <Party address={r.seller} />
                      </td>
                      <td>
                        <Party address={r.buyer} />
                      </td>
                      <td className="num">{money(r.outstanding)}</td>
                      <td>
                        <span className="due">
                          {displayDate(r.dueDate)}
                          <span className={daysUntil(r.dueDate) < 0 ? "due-rel overdue" : "due-rel"}>{relativeDue(r.dueDate)}</span>
                        </span>
                      </td>
                      <td>
                        <StatusBadge status={r.status} />
                      </td>
                    </tr>
                  ))}
                  {sorted.length === 0 && (
                    <tr>
                      <td colSpan={6} className="empty">
                        {t("portfolio.empty")}
                      </td>
                    </tr>
                  )}
                </tbody>
              </table>
            </div>
          </section>
          {(roles.includes("Seller") || roles.includes("Buyer")) && <SellerFinancing />}
        </>
      )}
    </section>
  );
}
