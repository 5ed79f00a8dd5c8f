// Factoring: the financiers' marketplace of listed receivables (with what they price on and a signed offer in
// one step), and on a receivable's page the lister's side — list, withdraw, and accept an offer.
import { useEffect, useState, type FormEvent } from "react";
import type { Hex } from "viem";
import { parseAmount } from "../../../common/domain.ts";
import type { ReceivableDetail } from "../api.ts";
import { describeError, type ChainReceivable } from "../chain.ts";
import { decodeOffer, offerEconomics, type Deal, type Listing, type Offer, type Policy } from "../financing.ts";
import { DAY_MS, displayDate, money, relativeDue, shortHex } from "../format.ts";
import { useSession } from "../session.tsx";
import { Hash, Notice, Party, Spinner } from "../components/bits.tsx";

const pct = (v: number) => `${v.toFixed(2)}%`;

/** The offer code box a financier copies and sends to the lister. */
function OfferCode(props: { code: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="offer-code">
      <label>
        Offer code — send it to the lister; it is valid only for this receivable and can be used once
        <textarea readOnly rows={3} value={props.code} name="offerCode" onFocus={(e) => e.currentTarget.select()} />
      </label>
      <button
        type="button"
        className="small"
        onClick={() => {
          void navigator.clipboard?.writeText(props.code).then(() => setCopied(true), () => setCopied(false));
        }}
      >
        {copied ? "Copied" : "Copy code"}
      </button>
    </div>
  );
}

/** A financier prices a listed receivable and signs an offer. */
function OfferForm(props: { id: Hex; reserve: bigint; outstanding: bigint; dueDateMs: number; deadline: number }) {
  const { market, wallet, roles } = useSession();
  const [price, setPrice] = useState(() => money(props.reserve).replace(/,/g, ""));
  const [days, setDays] = useState("3");
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [code, setCode] = useState<string | null>(null);
  let parsed: bigint | null = null;
  try {
    parsed = parseAmount(price);
  } catch {
    parsed = null;
  }
  const econ = parsed !== null ? offerEconomics(parsed, props.outstanding, props.dueDateMs) : null;
  if (!market || !roles.includes("Financier")) return null;

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    if (parsed === null || parsed <= 0n) return setError("Enter a price above zero.");
    if (parsed < props.reserve) return setError(`The reserve is ${money(props.reserve)}: an offer below it cannot be accepted.`);
    const validDays = Number(days);
    if (!(validDays > 0)) return setError("The offer must be valid for some time.");
    try {
      setBusy("Preparing the offer…");
      setCode(await market!.makeOffer(wallet!, props.id, parsed, validDays, (s) => setBusy(s)));
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
        Sign offer
      </button>
      <p className="hint">
        {econ
          ? `Discount ${pct(econ.discountPct)} on the outstanding ${money(props.outstanding)} · annualised yield ${pct(econ.yieldPct)} over ${econ.days} days. Signing costs nothing if the offer loses; the price is drawn only at sale.`
          : "Enter a price."}
      </p>
      {busy && <Spinner label={busy} />}
      {error && <Notice tone="error">{error}</Notice>}
      {code && <OfferCode code={code} />}
    </form>
  );
}

