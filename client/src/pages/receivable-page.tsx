// One receivable: parties, amounts, terms, the document check, the actions open to the selected account,
// and the on-chain event history.
import { useEffect, useState } from "react";
import type { Hex } from "viem";
import { documentHash } from "../../../common/fingerprint.ts";
import { ApiError, api, type ReceivableDetail, type ReceivableEvent } from "../api.ts";
import { describeError } from "../chain.ts";
import { bps, displayDate, idHex, money, moneyExact, relativeDue, shortHex } from "../format.ts";
import { Outstanding } from "../components/outstanding.tsx";
import { parseAmount } from "../../../common/money.ts";
import { allows, PAYABLE } from "../../../common/lifecycle.ts";
import { DAY_MS } from "../../../common/units.ts";
import type { Address } from "viem";
import { useSession } from "../session.tsx";
import { Hash, Notice, Party, Spinner, StatusBadge } from "../components/bits.tsx";
import { FactoringCard } from "./market-page.tsx";
import { InsuranceCard } from "./insurance-page.tsx";
import { LoanCard } from "./loans-page.tsx";
import { SimilarWarnings } from "../components/invoice.tsx";
import { Discussion } from "../components/discussion.tsx";
import { invoiceApi } from "../invoice-api.ts";
import { receivableName, useConfirm } from "../components/confirm-dialog.tsx";

const INDEX_WAIT_MS = 20_000;
const INDEX_POLL_MS = 400;

/** How far the server has indexed, and the chain's head as the browser (or else the server) last saw it. */
async function indexProgress(chainHead: () => Promise<bigint>): Promise<{ checkpoint: number; head: number } | null> {
  try {
    const h = (await (await fetch("/health", { headers: { accept: "application/json" } })).json()) as { indexer?: { checkpoint?: { number: number } | null }; headBlock?: number | null };
    const checkpoint = h.indexer?.checkpoint?.number;
    if (typeof checkpoint !== "number") return null;
    const head = await chainHead().then(Number, () => h.headBlock ?? checkpoint);
    return { checkpoint, head: Math.max(head, h.headBlock ?? 0) };
  } catch {
    return null;
  }
}

