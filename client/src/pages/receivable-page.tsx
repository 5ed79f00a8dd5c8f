// One receivable: parties, amounts, terms, the document check, the actions open to the selected account,
// and the on-chain event history.
import { useEffect, useState, type ReactElement } from "react";
import type { Hex } from "viem";
import { documentHash } from "../../../common/fingerprint.ts";
import { ApiError, api, type ReceivableDetail, type ReceivableEvent } from "../api.ts";
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
import { Trans } from "react-i18next";
import { i18n, useTranslation } from "../i18n/index.ts";
import { errorText } from "../i18n/errors.ts";
import { addCatalogPart } from "../i18n/parts.ts";
import { receivableEn } from "../i18n/receivable/en.ts";
import { receivableZhCN } from "../i18n/receivable/zh-CN.ts";

// This page's texts (`receivable.*`) come with its chunk.
addCatalogPart("receivable", { en: receivableEn, "zh-CN": receivableZhCN });

const INDEX_WAIT_MS = 20_000;
const INDEX_POLL_MS = 400;

/** How far the server has indexed, and the chain's head as the browser (or else the server) last saw it. */
async function indexProgress(chainHead: () => Promise<bigint>): Promise<{ checkpoint: number; head: number } | null> {
  try {
    const h = (await (await fetch("/health", { headers: { accept: "application/json" } })).json()) as {
      indexer?: { checkpoint?: { number: number } | null };
      headBlock?: number | null;
    };
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
  const { t } = useTranslation();
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
            setError({ kind: "other", message: status === 401 || status === 403 ? i18n.t("receivable.denied") : errorText(e) });
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
        <a href="#/receivables">{t("receivable.allReceivables")}</a>
      </p>
      <div className="page-head">
        <div>
          <h1 id="receivable-title">
            {r?.invoice
              ? t(r.invoice.ofParent ? "receivable.titleInvoicePart" : "receivable.titleInvoice", { number: r.invoice.number })
              : t("receivable.titleReceivable")}{" "}
            <span className="mono title-id">{shortHex(props.id, 10, 8)}</span>
          </h1>
          <p className="lede mono small-id" title={t("receivable.idTitle")}>
            {props.id}
          </p>
        </div>
        {r && <StatusBadge status={r.status} />}
      </div>
      {error && !r && (
        <Notice tone={error.kind === "other" ? "error" : error.kind === "absent" ? "warn" : "info"}>
          {error.kind === "waiting" ? (
            <>
              <Spinner /> {t("receivable.waiting")}
            </>
          ) : error.kind === "absent" ? (
            <span data-testid="receivable-not-found">{t("receivable.notFound")}</span>
          ) : (
            t("receivable.loadError", { error: error.message })
          )}
        </Notice>
      )}
      {!r && !error && <Spinner label={t("common.loading")} />}
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
  const { t } = useTranslation();
  return (
    <>
      <SimilarWarnings similar={r.similar} lead={t("receivable.similarLead")} />
      <Actions r={r} />
      <div className="grid-3">
        <section className="card" aria-labelledby="parties-h">
          <h2 id="parties-h">{t("receivable.parties")}</h2>
          <dl className="facts">
            <dt>{t("receivable.seller")}</dt>
            <dd>
              <Party address={r.seller} />
            </dd>
            <dt>{t("receivable.buyerDebtor")}</dt>
            <dd>
              <Party address={r.buyer} />
            </dd>
            <dt>{t("receivable.holderPaid")}</dt>
            <dd>
              <Party address={r.holder} />
            </dd>
            {r.lockedBy && !/^0x0+$/.test(r.lockedBy) && (
              <>
                <dt>{t("receivable.lockedBy")}</dt>
                <dd>
                  <Party address={r.lockedBy} />
                </dd>
              </>
            )}
          </dl>
        </section>
        <section className="card" aria-labelledby="amounts-h">
          <h2 id="amounts-h">{t("receivable.amounts")}</h2>
          <dl className="facts">
            <dt>{t("receivable.faceAmount")}</dt>
            <dd className="num">{money(r.faceAmount)}</dd>
            <dt>{t("receivable.paid")}</dt>
            <dd className="num">{money(r.paid)}</dd>
            <dt>{t("receivable.outstanding")}</dt>
            <dd className="num strong" data-testid="outstanding">
              <Outstanding r={r} />
            </dd>
            {cash > 0n && (
              <>
                <dt>{t("receivable.cashReceived")}</dt>
                <dd className="num">
                  {money(cash)}
                  {BigInt(r.paid) > cash && <span className="muted small">{t("receivable.discountNote", { amount: money(BigInt(r.paid) - cash) })}</span>}
                </dd>
              </>
            )}
          </dl>
        </section>
        <section className="card" aria-labelledby="terms-h">
          <h2 id="terms-h">{t("receivable.datesTerms")}</h2>
          <dl className="facts">
            <dt>{t("receivable.issued")}</dt>
            <dd>{displayDate(r.issueDate)}</dd>
            <dt>{t("receivable.due")}</dt>
            <dd>
              {displayDate(r.dueDate)}
              {(r.status === "Registered" || r.status === "Confirmed") && <span className="muted"> ({relativeDue(r.dueDate)})</span>}
            </dd>
            <dt>{t("receivable.earlyPayment")}</dt>
            <dd>
              {terms && terms.discountBps > 0 && terms.discountDays > 0
                ? t("receivable.discountWithin", { pct: bps(terms.discountBps), days: terms.discountDays })
                : t("receivable.noDiscount")}
            </dd>
            <dt>{t("receivable.lateInterest")}</dt>
            <dd>
              {terms && terms.lateInterestBps > 0
                ? t("receivable.lateAfter", { pct: bps(terms.lateInterestBps), days: terms.graceDays })
                : t("receivable.none")}
            </dd>
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
  const t = (key: string, o?: Record<string, unknown>) => i18n.t(`receivable.payment.${key}`, o ?? {});
  if (taken === null) return t("sent", { amount: money(typed) });
  const outstanding = BigInt(String(ev?.args["outstanding"] ?? "0"));
  if (taken < typed) return `${t("partTaken", { taken: money(taken), kept: money(typed - taken) })}${outstanding === 0n ? t("nowPaid") : ""}`;
  return outstanding === 0n ? t("paidFull", { amount: money(taken) }) : t("partial", { amount: money(taken) });
}

function Actions(props: { r: ReceivableDetail }) {
  const { r } = props;
  const { chain, wallet, account, roles, source, refresh, revision, companyOf, tokenSymbol } = useSession();
  const { confirm, dialog } = useConfirm();
  const { t } = useTranslation();
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
      setBusy({ label: i18n.t("receivable.waitingIndex") });
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
          setResult({ tone: "error", text: i18n.t("receivable.textNotKept", { text, error: errorText(e) }), tx });
          return;
        }
      }
      setResult({ tone: "ok", text, tx });
      setDisputing(false);
    } catch (e) {
      setResult({ tone: "error", text: errorText(e) });
    } finally {
      setBusy(null);
      refresh();
    }
  }

  const outstanding = BigInt(r.outstanding);
  const dueNote =
    due && due.amount < outstanding
      ? t("receivable.dueNote.discount", { amount: money(outstanding - due.amount) })
      : due && due.amount > outstanding
        ? t("receivable.dueNote.interest", { amount: money(due.amount - outstanding) })
        : t("receivable.dueNote.face");

  const name = receivableName(r);
  const currency = r.invoice?.currency ?? tokenSymbol;
  const faceText = `${money(r.faceAmount)} ${currency}`;
  const outstandingText = `${money(r.outstanding)} ${currency}`;
  const buyerName = companyOf(r.buyer)?.name ?? t("receivable.theBuyer", { address: shortHex(r.buyer) });

  const anything = canConfirm || canDispute || canPay || canCancel || canDefault || canWriteOff;
  const more = <MoreActions r={r} run={run} busy={!!busy} due={due?.amount ?? null} chainNowMs={chainNowMs} />;
  if (!anything && !result && !payable) return <div className="more-only">{more}</div>;
  const title = t(
    canConfirm
      ? "receivable.action.confirmTitle"
      : canPay
        ? "receivable.action.payTitle"
        : anything
          ? "receivable.action.actions"
          : "receivable.action.payment",
  );
  const w = wallet!;
  return (
    <section className="card action-card" aria-labelledby="actions-h">
      <h2 id="actions-h">{title}</h2>
      {canConfirm && (
        <p>
          <Trans
            i18nKey="receivable.action.confirmText"
            components={{ amount: <strong>{money(r.faceAmount)}</strong>, date: <strong>{displayDate(r.dueDate)}</strong> }}
          />
        </p>
      )}
      {payable && due && (
        <p className="due-now">
          <span className="muted">{t("receivable.action.amountDueNow")}</span>
          <strong className="big-amount" data-testid="amount-due">
            {moneyExact(due.amount)}
          </strong>
          <span className="muted">{dueNote}</span>
        </p>
      )}
      {canPay && (
        <p className="muted small">
          <Trans i18nKey="receivable.action.payText" components={{ holder: <Party inline address={r.holder} /> }} />
        </p>
      )}
      {canCancel && !canConfirm && <p>{t("receivable.action.cancelText")}</p>}
      {canDefault && <p>{t("receivable.action.defaultText")}</p>}
      {canWriteOff && <p>{t("receivable.action.writeOffText")}</p>}
      <div className="button-row">
        {canConfirm && (
          <button
            type="button"
            className="primary"
            disabled={!!busy || !wallet}
            onClick={() => run(t("receivable.action.confirming"), "Confirmed", () => chain.confirm(w, r.id), t("receivable.action.confirmed"))}
          >
            {t("receivable.action.confirmInvoice")}
          </button>
        )}
        {canPay && (
          <button
            type="button"
            className="primary"
            disabled={!!busy || !wallet || !due}
            onClick={() => run(t("receivable.action.paying"), "Paid", (step) => chain.pay(w, r.id, step), t("receivable.action.paySettled"))}
          >
            {due ? t("receivable.action.payAmount", { amount: moneyExact(due.amount) }) : t("receivable.action.pay")}
          </button>
        )}
        {canPay && partial === null && (
          <button type="button" disabled={!!busy || !wallet} onClick={() => setPartial("")}>
            {t("receivable.action.payPart")}
          </button>
        )}
        {canDispute && !disputing && (
          <button type="button" disabled={!!busy || !wallet} onClick={() => setDisputing(true)}>
            {t("receivable.action.dispute")}
          </button>
        )}
        {canCancel && (
          <button
            type="button"
            className="danger"
            disabled={!!busy || !wallet}
            onClick={async () => {
              const ok = await confirm({
                title: t("receivable.action.cancelQ", { name }),
                body: <p>{t("receivable.action.cancelBody", { name, buyer: buyerName, face: faceText })}</p>,
                confirmLabel: t("receivable.action.cancelInvoice"),
              });
              if (ok) void run(t("receivable.action.cancelling"), "Cancelled", () => chain.cancel(w, r.id), t("receivable.action.cancelled"));
            }}
          >
            {t("receivable.action.cancelInvoice")}
          </button>
        )}
        {canDefault && (
          <button
            type="button"
            className="danger"
            disabled={!!busy || !wallet}
            onClick={async () => {
              const ok = await confirm({
                title: t("receivable.action.defaultQ", { name }),
                body: <p>{t("receivable.action.defaultBody", { name, buyer: buyerName, outstanding: outstandingText, date: displayDate(graceEnds) })}</p>,
                confirmLabel: t("receivable.action.markDefaulted"),
              });
              if (ok)
                void run(t("receivable.action.markingDefaulted"), "Defaulted", () => chain.markDefaulted(w, r.id), t("receivable.action.markedDefaulted"));
            }}
          >
            {t("receivable.action.markDefaulted")}
          </button>
        )}
        {canWriteOff && (
          <button
            type="button"
            className="danger"
            disabled={!!busy || !wallet}
            onClick={async () => {
              const ok = await confirm({
                title: t("receivable.action.writeOffQ", { name }),
                body: <p>{t("receivable.action.writeOffBody", { name, buyer: buyerName, outstanding: outstandingText })}</p>,
                confirmLabel: t("receivable.action.writeOff"),
              });
              if (ok) void run(t("receivable.action.writingOff"), "WrittenOff", () => chain.writeOff(w, r.id), t("receivable.action.writtenOff"));
            }}
          >
            {t("receivable.action.writeOff")}
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
              return setResult({ tone: "error", text: errorText(err) });
            }
            if (amount <= 0n) return setResult({ tone: "error", text: t("receivable.action.amountAboveZero") });
            void run(
              t("receivable.action.payingPart"),
              null,
              (step) => chain.pay(w, r.id, step, amount),
              (d, tx) => paymentNotice(d, tx, amount),
            ).then(() => setPartial(null));
          }}
        >
          <label>
            {t("receivable.action.amountNow")}
            <input name="partialAmount" inputMode="decimal" required value={partial} onChange={(e) => setPartial(e.target.value)} placeholder="1000.00" />
          </label>
          <button type="submit" className="primary" disabled={!!busy}>
            {t("receivable.action.payThis")}
          </button>
          <button type="button" onClick={() => setPartial(null)} disabled={!!busy}>
            {t("receivable.action.back")}
          </button>
        </form>
      )}
      {disputing && (
        <form
          className="dispute-form"
          onSubmit={(e) => {
            e.preventDefault();
            const text = reason.trim();
            void run(
              t("receivable.action.disputing"),
              "Disputed",
              () => chain.dispute(w, r.id, text),
              t("receivable.action.disputed"),
              () => invoiceApi.postReason(r.id, "dispute", text),
            );
          }}
        >
          <label>
            {t("receivable.action.disputeReason")}
            <input
              name="disputeReason"
              required
              minLength={3}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              placeholder={t("receivable.action.disputePlaceholder")}
            />
          </label>
          <div className="button-row">
            <button type="submit" className="danger" disabled={!!busy || reason.trim().length < 3}>
              {t("receivable.action.disputeInvoice")}
            </button>
            <button type="button" onClick={() => setDisputing(false)} disabled={!!busy}>
              {t("receivable.action.back")}
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
              {t("receivable.action.transaction")} <Hash value={result.tx} />
            </>
          )}
        </Notice>
      )}
    </section>
  );
}