export function MarketPage() {
  const { market, chain, roles, revision, account, insurance } = useSession();
  const [rows, setRows] = useState<{ l: Listing; r: ChainReceivable; policy: Policy | null }[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  // An offer form belongs to the account that opened it.
  useEffect(() => setOpen(null), [account?.address]);

  useEffect(() => {
    let cancelled = false;
    if (!market) return;
    market
      .listings()
      .then((ls) =>
        Promise.all(
          ls.map(async (l) => ({ l, r: await chain.receivable(l.id), policy: insurance ? await insurance.policy(l.id).catch(() => null) : null })),
        ),
      )
      .then((x) => {
        if (cancelled) return;
        setRows(x);
        setError(null);
      })
      .catch((e) => !cancelled && setError(describeError(e)));
    return () => {
      cancelled = true;
    };
  }, [market, chain, insurance, revision]);

  if (!market) return <Notice tone="info">This deployment has no factoring market.</Notice>;
  return (
    <section aria-labelledby="market-title">
      <div className="page-head">
        <div>
          <h1 id="market-title">Factoring marketplace</h1>
          <p className="lede">
            Confirmed receivables listed for sale. Offers are signed, not sent on chain: they cost nothing when they lose, stay private between
            you and the lister, and settle atomically — the price to the lister and the receivable to you in one transaction.
          </p>
        </div>
      </div>
      {!roles.includes("Financier") && <Notice tone="info">Only admitted financiers can make offers.</Notice>}
      {error && <Notice tone="error">Could not load the listings: {error}</Notice>}
      {!rows && !error && <Spinner label="Loading listings…" />}
      {rows && (
        <div className="table-wrap">
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">Receivable</th>
                <th scope="col">Seller</th>
                <th scope="col">Buyer (debtor)</th>
                <th scope="col" className="num">
                  Outstanding
                </th>
                <th scope="col">Maturity</th>
                <th scope="col" className="num">
                  Reserve
                </th>
                <th scope="col">Listing closes</th>
                <th scope="col">Recourse</th>
                <th scope="col">Insurance</th>
                <th scope="col">
                  <span className="sr-only">Offer</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map(({ l, r, policy }) => {
                const outstanding = r.faceAmount - r.paid;
                const dueIso = new Date(r.dueDate * 1000).toISOString();
                return [
                  <tr key={l.id} data-id={l.id}>
                    <td className="mono">{shortHex(l.id, 10, 4)}</td>
                    <td>
                      <Party address={r.seller} />
                    </td>
                    <td>
                      <Party address={r.buyer} />
                      <span className="muted small"> · {r.status === "Confirmed" ? "confirmed" : r.status}</span>
                    </td>
                    <td className="num">{money(outstanding)}</td>
                    <td>
                      <span className="due">
                        {displayDate(dueIso)}
                        <span className="due-rel">{relativeDue(dueIso)}</span>
                      </span>
                    </td>
                    <td className="num">{money(l.amount)}</td>
                    <td>{displayDate(l.time * 1000)}</td>
                    <td>{l.withRecourse ? `with (${(l.recourseRateBps / 100).toFixed(2)}% p.a.)` : "without"}</td>
                    <td>
                      {policy?.active && !policy.claimed ? (
                        <>
                          {(policy.coverageBps / 100).toFixed(0)}% by <Party inline address={policy.insurer} />
                        </>
                      ) : (
                        <span className="muted">none</span>
                      )}
                    </td>
                    <td>
                      {roles.includes("Financier") && (
                        <button type="button" className="small" aria-expanded={open === l.id} onClick={() => setOpen(open === l.id ? null : l.id)}>
                          Make offer
                        </button>
                      )}
                    </td>
                  </tr>,
                  open === l.id ? (
                    <tr key={`${l.id}-offer`} className="offer-row">
                      <td colSpan={10}>
                        <OfferForm id={l.id} reserve={l.amount} outstanding={outstanding} dueDateMs={r.dueDate * 1000} deadline={l.time} />
                      </td>
                    </tr>
                  ) : null,
                ];
              })}
              {rows.length === 0 && (
                <tr>
                  <td colSpan={10} className="empty">
                    Nothing is listed right now.
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** On a receivable's page: its factoring state, and the holder's or lister's actions. */
export function FactoringCard(props: { r: ReceivableDetail }) {
  const { r } = props;
  const { market, account, wallet, revision, refresh, source } = useSession();
  const [deal, setDeal] = useState<Deal | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [result, setResult] = useState<{ tone: "ok" | "error"; text: string; tx?: Hex } | null>(null);
  const [listing, setListing] = useState({ reserve: "", days: "7", recourse: false, rate: "8" });
  const [code, setCode] = useState("");
  const [showList, setShowList] = useState(false);

  useEffect(() => {
    let cancelled = false;
    if (!market) return;
    market
      .deal(r.id)
      .then((d) => !cancelled && setDeal(d))
      .catch(() => !cancelled && setDeal(null));
    return () => {
      cancelled = true;
    };
  }, [market, r.id, revision]);

  if (!market || !deal) return null;
  const me = account?.address.toLowerCase();
  const isHolder = me === r.holder.toLowerCase();
  const isLister = deal.state === "Listed" && me === deal.party.toLowerCase();
  const unlocked = !r.lockedBy || /^0x0+$/.test(r.lockedBy);
  const canList = isHolder && r.status === "Confirmed" && unlocked && deal.state === "None";
  const outstanding = BigInt(r.outstanding);

  // One or more offer codes (one per line): several are ranked by price, with discount and yield.
  const parsedOffers = code
    .split(/\s+/)
    .filter(Boolean)
    .map((c) => {
      try {
        const d = decodeOffer(c);
        return d.offer.id !== BigInt(r.id) ? { error: "This offer is for another receivable." } : { ...d, error: null as string | null };
      } catch (e) {
        return { error: describeError(e) };
      }
    });
  const validOffers = parsedOffers
    .filter((x): x is { offer: Offer; signature: Hex; error: null } => x.error === null && "offer" in x)
    .sort((a, b) => (a.offer.price === b.offer.price ? 0 : a.offer.price > b.offer.price ? -1 : 1));
  const decodeError = parsedOffers.find((x) => x.error)?.error ?? null;
  const decoded = validOffers.length === 1 ? validOffers[0]! : null;
  const accept = (o: { offer: Offer; signature: Hex }) =>
    void run(
      "Selling…",
      () => market!.acceptOffer(wallet!, o.offer, o.signature),
      `Sold for ${money(o.offer.price)}: the price is in your account and the receivable belongs to the financier.`,
      (d) => d.holder.toLowerCase() === o.offer.financier.toLowerCase(),
    );

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
      setCode("");
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
          onClick={() => void run("Claiming recourse…", () => market.claimRecourse(w, r.id), "Recourse claimed: the seller owes the repurchase amount.", () => true)}
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
            void run("Repurchasing…", () => market.repurchase(w, r.id, deal.amount, (s2) => setBusy(s2)), `Repurchased for ${money(deal.amount)}: the receivable is yours again.`, (d) => d.holder.toLowerCase() === me)
          }
        >
          Repurchase for {money(deal.amount)}
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
            const deadline = Math.floor((Date.now() + Number(listing.days) * DAY_MS) / 1000);
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
          <label>
            Accept an offer — paste the offer codes financiers sent you (one per line; several are ranked)
            <textarea name="acceptCode" rows={3} value={code} onChange={(e) => setCode(e.target.value)} placeholder="offer1.…" />
          </label>
          {decodeError && <Notice tone="warn">{decodeError}</Notice>}
          {decoded && <OfferSummary offer={decoded.offer} outstanding={outstanding} dueDate={r.dueDate} reserve={deal.amount} />}
          {validOffers.length > 1 && (
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
                {validOffers.map((o, i) => {
                  const econ = offerEconomics(o.offer.price, outstanding, new Date(r.dueDate).getTime());
                  const below = o.offer.price < deal.amount;
                  const expired = Number(o.offer.expiry) * 1000 < Date.now();
                  return (
                    <tr key={`${o.offer.financier}-${o.offer.nonce}`}>
                      <td>{i + 1}</td>
                      <td>
                        <Party address={o.offer.financier} />
                      </td>
                      <td className="num">{money(o.offer.price)}</td>
                      <td className="num">{pct(econ.discountPct)}</td>
                      <td className="num">{pct(econ.yieldPct)}</td>
                      <td className={expired ? "error-text" : ""}>{new Date(Number(o.offer.expiry) * 1000).toLocaleString()}</td>
                      <td>
                        <button type="button" className={i === 0 ? "small primary" : "small"} disabled={!!busy || below || expired} onClick={() => accept(o)}>
                          {below ? "Below reserve" : `Sell for ${money(o.offer.price)}`}
                        </button>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )}
          <div className="button-row">
            {validOffers.length <= 1 && (
              <button type="button" className="primary" disabled={!!busy || !decoded} onClick={() => decoded && accept(decoded)}>
                {decoded ? `Accept offer: sell for ${money(decoded.offer.price)}` : "Accept offer"}
              </button>
            )}
            <button type="button" className="danger" disabled={!!busy} onClick={() => void run("Withdrawing…", () => market.closeListing(w, r.id), "Listing withdrawn; the receivable is unlocked.", (d) => !d.lockedBy || /^0x0+$/.test(d.lockedBy))}>
              Withdraw listing
            </button>
          </div>
        </div>
      )}
      {deal.state === "Listed" && !isLister && (
        <OfferForm id={r.id} reserve={deal.amount} outstanding={outstanding} dueDateMs={new Date(r.dueDate).getTime()} deadline={deal.time} />
      )}
      {busy && <Spinner label={busy} />}
      {result && (
        <Notice tone={result.tone}>
          {result.text} {result.tx && <Hash value={result.tx} />}
        </Notice>
      )}
    </section>
  );
}

function OfferSummary(props: { offer: Offer; outstanding: bigint; dueDate: string; reserve: bigint }) {
  const { offer } = props;
  const econ = offerEconomics(offer.price, props.outstanding, new Date(props.dueDate).getTime());
  const expired = Number(offer.expiry) * 1000 < Date.now();
  return (
    <dl className="facts lookup" aria-label="Offer">
      <dt>Financier</dt>
      <dd>
        <Party address={offer.financier} />
      </dd>
      <dt>Price</dt>
      <dd>
        <strong>{money(offer.price)}</strong> {offer.price < props.reserve && <span className="error-text">below your reserve of {money(props.reserve)}</span>}
      </dd>
      <dt>Discount / yield</dt>
      <dd>
        {pct(econ.discountPct)} below the outstanding {money(props.outstanding)} · {pct(econ.yieldPct)} a year for the financier over {econ.days} days
      </dd>
      <dt>Valid until</dt>
      <dd className={expired ? "error-text" : ""}>{new Date(Number(offer.expiry) * 1000).toLocaleString()}</dd>
    </dl>
  );
}