export function ReceivablePage(props: { id: string }) {
  const { source, revision, ready, reportUnauthorized, chain } = useSession();
  const [r, setR] = useState<ReceivableDetail | null>(null);
  /** waiting: 404 while the server may still be indexing it; absent: 404 once it has indexed the chain's head. */
  const [error, setError] = useState<{ kind: "waiting" | "absent" | "other"; message: string } | null>(null);

  useEffect(() => {
    let cancelled = false;
    if (!ready) return;
    (async () => {
      // The server answers 404 both for ids it has not indexed yet and for receivables this account may not see.
      // A 404 is final once the server has indexed the block the chain was at when we first asked (or after
      // INDEX_WAIT_MS): then the page says so instead of waiting forever.
      let target: number | null = null;
      const started = Date.now();
      for (;;) {
        try {
          const d = await source.get(props.id);
          if (cancelled) return;
          setR(d);
          setError(null);
          return;
        } catch (e) {
          if (cancelled) return;
          const status = e instanceof ApiError ? e.status : 0;
          if (status === 401) reportUnauthorized();
          if (status !== 404) {
            setError({ kind: "other", message: status === 401 || status === 403 ? "this account may not see this receivable (it is visible to its parties only)." : describeError(e) });
            return;
          }
          const progress = source.kind === "api" ? await indexProgress(() => chain.publicClient.getBlockNumber()) : null;
          if (cancelled) return;
          if (target === null && progress) target = progress.head;
          const final = !progress || (target !== null && progress.checkpoint >= target) || Date.now() - started > INDEX_WAIT_MS;
          setR(null);
          setError({ kind: final ? "absent" : "waiting", message: "" });
          if (final) return;
          await new Promise((res) => setTimeout(res, INDEX_POLL_MS));
          if (cancelled) return;
        }
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [source, props.id, revision, ready]);

  return (
    <section aria-labelledby="receivable-title">
      <p className="breadcrumb">
        <a href="#/receivables">← All receivables</a>
      </p>
      <div className="page-head">
        <div>
          <h1 id="receivable-title">
            {r?.invoice ? <>Invoice {r.invoice.number}{r.invoice.ofParent ? " (part)" : ""} </> : "Receivable "}
            <span className="mono title-id">{shortHex(props.id, 10, 8)}</span>
          </h1>
          <p className="lede mono small-id" title="The receivable id is the invoice fingerprint">
            {props.id}
          </p>
        </div>
        {r && <StatusBadge status={r.status} />}
      </div>
      {error && !r && (
        <Notice tone={error.kind === "other" ? "error" : error.kind === "absent" ? "warn" : "info"}>
          {error.kind === "waiting" ? (
            <>
              <Spinner /> Not in the ledger view yet — it appears here as soon as the indexer has processed its block.
            </>
          ) : error.kind === "absent" ? (
            <span data-testid="receivable-not-found">
              Not found: no receivable with this id is visible to this account. Either there is none, or this account is not involved in it (its
              seller, buyer, holder, lender, insurer — or, for financiers, it is not offered for financing).
            </span>
          ) : (
            <>Could not load this receivable: {error.message}</>
          )}
        </Notice>
      )}
      {!r && !error && <Spinner label="Loading…" />}
      {r && <Detail r={r} />}
    </section>
  );
}

/** Money actually received by the holders: payments and attested bank payments, minus their late interest. */
function cashPrincipal(events: ReceivableEvent[]): bigint {
  let total = 0n;
  for (const e of events ?? []) {
    if (!/Paid$|BankPaymentAttested$/.test(e.type)) continue;
    const amount = BigInt(String(e.args.amount ?? "0"));
    const interest = BigInt(String(e.args.interest ?? "0"));
    total += amount - interest;
  }
  return total;
}

function Detail(props: { r: ReceivableDetail }) {
  const { r } = props;
  const cash = cashPrincipal(r.events);
  const terms = r.terms;
  return (
    <>
      <SimilarWarnings similar={r.similar} lead="This invoice may have been registered before." />
      <Actions r={r} />
      <div className="grid-3">
        <section className="card" aria-labelledby="parties-h">
          <h2 id="parties-h">Parties</h2>
          <dl className="facts">
            <dt>Seller</dt>
            <dd>
              <Party address={r.seller} />
            </dd>
            <dt>Buyer (debtor)</dt>
            <dd>
              <Party address={r.buyer} />
            </dd>
            <dt>Holder (is paid)</dt>
            <dd>
              <Party address={r.holder} />
            </dd>
            {r.lockedBy && !/^0x0+$/.test(r.lockedBy) && (
              <>
                <dt>Locked by</dt>
                <dd>
                  <Party address={r.lockedBy} />
                </dd>
              </>
            )}
          </dl>
        </section>
        <section className="card" aria-labelledby="amounts-h">
          <h2 id="amounts-h">Amounts</h2>
          <dl className="facts">
            <dt>Face amount</dt>
            <dd className="num">{money(r.faceAmount)}</dd>
            <dt>Paid</dt>
            <dd className="num">{money(r.paid)}</dd>
            <dt>Outstanding</dt>
            <dd className="num strong" data-testid="outstanding">
              <Outstanding r={r} />
            </dd>
            {cash > 0n && (
              <>
                <dt>Cash received</dt>
                <dd className="num">
                  {money(cash)}
                  {BigInt(r.paid) > cash && <span className="muted small"> (early-payment discount {money(BigInt(r.paid) - cash)})</span>}
                </dd>
              </>
            )}
          </dl>
        </section>
        <section className="card" aria-labelledby="terms-h">
          <h2 id="terms-h">Dates and terms</h2>
          <dl className="facts">
            <dt>Issued</dt>
            <dd>{displayDate(r.issueDate)}</dd>
            <dt>Due</dt>
            <dd>
              {displayDate(r.dueDate)}
              {(r.status === "Registered" || r.status === "Confirmed") && <span className="muted"> ({relativeDue(r.dueDate)})</span>}
            </dd>
            <dt>Early payment</dt>
            <dd>{terms && terms.discountBps > 0 && terms.discountDays > 0 ? `${bps(terms.discountBps)} discount within ${terms.discountDays} days of issue` : "No discount"}</dd>
            <dt>Late interest</dt>
            <dd>{terms && terms.lateInterestBps > 0 ? `${bps(terms.lateInterestBps)} p.a. after ${terms.graceDays} days' grace` : "None"}</dd>
          </dl>
        </section>
      </div>
      <FactoringCard r={r} />
      <LoanCard r={r} />
      <InsuranceCard r={r} />
      <Lineage r={r} />
      <Discussion r={r} />
      <DocumentCard r={r} />
      <History events={r.events} />
    </>
  );
}

type Busy = { label: string } | null;

/** Waits until the ledger view shows the change (the indexer may lag the chain by a block). */
async function awaitIndexed(get: (id: string) => Promise<ReceivableDetail>, id: string, done: (d: ReceivableDetail) => boolean): Promise<boolean> {
  const deadline = Date.now() + INDEX_WAIT_MS;
  while (Date.now() < deadline) {
    try {
      if (done(await get(id))) return true;
    } catch {
      // not indexed yet
    }
    await new Promise((res) => setTimeout(res, INDEX_POLL_MS));
  }
  return false;
}

/**
 * What a payment notice says: the amount the ledger took (its ReceivablePaid event in this transaction), not
 * the amount typed — the ledger pulls only what is due, so an overpayment's excess never leaves the payer.
 */
function paymentNotice(d: ReceivableDetail | null, tx: Hex, typed: bigint): string {
  const money = moneyExact;
  const ev = d?.events.find((e) => e.type === "ReceivablePaid" && e.transactionHash.toLowerCase() === tx.toLowerCase());
  const taken = ev ? BigInt(String(ev.args["amount"])) : null;
  if (taken === null) return `Payment sent (${money(typed)} offered); the ledger view has not shown it yet.`;
  const outstanding = BigInt(String(ev?.args["outstanding"] ?? "0"));
  if (taken < typed) return `Payment of ${money(taken)} recorded — only what was due was taken; ${money(typed - taken)} stayed with you.${outstanding === 0n ? " The receivable is paid." : ""}`;
  return outstanding === 0n ? `Payment of ${money(taken)} recorded: the receivable is paid.` : `Partial payment of ${money(taken)} recorded.`;
}

function Actions(props: { r: ReceivableDetail }) {
  const { r } = props;
  const { chain, wallet, account, roles, source, refresh, revision, companyOf, tokenSymbol } = useSession();
  const { confirm, dialog } = useConfirm();
  const [busy, setBusy] = useState<Busy>(null);
  const [result, setResult] = useState<{ tone: "ok" | "error"; text: string; tx?: Hex } | null>(null);
  const [due, setDue] = useState<{ amount: bigint; at: bigint } | null>(null);
  const [disputing, setDisputing] = useState(false);
  const [reason, setReason] = useState("");
  const [partial, setPartial] = useState<string | null>(null);
  const me = account?.address.toLowerCase();
  const isBuyer = me === r.buyer.toLowerCase() && roles.includes("Buyer");
  const isSeller = me === r.seller.toLowerCase();
  const isHolder = me === r.holder.toLowerCase();
  const payable = PAYABLE.has(r.status);
  const canConfirm = isBuyer && allows("confirm", r.status);
  const canDispute = isBuyer && allows("dispute", r.status);
  const canPay = isBuyer && payable;
  const canCancel = isSeller && allows("cancel", r.status);
  const graceEnds = new Date(r.dueDate).getTime() + (r.terms?.graceDays ?? 0) * DAY_MS;
  // Chain time, not the browser's clock, decides when a receivable can be marked defaulted: the button waits
  // for it (read with the amount due).
  const chainNowMs = due ? Number(due.at) * 1000 : null;
  const canDefault = isHolder && allows("markDefaulted", r.status) && chainNowMs !== null && chainNowMs > graceEnds;
  // The ledger refuses to write off a receivable locked by financing or one an insurer has paid a claim on.
  const canWriteOff = isHolder && allows("writeOff", r.status) && isUnlocked(r) && !isSubrogated(r);

  useEffect(() => {
    let cancelled = false;
    if (!payable) return setDue(null);
    chain
      .now()
      .then(async (at) => ({ at, amount: await chain.amountDue(r.id, at) }))
      .then((d) => !cancelled && setDue(d))
      .catch(() => !cancelled && setDue(null));
    return () => {
      cancelled = true;
    };
  }, [chain, r.id, payable, revision]);

  /** Sends a transaction, then waits until the indexed view shows it (a status, or any new event). */
  /** `after` runs once the ledger view shows the change (e.g. keeping a reason's text, which the server checks against the indexed hash). */
  async function run(
    label: string,
    expected: string | null,
    action: (step: (s: string) => void) => Promise<Hex>,
    done: string | ((d: ReceivableDetail | null, tx: Hex) => string),
    after?: () => Promise<unknown>,
  ) {
    setBusy({ label });
    setResult(null);
    const eventsBefore = r.events.length;
    try {
      const tx = await action((s) => setBusy({ label: s }));
      setBusy({ label: "Waiting for the ledger view to update…" });
      let seen: ReceivableDetail | null = null;
      await awaitIndexed(source.get, r.id, (d) => {
        seen = d;
        return expected ? d.status === expected : d.events.length > eventsBefore;
      });
      const text = typeof done === "string" ? done : done(seen, tx);
      if (after) {
        try {
          await after();
        } catch (e) {
          setResult({ tone: "error", text: `${text} But its text could not be kept off-chain: ${describeError(e)}`, tx });
          return;
        }
      }
      setResult({ tone: "ok", text, tx });
      setDisputing(false);
    } catch (e) {
      setResult({ tone: "error", text: describeError(e) });
    } finally {
      setBusy(null);
      refresh();
    }
  }

  const outstanding = BigInt(r.outstanding);
  const dueNote =
    due && due.amount < outstanding
      ? `includes an early-payment discount of ${money(outstanding - due.amount)}`
      : due && due.amount > outstanding
        ? `includes late interest of ${money(due.amount - outstanding)}`
        : "the outstanding face amount";

  const name = receivableName(r);
  const currency = r.invoice?.currency ?? tokenSymbol;
  const faceText = `${money(r.faceAmount)} ${currency}`;
  const outstandingText = `${money(r.outstanding)} ${currency}`;
  const buyerName = companyOf(r.buyer)?.name ?? `the buyer ${shortHex(r.buyer)}`;

  const anything = canConfirm || canDispute || canPay || canCancel || canDefault || canWriteOff;
  const more = <MoreActions r={r} run={run} busy={!!busy} due={due?.amount ?? null} chainNowMs={chainNowMs} />;
  if (!anything && !result && !payable) return <div className="more-only">{more}</div>;
  const title = canConfirm ? "Confirm this invoice" : canPay ? "Pay this invoice" : anything ? "Actions" : "Payment";
  const w = wallet!;
  return (
    <section className="card action-card" aria-labelledby="actions-h">
      <h2 id="actions-h">{title}</h2>
      {canConfirm && (
        <p>
          Confirming is your irrevocable promise to pay <strong>{money(r.faceAmount)}</strong> on <strong>{displayDate(r.dueDate)}</strong> to
          whoever then holds this receivable. Check it against your purchase order and goods receipt first.
        </p>
      )}
      {payable && due && (
        <p className="due-now">
          <span className="muted">Amount due now</span>
          <strong className="big-amount" data-testid="amount-due">
            {moneyExact(due.amount)}
          </strong>
          <span className="muted">{dueNote}</span>
        </p>
      )}
      {canPay && (
        <p className="muted small">
          Paying approves the settlement token for the amount due, then pays it to the current holder (<Party inline address={r.holder} />);
          anything above what is due is refunded by the ledger.
        </p>
      )}
      {canCancel && !canConfirm && <p>This invoice is not confirmed yet; you can withdraw it.</p>}
      {canDefault && <p>The receivable is past its due date and grace period and still unpaid: as its holder you can mark it defaulted.</p>}
      {canWriteOff && <p>The receivable is defaulted. Writing it off is final.</p>}
      <div className="button-row">
        {canConfirm && (
          <button type="button" className="primary" disabled={!!busy || !wallet} onClick={() => run("Confirming…", "Confirmed", () => chain.confirm(w, r.id), "Invoice confirmed.")}>
            Confirm invoice
          </button>
        )}
        {canPay && (
          <button
            type="button"
            className="primary"
            disabled={!!busy || !wallet || !due}
            onClick={() => run("Paying…", "Paid", (step) => chain.pay(w, r.id, step), "Payment settled: the receivable is paid.")}
          >
            {due ? `Pay ${moneyExact(due.amount)}` : "Pay"}
          </button>
        )}
        {canPay && partial === null && (
          <button type="button" disabled={!!busy || !wallet} onClick={() => setPartial("")}>
            Pay part…
          </button>
        )}
        {canDispute && !disputing && (
          <button type="button" disabled={!!busy || !wallet} onClick={() => setDisputing(true)}>
            Dispute…
          </button>
        )}
        {canCancel && (
          <button
            type="button"
            className="danger"
            disabled={!!busy || !wallet}
            onClick={async () => {
              const ok = await confirm({
                title: `Cancel ${name}?`,
                body: (
                  <p>
                    Cancelling {name} withdraws it from the ledger: {buyerName} will no longer owe its {faceText} on it, it can never be confirmed, financed
                    or paid, and the same invoice cannot be registered again. This cannot be undone.
                  </p>
                ),
                confirmLabel: "Cancel invoice",
              });
              if (ok) void run("Cancelling…", "Cancelled", () => chain.cancel(w, r.id), "Invoice cancelled.");
            }}
          >
            Cancel invoice
          </button>
        )}
        {canDefault && (
          <button
            type="button"
            className="danger"
            disabled={!!busy || !wallet}
            onClick={async () => {
              const ok = await confirm({
                title: `Mark ${name} defaulted?`,
                body: (
                  <p>
                    Marking {name} defaulted records on the ledger that {buyerName} failed to pay its {outstandingText} outstanding by{" "}
                    {displayDate(graceEnds)} (due date and grace period). It stays payable, and recourse, insurance claims and loan enforcement can follow;
                    it can never return to Confirmed. This cannot be undone.
                  </p>
                ),
                confirmLabel: "Mark defaulted",
              });
              if (ok) void run("Marking defaulted…", "Defaulted", () => chain.markDefaulted(w, r.id), "Marked defaulted.");
            }}
          >
            Mark defaulted
          </button>
        )}
        {canWriteOff && (
          <button
            type="button"
            className="danger"
            disabled={!!busy || !wallet}
            onClick={async () => {
              const ok = await confirm({
                title: `Write off ${name}?`,
                body: (
                  <p>
                    Writing off {name} ends the receivable: its {outstandingText} outstanding from {buyerName} will no longer be collectable through the
                    ledger. This cannot be undone.
                  </p>
                ),
                confirmLabel: "Write off",
              });
              if (ok) void run("Writing off…", "WrittenOff", () => chain.writeOff(w, r.id), "Written off.");
            }}
          >
            Write off
          </button>
        )}
      </div>
      {canPay && partial !== null && (
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            let amount: bigint;
            try {
              amount = parseAmount(partial);
            } catch (err) {
              return setResult({ tone: "error", text: describeError(err) });
            }
            if (amount <= 0n) return setResult({ tone: "error", text: "Enter an amount above zero." });
            void run("Paying part…", null, (step) => chain.pay(w, r.id, step, amount), (d, tx) => paymentNotice(d, tx, amount)).then(() => setPartial(null));
          }}
        >
          <label>
            Amount to pay now
            <input name="partialAmount" inputMode="decimal" required value={partial} onChange={(e) => setPartial(e.target.value)} placeholder="1000.00" />
          </label>
          <button type="submit" className="primary" disabled={!!busy}>
            Pay this amount
          </button>
          <button type="button" onClick={() => setPartial(null)} disabled={!!busy}>
            Back
          </button>
        </form>
      )}
      {disputing && (
        <form
          className="dispute-form"
          onSubmit={(e) => {
            e.preventDefault();
            const text = reason.trim();
            void run("Disputing…", "Disputed", () => chain.dispute(w, r.id, text), "Invoice disputed; the seller can correct or cancel it.", () => invoiceApi.postReason(r.id, "dispute", text));
          }}
        >
          <label>
            Reason for the dispute (kept off-chain; its hash is recorded)
            <input name="disputeReason" required minLength={3} value={reason} onChange={(e) => setReason(e.target.value)} placeholder="e.g. goods not received, wrong quantity" />
          </label>
          <div className="button-row">
            <button type="submit" className="danger" disabled={!!busy || reason.trim().length < 3}>
              Dispute invoice
            </button>
            <button type="button" onClick={() => setDisputing(false)} disabled={!!busy}>
              Back
            </button>
          </div>
        </form>
      )}
      {more}
      {dialog}
      {busy && (
        <p className="busy-line">
          <Spinner label={busy.label} />
        </p>
      )}
      {result && (
        <Notice tone={result.tone}>
          {result.text}
          {result.tx && (
            <>
              {" "}
              Transaction <Hash value={result.tx} />
            </>
          )}
        </Notice>
      )}
    </section>
  );
}

type Runner = (label: string, expected: string | null, action: (step: (s: string) => void) => Promise<Hex>, done: string, after?: () => Promise<unknown>) => Promise<void>;

/** The less frequent actions: assignment, credit notes, their acceptance, and the operator's bank attestation. */
function parse(t: string): bigint | null {
  try {
    const v = parseAmount(t);
    return v > 0n ? v : null;
  } catch {
    return null;
  }
}

function MoreActions(props: { r: ReceivableDetail; run: Runner; busy: boolean; due: bigint | null; chainNowMs: number | null }) {
  const { r, run, busy } = props;
  const { chain, wallet, account, roles, isOperator, accounts, memberships, companyOf, tokenSymbol } = useSession();
  const { confirm, dialog } = useConfirm();
  const [open, setOpen] = useState<null | "transfer" | "credit" | "attest" | "split">(null);
  const [parts, setParts] = useState<{ amount: string; holder: string }[]>([]);
  const [to, setTo] = useState("");
  const [amount, setAmount] = useState("");
  const [text, setText] = useState("");
  const [pending, setPending] = useState<{ noteId: bigint; amount: string }[]>([]);
  const me = account?.address.toLowerCase();
  const unlocked = !r.lockedBy || /^0x0+$/.test(r.lockedBy);
  const isHolder = me === r.holder.toLowerCase();
  const isBuyer = me === r.buyer.toLowerCase() && roles.includes("Buyer");
  const subrogated = isSubrogated(r);
  const canTransfer = isHolder && allows("transfer", r.status) && unlocked;
  // Once an insurer has paid a claim, credit notes and bank attestations would cut it out: the ledger refuses them.
  const canCredit = isBuyer && allows("issueCreditNote", r.status) && !subrogated;
  const canAttest = isOperator && allows("attestBankPayment", r.status) && !subrogated;
  // The ledger refuses a split after the due date, by the chain's time.
  const canSplit = isHolder && allows("split", r.status) && unlocked && props.chainNowMs !== null && new Date(r.dueDate).getTime() >= props.chainNowMs;
  const canAcceptNotes = isHolder && unlocked && allows("acceptCreditNote", r.status) && !(r.status === "Defaulted" && subrogated);
  const outstanding = BigInt(r.outstanding);
  const partAmounts = parts.map((p) => parse(p.amount));
  const partSum = partAmounts.reduce<bigint>((t, v) => t + (v ?? 0n), 0n);
  const splitReady = parts.length >= 2 && partAmounts.every((v) => v !== null) && parts.every((p) => p.holder) && partSum === outstanding;

  // Credit notes issued and not yet accepted, confirmed against the ledger.
  const issued = (r.events ?? []).filter((e) => /CreditNoteIssued$/.test(e.type));
  const issuedKey = issued.map((e) => String(e.args.noteId)).join(",");
  useEffect(() => {
    let cancelled = false;
    Promise.all(
      issued.map(async (e) => {
        const noteId = BigInt(String(e.args.noteId));
        return { noteId, amount: String(e.args.amount), pending: await chain.creditNotePending(noteId).catch(() => false) };
      }),
    ).then((notes) => !cancelled && setPending(notes.filter((n) => n.pending)));
    return () => {
      cancelled = true;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [chain, issuedKey, r.faceAmount]);

  const targets = accounts.filter((a) => {
    const m = memberships.get(a.address.toLowerCase());
    return a.kind === "dev" && m?.active && a.address.toLowerCase() !== me;
  });
  const w = wallet!;

  if (!wallet || (!canTransfer && !canCredit && !canAttest && !canSplit && !(canAcceptNotes && pending.length))) {
    return pending.length ? (
      <p className="muted small">
        {pending.length} credit note{pending.length === 1 ? "" : "s"} pending the holder's acceptance ({pending.map((n) => money(n.amount)).join(", ")}).
      </p>
    ) : null;
  }
  return (
    <div className="more-actions">
      {dialog}
      <h3>Other actions</h3>
      {canAcceptNotes && pending.length > 0 && (
        <ul className="plain-list">
          {pending.map((n) => (
            <li key={n.noteId.toString()}>
              Credit note #{n.noteId.toString()} from the buyer reduces the face amount by <strong>{money(n.amount)}</strong>.{" "}
              <button
                type="button"
                className="small"
                disabled={busy}
                onClick={() => void run("Accepting the credit note…", null, () => chain.acceptCreditNote(w, r.id, n.noteId), `Credit note #${n.noteId} accepted.`)}
              >
                Accept credit note
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="button-row">
        {canTransfer && (
          <button type="button" className={open === "transfer" ? "small active" : "small"} onClick={() => setOpen(open === "transfer" ? null : "transfer")} aria-expanded={open === "transfer"}>
            Transfer (assign)…
          </button>
        )}
        {canSplit && (
          <button
            type="button"
            className={open === "split" ? "small active" : "small"}
            aria-expanded={open === "split"}
            onClick={() => {
              setOpen(open === "split" ? null : "split");
              if (parts.length === 0) setParts([{ amount: "", holder: "" }, { amount: "", holder: r.holder }]);
            }}
          >
            Split…
          </button>
        )}
        {canCredit && (
          <button type="button" className={open === "credit" ? "small active" : "small"} onClick={() => setOpen(open === "credit" ? null : "credit")} aria-expanded={open === "credit"}>
            Issue credit note…
          </button>
        )}
        {canAttest && (
          <button type="button" className={open === "attest" ? "small active" : "small"} onClick={() => setOpen(open === "attest" ? null : "attest")} aria-expanded={open === "attest"}>
            Attest bank payment…
          </button>
        )}
      </div>
      {open === "transfer" && (
        <form
          className="inline-form"
          onSubmit={async (e) => {
            e.preventDefault();
            if (!to) return;
            const toName = companyOf(to)?.name ?? to;
            const ok = await confirm({
              title: `Transfer ${receivableName(r)} to ${toName}?`,
              body: (
                <p>
                  Transferring assigns {receivableName(r)} to {toName}: from then on the ledger pays them its {money(r.outstanding)} {r.invoice?.currency ?? tokenSymbol}{" "}
                  outstanding, and only they can transfer it back. This cannot be undone by you.
                </p>
              ),
              confirmLabel: "Transfer",
              danger: false,
            });
            if (ok) void run("Transferring…", null, () => chain.transfer(w, r.id, to as Address), `Transferred to ${toName}: the buyer's payment now goes to them.`);
          }}
        >
          <label>
            New holder
            <select name="transferTo" required value={to} onChange={(e) => setTo(e.target.value)}>
              <option value="">Choose a member</option>
              {targets.map((a) => (
                <option key={a.address} value={a.address}>
                  {a.company?.name ?? a.address} ({memberships.get(a.address.toLowerCase())?.roles.join(", ")})
                </option>
              ))}
            </select>
          </label>
          <button type="submit" className="primary" disabled={busy || !to}>
            Transfer
          </button>
          <p className="hint">The transfer is the notice of assignment: from then on the ledger pays the new holder.</p>
        </form>
      )}
      {open === "split" && (
        <form
          className="split-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (!splitReady) return;
            const list = parts.map((p, i) => ({ amount: partAmounts[i]!, holder: p.holder as Address }));
            void run("Splitting…", "Split", () => chain.split(w, r.id, list), `Split into ${list.length} parts.`);
          }}
        >
          <p className="hint">
            Pass parts to your own suppliers or keep them; the parts must add up to the outstanding {moneyExact(outstanding)}. At maturity the buyer's
            payment is shared by the parts.
          </p>
          {parts.map((p, i) => (
            <div className="split-row" key={i}>
              <label>
                Part {i + 1} amount
                <input
                  name={`partAmount${i}`}
                  inputMode="decimal"
                  required
                  value={p.amount}
                  onChange={(e) => setParts(parts.map((x, j) => (j === i ? { ...x, amount: e.target.value } : x)))}
                />
              </label>
              <label>
                Holder
                <select name={`partHolder${i}`} required value={p.holder} onChange={(e) => setParts(parts.map((x, j) => (j === i ? { ...x, holder: e.target.value } : x)))}>
                  <option value="">Choose a member</option>
                  <option value={r.holder}>You ({companyOf(r.holder)?.name ?? r.holder})</option>
                  {targets.map((a) => (
                    <option key={a.address} value={a.address}>
                      {a.company?.name ?? a.address}
                    </option>
                  ))}
                </select>
              </label>
              {parts.length > 2 && (
                <button type="button" className="small" onClick={() => setParts(parts.filter((_, j) => j !== i))} aria-label={`Remove part ${i + 1}`}>
                  Remove
                </button>
              )}
            </div>
          ))}
          <div className="button-row">
            <button type="button" className="small" onClick={() => setParts([...parts, { amount: "", holder: "" }])} disabled={parts.length >= 64}>
              Add part
            </button>
            <span className={partSum === outstanding ? "ok-text small" : "muted small"} aria-live="polite">
              Parts total {moneyExact(partSum)} of {moneyExact(outstanding)}
              {partSum !== outstanding && ` (${partSum < outstanding ? moneyExact(outstanding - partSum) + " left" : moneyExact(partSum - outstanding) + " too much"})`}
            </span>
            <button type="submit" className="primary" disabled={busy || !splitReady}>
              Split receivable
            </button>
          </div>
        </form>
      )}
      {open === "credit" && (
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            const v = parse(amount);
            if (v === null) return;
            const reasonText = text.trim();
            void run("Issuing the credit note…", null, () => chain.issueCreditNote(w, r.id, v, reasonText), `Credit note for ${money(v)} issued; it applies once the holder accepts it.`, () => invoiceApi.postReason(r.id, "creditNote", reasonText));
          }}
        >
          <label>
            Amount
            <input name="creditAmount" inputMode="decimal" required value={amount} onChange={(e) => setAmount(e.target.value)} placeholder="250.00" />
          </label>
          <label>
            Reason
            <input name="creditReason" required value={text} onChange={(e) => setText(e.target.value)} placeholder="e.g. 5 units returned" />
          </label>
          <button type="submit" className="primary" disabled={busy || parse(amount) === null || !text.trim()}>
            Issue credit note
          </button>
        </form>
      )}
      {open === "attest" && (
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            const v = parse(amount);
            if (v === null) return;
            void run("Attesting…", null, () => chain.attestBankPayment(w, r.id, v, text), `Bank payment of ${money(v)} (reference ${text.trim()}) recorded.`, () => invoiceApi.postReason(r.id, "bankPayment", text.trim()));
          }}
        >
          <label>
            Amount received
            <input name="attestAmount" inputMode="decimal" required value={amount} onChange={(e) => setAmount(e.target.value)} placeholder={props.due !== null ? money(props.due).replace(/,/g, "") : ""} />
          </label>
          <label>
            Bank reference
            <input name="bankReference" required value={text} onChange={(e) => setText(e.target.value)} placeholder="e.g. camt.053 EndToEndId" />
          </label>
          <button type="submit" className="primary" disabled={busy || parse(amount) === null || !text.trim()}>
            Record bank payment
          </button>
        </form>
      )}
    </div>
  );
}

function isUnlocked(r: ReceivableDetail): boolean {
  return !r.lockedBy || /^0x0+$/.test(r.lockedBy);
}

/** An insurer has paid a claim on it and shares every later payment (its ReceivableSubrogated event). */
function isSubrogated(r: ReceivableDetail): boolean {
  return (r.events ?? []).some((e) => /ReceivableSubrogated$|^Subrogated$/.test(e.type));
}

/** Split parts of this receivable, or the receivable it is a part of. */
function Lineage(props: { r: ReceivableDetail }) {
  const { r } = props;
  const parent = idHex(r.parentId);
  const split = (r.events ?? []).find((e) => /ReceivableSplit$/.test(e.type));
  const partIds = Array.isArray(split?.args.partIds) ? (split!.args.partIds as unknown[]).map(idHex) : [];
  const amounts = Array.isArray(split?.args.amounts) ? (split!.args.amounts as unknown[]) : [];
  const holders = Array.isArray(split?.args.holders) ? (split!.args.holders as unknown[]) : [];
  if (!parent && partIds.length === 0) return null;
  return (
    <section className="card" aria-labelledby="lineage-h">
      <h2 id="lineage-h">{parent ? "Part of a split receivable" : "Split into parts"}</h2>
      {parent && (
        <p>
          This receivable is a part of <a className="mono" href={`#/receivables/${parent}`}>{shortHex(parent, 10, 8)}</a>; it shares its buyer, dates and
          terms.
        </p>
      )}
      {partIds.length > 0 && (
        <ul className="plain-list">
          {partIds.map((pid, i) =>
            pid ? (
              <li key={pid}>
                <a className="mono" href={`#/receivables/${pid}`}>
                  {shortHex(pid, 10, 8)}
                </a>{" "}
                — {amountArg({ v: amounts[i] }, "v")} to <Party inline address={String(holders[i] ?? "")} />
              </li>
            ) : null,
          )}
        </ul>
      )}
    </section>
  );
}

function DocumentCard(props: { r: ReceivableDetail }) {
  const { r } = props;
  const { account, actingFor, source, refresh } = useSession();
  const [check, setCheck] = useState<{ name: string; hash: Hex; ok: boolean } | null>(null);
  const [upload, setUpload] = useState<{ tone: "ok" | "error" | "info"; text: string } | null>(null);
  const [stored, setStored] = useState<boolean | null>(null);
  // The document upload is off-chain: a staff key of the seller (AR clerk, treasurer) may do it too.
  const isSeller = actingFor?.toLowerCase() === r.seller.toLowerCase();

  useEffect(() => {
    let cancelled = false;
    if (source.kind !== "api") return setStored(false);
    api
      .hasDocument(r.id)
      .then((ok) => !cancelled && setStored(ok))
      .catch(() => !cancelled && setStored(false));
    return () => {
      cancelled = true;
    };
  }, [source, r.id, account?.address, upload?.tone]);

  async function onVerify(file: File | undefined) {
    if (!file) return setCheck(null);
    const hash = documentHash(new Uint8Array(await file.arrayBuffer()));
    setCheck({ name: file.name, hash, ok: hash.toLowerCase() === r.documentHash.toLowerCase() });
  }

  async function onUpload(file: File | undefined) {
    if (!file) return;
    const bytes = new Uint8Array(await file.arrayBuffer());
    if (documentHash(bytes).toLowerCase() !== r.documentHash.toLowerCase()) {
      return setUpload({ tone: "error", text: `${file.name} does not match the document hash on chain; it was not uploaded.` });
    }
    try {
      setUpload({ tone: "info", text: "Uploading…" });
      await api.uploadDocument(r.id, bytes, file.type);
      setUpload({ tone: "ok", text: `${file.name} is stored with the receivable.` });
      refresh();
    } catch (e) {
      setUpload({
        tone: "error",
        text: e instanceof ApiError && e.status === 404 ? "This server does not store documents." : describeError(e),
      });
    }
  }

  return (
    <section className="card" aria-labelledby="doc-h">
      <h2 id="doc-h">Invoice document</h2>
      <p>
        On-chain document hash: <Hash value={r.documentHash} lead={18} tail={8} />
        {stored && (
          <>
            {" · "}
            <a href={`/api/receivables/${r.id}/document`} download={`invoice-${r.id.slice(0, 10)}`}>
              Download the stored copy
            </a>{" "}
            <span className="muted">(the server re-verifies it against the chain)</span>
          </>
        )}
        {stored === false && source.kind === "api" && <span className="muted"> · no copy stored on the server</span>}
      </p>
      <div className="doc-actions">
        <label className="file-field">
          Verify a copy
          <input type="file" onChange={(e) => void onVerify(e.target.files?.[0])} />
        </label>
        {isSeller && source.kind === "api" && stored === false && (
          <label className="file-field">
            Upload the document
            <input type="file" onChange={(e) => void onUpload(e.target.files?.[0])} />
          </label>
        )}
      </div>
      {check && (
        <Notice tone={check.ok ? "ok" : "warn"}>
          {check.ok
            ? `${check.name} matches the document hash recorded on chain.`
            : `${check.name} does NOT match: its hash is ${shortHex(check.hash, 10, 6)}.`}
        </Notice>
      )}
      {upload && <Notice tone={upload.tone}>{upload.text}</Notice>}
    </section>
  );
}

const EVENT_LABELS: Record<string, string> = {
  ReceivableRegistered: "Registered",
  ReceivableConfirmed: "Confirmed by buyer",
  ReceivableDisputed: "Disputed by buyer",
  ReceivableCancelled: "Cancelled by seller",
  ReceivablePaid: "Payment",
  BankPaymentAttested: "Bank payment attested",
  ReceivableTransferred: "Transferred",
  ReceivableSplit: "Split",
  CreditNoteIssued: "Credit note issued",
  CreditNoteAccepted: "Credit note accepted",
  ReceivableDefaulted: "Defaulted",
  ReceivableWrittenOff: "Written off",
  ReceivableLocked: "Locked by financing",
  ReceivableUnlocked: "Unlocked",
  Listed: "Listed for factoring",
  ListingClosed: "Listing withdrawn",
  Sold: "Sold (factoring)",
  LoanOpened: "Loan opened",
  LoanRepayment: "Loan repayment",
  LoanClosed: "Loan closed",
  PolicyOffered: "Insurance offered",
  PolicyAccepted: "Insurance accepted",
  PolicyClaimed: "Insurance claim paid",
  ReceivableSubrogated: "Insurer subrogated",
  RecoveryShared: "Recovery shared with the insurer",
  SubrogationRecovered: "Insurer's recovery",
};

function eventLabel(type: string): string {
  return EVENT_LABELS[type] ?? EVENT_LABELS[`Receivable${type}`] ?? type.replace(/([a-z])([A-Z])/g, "$1 $2");
}

function amountArg(args: Record<string, unknown>, key: string): string | null {
  const v = args[key];
  if (typeof v === "string" && /^\d+$/.test(v)) return money(v);
  if (typeof v === "number" || typeof v === "bigint") return money(BigInt(v));
  return null;
}

function EventDetails(props: { e: ReceivableEvent }) {
  const { e } = props;
  const a = e.args ?? {};
  const pctArg = (key: string) => `${(Number(a[key] ?? 0) / 100).toFixed(2)}%`;
  // The financing modules' events (issue 5).
  switch (e.type) {
    case "Listed":
      return (
        <>
          by <Party inline address={String(a.lister ?? "")} /> with a reserve of {amountArg(a, "reserve")}, {a.withRecourse ? `with recourse at ${pctArg("recourseRateBps")} p.a.` : "without recourse"}
        </>
      );
    case "ListingClosed":
      return <>withdrawn by the lister</>;
    case "Sold":
      return (
        <>
          to <Party inline address={String(a.financier ?? "")} /> for {amountArg(a, "price")} {a.withRecourse ? "with recourse" : "without recourse"}
        </>
      );
    case "LoanOpened":
      return (
        <>
          <Party inline address={String(a.lender ?? "")} /> lent {amountArg(a, "principal")} to <Party inline address={String(a.borrower ?? "")} /> at {pctArg("rateBps")} a year
        </>
      );
    case "LoanRepayment":
      return (
        <>
          {amountArg(a, "toLender")} to the lender, {amountArg(a, "toHolder")} to the holder; {amountArg(a, "owedAfter")} still owed
        </>
      );
    case "PolicyOffered":
      return (
        <>
          <Party inline address={String(a.insurer ?? "")} /> offers {pctArg("coverageBps")} cover for a premium of {amountArg(a, "premium")}
        </>
      );
    case "PolicyAccepted":
      return <>premium {amountArg(a, "premium")} paid by the holder; cover active</>;
    case "PolicyClaimed":
      return <>the insurer paid {amountArg(a, "payout")}</>;
    case "ReceivableSubrogated":
      return (
        <>
          the insurer paid {amountArg(a, "paidByInsurer")} of {amountArg(a, "outstandingAtClaim")} outstanding and takes that share of every later payment
        </>
      );
    case "RecoveryShared":
      return (
        <>
          {amountArg(a, "toInsurer")} to the insurer (subrogation), {amountArg(a, "toHolder")} to the holder
        </>
      );
    case "RecourseClaimed":
    case "RecourseSettled":
      return <>{amountArg(a, "amount")}</>;
    case "PaymentForwarded":
      return (
        <>
          {amountArg(a, "amount")} forwarded to <Party inline address={String(a.holder ?? "")} />
        </>
      );
    case "CollateralSeized":
      return <>the lender took the receivable for {amountArg(a, "owed")} owed</>;
  }
  const type = e.type.startsWith("Receivable") || e.type.startsWith("Bank") || e.type.startsWith("Credit") ? e.type : `Receivable${e.type}`;
  switch (type) {
    case "ReceivableRegistered":
      return <>Face amount {amountArg(a, "amount")}</>;
    case "ReceivableConfirmed":
      return <>{a.bySignature ? "by signature" : "by transaction"}</>;
    case "ReceivablePaid":
      return (
        <>
          {amountArg(a, "amount")} paid to <Party inline address={String(a.holder ?? "")} />
          {amountArg(a, "interest") && amountArg(a, "interest") !== "0.00" ? ` (interest ${amountArg(a, "interest")})` : ""}
          {amountArg(a, "outstanding") ? `; outstanding ${amountArg(a, "outstanding")}` : ""}
        </>
      );
    case "ReceivableTransferred":
      return (
        <>
          <Party inline address={String(a.from ?? "")} /> → <Party inline address={String(a.to ?? "")} />
        </>
      );
    case "CreditNoteIssued":
      return <>Credit note #{String(a.noteId)} for {amountArg(a, "amount")}</>;
    case "CreditNoteAccepted":
      return <>Credit note #{String(a.noteId)} accepted; face amount now {amountArg(a, "faceAmount")}</>;
    case "BankPaymentAttested":
      return <>{amountArg(a, "amount")} received by bank transfer (attested by the operator); outstanding {amountArg(a, "outstanding")}</>;
    case "ReceivableDisputed":
      return <>by the buyer</>;
    case "ReceivableSplit":
      return <>into {Array.isArray(a.partIds) ? a.partIds.length : "several"} parts</>;
    case "ReceivableDefaulted":
    case "ReceivableWrittenOff":
      return <>outstanding {amountArg(a, "outstanding")}</>;
    case "ReceivableLocked":
      return (
        <>
          by <Party inline address={String(a.module ?? "")} /> (no transfer, split or second financing until unlocked)
        </>
      );
    case "ReceivableUnlocked":
      return (
        <>
          by <Party inline address={String(a.module ?? "")} />
        </>
      );
    default:
      return <span className="muted">{Object.keys(a).filter((k) => k !== "id").join(", ")}</span>;
  }
}

function History(props: { events: ReceivableEvent[] }) {
  const events = [...(props.events ?? [])].sort((x, y) => x.blockNumber - y.blockNumber || x.logIndex - y.logIndex);
  return (
    <section className="card" aria-labelledby="history-h">
      <h2 id="history-h">History on chain</h2>
      <div className="table-wrap">
        <table className="data-table compact">
          <thead>
            <tr>
              <th scope="col">Event</th>
              <th scope="col">Details</th>
              <th scope="col" className="num">
                Block
              </th>
              <th scope="col">Transaction</th>
            </tr>
          </thead>
          <tbody>
            {events.map((e) => (
              <tr key={`${e.transactionHash}-${e.logIndex}`} data-event={e.type}>
                <td>{eventLabel(e.type)}</td>
                <td>
                  <EventDetails e={e} />
                </td>
                <td className="num">{e.blockNumber}</td>
                <td>
                  <Hash value={e.transactionHash} />
                </td>
              </tr>
            ))}
            {events.length === 0 && (
              <tr>
                <td colSpan={4} className="empty">
                  No events yet.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}
