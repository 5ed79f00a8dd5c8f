// Factoring: the financiers' marketplace of listed receivables (with what they price on and a signed offer in
// one step), and on a receivable's page the lister's side — list, withdraw, and accept an offer.
import { useEffect, useState, type FormEvent } from "react";
import type { Hex } from "viem";
import { parseAmount } from "../../../common/money.ts";
import { allows } from "../../../common/lifecycle.ts";
import { financingApi, type CreditSummaryJson, type MarketplaceItem, type OfferJson, type OfferState, type OffersOnJson, type RankedOfferJson, type ReceivableDetail } from "../api.ts";
import { describeError } from "../chain.ts";
import { offerEconomics, type Deal, type Offer } from "../financing.ts";
import { bpsPct, DAY_MS, displayDate, money, moneyExact, relativeDue, shortHex } from "../format.ts";
import { useSession } from "../session.tsx";
import { Hash, Notice, Party, Spinner } from "../components/bits.tsx";
import { useAccountData } from "../use-account-data.ts";
import { InvoiceNumber, SimilarWarnings } from "../components/invoice.tsx";
import { receivableName, useConfirm } from "../components/confirm-dialog.tsx";

const pct = (v: number) => `${v.toFixed(2)}%`;

const OFFER_STATE_LABEL: Record<OfferState, string> = {
  open: "open",
  withdrawn: "withdrawn",
  expired: "expired",
  accepted: "accepted — you bought it",
  cancelled: "cancelled",
  lost: "lost — sold to another bid",
  closed: "closed — the listing ended unsold",
};

/** Credit tier with the limit use: what a financier prices a party's credit on. */
function CreditCell(props: { c: CreditSummaryJson; label: string }) {
  const { c } = props;
  const use = c.limitUsePct === null ? (c.limit === null ? "no limit set" : "—") : `${c.limitUsePct.toFixed(0)}% of limit`;
  return (
    <span className="credit" data-credit={props.label} title={`${props.label}: tier ${c.tier}${c.score !== null ? `, score ${c.score}` : ""}; exposure ${money(c.exposure)}${c.limit !== null ? ` of a ${money(c.limit)} limit` : ""}`}>
      <span className={`tier tier-${c.tier}`}>Tier {c.tier}</span>
      <span className="muted small"> · {use}</span>
    </span>
  );
}

/** Withdraws an offer at the server, then cancels its nonce on chain so the signature can never be redeemed. */
export function useWithdrawOffer(kind: "factoring" | "loan") {
  const { market, loans, wallet, refresh } = useSession();
  return async (o: OfferJson, onStep: (s: string) => void) => {
    onStep("Withdrawing the offer…");
    await financingApi.withdraw(o.id);
    const module = kind === "factoring" ? market : loans;
    if (module && wallet) {
      onStep("Cancelling the signature on chain…");
      await module.cancelOffer(wallet, BigInt(o.nonce));
    }
    refresh();
  };
}

