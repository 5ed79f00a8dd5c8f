// Portfolio views from the server's financing endpoints: a financier's holdings (price, discount and yield at
// purchase, collected, overdue), expected collections by week (receivables and loans), weighted yield; a seller's
// financed volume and cost of financing.
import { financingApi, type FinancierPortfolioJson, type SellerPortfolioJson } from "../api.ts";
import { bpsPct, DAY_MS, displayDate, money } from "../format.ts";
import { useSession } from "../session.tsx";
import { Notice, Party, Spinner, StatusBadge } from "../components/bits.tsx";
import { useAccountData } from "../use-account-data.ts";
import { InvoiceNumber } from "../components/invoice.tsx";
import { useTranslation } from "../i18n/index.ts";

export function FinancierPortfolio() {
  const { t } = useTranslation();
  const { data: p, error } = useAccountData(() => financingApi.financierPortfolio());
  if (error) return <Notice tone="error">{t("portfolio.loadError", { error })}</Notice>;
  if (!p) return <Spinner label={t("portfolio.financier.loading")} />;
  return <FinancierPortfolioView p={p} />;
}

function FinancierPortfolioView(props: { p: FinancierPortfolioJson }) {
  const { p } = props;
  const { t } = useTranslation();
  const max = p.collectionsByWeek.reduce((m, w) => (BigInt(w.total) > m ? BigInt(w.total) : m), 1n);
  const nowMs = new Date(p.now).getTime();
  const holdings = [...p.holdings].sort((a, b) => a.receivable.dueDate.localeCompare(b.receivable.dueDate));
  return (
    <>
      <ul className="summary" aria-label={t("portfolio.summaryLabel")}>
        <li className="card stat">
          <span className="stat-label">{t("portfolio.financier.invested")}</span>
          <span className="stat-value">{money(p.totals.invested)}</span>
          <span className="stat-hint">{t("portfolio.financier.held", { count: p.totals.holdings })}</span>
        </li>
        <li className="card stat">
          <span className="stat-label">{t("portfolio.financier.expected")}</span>
          <span className="stat-value">{money(p.totals.expected)}</span>
          <span className="stat-hint">{t("portfolio.financier.expectedHint")}</span>
        </li>
        <li className="card stat">
          <span className="stat-label">{t("portfolio.financier.yield")}</span>
          <span className="stat-value">{bpsPct(p.totals.weightedYieldBps)}</span>
          <span className="stat-hint">{t("portfolio.financier.yieldHint")}</span>
        </li>
        <li className="card stat">
          <span className="stat-label">{t("portfolio.financier.overdue")}</span>
          <span className={`stat-value ${BigInt(p.totals.overdueAmount) > 0n ? "error-text" : ""}`}>{money(p.totals.overdueAmount)}</span>
          <span className="stat-hint">{t("portfolio.financier.pastDueCount", { n: p.totals.overdueCount })}</span>
        </li>
        <li className="card stat">
          <span className="stat-label">{t("portfolio.financier.loansOutstanding")}</span>
          <span className="stat-value">{money(p.totals.loansOutstanding)}</span>
          <span className="stat-hint">{t("portfolio.financier.openLoans", { count: p.loans.length })}</span>
        </li>
      </ul>

      <section className="card" aria-labelledby="collections-h">
        <h2 id="collections-h">{t("portfolio.financier.collectionsTitle")}</h2>
        <p className="muted small">{t("portfolio.financier.collectionsHint")}</p>
        <table className="data-table compact buckets">
          <thead>
            <tr>
              <th scope="col">{t("portfolio.financier.col.weekOf")}</th>
              <th scope="col" className="num">
                {t("portfolio.financier.col.items")}
              </th>
              <th scope="col" className="num">
                {t("portfolio.financier.col.receivables")}
              </th>
              <th scope="col" className="num">
                {t("portfolio.financier.col.loans")}
              </th>
              <th scope="col" className="num">
                {t("portfolio.financier.col.total")}
              </th>
              <th scope="col" className="bar-col">
                <span className="sr-only">{t("portfolio.financier.col.share")}</span>
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
                  {t("portfolio.financier.nothingToCollect")}
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </section>

      <section className="card" aria-labelledby="holdings-h">
        <h2 id="holdings-h">{t("portfolio.financier.holdingsTitle")}</h2>
        <div className="table-wrap">
          <table className="data-table compact">
            <thead>
              <tr>
                <th scope="col">{t("portfolio.financier.col.receivable")}</th>
                <th scope="col">{t("portfolio.financier.col.seller")}</th>
                <th scope="col">{t("portfolio.financier.col.buyerDebtor")}</th>
                <th scope="col" className="num">
                  {t("portfolio.financier.col.boughtFor")}
                </th>
                <th scope="col" className="num">
                  {t("portfolio.financier.col.discountYield")}
                </th>
                <th scope="col" className="num">
                  {t("portfolio.financier.col.outstanding")}
                </th>
                <th scope="col" className="num">
                  {t("portfolio.financier.col.collected")}
                </th>
                <th scope="col">{t("portfolio.financier.col.due")}</th>
                <th scope="col">{t("portfolio.financier.col.status")}</th>
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
                      {h.purchase ? money(h.purchase.price) : <span className="muted">{t("portfolio.financier.byTransfer")}</span>}
                      {h.purchase?.withRecourse && <span className="muted small"> {t("portfolio.financier.withRecourse")}</span>}
                    </td>
                    <td className="num">
                      {h.purchase
                        ? t("portfolio.financier.discountYield", { discount: bpsPct(h.purchase.discountBps), yield: bpsPct(h.purchase.yieldBps) })
                        : "—"}
                    </td>
                    <td className="num">{money(r.outstanding)}</td>
                    <td className="num">{money(h.collected)}</td>
                    <td>
                      <span className="due">
                        {displayDate(r.dueDate)}
                        <span className={h.overdue ? "due-rel overdue" : "due-rel"}>
                          {h.overdue
                            ? t("due.overdue", { count: h.daysOverdue })
                            : Math.ceil((new Date(r.dueDate).getTime() - nowMs) / DAY_MS) >= 0
                              ? t("due.inDays", { count: r.daysToMaturity })
                              : t("portfolio.financier.pastDue")}
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
                    {t("portfolio.financier.empty")}
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      </section>

      {p.loans.length > 0 && (
        <section className="card" aria-labelledby="loans-h">
          <h2 id="loans-h">{t("portfolio.financier.loansTitle")}</h2>
          <table className="data-table compact">
            <thead>
              <tr>
                <th scope="col">{t("portfolio.financier.col.receivable")}</th>
                <th scope="col">{t("portfolio.financier.col.borrower")}</th>
                <th scope="col" className="num">
                  {t("portfolio.financier.col.principal")}
                </th>
                <th scope="col" className="num">
                  {t("portfolio.financier.col.rate")}
                </th>
                <th scope="col" className="num">
                  {t("portfolio.financier.col.owedNow")}
                </th>
                <th scope="col">{t("portfolio.financier.col.due")}</th>
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
                  <td className="num">{t("portfolio.financier.ratePerYear", { rate: bpsPct(l.rateBps) })}</td>
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
  const { t } = useTranslation();
  const { data: p, error } = useAccountData<SellerPortfolioJson | null>(() => (source.kind === "api" ? financingApi.sellerPortfolio() : Promise.resolve(null)));
  if (source.kind !== "api") return null;
  if (error) return <Notice tone="error">{t("portfolio.seller.loadError", { error })}</Notice>;
  if (!p) return <Spinner label={t("portfolio.seller.loading")} />;
  const sales = p.factoring.sales as {
    receivableId: string;
    buyer: string;
    faceAmount: string;
    price: string;
    financier: string;
    withRecourse: boolean;
    discountBps: number | null;
    annualisedCostBps: number | null;
  }[];
  if (p.factoring.count === 0 && p.loans.count === 0)
    return (
      <section className="card" aria-labelledby="financing-h">
        <h2 id="financing-h">{t("portfolio.seller.title")}</h2>
        <p className="muted">{t("portfolio.seller.none")}</p>
      </section>
    );
  return (
    <section className="card" aria-labelledby="financing-h">
      <h2 id="financing-h">{t("portfolio.seller.title")}</h2>
      <ul className="summary" aria-label={t("portfolio.seller.summaryLabel")}>
        <li className="card stat">
          <span className="stat-label">{t("portfolio.seller.financedVolume")}</span>
          <span className="stat-value">{money(p.financedVolume)}</span>
          <span className="stat-hint">
            {t("portfolio.seller.volumeHint", {
              received: money(p.factoring.received),
              sales: t("portfolio.seller.sales", { count: p.factoring.count }),
              advanced: money(p.loans.advanced),
              loans: t("portfolio.seller.loans", { count: p.loans.count }),
            })}
          </span>
        </li>
        <li className="card stat">
          <span className="stat-label">{t("portfolio.seller.costOfFinancing")}</span>
          <span className="stat-value">{money(p.costOfFinancing)}</span>
          <span className="stat-hint">{t("portfolio.seller.costHint", { discount: money(p.factoring.discount), interest: money(p.loans.interestPaid) })}</span>
        </li>
        <li className="card stat">
          <span className="stat-label">{t("portfolio.seller.factoringCost")}</span>
          <span className="stat-value">{bpsPct(p.factoring.annualisedCostBps)}</span>
          <span className="stat-hint">{t("portfolio.seller.factoringCostHint", { discount: bpsPct(p.factoring.discountBps) })}</span>
        </li>
      </ul>
      {sales.length > 0 && (
        <table className="data-table compact" aria-label={t("portfolio.seller.soldLabel")}>
          <thead>
            <tr>
              <th scope="col">{t("portfolio.seller.col.receivable")}</th>
              <th scope="col">{t("portfolio.seller.col.financier")}</th>
              <th scope="col" className="num">
                {t("portfolio.seller.col.face")}
              </th>
              <th scope="col" className="num">
                {t("portfolio.seller.col.received")}
              </th>
              <th scope="col" className="num">
                {t("portfolio.seller.col.discount")}
              </th>
              <th scope="col" className="num">
                {t("portfolio.seller.col.costPa")}
              </th>
              <th scope="col">{t("portfolio.seller.col.recourse")}</th>
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
                <td>{s.withRecourse ? t("portfolio.seller.with") : t("portfolio.seller.without")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