type Runner = (
  label: string,
  expected: string | null,
  action: (step: (s: string) => void) => Promise<Hex>,
  done: string,
  after?: () => Promise<unknown>,
) => Promise<void>;

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
  const { t } = useTranslation();
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
      <p className="muted small">{t("receivable.more.pendingNotes", { count: pending.length, amounts: pending.map((n) => money(n.amount)).join(", ") })}</p>
    ) : null;
  }
  return (
    <div className="more-actions">
      {dialog}
      <h3>{t("receivable.more.title")}</h3>
      {canAcceptNotes && pending.length > 0 && (
        <ul className="plain-list">
          {pending.map((n) => (
            <li key={n.noteId.toString()}>
              <Trans i18nKey="receivable.more.noteLine" values={{ id: n.noteId.toString() }} components={{ amount: <strong>{money(n.amount)}</strong> }} />{" "}
              <button
                type="button"
                className="small"
                disabled={busy}
                onClick={() =>
                  void run(
                    t("receivable.more.accepting"),
                    null,
                    () => chain.acceptCreditNote(w, r.id, n.noteId),
                    t("receivable.more.accepted", { id: n.noteId.toString() }),
                  )
                }
              >
                {t("receivable.more.acceptNote")}
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="button-row">
        {canTransfer && (
          <button
            type="button"
            className={open === "transfer" ? "small active" : "small"}
            onClick={() => setOpen(open === "transfer" ? null : "transfer")}
            aria-expanded={open === "transfer"}
          >
            {t("receivable.more.transferButton")}
          </button>
        )}
        {canSplit && (
          <button
            type="button"
            className={open === "split" ? "small active" : "small"}
            aria-expanded={open === "split"}
            onClick={() => {
              setOpen(open === "split" ? null : "split");
              if (parts.length === 0)
                setParts([
                  { amount: "", holder: "" },
                  { amount: "", holder: r.holder },
                ]);
            }}
          >
            {t("receivable.more.splitButton")}
          </button>
        )}
        {canCredit && (
          <button
            type="button"
            className={open === "credit" ? "small active" : "small"}
            onClick={() => setOpen(open === "credit" ? null : "credit")}
            aria-expanded={open === "credit"}
          >
            {t("receivable.more.creditButton")}
          </button>
        )}
        {canAttest && (
          <button
            type="button"
            className={open === "attest" ? "small active" : "small"}
            onClick={() => setOpen(open === "attest" ? null : "attest")}
            aria-expanded={open === "attest"}
          >
            {t("receivable.more.attestButton")}
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
              title: t("receivable.more.transferQ", { name: receivableName(r), to: toName }),
              body: (
                <p>
                  {t("receivable.more.transferBody", {
                    name: receivableName(r),
                    to: toName,
                    outstanding: `${money(r.outstanding)} ${r.invoice?.currency ?? tokenSymbol}`,
                  })}
                </p>
              ),
              confirmLabel: t("receivable.more.transfer"),
              danger: false,
            });
            if (ok)
              void run(t("receivable.more.transferring"), null, () => chain.transfer(w, r.id, to as Address), t("receivable.more.transferred", { to: toName }));
          }}
        >
          <label>
            {t("receivable.more.newHolder")}
            <select name="transferTo" required value={to} onChange={(e) => setTo(e.target.value)}>
              <option value="">{t("receivable.more.chooseMember")}</option>
              {targets.map((a) => (
                <option key={a.address} value={a.address}>
                  {a.company?.name ?? a.address} (
                  {memberships
                    .get(a.address.toLowerCase())
                    ?.roles.map((x) => t(`role.${x}`, { defaultValue: x }))
                    .join(t("staff.roleSeparator"))}
                  )
                </option>
              ))}
            </select>
          </label>
          <button type="submit" className="primary" disabled={busy || !to}>
            {t("receivable.more.transfer")}
          </button>
          <p className="hint">{t("receivable.more.transferHint")}</p>
        </form>
      )}
      {open === "split" && (
        <form
          className="split-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (!splitReady) return;
            const list = parts.map((p, i) => ({ amount: partAmounts[i]!, holder: p.holder as Address }));
            void run(t("receivable.more.splitting"), "Split", () => chain.split(w, r.id, list), t("receivable.more.splitDone", { n: list.length }));
          }}
        >
          <p className="hint">{t("receivable.more.splitHint", { amount: moneyExact(outstanding) })}</p>
          {parts.map((p, i) => (
            <div className="split-row" key={i}>
              <label>
                {t("receivable.more.partAmount", { n: i + 1 })}
                <input
                  name={`partAmount${i}`}
                  inputMode="decimal"
                  required
                  value={p.amount}
                  onChange={(e) => setParts(parts.map((x, j) => (j === i ? { ...x, amount: e.target.value } : x)))}
                />
              </label>
              <label>
                {t("receivable.more.holder")}
                <select
                  name={`partHolder${i}`}
                  required
                  value={p.holder}
                  onChange={(e) => setParts(parts.map((x, j) => (j === i ? { ...x, holder: e.target.value } : x)))}
                >
                  <option value="">{t("receivable.more.chooseMember")}</option>
                  <option value={r.holder}>{t("receivable.more.you", { name: companyOf(r.holder)?.name ?? r.holder })}</option>
                  {targets.map((a) => (
                    <option key={a.address} value={a.address}>
                      {a.company?.name ?? a.address}
                    </option>
                  ))}
                </select>
              </label>
              {parts.length > 2 && (
                <button
                  type="button"
                  className="small"
                  onClick={() => setParts(parts.filter((_, j) => j !== i))}
                  aria-label={t("receivable.more.removePart", { n: i + 1 })}
                >
                  {t("receivable.more.remove")}
                </button>
              )}
            </div>
          ))}
          <div className="button-row">
            <button type="button" className="small" onClick={() => setParts([...parts, { amount: "", holder: "" }])} disabled={parts.length >= 64}>
              {t("receivable.more.addPart")}
            </button>
            <span className={partSum === outstanding ? "ok-text small" : "muted small"} aria-live="polite">
              {t("receivable.more.partsTotal", { sum: moneyExact(partSum), total: moneyExact(outstanding) })}
              {partSum !== outstanding &&
                (partSum < outstanding
                  ? t("receivable.more.left", { amount: moneyExact(outstanding - partSum) })
                  : t("receivable.more.tooMuch", { amount: moneyExact(partSum - outstanding) }))}
            </span>
            <button type="submit" className="primary" disabled={busy || !splitReady}>
              {t("receivable.more.splitSubmit")}
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
            void run(
              t("receivable.more.issuingNote"),
              null,
              () => chain.issueCreditNote(w, r.id, v, reasonText),
              t("receivable.more.noteIssued", { amount: money(v) }),
              () => invoiceApi.postReason(r.id, "creditNote", reasonText),
            );
          }}
        >
          <label>
            {t("receivable.more.amount")}
            <input name="creditAmount" inputMode="decimal" required value={amount} onChange={(e) => setAmount(e.target.value)} placeholder="250.00" />
          </label>
          <label>
            {t("receivable.more.reason")}
            <input name="creditReason" required value={text} onChange={(e) => setText(e.target.value)} placeholder={t("receivable.more.reasonPlaceholder")} />
          </label>
          <button type="submit" className="primary" disabled={busy || parse(amount) === null || !text.trim()}>
            {t("receivable.more.issueNote")}
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
            void run(
              t("receivable.more.attesting"),
              null,
              () => chain.attestBankPayment(w, r.id, v, text),
              t("receivable.more.attested", { amount: money(v), reference: text.trim() }),
              () => invoiceApi.postReason(r.id, "bankPayment", text.trim()),
            );
          }}
        >
          <label>
            {t("receivable.more.amountReceived")}
            <input
              name="attestAmount"
              inputMode="decimal"
              required
              value={amount}
              onChange={(e) => setAmount(e.target.value)}
              placeholder={props.due !== null ? money(props.due).replace(/,/g, "") : ""}
            />
          </label>
          <label>
            {t("receivable.more.bankReference")}
            <input
              name="bankReference"
              required
              value={text}
              onChange={(e) => setText(e.target.value)}
              placeholder={t("receivable.more.bankReferencePlaceholder")}
            />
          </label>
          <button type="submit" className="primary" disabled={busy || parse(amount) === null || !text.trim()}>
            {t("receivable.more.recordBank")}
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
  const { t } = useTranslation();
  if (!parent && partIds.length === 0) return null;
  return (
    <section className="card" aria-labelledby="lineage-h">
      <h2 id="lineage-h">{t(parent ? "receivable.lineage.partOf" : "receivable.lineage.splitInto")}</h2>
      {parent && (
        <p>
          <Trans
            i18nKey="receivable.lineage.partText"
            components={{
              parent: (
                <a className="mono" href={`#/receivables/${parent}`}>
                  {shortHex(parent, 10, 8)}
                </a>
              ),
            }}
          />
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
                <Trans
                  i18nKey="receivable.lineage.partLine"
                  values={{ amount: amountArg({ v: amounts[i] }, "v") ?? "" }}
                  components={{ holder: <Party inline address={String(holders[i] ?? "")} /> }}
                />
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
  const { t } = useTranslation();
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
      return setUpload({ tone: "error", text: t("receivable.doc.notUploaded", { name: file.name }) });
    }
    try {
      setUpload({ tone: "info", text: t("receivable.doc.uploading") });
      await api.uploadDocument(r.id, bytes, file.type);
      setUpload({ tone: "ok", text: t("receivable.doc.stored", { name: file.name }) });
      refresh();
    } catch (e) {
      setUpload({
        tone: "error",
        text: e instanceof ApiError && e.status === 404 ? t("receivable.doc.noStorage") : errorText(e),
      });
    }
  }

  return (
    <section className="card" aria-labelledby="doc-h">
      <h2 id="doc-h">{t("receivable.doc.title")}</h2>
      <p>
        {t("receivable.doc.hash")} <Hash value={r.documentHash} lead={18} tail={8} />
        {stored && (
          <>
            {" · "}
            <a href={`/api/receivables/${r.id}/document`} download={`invoice-${r.id.slice(0, 10)}`}>
              {t("receivable.doc.download")}
            </a>{" "}
            <span className="muted">{t("receivable.doc.reverified")}</span>
          </>
        )}
        {stored === false && source.kind === "api" && <span className="muted">{t("receivable.doc.noCopy")}</span>}
      </p>
      <div className="doc-actions">
        <label className="file-field">
          {t("receivable.doc.verify")}
          <input type="file" onChange={(e) => void onVerify(e.target.files?.[0])} />
        </label>
        {isSeller && source.kind === "api" && stored === false && (
          <label className="file-field">
            {t("receivable.doc.upload")}
            <input type="file" onChange={(e) => void onUpload(e.target.files?.[0])} />
          </label>
        )}
      </div>
      {check && (
        <Notice tone={check.ok ? "ok" : "warn"}>
          {check.ok ? t("receivable.doc.matches", { name: check.name }) : t("receivable.doc.mismatch", { name: check.name, hash: shortHex(check.hash, 10, 6) })}
        </Notice>
      )}
      {upload && <Notice tone={upload.tone}>{upload.text}</Notice>}
    </section>
  );
}