/** The viewer's own offers on one listing, with withdraw. */
function MyOffers(props: { offers: OfferJson[] }) {
  const withdraw = useWithdrawOffer("factoring");
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  if (props.offers.length === 0) return <span className="my-offers muted">none</span>;
  return (
    <ul className="my-offers">
      {props.offers.map((o) => (
        <li key={o.id} data-offer-state={o.state}>
          <strong>{money(o.price ?? "0")}</strong> <span className="muted small">{bpsPct(o.yieldBps)} p.a.</span>
          <span className={`offer-state offer-${o.state}`}>{OFFER_STATE_LABEL[o.state]}</span>
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
              Withdraw
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
  const { data, error } = useAccountData(() => financingApi.myOffers({ kind: "factoring" }));
  const items: OfferJson[] | null = error ? null : (data?.items ?? null);
  if (!items || items.length === 0) return null;
  const sorted = [...items].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  return (
    <section className="card" aria-labelledby="offer-history-h">
      <h2 id="offer-history-h">All your offers</h2>
      <table className="data-table compact" aria-label="All your offers">
        <thead>
          <tr>
            <th scope="col">Receivable</th>
            <th scope="col" className="num">
              Price
            </th>
            <th scope="col" className="num">
              Discount
            </th>
            <th scope="col" className="num">
              Yield p.a.
            </th>
            <th scope="col">Made</th>
            <th scope="col">State</th>
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
              <td>{new Date(o.createdAt).toLocaleString()}</td>
              <td>
                <span className={`offer-${o.state}`}>{OFFER_STATE_LABEL[o.state]}</span>
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
    if (parsed === null || parsed <= 0n) return setError("Enter a price above zero.");
    if (parsed < props.reserve) return setError(`The reserve is ${money(props.reserve)}: an offer below it cannot be accepted.`);
    if (parsed > props.outstanding) return setError(`The outstanding face amount is ${money(props.outstanding)}: offer at most that.`);
    const validDays = Number(days);
    if (!(validDays > 0)) return setError("The offer must be valid for some time.");
    try {
      setBusy("Preparing the offer…");
      const { offer, signature } = await market!.makeOffer(wallet!, props.id, parsed, validDays, (s) => setBusy(s));
      setBusy("Sending the offer to the lister…");
      setSent(
        await financingApi.postOffer({ kind: "factoring", receivableId: props.id, price: offer.price.toString(), listing: offer.listing, nonce: offer.nonce.toString(), expiry: Number(offer.expiry), signature }),
      );
      refresh();
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(null);
    }
  }

  return (
    <form className="inline-form offer-form" onSubmit={onSubmit} aria-label={`Offer for ${props.id}`}>
      <label>
        Purchase price
        <input name="offerPrice" inputMode="decimal" required value={price} onChange={(e) => setPrice(e.target.value)} />
      </label>
      <label>
        Valid for (days)
        <input name="offerDays" inputMode="numeric" required value={days} onChange={(e) => setDays(e.target.value)} />
      </label>
      <button type="submit" className="primary" disabled={!!busy || !wallet}>
        Sign and send offer
      </button>
      <p className="hint">
        {econ
          ? `Discount ${pct(econ.discountPct)} on the outstanding ${money(props.outstanding)} · annualised yield ${pct(econ.yieldPct)} over ${econ.days} days. Only you and the lister see the offer; signing costs nothing if it loses, and the price is drawn only at sale.`
          : "Enter a price."}
      </p>
      {busy && <Spinner label={busy} />}
      {error && <Notice tone="error">{error}</Notice>}
      {sent && (
        <Notice tone="ok">
          Offer of {money(sent.price ?? "0")} sent to the lister ({bpsPct(sent.discountBps)} discount, {bpsPct(sent.yieldBps)} a year), valid until{" "}
          {new Date(sent.expiry).toLocaleString()}.
        </Notice>
      )}
    </form>
  );
}

export function MarketPage() {
  const { market, roles, account, source } = useSession();
  const { data, error } = useAccountData(() => financingApi.marketplace(), { enabled: !!market && source.kind === "api", deps: [market, source] });
  const rows: MarketplaceItem[] | null = data?.items ?? null;
  const [open, setOpen] = useState<string | null>(null);
  // An offer form belongs to the account that opened it.
  useEffect(() => setOpen(null), [account?.address]);

  if (!market) return <Notice tone="info">This deployment has no factoring market.</Notice>;
  if (source.kind !== "api") return <Notice tone="info">The marketplace needs the server: offers are held there, private to each financier and the lister.</Notice>;
  const isFinancier = roles.includes("Financier");
  return (
    <section aria-labelledby="market-title">
      <div className="page-head">
        <div>
          <h1 id="market-title">Factoring marketplace</h1>
          <p className="lede">
            Confirmed receivables listed for sale. Your offers are signed, not sent on chain: the server shows them only to you and the lister, they
            cost nothing when they lose, and the sale settles atomically — the price to the lister and the receivable to you in one transaction.
          </p>
        </div>
      </div>
      {!isFinancier && <Notice tone="info">Only admitted financiers can make offers.</Notice>}
      {error && <Notice tone="error">Could not load the marketplace: {error}</Notice>}
      {!rows && !error && <Spinner label="Loading listings…" />}
      {rows && (
        <div className="table-wrap">
          <table className="data-table market-table">
            <thead>
              <tr>
                <th scope="col">Receivable</th>
                <th scope="col">Seller</th>
                <th scope="col">Buyer (debtor)</th>
                <th scope="col" className="num">
                  Outstanding
                </th>
                <th scope="col">Maturity</th>
                <th scope="col">Reserve · listing</th>
                <th scope="col">Dilution</th>
                <th scope="col">Insurance</th>
                <th scope="col">Your offers</th>
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
                      <SimilarWarnings similar={r.similar} lead="Possible duplicate:" />
                    </td>
                    <td>
                      <Party address={r.seller} />
                      <CreditCell c={sellerCredit} label="seller" />
                    </td>
                    <td>
                      <Party address={r.buyer} />
                      <CreditCell c={buyerCredit} label="buyer" />
                      <span className="muted small"> · {r.confirmed ? "confirmed" : r.status}</span>
                    </td>
                    <td className="num">
                      {money(outstanding)}
                      {outstanding !== face && <span className="muted small"> of {money(face)}</span>}
                    </td>
                    <td>
                      <span className="due">
                        {displayDate(r.dueDate)}
                        <span className="due-rel">{r.daysToMaturity >= 0 ? `${r.daysToMaturity} days` : `${-r.daysToMaturity} days overdue`}</span>
                      </span>
                    </td>
                    <td>
                      <strong>{money(l.reserve)}</strong>
                      <span className="muted small block">closes {displayDate(l.deadline)}</span>
                      <span className="muted small block">{l.withRecourse ? `with recourse (${(l.recourseRateBps / 100).toFixed(2)}% p.a.)` : "without recourse"}</span>
                    </td>
                    <td>
                      {dilution.creditNotes.length === 0 ? (
                        <span className="muted">none</span>
                      ) : (
                        `${dilution.acceptedCount} credit note${dilution.acceptedCount === 1 ? "" : "s"}`
                      )}
                    </td>
                    <td>
                      {policy ? (
                        <>
                          {(policy.coverageBps / 100).toFixed(0)}% by <Party inline address={policy.insurer} />
                        </>
                      ) : (
                        <span className="muted">none</span>
                      )}
                    </td>
                    <td className="offers-cell">
                      <MyOffers offers={myOffers} />
                      {isFinancier && (
                        <button type="button" className="small" aria-expanded={open === r.id} onClick={() => setOpen(open === r.id ? null : r.id)}>
                          {open === r.id ? "Close" : "Make offer"}
                        </button>
                      )}
                    </td>
                  </tr>,
                  open === r.id ? (
                    <tr key={`${r.id}-offer`} className="offer-row">
                      <td colSpan={9}>
                        <OfferForm id={r.id} reserve={BigInt(l.reserve)} outstanding={outstanding} dueDateMs={new Date(r.dueDate).getTime()} daysToMaturity={r.daysToMaturity} />
                      </td>
                    </tr>
                  ) : null,
                ];
              })}
              {rows.length === 0 && (
                <tr>
                  <td colSpan={9} className="empty">
                    Nothing is listed right now.
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
      .then((t) => !cancelled && setChainNow(Number(t)))
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
    const offer: Offer = { id: BigInt(String(on.id)), listing: Number(on.listing ?? 0), financier: String(on.financier) as Hex, price: BigInt(String(on.price)), nonce: BigInt(String(on.nonce)), expiry: BigInt(String(on.expiry)) };
    const financier = partyName(offer.financier);
    const discount = outstanding > offer.price ? outstanding - offer.price : 0n;
    const ok = await confirm({
      title: `Sell ${name} to ${financier} for ${amountText(offer.price)}?`,
      body: (
        <>
          <p>
            Accepting sells {name} ({amountText(outstanding)} outstanding, due {displayDate(r.dueDate)}) to {financier} for {amountText(offer.price)}
            {discount > 0n ? `, a discount of ${amountText(discount)}` : ""}. In one transaction you receive {amountText(offer.price)} and {financier}{" "}
            becomes the holder: the buyer&apos;s payment goes to them.
          </p>
          <p>
            {deal?.withRecourse
              ? `With recourse: if it defaults, ${financier} can make you buy it back for the price plus ${(deal.recourseRateBps / 100).toFixed(2)}% a year since the sale.`
              : `Without recourse: ${financier} takes the risk that the buyer does not pay; you owe nothing more.`}{" "}
            The other offers lapse. This cannot be undone.
          </p>
        </>
      ),
      confirmLabel: `Sell for ${money(offer.price)}`,
      danger: false,
    });
    if (!ok) return;
    void run(
      "Selling…",
      () => market!.acceptOffer(wallet!, offer, o.signature),
      `Sold for ${money(offer.price)}: the price is in your account and the receivable belongs to the financier.`,
      (d) => d.holder.toLowerCase() === offer.financier.toLowerCase(),
    );
  };

  /** Closing the listing (withdrawing it, or anyone once it expired): its offers lapse, the receivable is unlocked. */
  const close = async (expiredListing: boolean) => {
    const ok = await confirm({
      title: expiredListing ? `Close the expired listing of ${name}?` : `Withdraw the listing of ${name}?`,
      body: (
        <p>
          {expiredListing ? "Closing" : "Withdrawing"} ends {deal ? `${partyName(deal.party)}'s` : "the"} listing of {name} (reserve {amountText(deal?.amount ?? 0n)}): the
          offers made on it can no longer be accepted and the receivable is unlocked. Its holder may list it again later.
        </p>
      ),
      confirmLabel: expiredListing ? "Close listing" : "Withdraw listing",
    });
    if (!ok) return;
    if (expiredListing) void run("Closing the expired listing…", () => market.closeListing(wallet!, r.id), "Expired listing closed; the receivable is unlocked.", (d) => !d.lockedBy || /^0x0+$/.test(d.lockedBy));
    else void run("Withdrawing…", () => market.closeListing(wallet!, r.id), "Listing withdrawn; the receivable is unlocked.", (d) => !d.lockedBy || /^0x0+$/.test(d.lockedBy));
  };

  async function run(label: string, f: () => Promise<Hex>, done: string, until: (d: ReceivableDetail) => boolean) {
    setBusy(label);
    setResult(null);
    try {
      const tx = await f();
      setBusy("Waiting for the ledger view to update…");
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
  return (
    <section className="card factoring-card" aria-labelledby="factoring-h">
      <h2 id="factoring-h">Factoring</h2>
      {deal.state === "Listed" && (
        <p>
          Listed for sale by <Party inline address={deal.party} /> with a reserve of <strong>{money(deal.amount)}</strong>, open until{" "}
          {displayDate(deal.time * 1000)}, {deal.withRecourse ? `with recourse at ${(deal.recourseRateBps / 100).toFixed(2)}% p.a.` : "without recourse"}.
          The receivable is locked while listed.
        </p>
      )}
      {expired && (
        <div className="button-row" data-listing-expired>
          <p>
            <strong>The listing expired</strong> on {displayDate(deal.time * 1000)}: it takes no more offers. Anyone may close it to unlock the
            receivable.
          </p>
          {!isLister && account && wallet && (
            <button type="button" disabled={!!busy} onClick={() => void close(true)}>
              Close expired listing
            </button>
          )}
        </div>
      )}
      {deal.state === "SoldWithRecourse" && (
        <p>
          Sold with recourse for <strong>{money(deal.amount)}</strong> on {displayDate(deal.time * 1000)}: if it defaults, the holder can claim the
          repurchase from <Party inline address={deal.party} />.
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
              title: `Claim recourse on ${name} from ${seller}?`,
              body: (
                <p>
                  Claiming recourse fixes what {seller} owes you to buy {name} back: the {amountText(deal.amount)} price plus{" "}
                  {(deal.recourseRateBps / 100).toFixed(2)}% a year from the sale on {displayDate(deal.time * 1000)} to now. Until {seller} repurchases it you stay
                  its holder. The claim cannot be withdrawn.
                </p>
              ),
              confirmLabel: "Claim recourse",
            });
            if (ok) void run("Claiming recourse…", () => market.claimRecourse(w, r.id), "Recourse claimed: the seller owes the repurchase amount.", () => true);
          }}
        >
          Claim recourse from the seller
        </button>
      )}
      {deal.state === "RecourseClaimed" && (
        <Notice tone="warn">
          Recourse claimed: <Party inline address={deal.party} /> owes {money(deal.amount)} to repurchase it.
        </Notice>
      )}
      {deal.state === "RecourseClaimed" && me === deal.party.toLowerCase() && (
        <button
          type="button"
          className="primary"
          disabled={!!busy || !wallet}
          onClick={() =>
            void run("Repurchasing…", () => market.repurchase(w, r.id, deal.amount, (s2) => setBusy(s2)), `Repurchased for ${moneyExact(deal.amount)}: the receivable is yours again.`, (d) => d.holder.toLowerCase() === me)
          }
        >
          Repurchase for {moneyExact(deal.amount)}
        </button>
      )}
      {canList && !showList && (
        <>
          <p className="muted">Sell this confirmed receivable to a financier now instead of waiting for the buyer to pay at maturity.</p>
          <button type="button" onClick={() => setShowList(true)} disabled={!wallet}>
            List for factoring…
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
            void run("Listing…", () => market.list(w, r.id, reserve, deadline, listing.recourse, rate), "Listed for factoring. Financiers can now send you offers.", (d) => !!d.lockedBy && !/^0x0+$/.test(d.lockedBy));
          }}
        >
          <label>
            Reserve (minimum price)
            <input name="reserve" inputMode="decimal" required value={listing.reserve} placeholder={money((outstanding * 97n) / 100n).replace(/,/g, "")} onChange={(e) => setListing({ ...listing, reserve: e.target.value })} />
          </label>
          <label>
            Open for (days)
            <input name="listingDays" inputMode="numeric" required value={listing.days} onChange={(e) => setListing({ ...listing, days: e.target.value })} />
          </label>
          <label className="checkbox">
            <input type="checkbox" name="withRecourse" checked={listing.recourse} onChange={(e) => setListing({ ...listing, recourse: e.target.checked })} />
            With recourse
          </label>
          {listing.recourse && (
            <label>
              Recourse interest (% p.a.)
              <input name="recourseRate" inputMode="decimal" value={listing.rate} onChange={(e) => setListing({ ...listing, rate: e.target.value })} />
            </label>
          )}
          <button type="submit" className="primary" disabled={!!busy || !listing.reserve}>
            List
          </button>
          <button type="button" onClick={() => setShowList(false)} disabled={!!busy}>
            Back
          </button>
        </form>
      )}
      {isLister && (
        <div className="accept-offer">
          <ListerOffers id={r.id} reserve={deal.amount} busy={!!busy} onAccept={(o) => void accept(o)} chainNow={expired ? null : chainNow} />
          <div className="button-row">
            <button type="button" className="danger" disabled={!!busy} onClick={() => void close(false)}>
              Withdraw listing
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
  const { source } = useSession();
  const { data, error } = useAccountData<OffersOnJson>(() => financingApi.offersOn(props.id, "factoring"), { enabled: source.kind === "api", deps: [props.id, source] });
  if (source.kind !== "api") return <Notice tone="info">Offers are held by the server, which is not reachable.</Notice>;
  if (error) return <Notice tone="error">Could not load the offers: {error}</Notice>;
  if (!data) return <Spinner label="Loading offers…" />;
  const open = data.items.filter((o) => o.state === "open").sort((a, b) => (a.rank ?? 1e9) - (b.rank ?? 1e9));
  const closed = data.items.filter((o) => o.state !== "open");
  return (
    <>
      <h3>Offers on your listing</h3>
      {open.length === 0 ? (
        <p className="muted" data-testid="no-offers">
          No open offers yet. Financiers see the listing in their marketplace; their offers appear here, visible only to you and each bidder.
        </p>
      ) : (
        <table className="data-table compact" aria-label="Offers ranked by price">
          <thead>
            <tr>
              <th scope="col">Rank</th>
              <th scope="col">Financier</th>
              <th scope="col" className="num">
                Price
              </th>
              <th scope="col" className="num">
                Discount
              </th>
              <th scope="col" className="num">
                Yield p.a.
              </th>
              <th scope="col">Valid until</th>
              <th scope="col">
                <span className="sr-only">Accept</span>
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
                  <td>{new Date(o.expiry).toLocaleString()}</td>
                  <td>
                    {below ? (
                      <span className="muted small">Below reserve</span>
                    ) : lapsed ? (
                      <span className="muted small">Offer expired</span>
                    ) : props.chainNow !== null ? (
                      <button type="button" className={i === 0 ? "small primary" : "small"} disabled={props.busy} onClick={() => props.onAccept(o)}>
                        Sell for {money(price)}
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
          {closed.length} earlier offer{closed.length === 1 ? "" : "s"} no longer open ({closed.map((o) => o.state).join(", ")}).
        </p>
      )}
    </>
  );
}
