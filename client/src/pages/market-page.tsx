// Factoring: the financiers' marketplace of listed receivables (with what they price on and a signed offer in
// one step), and on a receivable's page the lister's side — list, withdraw, and accept an offer. Strings come
// from the financing catalog part (client/src/i18n/financing/), registered by this chunk.
import { useEffect, useState, type FormEvent } from "react";
import { Trans } from "react-i18next";
import type { Hex } from "viem";
import { parseAmount } from "../../../common/money.ts";
import { allows } from "../../../common/lifecycle.ts";
import {
  financingApi,
  type CreditSummaryJson,
  type MarketplaceItem,
  type OfferJson,
  type OffersOnJson,
  type RankedOfferJson,
  type ReceivableDetail,
} from "../api.ts";
import { describeError } from "../chain.ts";
import { offerEconomics, type Deal, type Offer } from "../financing.ts";
import { bpsPct, DAY_MS, displayDate, money, moneyExact, shortHex } from "../format.ts";
import { useSession } from "../session.tsx";
import { Hash, Notice, Party, Spinner } from "../components/bits.tsx";
import { useAccountData } from "../use-account-data.ts";
import { InvoiceNumber, SimilarWarnings } from "../components/invoice.tsx";
import { receivableName, useConfirm } from "../components/confirm-dialog.tsx";
import { formatNumber, i18n, useTranslation } from "../i18n/index.ts";
import { formatDateTime } from "../i18n/date-time.ts";
import "../i18n/financing/part.ts";

/** A percentage with two decimals ("2.35%"), digits by the language. */
const pct = (v: number) => `${formatNumber(v, undefined, 2)}%`;
/** A whole percentage ("80%"). */
const pctWhole = (v: number) => `${formatNumber(v)}%`;

/** Credit tier with the limit use: what a financier prices a party's credit on. */
function CreditCell(props: { c: CreditSummaryJson; side: "seller" | "buyer" }) {
  const { c } = props;
  const { t } = useTranslation();
  const label = t(`financing.market.credit.${props.side}`);
  const use =
    c.limitUsePct === null
      ? c.limit === null
        ? t("financing.market.credit.noLimit")
        : "—"
      : t("financing.market.credit.limitUse", { pct: pctWhole(c.limitUsePct) });
  const title =
    t("financing.market.credit.title", { label, tier: c.tier }) +
    (c.score !== null ? t("financing.market.credit.titleScore", { score: c.score }) : "") +
    t("financing.market.credit.titleExposure", { exposure: money(c.exposure) }) +
    (c.limit !== null ? t("financing.market.credit.titleLimit", { limit: money(c.limit) }) : "");
  return (
    <span className="credit" data-credit={props.side} title={title}>
      <span className={`tier tier-${c.tier}`}>{t("credit.tier", { tier: c.tier })}</span>
      <span className="muted small"> · {use}</span>
    </span>
  );
}

/** Withdraws an offer at the server, then cancels its nonce on chain so the signature can never be redeemed. */
export function useWithdrawOffer(kind: "factoring" | "loan") {
  const { market, loans, wallet, refresh } = useSession();
  return async (o: OfferJson, onStep: (s: string) => void) => {
    onStep(i18n.t("financing.withdrawing"));
    await financingApi.withdraw(o.id);
    const module = kind === "factoring" ? market : loans;
    if (module && wallet) {
      onStep(i18n.t("financing.cancellingSignature"));
      await module.cancelOffer(wallet, BigInt(o.nonce));
    }
    refresh();
  };
}