/** An event's name in the chosen language (`receivable.event.*`), else its type split into words. */
function eventLabel(type: string): string {
  for (const key of [type, `Receivable${type}`]) if (i18n.exists(`receivable.event.${key}`)) return i18n.t(`receivable.event.${key}`);
  return type.replace(/([a-z])([A-Z])/g, "$1 $2");
}

function amountArg(args: Record<string, unknown>, key: string): string | null {
  const v = args[key];
  if (typeof v === "string" && /^\d+$/.test(v)) return money(v);
  if (typeof v === "number" || typeof v === "bigint") return money(BigInt(v));
  return null;
}

function EventDetails(props: { e: ReceivableEvent }) {
  const { e } = props;
  const { t } = useTranslation();
  const a = e.args ?? {};
  const pctArg = (key: string) => `${(Number(a[key] ?? 0) / 100).toFixed(2)}%`;
  const amt = (key: string) => amountArg(a, key) ?? "";
  const party = (key: string) => <Party inline address={String(a[key] ?? "")} />;
  const d = (key: string, values: Record<string, unknown> = {}, components?: Record<string, ReactElement>) =>
    components ? <Trans i18nKey={`receivable.detail.${key}`} values={values} components={components} /> : t(`receivable.detail.${key}`, values);
  const recourse = (pct?: string) =>
    a.withRecourse ? (pct ? t("receivable.detail.withRecourseAt", { pct }) : t("receivable.detail.withRecourse")) : t("receivable.detail.withoutRecourse");
  // The financing modules' events (issue 5).
  switch (e.type) {
    case "Listed":
      return d("listed", { reserve: amt("reserve"), recourse: recourse(pctArg("recourseRateBps")) }, { lister: party("lister") });
    case "ListingClosed":
      return d("listingClosed");
    case "Sold":
      return d("sold", { price: amt("price"), recourse: recourse() }, { financier: party("financier") });
    case "LoanOpened":
      return d("loanOpened", { principal: amt("principal"), pct: pctArg("rateBps") }, { lender: party("lender"), borrower: party("borrower") });
    case "LoanRepayment":
      return d("loanRepayment", { toLender: amt("toLender"), toHolder: amt("toHolder"), owed: amt("owedAfter") });
    case "PolicyOffered":
      return d("policyOffered", { pct: pctArg("coverageBps"), premium: amt("premium") }, { insurer: party("insurer") });
    case "PolicyAccepted":
      return d("policyAccepted", { premium: amt("premium") });
    case "PolicyClaimed":
      return d("policyClaimed", { payout: amt("payout") });
    case "ReceivableSubrogated":
      return d("subrogated", { paid: amt("paidByInsurer"), outstanding: amt("outstandingAtClaim") });
    case "RecoveryShared":
      return d("recoveryShared", { toInsurer: amt("toInsurer"), toHolder: amt("toHolder") });
    case "RecourseClaimed":
    case "RecourseSettled":
      return <>{amountArg(a, "amount")}</>;
    case "PaymentForwarded":
      return d("forwarded", { amount: amt("amount") }, { holder: party("holder") });
    case "CollateralSeized":
      return d("seized", { owed: amt("owed") });
  }
  const type = e.type.startsWith("Receivable") || e.type.startsWith("Bank") || e.type.startsWith("Credit") ? e.type : `Receivable${e.type}`;
  switch (type) {
    case "ReceivableRegistered":
      return d("registered", { amount: amt("amount") });
    case "ReceivableConfirmed":
      return d(a.bySignature ? "bySignature" : "byTransaction");
    case "ReceivablePaid":
      return (
        <>
          {d("paid", { amount: amt("amount") }, { holder: party("holder") })}
          {amountArg(a, "interest") && amountArg(a, "interest") !== "0.00" ? t("receivable.detail.paidInterest", { amount: amt("interest") }) : ""}
          {amountArg(a, "outstanding") ? t("receivable.detail.paidOutstanding", { amount: amt("outstanding") }) : ""}
        </>
      );
    case "ReceivableTransferred":
      return (
        <>
          {party("from")} → {party("to")}
        </>
      );
    case "CreditNoteIssued":
      return d("noteIssued", { id: String(a.noteId), amount: amt("amount") });
    case "CreditNoteAccepted":
      return d("noteAccepted", { id: String(a.noteId), amount: amt("faceAmount") });
    case "BankPaymentAttested":
      return d("bankAttested", { amount: amt("amount"), outstanding: amt("outstanding") });
    case "ReceivableDisputed":
      return d("byBuyer");
    case "ReceivableSplit":
      return Array.isArray(a.partIds) ? d("splitParts", { n: a.partIds.length }) : d("severalParts");
    case "ReceivableDefaulted":
    case "ReceivableWrittenOff":
      return d("outstanding", { amount: amt("outstanding") });
    case "ReceivableLocked":
      return d("locked", {}, { module: party("module") });
    case "ReceivableUnlocked":
      return d("unlocked", {}, { module: party("module") });
    default:
      return (
        <span className="muted">
          {Object.keys(a)
            .filter((k) => k !== "id")
            .join(", ")}
        </span>
      );
  }
}

function History(props: { events: ReceivableEvent[] }) {
  const events = [...(props.events ?? [])].sort((x, y) => x.blockNumber - y.blockNumber || x.logIndex - y.logIndex);
  const { t } = useTranslation();
  return (
    <section className="card" aria-labelledby="history-h">
      <h2 id="history-h">{t("receivable.history.title")}</h2>
      <div className="table-wrap">
        <table className="data-table compact">
          <thead>
            <tr>
              <th scope="col">{t("receivable.history.event")}</th>
              <th scope="col">{t("receivable.history.details")}</th>
              <th scope="col" className="num">
                {t("receivable.history.block")}
              </th>
              <th scope="col">{t("receivable.history.transaction")}</th>
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
                  {t("receivable.history.none")}
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}
