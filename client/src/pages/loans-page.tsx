// Receivable-backed loans (pledge, issue 5): a lender signs a loan offer for a receivable (advance rate and
// interest rate) and sends it to the server, which shows it only to the lender and the holder; the holder opens
// the loan with it in one action, receiving the advance while the receivable is locked; the
// buyer's payment repays the lender first; the borrower can repay early; on default the lender takes it.
import { useEffect, useState, type FormEvent } from "react";
import { allows, COLLECTABLE } from "../../../common/lifecycle.ts";
import { applyBps } from "../../../common/pricing.ts";
import type { Hex } from "viem";
import { financingApi, type OfferJson, type OffersOnJson, type RankedOfferJson, type ReceivableDetail } from "../api.ts";
import { describeError, type ChainReceivable } from "../chain.ts";
import type { Loan, LoanOffer } from "../financing.ts";
import { useWithdrawOffer } from "./market-page.tsx";
import { displayDate, money, moneyExact } from "../format.ts";
import { useSession } from "../session.tsx";
import { Hash, Notice, Party, Spinner, StatusBadge } from "../components/bits.tsx";
import { useAccountData } from "../use-account-data.ts";
import { receivableName, useConfirm } from "../components/confirm-dialog.tsx";

const ID_PATTERN = /^0x[0-9a-fA-F]{64}$/;
type Result = { tone: "ok" | "error"; text: string; tx?: Hex } | null;

/** A lender prices a loan against a receivable (looked up by id on the ledger) and signs an offer. */
export function LoansPage() {
  const { loans, chain, wallet, roles, revision, refresh } = useSession();
  const [id, setId] = useState("");
  const [found, setFound] = useState<{ r: ChainReceivable; loan: Loan | null } | null>(null);
  const [lookupError, setLookupError] = useState<string | null>(null);
  const [form, setForm] = useState({ advance: "80", rate: "9", days: "3" });
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [sent, setSent] = useState<OfferJson | null>(null);

  useEffect(() => {
    let cancelled = false;
    setLookupError(null);
    if (!loans || !ID_PATTERN.test(id.trim())) return setFound(null);
    const rid = id.trim().toLowerCase() as Hex;
    Promise.all([chain.receivable(rid), loans.loan(rid)])
      .then(([r, loan]) => {
        if (cancelled) return;
        if (r.status === "None") {
          setFound(null);
          setLookupError("No receivable with this id on the ledger.");
        } else setFound({ r, loan });
      })
      .catch((e) => !cancelled && setLookupError(describeError(e)));
    return () => {
      cancelled = true;
    };
  }, [id, chain, loans, revision]);

  if (!loans) return <Notice tone="info">This deployment has no loan module.</Notice>;
  if (!roles.includes("Financier")) return <Notice tone="info">Only admitted financiers lend against receivables.</Notice>;
  const outstanding = found ? found.r.faceAmount - found.r.paid : 0n;
  const advanceBps = Math.round(Number(form.advance) * 100);
  const rateBps = Math.round(Number(form.rate) * 100);
  const valid = Number.isFinite(advanceBps) && advanceBps > 0 && advanceBps <= 10_000 && Number.isFinite(rateBps) && rateBps >= 0 && rateBps <= 65_535;
  const advance = valid ? applyBps(outstanding, advanceBps) : 0n;

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setSent(null);
    if (!valid) return setError("The advance must be between 0 and 100% and the rate a percentage.");
    try {
      setBusy("Preparing the loan offer…");
      const { offer, signature } = await loans!.makeOffer(wallet!, id.trim() as Hex, advanceBps, rateBps, Number(form.days), (s) => setBusy(s));
      setBusy("Sending the offer to the holder…");
      setSent(
        await financingApi.postOffer({ kind: "loan", receivableId: id.trim().toLowerCase(), advanceBps, rateBps, nonce: offer.nonce.toString(), expiry: Number(offer.expiry), signature }),
      );
      refresh();
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(null);
    }
  }

  return (
    <section aria-labelledby="loans-title">
      <div className="page-head">
        <div>
          <h1 id="loans-title">Loans against receivables</h1>
          <p className="lede">
            Offer a loan secured by a confirmed receivable. Your signed offer goes to the server, which shows it only to you and the holder; the
            holder opens the loan with it in one action: you advance the agreed share of the
            outstanding amount, the receivable is locked, and the buyer's payment repays you first (principal plus interest).
          </p>
        </div>
      </div>
      <form className="card form" onSubmit={onSubmit} aria-labelledby="loans-title">
        <fieldset disabled={!!busy}>
          <div className="form-grid">
            <label className="wide">
              Receivable id
              <input name="loanId" required className="mono" value={id} onChange={(e) => setId(e.target.value)} placeholder="0x… (64 hex digits)" />
            </label>
          </div>
        </fieldset>
        {lookupError && <Notice tone="warn">{lookupError}</Notice>}
        {found && (
          <dl className="facts lookup" aria-label="Receivable">
            <dt>Status</dt>
            <dd>
              <StatusBadge status={found.r.status} /> {!/^0x0+$/.test(found.r.lockedBy) && <span className="muted">locked by <Party inline address={found.r.lockedBy} /></span>}
            </dd>
            <dt>Debtor</dt>
            <dd>
              <Party address={found.r.buyer} />
            </dd>
            <dt>Holder (borrower)</dt>
            <dd>
              <Party address={found.r.holder} />
            </dd>
            <dt>Outstanding</dt>
            <dd>{money(outstanding)}</dd>
            <dt>Due</dt>
            <dd>{displayDate(found.r.dueDate * 1000)}</dd>
          </dl>
        )}
        {found && !found.loan && (
          <fieldset disabled={!!busy}>
            <legend>Loan offer</legend>
            <div className="form-grid">
              <label>
                Advance (% of outstanding)
                <input name="advancePct" inputMode="decimal" required value={form.advance} onChange={(e) => setForm({ ...form, advance: e.target.value })} />
              </label>
              <label>
                Interest (% per year)
                <input name="loanRate" inputMode="decimal" required value={form.rate} onChange={(e) => setForm({ ...form, rate: e.target.value })} />
              </label>
              <label>
                Offer valid for (days)
                <input name="loanDays" inputMode="numeric" required value={form.days} onChange={(e) => setForm({ ...form, days: e.target.value })} />
              </label>
            </div>
            <p className="hint">The borrower receives {money(advance)} from your account when it opens the loan.</p>
          </fieldset>
        )}
        {found?.loan && <Notice tone="info">This receivable already secures a loan.</Notice>}
        <div className="form-foot">
          {found && !found.loan && (
            <button type="submit" className="primary" disabled={!!busy || found.r.status !== "Confirmed" || !valid}>
              Sign and send loan offer
            </button>
          )}
          {busy && <Spinner label={busy} />}
        </div>
        {error && <Notice tone="error">{error}</Notice>}
        {sent && (
          <Notice tone="ok">
            Loan offer sent to the holder: {((sent.advanceBps ?? 0) / 100).toFixed(2)}% advance at {((sent.rateBps ?? 0) / 100).toFixed(2)}% a year, valid until{" "}
            {new Date(sent.expiry).toLocaleString()}.
          </Notice>
        )}
      </form>
      <MyLoanOffers />
    </section>
  );
}

