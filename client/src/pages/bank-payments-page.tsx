// The operator records payments that reached a holder off-chain (bank transfer, 银企互联 statement line):
// each bank reference once. The operator sees no receivables through the API, so the receivable is looked up
// by id on the ledger itself.
import { useEffect, useState, type FormEvent } from "react";
import type { Hex } from "viem";
import { parseAmount } from "../../../common/money.ts";
import { PAYABLE } from "../../../common/lifecycle.ts";
import { describeError, type ChainReceivable } from "../chain.ts";
import { money, displayDate } from "../format.ts";
import { useSession } from "../session.tsx";
import { Hash, Notice, Party, Spinner, StatusBadge } from "../components/bits.tsx";
import { invoiceApi } from "../invoice-api.ts";
import { useTranslation } from "../i18n/index.ts";

/** The server accepts the reference text once its event is indexed (it checks the on-chain hash): retry briefly. */
async function keepReference(id: string, reference: string): Promise<boolean> {
  for (let i = 0; i < 20; i++) {
    try {
      await invoiceApi.postReason(id, "bankPayment", reference);
      return true;
    } catch {
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  return false;
}

const ID_PATTERN = /^0x[0-9a-fA-F]{64}$/;

export function BankPaymentsPage() {
  const { chain, wallet, isOperator, revision } = useSession();
  const { t } = useTranslation();
  const [id, setId] = useState("");
  const [amount, setAmount] = useState("");
  const [reference, setReference] = useState("");
  const [found, setFound] = useState<{ r: ChainReceivable; due: bigint } | null>(null);
  const [lookupError, setLookupError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [result, setResult] = useState<{ tone: "ok" | "error"; text: string; tx?: Hex } | null>(null);

  useEffect(() => {
    let cancelled = false;
    setFound(null);
    setLookupError(null);
    if (!ID_PATTERN.test(id.trim())) return;
    const rid = id.trim().toLowerCase() as Hex;
    (async () => {
      const r = await chain.receivable(rid);
      if (r.status === "None") throw new Error(t("bank.notFound"));
      const due = PAYABLE.has(r.status) ? await chain.amountDue(rid, await chain.now()) : 0n;
      return { r, due };
    })()
      .then((f) => !cancelled && setFound(f))
      .catch((e) => !cancelled && setLookupError(describeError(e)));
    return () => {
      cancelled = true;
    };
  }, [id, chain, revision, t]);

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (!wallet) return;
    setResult(null);
    try {
      const v = parseAmount(amount);
      if (v <= 0n) throw new Error(t("bank.amountAboveZero"));
      setBusy(t("bank.recording"));
      const tx = await chain.attestBankPayment(wallet, id.trim() as Hex, v, reference);
      setBusy(t("bank.keepingReference"));
      const kept = await keepReference(id.trim(), reference.trim());
      setResult({ tone: "ok", text: t(kept ? "bank.recorded" : "bank.recordedHashOnly", { amount: money(v), reference: reference.trim() }), tx });
      setAmount("");
      setReference("");
    } catch (err) {
      setResult({ tone: "error", text: describeError(err) });
    } finally {
      setBusy(null);
    }
  }

  if (!isOperator) return <Notice tone="info">{t("bank.onlyOperator")}</Notice>;
  return (
    <section aria-labelledby="bank-title">
      <div className="page-head">
        <div>
          <h1 id="bank-title">{t("bank.title")}</h1>
          <p className="lede">{t("bank.lede")}</p>
        </div>
      </div>
      {result && (
        <Notice tone={result.tone}>
          {result.text} {result.tx && <Hash value={result.tx} />}
        </Notice>
      )}
      <form className="card form" onSubmit={onSubmit} aria-labelledby="bank-title">
        <fieldset disabled={!!busy}>
          <div className="form-grid">
            <label className="wide">
              {t("bank.receivableId")}
              <input
                name="receivableId"
                required
                pattern="0x[0-9a-fA-F]{64}"
                value={id}
                onChange={(e) => setId(e.target.value)}
                placeholder={t("bank.receivableIdPlaceholder")}
                className="mono"
              />
            </label>
            <label>
              {t("bank.amountReceived")}
              <input
                name="attestAmount"
                inputMode="decimal"
                required
                value={amount}
                onChange={(e) => setAmount(e.target.value)}
                placeholder={found ? money(found.due).replace(/,/g, "") : "1000.00"}
              />
            </label>
            <label>
              {t("bank.bankReference")}
              <input
                name="bankReference"
                required
                value={reference}
                onChange={(e) => setReference(e.target.value)}
                placeholder={t("bank.bankReferencePlaceholder")}
              />
            </label>
          </div>
        </fieldset>
        {lookupError && <Notice tone="warn">{lookupError}</Notice>}
        {found && (
          <dl className="facts lookup">
            <dt>{t("bank.status")}</dt>
            <dd>
              <StatusBadge status={found.r.status} />
            </dd>
            <dt>{t("bank.holder")}</dt>
            <dd>
              <Party address={found.r.holder} />
            </dd>
            <dt>{t("bank.outstanding")}</dt>
            <dd>{money(found.r.faceAmount - found.r.paid)}</dd>
            <dt>{t("bank.amountDueNow")}</dt>
            <dd>
              <strong>{money(found.due)}</strong>
            </dd>
            <dt>{t("bank.dueDate")}</dt>
            <dd>{displayDate(found.r.dueDate * 1000)}</dd>
          </dl>
        )}
        <div className="form-foot">
          <button type="submit" className="primary" disabled={!!busy || !found || !amount || !reference.trim()}>
            {t("bank.submit")}
          </button>
          {busy && <Spinner label={busy} />}
        </div>
      </form>
    </section>
  );
}
