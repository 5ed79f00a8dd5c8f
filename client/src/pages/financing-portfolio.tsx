// Portfolio views from the server's financing endpoints: a financier's holdings (price, discount and yield at
// purchase, collected, overdue), expected collections by week (receivables and loans), weighted yield; a seller's
// financed volume and cost of financing.
import { financingApi, type FinancierPortfolioJson, type SellerPortfolioJson } from "../api.ts";
import { bpsPct, DAY_MS, displayDate, money } from "../format.ts";
import { useSession } from "../session.tsx";
import { Notice, Party, Spinner, StatusBadge } from "../components/bits.tsx";
import { useAccountData } from "../use-account-data.ts";
import { InvoiceNumber } from "../components/invoice.tsx";


export function FinancierPortfolio() {
  const { data: p, error } = useAccountData(() => financingApi.financierPortfolio());
  if (error) return <Notice tone="error">Could not load the portfolio: {error}</Notice>;
  if (!p) return <Spinner label="Loading the portfolio…" />;
  return <FinancierPortfolioView p={p} />;
}

function FinancierPortfolioView(props: { p: FinancierPortfolioJson }) {
  const { p } = props;
  const max = p.collectionsByWeek.reduce((m, w) => (BigInt(w.total) > m ? BigInt(w.total) : m), 1n);
  const nowMs = new Date(p.now).getTime();
  const holdings = [...p.holdings].sort((a, b) => a.receivable.dueDate.localeCompare(b.receivable.dueDate));
  return (
    <>
      <ul className="summary" aria-label="Portfolio summary">
        <li className="card stat">
          <span className="stat-label">Invested</span>
          <span className="stat-value">{money(p.totals.invested)}</span>
          <span className="stat-hint">
            {p.totals.holdings} receivable{p.totals.holdings === 1 ? "" : "s"} held
          </span>
        </li>
        <li className="card stat">
          <span className="stat-label">Expected collections</span>
          <span className="stat-value">{money(p.totals.expected)}</span>
          <span className="stat-hint">outstanding face of open holdings</span>
        </li>
        <li className="card stat">
          <span className="stat-label">Yield</span>
          <span className="stat-value">{bpsPct(p.totals.weightedYieldBps)}</span>
          <span className="stat-hint">a year, price-weighted at purchase</span>
        </li>
        <li className="card stat">
          <span className="stat-label">Overdue</span>
          <span className={`stat-value ${BigInt(p.totals.overdueAmount) > 0n ? "error-text" : ""}`}>{money(p.totals.overdueAmount)}</span>
          <span className="stat-hint">{p.totals.overdueCount} past due date</span>
        </li>
        <li className="card stat">
          <span className="stat-label">Loans outstanding</span>
          <span className="stat-value">{money(p.totals.loansOutstanding)}</span>
          <span className="stat-hint">{p.loans.length} open loan{p.loans.length === 1 ? "" : "s"}, owed now</span>
        </li>
      </ul>

      <section className="card" aria-labelledby="collections-h">
        <h2 id="collections-h">Expected collections by week</h2>
        <p className="muted small">Receivables you hold and loans you made, by the week of the due date; overdue ones count in the current week.</p>
        <table className="data-table compact buckets">
          <thead>
            <tr>
              <th scope="col">Week of</th>
              <th scope="col" className="num">
                Items
              </th>
              <th scope="col" className="num">
                Receivables
              </th>
              <th scope="col" className="num">
                Loans
              </th>
              <th scope="col" className="num">
                Total
              </th>
              <th scope="col" className="bar-col">
                <span className="sr-only">Share</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {p.collectionsByWeek.map((w) => (
              <tr key={w.weekOf}>
                <th scope="row">{displayDate(w.weekOf)}</th>
                <td className="num">{w.count}</td>
                <td className="num">{money(w.receivables)}</td>
                <td className="num">{money(w.loans)}</td>
                <td className="num">{money(w.total)}</td>
                <td className="bar-col" aria-hidden="true">
                  <span className="bar bar-normal" style={{ width: `${Number((BigInt(w.total) * 1000n) / max) / 10}%` }} />
                </td>
              </tr>
            ))}
            {p.collectionsByWeek.length === 0 && (
              <tr>
                <td colSpan={6} className="empty">
                  Nothing to collect.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </section>

      <section className="card" aria-labelledby="holdings-h">
        <h2 id="holdings-h">Holdings</h2>
        <div className="table-wrap">
          <table className="data-table compact">
            <thead>
              <tr>
                <th scope="col">Receivable</th>
                <th scope="col">Seller</th>
                <th scope="col">Buyer (debtor)</th>
                <th scope="col" className="num">
                  Bought for
                </th>
                <th scope="col" className="num">
                  Discount / yield
                </th>
                <th scope="col" className="num">
                  Outstanding
                </th>
                <th scope="col" className="num">
                  Collected
                </th>
                <th scope="col">Due</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {holdings.map((h) => {
                const r = h.receivable;
                return (
                  <tr key={r.id} data-id={r.id} className={h.overdue ? "row-overdue" : ""}>
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
                    <td className="num">
                      {h.purchase ? money(h.purchase.price) : <span className="muted">by transfer</span>}
                      {h.purchase?.withRecourse && <span className="muted small"> · with recourse</span>}
                    </td>
                    <td className="num">{h.purchase ? `${bpsPct(h.purchase.discountBps)} / ${bpsPct(h.purchase.yieldBps)} p.a.` : "—"}</td>
                    <td className="num">{money(r.outstanding)}</td>
                    <td className="num">{money(h.collected)}</td>
                    <td>
                      <span className="due">
                        {displayDate(r.dueDate)}
                        <span className={h.overdue ? "due-rel overdue" : "due-rel"}>
                          {h.overdue ? `${h.daysOverdue} days overdue` : Math.ceil((new Date(r.dueDate).getTime() - nowMs) / DAY_MS) >= 0 ? `in ${r.daysToMaturity} days` : "past due"}
                        </span>
                      </span>
                    </td>
                    <td>
                      <StatusBadge status={r.status} />
                    </td>
                  </tr>
                );
              })}
              {holdings.length === 0 && (
                <tr>
                  <td colSpan={9} className="empty">
                    You hold no receivables yet. Buy them in the marketplace.
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      </section>

      {p.loans.length > 0 && (
        <section className="card" aria-labelledby="loans-h">
          <h2 id="loans-h">Open loans</h2>
          <table className="data-table compact">
            <thead>
              <tr>
                <th scope="col">Receivable</th>
                <th scope="col">Borrower</th>
                <th scope="col" className="num">
                  Principal
                </th>
                <th scope="col" className="num">
                  Rate
                </th>
                <th scope="col" className="num">
                  Owed now
                </th>
                <th scope="col">Due</th>
              </tr>
            </thead>
            <tbody>
              {p.loans.map((l) => (
                <tr key={`${l.receivableId}-${l.seq}`}>
                  <td>
                    <a className="mono id-link" href={`#/receivables/${l.receivableId}`}>
                      {l.receivableId.slice(0, 10)}…
                    </a>
                  </td>
                  <td>
                    <Party address={l.borrower} />
                  </td>
                  <td className="num">{money(l.principal)}</td>
                  <td className="num">{bpsPct(l.rateBps)} a year</td>
                  <td className="num">{money(l.owed)}</td>
                  <td>{l.dueDate ? displayDate(l.dueDate) : "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </>
  );
}

/** The seller's financing: volume financed and what it cost. */
export function SellerFinancing() {
  const { source } = useSession();
  const { data: p, error } = useAccountData<SellerPortfolioJson | null>(() => (source.kind === "api" ? financingApi.sellerPortfolio() : Promise.resolve(null)));
  if (source.kind !== "api") return null;
  if (error) return <Notice tone="error">Could not load your financing: {error}</Notice>;
  if (!p) return <Spinner label="Loading your financing…" />;
  const sales = p.factoring.sales as { receivableId: string; buyer: string; faceAmount: string; price: string; financier: string; withRecourse: boolean; discountBps: number | null; annualisedCostBps: number | null }[];
  if (p.factoring.count === 0 && p.loans.count === 0)
    return (
      <section className="card" aria-labelledby="financing-h">
        <h2 id="financing-h">Financing</h2>
        <p className="muted">You have not financed any receivable yet: list a confirmed one for factoring, or borrow against it, from its page.</p>
      </section>
    );
  return (
    <section className="card" aria-labelledby="financing-h">
      <h2 id="financing-h">Financing</h2>
      <ul className="summary" aria-label="Financing summary">
        <li className="card stat">
          <span className="stat-label">Financed volume</span>
          <span className="stat-value">{money(p.financedVolume)}</span>
          <span className="stat-hint">
            {money(p.factoring.received)} from {p.factoring.count} sale{p.factoring.count === 1 ? "" : "s"} + {money(p.loans.advanced)} in {p.loans.count} loan
            {p.loans.count === 1 ? "" : "s"}
          </span>
        </li>
        <li className="card stat">
          <span className="stat-label">Cost of financing</span>
          <span className="stat-value">{money(p.costOfFinancing)}</span>
          <span className="stat-hint">
            {money(p.factoring.discount)} factoring discounts + {money(p.loans.interestPaid)} loan interest
          </span>
        </li>
        <li className="card stat">
          <span className="stat-label">Factoring cost</span>
          <span className="stat-value">{bpsPct(p.factoring.annualisedCostBps)}</span>
          <span className="stat-hint">a year ({bpsPct(p.factoring.discountBps)} average discount)</span>
        </li>
      </ul>
      {sales.length > 0 && (
        <table className="data-table compact" aria-label="Receivables sold">
          <thead>
            <tr>
              <th scope="col">Receivable</th>
              <th scope="col">Financier</th>
              <th scope="col" className="num">
                Face
              </th>
              <th scope="col" className="num">
                Received
              </th>
              <th scope="col" className="num">
                Discount
              </th>
              <th scope="col" className="num">
                Cost p.a.
              </th>
              <th scope="col">Recourse</th>
            </tr>
          </thead>
          <tbody>
            {sales.map((s) => (
              <tr key={s.receivableId} data-id={s.receivableId}>
                <td>
                  <a className="mono id-link" href={`#/receivables/${s.receivableId}`}>
                    {s.receivableId.slice(0, 10)}…
                  </a>
                </td>
                <td>
                  <Party address={s.financier} />
                </td>
                <td className="num">{money(s.faceAmount)}</td>
                <td className="num">{money(s.price)}</td>
                <td className="num">{bpsPct(s.discountBps)}</td>
                <td className="num">{bpsPct(s.annualisedCostBps)}</td>
                <td>{s.withRecourse ? "with" : "without"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