/** The viewer's own offers on one listing, with withdraw. */
function MyOffers(props: { offers: OfferJson[] }) {
  const { t } = useTranslation();
  const withdraw = useWithdrawOffer("factoring");
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  if (props.offers.length === 0) return <span className="my-offers muted">{t("financing.none")}</span>;
  return (
    <ul className="my-offers">
      {props.offers.map((o) => (
        <li key={o.id} data-offer-state={o.state}>
          <strong>{money(o.price ?? "0")}</strong> <span className="muted small">{t("financing.perAnnum", { rate: bpsPct(o.yieldBps) })}</span>
          <span className={`offer-state offer-${o.state}`}>{t(`financing.market.myOfferState.${o.state}`)}</span>
          {o.state === "open" && (
            <button
              type="button"
              className="small link"
              disabled={!!busy}
              onClick={() => {
                setError(null);
                void withdraw(o, setBusy)
                  .catch((e) => setError(describeError(e)))
                  .finally(() => setBusy(null));
              }}
            >
              {t("financing.withdraw")}
            </button>
          )}
        </li>
      ))}
      {busy && <Spinner label={busy} />}
      {error && <Notice tone="error">{error}</Notice>}
    </ul>
  );
}

/** Every factoring offer the financier has made (open, accepted, withdrawn, expired), from the server. */
function OfferHistory() {
  const { t } = useTranslation();
  const { data, error } = useAccountData(() => financingApi.myOffers({ kind: "factoring" }));
  const items: OfferJson[] | null = error ? null : (data?.items ?? null);
  if (!items || items.length === 0) return null;
  const sorted = [...items].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  return (
    <section className="card" aria-labelledby="offer-history-h">
      <h2 id="offer-history-h">{t("financing.market.history.title")}</h2>
      <table className="data-table compact" aria-label={t("financing.market.history.title")}>
        <thead>
          <tr>
            <th scope="col">{t("financing.market.history.col.receivable")}</th>
            <th scope="col" className="num">
              {t("financing.market.history.col.price")}
            </th>
            <th scope="col" className="num">
              {t("financing.market.history.col.discount")}
            </th>
            <th scope="col" className="num">
              {t("financing.market.history.col.yieldPa")}
            </th>
            <th scope="col">{t("financing.market.history.col.made")}</th>
            <th scope="col">{t("financing.market.history.col.state")}</th>
          </tr>
        </thead>
        <tbody>
          {sorted.map((o) => (
            <tr key={o.id} data-offer-state={o.state}>
              <td className="mono">
                <a href={`#/receivables/${o.receivableId}`}>{shortHex(o.receivableId, 10, 4)}</a>
              </td>
              <td className="num">{money(o.price ?? "0")}</td>
              <td className="num">{bpsPct(o.discountBps)}</td>
              <td className="num">{bpsPct(o.yieldBps)}</td>
              <td>{formatDateTime(o.createdAt)}</td>
              <td>
                <span className={`offer-${o.state}`}>{t(`financing.market.myOfferState.${o.state}`)}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** A financier prices a listed receivable, signs an offer and sends it to the server (private to it and the lister). */
function OfferForm(props: { id: Hex; reserve: bigint; outstanding: bigint; dueDateMs: number; daysToMaturity?: number }) {
  const { t } = useTranslation();
  const { market, wallet, roles, refresh } = useSession();
  const [price, setPrice] = useState(() => money(props.reserve).replace(/,/g, ""));
  const [days, setDays] = useState("3");
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [sent, setSent] = useState<OfferJson | null>(null);
  let parsed: bigint | null = null;
  try {
    parsed = parseAmount(price);
  } catch {
    parsed = null;
  }
  const econ = parsed !== null ? offerEconomics(parsed, props.outstanding, props.dueDateMs, Date.now(), props.daysToMaturity) : null;
  if (!market || !roles.includes("Financier")) return null;

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setSent(null);
    if (parsed === null || parsed <= 0n) return setError(t("financing.market.offer.priceAboveZero"));
    if (parsed < props.reserve) return setError(t("financing.market.offer.belowReserve", { reserve: money(props.reserve) }));
    if (parsed > props.outstanding) return setError(t("financing.market.offer.aboveOutstanding", { outstanding: money(props.outstanding) }));
    const validDays = Number(days);
    if (!(validDays > 0)) return setError(t("financing.market.offer.mustBeValid"));
    try {
      setBusy(t("financing.market.offer.preparing"));
      const { offer, signature } = await market!.makeOffer(wallet!, props.id, parsed, validDays, (s) => setBusy(t(`financing.step.${s}`)));
      setBusy(t("financing.market.offer.sending"));
      setSent(
        await financingApi.postOffer({
          kind: "factoring",
          receivableId: props.id,
          price: offer.price.toString(),
          listing: offer.listing,
          nonce: offer.nonce.toString(),
          expiry: Number(offer.expiry),
          signature,
        }),
      );
      refresh();
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(null);
    }
  }

  return (
    <form className="inline-form offer-form" onSubmit={onSubmit} aria-label={t("financing.market.offer.label", { id: props.id })}>
      <label>
        {t("financing.market.offer.price")}
        <input name="offerPrice" inputMode="decimal" required value={price} onChange={(e) => setPrice(e.target.value)} />
      </label>
      <label>
        {t("financing.market.offer.validDays")}
        <input name="offerDays" inputMode="numeric" required value={days} onChange={(e) => setDays(e.target.value)} />
      </label>
      <button type="submit" className="primary" disabled={!!busy || !wallet}>
        {t("financing.market.offer.submit")}
      </button>
      <p className="hint">
        {econ
          ? t("financing.market.offer.economics", {
              discount: pct(econ.discountPct),
              outstanding: money(props.outstanding),
              yield: pct(econ.yieldPct),
              count: econ.days,
            })
          : t("financing.market.offer.enterPrice")}
      </p>
      {busy && <Spinner label={busy} />}
      {error && <Notice tone="error">{error}</Notice>}
      {sent && (
        <Notice tone="ok">
          {t("financing.market.offer.sent", {
            price: money(sent.price ?? "0"),
            discount: bpsPct(sent.discountBps),
            yield: bpsPct(sent.yieldBps),
            expiry: formatDateTime(sent.expiry),
          })}
        </Notice>
      )}
    </form>
  );
}

export function MarketPage() {
  const { t } = useTranslation();
  const { market, roles, account, source } = useSession();
  const { data, error } = useAccountData(() => financingApi.marketplace(), { enabled: !!market && source.kind === "api", deps: [market, source] });
  const rows: MarketplaceItem[] | null = data?.items ?? null;
  const [open, setOpen] = useState<string | null>(null);
  // An offer form belongs to the account that opened it.
  useEffect(() => setOpen(null), [account?.address]);

  if (!market) return <Notice tone="info">{t("financing.market.noMarket")}</Notice>;
  if (source.kind !== "api") return <Notice tone="info">{t("financing.market.needsServer")}</Notice>;
  const isFinancier = roles.includes("Financier");
  return (
    <section aria-labelledby="market-title">
      <div className="page-head">
        <div>
          <h1 id="market-title">{t("financing.market.title")}</h1>
          <p className="lede">{t("financing.market.lede")}</p>
        </div>
      </div>
      {!isFinancier && <Notice tone="info">{t("financing.market.financiersOnly")}</Notice>}
      {error && <Notice tone="error">{t("financing.market.loadError", { error })}</Notice>}
      {!rows && !error && <Spinner label={t("financing.market.loading")} />}
      {rows && (
        <div className="table-wrap">
          <table className="data-table market-table">
            <thead>
              <tr>
                <th scope="col">{t("financing.market.col.receivable")}</th>
                <th scope="col">{t("financing.market.col.seller")}</th>
                <th scope="col">{t("financing.market.col.buyerDebtor")}</th>
                <th scope="col" className="num">
                  {t("financing.market.col.outstanding")}
                </th>
                <th scope="col">{t("financing.market.col.maturity")}</th>
                <th scope="col">{t("financing.market.col.reserveListing")}</th>
                <th scope="col">{t("financing.market.col.dilution")}</th>
                <th scope="col">{t("financing.market.col.insurance")}</th>
                <th scope="col">{t("financing.market.col.yourOffers")}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map(({ receivable: r, listing: l, buyerCredit, sellerCredit, dilution, insurance, myOffers }) => {
                const outstanding = BigInt(r.outstanding);
                const policy = insurance.find((p) => p.status === "active");
                const face = BigInt(r.faceAmount);
                return [
                  <tr key={r.id} data-id={r.id}>
                    <td>
                      <a href={`#/receivables/${r.id}`}>
                        <InvoiceNumber r={r} />
                      </a>
                      <SimilarWarnings similar={r.similar} lead={t("financing.market.possibleDuplicate")} />
                    </td>
                    <td>
                      <Party address={r.seller} />
                      <CreditCell c={sellerCredit} side="seller" />
                    </td>
                    <td>
                      <Party address={r.buyer} />
                      <CreditCell c={buyerCredit} side="buyer" />
                      <span className="muted small">
                        {" "}
                        · {r.confirmed ? t("financing.market.confirmed") : t(`status.${r.status}`, { defaultValue: r.status })}
                      </span>
                    </td>
                    <td className="num">
                      {money(outstanding)}
                      {outstanding !== face && <span className="muted small"> {t("financing.market.ofFace", { face: money(face) })}</span>}
                    </td>
                    <td>
                      <span className="due">
                        {displayDate(r.dueDate)}
                        <span className="due-rel">
                          {r.daysToMaturity >= 0 ? t("financing.market.days", { count: r.daysToMaturity }) : t("due.overdue", { count: -r.daysToMaturity })}
                        </span>
                      </span>
                    </td>
                    <td>
                      <strong>{money(l.reserve)}</strong>
                      <span className="muted small block">{t("financing.market.closes", { date: displayDate(l.deadline) })}</span>
                      <span className="muted small block">
                        {l.withRecourse ? t("financing.market.withRecourse", { rate: bpsPct(l.recourseRateBps) }) : t("financing.market.withoutRecourse")}
                      </span>
                    </td>
                    <td>
                      {dilution.creditNotes.length === 0 ? (
                        <span className="muted">{t("financing.none")}</span>
                      ) : (
                        t("financing.market.creditNotes", { count: dilution.acceptedCount })
                      )}
                    </td>
                    <td>
                      {policy ? (
                        <Trans
                          i18nKey="financing.market.coveredBy"
                          values={{ pct: pctWhole(policy.coverageBps / 100) }}
                          components={{ insurer: <Party inline address={policy.insurer} /> }}
                        />
                      ) : (
                        <span className="muted">{t("financing.none")}</span>
                      )}
                    </td>
                    <td className="offers-cell">
                      <MyOffers offers={myOffers} />
                      {isFinancier && (
                        <button type="button" className="small" aria-expanded={open === r.id} onClick={() => setOpen(open === r.id ? null : r.id)}>
                          {open === r.id ? t("financing.market.close") : t("financing.market.makeOffer")}
                        </button>
                      )}
                    </td>
                  </tr>,
                  open === r.id ? (
                    <tr key={`${r.id}-offer`} className="offer-row">
                      <td colSpan={9}>
                        <OfferForm
                          id={r.id}
                          reserve={BigInt(l.reserve)}
                          outstanding={outstanding}
                          dueDateMs={new Date(r.dueDate).getTime()}
                          daysToMaturity={r.daysToMaturity}
                        />
                      </td>
                    </tr>
                  ) : null,
                ];
              })}
              {rows.length === 0 && (
                <tr>
                  <td colSpan={9} className="empty">
                    {t("financing.market.empty")}
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      )}
      {isFinancier && <OfferHistory />}
    </section>
  );
}

/** On a receivable's page: its factoring state, and the holder's or lister's actions. */
export function FactoringCard(props: { r: ReceivableDetail }) {
  const { r } = props;
  const { t } = useTranslation();
  const { market, account, wallet, revision, refresh, source, chain, companyOf, tokenSymbol } = useSession();
  const { confirm, dialog } = useConfirm();
  const [deal, setDeal] = useState<Deal | null>(null);
  /** The chain's time: a listing past its deadline no longer takes offers and anyone may close it. */
  const [chainNow, setChainNow] = useState<number | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [result, setResult] = useState<{ tone: "ok" | "error"; text: string; tx?: Hex } | null>(null);
  const [listing, setListing] = useState({ reserve: "", days: "7", recourse: false, rate: "8" });
  const [showList, setShowList] = useState(false);

  useEffect(() => {
    let cancelled = false;
    if (!market) return;
    market
      .deal(r.id)
      .then((d) => !cancelled && setDeal(d))
      .catch(() => !cancelled && setDeal(null));
    chain
      .now()
      .then((now) => !cancelled && setChainNow(Number(now)))
      .catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, [market, chain, r.id, revision]);

  if (!market || !deal) return null;
  const me = account?.address.toLowerCase();
  const isHolder = me === r.holder.toLowerCase();
  const isLister = deal.state === "Listed" && me === deal.party.toLowerCase();
  const expired = deal.state === "Listed" && chainNow !== null && chainNow > deal.time;
  const unlocked = !r.lockedBy || /^0x0+$/.test(r.lockedBy);
  const canList = isHolder && allows("lock", r.status) && unlocked && deal.state === "None";
  const outstanding = BigInt(r.outstanding);
  const name = receivableName(r);
  const currency = r.invoice?.currency ?? tokenSymbol;
  const amountText = (v: bigint | string) => `${money(v)} ${currency}`;
  const partyName = (a: string) => companyOf(a)?.name ?? shortHex(a);

  const accept = async (o: RankedOfferJson) => {
    const on = o.onChain.offer;
    const offer: Offer = {
      id: BigInt(String(on.id)),
      listing: Number(on.listing ?? 0),
      financier: String(on.financier) as Hex,
      price: BigInt(String(on.price)),
      nonce: BigInt(String(on.nonce)),
      expiry: BigInt(String(on.expiry)),
    };
    const financier = partyName(offer.financier);
    const discount = outstanding > offer.price ? outstanding - offer.price : 0n;
    const sale = { name, financier, price: amountText(offer.price), outstanding: amountText(outstanding), due: displayDate(r.dueDate) };
    const ok = await confirm({
      title: t("financing.factoring.sellTitle", { name, financier, price: amountText(offer.price) }),
      body: (
        <>
          <p>
            {discount > 0n ? t("financing.factoring.sellBodyDiscount", { ...sale, discount: amountText(discount) }) : t("financing.factoring.sellBody", sale)}
          </p>
          <p>
            {deal?.withRecourse
              ? t("financing.factoring.sellWithRecourse", { financier, rate: bpsPct(deal.recourseRateBps) })
              : t("financing.factoring.sellWithoutRecourse", { financier })}
          </p>
        </>
      ),
      confirmLabel: t("financing.factoring.sellFor", { price: money(offer.price) }),
      danger: false,
    });
    if (!ok) return;
    void run(
      t("financing.factoring.selling"),
      () => market!.acceptOffer(wallet!, offer, o.signature),
      t("financing.factoring.sold", { price: money(offer.price) }),
      (d) => d.holder.toLowerCase() === offer.financier.toLowerCase(),
    );
  };

  /** Closing the listing (withdrawing it, or anyone once it expired): its offers lapse, the receivable is unlocked. */
  const close = async (expiredListing: boolean) => {
    const what = { name, lister: partyName(deal.party), reserve: amountText(deal.amount) };
    const ok = await confirm({
      title: expiredListing ? t("financing.factoring.closeTitle", { name }) : t("financing.factoring.withdrawTitle", { name }),
      body: <p>{expiredListing ? t("financing.factoring.closeBody", what) : t("financing.factoring.withdrawBody", what)}</p>,
      confirmLabel: expiredListing ? t("financing.factoring.closeConfirm") : t("financing.factoring.withdrawListing"),
    });
    if (!ok) return;
    const unlockedNow = (d: ReceivableDetail) => !d.lockedBy || /^0x0+$/.test(d.lockedBy);
    if (expiredListing) void run(t("financing.factoring.closing"), () => market.closeListing(wallet!, r.id), t("financing.factoring.closedDone"), unlockedNow);
    else void run(t("financing.factoring.withdrawingListing"), () => market.closeListing(wallet!, r.id), t("financing.factoring.withdrawnDone"), unlockedNow);
  };

  async function run(label: string, f: () => Promise<Hex>, done: string, until: (d: ReceivableDetail) => boolean) {
    setBusy(label);
    setResult(null);
    try {
      const tx = await f();
      setBusy(t("financing.waitingForIndex"));
      const deadline = Date.now() + 20_000;
      while (Date.now() < deadline) {
        try {
          if (until(await source.get(r.id))) break;
        } catch {
          // the new holder's view may need a moment
        }
        await new Promise((res) => setTimeout(res, 400));
      }
      setResult({ tone: "ok", text: done, tx });
      setShowList(false);
    } catch (e) {
      setResult({ tone: "error", text: describeError(e) });
    } finally {
      setBusy(null);
      refresh();
    }
  }

  if (deal.state === "None" && !canList && !result) return null;
  const w = wallet!;
  const party = <Party inline address={deal.party} />;
  return (
    <section className="card factoring-card" aria-labelledby="factoring-h">
      <h2 id="factoring-h">{t("financing.factoring.title")}</h2>
      {deal.state === "Listed" && (
        <p>
          <Trans
            i18nKey="financing.factoring.listed"
            values={{
              reserve: money(deal.amount),
              deadline: displayDate(deal.time * 1000),
              recourse: deal.withRecourse
                ? t("financing.factoring.listedWithRecourse", { rate: bpsPct(deal.recourseRateBps) })
                : t("financing.factoring.listedWithoutRecourse"),
            }}
            components={{ party, strong: <strong /> }}
          />
        </p>
      )}
      {expired && (
        <div className="button-row" data-listing-expired>
          <p>
            <Trans i18nKey="financing.factoring.expired" values={{ date: displayDate(deal.time * 1000) }} components={{ strong: <strong /> }} />
          </p>
          {!isLister && account && wallet && (
            <button type="button" disabled={!!busy} onClick={() => void close(true)}>
              {t("financing.factoring.closeExpired")}
            </button>
          )}
        </div>
      )}
      {deal.state === "SoldWithRecourse" && (
        <p>
          <Trans
            i18nKey="financing.factoring.soldWithRecourse"
            values={{ price: money(deal.amount), date: displayDate(deal.time * 1000) }}
            components={{ party, strong: <strong /> }}
          />
        </p>
      )}
      {deal.state === "SoldWithRecourse" && isHolder && r.status === "Defaulted" && (
        <button
          type="button"
          className="primary"
          disabled={!!busy || !wallet}
          onClick={async () => {
            const seller = partyName(deal.party);
            const ok = await confirm({
              title: t("financing.factoring.claimTitle", { name, seller }),
              body: (
                <p>
                  {t("financing.factoring.claimBody", {
                    seller,
                    name,
                    price: amountText(deal.amount),
                    rate: bpsPct(deal.recourseRateBps),
                    date: displayDate(deal.time * 1000),
                  })}
                </p>
              ),
              confirmLabel: t("financing.factoring.claimConfirm"),
            });
            if (ok)
              void run(
                t("financing.factoring.claiming"),
                () => market.claimRecourse(w, r.id),
                t("financing.factoring.claimed"),
                () => true,
              );
          }}
        >
          {t("financing.factoring.claimButton")}
        </button>
      )}
      {deal.state === "RecourseClaimed" && (
        <Notice tone="warn">
          <Trans i18nKey="financing.factoring.recourseClaimed" values={{ amount: money(deal.amount) }} components={{ party }} />
        </Notice>
      )}
      {deal.state === "RecourseClaimed" && me === deal.party.toLowerCase() && (
        <button
          type="button"
          className="primary"
          disabled={!!busy || !wallet}
          onClick={() =>
            void run(
              t("financing.factoring.repurchasing"),
              () => market.repurchase(w, r.id, deal.amount, (s2) => setBusy(t(`financing.step.${s2}`))),
              t("financing.factoring.repurchased", { amount: moneyExact(deal.amount) }),
              (d) => d.holder.toLowerCase() === me,
            )
          }
        >
          {t("financing.factoring.repurchase", { amount: moneyExact(deal.amount) })}
        </button>
      )}
      {canList && !showList && (
        <>
          <p className="muted">{t("financing.factoring.sellNow")}</p>
          <button type="button" onClick={() => setShowList(true)} disabled={!wallet}>
            {t("financing.factoring.listButton")}
          </button>
        </>
      )}
      {canList && showList && (
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            let reserve: bigint;
            try {
              reserve = parseAmount(listing.reserve);
            } catch (err) {
              return setResult({ tone: "error", text: describeError(err) });
            }
            // From the chain's time, which the market judges the deadline by (it may run ahead of this clock).
            const deadline = Math.floor(((chainNow !== null ? chainNow * 1000 : Date.now()) + Number(listing.days) * DAY_MS) / 1000);
            const rate = listing.recourse ? Math.round(Number(listing.rate) * 100) : 0;
            void run(
              t("financing.factoring.listing"),
              () => market.list(w, r.id, reserve, deadline, listing.recourse, rate),
              t("financing.factoring.listedDone"),
              (d) => !!d.lockedBy && !/^0x0+$/.test(d.lockedBy),
            );
          }}
        >
          <label>
            {t("financing.factoring.reserve")}
            <input
              name="reserve"
              inputMode="decimal"
              required
              value={listing.reserve}
              placeholder={money((outstanding * 97n) / 100n).replace(/,/g, "")}
              onChange={(e) => setListing({ ...listing, reserve: e.target.value })}
            />
          </label>
          <label>
            {t("financing.factoring.openDays")}
            <input name="listingDays" inputMode="numeric" required value={listing.days} onChange={(e) => setListing({ ...listing, days: e.target.value })} />
          </label>
          <label className="checkbox">
            <input type="checkbox" name="withRecourse" checked={listing.recourse} onChange={(e) => setListing({ ...listing, recourse: e.target.checked })} />
            {t("financing.factoring.withRecourse")}
          </label>
          {listing.recourse && (
            <label>
              {t("financing.factoring.recourseRate")}
              <input name="recourseRate" inputMode="decimal" value={listing.rate} onChange={(e) => setListing({ ...listing, rate: e.target.value })} />
            </label>
          )}
          <button type="submit" className="primary" disabled={!!busy || !listing.reserve}>
            {t("financing.factoring.list")}
          </button>
          <button type="button" onClick={() => setShowList(false)} disabled={!!busy}>
            {t("financing.back")}
          </button>
        </form>
      )}
      {isLister && (
        <div className="accept-offer">
          <ListerOffers id={r.id} reserve={deal.amount} busy={!!busy} onAccept={(o) => void accept(o)} chainNow={expired ? null : chainNow} />
          <div className="button-row">
            <button type="button" className="danger" disabled={!!busy} onClick={() => void close(false)}>
              {t("financing.factoring.withdrawListing")}
            </button>
          </div>
        </div>
      )}
      {deal.state === "Listed" && !isLister && !expired && (
        <OfferForm id={r.id} reserve={deal.amount} outstanding={outstanding} dueDateMs={new Date(r.dueDate).getTime()} />
      )}
      {dialog}
      {busy && <Spinner label={busy} />}
      {result && (
        <Notice tone={result.tone}>
          {result.text} {result.tx && <Hash value={result.tx} />}
        </Notice>
      )}
    </section>
  );
}

/** The lister's view of the offers on its listing, held by the server and ranked best first. */
/**
 * `chainNow` is the chain's time (seconds), null while unknown or once the listing has expired: an offer can be
 * accepted only while the listing and the offer are open by the chain's time and it meets the reserve, so only
 * then is there a button.
 */
function ListerOffers(props: { id: string; reserve: bigint; busy: boolean; onAccept: (o: RankedOfferJson) => void; chainNow: number | null }) {
  const { t } = useTranslation();
  const { source } = useSession();
  const { data, error } = useAccountData<OffersOnJson>(() => financingApi.offersOn(props.id, "factoring"), {
    enabled: source.kind === "api",
    deps: [props.id, source],
  });
  if (source.kind !== "api") return <Notice tone="info">{t("financing.factoring.offers.needsServer")}</Notice>;
  if (error) return <Notice tone="error">{t("financing.factoring.offers.loadError", { error })}</Notice>;
  if (!data) return <Spinner label={t("financing.factoring.offers.loading")} />;
  const open = data.items.filter((o) => o.state === "open").sort((a, b) => (a.rank ?? 1e9) - (b.rank ?? 1e9));
  const closed = data.items.filter((o) => o.state !== "open");
  return (
    <>
      <h3>{t("financing.factoring.offers.title")}</h3>
      {open.length === 0 ? (
        <p className="muted" data-testid="no-offers">
          {t("financing.factoring.offers.none")}
        </p>
      ) : (
        <table className="data-table compact" aria-label={t("financing.factoring.offers.tableLabel")}>
          <thead>
            <tr>
              <th scope="col">{t("financing.factoring.offers.col.rank")}</th>
              <th scope="col">{t("financing.factoring.offers.col.financier")}</th>
              <th scope="col" className="num">
                {t("financing.factoring.offers.col.price")}
              </th>
              <th scope="col" className="num">
                {t("financing.factoring.offers.col.discount")}
              </th>
              <th scope="col" className="num">
                {t("financing.factoring.offers.col.yieldPa")}
              </th>
              <th scope="col">{t("financing.factoring.offers.col.validUntil")}</th>
              <th scope="col">
                <span className="sr-only">{t("financing.factoring.offers.col.accept")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {open.map((o, i) => {
              const price = BigInt(o.price ?? "0");
              const below = price < props.reserve;
              const lapsed = props.chainNow !== null && props.chainNow > Number(String(o.onChain.offer.expiry));
              return (
                <tr key={o.id} data-offer-id={o.id}>
                  <td>{o.rank ?? i + 1}</td>
                  <td>
                    <Party address={o.bidder} />
                  </td>
                  <td className="num">{money(price)}</td>
                  <td className="num">{bpsPct(o.discountBps)}</td>
                  <td className="num">{bpsPct(o.yieldBps)}</td>
                  <td>{formatDateTime(o.expiry)}</td>
                  <td>
                    {below ? (
                      <span className="muted small">{t("financing.factoring.offers.belowReserve")}</span>
                    ) : lapsed ? (
                      <span className="muted small">{t("financing.factoring.offers.expired")}</span>
                    ) : props.chainNow !== null ? (
                      <button type="button" className={i === 0 ? "small primary" : "small"} disabled={props.busy} onClick={() => props.onAccept(o)}>
                        {t("financing.factoring.sellFor", { price: money(price) })}
                      </button>
                    ) : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {closed.length > 0 && (
        <p className="muted small">
          {t("financing.factoring.offers.earlier", {
            count: closed.length,
            states: closed.map((o) => t(`financing.offerState.${o.state}`)).join(t("financing.factoring.offers.stateSeparator")),
          })}
        </p>
      )}
    </>
  );
}