/** The lender's own loan offers (held by the server), with withdraw. */
function MyLoanOffers() {
  const withdraw = useWithdrawOffer("loan");
  const { data, error: loadError } = useAccountData(() => financingApi.myOffers({ kind: "loan" }));
  const items: OfferJson[] | null = data?.items ?? null;
  const [busy, setBusy] = useState<string | null>(null);
  const [actionError, setError] = useState<string | null>(null);
  const error = actionError ?? loadError;
  if (!items || items.length === 0) return null;
  return (
    <section className="card" aria-labelledby="my-loan-offers-h">
      <h2 id="my-loan-offers-h">Your loan offers</h2>
      <table className="data-table compact">
        <thead>
          <tr>
            <th scope="col">Receivable</th>
            <th scope="col" className="num">
              Advance
            </th>
            <th scope="col" className="num">
              Interest
            </th>
            <th scope="col">Valid until</th>
            <th scope="col">State</th>
            <th scope="col">
              <span className="sr-only">Withdraw</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((o) => (
            <tr key={o.id} data-offer-state={o.state}>
              <td className="mono">
                <a href={`#/receivables/${o.receivableId}`}>{o.receivableId.slice(0, 12)}…</a>
              </td>
              <td className="num">{((o.advanceBps ?? 0) / 100).toFixed(2)}%</td>
              <td className="num">{((o.rateBps ?? 0) / 100).toFixed(2)}% a year</td>
              <td>{new Date(o.expiry).toLocaleString()}</td>
              <td>{o.state === "accepted" ? "accepted — loan opened" : o.state}</td>
              <td>
                {o.state === "open" && (
                  <button
                    type="button"
                    className="small"
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
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {busy && <Spinner label={busy} />}
      {error && <Notice tone="error">{error}</Notice>}
    </section>
  );
}

/** On a receivable's page: the loan it secures (owed now, repay, seize), or the holder's way to open one. */
export function LoanCard(props: { r: ReceivableDetail }) {
  const { r } = props;
  const { loans, account, wallet, revision, refresh, source, chain, companyOf, tokenSymbol } = useSession();
  const { confirm, dialog } = useConfirm();
  const [loan, setLoan] = useState<{ loan: Loan; owed: bigint } | null>(null);
  /** The chain's time (ms): a confirmed receivable can be taken only once it is past due and grace by it. */
  const [chainNowMs, setChainNowMs] = useState<number | null>(null);
  const [showOpen, setShowOpen] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  const [result, setResult] = useState<Result>(null);

  useEffect(() => {
    let cancelled = false;
    if (!loans) return;
    loans
      .loan(r.id)
      .then(async (l) => (l ? { loan: l, owed: await loans.owed(r.id) } : null))
      .then((x) => !cancelled && setLoan(x))
      .catch(() => !cancelled && setLoan(null));
    chain
      .now()
      .then((t) => !cancelled && setChainNowMs(Number(t) * 1000))
      .catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, [loans, chain, r.id, revision]);

  if (!loans) return null;
  const me = account?.address.toLowerCase();
  const isHolder = me === r.holder.toLowerCase();
  const unlocked = !r.lockedBy || /^0x0+$/.test(r.lockedBy);
  const canBorrow = isHolder && !loan && allows("lock", r.status) && unlocked;
  if (!loan && !canBorrow && !result) return null;

  const outstanding = BigInt(r.outstanding);
  const w = wallet!;
  // The lender enforces its pledge on a defaulted receivable, or on a confirmed one past its due date and grace
  // (the ledger marks it defaulted in the same transaction).
  const graceEnds = new Date(r.dueDate).getTime() + (r.terms?.graceDays ?? 0) * 86_400_000;
  const canSeize =
    !!loan && me === loan.loan.lender.toLowerCase() && (r.status === "Defaulted" || (r.status === "Confirmed" && chainNowMs !== null && chainNowMs > graceEnds));

  async function act(label: string, f: (step: (s: string) => void) => Promise<Hex>, done: string, until: (d: ReceivableDetail) => boolean) {
    setBusy(label);
    setResult(null);
    try {
      const tx = await f((s) => setBusy(s));
      setBusy("Waiting for the ledger view to update…");
      const deadline = Date.now() + 20_000;
      while (Date.now() < deadline) {
        try {
          if (until(await source.get(r.id))) break;
        } catch {
          // not visible yet
        }
        await new Promise((res) => setTimeout(res, 400));
      }
      setResult({ tone: "ok", text: done, tx });
      setShowOpen(false);
    } catch (e) {
      setResult({ tone: "error", text: describeError(e) });
    } finally {
      setBusy(null);
      refresh();
    }
  }
  const locked = (d: ReceivableDetail) => !!d.lockedBy && !/^0x0+$/.test(d.lockedBy);

  return (
    <section className="card loan-card" aria-labelledby="loan-h">
      <h2 id="loan-h">Loan against this receivable</h2>
      {loan && (
        <dl className="facts lookup" aria-label="Loan">
          <dt>Lender</dt>
          <dd>
            <Party address={loan.loan.lender} />
          </dd>
          <dt>Interest</dt>
          <dd>{(loan.loan.rateBps / 100).toFixed(2)}% a year, since {displayDate(loan.loan.since * 1000)}</dd>
          <dt>Owed now</dt>
          <dd>
            <strong data-testid="loan-owed">{moneyExact(loan.owed)}</strong> <span className="muted">— repaid first from the buyer's payment</span>
          </dd>
        </dl>
      )}
      {dialog}
      <div className="button-row">
        {loan && isHolder && (
          <button type="button" className="primary" disabled={!!busy || !wallet} onClick={() => void act("Repaying…", (step) => loans.repay(w, r.id, step), "Loan repaid; the receivable is unlocked.", (d) => !locked(d))}>
            Repay {moneyExact(loan.owed)}
          </button>
        )}
        {canSeize && loan && (
          <button
            type="button"
            className="danger"
            disabled={!!busy || !wallet}
            onClick={async () => {
              const currency = r.invoice?.currency ?? tokenSymbol;
              const name = receivableName(r);
              const borrower = companyOf(r.holder)?.name ?? r.holder;
              const ok = await confirm({
                title: `Take ${name} from ${borrower}?`,
                body: (
                  <p>
                    Enforcing the pledge {r.status === "Confirmed" ? "marks the receivable defaulted, then " : ""}makes you the holder of {name} in place of
                    the loan of {moneyExact(loan.owed)} {currency} owed now: the loan is closed and you collect its {money(outstanding)} {currency} outstanding
                    from the buyer yourself. {borrower} no longer owes the loan. This cannot be undone.
                  </p>
                ),
                confirmLabel: "Take the receivable",
              });
              if (ok) void act("Taking the receivable…", () => loans.seize(w, r.id), "The receivable is yours: the loan is closed.", (d) => d.holder.toLowerCase() === me);
            }}
          >
            Take the receivable (default)
          </button>
        )}
        {canBorrow && !showOpen && (
          <button type="button" onClick={() => setShowOpen(true)} disabled={!wallet}>
            Borrow against it…
          </button>
        )}
      </div>
      {canBorrow && <LoanRequestControl id={r.id} />}
      {canBorrow && showOpen && (
        <div className="accept-offer">
          <LoanOffersOn
            id={r.id}
            outstanding={outstanding}
            busy={!!busy}
            onOpen={(o) => {
              const on = o.onChain.offer;
              const offer: LoanOffer = {
                id: BigInt(String(on.id)),
                lender: String(on.lender) as Hex,
                advanceBps: Number(on.advanceBps),
                rateBps: Number(on.rateBps),
                nonce: BigInt(String(on.nonce)),
                expiry: BigInt(String(on.expiry)),
              };
              void act("Opening the loan…", () => loans.openLoan(w, offer, o.signature), "Loan opened: the advance is in your account and the receivable is pledged.", locked);
            }}
          />
          <div className="button-row">
            <button type="button" onClick={() => setShowOpen(false)} disabled={!!busy}>
              Back
            </button>
          </div>
        </div>
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


/**
 * The holder opens its receivable to loan offers: until then financiers cannot see it (nor offer on it); while
 * open, every active financier sees it (issue 9 item 9).
 */
function LoanRequestControl(props: { id: string }) {
  const { refresh } = useSession();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const { data } = useAccountData(() => financingApi.record(props.id), { deps: [props.id] });
  const open = data?.loanRequest?.open ?? false;
  async function toggle() {
    setBusy(true);
    setError(null);
    try {
      await (open ? financingApi.withdrawLoanRequest(props.id) : financingApi.requestLoanOffers(props.id));
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
      refresh();
    }
  }
  if (!data) return null;
  return (
    <div className="loan-request" data-loan-request={open ? "open" : "closed"}>
      <p className="hint">
        {open
          ? "Financiers can see this receivable and send you loan offers."
          : "Financiers see this receivable only once you ask for loan offers."}
      </p>
      <button type="button" className="small" disabled={busy} onClick={() => void toggle()}>
        {open ? "Stop asking for loan offers" : "Ask financiers for loan offers"}
      </button>
      {error && <Notice tone="error">{error}</Notice>}
    </div>
  );
}

/** The holder's view of the loan offers on its receivable, held by the server and ranked best first. */
function LoanOffersOn(props: { id: string; outstanding: bigint; busy: boolean; onOpen: (o: RankedOfferJson) => void }) {
  const { data, error } = useAccountData<OffersOnJson>(() => financingApi.offersOn(props.id, "loan"), { deps: [props.id] });
  if (error) return <Notice tone="error">Could not load the loan offers: {error}</Notice>;
  if (!data) return <Spinner label="Loading loan offers…" />;
  const open = data.items.filter((o) => o.state === "open").sort((a, b) => (a.rank ?? 1e9) - (b.rank ?? 1e9));
  if (open.length === 0)
    return <p className="muted">No loan offers yet. Once you ask for loan offers, lenders offer from their Loans page with this receivable's id; their offers appear here, visible only to you and each lender.</p>;
  return (
    <table className="data-table compact" aria-label="Loan offers ranked">
      <thead>
        <tr>
          <th scope="col">Rank</th>
          <th scope="col">Lender</th>
          <th scope="col" className="num">
            You receive
          </th>
          <th scope="col" className="num">
            Interest
          </th>
          <th scope="col">Valid until</th>
          <th scope="col">
            <span className="sr-only">Open</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {open.map((o, i) => (
          <tr key={o.id}>
            <td>{o.rank ?? i + 1}</td>
            <td>
              <Party address={o.bidder} />
            </td>
            <td className="num">
              <strong>{money(applyBps(props.outstanding, o.advanceBps ?? 0))}</strong> <span className="muted small">({((o.advanceBps ?? 0) / 100).toFixed(2)}%)</span>
            </td>
            <td className="num">{((o.rateBps ?? 0) / 100).toFixed(2)}% a year</td>
            <td>{new Date(o.expiry).toLocaleString()}</td>
            <td>
              <button type="button" className={i === 0 ? "small primary" : "small"} disabled={props.busy} onClick={() => props.onOpen(o)}>
                Open loan
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
