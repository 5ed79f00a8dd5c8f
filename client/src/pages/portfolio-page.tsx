// What the selected account holds: receivables it will collect (a financier's purchased receivables, or a
// seller's own), expected collections by week, and what is overdue.
import { useEffect, useMemo, useState } from "react";
import type { ReceivableJson } from "../api.ts";
import { describeError } from "../chain.ts";
import { listAll } from "../data.ts";
import { DAY_MS, daysUntil, displayDate, isoDay, money, relativeDue } from "../format.ts";
import { useSession } from "../session.tsx";
import { Notice, Party, Spinner, StatusBadge } from "../components/bits.tsx";
import { FinancierPortfolio, SellerFinancing } from "./financing-portfolio.tsx";
import { InvoiceNumber } from "../components/invoice.tsx";

const WEEKS_AHEAD = 8;
const OPEN = new Set(["Confirmed", "Registered", "Defaulted", "Disputed"]);

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
  const buckets: Bucket[] = [{ label: "Overdue", amount: 0n, count: 0, tone: "overdue" }];
  for (let i = 0; i < WEEKS_AHEAD; i++) {
    const from = thisWeek + i * 7 * DAY_MS;
    buckets.push({ label: i === 0 ? "This week" : `Week of ${displayDate(isoDay(new Date(from)))}`, amount: 0n, count: 0, tone: "normal" });
  }
  buckets.push({ label: `Later`, amount: 0n, count: 0, tone: "later" });
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
  const buckets = useMemo(() => collectionBuckets(open.filter((r) => r.status !== "Registered" && r.status !== "Disputed")), [open]);
  const max = buckets.reduce((m, b) => (b.amount > m ? b.amount : m), 1n);
  const total = open.reduce((t, r) => t + BigInt(r.outstanding), 0n);
  const overdue = buckets[0]!;
  const collected = (items ?? []).filter((r) => r.status === "Paid").reduce((t, r) => t + BigInt(r.paid), 0n);
  const sorted = [...open].sort((a, b) => a.dueDate.localeCompare(b.dueDate));

  if (!account) return <Notice tone="info">Choose an account (top right) to see its portfolio.</Notice>;
  if (roles.includes("Financier") && source.kind === "api")
    return (
      <section aria-labelledby="portfolio-title">
        <div className="page-head">
          <div>
            <h1 id="portfolio-title">Portfolio</h1>
            <p className="lede">Receivables you bought or hold and loans you made: what you paid, your yield, and when the money is expected.</p>
          </div>
        </div>
        <FinancierPortfolio />
      </section>
    );
  return (
    <section aria-labelledby="portfolio-title">
      <div className="page-head">
        <div>
          <h1 id="portfolio-title">Portfolio</h1>
          <p className="lede">Receivables you hold — the ledger pays their buyers' payments to you — and when the money is expected.</p>
        </div>
      </div>
      {error && <Notice tone="error">Could not load the portfolio: {error}</Notice>}
      {!items && !error && <Spinner label="Loading…" />}
      {items && (
        <>
          <ul className="summary" aria-label="Portfolio summary">
            <li className="card stat">
              <span className="stat-label">Outstanding held</span>
              <span className="stat-value">{money(total)}</span>
              <span className="stat-hint">
                {open.length} open receivable{open.length === 1 ? "" : "s"} {tokenSymbol && `· ${tokenSymbol}`}
              </span>
            </li>
            <li className="card stat">
              <span className="stat-label">Overdue</span>
              <span className={`stat-value ${overdue.amount > 0n ? "error-text" : ""}`}>{money(overdue.amount)}</span>
              <span className="stat-hint">{overdue.count} past due date</span>
            </li>
            <li className="card stat">
              <span className="stat-label">Due in the next 30 days</span>
              <span className="stat-value">
                {money(open.filter((r) => daysUntil(r.dueDate) >= 0 && daysUntil(r.dueDate) <= 30).reduce((t, r) => t + BigInt(r.outstanding), 0n))}
              </span>
              <span className="stat-hint">confirmed and unconfirmed</span>
            </li>
            <li className="card stat">
              <span className="stat-label">Collected</span>
              <span className="stat-value">{money(collected)}</span>
              <span className="stat-hint">face amount of paid receivables held</span>
            </li>
          </ul>
          {!complete && <Notice tone="warn">Showing the first 2,000 holdings only.</Notice>}

          <section className="card" aria-labelledby="collections-h">
            <h2 id="collections-h">Expected collections by week</h2>
            <p className="muted small">Outstanding face amount of confirmed (and defaulted) receivables you hold, by due date.</p>
            <table className="data-table compact buckets">
              <thead>
                <tr>
                  <th scope="col">Week</th>
                  <th scope="col" className="num">
                    Receivables
                  </th>
                  <th scope="col" className="num">
                    Amount
                  </th>
                  <th scope="col" className="bar-col">
                    <span className="sr-only">Share</span>
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
            <h2 id="holdings-h">Open holdings</h2>
            <div className="table-wrap">
              <table className="data-table compact">
                <thead>
                  <tr>
                    <th scope="col">Receivable</th>
                    <th scope="col">Seller</th>
                    <th scope="col">Buyer (debtor)</th>
                    <th scope="col" className="num">
                      Outstanding
                    </th>
                    <th scope="col">Due</th>
                    <th scope="col">Status</th>
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
                        You hold no open receivables.
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
